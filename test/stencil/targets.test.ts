/**
 * nb.stencil on the 'parallel' and 'gpu' targets against the 'cpu' target's result (issue 7:
 * "every boundary mode against a reference, on every available target"; the cpu target
 * itself is checked against a plain-JS reference in stencil.test.ts).
 *
 * Matrix: every boundary mode x 1-D (also shorter than the reach), 2-D (also one row) and
 * 3-D x output stride 1 and 2. Parallel: float64 and int32, bit-identical to cpu, with the
 * crossover forced low (nb.config) so that even small arrays are cut into row blocks on
 * the pool. Gpu: float32 within 1e-6 relative and int32 exact (test data are multiples of
 * 1/8, so float32 sums and products are exact on both sides anyway). Without a WebGPU
 * adapter the gpu tests show as skipped (test/gpu/harness.ts). Plus out=, several inputs,
 * strided and reversed views, lazy signatures, and the gpu target's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { poolStarted } from '../../src/parallel/pool.js';
import { KernelError } from '../../src/util/errors.js';
import { hasGpu, mismatch } from '../gpu/harness.js';

// These tests check the Wasm the parallel target runs on the pool: stencils made here wait for
// their Wasm (test/stencil/tiers.test.ts checks a parallel stencil's JS tier before it).
nb.config({ tier: 'wasm' });

type Mode = nb.BoundaryMode;
const MODES: Mode[] = ['constant', 'nearest', 'reflect', 'mirror', 'wrap'];
type Arr = nb.NDArray;

/** Multiples of 1/8 in [-125, 125] (exact in float32 sums and small products); integers for int32. */
function data(shape: readonly number[], dtype: DType, seed: number): Arr {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = Math.round((s / 2 ** 32) * 2000 - 1000);
    return dtype === 'int32' ? v : v / 8;
  });
  return nb.array(xs, { dtype }).reshape([...shape]) as Arr;
}

const values = (a: Arr): number[] => Array.from(a.ravel().data as ArrayLike<number>, Number);

/* eslint-disable @typescript-eslint/no-explicit-any */
// Integer coefficients only: the same kernel type-checks for int32, float32 and float64.
const K1 = (a: any) => 3 * a(-1) - a(0) + 2 * a(2) - a(-3);
const K2 = (a: any) => a(-1, 0) + a(1, 0) - 2 * a(0, -1) + a(0, 2) - a(-2, -1);
const K3 = (a: any) => 6 * a(0, 0, 0) - (a(-1, 0, 0) + a(1, 0, 1) + a(0, -1, 0) + a(0, 1, -1) + a(0, 0, -2) + a(1, 1, 1));

const CASES: [string, any, number[]][] = [
  ['1-D', K1, [29]],
  ['1-D (shorter than the reach)', K1, [2]],
  ['2-D', K2, [13, 17]],
  ['2-D (one row)', K2, [1, 6]],
  ['3-D', K3, [5, 4, 6]],
];
const STRIDES = [1, 2];
const CPU_SIGS = ['int32(int32)', 'float32(float32)', 'float64(float64)'];
const GPU_SIGS = ['int32(int32)', 'float32(float32)'];
const CVAL = 3;

/** The cpu stencil of a case (one module per mode, kernel and stride; shared by the tests). */
const cpuStencils = new Map<string, nb.Stencil>();
function cpuStencil(kernel: any, mode: Mode, stride: number, key: string): nb.Stencil {
  let s = cpuStencils.get(key);
  if (!s) cpuStencils.set(key, (s = nb.stencil(kernel, { signature: CPU_SIGS, mode, cval: CVAL, stride })));
  return s;
}

let saved: ReturnType<typeof nb.config>['parallel'];
beforeAll(() => {
  saved = nb.config().parallel;
  // Every call with two or more output rows goes to the pool, in blocks of a row or more.
  nb.config({ parallel: { threads: Math.max(2, saved.threads), minElements: 0, blockMs: 1e-6 } });
});
afterAll(async () => {
  nb.config({ parallel: { threads: saved.threads, minElements: saved.minElements, blockMs: saved.blockMs } });
  await nb.shutdown();
});

