/**
 * tanh for float64x2 / float32x4 lanes, and scalar versions.
 *
 * Two formulas, both computed for every lane and selected by |x| (a branch per vector would
 * mispredict on mixed data):
 *   |x| <  T:  tanh x = x + x z P(z), z = x^2: an odd minimax polynomial (Remez, weighted for
 *              relative error; `python3 scripts/math-fixtures.py --coefficients`):
 *              float64 T = 0.7, P degree 12 (error 2^-61.8); float32 T = 0.9, P degree 6
 *              (error 2^-29.8). No cancellation, and tanh(x) = x for tiny x.
 *   |x| >= T:  tanh |x| = 1 - 2 / (e^(2|x|) + 1), with |x| clamped to 20 (float32: 9.5), where
 *              tanh is 1 to working precision, so e^(2|x|) never overflows and +-inf give +-1.
 *              q = 2 / (e + 1) is at most 0.4 (float32: 0.28) there, which bounds how much of
 *              its rounding error (about 1.5 ulp of q) reaches the result.
 * The sign of x is copied into both (which also gives tanh(-0) = -0). e^y is exp.ts's kernel
 * without the range check (NaN propagates).
 *
 * Measured max error: float64 1.06 ulp (4M random points near |x| = T and in [-20, 20], long
 * double references; with T = 0.55 and a degree-10 polynomial it was 1.51, all from the second
 * formula just above T), float32 1.25 ulp over all 2^32 inputs (near |x| = 0.9).
 */
import { k64, k32, mad64, mad32 } from './common';
import { expNoCheck64, expNoCheck32 } from './exp';

// prettier-ignore
const TANH64: usize = memory.data<f64>([
  0.7,                    //  0 threshold T
  20.0,                   //  1 clamp: tanh(20) = 1 - 8.5e-18 rounds to 1
  2.0,                    //  2
  1.0,                    //  3
  -0.0,                   //  4 sign bit
  // 5..17: P0..P12, tanh x = x + x z P(z) on |x| <= 0.7 (Remez, relative error 2^-61.8)
  -0.3333333333333332, 0.13333333333331243, -0.053968253967068024, 0.021869488502182118,
  -0.00886323495431795, 0.0035921217488946817, -0.0014557877781388913, 0.0005897858549920686,
  -0.00023824020154835168, 9.458711124713582e-05, -3.49766696496259e-05, 1.0432223712055526e-05,
  -1.7728304120391109e-06,
]);

// prettier-ignore
const TANH32: usize = memory.data<f32>([
  0.9,                    //  0 threshold T
  9.5,                    //  1 clamp: tanhf(9.5) rounds to 1
  2.0,                    //  2
  1.0,                    //  3
  -0.0,                   //  4 sign bit
  // 5..11: P0..P6 on |x| <= 0.9 (Remez, relative error 2^-29.8)
  -0.33333322405815125, 0.13332977890968323, -0.05392930284142494, 0.021663542836904526,
  -0.008264544419944286, 0.0025826687924563885, -0.0004554603074211627,
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
  const a5 = mad64(z, k64(T + 16 * 8), k64(T + 15 * 8));
  const c1 = mad64(z4, k64(T + 17 * 8), mad64(z2, a5, a4));
  const c0 = mad64(z4, mad64(z2, a3, a2), mad64(z2, a1, a0));
  const P = mad64(f64x2.mul(z4, z4), c1, c0);
  const small = mad64(f64x2.mul(x, z), P, x);
  // Large |x|: 1 - 2 / (e^(2|x|) + 1), sign of x copied in. pmin keeps a NaN (it returns ax).
  const two = k64(T + 2 * 8);
  const one = k64(T + 3 * 8);
  const e = expNoCheck64(f64x2.mul(two, f64x2.pmin(ax, k64(T + 8))));
  const large = f64x2.sub(one, f64x2.div(two, f64x2.add(e, one)));
  // tanh has the sign of x: copying it in also makes tanh(-0) = -0 (x + (x z) P gives +0).
  return v128.or(v128.bitselect(small, large, f64x2.lt(ax, k64(T))), v128.and(x, k64(T + 4 * 8)));
}

/** tanh of four float32 lanes. */
// @ts-ignore: decorator
@inline export function tanh32x4(x: v128): v128 {
  const T = TANH32;
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  const z2 = f32x4.mul(z, z);
  const z4 = f32x4.mul(z2, z2);
  const a0 = mad32(z, k32(T + 6 * 4), k32(T + 5 * 4));
  const a1 = mad32(z, k32(T + 8 * 4), k32(T + 7 * 4));
  const a2 = mad32(z, k32(T + 10 * 4), k32(T + 9 * 4));
  const P = mad32(z4, mad32(z2, k32(T + 11 * 4), a2), mad32(z2, a1, a0));
  const small = mad32(f32x4.mul(x, z), P, x);
  const two = k32(T + 2 * 4);
  const one = k32(T + 3 * 4);
  const e = expNoCheck32(f32x4.mul(two, f32x4.pmin(ax, k32(T + 4))));
  const large = f32x4.sub(one, f32x4.div(two, f32x4.add(e, one)));
  return v128.or(v128.bitselect(small, large, f32x4.lt(ax, k32(T))), v128.and(x, k32(T + 4 * 4)));
}

/** tanh(x), float64 (the SIMD kernel on one lane). */
export function tanh64(x: f64): f64 {
  return f64x2.extract_lane(tanh64x2(f64x2.splat(x)), 0);
}

/** tanh(x), float32. */
export function tanh32(x: f32): f32 {
  return f32x4.extract_lane(tanh32x4(f32x4.splat(x)), 0);
}
