/**
 * THE intrinsics table: every `Math.*` (and `Number.*`) function and constant a kernel may
 * use, with its type rule and its spelling in each emitter. Adding an intrinsic is one row
 * here (+ a test); nothing else in the compiler names Math functions.
 *
 * Type rules (applied by infer.ts, which inserts the casts the rule asks for):
 *   float1   one argument, computed in float: float32 stays float32, anything else is
 *            float64 (JavaScript computes Math.sin(int) in double); result = that float;
 *   float2   two arguments, computed in the promotion of both, float64 unless both are
 *            float32;
 *   same     floor/ceil/trunc/round/abs/sign: floats stay their type; integers keep their
 *            type (floor/ceil/trunc/round of an integer is the integer itself, so infer
 *            drops the call; abs wraps: abs(int8 -128) is -128, as a wrapped JS result);
 *            bool is int32;
 *   minmax   n >= 1 arguments promoted together (NumPy rules, literals weak); JavaScript's
 *            NaN propagation and -0 < +0 for floats (Wasm's f64.min/max agree);
 *   int32    imul/clz32: arguments through JavaScript's ToInt32 (ToUint32 for clz32):
 *            integers and bools wrapped, floats by the IR's `toint32`; result int32;
 *   predicate isNaN/isFinite: float argument (integers are cast to float64), result bool;
 *   fround   Math.fround(x): a cast to float32 (no call node);
 *   ldexp    nb.math.ldexp(x, n): x as float1, n an integer (a float exponent is rejected, as
 *            NumPy has no such loop) cast to int32, wider integers first clamped to int32's
 *            range (NumPy's int64 loop).
 * Spellings: `as` (AssemblyScript: `Math.*` for f64, `Mathf.*` for f32, AS builtins for
 * integers), `js` (the reference emitter; float32 results are `Math.fround`ed, which is
 * exact for sqrt and the rounding functions and within 1 ULP of AS's Mathf for the
 * transcendentals), `wgsl` (WGSL: the built-in where it has the kernel language's meaning
 * on f32/i32/u32, else a call of a prelude helper, emit/wgsl/prelude.ts, for what WGSL
 * lacks or spells differently; absent where the gpu target has no form, which
 * ir/passes/validate-target.ts reports), `simd` (a v128 spelling for the contiguous fast
 * path). The emitters print these spellings and nothing else: no emitter names a Math
 * function.
 */
import type { DType } from '../../dtype/dtypes.js';
import { clamp, copysign, deg2rad, erf, erfc, gamma, ldexp, lgamma, nextafter, rad2deg, sinc } from '../../math/index.js';
import { asType, is64, isFloatType, isUnsigned } from './types.js';

export type TypeRule = 'float1' | 'float2' | 'same' | 'minmax' | 'int32' | 'predicate' | 'fround' | 'ldexp';

/** Argument type `t` (after the rule's casts) and result type `r` for a spelling. */
export interface SpellTypes {
  readonly t: DType;
  readonly r: DType;
}

/**
 * How a WGSL spelling calls a prelude helper (`nb_powf`, ...): the emitter spells the call
 * and records that the shader needs the helper's source.
 */
export type WgslHelperCall = (helper: string, args: readonly string[]) => string;

export interface Intrinsic {
  /** Canonical name used in IR call nodes (`'sin'`). */
  readonly name: string;
  readonly rule: TypeRule;
  /** Argument count: exact, or [min, max] (max Infinity for n-ary). */
  readonly arity: number | readonly [number, number];
  readonly as: (ty: SpellTypes, args: readonly string[]) => string;
  readonly js: (ty: SpellTypes, args: readonly string[]) => string;
  readonly wgsl?: (ty: SpellTypes, args: readonly string[], helper: WgslHelperCall) => string;
  /** v128 spelling on float lanes, when the contiguous SIMD path may use it. */
  readonly simd?: (t: DType, args: readonly string[]) => string;
  /** An nb.math function (called as `nb.math.<name>`, not `Math.<name>`: frontend/numbats-names.ts). */
  readonly nbMath?: true;
  /** Its value on literal (float64) arguments, for folding; Math.<name> when absent. */
  readonly fold?: (...args: number[]) => number;
}

