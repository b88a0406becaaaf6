/**
 * exp and exp2 for float64x2 / float32x4 lanes, and scalar versions.
 *
 * float64 exp is table-driven (see exp64x2; the table is exp-table.ts). float64 exp2, the
 * NaN-propagating expNoCheck64 of tanh, and the float32 kernels work as follows.
 * Reduction: x = k c + r with c = ln2 (exp) or 1 (exp2), k = round(x / c) found with the
 * "toint" trick, (y + 1.5 2^m) - 1.5 2^m for m = 52 / 23 mantissa bits, which also leaves k in
 * the low mantissa bits of y + 1.5 2^m. exp: Cody-Waite, r = (x - k ln2hi) - k ln2lo with ln2hi
 * short enough that k ln2hi is exact, |r| <= ln2/2. exp2: r = x - k is exact, |r| <= 1/2, and
 * 2^r = e^(r ln2) goes through the same polynomial (the rounding of r ln2 costs about 0.1 ulp;
 * a separate degree-10 fit of 2^r measured 1.6 ulp, because its first-order term r P(r) is not
 * exact).
 *
 * Polynomial: e^r = 1 + r + r^2 q(r), q of degree 9 for float64 (total degree 11), 4 for
 * float32, Remez minimax fits of (e^r - 1 - r) / r^2 weighted for the relative error of e^r on
 * [-ln2/2, ln2/2] (`python3 scripts/math-fixtures.py --coefficients`; approximation errors
 * 2^-57.9 and 2^-28.3), evaluated by Estrin's scheme (shorter dependency chains than Horner: the
 * loops are limited by how many iterations the CPU keeps in flight). The last sum is
 * hi + (((1 - hi) + r) + r^2 q) with hi = 1 + r, so only the final rounding is at the result's
 * scale (max 0.76 ulp instead of 1.0 for the plain 1 + (r + r^2 q)).
 *
 * Scaling: when every lane has |x| small enough that p 2^k is normal (float64 |x| <= 708,
 * exp2 1021; float32 86, exp2 125), k is added to p's exponent field (two integer ops). Otherwise
 * a slow path clamps x (so k stays small) and multiplies by 2^floor(k/2), then 2^(k - floor(k/2)):
 * overflow gives +inf, the second product rounds once into the subnormal range (correct gradual
 * underflow), exp(-inf) = 0, exp(+inf) = inf, and NaN propagates (Wasm min/max keep NaN).
 *
 * Measured max error (test/math/simd-math.test.ts on scripts/math-fixtures.py's points, long
 * double references): exp 0.54 ulp float64 (0.50 with N = 128 and degree 5; 0.76 with the
 * polynomial below, before the table),
 * 0.75 float32; exp2 0.85 float64, 0.76 float32;
 * exhaustive over all float32 inputs: see the test's header.
 */
import { k64, k32, mad64, mad32, all64, all32 } from './common';
import { EXP_TABLE } from './exp-table';

// prettier-ignore
const EXP64: usize = memory.data<f64>([
  1.4426950408889634,         //  0 1/ln2
  6755399441055744.0,         //  1 toint = 1.5 * 2^52
  6.93147180369123816490e-01, //  2 ln2hi = 0x3fe62e42fee00000 (32 bits: k * ln2hi exact for |k| < 2^21)
  1.90821492927058770002e-10, //  3 ln2lo = ln2 - ln2hi
  708.0,                      //  4 fast path while |x| <= 708: k in [-1021, 1021], p 2^k normal
  // 5..14: q(r) = c2 + c3 r + ... + c11 r^9, e^r = 1 + r + r^2 q (Remez, relative error 2^-57.9)
  0.5000000000000011, 0.16666666666666413, 0.041666666666530267, 0.008333333333494333,
  0.001388888894359774, 0.00019841269506780452, 2.4801493136149254e-05, 2.7557586265557286e-06,
  2.763023393073865e-07, 2.5000072597918104e-08,
  1.0,                        // 15
  0.5,                        // 16
  710.0,                      // 17 slow-path clamp: exp(710) = inf
  -746.0,                     // 18 slow-path clamp: exp(-746) rounds to 0
  6755399441056767.0,         // 19 toint + 1023: bits of (k + this) << 52 are 2^k
  1021.0,                     // 20 exp2 fast path while |x| <= 1021
  1025.0,                     // 21 exp2 slow-path clamp: 2^1025 = inf
  -1080.0,                    // 22 exp2 slow-path clamp: 2^-1080 rounds to 0
  0.6931471805599453,         // 23 ln2 (exp2: 2^r = e^(r ln2))
]);

