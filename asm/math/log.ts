/**
 * log and log2 for float64x2 / float32x4 lanes, and scalar versions.
 *
 * Method (fdlibm's e_log.c / e_log2.c / e_logf.c / e_log2f.c as in musl, vectorised): x = 2^k m
 * with m in [sqrt(2)/2, sqrt(2)), taken from the bits (adding 0x3ff00000 - 0x3fe6a09e to the
 * high word first makes k the exponent of x sqrt(2)); f = m - 1, s = f / (2 + f), and
 * log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), R a minimax polynomial in s^2 (7 coefficients
 * Lg1..Lg7 for float64, 4 for float32; Sun's fdlibm, error < 2^-58.45 / 2^-34.24 on
 * |s| <= 0.1716). log = k ln2hi + (that + k ln2lo) with ln2hi short enough that k ln2hi is exact.
 * log2 splits f - f^2/2 into hi (low 32 / 12 bits cleared) + lo and multiplies by 1/ln2 in two
 * pieces (fdlibm's e_log2), so log2(2^k) = k exactly. One division per vector: cheap enough
 * (Golden Cove divpd: one per 4 cycles) and it keeps the polynomial short.
 *
 * The fast path takes vectors whose lanes are all positive normal finite numbers. Otherwise
 * a slow path scales subnormals by 2^54 (2^25 for float32) and fixes up the special lanes:
 * log(+-0) = -inf, log(x < 0) = NaN (also -inf), log(+inf) = +inf, NaN -> NaN, as NumPy.
 *
 * Measured max error: log 0.81 ulp float64 (2M random points incl. near 1 and subnormals, long
 * double references), 0.84 float32 (all 2^32 inputs); log2 0.77 float64, 0.86 float32.
 */
import { k64, k32, mad64, mad32, all64, all32 } from './common';

// prettier-ignore
const LOG64: usize = memory.data<u64>([
  0x00095F6200000000, //  0 (0x3ff00000 - 0x3fe6a09e) << 32: added to the bits, rounds k to nearest
  0x000FFFFFFFFFFFFF, //  1 mantissa mask
  0x3FE6A09E00000000, //  2 exponent bits of sqrt(2)/2 (in the high word)
  0x4330000000000000, //  3 2^52 (bits): (2^52 + j) - (2^52 + 1023) = j - 1023
  0x43300000000003FF, //  4 2^52 + 1023
  0x3FF0000000000000, //  5 1.0
  0x4000000000000000, //  6 2.0
  0x3FE0000000000000, //  7 0.5
  0x3FE62E42FEE00000, //  8 ln2_hi = 6.93147180369123816490e-01 (k ln2_hi exact)
  0x3DEA39EF35793C76, //  9 ln2_lo = 1.90821492927058770002e-10
  // 10..16: Lg1..Lg7
  0x3FE5555555555593, 0x3FD999999997FA04, 0x3FD2492494229359, 0x3FCC71C51D8E78AF,
  0x3FC7466496CB03DE, 0x3FC39A09D078C69F, 0x3FC2F112DF3E5244,
  0x0010000000000000, // 17 smallest normal
  0x7FF0000000000000, // 18 +inf
  0x4350000000000000, // 19 2^54 (subnormal scaling)
  0x404B000000000000, // 20 54.0
  0xFFF0000000000000, // 21 -inf
  0x7FF8000000000000, // 22 NaN
  0xFFFFFFFF00000000, // 23 clears the low 32 bits (log2's hi)
  0x3FF7154765200000, // 24 ivln2hi = 1.44269504072144627571e+00
  0x3DE705FC2EEFA200, // 25 ivln2lo = 1.67517131648865118353e-10
]);

// prettier-ignore
const LOG32: usize = memory.data<u32>([
  0x004AFB0D, //  0 0x3f800000 - 0x3f3504f3
  0x007FFFFF, //  1 mantissa mask
  0x3F3504F3, //  2 sqrt(2)/2
  0x4B000000, //  3 2^23 (bits)
  0x4B00007F, //  4 2^23 + 127
  0x3F800000, //  5 1.0
  0x40000000, //  6 2.0
  0x3F000000, //  7 0.5
  0x3F317180, //  8 ln2_hi = 6.9313812256e-01
  0x3717F7D1, //  9 ln2_lo = 9.0580006145e-06
  // 10..13: Lg1..Lg4 (0xaaaaaa.0p-24, 0xccce13.0p-25, 0x91e9ee.0p-25, 0xf89e26.0p-26)
  0x3F2AAAAA, 0x3ECCCE13, 0x3E91E9EE, 0x3E789E26,
  0x00800000, // 14 smallest normal
  0x7F800000, // 15 +inf
  0x4C000000, // 16 2^25 (subnormal scaling)
  0x41C80000, // 17 25.0
  0xFF800000, // 18 -inf
  0x7FC00000, // 19 NaN
  0xFFFFF000, // 20 clears the low 12 bits (log2's hi)
  0x3FB8B000, // 21 ivln2hi = 1.4428710938e+00
  0xB9389AD4, // 22 ivln2lo = -1.7605285393e-04
]);

