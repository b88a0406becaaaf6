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
 * f64 dot of two contiguous vectors: f64x2 with 4 accumulators (8 elements per step: the
 * adds of one step are independent, so the loop runs at the load rate, not the add latency).
 */
@inline
export function dotF64Contiguous(a: usize, b: usize, n: i32): f64 {
  let i = 0;
  let s: f64 = 0;
  if (n >= 8) {
    let v0 = f64x2.mul(v128.load(a), v128.load(b));
    let v1 = f64x2.mul(v128.load(a, 16), v128.load(b, 16));
    let v2 = f64x2.mul(v128.load(a, 32), v128.load(b, 32));
    let v3 = f64x2.mul(v128.load(a, 48), v128.load(b, 48));
    a += 64; b += 64; i = 8;
    for (; i + 8 <= n; i += 8) {
      v0 = f64x2.add(v0, f64x2.mul(v128.load(a), v128.load(b)));
      v1 = f64x2.add(v1, f64x2.mul(v128.load(a, 16), v128.load(b, 16)));
      v2 = f64x2.add(v2, f64x2.mul(v128.load(a, 32), v128.load(b, 32)));
      v3 = f64x2.add(v3, f64x2.mul(v128.load(a, 48), v128.load(b, 48)));
      a += 64; b += 64;
    }
    for (; i + 2 <= n; i += 2) {
      v0 = f64x2.add(v0, f64x2.mul(v128.load(a), v128.load(b)));
      a += 16; b += 16;
    }
    const v = f64x2.add(f64x2.add(v0, v1), f64x2.add(v2, v3));
    s = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  }
  for (; i < n; i++) {
    s += load<f64>(a) * load<f64>(b);
    a += 8; b += 8;
  }
  return s;
}

/** f32 dot of two contiguous vectors: f32x4 with 4 accumulators (16 elements per step). */
@inline
export function dotF32Contiguous(a: usize, b: usize, n: i32): f32 {
  let i = 0;
  let s: f32 = 0;
  if (n >= 16) {
    let v0 = f32x4.mul(v128.load(a), v128.load(b));
    let v1 = f32x4.mul(v128.load(a, 16), v128.load(b, 16));
    let v2 = f32x4.mul(v128.load(a, 32), v128.load(b, 32));
    let v3 = f32x4.mul(v128.load(a, 48), v128.load(b, 48));
    a += 64; b += 64; i = 16;
    for (; i + 16 <= n; i += 16) {
      v0 = f32x4.add(v0, f32x4.mul(v128.load(a), v128.load(b)));
      v1 = f32x4.add(v1, f32x4.mul(v128.load(a, 16), v128.load(b, 16)));
      v2 = f32x4.add(v2, f32x4.mul(v128.load(a, 32), v128.load(b, 32)));
      v3 = f32x4.add(v3, f32x4.mul(v128.load(a, 48), v128.load(b, 48)));
      a += 64; b += 64;
    }
    for (; i + 4 <= n; i += 4) {
      v0 = f32x4.add(v0, f32x4.mul(v128.load(a), v128.load(b)));
      a += 16; b += 16;
    }
    const v = f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3));
    s = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  }
  for (; i < n; i++) {
    s += load<f32>(a) * load<f32>(b);
    a += 4; b += 4;
  }
  return s;
}

/** Float dot product of two strided vectors; the SIMD path when both are contiguous. */
@inline
export function dotFloat<T>(a: usize, sa: usize, b: usize, sb: usize, n: i32): T {
  if (sa == sizeof<T>() && sb == sizeof<T>()) {
    if (sizeof<T>() == 8) return <T>dotF64Contiguous(a, b, n);
    return <T>dotF32Contiguous(a, b, n);
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
