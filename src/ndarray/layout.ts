/**
 * Shape and stride arithmetic. Strides are in elements (DESIGN.md decision 2), as in
 * scijs and TypedArrays; byte strides appear only inside the Wasm loop ABI.
 */
import { ShapeError, ValueError } from '../util/errors.js';

/** A shape as NumPy prints it: `(2,3)`, `(5,)`, `()`. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(',')}${shape.length === 1 ? ',' : ''})`;
}

/** Strides of a C-ordered (row-major) array of `shape`. */
export function cStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return strides;
}

/** Number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when the layout is C-contiguous (size-1 dims may have any stride, as in NumPy). */
export function isCContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 0) return true;
    if (d !== 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Validate a shape given by the user: non-negative safe integers.
 *
 * @throws ShapeError (`E_SHAPE_INVALID`)
 */
export function checkShape(shape: unknown, what = 'shape'): number[] {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims)) {
    throw new ShapeError('E_SHAPE_INVALID', `${what} must be an array of non-negative integers, got ${String(shape)}`);
  }
  for (const d of dims) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(
        'E_SHAPE_INVALID',
        `${what} must contain non-negative integers, got [${dims.map(String).join(', ')}]`,
      );
    }
  }
  if (dims.length > 32) throw new ShapeError('E_SHAPE_INVALID', `${what} has ${dims.length} dimensions; at most 32 are supported`);
  return dims.slice();
}

/**
 * Validate the shape of a new array of `itemSize`-byte elements, as NumPy does before it
 * allocates: a negative dimension is a ValueError (`E_VALUE_NEGATIVE_DIM`, NumPy's "negative
 * dimensions are not allowed"), and so is a shape whose byte count (the item size times
 * every non-zero dimension) passes `Number.MAX_SAFE_INTEGER` (`E_VALUE_TOO_BIG`, NumPy's
 * "array is too big", past its intp); anything else malformed as in {@link checkShape}.
 * A shape that passes may still not fit the heap: that is the allocator's MemoryError.
 *
 * @throws ValueError (`E_VALUE_NEGATIVE_DIM`, `E_VALUE_TOO_BIG`); ShapeError (`E_SHAPE_INVALID`).
 * @example
 * ```ts
 * checkNewShape([2, -1], 8); // throws E_VALUE_NEGATIVE_DIM
 * checkNewShape([2 ** 40, 2 ** 40], 8); // throws E_VALUE_TOO_BIG
 * ```
 */
export function checkNewShape(shape: unknown, itemSize: number, what = 'shape'): number[] {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (Array.isArray(dims) && dims.every((d) => Number.isInteger(d))) {
    const ints = dims as number[];
    if (ints.some((d) => d < 0)) {
      throw new ValueError('E_VALUE_NEGATIVE_DIM', `negative dimensions are not allowed (${what} [${ints.join(', ')}])`);
    }
    let bytes = itemSize;
    for (const d of ints) if (d !== 0) bytes *= d;
    if (bytes > Number.MAX_SAFE_INTEGER) {
      throw new ValueError(
        'E_VALUE_TOO_BIG',
        `array is too big: ${what} [${ints.join(', ')}] of ${itemSize}-byte elements would take ${bytes} bytes, ` +
          'more than Number.MAX_SAFE_INTEGER',
      );
    }
  }
  return checkShape(dims, what);
}

/**
 * The lowest and highest element index a layout touches (for staging and overlap checks).
 * Returns [0, -1] for an empty array.
 */
export function extentOf(shape: readonly number[], strides: readonly number[], offset: number): [number, number] {
  let lo = offset;
  let hi = offset;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 0) return [0, -1];
    const span = (d - 1) * strides[i]!;
    if (span < 0) lo += span;
    else hi += span;
  }
  return [lo, hi];
}

/**
 * Normalise an axis (negative counts from the end).
 *
 * @throws ShapeError (`E_SHAPE_AXIS`) when out of range.
 */
export function normalizeAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new ShapeError('E_SHAPE_AXIS', `axis ${axis} is out of bounds for an array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}
