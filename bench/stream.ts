/**
 * STREAM-style memory bandwidth of this machine, from Wasm (issue 16 item 5): the ceiling
 * for memory-bound rows (`a[::2] + b[::2]`, `add.reduce`, vectorize `x*y+1`). Run in the same
 * invocation as the rows it bounds: `npm run bench -- stream ufuncs vectorize`.
 *
 * One small module, compiled here in memory with the package's asc flags (DESIGN.md
 * decision 6), on its own shared memory: f64x2 loops unrolled by 4 over 1e7 float64 (80 MB per
 * array, far beyond the caches), STREAM's kernels plus a read-only sum:
 *   copy   c = a          16 B/element (8 read, 8 written)
 *   scale  c = 3 a        16
 *   add    c = a + b      24
 *   triad  c = a + 3 b    24
 *   sum    s += a         8 (read only; 4 accumulators)
 *   dot    s += a * b     16 (read only, two streams; 4 accumulators): the ceiling of a
 *                            row-wise dot such as guvectorize rowdot, which reads two arrays
 * GB/s = bytes per element / ns per element (the table's numbats column). NumPy's column is
 * the same operation with `out=` (bench/numpy/stream.py; triad needs a temporary there).
 */
import { compileAsmBench } from './asm-module.js';
import type { Case } from './harness.js';

const N = 1e7;

const SOURCE = `
export function copy(a: usize, c: usize, n: i32): void {
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    v128.store(c + o, v128.load(a + o)); v128.store(c + o, v128.load(a + o, 16), 16);
    v128.store(c + o, v128.load(a + o, 32), 32); v128.store(c + o, v128.load(a + o, 48), 48);
  }
}
export function scale(a: usize, c: usize, n: i32): void {
  const s = f64x2.splat(3.0);
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    v128.store(c + o, f64x2.mul(s, v128.load(a + o))); v128.store(c + o, f64x2.mul(s, v128.load(a + o, 16)), 16);
    v128.store(c + o, f64x2.mul(s, v128.load(a + o, 32)), 32); v128.store(c + o, f64x2.mul(s, v128.load(a + o, 48)), 48);
  }
}
export function add(a: usize, b: usize, c: usize, n: i32): void {
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    v128.store(c + o, f64x2.add(v128.load(a + o), v128.load(b + o)));
    v128.store(c + o, f64x2.add(v128.load(a + o, 16), v128.load(b + o, 16)), 16);
    v128.store(c + o, f64x2.add(v128.load(a + o, 32), v128.load(b + o, 32)), 32);
    v128.store(c + o, f64x2.add(v128.load(a + o, 48), v128.load(b + o, 48)), 48);
  }
}
export function triad(a: usize, b: usize, c: usize, n: i32): void {
  const s = f64x2.splat(3.0);
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    v128.store(c + o, f64x2.add(v128.load(a + o), f64x2.mul(s, v128.load(b + o))));
    v128.store(c + o, f64x2.add(v128.load(a + o, 16), f64x2.mul(s, v128.load(b + o, 16))), 16);
    v128.store(c + o, f64x2.add(v128.load(a + o, 32), f64x2.mul(s, v128.load(b + o, 32))), 32);
    v128.store(c + o, f64x2.add(v128.load(a + o, 48), f64x2.mul(s, v128.load(b + o, 48))), 48);
  }
}
export function sum(a: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    s0 = f64x2.add(s0, v128.load(a + o)); s1 = f64x2.add(s1, v128.load(a + o, 16));
    s2 = f64x2.add(s2, v128.load(a + o, 32)); s3 = f64x2.add(s3, v128.load(a + o, 48));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
export function dot(a: usize, b: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o))); s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(a + o, 32), v128.load(b + o, 32))); s3 = f64x2.add(s3, f64x2.mul(v128.load(a + o, 48), v128.load(b + o, 48)));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
`;

interface StreamExports {
  copy(a: number, c: number, n: number): void;
  scale(a: number, c: number, n: number): void;
  add(a: number, b: number, c: number, n: number): void;
  triad(a: number, b: number, c: number, n: number): void;
  sum(a: number, n: number): number;
  dot(a: number, b: number, n: number): number;
}

const compile = (): Promise<WebAssembly.Module> => compileAsmBench(SOURCE, 'stream.ts');

/** The STREAM cases: numbats' column is the Wasm loop, the baseline a plain JS loop. */
export async function streamCases(): Promise<Case[]> {
  const bytes = N * 8;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((3 * bytes + 65536) / 65536), maximum: 65536, shared: true });
  const w = new WebAssembly.Instance(await compile(), { env: { memory } }).exports as unknown as StreamExports;
  const [pa, pb, pc] = [65536, 65536 + bytes, 65536 + 2 * bytes];
  const a = new Float64Array(memory.buffer, pa, N);
  const b = new Float64Array(memory.buffer, pb, N);
  const c = new Float64Array(memory.buffer, pc, N);
  for (let i = 0; i < N; i++) {
    a[i] = i / N;
    b[i] = 1 + i / N;
  }
  return [
    { name: 'stream=copy,dtype=float64,n=1e7 (16 B/element)', elements: N, numpy: 'copy',
      run: () => w.copy(pa, pc, N), baseline: () => { c.set(a); return c[0]; } },
    { name: 'stream=scale,dtype=float64,n=1e7 (16 B/element)', elements: N, numpy: 'scale',
      run: () => w.scale(pa, pc, N), baseline: () => { for (let i = 0; i < N; i++) c[i] = 3 * a[i]!; return c[0]; } },
    { name: 'stream=add,dtype=float64,n=1e7 (24 B/element)', elements: N, numpy: 'add',
      run: () => w.add(pa, pb, pc, N), baseline: () => { for (let i = 0; i < N; i++) c[i] = a[i]! + b[i]!; return c[0]; } },
    { name: 'stream=triad,dtype=float64,n=1e7 (24 B/element)', elements: N, numpy: 'triad',
      run: () => w.triad(pa, pb, pc, N), baseline: () => { for (let i = 0; i < N; i++) c[i] = a[i]! + 3 * b[i]!; return c[0]; } },
    { name: 'stream=sum,dtype=float64,n=1e7 (8 B/element, read only)', elements: N, numpy: 'sum',
      run: () => w.sum(pa, N), baseline: () => { let s = 0; for (let i = 0; i < N; i++) s += a[i]!; return s; } },
    { name: 'stream=dot,dtype=float64,n=1e7 (16 B/element, read only)', elements: N, numpy: 'dot',
      run: () => w.dot(pa, pb, N), baseline: () => { let s = 0; for (let i = 0; i < N; i++) s += a[i]! * b[i]!; return s; } },
  ];
}
