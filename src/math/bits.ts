/**
 * The bits of a float64, as fdlibm reads them: the high word (sign, exponent and the top 20
 * mantissa bits, as a signed int32, C's `int`) and the low word (uint32). Typed arrays use
 * the platform's byte order; every engine numbats runs on (and Wasm's memory) is
 * little-endian, checked once here.
 */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
if (U32[1] !== 0x3ff00000) throw new Error('numbats: nb.math needs a little-endian platform');

/** The high word of x as a signed int32 (fdlibm's `__HI(x)`). */
export function highWord(x: number): number {
  F64[0] = x;
  return U32[1]! | 0;
}

/** The low word of x as a uint32 (fdlibm's `__LO(x)`). */
export function lowWord(x: number): number {
  F64[0] = x;
  return U32[0]!;
}

/** The float64 with these words (`hi` is taken modulo 2^32). */
export function fromWords(hi: number, lo: number): number {
  U32[1] = hi;
  U32[0] = lo;
  return F64[0]!;
}

/** x with its high word replaced. */
export function withHighWord(x: number, hi: number): number {
  F64[0] = x;
  U32[1] = hi;
  return F64[0]!;
}

/** x with its low word cleared (its top 21 significant bits: the square of the result is exact). */
export function clearLowWord(x: number): number {
  F64[0] = x;
  U32[0] = 0;
  return F64[0]!;
}

/** 2^k for an integer k in [-1022, 1023] (an exact power of two). */
export function pow2(k: number): number {
  return fromWords((0x3ff + k) << 20, 0);
}
