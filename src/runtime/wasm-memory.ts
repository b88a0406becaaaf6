/**
 * The one WebAssembly.Memory that holds every `wasm`-storage array (DESIGN.md decision 1).
 *
 * Why one shared memory: copying operands into and out of Wasm costs as much as the
 * computation itself (measured 1.4 + 0.6 ns/element vs 0.8-1.0 for the kernel), so array
 * data lives where the kernels run. The memory is `shared: true` because
 *   1. piscina workers instantiate the same modules over the same memory (parallel target);
 *   2. growing a shared memory never detaches its old SharedArrayBuffer. A detach anywhere
 *      in a process makes V8 drop an optimisation and slows every typed-array loop ~30%.
 *
 * Growing keeps old SharedArrayBuffer objects valid but with their old length, so views
 * over the whole heap (used to stage data) must be re-derived after growth: use
 * {@link heapBytes}, which re-creates them when the buffer changed. Per-array views never
 * need re-creating: an array's block lies inside the buffer that existed when it was made.
 */
import { MemoryError } from '../util/errors.js';

/** Bytes per Wasm page. */
export const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB: 65536 pages of 64 KiB. */
export const MAX_PAGES = 65536;
/** Pages the heap starts with (16 MiB): enough for typical small work without growing. */
export const INITIAL_PAGES = 256;

let memory: WebAssembly.Memory | undefined;
let u8: Uint8Array | undefined;
let viewedBuffer: ArrayBufferLike | undefined;

/**
 * The process-wide heap memory, created on first use.
 *
 * @example
 * ```ts
 * const mem = heapMemory(); // WebAssembly.Memory { buffer: SharedArrayBuffer }
 * ```
 */
export function heapMemory(): WebAssembly.Memory {
  if (memory === undefined) {
    memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
  }
  return memory;
}

/** Current size of the heap in bytes. */
export function heapByteLength(): number {
  return heapMemory().buffer.byteLength;
}

/**
 * A Uint8Array over the whole heap as it is now (re-created after growth).
 *
 * @example
 * ```ts
 * heapBytes().fill(0, ptr, ptr + n);
 * ```
 */
export function heapBytes(): Uint8Array {
  const buf = heapMemory().buffer;
  if (buf !== viewedBuffer || u8 === undefined) {
    viewedBuffer = buf;
    u8 = new Uint8Array(buf);
  }
  return u8;
}

/**
 * Grow the heap so that it holds at least `minBytes`, by at least `factor` of its size.
 *
 * @throws MemoryError (`E_MEMORY_LIMIT`) past the 4 GiB wasm32 limit.
 */
export function growHeap(minBytes: number, factor = 1.5): void {
  const mem = heapMemory();
  const have = mem.buffer.byteLength / PAGE_BYTES;
  const need = Math.ceil(minBytes / PAGE_BYTES);
  if (need > MAX_PAGES) {
    throw new MemoryError(
      'E_MEMORY_LIMIT',
      `the array heap would need ${(minBytes / 2 ** 30).toFixed(2)} GiB, but wasm32 caps it at 4 GiB; ` +
        'use smaller arrays, dispose() arrays you no longer need, or process the data in chunks',
    );
  }
  const target = Math.min(MAX_PAGES, Math.max(need, Math.ceil(have * factor)));
  try {
    mem.grow(target - have);
  } catch {
    // The engine could not reserve the larger size (for example a process memory limit):
    // try the exact amount before giving up.
    try {
      if (need > have) mem.grow(need - have);
    } catch (err) {
      throw new MemoryError(
        'E_MEMORY_GROW',
        `could not grow the array heap to ${(minBytes / 2 ** 20).toFixed(1)} MiB: ${String(err)}`,
      );
    }
  }
}
