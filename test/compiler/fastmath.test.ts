/**
 * `fastmath: true` (ir/passes/fastmath.ts): float accumulation loops become K independent
 * partial sums. The IR dump shows the rewrite; Wasm equals the JS reference of the rewritten
 * IR bit for bit; results stay within a float tolerance of the strict kernel; loops that must
 * not be rewritten are left alone; guvectorize rowdot is right for every remainder length.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { compileKernel, type CompiledKernel, type CoreLayoutInput } from '../../src/compiler/compile.js';
import { emitWgslFunctions } from '../../src/compiler/emit/wgsl/emit-function.js';
import { validateTarget } from '../../src/compiler/ir/passes/validate-target.js';
import { mismatch, runGufuncJs, runGufuncWasm, runJs, runWasm, WasmRig, type GuOperand, type Value } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type A = any;

const vec: CoreLayoutInput = { nin: 2, dims: ['n'], operands: [[0], [0], []] };
const GU = 'void(f8[:], f8[:], f8[:])';

function dot(a: A, b: A, out: A) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  out[0] = s;
}

/** A float32 accumulator (initialised from a float32 scalar). */
function dot32(a: A, s0: A, out: A) {
  let s = s0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  out[0] = s;
}

/** Several accumulators, `-=`, `*=`, a body local, a conditional accumulation, a store. */
function stats(a: A, out: A) {
  let sum = 0;
  let neg = 0;
  let prod = 1;
  let pos = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] * 0.5 + 1;
    sum += v;
    neg -= v * v;
    prod *= 1 + v * 1e-3;
    if (v > 1.2) pos = v + pos;
    out[i + 4] = v;
  }
  out[0] = sum;
  out[1] = neg;
  out[2] = prod;
  out[3] = pos;
}

/** Row sums: the inner loop is rewritten inside the outer one. */
function rowSums(a: A, out: A) {
  for (let i = 0; i < a.length; i++) {
    let s = 0;
    for (let j = 0; j < a[i].length; j++) s += a[i][j];
    out[i] = s;
  }
}

/** A scalar kernel with a loop over an int32 parameter (the wrap-guarded bound). */
const series = (start: number, n: number) => {
  let s = 0;
  for (let i = start; i < n; i++) s += i * 0.5 + 0.25;
  return s;
};

interface Case {
  readonly name: string;
  readonly fn: A;
  readonly sig: string;
  readonly core?: CoreLayoutInput;
}

const CASES: Case[] = [
  { name: 'dot f8', fn: dot, sig: GU, core: vec },
  { name: 'dot f4 (float64 sum)', fn: dot, sig: 'void(f4[:], f4[:], f4[:])', core: vec },
  { name: 'dot32 (float32 sum)', fn: dot32, sig: 'void(f4[:], f4, f4[:])', core: { nin: 2, dims: ['n', 'm'], operands: [[0], [], [1]] } },
  { name: 'stats', fn: stats, sig: 'void(f8[:], f8[:])', core: { nin: 1, dims: ['n', 'm'], operands: [[0], [1]] } },
  { name: 'row sums', fn: rowSums, sig: 'void(f8[:,:], f8[:])', core: { nin: 1, dims: ['m', 'n'], operands: [[0, 1], [0]] } },
];

const compile = (c: Case, i: number, fastmath: boolean): CompiledKernel =>
  compileKernel(c.fn, c.sig, { kind: c.core ? 'gufunc' : 'scalar', ...(c.core ? { core: c.core } : {}), fastmath, prefix: `${fastmath ? 'f' : 's'}${i}_`, name: c.name });

const fast = CASES.map((c, i) => compile(c, i, true));
const strict = CASES.map((c, i) => compile(c, i, false));
const seriesFast = compileKernel(series, 'f8(i4, i4)', { kind: 'scalar', fastmath: true, prefix: 'fs_' });
const seriesStrict = compileKernel(series, 'f8(i4, i4)', { kind: 'scalar', prefix: 'ss_' });

/** Positive, moderately sized values (relative error bounds hold for sums of them). */
function positive(t: string, n: number, seed: number): Value[] {
  return Array.from({ length: n }, (_, i) => {
    const x = 0.5 + ((i * 37 + seed * 11) % 101) / 97 + Math.sin(i + seed) * 0.25;
    return t === 'float32' ? Math.fround(x) : x;
  });
}

