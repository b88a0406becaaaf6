/**
 * The argument types a jit specialisation is compiled for (src/jit/specialize.ts makes them
 * from the call's arguments); apart from compiler/jit.ts so that its frontend files can read
 * them without an import circle.
 */
import type { DType } from '../dtype/dtypes.js';

/**
 * The type of one jit argument: an NDArray (dtype, ndim, and whether its last axis has unit
 * stride), a TypedArray (1-D, unit stride), an array of an explicit signature (either kind;
 * `contiguous` from `::1`), or a scalar.
 */
export type JitArgType =
  | { readonly kind: 'ndarray'; readonly dtype: DType; readonly ndim: number; readonly contiguous: boolean }
  | { readonly kind: 'typed'; readonly dtype: DType }
  | { readonly kind: 'array'; readonly dtype: DType; readonly ndim: number; readonly contiguous: boolean }
  | { readonly kind: 'scalar'; readonly dtype: DType };
