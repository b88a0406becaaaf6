/**
 * Calls to other kernels (`options.helpers`): compiled with the kernel, one specialisation
 * per distinct argument-type tuple (emitted as AS functions, which binaryen inlines when
 * small), helpers calling helpers, literal returns adopting the helper's type; checked on
 * the JS reference against hand values and against Wasm: asc's module and the direct
 * emitter's (issue 15: the helper's body inlined at each call site, emit/wasm/function.ts).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as nb from '../../src/index.js';
import { attachKernelSource, compileKernel, helperTable, type CompiledKernel } from '../../src/compiler/compile.js';
import { compileStencil } from '../../src/compiler/stencil.js';
import { linkAssemblyScript } from '../../src/compiler/emit/assemblyscript/emit-module.js';
import { emitWgslFunctions } from '../../src/compiler/emit/wgsl/emit-function.js';
import { stencilShader } from '../../src/compiler/emit/wgsl/stencil.js';
import { validateTarget } from '../../src/compiler/ir/passes/validate-target.js';
import { gpuElementwise } from '../../src/gpu/call.js';
import { gpuDevice } from '../../src/gpu/device.js';
import { hasGpu } from '../gpu/harness.js';
import { kernelErrorOf } from '../helpers/errors.js';
import { directEligible } from '../../src/compiler/emit/wasm/emit-module.js';
import { mismatch, moderate, runGufuncJs, runGufuncWasm, runJs, runWasm, values, WasmRig } from './harness.js';

const nbSqrt = nb.sqrt;
const nbFloor = nb.floor;
const nbSubtract = nb.subtract;
const nbMath = nb.math;

/* eslint-disable @typescript-eslint/no-explicit-any */
const clamp = (v: any, lo: any, hi: any) => {
  if (v < lo) return lo;
  if (v > hi) return hi;
  return v;
};
const relu = (v: any) => (v > 0 ? v : 0);
const smooth = (v: any) => relu(v) * clamp(v, -1, 1);
const helpers = { clamp, relu, smooth };

const kernels = [
  compileKernel((x: any, y: any) => clamp(x, y, 10) + clamp(y, 0, 1), 'f8(f8, f8)', { kind: 'scalar', helpers, prefix: 'a_' }),
  compileKernel((x: any) => clamp(x, -5, 5) * 2, 'i4(i4)', { kind: 'scalar', helpers, prefix: 'b_' }),
  compileKernel((x: any) => smooth(x) + relu(x), 'f4(f4)', { kind: 'scalar', helpers, prefix: 'c_' }),
  compileKernel((x: any) => relu(x) + relu(x * 0.5), 'f8(i8)', { kind: 'scalar', helpers, prefix: 'd_' }),
  compileKernel((a: any, out: any) => { for (let i = 0; i < a.length; i++) out[i] = clamp(a[i], 0, 1); }, 'void(f8[:], f8[:])', {
    kind: 'gufunc', helpers, core: { nin: 1, dims: ['n'], operands: [[0], [0]] }, prefix: 'e_',
  }),
];

