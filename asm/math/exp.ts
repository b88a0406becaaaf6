/**
 * exp and exp2, float64x2 / float32x4 and scalar.
 *
 * exp64x2: x = k ln2 + r with k = round(x / ln2) (the 1.5 * 2^52 "toint" trick, which also
 * leaves k in the low mantissa bits), r = (x - k ln2hi) - k ln2lo (Cody-Waite; ln2hi has 32
 * significant bits, so k ln2hi is exact for |k| < 2^21), |r| <= ln2/2. exp(r) = 1 + r + r^2 q(r),
 * q of degree 9 (total degree 11), a minimax fit of (e^r - 1 - r) / r^2 weighted for relative
 * error of e^r on [-ln2/2, ln2/2] (Remez, `python3 scripts/math-fixtures.py --coefficients`;
 * approximation error 2^-57.9). The result is p * 2^k by adding k to p's exponent field when
 * |x| <= 708 in both lanes (2^k stays normal); otherwise a slow path clamps x to
 * [-746, 710] and scales in two steps, p * 2^(k/2) * 2^(k - k/2), so overflow gives inf and
 * underflow rounds once into the subnormal range (gradual underflow), and NaN propagates.
 */
import { k64, mad64, all64 } from './common';

// prettier-ignore
const EXP64: usize = memory.data<f64>([
  1.4426950408889634,       // 0 1/ln2
  6755399441055744.0,       // 1 toint = 1.5 * 2^52: (y + toint) - toint rounds y to an integer
  6.93147180369123816490e-01, // 2 ln2hi (0x3fe62e42fee00000, 32 bits: k * ln2hi exact)
  1.90821492927058770002e-10, // 3 ln2lo = ln2 - ln2hi
  708.0,                    // 4 fast path |x| <= 708: k in [-1021, 1021]
  // 5..14: q(r) = c2 + c3 r + ... + c11 r^9 (Remez, relative error of e^r 2^-57.9)
  0.5000000000000011, 0.16666666666666413, 0.041666666666530267, 0.008333333333494333,
  0.001388888894359774, 0.00019841269506780452, 2.4801493136149254e-05, 2.7557586265557286e-06,
  2.763023393073865e-07, 2.5000072597918104e-08,
  1.0,                      // 15
  0.5,                      // 16
  710.0,                    // 17 slow-path clamp: exp(710) = inf
  -746.0,                   // 18 slow-path clamp: exp(-746) rounds to 0
  6755399441056767.0,       // 19 toint + 1023: bits of (k + this) << 52 = 2^k
]);

/** exp(r) for |r| <= ln2/2 (a bit beyond is fine): 1 + r + r^2 q(r), q by Estrin's scheme. */
@inline function expPoly64(r: v128): v128 {
  const T = EXP64;
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const a0 = mad64(r, k64(T + 6 * 8), k64(T + 5 * 8));
  const a1 = mad64(r, k64(T + 8 * 8), k64(T + 7 * 8));
  const a2 = mad64(r, k64(T + 10 * 8), k64(T + 9 * 8));
  const a3 = mad64(r, k64(T + 12 * 8), k64(T + 11 * 8));
  const a4 = mad64(r, k64(T + 14 * 8), k64(T + 13 * 8));
  const b0 = mad64(r2, a1, a0);
  const b1 = mad64(r2, a3, a2);
  const q = mad64(r4, mad64(r4, a4, b1), b0);
  return f64x2.add(k64(T + 15 * 8), mad64(r2, q, r));
}

/** e^x for two float64 lanes. */
export function exp64x2(x: v128): v128 {
  const T = EXP64;
  const t = mad64(x, k64(T), k64(T + 8));
  const kf = f64x2.sub(t, k64(T + 8));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kf, k64(T + 2 * 8))), f64x2.mul(kf, k64(T + 3 * 8)));
  const p = expPoly64(r);
  if (all64(f64x2.le(f64x2.abs(x), k64(T + 4 * 8)))) {
    return i64x2.add(p, i64x2.shl(t, 52));
  }
  return exp64x2Slow(x);
}

/** exp64x2 for lanes that may overflow, underflow, or be NaN (see the header). */
function exp64x2Slow(x: v128): v128 {
  const T = EXP64;
  const xc = f64x2.max(f64x2.min(x, k64(T + 17 * 8)), k64(T + 18 * 8));
  const t = mad64(xc, k64(T), k64(T + 8));
  const kf = f64x2.sub(t, k64(T + 8));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(kf, k64(T + 2 * 8))), f64x2.mul(kf, k64(T + 3 * 8)));
  const p = expPoly64(r);
  const k1 = f64x2.floor(f64x2.mul(kf, k64(T + 16 * 8)));
  const k2 = f64x2.sub(kf, k1);
  const s1 = i64x2.shl(f64x2.add(k1, k64(T + 19 * 8)), 52);
  const s2 = i64x2.shl(f64x2.add(k2, k64(T + 19 * 8)), 52);
  return f64x2.mul(f64x2.mul(p, s1), s2);
}

/** e^x, float64 (the SIMD kernel on one lane, so strided and contiguous loops agree bit for bit). */
export function exp64(x: f64): f64 {
  return f64x2.extract_lane(exp64x2(f64x2.splat(x)), 0);
}
