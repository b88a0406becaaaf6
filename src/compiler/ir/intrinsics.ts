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
 *   int32    imul/clz32: integer (or bool) arguments, wrapped to int32 (uint32 for clz32),
 *            result int32; float arguments are rejected (JS's ToInt32 differs from a cast);
 *   predicate isNaN/isFinite: float argument (integers are cast to float64), result bool;
 *   fround   Math.fround(x): a cast to float32 (no call node).
 * Spellings: `as` (AssemblyScript: `Math.*` for f64, `Mathf.*` for f32, AS builtins for
 * integers), `js` (the reference emitter; float32 results are `Math.fround`ed, which is
 * exact for sqrt and the rounding functions and within 1 ULP of AS's Mathf for the
 * transcendentals), `wgsl` (the function's WGSL name, null where WGSL lacks it and a
 * polyfill will be needed), `simd` (a v128 spelling for the contiguous fast path).
 */
import type { DType } from '../../dtype/dtypes.js';
import { asType, is64, isFloatType, isUnsigned } from './types.js';

export type TypeRule = 'float1' | 'float2' | 'same' | 'minmax' | 'int32' | 'predicate' | 'fround';

/** Argument type `t` (after the rule's casts) and result type `r` for a spelling. */
export interface SpellTypes {
  readonly t: DType;
  readonly r: DType;
}

export interface Intrinsic {
  /** Canonical name used in IR call nodes (`'sin'`). */
  readonly name: string;
  readonly rule: TypeRule;
  /** Argument count: exact, or [min, max] (max Infinity for n-ary). */
  readonly arity: number | readonly [number, number];
  readonly as: (ty: SpellTypes, args: readonly string[]) => string;
  readonly js: (ty: SpellTypes, args: readonly string[]) => string;
  readonly wgsl: string | null;
  /** v128 spelling on float lanes, when the contiguous SIMD path may use it. */
  readonly simd?: (t: DType, args: readonly string[]) => string;
}

const fround = (t: DType, e: string) => (t === 'float32' ? `Math.fround(${e})` : e);
const asMath = (t: DType) => (t === 'float32' ? 'Mathf' : 'Math');

/** A float function of one or two arguments, the same name everywhere. */
function floatFn(name: string, arity: 1 | 2, wgsl: string | null): Intrinsic {
  return {
    name, rule: arity === 1 ? 'float1' : 'float2', arity, wgsl,
    as: ({ t }, a) => `${asMath(t)}.${name}(${a.join(', ')})`,
    js: ({ t }, a) => fround(t, `Math.${name}(${a.join(', ')})`),
  };
}

/** floor / ceil / trunc: only floats reach the emitters (infer drops the call on integers). */
function rounding(name: 'floor' | 'ceil' | 'trunc'): Intrinsic {
  return {
    name, rule: 'same', arity: 1, wgsl: name,
    as: ({ t }, a) => `${asMath(t)}.${name}(${a[0]})`,
    js: (_, a) => `Math.${name}(${a[0]})`,
    simd: (t, a) => `v128.${name}<${asType(t)}>(${a[0]})`,
  };
}

function minmax(name: 'min' | 'max'): Intrinsic {
  return {
    name, rule: 'minmax', arity: [1, Infinity], wgsl: name,
    as: ({ r }, a) => a.reduce((acc, x) => (isFloatType(r) ? `${asMath(r)}.${name}(${acc}, ${x})` : `${name}<${asType(r)}>(${acc}, ${x})`)),
    js: ({ r }, a) => (is64(r) ? `rt.${name}Big(${a.join(', ')})` : `Math.${name}(${a.join(', ')})`),
    simd: (t, a) => a.reduce((acc, x) => `v128.${name}<${asType(t)}>(${acc}, ${x})`),
  };
}

const ROWS: readonly Intrinsic[] = [
  floatFn('sin', 1, 'sin'), floatFn('cos', 1, 'cos'), floatFn('tan', 1, 'tan'),
  floatFn('asin', 1, 'asin'), floatFn('acos', 1, 'acos'), floatFn('atan', 1, 'atan'),
  floatFn('sinh', 1, 'sinh'), floatFn('cosh', 1, 'cosh'), floatFn('tanh', 1, 'tanh'),
  floatFn('asinh', 1, 'asinh'), floatFn('acosh', 1, 'acosh'), floatFn('atanh', 1, 'atanh'),
  floatFn('exp', 1, 'exp'), floatFn('expm1', 1, null), floatFn('log', 1, 'log'), floatFn('log1p', 1, null),
  floatFn('log2', 1, 'log2'), floatFn('log10', 1, null), floatFn('cbrt', 1, null),
  {
    ...floatFn('sqrt', 1, 'sqrt'),
    simd: (t, a) => `v128.sqrt<${asType(t)}>(${a[0]})`,
  },
  floatFn('atan2', 2, 'atan2'), floatFn('pow', 2, 'pow'), floatFn('hypot', 2, null),
  rounding('floor'), rounding('ceil'), rounding('trunc'),
  {
    // JavaScript's rule: the nearest integer, halves toward +Infinity, -0 kept (prelude helper).
    name: 'round', rule: 'same', arity: 1, wgsl: null,
    as: ({ t }, a) => `__round_${asType(t)}(${a[0]})`,
    js: ({ t }, a) => fround(t, `Math.round(${a[0]})`),
  },
  {
    name: 'abs', rule: 'same', arity: 1, wgsl: 'abs',
    as: ({ t }, a) => (isFloatType(t) ? `${asMath(t)}.abs(${a[0]})` : isUnsigned(t) ? a[0]! : `<${asType(t)}>abs<${asType(t)}>(${a[0]})`),
    js: ({ t }, a) => (isFloatType(t) ? `Math.abs(${a[0]})` : `rt.wrap_${t}(${is64(t) ? `rt.absBig(${a[0]})` : `Math.abs(${a[0]})`})`),
    simd: (t, a) => `v128.abs<${asType(t)}>(${a[0]})`,
  },
  {
    name: 'sign', rule: 'same', arity: 1, wgsl: 'sign',
    as: ({ t }, a) => (isFloatType(t) ? `${asMath(t)}.sign(${a[0]})`
      : `<${asType(t)}>(<i32>(${a[0]} > <${asType(t)}>0) - <i32>(${a[0]} < <${asType(t)}>0))`),
    js: ({ t }, a) => (is64(t) ? `rt.signBig(${a[0]})` : `Math.sign(${a[0]})`),
  },
  minmax('min'), minmax('max'),
  {
    name: 'imul', rule: 'int32', arity: 2, wgsl: null,
    as: (_, a) => `(${a[0]} * ${a[1]})`,
    js: (_, a) => `Math.imul(${a[0]}, ${a[1]})`,
  },
  {
    name: 'clz32', rule: 'int32', arity: 1, wgsl: 'countLeadingZeros',
    as: (_, a) => `<i32>clz<u32>(${a[0]})`,
    js: (_, a) => `Math.clz32(${a[0]})`,
  },
  {
    name: 'isNaN', rule: 'predicate', arity: 1, wgsl: null,
    as: ({ t }, a) => `isNaN<${asType(t)}>(${a[0]})`,
    js: (_, a) => `Number.isNaN(${a[0]})`,
  },
  {
    name: 'isFinite', rule: 'predicate', arity: 1, wgsl: null,
    as: ({ t }, a) => `isFinite<${asType(t)}>(${a[0]})`,
    js: (_, a) => `Number.isFinite(${a[0]})`,
  },
  { name: 'fround', rule: 'fround', arity: 1, wgsl: null, as: (_, a) => a[0]!, js: (_, a) => a[0]! },
];

/** Intrinsics by canonical name. */
export const INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map(ROWS.map((r) => [r.name, r]));

/** Source spellings → canonical name: `Math.sin`, and the Number / global predicates. */
const CALLABLE: ReadonlyMap<string, string> = new Map<string, string>([
  ...ROWS.filter((r) => r.rule !== 'predicate').map((r) => [`Math.${r.name}`, r.name] as [string, string]),
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