describe('helpers', () => {
  let rig: WasmRig;
  let direct: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of(kernels);
    direct = await WasmRig.direct(kernels);
  }, 120_000);

  test('every kernel here, helpers and literal parameters included, takes the direct emitter', () => {
    expect(kernels.map((k) => directEligible(k.ir))).toEqual(kernels.map(() => true));
  });

  test('hand values on the JS reference', () => {
    expect(kernels[0]!.jsKernel(20, 0.5)).toBe(10.5);
    expect(kernels[0]!.jsKernel(-3, 2)).toBe(3);
    expect(kernels[1]!.jsKernel(-2147483648)).toBe(-10);
    expect(kernels[2]!.jsKernel(Math.fround(0.25))).toBe(Math.fround(0.25 * 0.25 + 0.25));
    expect(kernels[3]!.jsKernel(-4n)).toBe(0);
    expect(kernels[3]!.jsKernel(4n)).toBe(6);
  });

  test('one specialisation per argument-type tuple; literal arguments stay weak', () => {
    const sigs = (i: number) => kernels[i]!.ir.helpers.map((h) =>
      `${h.name}(${h.params.map((p) => (p.literal ? String(p.literal.value) : p.scalar)).join(',')})->${h.returns}`);
    expect(sigs(0)).toEqual(['__h_clamp_0(float64,float64,10)->float64', '__h_clamp_1(float64,0,1)->float64']);
    expect(sigs(1)).toEqual(['__h_clamp_0(int32,-5,5)->int32']);
    // clamp(v, -1, 1) inside smooth keeps float32: the literals adopt v's type.
    expect(sigs(2)).toEqual(['__h_relu_0(float32)->float32', '__h_clamp_1(float32,-1,1)->float32', '__h_smooth_2(float32)->float32']);
    expect(sigs(3)).toEqual(['__h_relu_0(int64)->int64', '__h_relu_1(float64)->float64']);
    expect(kernels[2]!.simd).toBeNull();
  });

  test('JS reference and Wasm agree (scalar kernels)', () => {
    for (const k of kernels.slice(0, 4)) {
      const n = 29;
      const inputs = k.operands.slice(0, k.nin).map((t, j) => (t.startsWith('float') ? moderate(t, n, j) : values(t, n, j)));
      const js = runJs(k, [n], inputs);
      expect(mismatch(k.operands[k.nin]!, js, runWasm(rig, k, [n], inputs))).toBeNull();
      expect(mismatch(k.operands[k.nin]!, js, runWasm(direct, k, [n], inputs))).toBeNull();
    }
  });

  test('JS reference and Wasm agree (a helper in a gufunc kernel)', () => {
    const k = kernels[4]!;
    const ops = [{ core: [6], values: moderate('float64', 12, 3) }, { core: [6] }];
    const js = runGufuncJs(k, [2], ops, [6]);
    expect(js[0]!.every((v) => (v as number) >= 0 && (v as number) <= 1)).toBe(true);
    expect(mismatch('float64', js[0]!, runGufuncWasm(rig, k, [2], ops, [6])[0]!)).toBeNull();
    expect(mismatch('float64', js[0]!, runGufuncWasm(direct, k, [2], ops, [6])[0]!)).toBeNull();
  });
});

describe('the direct emitter inlines helpers: a property over int32 and float64 inputs', () => {
  // A helper with a loop, early returns and a parameter it assigns, called twice (two
  // inlined copies with their own locals) and from another helper; the reference is the same
  // functions as plain JS with NumPy's int32 wraparound (| 0, Math.imul) where int32.
  const digits = (v: any) => { let n = 0; if (v < 0) v = -v; while (v > 9) { v = (v / 10) | 0; n++; } return n; };
  const both = (a: any, b: any) => { if (a > b) return digits(a) - digits(b); return digits(b) * 2; };
  const k = compileKernel((x: any, y: any) => both(x, y) + digits(x ^ y), 'i4(i4, i4)', { kind: 'scalar', helpers: { digits, both }, prefix: 'pi_' });
  const wrapDigits = (v: number) => { let n = 0; if (v < 0) v = -v | 0; while (v > 9) { v = (v / 10) | 0; n++; } return n; };
  const ref = (x: number, y: number) => ((x > y ? wrapDigits(x) - wrapDigits(y) : wrapDigits(y) * 2) + wrapDigits(x ^ y)) | 0;
  const lin = (a: any, b: any) => (a > 0 ? a * b : b - a);
  const f = compileKernel((x: any, y: any) => lin(x, y) + lin(y, 0.5), 'f8(f8, f8)', { kind: 'scalar', helpers: { lin }, prefix: 'pf_' });
  const fref = (x: number, y: number) => (x > 0 ? x * y : y - x) + (y > 0 ? y * 0.5 : 0.5 - y);
  let rig: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.direct([k, f]);
  });

  test('int32 (min and max included) and float64 (NaN, ±0, infinities)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer(), fc.integer()), { minLength: 1, maxLength: 40 }), (pairs) => {
      const xs = pairs.map((p) => p[0]);
      const ys = pairs.map((p) => p[1]);
      expect(runWasm(rig, k, [xs.length], [xs, ys])).toEqual(xs.map((x, i) => ref(x, ys[i]!)));
    }), { numRuns: 60 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.double(), fc.double()), { minLength: 1, maxLength: 40 }), (pairs) => {
      const xs = pairs.map((p) => p[0]);
      const ys = pairs.map((p) => p[1]);
      expect(runWasm(rig, f, [xs.length], [xs, ys])).toEqual(xs.map((x, i) => fref(x, ys[i]!)));
    }), { numRuns: 60 });
  });
});

