/**
 * guvectorize kernels on the direct Wasm module (src/compiler/emit/wasm gufunc-row.ts,
 * arrays.ts; issue 15): on the Wasm tier right after the factory, without the compiler
 * worker, with results against plain JS: rowdot, a (m,n),(n,p)->(m,p) matmul, a cumulative
 * sum (n)->(n), a scalar input (n),()->(n), bool and int arrays, strided, transposed and
 * broadcast operands, out= overlapping an input, the bounds error (the same IndexError as
 * asc's module gives), the parallel target, and a fast-check over random shapes and layouts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { kernelCacheStats } from '../../src/vectorize/kernel-cache.js';
import { setDirectWasm } from '../../src/vectorize/tiered-kernels.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type A = any;
type G = ((...a: unknown[]) => nb.NDArray) & { readonly tier: 'js' | 'wasm'; readonly ready: Promise<void>; callAsync(...a: unknown[]): Promise<unknown> };

// `cache: true` below writes to a folder of this file's own.
const cacheDir = mkdtempSync(join(tmpdir(), 'numbats-direct-gufunc-cache-'));
process.env['NUMBATS_CACHE_DIR'] = cacheDir;
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const gu = (sig: string | string[], layout: string, fn: unknown, options: Record<string, unknown> = {}): G =>
  nb.guvectorize(sig as string, layout, options)(fn as never) as unknown as G;

// Kernels (plain JS that the front end compiles; the same functions are the references).
const rowdot = (a: A, b: A, out: A) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; out[0] = s; };
const matmul = (a: A, b: A, c: A) => {
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b[0].length; j++) {
      let s = 0;
      for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  }
};
const cumsum = (a: A, out: A) => { let s = a[0] - a[0]; for (let i = 0; i < a.length; i++) { s += a[i]; out[i] = s; } };
const scale = (a: A, s: number, out: A) => { for (let i = 0; i < a.length; i++) out[i] = a[i] * s; };
const anyTrue = (a: A, out: A) => { out[0] = false; for (let i = 0; i < a.length; i++) if (a[i]) { out[0] = true; break; } };

const f8 = (v: unknown) => nb.array(v as number[], { dtype: 'float64' });

/** Plain-JS rowdot of nested rows (float64, in order). */
const refDot = (a: number[][], b: number[][]) => a.map((r, i) => { let s = 0; for (let k = 0; k < r.length; k++) s += r[k]! * b[i]![k]!; return s; });
const refMatmul = (a: number[][], b: number[][]) => a.map((r) => b[0]!.map((_, j) => { let s = 0; for (let k = 0; k < b.length; k++) s += r[k]! * b[k]![j]!; return s; }));
const refCumsum = (a: number[]) => { let s = 0; return a.map((v) => (s += v)); };