const fround = (t: DType, e: string) => (t === 'float32' ? `Math.fround(${e})` : e);
const asMath = (t: DType) => (t === 'float32' ? 'Mathf' : 'Math');

/** WGSL's own built-in of that name. */
const wgslBuiltin = (name: string): Intrinsic['wgsl'] => (_, a) => `${name}(${a.join(', ')})`;
/** A prelude helper: WGSL lacks the function, or its own is too far from the cpu target's. */
const wgslHelper = (helper: string): Intrinsic['wgsl'] => (_, a, call) => call(helper, a);

/** A float function of one or two arguments, the same name in AS and JS. */
function floatFn(name: string, arity: 1 | 2, wgsl: Intrinsic['wgsl']): Intrinsic {
  return {
    name, rule: arity === 1 ? 'float1' : 'float2', arity, wgsl,
    as: ({ t }, a) => `${asMath(t)}.${name}(${a.join(', ')})`,
    js: ({ t }, a) => fround(t, `Math.${name}(${a.join(', ')})`),
  };
}

/**
 * sin / cos / tan: float32 is computed in float64 and rounded once (as the JS tier does:
 * `Math.fround(Math.sin(x))`), not by AS's Mathf: its float32 argument reduction for |x| >=
 * pi * 2^28 is off by hundreds of ULPs, some results of the wrong sign (found by the math
 * library's tests, test/runtime/math-library.test.ts); a float64 reduction of a float32 value
 * is exact, and one rounding of the float64 result is within 1 ULP of the true value.
 */
function trig(name: 'sin' | 'cos' | 'tan'): Intrinsic {
  const row = floatFn(name, 1, wgslHelper(`nb_${name}f`));
  return { ...row, as: ({ t }, a) => (t === 'float32' ? `<f32>Math.${name}(<f64>${a[0]})` : `Math.${name}(${a[0]})`) };
}

/** floor / ceil / trunc: only floats reach the emitters (infer drops the call on integers). */
function rounding(name: 'floor' | 'ceil' | 'trunc'): Intrinsic {
  return {
    name, rule: 'same', arity: 1, wgsl: wgslBuiltin(name),
    as: ({ t }, a) => `${asMath(t)}.${name}(${a[0]})`,
    js: (_, a) => `Math.${name}(${a[0]})`,
    simd: (t, a) => `v128.${name}<${asType(t)}>(${a[0]})`,
  };
}

function minmax(name: 'min' | 'max'): Intrinsic {
  return {
    name, rule: 'minmax', arity: [1, Infinity],
    as: ({ r }, a) => a.reduce((acc, x) => (isFloatType(r) ? `${asMath(r)}.${name}(${acc}, ${x})` : `${name}<${asType(r)}>(${acc}, ${x})`)),
    js: ({ r }, a) => (is64(r) ? `rt.${name}Big(${a.join(', ')})` : `Math.${name}(${a.join(', ')})`),
    // WGSL's float min/max need not propagate NaN or order -0 < +0 (the prelude's do).
    wgsl: ({ r }, a, call) => a.reduce((acc, x) => (isFloatType(r) ? call(`nb_${name}f`, [acc, x]) : `${name}(${acc}, ${x})`)),
    simd: (t, a) => a.reduce((acc, x) => `v128.${name}<${asType(t)}>(${acc}, ${x})`),
  };
}

/** NumPy's float32 deg2rad / rad2deg constants: pi and 180 as float32, divided in float32. */
const DEG2RAD_F32 = Math.fround(Math.fround(Math.PI) / 180);
const RAD2DEG_F32 = Math.fround(180 / Math.fround(Math.PI));

/**
 * An nb.math function of one float: AS `__nb_<name>` (float64; a float32 argument is widened
 * and the result rounded), JS `rt.<name>` (Math.fround for float32), WGSL `nb_<name>f`.
 */
