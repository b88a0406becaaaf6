/**
 * The scratch arena of compiled kernels (`const buf = new Float64Array(n)` inside a kernel).
 *
 * Design, and why:
 *   - A kernel module that allocates scratch arrays exports `__nb_arena(base, bytes)`
 *     (src/compiler/emit/assemblyscript/prelude.ts; the direct emitter's module the same,
 *     src/compiler/emit/wasm/scratch.ts): a bump allocator over [base, base +
 *     bytes) in the shared heap memory, whose pointer lives in the instance's globals, so
 *     per instance and hence per thread: the calling thread and every parallel worker each
 *     get their own region, never a shared one.
 *   - The host lends that region for ONE call: a heap block is allocated before the call,
 *     handed to the instance, and freed after it, even when the kernel traps (so a trap or a
 *     failed bounds check leaves nothing behind, and the next call starts from a fresh
 *     arena). Parallel calls lend one block per helping worker (src/parallel/pool.ts).
 *     Nothing stays allocated between calls: the heap's statistics after a call are what
 *     they were before it.
 *   - Inside a call nothing accumulates: the kernel function restores the bump pointer on
 *     its way out (so each element starts from an empty arena) and a loop that allocates
 *     restores it at the start of each pass (the previous pass's arrays are out of scope).
 *     The memory a call needs is the largest set of scratch arrays alive at one time.
 *   - The arena is bounded: {@link DEFAULT_SCRATCH_BYTES} (1 MiB, a Float64Array of 131,072
 *     elements, e.g. the median of rows that long) unless the kernel's `scratchBytes` option
 *     says otherwise (up to {@link MAX_SCRATCH_BYTES}). A kernel asking for more stops with
 *     MemoryError `E_KERNEL_SCRATCH` naming the line, the size asked for and the option,
 *     rather than growing the heap without limit from inside a loop. The block is not
 *     zeroed when lent (each allocation zero-fills its own bytes), so a large arena costs
 *     only its address space: a heap alloc/free pair per call.
 */
import { runtime } from '../runtime/runtime.js';

/** Default bytes of a kernel's scratch arena per thread (see the file header). */
export const DEFAULT_SCRATCH_BYTES = 1 << 20;
/** The largest `scratchBytes` accepted (per thread). */
export const MAX_SCRATCH_BYTES = 1 << 30;

/** The arena setter of an instance whose kernels allocate scratch arrays, or undefined. */
export function arenaSetter(exports: Record<string, unknown>): ((base: number, bytes: number) => void) | undefined {
  const f = exports.__nb_arena;
  return typeof f === 'function' ? (f as (base: number, bytes: number) => void) : undefined;
}

/** The arena size of a kernel's options: a multiple of 16 bytes (the heap's alignment). */
export function arenaBytes(option: number | undefined): number {
  return Math.max(16, Math.ceil((option ?? DEFAULT_SCRATCH_BYTES) / 16) * 16);
}

/**
 * `run` (an entry of the instance whose exports are `exports`) with an arena of `bytes` lent
 * for each call; `run` itself when the instance allocates no scratch arrays.
 *
 * @example
 * ```ts
 * const loop = withArena(exports.g0_loop as GufuncRun, exports, arenaBytes(options.scratchBytes));
 * ```
 */
export function withArena<A extends unknown[], R>(run: (...args: A) => R, exports: Record<string, unknown>, bytes: number): (...args: A) => R {
  const set = arenaSetter(exports);
  if (set === undefined) return run;
  return (...args: A): R => {
    const { heap } = runtime();
    const base = heap.alloc(bytes);
    set(base, bytes);
    try {
      return run(...args);
    } finally {
      heap.free(base);
    }
  };
}
