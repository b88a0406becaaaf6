/**
 * nb.stencil: every boundary mode against a plain-JS reference (the kernel itself run as
 * JavaScript with a closure accessor) on 1-D, 2-D and 3-D arrays, scipy.ndimage-style hand
 * values, output stride, out, several inputs, signatures, targets and diagnostics.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { compileStencil } from '../../src/compiler/stencil.js';
import { kernelErrorOf } from '../helpers/errors.js';
import { reference } from '../helpers/stencil-reference.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/stencil/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();

type Mode = nb.BoundaryMode;
const MODES: Mode[] = ['constant', 'nearest', 'reflect', 'mirror', 'wrap'];

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((s / 2 ** 32) * 2000 - 1000) / 8;
  });
}

const flat = (a: nb.NDArray): number[] => Array.from(a.ravel().data as Float64Array, Number);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/* eslint-disable @typescript-eslint/no-explicit-any */
const K1 = (a: any) => 0.5 * a(-1) + 2 * a(0) - a(2) + 0.25 * a(-3);
const K2 = (a: any) => 0.25 * (a(-1, 0) + a(1, 0) + a(0, -1) + a(0, 2)) - a(-2, -1);
const K3 = (a: any) => a(0, 0, 0) - (a(-1, 0, 0) + a(1, 0, 1) + a(0, -1, 0) + a(0, 1, -1) + a(0, 0, -2) + a(1, 1, 1)) / 6;

describe('stencil: boundary modes against a plain-JS reference', () => {
  const cases: [string, any, number[]][] = [
    ['1-D', K1, [7]],
    ['1-D (shorter than the reach)', K1, [2]],
    ['2-D', K2, [5, 6]],
    ['2-D (single row)', K2, [1, 4]],
    ['3-D', K3, [3, 4, 5]],
  ];
  for (const mode of MODES) {
    for (const [what, kernel, shape] of cases) {
      it(`${mode}, ${what} ${JSON.stringify(shape)}`, () => {
        const data = rand(size(shape), shape.length * 31 + shape[0]!);
        const st = nb.stencil(kernel, { signature: 'float64(float64)', mode, cval: 1.5 });
        const a = nb.array(data, { dtype: 'float64' }).reshape(shape);
        const got = st(a);
        const want = reference(kernel, [data], shape, { mode, cval: 1.5 });
        expect(got.shape).toEqual(want.shape);
        expect(flat(got)).toEqual(want.data);
      });
    }
  }
});

describe('stencil: scipy.ndimage hand values', () => {
  // scipy.ndimage.correlate1d([1, 2, 3, 4], [1, 0, 0, 0, 0], origin=...) reads x[i - 2] / x[i + 2]:
  // reflect (d c b a | a b c d | d c b a), mirror (d c b | a b c d | c b a), nearest, wrap, constant.
  const x = nb.array([1, 2, 3, 4], { dtype: 'float64' });
  const left: Record<Mode, number[]> = {
    reflect: [2, 1, 1, 2], mirror: [3, 2, 1, 2], nearest: [1, 1, 1, 2], wrap: [3, 4, 1, 2], constant: [9, 9, 1, 2],
  };
  const right: Record<Mode, number[]> = {
    reflect: [3, 4, 4, 3], mirror: [3, 4, 3, 2], nearest: [3, 4, 4, 4], wrap: [3, 4, 1, 2], constant: [3, 4, 9, 9],
  };
  for (const mode of MODES) {
    it(mode, () => {
      expect(nb.stencil((a: any) => a(-2), { mode, cval: 9 })(x).toArray()).toEqual(left[mode]);
      expect(nb.stencil((a: any) => a(2), { mode, cval: 9 })(x).toArray()).toEqual(right[mode]);
    });
  }

  it('2-D reflect: a 3x3 box sum on [[1, 2], [3, 4]]', () => {
    const box = nb.stencil((a: any) => {
      let s = 0;
      s += a(-1, -1) + a(-1, 0) + a(-1, 1);
      s += a(0, -1) + a(0, 0) + a(0, 1);
      s += a(1, -1) + a(1, 0) + a(1, 1);
      return s;
    }, { mode: 'reflect', signature: 'float64(float64)' });
    // scipy.ndimage.uniform_filter(..., 3, mode='reflect') * 9
    expect(box(nb.array([[1, 2], [3, 4]], { dtype: 'float64' })).toArray()).toEqual([[18, 21], [24, 27]]);
  });
});