// The table-driven float64 exp (exp64x2).
// prettier-ignore
const EXPT64: usize = memory.data<f64>([
  369.3299304675746,          //  0 256/ln2
  422212465065984.0,          //  1 shift = 1.5 * 2^48: t = k + this holds 16 k in its low bits
  -0.00270760617331689,       //  2 -ln2hi/256 (EXP64's ln2hi / 256: k * this exact for |k| < 2^21)
  -7.453964567463233e-13,     //  3 -ln2lo/256
  // 4..6: C2..C4, e^r = 1 + r + r^2 ((C2 + r C3) + r^2 C4) on |r| <= ln2/512 (Remez, 2^-57.5)
  0.5000000000000122, 0.16666667996646284, 0.041666660564157645,
  0.0,                        //  7 (unused)
  704.0,                      //  8 fast path while |x| <= 704: result and scale tmp normal
  495616.0,                   //  9 704^2 (the row kernel checks x^2 <= this: the same inputs)
  1.0,                        // 10 bits of 1.0 = 1023 << 52: adj + this is 2^e
  710.0,                      // 11 slow-path clamp: exp(710) = inf
  -746.0,                     // 12 slow-path clamp: exp(-746) rounds to 0
  6.103515625e-05,            // 13 bits 0x3f10000000000000 = 1009 << 52: adj of lanes above 704
  -8.0,                       // 14 bits 0xc020000000000000 = -1022 << 52: adj of lanes below -704
]);

// prettier-ignore
const EXP32: usize = memory.data<f32>([
  1.4426950408889634,         //  0 1/ln2
  12582912.0,                 //  1 toint = 1.5 * 2^23
  0.693145751953125,          //  2 ln2hi = 0x3f317200 (16 bits: k * ln2hi exact for |k| < 2^8)
  1.428606765330187045e-06,   //  3 ln2lo = ln2 - ln2hi
  86.0,                       //  4 fast path while |x| <= 86: k in [-124, 124]
  // 5..9: q(r) = c2 + ... + c6 r^4, e^r = 1 + r + r^2 q (Remez, relative error 2^-28.3)
  0.4999999403953552, 0.1666652113199234, 0.04166838899254799, 0.008368710055947304,
  0.001381461275741458,
  1.0,                        // 10
  0.5,                        // 11
  89.0,                       // 12 slow-path clamp: expf(89) = inf
  -104.0,                     // 13 slow-path clamp: expf(-104) rounds to 0
  12583039.0,                 // 14 toint + 127: bits of (k + this) << 23 are 2^k
  125.0,                      // 15 exp2 fast path while |x| <= 125
  129.0,                      // 16 exp2 slow-path clamp: 2^129 = inf
  -151.0,                     // 17 exp2 slow-path clamp: 2^-151 rounds to 0
  0.6931471805599453,         // 18 ln2 (exp2: 2^r = e^(r ln2))
]);

// ---- float64 ----------------------------------------------------------------------------------

/**
 * e^r = 1 + r + r^2 q(r) for |r| <= ln2/2 (a little beyond is fine). The last sum is done as
 * hi + (((1 - hi) + r) + r^2 q) with hi = 1 + r, so that only the final rounding is at the
 * result's scale (measured max error 0.8 ulp instead of 1.0 for the plain sum).
 */
