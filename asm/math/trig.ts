/**
 * sin and cos for float64x2 / float32x4 lanes, and scalar versions.
 *
 * float64 (sin64x2, cos64x2): x = n pi/2 + (y + yy), n = round(x 2/pi) by the toint trick (n's
 * low bits stay in the mantissa of x 2/pi + 1.5 2^52), then musl's kernels __sin(y, yy) (degree
 * 13, |error| < 2^-58) and __cos(y, yy) (degree 14, < 2^-58) with FreeBSD/musl's coefficients
 * (Sun fdlibm, Remez on [-pi/4, pi/4]). Both kernels are computed and selected per lane by n & 1;
 * n & 2 flips the sign (cos uses n + 1). The reduction is tiered like musl's __rem_pio2:
 *   1. common case: one Cody-Waite round, y = (x - n pio2_1) - n pio2_1t with a 33-bit pio2_1
 *      (exact product for n < 2^20) and its rounding error in yy; good to about |x| 2^-86.6,
 *      so used when |y| >= |x| 2^-25 and |x| <= 823549 in both lanes (random data never fails
 *      this; one compare tests both);
 *   2. otherwise musl's second round (33 more bits of pi/2, about 2^-100 absolute), for
 *      |x| <= 1647099 and |y| >= |x| 2^-49;
 *   3. otherwise, per lane, an exact Payne-Hanek reduction (rem-pio2.ts): huge |x| and the
 *      numbers closest to multiples of pi/2 (|x - n pi/2| down to 2^-60.5 at x = 45.55...).
 *      AssemblyScript's own Math.sin/cos would do for huge |x| but measured up to 2.46 ulp.
 * NaN propagates on the fast path; +-inf reach tier 3, which returns NaN; sin(-0) = -0.
 *
 * float32 (sin32x4, cos32x4): computed in float64 (two f64x2 halves), which makes a single
 * kernel enough: sin x = (-1)^n sin y with x = n pi + y, cos x = (-1)^(m+1) sin y with
 * x = (m + 1/2) pi + y, |y| <= pi/2, y = (x - h pi_hi) - h pi_lo (h = n or m + 1/2, pi_hi of 24
 * bits so h pi_hi is exact), sin y = y + y z P(z) with P of degree 4 (Remez, relative error
 * 2^-35.3 on [-pi/2, pi/2], far below float32's 2^-24). One rounding to float32 at the end, so
 * results stay within 0.5 ulp plus about 2^-11 ulp. Lanes with |x| >= 2^28 pi/2 (or inf) use
 * the float64 kernels above, rounded. (musl's float32 approach, quadrants of pi/2 and both
 * __sindf and __cosdf with a lane select, measured 1.5x slower.)
 *
 * Scalar sin64(x) etc. run the SIMD kernel on one lane, so strided and contiguous loops give
 * bit-identical results. Measured max error (test/math/simd-math.test.ts, long double
 * references, the hard cases above included): sin 0.75 ulp, cos 0.73 float64; float32 over
 * all 2^32 inputs: see test/math/simd-math.test.ts's header.
 */
import { k64, k32, mad64, high32, pack32 } from './common';
import { remPio2Large, remY0, remY1 } from './rem-pio2';

// prettier-ignore
const TRIG64: usize = memory.data<f64>([
  0.63661977236758134308,     //  0 2/pi
  6755399441055744.0,         //  1 toint = 1.5 * 2^52
  1.57079632673412561417e+00, //  2 pio2_1  = 0x3ff921fb54400000, first 33 bits of pi/2
  6.07710050630396597660e-11, //  3 pio2_2  = 0x3dd0b4611a600000, next 33 bits
  2.02226624879595063154e-21, //  4 pio2_2t = pi/2 - pio2_1 - pio2_2
  1647099.0,                  //  5 fast path while |x| <= this (~2^20 pi/2)
  1.7763568394002505e-15,     //  6 2^-49: y0 this much smaller than x needs a third round
  0.5,                        //  7
  1.0,                        //  8
  // 9..14: __sin S1..S6
  -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,
  2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10,
  // 15..20: __cos C1..C6
  4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,
  -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11,
  // 21: the integer 1 (as an i64 bit pattern: 4.9e-324)
  5e-324,
  6.07710050650619224932e-11, // 22 pio2_1t = pi/2 - pio2_1
  2.9802322387695312e-08,     // 23 2^-25
  823549.0,                   // 24 ~2^19 pi/2
]);

