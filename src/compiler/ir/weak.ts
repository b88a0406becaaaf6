/**
 * Weak literals: numbers written in the kernel (and Math/Number constants) before they meet
 * a typed operand, and their conversion to typed constants.
 *
 * A literal has no dtype of its own (NEP 50's "weak" Python scalars, which JS numbers are);
 * its kind follows the source text, as in Numba and NEP 50:
 *   - a literal written with a decimal point or an exponent (`1.0`, `.5`, `1e3`: the
 *     untyped const's `float` mark, frontend/lower-expr.ts) is a weak float, integral or not;
 *   - any other integer-valued number below 2^53 in magnitude (`1`, `0x10`), or a bigint
 *     literal (`1n`), is a weak int (kept as an exact bigint);
 *   - any other number (`9007199254740993`, already rounded by JavaScript, `Infinity`,
 *     `NaN`, `Math.PI`) is a weak float.
 * Folding keeps the kind JavaScript's value has in the kernel language: int op int is an
 * int (except `/` and results that are -0), anything with a float is a float, bitwise
 * operators give ints (ToInt32).
 * Operations between weak values are folded at compile time with JavaScript's own meaning
 * (bitwise operators on 32 bits, `/` giving a float), see {@link foldWeak}.
 */
import { convertScalar } from '../../dtype/convert-scalar.js';
import type { DType } from '../../dtype/dtypes.js';
import type { BinaryOp, CompareOp, ConstValue } from './nodes.js';
import { bitsOf, fitsInt, is64, isBool, isFloatType, isSigned, minIntType } from './types.js';

export type Weak = { readonly wk: 'int'; readonly value: bigint } | { readonly wk: 'float'; readonly value: number };

/** The weak value of an untyped constant, or a bool (booleans are strong: `bool`). */
export function weakOf(v: ConstValue): Weak | boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return { wk: 'int', value: v };
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 53 && !Object.is(v, -0)) return { wk: 'int', value: BigInt(v) };
  return { wk: 'float', value: v };
}

export const weakNumber = (w: Weak): number => (w.wk === 'int' ? Number(w.value) : w.value);

/** A JS number result as a weak value (integral results of integer operands stay ints). */
function fromNumber(x: number, intOperands: boolean): Weak {
  return intOperands && Number.isInteger(x) && Math.abs(x) < 2 ** 53 && !Object.is(x, -0)
    ? { wk: 'int', value: BigInt(x) }
    : { wk: 'float', value: x };
}

/**
 * Fold `a op b` on two weak values with JavaScript's meaning: integers exactly (bigint) for
 * + - * % **, 32-bit for bitwise operators and shifts (as JS numbers do), a float for `/`.
 */
export function foldWeak(op: BinaryOp, a: Weak, b: Weak): Weak {
  const ints = a.wk === 'int' && b.wk === 'int';
  const x = weakNumber(a);
  const y = weakNumber(b);
  if (ints) {
    const p = a.value as bigint;
    const q = b.value as bigint;
    switch (op) {
      case 'add': return { wk: 'int', value: p + q };
      case 'sub': return { wk: 'int', value: p - q };
      // JavaScript's -0: `-199 * 0` and `-4 % 2` are -0 (a weak float), not the integer 0
      // (found by the fuzzer: `z / (Math.trunc(-199) * Math.sign(0))` gave +Infinity).
      case 'mul': return p * q === 0n && (p < 0n || q < 0n) ? { wk: 'float', value: -0 } : { wk: 'int', value: p * q };
      case 'mod':
        if (q === 0n) return { wk: 'float', value: NaN };
        return p % q === 0n && p < 0n ? { wk: 'float', value: -0 } : { wk: 'int', value: p % q };
      case 'pow': if (q >= 0n && q < 4096n) return { wk: 'int', value: p ** q }; break;
      default: break;
    }
  }
  switch (op) {
    case 'add': return fromNumber(x + y, false);
    case 'sub': return fromNumber(x - y, false);
    case 'mul': return fromNumber(x * y, false);
    case 'div': return { wk: 'float', value: x / y };
    case 'mod': return fromNumber(x % y, false);
    case 'pow': return fromNumber(x ** y, ints);
    case 'band': return fromNumber(x & y, true);
    case 'bor': return fromNumber(x | y, true);
    case 'bxor': return fromNumber(x ^ y, true);
    case 'shl': return fromNumber(x << y, true);
    case 'shr': return fromNumber(x >> y, true);
    case 'ushr': return fromNumber(x >>> y, true);
    case 'floordiv': return fromNumber(Math.floor(x / y), ints);
    case 'truncdiv': return fromNumber(Math.trunc(x / y), ints);
  }
}