// @ts-ignore: decorator
@inline function expPoly64(r: v128): v128 {
  const T = EXP64;
  const one = k64(T + 15 * 8);
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const a0 = mad64(r, k64(T + 6 * 8), k64(T + 5 * 8));
  const a1 = mad64(r, k64(T + 8 * 8), k64(T + 7 * 8));
  const a2 = mad64(r, k64(T + 10 * 8), k64(T + 9 * 8));
  const a3 = mad64(r, k64(T + 12 * 8), k64(T + 11 * 8));
  const a4 = mad64(r, k64(T + 14 * 8), k64(T + 13 * 8));
  const q = mad64(r4, mad64(r4, a4, mad64(r2, a3, a2)), mad64(r2, a1, a0));
  const hi = f64x2.add(one, r);
  const lo = f64x2.add(f64x2.sub(one, hi), r);
  return f64x2.add(hi, mad64(r2, q, lo));
}

/** p * 2^k with k = kf (an integer-valued double) in two steps: exact, then one rounding. */
// @ts-ignore: decorator
@inline function scaleSlow64(p: v128, kf: v128): v128 {
  const T = EXP64;
  const k1 = f64x2.floor(f64x2.mul(kf, k64(T + 16 * 8)));
  const k2 = f64x2.sub(kf, k1);
  const s1 = i64x2.shl(f64x2.add(k1, k64(T + 19 * 8)), 52);
  const s2 = i64x2.shl(f64x2.add(k2, k64(T + 19 * 8)), 52);
  return f64x2.mul(f64x2.mul(p, s1), s2);
}

/**
 * e^x for two float64 lanes, table-driven (N = 256; the method of ARM's optimized-routines
 * exp, without FMA): k = round(x 256/ln2), r = x - k ln2/256 (Cody-Waite, exact products),
 * |r| <= ln2/512; e^x = 2^(k/256) e^r with 2^(k/256) = 2^q H_j (1 + tail_j), k = 256 q + j,
 * from EXP_TABLE (one 16-byte load per lane: [tail_j, bits of H_j - (j << 44)], + k << 44
 * gives the bits of 2^q H_j), and e^r (1 + tail) = 1 + tmp with
 * tmp = (tail + r) + r^2 ((C2 + r C3) + r^2 C4) (Remez, relative error 2^-57.5); the result is
 * scale + scale tmp. A degree-4 polynomial instead of degree 11: about half the vector
 * operations of the polynomial path, for two table loads per vector. Measured in cache
 * (bench/README.md): N = 256 with degree 4 ran 6% faster than N = 128 with degree 5
 * (ARM's choice; 0.50 ulp against 0.54), 30% faster than the degree-11 polynomial.
 */
// @ts-ignore: decorator
@inline export function exp64x2(x: v128): v128 {
  const T = EXPT64;
  if (!all64(f64x2.le(f64x2.abs(x), k64(T + 8 * 8)))) return exp64x2Slow(x);
  const kf = expRound64(x, k64(T));
  const t = f64x2.add(kf, k64(T + 8));
  const r = expReduce64(x, kf, k64(T + 2 * 8), k64(T + 3 * 8));
  return expFinish64(r, expEntry64(i32x4.extract_lane(t, 0)), expEntry64(i32x4.extract_lane(t, 2)), i64x2.shl(t, 40), x, false, k64(T + 4 * 8), k64(T + 5 * 8), k64(T + 6 * 8));
}

/**
 * exp64x2Rows over `n` contiguous float64 (n even) from `src` to `dst`, the same address or
 * disjoint: the generated exp loop's contiguous rows (src/builtins/ufunc-table.ts `rows`),
 * with exp64x2's bits, in blocks of 512 elements. Why a row kernel (bench/exp-variants.ts;
 * bench/README.md):
 *   - the constants are loaded once and stay in registers (exp64x2 loads them at every use:
 *     V8 does not hoist loads out of a loop that stores);
 *   - no range branch per vector: a running maximum over the block (expRangeAcc64), and a
 *     block with a lane beyond the fast path's range (|x| about 704 or more, +-inf) is
 *     computed again with exp64x2, from its inputs (in place, where the inputs are gone by
 *     then, the block is checked first, in a separate pass). Out of place the maximum is first taken of x's high
 *     words (two integer operations, no multiply: 2-3% faster than x^2), which also turns
 *     away NaN; a block that fails it is done again with the x^2 check, which lets NaN
 *     through, and if that passes (a NaN lane), the rest of the call keeps the x^2 check, so
 *     an input with NaN costs one block done twice;
 *   - software pipelining (expBlock64): each step reduces vector i + 2 (k, t, r), gathers
 *     vector i + 1's table entries and finishes vector i, so the parts of the long dependency
 *     chain (load, multiply, round; extract, table loads; polynomial, scale) overlap across
 *     steps instead of waiting on each other inside the CPU's reorder window;
 *   - no touch-ahead of the next 4 KiB block (asm/ufunc/touch.ts), unlike the generated heavy
 *     loops: here it measured slower at 1e7 (its burst of 64 missing loads holds up
 *     retirement; the hardware prefetcher already follows the two streams).
 */