describe('stencil on the parallel target: bit-identical to cpu', () => {
  for (const mode of MODES) {
    for (const [what, kernel, shape] of CASES) {
      for (const stride of STRIDES) {
        const key = `${mode}|${what}|${stride}`;
        it(`${mode}, ${what} ${JSON.stringify(shape)}, stride ${stride}`, () => {
          const cpu = cpuStencil(kernel, mode, stride, key);
          const par = nb.stencil(kernel, { signature: CPU_SIGS, mode, cval: CVAL, stride, target: 'parallel' });
          for (const dtype of ['float64', 'int32'] as const) {
            const a = data(shape, dtype, shape.length * 31 + shape[0]! + stride);
            const want = cpu(a);
            const got = par(a);
            expect(got.dtype).toBe(dtype);
            expect(got.shape).toEqual(want.shape);
            expect(values(got)).toEqual(values(want));
          }
        });
      }
    }
  }

  it('really runs on the pool above the crossover, and on the calling thread below it', async () => {
    const par = nb.stencil(K2, { signature: 'float64(float64)', mode: 'wrap', target: 'parallel' });
    const cpu = nb.stencil(K2, { signature: 'float64(float64)', mode: 'wrap' });
    const a = data([64, 40], 'float64', 9);
    await nb.shutdown();
    nb.config({ parallel: { minElements: 1e9 } });
    expect(values(par(a))).toEqual(values(cpu(a)));
    expect(poolStarted()).toBe(false);
    nb.config({ parallel: { minElements: 0 } });
    expect(values(par(a))).toEqual(values(cpu(a)));
    expect(poolStarted()).toBe(true);
  });

  it('a larger 2-D array, strided and reversed input views, several inputs, out=', () => {
    const k = (a: any, b: any) => a(-1, 0) * b(0, 1) + a(1, 1) - b(0, 0) + a(0, -2);
    const cpu = nb.stencil(k, { signature: 'float64(float64, float64)', mode: 'mirror' });
    const par = nb.stencil(k, { signature: 'float64(float64, float64)', mode: 'mirror', target: 'parallel' });
    const a = data([301, 257], 'float64', 1);
    const b = data([301, 257], 'float64', 2);
    expect(values(par(a, b))).toEqual(values(cpu(a, b)));
    const av = a.slice('::-2', '1::3');
    const bv = b.slice('::2', ':-1:3');
    expect(values(par(av, bv))).toEqual(values(cpu(av, bv)));
    const out = nb.zeros([301, 257], 'float64');
    expect(par(a, b, { out })).toBe(out);
    expect(values(out)).toEqual(values(cpu(a, b)));
    // out sharing memory with an input: written through a temporary, same values.
    const a2 = a.copy();
    par(a2, b, { out: a2 });
    expect(values(a2)).toEqual(values(cpu(a, b)));
  });

  it('stride per axis and a uint8 image mean (the downsample pattern)', () => {
    const k = (a: any) => (a(0, 0) + a(0, 1) + a(1, 0) + a(1, 1)) / 4;
    const cpu = nb.stencil(k, { signature: 'uint8(uint8)', mode: 'nearest', stride: [2, 3] });
    const par = nb.stencil(k, { signature: 'uint8(uint8)', mode: 'nearest', stride: [2, 3], target: 'parallel' });
    const img = data([99, 80], 'int32', 4).astype('uint8');
    const got = par(img);
    expect(got.shape).toEqual([50, 27]);
    expect(values(got)).toEqual(values(cpu(img)));
  });
});

