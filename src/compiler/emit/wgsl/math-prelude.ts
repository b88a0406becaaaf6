/**
 * WGSL (float32) versions of nb.math for the gpu target. WGSL has no erf, gamma, ..., and its
 * exp and log are loose on some adapters (lavapipe: exp 56 ulp, log 33 ulp, prelude.ts), so
 * these build on an exp and a log of their own (Cody-Waite reduction and short polynomials
 * in float32), and never call WGSL's exp/log:
 *   erf, erfc      fdlibm's rational approximations (src/math/erf.ts) with float32 arithmetic;
 *   gamma          src/math/gamma.ts's method: 1/Gamma(1 + f) from a 9-term Chebyshev fit
 *                  (scripts/math-functions-fixtures.py --coefficients), the recurrence as a
 *                  product in float32 pairs (nb_gprodf: a plain float32 product reached 7.9
 *                  ulp at x = -32.9, this 2.2);
 *   lgamma         log|Gamma| near its zeros at 1 and 2 from the same fit (log1p forms),
 *                  log of the product below 10, Stirling past 10, reflection below -10;
 *   sinc           a polynomial below 1/4, else sin(pi x) (exact reduction) / (pi x);
 *   nextafter      a float32 step of the bits (a subnormal result may flush to zero: WGSL
 *                  allows it); ldexp  scalbnf's steps (exponent clamped to +-300).
 * The measured bounds on lavapipe (float32 ulps of the correctly rounded float32 reference)
 * are in test/gpu/math-functions.test.ts and docs/guide/07-kernel-language.md.
 * Format: name -> [WGSL source, helpers it calls], merged into prelude.ts's table.
 */

type Helpers = Record<string, readonly [string, readonly string[]]>;

/** A float32 literal. */
const f = (x: number) => `${Math.fround(x)}f`;

/** Horner's scheme on `v` with coefficients lowest first, as float32 literals. */
const horner = (v: string, cs: readonly number[]): string =>
  cs.slice(0, -1).reduceRight((acc, c) => `${f(c)} + ${v} * (${acc})`, f(cs[cs.length - 1]!));

