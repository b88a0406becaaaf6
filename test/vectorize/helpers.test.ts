// options.helpers (issue 13 item 1): functions a kernel calls by name, compiled with it,
// typed per signature, on the cpu, parallel and gpu targets; compiled numbats functions,
// built-in ufuncs and Math functions as helpers; helpers in nb.stencil. Expected values are
// the kernels run as plain JS (with NumPy's fixed-width wraparound where an integer
// signature applies, stated where used). Without a WebGPU adapter the gpu tests show as
// skipped (test/gpu/harness.ts prints why).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { hasGpu } from '../gpu/harness.js';
import { kernelErrorOf } from '../helpers/errors.js';

afterAll(async () => { await nb.shutdown(); });

/** Run the 'parallel' target's loops on the worker pool even for small arrays. */
function onThePool(): void {
  let saved: ReturnType<typeof nb.config>['parallel'];
  beforeEach(() => {
    saved = nb.config().parallel;
    nb.config({ parallel: { threads: Math.max(2, saved.threads), minElements: 0, blockMs: 1e-6 } });
  });
  afterEach(() => {
    nb.config({ parallel: { threads: saved.threads, minElements: saved.minElements, blockMs: saved.blockMs } });
  });
}

const sq = (x: number) => x * x;
const inc = (x: number) => x + 1;
const poly = (x: number) => sq(x) + inc(x); // calls the other helpers

