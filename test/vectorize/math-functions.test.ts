/**
 * nb.math and built-in ufunc scalars in vectorize / guvectorize kernels on all three targets:
 *   - cpu and parallel: the very bits of plain-JS nb.math, on every float64 input of
 *     test/fixtures/math-functions.json (float32 kernels: those bits rounded);
 *   - gpu (skipped, visibly, without a WebGPU adapter): the float32 WGSL versions within the
 *     bounds of test/gpu/math-functions.test.ts, special values exact;
 *   - the namespace under any name: `nb.math.erf` as written here reaches the compiler as
 *     Vite's `__vi_import_0__.math.erf`, and a bare name as the user bound it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { hypot } from '../../src/index.js';
import { loadFixture } from '../helpers/fixtures.js';
import { dec, ulp32, type FixtureValue } from '../helpers/ulp.js';

const fx = loadFixture<{ float64: Record<string, FixtureValue[][]> }>('math-functions');
const UNARY = ['erf', 'erfc', 'gamma', 'lgamma', 'sinc', 'deg2rad', 'rad2deg'] as const;
const m = nb.math as unknown as Record<string, (x: number) => number>;
const hasGpu = await nb.gpuAvailable().catch(() => false);
if (!hasGpu) console.warn('[numbats vectorize math tests] gpu cases SKIPPED: no WebGPU adapter');

/** One kernel for all seven: op selects the function (one compile per target and signature). */
const kernel = (op: number, x: number) => {
  if (op === 0) return nb.math.erf(x);
  if (op === 1) return nb.math.erfc(x);
  if (op === 2) return nb.math.gamma(x);
  if (op === 3) return nb.math.lgamma(x);
  if (op === 4) return nb.math.sinc(x);
  if (op === 5) return nb.math.deg2rad(x);
  return nb.math.rad2deg(x);
};
const ops: number[] = [];
const xs: number[] = [];
UNARY.forEach((f, i) => fx.float64[f]!.forEach((r) => { ops.push(i); xs.push(dec(r[0]!)); }));
const want64 = xs.map((x, j) => m[UNARY[ops[j]!]!]!(x));
const key = (v: number) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v));

const DEFAULTS = nb.config().parallel;
beforeAll(() => { nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } }); });
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

