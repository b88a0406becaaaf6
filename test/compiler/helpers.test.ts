/**
 * Calls to other kernels (`options.helpers`): compiled with the kernel, one specialisation
 * per distinct argument-type tuple (emitted as AS functions, which binaryen inlines when
 * small), helpers calling helpers, literal returns adopting the helper's type; checked on
 * the JS reference against hand values and against Wasm.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileKernel } from '../../src/compiler/compile.js';
import { mismatch, moderate, runGufuncJs, runGufuncWasm, runJs, runWasm, values, WasmRig } from './harness.js';

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
  beforeAll(async () => {
    rig = await WasmRig.of(kernels);
  }, 120_000);

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
      expect(mismatch(k.operands[k.nin]!, runJs(k, [n], inputs), runWasm(rig, k, [n], inputs))).toBeNull();
    }
  });

  test('JS reference and Wasm agree (a helper in a gufunc kernel)', () => {
    const k = kernels[4]!;
    const ops = [{ core: [6], values: moderate('float64', 12, 3) }, { core: [6] }];
    const js = runGufuncJs(k, [2], ops, [6]);
    expect(js[0]!.every((v) => (v as number) >= 0 && (v as number) <= 1)).toBe(true);
    expect(mismatch('float64', js[0]!, runGufuncWasm(rig, k, [2], ops, [6])[0]!)).toBeNull();
  });
});
