/**
 * WGSL helper functions the emitter calls where WGSL's own operation differs from the
 * kernel language's meaning (DESIGN.md "The kernel language"): integer division and
 * remainder by zero (0, as the JS oracle defines it), JavaScript's float `%` and
 * `Math.pow`, NaN-propagating min/max with -0 < +0, NumPy's x86 float -> integer casts,
 * JavaScript's ToInt32 (`x | 0` on a float),
 * and the functions WGSL lacks (cbrt, expm1, log1p, log10, hypot, JS's Math.round).
 *
 * Why bit tests: shader compilers may assume "no NaN" and fold `x != x` away, so NaN and
 * infinity are recognised from the bits. Names start with `nb_` (WGSL reserves `__`).
 * Only the helpers a shader uses are emitted ({@link preludeFor}). nb.math's helpers are in
 * math-prelude.ts, exp/log/sin/cos/tan/cosh (WGSL's are loose at special values) in
 * elementary-prelude.ts.
 */
import { ELEMENTARY_HELPERS } from './elementary-prelude.js';
import { mathHelpers } from './math-prelude.js';

/** name -> [WGSL source, names of the helpers it calls]. */
const HELPERS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  nb_isnan: [`fn nb_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`, []],
  nb_isfinite: [`fn nb_isfinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }`, []],
  nb_isinf: [`fn nb_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }`, []],
  // A user function call is never a const-expression: NaN and infinity made through it are
  // run-time values (a const bitcast to NaN/inf is a shader-creation error).
  nb_f32bits: [`fn nb_f32bits(b: u32) -> f32 { return bitcast<f32>(b); }`, []],
  // Bounds checks: the first failure (of any invocation) records site + 1, the index's bits
  // and the size in nberr (a read_write binding the shader declares, read back by the
  // call: src/gpu/kernel-factories.ts). The loop retries a spurious weak-CAS failure.
  nb_bfail: [
    `fn nb_bfail(site: u32, i: u32, n: i32) {
  loop {
    let r = atomicCompareExchangeWeak(&nberr[0], 0u, site + 1u);
    if (r.exchanged) {
      atomicStore(&nberr[1], i);
      atomicStore(&nberr[2], u32(n));
      break;
    }
    if (r.old_value != 0u) { break; }
  }
}`, []],
  nb_ok_i32: [`fn nb_ok_i32(i: i32, n: i32, site: u32) -> bool {
  if (u32(i) >= u32(n)) { nb_bfail(site, bitcast<u32>(i), n); return false; }
  return true;
}`, ['nb_bfail']],
  nb_ok_u32: [`fn nb_ok_u32(i: u32, n: i32, site: u32) -> bool {
  if (i >= u32(n)) { nb_bfail(site, i, n); return false; }
  return true;
}`, ['nb_bfail']],
  nb_bc_i32: [`fn nb_bc_i32(i: i32, n: i32, site: u32) -> i32 { return select(0i, i, nb_ok_i32(i, n, site)); }`, ['nb_ok_i32']],
  nb_bc_u32: [`fn nb_bc_u32(i: u32, n: i32, site: u32) -> i32 { return select(0i, i32(i), nb_ok_u32(i, n, site)); }`, ['nb_ok_u32']],
  // A checked index in a select value: reports only when taken (the value JS would evaluate).
  nb_bcg_i32: [`fn nb_bcg_i32(i: i32, n: i32, site: u32, taken: bool) -> i32 {
  if (u32(i) < u32(n)) { return i; }
  if (taken) { nb_bfail(site, bitcast<u32>(i), n); }
  return 0i;
}`, ['nb_bfail']],
  nb_bcg_u32: [`fn nb_bcg_u32(i: u32, n: i32, site: u32, taken: bool) -> i32 {
  if (i < u32(n)) { return i32(i); }
  if (taken) { nb_bfail(site, i, n); }
  return 0i;
}`, ['nb_bfail']],
  nb_nan: [`fn nb_nan() -> f32 { return nb_f32bits(0x7fc00000u); }`, ['nb_f32bits']],
  nb_inf: [`fn nb_inf() -> f32 { return nb_f32bits(0x7f800000u); }`, ['nb_f32bits']],
  nb_truthy: [`fn nb_truthy(x: f32) -> bool { return x != 0.0f && !nb_isnan(x); }`, ['nb_isnan']],
  nb_maxf: [
    `fn nb_maxf(a: f32, b: f32) -> f32 {
  if (nb_isnan(a) || nb_isnan(b)) { return nb_nan(); }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return select(b, a, a > b);
}`, ['nb_isnan', 'nb_nan']],
  nb_minf: [
    `fn nb_minf(a: f32, b: f32) -> f32 {
  if (nb_isnan(a) || nb_isnan(b)) { return nb_nan(); }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return select(b, a, a < b);
}`, ['nb_isnan', 'nb_nan']],
  nb_signf: [
    `fn nb_signf(x: f32) -> f32 {
  if (nb_isnan(x) || x == 0.0f) { return x; }
  return select(-1.0f, 1.0f, x > 0.0f);
}`, ['nb_isnan']],
  nb_fmodf: [
    // JavaScript's % on floats (C's fmod): exact, the sign of the dividend; x % ±inf = x.
    // Long division by d = |b| * 2^k: each r - d is exact (d <= r < 2d), so no rounding;
    // a - b * trunc(a / b) is not (1 % 0.1 gave 0 instead of 0.09999999).
    `fn nb_fmodf(a: f32, b: f32) -> f32 {
  if (nb_isnan(a) || nb_isnan(b) || nb_isinf(a) || b == 0.0f) { return nb_nan(); }
  let ax = abs(a);
  let ay = abs(b);
  if (nb_isinf(b) || ax < ay) { return a; }
  var d = nb_ldexpf(ay, nb_ilogbf(ax) - nb_ilogbf(ay));
  if (d > ax) { d = d * 0.5f; }
  var r = ax;
  loop {
    if (r >= d) { r = r - d; }
    if (d <= ay) { break; }
    d = d * 0.5f;
  }
  return nb_copysignf(r, a);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_copysignf', 'nb_ldexpf', 'nb_ilogbf']],
  nb_ilogbf: [
    // The binary exponent of a finite nonzero x from its bits, subnormals included (lavapipe's
    // frexp of a subnormal is off).
    `fn nb_ilogbf(x: f32) -> i32 {
  let b = bitcast<u32>(x) & 0x7fffffffu;
  let e = i32(b >> 23u);
  if (e == 0) { return -118 - i32(countLeadingZeros(b)); }
  return e - 127;
}`, []],
  nb_powf: [
    // WGSL's pow is exp2(y * log2(x)): undefined for x < 0 and loose at 0, inf, NaN.
    `fn nb_powf(x: f32, y: f32) -> f32 {
  if (y == 0.0f) { return 1.0f; }
  if (nb_isnan(x) || nb_isnan(y)) { return nb_nan(); }
  if (y == 1.0f) { return x; }
  let ay = abs(y);
  let yint = trunc(y) == y;
  let yodd = yint && ay < 16777216.0f && (i32(ay) & 1) == 1;
  if (x == 0.0f) {
    if (y > 0.0f) { return select(0.0f, x, yodd); }
    return select(nb_inf(), 1.0f / x, yodd);
  }
  if (nb_isinf(y)) {
    let ax = abs(x);
    if (ax == 1.0f) { return nb_nan(); }
    return select(0.0f, nb_inf(), (ax > 1.0f) == (y > 0.0f));
  }
  if (nb_isinf(x)) {
    // (-inf) ** y: -inf or -0 for odd integer y, else +inf or +0.
    if (y > 0.0f) { return select(nb_inf(), x, yodd); }
    return select(0.0f, 1.0f / x, yodd);
  }
  if (x < 0.0f) {
    if (!yint) { return nb_nan(); }
    let m = exp2(y * nb_log2f(-x));
    return select(m, -m, yodd);
  }
  return exp2(y * nb_log2f(x));
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_inf', 'nb_log2f']],
  nb_roundf: [
    // JavaScript's Math.round: nearest, halves toward +inf, -0 and (-0.5, -0] give -0.
    `fn nb_roundf(x: f32) -> f32 {
  if (!nb_isfinite(x)) { return x; }
  let f = floor(x);
  let r = select(f, f + 1.0f, x - f >= 0.5f);
  // The sign through the bits: a shader compiler may fold a -0.0f constant to +0.
  if (r == 0.0f) { return nb_copysignf(0.0f, x); }
  return r;
}`, ['nb_isfinite', 'nb_copysignf']],
  nb_cbrtf: [
    // A subnormal scaled by 2^24 (cbrt by 2^8); Newton's step as y - (y - x/y^2)/3, as y^3
    // overflows past 7e12.
    `fn nb_cbrtf(x: f32) -> f32 {
  if (!nb_isfinite(x) || x == 0.0f) { return x; }
  let sub = abs(x) < 1.1754944e-38f;
  let ax = select(abs(x), abs(x) * 16777216.0f, sub);
  var y = exp2(nb_log2f(ax) / 3.0f);
  y = y - (y - ax / (y * y)) / 3.0f;
  y = select(y, y * 0.00390625f, sub);
  return select(y, -y, x < 0.0f);
}`, ['nb_isfinite', 'nb_log2f']],
  nb_copysignf: [`fn nb_copysignf(m: f32, s: f32) -> f32 { return bitcast<f32>((bitcast<u32>(m) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u)); }`, []],
  // The polyfills below replace WGSL built-ins that are within WGSL's (loose) accuracy
  // bounds but lose all relative accuracy near 0 or are thousands of ULPs off: measured on
  // lavapipe, tanh(1e-8) = 3e-8, asinh(1e-8) = 0, log(1 - 6e-8) 3x off, asin(-0.84) 3770
  // ULPs, atan2(0, 0) = 3pi/4. Short series and Cephes' single-precision kernels instead.
  nb_expm1f: [
    // |x| < 0.5: Taylor series to x^9/9! (truncation < 5e-10 relative); else exp(x) - 1.
    `fn nb_expm1f(x: f32) -> f32 {
  if (abs(x) < 0.5f) {
    return x * (1.0f + x * (0.5f + x * (0.16666667f + x * (0.041666668f + x * (0.008333334f + x * (0.0013888889f
      + x * (0.00019841270f + x * (0.000024801587f + x * 0.0000027557319f))))))));
  }
  return nb_expf(x) - 1.0f;
}`, ['nb_expf']],
  nb_log1pf: [
    // -0.5 < x < 1: log1p(x) = 2 atanh(s), s = x / (2 + x), |s| <= 1/3, odd series to s^19
    // (x itself below 2^-24: s^2 would underflow where a GPU flushes subnormals);
    // else log(1 + x), where 1 + x is outside [0.5, 2] (log's relative-accuracy range).
    `fn nb_log1pf(x: f32) -> f32 {
  if (abs(x) < 5.9604645e-8f) { return x; }
  if (x > -0.5f && x < 1.0f) {
    let s = x / (2.0f + x);
    let z = s * s;
    return 2.0f * s * (1.0f + z * (0.33333334f + z * (0.2f + z * (0.14285715f + z * (0.11111111f + z * (0.09090909f
      + z * (0.07692308f + z * (0.06666667f + z * (0.05882353f + z * 0.05263158f)))))))));
  }
  if (nb_isnan(x) || x < -1.0f) { return nb_nan(); }
  if (x == -1.0f) { return -nb_inf(); }
  if (nb_isinf(x)) { return x; }
  return nb_logf(1.0f + x);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_inf', 'nb_logf']],
  nb_sinhf: [
    `fn nb_sinhf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 1.0f) {
    let e = nb_expm1f(a);
    return nb_copysignf(0.5f * (e + e / (e + 1.0f)), x);
  }
  if (nb_isnan(x)) { return x; }
  return nb_copysignf(nb_sinh_bigf(a), x);
}`, ['nb_isnan', 'nb_expm1f', 'nb_copysignf', 'nb_sinh_bigf']],
  nb_tanhf: [
    `fn nb_tanhf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  if (a > 9.0f) { return nb_copysignf(1.0f, x); }
  let e = nb_expm1f(2.0f * a);
  return nb_copysignf(e / (e + 2.0f), x);
}`, ['nb_isnan', 'nb_expm1f', 'nb_copysignf']],
  nb_asinhf: [
    `fn nb_asinhf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a < 2.0f) { r = nb_log1pf(a + a * a / (1.0f + sqrt(1.0f + a * a))); }
  else if (a > 4096.0f) { r = nb_logf(a) + 0.6931471805599453f; }
  else { r = nb_logf(a + sqrt(a * a + 1.0f)); }
  return nb_copysignf(r, x);
}`, ['nb_isnan', 'nb_log1pf', 'nb_copysignf', 'nb_logf']],
  nb_acoshf: [
    // Past 4096, x * x - 1 is x * x and overflows past 1.8e19 (lavapipe gave Infinity): log(2x);
    // below, log(x + sqrt(x^2 - 1)) as log1p(t + sqrt(2t + t^2)), t = x - 1 (exact near 1).
    // NaN and x < 1 tested first: SwiftShader's acosh(0) is 89.1.
    `fn nb_acoshf(x: f32) -> f32 {
  if (nb_isnan(x) || x < 1.0f) { return nb_nan(); }
  if (x > 4096.0f) { return nb_logf(x) + 0.6931471805599453f; }
  let t = x - 1.0f;
  return nb_log1pf(t + sqrt(2.0f * t + t * t));
}`, ['nb_isnan', 'nb_nan', 'nb_logf', 'nb_log1pf']],
  nb_atanhf: [
    `fn nb_atanhf(x: f32) -> f32 {
  let a = abs(x);
  if (nb_isnan(x) || a > 1.0f) { return nb_nan(); }
  if (a == 1.0f) { return nb_copysignf(nb_inf(), x); }
  return nb_copysignf(0.5f * nb_log1pf(2.0f * a / (1.0f - a)), x);
}`, ['nb_isnan', 'nb_nan', 'nb_inf', 'nb_log1pf', 'nb_copysignf']],
  nb_atanf: [
    // Cephes atanf: reduce to |t| <= tan(pi/8), then a degree-9 odd polynomial.
    `fn nb_atanf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  var y = 0.0f;
  var t = a;
  if (a > 2.4142135f) { y = 1.5707964f; t = -1.0f / a; }
  else if (a > 0.41421357f) { y = 0.78539819f; t = (a - 1.0f) / (a + 1.0f); }
  let z = t * t;
  let r = y + ((((0.0805374449538f * z - 0.138776856032f) * z + 0.199777106478f) * z - 0.333329491539f) * z * t + t);
  return nb_copysignf(r, x);
}`, ['nb_isnan', 'nb_copysignf']],
  nb_atan2f: [
    // C's atan2 (JavaScript's Math.atan2), signed zeros and infinities included.
    `fn nb_atan2f(y: f32, x: f32) -> f32 {
  if (nb_isnan(x) || nb_isnan(y)) { return nb_nan(); }
  let xneg = bitcast<u32>(x) >= 0x80000000u;
  var r: f32;
  if (y == 0.0f) { r = select(0.0f, 3.1415927f, xneg); }
  else if (x == 0.0f) { r = 1.5707964f; }
  else if (nb_isinf(x)) {
    if (nb_isinf(y)) { r = select(0.78539819f, 2.3561945f, xneg); } else { r = select(0.0f, 3.1415927f, xneg); }
  }
  else if (nb_isinf(y)) { r = 1.5707964f; }
  else {
    let ax = abs(x);
    let ay = abs(y);
    if (ay <= ax) { r = nb_atanf(ay / ax); } else { r = 1.5707964f - nb_atanf(ax / ay); }
    if (xneg) { r = 3.1415927f - r; }
  }
  return nb_copysignf(r, y);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_atanf', 'nb_copysignf']],
  nb_asinf: [
    // Cephes asinf: |x| > 0.5 through sqrt((1 - |x|) / 2), then a degree-11 odd polynomial.
    `fn nb_asinf(x: f32) -> f32 {
  let a = abs(x);
  if (nb_isnan(x) || a > 1.0f) { return nb_nan(); }
  let big = a > 0.5f;
  var z = a * a;
  var t = a;
  if (big) { z = 0.5f * (1.0f - a); t = sqrt(z); }
  var r = ((((0.042163199048f * z + 0.024181311049f) * z + 0.045470025998f) * z + 0.074953002686f) * z + 0.16666752422f) * z * t + t;
  if (big) { r = 1.5707964f - (r + r); }
  return nb_copysignf(r, x);
}`, ['nb_isnan', 'nb_nan', 'nb_copysignf']],
  nb_acosf: [
    `fn nb_acosf(x: f32) -> f32 {
  if (nb_isnan(x) || abs(x) > 1.0f) { return nb_nan(); }
  if (x < -0.5f) { return 3.1415927f - 2.0f * nb_asinf(sqrt(0.5f * (1.0f + x))); }
  if (x > 0.5f) { return 2.0f * nb_asinf(sqrt(0.5f * (1.0f - x))); }
  return 1.5707964f - nb_asinf(x);
}`, ['nb_isnan', 'nb_nan', 'nb_asinf']],
  nb_hypotf: [
    `fn nb_hypotf(a: f32, b: f32) -> f32 {
  if (nb_isinf(a) || nb_isinf(b)) { return nb_inf(); }
  if (nb_isnan(a) || nb_isnan(b)) { return nb_nan(); }
  let x = abs(a);
  let y = abs(b);
  let m = max(x, y);
  if (m == 0.0f) { return 0.0f; }
  let p = min(x, y) / m;
  return m * sqrt(1.0f + p * p);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_inf']],
  nb_f2i: [
    // NumPy's float -> int32 on x86: truncation; NaN, inf and outside int32 give INT32_MIN.
    `fn nb_f2i(x: f32) -> i32 {
  if (x > -2147483904.0f && x < 2147483648.0f) { return i32(x); }
  return bitcast<i32>(0x80000000u);
}`, []],
  nb_toi32: [
    // JavaScript's ToInt32 (x | 0): NaN and ±inf give 0, else trunc(x) modulo 2^32. From
    // 2^31 up, x = mantissa * 2^(e - 23) with e - 23 >= 8: the low 32 bits of that product.
    `fn nb_toi32(x: f32) -> i32 {
  if (!nb_isfinite(x)) { return 0i; }
  if (abs(x) < 2147483648.0f) { return i32(x); }
  let bits = bitcast<u32>(x);
  let e = i32((bits >> 23u) & 0xffu) - 150;
  let mant = (bits & 0x7fffffu) | 0x800000u;
  let low = select(0u, mant << u32(e), e < 32);
  return bitcast<i32>(select(low, 0u - low, x < 0.0f));
}`, ['nb_isfinite']],
  nb_f2u: [
    // NumPy's float -> uint32 on x86: truncation to int64, low 32 bits; NaN, inf -> 0.
    `fn nb_f2u(x: f32) -> u32 {
  if (!nb_isfinite(x) || abs(x) >= 9223372036854775808.0f) { return 0u; }
  let t = trunc(x);
  if (abs(t) < 4294967296.0f) {
    let m = u32(abs(t));
    return select(m, 0u - m, t < 0.0f);
  }
  // |t| >= 2^32: t = mantissa * 2^(e - 23) with e - 23 >= 9; keep the low 32 bits.
  let bits = bitcast<u32>(t);
  let e = i32((bits >> 23u) & 0xffu) - 150;
  let mant = (bits & 0x7fffffu) | 0x800000u;
  let low = select(0u, mant << u32(e), e < 32);
  return select(low, 0u - low, t < 0.0f);
}`, ['nb_isfinite']],
};

/** Integer helpers, per type (`i32`, `u32`): division and remainder by zero give 0. */
function intHelpers(t: 'i32' | 'u32'): Record<string, readonly [string, readonly string[]]> {
  const z = t === 'i32' ? '0i' : '0u';
  const one = t === 'i32' ? '1i' : '1u';
  return {
    [`nb_truncdiv_${t}`]: [`fn nb_truncdiv_${t}(a: ${t}, b: ${t}) -> ${t} { if (b == ${z}) { return ${z}; } return a / b; }`, []],
    [`nb_floordiv_${t}`]: [
      t === 'u32'
        ? `fn nb_floordiv_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a / b; }`
        : `fn nb_floordiv_i32(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let q = a / b;
  if (a - q * b != 0i && ((a < 0i) != (b < 0i))) { return q - 1i; }
  return q;
}`, []],
    [`nb_mod_${t}`]: [`fn nb_mod_${t}(a: ${t}, b: ${t}) -> ${t} { if (b == ${z}) { return ${z}; } return a - (a / b) * b; }`, []],
    [`nb_ipow_${t}`]: [
      `fn nb_ipow_${t}(a: ${t}, b: ${t}) -> ${t} {
  ${t === 'i32' ? `if (b < 0i) { if (a == 1i) { return 1i; } if (a == -1i) { return select(1i, -1i, (b & 1i) != 0i); } return 0i; }` : ''}
  var r: ${t} = ${one};
  var base: ${t} = a;
  var e: ${t} = b;
  while (e > ${z}) {
    if ((e & ${one}) != ${z}) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}`, []],
  };
}

let all: Readonly<Record<string, readonly [string, readonly string[]]>> | undefined;
/** Every helper by name (made on the first prelude: the math helpers' sources are built then). */
const helpers = () => (all ??= { ...HELPERS, ...intHelpers('i32'), ...intHelpers('u32'), ...mathHelpers(), ...ELEMENTARY_HELPERS });

/**
 * The WGSL source of the helpers in `used` and everything they call, in dependency order.
 *
 * @example
 * ```ts
 * preludeFor(new Set(['nb_powf'])); // nb_isnan, nb_isinf, nb_nan, nb_powf
 * ```
 */
export function preludeFor(used: ReadonlySet<string>): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const h = helpers()[n];
    if (!h) throw new Error(`WGSL prelude: no helper '${n}'`);
    h[1].forEach(visit);
    out.push(h[0]);
  };
  [...used].sort().forEach(visit);
  return out.join('\n\n');
}
