/**
 * numbats: NumPy-style ndarrays and ufuncs for TypeScript, compiled to WebAssembly.
 *
 * ```ts
 * import * as nb from 'numbats';
 * const a = nb.arange(6, undefined, undefined, 'float64').reshape([2, 3]);
 * console.log(a.T.toString());
 * ```
 *
 * @packageDocumentation
 */
export {
  DTYPES, DTYPE_NAMES, normalizeDType,
  type DType, type DTypeAlias, type DTypeLike, type DTypeKind, type DTypeInfo, type Scalar, type ScalarOf,
  type TypedArrayOf, type AnyTypedArray, type TypedArrayCtor,
} from './dtype/dtypes.js';
export { promoteTypes, resultType, type DTypeHolder, type ResultTypeArg } from './dtype/promotion.js';
export { canCast, CASTING_MODES, type Casting } from './dtype/casting.js';
export { NDArray, isNDArray, type NestedArray, type CanonicalDType, type AliasMap } from './ndarray/ndarray.js';
export type { StorageKind } from './ndarray/storage.js';
export type { SliceSpec } from './ndarray/views.js';
export {
  array, asarray, empty, zeros, ones, full, arange, linspace, type ArrayLikeInput, type DTypeOption, type DTypeArg,
  type DTypeOrDefault, type NumbersDType, type ScalarsDType,
} from './ndarray/creation.js';
export { broadcastShapes } from './broadcast/broadcast-shapes.js';
export { broadcastTo, broadcastArrays } from './broadcast/broadcast-to.js';
export { fromNdarray } from './interop/scijs.js';
export type { ScijsNdarray, ScijsNdarrayLike, ScijsDataType, ScijsValue } from './interop/scijs-types.js';
export { scope } from './runtime/lifetime.js';
export { heapStats, type HeapStatistics } from './runtime/stats.js';
export {
  NumbatsError, ShapeError, CastingError, DTypeError, IndexError, KernelError, TargetError, MemoryError, ValueError,
} from './util/errors.js';
export * from './builtins/generated/exports.js';
export { math } from './math/index.js';
export type { Ufunc, Ufunc2, UfuncOptions, UfuncInput, UfuncAttributes } from './ufunc/types.js';
export type { BuiltinUfunc1, BuiltinUfunc2, BuiltinUfunc1x2, BuiltinUfunc2x2, BuiltinName } from './builtins/typed-ufunc.js';
export * from './builtins/gufuncs.js';
export type { Gufunc, GufuncOptions } from './ufunc/gufunc.js';
export type { ReduceOptions, AccumulateOptions, AtIndices, AtIndexItem, AxisOption } from './ufunc/ufunc.js';
export { vectorize, guvectorize } from './vectorize/index.js';
export type {
  VectorizeOptions, GuvectorizeOptions, VectorizeDecorator, VectorizeDecoratorFor, GuvectorizeDecoratorFor, VectorizedExtras, GuvectorizedGufunc,
  GpuUfunc, GpuGufunc, GpuVectorizeDecorator,
} from './vectorize/index.js';
export type { Tier, TierOption } from './vectorize/tier-setting.js';
export type { ConstantValue, KernelConstants, TypedArrayConstant } from './compiler/constants.js';
export { KERNEL_DIAGNOSTICS } from './compiler/public.js';
export { stencil } from './stencil/index.js';
export { jit, prange } from './jit/index.js';
export type { JitOptions, JitFunction, JitExtras, JitDecorator, JitInspection, JitSpecialization, JitKernel, Range } from './jit/index.js';
export type { Stencil, GpuStencil, StencilOptions, StencilCallOptions, BoundaryMode, Neighborhood } from './stencil/index.js';
export { toGpu, toCpu, emptyPinned, gpuInfo, gpuAvailable, gpuShutdown, type ToCpuOptions } from './gpu/index.js';
export { config, shutdown, type NumbatsConfig, type ParallelSettings } from './parallel/index.js';
