/**
 * Position-independent cache entries: moving a compiled module's static data to another
 * base after compilation (the compile cache, cache.ts).
 *
 * asc has no position-independent output: `--memoryBase` fixes every address of static
 * data (AS's Math tables, `memory.data` constants) as a constant in the code, the data
 * segments' offsets and the memory import's minimum. Instead of parsing Wasm code to find
 * them, relocations are found by difference:
 *   1. compile the source at two canonical bases, {@link BASE_A} and {@link BASE_B}. Both are
 *      >= 2^28 and < 2^31, so every address constant is a 5-byte LEB in both binaries (the
 *      same layout; only the constants differ), and multiples of 64 KiB, so alignment-
 *      dependent folding sees the same low bits;
 *   2. every byte that differs, outside the import section, must lie in a 5-byte LEB whose
 *      two values differ by exactly BASE_B - BASE_A, in the code, global or data section but
 *      not inside a data segment's bytes; each such LEB's position is a relocation;
 *   3. check: relocating the first binary by BASE_B - BASE_A must give the second binary
 *      byte for byte (the import section aside). Anything else (a pointer stored inside static
 *      data, an address shifted or masked by the optimiser) fails the check, and the caller
 *      keeps a base-keyed entry instead.
 * Relocating to base `b` then writes `b + (value - BASE_A)` into each site as a padded 5-byte
 * LEB (valid Wasm: LEBs may carry redundant bytes) and rewrites the memory import's minimum to
 * the pages that the relocated static data needs (asc sets it to cover the compile-time base,
 * which a fresh process's smaller memory would refuse with a LinkError). Relocated addresses
 * stay below 2^31, where a signed and an unsigned 5-byte LEB coincide.
 */

/** First canonical base (256 MiB). */
export const BASE_A = 1 << 28;
/** Second canonical base (384 MiB). */
export const BASE_B = (1 << 28) + (1 << 27);
/** Relocated static data must end below this (signed and unsigned LEBs agree there). */
export const RELOCATABLE_LIMIT = 2 ** 31;

interface Section { id: number; start: number; end: number; headerStart: number }

function readLeb(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

function sections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const headerStart = pos;
    const id = bytes[pos++]!;
    let size: number;
    [size, pos] = readLeb(bytes, pos);
    out.push({ id, start: pos, end: pos + size, headerStart });
    pos += size;
  }
  return out;
}

/** [start, end) byte ranges of the data segments' contents in the binary. */
function dataPayloads(bytes: Uint8Array, data: Section | undefined): Array<[number, number]> {
  if (!data) return [];
  const out: Array<[number, number]> = [];
  let pos = data.start;
  let count: number;
  [count, pos] = readLeb(bytes, pos);
  for (let s = 0; s < count; s++) {
    let flags: number;
    [flags, pos] = readLeb(bytes, pos);
    if (flags === 2) [, pos] = readLeb(bytes, pos);
    if (flags === 0 || flags === 2) {
      // i32.const <leb> end
      [, pos] = readLeb(bytes, pos + 1);
      pos++;
    }
    let len: number;
    [len, pos] = readLeb(bytes, pos);
    out.push([pos, pos + len]);
    pos += len;
  }
  return out;
}

function read5(bytes: Uint8Array, s: number): number | null {
  for (let k = 0; k < 4; k++) if ((bytes[s + k]! & 0x80) === 0) return null;
  if (bytes[s + 4]! & 0x80) return null;
  return readLeb(bytes, s)[0];
}

function write5(bytes: Uint8Array, s: number, value: number): void {
  for (let k = 0; k < 4; k++) bytes[s + k] = (Math.floor(value / 2 ** (7 * k)) & 0x7f) | 0x80;
  bytes[s + 4] = Math.floor(value / 2 ** 28) & 0x7f;
}

/**
 * The relocation sites of a module compiled at {@link BASE_A} (`a`) and at {@link BASE_B}
 * (`b`), or null when the difference is not a set of relocatable address constants.
 */
