// options.constants (issue 13 item 2, scalar values): values a kernel reads by name, frozen
// when the factory is called (Numba's globals), on vectorize (eager and lazy), guvectorize and
// stencil, on the cpu, parallel and gpu targets. The expected values are the same kernels run
// as plain JavaScript, with the constants in scope as module-level consts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const hasGpu = await nb.gpuAvailable().catch(() => false);
const DEFAULTS = nb.config().parallel;
// Every parallel call goes to the pool, however small.
beforeAll(() => { nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } }); });
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

// The constants, in scope for the plain-JS reference runs.
const SCALE = 2.5;
const OFF = -1;
const N = 3;
const ON = true;
const R = 2;
const W = 0.25;

const affine = (x: number) => x * SCALE + OFF;
const powsum = (x: number) => {
  let s = 0;
  for (let i = 0; i < N; i++) s += ON ? x ** i : 0;
  return s;
};
const power = (x: number) => {
  let p = x;
  for (let i = 1; i < N; i++) p = p * x;
  return ON ? p : -p;
};
const scaledSum = (a: Float64Array, out: Float64Array) => {
  let s = OFF;
  for (let i = 0; i < a.length; i++) s += a[i]! * SCALE;
  out[0] = s;
};
const wide = (a: (i: number) => number) => W * (a(-R) + a(R)) + a(0);

const constants = { SCALE, OFF, N, ON, R, W };
const xs = [0, 1.5, -2, 4, 10];

/** `wide` on a 1-d array with 'wrap' boundaries, in plain JavaScript. */
const wideRef = (v: readonly number[]) => v.map((_, i) => wide((d) => v[(((i + d) % v.length) + v.length) % v.length]!));

const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('vectorize', () => {
  for (const target of ['cpu', 'parallel'] as const) {
    it(`${target}: eager signatures read the constants`, () => {
      const f = nb.vectorize('f8(f8)', { target, constants })(affine);
      const g = nb.vectorize('f8(f8)', { target, constants })(powsum);
      expect(f(nb.array(xs)).toArray()).toEqual(xs.map(affine));
      expect(g(nb.array(xs)).toArray()).toEqual(xs.map(powsum));
      const p = nb.vectorize('f8(f8)', { target, constants })(power);
      expect(p(nb.array(xs)).toArray()).toEqual(xs.map(power));
    });

    it(`${target}: lazy kernels read the constants, typed by the literal rule`, () => {
      const f = nb.vectorize({ target, constants })(affine);
      expect(f(nb.array(xs)).toArray()).toEqual(xs.map(affine));
      // SCALE = 2.5 is a weak float: int32 inputs compute (and return) float64.
      const r = f(nb.array([1, 2, -3], 'int32')) as nb.NDArray;
      expect(r.dtype).toBe('float64');
      expect(r.toArray()).toEqual([1, 2, -3].map(affine));
      // N = 3 is a weak int: int32 inputs stay int32.
      const h = nb.vectorize({ target, constants: { N } })((x: number) => x * N);
      const q = h(nb.array([1, -7], 'int32')) as nb.NDArray;
      expect(q.dtype).toBe('int32');
      expect(q.toArray()).toEqual([3, -21]);
    });
  }

  it('bigint constants reach int64 kernels exactly', () => {
    const B = 2n ** 62n + 7n;
    const f = nb.vectorize('int64(int64)', { constants: { B } })((x: number) => x + (B as unknown as number));
    expect(f(nb.array([1n, -5n], 'int64')).toArray()).toEqual([1n + B, -5n + B]);
  });

  it('a parameter of the same name shadows a constant', () => {
    const f = nb.vectorize('f8(f8, f8)', { constants: { SCALE: 100 } })((x: number, SCALE: number) => x * SCALE);
    expect(f(nb.array([2]), nb.array([3])).toArray()).toEqual([6]);
  });

  it('the values are frozen when the factory is called', () => {
    const c: Record<string, number> = { K: 2 };
    const make = nb.vectorize('f8(f8)', { constants: c });
    const lazyMake = nb.vectorize({ constants: c });
    c.K = 100; // after the factory call, before the kernel is given
    const eager = make((x: number) => x * K);
    const lazy = lazyMake((x: number) => x * K);
    c.K = 1000;
    expect(eager(nb.array([3])).toArray()).toEqual([6]);
    expect(lazy(nb.array([3.5])).toArray()).toEqual([7]); // compiled at this first call, still with K = 2
    const s = { R: 1 };
    const st = nb.stencil((a: (i: number) => number) => a(R), { constants: s, mode: 'nearest' });
    s.R = 5;
    expect(st(nb.array([1, 2, 3], 'float64')).toArray()).toEqual([2, 3, 3]);
  });

  it('different constants give different modules (the cache key), equal ones the same', () => {
    const f2 = nb.vectorize('f8(f8)', { constants: { K: 2 } })((x: number) => x * K);
    const f3 = nb.vectorize('f8(f8)', { constants: { K: 3 } })((x: number) => x * K);
    const f2b = nb.vectorize('f8(f8)', { constants: { K: 2 } })((x: number) => x * K);
    expect(f2(nb.array([5])).toArray()).toEqual([10]);
    expect(f3(nb.array([5])).toArray()).toEqual([15]);
    expect(f2b(nb.array([5])).toArray()).toEqual([10]);
    expect(f2.kernels[0]!.key).not.toBe(f3.kernels[0]!.key);
    expect(f2.kernels[0]!.key).toBe(f2b.kernels[0]!.key);
  });

  it.skipIf(!hasGpu)('gpu: eager and lazy kernels read the constants (needs a GPU)', async () => {
    const f = nb.vectorize('f4(f4)', { target: 'gpu', constants })(affine);
    const v = [0, 1.5, -2, 4];
    expect((await f(nb.array(v, 'float32'))).toArray()).toEqual(v.map(affine));
    const g = nb.vectorize({ target: 'gpu', constants })(power);
    expect((await g(nb.array(v, 'float32'))).toArray()).toEqual(v.map(power));
    const h = nb.vectorize({ target: 'gpu', constants: { N } })((x: number) => x * N);
    const q = await h(nb.array([1, -7], 'int32'));
    expect([q.dtype, q.toArray()]).toEqual(['int32', [3, -21]]);
  });
});

