/**
 * The elementary kernels nb.math's functions are built from: exp, log and log1p for float64,
 * the sine and cosine polynomials on [-pi/4, pi/4], sin(pi x), and double-double products.
 *
 * Why not Math.exp and friends: nb.math's results must be the same bits in plain JS, in the
 * JS tier of a kernel and in its AssemblyScript (Wasm) tier, and engines' Math functions
 * differ in the last bit (V8's are fdlibm's, AssemblyScript's are musl's). These are written
 * once more, operation for operation, in src/compiler/emit/assemblyscript/math-prelude.ts;
 * test/math/functions.test.ts checks both give the same bits. Only IEEE-exact operations are
 * used (+ - * /, Math.abs, Math.floor, integer bit operations), so the two agree exactly.
 *
 * exp, log, log1p, __kernel_sin and __kernel_cos are fdlibm 5.3's algorithms and constants
 * (e_exp.c, e_log.c, s_log1p.c, k_sin.c, k_cos.c), each within 1 ulp:
 *
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunSoft, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely granted,
 *   provided that this notice is preserved.
 *
 * Double-double arithmetic (Dekker's two-product through Veltkamp's split, Knuth's two-sum)
 * returns the high part and leaves the low part in {@link dd}.lo.
 */
import { fromWords, highWord, lowWord, pow2, withHighWord } from './bits.js';

const LN2_HI = 6.93147180369123816490e-01; // 0x3fe62e42 0xfee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 0x35793c76
const INV_LN2 = 1.44269504088896338700e+00;
const TWO54 = 1.80143985094819840000e+16;
const O_THRESHOLD = 7.09782712893383973096e+02;
const U_THRESHOLD = -7.45133219101941108420e+02;
const TWOM1000 = 9.33263618503218878990e-302;
const P1 = 1.66666666666666019037e-01;
const P2 = -2.77777777770155933842e-03;
const P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06;
const P5 = 4.13813679705723846039e-08;
const LG1 = 6.666666666666735130e-01;
const LG2 = 3.999999999940941908e-01;
const LG3 = 2.857142874366239149e-01;
const LG4 = 2.222219843214978396e-01;
const LG5 = 1.818357216161805012e-01;
const LG6 = 1.531383769920937332e-01;
const LG7 = 1.479819860511658591e-01;
const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;
/** pi = PI_HI + PI_LO to 2^-107. */
export const PI_HI = 3.141592653589793;
export const PI_LO = 1.2246467991473532e-16;
/** Veltkamp's split constant 2^27 + 1. */
const SPLIT = 134217729;

/** The low part of the last double-double result. */
export const dd = { lo: 0 };

/** a * b exactly: returns the rounded product, dd.lo the error (|a|, |b| < 2^996). */
export function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  dd.lo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/** a + b exactly: returns the rounded sum, dd.lo the error. */
export function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  dd.lo = (a - (s - bb)) + (b - bb);
  return s;
}

/** (xh + xl) * (yh + yl) as a double-double. */
export function mulDD(xh: number, xl: number, yh: number, yl: number): number {
  const p = twoProd(xh, yh);
  const e = dd.lo + (xh * yl + xl * yh);
  const s = p + e;
  dd.lo = e - (s - p);
  return s;
}

/** (xh + xl) / (yh + yl) as a double-double (the high part is the quotient rounded). */
export function divDD(xh: number, xl: number, yh: number, yl: number): number {
  const q1 = xh / yh;
  const ph = mulDD(q1, 0, yh, yl);
  const pl = dd.lo;
  const q2 = ((xh - ph) - pl + xl) / yh;
  const s = q1 + q2;
  dd.lo = q2 - (s - q1);
  return s;
}

/** e^x (fdlibm's __ieee754_exp, < 1 ulp). */
export function exp(x: number): number {
  let hx = highWord(x);
  const xsb = (hx >>> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x;
      return xsb === 0 ? x : 0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = xsb === 0 ? x - LN2_HI : x + LN2_HI;
      lo = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = (INV_LN2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * pow2(1023) : y * pow2(k);
  return y * pow2(k + 1000) * TWOM1000;
}

/** The natural logarithm (fdlibm's __ieee754_log, < 1 ulp). */
export function log(x: number): number {
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
}

/** log(1 + x), accurate near 0 (fdlibm's log1p, < 1 ulp). */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN;
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5;
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1);
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHighWord(u, hu | 0x3ff00000);
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  const dk = k;
  if (hu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c += dk * LN2_LO;
      return dk * LN2_HI + c;
    }
    const r = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - r : dk * LN2_HI - ((r - (dk * LN2_LO + c)) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - ((hfsq - (s * (hfsq + r) + (dk * LN2_LO + c))) - f);
}

/** sin(x + y) for |x| <= pi/4, y the tail of x (fdlibm's __kernel_sin with iy = 1). */
export function kernelSin(x: number, y: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x + y) for |x| <= pi/4, y the tail of x (fdlibm's __kernel_cos). */
export function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

/** sin(pi t) for |t| <= 1/4: pi t as a double-double, then the kernel. */
function sinPiSmall(t: number): number {
  const y = twoProd(PI_HI, t);
  return kernelSin(y, dd.lo + PI_LO * t);
}

/** cos(pi t) for |t| <= 1/4. */
function cosPiSmall(t: number): number {
  const y = twoProd(PI_HI, t);
  return kernelCos(y, dd.lo + PI_LO * t);
}

/**
 * sin(pi x), with the reduction modulo 2 done exactly: within 1 ulp, exactly ±0 at the
 * integers (the sign of x), NaN for NaN and ±Infinity.
 */
export function sinpi(x: number): number {
  const a = Math.abs(x);
  if (!(a < 4503599627370496)) return a === Infinity || x !== x ? NaN : x * 0;
  let r = a - 2 * Math.floor(a * 0.5);
  let s = x < 0 ? -1 : 1;
  if (r >= 1) {
    r -= 1;
    s = -s;
  }
  if (r === 0) return x * 0;
  if (r <= 0.25) return s * sinPiSmall(r);
  if (r < 0.75) return s * cosPiSmall(0.5 - r);
  return s * sinPiSmall(1 - r);
}

/** S1 ... S6 of the sine kernel, for sinc's series: sin(y) / y = 1 + z (S1 + z r(z)), z = y^2. */
export const SIN_POLY = [S1, S2, S3, S4, S5, S6] as const;
