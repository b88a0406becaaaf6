/**
 * nb.math and built-in ufunc scalars in kernels, at the compiler level:
 *   - name resolution (frontend/numbats-names.ts): `<ns>.math.f`, `<ns>.ufunc`, bare imported
 *     names, and what shadows them (parameters, locals, helpers);
 *   - typing: float1/float2 rules, ldexp's integer exponent (clamped to int32), clamp as
 *     min/max of three;
 *   - the emitters: the Wasm tier (AssemblyScript, math-prelude.ts) and the JS tier give the
 *     very bits of plain-JS nb.math (float32 kernels: those bits rounded) on every float64
 *     input of test/fixtures/math-functions.json; exact functions exact on ints too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import { printProgram } from '../../src/compiler/ir/print.js';
import { kernelErrorOf } from '../helpers/errors.js';
import { loadFixture } from '../helpers/fixtures.js';
import { dec, type FixtureValue } from '../helpers/ulp.js';
import { runJs, runWasm, WasmRig, type Value } from './harness.js';

const fx = loadFixture<{ float64: Record<string, FixtureValue[][]> }>('math-functions');
const col = (name: string, k: number) => fx.float64[name]!.map((r) => dec(r[k]!));
const UNARY = ['erf', 'erfc', 'gamma', 'lgamma', 'sinc', 'deg2rad', 'rad2deg'] as const;
const m = nb.math as unknown as Record<string, (...a: number[]) => number>;

const scalar = (src: string, sig: string, prefix = '', helpers?: Record<string, string>) =>
  compileKernel(src, sig, { kind: 'scalar', prefix, helpers });
const ir = (src: string, sig = 'f8(f8)') => printProgram(scalar(src, sig).ir);

/** Bit patterns as strings (NaN payloads aside), so that toEqual sees -0 and NaN. */
const bits = (xs: readonly Value[]) => xs.map((x) => (typeof x === 'number' ? (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : String(x)) : String(x)));

describe('name resolution', () => {
  const erfIr = ir('(x) => nb.math.erf(x)');
  it.each([
    ['nb.math.erf(x)', '(x) => nb.math.erf(x)'],
    ['numbats.math.erf(x)', '(x) => numbats.math.erf(x)'],
    ['a bare imported erf(x)', '(x) => erf(x)'],
    ['a bare name through esbuild\'s import alias', '(x) => import_numbats.math.erf(x)'],
    ['math.erf(x) after import { math }', '(x) => math.erf(x)'],
    ['a namespace as Vite SSR rewrites it', '(x) => (0, __vi_import_0__.math.erf)(x)'],
  ])('%s is nb.math.erf', (_, src) => {
    expect(ir(src)).toBe(erfIr);
  });

  it('built-in ufuncs on scalars are their intrinsics: nb.hypot is Math.hypot, np.arctan2 Math.atan2, bare sqrt', () => {
    expect(ir('(x, y) => nb.hypot(x, y)', 'f8(f8, f8)')).toBe(ir('(x, y) => Math.hypot(x, y)', 'f8(f8, f8)'));
    expect(ir('(x, y) => np.arctan2(x, y)', 'f8(f8, f8)')).toBe(ir('(x, y) => Math.atan2(x, y)', 'f8(f8, f8)'));
    expect(ir('(x) => sqrt(x) + nb.arcsinh(x)')).toBe(ir('(x) => Math.sqrt(x) + Math.asinh(x)'));
    expect(ir('(x) => nb.degrees(x)')).toBe(ir('(x) => nb.math.rad2deg(x)'));
    expect(ir('(x, y) => (0, numbats_1.hypot)(x, y)', 'f8(f8, f8)')).toBe(ir('(x, y) => Math.hypot(x, y)', 'f8(f8, f8)'));
    expect(ir('(x) => nb.isnan(x) ? 0 : 1', 'i4(f8)')).toBe(ir('(x) => Number.isNaN(x) ? 0 : 1', 'i4(f8)'));
  });

  it('a parameter, a local or a helper of that name shadows numbats\' function', () => {
    // a helper named erf is the helper, not nb.math.erf
    const k = scalar('(x) => erf(x)', 'f8(f8)', '', { erf: '(x) => x + 1' });
    expect(runJs(k, [1], [[1]])).toEqual([2]);
    // a local `nb` is not the namespace: nb.hypot is then a property access of a local
    expect(kernelErrorOf(() => scalar('(x) => { const nb = x; return nb.hypot(x, x); }', 'f8(f8)')).code).not.toBe('NB1017');
    // a parameter named erf is a value, not a function
    expect(kernelErrorOf(() => scalar('(erf) => erf(erf)', 'f8(f8)')).code).toBe('NB1016');
    // Math, console, ... are JavaScript's, not a numbats namespace (console.log is not nb.log)
    expect(kernelErrorOf(() => scalar('(x) => Math.math.erf(x)', 'f8(f8)')).code).toBe('NB1016');
    expect(kernelErrorOf(() => scalar('(x) => console.log(x)', 'f8(f8)')).code).toBe('NB1016');
  });

  it('a built-in ufunc with no scalar form, or an unknown nb.math name, is NB1017 naming it', () => {
    const e = kernelErrorOf(() => scalar('(x, y) => nb.add(x, y)', 'f8(f8, f8)'));
    expect([e.code, e.line, e.column]).toEqual(['NB1017', 1, 11]);
    expect(e.message).toContain('nb.add (a built-in ufunc with no scalar form in kernels; write a + b)');
    expect(kernelErrorOf(() => scalar('(x) => logaddexp(x, x)', 'f8(f8)')).message).toContain('logaddexp (a built-in ufunc');
    const u = kernelErrorOf(() => scalar('(x) => nb.math.erfinv(x)', 'f8(f8)'));
    expect(u.code).toBe('NB1017');
    expect(u.message).toContain('nb.math.erfinv (nb.math has erf, erfc, gamma');
    // other names of a namespace stay unknown calls
    expect(kernelErrorOf(() => scalar('(x) => nb.zeros(x)', 'f8(f8)')).code).toBe('NB1016');
  });

  it('arity and argument kinds are checked: NB2009, and NB2001 for a float ldexp exponent', () => {
    const e = kernelErrorOf(() => scalar('(x) => nb.math.erf(x, x)', 'f8(f8)'));
    expect(e.code).toBe('NB2009');
    expect(e.message).toContain('nb.math.erf takes 1 argument(s), got 2');
    expect(kernelErrorOf(() => scalar('(x, y) => nb.math.ldexp(x, y)', 'f8(f8, f8)')).code).toBe('NB2001');
    expect(kernelErrorOf(() => scalar('(x) => nb.math.ldexp(x, 0.5)', 'f8(f8)')).code).toBe('NB2001');
  });
});