export function exp64x2Rows(src: usize, dst: usize, n: i32): void {
  const T = EXPT64;
  const c0 = k64(T);
  const c1 = k64(T + 8);
  const c2 = k64(T + 2 * 8);
  const c3 = k64(T + 3 * 8);
  const c4 = k64(T + 4 * 8);
  const c5 = k64(T + 5 * 8);
  const c6 = k64(T + 6 * 8);
  const lim2 = k64(T + 9 * 8);
  let bitsCheck = true;
  for (let i = 0; i < n; i += 512) {
    const m = min(512, n - i);
    if (src == dst) {
      if (expInRange64(src, m, lim2)) expBlock64(src, src, m, CHECK_NONE, c0, c1, c2, c3, c4, c5, c6, lim2);
      else exp64x2Each(src, src, m);
    } else if (bitsCheck && expBlock64(src, dst, m, CHECK_BITS, c0, c1, c2, c3, c4, c5, c6, lim2)) {
      // done: every |x| < 704
    } else if (expBlock64(src, dst, m, CHECK_SQ, c0, c1, c2, c3, c4, c5, c6, lim2)) {
      bitsCheck = false;
    } else {
      exp64x2Each(src, dst, m);
    }
    src += <usize>m << 3;
    dst += <usize>m << 3;
  }
}

// expBlock64's range checks (expRangeAcc64).
const CHECK_NONE = 0;
const CHECK_SQ = 1;
const CHECK_BITS = 2;

/**
 * The running maximum of expBlock64's range check, with x the next vector:
 *   - CHECK_SQ: the float64 max of x^2 (pmax). x^2 <= 704^2 (lim2) exactly when |x| <= 704,
 *     as rounding is monotonic and the next double above 704 squares to a few ulps above
 *     704^2. A NaN lane passes (pmax keeps its first operand), which is fine: the fast path
 *     gives NaN for it; +-inf and huge lanes square to +inf.
 *   - CHECK_BITS: the unsigned i32 max of x's words shifted left by one, which drops the sign
 *     bit: the high words then order as |x| does, and |x| < 704 exactly when (high word << 1)
 *     <= (0x40860000 - 1) << 1 (the low words' lanes are not looked at). Two integer
 *     operations instead of a multiply and a pmax. NaN and +-inf fail it.
 * CHECK_NONE: acc unchanged.
 */
// @ts-ignore: decorator
@inline function expRangeAcc64(acc: v128, x: v128, check: i32): v128 {
  if (check == CHECK_SQ) return f64x2.pmax(acc, f64x2.mul(x, x));
  if (check == CHECK_BITS) return i32x4.max_u(acc, i32x4.shl(x, 1));
  return acc;
}

/** Whether expRangeAcc64's maximum `acc` is within the fast path's range (lim2 = 704^2 splatted). */
// @ts-ignore: decorator
@inline function expRangeOk64(acc: v128, check: i32, lim2: v128): bool {
  if (check == CHECK_SQ) return all64(f64x2.le(acc, lim2));
  if (check == CHECK_BITS) return i32x4.bitmask(i32x4.le_u(acc, i64x2.splat(<i64>0x810bfffeffffffff))) == 15;
  return true;
}

/**
 * The fast path of exp64x2 over n (even, > 0) contiguous float64, software-pipelined in three
 * stages: step i loads vector i + 2 and computes its k, t and r (stage A), gathers vector
 * i + 1's table entries into tail + r and the scale (stage B: the offsets extracted from t, the
 * loads, t << 40), and finishes vector i (stage C: the polynomial and scale + scale tmp). With
 * `check` (a constant: CHECK_SQ or CHECK_BITS), also keeps a running maximum
 * (expRangeAcc64) and returns whether every lane was within the fast path's range. The results
 * of a block that was not in range are wrong and must be redone.
 */
