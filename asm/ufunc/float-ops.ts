/**
 * Floating-point scalar helpers with NumPy's semantics for the built-in ufunc table
 * (src/builtins/ufunc-table.ts): sign, heaviside, NaN-aware min/max, nextafter, spacing,
 * frexp, modf, ldexp, logaddexp. Generic over f32/f64 (T); the `sizeof<T>() == 8` tests are
 * resolved at compile time, so each instantiation is straight-line code for one type.
 * Transcendentals come from AssemblyScript's Math (float64) / Mathf (float32), ports of
 * musl's libm.
 */

/** np.sign for floats: 1, -1, +0 for either zero, NaN for NaN. */
@inline export function signFloat<T>(a: T): T {
  return a > <T>0 ? <T>1 : a < <T>0 ? <T>-1 : a == <T>0 ? <T>0 : a;
}

/** np.heaviside(x, h0): 0 for x < 0, h0 for x == 0, 1 for x > 0, NaN for NaN x. */
@inline export function heavisideFloat<T>(x: T, h0: T): T {
  if (x != x) return <T>NaN;
  return x == <T>0 ? h0 : x < <T>0 ? <T>0 : <T>1;
}

/** np.fmax for floats: a NaN argument is ignored (NaN only when both are); ties give a. */
@inline export function fmaxFloat<T>(a: T, b: T): T {
  return a >= b || b != b ? a : b;
}

/** np.fmin for floats: a NaN argument is ignored (NaN only when both are); ties give a. */
@inline export function fminFloat<T>(a: T, b: T): T {
  return a <= b || b != b ? a : b;
}

/** np.signbit: the sign bit (true for -0.0 and negative NaNs). */
@inline export function signbitFloat<T>(a: T): bool {
  if (sizeof<T>() == 8) return reinterpret<i64>(<f64>a) < 0;
  return reinterpret<i32>(<f32>a) < 0;
}

/** np.isinf. */
@inline export function isinfFloat<T>(a: T): bool {
  return abs<T>(a) == <T>Infinity;
}

/** np.nextafter(x, y): the next representable value after x towards y (musl's nextafter). */
export function nextafterFloat<T>(x: T, y: T): T {
  if (x != x || y != y) return <T>(x + y);
  if (sizeof<T>() == 8) {
    let ux = reinterpret<u64>(<f64>x);
    const uy = reinterpret<u64>(<f64>y);
    if (ux == uy) return y;
    const ax = ux & 0x7fffffffffffffff;
    const ay = uy & 0x7fffffffffffffff;
    if (ax == 0) {
      if (ay == 0) return y;
      ux = (uy & 0x8000000000000000) | 1;
    } else if (ax > ay || ((ux ^ uy) & 0x8000000000000000) != 0) {
      ux--;
    } else {
      ux++;
    }
    return <T>reinterpret<f64>(ux);
  } else {
    let ux = reinterpret<u32>(<f32>x);
    const uy = reinterpret<u32>(<f32>y);
    if (ux == uy) return y;
    const ax = ux & 0x7fffffff;
    const ay = uy & 0x7fffffff;
    if (ax == 0) {
      if (ay == 0) return y;
      ux = (uy & 0x80000000) | 1;
    } else if (ax > ay || ((ux ^ uy) & 0x80000000) != 0) {
      ux--;
    } else {
      ux++;
    }
    return <T>reinterpret<f32>(ux);
  }
}

/**
 * np.spacing(x): the distance from x to the next value of larger magnitude, with x's sign
 * (npy_spacing: the bit pattern plus one, minus x). spacing(±0) is the smallest positive
 * subnormal, spacing(±inf) is NaN, spacing(±max) is ±inf.
 */
export function spacingFloat<T>(x: T): T {
  if (x != x) return x;
  if (abs<T>(x) == <T>Infinity) return <T>NaN;
  if (x == <T>0) {
    if (sizeof<T>() == 8) return <T>reinterpret<f64>(<u64>1);
    return <T>reinterpret<f32>(<u32>1);
  }
  if (sizeof<T>() == 8) return <T>(reinterpret<f64>(reinterpret<u64>(<f64>x) + 1) - <f64>x);
  return <T>(reinterpret<f32>(reinterpret<u32>(<f32>x) + 1) - <f32>x);
}

/** The mantissa of np.frexp(x) (musl's frexp): in [0.5, 1) with x's sign; x itself for 0, inf, NaN. */
export function frexpMantissa<T>(x: T): T {
  if (x == <T>0 || x != x || abs<T>(x) == <T>Infinity) return x;
  if (sizeof<T>() == 8) {
    let v = <f64>x;
    if (((reinterpret<u64>(v) >> 52) & 0x7ff) == 0) v *= 18446744073709551616.0; // 2^64: subnormal
    let bits = reinterpret<u64>(v);
    bits = (bits & 0x800fffffffffffff) | 0x3fe0000000000000;
    return <T>reinterpret<f64>(bits);
  } else {
    let v = <f32>x;
    if (((reinterpret<u32>(v) >> 23) & 0xff) == 0) v *= <f32>18446744073709551616.0;
    let bits = reinterpret<u32>(v);
    bits = (bits & 0x807fffff) | 0x3f000000;
    return <T>reinterpret<f32>(bits);
  }
}

