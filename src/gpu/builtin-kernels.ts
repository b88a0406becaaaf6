/**
 * The built-in ufuncs on the GPU: each table row's `gpu` sources (src/builtins/ufunc-table.ts)
 * are kernel-language code with NumPy's meaning, compiled through the same compiler as user
 * kernels (typed IR → WGSL), for the loop the cpu dispatcher picks (so resolution, weak
 * scalars and casting are NumPy's), when that loop's dtypes are all gpu dtypes (float32
 * int32 uint32 bool).
 *
 * Kinds select the source by the loop's input dtype: `f` float32, `i` int32/uint32, `u`
 * uint32 only, `b` bool. A ufunc or loop without a source is a TargetError `E_GPU_NO_KERNEL`
 * naming what to do. Deviations from NumPy that tests pin: transcendental functions are
 * within a few ulps, not correctly rounded (docs/guide/06-targets.md has the table), a GPU
 * may flush subnormals to zero (WGSL allows it), and NaN payload signs are not kept; special
 * values (NaN, infinities, signed zeros, domain edges) are NumPy's on every adapter
 * (test/gpu/special-values.test.ts on lavapipe, test/browser/gpu-special-values.test.ts on
 * SwiftShader).
 */
import type { DType } from '../dtype/dtypes.js';
import type { GpuSources } from '../builtins/ufunc-row.js';
import { UFUNC_TABLE } from '../builtins/ufunc-table.js';

/** NumPy name → kernel sources by kind, for the rows that have them. */
const BY_NUMPY: ReadonlyMap<string, GpuSources> = new Map(
  Object.values(UFUNC_TABLE).flatMap((row) => ('gpu' in row ? [[row.numpy, row.gpu] as const] : [])),
);

/** The NumPy names of the built-ins that run on the GPU. */
export const GPU_BUILTINS: readonly string[] = [...BY_NUMPY.keys()];

const kindOf = (t: DType): 'f' | 'i' | 'b' => (t === 'float32' ? 'f' : t === 'bool' ? 'b' : 'i');

/**
 * The kernel source of built-in `name` for a loop whose first input has dtype `t`, or null.
 *
 * @example
 * ```ts
 * builtinGpuSource('add', 'float32'); // '(a, b) => a + b'
 * ```
 */
export function builtinGpuSource(name: string, t: DType): string | null {
  const k = BY_NUMPY.get(name);
  if (!k) return null;
  return (t === 'uint32' ? k.u : undefined) ?? k[kindOf(t)] ?? null;
}
