import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { vectorize } from '../../src/vectorize/vectorize.js';

const f64 = (xs: number[]) => nb.array(xs, { dtype: 'float64' });

/** The JS reference of kernel k over 1-d inputs (element strides 1). */
function reference(u: { kernels: readonly { jsKernel: (...a: never[]) => unknown }[] }, i: number, ...cols: number[][]): unknown[] {
  const k = u.kernels[i]!;
  return cols[0]!.map((_, j) => (k.jsKernel as (...a: number[]) => unknown)(...cols.map((c) => c[j]!)));
}

describe('vectorize (eager)', () => {
  const fma1 = vectorize(['int8(int8, int8)', 'f4(f4,f4)', 'float64(float64, float64)'])((x: number, y: number) => x * y + 1);

  it('has ufunc attributes, loops in the given order', () => {
    expect(fma1.name).toBe('kernel');
    expect(fma1.nin).toBe(2);
    expect(fma1.nout).toBe(1);
    expect(fma1.types).toEqual(['int8,int8->int8', 'float32,float32->float32', 'float64,float64->float64']);
    expect(fma1.signature).toBeNull();
  });

  it('computes x*y+1 on float64 and matches the JS reference', () => {
    const x = [0, 1.5, -2, 3.25, 1e300];
    const y = [2, 2, 0.5, -4, 1e10];
    const r = fma1(f64(x), f64(y)).toArray() as number[];
    expect(r).toEqual(x.map((v, i) => v * y[i]! + 1));
    expect(r).toEqual(reference(fma1, 2, x, y));
  });

  it('dispatches linearly: float32 stays float32, int64 goes to float64', () => {
    const r = fma1(nb.array([1.5, 2], { dtype: 'float32' }), nb.array([2, 3], { dtype: 'float32' }));
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([4, 7]);
    expect(fma1(nb.array([1, 2]), nb.array([3, 4])).dtype).toBe('float64');
  });

  it('wraps int8 like NumPy: 127*1+1 -> -128', () => {
    const r = fma1(nb.array([127, -128], { dtype: 'int8' }), nb.array([1, 1], { dtype: 'int8' }));
    expect(r.dtype).toBe('int8');
    expect(r.toArray()).toEqual([-128, -127]);
  });

  it('exp(-x*x)*cos(x) matches Math and the JS reference', () => {
    const g = vectorize('f8(f8)')((x: number) => Math.exp(-x * x) * Math.cos(x));
    const xs = Array.from({ length: 101 }, (_, i) => (i - 50) / 10);
    const r = g(f64(xs)).toArray() as number[];
    const ref = reference(g, 0, xs) as number[];
    xs.forEach((x, i) => {
      // AS's exp/cos and V8's may differ in the last bit.
      expect(Math.abs(r[i]! - Math.exp(-x * x) * Math.cos(x))).toBeLessThanOrEqual(2e-16 * Math.max(1e-300, Math.abs(r[i]!)) * 4);
      expect(Math.abs(r[i]! - ref[i]!)).toBeLessThanOrEqual(1e-15 * Math.abs(ref[i]!));
    });
  });

  it('integer kernels: Math.floor(a / b) and % on negatives, as JS computes them', () => {
    const fd = vectorize('int32(int32, int32)')((a: number, b: number) => Math.floor(a / b));
    const md = vectorize('int32(int32, int32)')((a: number, b: number) => a % b);
    const a = nb.array([-7, 7, -7, 7], { dtype: 'int32' });
    const b = nb.array([2, -2, -2, 2], { dtype: 'int32' });
    expect(fd(a, b).toArray()).toEqual([-4, -4, 3, 3]);
    expect(md(a, b).toArray()).toEqual([-1, 1, -1, 1]);
  });

  it('int64 beyond 2^53 is exact', () => {
    const add1 = vectorize('int64(int64, int64)')((a: number, b: number) => a + b);
    const big = 2n ** 60n + 1n;
    const r = add1(nb.array([big], { dtype: 'int64' }), nb.array([2n], { dtype: 'int64' }));
    expect(r.toArray()).toEqual([2n ** 60n + 3n]);
  });

  it('broadcasts, writes out=, respects where=', () => {
    const out = nb.zeros([2, 3]);
    const r = fma1(f64([1, 2, 3]), nb.array([[1], [2]], { dtype: 'float64' }), { out });
    expect(r).toBe(out);
    expect(out.toArray()).toEqual([[2, 3, 4], [3, 5, 7]]);
    const o2 = f64([-1, -1, -1]);
    fma1(f64([1, 2, 3]), 2, { out: o2, where: nb.array([true, false, true]) });
    expect(o2.toArray()).toEqual([3, -1, 7]);
  });

  it('raises CastingError for an out it cannot cast to', () => {
    const g = vectorize('f8(f8,f8)')((x: number, y: number) => x + y);
    expect(() => g(f64([1]), f64([2]), { out: nb.zeros([1], 'int32') })).toThrow(nb.CastingError);
  });

  it('reduce and accumulate with identity', () => {
    const plus = vectorize('f8(f8,f8)', { identity: 0, name: 'plus' })((x: number, y: number) => x + y);
    expect(plus.identity).toBe(0);
    expect(plus.name).toBe('plus');
    expect((plus.reduce(f64([1, 2, 3.5])) as nb.NDArray).item()).toBe(6.5);
    expect(plus.accumulate(f64([1, 2, 3])).toArray()).toEqual([1, 3, 6]);
    expect((plus.reduce(f64([])) as nb.NDArray).item()).toBe(0);
    expect(plus.outer(f64([1, 2]), f64([10, 20])).toArray()).toEqual([[11, 21], [12, 22]]);
  });

  it('refuses a target no module registered, naming the registered ones', () => {
    expect(() => vectorize('f8(f8)', { target: 'parallel' })).not.toThrow(); // built: test/parallel
    let caught: unknown;
    try {
      vectorize('f8(f8)', { target: 'tpu' as never });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(nb.TargetError);
    expect((caught as nb.TargetError).code).toBe('E_TARGET_UNAVAILABLE');
    expect((caught as Error).message).toMatch(/'cpu'.*'gpu'.*'parallel'|'cpu'.*'parallel'.*'gpu'/);
  });

  it('searches the declared signatures in order: the first the inputs cast to safely wins (NumPy, Numba)', () => {
    const f = vectorize(['float64(float64, float64)', 'int32(int32, int32)'])((x: number, y: number) => x + y);
    const i32 = nb.array([1, 2], 'int32');
    // The float64 loop comes first and int32 casts to it safely: it runs, though int32 matches exactly.
    expect(f(i32, i32).dtype).toBe('float64');
    expect(f(i32, i32).toArray()).toEqual([2, 4]);
    const g = vectorize(['int32(int32, int32)', 'float64(float64, float64)'])((x: number, y: number) => x + y);
    expect(g(i32, i32).dtype).toBe('int32');
    expect(g(nb.array([1.5]), 1).dtype).toBe('float64');
  });

  it('callAsync resolves to the result', async () => {
    const r = (await fma1.callAsync(f64([1]), f64([2]))) as nb.NDArray;
    expect(r.toArray()).toEqual([3]);
  });
});

describe('vectorize (lazy)', () => {
  it('compiles the resultType loop of the inputs', () => {
    const add = vectorize()((x: number, y: number) => x + y);
    expect(add.ntypes).toBe(0);
    const r = add(nb.array([1, 2], { dtype: 'int8' }), 1);
    expect(r.dtype).toBe('int8');
    expect(add.types).toEqual(['int8,int8->int8']);
    expect(add(nb.array([1.5]), nb.array([1], { dtype: 'int32' })).dtype).toBe('float64');
  });

  it('picks the same loop regardless of call order', () => {
    const mk = () => vectorize()((x: number, y: number) => x * y + 1);
    const calls: [() => unknown, () => unknown][] = [
      [() => nb.array([1, 2], { dtype: 'int16' }), () => nb.array([3, 4], { dtype: 'float32' })],
      [() => nb.array([1, 2], { dtype: 'float32' }), () => nb.array([3, 4], { dtype: 'float32' })],
      [() => nb.array([1, 2], { dtype: 'int8' }), () => 2.5],
    ];
    const run = (order: number[]) => {
      const u = mk();
      const res: Record<number, [string, unknown]> = {};
      for (const i of order) {
        const r = u(calls[i]![0]() as never, calls[i]![1]() as never) as nb.NDArray;
        res[i] = [r.dtype, r.toArray()];
      }
      return res;
    };
    expect(run([0, 1, 2])).toEqual(run([2, 1, 0]));
    expect(run([1, 0, 2])[0]![0]).toBe('float32');
  });

  it('reduce on a lazy ufunc', () => {
    const mx = vectorize({ identity: null })((x: number, y: number) => (x > y ? x : y));
    expect((mx.reduce(nb.array([3, 9, 2], { dtype: 'int32' })) as nb.NDArray).item()).toBe(9);
  });
});

describe('vectorize as a TC39 decorator', () => {
  it('replaces a static method with the ufunc (decorator called with a method context)', () => {
    const dec = vectorize('float64(float64)');
    const sq = dec(function sq(x: number) { return x * x; }, { kind: 'method', name: 'sq', static: true });
    expect(sq.name).toBe('sq');
    expect(sq(f64([3])).toArray()).toEqual([9]);
    expect(() => dec((() => 1) as never, { kind: 'field', name: 'x' })).toThrow(TypeError);
  });

  it('works as @vectorize on a static method (TC39 decorators, lowered by esbuild)', async () => {
    // vitest's transform leaves `@dec` as is for Node 20, which has no decorators: lower it.
    const { transformSync } = await import('esbuild');
    const src = readFileSync(fileURLToPath(new URL('./decorated.ts', import.meta.url)), 'utf8').replace(/^import .*$/m, '');
    const { code } = transformSync(src.replace('export class K', 'const K = class K') + '\nreturn K;', { loader: 'ts', target: 'es2022', format: 'cjs' });
    const K = new Function('vectorize', code)(vectorize) as { sq: nb.Ufunc };
    expect(K.sq.name).toBe('sq');
    expect(K.sq(f64([4])).toArray()).toEqual([16]);
  });
});