// prettier-ignore
const TRIG32: usize = memory.data<f64>([
  0.3183098861837907,         //  0 1/pi
  6755399441055744.0,         //  1 toint
  3.141592502593994,          //  2 pi_hi = pi rounded down to 24 bits: n pi_hi exact for |n| < 2^29
  1.5099579909783765e-07,     //  3 pi_lo = pi - pi_hi (> 0, so x = -0 keeps y = -0)
  // 4..8: P0..P4, sin y = y + y z P(z) on |y| <= pi/2 (Remez, relative error 2^-35.3)
  -0.16666666626149235, 0.008333331108585298, -0.0001984086820751426, 2.752538430000129e-06,
  -2.3888907048141256e-08,
  0.5,                        //  9
  5e-324,                     // 10 the integer 1
]);

// prettier-ignore
const TRIG32F: usize = memory.data<f32>([
  421657440.0,                //  0 fast path while |x| < 2^28 pi/2 (the reduction below stays exact)
]);

/**
 * The kernels on reduced arguments: (q & 1 ? cos : sin)(y + yy), negated when q & 2, where q is
 * n (sin) or n + 1 (cos) in the low bits of each i64 lane.
 */
// @ts-ignore: decorator
@inline function trigKernel64(y: v128, yy: v128, q: v128): v128 {
  const T = TRIG64;
  const half = k64(T + 7 * 8);
  const one = k64(T + 8 * 8);
  const z = f64x2.mul(y, y);
  const z2 = f64x2.mul(z, z);
  // musl __sin(y, yy, 1)
  const sr = f64x2.add(
    mad64(z, mad64(z, k64(T + 12 * 8), k64(T + 11 * 8)), k64(T + 10 * 8)),
    f64x2.mul(f64x2.mul(z, z2), mad64(z, k64(T + 14 * 8), k64(T + 13 * 8))),
  );
  const v = f64x2.mul(z, y);
  const s = f64x2.sub(
    y,
    f64x2.sub(
      f64x2.sub(f64x2.mul(z, f64x2.sub(f64x2.mul(half, yy), f64x2.mul(v, sr))), yy),
      f64x2.mul(v, k64(T + 9 * 8)),
    ),
  );
  // musl __cos(y, yy)
  const cr = f64x2.add(
    f64x2.mul(z, mad64(z, mad64(z, k64(T + 17 * 8), k64(T + 16 * 8)), k64(T + 15 * 8))),
    f64x2.mul(f64x2.mul(z2, z2), mad64(z, mad64(z, k64(T + 20 * 8), k64(T + 19 * 8)), k64(T + 18 * 8))),
  );
  const hz = f64x2.mul(half, z);
  const w1 = f64x2.sub(one, hz);
  const c = f64x2.add(
    w1,
    f64x2.add(f64x2.sub(f64x2.sub(one, w1), hz), f64x2.sub(f64x2.mul(z, cr), f64x2.mul(y, yy))),
  );
  const i1 = k64(T + 21 * 8);
  const odd = i64x2.eq(v128.and(q, i1), i1);
  return v128.xor(v128.bitselect(c, s, odd), i64x2.shl(i64x2.shr_u(q, 1), 63));
}

/**
 * sin (cosine = false) or cos of two float64 lanes: the common case. One round of musl's
 * reduction (r0 = x - n pio2_1 exact, then the 53-bit tail pio2_1t with its rounding error in
 * yy) is good to about |x| 2^-86.6 absolute, so it is used when |y| >= |x| 2^-25 (relative error
 * <= 2^-61.6) and |x| <= 823549 (n < 2^19); other vectors go to trig64Medium.
 */
