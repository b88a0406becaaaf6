/**
 * The `where=` mask of ufunc calls and reductions, converted as NumPy 2.4 converts it
 * (issue 19 item 12b): an array must be bool, since only bool casts to bool under the
 * 'safe' rule (`where=np.array([1.0, 0.0])` is NumPy's "Cannot cast array data from
 * dtype('float64') to dtype('bool') according to the rule 'safe'"); a JS scalar counts by
 * its truth (NumPy takes `where=1` as True). Nested JS arrays of numbers are refused by a
 * ufunc call, as NumPy refuses a list of ints there, while reductions take them by their
 * truth, as NumPy's `reduce` does with a list.
 */
import { asarray, type ArrayLikeInput } from '../ndarray/creation.js';
import { isNDArray, type NDArray } from '../ndarray/ndarray.js';
import { CastingError } from '../util/errors.js';

/**
 * The mask for `where`, a bool array (to be broadcast by the caller); undefined when it is
 * `true` or absent (no mask).
 *
 * @param what - the call, for the message (`"ufunc 'add'"`, `'add.reduce'`).
 * @param listsByTruth - take nested JS arrays by the truth of their elements (reductions).
 * @throws CastingError `E_CAST_RULE` for an array that is not bool.
 */
export function whereMask(where: ArrayLikeInput | undefined, what: string, listsByTruth: boolean): NDArray | undefined {
  if (where === undefined || where === true) return undefined;
  if (typeof where === 'number' || typeof where === 'bigint' || typeof where === 'boolean') return asarray(Boolean(where));
  const w = asarray(where);
  if (w.dtype === 'bool') return w;
  if (listsByTruth && Array.isArray(where)) return w.astype('bool');
  const dtype = w.dtype;
  if (!isNDArray(where)) w.dispose();
  throw new CastingError(
    'E_CAST_RULE',
    `Cannot cast array data from ${dtype} to bool according to the rule 'safe' (the where= mask of ${what}, as in NumPy): ` +
      'pass a bool array, e.g. nb.notEqual(mask, 0) or mask.astype(\'bool\')',
  );
}