describe('stencil: output stride', () => {
  const data = rand(7 * 9, 5);
  const a = nb.array(data, { dtype: 'float64' }).reshape([7, 9]);

  for (const [stride, oshape] of [[2, [4, 5]], [[1, 3], [7, 3]], [[3, 1], [3, 9]]] as const) {
    it(`stride ${JSON.stringify(stride)} → shape ${JSON.stringify(oshape)}, every mode`, () => {
      const s = typeof stride === 'number' ? [stride, stride] : [...stride];
      for (const mode of MODES) {
        const got = nb.stencil(K2, { mode, stride, signature: 'float64(float64)' })(a);
        expect(got.shape).toEqual(oshape);
        expect(flat(got)).toEqual(reference(K2, [data], [7, 9], { mode, stride: s }).data);
      }
    });
  }

  it('downsamples a uint8 image by 2 with a 2x2 mean', () => {
    const img = nb.array([[0, 10, 20, 30, 40], [50, 60, 70, 80, 90], [100, 110, 120, 130, 140]], { dtype: 'uint8' });
    // uint16 accessors: the uint8 image is cast, and the sum does not wrap at 255.
    const mean = nb.stencil((a: any) => (a(0, 0) + a(0, 1) + a(1, 0) + a(1, 1)) / 4, { signature: 'uint8(uint16)', stride: 2, mode: 'nearest' });
    expect(mean(img).dtype).toBe('uint8');
    expect(mean(img).toArray()).toEqual([[30, 50, 65], [105, 125, 140]]);
    // uint8 accessors: the kernel language's uint8 arithmetic wraps (40+40+90+90 = 260 → 4).
    const wraps = nb.stencil((a: any) => (a(0, 0) + a(0, 1) + a(1, 0) + a(1, 1)) / 4, { signature: 'uint8(uint8)', stride: 2, mode: 'nearest' });
    expect(wraps(img).toArray()).toEqual([[30, 50, 1], [(420 % 256) / 4 | 0, (500 % 256) / 4 | 0, (560 % 256) / 4 | 0]]);
    const direct = nb.stencil((a: any) => a(0, 0), { stride: 2 });
    expect(direct(img).toArray()).toEqual([[0, 20, 40], [100, 120, 140]]);
  });
});