describe('vectorize helpers', () => {
  it('a kernel calls a helper by name (cpu)', () => {
    const f = nb.vectorize('f8(f8)', { helpers: { sq } })((x: number) => sq(x) + 1);
    // On Wasm at once: the direct emitter inlines the helper (compiler/emit/wasm, issue 15).
    expect(f.tier).toBe('wasm');
    expect(f(nb.array([1.5, -2, 3])).toArray()).toEqual([1.5 * 1.5 + 1, 5, 10]);
  });

  it('one helper is typed per signature: int8 wraps as NumPy, float64 does not', () => {
    const f = nb.vectorize(['int8(int8)', 'float64(float64)'], { helpers: { inc } })((x: number) => inc(x));
    expect(f.tier).toBe('wasm');
    // NumPy: np.int8(127) + np.int8(1) wraps to -128.
    expect(f(nb.array([127, -5], 'int8')).toArray()).toEqual([-128, -4]);
    expect(f(nb.array([127.5, -5])).toArray()).toEqual([128.5, -4]);
  });

  it('helpers call each other', () => {
    const f = nb.vectorize('f8(f8)', { helpers: { sq, inc, poly } })((x: number) => poly(x) * 2);
    expect(f.tier).toBe('wasm');
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
    expect(f.tier).toBe('wasm'); // the pool's workers instantiate the same direct module
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
      expect(sumsq.tier).toBe('wasm');
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

/* eslint-disable @typescript-eslint/no-explicit-any */
// Compiled numbats functions as helpers. The kernels below are also run as plain JS (the
// oracle), with the raw kernel functions in place of the compiled ones.
const sqK = (x: number) => x * x;
const sqC: any = nb.vectorize('f8(f8)')(sqK); // eager: its own signature is f8(f8)
const cubeK = (x: number) => x * x * x;
const cubeC: any = nb.vectorize()(cubeK); // lazy
const incsqK = (x: number) => inc(x) * inc(x);
const incsqC: any = nb.vectorize({ helpers: { inc } })(incsqK); // brings its own helper

/** int32 arithmetic as NumPy's int32 loops wrap it. */
const i32 = { mul: (a: number, b: number) => Math.imul(a, b), add: (a: number, b: number) => (a + b) | 0 };

describe('compiled functions as helpers', () => {
  it('an eager nb.vectorize ufunc is compiled into the kernel, not called through JS (cpu)', () => {
    const f = nb.vectorize('f8(f8)', { helpers: { sqC } })((x: number) => sqC(x) + 1);
    const xs = [1.5, -2, 3, 0.1];
    expect(f(nb.array(xs)).toArray()).toEqual(xs.map((x) => sqK(x) + 1));
    // The compiled kernel holds sq's kernel as one of its own functions.
    expect(f.kernels[0]!.ir.helpers.map((h) => h.name)).toEqual(['__h_sqC_0']);
    expect(f.kernels[0]!.jsSource).toContain('__h_sqC_0');
  });

  it('is typed per call, as any helper: int32 wraps (NumPy), float64 does not; its own f8(f8) signature does not apply', () => {
    const f = nb.vectorize(['int32(int32)', 'float64(float64)'], { helpers: { sqC } })((x: number) => sqC(x) + 1);
    const ints = [3, 46341, -7, 65536];
    // NumPy: np.int32(46341) * np.int32(46341) wraps to -2147479015.
    expect(f(nb.array(ints, 'int32')).toArray()).toEqual(ints.map((x) => i32.add(i32.mul(x, x), 1)));
    expect(f(nb.array([46341, 0.5])).toArray()).toEqual([46341 * 46341 + 1, 1.25]);
    expect(f.kernels.map((k) => k.ir.helpers.map((h) => `${h.params.map((p) => p.scalar).join(',')}->${h.returns}`))).toEqual([['int32->int32'], ['float64->float64']]);
  });

  it('a lazy nb.vectorize ufunc as a helper, in a lazy kernel: uint8 wraps, float64 does not', () => {
    const f = nb.vectorize({ helpers: { cubeC } })((x: number) => cubeC(x) - 1);
    // NumPy: np.uint8(7) ** 3 wraps to 343 - 256 = 87, and 87 - 1 = 86.
    expect(f(nb.array([7, 2], 'uint8')).toArray()).toEqual([(cubeK(7) - 1) & 0xff, cubeK(2) - 1]);
    expect(f(nb.array([1.5, -2])).toArray()).toEqual([cubeK(1.5) - 1, cubeK(-2) - 1]);
  });

  it("a compiled helper's own helpers come along, merged with the kernel's (the same function under one name is fine)", () => {
    const kernel = (x: number) => incsqC(x) - sqC(x) + inc(0);
    const oracle = (x: number) => incsqK(x) - sqK(x) + inc(0);
    const xs = [0, 1.5, -4, 10];
    for (const helpers of [{ incsqC, sqC }, { incsqC, sqC, inc }] as Record<string, (...args: never[]) => unknown>[]) {
      const f = nb.vectorize('f8(f8)', { helpers })(kernel);
      expect(f(nb.array(xs)).toArray()).toEqual(xs.map(oracle));
    }
  });

  it('a compiled helper reads the constants it was made with (and so do the helpers it brings), over the kernel\'s', () => {
    const scale = 3, offset = 0.5;
    const shift = (x: number) => x + offset;
    const scaled = nb.vectorize('f8(f8)', { constants: { scale, offset }, helpers: { shift } })((x: number) => shift(x) * scale);
    // The kernel has no constants at all: scaled's come with it.
    const f = nb.vectorize('f8(f8)', { helpers: { scaled } })((x: number) => (scaled(x) as unknown as number) + 1);
    expect(f(nb.array([1, -2])).toArray()).toEqual([(1 + 0.5) * 3 + 1, (-2 + 0.5) * 3 + 1]);
    // The kernel's own scale = 10 does not leak into scaled's body.
    const g = nb.vectorize('f8(f8)', { helpers: { scaled }, constants: { scale: 10 } })((x: number) => (scaled(x) as unknown as number) + scale);
    expect(g(nb.array([1])).toArray()).toEqual([(1 + 0.5) * 3 + 10]);
  });

  it('two different functions under one name are KernelError NB2013, naming both', () => {
    const inc2 = (x: number) => x + 2;
    const e = kernelErrorOf(() => nb.vectorize('f8(f8)', { helpers: { incsqC, inc: inc2 } })((x: number) => incsqC(x)));
    expect(e.code).toBe('NB2013');
    expect(e.message).toContain("helper 'inc'");
    expect(e.message).toContain("'incsqC'");
  });

  it('built-in ufuncs with a scalar form, nb.math and Math functions as helpers', () => {
    const hyp: any = nb.hypot;
    const atan2: any = nb.arctan2;
    const mx: any = Math.max;
    const f = nb.vectorize('f8(f8, f8)', { helpers: { hyp, atan2, mx } })((x: number, y: number) => hyp(x, y) + atan2(y, x) + mx(x, y));
    const xs = [3, -1, 0.5];
    const ys = [4, 2, -8];
    expect(f(nb.array(xs), nb.array(ys)).toArray()).toEqual(xs.map((x, i) => Math.hypot(x, ys[i]!) + Math.atan2(ys[i]!, x) + Math.max(x, ys[i]!)));
    const clamp: any = nb.math.clamp;
    const g = nb.vectorize('i4(i4)', { helpers: { clamp } })((x: number) => clamp(x, -3, 3));
    expect(g(nb.array([-10, 2, 10], 'int32')).toArray()).toEqual([-3, 2, 3]);
  });

  it('a built-in ufunc without a scalar form is KernelError NB2013 at the call', () => {
    const add: any = nb.add;
    const e = kernelErrorOf(() => nb.vectorize('f8(f8, f8)', { helpers: { add } })((x: number, y: number) => x * add(x, y)));
    expect(e.code).toBe('NB2013');
    expect(e.message).toContain("helper 'add'");
    expect(e.message).toContain('a + b');
    expect(e.column).toBe(1 + '(x, y) => x * '.length);
  });

  it('a gufunc or a stencil called as a helper is KernelError NB2013 at the call, saying why', () => {
    const rowsum: any = nb.guvectorize('void(f8[:], f8[:])', '(n)->()')((a: Float64Array, o: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]!;
      o[0] = s;
    });
    const e = kernelErrorOf(() => nb.vectorize('f8(f8)', { helpers: { rowsum } })((x: number) => rowsum(x)));
    expect(e.code).toBe('NB2013');
    expect(e.message).toContain("helper 'rowsum'");
    expect(e.message).toContain('gufunc');
    const blur: any = nb.stencil((a: any) => a(-1) + a(1));
    const e2 = kernelErrorOf(() => nb.vectorize('f8(f8)', { helpers: { blur } })((x: number) => blur(x)));
    expect(e2.code).toBe('NB2013');
    expect(e2.message).toContain("helper 'blur'");
    expect(e2.message).toContain('stencil');
    // Passed but never called: nothing to refuse.
    const f = nb.vectorize('f8(f8)', { helpers: { rowsum, blur } })((x: number) => x + 1);
    expect(f(nb.array([1])).toArray()).toEqual([2]);
  });

  it('a gufunc kernel calls a compiled helper (cpu)', () => {
    const sumsq = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { helpers: { sqC } })((a: Float64Array, o: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += sqC(a[i]!);
      o[0] = s;
    });
    expect((sumsq(nb.array([[1, 2], [3, 0.5]])) as nb.NDArray).toArray()).toEqual([1 + 4, 9 + 0.25]);
  });

  describe('parallel target (on the pool)', () => {
    onThePool();
    it('compiled and nested helpers, int32 and float64', () => {
      const f = nb.vectorize(['int32(int32)', 'float64(float64)'], { target: 'parallel', helpers: { incsqC, sqC } })((x: number) => incsqC(x) + sqC(x));
      const ints = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 100003 - 50000);
      // int32: (x + 1)² + x², each product and sum wrapping as NumPy's int32.
      expect(f(nb.array(ints, 'int32')).toArray()).toEqual(ints.map((x) => i32.add(i32.mul(x + 1, x + 1), i32.mul(x, x))));
      const xs = ints.map((x) => x / 8);
      expect(f(nb.array(xs)).toArray()).toEqual(xs.map((x) => incsqK(x) + sqK(x)));
    });
  });

  it.skipIf(!hasGpu)('gpu target: compiled and nested helpers, float32 and int32 (needs a GPU)', async () => {
    const f = nb.vectorize(['int32(int32)', 'float32(float32)'], { target: 'gpu', helpers: { incsqC, sqC } })((x: number) => incsqC(x) + sqC(x));
    const ints = [3, 46341, -7];
    expect((await f(nb.array(ints, 'int32'))).toArray()).toEqual(ints.map((x) => i32.add(i32.mul(x + 1, x + 1), i32.mul(x, x))));
    // float32: values whose squares and sums are exact in float32.
    const xs = [1.5, -2, 0.25];
    expect((await f(nb.array(xs, 'float32'))).toArray()).toEqual(xs.map((x) => incsqK(x) + sqK(x)));
  });
});

// Stencils with helpers. The oracle runs the kernel as plain JS with accessors that read
// the input at the clamped index ('nearest' mode).
const clamp3 = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const stencilKernel = (a: any) => clamp3(a(-1) + a(1), 0, 10) + sqC(a(0));
const stencilHelpers = { clamp3, sqC };
/** The kernel as plain JS: the raw kernel in place of the compiled sqC. */
const stencilOracle = (a: any) => clamp3(a(-1) + a(1), 0, 10) + sqK(a(0));
function nearest1d(kernel: (a: any) => number, xs: readonly number[]): number[] {
  const n = xs.length;
  return xs.map((_, i) => kernel((d: number) => xs[Math.min(n - 1, Math.max(0, i + d))]!));
}
/** The same kernel in int32 arithmetic (NumPy's wraparound). */
const stencilInt32 = (a: any) => i32.add(clamp3(i32.add(a(-1), a(1)), 0, 10), i32.mul(a(0), a(0)));

describe('stencil helpers', () => {
  const ints = [3, -4, 46341, 7, 2, -1];
  const floats = [0.5, 2.25, -3, 6, 1.125, -0.5];

  it('a plain and a compiled helper, typed per input dtype (lazy: int32 wraps, float64 does not), cpu', () => {
    const s = nb.stencil(stencilKernel, { mode: 'nearest', helpers: stencilHelpers });
    expect(s(nb.array(ints, 'int32')).toArray()).toEqual(nearest1d(stencilInt32, ints));
    expect(s(nb.array(floats)).toArray()).toEqual(nearest1d(stencilOracle, floats));
    expect(s.kernels.map((k) => k.operands)).toEqual([['int32', 'int32'], ['float64', 'float64']]);
  });

  it('2-D, with helpers calling helpers', () => {
    const lap = (c: number, n: number, s: number, w: number, e: number) => n + s + w + e - 4 * c;
    const relu = (v: number) => (v > 0 ? v : 0);
    const act = (c: number, n: number, s: number, w: number, e: number) => relu(lap(c, n, s, w, e));
    const k = (a: any) => act(a(0, 0), a(-1, 0), a(1, 0), a(0, -1), a(0, 1));
    const st = nb.stencil(k, { signature: 'float64(float64)', mode: 'wrap', helpers: { lap, relu, act } });
    const rows = [[1, 2, 3], [4, 5.5, 6], [7, 8, 9.25]];
    const want = rows.map((r, i) => r.map((_, j) => k((di: number, dj: number) => rows[(i + di + 3) % 3]![(j + dj + 3) % 3]!)));
    expect(st(nb.array(rows)).toArray()).toEqual(want);
  });

  it('an accessor passed to a helper is KernelError NB2019; a helpers option of non-functions is E_VALUE_OPTION', () => {
    const twice = (v: number) => 2 * v;
    expect(kernelErrorOf(() => nb.stencil((a: any) => twice(a), { signature: 'f8(f8)', helpers: { twice } })).code).toBe('NB2019');
    let caught: unknown;
    try {
      nb.stencil((a: any) => a(0), { helpers: { twice: 2 } as never });
    } catch (e) {
      caught = e;
    }
    expect((caught as nb.ValueError).code).toBe('E_VALUE_OPTION');
  });

  describe('parallel target (on the pool)', () => {
    onThePool();
    it('the same helpers, the same values, int32 and float64', () => {
      const s = nb.stencil(stencilKernel, { mode: 'nearest', target: 'parallel', helpers: stencilHelpers });
      const big = Array.from({ length: 4001 }, (_, i) => ((i * 7919) % 20011) - 10000);
      expect(s(nb.array(big, 'int32')).toArray()).toEqual(nearest1d(stencilInt32, big));
      const xs = big.map((x) => x / 16);
      expect(s(nb.array(xs)).toArray()).toEqual(nearest1d(stencilOracle, xs));
    });
  });

  it.skipIf(!hasGpu)('gpu target: the same helpers, int32 and float32 (needs a GPU)', async () => {
    const s = nb.stencil(stencilKernel, { mode: 'nearest', target: 'gpu', helpers: stencilHelpers });
    expect((await s(nb.array(ints, 'int32'))).toArray()).toEqual(nearest1d(stencilInt32, ints));
    // float32: values whose sums and squares are exact in float32.
    expect((await s(nb.array(floats, 'float32'))).toArray()).toEqual(nearest1d(stencilOracle, floats));
  });
});