// @ts-ignore: decorator
@inline function expBlock64(src: usize, dst: usize, n: i32, check: i32, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, lim2: v128): bool {
  let x = v128.load(src);
  let acc = expRangeAcc64(i64x2.splat(0), x, check);
  let kf = expRound64(x, c0);
  let t = f64x2.add(kf, c1);
  let r = expReduce64(x, kf, c2, c3);
  let e0 = expEntry64(i32x4.extract_lane(t, 0));
  let e1 = expEntry64(i32x4.extract_lane(t, 2));
  let u = expTailPlus64(e0, e1, r);
  let scale = expScale64(e0, e1, i64x2.shl(t, 40));
  let rb = r;
  if (n > 2) {
    x = v128.load(src, 16);
    acc = expRangeAcc64(acc, x, check);
    kf = expRound64(x, c0);
    t = f64x2.add(kf, c1);
    r = expReduce64(x, kf, c2, c3);
    // One induction variable (src; the output at src + delta): with two, V8 kept copies of
    // both pointers in the loop.
    const delta = dst - src;
    const end = src + (<usize>n << 3) - 32;
    for (; src < end; src += 16) {
      x = v128.load(src, 32);
      acc = expRangeAcc64(acc, x, check);
      kf = expRound64(x, c0);
      const ta = f64x2.add(kf, c1);
      const ra = expReduce64(x, kf, c2, c3);
      e0 = expEntry64(i32x4.extract_lane(t, 0));
      e1 = expEntry64(i32x4.extract_lane(t, 2));
      const ub = expTailPlus64(e0, e1, r);
      const scaleb = expScale64(e0, e1, i64x2.shl(t, 40));
      v128.store(src + delta, expTmpScale64(u, rb, scale, c4, c5, c6));
      u = ub;
      scale = scaleb;
      rb = r;
      t = ta;
      r = ra;
    }
    dst = src + delta;
    v128.store(dst, expTmpScale64(u, rb, scale, c4, c5, c6));
    dst += 16;
    e0 = expEntry64(i32x4.extract_lane(t, 0));
    e1 = expEntry64(i32x4.extract_lane(t, 2));
    u = expTailPlus64(e0, e1, r);
    scale = expScale64(e0, e1, i64x2.shl(t, 40));
    rb = r;
  }
  v128.store(dst, expTmpScale64(u, rb, scale, c4, c5, c6));
  return expRangeOk64(acc, check, lim2);
}

/** Whether every lane of n (even) contiguous float64 is within exp64x2's fast path (x^2 <= lim2 = 704^2, or NaN). */
function expInRange64(p: usize, n: i32, lim2: v128): bool {
  let sq = f64x2.splat(0);
  for (let i = 0; i < n; i += 2) {
    const x = v128.load(p + (<usize>i << 3));
    sq = f64x2.pmax(sq, f64x2.mul(x, x));
  }
  return all64(f64x2.le(sq, lim2));
}

/** exp64x2 on each vector of n (even) float64 from src to dst. */
function exp64x2Each(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(dst + (<usize>i << 3), exp64x2(v128.load(src + (<usize>i << 3))));
}

// The slow path's scale and scale * tmp (set by expFinish64 when `scaled`).
let lastScale: v128 = i64x2.splat(0);
let lastScaleTmp: v128 = i64x2.splat(0);

/**
 * k = round(x 256/ln2) as a double (c0 = 256/ln2 splatted). f64x2.nearest rounds half to even
 * like the "toint" trick (x c0 + 1.5 2^52) - 1.5 2^52 it replaces, so k is the same, one
 * dependent operation sooner. t = k + 1.5 2^48 (exact: t is in [2^48, 2^49), where the ulp is
 * 1/16) then holds 16 k in its low mantissa bits (two's complement): the low 32 bits masked
 * by 0xff0 are the table's byte offset 16 (k mod 256) with one `and` (k itself, from
 * 1.5 2^52, took a zero-extension and a shift per lane), and t << 40 is k << 44.
 */
