/**
 * tanh for float64x2 / float32x4 lanes, and scalar versions.
 *
 * Two formulas, both computed for every lane and selected by |x| (a branch per vector would
 * mispredict on mixed data):
 *   |x| <  T:  tanh x = x + x z P(z), z = x^2: an odd minimax polynomial (Remez, weighted for
 *              relative error; `python3 scripts/math-fixtures.py --coefficients`):
 *              float64 T = 0.55, P degree 10 (error 2^-60.6); float32 T = 0.625, P degree 4
 *              (error 2^-27.8). No cancellation, and tanh(x) = x for tiny x, tanh(-0) = -0.
 *   |x| >= T:  tanh |x| = 1 - 2 / (e^(2|x|) + 1), with |x| clamped to 20 (float32: 9.5), where
 *              tanh is 1 to working precision, so e^(2|x|) never overflows and +-inf give +-1;
 *              the sign of x is then copied in. 2 / (e + 1) <= 0.5 there, so its rounding errors
 *              are at most half an ulp of the result.
 * e^y uses exp.ts's kernel without the range check (NaN propagates).
 *
 * Measured accuracy: see test/math/simd-math.test.ts output (at the time of writing max
 * 1.3 ulp float64, 1.4 float32, both near |x| = T where 2 / (e + 1) is largest).
 */
import { k64, k32, mad64, mad32 } from './common';
import { expNoCheck64, expNoCheck32 } from './exp';

// prettier-ignore
const TANH64: usize = memory.data<f64>([
  0.55,                   //  0 threshold T
  20.0,                   //  1 clamp: tanh(20) = 1 - 8.5e-18 rounds to 1
  2.0,                    //  2
  1.0,                    //  3
  -0.0,                   //  4 sign bit
  // 5..15: P0..P10, tanh x = x + x z P(z) on |x| <= 0.55 (Remez, relative error 2^-60.6)
  -0.333333333333333, 0.13333333333326622, -0.05396825396376057, 0.021869488385854875,
  -0.008863232601428296, 0.0035920920303251225, -0.0014555428451430354, 0.0005884444840730765,
  -0.00023338156067747193, 8.331644184418049e-05, -1.949468462575283e-05,
]);

// prettier-ignore
const TANH32: usize = memory.data<f32>([
  0.625,                  //  0 threshold T
  9.5,                    //  1 clamp: tanhf(9.5) rounds to 1
  2.0,                    //  2
  1.0,                    //  3
  -0.0,                   //  4 sign bit
  // 5..9: P0..P4 on |x| <= 0.625 (Remez, relative error 2^-27.8)
  -0.3333328068256378, 0.13331441581249237, -0.05373971536755562, 0.0206390880048275,
  -0.005704986862838268,
]);

/** tanh of two float64 lanes. */
// @ts-ignore: decorator
@inline export function tanh64x2(x: v128): v128 {
  const T = TANH64;
  const ax = f64x2.abs(x);
  // Small |x|: x + x z P(z), P by Estrin's scheme.
  const z = f64x2.mul(x, x);
  const z2 = f64x2.mul(z, z);
  const z4 = f64x2.mul(z2, z2);
  const a0 = mad64(z, k64(T + 6 * 8), k64(T + 5 * 8));
  const a1 = mad64(z, k64(T + 8 * 8), k64(T + 7 * 8));
  const a2 = mad64(z, k64(T + 10 * 8), k64(T + 9 * 8));
  const a3 = mad64(z, k64(T + 12 * 8), k64(T + 11 * 8));
  const a4 = mad64(z, k64(T + 14 * 8), k64(T + 13 * 8));
  const b2 = mad64(z2, k64(T + 15 * 8), a4);
  const P = mad64(z4, mad64(z4, b2, mad64(z2, a3, a2)), mad64(z2, a1, a0));
  const small = mad64(f64x2.mul(x, z), P, x);
  // Large |x|: 1 - 2 / (e^(2|x|) + 1), sign of x copied in. pmin keeps a NaN (it returns ax).
  const two = k64(T + 2 * 8);
  const one = k64(T + 3 * 8);
  const e = expNoCheck64(f64x2.mul(two, f64x2.pmin(ax, k64(T + 8))));
  const large = f64x2.sub(one, f64x2.div(two, f64x2.add(e, one)));
  const signed = v128.or(large, v128.and(x, k64(T + 4 * 8)));
  return v128.bitselect(small, signed, f64x2.lt(ax, k64(T)));
}

/** tanh of four float32 lanes. */
// @ts-ignore: decorator
@inline export function tanh32x4(x: v128): v128 {
  const T = TANH32;
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  const z2 = f32x4.mul(z, z);
  const a0 = mad32(z, k32(T + 6 * 4), k32(T + 5 * 4));
  const a1 = mad32(z, k32(T + 8 * 4), k32(T + 7 * 4));
  const P = mad32(z2, mad32(z2, k32(T + 9 * 4), a1), a0);
  const small = mad32(f32x4.mul(x, z), P, x);
  const two = k32(T + 2 * 4);
  const one = k32(T + 3 * 4);
  const e = expNoCheck32(f32x4.mul(two, f32x4.pmin(ax, k32(T + 4))));
  const large = f32x4.sub(one, f32x4.div(two, f32x4.add(e, one)));
  const signed = v128.or(large, v128.and(x, k32(T + 4 * 4)));
  return v128.bitselect(small, signed, f32x4.lt(ax, k32(T)));
}

/** tanh(x), float64 (the SIMD kernel on one lane). */
export function tanh64(x: f64): f64 {
  return f64x2.extract_lane(tanh64x2(f64x2.splat(x)), 0);
}

/** tanh(x), float32. */
export function tanh32(x: f32): f32 {
  return f32x4.extract_lane(tanh32x4(f32x4.splat(x)), 0);
}
