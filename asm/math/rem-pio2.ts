/**
 * Accurate argument reduction for sin/cos of any finite float64: x = n pi/2 + (y0 + y1) with
 * |y0 + y1| <= pi/4 (up to rounding), y0 + y1 a double-double good to about 2^-105 relative
 * (the precision of pi/2 as a double-double).
 * Used only for the lanes that leave the SIMD fast path in trig.ts (|x| > 1647099, inf, or x
 * within |x| 2^-49 of a multiple of pi/2), so it is plain scalar code.
 *
 * Why not AssemblyScript's NativeMath.sin for those lanes: its Payne-Hanek path (a port of
 * jdh8/metallic) measured up to 2.46 ulp error on 400k random |x| in [1.7e6, 2^1023] (124
 * points above 1 ulp), against 0.84 for V8's fdlibm Math.sin.
 *
 * Method (Payne-Hanek with integers): x = m 2^e with m the 53-bit significand. Bits of 2/pi
 * above weight 2^(1-e) only add multiples of 4 to x 2/pi, so a 192-bit window W of 2/pi starting
 * there is enough: the low 192 bits of m W (three 64x64 -> 128-bit products) hold x 2/pi mod 4
 * with 190 fraction bits. n = the nearest integer (mod 4), f = the signed remainder in [-1/2, 1/2],
 * normalised and converted to a double-double, then multiplied by pi/2 (double-double, Dekker's
 * exact product: Wasm has no FMA). The closest a double comes to a multiple of pi/2 is about
 * 2^-61 (Muller, "Elementary Functions", ch. 11), so 190 fraction bits leave > 120 significant.
 * The table holds 1216 bits of 2/pi (from mpmath) after 64 zero bits (for x just above pi/4).
 */

// prettier-ignore
const TWO_OVER_PI: usize = memory.data<u64>([
  0x0000000000000000, 0xA2F9836E4E441529, 0xFC2757D1F534DDC0, 0xDB6295993C439041,
  0xFE5163ABDEBBC561, 0xB7246E3A424DD2E0, 0x06492EEA09D1921C, 0xFE1DEB1CB129A73E,
  0xE88235F52EBB4484, 0xE99C7026B45F7E41, 0x3991D639835339F4, 0x9C845F8BBDF9283B,
  0x1FF897FFDE05980F, 0xEF2F118B5A0A6D1F, 0x6D367ECF27CB09B7, 0x4F463F669E5FEA2D,
  0x7527BAC7EBE5F17B, 0x3D0739F78A5292EA, 0x6BFB5FB11F8D5D08, 0x56033046FC7B6BAB,
]);

/** High part of pi/2 and the rest (pi/2 = PIO2H + PIO2L to about 2^-107). */
const PIO2H: f64 = 1.5707963267948966;
const PIO2L: f64 = 6.123233995736766e-17;

/** The reduced argument of the last remPio2Large call (per instance, so per worker thread). */
export let remY0: f64 = 0;
export let remY1: f64 = 0;

/** High 64 bits of the 128-bit product a * b (the low 64 are a * b with wrapping). */
// @ts-ignore: decorator
@inline function mulhi(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32;
  const b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const t = a1 * b0 + ((a0 * b0) >> 32);
  const u = a0 * b1 + (t & 0xFFFFFFFF);
  return a1 * b1 + (t >> 32) + (u >> 32);
}

/** The rounding error of p = a * b (Dekker's exact product; p must be fl(a * b)). */
// @ts-ignore: decorator
@inline function mulErr(a: f64, b: f64, p: f64): f64 {
  const ca = 134217729.0 * a; // 2^27 + 1 splits a into two 26-bit halves
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729.0 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** 2^k for -1022 <= k <= 1023. */
// @ts-ignore: decorator
@inline function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/**
 * Reduce x: returns n (its low bits: the quadrant) and sets remY0, remY1 with
 * x = n pi/2 + remY0 + remY1. |x| < pi/4 gives n = 0 and x itself; inf and NaN give NaN.
 */
export function remPio2Large(x: f64): i32 {
  const ax = Math.abs(x);
  if (!(ax < Infinity)) {
    remY0 = x - x;
    remY1 = 0;
    return 0;
  }
  if (ax < 0.7853981633974483) {
    remY0 = x;
    remY1 = 0;
    return 0;
  }
  const u = reinterpret<u64>(x);
  const m = (u & 0x000FFFFFFFFFFFFF) | 0x0010000000000000;
  const e = <i32>((u >> 52) & 0x7FF) - 1075; // x = m 2^e, e >= -53 here
  // 192 bits of 2/pi from bit position e - 1 (position p = e + 63 counting the 64 zero bits).
  const p = e + 63;
  const ptr = TWO_OVER_PI + (<usize>((p - 1) >> 6) << 3);
  const s = <u64>((p - 1) & 63);
  let w0 = load<u64>(ptr), w1 = load<u64>(ptr, 8), w2 = load<u64>(ptr, 16);
  if (s != 0) {
    const w3 = load<u64>(ptr, 24);
    w0 = (w0 << s) | (w1 >> (64 - s));
    w1 = (w1 << s) | (w2 >> (64 - s));
    w2 = (w2 << s) | (w3 >> (64 - s));
  }
  // Low 192 bits of m * (w0 w1 w2): x 2/pi mod 4 as 2 integer bits and 190 fraction bits.
  const d0 = m * w2;
  const h2 = mulhi(m, w2);
  const l1 = m * w1;
  const d1 = h2 + l1;
  const d2 = mulhi(m, w1) + m * w0 + <u64>(d1 < l1);
  // n = nearest integer; the fraction f = (f2 . d1 d0) in [-1/2, 1/2) units of 2^-62 (signed top word).
  const n = (d2 + (<u64>1 << 61)) >> 62;
  const f2 = d2 - (n << 62);
  const neg = <i64>f2 < 0;
  let a2 = f2, a1 = d1, a0 = d0;
  if (neg) {
    // 192-bit two's complement negation.
    a0 = ~d0 + 1;
    const c0 = <u64>(d0 == 0);
    a1 = ~d1 + c0;
    const c1 = <u64>(c0 != 0 && d1 == 0);
    a2 = ~f2 + c1;
  }
  // Normalise |f| = a2 2^E + a1 2^(E-64) + a0 2^(E-128) so that a2's top bit is set.
  let E = -62;
  if (a2 == 0) {
    a2 = a1;
    a1 = a0;
    a0 = 0;
    E -= 64;
  }
  if (a2 == 0) {
    remY0 = 0;
    remY1 = 0;
    return <i32>(x < 0 ? -n : n);
  }
  const lz = clz(a2);
  if (lz != 0) {
    a2 = (a2 << lz) | (a1 >> (64 - lz));
    a1 = (a1 << lz) | (a0 >> (64 - lz));
    E -= <i32>lz;
  }
  const fhi = <f64>(a2 >> 11) * pow2(E + 11);
  const flo = <f64>(((a2 & 0x7FF) << 53) | (a1 >> 11)) * pow2(E - 53);
  // (fhi + flo) * (PIO2H + PIO2L), keeping the rounding error of the main product.
  const pr = fhi * PIO2H;
  const err = mulErr(fhi, PIO2H, pr) + (fhi * PIO2L + flo * PIO2H);
  let y0 = pr + err;
  let y1 = (pr - y0) + err;
  let q = <i32>n;
  if (neg) {
    y0 = -y0;
    y1 = -y1;
  }
  if (x < 0) {
    y0 = -y0;
    y1 = -y1;
    q = -q;
  }
  remY0 = y0;
  remY1 = y1;
  return q;
}