// @ts-ignore: decorator
@inline function expRound64(x: v128, c0: v128): v128 {
  return f64x2.nearest(f64x2.mul(x, c0));
}

/** r = x - k ln2/256 (Cody-Waite: k c2 is exact; c2, c3 are EXPT64's -ln2hi/256, -ln2lo/256). */
// @ts-ignore: decorator
@inline function expReduce64(x: v128, kf: v128, c2: v128, c3: v128): v128 {
  return f64x2.add(f64x2.add(x, f64x2.mul(kf, c2)), f64x2.mul(kf, c3));
}

/** EXP_TABLE's entry j = k mod 256, [tail_j, bits of H_j - (j << 44)], from the low 32 bits of a lane of t (16 k). */
// @ts-ignore: decorator
@inline function expEntry64(tlo: i32): v128 {
  return v128.load(<usize>(tlo & 0xff0), EXP_TABLE);
}

/** tail + r: the tails of the table entries e0, e1 (lanes 0 and 1) plus r. */
// @ts-ignore: decorator
@inline function expTailPlus64(e0: v128, e1: v128, r: v128): v128 {
  return f64x2.add(i8x16.shuffle(e0, e1, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), r);
}

/**
 * The bits of 2^q H_j: the entries' bits of H_j - (j << 44) plus ts = t << 40 (= k << 44: the
 * bits of 1.5 2^48 above 16 k shift out).
 */
// @ts-ignore: decorator
@inline function expScale64(e0: v128, e1: v128, ts: v128): v128 {
  return i64x2.add(i8x16.shuffle(e0, e1, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), ts);
}

/**
 * tmp = (tail + r) + r^2 ((C2 + r C3) + r^2 C4), from u = tail + r (c4..c6: EXPT64's C2..C4,
 * splatted). The same multiplies as Horner, a shorter dependency chain.
 */
// @ts-ignore: decorator
@inline function expTmp64(u: v128, r: v128, c4: v128, c5: v128, c6: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const p = f64x2.add(f64x2.add(f64x2.mul(r, c5), c4), f64x2.mul(r2, c6));
  return f64x2.add(u, f64x2.mul(r2, p));
}

/** scale + scale tmp (the fast path's result). */
// @ts-ignore: decorator
@inline function expTmpScale64(u: v128, r: v128, scale: v128, c4: v128, c5: v128, c6: v128): v128 {
  return mad64(scale, expTmp64(u, r, c4, c5, c6), scale);
}

/**
 * scale + scale tmp, the table-driven e^x of exp64x2 for |x| <= 710 or NaN, from r, the table
 * entries e0, e1 of the two lanes and ts = t << 40. With `scaled` (a constant: the branches
 * fold away), the scale's exponent field is first lowered by `adj` (i64 lanes: e << 52; the
 * caller multiplies by 2^e), and scale and scale tmp are kept in lastScale / lastScaleTmp for
 * the caller's subnormal rounding. c4..c6 are EXPT64's C2..C4, splatted.
 */
// @ts-ignore: decorator
@inline function expFinish64(r: v128, e0: v128, e1: v128, ts: v128, adj: v128, scaled: bool, c4: v128, c5: v128, c6: v128): v128 {
  let scale = expScale64(e0, e1, ts);
  if (scaled) scale = i64x2.sub(scale, adj);
  if (scaled) lastScale = scale;
  const tmp = expTmp64(expTailPlus64(e0, e1, r), r, c4, c5, c6);
  if (scaled) lastScaleTmp = f64x2.mul(scale, tmp);
  return mad64(scale, tmp, scale);
}

/**
 * exp64x2 when a lane may overflow, underflow or be NaN: x clamped to [-746, 710] (k stays
 * small; NaN passes through min/max), and lanes beyond +-704 take their scale 2^1009 lower
 * (overflow: the product by 2^1009 gives inf or the right large value) or 2^-1022 higher
 * (results near or below 2^-1022: scale tmp would be subnormal and lose bits; the final
 * product rounds once into the subnormal range). Ordinary lanes (adj 0) get exp64x2's bits.
 */
