/**
 * The error function and its complement, fdlibm 5.3's s_erf.c (algorithm and constants,
 * with its exp from ./libm.ts):
 *
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunSoft, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely granted,
 *   provided that this notice is preserved.
 *
 * Ranges of |x|: [0, 0.84375) erf(x) = x + x R(x^2) (a rational minimax); [0.84375, 1.25)
 * erf = erx + P(s)/Q(s), s = |x| - 1; [1.25, 28) erfc(x) = exp(-z^2 - 0.5625) exp((z - x)(z + x)
 * + R(1/x^2)/S(1/x^2)) / x, z being x with its low 32 bits cleared (so z^2 is exact), with two
 * rational approximations split at 1/0.35; past 6 (erf) or 28 (erfc) the result is 1 or 0.
 * One change: the two exps are one, of the double-double sum of their arguments and erfc's
 * quotient by x is rounded once (fdlibm's two rounded exps and plain quotient reached 2.2 ulp
 * for erfc near x = 9; this 1.7 at most, near x = 1.25).
 * The same operations run in the kernels' AssemblyScript (emit/assemblyscript/math-prelude.ts).
 */
import { clearLowWord, highWord } from './bits.js';
import { dd, exp, twoProd, twoSum } from './libm.js';

const ERX = 8.45062911510467529297e-01;
const EFX = 1.28379167095512586316e-01;
const EFX8 = 1.02703333676410069053e+00;
const PP0 = 1.28379167095512558561e-01;
const PP1 = -3.25042107247001499370e-01;
const PP2 = -2.84817495755985104766e-02;
const PP3 = -5.77027029648944159157e-03;
const PP4 = -2.37630166566501626084e-05;
const QQ1 = 3.97917223959155352819e-01;
const QQ2 = 6.50222499887672944485e-02;
const QQ3 = 5.08130628187576562776e-03;
const QQ4 = 1.32494738004321644526e-04;
const QQ5 = -3.96022827877536812320e-06;
const PA0 = -2.36211856075265944077e-03;
const PA1 = 4.14856118683748331666e-01;
const PA2 = -3.72207876035701323847e-01;
const PA3 = 3.18346619901161753674e-01;
const PA4 = -1.10894694282396677476e-01;
const PA5 = 3.54783043256182359371e-02;
const PA6 = -2.16637559486879084300e-03;
const QA1 = 1.06420880400844228286e-01;
const QA2 = 5.40397917702171048937e-01;
const QA3 = 7.18286544141962662868e-02;
const QA4 = 1.26171219808761642112e-01;
const QA5 = 1.36370839120290507362e-02;
const QA6 = 1.19844998467991074170e-02;
const RA0 = -9.86494403484714822705e-03;
const RA1 = -6.93858572707181764372e-01;
const RA2 = -1.05586262253232909814e+01;
const RA3 = -6.23753324503260060396e+01;
const RA4 = -1.62396669462573470355e+02;
const RA5 = -1.84605092906711035994e+02;
const RA6 = -8.12874355063065934246e+01;
const RA7 = -9.81432934416914548592e+00;
const SA1 = 1.96512716674392571292e+01;
const SA2 = 1.37657754143519042600e+02;
const SA3 = 4.34565877475229228821e+02;
const SA4 = 6.45387271733267880336e+02;
const SA5 = 4.29008140027567833386e+02;
const SA6 = 1.08635005541779435134e+02;
const SA7 = 6.57024977031928170135e+00;
const SA8 = -6.04244152148580987438e-02;
const RB0 = -9.86494292470009928597e-03;
const RB1 = -7.99283237680523006574e-01;
const RB2 = -1.77579549177547519889e+01;
const RB3 = -1.60636384855821916062e+02;
const RB4 = -6.37566443368389627722e+02;
const RB5 = -1.02509513161107724954e+03;
const RB6 = -4.83519191608651397019e+02;
const SB1 = 3.03380607434824582924e+01;
const SB2 = 3.25792512996573918826e+02;
const SB3 = 1.53672958608443695994e+03;
const SB4 = 3.19985821950859553908e+03;
const SB5 = 2.55305040643316442583e+03;
const SB6 = 4.74528541206955367215e+02;
const SB7 = -2.24409524465858183362e+01;

