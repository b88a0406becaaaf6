/**
 * Every construct of the kernel language on the 'gpu' target against the 'cpu' target:
 * the same kernel and signature through `nb.vectorize(sigs, { target: 'gpu' })` and
 * `nb.vectorize(sigs)`, on edge values (0, -0, ±1, NaN, ±Infinity, int32 min/max for
 * wrapping) of float32, int32, uint32 and bool.
 *
 * Tolerances: integers and bools exact; float32 within 1e-6 relative (the constructs here
 * are IEEE arithmetic, casts, rounding and comparisons; transcendentals are in math.test.ts).
 *
 * Narrowed locals: on the gpu target a literal-initialised local (`let s = 0`) is int32 or
 * float32 (infer.ts narrowLocals; WGSL has no 64-bit types), on the cpu target a double.
 * Such constructs (`narrowed: true`) are compared exactly with the gpu kernel's own JS
 * oracle (`kernels[0].jsKernel`, the exact meaning of the same typed IR) on edge values,
 * and with the cpu target on moderate values (no overflow), floats within 1e-5 relative
 * (a few float32 roundings of a sum).
 */
import { describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { gpuDevice } from '../../src/gpu/device.js';
import { gpuElementwise, gpuEmpty } from '../../src/gpu/call.js';
import { runGpuKernel } from '../../src/gpu/dispatch.js';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { compileKernel } from '../../src/compiler/index.js';
import { arr, edge, flat, hasGpu, mismatch, pairs, sameSig, type AnyFn, type Value } from './harness.js';

/** A kernel from source text, so that its literals are spelled as written. */
// eslint-disable-next-line no-eval
const src = (text: string): AnyFn => (0, eval)(`(${text})`);

const F: DType = 'float32';
const I: DType = 'int32';
const U: DType = 'uint32';
const B: DType = 'bool';
/** Order of signatures in one cpu ufunc: NumPy's linear search picks the exact one for each input dtype. */
const ORDER: DType[] = [B, I, U, F];

interface Construct {
  readonly name: string;
  readonly fn: AnyFn;
  readonly dtypes: readonly DType[];
  /** Signature for input dtype t (default: all operands t). */
  readonly sig?: (t: DType) => string;
  /** Uses a literal-initialised local: compare with the gpu oracle, and with cpu on moderate values. */
  readonly narrowed?: boolean;
  /** float32 relative tolerance (default 1e-6). */
  readonly rtol?: number;
  /** float32 inputs: edge values (default) or moderate ones. */
  readonly floatValues?: 'finite';
}

const CONSTRUCTS: Construct[] = [
  { name: 'integer literals', fn: (a) => a * 3 + 1 - 2, dtypes: [F, I, U] },
  { name: 'float literals (and exponent forms)', fn: (a) => a * 0.25 + 1.5e1 - 2e-3, dtypes: [F] },
  { name: 'bool literals', fn: (a) => (a ? false : true), dtypes: [B] },
  { name: '+ - * (wrapping at int32/uint32)', fn: (a, b) => a + b - a * b, dtypes: [B, F, I, U] },
  { name: '/ (true division)', fn: (a, b) => a / b, dtypes: [F] },
  { name: '% (the dividend\'s sign, negative ints)', fn: (a, b) => a % b, dtypes: [F, I, U] },
  // ** on float32 is pow (exp2(y * log2(x)) on the GPU): a transcendental, within pow's bound of math.test.ts.
  { name: '**', fn: (a, b) => a ** b, dtypes: [F], rtol: 1e-5 },
  { name: '** with small integer exponents', fn: (a, b) => a ** (b % 5), dtypes: [I, U] },
  { name: 'unary - and +', fn: (a) => -a + +a * 2, dtypes: [F, I, U] },
  {
    name: 'comparisons (NaN unordered)',
    fn: (a, b) => {
      let r = 0;
      if (a < b) r += 1;
      if (a <= b) r += 2;
      if (a > b) r += 4;
      if (a >= b) r += 8;
      if (a === b) r += 16;
      if (a !== b) r += 32;
      return r;
    },
    dtypes: [B, F, I, U], sig: (t) => `int32(${t}, ${t})`,
  },
  { name: 'comparison results as bool', fn: (a, b) => (a < b) !== (a >= b) || a === b, dtypes: [F, I, U], sig: (t) => `bool(${t}, ${t})` },
  {
    name: '&& || ! (truthiness in conditions, NaN falsy)',
    fn: (a, b) => {
      let r = 3;
      if ((a && !b) || (!a && b)) r = 1;
      else if (a || b) r = 2;
      return r;
    },
    dtypes: [B, F, I, U], sig: (t) => `int32(${t}, ${t})`,
  },
  { name: '&& || ! on comparisons', fn: (a, b) => (a < b && !(a === b)) || (a > b && b > a) || !(a <= b || a >= b), dtypes: [F, I, U], sig: (t) => `bool(${t}, ${t})` },
  { name: '?: (nested)', fn: (a, b) => (a > b ? a : a < b ? b : a), dtypes: [B, F, I, U] },
  {
    name: 'if / else if / else with a local',
    fn: (a, b) => {
      let r = a;
      if (a > b) {
        r = a - b;
      } else if (a < b) {
        r = b - a;
      } else {
        r = a * 2;
      }
      return r;
    },
    dtypes: [F, I, U],
  },
  {
    name: 'for loop accumulating into a literal-initialised local',
    fn: (a) => {
      let s = 0;
      for (let i = 0; i < 5; i++) {
        s += a;
      }
      return s;
    },
    // uint32 and bool: `let s = 0; s += a` makes s int64 (int32 local joined with uint32), NB6001.
    dtypes: [F, I], narrowed: true,
  },
  {
    name: 'while (true) with break and continue',
    fn: (a) => {
      let i = 0;
      let s = a - a;
      while (true) {
        i++;
        if (i > 9) break;
        if (i % 2 === 0) continue;
        s += a;
      }
      return s + a;
    },
    dtypes: [F, I, U], floatValues: 'finite', // a - a: see 'parameter reassignment'
  },
  {
    name: 'while with a condition, nested for with break and continue',
    fn: (a, b) => {
      let c = a - a;
      let k = 0;
      while (k < 4) {
        for (let j = 0; j < 6; j++) {
          if (j > k) break;
          if (j === 1) continue;
          c += a;
        }
        k++;
      }
      return c + b;
    },
    dtypes: [F, I, U], floatValues: 'finite', // a - a: see 'parameter reassignment'
  },
  {
    name: 'for with a descending counter and two updates',
    fn: (a) => {
      let s = 0;
      let j = 0;
      for (let i = 3; i >= 0; i--, j += 2) s = s * 3 + j - i;
      return a + s;
    },
    // int32 only: the int32 local s meets float32 (-> float64) or uint32 (-> int64).
    dtypes: [I], narrowed: true,
  },
  { name: 'let / const and compound assignment', fn: (a, b) => { const k = a + b; let x = k; x += b; x -= a; x *= 2; return x; }, dtypes: [F, I, U] },
  // float32 on finite moderate values: Vulkan compilers (Mesa NIR on lavapipe) may
  // reassociate float expressions ((a + b) - b -> a: 1 and 2^24 give 2^24; a - a -> 0 for
  // a = Infinity); WGSL cannot forbid it. Integers wrap exactly on edge values.
  { name: 'parameter reassignment', fn: (a, b) => { a = a + b; b = a - b; return a * b; }, dtypes: [F, I, U], floatValues: 'finite' },
  { name: 'bitwise & | ^ ~ << >>', fn: (a, b) => (a & b) ^ (a | 3) ^ ~a ^ (a << 2) ^ (a >> 1) ^ (a >> (b & 7)) ^ (a << b), dtypes: [I, U] },
  { name: 'bitwise & | ^ on bool', fn: (a, b) => (a & b) | (a ^ (b & a)), dtypes: [B], sig: () => 'bool(bool, bool)' },
  { name: '>>> (unsigned result)', fn: (a, b) => a >>> (b & 31), dtypes: [I, U], sig: (t) => `uint32(${t}, ${t})` },
  { name: 'shift counts masked to 5 bits (as JavaScript)', fn: (a, b) => (a << b) + (a >> (b + 32)), dtypes: [I] },
  { name: 'bitwise compound', fn: (a, b) => { let x = a; x &= b; x |= 5; x ^= a; x <<= 1; x >>= 1; return x; }, dtypes: [I, U] },
  { name: 'Math.floor(a / b) on integers (floor division)', fn: (a, b) => Math.floor(a / b), dtypes: [I, U] },
  { name: 'Math.trunc(a / b) on integers', fn: (a, b) => Math.trunc(a / b), dtypes: [I, U] },
  { name: 'Math.floor(a / b) on float32', fn: (a, b) => Math.floor(a / b), dtypes: [F] },
  { name: 'Math.abs/min/max in the integer type', fn: (a, b) => Math.abs(a) + Math.min(a, b) - Math.max(a, b, 1), dtypes: [I, U] },
  { name: 'Math.sign / Math.round / Math.floor / Math.ceil / Math.trunc in the type', fn: (a) => Math.sign(a) + Math.round(a) - Math.floor(a) + Math.ceil(a) * Math.trunc(a), dtypes: [F, I] },
  { name: 'Number.isNaN / Number.isFinite', fn: (a) => Number.isNaN(a) || !Number.isFinite(a), dtypes: [F], sig: () => 'bool(float32)' },
  { name: 'Math constants, Infinity, NaN', fn: (a) => (a > 0 ? a * Math.PI + Math.E : a < 0 ? a * Infinity : a + NaN), dtypes: [F] },
  { name: 'cast float32 -> int32 (truncation; NaN/inf/out of range as NumPy)', fn: (a) => a, dtypes: [F], sig: () => 'int32(float32)' },
  { name: 'cast float32 -> uint32', fn: (a) => a, dtypes: [F], sig: () => 'uint32(float32)' },
  { name: 'cast int32 / uint32 -> float32 (rounding)', fn: (a) => a, dtypes: [I, U], sig: (t) => `float32(${t})` },
  { name: 'cast int32 <-> uint32 (wrap)', fn: (a) => a, dtypes: [I, U], sig: (t) => `${t === I ? U : I}(${t})` },
  { name: 'cast to and from bool', fn: (a) => a, dtypes: [F, I, U], sig: (t) => `bool(${t})` },
  { name: 'cast bool -> numbers', fn: (a) => a, dtypes: [B], sig: () => 'float32(bool)' },
  { name: 'cast bool -> int32', fn: (a) => a, dtypes: [B], sig: () => 'int32(bool)' },
  { name: 'mixed dtypes promote (bool * float32)', fn: (a, b) => a * b + b, dtypes: [B], sig: () => 'float32(bool, float32)' },
  { name: 'Math.fround', fn: (a) => Math.fround(a) * 2, dtypes: [F] },
  // Issue 13: literal types from the source text, ToInt32 on floats, do/while, switch.
  { name: 'a float literal makes a float32 local (source string: esbuild would print 1.0 as 1)', fn: src('(a) => { let f = 1.0; f *= a; return f + 0.5; }'), dtypes: [F], narrowed: true },
  { name: '(a * 10) | 0 (ToInt32)', fn: (a) => (a * 10) | 0, dtypes: [F], sig: () => 'int32(float32)' },
  { name: 'a >>> 0 (ToUint32)', fn: (a) => a >>> 0, dtypes: [F], sig: () => 'uint32(float32)' },
  { name: '~~a, & and << on a float', fn: (a) => ~~a ^ (a << 1) ^ (a & 0xff0), dtypes: [F], sig: () => 'int32(float32)' },
  {
    name: 'do/while: continue goes to the condition, break leaves',
    fn: (a, b) => {
      let i = 0;
      let s = a - a;
      do {
        i++;
        if (i === 2) continue;
        if (i > 6) break;
        s += a;
      } while (i < 5);
      return s + b;
    },
    dtypes: [F, I, U], floatValues: 'finite',
  },
  // (Sources with fallthrough are strings: the tests' tsconfig forbids it in TypeScript.)
  { name: 'switch: grouped cases, default in the middle', fn: src('(a) => { switch (a % 4) { case 0: return a; default: return a + a; case 1: case 2: return a * 3; } }'), dtypes: [F, I, U] },
  {
    name: 'switch: fallthrough, break inside an if, continue of the enclosing loop',
    fn: src(`(a, b) => {
      let r = a - a;
      for (let i = 0; i < 6; i++) {
        switch (i % 4) {
          case 0: if (b > a) break; r += a;
          case 1: r += b; break;
          case 2: if (a > b) continue;
          default: r -= a;
        }
        r += b;
      }
      return r;
    }`),
    dtypes: [F, I, U], floatValues: 'finite',
  },
];

/** Moderate values (no overflow in a few sums): for narrowed constructs against the cpu target. */
function moderate(t: DType): Value[] {
  switch (t) {
    case 'int32': return [0, 1, -1, 2, -3, 7, -9, 17, 100, -100];
    case 'uint32': return [0, 1, 2, 3, 7, 17, 100, 1000];
    case 'float32': return [0, -0, 1, -1, 0.5, 1.5, -2.75, 3.25, 100.125, NaN, Infinity, -Infinity].map(Math.fround);
    default: return [false, true];
  }
}

function inputsFor(sigText: string, nin: number, values: (t: DType) => Value[]): { dts: DType[]; cols: Value[][] } {
  const args = sigText.slice(sigText.indexOf('(') + 1, -1).split(',').map((s) => s.trim() as DType);
  if (nin === 1) return { dts: args, cols: [values(args[0]!)] };
  const [l, r] = pairs(values(args[0]!), values(args[1]!));
  return { dts: args, cols: [l, r] };
}

describe.skipIf(!hasGpu)('kernel-language constructs: gpu vs cpu', () => {
  for (const c of CONSTRUCTS) {
    const sigOf = c.sig ?? sameSig(c.fn.length);
    const dts = ORDER.filter((t) => c.dtypes.includes(t));
    test(`${c.name} [${dts.join(', ')}]`, async () => {
      const cpu = nb.vectorize(dts.map(sigOf))(c.fn) as unknown as AnyFn;
      for (const t of dts) {
        const sig = sigOf(t);
        const gpu = nb.vectorize([sig], { target: 'gpu' })(c.fn) as unknown as AnyFn & { kernels: { jsKernel: AnyFn }[] };
        const out = sig.slice(0, sig.indexOf('(')) as DType;
        const check = async (values: (t: DType) => Value[], vsCpu: boolean, rtol: number) => {
          const { dts: ins, cols } = inputsFor(sig, c.fn.length, values);
          const arrays = ins.map((d, j) => arr(d, cols[j]!));
          const got = flat(await gpu(...arrays));
          const oracle = cols[0]!.map((_, i) => gpu.kernels[0]!.jsKernel(...cols.map((col) => col[i])) as Value);
          expect(mismatch(out, got, oracle, cols, c.rtol ?? 1e-6), `${sig}: gpu vs its JS oracle`).toBeNull();
          if (vsCpu) expect(mismatch(out, got, flat(cpu(...arrays)), cols, rtol), `${sig}: gpu vs cpu`).toBeNull();
        };
        const rtol = c.rtol ?? 1e-6;
        const values = c.floatValues ? (d: DType) => (d === 'float32' ? moderate(d).filter((v) => Number.isFinite(v)) : edge(d)) : edge;
        await check(values, !c.narrowed, rtol);
        if (c.narrowed) await check(moderate, true, Math.max(rtol, 1e-5));
      }
    });
  }
});

describe.skipIf(!hasGpu)('for...of over core dimensions on the gpu (issue 13)', () => {
  test('a gufunc summing with for...of, with a switch inside, gpu vs cpu', async () => {
    const fn = src(`(a, out) => {
      let s = 0;
      let k = 0;
      for (const v of a) {
        switch (k % 3) {
          case 0: s += v; break;
          case 1: s -= v;
          default: s += 2 * v;
        }
        k++;
      }
      out[0] = s;
    }`);
    const gpu = nb.guvectorize('void(float32[:], float32[:])', '(n)->()', { target: 'gpu' })(fn) as unknown as AnyFn;
    const cpu = nb.guvectorize('void(float32[:], float32[:])', '(n)->()')(fn) as unknown as AnyFn;
    const x = arr(F, [1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4]).reshape([3, 4]);
    const got = flat(await gpu(x));
    expect(mismatch(F, got, flat(cpu(x)), [], 1e-6)).toBeNull();
  });
});

describe.skipIf(!hasGpu)('helper kernels (options.helpers) on the gpu', () => {
  const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
  const relu = (x: number) => (x > 0 ? x : 0);
  const smooth = (x: number) => { const r = relu(x); return r * r / (1 + r); };
  const helpers = { clamp, relu, smooth };
  const cases: [string, AnyFn, string][] = [
    ['f4 helpers calling helpers', (x: number) => smooth(x) + relu(x) - clamp(x, -1, 1), 'float32(float32)'],
    ['i4 helper specialised on int32', (x: number, y: number) => clamp(x, -5, y) * 2 + relu(y), 'int32(int32, int32)'],
    ['u4 helper', (x: number) => clamp(x, 3, 100), 'uint32(uint32)'],
  ];
  test.each(cases)('%s', async (_, fn, sig) => {
    const ctx = await gpuDevice();
    const g = compileKernel(fn, sig, { kind: 'scalar', helpers, target: 'gpu', name: 'h' });
    const c = compileKernel(fn, sig, { kind: 'scalar', helpers, target: 'cpu', name: 'h' });
    expect(g.ir.helpers.length).toBeGreaterThan(0);
    const { dts, cols } = inputsFor(sig, fn.length, edge);
    const arrays = dts.map((d, j) => arr(d, cols[j]!));
    const got = flat(await nb.toCpu(gpuElementwise(ctx, g, arrays, null, 'same_kind', 'h')));
    const want = cols[0]!.map((_, i) => c.jsKernel(...cols.map((col) => col[i])) as Value);
    expect(mismatch(g.operands[g.nin]!, got, want, cols, 1e-6)).toBeNull();
  });

  test('a gufunc kernel calling a helper', async () => {
    const fn = (a: Float32Array, out: Float32Array) => {
      for (let i = 0; i < a.length; i++) out[i] = clamp(a[i]!, -1, 1) + relu(a[i]!);
    };
    const core = { nin: 1, dims: ['n'], operands: [[0], [0]] };
    const g = compileKernel(fn, 'void(float32[:], float32[:])', { kind: 'gufunc', core, helpers, target: 'gpu', name: 'gh' });
    expect(g.ir.helpers.length).toBe(2);
    const ctx = await gpuDevice();
    const x = arr('float32', [-3, -0.5, 0, 0.25, 2, 7, NaN, -0]).reshape([2, 4]);
    const gx = await nb.toGpu(x);
    const gout = gpuEmpty(ctx, [2, 4], 'float32');
    // What gpuGuvectorize does: operands as views of their loop dims, core strides apart.
    const loopView = (a: NDArray) => new NDArray(a.storage, [2], [4], 0);
    runGpuKernel(ctx, g, [loopView(gx)], [loopView(gout)], [2], { sizes: [4], strides: [[1], [1]] });
    const want = flat(x).map((v) => Math.fround(clamp(v as number, -1, 1) + relu(v as number)));
    expect(mismatch('float32', flat(await nb.toCpu(gout)), want, [flat(x)], 1e-6)).toBeNull();
  });
});
