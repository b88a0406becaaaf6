// options.constants' typed arrays (issue 13 item 2, tables): read-only lookup tables in
// nb.vectorize, nb.guvectorize and nb.stencil kernels on the cpu, parallel and gpu targets.
// The expected values are the same kernels run as plain JavaScript with the tables in scope
// as module-level consts; an index outside a table is IndexError E_KERNEL_BOUNDS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const hasGpu = await nb.gpuAvailable().catch(() => false);
const GPU_SKIP = 'no WebGPU adapter: the gpu tests of table constants are skipped';
if (!hasGpu) console.warn(GPU_SKIP);
const DEFAULTS = nb.config().parallel;
// Every parallel call goes to the pool, however small.
beforeAll(() => { nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } }); });
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

// The tables, in scope for the plain-JS reference runs.
const coef = new Float64Array([1, -0.5, 0.25, 0.125]);
const edges = new Float64Array([0, 1, 2.5, 5, 10]);
const weights = new Int32Array([3, -1, 4, 1, -5, 9]);
const coef32 = new Float32Array([1, -0.5, 0.25, 0.125]);
const edges32 = new Float32Array([0, 1, 2.5, 5, 10]);

/** Horner's rule over a coefficient table. */
const poly = (x: number) => {
  let s = 0;
  for (let i = coef.length - 1; i >= 0; i--) s = s * x + coef[i]!;
  return s;
};
/** The bin of x in `edges` (-1 below the first edge, edges.length - 1 at or past the last). */
const bin = (x: number) => {
  let k = 0;
  while (k < edges.length && edges[k]! <= x) k++;
  return k - 1;
};
/** A weighted histogram-style sum: weight of each element's class, from an int32 table. */
const weighted = (a: Int32Array, out: Int32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += weights[a[i]! % weights.length]!;
  out[0] = s;
};
const poly32 = (x: number) => {
  let s = 0;
  for (let i = coef32.length - 1; i >= 0; i--) s = s * x + coef32[i]!;
  return s;
};
const bin32 = (x: number) => {
  let k = 0;
  while (k < edges32.length && edges32[k]! <= x) k++;
  return k - 1;
};
const smooth = (a: (i: number) => number) => coef[0]! * a(-1) + coef[1]! * a(0) + coef[2]! * a(1);
const lookup = (a: (i: number) => number) => weights[a(0)]!;

const xs = [-1, 0, 0.5, 1, 2.5, 3, 7.25, 10, 42];
const rows = [[0, 1, 2, 3], [5, 5, 11, 6], [4, 0, 7, 2]];

