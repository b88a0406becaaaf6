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
import { sin64x2, sin64, cos64x2, cos64, sin32x4, sin32, cos32x4, cos32 } from './trig';
import { exp64x2, exp64, exp264x2, exp264, exp32x4, exp32, exp232x4, exp232 } from './exp';

type Vec = (v: v128) => v128;
type Scalar64 = (x: f64) => f64;
type Scalar32 = (x: f32) => f32;

function vec64(id: i32): Vec {
  switch (id) {
    case 0: return sin64x2;
    case 1: return cos64x2;
    case 2: return exp64x2;
    case 4: return exp264x2;
    default: return exp64x2;
  }
}

function sca64(id: i32): Scalar64 {
  switch (id) {
    case 0: return sin64;
    case 1: return cos64;
    case 2: return exp64;
    case 4: return exp264;
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

function vec32(id: i32): Vec {
  switch (id) {
    case 0: return sin32x4;
    case 1: return cos32x4;
    case 2: return exp32x4;
    case 4: return exp232x4;
    default: return exp32x4;
  }
}

function sca32(id: i32): Scalar32 {
  switch (id) {
    case 0: return sin32;
    case 1: return cos32;
    case 2: return exp32;
    case 4: return exp232;
    default: return exp32;
  }
}

export function simd32(id: i32, src: usize, dst: usize, n: i32): void {
  const f = vec32(id);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f(v128.load(src + (<usize>i << 2))));
  const g = sca32(id);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), g(load<f32>(src + (<usize>i << 2))));
}

export function scalar32(id: i32, src: usize, dst: usize, n: i32): void {
  const g = sca32(id);
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), g(load<f32>(src + (<usize>i << 2))));
}