describe('typing', () => {
  it('float1: float32 stays float32, integers compute in float64; literals fold with plain JS', () => {
    expect(scalar('(x) => nb.math.gamma(x)', 'f4(f4)').ir.main.returns).toBe('float32');
    expect(ir('(x) => nb.math.gamma(x)', 'f8(i4)')).toContain('(call:float64 gamma (cast int32->float64 x))');
    expect(ir('(x) => x + nb.math.gamma(5)')).toContain('24');
    expect(ir('(x) => x + nb.math.erf(0.5)')).toContain(String(nb.math.erf(0.5)));
  });

  it('clamp promotes its three arguments (integers stay integers)', () => {
    expect(scalar('(x, lo) => nb.math.clamp(x, lo, 7)', 'i2(i2, i2)').ir.main.returns).toBe('int16');
    const k = scalar('(x) => nb.math.clamp(x, -5, 100)', 'i8(i8)');
    expect(runJs(k, [3], [[-9n, 50n, 2n ** 40n]])).toEqual([-5n, 50n, 100n]);
  });

  it('ldexp clamps wide exponents to int32 (NumPy\'s int64 loop)', () => {
    const k = scalar('(x, n) => nb.math.ldexp(x, n)', 'f8(f8, i8)');
    expect(runJs(k, [4], [[1, 1, 1, 3], [2n ** 40n, -(2n ** 40n), 10n, -1n]])).toEqual([Infinity, 0, 1024, 1.5]);
    const u = scalar('(x, n) => nb.math.ldexp(x, n)', 'f4(f4, u4)');
    expect(runJs(u, [2], [[1, 1], [4294967295, 3]])).toEqual([Infinity, 8]);
  });
});

