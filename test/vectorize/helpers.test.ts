// options.helpers (issue 13 item 1): functions a kernel calls by name, compiled with it,
// typed per signature, on the cpu, parallel and gpu targets. Expected values are plain JS
// (or NumPy's fixed-width wraparound, stated where used).
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const hasGpu = await nb.gpuAvailable().catch(() => false);
afterAll(async () => { await nb.shutdown(); });

const sq = (x: number) => x * x;
const inc = (x: number) => x + 1;
const poly = (x: number) => sq(x) + inc(x); // calls the other helpers

describe('vectorize helpers', () => {
  it('a kernel calls a helper by name (cpu)', () => {
    const f = nb.vectorize('f8(f8)', { helpers: { sq } })((x: number) => sq(x) + 1);
    expect(f(nb.array([1.5, -2, 3])).toArray()).toEqual([1.5 * 1.5 + 1, 5, 10]);
  });

  it('one helper is typed per signature: int8 wraps as NumPy, float64 does not', () => {
    const f = nb.vectorize(['int8(int8)', 'float64(float64)'], { helpers: { inc } })((x: number) => inc(x));
    // NumPy: np.int8(127) + np.int8(1) wraps to -128.
    expect(f(nb.array([127, -5], 'int8')).toArray()).toEqual([-128, -4]);
    expect(f(nb.array([127.5, -5])).toArray()).toEqual([128.5, -4]);
  });

  it('helpers call each other', () => {
    const f = nb.vectorize('f8(f8)', { helpers: { sq, inc, poly } })((x: number) => poly(x) * 2);
    expect(f(nb.array([2, 0.5])).toArray()).toEqual([(4 + 3) * 2, (0.25 + 1.5) * 2]);
  });

  it('a lazy kernel compiles its helpers for the inputs\' dtype', () => {
    const f = nb.vectorize(undefined, { helpers: { inc } })((x: number) => inc(x));
    expect(f(nb.array([255], 'uint8')).toArray()).toEqual([0]); // NumPy: np.uint8(255) + 1 wraps to 0
    expect(f(nb.array([255.5])).toArray()).toEqual([256.5]);
  });

  it('recursion is a KernelError naming the helper', () => {
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    expect(() => nb.vectorize('f8(f8)', { helpers: { fact } })((x: number) => fact(x))).toThrow(nb.KernelError);
  });

  it('the not-defined message points to helpers, and following it works', () => {
    let message = '';
    try {
      nb.vectorize('f8(f8)')((x: number) => sq(x));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('options.helpers');
    const f = nb.vectorize('f8(f8)', { helpers: { sq } })((x: number) => sq(x));
    expect(f(nb.array([3])).toArray()).toEqual([9]);
  });

  it('a helpers option that is not an object of functions is E_VALUE_OPTION', () => {
    let caught: unknown;
    try {
      nb.vectorize('f8(f8)', { helpers: { sq: 3 } as never });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(nb.ValueError);
    expect((caught as nb.ValueError).code).toBe('E_VALUE_OPTION');
  });

  it('parallel target: the same helpers, the same values', () => {
    const f = nb.vectorize('f8(f8)', { target: 'parallel', helpers: { sq, inc, poly } })((x: number) => poly(x));
    const x = nb.linspace(-3, 3, 1001);
    const xs = x.toArray() as number[];
    expect(f(x).toArray()).toEqual(xs.map((v) => v * v + (v + 1)));
  });

  it.skipIf(!hasGpu)('gpu target: the same helpers (needs a GPU)', async () => {
    const f = nb.vectorize('f4(f4)', { target: 'gpu', helpers: { sq, inc, poly } })((x: number) => poly(x)) as unknown as (a: nb.NDArray) => Promise<nb.NDArray>;
    const r = await f(nb.array([1, 2, -0.5], 'float32'));
    expect(r.toArray()).toEqual([1 + 2, 4 + 3, 0.25 + 0.5]);
  });
});

describe('guvectorize helpers', () => {
  it('a gufunc kernel calls helpers (cpu and parallel)', () => {
    for (const target of ['cpu', 'parallel'] as const) {
      const sumsq = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target, helpers: { sq } })((a: Float64Array, o: Float64Array) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += sq(a[i]!);
        o[0] = s;
      });
      expect((sumsq(nb.array([[1, 2], [3, 4]])) as nb.NDArray).toArray()).toEqual([5, 25]);
    }
  });

  it.skipIf(!hasGpu)('gpu gufunc kernels call helpers (needs a GPU)', async () => {
    const sumsq = nb.guvectorize('void(f4[:], f4[:])', '(n)->()', { target: 'gpu', helpers: { sq } })((a: Float32Array, o: Float32Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += sq(a[i]!);
      o[0] = s;
    }) as unknown as (a: nb.NDArray) => Promise<nb.NDArray>;
    expect((await sumsq(nb.array([[1, 2], [3, 4]], 'float32'))).toArray()).toEqual([5, 25]);
  });
});
