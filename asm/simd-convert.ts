/**
 * Explicit-SIMD conversion of 4 contiguous elements at a time (DESIGN.md decision 3:
 * neither binaryen nor V8 vectorise, so the contiguous loops do it by hand).
 *
 * Every step goes through a 4-lane "hub" held in one v128:
 *   - i32x4 for integers of at most 32 bits and bool (sign- or zero-extended as S is),
 *   - f32x4 for float32,
 * or, when a 64-bit type is involved, through two v128 halves (lanes 0-1 and 2-3) of i64x2
 * or f64x2. `hasSimdStep<S, D>()` says which pairs have a step; the others (int64/uint64 <->
 * float, float -> uint32/int64/uint64) have no Wasm SIMD instruction that gives NumPy's
 * result and stay scalar. Same-width integer pairs and same-type pairs never get here: they
 * are a byte copy (memory.copy).
 *
 * Float -> integer lanes reproduce x86's cvttsd2si r32 (see convert.ts): trunc_sat gives the
 * in-range lanes, and a range mask selects i32.MIN_VALUE for NaN and out-of-range lanes.
 */

// i8x16 lane indices that pick the low byte / low half / low word of each wider lane.
// (Written inline below because shuffle lanes must be compile-time constants.)

/** True when 4 elements of S -> D can be converted by `simdStep4<S, D>`. */
@inline
export function hasSimdStep<S, D>(): bool {
  if (is64<S>() && is64<D>()) return false;
  if (is64<S>() && isFloat<S>() != isFloat<D>()) {
    // float64 -> narrow integers and bool have a step; int64/uint64 -> float do not.
    return isFloat<S>() && isNarrowTarget<D>();
  }
  if (is64<D>() && isFloat<S>() && !isFloat<D>()) return false; // float32 -> int64/uint64
  if (isFloat<S>() && !isFloat<D>()) return isNarrowTarget<D>();
  return true;
}

/** int64, uint64 or float64. */
@inline
function is64<T>(): bool {
  return sizeof<T>() == 8;
}

/** An integer target whose value cvttsd2si r32 determines: bool, 8/16-bit, int32 (not uint32). */
@inline
function isNarrowTarget<D>(): bool {
  return isBoolean<D>() || sizeof<D>() < 4 || (sizeof<D>() == 4 && isInteger<D>() && isSigned<D>());
}

/** Load 4 elements of an integer or bool type of at most 32 bits, widened to i32x4. */
@inline
function loadI32x4<S>(p: usize): v128 {
  if (sizeof<S>() == 1) {
    let v = v128.load32_zero(p);
    if (isBoolean<S>()) {
      // NumPy reads any non-zero bool byte as 1.
      v = v128.and(i8x16.ne(v, i8x16.splat(0)), i8x16.splat(1));
      return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v));
    }
    if (isSigned<S>()) return i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v));
    return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v));
  }
  if (sizeof<S>() == 2) {
    const v = v128.load64_zero(p);
    if (isSigned<S>()) return i32x4.extend_low_i16x8_s(v);
    return i32x4.extend_low_i16x8_u(v);
  }
  return v128.load(p);
}

/** Store i32x4 lanes as 4 elements of an integer or bool type of at most 32 bits (wrapping). */
@inline
function storeI32x4<D>(p: usize, v: v128): void {
  if (isBoolean<D>()) {
    v = v128.and(i32x4.ne(v, i32x4.splat(0)), i32x4.splat(1));
    v = i8x16.shuffle(v, v, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12);
    v128.store32_lane(p, v, 0);
  } else if (sizeof<D>() == 1) {
    v = i8x16.shuffle(v, v, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12);
    v128.store32_lane(p, v, 0);
  } else if (sizeof<D>() == 2) {
    v = i8x16.shuffle(v, v, 0, 1, 4, 5, 8, 9, 12, 13, 0, 1, 4, 5, 8, 9, 12, 13);
    v128.store64_lane(p, v, 0);
  } else {
    v128.store(p, v);
  }
}

