/**
 * A fast 64-bit checksum of bytes, in plain JS: the disk caches' entry checksum (cache.ts)
 * and the file name of an entry found by a kernel's inputs (kernel-cache.ts).
 *
 * Why not SHA-256: a cache hit's first result has a 5 ms budget in a fresh process (issue
 * 15), where SHA-256 runs as cold JS (~20 us per 64-byte block: ~3 ms for a 10 KiB entry
 * with static data) or loads node:crypto (~3 ms). A cryptographic hash buys nothing here:
 * whoever can write the cache directory can compute any digest, so the checksum only has to
 * catch accidents (a torn or truncated write, a flipped bit), and the entry's identity is
 * checked by comparing the key stored in it byte for byte (cache.ts), not by a digest.
 *
 * Lane a takes MurmurHash3's 32-bit block step, with one multiply rather than three (cold JS
 * pays mostly for each `Math.imul` call), over the bytes as little-endian 32-bit words (the tail
 * zero-padded); lane b a rotating sum of lane a's states (as Fletcher's second sum); then
 * the length and a final avalanche of both. Lane a's step is a bijection of its state for a
 * given word, and of the word for a given state, so two inputs of one length that differ in
 * a single word (any bits of up to 4 aligned bytes) always end in different states: such a
 * corruption is always caught, not just with probability 1 - 2^-64 (test/vectorize/
 * hash64.test.ts checks it as a property). A different length always mixes in differently.
 *
 * Speed (a fresh process hashes a 10 KiB entry in ~0.4 ms): the words are read through a
 * Uint32Array where the bytes are 4-byte aligned on a little-endian host (cache.ts aligns
 * its bodies), and the loop, {@link mixWords}, has nothing else in it and returns its state
 * through {@link lanes}: with a branch per word for unaligned bytes, or its state in
 * locals of the caller, cold V8 took twice as long (an on-stack replacement compile, or
 * slower bytecode).
 */

const C1 = 0xcc9e2d51;

/** The two lanes' state, between {@link mixWords} and {@link hash64}. */
const lanes = new Int32Array(2);

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Words `words[0..n)` into lane a, each of lane a's new states into lane b. */
function mixWords(words: Uint32Array, n: number): void {
  let a = lanes[0]!;
  let b = lanes[1]!;
  for (let i = 0; i < n; i++) {
    a ^= Math.imul(words[i]!, C1);
    a = (a << 13) | (a >>> 19);
    a = (a + (a << 2) + 0xe6546b64) | 0;
    b = (b + a) | 0;
    b = (b << 7) | (b >>> 25);
  }
  lanes[0] = a;
  lanes[1] = b;
}

/**
 * `bytes` as little-endian words (the last zero-padded) through {@link mixWords}, copied in
 * pieces: for bytes that are not 4-byte aligned, or a big-endian host.
 */
function mixBytes(bytes: Uint8Array): void {
  const piece = new Uint32Array(256);
  for (let at = 0; at < bytes.length; at += 4 * piece.length) {
    const end = Math.min(bytes.length, at + 4 * piece.length);
    piece.fill(0);
    for (let j = at; j < end; j++) piece[(j - at) >>> 2]! |= bytes[j]! << (8 * (j & 3));
    mixWords(piece, (end - at + 3) >>> 2);
  }
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The checksum of `bytes` as two unsigned 32-bit numbers.
 *
 * @example
 * ```ts
 * const [lo, hi] = hash64(new Uint8Array([1, 2, 3]));
 * ```
 */
export function hash64(bytes: Uint8Array): [number, number] {
  const n = bytes.length;
  lanes[0] = 0x9747b28c;
  lanes[1] = 0x3c6ef372;
  const whole = n >>> 2;
  if (littleEndian && bytes.byteOffset % 4 === 0) {
    mixWords(new Uint32Array(bytes.buffer, bytes.byteOffset, whole), whole);
    // The tail, zero-padded (the length, mixed in below, tells it from real zeros).
    if (n % 4 !== 0) mixBytes(bytes.subarray(4 * whole));
  } else mixBytes(bytes);
  let a = lanes[0]! ^ n;
  let b = lanes[1]! ^ n;
  a = (a + b) | 0;
  b = (b + a) | 0;
  a = fmix(a);
  b = fmix(b);
  a = (a + b) >>> 0;
  b = (b + a) >>> 0;
  return [a, b];
}

/**
 * {@link hash64} as 16 hex digits (a file name).
 *
 * @example
 * ```ts
 * hash64Hex(new TextEncoder().encode('key')); // 16 hex digits
 * ```
 */
export function hash64Hex(bytes: Uint8Array): string {
  const [a, b] = hash64(bytes);
  return b.toString(16).padStart(8, '0') + a.toString(16).padStart(8, '0');
}
