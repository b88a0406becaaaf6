/**
 * Interop with the scijs `ndarray` package: both directions share memory.
 * (The other direction, `NDArray.toNdarray()`, lives on the class.)
 */
import type ndarrayPkg from 'ndarray';
import { DTypeError } from '../util/errors.js';
import { array } from '../ndarray/creation.js';
import { NDArray } from '../ndarray/ndarray.js';
import { JsStorage } from '../ndarray/storage.js';

/**
 * An NDArray over the same memory as a scijs ndarray (its data must be a TypedArray;
 * plain-Array data is copied into a new float64 array, since it cannot be shared).
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const s = ndarray(new Float32Array(6), [2, 3]);
 * const a = nb.fromNdarray(s);   // a.set(0, 0, 1) is visible as s.get(0, 0)
 * ```
 */
export function fromNdarray(x: ndarrayPkg.NdArray<ndarrayPkg.Data>): NDArray {
  const data = x.data as unknown;
  if (ArrayBuffer.isView(data)) {
    const storage = JsStorage.wrap(data);
    if (storage === undefined) throw new DTypeError('E_DTYPE_UNKNOWN', `unsupported scijs data type ${x.dtype}`);
    return new NDArray(storage, x.shape, x.stride, x.offset);
  }
  // Generic storage (plain arrays, custom get/set): read element by element.
  const values: number[] = [];
  const idx = new Array<number>(x.shape.length).fill(0);
  const total = x.shape.reduce((p, d) => p * d, 1);
  for (let n = 0; n < total; n++) {
    values.push(Number(x.get(...idx)));
    for (let ax = idx.length - 1; ax >= 0; ax--) {
      if (++idx[ax]! < x.shape[ax]!) break;
      idx[ax] = 0;
    }
  }
  return array(values, { dtype: 'float64' }).reshape(x.shape);
}
