/**
 * Issue 13 item 6: `do`/`while`, `switch` (fallthrough, default anywhere, `break` leaving
 * the switch only, `continue` continuing the enclosing loop) and `for (const v of a)` over a
 * core-dimension array. Each kernel runs through the JS reference and the Wasm module, which
 * must agree bit for bit, and (float64 operands: plain JavaScript's meaning) equal the
 * source run as JavaScript. Sources are strings, as the other kernel-language tests of issue
 * 13 (test/compiler/literal-types.test.ts). The gpu target: test/gpu/constructs.test.ts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import { kernelErrorOf } from '../helpers/errors.js';
import { mismatch, runGufuncJs, runGufuncWasm, runJs, runWasm, values, WasmRig, type GuOperand, type Value } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const plain = (src: string): (...a: any[]) => any => (0, eval)(`(${src})`);

const SCALAR: [string, string][] = [
  ['do/while runs its body once before the test', '(x) => { let n = 0; do { n += 1; } while (n < x && n < 30); return n; }'],
  ['do/while: continue goes to the condition, break leaves', '(x) => { let i = 0; let s = 0; do { i += 1; if (i === 3) continue; if (i > 40) break; s += i * x; } while (i < 8); return s + i; }'],
  ['nested do/while', '(x) => { let s = 0; let i = 0; do { let j = 0; do { s += i * j + x; j += 1; } while (j < i); i += 1; } while (i < 4); return s; }'],
  ['a do/while whose body returns', '(x) => { do { if (x > 1) return x * 2; return x - 1; } while (x > 0); }'],
  ['switch: grouped cases, default in the middle, returns', '(x) => { switch (Math.trunc(x) % 4) { case 0: return 10; default: return x; case 1: case -1: return 20; case 2: return 30; } }'],
  ['switch: fallthrough into default and past it', '(x) => { let r = 0; switch (Math.trunc(x) & 3) { case 0: r += 1; default: r += 2; case 1: r += 4; break; case 2: r += 8; } return r + x; }'],
  ['switch without a matching case or default', '(x) => { let r = x; switch (x) { case 1: r = 5; break; case 2: r = 6; } return r; }'],
  ['switch: break inside an if leaves the switch only', '(x) => { let r = 0; for (let i = 0; i < 5; i++) { switch (i) { case 1: if (x > 0) break; r += 100; case 2: r += 10; break; default: r += 1; } r += 1000; } return r + x; }'],
  ['switch in a loop: continue continues the loop', '(x) => { let s = 0; for (let i = 0; i < 6; i++) { switch (i % 3) { case 0: if (x > i) continue; s += 100; case 1: s += 1; break; default: s += 10; continue; } s += 1000; } return s; }'],
  ['nested switches: continue from the inner one', '(x) => { let s = 0; let i = 0; while (i < 9) { i++; switch (i % 3) { case 0: switch (i % 2) { case 0: if (x < i) continue; s += 1; default: s += 2; } break; default: s += 4; } s += 8; } return s; }'],
  ['switch with computed case labels and a case-scoped const', '(x) => { const k = Math.floor(x); switch (k * 2) { case k + k: { const y = k * 3; return y; } case 4: return -1; } return 0; }'],
  ['switch on a float, -0 === 0, NaN matching nothing', '(x) => { switch (x) { case 0: return 1; case 0.5: return 2; case Infinity: return 3; default: return 4; } }'],
  ['switch inside do/while', '(x) => { let i = 0; let r = 0; do { switch (i) { case 0: r += x; break; case 1: r *= 2; case 2: r -= 1; break; } i++; } while (i < 4); return r; }'],
  ['an empty switch and a default-only switch', '(x) => { switch (x) {} switch (x) { default: x += 1; break; } return x; }'],
];

const F64 = [0, -0, 1, -1, 2, 3, 4, 5, 0.5, 2.5, -3.75, 7, 8, 100, NaN, Infinity, -Infinity];

/** gufunc kernels: `a` is (n), `m` is (k, n), `out` is (n). */
const core = { nin: 2, dims: ['n', 'k'], operands: [[0], [1, 0], [0]] };
const GU: [string, string][] = [
  ['for...of sums an input', '(a, m, out) => { let s = 0; for (const v of a) s += v; out[0] = s; }'],
  ['for...of over a row of a 2-D array, the row chosen once', '(a, m, out) => { let i = 1; for (const v of m[i]) { out[i] += v; i = 0; } for (let r = 0; r < m.length; r++) for (const v of m[r]) out[2] += v * r; }'],
  ['for...of with let (a copy), break and continue', '(a, m, out) => { let k = 0; for (let v of a) { if (v < 0) continue; if (v > 50) break; v *= 2; out[k] = v; k++; } }'],
  ['nested for...of', '(a, m, out) => { for (const x of a) for (const y of a) out[0] += x * y; }'],
  ['for...of over the output array it writes', '(a, m, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i]; let j = 0; for (const v of out) { out[j] = v + j; j++; } }'],
  ['switch in for...of', '(a, m, out) => { let i = 0; for (const v of a) { switch (i % 3) { case 0: out[i] = v; break; case 1: out[i] = -v; default: out[i] += 1; } i++; } }'],
];