describe('stencil: out, inputs, signatures', () => {
  const diff = nb.stencil((a: any) => a(1) - a(-1), { signature: 'float64(float64)', mode: 'nearest' });

  it('writes into out (same dtype, another dtype, a strided view)', () => {
    const x = nb.array([1, 4, 9, 16, 25], { dtype: 'float64' });
    const want = [3, 8, 12, 16, 9];
    const out = nb.zeros([5]);
    expect(diff(x, { out })).toBe(out);
    expect(out.toArray()).toEqual(want);
    const o32 = nb.zeros([5], 'float32');
    diff(x, { out: o32 });
    expect(o32.toArray()).toEqual(want);
    const big = nb.zeros([10]);
    diff(x, { out: big.slice('::2') });
    expect(big.toArray()).toEqual([3, 0, 8, 0, 12, 0, 16, 0, 9, 0]);
  });

  it('in place (out is the input) reads the original values', () => {
    const x = nb.array([1, 4, 9, 16, 25], { dtype: 'float64' });
    diff(x, { out: x });
    expect(x.toArray()).toEqual([3, 8, 12, 16, 9]);
  });

  it('rejects out of the wrong shape or an unsafe kind', () => {
    const x = nb.array([1, 2, 3], { dtype: 'float64' });
    expect(() => diff(x, { out: nb.zeros([4]) })).toThrow(nb.ShapeError);
    expect(() => diff(x, { out: nb.zeros([3], 'int32') })).toThrow(nb.CastingError);
  });

  it('reads several inputs with the same accessor syntax', () => {
    const a = rand(20, 1);
    const b = rand(20, 2);
    const k = (p: any, q: any) => p(0, 0) * q(1, -1) + q(0, 0);
    const st = nb.stencil(k, { signature: 'float64(float64, float64)', mode: 'wrap' });
    const got = st(nb.array(a, { dtype: 'float64' }).reshape([4, 5]), nb.array(b, { dtype: 'float64' }).reshape([4, 5]));
    expect(flat(got)).toEqual(reference(k, [a, b], [4, 5], { mode: 'wrap' }).data);
    expect(() => st(nb.zeros([4, 5]), nb.zeros([5, 4]))).toThrow(expect.objectContaining({ code: 'E_SHAPE_MISMATCH' }));
  });

  it('reads strided and transposed views', () => {
    const data = rand(30, 9);
    const a = nb.array(data, { dtype: 'float64' }).reshape([5, 6]);
    const t = a.T;
    const tData = (t.copy().ravel().toArray() as number[]);
    const st = nb.stencil(K2, { signature: 'float64(float64)', mode: 'mirror' });
    expect(flat(st(t))).toEqual(reference(K2, [tData], [6, 5], { mode: 'mirror' }).data);
  });

  it('picks the first signature the inputs cast to safely; lazy compiles per result type', () => {
    const st = nb.stencil((a: any) => a(0) + a(1), { signatures: ['float32(float32)', 'float64(float64)'], mode: 'constant' });
    expect(st(nb.array([1, 2, 3], { dtype: 'int8' })).dtype).toBe('float32');
    expect(st(nb.array([1, 2, 3], { dtype: 'int32' })).dtype).toBe('float64');
    expect(() => st(nb.array([1n], { dtype: 'uint64' }) as never)).not.toThrow();
    const lazy = nb.stencil((a: any) => a(0) * 2 + a(-1));
    const r = lazy(nb.array([100, 20, 3], { dtype: 'int8' }));
    expect(r.dtype).toBe('int8');
    expect(r.toArray()).toEqual([(200 << 24) >> 24, (140 << 24) >> 24, 26]);
    expect(lazy.kernels.length).toBe(1);
    lazy(nb.array([1.5, 2], { dtype: 'float64' }));
    expect(lazy.kernels.length).toBe(2);
  });

  it('const names of literals are constant offsets; a declared neighborhood is kept', () => {
    const st = nb.stencil((a: any) => { const r = 2; return a(-r) + a(r - 1); }, { neighborhood: [[-3, 3]], mode: 'wrap' });
    expect(st(nb.array([1, 2, 3, 4, 5], { dtype: 'float64' })).toArray()).toEqual([4 + 2, 5 + 3, 1 + 4, 2 + 5, 3 + 1]);
    expect(compileStencil((a: any) => a(-1, 2), 'f8(f8)').neighborhood).toEqual([[-1, -1], [2, 2]]);
  });

  it('empty arrays give empty results', () => {
    expect(diff(nb.zeros([0])).shape).toEqual([0]);
  });

  it('targets: parallel runs, gpu makes a stencil (targets.test.ts), unknown targets are TargetErrors', () => {
    const p = nb.stencil((a: any) => a(0), { target: 'parallel' });
    expect(p(nb.array([1, 2], { dtype: 'float64' })).toArray()).toEqual([1, 2]);
    expect(typeof nb.stencil((a: any) => a(0), { target: 'gpu' })).toBe('function');
    expect(() => nb.stencil((a: any) => a(0), { target: 'tpu' as never })).toThrow(nb.TargetError);
  });

  it('rejects a kernel array of the wrong dimensionality', () => {
    expect(() => diff(nb.zeros([2, 2]))).toThrow(nb.ShapeError);
    expect(() => diff(nb.zeros([2, 2]))).toThrow(expect.objectContaining({ code: 'E_SHAPE_NDIM' }));
  });
});