function relClose(a: readonly Value[], b: readonly Value[], rel: number): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Math.abs(x - y) > rel * Math.max(Math.abs(x), Math.abs(y))) return `element ${i}: ${x} vs ${y}`;
  }
  return null;
}

describe('fastmath: the IR rewrite', () => {
  test('a dot kernel gets four float64 partial sums, combined pairwise; not without fastmath', () => {
    const ir = fast[0]!.irText;
    expect(ir).toContain('program gufunc fastmath');
    for (let k = 0; k < 4; k++) expect(ir).toContain(`let s_fm${k}: float64 = 0:float64`);
    expect(ir).not.toContain('s_fm4');
    expect(ir).toContain('for (; (lt:int32 i_fm (sub:int32 (length a 0) 3:int32)); i_fm = (add:int32 i_fm 4:int32))');
    expect(ir).toContain('s_fm3 = (add:float64 s_fm3 (mul:float64 (load:float64 a (add:int32 i_fm 3:int32)) (load:float64 b (add:int32 i_fm 3:int32))))');
    expect(ir).toContain('s = (add:float64 s (add:float64 (add:float64 s_fm0 s_fm1) (add:float64 s_fm2 s_fm3)))');
    // The remainder: the original loop, from where the main loop stopped.
    expect(ir).toContain('for (let i: int32 = i_fm; (lt:int32 i (length a 0)); i = (add:int32 i 1:int32))');
    expect(strict[0]!.irText).not.toContain('_fm');
    // The JS reference and the AS source print the rewritten IR.
    expect(fast[0]!.jsSource).toContain('s_fm3');
    expect(fast[0]!.asSource).toContain('s_fm3');
    expect(fast[0]!.key).not.toBe(strict[0]!.key);
  });

  test('a float32 accumulator gets eight partials; -= partials are added, *= partials multiplied', () => {
    const ir32 = fast[2]!.irText;
    expect(ir32).toContain('let s_fm7: float32 = 0:float32');
    expect(ir32).toContain('(sub:int32 (length a 0) 7:int32)');
    const st = fast[3]!.irText;
    expect(st).toContain('neg_fm0 = (sub:float64 neg_fm0 (mul:float64 v v))');
    expect(st).toContain('neg = (add:float64 neg (add:float64 (add:float64 neg_fm0 neg_fm1) (add:float64 neg_fm2 neg_fm3)))');
    expect(st).toContain('let prod_fm0: float64 = 1:float64');
    expect(st).toContain('prod = (mul:float64 prod (mul:float64 (mul:float64 prod_fm0 prod_fm1) (mul:float64 prod_fm2 prod_fm3)))');
    expect(st).toContain('pos_fm2 = (add:float64 v_u2 pos_fm2)'); // `pos = v + pos` inside an if, body local renamed
  });

  test('a bound that may be near -2^31 is guarded; a nested loop is rewritten inside its outer loop', () => {
    expect(seriesFast.irText).toContain('(select:int32 (gt:int32 n -2147483645:int32) (sub:int32 n 3:int32) -2147483648:int32)');
    expect(fast[4]!.irText).toMatch(/for \(let i: int32[^\n]*\n {4}let s: float64 = 0:float64\n {4}let s_fm0/);
  });

  const untouched: [string, string, string][] = [
    ['s read inside the loop', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { s += a[i]; out[i] = s; } }', 'void(f8[:], f8[:])'],
    ['s read in an if', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { if (s < 10) s += a[i]; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['s also assigned elsewhere', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { s += a[i]; if (a[i] > 3) s = 0; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['s accumulated twice', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { s += a[i]; s *= 2; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['E reads s', '(a, out) => { let s = 1; for (let i = 0; i < a.length; i++) s = s + s * a[i]; out[0] = s; }', 'void(f8[:], f8[:])'],
    ['s = E - s', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s = a[i] - s; out[0] = s; }', 'void(f8[:], f8[:])'],
    ['division', '(a, out) => { let s = 1; for (let i = 0; i < a.length; i++) s /= a[i]; out[0] = s; }', 'void(f8[:], f8[:])'],
    ['non-unit step', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i += 2) s += a[i]; out[0] = s; }', 'void(f8[:], f8[:])'],
    ['counting down', '(a, out) => { let s = 0; for (let i = a.length - 1; i >= 0; i--) s += a[i]; out[0] = s; }', 'void(f8[:], f8[:])'],
    ['i <= bound', '(a, out) => { let s = 0; for (let i = 0; i <= 9; i++) s += a[i]; out[0] = s; }', 'void(f8[:], f8[:])'],
    ['break inside', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { if (a[i] < 0) break; s += a[i]; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['continue inside', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { if (a[i] < 0) continue; s += a[i]; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['return inside', '(a, out) => { let s = 0; out[0] = 0; for (let i = 0; i < a.length; i++) { if (a[i] < 0) return; s += a[i]; out[0] = s; } }', 'void(f8[:], f8[:])'],
    ['integer accumulator', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; out[0] = s; }', 'void(i4[:], i4[:])'],
    ['int64 accumulator', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * a[i]; out[0] = s; }', 'void(i8[:], i8[:])'],
    ['while loop', '(a, out) => { let s = 0; let i = 0; while (i < a.length) { s += a[i]; i++; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['counter assigned in the body', '(a, out) => { let s = 0; for (let i = 0; i < a.length; i++) { s += a[i]; if (a[i] > 5) i++; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['bound changes in the body', '(a, out) => { let s = 0; let n = a.length; for (let i = 0; i < n; i++) { s += a[i]; if (a[i] > 5) n = n - 1; } out[0] = s; }', 'void(f8[:], f8[:])'],
    ['bound reads memory', '(a, out) => { let s = 0; for (let i = 0; i < out[0]; i++) s += a[i]; out[1] = s; }', 'void(f8[:], f8[:])'],
    ['outer loop of a nest (only the inner is rewritten)', '(a, out) => { let s = 0; for (let i = 0; i < 2; i++) { for (let j = 0; j < a.length; j++) { out[j] = s; } s += a[i]; } out[0] = s; }', 'void(f8[:], f8[:])'],
  ];

  test.each(untouched)('left alone: %s', (_, src, sig) => {
    const core: CoreLayoutInput = { nin: 1, dims: ['n', 'm'], operands: [[0], [1]] };
    const f = compileKernel(src, sig, { kind: 'gufunc', core, fastmath: true });
    const s = compileKernel(src, sig, { kind: 'gufunc', core });
    expect(f.irText).toBe(s.irText.replace('program gufunc', 'program gufunc fastmath'));
    expect(f.irText).not.toContain('_fm');
  });

  test('helpers are rewritten too', () => {
    const sum3 = (a: number, b: number) => { let s = 0; for (let i = 0; i < 9; i++) s += a * i + b; return s; };
    const k = compileKernel((x: number) => sum3(x, 1), 'f8(f8)', { kind: 'scalar', fastmath: true, helpers: { sum3 } });
    expect(k.irText).toContain('for (; (lt:int32 i_fm 6:int32);');
    expect(k.jsKernel(2)).toBe(compileKernel((x: number) => sum3(x, 1), 'f8(f8)', { kind: 'scalar', helpers: { sum3 } }).jsKernel(2));
  });

  test('the gpu target: float32 partials, and the WGSL emitter prints the rewrite', () => {
    const k = compileKernel(dot, 'void(f4[:], f4[:], f4[:])', { kind: 'gufunc', core: vec, fastmath: true, target: 'gpu' });
    expect(k.irText).toContain('let s_fm7: float32 = 0:float32');
    validateTarget(k.ir, 'gpu');
    const { source } = emitWgslFunctions(k.ir);
    expect(source).toContain('v_s_fm7');
  });
});

describe('fastmath: results', () => {
  let rig: WasmRig;
  // The direct emitter's module (issue 15: gufunc-row.ts unrolls the strict loops as compile.ts does for asc).
  let direct: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of([...fast, ...strict, seriesFast, seriesStrict]);
    direct = await WasmRig.direct([...fast, ...strict, seriesFast, seriesStrict]);
  }, 120_000);

  const sizesFor = (c: Case, n: number): number[] => {
    if (c.name === 'stats') return [n, n + 4];
    if (c.name === 'dot32 (float32 sum)') return [n, 1];
    if (c.name === 'row sums') return [3, n];
    return [n];
  };

  function operands(k: CompiledKernel, c: Case, sizes: number[], loop: number[]): GuOperand[] {
    const nLoop = loop.reduce((a, b) => a * b, 1);
    return c.core!.operands.map((dims, i) => {
      const declared = k.ir.main.params[i]!.array?.ndim ?? 0;
      const core = dims.length === 0 && declared === 1 ? [1] : dims.map((d) => sizes[d]!);
      const n = nLoop * core.reduce((a, b) => a * b, 1);
      return { core, ...(i < c.core!.nin ? { values: positive(k.operands[i]!, n, i + 1) } : {}) };
    });
  }

  for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100]) {
    test.each(CASES.map((c, i) => [c.name, i] as const))(`n = ${n}: %s — Wasm == JS reference bit for bit, close to strict`, (_, i) => {
      const c = CASES[i]!;
      const sizes = sizesFor(c, n);
      const loop = [2];
      const ops = operands(fast[i]!, c, sizes, loop);
      const js = runGufuncJs(fast[i]!, loop, ops, sizes);
      const wasm = runGufuncWasm(rig, fast[i]!, loop, ops, sizes);
      const ref = runGufuncJs(strict[i]!, loop, ops, sizes);
      const refWasm = runGufuncWasm(rig, strict[i]!, loop, ops, sizes);
      js.forEach((out, j) => {
        const t = fast[i]!.operands[fast[i]!.nin + j]!;
        expect(mismatch(t, out, wasm[j]!)).toBeNull();
        expect(mismatch(t, ref[j]!, refWasm[j]!)).toBeNull();
        expect(mismatch(t, out, runGufuncWasm(direct, fast[i]!, loop, ops, sizes)[j]!)).toBeNull();
        expect(mismatch(t, ref[j]!, runGufuncWasm(direct, strict[i]!, loop, ops, sizes)[j]!)).toBeNull();
        expect(relClose(out, ref[j]!, t === 'float32' ? 1e-5 : 1e-12)).toBeNull();
      });
    });
  }

  test('the counting loop near the int32 limits (guarded bound) and empty ranges', () => {
    const MIN = -(2 ** 31);
    const MAX = 2 ** 31 - 1;
    const starts = [MIN, MIN, MIN, MIN + 1, 5, 0, 0, MAX - 6, MAX - 1, -3];
    const ends = [MIN, MIN + 2, MIN + 5, MIN + 4, 3, 0, 1, MAX, MAX, 10];
    const shape = [starts.length];
    const js = runJs(seriesFast, shape, [starts, ends]);
    expect(mismatch('float64', js, runWasm(rig, seriesFast, shape, [starts, ends]))).toBeNull();
    const ref = runJs(seriesStrict, shape, [starts, ends]);
    expect(relClose(js, ref, 1e-12)).toBeNull();
    expect(js[0]).toBe(0);
    expect(js[4]).toBe(0);
    expect(js[6]).toBe(0.25);
  });
});

describe('fastmath: guvectorize rowdot', () => {
  const rowdot = nb.guvectorize(GU, '(n),(n)->()', { fastmath: true })(dot);
  const strictDot = nb.guvectorize(GU, '(n),(n)->()')(dot);

  test.each([0, 1, 3, 4, 5, 31, 32, 33])('n = %i: exact on integer-valued rows, close to strict on fractions', (n) => {
    const rows = 5;
    const a = nb.arange(rows * n).reshape([rows, n]).astype('float64');
    const b = nb.arange(rows * n).reshape([rows, n]).astype('float64').slice('::-1');
    const want = Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (r * n + i) * ((rows - 1 - r) * n + i);
      return s;
    });
    expect(rowdot(a, b).toArray()).toEqual(want);
    const x = nb.array(positive('float64', rows * n, 3) as number[]).reshape([rows, n]);
    const y = nb.array(positive('float64', rows * n, 4) as number[]).reshape([rows, n]);
    const got = rowdot(x, y).toArray() as number[];
    const ref = strictDot(x, y).toArray() as number[];
    expect(relClose(got, ref, 1e-12)).toBeNull();
    // Strided (non-contiguous) rows.
    const xt = nb.array(positive('float64', rows * n, 5) as number[]).reshape([n, rows]).T;
    expect(relClose(rowdot(xt, y).toArray() as number[], strictDot(xt, y).toArray() as number[], 1e-12)).toBeNull();
  });
});