/** The low 32 bits of each 64-bit lane of lo (lanes 0-1) and hi (lanes 2-3), as i32x4. */
@inline
function low32Of64x2(lo: v128, hi: v128): v128 {
  return i8x16.shuffle(lo, hi, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

/** cvttsd2si r32 on f32x4 lanes: trunc, or i32.MIN_VALUE for NaN and out-of-range. */
@inline
function cvt32F32x4(v: v128): v128 {
  const inRange = v128.and(
    f32x4.ge(v, f32x4.splat(-2147483648.0)),
    f32x4.lt(v, f32x4.splat(2147483648.0)),
  );
  return v128.bitselect(i32x4.trunc_sat_f32x4_s(v), i32x4.splat(i32.MIN_VALUE), inRange);
}

/** cvttsd2si r32 on two f64x2 halves, giving i32x4 (lo's lanes first). */
@inline
function cvt32F64x2x2(lo: v128, hi: v128): v128 {
  const min = f64x2.splat(-2147483649.0);
  const max = f64x2.splat(2147483648.0);
  const okLo = v128.and(f64x2.gt(lo, min), f64x2.lt(lo, max));
  const okHi = v128.and(f64x2.gt(hi, min), f64x2.lt(hi, max));
  const t = i32x4.shuffle(i32x4.trunc_sat_f64x2_s_zero(lo), i32x4.trunc_sat_f64x2_s_zero(hi), 0, 1, 4, 5);
  return v128.bitselect(t, i32x4.splat(i32.MIN_VALUE), low32Of64x2(okLo, okHi));
}

/** Convert 4 contiguous elements at src (type S) to dst (type D). Requires hasSimdStep<S, D>(). */
@inline
export function simdStep4<S, D>(src: usize, dst: usize): void {
  if (is64<S>()) {
    const lo = v128.load(src);
    const hi = v128.load(src, 16);
    if (isFloat<S>()) {
      if (isFloat<D>()) {
        // float64 -> float32: round each half, then pack the two low halves.
        const v = i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
        v128.store(dst, v);
      } else if (isBoolean<D>()) {
        const z = f64x2.splat(0);
        storeI32x4<D>(dst, low32Of64x2(f64x2.ne(lo, z), f64x2.ne(hi, z)));
      } else {
        storeI32x4<D>(dst, cvt32F64x2x2(lo, hi));
      }
    } else if (isBoolean<D>()) {
      // int64 -> bool: compare at full width (a non-zero value can have zero low bits).
      const z = i64x2.splat(0);
      storeI32x4<D>(dst, low32Of64x2(i64x2.ne(lo, z), i64x2.ne(hi, z)));
    } else {
      // int64 -> narrower integer: keep the low 32 bits, then narrow further.
      storeI32x4<D>(dst, low32Of64x2(lo, hi));
    }
    return;
  }
  if (is64<D>()) {
    if (isFloat<S>()) {
      // float32 -> float64: exact.
      const v = v128.load(src);
      v128.store(dst, f64x2.promote_low_f32x4(v));
      v128.store(dst, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), 16);
      return;
    }
    const v = loadI32x4<S>(src);
    const vHigh = i32x4.shuffle(v, v, 2, 3, 2, 3);
    if (isFloat<D>()) {
      // Only uint32 needs the unsigned convert; narrower unsigned values are non-negative i32.
      if (sizeof<S>() == 4 && !isSigned<S>()) {
        v128.store(dst, f64x2.convert_low_i32x4_u(v));
        v128.store(dst, f64x2.convert_low_i32x4_u(vHigh), 16);
      } else {
        v128.store(dst, f64x2.convert_low_i32x4_s(v));
        v128.store(dst, f64x2.convert_low_i32x4_s(vHigh), 16);
      }
    } else if (sizeof<S>() == 4 && !isSigned<S>()) {
      v128.store(dst, i64x2.extend_low_i32x4_u(v));
      v128.store(dst, i64x2.extend_high_i32x4_u(v), 16);
    } else {
      v128.store(dst, i64x2.extend_low_i32x4_s(v));
      v128.store(dst, i64x2.extend_high_i32x4_s(v), 16);
    }
    return;
  }
  // Neither side is 64-bit: one i32x4 / f32x4 hub.
  if (isFloat<S>()) {
    const v = v128.load(src);
    if (isBoolean<D>()) storeI32x4<D>(dst, f32x4.ne(v, f32x4.splat(0)));
    else storeI32x4<D>(dst, cvt32F32x4(v));
    return;
  }
  const v = loadI32x4<S>(src);
  if (isFloat<D>()) {
    if (sizeof<S>() == 4 && !isSigned<S>()) v128.store(dst, f32x4.convert_i32x4_u(v));
    else v128.store(dst, f32x4.convert_i32x4_s(v));
    return;
  }
  storeI32x4<D>(dst, v);
}
