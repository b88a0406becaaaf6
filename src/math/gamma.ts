/**
 * The gamma function and the logarithm of its absolute value.
 *
 * Method (numbats' own; the constants come from scripts/math-functions-fixtures.py
 * --coefficients). Write x = n + f with n = floor(x + 1/2), so f = x - n is exact and
 * |f| <= 1/2. Then
 *   1/Gamma(1 + f) = R(f) = 1 + f v(f),  v(f) = c0 + f (c1 + f (c2 + ... + f c15)),
 * a Chebyshev fit on [-1/2, 1/2] (relative error below 6e-19), evaluated with its last
 * three steps and c0, c1 in double-double arithmetic; and
 *   Gamma(x) = P / R(f),        P = (f + 1)(f + 2) ... (f + n - 1)   for n >= 1,
 *   Gamma(x) = 1 / (R(f) P),    P = (f + n)(f + n + 1) ... (f + 0)   for n <= 0,
 * where every factor f + j = x - (n - j) is exact and the product is kept in double-double
 * (rescaled by 2^-600 when large). So the only roundings are the fit's, the double-double
 * steps' (about 2^-100 each) and the final quotient's: within 1 ulp everywhere, poles
 * included (a factor near a pole is small but exact). Cost: |x| steps of a double-double
 * product (about 20 flops each), at most 190.
 *
 * lgamma(x) = log|Gamma(x)|: near its zeros at 1 and 2 from the same fit (x in [1/2, 3/2]:
 * -log1p(f v(f)); [3/2, 5/2]: log1p(f (1 - v)/(1 + f v)), f = x - 2), below 1/2 as
 * -log(x) - log1p(x v(x)), up to 30 as the log of the double-double Gamma, past 30 by
 * Stirling's series, and for x < -30 by the reflection formula.
 */
import { divDD, dd, log, log1p, mulDD, sinpi, twoProd, twoSum } from './libm.js';

const C0H = 0.5772156649015329;
const C0L = -4.396605545489029e-18;
const C1H = -0.6558780715202539;
const C1L = 2.13249906221019e-17;
const C2 = -0.042002635034095515;
const C3 = 0.1665386113822915;
const C4 = -0.04219773455552084;
const C5 = -0.00962197152787899;
const C6 = 0.007218943245911072;
const C7 = -0.0011651675917944975;
const C8 = -0.00021524166229467653;
const C9 = 0.0001280502813722699;
const C10 = -2.01349556850396e-05;
const C11 = -1.250484796492716e-06;
const C12 = 1.1335045480626792e-06;
const C13 = -2.056750434568255e-07;
const C14 = 4.939580133523849e-09;
const C15 = 5.1041498417163275e-09;
/** Products are rescaled by 2^-600 past 2^600, so that the split in twoProd cannot overflow. */
const BIG = 4.149515568880993e+180; // 2^600
const SMALL = 2.409919865102884e-181; // 2^-600
/** log(2 pi)/2 - 1/2 and log(pi). */
const HALF_LOG_2PI_M_HALF = 0.4189385332046727;
const LOG_PI = 1.1447298858494002;
/** Stirling's series coefficients B_2k / (2k (2k - 1)), k = 1 ... 6. */
const ST1 = 0.08333333333333333;
const ST2 = -0.002777777777777778;
const ST3 = 0.0007936507936507937;
const ST4 = -0.0005952380952380953;
const ST5 = 0.0008417508417508417;
const ST6 = -0.0019175269175269176;
/** Below 30 lgamma uses the product, at and past it Stirling's series. */
const LGAMMA_STIRLING = 30;

/** R(f) = 1/Gamma(1 + f) for |f| <= 1/2 as a double-double (high part returned, low in dd.lo); v(f) in vHi/vLo. */
const v = { hi: 0, lo: 0 };
function recipGamma1p(f: number): number {
  const t = C2 + f * (C3 + f * (C4 + f * (C5 + f * (C6 + f * (C7 + f * (C8 + f * (C9 + f * (C10 + f * (C11 + f * (C12 + f * (C13 + f * (C14 + f * C15))))))))))));
  // u = c1 + f t
  let p = twoProd(f, t);
  let e = dd.lo;
  let s = twoSum(C1H, p);
  e += dd.lo + C1L;
  const uh = s + e;
  const ul = e - (uh - s);
  // v = c0 + f u
  p = twoProd(f, uh);
  e = dd.lo + f * ul;
  s = twoSum(C0H, p);
  e += dd.lo + C0L;
  const vh = s + e;
  const vl = e - (vh - s);
  v.hi = vh;
  v.lo = vl;
  // R = 1 + f v
  p = twoProd(f, vh);
  e = dd.lo + f * vl;
  s = twoSum(1, p);
  e += dd.lo;
  const r = s + e;
  dd.lo = e - (r - s);
  return r;
}

/** The product's scale: the double-double product is P * 2^-scale. */
let scale = 0;

/** (f + lo)(f + lo + 1) ... (f + hi) as a double-double times 2^-scale (high part returned). */
function product(f: number, lo: number, hi: number): number {
  let ph = 1;
  let pl = 0;
  scale = 0;
  for (let j = lo; j <= hi; j++) {
    ph = mulDD(ph, pl, f + j, 0);
    pl = dd.lo;
    if (Math.abs(ph) > BIG) {
      ph *= SMALL;
      pl *= SMALL;
      scale += 600;
    }
  }
  dd.lo = pl;
  return ph;
}

/** x * 2^k for k a multiple of 600 (exact steps; a subnormal or infinite result rounds once). */
function rescale(x: number, k: number): number {
  for (; k > 0; k -= 600) x *= BIG;
  for (; k < 0; k += 600) x *= SMALL;
  return x;
}

