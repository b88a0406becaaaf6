/**
 * JS spellings of typed IR operations: given the spelled operands, the JS expression that
 * computes the operation on the JS emitter's value representation (ir/types.ts). This is
 * the reference meaning of every operation: the JS emitter prints it, and constant folding
 * (ir/passes/fold-constants.ts) evaluates it, so folding can never disagree with the oracle.
 *
 * Conventions: every spelling is parenthesised; integers up to 32 bits are wrapped with
 * `| 0`, `>>> 0`, `<< 24 >> 24`, `& 0xff` ...; int64/uint64 with BigInt.asIntN/asUintN;
 * float32 results with Math.fround (exact for + - * / % sqrt, which double-round safely).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../../ir/intrinsics.js';
import type { BinaryOp, CompareOp, ConstValue, UnaryOp } from '../../ir/nodes.js';
import { bitsOf, is64, isBool, isFloatType, isSigned } from '../../ir/types.js';

/** Wrap a JS expression of an integer type's exact value to the type. */
export function wrap(t: DType, e: string): string {
  switch (t) {
    case 'int8': return `(${e} << 24 >> 24)`;
    case 'uint8': return `(${e} & 255)`;
    case 'int16': return `(${e} << 16 >> 16)`;
    case 'uint16': return `(${e} & 65535)`;
    case 'int32': return `(${e} | 0)`;
    case 'uint32': return `(${e} >>> 0)`;
    case 'int64': return `BigInt.asIntN(64, ${e})`;
    case 'uint64': return `BigInt.asUintN(64, ${e})`;
    case 'float32': return `Math.fround(${e})`;
    default: return `(${e})`;
  }
}

/** A constant in the JS representation of its type. */
export function spellConst(value: ConstValue, t: DType): string {
  if (isBool(t)) return value ? 'true' : 'false';
  if (is64(t)) return `${BigInt(value as bigint)}n`;
  const x = Number(value);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

export function spellUnary(op: UnaryOp, t: DType, argT: DType, a: string): string {
  switch (op) {
    case 'neg': {
      // A negative constant's spelling starts with '-' (spellConst): `--1` would be a decrement.
      const minus = a.startsWith('-') ? `-(${a})` : `-${a}`;
      return isFloatType(t) ? `(${minus})` : wrap(t, minus);
    }
    case 'pos': return a;
    case 'not': return `(!${a})`;
    case 'bitnot': return isSigned(t) ? `(~${a})` : wrap(t, `~${a}`);
    case 'truthy':
      if (isFloatType(argT)) return `rt.truthy(${a})`;
      return is64(argT) ? `(${a} !== 0n)` : `(${a} !== 0)`;
    case 'toint32': return `(${a} | 0)`;
  }
}

export function spellBinary(op: BinaryOp, t: DType, a: string, b: string): string {
  const f = isFloatType(t);
  const big = is64(t);
  switch (op) {
    case 'add': case 'sub': {
      return wrap(t, `${a} ${op === 'add' ? '+' : '-'} ${b}`);
    }
    case 'mul':
      if (t === 'int32') return `Math.imul(${a}, ${b})`;
      if (t === 'uint32') return `(Math.imul(${a}, ${b}) >>> 0)`;
      return wrap(t, `${a} * ${b}`);
    case 'div': return t === 'float32' ? `Math.fround(${a} / ${b})` : `(${a} / ${b})`;
    case 'mod':
      if (f) return t === 'float32' ? `Math.fround(${a} % ${b})` : `(${a} % ${b})`;
      return big ? `rt.bmod(${a}, ${b})` : `rt.imod(${a}, ${b})`;
    case 'pow': return f ? spellCall('pow', t, t, [a, b]) : `rt.ipow_${t}(${a}, ${b})`;
    case 'floordiv': return `rt.floordiv_${t}(${a}, ${b})`;
    case 'truncdiv': return `rt.truncdiv_${t}(${a}, ${b})`;
    case 'band': case 'bor': case 'bxor': {
      if (isBool(t)) return op === 'band' ? `(${a} && ${b})` : op === 'bor' ? `(${a} || ${b})` : `(${a} !== ${b})`;
      const s = op === 'band' ? '&' : op === 'bor' ? '|' : '^';
      return t === 'uint32' ? `((${a} ${s} ${b}) >>> 0)` : `(${a} ${s} ${b})`;
    }
    case 'shl':
      return big ? wrap(t, `${a} << (${b} & 63n)`) : `(${a} << ${b})`;
    case 'shr':
      return big ? `(${a} >> (${b} & 63n))` : `(${a} >> ${b})`;
    case 'ushr':
      return big ? `(${a} >> (${b} & 63n))` : `(${a} >>> ${b})`;
  }
}

const CMP: Readonly<Record<CompareOp, string>> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '===', ne: '!==' };

export function spellCompare(op: CompareOp, a: string, b: string): string {
  return `(${a} ${CMP[op]} ${b})`;
}

/** A conversion from `from` to `to` (NumPy's unsafe cast). */
export function spellCast(from: DType, to: DType, a: string): string {
  if (from === to) return a;
  if (isBool(to)) return isBool(from) ? a : is64(from) ? `(${a} !== 0n)` : `(${a} !== 0)`;
  if (isBool(from)) return is64(to) ? `(${a} ? 1n : 0n)` : `(${a} ? 1 : 0)`;
  if (isFloatType(from)) {
    if (isFloatType(to)) return to === 'float32' ? `Math.fround(${a})` : a;
    return `rt.f2i(${a}, '${to}')`;
  }
  // from an integer
  if (isFloatType(to)) {
    if (is64(from)) return to === 'float64' ? `Number(${a})` : `rt.bigToF32(${a})`;
    return to === 'float32' ? `Math.fround(${a})` : a;
  }
  if (is64(to)) return is64(from) ? wrap(to, a) : isSigned(to) || isSigned(from) ? wrap(to, `BigInt(${a})`) : `BigInt(${a})`;
  if (is64(from)) return `Number(${isSigned(to) ? `BigInt.asIntN(${bitsOf(to)}, ${a})` : `BigInt.asUintN(${bitsOf(to)}, ${a})`})`;
  // Both up to 32 bits: identity when `from`'s range fits `to`'s, else a wrap.
  const fits = (isSigned(from) === isSigned(to) && bitsOf(from) <= bitsOf(to)) || (!isSigned(from) && isSigned(to) && bitsOf(from) < bitsOf(to));
  return fits ? a : wrap(to, a);
}

/** An intrinsic call; `t` is the first argument's type, `r` the result's. */
export function spellCall(fn: string, t: DType, r: DType, args: readonly string[]): string {
  return INTRINSICS.get(fn)!.js({ t, r }, args);
}

export function spellSelect(c: string, a: string, b: string): string {
  return `(${c} ? ${a} : ${b})`;
}

export function spellLogical(op: 'and' | 'or', a: string, b: string): string {
  return `(${a} ${op === 'and' ? '&&' : '||'} ${b})`;
}
