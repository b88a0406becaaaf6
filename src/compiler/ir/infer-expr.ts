/**
 * Typing rules for expressions (the expression half of infer.ts; the rules are listed in
 * infer.ts's header). Each rule takes untyped children, types them, decides the type the
 * operation computes in, and returns a typed node whose operands carry explicit casts.
 *
 * Values are either typed expressions or weak literals ({@link TV}); weak values stay weak
 * through operations with other weak values (folded with JavaScript's meaning) and take a
 * type only when they meet a typed operand or a typed destination.
 */
import { convertScalar } from '../../dtype/convert-scalar.js';
import type { DType } from '../../dtype/dtypes.js';
import type { DiagnosticCode } from '../frontend/diagnostics.js';
import { INTRINSICS, intrinsicSpelling } from './intrinsics.js';
import type { ArrayRef, BinaryOp, CompareOp, ConstValue, Expr, HelperArrayArg } from './nodes.js';
import { fitsInt, isBool, isFloatType, isIntType, isSigned, promote, unsignedOf, bitsOf } from './types.js';
import { compareWeak, defaultType, exactType, foldWeak, materialize, weakNumber, weakOf, type Weak } from './weak.js';

type U = Expr<null>;
type T = Expr<DType>;

/** A typed value: a typed expression, or a weak literal. */
export type TV = { readonly kind: 'typed'; readonly e: T } | { readonly kind: 'weak'; readonly w: Weak; readonly at: number };

/** What expression typing needs from the function being inferred. */
export interface ExprInfer {
  fail(code: DiagnosticCode, at: number, args?: (string | number)[]): never;
  /** Type of a parameter read as a value. */
  param(index: number, at: number): TV;
  /** Type of a local read (weak for const aliases of literals). */
  local(id: number, at: number): TV;
  load(array: ArrayRef, indices: readonly U[], at: number): T;
  length(array: ArrayRef, axis: number, at: number): T;
  /** A helper call; `arrays`: the caller's arrays passed whole (jit functions). */
  helper(name: string, args: readonly TV[], at: number, arrays?: readonly HelperArrayArg[]): T;
}

export const typed = (e: T): TV => ({ kind: 'typed', e });
const constant = (value: ConstValue, type: DType, at: number): T => ({ kind: 'const', value, type, at });

/** A constant cast with NumPy's unsafe-cast semantics (integer sources wrap exactly). */
export function castConst(value: ConstValue, from: DType, to: DType): ConstValue {
  if (from === to) return value;
  const src = isIntType(from) ? BigInt(value as number | bigint) : value;
  return convertScalar(src, to);
}

/** Cast a typed expression (constants are converted at once). */
export function cast(e: T, to: DType): T {
  if (e.type === to) return e;
  if (e.kind === 'const') return constant(castConst(e.value, e.type, to), to, e.at);
  return { kind: 'cast', arg: e, type: to, at: e.at };
}

/** A value as dtype t: weak values become constants (see weak.ts), typed ones are cast. */
export function as(v: TV, t: DType): T {
  return v.kind === 'weak' ? constant(materialize(v.w, t), t, v.at) : cast(v.e, t);
}

/** Type of a value on its own (weak literals take their default type). */
export const typeOf = (v: TV): DType => (v.kind === 'weak' ? defaultType(v.w) : v.e.type);

/** A concrete expression for a value (weak literals in their default type). */
export const concrete = (v: TV): T => as(v, typeOf(v));

const atOf = (v: TV): number => (v.kind === 'weak' ? v.at : v.e.at);

/**
 * The type two operands compute in.
 * `modular`: + - * and bitwise operators, where a weak int takes the other's type (wrapped);
 * otherwise values must be exact, and a weak int that does not fit widens the type.
 */
export function operandType(a: TV, b: TV, modular: boolean): DType {
  if (a.kind === 'typed' && b.kind === 'typed') return promote(a.e.type, b.e.type);
  if (a.kind === 'weak' && b.kind === 'weak') return promote(defaultType(a.w), defaultType(b.w));
  const [w, t] = a.kind === 'weak' ? [a.w, (b as { e: T }).e.type] : [(b as { w: Weak }).w, (a as { e: T }).e.type];
  if (w.wk === 'float') return isFloatType(t) ? t : 'float64';
  if (isBool(t)) return 'int64';
  if (isFloatType(t) || modular) return t;
  return exactType(w, t, promote);
}

