/**
 * Dot products of two strided vectors, NumPy's `<TYPE>_dot` semantics per dtype:
 * bool is "any a[i] && b[i]"; integers wrap at their width; floats are IEEE sums (the
 * contiguous SIMD paths add in a different order than a left-to-right loop, as BLAS does).
 *
 * Pointers are byte addresses, strides byte strides (u32 wraparound: negative strides work).
 */

/** True when some a[i] and b[i] are both non-zero (bool elements are bytes). */
@inline
export function dotBool(a: usize, sa: usize, b: usize, sb: usize, n: i32): u8 {
  for (let i = 0; i < n; i++) {
    if (load<u8>(a) != 0 && load<u8>(b) != 0) return 1;
    a += sa; b += sb;
  }
  return 0;
}

/** Integer dot product, wrapping at T's width (accumulated in T's register type, stored as T). */
@inline
export function dotInt<T>(a: usize, sa: usize, b: usize, sb: usize, n: i32): T {
  let acc: T = <T>0;
  for (let i = 0; i < n; i++) {
    acc += load<T>(a) * load<T>(b);
    a += sa; b += sb;
  }
  return acc;
}

/**
 * Float dot of two contiguous vectors (T = f64 or f32): v128 lanes with 4 accumulators
 * (4 vectors per step: the adds of one step are independent, so the loop runs at the load
 * rate, not the add latency), then the lanes summed pairwise.
 */
@inline
export function dotFloatContiguous<T>(a: usize, b: usize, n: i32): T {
  const L: i32 = 16 / sizeof<T>(); // lanes per vector
  let i = 0;
  let s: T = <T>0;
  if (n >= 4 * L) {
    let v0 = v128.mul<T>(v128.load(a), v128.load(b));
    let v1 = v128.mul<T>(v128.load(a, 16), v128.load(b, 16));
    let v2 = v128.mul<T>(v128.load(a, 32), v128.load(b, 32));
    let v3 = v128.mul<T>(v128.load(a, 48), v128.load(b, 48));
    a += 64; b += 64; i = 4 * L;
    for (; i + 4 * L <= n; i += 4 * L) {
      v0 = v128.add<T>(v0, v128.mul<T>(v128.load(a), v128.load(b)));
      v1 = v128.add<T>(v1, v128.mul<T>(v128.load(a, 16), v128.load(b, 16)));
      v2 = v128.add<T>(v2, v128.mul<T>(v128.load(a, 32), v128.load(b, 32)));
      v3 = v128.add<T>(v3, v128.mul<T>(v128.load(a, 48), v128.load(b, 48)));
      a += 64; b += 64;
    }
    for (; i + L <= n; i += L) {
      v0 = v128.add<T>(v0, v128.mul<T>(v128.load(a), v128.load(b)));
      a += 16; b += 16;
    }
    const v = v128.add<T>(v128.add<T>(v0, v1), v128.add<T>(v2, v3));
    if (sizeof<T>() == 8) {
      s = <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
    } else {
      s = <T>((f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)));
    }
  }
  for (; i < n; i++) {
    s += load<T>(a) * load<T>(b);
    a += sizeof<T>(); b += sizeof<T>();
  }
  return s;
}

/** Float dot product of two strided vectors; the SIMD path when both are contiguous. */
@inline
export function dotFloat<T>(a: usize, sa: usize, b: usize, sb: usize, n: i32): T {
  if (sa == sizeof<T>() && sb == sizeof<T>()) {
    return dotFloatContiguous<T>(a, b, n);
  }
  let acc: T = <T>0;
  for (let i = 0; i < n; i++) {
    acc += load<T>(a) * load<T>(b);
    a += sa; b += sb;
  }
  return acc;
}

/** Dot product for element type T (bool is u8 with NumPy's bool semantics). */
@inline
export function dot<T>(a: usize, sa: usize, b: usize, sb: usize, n: i32, isBool: bool): T {
  if (isBool) return <T>dotBool(a, sa, b, sb, n);
  if (isFloat<T>()) return dotFloat<T>(a, sa, b, sb, n);
  return dotInt<T>(a, sa, b, sb, n);
}