const PP = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
const QQ = [1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
const PA = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
const QA = [1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
const RA = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
const SA = [1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
const RB = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
const SB = [1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];
const ERX = 8.45062911510467529297e-01;
/** 1/Gamma(1 + f) = 1 + f v(f), v's 9 terms for float32. */
const V32 = [0.5772156649015329, -0.6558780890027758, -0.04200263235668376, 0.16653954397092618, -0.04219787750685928, -0.00963540807512164, 0.007221007819847806, -0.0010934166928485804, -0.00022632814702695892];

let made: Helpers | undefined;

/**
 * The math helpers, by name: WGSL source and the helpers it calls. Made on first use (the
 * gpu target's first prelude), not at import: programs that never compile a gpu kernel do
 * not build them. (The table's lines keep their indentation: it is the WGSL's.)
 *
 * @example
 * ```ts
 * mathHelpers().nb_pow2f![1]; // []
 * ```
 */
export function mathHelpers(): Helpers {
  return (made ??= mathTable());
}

const mathTable = (): Helpers => ({
  nb_pow2f: [
    // 2^k for k in [-126, 127], built from its bits.
    `fn nb_pow2f(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }`, []],
  nb_ldexpf: [
    // scalbnf's steps: one rounding, the last step alone entering the subnormals.
    `fn nb_ldexpf(x: f32, e: i32) -> f32 {
  var n = clamp(e, -300, 300);
  var y = x;
  if (n > 127) {
    y = y * nb_pow2f(127);
    n = n - 127;
    if (n > 127) { y = y * nb_pow2f(127); n = min(n - 127, 127); }
  } else if (n < -126) {
    y = y * nb_pow2f(-102);
    n = n + 102;
    if (n < -126) { y = y * nb_pow2f(-102); n = max(n + 102, -126); }
  }
  return y * nb_pow2f(n);
}`, ['nb_pow2f']],
  nb_expf: [
    // e^x: x = k ln2 + r (ln2's high part has 15 bits, so k * ln2hi is exact), |r| <= ln2/2,
    // e^r by its Taylor polynomial to r^8/8!, then 2^k.
    `fn nb_expf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  if (x > 88.72284f) { return nb_inf(); }
  if (x < -104.0f) { return 0.0f; }
  let k = round(x * 1.4426950f);
  let r = (x - k * 0.693145751953125f) - k * 1.4286068e-6f;
  let p = 1.0f + r * (${horner('r', [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320])});
  return nb_ldexpf(p, i32(k));
}`, ['nb_isnan', 'nb_inf', 'nb_ldexpf']],
  nb_logf: [
    // log(x) = e ln2 + log(m), m in [sqrt(1/2), sqrt(2)): 2 atanh(s), s = (m - 1)/(m + 1).
    `fn nb_logf(x: f32) -> f32 {
  if (nb_isnan(x) || x < 0.0f) { return nb_nan(); }
  if (x == 0.0f) { return -nb_inf(); }
  if (nb_isinf(x)) { return x; }
  // A subnormal (where the GPU keeps them; lavapipe's frexp of one is off): scale by 2^24.
  let sub = x < 1.1754944e-38f;
  let fr = frexp(select(x, x * 16777216.0f, sub));
  var m = fr.fract;
  var e = fr.exp - select(0, 24, sub);
  if (m < 0.70710677f) { m = m * 2.0f; e = e - 1; }
  let g = m - 1.0f;
  let s = g / (2.0f + g);
  let z = s * s;
  let l = 2.0f * s * (${horner('z', [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11])});
  let k = f32(e);
  return k * 0.693145751953125f + (l + k * 1.4286068e-6f);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_inf']],
  nb_erf_tailf: [
    // erfc(a) * a for 1.25 <= a < 28: exp(-z^2 - 0.5625) exp((z - a)(z + a) + R/S), z = a with
    // its low 12 bits cleared (z^2 exact).
    `fn nb_erf_tailf(a: f32) -> f32 {
  let w = 1.0f / (a * a);
  var r: f32;
  var q: f32;
  if (a < 2.857143f) {
    r = ${horner('w', RA)};
    q = ${horner('w', SA)};
  } else {
    r = ${horner('w', RB)};
    q = ${horner('w', SB)};
  }
  let z = bitcast<f32>(bitcast<u32>(a) & 0xffffe000u);
  return nb_expf(-z * z - 0.5625f) * nb_expf((z - a) * (z + a) + r / q);
}`, ['nb_expf']],
  nb_erff: [
    `fn nb_erff(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  if (a < 0.84375f) {
    if (a < 3.7252903e-9f) { return x + 0.12837917f * x; }
    let z = x * x;
    return x + x * ((${horner('z', PP)}) / (${horner('z', QQ)}));
  }
  if (a < 1.25f) {
    let s = a - 1.0f;
    let pq = (${horner('s', PA)}) / (${horner('s', QA)});
    return nb_copysignf(${f(ERX)} + pq, x);
  }
  if (a >= 6.0f) { return nb_copysignf(1.0f, x); }
  return nb_copysignf(1.0f - nb_erf_tailf(a) / a, x);
}`, ['nb_isnan', 'nb_copysignf', 'nb_erf_tailf']],
  nb_erfcf: [
    `fn nb_erfcf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  if (a < 0.84375f) {
    if (a < 1.3877788e-17f) { return 1.0f - x; }
    let z = x * x;
    let y = (${horner('z', PP)}) / (${horner('z', QQ)});
    if (x < 0.25f) { return 1.0f - (x + x * y); }
    return 0.5f - (x * y + (x - 0.5f));
  }
  if (a < 1.25f) {
    let s = a - 1.0f;
    let pq = (${horner('s', PA)}) / (${horner('s', QA)});
    if (x > 0.0f) { return ${f(1 - ERX)} - pq; }
    return 1.0f + (${f(ERX)} + pq);
  }
  if (x <= -6.0f) { return 2.0f; }
  if (x >= 28.0f) { return 0.0f; }
  let r = nb_erf_tailf(a) / a;
  return select(2.0f - r, r, x > 0.0f);
}`, ['nb_isnan', 'nb_erf_tailf']],
  nb_rgamma1pf: [
    // 1/Gamma(1 + f) for |f| <= 1/2.
    `fn nb_rgamma1pf(f: f32) -> f32 { return 1.0f + f * (${horner('f', V32)}); }`, []],
  nb_gprodf: [
    // (fr + lo)(fr + lo + 1) ... (fr + hi) = (h + l) 2^s: a float32 pair, l the accumulated exact
    // errors of the products (Dekker's two-product, split by masking the low 12 mantissa bits;
    // the arithmetic split t - (t - a) and a renormalisation (p + e) - p are folded away by
    // shader compilers), rescaled by 2^-64 past 2^64. A plain float32 product: 7.9 ulp; this 2.2.
    `struct NbGprod { h: f32, l: f32, s: i32 }
fn nb_gprodf(fr: f32, lo: i32, hi: i32) -> NbGprod {
  var ph = 1.0f;
  var pl = 0.0f;
  var scale = 0;
  for (var j = lo; j <= hi; j = j + 1) {
    let c = fr + f32(j);
    let p = ph * c;
    let ah = bitcast<f32>(bitcast<u32>(ph) & 0xfffff000u);
    let al = ph - ah;
    let ch = bitcast<f32>(bitcast<u32>(c) & 0xfffff000u);
    let cl = c - ch;
    pl = pl * c + (((ah * ch - p) + ah * cl + al * ch) + al * cl);
    ph = p;
    if (abs(ph) > 1.8446744e19f) { ph = ph * 5.421011e-20f; pl = pl * 5.421011e-20f; scale = scale + 64; }
  }
  return NbGprod(ph, pl, scale);
}`, []],
  nb_gammaf: [
    // x = n + f, |f| <= 1/2; Gamma(x) = (f + 1)...(f + n - 1) / R(f), or 1 / (R(f) (f + n)...(f + 0)).
    `fn nb_gammaf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  if (x == 0.0f) { return nb_copysignf(nb_inf(), x); }
  if (nb_isinf(x)) { return select(nb_nan(), x, x > 0.0f); }
  if (x > 35.5f) { return nb_inf(); }
  let n = floor(x + 0.5f);
  let fr = x - n;
  if (fr == 0.0f && n <= 0.0f) { return nb_nan(); }
  if (x < -50.0f) {
    let m = floor(x);
    return select(0.0f, -0.0f, m - 2.0f * floor(m * 0.5f) != 0.0f);
  }
  let r = nb_rgamma1pf(fr);
  if (n >= 1.0f) {
    let p = nb_gprodf(fr, 1, i32(n) - 1);
    return nb_ldexpf((p.h + p.l) / r, p.s);
  }
  let p = nb_gprodf(fr, i32(n), 0);
  return nb_ldexpf(1.0f / (r * p.h + r * p.l), -p.s);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_inf', 'nb_copysignf', 'nb_rgamma1pf', 'nb_gprodf', 'nb_ldexpf']],  nb_sinpif: [
    // sin(pi x), the reduction modulo 2 exact; +-0 at the integers.
    `fn nb_sinpif(x: f32) -> f32 {
  let a = abs(x);
  if (nb_isnan(x) || nb_isinf(x)) { return nb_nan(); }
  if (a >= 8388608.0f) { return x * 0.0f; }
  var r = a - 2.0f * floor(a * 0.5f);
  var s = select(1.0f, -1.0f, x < 0.0f);
  if (r >= 1.0f) { r = r - 1.0f; s = -s; }
  if (r == 0.0f) { return x * 0.0f; }
  if (r > 0.25f && r < 0.75f) {
    let y = (0.5f - r) * 3.1415927f;
    let z = y * y;
    return s * (${horner('z', [1, -1 / 2, 1 / 24, -1 / 720, 1 / 40320, -1 / 3628800, 1 / 479001600])});
  }
  let y = select(r, 1.0f - r, r >= 0.75f) * 3.1415927f;
  let z = y * y;
  return s * y * (${horner('z', [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800])});
}`, ['nb_isnan', 'nb_isinf', 'nb_nan']],
  nb_sincf: [
    `fn nb_sincf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.25f) {
    let y = 3.1415927f * a;
    let z = y * y;
    return ${horner('z', [1, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800])};
  }
  if (nb_isnan(x) || nb_isinf(x)) { return nb_nan(); }
  if (a >= 8388608.0f) { return 0.0f; }
  return nb_sinpif(a) / (3.1415927f * a);
}`, ['nb_isnan', 'nb_isinf', 'nb_nan', 'nb_sinpif']],
  nb_lgamma_stirlingf: [
    `fn nb_lgamma_stirlingf(x: f32) -> f32 {
  if (x > 1.0e30f) { return x * (nb_logf(x) - 1.0f); }
  let z = 1.0f / x;
  let z2 = z * z;
  let s = z * (${horner('z2', [1 / 12, -1 / 360, 1 / 1260, -1 / 1680])});
  return (x - 0.5f) * (nb_logf(x) - 1.0f) + (0.41893853f + s);
}`, ['nb_logf']],
  nb_lgammaf: [
    `fn nb_lgammaf(x: f32) -> f32 {
  if (nb_isnan(x)) { return x; }
  let a = abs(x);
  if (nb_isinf(x)) { return nb_inf(); }
  if (a < 1.0e-30f) { return -nb_logf(a); }
  let n = floor(x + 0.5f);
  let fr = x - n;
  if (x < 0.0f) {
    if (fr == 0.0f) { return nb_inf(); }
    if (x > -10.0f) {
      let r = nb_rgamma1pf(fr);
      let p = nb_gprodf(fr, i32(n), 0);
      let d = r * p.h;
      return -(nb_logf(abs(d)) + r * p.l / d);
    }
    return 1.14472988f - nb_logf(abs(nb_sinpif(x) * x)) - nb_lgamma_stirlingf(-x);
  }
  if (x < 0.5f) { return -nb_logf(x) - nb_log1pf(nb_rgamma1pf(x) - 1.0f); }
  if (x <= 1.5f) {
    let g = x - 1.0f;
    return 0.0f - nb_log1pf(g * (${horner('g', V32)}));
  }
  if (x <= 2.5f) {
    let g = x - 2.0f;
    let v = ${horner('g', V32)};
    return nb_log1pf(g * (1.0f - v) / (1.0f + g * v));
  }
  if (x < 10.0f) {
    let p = nb_gprodf(fr, 1, i32(n) - 1);
    return nb_logf(p.h / nb_rgamma1pf(fr)) + p.l / p.h;
  }
  return nb_lgamma_stirlingf(x);
}`, ['nb_isnan', 'nb_isinf', 'nb_inf', 'nb_logf', 'nb_log1pf', 'nb_rgamma1pf', 'nb_gprodf', 'nb_sinpif', 'nb_lgamma_stirlingf']],
  nb_nextafterf: [
    `fn nb_nextafterf(x: f32, y: f32) -> f32 {
  if (nb_isnan(x) || nb_isnan(y)) { return nb_nan(); }
  if (x == y) { return y; }
  if (x == 0.0f) { return select(nb_f32bits(0x80000001u), nb_f32bits(1u), y > 0.0f); }
  let u = bitcast<u32>(x);
  return nb_f32bits(select(u - 1u, u + 1u, (x > 0.0f) == (y > x)));
}`, ['nb_isnan', 'nb_nan', 'nb_f32bits']],
});
