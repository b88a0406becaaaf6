/**
 * Interop with the scijs `ndarray` package: both directions share memory.
 * (The other direction, `NDArray.toNdarray()`, lives on the class.)
 */
import { DTypeError, ValueError } from '../util/errors.js';
import { array } from '../ndarray/creation.js';
import { extentOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { JsStorage } from '../ndarray/storage.js';
import type { ScijsNdarrayLike } from './scijs-types.js';

/**
 * Check a scijs array's shape, strides and offset against its data (issue 19 item 10b):
 * integers, a non-negative shape, and every element it addresses inside the data (scijs
 * itself does not check, and a view past the end would read `undefined` or throw a bare
 * RangeError later).
 *
 * @throws ValueError `E_VALUE_LAYOUT`.
 */
function checkLayout(x: ScijsNdarrayLike, data: unknown): void {
  const { shape, stride, offset } = x;
  const ints = (v: unknown): boolean => Array.isArray(v) && v.every((d) => Number.isSafeInteger(d));
  const layout = `shape [${String(shape)}], strides [${String(stride)}], offset ${String(offset)}`;
  if (!ints(shape) || shape.some((d) => d < 0) || !ints(stride) || stride.length !== shape.length || !Number.isSafeInteger(offset)) {
    throw new ValueError(
      'E_VALUE_LAYOUT',
      `fromNdarray: the scijs array has ${layout}: the shape must be non-negative integers, the strides ` +
        'integers (one per dimension) and the offset an integer; make it with ndarray(data, shape, stride, offset)',
    );
  }
  const length = (data as { length?: unknown }).length;
  if (typeof length !== 'number') return; // custom get/set storage: its own indexing
  const [lo, hi] = extentOf(shape, stride, offset);
  if (hi >= lo && (lo < 0 || hi >= length)) {
    throw new ValueError(
      'E_VALUE_LAYOUT',
      `fromNdarray: the scijs array's ${layout} address elements ${lo} to ${hi}, outside its ${length}-element data; ` +
        'give a shape, strides and offset that stay inside the data (every index from 0 to data.length - 1)',
    );
  }
}

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
export function fromNdarray(x: ScijsNdarrayLike): NDArray {
  const data = x.data as unknown;
  checkLayout(x, data);
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
