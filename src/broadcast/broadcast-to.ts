/**
 * Broadcasting arrays to a common shape as read-only stride-0 views (no copies).
 */
import { asarray, type ArrayLikeInput } from '../ndarray/creation.js';
import { checkShape } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { broadcastShapes, broadcastStrides } from './broadcast-shapes.js';

/**
 * A read-only view of `a` with shape `shape` (broadcast dims get stride 0).
 *
 * @throws ShapeError (`E_SHAPE_BROADCAST`) when `a` does not broadcast to `shape`.
 * @example
 * ```ts
 * nb.broadcastTo(nb.arange(3), [2, 3]).toArray(); // [[0n, 1n, 2n], [0n, 1n, 2n]]
 * ```
 */
export function broadcastTo(a: ArrayLikeInput, shape: readonly number[] | number): NDArray {
  const arr = asarray(a);
  const target = checkShape(shape);
  const strides = broadcastStrides(arr.shape, arr.strides, target);
  return new NDArray(arr.storage, target, strides, arr.offset, false);
}

/**
 * Views of all arguments broadcast against each other.
 *
 * @example
 * ```ts
 * const [x, y] = nb.broadcastArrays(nb.zeros([3, 1]), nb.zeros([4]));
 * x.shape; // [3, 4]
 * ```
 */
export function broadcastArrays(...arrays: ArrayLikeInput[]): NDArray[] {
  const arrs = arrays.map((a) => asarray(a));
  const shape = broadcastShapes(...arrs.map((a) => a.shape));
  return arrs.map((a) => broadcastTo(a, shape));
}
