/**
 * Scalar element conversion with NumPy's `astype` (unsafe casting) semantics on x86-64.
 *
 * `convert<S, D>(x)` is instantiated per type pair by the copy loops. Most pairs are a plain
 * AssemblyScript cast, which already is NumPy's C cast:
 *   - integer -> integer wraps (truncates or sign/zero-extends) at D's width;
 *   - integer -> float rounds to nearest-even, directly from 64 bits (f32.convert_i64_s is
 *     correctly rounded; NumPy's `(npy_float)npy_longlong` is too, no double rounding);
 *   - float64 -> float32 rounds to nearest-even, overflowing to ±inf; float32 -> float64 exact;
 *   - anything -> bool is `x != 0` (NaN -> true); bool -> anything is 0 or 1.
 * The exception is float -> integer. C leaves out-of-range values undefined and NumPy gets
 * whatever the x86 `cvttsd2si` family returns, while Wasm's trunc_sat saturates and maps
 * NaN to 0. So out-of-range is emulated here (see floatToInt). Measured on NumPy 1.24.2.
 */

/** 2^31 and 2^63 as float64: the exclusive upper bounds of cvttsd2si's 32- and 64-bit forms. */
const TWO31: f64 = 2147483648.0;
const TWO63: f64 = 9223372036854775808.0;

/**
 * x86 `cvttsd2si r32`: truncate toward zero; NaN or a result outside i32 gives i32.MIN_VALUE
 * ("integer indefinite"). Values in (-2^31 - 1, -2^31] still truncate to -2^31.
 */
@inline
export function cvt32(x: f64): i32 {
  return x > -TWO31 - 1.0 && x < TWO31 ? <i32>x : i32.MIN_VALUE;
}

/** x86 `cvttsd2si r64`: as cvt32 at 64 bits; -2^63 itself is in range. */
@inline
export function cvt64(x: f64): i64 {
  return x >= -TWO63 && x < TWO63 ? <i64>x : i64.MIN_VALUE;
}

/**
 * Float (widened exactly to f64) to integer type D, as GCC compiles NumPy's C casts on x86-64:
 *   - int8, uint8, int16, uint16, int32: cvttsd2si r32, then keep D's low bits
 *     (so 300.0 -> int8 44, -1.0 -> uint8 255, NaN/±inf/1e20 -> INT_MIN's low bits);
 *   - uint32: cvttsd2si r64, then keep the low 32 bits (NaN -> 0, -1.0 -> 4294967295,
 *     2^32 + 7 -> 7);
 *   - int64: cvttsd2si r64 (NaN, ±inf, out of range -> -2^63);
 *   - uint64: x < 2^63 ? cvttsd2si(x) : cvttsd2si(x - 2^63) ^ 2^63, NaN taking the first
 *     branch (so NaN -> 2^63, +inf -> 0, -inf -> 2^63, -1.0 -> 2^64 - 1).
 */
@inline
export function floatToInt<D>(x: f64): D {
  if (sizeof<D>() == 8) {
    if (isSigned<D>()) return <D>cvt64(x);
    // NOTE: written as !(x >= 2^63) so that NaN takes the small branch, as the x86 code does.
    if (!(x >= TWO63)) return <D>cvt64(x);
    return <D>(cvt64(x - TWO63) ^ i64.MIN_VALUE);
  }
  if (sizeof<D>() == 4 && !isSigned<D>()) return <D>cvt64(x);
  return <D>cvt32(x);
}

/**
 * Load one element of S. A bool byte is normalised to 0/1: NumPy reads any non-zero byte as
 * True when it converts (bool -> bool is a plain byte copy, handled by the caller).
 */
@inline
export function loadElement<S>(ptr: usize): S {
  if (isBoolean<S>()) return <S>(load<u8>(ptr) != 0);
  return load<S>(ptr);
}

/** Convert one element of S to D with NumPy's unsafe-cast semantics (see the header). */
@inline
export function convert<S, D>(x: S): D {
  if (isBoolean<D>()) return <D>(x != <S>0);
  if (isBoolean<S>()) return <D>(<i32>x);
  if (isFloat<S>() && isInteger<D>()) return floatToInt<D>(<f64>x);
  return <D>x;
}
