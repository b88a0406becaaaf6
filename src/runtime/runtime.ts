/**
 * The process-wide runtime: the heap memory, the prebuilt loops instantiated on it, and
 * the allocator that owns it. Created lazily on first use, so importing numbats costs
 * nothing until an array is made.
 *
 * Layout of the memory: [0, heapBase) static data of the prebuilt module; then the
 * allocator's blocks. A small scratch block, allocated first and never freed, holds the
 * iteration plans passed to the Wasm loops (one call at a time on this thread).
 */
import { instantiateBuiltins, type BuiltinExports } from './builtin-module.js';
import { Heap } from './heap.js';
import { onHeapPressure } from './lifetime.js';
import { heapMemory } from './wasm-memory.js';

/** Bytes reserved for iteration plans: 1 + 32 dims + 8 operands x (1 + 32) int32 words fits. */
export const SCRATCH_BYTES = 4096;
/**
 * The last 16 bytes of the scratch block hold one scalar operand for the ufunc fast path.
 * Plans never reach them (at most (1 + 32 + 8 x 33) x 4 = 1188 bytes); a gufunc's core
 * block may, but it is never in use while the fast path runs (one call at a time).
 */
export const SCALAR_SLOT_OFFSET = SCRATCH_BYTES - 16;

export interface Runtime {
  readonly memory: WebAssembly.Memory;
  readonly loops: BuiltinExports;
  readonly heap: Heap;
  /** Address of the plan scratch block. */
  readonly scratch: number;
}

let current: Runtime | undefined;

/**
 * The runtime, created on first call.
 *
 * @example
 * ```ts
 * const { heap, loops } = runtime();
 * ```
 */
export function runtime(): Runtime {
  if (current === undefined) {
    const memory = heapMemory();
    const loops = instantiateBuiltins(memory);
    const heap = new Heap(loops.heapBase());
    heap.pressureHandler = onHeapPressure;
    const scratch = heap.alloc(SCRATCH_BYTES);
    current = { memory, loops, heap, scratch };
  }
  return current;
}