describe('guvectorize', () => {
  const rows = [[1, 2, 3], [-4, 0.5, 8]];
  const expected = rows.map((r) => {
    const out = new Float64Array(1);
    scaledSum(Float64Array.from(r), out);
    return out[0];
  });

  for (const target of ['cpu', 'parallel'] as const) {
    it(`${target}: a gufunc kernel reads the constants`, () => {
      const g = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target, constants })(scaledSum);
      expect((g(nb.array(rows)) as nb.NDArray).toArray()).toEqual(expected);
    });
  }

  it.skipIf(!hasGpu)('gpu: a gufunc kernel reads the constants (needs a GPU)', async () => {
    const g = nb.guvectorize('void(f4[:], f4[:])', '(n)->()', { target: 'gpu', constants })(scaledSum);
    expect(((await g(nb.array(rows, 'float32'))) as nb.NDArray).toArray()).toEqual(expected);
  });
});

describe('stencil', () => {
  const v = [1, 2, 4, 8, 16, 32];

  for (const target of ['cpu', 'parallel'] as const) {
    it(`${target}: constants as weights and as neighbour offsets`, () => {
      const s = nb.stencil(wide as never, { target, constants, mode: 'wrap', signature: 'float64(float64)' });
      expect(s(nb.array(v, 'float64')).toArray()).toEqual(wideRef(v));
      expect(s.kernels[0]!.neighborhood).toEqual([[-R, R]]);
      const lazy = nb.stencil(wide as never, { target, constants, mode: 'wrap' });
      expect(lazy(nb.array(v, 'float64')).toArray()).toEqual(wideRef(v));
    });
  }

  it.skipIf(!hasGpu)('gpu: constants as weights and offsets (needs a GPU)', async () => {
    const s = nb.stencil(wide as never, { target: 'gpu', constants, mode: 'wrap', signature: 'float32(float32)' });
    expect((await s(nb.array(v, 'float32'))).toArray()).toEqual(wideRef(v));
  });
});

