/**
 * Operands of the Wasm loops: a storage plus a layout, made addressable in the heap, and
 * the plans that describe them to the loops.
 *
 * Plan layout (int32 words in the heap scratch block): [ndim, shape[0..ndim), then per
 * operand: ptr, byteStrides[0..ndim)]; the innermost dimension is last (see asm/index.ts).
 */
import { DTYPES } from '../dtype/dtypes.js';
import type { IterationPlan } from './iteration-plan.js';
import { runtime, SCRATCH_BYTES } from '../runtime/runtime.js';
import { heapBytes } from '../runtime/wasm-memory.js';
import { throwDisposed } from '../runtime/lifetime.js';
import { MemoryError } from '../util/errors.js';
import { extentOf } from './layout.js';
import { isHeapStorage, type Storage } from './storage.js';
import type { Layout } from './views.js';

/** An operand: where its elements are and how they are laid out. */
export interface Operand extends Layout {
  storage: Storage;
}

/** An operand made addressable in the heap. */
export interface HeapView {
  /** Byte address of the layout's element at `offset`. */
  base: number;
  /** Free the staging block, copying it back to the original storage first when `writeBack`. */
  release(writeBack: boolean): void;
}

/**
 * Make `op` addressable by the Wasm loops: `wasm` storage in place; `js` storage (or any
 * operand when `forceCopy`) through a temporary heap block holding the spanned elements.
 *
 * @example
 * ```ts
 * const v = stage(op, false);
 * try { loops.copy(..., v.base ...) } finally { v.release(false); }
 * ```
 */
export function stage(op: Operand, forceCopy: boolean): HeapView {
  const { storage } = op;
  // Every Wasm loop reaches memory through here: a disposed operand must never be read
  // (its block may already hold another array) nor written.
  if (storage.disposed) throwDisposed();
  const itemSize = DTYPES[storage.dtype].itemSize;
  if (isHeapStorage(storage) && !forceCopy) {
    return { base: storage.ptr + op.offset * itemSize, release: () => {} };
  }
  const [lo, hi] = extentOf(op.shape, op.strides, op.offset);
  const count = hi - lo + 1;
  const { heap } = runtime();
  const tmp = heap.alloc(Math.max(1, count) * itemSize);
  const data = storage.data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset + lo * itemSize, Math.max(0, count) * itemSize);
  if (count > 0) heapBytes().set(bytes, tmp);
  return {
    base: tmp + (op.offset - lo) * itemSize,
    release(writeBack: boolean) {
      if (writeBack && count > 0) bytes.set(heapBytes().subarray(tmp, tmp + count * itemSize));
      heap.free(tmp);
    },
  };
}

/** True when two operands may touch the same memory. */
export function overlaps(a: Operand, b: Operand): boolean {
  if (a.storage !== b.storage) return false;
  const [alo, ahi] = extentOf(a.shape, a.strides, a.offset);
  const [blo, bhi] = extentOf(b.shape, b.strides, b.offset);
  return alo <= bhi && blo <= ahi;
}

/** True when two operands are the same elements in the same order (safe for elementwise in-place). */
export function sameLayout(a: Operand, b: Operand): boolean {
  return (
    a.storage === b.storage && a.offset === b.offset && a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i] && (d === 1 || a.strides[i] === b.strides[i]))
  );
}

/** Largest loop extent and byte stride a plan's int32 words hold. */
export const PLAN_INT_MAX = 2 ** 31 - 1;

/**
 * Check that a plan fits its int32 words: every loop extent and every byte stride within
 * ±(2**31 - 1). Only broadcast (stride-0) views reach past that in a wasm32 heap
 * (`broadcastTo(x, [2 ** 33])`); an extent written anyway would wrap and the loop would
 * silently do something else.
 *
 * @throws MemoryError `E_MEMORY_PLAN_RANGE`.
 */
export function checkPlanRange(plan: IterationPlan, itemSizes: readonly number[]): void {
  for (const d of plan.shape) {
    if (d > PLAN_INT_MAX) {
      throw new MemoryError(
        'E_MEMORY_PLAN_RANGE',
        `a loop of ${d} elements along one dimension is more than a Wasm loop can run (at most 2**31 - 1 = ${PLAN_INT_MAX}); ` +
          `split the array into parts along that dimension (slice) and combine the results`,
      );
    }
  }
  plan.strides.forEach((strides, k) => {
    for (const s of strides) {
      if (Math.abs(s * itemSizes[k]!) > PLAN_INT_MAX) {
        throw new MemoryError(
          'E_MEMORY_PLAN_RANGE',
          `a stride of ${s * itemSizes[k]!} bytes is more than a Wasm loop can step (at most 2**31 - 1); copy() the view first`,
        );
      }
    }
  });
}

/**
 * Write a plan for `bases.length` operands into the scratch block and return its address.
 * The scratch block serves one call at a time on this thread.
 *
 * @throws MemoryError `E_MEMORY_PLAN_RANGE` when an extent or stride does not fit (checkPlanRange).
 */
export function writePlan(plan: IterationPlan, bases: readonly number[], itemSizes: readonly number[]): number {
  checkPlanRange(plan, itemSizes);
  const { scratch } = runtime();
  const words = scratchWords();
  const ndim = plan.shape.length;
  let w = 0;
  words[w++] = ndim;
  for (const d of plan.shape) words[w++] = d;
  for (let k = 0; k < bases.length; k++) {
    words[w++] = bases[k]!;
    const size = itemSizes[k]!;
    for (const s of plan.strides[k]!) words[w++] = s * size;
  }
  return scratch;
}

let words: Int32Array | undefined;
/** An Int32Array over the scratch block, made once: shared memory never detaches, so it stays valid. */
function scratchWords(): Int32Array {
  if (words === undefined) {
    const { scratch, memory } = runtime();
    words = new Int32Array(memory.buffer, scratch, SCRATCH_BYTES / 4);
  }
  return words;
}