/**
 * The gamma function, Gamma(x) = integral from 0 to Infinity of t^(x-1) e^-t dt, extended to
 * negative x by Gamma(x + 1) = x Gamma(x).
 *
 * Method: 1/Gamma(1 + f) from a Chebyshev fit and the recurrence in double-double arithmetic
 * (see the file's header). Measured against 256-bit mpmath on the 4,488 inputs of
 * test/fixtures/math-functions.json (poles' neighbourhoods, overflow at 171.62 and
 * underflow below -171 included): max error 0.51 ulp (asserted <= 2). Special values:
 * gamma(±0) = ±Infinity, gamma(-n) = NaN for the negative integers, gamma(Infinity) =
 * Infinity, gamma(-Infinity) = NaN.
 *
 * @example
 * ```ts
 * nb.math.gamma(5); // 24
 * nb.math.gamma(0.5); // 1.772453850905516
 * nb.math.gamma(-1.5); // 2.363271801207355
 * ```
 */
export function gamma(x: number): number {
  if (x !== x) return x + x;
  if (x === Infinity) return x;
  const a = Math.abs(x);
  if (a < 1.3877787807814457e-17) return 1 / x;
  if (x > 172) return Infinity;
  const n = Math.floor(x + 0.5);
  if (x < -190) {
    if (n === x || a === Infinity) return NaN;
    const m = Math.floor(x);
    return m - 2 * Math.floor(m * 0.5) !== 0 ? -0 : 0;
  }
  const f = x - n;
  if (f === 0 && n <= 0) return NaN;
  const rh = recipGamma1p(f);
  const rl = dd.lo;
  if (n >= 1) {
    const ph = product(f, 1, n - 1);
    const q = divDD(ph, dd.lo, rh, rl);
    return rescale(q, scale);
  }
  const ph = product(f, n, 0);
  const dh = mulDD(rh, rl, ph, dd.lo);
  const q = divDD(1, 0, dh, dd.lo);
  return rescale(q, -scale);
}

/** lgamma by Stirling's series, x >= 30. */
function stirling(x: number): number {
  if (x >= 2.8823037615171174e17) return x * (log(x) - 1);
  const z = 1 / x;
  const z2 = z * z;
  const s = z * (ST1 + z2 * (ST2 + z2 * (ST3 + z2 * (ST4 + z2 * (ST5 + z2 * ST6)))));
  // (x - 1/2)(log(x) - 1) as an exact product (log(x) - 1 is exact), then one rounding.
  const p = twoProd(x - 0.5, log(x) - 1);
  const pl = dd.lo;
  const t = twoSum(p, HALF_LOG_2PI_M_HALF + s);
  return t + (dd.lo + pl);
}

/**
 * The logarithm of the absolute value of the gamma function, log|Gamma(x)| (Python's
 * math.lgamma, SciPy's gammaln), finite far past where Gamma overflows.
 *
 * Method: see the file's header. Measured against 256-bit mpmath on the 3,674 inputs of
 * test/fixtures/math-functions.json: max error 1.43 ulp for x > 0 (its zeros at 1 and 2
 * included) and 1.53 for x < 0 away from its zeros (near a zero of log|Gamma| at negative x,
 * e.g. -2.4570, the error is about 1e-16 absolute, so large in ulps). Special values:
 * lgamma(1) = lgamma(2) = 0, +Infinity at 0 and the negative integers and at ±Infinity.
 *
 * @example
 * ```ts
 * nb.math.lgamma(10); // 12.801827480081469
 * nb.math.lgamma(1000); // 5905.220423209181
 * nb.math.lgamma(-0.5); // 1.2655121234846454
 * ```
 */
export function lgamma(x: number): number {
  if (x !== x) return x + x;
  const a = Math.abs(x);
  if (a === Infinity) return Infinity;
  if (a < 8.470329472543003e-22) return -log(a);
  if (x < 0) {
    const n = Math.floor(x + 0.5);
    const f = x - n;
    if (f === 0) return Infinity;
    if (x > -LGAMMA_STIRLING) {
      const rh = recipGamma1p(f);
      const rl = dd.lo;
      const ph = product(f, n, 0);
      const dh = mulDD(rh, rl, ph, dd.lo);
      return -(log(Math.abs(dh)) + dd.lo / dh);
    }
    return LOG_PI - log(Math.abs(sinpi(x) * x)) - stirling(-x);
  }
  if (x < 0.5) {
    recipGamma1p(x);
    return -log(x) - log1p(x * v.hi + x * v.lo);
  }
  if (x <= 1.5) {
    // -log1p(w) for w = f v as a double-double: log1p(wh + wl) = log1p(wh) + wl / (1 + wh).
    const f = x - 1;
    recipGamma1p(f);
    const wh = twoProd(f, v.hi);
    const wl = dd.lo + f * v.lo;
    return 0 - (log1p(wh) + wl / (1 + wh)); // 0 - : lgamma(1) is +0
  }
  if (x <= 2.5) {
    // log1p(w), w = f (1 - v) / R(f) as a double-double.
    const f = x - 2;
    const rh = recipGamma1p(f);
    const rl = dd.lo;
    const dh = twoSum(1, -v.hi);
    const dl = dd.lo - v.lo;
    const nh = twoProd(f, dh);
    const wh = divDD(nh, dd.lo + f * dl, rh, rl);
    return log1p(wh) + dd.lo / (1 + wh);
  }
  if (x < LGAMMA_STIRLING) {
    const f = x - Math.floor(x + 0.5);
    const rh = recipGamma1p(f);
    const rl = dd.lo;
    const ph = product(f, 1, Math.floor(x + 0.5) - 1);
    const q = divDD(ph, dd.lo, rh, rl);
    return log(q) + dd.lo / q;
  }
  return stirling(x);
}
