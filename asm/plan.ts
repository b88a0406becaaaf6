/**
 * Reading the iteration plans that `copy` and `fill` take (layout in index.ts's header).
 *
 * A plan is an i32 array: [ndim, shape[0..ndim), operand, operand...] where each operand is
 * [ptr, byteStrides[0..ndim)]. Dimension ndim - 1 is the innermost.
 */

/** Most dimensions a plan may have (NumPy's NPY_MAXDIMS in 1.24). */
export const MAX_DIMS: i32 = 32;

/** Number of dimensions. Outside 0..MAX_DIMS the plan is malformed and the call traps. */
@inline
export function planNdim(plan: usize): i32 {
  const ndim = load<i32>(plan);
  // A trap (WebAssembly.RuntimeError in JS) rather than a walk through arbitrary memory.
  if (<u32>ndim > <u32>MAX_DIMS) unreachable();
  return ndim;
}

/** Address of shape[0]. */
@inline
export function planShape(plan: usize): usize {
  return plan + 4;
}

/** Address of operand k's block ([ptr, strides...]), k = 0 for the first operand. */
@inline
export function planOperand(plan: usize, k: i32): usize {
  const ndim = load<i32>(plan);
  return plan + 4 + (<usize>ndim << 2) + <usize>k * ((<usize>ndim + 1) << 2);
}

/** The i32 at index d of an array at address a (shape entries and strides). */
@inline
export function at(a: usize, d: i32): i32 {
  return load<i32>(a + (<usize>d << 2));
}

/** True when some dimension has length 0 (nothing to do); a negative length counts as 0. */
export function planIsEmpty(shape: usize, ndim: i32): bool {
  for (let d = 0; d < ndim; d++) if (at(shape, d) <= 0) return true;
  return false;
}
