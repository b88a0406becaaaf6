/**
 * Converting one JS scalar to a dtype with NumPy's unsafe-cast (`astype`) semantics on
 * x86-64, bit for bit the same as the Wasm copy loops (asm/convert.ts) give.
 *
 * A JS value is read as a typed source first:
 * - `number`  is a float64 (so `convertScalar(300, 'int8')` is float64 300.0 -> int8 = 44);
 * - `bigint`  is an int64 when it is in [-2^63, 2^63), a uint64 when in [2^63, 2^64);
 *             any other bigint is first wrapped modulo 2^64 to an int64;
 * - `boolean` is a bool (0 or 1).
 *
 * Then, as NumPy 1.24 does (checked against it by scripts/cast-fixtures.py):
 *
 * | source -> target                       | result                                                   |
 * |----------------------------------------|----------------------------------------------------------|
 * | any -> bool                            | `x != 0` (NaN -> true, -0 -> false)                      |
 * | bool -> any                            | 0 or 1                                                   |
 * | integer -> integer                     | wraps to the target's width (two's complement)           |
 * | integer -> float32/float64             | round to nearest, ties to even, from the exact integer   |
 * | float64 -> float32                     | round to nearest-even; beyond float32's range -> ±inf    |
 * | float -> int8/uint8/int16/uint16/int32 | truncate toward 0 to int32, then keep the low bits;      |
 * |                                        | NaN, ±inf, outside int32 -> INT32_MIN's low bits         |
 * |                                        | (int32: -2147483648; 8/16-bit: 0)                        |
 * | float -> uint32                        | truncate to int64, keep the low 32 bits; NaN, ±inf,      |
 * |                                        | outside int64 -> 0 (-1.0 -> 4294967295, 2^32+7 -> 7)     |
 * | float -> int64                         | truncate; NaN, ±inf, outside int64 -> -2^63              |
 * | float -> uint64                        | x < 2^63: as int64 then mod 2^64 (-1.0 -> 2^64-1,        |
 * |                                        | NaN and -inf -> 2^63); x >= 2^63: x - 2^63 as int64,     |
 * |                                        | plus 2^63 mod 2^64 (+inf and x >= 2^64 -> 0)             |
 *
 * The float -> integer rows are what x86's `cvttsd2si` gives NumPy's C casts for values C
 * leaves undefined. NOTE: NumPy's *contiguous* float -> uint32 loop is auto-vectorised and
 * gives other bits for out-of-range values (NaN -> 2147483648, for one) in its vector body
 * only, so its result there depends on the element's position; numbats follows the scalar
 * (strided) loop everywhere.
 */
import { DTypeError, ValueError } from '../util/errors.js';
import type { DType } from './dtypes.js';

const TWO31 = 2147483648;
const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const INT64_MIN = -(2n ** 63n);
const TWO64N = 2n ** 64n;

/** x86 `cvttsd2si r32`: truncation, or INT32_MIN for NaN and results outside int32. */
function cvt32(x: number): number {
  return x > -TWO31 - 1 && x < TWO31 ? Math.trunc(x) | 0 : -TWO31;
}

/** x86 `cvttsd2si r64` as a bigint: truncation, or -2^63 for NaN and results outside int64. */
function cvt64(x: number): bigint {
  return x >= -TWO63 && x < TWO63 ? BigInt(Math.trunc(x)) : INT64_MIN;
}

/** The low 32 bits of cvttsd2si r64, as an unsigned number, without going through bigint. */
function cvt64Low32(x: number): number {
  if (!(x >= -TWO63 && x < TWO63)) return 0;
  const r = Math.trunc(x) % TWO32; // exact: fmod of doubles is exact
  return r < 0 ? r + TWO32 : r + 0; // + 0 turns -0 into 0
}

/** float64 -> uint64 as GCC compiles it for x86-64 (NaN takes the first branch). */
function floatToUint64(x: number): bigint {
  if (!(x >= TWO63)) return BigInt.asUintN(64, cvt64(x));
  return BigInt.asUintN(64, cvt64(x - TWO63) ^ INT64_MIN);
}