function exp64x2Slow(x: v128): v128 {
  const T = EXPT64;
  const xc = f64x2.max(f64x2.min(x, k64(T + 11 * 8)), k64(T + 12 * 8));
  const big = f64x2.gt(xc, k64(T + 8 * 8));
  const tiny = f64x2.lt(xc, f64x2.neg(k64(T + 8 * 8)));
  const adj = v128.or(v128.and(big, k64(T + 13 * 8)), v128.and(tiny, k64(T + 14 * 8)));
  const kf = expRound64(xc, k64(T));
  const t = f64x2.add(kf, k64(T + 8));
  const r = expReduce64(xc, kf, k64(T + 2 * 8), k64(T + 3 * 8));
  const y = expFinish64(r, expEntry64(i32x4.extract_lane(t, 0)), expEntry64(i32x4.extract_lane(t, 2)), i64x2.shl(t, 40), adj, true, k64(T + 4 * 8), k64(T + 5 * 8), k64(T + 6 * 8));
  // A result below 2^-1022 (y < 1 here): round once, onto the subnormal grid, by adding 1
  // (whose ulp is 2^-52, i.e. 2^-1074 after the product by 2^-1022) to y's exact value
  // y + lo (ARM's specialcase), rather than rounding y and then its product.
  const one = k64(T + 10 * 8);
  const lo = f64x2.add(f64x2.sub(lastScale, y), lastScaleTmp);
  const hi = f64x2.add(one, y);
  const ys = f64x2.sub(f64x2.add(hi, f64x2.add(f64x2.add(f64x2.sub(one, hi), y), lo)), one);
  const sub = v128.and(tiny, f64x2.lt(y, one));
  return f64x2.mul(v128.bitselect(ys, y, sub), i64x2.add(adj, one));
}

/** 2^x for two float64 lanes. */
// @ts-ignore: decorator
@inline export function exp264x2(x: v128): v128 {
  const T = EXP64;
  if (!all64(f64x2.le(f64x2.abs(x), k64(T + 20 * 8)))) return exp264x2Slow(x);
  const t = f64x2.add(x, k64(T + 8));
  const r = f64x2.sub(x, f64x2.sub(t, k64(T + 8)));
  return i64x2.add(expPoly64(f64x2.mul(r, k64(T + 23 * 8))), i64x2.shl(t, 52));
}

/** exp264x2 when a lane may overflow, underflow or be NaN. */
function exp264x2Slow(x: v128): v128 {
  const T = EXP64;
  const xc = f64x2.max(f64x2.min(x, k64(T + 21 * 8)), k64(T + 22 * 8));
  const kf = f64x2.sub(f64x2.add(xc, k64(T + 8)), k64(T + 8));
  return scaleSlow64(expPoly64(f64x2.mul(f64x2.sub(xc, kf), k64(T + 23 * 8))), kf);
}

/**
 * e^x for |x| <= 708 with no range check, NaN propagating (for tanh): the scale 2^k is built
 * as a double and multiplied in, so garbage exponent bits from a NaN lane cannot make a number.
 */
// @ts-ignore: decorator
@inline export function expNoCheck64(x: v128): v128 {
  const T = EXP64;
  const t = mad64(x, k64(T), k64(T + 8));
  const kf = f64x2.sub(t, k64(T + 8));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kf, k64(T + 2 * 8))), f64x2.mul(kf, k64(T + 3 * 8)));
  return f64x2.mul(expPoly64(r), i64x2.shl(f64x2.add(kf, k64(T + 19 * 8)), 52));
}

/** e^x, float64 (the SIMD kernel on one lane, so strided and contiguous loops agree bit for bit). */
export function exp64(x: f64): f64 {
  return f64x2.extract_lane(exp64x2(f64x2.splat(x)), 0);
}

/** 2^x, float64. */
export function exp264(x: f64): f64 {
  return f64x2.extract_lane(exp264x2(f64x2.splat(x)), 0);
}

// ---- float32 ----------------------------------------------------------------------------------

