/**
 * `ufunc.accumulate(a, { axis, dtype, out })`: out[0] = a[0], out[i] = op(out[i-1], a[i])
 * along `axis`, NumPy's semantics (dtype rules as reduce: add and multiply accumulate small
 * integers in int64/uint64).
 *
 * Runs as: copy a[0] into out[0], then ONE runLoop with ins [out[:-1], a[1:]] and outs
 * [out[1:]] under `allowOverlap`: the Wasm walk visits elements in increasing index order
 * along every dimension and SIMD rows refuse partially overlapping rows, so each step reads
 * the value the previous step just wrote. With the accumulated axis outermost the rows are
 * whole contiguous rows (SIMD); with it innermost each row is a scalar recurrence.
 */
import type { DTypeLike } from '../../dtype/dtypes.js';
import { asarray } from '../../ndarray/creation.js';
import { empty } from '../../ndarray/creation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { overlaps, sameLayout } from '../../ndarray/operand.js';
import { ShapeError } from '../../util/errors.js';
import { operandOf, runLoop } from '../execute.js';
import type { UfuncInput } from '../types.js';
import { singleAxis, type AxisOption } from './axes.js';
import { checkOptions, checkOut, copyInto, deliverResult, onAxis, requireBinary, resolveReduceLoop, type MethodUfunc } from './common.js';

/** Options of `ufunc.accumulate` and `ufunc.reduceat`. */
export interface AccumulateOptions {
  /** The axis (default 0; `null` only for 1-d input). */
  axis?: AxisOption;
  /** Dtype of the accumulator and result. */
  dtype?: DTypeLike | null;
  /** Where to write the result (the result's shape). */
  out?: NDArray | null | readonly (NDArray | null)[];
}

const KEYS = ['axis', 'dtype', 'out'] as const;

/**
 * Accumulate `a` along `axis` with a binary ufunc.
 *
 * @throws ValueError (`E_VALUE_ACCUMULATE`, `E_VALUE_AXES`), ShapeError (`E_SHAPE_SCALAR`
 *   for a 0-d input, `E_SHAPE_AXIS`, `E_SHAPE_OUT`), DTypeError (no loop).
 * @example
 * ```ts
 * nb.add.accumulate(nb.array([2, 3, 5])).toArray(); // [2n, 5n, 10n]
 * ```
 */
export function accumulate(t: MethodUfunc, a: UfuncInput, opts: AccumulateOptions = {}): NDArray {
  requireBinary(t, 'accumulate');
  checkOptions(t.name, 'accumulate', opts, KEYS);
  const arr = asarray(a);
  if (arr.ndim === 0) throw new ShapeError('E_SHAPE_SCALAR', `cannot accumulate on a scalar (${t.name}.accumulate of a 0-d array)`);
  const axis = singleAxis(opts.axis, arr.ndim, 'accumulate');
  const out = checkOut(t.name, 'accumulate', opts.out, arr.shape);
  const loop = resolveReduceLoop(t, arr.dtype, out, opts.dtype, 'accumulate');
  const dt = loop.outs[0]!;
  const inDt = loop.ins[1]!;
  const aOp = operandOf(arr, arr.shape);
  // In place (out is a itself, same dtype) is fine: each element is read before it is written.
  const direct =
    out !== undefined && out.dtype === dt && out.storage.kind === 'wasm' &&
    (!overlaps(operandOf(out, out.shape), aOp) || (arr.dtype === inDt && sameLayout(operandOf(out, out.shape), aOp)));
  const res = direct ? out : empty(arr.shape, dt);
  let input = arr;
  try {
    return deliverResult(res, out, direct, () => {
      if (arr.size > 0) {
        const n = arr.shape[axis]!;
        if (arr.dtype !== inDt) {
          // Cast into the result and accumulate there in place (res[i] = op(res[i-1], res[i])):
          // no converted copy of the input, which may be a broadcast view far larger than its memory.
          copyInto(arr, res);
          input = res;
        } else copyInto(input.slice(...onAxis(arr.ndim, axis, '0:1')), res.slice(...onAxis(arr.ndim, axis, '0:1')));
        if (n > 1) {
          const outRest = res.slice(...onAxis(arr.ndim, axis, '1:'));
          runLoop(
            loop.id, [res.slice(...onAxis(arr.ndim, axis, ':-1')), input.slice(...onAxis(arr.ndim, axis, '1:'))], [outRest],
            outRest.shape, { allowOverlap: true },
          );
        }
      }
    });
  } finally {
    if (input !== arr && input !== res) input.dispose();
  }
}