// ---- helpers that are compiled functions, built-in functions, and stencil helpers ----------
// A function carrying KERNEL_SOURCE stands for what nb.vectorize / nb.guvectorize / nb.stencil
// return (test/vectorize/helpers.test.ts uses the real factories); expected values are the
// kernels run as plain JS, with NumPy's int32 wraparound (Math.imul, | 0) where stated.
const sqK = (x: any) => x * x;
const incK = (x: any) => x + 1;
/** A compiled function: its kernel sqIncK calls its own helper incK. */
const sqInc: any = attachKernelSource(() => 0, { kind: 'scalar', fn: (x: any) => sqK(incK(x)), helpers: { sqK, incK } });
const gufn: any = attachKernelSource(() => 0, { kind: 'gufunc', fn: (a: any, o: any) => { o[0] = a[0]; }, helpers: {} });
const stfn: any = attachKernelSource(() => 0, { kind: 'stencil', fn: (a: any) => a(-1), helpers: {} });

const compiledKernels = [
  compileKernel((x: any) => sqInc(x) - incK(x), 'i4(i4)', { kind: 'scalar', helpers: { sqInc, incK }, prefix: 'p_' }),
  compileKernel((x: any) => sqInc(x) - incK(x), 'f8(f8)', { kind: 'scalar', helpers: { sqInc }, prefix: 'q_' }),
  compileKernel((x: any, y: any) => rt(x * x + y * y) * mx(x, y) + deg(fl(x)), 'f8(f8, f8)', {
    kind: 'scalar', helpers: { rt: nbSqrt, fl: nbFloor, mx: Math.max, deg: nbMath.deg2rad }, prefix: 'r_',
  }),
];
declare const rt: any, fl: any, mx: any, deg: any, sub: any; // names the kernels call (helpers, not JS bindings)