/** JavaScript's comparison of two weak values. */
export function compareWeak(op: CompareOp, a: Weak, b: Weak): boolean {
  if (a.wk === 'int' && b.wk === 'int') {
    const p = a.value as bigint;
    const q = b.value as bigint;
    return { lt: p < q, le: p <= q, gt: p > q, ge: p >= q, eq: p === q, ne: p !== q }[op];
  }
  const x = weakNumber(a);
  const y = weakNumber(b);
  return { lt: x < y, le: x <= y, gt: x > y, ge: x >= y, eq: x === y, ne: x !== y }[op];
}

/**
 * The gpu target's 32-bit defaults (WGSL has no 64-bit types): set by inferProgram for the
 * duration of one inference (synchronous), read by {@link defaultType}.
 */
let narrowDefaults = false;

/** @internal Set by inferProgram (ir/infer.ts `narrowLocals`). */
export function setNarrowDefaults(on: boolean): void {
  narrowDefaults = on;
}

/**
 * The dtype a weak value takes on its own (a local initialised by a literal, a
 * literal-only expression): int64 / float64; on the gpu target int32 / float32 when the
 * value fits.
 */
export function defaultType(w: Weak): DType {
  if (narrowDefaults) {
    if (w.wk === 'float') return 'float32';
    if (fitsInt(w.value, 'int32')) return 'int32';
  }
  if (w.wk === 'float') return 'float64';
  if (fitsInt(w.value, 'int64')) return 'int64';
  return fitsInt(w.value, 'uint64') ? 'uint64' : 'float64';
}

/**
 * The type a weak value and a strong type `t` compute in when the value must be exact
 * (comparisons, division, %, min/max, ?:): `t` when the value fits it, else the promotion of
 * `t` with the value's smallest type (NumPy 1's value-based rule: `uint8 < 300` compares
 * in uint16), float64 when no integer type holds it.
 */
export function exactType(w: Weak, t: DType, promote: (a: DType, b: DType) => DType): DType {
  if (w.wk === 'float') return isFloatType(t) ? t : 'float64';
  if (isBool(t)) return promote('int64', minIntType(w.value) ?? 'float64');
  if (fitsInt(w.value, t)) return t;
  // The smallest type of t's signedness that holds the value (int8 with 1000 → int16).
  const m = isSigned(t) ? (['int8', 'int16', 'int32', 'int64'] as DType[]).find((s) => fitsInt(w.value as bigint, s)) ?? null : minIntType(w.value);
  return m === null ? 'float64' : promote(t, m);
}

/**
 * The typed constant of a weak value in dtype `t`:
 *   - weak int → integer type: wrapped to the width (for modular operators this is exactly
 *     JavaScript's result wrapped, since (x + L) mod 2^w = (x + (L mod 2^w)) mod 2^w);
 *   - weak int → float: the nearest float (float32 rounds once from the exact integer);
 *   - weak float → float: the value (rounded to float32 for float32);
 *   - weak float → integer: NumPy's unsafe cast (truncation toward zero);
 *   - anything → bool: `value != 0`.
 */
export function materialize(w: Weak, t: DType): ConstValue {
  if (isBool(t)) return weakNumber(w) !== 0;
  if (w.wk === 'int') {
    // convertScalar reads a bigint as an int64/uint64 (wrapping beyond): a literal outside
    // 64 bits (`1e10 ** 2`, exact 10^20) converts from its exact value (fuzzer finding).
    if (isFloatType(t)) return fitsInt(w.value, 'int64') || fitsInt(w.value, 'uint64') ? convertScalar(w.value, t) as number : exactToFloat(w.value, t);
    const bits = BigInt(bitsOf(t));
    const v = isSigned(t) ? BigInt.asIntN(Number(bits), w.value) : BigInt.asUintN(Number(bits), w.value);
    return is64(t) ? v : Number(v);
  }
  return convertScalar(w.value, t) as ConstValue;
}

/** The float64 / float32 nearest to an integer of any size (ties to even, one rounding). */
function exactToFloat(v: bigint, t: DType): number {
  if (t === 'float64') return Number(v); // Number(bigint) rounds to nearest, ties to even
  const a = v < 0n ? -v : v;
  // Keep 24 significant bits, rounding half to even on the bits shifted out.
  const shift = BigInt(a.toString(2).length - 24);
  let q = a >> shift;
  const rest = a - (q << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const m = Math.fround(Number(q) * 2 ** Number(shift));
  return v < 0n ? -m : m;
}