export function findRelocations(a: Uint8Array, b: Uint8Array): Uint32Array | null {
  if (a.length !== b.length) return null;
  const secs = sections(a);
  const secsB = sections(b);
  if (secs.length !== secsB.length || secs.some((s, i) => s.id !== secsB[i]!.id || s.start !== secsB[i]!.start)) return null;
  const payloads = dataPayloads(a, secs.find((s) => s.id === 11));
  const delta = BASE_B - BASE_A;
  const sites: number[] = [];
  let covered = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i] || i < covered) continue;
    const sec = secs.find((s) => i >= s.start && i < s.end);
    if (!sec) return null;
    if (sec.id === 2) continue; // the memory import's minimum: rewritten by relocate()
    if (sec.id !== 10 && sec.id !== 6 && sec.id !== 11) return null;
    if (payloads.some(([p, q]) => i >= p && i < q)) return null; // an address stored in data
    let t = i;
    while (t < a.length && a[t]! & 0x80) t++;
    const s = t - 4;
    if (s < sec.start || s > i || (a[s - 1]! & 0x80) !== 0) return null;
    const va = read5(a, s);
    const vb = read5(b, s);
    if (va === null || vb === null || vb - va !== delta || va < BASE_A || va >= BASE_B) return null;
    sites.push(s);
    covered = s + 5;
  }
  const relocs = Uint32Array.from(sites);
  // Self-check: moving `a` to BASE_B must give `b` exactly (outside the import section).
  const moved = patchSites(a, relocs, BASE_B);
  const imports = secs.find((s) => s.id === 2);
  for (let i = 0; i < a.length; i++) {
    if (imports && i >= imports.start && i < imports.end) continue;
    if (moved[i] !== b[i]) return null;
  }
  return relocs;
}

function patchSites(bytes: Uint8Array, relocs: Uint32Array, base: number): Uint8Array {
  const out = new Uint8Array(bytes);
  // An index loop: a cache hit runs this cold, where a typed array's iterator is slow.
  for (let i = 0; i < relocs.length; i++) {
    const s = relocs[i]!;
    write5(out, s, base + (read5(bytes, s)! - BASE_A));
  }
  return out;
}

/**
 * Rewrite the minimum of the `env.memory` import to `pages` (the section is rebuilt, so its
 * length may change; nothing else refers to byte positions after it). `bytes` themselves
 * when the minimum is `pages` already (cache.ts stores modules without static data so: a
 * cache hit then copies nothing).
 */
export function setMemoryImportMinimum(bytes: Uint8Array, pages: number): Uint8Array {
  const imports = sections(bytes).find((s) => s.id === 2);
  if (!imports) return bytes;
  let pos = imports.start;
  let count: number;
  [count, pos] = readLeb(bytes, pos);
  for (let e = 0; e < count; e++) {
    for (let n = 0; n < 2; n++) {
      let len: number;
      [len, pos] = readLeb(bytes, pos);
      pos += len;
    }
    const kind = bytes[pos++]!;
    if (kind !== 2) return bytes; // only the memory import is expected (cache.ts checks)
    pos++; // flags (shared, maximum): kept
    const minStart = pos;
    let min: number;
    [min, pos] = readLeb(bytes, pos);
    if (min === pages) return bytes;
    // Copied with `set` (no spreads: a cache hit runs this cold): the bytes before the
    // section, its id and new size, its bytes up to the minimum, the new minimum, the rest.
    const minLeb = writeLeb(pages);
    const size = minStart - imports.start + minLeb.length + (imports.end - pos);
    const sizeLeb = writeLeb(size);
    const out = new Uint8Array(imports.headerStart + 1 + sizeLeb.length + size + (bytes.length - imports.end));
    let w = 0;
    const put = (chunk: ArrayLike<number>): void => {
      out.set(chunk, w);
      w += chunk.length;
    };
    put(bytes.subarray(0, imports.headerStart));
    put([2]);
    put(sizeLeb);
    put(bytes.subarray(imports.start, minStart));
    put(minLeb);
    put(bytes.subarray(pos));
    return out;
  }
  return bytes;
}

/**
 * A module compiled at {@link BASE_A} moved to `base`: relocation sites rewritten, memory
 * import minimum set to cover the static data at its new place.
 *
 * @example
 * ```ts
 * const bytes = relocate(canonical, relocs, block.start, staticDataRange(canonical));
 * ```
 */
export function relocate(bytes: Uint8Array, relocs: Uint32Array, base: number, staticData: { start: number; end: number }): Uint8Array {
  const end = base + (staticData.end - BASE_A);
  return setMemoryImportMinimum(patchSites(bytes, relocs, base), Math.ceil(end / 65536));
}