describe('compiled functions and built-in functions as helpers', () => {
  let rig: WasmRig;
  let direct: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of(compiledKernels);
    expect(compiledKernels.map((k) => directEligible(k.ir, { mathLibrary: true }))).toEqual(compiledKernels.map(() => true));
    direct = await WasmRig.direct(compiledKernels);
  }, 120_000);

  const ints = [3, -4, 46340, 46341, 2147483647, -2147483648, 0];
  const floats = [3, -4, 46341, 0.5, -1.25, 1e10];
  test("a compiled function's kernel and its own helpers are compiled in, typed per signature (JS reference and Wasm)", () => {
    const [i4, f8] = compiledKernels;
    // int32: (x + 1)² - (x + 1), every step wrapping as NumPy's int32 does.
    const wantI = ints.map((x) => ((Math.imul((x + 1) | 0, (x + 1) | 0) - ((x + 1) | 0)) | 0));
    expect(runJs(i4!, [ints.length], [ints])).toEqual(wantI);
    expect(runWasm(rig, i4!, [ints.length], [ints])).toEqual(wantI);
    expect(runWasm(direct, i4!, [ints.length], [ints])).toEqual(wantI);
    const wantF = floats.map((x) => sqK(incK(x)) - incK(x));
    expect(runJs(f8!, [floats.length], [floats])).toEqual(wantF);
    expect(runWasm(rig, f8!, [floats.length], [floats])).toEqual(wantF);
    expect(runWasm(direct, f8!, [floats.length], [floats])).toEqual(wantF);
    const names = (k: CompiledKernel) => k.ir.helpers.map((h) => `${h.name}(${h.params.map((p) => p.scalar).join(',')})->${h.returns}`);
    expect(names(i4!)).toEqual(['__h_incK_0(int32)->int32', '__h_sqK_1(int32)->int32', '__h_sqInc_2(int32)->int32']);
    expect(names(f8!)).toEqual(['__h_incK_0(float64)->float64', '__h_sqK_1(float64)->float64', '__h_sqInc_2(float64)->float64']);
  });

  test('a built-in ufunc, an nb.math function and a Math function as helpers', () => {
    const k = compiledKernels[2]!;
    const xs = [3, -1, 0.5, 90];
    const ys = [4, 2, -8, 1];
    const want = xs.map((x, i) => Math.sqrt(x * x + ys[i]! * ys[i]!) * Math.max(x, ys[i]!) + nbMath.deg2rad(Math.floor(x)));
    expect(runJs(k, [xs.length], [xs, ys])).toEqual(want);
    expect(runWasm(rig, k, [xs.length], [xs, ys])).toEqual(want);
    expect(runWasm(direct, k, [xs.length], [xs, ys])).toEqual(want);
  });

  test('helperTable merges nested helpers; one name for two functions is NB2013 at the compiled helper', () => {
    expect([...helperTable({ sqInc }).keys()]).toEqual(['sqInc', 'sqK', 'incK']);
    expect([...helperTable({ sqInc, incK }).keys()]).toEqual(['sqInc', 'incK', 'sqK']);
    const other = (x: any) => x + 2;
    const e = kernelErrorOf(() => helperTable({ sqInc, incK: other }));
    expect(e.code).toBe('NB2013');
    expect(e.message).toContain("helper 'incK'");
    expect(e.message).toContain("'sqInc'");
  });

  test('calling a gufunc, a stencil or a built-in ufunc without a scalar form is NB2013 at the call', () => {
    // [code, line, the source text at the reported line and column]
    const at = (fn: any, helpers: Record<string, any>) => {
      const e = kernelErrorOf(() => compileKernel(fn, 'f8(f8)', { kind: 'scalar', helpers }));
      const line = String(fn).split('\n')[e.line - 1]!;
      return [e.code, e.line, line.slice(e.column - 1, e.column + 3)];
    };
    expect(at((x: any) => {
      const y = x + 1;
      return gufn(y);
    }, { gufn })).toEqual(['NB2013', 3, 'gufn']);
    expect(at((x: any) => x + stfn(x), { stfn })).toEqual(['NB2013', 1, 'stfn']);
    expect(at((x: any) => x + sub(x, 1), { sub: nbSubtract })).toEqual(['NB2013', 1, 'sub(']);
    // Passed and not called: nothing to refuse.
    expect(compileKernel((x: any) => x, 'f8(f8)', { kind: 'scalar', helpers: { gufn, stfn } }).jsKernel(2)).toBe(2);
  });

  const gpuKernel = () => compileKernel((x: any) => sqInc(x) - incK(x), 'i4(i4)', { kind: 'scalar', helpers: { sqInc, incK }, target: 'gpu' });
  test('gpu target: the compiled helper and its helpers are WGSL functions of the kernel', () => {
    const g = gpuKernel();
    validateTarget(g.ir, 'gpu');
    expect(emitWgslFunctions(g.ir).source).toMatch(/fn h___h_sqInc_2\(p_x: i32\) -> i32/);
  });

  test.skipIf(!hasGpu)('gpu target: the kernel with a compiled helper runs on the device (needs a GPU)', async () => {
    const g = gpuKernel();
    validateTarget(g.ir, 'gpu');
    const ctx = await gpuDevice();
    const got = await nb.toCpu(gpuElementwise(ctx, g, [nb.array(ints, 'int32')], null, 'same_kind', 'h'));
    expect(got.toArray()).toEqual(ints.map((x) => ((Math.imul((x + 1) | 0, (x + 1) | 0) - ((x + 1) | 0)) | 0)));
  });
});