// @ts-ignore: decorator
@inline function trig64(x: v128, cosine: bool): v128 {
  const T = TRIG64;
  const ax = f64x2.abs(x);
  const t = mad64(x, k64(T), k64(T + 8));
  const fn = f64x2.sub(t, k64(T + 8));
  const r0 = f64x2.sub(x, f64x2.mul(fn, k64(T + 2 * 8)));
  const w = f64x2.mul(fn, k64(T + 22 * 8));
  const y = f64x2.sub(r0, w);
  // One compare for both conditions: |y| < max(|x| 2^-25, |x| - 823549). A NaN or inf x gives
  // NaN y, which compares false and stays here (the result is NaN either way).
  const lim = f64x2.pmax(f64x2.mul(ax, k64(T + 23 * 8)), f64x2.sub(ax, k64(T + 24 * 8)));
  if (v128.any_true(f64x2.lt(f64x2.abs(y), lim))) return trig64Medium(x, cosine);
  const yy = f64x2.sub(f64x2.sub(r0, y), w);
  return trigKernel64(y, yy, cosine ? i64x2.add(t, k64(T + 21 * 8)) : t);
}

/**
 * trig64 for vectors with a lane near a multiple of pi/2 or above 823549: musl's first two
 * rounds (good to about 2^-100 absolute for |x| <= 1647099); lanes still within |x| 2^-49 of a
 * multiple of pi/2, larger, or inf go on to trigSlow64.
 */
function trig64Medium(x: v128, cosine: bool): v128 {
  const T = TRIG64;
  const ax = f64x2.abs(x);
  const t = mad64(x, k64(T), k64(T + 8));
  const fn = f64x2.sub(t, k64(T + 8));
  // Rounds 1 and 2 of musl's __rem_pio2 (r0 exact; w carries the rounding error of r).
  const r0 = f64x2.sub(x, f64x2.mul(fn, k64(T + 2 * 8)));
  let w = f64x2.mul(fn, k64(T + 3 * 8));
  const r = f64x2.sub(r0, w);
  w = f64x2.sub(f64x2.mul(fn, k64(T + 4 * 8)), f64x2.sub(f64x2.sub(r0, r), w));
  const y = f64x2.sub(r, w);
  const yy = f64x2.sub(f64x2.sub(r, y), w);
  const res = trigKernel64(y, yy, cosine ? i64x2.add(t, k64(T + 21 * 8)) : t);
  const bad = v128.or(f64x2.gt(ax, k64(T + 5 * 8)), f64x2.lt(f64x2.abs(y), f64x2.mul(ax, k64(T + 6 * 8))));
  if (v128.any_true(bad)) return trigSlow64(x, res, bad, cosine);
  return res;
}

/** `bad` lanes of trig64 redone with the exact large-argument reduction (rem-pio2.ts). */
function trigSlow64(x: v128, res: v128, bad: v128, cosine: bool): v128 {
  const n0 = remPio2Large(f64x2.extract_lane(x, 0));
  const y0 = remY0, yy0 = remY1;
  const n1 = remPio2Large(f64x2.extract_lane(x, 1));
  const y = f64x2.replace_lane(f64x2.splat(y0), 1, remY0);
  const yy = f64x2.replace_lane(f64x2.splat(yy0), 1, remY1);
  const c = <i64>cosine;
  const q = i64x2.replace_lane(i64x2.splat(<i64>n0 + c), 1, <i64>n1 + c);
  return v128.bitselect(trigKernel64(y, yy, q), res, bad);
}

/** sin of two float64 lanes. */
// @ts-ignore: decorator
@inline export function sin64x2(x: v128): v128 {
  return trig64(x, false);
}

/** cos of two float64 lanes. */
// @ts-ignore: decorator
@inline export function cos64x2(x: v128): v128 {
  return trig64(x, true);
}

/** sin(x), float64 (the SIMD kernel on one lane). */
export function sin64(x: f64): f64 {
  return f64x2.extract_lane(trig64(f64x2.splat(x), false), 0);
}

/** cos(x), float64. */
export function cos64(x: f64): f64 {
  return f64x2.extract_lane(trig64(f64x2.splat(x), true), 0);
}

// ---- float32, computed in float64 halves ------------------------------------------------------

/**
 * sin or cos of two float32 values promoted to f64x2 lanes (|x| < 2^28 pi/2, or NaN).
 * sin: x = n pi + y, sin x = (-1)^n sin y. cos: x = (m + 1/2) pi + y, cos x = (-1)^(m+1) sin y.
 * |y| <= pi/2 and one polynomial, good to 2^-35 in float64: no second kernel or lane select.
 */