// ---- float64 ----------------------------------------------------------------------------------

/**
 * log (base2 = false) or log2 of positive normal lanes; kadj (0, or 54 for lanes that were
 * scaled by 2^54) is subtracted from k.
 */
// @ts-ignore: decorator
@inline function logCore64(x: v128, kadj: v128, base2: bool): v128 {
  const T = LOG64;
  const u = i64x2.add(x, k64(T));
  // k as a double: bits (2^52 + biased k) minus (2^52 + 1023).
  const kf = f64x2.sub(f64x2.sub(v128.or(i64x2.shr_u(u, 52), k64(T + 3 * 8)), k64(T + 4 * 8)), kadj);
  const m = i64x2.add(v128.and(u, k64(T + 8)), k64(T + 2 * 8));
  const one = k64(T + 5 * 8);
  const f = f64x2.sub(m, one);
  const hfsq = f64x2.mul(k64(T + 7 * 8), f64x2.mul(f, f));
  const s = f64x2.div(f, f64x2.add(k64(T + 6 * 8), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, mad64(w, mad64(w, k64(T + 15 * 8), k64(T + 13 * 8)), k64(T + 11 * 8)));
  const t2 = f64x2.mul(
    z,
    mad64(w, mad64(w, mad64(w, k64(T + 16 * 8), k64(T + 14 * 8)), k64(T + 12 * 8)), k64(T + 10 * 8)),
  );
  const R = f64x2.add(t2, t1);
  if (!base2) {
    // s (hfsq + R) + k ln2_lo - hfsq + f + k ln2_hi, left to right (musl's order).
    const a = mad64(kf, k64(T + 9 * 8), f64x2.mul(s, f64x2.add(hfsq, R)));
    return mad64(kf, k64(T + 8 * 8), f64x2.add(f64x2.sub(a, hfsq), f));
  }
  // fdlibm e_log2: hi + lo = f - hfsq + s (hfsq + R), hi with 32 low bits cleared.
  const hi = v128.and(f64x2.sub(f, hfsq), k64(T + 23 * 8));
  const lo = f64x2.add(f64x2.sub(f64x2.sub(f, hi), hfsq), f64x2.mul(s, f64x2.add(hfsq, R)));
  const vhi = f64x2.mul(hi, k64(T + 24 * 8));
  let vlo = mad64(f64x2.add(lo, hi), k64(T + 25 * 8), f64x2.mul(lo, k64(T + 24 * 8)));
  const sum = f64x2.add(kf, vhi);
  vlo = f64x2.add(vlo, f64x2.add(f64x2.sub(kf, sum), vhi));
  return f64x2.add(vlo, sum);
}

/** Fast path when every lane is a positive normal finite number; otherwise logSlow64. */
// @ts-ignore: decorator
@inline function log64v(x: v128, base2: bool): v128 {
  const T = LOG64;
  const ok = v128.and(f64x2.ge(x, k64(T + 17 * 8)), f64x2.lt(x, k64(T + 18 * 8)));
  if (!all64(ok)) return logSlow64(x, base2);
  return logCore64(x, v128.xor(x, x), base2);
}

/** Subnormal lanes scaled by 2^54; zero, negative, inf and NaN lanes fixed up afterwards. */
function logSlow64(x: v128, base2: bool): v128 {
  const T = LOG64;
  const sub = f64x2.lt(x, k64(T + 17 * 8));
  const xs = v128.bitselect(f64x2.mul(x, k64(T + 19 * 8)), x, sub);
  let res = logCore64(xs, v128.and(k64(T + 20 * 8), sub), base2);
  res = v128.bitselect(x, res, f64x2.ne(x, x)); // NaN
  res = v128.bitselect(x, res, f64x2.eq(x, k64(T + 18 * 8))); // +inf
  const zero = f64x2.eq(x, v128.xor(x, x));
  res = v128.bitselect(k64(T + 21 * 8), res, zero);
  return v128.bitselect(k64(T + 22 * 8), res, f64x2.lt(x, v128.xor(x, x))); // x < 0 (and -inf)
}

/** Natural log of two float64 lanes. */
// @ts-ignore: decorator
@inline export function log64x2(x: v128): v128 {
  return log64v(x, false);
}

/** log2 of two float64 lanes. */
// @ts-ignore: decorator
@inline export function log264x2(x: v128): v128 {
  return log64v(x, true);
}

/** log(x), float64 (the SIMD kernel on one lane). */
export function log64(x: f64): f64 {
  return f64x2.extract_lane(log64v(f64x2.splat(x), false), 0);
}

/** log2(x), float64. */
export function log264(x: f64): f64 {
  return f64x2.extract_lane(log64v(f64x2.splat(x), true), 0);
}

// ---- float32 ----------------------------------------------------------------------------------

/** log / log2 of positive normal float32 lanes (see logCore64); kadj is 0 or 25. */
// @ts-ignore: decorator
@inline function logCore32(x: v128, kadj: v128, base2: bool): v128 {
  const T = LOG32;
  const u = i32x4.add(x, k32(T));
  const kf = f32x4.sub(f32x4.sub(v128.or(i32x4.shr_u(u, 23), k32(T + 3 * 4)), k32(T + 4 * 4)), kadj);
  const m = i32x4.add(v128.and(u, k32(T + 4)), k32(T + 2 * 4));
  const f = f32x4.sub(m, k32(T + 5 * 4));
  const hfsq = f32x4.mul(k32(T + 7 * 4), f32x4.mul(f, f));
  const s = f32x4.div(f, f32x4.add(k32(T + 6 * 4), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, mad32(w, k32(T + 13 * 4), k32(T + 11 * 4)));
  const t2 = f32x4.mul(z, mad32(w, k32(T + 12 * 4), k32(T + 10 * 4)));
  const R = f32x4.add(t2, t1);
  if (!base2) {
    const a = mad32(kf, k32(T + 9 * 4), f32x4.mul(s, f32x4.add(hfsq, R)));
    return mad32(kf, k32(T + 8 * 4), f32x4.add(f32x4.sub(a, hfsq), f));
  }
  // fdlibm e_log2f: (lo + hi) ivln2lo + lo ivln2hi + hi ivln2hi + k, hi with 12 low bits cleared.
  const hi = v128.and(f32x4.sub(f, hfsq), k32(T + 20 * 4));
  const lo = f32x4.add(f32x4.sub(f32x4.sub(f, hi), hfsq), f32x4.mul(s, f32x4.add(hfsq, R)));
  const a = mad32(f32x4.add(lo, hi), k32(T + 22 * 4), f32x4.mul(lo, k32(T + 21 * 4)));
  return f32x4.add(mad32(hi, k32(T + 21 * 4), a), kf);
}

// @ts-ignore: decorator
@inline function log32v(x: v128, base2: bool): v128 {
  const T = LOG32;
  const ok = v128.and(f32x4.ge(x, k32(T + 14 * 4)), f32x4.lt(x, k32(T + 15 * 4)));
  if (!all32(ok)) return logSlow32(x, base2);
  return logCore32(x, v128.xor(x, x), base2);
}

function logSlow32(x: v128, base2: bool): v128 {
  const T = LOG32;
  const sub = f32x4.lt(x, k32(T + 14 * 4));
  const xs = v128.bitselect(f32x4.mul(x, k32(T + 16 * 4)), x, sub);
  let res = logCore32(xs, v128.and(k32(T + 17 * 4), sub), base2);
  const zero = v128.xor(x, x);
  res = v128.bitselect(x, res, f32x4.ne(x, x)); // NaN
  res = v128.bitselect(x, res, f32x4.eq(x, k32(T + 15 * 4))); // +inf
  res = v128.bitselect(k32(T + 18 * 4), res, f32x4.eq(x, zero)); // +-0
  return v128.bitselect(k32(T + 19 * 4), res, f32x4.lt(x, zero)); // x < 0
}

/** Natural log of four float32 lanes. */
// @ts-ignore: decorator
@inline export function log32x4(x: v128): v128 {
  return log32v(x, false);
}

/** log2 of four float32 lanes. */
// @ts-ignore: decorator
@inline export function log232x4(x: v128): v128 {
  return log32v(x, true);
}

/** log(x), float32. */
export function log32(x: f32): f32 {
  return f32x4.extract_lane(log32v(f32x4.splat(x), false), 0);
}

/** log2(x), float32. */
export function log232(x: f32): f32 {
  return f32x4.extract_lane(log32v(f32x4.splat(x), true), 0);
}