describe('stencil helpers (compileStencil)', () => {
  const clamp3 = (v: any, lo: any, hi: any) => Math.min(hi, Math.max(lo, v));
  const kernel = (a: any) => clamp3(a(-1) + a(1), 0, 10) + sqInc(a(0));
  const helpers = { clamp3, sqInc };
  const oracle = (a: any) => clamp3(a(-1) + a(1), 0, 10) + sqK(incK(a(0)));
  const oracleI32 = (a: any) => (clamp3((a(-1) + a(1)) | 0, 0, 10) + Math.imul((a(0) + 1) | 0, (a(0) + 1) | 0)) | 0;
  /** 'constant' mode with cval 0, in plain JS. */
  const run1d = (k: (a: any) => number, xs: readonly number[]) => xs.map((_, i) => k((d: number) => xs[i + d] ?? 0));

  test('one helper typed per signature; Wasm against plain JS (int32 wraps as NumPy, float64 does not)', async () => {
    const s4 = compileStencil(kernel, 'int32(int32)', { helpers, prefix: 'i_' });
    const s8 = compileStencil(kernel, 'float64(float64)', { helpers, prefix: 'f_' });
    const sig = (h: { params: readonly { scalar?: string; literal?: { value: unknown } }[]; returns: unknown }) =>
      `(${h.params.map((p) => (p.literal ? String(p.literal.value) : p.scalar)).join(',')})->${String(h.returns)}`;
    expect(s4.ir.helpers.map(sig)).toEqual(['(int32,0,10)->int32', '(int32)->int32', '(int32)->int32', '(int32)->int32']);
    expect(s8.ir.helpers.map(sig)).toEqual(['(float64,0,10)->float64', '(float64)->float64', '(float64)->float64', '(float64)->float64']);
    const wasm = await WasmRig.create(linkAssemblyScript([s4.asUnit, s8.asUnit], 'stencils'));
    const runStencil = (s: typeof s4, t: 'int32' | 'float64', xs: readonly number[]) => {
      wasm.reset();
      const size = t === 'int32' ? 4 : 8;
      const p = wasm.alloc(xs.length * size);
      const o = wasm.alloc(xs.length * size);
      (wasm.view(t, p, xs.length) as Float64Array).set(xs);
      wasm.exports[s.entry]!(p, size, o, size, xs.length, xs.length);
      return Array.from(wasm.view(t, o, xs.length) as ArrayLike<number>);
    };
    const ints = [3, -4, 46340, 7, 2147483647, -1];
    expect(runStencil(s4, 'int32', ints)).toEqual(run1d(oracleI32, ints));
    const floats = [0.5, 2.25, -3, 6, 1.125, -0.5];
    expect(runStencil(s8, 'float64', floats)).toEqual(run1d(oracle, floats));
  });

  test('gpu target: the helpers are in the stencil shader', () => {
    const s = compileStencil(kernel, 'float32(float32)', { helpers, target: 'gpu' });
    validateTarget(s.ir, 'gpu');
    const wgsl = stencilShader(s);
    for (const h of s.ir.helpers) expect(wgsl).toContain(`fn h_${h.name}(`);
  });

  test('a stencil kernel calling a gufunc helper is NB2013; passing an accessor to a helper is NB2019', () => {
    expect(kernelErrorOf(() => compileStencil((a: any) => gufn(a(0)), 'f8(f8)', { helpers: { gufn } })).code).toBe('NB2013');
    expect(kernelErrorOf(() => compileStencil((a: any) => incK(a), 'f8(f8)', { helpers: { incK } })).code).toBe('NB2019');
  });
});