/** A value as a condition: JavaScript truthiness (NaN and ±0 are false). */
export function condition(cx: ExprInfer, e: U): T {
  if (e.kind === 'logical') {
    return { kind: 'logical', op: e.op, left: condition(cx, e.left), right: condition(cx, e.right), type: 'bool', at: e.at };
  }
  if (e.kind === 'unary' && e.op === 'not') return { kind: 'unary', op: 'not', arg: condition(cx, e.arg), type: 'bool', at: e.at };
  return truthy(expr(cx, e));
}

function truthy(v: TV): T {
  if (v.kind === 'weak') return constant(weakNumber(v.w) !== 0 && !Number.isNaN(weakNumber(v.w)), 'bool', v.at);
  if (isBool(v.e.type)) return v.e;
  return { kind: 'unary', op: 'truthy', arg: v.e, type: 'bool', at: v.e.at };
}

/** Type one expression. */
export function expr(cx: ExprInfer, e: U): TV {
  switch (e.kind) {
    case 'const': {
      const w = e.float && typeof e.value === 'number' ? { wk: 'float' as const, value: e.value } : weakOf(e.value);
      return typeof w === 'boolean' ? typed(constant(w, 'bool', e.at)) : { kind: 'weak', w, at: e.at };
    }
    case 'param': return cx.param(e.index, e.at);
    case 'local': return cx.local(e.id, e.at);
    case 'unary': return unary(cx, e);
    case 'binary': return binary(cx, e.op, expr(cx, e.left), expr(cx, e.right), e.at);
    case 'compare': return typed(compare(e.op, expr(cx, e.left), expr(cx, e.right), e.at));
    case 'logical': {
      const l = expr(cx, e.left);
      const r = expr(cx, e.right);
      for (const v of [l, r]) {
        if (v.kind === 'weak' || !isBool(v.e.type)) cx.fail('NB2004', atOf(v), [e.op === 'and' ? '&&' : '||', typeOf(v)]);
      }
      return typed({ kind: 'logical', op: e.op, left: (l as { e: T }).e, right: (r as { e: T }).e, type: 'bool', at: e.at });
    }
    case 'select': {
      const c = condition(cx, e.cond);
      const a = expr(cx, e.then);
      const b = expr(cx, e.else);
      const t = operandType(a, b, false);
      return typed({ kind: 'select', cond: c, then: as(a, t), else: as(b, t), type: t, at: e.at });
    }
    case 'call': return call(cx, e.fn, e.args, e.at);
    case 'helper': return typed(cx.helper(e.name, e.args.map((a) => expr(cx, a)), e.at, e.arrays));
    case 'load': return typed(cx.load(e.array, e.indices, e.at));
    case 'length': return typed(cx.length(e.array, e.axis, e.at));
    case 'cast': return e.to !== undefined ? typed(as(expr(cx, e.arg), e.to)) : cx.fail('NB1036', e.at, ['a cast']);
  }
}

function unary(cx: ExprInfer, e: Extract<U, { kind: 'unary' }>): TV {
  if (e.op === 'not') {
    const c = condition(cx, e.arg);
    if (c.kind === 'const') return typed(constant(!c.value, 'bool', e.at));
    return typed({ kind: 'unary', op: 'not', arg: c, type: 'bool', at: e.at });
  }
  const v = expr(cx, e.arg);
  if (v.kind === 'weak') {
    const w = v.w;
    if (e.op === 'pos') return v;
    if (e.op === 'neg') {
      if (w.wk === 'int' && w.value === 0n) return { kind: 'weak', w: { wk: 'float', value: -0 }, at: e.at };
      return { kind: 'weak', w: w.wk === 'int' ? { wk: 'int', value: -w.value } : { wk: 'float', value: -w.value }, at: e.at };
    }
    if (e.op === 'bitnot') return { kind: 'weak', w: weakOf(~weakNumber(w)) as Weak, at: e.at };
  }
  const x = (v as { e: T }).e;
  const t = isBool(x.type) ? 'int32' : x.type;
  switch (e.op) {
    case 'pos': return typed(cast(x, t));
    case 'neg': return typed({ kind: 'unary', op: 'neg', arg: cast(x, t), type: t, at: e.at });
    case 'bitnot':
      // ~ on a float is JavaScript's: ~ToInt32(x), an int32 (so ~~x truncates to int32).
      if (isFloatType(t)) return typed({ kind: 'unary', op: 'bitnot', arg: toInt32(v), type: 'int32', at: e.at });
      return typed({ kind: 'unary', op: 'bitnot', arg: cast(x, t), type: t, at: e.at });
    default: return cx.fail('NB2001', e.at, [e.op, x.type]);
  }
}