describe('guvectorize on the direct module, against plain JS', () => {
  it('rowdot, matmul, cumsum and a scalar input are on the Wasm tier at once', () => {
    const c = Math.random();
    const d = gu('void(f8[:], f8[:], f8[:])', '(n),(n)->()', rowdot, { name: `dot${c}` });
    const m = gu('void(f8[:,:], f8[:,:], f8[:,:])', '(m,n),(n,p)->(m,p)', matmul);
    const s = gu('void(f8[:], f8[:])', '(n)->(n)', cumsum);
    const k = gu('void(f8[:], f8, f8[:])', '(n),()->(n)', scale);
    expect([d.tier, m.tier, s.tier, k.tier]).toEqual(['wasm', 'wasm', 'wasm', 'wasm']);
    const a = [[1.5, -2, 0.25, 3], [c, 7, 1e-310, -4]];
    const b = [[2, 0.5, -1, 4], [3, -c, 8, 0.125]];
    expect(d(f8(a), f8(b)).toArray()).toEqual(refDot(a, b));
    const mb = [[1, 2, 3], [4, 5, c], [-1, 0.5, 2], [3, 3, -3]];
    expect(m(f8(a), f8(mb)).toArray()).toEqual(refMatmul(a, mb));
    expect(s(f8(a)).toArray()).toEqual(a.map(refCumsum));
    expect(k(f8(a), f8([2, -c])).toArray()).toEqual(a.map((r, i) => r.map((v) => v * [2, -c][i]!)));
  });

  it('bool and int arrays (int32 wraps, int64 exact, bool any)', () => {
    const di = gu(['void(i4[:], i4[:], i4[:])', 'void(i8[:], i8[:], i8[:])'], '(n),(n)->()', rowdot);
    const any = gu('void(b1[:], b1[:])', '(n)->()', anyTrue);
    expect([di.tier, any.tier]).toEqual(['wasm', 'wasm']);
    const a = [[2 ** 30, 3, -7], [46341, 46341, 1]];
    const b = [[4, 5, 6], [46341, 46341, -1]];
    expect(di(nb.array(a, { dtype: 'int32' }), nb.array(b, { dtype: 'int32' })).toArray())
      .toEqual(a.map((r, i) => r.reduce((s, v, k) => (s + Math.imul(v, b[i]![k]!)) | 0, 0)));
    const big = a.map((r) => r.map(BigInt));
    const bigB = b.map((r) => r.map(BigInt));
    expect(di(nb.array(big, { dtype: 'int64' }), nb.array(bigB, { dtype: 'int64' })).toArray())
      .toEqual(big.map((r, i) => r.reduce((s, v, k) => s + v * bigB[i]![k]!, 0n)));
    const bools = [[false, false, true], [false, false, false], [true, false, false]];
    expect(any(nb.array(bools, { dtype: 'bool' })).toArray()).toEqual(bools.map((r) => r.some((v) => v)));
  });

  it('strided, transposed and broadcast operands', () => {
    const d = gu('void(f8[:], f8[:], f8[:])', '(n),(n)->()', rowdot);
    const m = gu('void(f8[:,:], f8[:,:], f8[:,:])', '(m,n),(n,p)->(m,p)', matmul);
    const base = f8(Array.from({ length: 6 }, (_, i) => Array.from({ length: 8 }, (_, j) => i * 8 + j)));
    const bArr = f8(Array.from({ length: 6 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i * 8 + j) * 0.5 - 3)));
    // Every other row and column, reversed columns, and one row broadcast against all.
    const a1 = base.slice('::2', '::2');
    const b1 = bArr.slice('::2', '::-2');
    expect(d(a1, b1).toArray()).toEqual(refDot(a1.toArray() as number[][], b1.toArray() as number[][]));
    const row = f8([1, -1, 2, -2, 3, -3, 4, -4]);
    expect(d(base, row).toArray()).toEqual(refDot(base.toArray() as number[][], (base.toArray() as number[][]).map(() => row.toArray() as number[])));
    // A transposed (Fortran-order) core block, and a stack of matrices broadcast against one.
    const at = bArr.slice(':4', ':6').transpose();
    const bt = base.slice(':4', ':3');
    expect(m(at, bt).toArray()).toEqual(refMatmul(at.toArray() as number[][], bt.toArray() as number[][]));
    const stack = f8(Array.from({ length: 24 }, (_, i) => i * 1.25 - 7)).reshape([2, 3, 4]);
    const one = f8([[1, 0], [0, 1], [2, 2], [-1, 0.5]]);
    expect(m(stack, one).toArray()).toEqual((stack.toArray() as number[][][]).map((s) => refMatmul(s, one.toArray() as number[][])));
  });

  it('out= overlapping an input: the results of the original input, as with asc', async () => {
    const s = gu('void(f8[:], f8[:])', '(n)->(n)', cumsum);
    setDirectWasm(false);
    const viaAsc = gu('void(f8[:], f8[:])', '(n)->(n)', cumsum, { name: 'cumsum_asc', tier: 'wasm' });
    setDirectWasm(true);
    await viaAsc.ready;
    expect(s.tier).toBe('wasm');
    const vals = [[1, 2, 3, 4, 5], [0.5, -1, 2.25, 8, -3]];
    const want = vals.map(refCumsum);
    for (const f of [s, viaAsc]) {
      const a = f8(vals);
      f(a, { out: a });
      expect(a.toArray()).toEqual(want);
      // Shifted by one element: out is a[:, 1:] of a wider array, the input a[:, :-1].
      const w = f8(vals.map((r) => [...r, 0]));
      f(w.slice(':', ':-1'), { out: w.slice(':', '1:') });
      expect(w.toArray()).toEqual(vals.map((r) => [r[0], ...refCumsum(r)]));
    }
  });

  it('an index out of range: the same IndexError (class, code, message) as asc\'s module', async () => {
    const src = (a: A, o: A) => { for (let i = 0; i < a.length; i++) o[i] = a[i + 1]; };
    const direct = gu('void(f8[:], f8[:])', '(n)->(n)', src, { name: 'shift' });
    setDirectWasm(false);
    const viaAsc = gu('void(f8[:], f8[:])', '(n)->(n)', src, { name: 'shift', tier: 'wasm' });
    setDirectWasm(true);
    await viaAsc.ready;
    expect(direct.tier).toBe('wasm');
    const errors = [direct, viaAsc].map((f) => { try { f(f8([1, 2, 3])); } catch (e) { return e as nb.IndexError; } return null; });
    expect(errors[0]).toBeInstanceOf(nb.IndexError);
    expect(errors[0]!.code).toBe('E_KERNEL_BOUNDS');
    expect(errors[0]!.message).toMatch(/index 3 is out of bounds for axis 0 of 'a' with size 3/);
    expect(errors[1]).toBeInstanceOf(nb.IndexError);
    expect(errors[0]!.message).toBe(errors[1]!.message);
    // And the next call in range works (the record was cleared).
    const ok = gu('void(f8[:], f8[:])', '(n)->(n)', (a: A, o: A) => { for (let i = 0; i < a.length - 1; i++) o[i] = a[i + 1]; o[a.length - 1] = 0; });
    expect(ok(f8([1, 2, 3])).toArray()).toEqual([2, 3, 0]);
  });

  it('fast-check: random loop and core shapes, layouts (contiguous, step 2, reversed, broadcast) vs plain JS', () => {
    const d = gu('void(f8[:], f8[:], f8[:])', '(n),(n)->()', rowdot);
    // (float32 first: NumPy's resolution takes the first loop the inputs cast to safely)
    const m = gu(['void(f4[:,:], f4[:,:], f4[:,:])', 'void(f8[:,:], f8[:,:], f8[:,:])'], '(m,n),(n,p)->(m,p)', matmul);
    expect([d.tier, m.tier]).toEqual(['wasm', 'wasm']);
    const dim = fc.integer({ min: 1, max: 5 });
    const layout = fc.constantFrom('contiguous', 'step2', 'reversed', 'broadcast');
    /** An operand of `shape` (loop dims first) in `how`'s layout, and its values as plain nested arrays. */
    const operand = (shape: number[], how: string, seed: number, dtype: 'float64' | 'float32'): { arr: nb.NDArray; plain: unknown } => {
      const count = shape.reduce((x, y) => x * y, 1);
      const vals = Array.from({ length: count }, (_, i) => Math.fround(Math.sin(i * 1.7 + seed) * 4));
      let arr: nb.NDArray;
      if (how === 'step2') arr = nb.array(vals.flatMap((v) => [v, -99]), { dtype }).slice('::2').reshape(shape);
      else if (how === 'reversed') arr = nb.array([...vals].reverse(), { dtype }).slice('::-1').reshape(shape);
      else arr = nb.array(vals, { dtype }).reshape(shape);
      if (how === 'broadcast' && shape.length > 0) {
        // One loop element broadcast along a leading loop dim of the same size.
        const inner = shape.slice(1);
        const first = Array.from({ length: inner.reduce((x, y) => x * y, 1) }, (_, i) => Math.fround(Math.cos(i * 0.9 + seed) * 4));
        const one = nb.array(first, { dtype }).reshape([1, ...inner]);
        arr = nb.broadcastTo(one, shape);
      }
      return { arr, plain: arr.toArray() };
    };
    fc.assert(fc.property(dim, dim, dim, dim, fc.integer({ min: 0, max: 4 }), layout, layout, fc.boolean(), (mm, nn, pp, loop, rows, la, lb, single) => {
      const dtype = single ? 'float32' : 'float64';
      const A1 = operand([rows, loop, nn], la, 1, 'float64');
      const B1 = operand([rows, loop, nn], lb, 2, 'float64');
      const got = d(A1.arr, B1.arr).toArray() as number[][];
      const want = (A1.plain as number[][][]).map((r, i) => refDot(r, (B1.plain as number[][][])[i]!));
      expect(got).toEqual(want);
      const A2 = operand([loop, mm, nn], la, 3, dtype);
      const B2 = operand([loop, nn, pp], lb, 4, dtype);
      // float32: the product rounded (f4 * f4), the sum `s` a float64 (`let s = 0`), rounded once on the store.
      const r = (x: number) => (single ? Math.fround(x) : x);
      const mref = (a: number[][], b: number[][]) => a.map((row) => b[0]!.map((_, j) => { let s = 0; for (let k = 0; k < b.length; k++) s += r(row[k]! * b[k]![j]!); return r(s); }));
      expect(m(A2.arr, B2.arr).toArray()).toEqual((A2.plain as number[][][]).map((a, i) => mref(a, (B2.plain as number[][][])[i]!)));
    }), { numRuns: 150 });
  });

  describe('parallel target', () => {
    const defaults = nb.config().parallel;
    afterAll(async () => {
      nb.config({ parallel: { ...defaults } });
      await nb.shutdown();
    });

    it('the workers run the direct module (rowdot; and a bounds error from a worker)', async () => {
      nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
      const d = gu('void(f8[:], f8[:], f8[:])', '(n),(n)->()', rowdot, { target: 'parallel' });
      expect(d.tier).toBe('wasm');
      const rows = 20_001;
      const a = nb.linspace(-3, 5, rows * 16).reshape([rows, 16]);
      const b = nb.linspace(2, -1, rows * 16).reshape([rows, 16]).slice('::-1');
      const want = refDot(a.toArray() as number[][], b.toArray() as number[][]);
      expect(d(a, b).toArray()).toEqual(want);
      expect(((await d.callAsync(a, b)) as nb.NDArray).toArray()).toEqual(want);
      const bad = gu('void(f8[:], f8[:])', '(n)->(n)', (x: A, o: A) => { for (let i = 0; i < x.length; i++) o[i] = x[i + 1]; }, { target: 'parallel' });
      expect(bad.tier).toBe('wasm');
      let err: unknown = null;
      try { bad(nb.zeros([rows, 4])); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(nb.IndexError);
      expect((err as nb.IndexError).code).toBe('E_KERNEL_BOUNDS');
      expect((err as Error).message).toMatch(/index 4 is out of bounds for axis 0 of 'x' with size 4/);
    });
  });

  it("cache: true keeps the direct module by the kernel's inputs: the next factory runs no front end", () => {
    const c = Math.random();
    const src = `(a, o) => { let s = ${c}; for (let i = 0; i < a.length; i++) { s += a[i]; o[i] = s; } }`;
    const make = () => gu('void(f8[:], f8[:])', '(n)->(n)', new Function(`return ${src}`)(), { cache: true, name: 'cumsum_cached' });
    const before = kernelCacheStats();
    const f = make();
    const g = make();
    const after = kernelCacheStats();
    expect([after.frontEnd - before.frontEnd, after.hits - before.hits]).toEqual([1, 1]);
    expect([f.tier, g.tier]).toEqual(['wasm', 'wasm']);
    expect(g(f8([1, 2, 3])).toArray()).toEqual(refCumsum([c + 1, 2, 3]));
  });

  it('a fresh process: Wasm at once and no compiler worker for a guvectorize kernel', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', [
      "import * as nb from './src/index.ts';",
      "import { compilerWorkersSpawned } from './src/vectorize/compile-sync.ts';",
      "const d = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')((a, b, o) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; o[0] = s; });",
      'const tier = d.tier;',
      'await d.ready;',
      'await new Promise((r) => setTimeout(r, 100));',
      "console.log(JSON.stringify([tier, d(nb.array([[1, 2], [3, 4]]), nb.array([5, 6])).toArray(), compilerWorkersSpawned()]));",
    ].join('\n')], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['wasm', [1 * 5 + 2 * 6, 3 * 5 + 4 * 6], 0]);
  });
});
