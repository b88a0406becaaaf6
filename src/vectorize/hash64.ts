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
 * Two lanes of MurmurHash3's 32-bit block step, with different constants, over the bytes
 * as little-endian 32-bit words (the tail zero-padded), then the length and a final
 * avalanche. Each lane's step is a bijection of its state for a given word, and a given
 * state a bijection of the word, so two inputs of one length that differ in a single word
 * (any number of bits in up to 4 aligned bytes) always end in different states: such a
 * corruption is always caught, not just with probability 1 - 2^-64 (test/vectorize/
 * hash64.test.ts checks it as a property). A different length always mixes in differently.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const D1 = 0x85ebca6b;
const D2 = 0xc2b2ae35;

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
  let a = 0x9747b28c;
  let b = 0x3c6ef372;
  const n = bytes.length;
  const whole = n & ~3;
  let i = 0;
  for (;;) {
    let w: number;
    if (i < whole) w = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    else if (i < n) {
      // The tail, zero-padded (the length, mixed in below, tells it from real zeros).
      w = 0;
      for (let j = n - 1; j >= i; j--) w = (w << 8) | bytes[j]!;
    } else break;
    i += 4;
    let k = Math.imul(w, C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    a ^= k;
    a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    k = Math.imul(w, D1);
    k = Math.imul((k << 16) | (k >>> 16), D2);
    b ^= k;
    b = (Math.imul((b << 17) | (b >>> 15), 5) + 0x561ccd1b) | 0;
  }
  a ^= n;
  b ^= n;
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
