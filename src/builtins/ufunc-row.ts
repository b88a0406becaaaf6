/**
 * The shape of one row of the built-in ufunc table (NumPy's `Ufunc(...)` in
 * generate_umath.py, as typed data).
 */
import type { Scalar } from '../dtype/dtypes.js';
import type { LoopRow } from './loop-types.js';
import type { ResolverKind } from '../ufunc/dispatch.js';

/**
 * Kernel-language sources of a built-in on the GPU, by the dtype of the loop's first input:
 * `f` float32, `i` int32 (and uint32 when there is no `u`), `u` uint32, `b` bool. The GPU
 * has no other dtypes (float64, 64-bit and 8/16-bit integers stay on the cpu). nb.jit's
 * ufuncs on arrays (src/compiler/frontend/jit-ufunc.ts) use the same sources for every
 * dtype, and `d` for float64 where `f` is spelled for float32 only (a constant rounded as
 * NumPy's float32 loop rounds it).
 */
export type GpuSources = Partial<Record<'f' | 'i' | 'u' | 'b' | 'd', string>>;

export interface UfuncRow {
  /** NumPy's name (`floor_divide`); the table key is numbats' camelCase name. */
  numpy: string;
  nin: 1 | 2;
  nout: 1 | 2;
  /** Value of an empty reduction, or null when there is none (NumPy's `identity`). */
  identity: Scalar | null;
  /**
   * True when reducing over several axes at once is allowed (NumPy: a reorderable ufunc,
   * e.g. add, multiply, maximum; false for subtract, divide, power..., and for every ufunc
   * that cannot reduce at all: unary ones, two outputs, mixed input types).
   */
  reorderable: boolean;
  /** One-line description, shown in the API docs. */
  doc: string;
  /** A TSDoc example body: code lines, results as comments. */
  example: string;
  /**
   * Largest distance from NumPy's float results, in units in the last place of the loop's
   * float type (transcendentals: NumPy runs its own SIMD kernels, numbats AssemblyScript's
   * musl ports). Omitted: the results equal NumPy's bit for bit. The conformance test
   * (test/builtins/conformance.test.ts) holds every loop to it.
   */
  ulps?: number;
  /**
   * The ufunc on the gpu target: kernel-language sources with NumPy's meaning, compiled to
   * WGSL by src/gpu/builtin-kernels.ts for the loop the cpu dispatcher picks. Omitted: the
   * ufunc does not run on gpu arrays (TargetError `E_GPU_NO_KERNEL`).
   */
  gpu?: GpuSources;
  /** How the ufunc picks its loop (src/ufunc/dispatch.ts); defaults to `linear`. */
  resolver?: ResolverKind;
  /** Inner loops in NumPy's order: dispatch takes the first one the inputs fit. */
  loops: LoopRow[];
}
