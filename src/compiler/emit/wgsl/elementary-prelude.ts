/**
 * The gpu target's exp, log, log2, log10, sin, cos, tan, sinh, cosh: float32 algorithms of
 * its own instead of WGSL's built-ins, so that special values and accuracy do not depend on
 * the adapter. WGSL promises neither: its exp/log/sin... are "implementation-defined" at
 * NaN, infinities and outside their domains, and loose inside (sin: 2^-11 absolute, on
 * [-pi, pi] only). Seen (test/gpu/special-values.test.ts, NumPy's results as reference):
 * SwiftShader's log(-1) = 0, log(NaN) = 89.1, exp(NaN) = Infinity, acosh(0) = 89.1, sin(1)
 * 2^-15 off; lavapipe's sin(1e10) = -1, log of a subnormal -88 (its frexp ignores them),
 * cosh(89) = Infinity (exp(x) overflows before the halving).
 *
 * exp and log are math-prelude.ts's nb_expf / nb_logf (Cody-Waite reduction, short
 * polynomials; their special cases by bit tests). sin/cos/tan: Cephes' sinf/cosf/tanf
 * polynomials on [-pi/4, pi/4] after a reduction by pi/2 that keeps r's relative accuracy
 * everywhere, near the multiples of pi/2 too: below 8192, Cody-Waite with pi/2 in five
 * parts; from 8192 up, Payne-Hanek on the bits (x's 24-bit mantissa times 192 bits of 2/pi
 * in u32 arithmetic, WGSL having no 64-bit integers).
 * Format as prelude.ts: name -> [WGSL source, helpers it calls].
 */

type Helpers = Record<string, readonly [string, readonly string[]]>;

/** 2/pi, 192 bits, most significant word first. */
const TWO_OVER_PI = ['0xa2f9836eu', '0x4e441529u', '0xfc2757d1u', '0xf534ddc0u', '0xdb629599u', '0x3c439041u'];

