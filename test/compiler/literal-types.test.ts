/**
 * Issue 13 item 4: literal types follow the source text (`1.0`, `.5`, `1e3` are weak floats,
 * `1` a weak int: Numba's and NEP 50's rule), `| 0` / `>>> 0` / `~~` on floats are
 * JavaScript's ToInt32 / ToUint32, a float stored into an integer element is NumPy's
 * unsafe cast, a float index is NB2002 (its message shows the `| 0` idiom), and an index
 * may be any integer type.
 *
 * Kernels are written as source strings: vitest's transform (esbuild) reprints `1.0` as `1`,
 * which would erase what is tested here. Each kernel runs through the JS reference and the
 * Wasm module, which must agree bit for bit; where the kernel's meaning is plain JavaScript's
 * (float64 operands), the reference must also equal the source evaluated as JavaScript.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import { kernelErrorOf } from '../helpers/errors.js';
import { mismatch, runGufuncJs, runGufuncWasm, runJs, runWasm, values, WasmRig, type GuOperand, type Value } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const plain = (src: string): (...a: any[]) => any => (0, eval)(`(${src})`);
const ir = (src: string, sig: string, target?: 'gpu') => compileKernel(src, sig, { kind: 'scalar', ...(target ? { target } : {}) }).irText;

const FACTORIAL = '(n) => { let f = 1.0; for (let i = 1; i <= n; i++) f *= i; return f; }';

describe('literal types follow the source text', () => {
  test('a decimal point or a non-integer exponent literal makes a weak float; other numbers are weak ints', () => {
    for (const lit of ['1.0', '1.', '.5', '1e-3', '2.5E0', '1_000.0']) expect(ir(`(x) => { let f = ${lit}; return f + x; }`, 'f8(i4)')).toContain('let f: float64');
    // Integer-valued exponent literals are ints: esbuild and minifiers print 400000000 as 4e8.
    for (const lit of ['1', '0x1e', '0b11', '0o7', '1_000', '1e3', '4e8', '2E0']) expect(ir(`(x) => { let f = ${lit}; return f + x; }`, 'i8(i4)')).toContain('let f: int64');
  });

  test('a float literal makes integer arithmetic float64, as in JavaScript; an int literal keeps the type', () => {
    expect(ir('(x) => x * 2.0', 'f8(i4)')).toContain('(mul:float64 (cast int32->float64 x) 2:float64)');
    expect(ir('(x) => x * 2', 'i4(i4)')).toContain('(mul:int32 x 2:int32)');
    expect(ir('(x) => x * 2.0', 'f4(f4)')).toContain('(mul:float32 x 2:float32)');
    // Literal-only expressions keep the float: 1.0 + 2 is a weak float 3.
    expect(ir('(x) => x + (1.0 + 2)', 'f8(i1)')).toContain('(add:float64 (cast int8->float64 x) 3:float64)');
  });

  test('Math.floor/trunc/ceil/round and min/max of a float literal stay floats', () => {
    expect(ir('(x) => { let k = Math.floor(2.5); return k + x; }', 'f8(i4)')).toContain('let k: float64');
    expect(ir('(x) => { let k = Math.max(1.0, 2); return k + x; }', 'f8(i4)')).toContain('let k: float64');
    expect(ir('(x) => { let k = Math.max(1, 2); return k + x; }', 'i8(i4)')).toContain('let k: int64');
  });

  test('the factorial accumulator is float64; a float-literal local is float32 on the gpu target', () => {
    expect(ir(FACTORIAL, 'f8(f8)')).toContain('let f: float64 = 1:float64');
    expect(ir('(n) => { let f = 1.0; f *= n; return f; }', 'f4(f4)', 'gpu')).toContain('let f: float32 = 1:float32');
    expect(ir('(n) => { let f = 1; f *= n; return f; }', 'i4(i4)', 'gpu')).toContain('let f: int32 = 1:int32');
  });
});

describe('ToInt32 and ToUint32 on floats', () => {
  test('| 0, >>> 0 and ~~ give int32 / uint32 through toint32', () => {
    expect(ir('(x) => (x * 10) | 0', 'i4(f8)')).toContain('(bor:int32 (toint32:int32 (mul:float64 x 10:float64)) 0:int32)');
    expect(ir('(x) => x >>> 0', 'u4(f8)')).toContain('(ushr:uint32 (cast int32->uint32 (toint32:int32 x)) 0:uint32)');
    expect(ir('(x) => ~~x', 'i4(f4)')).toContain('(bitnot:int32 (bitnot:int32 (toint32:int32 x)))');
    // A literal operand is folded with JavaScript's meaning.
    expect(ir('(x) => x | 2.5e10', 'i4(i4)')).toContain(`(bor:int32 x ${2.5e10 | 0}:int32)`);
  });
});

describe('item 4 kernels: JS reference == Wasm (== plain JavaScript for float64)', () => {
  const F64 = [0, -0, 1, -1, 0.5, -2.5, 2.75, 9.99, -9.99, 1e300, -1e300, NaN, Infinity, -Infinity, 5e-324, 2 ** 31, -(2 ** 31), 2 ** 31 - 0.5,
    2 ** 32, 2 ** 32 + 5.5, -(2 ** 32) - 7.25, 2 ** 53, 2 ** 63 + 2 ** 11, 2 ** 84 + 2 ** 33, 123456789012.75, -98765432109.5, 4294967295.9];
  const F32 = F64.map(Math.fround);
  const SCALAR: [string, string, string, boolean][] = [
    // name, source, signature, compare with plain JavaScript
    ['factorial with a float accumulator', FACTORIAL, 'f8(f8)', true],
    ['int times a float literal is float64', '(x) => x * 2.0 + 1', 'f8(i4)', true],
    ['(x * 10) | 0', '(x) => (x * 10) | 0', 'i4(f8)', true],
    ['x >>> 0', '(x) => x >>> 0', 'u4(f8)', true],
    ['~~x', '(x) => ~~x', 'i4(f8)', true],
    ['x | 0 on float32', '(x) => x | 0', 'i4(f4)', false],
    ['x >>> 0 on float32', '(x) => x >>> 0', 'u4(f4)', false],
    ['~~x on float32', '(x) => ~~x', 'i4(f4)', false],
    ['& ^ << >> on floats', '(x) => ((x & 0xff) ^ (x << 3)) + (x >> 1)', 'i4(f8)', true],
    ['a float shift count', '(x) => 1 << (x * 0.5)', 'i4(f8)', true],
    ['Math.imul / Math.clz32 of floats', '(x) => Math.imul(x, 3.5) + Math.clz32(x)', 'i4(f8)', true],
    ['a float returned through an integer output (unsafe cast)', '(x) => x * 1.5', 'i2(f8)', false],
  ];
  const kernels = SCALAR.map(([name, src, sig], i) => compileKernel(src, sig, { kind: 'scalar', prefix: `s${i}_`, name }));
  // A lookup table indexed by float bins, a float stored into an int32 output, and indices of every integer type.
  const core1 = { nin: 2, dims: ['n', 'm'], operands: [[0], [1], [0]] };
  const GU: [string, string, string][] = [
    ['binning into a table with | 0', '(x, table, out) => { for (let i = 0; i < x.length; i++) { const b = (x[i] * 4) | 0; out[i] = table[Math.min(Math.max(b, 0), table.length - 1)]; } }', 'void(f8[:], f8[:], f8[:])'],
    ['a float stored into an int32 element', '(x, table, out) => { for (let i = 0; i < x.length; i++) out[i] = x[i] * 2.5 + table[0]; }', 'void(f8[:], i4[:], i4[:])'],
    ...(['int8', 'uint8', 'int16', 'uint16', 'uint32', 'int64', 'uint64'] as const).map((t): [string, string, string] => [
      `an index of type ${t}`, '(x, idx, out) => { for (let i = 0; i < x.length; i++) out[i] = x[idx[i % idx.length]]; }', `void(f8[:], ${t}[:], f8[:])`]),
  ];
  const gufuncs = GU.map(([name, src, sig], i) => compileKernel(src, sig, { kind: 'gufunc', core: core1, prefix: `g${i}_`, name }));
  let rig: WasmRig;
  let direct: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of([...kernels, ...gufuncs]);
    // The direct emitter (issue 15) takes every kernel here (ToInt32 of floats, casts; the gufuncs: gufunc-row.ts).
    direct = await WasmRig.direct([...kernels, ...gufuncs]);
  }, 120_000);

  test.each(SCALAR.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const [, src, , vsPlain] = SCALAR[i]!;
    const k = kernels[i]!;
    const inT = k.operands[0]!;
    // The factorial loops n times: small n only.
    const inputs = [i === 0 ? [...Array.from({ length: 26 }, (_, n) => n), -1, NaN, 2.5] : inT === 'float64' ? F64 : inT === 'float32' ? F32 : values(inT, 37)];
    const n = inputs[0]!.length;
    const out = k.operands[k.nin]!;
    const js = runJs(k, [n], inputs);
    expect(mismatch(out, js, runWasm(rig, k, [n], inputs))).toBeNull();
    expect(mismatch(out, js, runWasm(direct, k, [n], inputs))).toBeNull();
    if (vsPlain) expect(mismatch(out, js, inputs[0]!.map((x) => plain(src)(x) as Value))).toBeNull();
  });

  test('the factorial of 21 is 51090942171709440000, as in JavaScript', () => {
    const k = kernels[0]!;
    expect(k.jsKernel(21)).toBe(51090942171709440000);
    expect(runWasm(rig, k, [1], [[21]])).toEqual([51090942171709440000]);
    expect(runWasm(direct, k, [1], [[21]])).toEqual([51090942171709440000]);
  });

  test.each(GU.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const k = gufuncs[i]!;
    const tT = k.operands[1]!;
    const x = [0.1, 0.3, 0.6, -0.2, 0.9, 1.7, 2.2, NaN, 0.26, 0.74];
    const second = tT === 'float64' ? [10, 20, 30, 40] : tT === 'int32' ? [7] : [3, 0, 9, 1, 2, 5];
    const ops: GuOperand[] = [{ core: [x.length], values: x }, { core: [second.length], values: second.map((v) => (tT === 'int64' || tT === 'uint64' ? BigInt(v) : v)) }, { core: [x.length] }];
    const js = runGufuncJs(k, [], ops, [x.length, second.length]);
    expect(js).toEqual(runGufuncWasm(rig, k, [], ops, [x.length, second.length]));
    expect(js).toEqual(runGufuncWasm(direct, k, [], ops, [x.length, second.length]));
    const outT = k.operands[2]!;
    if (outT === 'int32') {
      // NumPy's unsafe cast (truncation; NaN gives INT32_MIN), where a JS Int32Array would store ToInt32 (NaN -> 0).
      expect(js[0]).toEqual(x.map((v) => (Number.isNaN(v) ? -(2 ** 31) : Math.trunc(v * 2.5 + 7))));
      return;
    }
    // Plain JavaScript on typed arrays (a[1n] reads element 1 too).
    const o = new Float64Array(x.length);
    const table = tT === 'float64' ? Float64Array.from(second) : tT === 'int32' ? Int32Array.from(second) : second.map((v) => (tT === 'int64' || tT === 'uint64' ? BigInt(v) : v));
    plain(GU[i]![1])(Float64Array.from(x), table, o);
    expect(js[0]).toEqual(Array.from(o));
  });
});

describe('a float index is NB2002, and its message shows the | 0 idiom', () => {
  const g1 = { kind: 'gufunc', core: { nin: 1, dims: ['n'], operands: [[0], [0]] } } as const;
  test.each([
    ['a[x * 0.5]', '(a, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i * 0.5]; }'],
    ['a[Math.floor(x)]', '(a, out) => { for (let i = 0; i < a.length; i++) out[i] = a[Math.floor(a[i])]; }'],
    ['a[1.0]', '(a, out) => { out[0] = a[1.0]; }'],
  ])('%s', (_, src) => {
    const e = kernelErrorOf(() => compileKernel(src, 'void(f8[:], f8[:])', g1));
    expect(e.code).toBe('NB2002');
    expect(e.message).toContain('a[x | 0]');
  });
});
