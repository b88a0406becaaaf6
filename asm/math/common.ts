/**
 * Shared helpers for the SIMD transcendental kernels in asm/math/ (sin, cos, exp, log,
 * exp2, log2, tanh in float64x2 and float32x4, plus scalar entry points).
 *
 * Constants live in small static tables (`memory.data`) and are broadcast with
 * `v128.load64_splat` / `v128.load32_splat` rather than written as `f64x2.splat(c)`.
 * Why: binaryen turns a splatted literal into `v128.const`, and V8 (Node 20) rebuilds every
 * such constant inside the loop with three instructions (`movq r10, imm64; vmovq;
 * vpunpcklqdq`), two of them on the vector ports the arithmetic needs. A load-splat is a
 * single load-port uop (`vmovddup` / `vbroadcastss`). Measured on this project's machine,
 * 4 chains of 4 multiply-adds with 16 distinct constants, 1e7 float64: 5.9 ns/element with
 * literal constants, 2.1 with load-splat (2.7 vs 1.8 with the data in cache). The tables
 * are read-only, a few hundred bytes in the module's static data (below __heap_base, like
 * AssemblyScript's own libm tables), so the kernels stay pure functions of their argument;
 * a worker instantiating the module on the shared heap rewrites the same bytes, which readers
 * cannot observe.
 *
 * The exported kernels are `@inline`, so a loop gets the fast path inlined; their rare slow
 * paths are separate functions (binaryen does not inline them into a loop as long as the scalar
 * kernel used for the tail calls them too).
 */

/** Broadcast the f64 (or i64 bit pattern) stored at `p` into both lanes. */
@inline export function k64(p: usize): v128 {
  return v128.load64_splat(p);
}

/** Broadcast the f32 (or i32 bit pattern) stored at `p` into all four lanes. */
@inline export function k32(p: usize): v128 {
  return v128.load32_splat(p);
}

/** a * b + c, lane-wise, float64 (two roundings: Wasm SIMD has no fused multiply-add). */
@inline export function mad64(a: v128, b: v128, c: v128): v128 {
  return f64x2.add(f64x2.mul(a, b), c);
}

/** a * b + c, lane-wise, float32. */
@inline export function mad32(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

/** True when every f64 lane of the comparison mask `m` is set. */
@inline export function all64(m: v128): bool {
  return i64x2.bitmask(m) == 3;
}

/** True when every f32 lane of the comparison mask `m` is set. */
@inline export function all32(m: v128): bool {
  return i32x4.bitmask(m) == 15;
}

/** Float32 lanes 2 and 3 of `v` moved to lanes 0 and 1 (to promote the high half to f64x2). */
@inline export function high32(v: v128): v128 {
  return i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
}

/** Two f64x2 results demoted and packed into one f32x4: lanes (lo0, lo1, hi0, hi1). */
@inline export function pack32(lo: v128, hi: v128): v128 {
  const a = f32x4.demote_f64x2_zero(lo);
  const b = f32x4.demote_f64x2_zero(hi);
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}
