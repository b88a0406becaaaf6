/**
 * Inference rules that are easiest to see in the IR (ir/infer.ts's header): local
 * unification, literal weakness, int32 loop counters, const aliases, parameter assignment;
 * plus names that collide with target-language words, and kernels without parameters —
 * each also compiled and run in Wasm against the JS reference.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileKernel } from '../../src/compiler/compile.js';
import { directEligible } from '../../src/compiler/emit/wasm/emit-module.js';
import { mismatch, moderate, runJs, runWasm, values, WasmRig } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const ir = (fn: any, sig: string) => compileKernel(fn, sig, { kind: 'scalar' }).irText;

describe('type inference', () => {
  test('a literal-initialised local widens with what is assigned (Numba-style)', () => {
    expect(ir((x: any) => { let s = 0; s += x; return s; }, 'f4(f4)')).toContain('let s: float64 = 0:float64');
    expect(ir((x: any) => { let s = 0; s += x; return s; }, 'i1(i1)')).toContain('let s: int64 = 0:int64');
    expect(ir((x: any) => { let s = 0; s += x; return s; }, 'u8(u8)')).toContain('let s: uint64 = 0:uint64');
    expect(ir((x: any) => { let s = 0.5; return s + x; }, 'f4(f4)')).toContain('let s: float64');
  });

  test('a typed local keeps its type; literals assigned later adopt it', () => {
    expect(ir((x: any) => { let r = x; if (x < 0) r = 0; return r; }, 'i1(i1)')).toContain('let r: int8 = x');
    // (Source strings: vitest's esbuild transform reprints 1000 as 1e3, a float literal.)
    expect(ir('(x) => { let r = x; if (x < 0) r = 1000; return r; }', 'i1(i1)')).toContain('let r: int16');
    expect(ir((x: any) => { let r = x; if (x < 0) r = r / 2; return r; }, 'i4(i4)')).toContain('let r: float64');
  });

  test('weak literals take the typed operand\'s type', () => {
    expect(ir((x: any) => x * 2 + 1, 'f4(f4)')).toContain('(add:float32 (mul:float32 x 2:float32) 1:float32)');
    expect(ir((x: any) => x * 0.5, 'i2(i2)')).toContain('(mul:float64 (cast int16->float64 x) 0.5:float64)');
    expect(ir((x: any) => x + 2 ** 40, 'i4(i4)')).toContain('(add:int32 x 0:int32)');
    expect(ir((x: any) => x + (1 << 40), 'i4(i4)')).toContain('(add:int32 x 256:int32)');
    expect(ir('(x) => (x < 1000 ? 1 : 0)', 'i1(u1)')).toContain('(lt:uint16 (cast uint8->uint16 x) 1000:uint16)');
  });

  test('const aliases of literals are inlined; other consts are locals', () => {
    const text = ir((x: any) => { const k = 2 * Math.PI; const n = x + 1; return x * k + n; }, 'f4(f4)');
    expect(text).toContain(`(mul:float32 x ${Math.fround(2 * Math.PI)}:float32)`);
    expect(text).toContain('let n: float32');
  });

  test('a const computed from a literal-initialised local that changes is no literal (regression)', () => {
    // Reading `i` as its literal 0 while types were collected made k the literal 0 for good.
    const src = '(x) => { let s = 0; let i = 0; while (i < 5) { const k = i % 3; s += k; i++; } return s + x; }';
    const k = compileKernel(src, 'i4(i4)', { kind: 'scalar' });
    expect(k.irText).toContain('s = (add:int64 s k)');
    expect(k.jsKernel(0)).toBe(4);
  });

  test('counting loops over int32 bounds get int32 counters; others int64', () => {
    expect(ir((x: any) => { let s = 0; for (let i = 0; i < 10; i++) s += i; return s + x; }, 'f8(f8)')).toContain('let i: int32');
    expect(ir((x: any) => { let s = 0; for (let i = 10; i > 0; i--) s += i; return s + x; }, 'f8(f8)')).toContain('let i: int32');
    expect(ir((x: any) => { let s = 0; for (let i = 0; i < x; i++) s += i; return s; }, 'i8(i8)')).toContain('let i: int64');
    expect(ir((x: any) => { let s = 0; for (let i = 0; i < 10; i++) { s += i; i += 1; } return s + x; }, 'f8(f8)')).toContain('let i: int64');
  });

  test('scalar parameters may be reassigned within their kind', () => {
    expect(ir((x: any) => { x = x * 2.5; return x; }, 'f4(f4)')).toContain('x = (mul:float32 x 2.5:float32)');
    expect(ir((x: any, y: any) => { x = x + y; return x; }, 'i1(i1, i4)')).toContain('x = (cast int32->int8 (add:int32 (cast int8->int32 x) y))');
  });
});

describe('names and shapes that could collide with the targets', () => {
  const kernels = [
    compileKernel((load: any, store: any) => { const i32 = load * 2; const f64 = store + i32; let Math_ = 1; Math_ += f64; return Math_; }, 'f8(f8, f8)', { kind: 'scalar', prefix: 'a_' }),
    compileKernel('(α, β) => { const kernel = α - β; const row = kernel * 2; return row + __x(α); }', 'i4(i4, i4)', { kind: 'scalar', prefix: 'b_', helpers: { __x: '(v) => v + 1' } }),
    compileKernel(() => 1.5, 'f8()', { kind: 'scalar', prefix: 'c_' }),
    compileKernel((x: any) => { { const x2 = x * 2; if (x2 > 0) { const x3 = x2; return x3; } } { const x2 = x * 3; return x2; } }, 'i4(i4)', { kind: 'scalar', prefix: 'd_' }),
  ];
  let rig: WasmRig;
  // The direct emitter (issue 15) takes all but the kernel with a helper call.
  const directs = [kernels[0]!, kernels[2]!, kernels[3]!];
  let direct: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of(kernels);
    direct = await WasmRig.direct(directs);
  }, 120_000);

  test('the direct emitter takes each kernel (the helper call inlined)', () => {
    expect(kernels.map((k) => directEligible(k.ir))).toEqual([true, true, true, true]);
  });

  test('emit names avoid reserved words and keep shadowed locals apart', () => {
    expect(kernels[0]!.asSource).toContain('let i32_: f64');
    expect(kernels[3]!.irText).toContain('let x2_2: int32');
  });

  test.each(kernels.map((k, i) => [k.signature.text, i] as const))('%s runs the same in JS and Wasm', (_, i) => {
    const k = kernels[i]!;
    const n = 13;
    const inputs = k.operands.slice(0, k.nin).map((t, j) => (t.startsWith('float') ? moderate(t, n, j) : values(t, n, j)));
    const js = runJs(k, [n], inputs);
    expect(mismatch(k.operands[k.nin]!, js, runWasm(rig, k, [n], inputs))).toBeNull();
    if (directs.includes(k)) expect(mismatch(k.operands[k.nin]!, js, runWasm(direct, k, [n], inputs))).toBeNull();
  });

  test('a kernel without parameters fills its output', () => {
    expect(runWasm(rig, kernels[2]!, [5], [])).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
    expect(runWasm(direct, kernels[2]!, [5], [])).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
  });
});