function nbMathFloat(name: string, fold: (x: number) => number): Intrinsic {
  return {
    name, rule: 'float1', arity: 1, nbMath: true, fold, wgsl: wgslHelper(`nb_${name}f`),
    as: ({ t }, a) => (t === 'float32' ? `<f32>__nb_${name}(<f64>${a[0]})` : `__nb_${name}(${a[0]})`),
    js: ({ t }, a) => fround(t, `rt.${name}(${a[0]})`),
  };
}

const ROWS: readonly Intrinsic[] = [
  // WGSL's asin ... atanh are within WGSL's error bounds but far from the cpu target's near
  // 0 (prelude.ts), its exp/log/sin/cos/tan/cosh loose or adapter-defined at special values
  // (elementary-prelude.ts); pow follows JavaScript's special cases; the rest WGSL lacks.
  trig('sin'), trig('cos'), trig('tan'),
  floatFn('asin', 1, wgslHelper('nb_asinf')), floatFn('acos', 1, wgslHelper('nb_acosf')), floatFn('atan', 1, wgslHelper('nb_atanf')),
  floatFn('sinh', 1, wgslHelper('nb_sinhf')), floatFn('cosh', 1, wgslHelper('nb_coshf')), floatFn('tanh', 1, wgslHelper('nb_tanhf')),
  floatFn('asinh', 1, wgslHelper('nb_asinhf')), floatFn('acosh', 1, wgslHelper('nb_acoshf')), floatFn('atanh', 1, wgslHelper('nb_atanhf')),
  floatFn('exp', 1, wgslHelper('nb_expf')), floatFn('expm1', 1, wgslHelper('nb_expm1f')),
  floatFn('log', 1, wgslHelper('nb_logf')), floatFn('log1p', 1, wgslHelper('nb_log1pf')),
  floatFn('log2', 1, wgslHelper('nb_log2f')), floatFn('log10', 1, wgslHelper('nb_log10f')), floatFn('cbrt', 1, wgslHelper('nb_cbrtf')),
  {
    ...floatFn('sqrt', 1, wgslBuiltin('sqrt')),
    simd: (t, a) => `v128.sqrt<${asType(t)}>(${a[0]})`,
  },
  floatFn('atan2', 2, wgslHelper('nb_atan2f')), floatFn('pow', 2, wgslHelper('nb_powf')), floatFn('hypot', 2, wgslHelper('nb_hypotf')),
  rounding('floor'), rounding('ceil'), rounding('trunc'),
  {
    // JavaScript's rule: the nearest integer, halves toward +Infinity, -0 kept (prelude helper).
    name: 'round', rule: 'same', arity: 1, wgsl: wgslHelper('nb_roundf'),
    as: ({ t }, a) => `__round_${asType(t)}(${a[0]})`,
    js: ({ t }, a) => fround(t, `Math.round(${a[0]})`),
  },
  {
    name: 'abs', rule: 'same', arity: 1,
    wgsl: ({ t }, a) => (t === 'uint32' ? a[0]! : `abs(${a[0]})`),
    as: ({ t }, a) => (isFloatType(t) ? `${asMath(t)}.abs(${a[0]})` : isUnsigned(t) ? a[0]! : `<${asType(t)}>abs<${asType(t)}>(${a[0]})`),
    js: ({ t }, a) => (isFloatType(t) ? `Math.abs(${a[0]})` : `rt.wrap_${t}(${is64(t) ? `rt.absBig(${a[0]})` : `Math.abs(${a[0]})`})`),
    simd: (t, a) => `v128.abs<${asType(t)}>(${a[0]})`,
  },
  {
    name: 'sign', rule: 'same', arity: 1,
    // JavaScript's sign keeps NaN and -0, which WGSL's float sign need not (the prelude's does); u32 has none.
    wgsl: ({ t }, a, call) => (isFloatType(t) ? call('nb_signf', a) : t === 'uint32' ? `select(0u, 1u, ${a[0]} > 0u)` : `sign(${a[0]})`),
    as: ({ t }, a) => (isFloatType(t) ? `${asMath(t)}.sign(${a[0]})`
      : `<${asType(t)}>(<i32>(${a[0]} > <${asType(t)}>0) - <i32>(${a[0]} < <${asType(t)}>0))`),
    js: ({ t }, a) => (is64(t) ? `rt.signBig(${a[0]})` : `Math.sign(${a[0]})`),
  },
  minmax('min'), minmax('max'),
  {
    name: 'imul', rule: 'int32', arity: 2,
    wgsl: (_, a) => `(${a[0]} * ${a[1]})`,
    as: (_, a) => `(${a[0]} * ${a[1]})`,
    js: (_, a) => `Math.imul(${a[0]}, ${a[1]})`,
  },
  {
    name: 'clz32', rule: 'int32', arity: 1,
    wgsl: (_, a) => `i32(countLeadingZeros(u32(${a[0]})))`,
    as: (_, a) => `<i32>clz<u32>(${a[0]})`,
    js: (_, a) => `Math.clz32(${a[0]})`,
  },
  {
    name: 'isNaN', rule: 'predicate', arity: 1, wgsl: wgslHelper('nb_isnan'),
    as: ({ t }, a) => `isNaN<${asType(t)}>(${a[0]})`,
    js: (_, a) => `Number.isNaN(${a[0]})`,
  },
  {
    name: 'isFinite', rule: 'predicate', arity: 1, wgsl: wgslHelper('nb_isfinite'),
    as: ({ t }, a) => `isFinite<${asType(t)}>(${a[0]})`,
    js: (_, a) => `Number.isFinite(${a[0]})`,
  },
  { name: 'fround', rule: 'fround', arity: 1, as: (_, a) => a[0]!, js: (_, a) => a[0]!, wgsl: (_, a) => a[0]! },
  // ---- nb.math (src/math/): the kernels compute plain JS's bits. AS: the same algorithm in
  // float64 (emit/assemblyscript/math-prelude.ts), float32 rounding that result; JS: the very
  // functions of src/math (rt.*); WGSL: float32 versions (emit/wgsl/math-prelude.ts).
  nbMathFloat('erf', erf), nbMathFloat('erfc', erfc), nbMathFloat('gamma', gamma), nbMathFloat('lgamma', lgamma),
  nbMathFloat('sinc', sinc),
  {
    // NumPy's loops: x * (pi / 180) with the constant rounded in the loop's dtype.
    name: 'deg2rad', rule: 'float1', arity: 1, nbMath: true, fold: deg2rad,
    as: ({ t }, a) => `(${a[0]} * ${t === 'float32' ? `<f32>${DEG2RAD_F32}` : String(Math.PI / 180)})`,
    js: ({ t }, a) => (t === 'float32' ? `Math.fround(${a[0]} * ${DEG2RAD_F32})` : `(${a[0]} * ${Math.PI / 180})`),
    wgsl: (_, a) => `(${a[0]} * ${DEG2RAD_F32}f)`,
  },
  {
    name: 'rad2deg', rule: 'float1', arity: 1, nbMath: true, fold: rad2deg,
    as: ({ t }, a) => `(${a[0]} * ${t === 'float32' ? `<f32>${RAD2DEG_F32}` : String(180 / Math.PI)})`,
    js: ({ t }, a) => (t === 'float32' ? `Math.fround(${a[0]} * ${RAD2DEG_F32})` : `(${a[0]} * ${180 / Math.PI})`),
    wgsl: (_, a) => `(${a[0]} * ${RAD2DEG_F32}f)`,
  },
  {
    name: 'copysign', rule: 'float2', arity: 2, nbMath: true, fold: copysign,
    as: ({ t }, a) => `copysign<${asType(t)}>(${a[0]}, ${a[1]})`,
    js: (_, a) => `rt.copysign(${a[0]}, ${a[1]})`,
    wgsl: wgslHelper('nb_copysignf'),
  },
  {
    // The float32 step is a float32 ulp (NumPy's float32 loop), not a rounded float64 step.
    name: 'nextafter', rule: 'float2', arity: 2, nbMath: true, fold: nextafter,
    as: ({ t }, a) => `__nb_nextafter${t === 'float32' ? '32' : '64'}(${a[0]}, ${a[1]})`,
    js: ({ t }, a) => `rt.${t === 'float32' ? 'nextafter32' : 'nextafter'}(${a[0]}, ${a[1]})`,
    wgsl: wgslHelper('nb_nextafterf'),
  },
  {
    // Rounded once (musl's scalbn in AS; float32 from the exact float64 product, the same value).
    name: 'ldexp', rule: 'ldexp', arity: 2, nbMath: true, fold: ldexp,
    as: ({ t }, a) => `${asMath(t)}.scalbn(${a[0]}, ${a[1]})`,
    js: ({ t }, a) => fround(t, `rt.ldexp(${a[0]}, ${a[1]})`),
    wgsl: wgslHelper('nb_ldexpf'),
  },
  {
    // min(max(x, lo), hi) with the minmax rule's types and NaN / signed-zero meaning.
    name: 'clamp', rule: 'minmax', arity: 3, nbMath: true, fold: (x, lo, hi) => clamp(x!, lo!, hi!),
    as: ({ r }, a) => (isFloatType(r) ? `${asMath(r)}.min(${asMath(r)}.max(${a[0]}, ${a[1]}), ${a[2]})` : `min<${asType(r)}>(max<${asType(r)}>(${a[0]}, ${a[1]}), ${a[2]})`),
    js: ({ r }, a) => (is64(r) ? `rt.minBig(rt.maxBig(${a[0]}, ${a[1]}), ${a[2]})` : `Math.min(Math.max(${a[0]}, ${a[1]}), ${a[2]})`),
    wgsl: ({ r }, a, call) => (isFloatType(r) ? call('nb_minf', [call('nb_maxf', [a[0]!, a[1]!]), a[2]!]) : `min(max(${a[0]}, ${a[1]}), ${a[2]})`),
  },
];