describe('errors', () => {
  it('a bad name or value is a TypeError naming the key, when the factory is called', () => {
    for (const [key, value] of [['a-b', 1], ['if', 1], ['Math', 1], ['k', 'text'], ['k', { a: 1 }], ['k', () => 1], ['k', undefined], ['k', null]] as const) {
      for (const make of [
        () => nb.vectorize('f8(f8)', { constants: { [key]: value } as never }),
        () => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { constants: { [key]: value } as never }),
        () => nb.stencil((a: (i: number) => number) => a(0), { constants: { [key]: value } as never }),
      ]) {
        const e = errorOf(make);
        expect(e).toBeInstanceOf(TypeError);
        expect(e.message).toContain(`'${key}'`);
      }
    }
  });

  it('typed arrays are read-only tables (test/vectorize/constant-tables.test.ts)', () => {
    const lut = new Float32Array([0.5, 2]);
    const f = nb.vectorize('f8(f8)', { constants: { lut } })((x: number) => x * lut[1]!);
    expect(f(nb.array([3])).toArray()).toEqual([6]);
  });

  it('a constant named as a helper is a TypeError when the factory is called', () => {
    const sq = (x: number) => x * x;
    const e = errorOf(() => nb.vectorize({ helpers: { sq }, constants: { sq: 2 } }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toContain("'sq'");
  });

  it('constants that are not an object are E_VALUE_OPTION', () => {
    const e = errorOf(() => nb.vectorize('f8(f8)', { constants: 3 as never }));
    expect(e).toBeInstanceOf(nb.ValueError);
    expect((e as nb.ValueError).code).toBe('E_VALUE_OPTION');
  });

  it('a constant used as a function, array or assignment target is a KernelError NB2021', () => {
    const e = errorOf(() => nb.vectorize('f8(f8)', { constants: { K: 2 } })((x: number) => (K as unknown as (v: number) => number)(x)));
    expect(e).toBeInstanceOf(nb.KernelError);
    expect((e as nb.KernelError).code).toBe('NB2021');
  });

  it('the closure message says how to pass the value, on every factory, and following it works', () => {
    const scale = 3;
    const makers = [
      () => nb.vectorize('f8(f8)')((x: number) => x * scale),
      () => nb.guvectorize('void(f8[:], f8[:])', '(n)->()')((a: Float64Array, o: Float64Array) => { o[0] = a[0]! * scale; }),
      () => nb.stencil((a: (i: number) => number) => a(0) * scale, { signature: 'f8(f8)' }),
    ];
    for (const make of makers) {
      const e = errorOf(make);
      expect(e).toBeInstanceOf(nb.KernelError);
      expect((e as nb.KernelError).code).toBe('NB1010');
      expect(e.message).toContain('{ constants: { scale } }');
    }
    const f = nb.vectorize('f8(f8)', { constants: { scale } })((x: number) => x * scale);
    expect(f(nb.array([2])).toArray()).toEqual([6]);
    const g = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { constants: { scale } })((a: Float64Array, o: Float64Array) => { o[0] = a[0]! * scale; });
    expect((g(nb.array([[2, 0]])) as nb.NDArray).toArray()).toEqual([6]);
    const s = nb.stencil((a: (i: number) => number) => a(0) * scale, { constants: { scale } });
    expect(s(nb.array([2], 'float64')).toArray()).toEqual([6]);
  });

  it('an unknown call says how to pass a function', () => {
    const e = errorOf(() => nb.vectorize('f8(f8)')((x: number) => twice(x)));
    expect((e as nb.KernelError).code).toBe('NB1016');
    expect(e.message).toContain('{ helpers: { twice } }');
  });
});

// Names the kernels above read as free variables; declared so that TypeScript accepts them
// (only the constants record gives them values inside a kernel).
declare const K: number;
declare const twice: (x: number) => number;