describe.each(['cpu', 'parallel'] as const)('%s target', (target) => {
  it(`gives plain JS's bits on ${xs.length} float64 inputs (erf erfc gamma lgamma sinc deg2rad rad2deg)`, () => {
    const f = nb.vectorize(['f8(i4, f8)', 'f4(i4, f4)'], { target })(kernel);
    const got = f(nb.array(ops, { dtype: 'int32' }), nb.array(xs, { dtype: 'float64' })).toArray() as number[];
    const bad = got.flatMap((g, j) => (key(g) === key(want64[j]!) ? [] : [`${UNARY[ops[j]!]}(${xs[j]}): ${g} != ${want64[j]}`]));
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('float32 kernels round the float64 result', () => {
    const f = nb.vectorize(['f4(i4, f4)'], { target })(kernel);
    const x32 = xs.map(Math.fround);
    const got = f(nb.array(ops, { dtype: 'int32' }), nb.array(x32, { dtype: 'float32' })).toArray() as number[];
    const want = x32.map((x, j) => {
      const name = UNARY[ops[j]!]!;
      // deg2rad / rad2deg: NumPy's float32 loop (the constant rounded to float32).
      if (name === 'deg2rad') return Math.fround(x * Math.fround(Math.fround(Math.PI) / 180));
      if (name === 'rad2deg') return Math.fround(x * Math.fround(180 / Math.fround(Math.PI)));
      return Math.fround(m[name]!(x));
    });
    const bad = got.flatMap((g, j) => (key(g) === key(want[j]!) ? [] : [`${UNARY[ops[j]!]}(${x32[j]}): ${g} != ${want[j]}`]));
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('copysign, nextafter, ldexp, clamp and ufunc scalars (nb.hypot, a bare hypot, nb.arctan2) in one kernel', () => {
    const k = (x: number, y: number, n: number) =>
      nb.math.copysign(x, y) + nb.math.nextafter(x, y) + nb.math.ldexp(x, n) + nb.math.clamp(x, -1, y) + (nb.hypot(x, y) as unknown as number) + (hypot(y, 1) as unknown as number) +
      (nb.arctan2(y, x) as unknown as number);
    const f = nb.vectorize(['f8(f8, f8, i4)'], { target })(k);
    const x = [0.5, -3, 1e-300, 7, -0];
    const y = [2, -0, 4, -1, 1];
    const n = [3, -2, 1000, 0, 5];
    const want = x.map((a, i) => nb.math.copysign(a, y[i]!) + nb.math.nextafter(a, y[i]!) + nb.math.ldexp(a, n[i]!) + nb.math.clamp(a, -1, y[i]!) +
      Math.hypot(a, y[i]!) + Math.hypot(y[i]!, 1) + Math.atan2(y[i]!, a));
    const got = f(nb.array(x, { dtype: 'float64' }), nb.array(y, { dtype: 'float64' }), nb.array(n, { dtype: 'int32' })).toArray() as number[];
    got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(4e-16 * Math.abs(want[i]!)));
  });

  it('guvectorize kernels call nb.math too', () => {
    const g = nb.guvectorize(['void(float64[:], float64[:])'], '(n)->()', { target })((a: Float64Array, out: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += nb.math.lgamma(a[i]!);
      out[0] = s;
    });
    const a = [2.5, 10, 100.5];
    expect(g(nb.array([a])).toArray()).toEqual([a.reduce((s, v) => s + nb.math.lgamma(v), 0)]);
  });
});

describe.skipIf(!hasGpu)('gpu target (float32 WGSL versions)', () => {
  it('within 4 float32 ulps of the float64 result on every input; specials exact', async () => {
    const f = nb.vectorize(['f4(i4, f4)'], { target: 'gpu' })(kernel) as unknown as (...a: nb.NDArray[]) => Promise<nb.NDArray>;
    const x32 = xs.map(Math.fround);
    const got = (await f(nb.array(ops, { dtype: 'int32' }), nb.array(x32, { dtype: 'float32' }))).toArray() as number[];
    const bad: string[] = [];
    got.forEach((g, j) => {
      const name = UNARY[ops[j]!]!;
      const ref = m[name]!(x32[j]!);
      const r32 = Math.fround(ref);
      if (name === 'lgamma' && x32[j]! < 0 && Math.abs(ref) < 0.25) return; // near its zeros: absolute error only (test/gpu)
      if (x32[j] !== 0 && Math.abs(x32[j]!) < 2 ** -126) return; // WGSL may flush subnormal inputs to zero
      const ok = Number.isNaN(r32) ? Number.isNaN(g) : !Number.isFinite(r32) || r32 === 0 ? Object.is(g, r32) || (r32 === 0 && g === 0)
        : Math.abs(r32) < 2 ** -126 ? Math.abs(g) < 2 ** -126 : Math.abs(g - ref) <= 4 * ulp32(r32);
      if (!ok && bad.length < 5) bad.push(`${name}(${x32[j]}): gpu ${g}, float64 ${ref}`);
    });
    expect(bad).toEqual([]);
  });
});

describe('built-in ufuncs called on scalars in a kernel compute what the ufunc computes', () => {
  // The ufunc loops of these run numbats' SIMD kernels (asm/math/), the kernels AssemblyScript's
  // Math: both within 1 ulp of the true value, so within 2 of each other. All others: the bits.
  const NEAR = new Set(['exp', 'log', 'log2', 'sin', 'cos', 'tanh']);
  const xs = [-3.5, -1, -0.5, -0, 0, 1e-8, 0.3, 0.5, 0.99, 1, 1.5, 2, 7.25, 100, 1e10, Infinity, -Infinity, NaN];
  const ys = [2, -0.5, 3, 1, -2, 4, -1, 0.25, 1e-3, -7, 0, -0, 5, 1e5, 2, 1, -1, 3];
  const unary = ['sqrt', 'cbrt', 'exp', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan',
    'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh', 'arctanh', 'floor', 'ceil', 'trunc', 'absolute', 'fabs', 'deg2rad', 'radians', 'rad2deg', 'degrees'];
  const binary = ['arctan2', 'hypot', 'copysign', 'nextafter'];
  const ufuncs = nb as unknown as Record<string, (...a: nb.NDArray[]) => nb.NDArray>;
  const ulps64 = (a: number, b: number) => {
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
    const f = new Float64Array([a, b]);
    const i = new BigInt64Array(f.buffer);
    const ord = (x: bigint) => (x < 0n ? -(x & 0x7fffffffffffffffn) : x);
    const d = ord(i[0]!) - ord(i[1]!);
    return Number(d < 0n ? -d : d);
  };
  it.each([...unary, ...binary])('nb.%s', (u) => {
    const two = binary.includes(u);
    // The Wasm tier's bits (the JS tier's transcendentals are V8's: within 1 ulp, docs/guide/09-performance.md#tiers).
    const k = nb.vectorize('f8(f8, f8)', { tier: 'wasm' })(new Function('x', 'y', `return nb.${u}(x${two ? ', y' : ''});`) as (x: number, y: number) => number);
    const a = nb.array(xs, { dtype: 'float64' });
    const b = nb.array(ys, { dtype: 'float64' });
    const got = k(a, b).toArray() as number[];
    const want = (two ? ufuncs[u]!(a, b) : ufuncs[u]!(a)).toArray() as number[];
    const worst = Math.max(...got.map((g, i) => ulps64(g, want[i]!)));
    expect(worst).toBeLessThanOrEqual(NEAR.has(u) ? 2 : 0);
  });
  it('nb.isnan, nb.isfinite and nb.ldexp (integer exponents)', () => {
    const k = nb.vectorize('f8(f8, i4)')((x: number, n: number) => (nb.isnan(x) ? -1 : nb.isfinite(x) ? nb.ldexp(x, n) : -2));
    const n = xs.map((_, i) => (i * 37) % 61 - 30);
    const got = k(nb.array(xs, { dtype: 'float64' }), nb.array(n, { dtype: 'int32' })).toArray() as number[];
    const want = xs.map((x, i) => (Number.isNaN(x) ? -1 : Number.isFinite(x) ? (nb.ldexp(nb.array([x], { dtype: 'float64' }), nb.array([n[i]!], { dtype: 'int32' })).toArray() as number[])[0]! : -2));
    expect(got).toEqual(want);
  });
});
