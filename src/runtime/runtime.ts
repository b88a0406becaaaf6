/**
 * The process-wide runtime: the heap memory, the prebuilt loops instantiated on it, and
 * the allocator that owns it. Created lazily on first use, so importing numbats costs
 * nothing until an array is made; the prebuilt module (375 KB of Wasm: ~10 ms to decode
 * and compile) is instantiated when a built-in loop is first called, so that a program's
 * first arrays and its first kernel's JS tier (issue 15) do not wait for it.
 *
 * Layout of the memory: [0, STATIC_DATA_BYTES) the static data of the prebuilt module
 * ([0, heapBase), written when it is instantiated); then the allocator's blocks. A small
 * scratch block, allocated first and never freed, holds the iteration plans passed to the
 * Wasm loops (one call at a time on this thread).
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

/**
 * Bytes kept for the prebuilt module's static data: a fixed size, so that the heap can
 * start before the module is instantiated (its `heapBase()` is checked against it then;
 * test/runtime/cast-loops.test.ts pins it below 64 KiB too).
 */
export const STATIC_DATA_BYTES = 65536;

export interface Runtime {
  readonly memory: WebAssembly.Memory;
  /** The prebuilt loops (instantiated on the first read). */
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
    const heap = new Heap(STATIC_DATA_BYTES);
    heap.pressureHandler = onHeapPressure;
    const scratch = heap.alloc(SCRATCH_BYTES);
    let loops: BuiltinExports | undefined;
    current = { memory, heap, scratch, get loops() { return (loops ??= builtinsOn(memory)); } };
  }
  return current;
}

/** The prebuilt module instantiated on `memory`, its static data checked to fit below the heap. */
function builtinsOn(memory: WebAssembly.Memory): BuiltinExports {
  const loops = instantiateBuiltins(memory);
  if (loops.heapBase() > STATIC_DATA_BYTES) {
    // A build defect (asm/ outgrew the reserve), not a user's error: test/runtime/cast-loops.test.ts fails first.
    throw new Error(`the built-in Wasm module's static data (${loops.heapBase()} bytes) overlaps the heap at ${STATIC_DATA_BYTES}: raise STATIC_DATA_BYTES in src/runtime/runtime.ts`);
  }
  return loops;
}