const MODULAR: ReadonlySet<BinaryOp> = new Set(['add', 'sub', 'mul', 'band', 'bor', 'bxor', 'shl', 'shr', 'ushr']);

const node = (op: BinaryOp, a: T, b: T, type: DType, at: number): T => ({ kind: 'binary', op, left: a, right: b, type, at });

/**
 * JavaScript's ToInt32 of a value, as an int32 expression: a float through `toint32` (NaN
 * and ±Infinity are 0, else the truncation modulo 2^32), an integer or bool wrapped to 32
 * bits (which is ToInt32 of its exact value), a literal folded (`2.5 | 0` is 2).
 */
export function toInt32(v: TV): T {
  if (v.kind === 'weak') return constant(v.w.wk === 'int' ? Number(BigInt.asIntN(32, v.w.value)) : v.w.value | 0, 'int32', v.at);
  if (isFloatType(v.e.type)) return { kind: 'unary', op: 'toint32', arg: v.e, type: 'int32', at: v.e.at };
  return cast(v.e, 'int32');
}

/** Type a binary operation (see infer.ts for the rules). */
export function binary(cx: ExprInfer, op: BinaryOp, a: TV, b: TV, at: number): TV {
  if (a.kind === 'weak' && b.kind === 'weak') return { kind: 'weak', w: foldWeak(op, a.w, b.w), at };
  // A weak exponent keeps the base's type (x ** 2); a negative one makes integer powers float.
  if (op === 'pow' && b.kind === 'weak' && a.kind === 'typed') {
    const t = isBool(a.e.type) ? 'int32' : a.e.type;
    if (isIntType(t) && (b.w.wk === 'float' || b.w.value < 0n)) return typed(node('pow', cast(a.e, 'float64'), as(b, 'float64'), 'float64', at));
    if (isFloatType(t) || fitsInt(b.w.value as bigint, t)) return typed(node('pow', cast(a.e, t), as(b, t), t, at));
  }
  let t = operandType(a, b, MODULAR.has(op));
  const bitwise = op === 'band' || op === 'bor' || op === 'bxor';
  if (isBool(t) && !bitwise) t = 'int32';
  // Bitwise operators and shifts with a float operand are JavaScript's: both operands
  // through ToInt32 (the count of a shift, and both sides of >>>, read as uint32), an int32
  // result (uint32 for >>>). So `x | 0` truncates a float to int32 and `x >>> 0` to uint32.
  if (isFloatType(t) && (bitwise || op === 'shl' || op === 'shr' || op === 'ushr')) {
    if (op === 'ushr') return typed(node('ushr', cast(toInt32(a), 'uint32'), cast(toInt32(b), 'uint32'), 'uint32', at));
    return typed(node(op, toInt32(a), toInt32(b), 'int32', at));
  }
  switch (op) {
    case 'add': case 'sub': case 'mul': case 'mod': case 'pow':
      return typed(node(op, as(a, t), as(b, t), t, at));
    case 'div': {
      const f = isFloatType(t) ? t : 'float64';
      return typed(node('div', as(a, f), as(b, f), f, at));
    }
    case 'floordiv': case 'truncdiv':
      return typed(node(op, as(a, t), as(b, t), t, at));
    case 'band': case 'bor': case 'bxor':
      return typed(node(op, as(a, t), as(b, t), t, at));
    case 'shl': case 'shr': case 'ushr': {
      if (op === 'ushr') {
        // JavaScript's >>> gives the unsigned value of the width's bit pattern.
        const u = bitsOf(t) <= 32 ? 'uint32' : unsignedOf(t);
        return typed(node('ushr', cast(as(a, t), u), cast(as(b, t), u), u, at));
      }
      if (bitsOf(t) === 64) return typed(node(op, as(a, t), as(b, t), t, at));
      // <= 32 bits: JavaScript's int32 operation, then wrapped to the operands' type.
      return typed(cast(node(op, cast(as(a, t), 'int32'), cast(as(b, t), 'int32'), 'int32', at), t));
    }
  }
}

