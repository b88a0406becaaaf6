/**
 * `ufunc.outer(a, b, options?)`: result[i..., j...] = f(a[i...], b[j...]), computed as the
 * ufunc call f(a viewed with b.ndim trailing new axes, b), so the options (`out`, `dtype`,
 * `where`, `casting`, `signature`) mean what they mean for a call.
 * As in NumPy, scalar operands become arrays first (a JS integer is an int64 array, not a
 * weak scalar: `add.outer(2, int8Array)` is int64).
 */
import { asarray } from '../../ndarray/creation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { ValueError } from '../../util/errors.js';
import type { UfuncInput, UfuncOptions } from '../types.js';
import type { MethodUfunc } from './common.js';

/**
 * The outer product of `a` and `b` under the ufunc `call`.
 *
 * @throws ValueError (`E_VALUE_OUTER`) for a ufunc that is not binary.
 * @example
 * ```ts
 * nb.multiply.outer([1, 2, 3], [4, 5]).shape; // [3, 2]
 * ```
 */
export function outer(
  t: MethodUfunc, call: (...args: unknown[]) => NDArray | NDArray[], a: UfuncInput, b: UfuncInput, options?: UfuncOptions,
): NDArray | NDArray[] {
  if (t.nin !== 2) {
    throw new ValueError('E_VALUE_OUTER', `outer product only supported for binary functions (ufunc '${t.name}' has ${t.nin} input${t.nin === 1 ? '' : 's'})`);
  }
  const x = asarray(a);
  const y = asarray(b);
  const xv = x.slice('...', ...Array<null>(y.ndim).fill(null));
  return options === undefined ? call(xv, y) : call(xv, y, options);
}