const errorOf = async (f: () => unknown): Promise<Error> => {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('vectorize', () => {
  for (const target of ['cpu', 'parallel'] as const) {
    it(`${target}: a polynomial from a coefficient table, and a binning search over an edges table`, () => {
      const p = nb.vectorize('f8(f8)', { target, constants: { coef } })(poly);
      expect(p(nb.array(xs)).toArray()).toEqual(xs.map(poly));
      const b = nb.vectorize('i4(f8)', { target, constants: { edges } })(bin);
      // On Wasm at once: the direct module reads the tables where the runtime wrote them (issue 15).
      expect([p.tier, b.tier]).toEqual(['wasm', 'wasm']);
      expect(b(nb.array(xs)).toArray()).toEqual(xs.map(bin));
      // Lazy: compiled per input dtype, the table the same.
      const lazy = nb.vectorize({ target, constants: { coef } })(poly);
      expect(lazy(nb.array(xs, 'float32')).toArray()).toEqual(xs.map(poly));
    });

    it(`${target}: an index outside the table is IndexError E_KERNEL_BOUNDS with the line and column`, async () => {
      const f = nb.vectorize('i4(i4)', { target, constants: { weights } })((i: number) => weights[i]!);
      expect(f.tier).toBe('wasm');
      expect(f(nb.array([0, 5, 2], 'int32')).toArray()).toEqual([3, 9, 4]);
      for (const bad of [[0, 6], [-1]]) {
        const e = await errorOf(() => f(nb.array(bad, 'int32')));
        expect(e).toBeInstanceOf(nb.IndexError);
        expect((e as nb.IndexError).code).toBe('E_KERNEL_BOUNDS');
        expect(e.message).toContain(`index ${bad[bad.length - 1]} is out of bounds for axis 0 of 'weights' with size 6`);
        expect(e.message).toMatch(/line 1, column \d+/);
      }
      // The next call works.
      expect(f(nb.array([1], 'int32')).toArray()).toEqual([-1]);
    });
  }

  it('two signatures, each with the table in its own place in one direct module; two kernels with tables', () => {
    const both = nb.vectorize(['i4(i4)', 'f8(f8)'], { constants: { coef, weights } })((x: number) => coef[1]! * x + weights[2]!);
    const other = nb.vectorize('i4(i4)', { constants: { weights } })((i: number) => weights[5 - i]!);
    expect([both.tier, other.tier]).toEqual(['wasm', 'wasm']);
    const ref = (x: number) => coef[1]! * x + weights[2]!;
    expect(both(nb.array(xs)).toArray()).toEqual(xs.map(ref));
    // int32 (the first loop int32 inputs fit, as NumPy picks): coef[1] * x is float64 (a
    // float table), truncated to the int32 output.
    expect(both(nb.array([0, 3, -7], 'int32')).toArray()).toEqual([0, 3, -7].map((x) => Math.trunc(ref(x))));
    expect(other(nb.array([0, 1, 5], 'int32')).toArray()).toEqual([0, 1, 5].map((i) => weights[5 - i]!));
  });

  it('boundscheck: false compiles no check (in-range results unchanged)', () => {
    const f = nb.vectorize('i4(i4)', { constants: { weights }, boundscheck: false })((i: number) => weights[i]!);
    expect(f.kernels[0]!.bounds).toEqual([]);
    expect(f(nb.array([0, 5], 'int32')).toArray()).toEqual([3, 9]);
  });

  it('frozen: changing the array after the factory call changes nothing', () => {
    const t = new Float64Array([1, 2, 3]);
    const make = nb.vectorize('f8(i4)', { constants: { t } });
    t[0] = 100;
    const f = make((i: number) => t[i]!);
    t[1] = 200;
    expect(f(nb.array([0, 1], 'int32')).toArray()).toEqual([1, 2]);
  });

  it('different table contents never share a cached module', () => {
    const k = (t: Float64Array) => nb.vectorize('f8(i4)', { constants: { t } })((i: number) => t[i]!);
    const a = k(new Float64Array([1, 2]));
    const b = k(new Float64Array([1, 3]));
    expect(a.kernels[0]!.key).not.toBe(b.kernels[0]!.key);
    expect(b(nb.array([1], 'int32')).toArray()).toEqual([3]);
  });

  it.skipIf(!hasGpu)(`gpu: coefficient and edges tables, and E_KERNEL_BOUNDS (${hasGpu ? 'needs a GPU' : GPU_SKIP})`, async () => {
    const xs32 = Array.from(new Float32Array(xs));
    const p = nb.vectorize('f4(f4)', { target: 'gpu', constants: { coef32 } })(poly32);
    expect((await p(nb.array(xs32, 'float32'))).toArray()).toEqual(Array.from(new Float32Array(xs32.map(poly32))));
    const b = nb.vectorize('i4(f4)', { target: 'gpu', constants: { edges32 } })(bin32);
    expect((await b(nb.array(xs32, 'float32'))).toArray()).toEqual(xs32.map(bin32));
    const f = nb.vectorize('i4(i4)', { target: 'gpu', constants: { weights } })((i: number) => weights[i]!);
    expect((await f(nb.array([0, 5, 2], 'int32'))).toArray()).toEqual([3, 9, 4]);
    const e = await errorOf(() => f(nb.array([0, 6], 'int32')));
    expect((e as nb.IndexError).code).toBe('E_KERNEL_BOUNDS');
    expect(e.message).toContain("index 6 is out of bounds for axis 0 of 'weights' with size 6");
  });

  it('gpu: a Float64Array table is KernelError NB6001 saying to pass a Float32Array (no GPU needed)', async () => {
    const e = await errorOf(() => nb.vectorize('f4(f4)', { target: 'gpu', constants: { coef } })(poly));
    expect(e).toBeInstanceOf(nb.KernelError);
    expect((e as nb.KernelError).code).toBe('NB6001');
    expect(e.message).toContain("table 'coef' of type float64");
    expect(e.message).toContain('Float32Array');
  });
});

describe('guvectorize', () => {
  const expected = rows.map((r) => {
    const out = new Int32Array(1);
    weighted(Int32Array.from(r), out);
    return out[0]!;
  });

  for (const target of ['cpu', 'parallel'] as const) {
    it(`${target}: an int32 weights table indexed by the data`, () => {
      const g = nb.guvectorize('void(i4[:], i4[:])', '(n)->()', { target, constants: { weights } })(weighted);
      expect(g.tier).toBe('wasm');
      expect((g(nb.array(rows, 'int32')) as nb.NDArray).toArray()).toEqual(expected);
    });
  }

  it.skipIf(!hasGpu)(`gpu: an int32 weights table indexed by the data (${hasGpu ? 'needs a GPU' : GPU_SKIP})`, async () => {
    const g = nb.guvectorize('void(i4[:], i4[:])', '(n)->()', { target: 'gpu', constants: { weights } })(weighted);
    expect((await g(nb.array(rows, 'int32')) as nb.NDArray).toArray()).toEqual(expected);
  });

  it('cpu: a negative element indexes outside the table: E_KERNEL_BOUNDS', async () => {
    const g = nb.guvectorize('void(i4[:], i4[:])', '(n)->()', { constants: { weights } })(weighted);
    const e = await errorOf(() => g(nb.array([[1, -7]], 'int32')));
    expect((e as nb.IndexError).code).toBe('E_KERNEL_BOUNDS');
    expect(e.message).toContain("index -1 is out of bounds for axis 0 of 'weights' with size 6");
  });
});

describe('stencil', () => {
  const v = [1, 2, 4, 8, 16];
  // 'nearest': the edge element repeats.
  const at = (i: number) => v[Math.min(v.length - 1, Math.max(0, i))]!;
  const smoothRef = v.map((_, i) => smooth((d) => at(i + d)));
  const idx = [0, 5, 3, 1];

  for (const target of ['cpu', 'parallel'] as const) {
    it(`${target}: weights from a table, and a table indexed by the neighbour's value`, () => {
      const s = nb.stencil(smooth as never, { target, constants: { coef }, mode: 'nearest', signature: 'float64(float64)' });
      expect(s(nb.array(v)).toArray()).toEqual(smoothRef);
      const l = nb.stencil(lookup as never, { target, constants: { weights }, signature: 'int32(int32)' });
      expect(l(nb.array(idx, 'int32')).toArray()).toEqual(idx.map((i) => weights[i]));
      const e = errorOf(() => l(nb.array([0, 6], 'int32')));
      return e.then((err) => expect((err as nb.IndexError).code).toBe('E_KERNEL_BOUNDS'));
    });
  }

  it.skipIf(!hasGpu)(`gpu: a table indexed by the neighbour's value, checked (${hasGpu ? 'needs a GPU' : GPU_SKIP})`, async () => {
    const l = nb.stencil(lookup as never, { target: 'gpu', constants: { weights }, signature: 'int32(int32)' });
    expect((await l(nb.array(idx, 'int32'))).toArray()).toEqual(idx.map((i) => weights[i]));
    const e = await errorOf(() => l(nb.array([0, 9], 'int32')));
    expect((e as nb.IndexError).code).toBe('E_KERNEL_BOUNDS');
    expect(e.message).toContain("index 9 is out of bounds for axis 0 of 'weights' with size 6");
  });
});