/** Type a comparison: operands compared exactly in their promotion; result bool. */
export function compare(op: CompareOp, a: TV, b: TV, at: number): T {
  if (a.kind === 'weak' && b.kind === 'weak') return constant(compareWeak(op, a.w, b.w), 'bool', at);
  let t = operandType(a, b, false);
  if (isBool(t) && op !== 'eq' && op !== 'ne') t = 'int32';
  return { kind: 'compare', op, left: as(a, t), right: as(b, t), operand: t, type: 'bool', at };
}

/** A call of an intrinsic. */
function call(cx: ExprInfer, name: string, uargs: readonly U[], at: number): TV {
  const info = INTRINSICS.get(name)!;
  const [min, max] = typeof info.arity === 'number' ? [info.arity, info.arity] : info.arity;
  if (uargs.length < min || uargs.length > max) {
    cx.fail('NB2009', at, [intrinsicSpelling(name), min === max ? min : `${min} or more`, uargs.length]);
  }
  // Math.floor(a / b) and Math.trunc(a / b) on integers: integer division, no float detour.
  let args: readonly TV[] | undefined;
  if ((name === 'floor' || name === 'trunc') && uargs[0]!.kind === 'binary' && uargs[0]!.op === 'div') {
    const div = uargs[0]!;
    const a = expr(cx, div.left);
    const b = expr(cx, div.right);
    const isInt = (v: TV) => (v.kind === 'weak' ? v.w.wk === 'int' : !isFloatType(v.e.type));
    if (isInt(a) && isInt(b) && !(a.kind === 'weak' && b.kind === 'weak')) {
      // Integer operands with no common integer type (int64 with uint64, or a literal beyond
      // 64 bits) promote to float64: the division is done in float64 and then rounded, as
      // NumPy's floor_divide(int64, uint64) does (its float64 loop).
      if (!isFloatType(operandType(a, b, false))) return binary(cx, name === 'floor' ? 'floordiv' : 'truncdiv', a, b, at);
    }
    args = [binary(cx, 'div', a, b, div.at)];
  }
  args ??= uargs.map((u) => expr(cx, u));
  const weak = args.every((v) => v.kind === 'weak');
  const mk = (t: DType, argT: DType, r: DType = t): TV =>
    typed({ kind: 'call', fn: name, args: args.map((v) => as(v, argT)), type: r, at });
  switch (info.rule) {
    case 'fround': return typed(as(args[0]!, 'float32'));
    case 'float1': {
      if (weak) return { kind: 'weak', w: { wk: 'float', value: evalMath(name, args) }, at };
      const t = typeOf(args[0]!) === 'float32' ? 'float32' : 'float64';
      return mk(t, t);
    }
    case 'float2': {
      if (weak) return { kind: 'weak', w: { wk: 'float', value: evalMath(name, args) }, at };
      const p = operandType(args[0]!, args[1]!, true);
      const t = p === 'float32' ? 'float32' : 'float64';
      return mk(t, t);
    }
    case 'same': {
      if (weak) return { kind: 'weak', w: weakResult(evalMath(name, args), args), at };
      const x = (args[0] as { e: T }).e;
      const t = isBool(x.type) ? 'int32' : x.type;
      if (!isFloatType(t) && (name === 'floor' || name === 'ceil' || name === 'trunc' || name === 'round')) return typed(cast(x, t));
      return mk(t, t);
    }
    case 'minmax': {
      if (weak) return { kind: 'weak', w: weakResult(evalMath(name, args), args), at };
      let t = typeOf(args.find((v) => v.kind === 'typed')!);
      for (const v of args) if (v.kind === 'typed') t = promote(t, v.e.type);
      for (const v of args) if (v.kind === 'weak') t = operandType(v, typed({ kind: 'const', value: 0, type: t, at }), false);
      if (isBool(t)) t = 'int32';
      return mk(t, t);
    }
    case 'int32': {
      if (weak) return { kind: 'weak', w: weakOf(evalMath(name, args)) as Weak, at };
      // JavaScript's ToInt32 (imul) / ToUint32 (clz32) of each argument: floats through
      // toint32, integers and bools wrapped.
      const argT = name === 'clz32' ? 'uint32' : 'int32';
      const arg = (v: TV): T => {
        if (v.kind === 'weak') return v.w.wk === 'float' ? cast(toInt32(v), argT) : as(v, argT);
        if (isFloatType(v.e.type)) return cast(toInt32(v), argT);
        return cast(isBool(v.e.type) ? cast(v.e, 'int32') : v.e, argT);
      };
      return typed({ kind: 'call', fn: name, args: args.map(arg), type: 'int32', at });
    }
    case 'ldexp': return ldexp(cx, args, at);
    case 'predicate': {
      if (weak) return typed(constant(Boolean(evalMath(name, args)), 'bool', at));
      const t = typeOf(args[0]!) === 'float32' ? 'float32' : 'float64';
      return mk(t, t, 'bool');
    }
  }
}