export const ELEMENTARY_HELPERS: Helpers = {
  nb_logpartsf: [
    // x = 2^k m, m in [sqrt(1/2), sqrt(2)): k and log(m) apart, so that log2 and log10 add the
    // exponent's exact part last (log2 of a power of two is exact). Finite x > 0 only.
    `struct NbLogParts { k: f32, l: f32 }
fn nb_logpartsf(x: f32) -> NbLogParts {
  let sub = x < 1.1754944e-38f;
  let fr = frexp(select(x, x * 16777216.0f, sub));
  var m = fr.fract;
  var e = fr.exp - select(0, 24, sub);
  if (m < 0.70710677f) { m = m * 2.0f; e = e - 1; }
  return NbLogParts(f32(e), nb_logf(m));
}`, ['nb_logf']],
  nb_log2f: [
    `fn nb_log2f(x: f32) -> f32 {
  if (!nb_isfinite(x) || x <= 0.0f) { return nb_logf(x); }
  let p = nb_logpartsf(x);
  return p.k + p.l * 1.4426950f;
}`, ['nb_isfinite', 'nb_logf', 'nb_logpartsf']],
  nb_log10f: [
    // k log10(2) with log10(2) in two parts, the first of 11 bits (times k exact).
    `fn nb_log10f(x: f32) -> f32 {
  if (!nb_isfinite(x) || x <= 0.0f) { return nb_logf(x); }
  let p = nb_logpartsf(x);
  return p.k * 0.30102539f + (p.l * 0.43429448f + p.k * 4.6050389e-6f);
}`, ['nb_isfinite', 'nb_logf', 'nb_logpartsf']],
  nb_halfexpf: [
    // e^a / 2 as (e^(a/2) / 2) e^(a/2): finite up to a = 89.4, where e^a itself overflows.
    `fn nb_halfexpf(a: f32) -> f32 { let h = nb_expf(0.5f * a); return (0.5f * h) * h; }`, ['nb_expf']],
  nb_coshf: [
    `fn nb_coshf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  if (a > 80.0f) { return nb_halfexpf(a); }
  let e = nb_expf(a);
  return 0.5f * e + 0.5f / e;
}`, ['nb_isnan', 'nb_expf', 'nb_halfexpf']],
  nb_sinh_bigf: [
    // sinh(|x|) for |x| >= 1.
    `fn nb_sinh_bigf(a: f32) -> f32 {
  if (a > 80.0f) { return nb_halfexpf(a); }
  let e = nb_expf(a);
  return 0.5f * e - 0.5f / e;
}`, ['nb_expf', 'nb_halfexpf']],
  nb_rem_pio2_bigf: [
    // Payne-Hanek for |x| >= 8192: x = m 2^(e-150) (m 24 bits, shifted to the top of a u32),
    // times 2/pi as a 224-bit product of u32 words; the window at x's exponent holds the
    // quadrant (its 2 integer bits) and 62 fraction bits, rounded to the nearest quadrant.
    // Returns the remainder in [-pi/4, pi/4] (sign of x applied) and the quadrant in .q.
    `struct NbRem { r: f32, q: i32 }
fn nb_mul32(a: u32, b: u32) -> vec2<u32> {
  // The 64-bit product of two u32s: (low, high).
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((mid << 16u) | (p00 & 0xffffu), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}
fn nb_rem_pio2_bigf(x: f32) -> NbRem {
  let bits = bitcast<u32>(x);
  let e = ((bits >> 23u) & 0xffu) - 128u;
  let ia = (bits << 8u) | 0x80000000u;
  var w = array<u32, 6>(${[...TWO_OVER_PI].reverse().join(', ')});
  var res: array<u32, 7>;
  var hi = 0u;
  for (var i = 0u; i < 6u; i = i + 1u) {
    let p = nb_mul32(w[i], ia);
    let lo = hi + p.x;
    hi = p.y + select(0u, 1u, lo < p.x);
    res[i] = lo;
  }
  res[6] = hi;
  let idx = 4u - (e >> 5u);
  let sh = e & 31u;
  var h = res[idx + 2u];
  var l = res[idx + 1u];
  if (sh != 0u) {
    h = (h << sh) | (l >> (32u - sh));
    l = (l << sh) | (res[idx] >> (32u - sh));
  }
  var q = i32(h >> 30u);
  h = (h << 2u) | (l >> 30u);
  l = l << 2u;
  // The fraction f in [0, 1) quadrants: past 1/2, the next quadrant and f - 1 (negated).
  let up = (h + select(0u, 1u, l > 0u)) > 0x80000000u;
  if (up) {
    q = q + 1;
    h = ~h;
    l = 0u - l;
    h = h + select(0u, 1u, l == 0u);
  }
  // Normalise and multiply by pi/2 (0xc90fdaa2 / 2^31): r = h:l 2^-64 pi/2.
  var ex = 0;
  while ((h & 0x80000000u) == 0u && ex > -64) {
    h = (h << 1u) | (l >> 31u);
    l = l << 1u;
    ex = ex - 1;
  }
  let p = nb_mul32(h, 0xc90fdaa2u);
  var ph = p.y;
  var pl = p.x;
  if ((ph & 0x80000000u) == 0u) {
    ph = (ph << 1u) | (pl >> 31u);
    pl = pl << 1u;
    ex = ex - 1;
  }
  ph = ph + select(0u, 1u, pl > 0u);
  // r = ph 2^(ex - 31): its top 24 bits rounded to nearest, then scaled.
  let mant = (ph >> 8u) + select(0u, 1u, (ph & 0xffu) > 0x80u);
  let r = f32(mant) * nb_pow2f(ex - 23);
  return NbRem(select(r, -r, (bits & 0x80000000u) != 0u) * select(1.0f, -1.0f, up), select(q, -q, (bits & 0x80000000u) != 0u));
}`, ['nb_pow2f']],
  nb_rem_pio2f: [
    // x = q pi/2 + r, |r| <= pi/4 (a little more where q's estimate rounds the other way).
    // Below 8192: Cody-Waite with pi/2 in five parts, of 8, 11, 11, 11 and 24 bits, so that q
    // (13 bits) times each of the first four is exact and r keeps its relative accuracy next
    // to the multiples of pi/2 (Cephes' three parts gave tan 923 ulps off at 6715.154; WGSL's
    // fma is no fused multiply-add to do it with fewer). q is computed at run time even where
    // it is 1: a shader compiler folds sums of constants ((a - c1) + c2 became a - c1 on
    // lavapipe). From 8192 up, Payne-Hanek.
    `fn nb_rem_pio2f(x: f32) -> NbRem {
  let a = abs(x);
  if (a <= 0.7853982f) { return NbRem(x, 0); }
  if (a < 8192.0f) {
    let k = floor(a * 0.63661975f + 0.5f);
    let r = ((((a - k * 1.5703125f) - k * 4.837512969970703e-4f) - k * 7.549533620476723e-8f)
      - k * 2.5632829192545614e-12f) - k * 6.123234262925839e-17f;
    let q = i32(k);
    return NbRem(select(r, -r, x < 0.0f), select(q, -q, x < 0.0f));
  }
  return nb_rem_pio2_bigf(x);
}`, ['nb_rem_pio2_bigf']],
  nb_sin_kernf: [
    `fn nb_sin_kernf(r: f32) -> f32 {
  let z = r * r;
  return ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f) * z * r + r;
}`, []],
  nb_cos_kernf: [
    `fn nb_cos_kernf(r: f32) -> f32 {
  let z = r * r;
  return ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f) * z * z - 0.5f * z + 1.0f;
}`, []],
  nb_sinf: [
    `fn nb_sinf(x: f32) -> f32 {
  if (x == 0.0f || nb_isnan(x)) { return x; }
  if (nb_isinf(x)) { return nb_nan(); }
  let rq = nb_rem_pio2f(x);
  let q = rq.q & 3;
  let v = select(nb_sin_kernf(rq.r), nb_cos_kernf(rq.r), (q & 1) == 1);
  return select(v, -v, q >= 2);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_rem_pio2f', 'nb_sin_kernf', 'nb_cos_kernf']],
  nb_cosf: [
    `fn nb_cosf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  if (nb_isinf(x)) { return nb_nan(); }
  let rq = nb_rem_pio2f(x);
  let q = rq.q & 3;
  let v = select(nb_cos_kernf(rq.r), nb_sin_kernf(rq.r), (q & 1) == 1);
  return select(v, -v, q == 1 || q == 2);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_rem_pio2f', 'nb_sin_kernf', 'nb_cos_kernf']],
  nb_tanf: [
    // Cephes tanf on [-pi/4, pi/4]; -1/tan(r) in the odd quadrants.
    `fn nb_tanf(x: f32) -> f32 {
  if (x == 0.0f || nb_isnan(x)) { return x; }
  if (nb_isinf(x)) { return nb_nan(); }
  let rq = nb_rem_pio2f(x);
  let r = rq.r;
  let z = r * r;
  let y = (((((9.38540185543e-3f * z + 3.11992232697e-3f) * z + 2.44301354525e-2f) * z + 5.34112807005e-2f) * z
    + 1.33387994085e-1f) * z + 3.33331568548e-1f) * z * r + r;
  return select(y, -1.0f / y, (rq.q & 1) == 1);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_rem_pio2f']],
};