/** The exponent of np.frexp(x): x = mantissa * 2^exponent; 0 for 0, inf and NaN (as glibc). */
export function frexpExponent<T>(x: T): i32 {
  if (x == <T>0 || x != x || abs<T>(x) == <T>Infinity) return 0;
  if (sizeof<T>() == 8) {
    let v = <f64>x;
    let adjust = 0;
    if (((reinterpret<u64>(v) >> 52) & 0x7ff) == 0) { v *= 18446744073709551616.0; adjust = 64; }
    return <i32>((reinterpret<u64>(v) >> 52) & 0x7ff) - 0x3fe - adjust;
  } else {
    let v = <f32>x;
    let adjust = 0;
    if (((reinterpret<u32>(v) >> 23) & 0xff) == 0) { v *= <f32>18446744073709551616.0; adjust = 64; }
    return <i32>((reinterpret<u32>(v) >> 23) & 0xff) - 0x7e - adjust;
  }
}

/** The fractional part of np.modf(x), with x's sign: ±0 for integers and ±inf, NaN for NaN. */
@inline export function modfFraction<T>(x: T): T {
  if (abs<T>(x) == <T>Infinity) return copysign<T>(<T>0, x);
  return copysign<T>(<T>(x - trunc<T>(x)), x);
}

/** np.ldexp(x, n) for an int32 exponent: x * 2^n with one rounding (musl's scalbn). */
@inline export function ldexpFloat<T>(x: T, n: i32): T {
  if (sizeof<T>() == 8) return <T>Math.scalbn(<f64>x, n);
  return <T>Mathf.scalbn(<f32>x, n);
}

/** np.ldexp for an int64 exponent: exponents beyond int32 give the same result as int32's ends. */
@inline export function ldexpFloat64Exp<T>(x: T, n: i64): T {
  const k = n > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : n < <i64>i32.MIN_VALUE ? i32.MIN_VALUE : <i32>n;
  return ldexpFloat<T>(x, k);
}

/** log1p and exp / exp2 of T. */
@inline function log1pT<T>(x: T): T {
  if (sizeof<T>() == 8) return <T>Math.log1p(<f64>x);
  return <T>Mathf.log1p(<f32>x);
}
@inline function expT<T>(x: T): T {
  if (sizeof<T>() == 8) return <T>Math.exp(<f64>x);
  return <T>Mathf.exp(<f32>x);
}
@inline function exp2T<T>(x: T): T {
  if (sizeof<T>() == 8) return <T>Math.exp2(<f64>x);
  return <T>Mathf.exp2(<f32>x);
}

/** np.logaddexp: log(exp(x) + exp(y)) without overflow (npy_logaddexp). */
export function logaddexpFloat<T>(x: T, y: T): T {
  if (x == y) return <T>(x + <T>0.693147180559945309417232121458176568); // log(2): also inf + inf
  const d = <T>(x - y);
  if (d > <T>0) return <T>(x + log1pT<T>(expT<T>(-d)));
  if (d <= <T>0) return <T>(y + log1pT<T>(expT<T>(d)));
  return d; // NaN
}

/** np.logaddexp2: log2(2^x + 2^y) without overflow (npy_logaddexp2). */
export function logaddexp2Float<T>(x: T, y: T): T {
  const LOG2E = <T>1.442695040888963407359924681001892137;
  if (x == y) return <T>(x + <T>1);
  const d = <T>(x - y);
  if (d > <T>0) return <T>(x + LOG2E * log1pT<T>(exp2T<T>(-d)));
  if (d <= <T>0) return <T>(y + LOG2E * log1pT<T>(exp2T<T>(d)));
  return d;
}

/**
 * np.power / np.float_power for floats: C99's pow (Annex F). AssemblyScript's Math.pow has
 * JavaScript's special cases instead, which differ in two: C gives pow(1, y) = 1 for every y
 * (NaN included) and pow(-1, ±inf) = 1, where JavaScript answers NaN.
 */
@inline export function powFloat<T>(x: T, y: T): T {
  if (x == <T>1) return <T>1;
  if (x == <T>-1 && abs<T>(y) == <T>Infinity) return <T>1;
  if (sizeof<T>() == 8) return <T>Math.pow(<f64>x, <f64>y);
  return <T>Mathf.pow(<f32>x, <f32>y);
}

/**
 * np.maximum for floats: NaN in either argument gives NaN; equal arguments give the second
 * (NumPy 2's `(a > b || isnan(a)) ? a : b`: maximum(0.0, -0.0) is -0.0, and a reduction
 * over [-0.0, 0.0] ends at 0.0).
 */
@inline export function maximumFloat<T>(a: T, b: T): T {
  return a > b || a != a ? a : b;
}

/** np.minimum for floats: NaN in either argument gives NaN; equal arguments give the second. */
@inline export function minimumFloat<T>(a: T, b: T): T {
  return a < b || a != a ? a : b;
}