describe('the Wasm tier gives plain JS\'s bits (and so does the JS tier)', () => {
  const kernels: CompiledKernel[] = [];
  const add = (src: string, sig: string) => {
    const k = scalar(src, sig, `k${kernels.length}_`);
    kernels.push(k);
    return k;
  };
  const unary64 = Object.fromEntries(UNARY.map((f) => [f, add(`(x) => nb.math.${f}(x)`, 'f8(f8)')]));
  const unary32 = Object.fromEntries(UNARY.map((f) => [f, add(`(x) => nb.math.${f}(x)`, 'f4(f4)')]));
  const binary = {
    copysign: add('(x, y) => nb.math.copysign(x, y)', 'f8(f8, f8)'),
    nextafter: add('(x, y) => nb.math.nextafter(x, y)', 'f8(f8, f8)'),
    nextafter32: add('(x, y) => nb.math.nextafter(x, y)', 'f4(f4, f4)'),
    ldexp: add('(x, n) => nb.math.ldexp(x, n)', 'f8(f8, i8)'),
    ldexp32: add('(x, n) => nb.math.ldexp(x, n)', 'f4(f4, i4)'),
  };
  const clamp64 = add('(x, a, b) => nb.math.clamp(x, a, b)', 'f8(f8, f8, f8)');
  const clampI4 = add('(x, a, b) => nb.math.clamp(x, a, b)', 'i4(i4, i4, i4)');
  // asc's module, and the direct emitter's (issue 15: every kernel here, the library's
  // functions imported from the math library compiled in the test).
  let rigs: WasmRig[] = [];
  beforeAll(async () => { rigs = [await WasmRig.of(kernels), await WasmRig.direct(kernels)]; }, 120_000);

  it.each(UNARY)('%s: float64 on every fixture input, both tiers', (f) => {
    const xs = col(f, 0);
    const want = bits(xs.map((x) => m[f]!(x)));
    expect(bits(runJs(unary64[f]!, [xs.length], [xs]))).toEqual(want);
    for (const rig of rigs) expect(bits(runWasm(rig, unary64[f]!, [xs.length], [xs]))).toEqual(want);
  });

  it.each(UNARY)('%s: float32 kernels round the float64 result (deg2rad/rad2deg: NumPy\'s float32 loop)', (f) => {
    const xs = col(f, 0).map(Math.fround);
    const want = f === 'deg2rad' || f === 'rad2deg'
      ? bits(nb[f](nb.array(xs, { dtype: 'float32' })).toArray() as number[])
      : bits(xs.map((x) => Math.fround(m[f]!(x))));
    expect(bits(runJs(unary32[f]!, [xs.length], [xs]))).toEqual(want);
    for (const rig of rigs) expect(bits(runWasm(rig, unary32[f]!, [xs.length], [xs]))).toEqual(want);
  });

  it('copysign, nextafter, ldexp: exact on the fixture pairs, both tiers, float64 and float32', () => {
    for (const name of ['copysign', 'nextafter', 'ldexp'] as const) {
      const xs = col(name, 0);
      const ys = col(name, 1);
      const want = bits(col(name, 2));
      const k = binary[name];
      const ins: Value[][] = [xs, name === 'ldexp' ? ys.map((n) => BigInt(n)) : ys];
      expect(bits(runJs(k, [xs.length], ins)), name).toEqual(want);
      for (const rig of rigs) expect(bits(runWasm(rig, k, [xs.length], ins)), name).toEqual(want);
    }
    const xs = col('nextafter', 0).map(Math.fround);
    const ys = col('nextafter', 1).map(Math.fround);
    const want = bits(nb.nextafter(nb.array(xs, { dtype: 'float32' }), nb.array(ys, { dtype: 'float32' })).toArray() as number[]);
    expect(bits(runJs(binary.nextafter32, [xs.length], [xs, ys]))).toEqual(want);
    for (const rig of rigs) expect(bits(runWasm(rig, binary.nextafter32, [xs.length], [xs, ys]))).toEqual(want);
    const n32 = col('ldexp', 1).map((n) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, n)));
    const x32 = col('ldexp', 0).map(Math.fround);
    const w32 = bits(nb.ldexp(nb.array(x32, { dtype: 'float32' }), nb.array(n32, { dtype: 'int32' })).toArray() as number[]);
    expect(bits(runJs(binary.ldexp32, [x32.length], [x32, n32]))).toEqual(w32);
    for (const rig of rigs) expect(bits(runWasm(rig, binary.ldexp32, [x32.length], [x32, n32]))).toEqual(w32);
  });

  it('clamp: exact on the fixture triples (float64) and on int32', () => {
    const ins = [col('clamp', 0), col('clamp', 1), col('clamp', 2)];
    const want = bits(col('clamp', 3));
    expect(bits(runJs(clamp64, [want.length], ins))).toEqual(want);
    for (const rig of rigs) expect(bits(runWasm(rig, clamp64, [want.length], ins))).toEqual(want);
    const i = [[5, -9, 0, 2147483647], [0, 0, -3, 0], [3, 3, 3, -1]];
    for (const rig of rigs) expect(runWasm(rig, clampI4, [4], i)).toEqual([3, 0, 0, -1]);
    expect(runJs(clampI4, [4], i)).toEqual([3, 0, 0, -1]);
  });
});