/** x + x R(x^2) on |x| < 0.84375: R's value. */
function small(x: number): number {
  const z = x * x;
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

/** P(s)/Q(s) on 0.84375 <= |x| < 1.25, s = |x| - 1. */
function middle(ax: number): number {
  const s = ax - 1;
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** erfc(ax) * ax for 1.25 <= ax < 28 (ix is ax's high word) as t + dd.lo. */
function tail(ax: number, ix: number): number {
  const w = 1 / (ax * ax);
  let r: number;
  let q: number;
  if (ix < 0x4006db6e) {
    r = RA0 + w * (RA1 + w * (RA2 + w * (RA3 + w * (RA4 + w * (RA5 + w * (RA6 + w * RA7))))));
    q = 1 + w * (SA1 + w * (SA2 + w * (SA3 + w * (SA4 + w * (SA5 + w * (SA6 + w * (SA7 + w * SA8)))))));
  } else {
    r = RB0 + w * (RB1 + w * (RB2 + w * (RB3 + w * (RB4 + w * (RB5 + w * RB6)))));
    q = 1 + w * (SB1 + w * (SB2 + w * (SB3 + w * (SB4 + w * (SB5 + w * (SB6 + w * SB7))))));
  }
  // exp(-z^2 - 0.5625 + (z - ax)(z + ax) + r/q): -z^2 - 0.5625 is exact; fdlibm multiplies two
  // exps, this takes one of the rounded sum s and corrects by its error e: exp(s)(1 + e).
  const z = clearLowWord(ax);
  const s = twoSum(-z * z - 0.5625, (z - ax) * (z + ax) + r / q);
  const e = dd.lo;
  const t = exp(s);
  dd.lo = t * e;
  return t;
}

/**
 * The error function, erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt.
 *
 * Method: fdlibm's (see the file's header). Measured against 256-bit mpmath on the 4,121
 * inputs of test/fixtures/math-functions.json: max error 1.0 ulp (at a subnormal x; 0.68 for normal x) (asserted <= 2). Special
 * values: erf(±0) = ±0, erf(±Infinity) = ±1, erf(NaN) = NaN. The same bits in kernels on the
 * cpu and parallel targets; float32 kernels round this float64 result.
 *
 * @example
 * ```ts
 * nb.math.erf(0.5); // 0.5204998778130465
 * nb.math.erf(-3); // -0.9999779095030014
 * ```
 */
export function erf(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return (hx < 0 ? -1 : 1) + 1 / x;
  if (ix < 0x3feb0000) {
    if (ix < 0x3e300000) {
      if (ix < 0x00800000) return 0.125 * (8 * x + EFX8 * x);
      return x + EFX * x;
    }
    return x + x * small(x);
  }
  if (ix < 0x3ff40000) return hx >= 0 ? ERX + middle(Math.abs(x)) : -ERX - middle(Math.abs(x));
  if (ix >= 0x40180000) return hx >= 0 ? 1 : -1;
  const ax = Math.abs(x);
  const t = tail(ax, ix);
  const r = t + dd.lo;
  return hx >= 0 ? 1 - r / ax : r / ax - 1;
}

/**
 * The complementary error function, erfc(x) = 1 - erf(x), accurate where erf(x) is near 1.
 *
 * Method: fdlibm's (see the file's header). Measured against 256-bit mpmath on the 5,177
 * inputs of test/fixtures/math-functions.json: max error 1.68 ulp (1.36 past 1.25) (asserted <= 2), results
 * down to the subnormal range (erfc(x) underflows to 0 past x = 27.2). Special values:
 * erfc(-Infinity) = 2, erfc(Infinity) = 0, erfc(NaN) = NaN.
 *
 * @example
 * ```ts
 * nb.math.erfc(0.5); // 0.4795001221869535
 * nb.math.erfc(10); // 2.088487583762545e-45
 * ```
 */
export function erfc(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return (hx < 0 ? 2 : 0) + 1 / x;
  if (ix < 0x3feb0000) {
    if (ix < 0x3c700000) return 1 - x;
    const y = small(x);
    if (hx < 0x3fd00000) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ix < 0x3ff40000) {
    const pq = middle(Math.abs(x));
    return hx >= 0 ? (1 - ERX) - pq : 1 + (ERX + pq);
  }
  if (ix < 0x403c0000) {
    if (hx < 0 && ix >= 0x40180000) return 2;
    const ax = Math.abs(x);
    // (t + t e) / ax, rounded once: the quotient q, its remainder, one correction.
    const t = tail(ax, ix);
    const te = dd.lo;
    const q = t / ax;
    const p = twoProd(q, ax);
    const r = q + (((t - p) - dd.lo) + te) / ax;
    return hx > 0 ? r : 2 - r;
  }
  return hx > 0 ? 0 : 2;
}