/** e^r = 1 + r + r^2 q(r), float32, |r| <= ln2/2, with the same last sum as expPoly64. */
// @ts-ignore: decorator
@inline function expPoly32(r: v128): v128 {
  const T = EXP32;
  const one = k32(T + 10 * 4);
  const r2 = f32x4.mul(r, r);
  const a0 = mad32(r, k32(T + 6 * 4), k32(T + 5 * 4));
  const a1 = mad32(r, k32(T + 8 * 4), k32(T + 7 * 4));
  const q = mad32(r2, mad32(r2, k32(T + 9 * 4), a1), a0);
  const hi = f32x4.add(one, r);
  const lo = f32x4.add(f32x4.sub(one, hi), r);
  return f32x4.add(hi, mad32(r2, q, lo));
}

/** p * 2^k, float32, in two steps (see scaleSlow64). */
// @ts-ignore: decorator
@inline function scaleSlow32(p: v128, kf: v128): v128 {
  const T = EXP32;
  const k1 = f32x4.floor(f32x4.mul(kf, k32(T + 11 * 4)));
  const k2 = f32x4.sub(kf, k1);
  const s1 = i32x4.shl(f32x4.add(k1, k32(T + 14 * 4)), 23);
  const s2 = i32x4.shl(f32x4.add(k2, k32(T + 14 * 4)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** e^x for four float32 lanes. */
// @ts-ignore: decorator
@inline export function exp32x4(x: v128): v128 {
  const T = EXP32;
  if (!all32(f32x4.le(f32x4.abs(x), k32(T + 4 * 4)))) return exp32x4Slow(x);
  const t = mad32(x, k32(T), k32(T + 4));
  const kf = f32x4.sub(t, k32(T + 4));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(kf, k32(T + 2 * 4))), f32x4.mul(kf, k32(T + 3 * 4)));
  return i32x4.add(expPoly32(r), i32x4.shl(t, 23));
}

/** exp32x4 when a lane may overflow, underflow or be NaN. */
function exp32x4Slow(x: v128): v128 {
  const T = EXP32;
  const xc = f32x4.max(f32x4.min(x, k32(T + 12 * 4)), k32(T + 13 * 4));
  const kf = f32x4.sub(mad32(xc, k32(T), k32(T + 4)), k32(T + 4));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(kf, k32(T + 2 * 4))), f32x4.mul(kf, k32(T + 3 * 4)));
  return scaleSlow32(expPoly32(r), kf);
}

/** 2^x for four float32 lanes. */
// @ts-ignore: decorator
@inline export function exp232x4(x: v128): v128 {
  const T = EXP32;
  if (!all32(f32x4.le(f32x4.abs(x), k32(T + 15 * 4)))) return exp232x4Slow(x);
  const t = f32x4.add(x, k32(T + 4));
  const r = f32x4.sub(x, f32x4.sub(t, k32(T + 4)));
  return i32x4.add(expPoly32(f32x4.mul(r, k32(T + 18 * 4))), i32x4.shl(t, 23));
}

/** exp232x4 when a lane may overflow, underflow or be NaN. */
function exp232x4Slow(x: v128): v128 {
  const T = EXP32;
  const xc = f32x4.max(f32x4.min(x, k32(T + 16 * 4)), k32(T + 17 * 4));
  const kf = f32x4.sub(f32x4.add(xc, k32(T + 4)), k32(T + 4));
  return scaleSlow32(expPoly32(f32x4.mul(f32x4.sub(xc, kf), k32(T + 18 * 4))), kf);
}

/** e^x for |x| <= 86, float32, no range check, NaN propagating (see expNoCheck64). */
// @ts-ignore: decorator
@inline export function expNoCheck32(x: v128): v128 {
  const T = EXP32;
  const t = mad32(x, k32(T), k32(T + 4));
  const kf = f32x4.sub(t, k32(T + 4));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(kf, k32(T + 2 * 4))), f32x4.mul(kf, k32(T + 3 * 4)));
  return f32x4.mul(expPoly32(r), i32x4.shl(f32x4.add(kf, k32(T + 14 * 4)), 23));
}

/** e^x, float32. */
export function exp32(x: f32): f32 {
  return f32x4.extract_lane(exp32x4(f32x4.splat(x)), 0);
}

/** 2^x, float32. */
export function exp232(x: f32): f32 {
  return f32x4.extract_lane(exp232x4(f32x4.splat(x)), 0);
}
