/**
 * Hand-run micro-benchmark of the built-in Wasm copy loops against plain JS loops over the
 * same SharedArrayBuffer (the heap), N = 1e7 float64:
 *   copy float64 -> float64 (contiguous), float64 -> float32 (contiguous),
 *   float64 -> float64 from a strided source (a[::2]).
 * Prints the median ns/element of each. Not part of the test suite or package scripts.
 *
 * Usage: npm run build:asm && npx tsx scripts/bench-cast-loops.ts [N] [reps]
 */
import { performance } from 'node:perf_hooks';
import { DTYPES } from '../src/dtype/dtypes.js';
import { instantiateBuiltins } from '../src/runtime/builtin-module.js';

const N = Number(process.argv[2] ?? 1e7);
const REPS = Number(process.argv[3] ?? 15);
const F64 = DTYPES.float64.code;
const F32 = DTYPES.float32.code;

// Source with room for the strided case (2N), a float64 destination, a float32 destination.
const bytesNeeded = 16 * N + 8 * N + 4 * N + 65536;
const memory = new WebAssembly.Memory({
  initial: Math.ceil(bytesNeeded / 65536) + 1,
  maximum: 65536,
  shared: true,
});
const wasm = instantiateBuiltins(memory);
const align = (p: number): number => (p + 63) & ~63;
const srcPtr = align(wasm.heapBase());
const dst64Ptr = align(srcPtr + 16 * N);
const dst32Ptr = align(dst64Ptr + 8 * N);
const planPtr = align(dst32Ptr + 4 * N);

const src = new Float64Array(memory.buffer, srcPtr, 2 * N);
const dst64 = new Float64Array(memory.buffer, dst64Ptr, N);
const dst32 = new Float32Array(memory.buffer, dst32Ptr, N);
for (let i = 0; i < src.length; i++) src[i] = Math.sin(i) * 1e3;

/** A 1-d copy plan: [1, n, srcPtr, srcStride, dstPtr, dstStride] (byte strides). */
function plan(srcStride: number, dstPtr: number, dstStride: number): number {
  new Int32Array(memory.buffer, planPtr, 6).set([1, N, srcPtr, srcStride, dstPtr, dstStride]);
  return planPtr;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median ns/element over REPS timed runs, after 3 warm-up runs (V8 tiers Wasm and JS up). */
function time(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    run();
    samples.push(((performance.now() - t0) * 1e6) / N);
  }
  return median(samples);
}

const cases: Array<[string, () => void]> = [
  ['wasm copy f64->f64 contiguous', () => wasm.copy(F64, F64, plan(8, dst64Ptr, 8))],
  ['js   loop f64->f64 contiguous', () => {
    for (let i = 0; i < N; i++) dst64[i] = src[i]!;
  }],
  ['js   TypedArray.set f64->f64', () => dst64.set(src.subarray(0, N))],
  ['wasm copy f64->f32 contiguous', () => wasm.copy(F64, F32, plan(8, dst32Ptr, 4))],
  ['js   loop f64->f32 contiguous', () => {
    for (let i = 0; i < N; i++) dst32[i] = src[i]!;
  }],
  ['wasm copy f64->f64 strided ::2', () => wasm.copy(F64, F64, plan(16, dst64Ptr, 8))],
  ['js   loop f64->f64 strided ::2', () => {
    for (let i = 0; i < N; i++) dst64[i] = src[2 * i]!;
  }],
];

console.log(`N = ${N}, ${REPS} reps, median ns/element (node ${process.version})`);
for (const [name, run] of cases) console.log(`${name.padEnd(34)} ${time(run).toFixed(3)}`);