// @ts-ignore: decorator
@inline function trig32Half(x: v128, cosine: bool): v128 {
  const T = TRIG32;
  // t's low mantissa bits hold n (or m); h = n (or m + 1/2) is exact, so is h pi_hi.
  const t = cosine
    ? f64x2.add(f64x2.sub(f64x2.mul(x, k64(T)), k64(T + 9 * 8)), k64(T + 8))
    : mad64(x, k64(T), k64(T + 8));
  const n = f64x2.sub(t, k64(T + 8));
  const h = cosine ? f64x2.add(n, k64(T + 9 * 8)) : n;
  const y = f64x2.sub(f64x2.sub(x, f64x2.mul(h, k64(T + 2 * 8))), f64x2.mul(h, k64(T + 3 * 8)));
  const z = f64x2.mul(y, y);
  const z2 = f64x2.mul(z, z);
  const P = mad64(
    z2,
    mad64(z2, k64(T + 8 * 8), mad64(z, k64(T + 7 * 8), k64(T + 6 * 8))),
    mad64(z, k64(T + 5 * 8), k64(T + 4 * 8)),
  );
  // y + y z P written as y - (0 - y z P) so that y = -0 gives -0.
  const s = f64x2.sub(y, f64x2.sub(v128.xor(y, y), f64x2.mul(f64x2.mul(y, z), P)));
  const q = cosine ? i64x2.add(t, k64(T + 10 * 8)) : t;
  return v128.xor(s, i64x2.shl(q, 63));
}

/** sin or cos of four float32 lanes. */
// @ts-ignore: decorator
@inline function trig32(x: v128, cosine: bool): v128 {
  const lo = trig32Half(f64x2.promote_low_f32x4(x), cosine);
  const hi = trig32Half(f64x2.promote_low_f32x4(high32(x)), cosine);
  const res = pack32(lo, hi);
  const bad = f32x4.ge(f32x4.abs(x), k32(TRIG32F));
  if (v128.any_true(bad)) return trigSlow32(x, res, bad, cosine);
  return res;
}

/** Lanes of `bad` recomputed with the float64 sin64 / cos64, rounded to float32. */
function trigSlow32(x: v128, res: v128, bad: v128, cosine: bool): v128 {
  let slow = res;
  slow = f32x4.replace_lane(slow, 0, trigScalarSlow32(f32x4.extract_lane(x, 0), cosine));
  slow = f32x4.replace_lane(slow, 1, trigScalarSlow32(f32x4.extract_lane(x, 1), cosine));
  slow = f32x4.replace_lane(slow, 2, trigScalarSlow32(f32x4.extract_lane(x, 2), cosine));
  slow = f32x4.replace_lane(slow, 3, trigScalarSlow32(f32x4.extract_lane(x, 3), cosine));
  return v128.bitselect(slow, res, bad);
}

// @ts-ignore: decorator
@inline function trigScalarSlow32(x: f32, cosine: bool): f32 {
  return <f32>(cosine ? cos64(<f64>x) : sin64(<f64>x));
}

/** sin of four float32 lanes. */
// @ts-ignore: decorator
@inline export function sin32x4(x: v128): v128 {
  return trig32(x, false);
}

/** cos of four float32 lanes. */
// @ts-ignore: decorator
@inline export function cos32x4(x: v128): v128 {
  return trig32(x, true);
}

/** sin(x), float32 (the SIMD kernel's float64 half on one lane: same bits as sin32x4). */
export function sin32(x: f32): f32 {
  if (!(Mathf.abs(x) < load<f32>(TRIG32F))) return trigScalarSlow32(x, false);
  return <f32>f64x2.extract_lane(trig32Half(f64x2.splat(<f64>x), false), 0);
}

/** cos(x), float32. */
export function cos32(x: f32): f32 {
  if (!(Mathf.abs(x) < load<f32>(TRIG32F))) return trigScalarSlow32(x, true);
  return <f32>f64x2.extract_lane(trig32Half(f64x2.splat(<f64>x), true), 0);
}
