/**
 * Issue 13 item 2 (tables): typed arrays in `options.constants` are read-only 1-d lookup
 * tables. `t[i]` is a load from the program's table (its dtype the typed array's), `t.length`
 * a compile-time constant, `for (const v of t)` a counting loop over it; writing a table or
 * reading one as a value is NB2021; an index the compiler cannot prove in range is checked
 * (E_KERNEL_BOUNDS with line:column) unless `boundscheck: false`. The contents are in the
 * generated source (AS data segment, JS typed array), so the compile key covers them, and
 * they are copied when compiled, so mutating the user's array later changes nothing.
 *
 * Kernels are source strings (vitest's esbuild would reprint them); the reference is the same
 * source evaluated as plain JavaScript with the tables in scope. The direct emitter's modules
 * (issue 15: the tables written into the rig's memory, their address baked into the loads)
 * run against that reference too.
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, type CompileKernelOptions } from '../../src/compiler/compile.js';
import { compileStencil } from '../../src/compiler/stencil.js';
import type { KernelConstants } from '../../src/compiler/constants.js';
import { validateTarget } from '../../src/compiler/ir/passes/validate-target.js';
import { BoundsTrap } from '../../src/compiler/bounds.js';
import { kernelErrorOf } from '../helpers/errors.js';
import { directEligible } from '../../src/compiler/emit/wasm/emit-module.js';
import { runGufuncWasm, runWasm, WasmRig } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const plain = (src: string, constants: Record<string, unknown>): (...a: any[]) => any =>
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function(...Object.keys(constants), `return (${src});`)(...Object.values(constants));

const scalar = (src: string, sig: string, constants: KernelConstants, extra: Partial<CompileKernelOptions> = {}) =>
  compileKernel(src, sig, { kind: 'scalar', constants, ...extra } as CompileKernelOptions);

const vec = { nin: 1, dims: ['n'], operands: [[0], []] };

describe('lowering and typing', () => {
  test("a table's elements have its typed array's dtype; the IR lists the table with its values", () => {
    const cases: [string, ArrayLike<number | bigint> & object, string][] = [
      ['Float64Array', new Float64Array([0.5, 1]), 'float64'],
      ['Float32Array', new Float32Array([0.5, 1]), 'float32'],
      ['Int8Array', new Int8Array([-1, 2]), 'int8'],
      ['Int16Array', new Int16Array([-1, 2]), 'int16'],
      ['Int32Array', new Int32Array([-1, 2]), 'int32'],
      ['Uint8Array', new Uint8Array([1, 2]), 'uint8'],
      ['Uint8ClampedArray', new Uint8ClampedArray([1, 2]), 'uint8'],
      ['Uint16Array', new Uint16Array([1, 2]), 'uint16'],
      ['Uint32Array', new Uint32Array([1, 2]), 'uint32'],
      ['BigInt64Array', new BigInt64Array([-1n, 2n]), 'int64'],
      ['BigUint64Array', new BigUint64Array([1n, 2n]), 'uint64'],
    ];
    for (const [what, t, dtype] of cases) {
      const k = scalar('(i) => t[i]', '(int32)', { t: t as never });
      expect(k.irText, what).toContain(`table __t0_t: ${dtype}[2] = [`);
      expect(k.irText, what).toContain(`(load:${dtype} __t0_t (check#0 i))`);
      expect(k.operands[1], what).toBe(dtype);
      expect(k.jsKernel(1), what).toBe(t[1 as never]);
    }
  });

  test('t.length is a compile-time int32 constant', () => {
    const k = scalar('(x) => x + lut.length', '(int32)', { lut: new Float64Array(7) });
    expect(k.irText).toContain('(add:int32 x 7:int32)');
    // Read only through .length, a table is still listed (and in the source), but no load reads it.
    expect(k.ir.tables?.map((t) => t.name)).toEqual(['lut']);
  });

  test('a polynomial by Horner from a coefficient table equals plain JavaScript', () => {
    const coef = new Float64Array([1, -0.5, 0.25, 0.125]);
    const src = '(x) => { let s = 0; for (let i = coef.length - 1; i >= 0; i--) s = s * x + coef[i]; return s; }';
    const k = scalar(src, 'f8(f8)', { coef });
    const ref = plain(src, { coef });
    for (const x of [0, 1, -2, 0.3, 10]) expect(k.jsKernel(x)).toBe(ref(x));
  });

  test('for...of over a table, helpers that read tables, and shadowing by a local', () => {
    const w = new Int32Array([3, 1, 4, 1, 5]);
    const src = '(x) => { let s = 0; for (const v of w) s += v * x; return s + pick(2); }';
    const k = compileKernel(src, 'i4(i4)', { kind: 'scalar', constants: { w }, helpers: { pick: '(i) => w[i] * 100' } });
    const ref = plain(src, { w, pick: (i: number) => w[i]! * 100 });
    for (const x of [0, 1, -3]) expect(k.jsKernel(x)).toBe(ref(x));
    // The helper reads the kernel's table (one table list for the program); index 2 < 5 needs no check.
    expect(k.irText).toContain('func __h_pick_0(i = 2 (literal)) -> int32\n  return (mul:int32 (load:int32 __t0_w 2:int32) 100:int32)');
    expect(k.bounds).toEqual([]);
    // A parameter named like the table shadows it.
    expect(scalar('(w) => w + 1', '(int32)', { w }).jsKernel(4)).toBe(5);
  });

  test('a gufunc reads a table next to its arrays', () => {
    const w = new Float64Array([0.25, 0.5, 0.25]);
    const src = '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * w[i % w.length]; out[0] = s; }';
    const k = compileKernel(src, 'void(f8[:], f8[:])', { kind: 'gufunc', core: vec, constants: { w } });
    const a = new Float64Array([1, 2, 3, 4]);
    const out = new Float64Array(1);
    k.jsFunction([], [{ data: a, offset: 0, strides: [1] }, { data: out, offset: 0, strides: [0] }], [4]);
    const ref = new Float64Array(1);
    plain(src, { w })(a, ref);
    expect(out[0]).toBe(ref[0]);
  });

  test('stencils read tables too (not as accessors)', () => {
    const w = new Float64Array([0.25, 0.5, 0.25]);
    const s = compileStencil('(a) => w[0] * a(-1) + w[1] * a(0) + w[2] * a(1)', 'float64(float64)', { constants: { w } });
    expect(s.ndim).toBe(1);
    expect(s.neighborhood).toEqual([[-1, 1]]);
    expect(s.bounds).toEqual([]);
    expect(s.asSource).toContain('memory.data<u8>(');
  });
});

describe('errors', () => {
  const lut = new Float64Array([1, 2, 3]);

  test('writing a table is NB2021 at the write', () => {
    const e = kernelErrorOf(() => compileKernel('(a, o) => { lut[0] = 1; o[0] = a[0]; }', 'void(f8[:], f8[:])', { kind: 'gufunc', core: vec, constants: { lut } }));
    expect(e.code).toBe('NB2021');
    expect([e.line, e.column]).toEqual([1, 13]);
    expect(e.message).toContain("'lut'");
    expect(e.message).toContain('read-only table');
    const f = kernelErrorOf(() => scalar('(x) => { lut = 2; return x; }', 'f8(f8)', { lut }));
    expect(f.code).toBe('NB2021');
    expect(f.column).toBe(10);
    const g = kernelErrorOf(() => scalar('(x) => { lut[1] += x; return x; }', 'f8(f8)', { lut }));
    expect(g.code).toBe('NB2021');
  });

  test('a table read as a value or called is NB2021, saying to index it', () => {
    const e = kernelErrorOf(() => scalar('(x) => x + lut', 'f8(f8)', { lut }));
    expect(e.code).toBe('NB2021');
    expect([e.line, e.column]).toEqual([1, 12]);
    expect(e.message).toContain('lut[i]');
    const f = kernelErrorOf(() => scalar('(x) => lut(x)', 'f8(f8)', { lut }));
    expect(f.code).toBe('NB2021');
    expect(f.message).toContain('a table (Float64Array)');
  });

  test('a table has one dimension: lut[i][j] is NB2007', () => {
    expect(kernelErrorOf(() => scalar('(i) => lut[i][0]', '(int32)', { lut })).code).toBe('NB2007');
  });

  test('on the gpu, a 64-bit table is NB6001 naming the table and the typed array to pass', () => {
    for (const [t, instead] of [[new Float64Array(2), 'Float32Array'], [new BigInt64Array(2), 'Int32Array'], [new Uint8Array(2), 'Uint32Array']] as const) {
      const k = scalar('(x) => x + t[1]', '(int32)', { t }, { target: 'gpu' });
      const e = kernelErrorOf(() => validateTarget(k.ir, 'gpu'));
      expect(e.code).toBe('NB6001');
      expect([e.line, e.column]).toEqual([1, 12]);
      expect(e.message).toContain("table 't'");
      expect(e.message).toContain(instead);
    }
    // 32-bit tables pass.
    validateTarget(scalar('(x) => x + t[1]', '(int32)', { t: new Int32Array(2) }, { target: 'gpu' }).ir, 'gpu');
  });
});

describe('bounds checks', () => {
  const lut = new Int32Array([10, 20, 30, 40]);

  test('a loop over lut.length and constant indices below the length need no check', () => {
    const k = scalar('(x) => { let s = 0; for (let i = 0; i < lut.length; i++) s += lut[i] * x; return s + lut[3] + lut[0]; }', '(int32)', { lut });
    expect(k.bounds).toEqual([]);
    const g = scalar('(x) => { let s = 0; for (const v of lut) s += v; return s * x; }', 'i4(i4)', { lut });
    expect(g.bounds).toEqual([]);
    expect(g.jsKernel(2)).toBe(200);
  });

  test('other indices are checked: E_KERNEL_BOUNDS-ready sites with line:column, the JS reference throws the site', () => {
    const k = scalar('(i) => {\n  return lut[i] + lut[4];\n}', '(int32)', { lut });
    expect(k.bounds.map((b) => [b.array, b.axis, b.write, b.line, b.column])).toEqual([['lut', 0, false, 2, 10], ['lut', 0, false, 2, 19]]);
    expect(k.asSource).toContain('__bc(i, 4, 0)');
    let trap: unknown;
    try { scalar('(i) => lut[i]', '(int32)', { lut }).jsKernel(4); } catch (e) { trap = e; }
    expect(trap).toBeInstanceOf(BoundsTrap);
    expect([(trap as BoundsTrap).index, (trap as BoundsTrap).size]).toEqual([4n, 4]);
  });

  test('boundscheck: false removes the checks', () => {
    const k = scalar('(i) => lut[i]', '(int32)', { lut }, { boundscheck: false });
    expect(k.bounds).toEqual([]);
    expect(k.asSource).not.toContain('__bc(');
    expect(k.jsKernel(2)).toBe(30);
  });
});

describe('the compiled output', () => {
  test('the contents are in the AS source (a data segment) and the JS source', () => {
    const k = scalar('(i) => t[i]', '(int32)', { t: new Int16Array([1, -2]) });
    expect(k.asSource).toContain('const __t0_t: usize = memory.data<u8>([0x01,0x00,0xfe,0xff], 16); // t: int16[2]');
    expect(k.asSource).toContain('load<i16>(__t0_t + (<usize>(__bc(i, 2, 0)) << 1))');
    expect(k.jsSource).toContain('const __t0_t = new Int16Array([1, -2]); // t');
    const f = scalar('(i) => t[i]', '(int32)', { t: new Float64Array([-0, NaN, Infinity, 0.1]) });
    expect(f.jsSource).toContain('new Float64Array([-0, NaN, Infinity, 0.1])');
    expect(Object.is(f.jsKernel(0), -0)).toBe(true);
  });

  test('the key differs with different table contents, and is the same for equal contents', () => {
    const key = (t: Float64Array) => scalar('(i) => t[i]', '(int32)', { t }).key;
    expect(key(new Float64Array([1, 2]))).not.toBe(key(new Float64Array([1, 3])));
    expect(key(new Float64Array([1, 2]))).toBe(key(new Float64Array([1, 2])));
    const s = (w: Float64Array) => compileStencil('(a) => a(0) * w[0]', 'float64(float64)', { constants: { w } }).key;
    expect(s(new Float64Array([1]))).not.toBe(s(new Float64Array([2])));
  });

  test('frozen: mutating the array after compiling changes nothing', () => {
    const t = new Float64Array([1, 2, 3]);
    const k = scalar('(i) => t[i]', '(int32)', { t });
    const before = k.asSource;
    t[1] = 99;
    expect(k.jsKernel(1)).toBe(2);
    expect(k.ir.tables![0]!.values[1]).toBe(2);
    expect(scalar('(i) => t[i]', '(int32)', { t }).asSource).not.toBe(before);
  });
});

describe('the direct emitter (issue 15): tables at an address baked into the loads', () => {
  // Each table's dtype, negative and 64-bit values, a helper reading a table, a gufunc, and
  // a bool result from a table compare; the reference is the source as plain JavaScript.
  const coef = new Float64Array([1, -0.5, 0.25, 0.125]);
  const i8 = new Int8Array([-128, -1, 0, 127, 5]);
  const big = new BigInt64Array([-(2n ** 63n), 2n ** 62n + 3n, -5n]);
  const f4 = new Float32Array([0.1, -2.5, 3e30]);
  const w = new Int32Array([3, 1, 4, 1, 5]);
  const same = (v: any) => v;
  // NumPy's int8 arithmetic: int8 elements times a literal stay int8 and wrap.
  const wrap8 = (v: number) => (v << 24) >> 24;
  const cases: { src: string; sig: string; tables: KernelConstants; xs: number[]; want: (v: any) => unknown }[] = [
    { src: '(x) => { let s = 0; for (let i = coef.length - 1; i >= 0; i--) s = s * x + coef[i]; return s; }', sig: 'f8(f8)', tables: { coef }, xs: [0, 1, -2, 0.3, 10], want: same },
    { src: '(i) => i8[i] * 3 + i8[4]', sig: 'i4(i4)', tables: { i8 }, xs: [0, 1, 2, 3, 4], want: wrap8 },
    // int64: wraps modulo 2^64 as NumPy's int64.
    { src: '(i) => big[i] + big[2]', sig: 'i8(i4)', tables: { big }, xs: [0, 1, 2], want: (v: bigint) => BigInt.asIntN(64, v) },
    { src: '(i) => f4[i] * 2', sig: 'f4(i4)', tables: { f4 }, xs: [0, 1, 2], want: Math.fround },
    { src: '(i) => coef[i] > 0', sig: 'b1(i4)', tables: { coef }, xs: [0, 1, 2, 3], want: same },
  ];
  const kernels = cases.map((c, j) => scalar(c.src, c.sig, c.tables, { prefix: `t${j}_` }));
  const helper = compileKernel('(x) => { let s = 0; for (const v of w) s += v * x; return s + pick(2) + pick(x & 3); }', 'i4(i4)', {
    kind: 'scalar', constants: { w }, helpers: { pick: '(i) => w[i] * 100' }, prefix: 'h_',
  });
  const gsrc = '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * coef[i % coef.length]; out[0] = s; }';
  const gufunc = compileKernel(gsrc, 'void(f8[:], f8[:])', { kind: 'gufunc', core: vec, constants: { coef }, prefix: 'g_' });

  test('every kernel here takes the direct emitter; results equal plain JavaScript', async () => {
    const all = [...kernels, helper, gufunc];
    expect(all.map((k) => directEligible(k.ir))).toEqual(all.map(() => true));
    const rig = await WasmRig.direct(all);
    cases.forEach((c, j) => {
      const ref = plain(c.src, c.tables);
      expect(runWasm(rig, kernels[j]!, [c.xs.length], [c.xs])).toEqual(c.xs.map((x) => c.want(ref(x))));
    });
    const pickRef = plain('(x) => { let s = 0; for (const v of w) s += v * x; return s + pick(2) + pick(x & 3); }', { w, pick: (i: number) => w[i]! * 100 });
    const xs = [0, 1, -3, 7];
    expect(runWasm(rig, helper, [xs.length], [xs])).toEqual(xs.map((x) => pickRef(x) | 0));
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const ref = new Float64Array(2);
    plain(gsrc, { coef })(new Float64Array(a.slice(0, 5)), ref.subarray(0, 1));
    plain(gsrc, { coef })(new Float64Array(a.slice(5)), ref.subarray(1, 2));
    const got = runGufuncWasm(rig, gufunc, [2], [{ core: [5], values: a }, { core: [] }], [5])[0]!;
    expect(got).toEqual([...ref]);
  });

  test('an index out of range traps with the bounds globals set, as asc\'s module does', async () => {
    const lut = new Int32Array([10, 20, 30, 40]);
    const k = scalar('(i) => lut[i]', '(int32)', { lut }, { prefix: 'b_' });
    const rig = await WasmRig.direct([k]);
    expect(runWasm(rig, k, [4], [[3, 0, 2, 1]])).toEqual([40, 10, 30, 20]);
    expect(() => runWasm(rig, k, [2], [[1, 4]])).toThrow(WebAssembly.RuntimeError);
    const g = (name: string) => (rig.exports[name] as unknown as WebAssembly.Global).value as unknown;
    expect([g('__nb_bsite'), g('__nb_bindex'), g('__nb_bsize')]).toEqual([1, 4n, 4]);
  });
});