describe.skipIf(!hasGpu)('stencil on the gpu target: against cpu', () => {
  for (const mode of MODES) {
    for (const [what, kernel, shape] of CASES) {
      for (const stride of STRIDES) {
        const key = `${mode}|${what}|${stride}`;
        it(`${mode}, ${what} ${JSON.stringify(shape)}, stride ${stride}`, async () => {
          const cpu = cpuStencil(kernel, mode, stride, key);
          const gpu = nb.stencil(kernel, { signature: GPU_SIGS, mode, cval: CVAL, stride, target: 'gpu' });
          for (const dtype of ['float32', 'int32'] as const) {
            const a = data(shape, dtype, shape.length * 31 + shape[0]! + stride);
            const want = cpu(a);
            const got = await gpu(a);
            expect(got.storageKind).not.toBe('gpu');
            expect(got.dtype).toBe(dtype);
            expect(got.shape).toEqual(want.shape);
            expect(mismatch(dtype, values(got), values(want), [], dtype === 'float32' ? 1e-6 : 0)).toBeNull();
          }
        });
      }
    }
  }

  it('gpu inputs give a gpu result; strided and reversed views; several inputs (one gpu, one cpu)', async () => {
    const k = (a: any, b: any) => a(-1, 0) * b(0, 1) + a(1, 1) - b(0, 0) + a(0, -2);
    const cpu = nb.stencil(k, { signature: 'float32(float32, float32)', mode: 'reflect' });
    const gpu = nb.stencil(k, { signature: 'float32(float32, float32)', mode: 'reflect', target: 'gpu' });
    const a = data([41, 37], 'float32', 1);
    const b = data([41, 37], 'float32', 2);
    const ga = await nb.toGpu(a);
    const r = await gpu(ga, b);
    expect(r.storageKind).toBe('gpu');
    const host = await r.toCpu();
    expect(mismatch('float32', values(host), values(cpu(a, b)), [], 1e-6)).toBeNull();
    const gv = ga.slice('::-2', '1::3');
    const bv = b.slice('::2', ':-1:3');
    const rv = await gpu(gv, bv);
    expect(mismatch('float32', values(await rv.toCpu()), values(cpu(a.slice('::-2', '1::3'), bv)), [], 1e-6)).toBeNull();
    r.dispose();
    rv.dispose();
    ga.dispose();
  });

  it('out=: a cpu out, a gpu out, a gpu out of another dtype, a gpu out that is an input', async () => {
    const k = (a: any) => a(-1) + 2 * a(0) - a(1);
    const cpu = nb.stencil(k, { signature: 'int32(int32)', mode: 'wrap', stride: 2 });
    const gpu = nb.stencil(k, { signature: 'int32(int32)', mode: 'wrap', stride: 2, target: 'gpu' });
    const a = data([21], 'int32', 3);
    const want = values(cpu(a));
    const out = nb.zeros([11], 'int32');
    expect(await gpu(a, { out })).toBe(out);
    expect(values(out)).toEqual(want);
    const gout = await nb.toGpu(nb.zeros([11], 'int32'));
    expect(await gpu(a, { out: gout })).toBe(gout);
    expect(values(await gout.toCpu())).toEqual(want);
    const fout = await nb.toGpu(nb.zeros([11], 'float32'));
    expect(await gpu(a, { out: fout })).toBe(fout);
    expect(values(await fout.toCpu())).toEqual(want);
    // stride 1: out is the input itself (read through a temporary).
    const same = nb.stencil(k, { signature: 'int32(int32)', mode: 'wrap', target: 'gpu' });
    const g = await nb.toGpu(a);
    await same(g, { out: g });
    expect(values(await g.toCpu())).toEqual(values(nb.stencil(k, { signature: 'int32(int32)', mode: 'wrap' })(a)));
    await expect(gpu(a, { out: nb.zeros([10], 'int32') })).rejects.toMatchObject({ code: 'E_SHAPE_OUT' });
    await expect(gpu(await nb.toGpu(a), { out: nb.zeros([11], 'int32') })).rejects.toMatchObject({ code: 'E_GPU_RESIDENT' });
    for (const x of [gout, fout, g]) x.dispose();
  });

  it('lazy signatures, a NaN cval, bool data and a kernel that skips an accessor', async () => {
    const lazy = nb.stencil((a: any) => a(-1) - a(1), { mode: 'reflect', target: 'gpu' });
    const x = data([9], 'float32', 5);
    const r = await lazy(x);
    expect(r.dtype).toBe('float32');
    expect(values(r)).toEqual(values(nb.stencil((a: any) => a(-1) - a(1), { mode: 'reflect' })(x)));
    await expect(lazy(nb.zeros([4], 'float64'))).rejects.toMatchObject({ code: 'E_GPU_DTYPE' });

    const nan = nb.stencil((a: any) => a(-1) + a(0), { signature: 'float32(float32)', mode: 'constant', cval: NaN, target: 'gpu' });
    const v = values(await nan(nb.ones([3], 'float32')));
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v.slice(1)).toEqual([2, 2]);

    const edge = nb.stencil((a: any) => a(0, -1) !== a(0, 1), { signature: 'bool(bool)', mode: 'nearest', target: 'gpu' });
    const cpuEdge = nb.stencil((a: any) => a(0, -1) !== a(0, 1), { signature: 'bool(bool)', mode: 'nearest' });
    const bits = nb.array([[true, false, false, true], [false, false, true, true]], { dtype: 'bool' });
    expect((await edge(bits)).toArray()).toEqual(cpuEdge(bits).toArray());

    const skip = nb.stencil((a: any, b: any) => a(1) * 2, { signature: 'int32(int32, int32)', mode: 'wrap', target: 'gpu', neighborhood: [[-1, 1]] });
    expect(values(await skip(nb.array([1, 2, 3], { dtype: 'int32' }), nb.zeros([3], 'int32')))).toEqual([4, 6, 2]);
  });
});

describe('stencil on the gpu target: errors (no GPU needed)', () => {
  it('a float64 signature is TargetError E_GPU_DTYPE when the stencil is made', () => {
    expect(() => nb.stencil(K1, { signature: 'float64(float64)', target: 'gpu' })).toThrow(nb.TargetError);
    expect(() => nb.stencil(K1, { signature: 'float64(float64)', target: 'gpu' })).toThrow(expect.objectContaining({ code: 'E_GPU_DTYPE' }));
    expect(() => nb.stencil(K1, { signature: 'uint8(uint8)', target: 'gpu' })).toThrow(expect.objectContaining({ code: 'E_GPU_DTYPE' }));
  });

  it('a kernel computing in float64 inside is KernelError NB6001 when the stencil is made', () => {
    let err: unknown;
    try {
      nb.stencil((a: any) => a(-1) / a(1), { signature: 'int32(int32)', target: 'gpu' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelError);
    expect((err as KernelError).code).toBe('NB6001');
  });

  it('the wrong dimensionality rejects (the call returns a Promise)', async () => {
    const st = nb.stencil(K1, { signature: 'float32(float32)', target: 'gpu' });
    await expect(st(nb.zeros([2, 2], 'float32'))).rejects.toMatchObject({ code: 'E_SHAPE_NDIM' });
  });
});
