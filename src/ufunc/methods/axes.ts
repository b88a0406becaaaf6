/**
 * Axis arguments of the ufunc methods, normalised as NumPy's `PyUFunc_GenericReduction`
 * does: `undefined` is axis 0 (no axis for a 0-d array), `null` is every axis, a number is
 * one axis (negative counts from the end), an array is a set of axes (sorted here).
 * A 0-d array accepts axis 0 or -1 and reduces nothing (NumPy keeps this for `sum` of
 * scalars).
 */
import { ShapeError, ValueError } from '../../util/errors.js';

/** An `axis` option: one axis, several axes, or `null` for all of them. */
export type AxisOption = number | readonly number[] | null;

function checkAxis(axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ShapeError('E_SHAPE_AXIS', `axis must be an integer, an array of integers or null, got ${String(axis)}`);
  }
  if (axis < -ndim || axis >= ndim) {
    throw new ShapeError('E_SHAPE_AXIS', `axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * The reduced axes, sorted, as non-negative integers.
 *
 * @throws ShapeError `E_SHAPE_AXIS` (out of range, not an integer), `E_SHAPE_AXIS_REPEATED`.
 * @example
 * ```ts
 * normalizeAxes([-1, 0], 3); // [0, 2]
 * normalizeAxes(null, 2);    // [0, 1]
 * normalizeAxes(undefined, 0); // []
 * ```
 */
export function normalizeAxes(axis: AxisOption | undefined, ndim: number): number[] {
  if (axis === undefined) return ndim === 0 ? [] : [0];
  if (axis === null) return [...Array(ndim).keys()];
  if (typeof axis === 'number') {
    if (ndim === 0 && (axis === 0 || axis === -1)) return [];
    return [checkAxis(axis, ndim)];
  }
  if (!Array.isArray(axis)) {
    throw new ShapeError('E_SHAPE_AXIS', `axis must be an integer, an array of integers or null, got ${String(axis)}`);
  }
  const out: number[] = [];
  for (const a of axis) {
    const n = checkAxis(a, ndim);
    if (out.includes(n)) throw new ShapeError('E_SHAPE_AXIS_REPEATED', "duplicate value in 'axis'");
    out.push(n);
  }
  return out.sort((x, y) => x - y);
}

/**
 * The one axis of `accumulate` / `reduceat` (`null` is allowed for 1-d arrays only).
 *
 * @throws ValueError `E_VALUE_AXES` when several axes are given; ShapeError as {@link normalizeAxes}.
 */
export function singleAxis(axis: AxisOption | undefined, ndim: number, method: string): number {
  const axes = normalizeAxes(axis ?? (axis === null ? null : 0), ndim);
  if (axes.length !== 1) throw new ValueError('E_VALUE_AXES', `${method} does not allow multiple axes`);
  return axes[0]!;
}