describe('stencil: diagnostics', () => {
  const err = kernelErrorOf;

  it('NB2017: an offset computed at run time, with line, column and frame', () => {
    const e = err(() => compileStencil('(a) => {\n  let s = 0;\n  for (let i = -1; i <= 1; i++) s += a(i, 0);\n  return s;\n}', 'f8(f8)'));
    expect(e.code).toBe('NB2017');
    expect(e.line).toBe(3);
    expect(e.column).toBe(40);
    expect(e.frame).toContain('a(i, 0)');
  });

  it('NB2018: a read outside the declared neighborhood', () => {
    // Eager (a signature): at creation; lazy: at the first call, which compiles.
    const e = err(() => nb.stencil((a: any) => a(-1, 0) + a(2, 0), { neighborhood: [[-1, 1], [-1, 1]], signature: 'f8(f8)' }));
    expect(e.code).toBe('NB2018');
    expect(e.message).toContain('a(2, 0)');
    const lazy = nb.stencil((a: any) => a(-1, 0) + a(0, -2), { neighborhood: [[-1, 1], [-1, 1]] });
    expect(err(() => lazy(nb.zeros([3, 3]))).code).toBe('NB2018');
  });

  it('NB2019: accessors used as values, indexed, or with a varying number of offsets', () => {
    expect(err(() => compileStencil('(a) => a + 1', 'f8(f8)')).code).toBe('NB2019');
    expect(err(() => compileStencil('(a) => a[0]', 'f8(f8)')).code).toBe('NB2019');
    expect(err(() => compileStencil('(a) => a.length', 'f8(f8)')).code).toBe('NB2019');
    expect(err(() => compileStencil('(a) => a(0) + a(1, 0)', 'f8(f8)')).code).toBe('NB2019');
    expect(err(() => compileStencil('(a) => 1', 'f8(f8)')).code).toBe('NB2019');
  });

  it('the kernel language\'s own diagnostics', () => {
    expect(err(() => compileStencil('(a) => a(0) + outer', 'f8(f8)')).code).toBe('NB1010');
    expect(err(() => compileStencil('(a) => a(0.5)', 'f8(f8)')).code).toBe('NB2002');
    expect(err(() => compileStencil('(a, b) => a(0)', 'f8(f8)')).code).toBe('NB2012');
  });

  it('option errors are ValueErrors E_VALUE_OPTION naming the option (issue 19 item 11)', () => {
    const code = expect.objectContaining({ code: 'E_VALUE_OPTION' });
    expect(() => nb.stencil((a: any) => a(0), { stride: 0 })).toThrow(code);
    expect(() => nb.stencil((a: any) => a(0), { mode: 'edge' as never })).toThrow(/option 'mode' is 'edge'; it takes 'constant', 'nearest'/);
    expect(() => nb.stencil((a: any) => a(0), { neighborhood: [[1, -1]] })).toThrow(code);
    // One stride per axis: checked against the kernel's axes when it compiles.
    expect(() => compileStencil('(a) => a(0)', 'f8(f8)', { stride: [1, 2] })).toThrow(code);
  });
});

describe('stencil .ready', () => {
  it('resolves once the signatures compiled so far are in place (eager: from the factory), and calls run compiled code', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const s = nb.stencil((a: any) => a(-1) + a(1), { signature: 'float64(float64)' });
    expect(s.kernels.length).toBe(1);
    await expect(s.ready).resolves.toBeUndefined();
    expect(s(nb.array([1, 2, 3, 4])).toArray()).toEqual([0 + 2, 1 + 3, 2 + 4, 3 + 0]); // outside: 0 (the default mode)
  });
});