/** Intrinsics by canonical name. */
export const INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map(ROWS.map((r) => [r.name, r]));

/** Source spellings → canonical name: `Math.sin`, and the Number / global predicates. */
const CALLABLE: ReadonlyMap<string, string> = new Map<string, string>([
  ...ROWS.filter((r) => r.rule !== 'predicate' && !r.nbMath).map((r) => [`Math.${r.name}`, r.name] as [string, string]),
  ['Number.isNaN', 'isNaN'], ['isNaN', 'isNaN'], ['Number.isFinite', 'isFinite'], ['isFinite', 'isFinite'],
]);

/** The canonical intrinsic a callee spelling (`'Math.sin'`) names, or undefined. */
export function lookupCallable(spelling: string): string | undefined {
  return CALLABLE.get(spelling);
}

/** Constants: `Math.PI`, ..., `Number.EPSILON`, ..., `Infinity`, `NaN`. They are weak floats (or ints). */
export const CONSTANTS: ReadonlyMap<string, number> = new Map<string, number>([
  ['Math.PI', Math.PI], ['Math.E', Math.E], ['Math.LN2', Math.LN2], ['Math.LN10', Math.LN10],
  ['Math.LOG2E', Math.LOG2E], ['Math.LOG10E', Math.LOG10E], ['Math.SQRT2', Math.SQRT2], ['Math.SQRT1_2', Math.SQRT1_2],
  ['Number.EPSILON', Number.EPSILON], ['Number.MAX_VALUE', Number.MAX_VALUE], ['Number.MIN_VALUE', Number.MIN_VALUE],
  ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER], ['Number.MIN_SAFE_INTEGER', Number.MIN_SAFE_INTEGER],
  ['Number.POSITIVE_INFINITY', Infinity], ['Number.NEGATIVE_INFINITY', -Infinity], ['Number.NaN', NaN],
  ['Infinity', Infinity], ['NaN', NaN],
]);

/** Names the SIMD path accepts (besides + - * / and unary minus). */
export function simdSpelling(name: string): Intrinsic['simd'] {
  return INTRINSICS.get(name)?.simd;
}

/** How the kernel language spells an intrinsic, for messages: `Math.sin`, `nb.math.erf`. */
export function intrinsicSpelling(name: string): string {
  return INTRINSICS.get(name)?.nbMath ? `nb.math.${name}` : `Math.${name}`;
}