describe('control flow: JS reference == Wasm == plain JavaScript', () => {
  const kernels = SCALAR.map(([name, src], i) => compileKernel(src, 'f8(f8)', { kind: 'scalar', prefix: `s${i}_`, name }));
  const ints = SCALAR.map(([name, src], i) => compileKernel(src, 'i4(i4)', { kind: 'scalar', prefix: `i${i}_`, name }));
  const gufuncs = GU.map(([name, src], i) => compileKernel(src, 'void(f8[:], f8[:,:], f8[:])', { kind: 'gufunc', core, prefix: `g${i}_`, name }));
  let rig: WasmRig;
  let direct: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of([...kernels, ...ints, ...gufuncs]);
    // The direct emitter (issue 15) takes every kernel here (the gufuncs: gufunc-row.ts).
    direct = await WasmRig.direct([...kernels, ...ints, ...gufuncs]);
  }, 120_000);

  test.each(SCALAR.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const src = SCALAR[i]![1];
    const k = kernels[i]!;
    const js = runJs(k, [F64.length], [F64]);
    expect(mismatch('float64', js, runWasm(rig, k, [F64.length], [F64]))).toBeNull();
    expect(mismatch('float64', js, runWasm(direct, k, [F64.length], [F64]))).toBeNull();
    expect(mismatch('float64', js, F64.map((x) => plain(src)(x) as Value))).toBeNull();
    // The int32 kernel: JS reference == Wasm (integer wrapping, no plain-JS meaning).
    const xs = values('int32', 37).map((v) => Number(v) % 50);
    const ki = ints[i]!;
    const jsi = runJs(ki, [xs.length], [xs]);
    expect(mismatch('int32', jsi, runWasm(rig, ki, [xs.length], [xs]))).toBeNull();
    expect(mismatch('int32', jsi, runWasm(direct, ki, [xs.length], [xs]))).toBeNull();
  });

  test.each(GU.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const k = gufuncs[i]!;
    const a = [3, -1.5, 7, 0.25, 60, -8, 2];
    const m = [1, 2, 3, 4, 5, 6, 7, 10, 20, 30, 40, 50, 60, 70];
    const ops: GuOperand[] = [{ core: [7], values: a }, { core: [2, 7], values: m }, { core: [7] }];
    const js = runGufuncJs(k, [], ops, [7, 2]);
    expect(js).toEqual(runGufuncWasm(rig, k, [], ops, [7, 2]));
    expect(js).toEqual(runGufuncWasm(direct, k, [], ops, [7, 2]));
    // Plain JavaScript over typed arrays: m[r] is a row view.
    const rows = [Float64Array.from(m.slice(0, 7)), Float64Array.from(m.slice(7))];
    const o = new Float64Array(7);
    plain(GU[i]![1])(Float64Array.from(a), rows, o);
    expect(js[0]).toEqual(Array.from(o));
  });

  test('the switch forms: an if/else chain when no case falls through, else a one-pass do/while', () => {
    expect(kernels[4]!.irText).not.toContain('do');
    expect(kernels[5]!.irText).toContain('do');
    expect(kernels[8]!.irText).toContain('_continue = true:bool');
    // Pure fallthrough without a break needs no loop.
    const k = compileKernel('(x) => { let r = 0; switch (x) { case 1: r += 1; case 2: r += 2; } return r; }', 'i4(i4)', { kind: 'scalar' });
    expect(k.irText).not.toContain('do');
  });

  test('for...of counts with an int32 counter', () => {
    expect(gufuncs[0]!.irText).toContain('for (let _i: int32 = 0:int32; (lt:int32 _i (length a 0))');
  });
});

describe('control-flow diagnostics', () => {
  const gu = { kind: 'gufunc', core: { nin: 1, dims: ['n'], operands: [[0], [0]] } } as const;
  test.each([
    ['NB3001', 'a switch without default whose cases return', '(x) => { switch (x) { case 1: return 1; case 2: return 2; } }', 'f8(f8)', {}],
    ['NB3001', 'a do/while whose body may continue before it returns', '(x) => { do { if (x > 0) continue; return 1; } while (x > 5); }', 'f8(f8)', {}],
    ['NB2011', 'a case using a const declared in another case', '(x) => { switch (x) { case 1: const y = 2; return y; default: return y; } }', 'f8(f8)', {}],
    ['NB1030', 'for...of without a declaration', '(a, out) => { let v = 0; for (v of a) out[0] = v; }', 'void(f8[:], f8[:])', gu],
    ['NB1030', 'for...of over a computed value', '(a, out) => { for (const v of Math.abs(1)) out[0] = v; }', 'void(f8[:], f8[:])', gu],
    ['NB2015', 'for...of over a scalar parameter', '(x) => { let s = 0; for (const v of x) s += v; return s; }', 'f8(f8)', {}],
    ['NB1019', 'for...of with destructuring', '(a, out) => { for (const [i, v] of a) out[0] = v; }', 'void(f8[:], f8[:])', gu],
    ['NB2007', 'for...of over a 2-D array (rows are not values)', '(m, out) => { for (const row of m) out[0] = 1; }', 'void(f8[:,:], f8[:])', { kind: 'gufunc', core: { nin: 1, dims: ['n', 'k'], operands: [[0, 1], [0]] } }],
  ] as const)('%s: %s', (code, _, src, sig, options) => {
    expect(kernelErrorOf(() => compileKernel(src, sig, { kind: 'scalar', ...options } as never)).code).toBe(code);
  });
});
