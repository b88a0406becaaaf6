/**
 * `ufunc.reduceat(a, indices, { axis, dtype, out })`, NumPy's semantics: for each i,
 * out[i] = reduce(a[indices[i]:indices[i+1]]) along `axis`, except that
 * indices[i] >= indices[i+1] gives a[indices[i]], and the last index reduces to the end.
 * Every index must be in [0, a.shape[axis]) (IndexError otherwise).
 *
 * Runs as NumPy's loop does: per index, copy a[start] into out[i], then one runLoop
 * reducing a[start+1:end] into it (all other dims in that one call). For float add the
 * reduced axis is made contiguous first, so that each segment is summed pairwise as NumPy
 * sums it (NumPy's reduce inner loop on a strided segment).
 */
import type { LoopRecord } from '../loop-record.js';
import { DTYPES } from '../../dtype/dtypes.js';
import { asarray, empty } from '../../ndarray/creation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { overlaps } from '../../ndarray/operand.js';
import { DTypeError, IndexError, ShapeError } from '../../util/errors.js';
import { operandOf, runLoop } from '../execute.js';
import type { UfuncInput } from '../types.js';
import type { AccumulateOptions } from './accumulate.js';
import { singleAxis } from './axes.js';
import { reduceInto } from './reduce.js';
import {
  checkOptions, checkOut, copyInto, deliverResult, emptyOrdered, onAxis, requireBinary, resolveReduceLoop, type MethodUfunc,
} from './common.js';

const KEYS = ['axis', 'dtype', 'out'] as const;

/** The indices as JS numbers (a 1-d integer or bool array-like). */
function indexList(t: MethodUfunc, indices: UfuncInput): number[] {
  // An empty JS array has no dtype to infer (asarray makes it float64): it is an empty list
  // of indices (NumPy: `np.add.reduceat(x, np.array([], np.intp))` is an empty result).
  if (Array.isArray(indices) && indices.length === 0) return [];
  const idx = asarray(indices);
  if (idx.ndim !== 1) {
    throw new ShapeError('E_SHAPE_INDICES', `${t.name}.reduceat needs a 1-d array of indices, got ${idx.ndim} dimensions`);
  }
  if (DTYPES[idx.dtype].kind === 'f' || idx.dtype === 'uint64') {
    throw new DTypeError('E_DTYPE_INDEX', `${t.name}.reduceat indices must be integers (cannot cast ${idx.dtype} to int64 safely)`);
  }
  return (idx.toArray() as (number | bigint | boolean)[]).map(Number);
}

/**
 * Reduce `a` over the slices between consecutive `indices` along `axis`.
 *
 * @throws IndexError (`E_INDEX_RANGE`) for an index outside [0, a.shape[axis]); ValueError
 *   (`E_VALUE_REDUCEAT`, `E_VALUE_AXES`); ShapeError; DTypeError.
 * @example
 * ```ts
 * nb.add.reduceat(nb.arange(8), [0, 4, 1, 5]).toArray(); // [6n, 4n, 10n, 28n]
 * ```
 */
export function reduceat(t: MethodUfunc, a: UfuncInput, indices: UfuncInput, opts: AccumulateOptions = {}): NDArray {
  requireBinary(t, 'reduceat');
  checkOptions(t.name, 'reduceat', opts, KEYS);
  const arr = asarray(a);
  if (arr.ndim === 0) throw new ShapeError('E_SHAPE_SCALAR', `cannot reduceat on a scalar (${t.name}.reduceat of a 0-d array)`);
  const axis = singleAxis(opts.axis, arr.ndim, 'reduceat');
  const idx = indexList(t, indices);
  const n = arr.shape[axis]!;
  for (const v of idx) {
    if (!(v >= 0 && v < n)) throw new IndexError('E_INDEX_RANGE', `index ${v} out-of-bounds in ${t.name}.reduceat [0, ${n})`);
  }
  const shape = arr.shape.slice();
  shape[axis] = idx.length;
  const out = checkOut(t.name, 'reduceat', opts.out, shape);
  const loop = resolveReduceLoop(t, arr.dtype, out, opts.dtype, 'reduceat');
  const dt = loop.outs[0]!;
  const direct =
    out !== undefined && out.dtype === dt && out.storage.kind === 'wasm' &&
    !overlaps(operandOf(out, out.shape), operandOf(arr, arr.shape));
  const res = direct ? out : empty(shape, dt);
  let input = arr;
  try {
    return deliverResult(res, out, direct, () => {
      if (res.size > 0) {
        // Broadcast along the axis (stride 0): each segment is reduced as reduce does, without
        // materialising the input (a broadcast view may be far larger than its memory).
        const broadcastAxis = arr.strides[axis] === 0;
        input = broadcastAxis ? arr : prepareInput(loop, arr, axis);
        const ndim = arr.ndim;
        for (let i = 0; i < idx.length; i++) {
          const start = idx[i]!;
          const end = i === idx.length - 1 ? n : Math.max(idx[i + 1]!, start + 1);
          const target = res.slice(...onAxis(ndim, axis, `${i}:${i + 1}`));
          copyInto(input.slice(...onAxis(ndim, axis, `${start}:${start + 1}`)), target);
          if (end - start > 1) {
            const seg = input.slice(...onAxis(ndim, axis, `${start + 1}:${end}`));
            if (broadcastAxis) reduceInto(loop, target, seg, seg.dtype !== loop.ins[1]);
            else runLoop(loop.id, [target, seg], [target], seg.shape, { orderBy: 1 });
          }
        }
      }
    });
  } finally {
    if (input !== arr) input.dispose();
  }
}

/**
 * The input in the loop's dtype; for pairwise sums with the reduced axis contiguous
 * (axis innermost in memory), so that each segment is one pairwise row.
 */
function prepareInput(loop: LoopRecord, arr: NDArray, axis: number): NDArray {
  const inDt = loop.ins[1]!;
  const pairwise = loop.row?.reduce === 'pairwise' && arr.shape[axis]! > 2 && Math.abs(arr.strides[axis]!) !== 1;
  if (arr.dtype === inDt && !pairwise) return arr;
  const others = [...arr.shape.keys()].filter((i) => i !== axis);
  const order = pairwise ? [...others, axis] : [...arr.shape.keys()];
  const copy = emptyOrdered(arr.shape, order, inDt);
  copyInto(arr, copy);
  return copy;
}
