/**
 * Test entry for the transcendental kernels in asm/math/ (compiled in memory by
 * test/math/simd-math.test.ts; not part of the prebuilt module). Exports loops that apply one
 * function, chosen by id, over float64 / float32 arrays on the caller's memory:
 *   - simd64 / simd32: the SIMD kernel over whole vectors, then the scalar kernel on the tail
 *     (the shape of the generated ufunc loops);
 *   - scalar64 / scalar32: the scalar kernel on every element;
 *   - rows64: the row kernel of the generated float64 loops where one exists (exp64x2Rows;
 *     LoopRow.rows), then the scalar tail; simd64 for the other functions.
 * Function ids: 0 sin, 1 cos, 2 exp, 3 log, 4 exp2, 5 log2, 6 tanh.
 * The kernels are reached through function references (call_indirect): fine for tests, not
 * a measurement of speed (bench/math-simd.ts inlines them).
 */
import { sin64x2, sin64, cos64x2, cos64, sin32x4, sin32, cos32x4, cos32 } from './trig';
import { exp64x2, exp64x2Rows, exp64, exp264x2, exp264, exp32x4, exp32, exp232x4, exp232 } from './exp';
import { log64x2, log64, log264x2, log264, log32x4, log32, log232x4, log232 } from './log';
import { tanh64x2, tanh64, tanh32x4, tanh32 } from './tanh';

type Vec = (v: v128) => v128;

// Wrappers: the kernels are @inline, and a function reference needs a real function.
function vsin64(v: v128): v128 { return sin64x2(v); }
function vcos64(v: v128): v128 { return cos64x2(v); }
function vexp64(v: v128): v128 { return exp64x2(v); }
function vlog64(v: v128): v128 { return log64x2(v); }
function vexp264(v: v128): v128 { return exp264x2(v); }
function vlog264(v: v128): v128 { return log264x2(v); }
function vtanh64(v: v128): v128 { return tanh64x2(v); }
function vsin32(v: v128): v128 { return sin32x4(v); }
function vcos32(v: v128): v128 { return cos32x4(v); }
function vexp32(v: v128): v128 { return exp32x4(v); }
function vlog32(v: v128): v128 { return log32x4(v); }
function vexp232(v: v128): v128 { return exp232x4(v); }
function vlog232(v: v128): v128 { return log232x4(v); }
function vtanh32(v: v128): v128 { return tanh32x4(v); }

const VEC64: Vec[] = [vsin64, vcos64, vexp64, vlog64, vexp264, vlog264, vtanh64];
const VEC32: Vec[] = [vsin32, vcos32, vexp32, vlog32, vexp232, vlog232, vtanh32];
const SCA64: ((x: f64) => f64)[] = [sin64, cos64, exp64, log64, exp264, log264, tanh64];
const SCA32: ((x: f32) => f32)[] = [sin32, cos32, exp32, log32, exp232, log232, tanh32];

/** Start of free memory above this module's static data (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

export function simd64(id: i32, src: usize, dst: usize, n: i32): void {
  const f = VEC64[id];
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(dst + (<usize>i << 3), f(v128.load(src + (<usize>i << 3))));
  const g = SCA64[id];
  for (; i < n; i++) store<f64>(dst + (<usize>i << 3), g(load<f64>(src + (<usize>i << 3))));
}

export function rows64(id: i32, src: usize, dst: usize, n: i32): void {
  if (id != 2) return simd64(id, src, dst, n);
  const m = n & ~1;
  exp64x2Rows(src, dst, m);
  for (let i = m; i < n; i++) store<f64>(dst + (<usize>i << 3), exp64(load<f64>(src + (<usize>i << 3))));
}

export function scalar64(id: i32, src: usize, dst: usize, n: i32): void {
  const g = SCA64[id];
  for (let i = 0; i < n; i++) store<f64>(dst + (<usize>i << 3), g(load<f64>(src + (<usize>i << 3))));
}

export function simd32(id: i32, src: usize, dst: usize, n: i32): void {
  const f = VEC32[id];
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f(v128.load(src + (<usize>i << 2))));
  const g = SCA32[id];
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), g(load<f32>(src + (<usize>i << 2))));
}

export function scalar32(id: i32, src: usize, dst: usize, n: i32): void {
  const g = SCA32[id];
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), g(load<f32>(src + (<usize>i << 2))));
}
