/**
 * Turn a shape and the strides of several operands into the smallest equivalent loop nest
 * (the stdlib "fast-path ladder", done once here for every caller):
 *   1. drop size-1 dims (they contribute nothing whatever their stride);
 *   2. order dims by the reference operand's |stride|, largest outermost, so the innermost
 *      loop walks memory with the smallest step (NumPy's K order);
 *   3. merge neighbouring dims that every operand walks as one (stride[i] == stride[i+1] * shape[i+1]).
 * A C-contiguous copy thus becomes one 1-d loop, and `a.T` copied into a C-ordered output
 * is ordered by the output. Strides are in elements; the innermost dim is last.
 */

export interface IterationPlan {
  /** Loop extents, outermost first. Empty for a single element. */
  readonly shape: number[];
  /** Per operand, one stride per loop dim. */
  readonly strides: number[][];
  /** Total number of elements (0 when any dim is 0). */
  readonly size: number;
}

/**
 * Simplify a loop nest over `shape` for operands with `strides`, ordered by operand `ref`.
 *
 * @example
 * ```ts
 * simplifyPlan([2, 3], [[3, 1], [3, 1]]); // { shape: [6], strides: [[1], [1]], size: 6 }
 * ```
 */
export function simplifyPlan(shape: readonly number[], strides: readonly (readonly number[])[], ref = strides.length - 1): IterationPlan {
  let size = 1;
  for (const d of shape) size *= d;
  if (size === 0) return { shape: [0], strides: strides.map(() => [0]), size: 0 };
  const dims: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) dims.push(i);
  const refStrides = strides[ref]!;
  // Stable sort: larger |stride| outermost; ties keep the original (C) order.
  dims.sort((a, b) => Math.abs(refStrides[b]!) - Math.abs(refStrides[a]!) || a - b);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of dims) {
    const n = outShape.length;
    const mergeable =
      n > 0 && strides.every((s, k) => outStrides[k]![n - 1] === s[d]! * shape[d]!);
    if (mergeable) {
      outShape[n - 1]! *= shape[d]!;
      strides.forEach((s, k) => (outStrides[k]![n - 1] = s[d]!));
    } else {
      outShape.push(shape[d]!);
      strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  return { shape: outShape, strides: outStrides, size };
}