/** The float32 nearest to an integer (ties to even), rounding once from the exact value. */
function bigintToFloat32(v: bigint): number {
  const negative = v < 0n;
  const a = negative ? -v : v;
  if (a <= 2n ** 53n) return Math.fround(Number(v)); // Number() is exact here
  // Keep 24 significant bits, rounding half to even on the bits shifted out.
  const shift = BigInt(a.toString(2).length - 24);
  let q = a >> shift;
  const rest = a - (q << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const magnitude = Math.fround(Number(q) * 2 ** Number(shift));
  return negative ? -magnitude : magnitude;
}

function fromFloat64(x: number, dtype: DType): number | bigint | boolean {
  switch (dtype) {
    case 'bool': return x !== 0;
    case 'int8': return (cvt32(x) << 24) >> 24;
    case 'uint8': return cvt32(x) & 0xff;
    case 'int16': return (cvt32(x) << 16) >> 16;
    case 'uint16': return cvt32(x) & 0xffff;
    case 'int32': return cvt32(x);
    case 'uint32': return cvt64Low32(x);
    case 'int64': return cvt64(x);
    case 'uint64': return floatToUint64(x);
    case 'float32': return Math.fround(x);
    case 'float64': return x;
  }
  return unknownDType(dtype);
}

function fromInteger(v: bigint, dtype: DType): number | bigint | boolean {
  // Out of both int64 and uint64 range: wrap to int64 first (what storing it would do).
  if (v < INT64_MIN || v >= TWO64N) v = BigInt.asIntN(64, v);
  switch (dtype) {
    case 'bool': return v !== 0n;
    case 'int8': return Number(BigInt.asIntN(8, v));
    case 'uint8': return Number(BigInt.asUintN(8, v));
    case 'int16': return Number(BigInt.asIntN(16, v));
    case 'uint16': return Number(BigInt.asUintN(16, v));
    case 'int32': return Number(BigInt.asIntN(32, v));
    case 'uint32': return Number(BigInt.asUintN(32, v));
    case 'int64': return BigInt.asIntN(64, v);
    case 'uint64': return BigInt.asUintN(64, v);
    case 'float32': return bigintToFloat32(v);
    case 'float64': return Number(v); // Number(bigint) rounds to nearest, ties to even
  }
  return unknownDType(dtype);
}

function fromBool(b: boolean, dtype: DType): number | bigint | boolean {
  switch (dtype) {
    case 'bool': return b;
    case 'int64': case 'uint64': return b ? 1n : 0n;
    case 'int8': case 'uint8': case 'int16': case 'uint16': case 'int32': case 'uint32':
    case 'float32': case 'float64':
      return b ? 1 : 0;
  }
  return unknownDType(dtype);
}

function unknownDType(dtype: unknown): never {
  throw new DTypeError('E_DTYPE_UNKNOWN', `unknown dtype ${JSON.stringify(dtype)}`);
}

/**
 * Convert one JS scalar to `dtype` exactly as NumPy's `astype` (unsafe casting) converts an
 * element on x86-64, and as numbats' Wasm copy loops do: a `number` converts as a float64,
 * a `bigint` as an int64 (a uint64 when in [2^63, 2^64)), a `boolean` as a bool. The table in
 * this file's header lists the rules, including NaN, infinities and out-of-range values.
 *
 * @param value - the scalar to convert.
 * @param dtype - the target dtype (canonical name).
 * @returns a `bigint` for int64/uint64, a `boolean` for bool, a `number` otherwise.
 * @throws ValueError (`E_VALUE_SCALAR`) for a value that is not a number, bigint or boolean;
 *   DTypeError (`E_DTYPE_UNKNOWN`) for an unknown dtype.
 * @example
 * ```ts
 * convertScalar(300, 'int8');       // 44
 * convertScalar(-1.5, 'uint8');     // 255
 * convertScalar(NaN, 'int32');      // -2147483648
 * convertScalar(NaN, 'bool');       // true
 * convertScalar(2n ** 64n - 1n, 'float64'); // 18446744073709552000
 * convertScalar(true, 'int64');     // 1n
 * ```
 */
export function convertScalar(value: number | bigint | boolean, dtype: DType): number | bigint | boolean {
  switch (typeof value) {
    case 'number': return fromFloat64(value, dtype);
    case 'bigint': return fromInteger(value, dtype);
    case 'boolean': return fromBool(value, dtype);
  }
  throw new ValueError(
    'E_VALUE_SCALAR',
    `expected a number, bigint or boolean scalar, got ${typeof value}`,
  );
}
