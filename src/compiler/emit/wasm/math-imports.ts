/**
 * The float functions a direct module (emit-module.ts) calls rather than writes out: the
 * intrinsics whose AssemblyScript spelling is a library function (`Math.exp`, `Mathf.pow`,
 * the prelude's `__nb_erf`, `__round_f64`, ...), not one Wasm instruction. A direct module
 * imports each one it uses from the module {@link MATH_MODULE} under {@link mathImport}'s
 * name; the runtime provides that module: numbats' math library, built by asc -O3 from the
 * same AS spellings (ir/intrinsics.ts `as`), so a call gives the bits asc's kernel module
 * gives when it inlines the same function.
 *
 * Names: `<intrinsic>_<AS type>`, e.g. `exp_f64`, `atan2_f32`, `erf_f64`, `ldexp_f32`; and
 * `mod_f64` / `mod_f32` for the float remainder (the IR's binary `mod` on floats, AS `a % b`:
 * fmod, the dividend's sign).
 * Signatures: float1 rules (and `round`, float `sign`) `(t) => t`; float2 `(t, t) => t`;
 * `ldexp` `(t, i32) => t` (the IR has already cast the arguments to these types).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../../ir/intrinsics.js';

/** The import module name of the math library. */
export const MATH_MODULE = 'nbmath';

/** One library function as a direct module imports it. */
export interface MathImport {
  /** Field name in {@link MATH_MODULE}. */
  readonly name: string;
  readonly params: readonly DType[];
  readonly result: DType;
}

/** Intrinsics with one Wasm instruction per float type: written inline, never imported. */
const INLINE = new Set(['sqrt', 'abs', 'min', 'max', 'floor', 'ceil', 'trunc', 'fround', 'clamp', 'isNaN', 'isFinite']);

/**
 * The library function intrinsic `fn` calls on float type `t`, or null when it has none
 * (an instruction, an integer form, or no such intrinsic).
 *
 * @example
 * ```ts
 * mathImport('exp', 'float64'); // { name: 'exp_f64', params: ['float64'], result: 'float64' }
 * mathImport('sqrt', 'float64'); // null (f64.sqrt)
 * ```
 */
export function mathImport(fn: string, t: DType): MathImport | null {
  if (fn === 'mod' && (t === 'float32' || t === 'float64')) return { name: `mod_${t === 'float32' ? 'f32' : 'f64'}`, params: [t, t], result: t };
  const row = INTRINSICS.get(fn);
  if (row === undefined || INLINE.has(fn) || (t !== 'float32' && t !== 'float64')) return null;
  const name = `${fn}_${t === 'float32' ? 'f32' : 'f64'}`;
  switch (row.rule) {
    case 'float1': return { name, params: [t], result: t };
    case 'float2': return { name, params: [t, t], result: t };
    case 'ldexp': return { name, params: [t, 'int32'], result: t };
    case 'same': return fn === 'round' || fn === 'sign' ? { name, params: [t], result: t } : null;
    default: return null;
  }
}

/**
 * Every library function, for the library's build and the runtime's checks.
 *
 * @example
 * ```ts
 * mathImports().some((m) => m.name === 'pow_f32'); // true
 * ```
 */
export function mathImports(): MathImport[] {
  return ['mod', ...INTRINSICS.keys()].flatMap((fn) => (['float32', 'float64'] as const).flatMap((t) => mathImport(fn, t) ?? []));
}
