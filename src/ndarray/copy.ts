/**
 * Moving elements between layouts through the prebuilt Wasm loops: strided copies with
 * dtype conversion (`copy`, `astype`, `ravel` of a view) and fills (`full`, `ones`).
 *
 * Steps of {@link copyLayout}:
 *   1. simplify the loop nest (iteration-plan.ts), ordered by the destination's strides;
 *   2. make both operands addressable in the heap: `wasm` storage is used in place, `js`
 *      storage is staged through a temporary heap block (and written back for outputs);
 *      a source that overlaps its destination is staged too, so `a[1:] = a[:-1]`-like
 *      copies read the old values;
 *   3. a 1-d contiguous plan calls `copyContiguous`, anything else writes the plan into
 *      the scratch block and calls `copy`, which runs the whole N-d nest inside Wasm.
 */
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { simplifyPlan } from './iteration-plan.js';
import { runtime } from '../runtime/runtime.js';
import { overlaps, stage, writePlan, type Operand } from './operand.js';

export type { Operand } from './operand.js';

/**
 * Copy `src` into `dst` (same shape), converting dtypes as NumPy's unsafe cast does.
 *
 * @example
 * ```ts
 * copyLayout(a, { storage: out.storage, shape: a.shape, strides: out.strides, offset: 0 });
 * ```
 */
export function copyLayout(src: Operand, dst: Operand): void {
  const plan = simplifyPlan(src.shape, [src.strides, dst.strides], 1);
  if (plan.size === 0) return;
  const { loops } = runtime();
  const s = stage(src, overlaps(src, dst));
  const d = stage(dst, false);
  try {
    const sInfo = DTYPES[src.storage.dtype];
    const dInfo = DTYPES[dst.storage.dtype];
    if (plan.shape.length === 1 && plan.strides[0]![0] === 1 && plan.strides[1]![0] === 1) {
      loops.copyContiguous(sInfo.code, dInfo.code, s.base, d.base, plan.shape[0]!);
    } else {
      loops.copy(sInfo.code, dInfo.code, writePlan(plan, [s.base, d.base], [sInfo.itemSize, dInfo.itemSize]));
    }
  } finally {
    s.release(false);
    d.release(true);
  }
}

/**
 * Set every element of `dst` to `raw` (already converted to the dtype's storage value).
 *
 * @example
 * ```ts
 * fillLayout(op, 1.5);
 * ```
 */
export function fillLayout(dst: Operand, raw: number | bigint): void {
  const plan = simplifyPlan(dst.shape, [dst.strides], 0);
  if (plan.size === 0) return;
  const dtype: DType = dst.storage.dtype;
  const info = DTYPES[dtype];
  const { heap, loops, memory } = runtime();
  const value = heap.alloc(16);
  const d = stage(dst, false);
  try {
    const cell = new info.TypedArray(memory.buffer, value, 1);
    (cell as unknown as Array<number | bigint>)[0] = raw;
    loops.fill(info.code, writePlan(plan, [d.base], [info.itemSize]), value);
  } finally {
    d.release(true);
    heap.free(value);
  }
}