/**
 * The weak value of a folded Math call whose result has its arguments' kind (floor, abs,
 * min, ...): a float when any argument is one (`Math.floor(2.5)` and `Math.max(1.0, 2)`
 * are floats, as Math.floor of a float64 is), else an int when the value is integral.
 */
function weakResult(x: number, args: readonly TV[]): Weak {
  return args.some((v) => v.kind === 'weak' && v.w.wk === 'float') ? { wk: 'float', value: x } : weakOf(x) as Weak;
}

/** JavaScript's own value of a Math (or nb.math) call on weak arguments (compile-time folding). */
function evalMath(name: string, args: readonly TV[]): number {
  const xs = args.map((v) => weakNumber((v as { w: Weak }).w));
  if (name === 'isNaN') return Number(Number.isNaN(xs[0]));
  if (name === 'isFinite') return Number(Number.isFinite(xs[0]));
  const fold = INTRINSICS.get(name)!.fold;
  if (fold) return fold(...xs);
  return (Math as unknown as Record<string, (...a: number[]) => number>)[name]!(...xs);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * nb.math.ldexp(x, n): x computed as float1 (float32 stays float32, else float64); n an
 * integer cast to int32, clamped first when its type reaches past int32 (NumPy's int64 loop
 * gives int32's ends' result); a float exponent is NB2001 (NumPy has no such loop).
 */
function ldexp(cx: ExprInfer, args: readonly TV[], at: number): TV {
  const [x, n] = args as [TV, TV];
  if ((n.kind === 'weak' && n.w.wk === 'float') || (n.kind === 'typed' && isFloatType(n.e.type))) {
    cx.fail('NB2001', atOf(n), ['nb.math.ldexp', `a ${typeOf(n)} exponent (integer exponents only, as NumPy's ldexp)`]);
  }
  if (x.kind === 'weak' && n.kind === 'weak') return { kind: 'weak', w: { wk: 'float', value: evalMath('ldexp', args) }, at };
  const t = typeOf(x) === 'float32' ? 'float32' : 'float64';
  let e: T;
  if (n.kind === 'weak') {
    const k = weakNumber(n.w);
    e = constant(k > INT32_MAX ? INT32_MAX : k < INT32_MIN ? INT32_MIN : k, 'int32', n.at);
  } else {
    const nt = isBool(n.e.type) ? 'int32' : n.e.type;
    let v = cast(n.e, nt);
    const call2 = (fn: 'min' | 'max', a: T, bound: number): T =>
      ({ kind: 'call', fn, args: [a, constant(castConst(bound, 'int32', nt), nt, n.e.at)], type: nt, at: n.e.at });
    if (bitsOf(nt) > 32 || nt === 'uint32') {
      if (isSigned(nt)) v = call2('max', v, INT32_MIN);
      v = call2('min', v, INT32_MAX);
    }
    e = cast(v, 'int32');
  }
  return typed({ kind: 'call', fn: 'ldexp', args: [as(x, t), e], type: t, at });
}
