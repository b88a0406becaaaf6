/**
 * gufunc kernels (guvectorize): core arrays with `a[i]`, `a[i][j]`, `a.length`,
 * `a[i].length`, scalar core operands, outputs written in place — the JS reference against
 * hand values and against Wasm (`loop(plan, core)`, asm/gufunc/walk.ts's core block), with
 * contiguous and transposed core layouts; and the three lints.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileKernel, type CompiledKernel, type CoreLayoutInput } from '../../src/compiler/compile.js';
import { KernelError } from '../../src/util/errors.js';
import { mismatch, runGufuncJs, runGufuncWasm, WasmRig, type GuOperand, type Value } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type A = any;

const layout = (nin: number, dims: string[], operands: number[][]): CoreLayoutInput => ({ nin, dims, operands });

function dot(a: A, b: A, out: A) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  out[0] = s;
}

const rowSums = (a: A, out: A) => {
  for (let i = 0; i < a.length; i++) {
    let s = 0;
    for (let j = 0; j < a[i].length; j++) s += a[i][j];
    out[i] = s;
  }
};

const matmul = (a: A, b: A, c: A) => {
  const m = a.length;
  const n = b.length;
  const p = b[0].length;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  }
};

const scale = (a: A, s: A, out: A) => {
  for (let i = 0; i < a.length; i++) out[i] = a[i] * s;
};

const cumsum = (a: A, out: A) => {
  let acc = a[0] - a[0];
  let i = 0;
  while (i < a.length) {
    acc += a[i];
    out[i] = acc;
    i++;
  }
};

const any = (a: A, out: A) => {
  out[0] = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]) {
      out[0] = true;
      break;
    }
  }
};

const shape2 = (a: A, out: A) => {
  out[0] = a.length * 100 + a[0].length;
};

interface Case {
  readonly name: string;
  readonly fn: A;
  readonly sig: string;
  readonly core: CoreLayoutInput;
}

const CASES: Case[] = [
  { name: 'dot f8', fn: dot, sig: 'void(f8[:], f8[:], f8[:])', core: layout(2, ['n'], [[0], [0], []]) },
  { name: 'dot f4', fn: dot, sig: 'void(f4[:], f4[:], f4[:])', core: layout(2, ['n'], [[0], [0], []]) },
  { name: 'dot i4', fn: dot, sig: 'void(i4[:], i4[:], i4[:])', core: layout(2, ['n'], [[0], [0], []]) },
  { name: 'dot i8', fn: dot, sig: 'void(i8[:], i8[:], i8[:])', core: layout(2, ['n'], [[0], [0], []]) },
  { name: 'dot u1 (into int64 sum, wrapped on store)', fn: dot, sig: 'void(u1[:], u1[:], u1[:])', core: layout(2, ['n'], [[0], [0], []]) },
  { name: 'row sums f8', fn: rowSums, sig: 'void(f8[:,:], f8[:])', core: layout(1, ['m', 'n'], [[0, 1], [0]]) },
  { name: 'row sums i2 into i8', fn: rowSums, sig: 'void(i2[:,:], i8[:])', core: layout(1, ['m', 'n'], [[0, 1], [0]]) },
  { name: 'matmul f8', fn: matmul, sig: 'void(f8[:,:], f8[:,:], f8[:,:])', core: layout(2, ['m', 'n', 'p'], [[0, 1], [1, 2], [0, 2]]) },
  { name: 'matmul f4', fn: matmul, sig: 'void(f4[:,:], f4[:,:], f4[:,:])', core: layout(2, ['m', 'n', 'p'], [[0, 1], [1, 2], [0, 2]]) },
  { name: 'matmul i4', fn: matmul, sig: 'void(i4[:,:], i4[:,:], i4[:,:])', core: layout(2, ['m', 'n', 'p'], [[0, 1], [1, 2], [0, 2]]) },
  { name: 'scale by a scalar input', fn: scale, sig: 'void(f8[:], f8, f8[:])', core: layout(2, ['n'], [[0], [], [0]]) },
  { name: 'cumsum with while (u4)', fn: cumsum, sig: 'void(u4[:], u4[:])', core: layout(1, ['n'], [[0], [0]]) },
  { name: 'cumsum with while (i8)', fn: cumsum, sig: 'void(i8[:], i8[:])', core: layout(1, ['n'], [[0], [0]]) },
  { name: 'any over bools', fn: any, sig: 'void(b1[:], b1[:])', core: layout(1, ['n'], [[0], []]) },
  { name: 'a.length and a[0].length', fn: shape2, sig: 'void(f8[:,:], i4[:])', core: layout(1, ['m', 'n'], [[0, 1], []]) },
];

const kernels: CompiledKernel[] = CASES.map((c, i) => compileKernel(c.fn, c.sig, { kind: 'gufunc', core: c.core, prefix: `g${i}_`, name: c.name }));

/** Deterministic small values of a kernel operand's dtype. */
function vals(t: string, n: number, seed: number): Value[] {
  return Array.from({ length: n }, (_, i) => {
    const x = ((i * 7 + seed * 13) % 11) - 4;
    if (t === 'bool') return (i + seed) % 5 === 3;
    if (t === 'int64' || t === 'uint64') return BigInt(Math.abs(x) + i);
    if (t.startsWith('uint')) return Math.abs(x) * 20 + i;
    if (t === 'float32') return Math.fround(x * 0.75 + i * 0.1);
    if (t === 'float64') return x * 0.75 + i * 0.1;
    return x * 3 + i;
  });
}

/** Operands for a case: loop shape [3, 2], core sizes from `sizes`. */
function operandsFor(k: CompiledKernel, c: Case, sizes: number[], loop: number[], transposed: boolean): GuOperand[] {
  const nLoop = loop.reduce((a, b) => a * b, 1);
  return c.core.operands.map((dims, i) => {
    const core = dims.map((d) => sizes[d]!);
    const declared = k.ir.main.params[i]!.array?.ndim ?? 0;
    // A "()" core declared as a 1-d array is a one-element view.
    const coreShape = dims.length === 0 && declared === 1 ? [1] : core;
    const n = nLoop * coreShape.reduce((a, b) => a * b, 1);
    return {
      core: coreShape,
      ...(i < c.core.nin ? { values: vals(k.operands[i]!, n, i + 1) } : {}),
      transposed,
    };
  });
}

// asc's module, and the direct emitter's (compiler/emit/wasm: every case here is eligible).
describe.each(['asc', 'direct'] as const)('gufunc kernels: JS reference vs Wasm (%s)', (emitter) => {
  let rig: WasmRig;
  beforeAll(async () => {
    rig = emitter === 'asc' ? await WasmRig.of(kernels) : await WasmRig.direct(kernels);
  }, 120_000);

  for (const transposed of [false, true]) {
    test.each(CASES.map((c, i) => [c.name, i] as const))(`%s (${transposed ? 'transposed' : 'contiguous'} core)`, (_, i) => {
      const c = CASES[i]!;
      const k = kernels[i]!;
      const sizes = c.core.dims.map((_, d) => [4, 3, 5][d]!);
      const loop = [3, 2];
      const ops = operandsFor(k, c, sizes, loop, transposed);
      const js = runGufuncJs(k, loop, ops, sizes);
      const wasm = runGufuncWasm(rig, k, loop, ops, sizes);
      js.forEach((out, j) => expect(mismatch(k.operands[k.nin + j]!, out, wasm[j]!)).toBeNull());
    });
  }

  test('a 0-d loop (one core call) and an empty loop', () => {
    const k = kernels[0]!;
    const c = CASES[0]!;
    const one = operandsFor(k, c, [5], [], false);
    expect(mismatch('float64', runGufuncJs(k, [], one, [5])[0]!, runGufuncWasm(rig, k, [], one, [5])[0]!)).toBeNull();
    const none = operandsFor(k, c, [5], [0], false);
    expect(runGufuncWasm(rig, k, [0], none, [5])[0]).toEqual([]);
  });
});

describe('gufunc kernels: hand-computed values', () => {
  test('dot, row sums, matmul, scale, cumsum, any, lengths', () => {
    const run = (i: number, loop: number[], ops: GuOperand[], sizes: number[]) => runGufuncJs(kernels[i]!, loop, ops, sizes);
    expect(run(0, [], [{ core: [3], values: [1, 2, 3] }, { core: [3], values: [4, 5, 6] }, { core: [1] }], [3])).toEqual([[32]]);
    expect(run(3, [], [{ core: [2], values: [2n ** 40n, 3n] }, { core: [2], values: [2n ** 20n, 5n] }, { core: [1] }], [2])).toEqual([[2n ** 60n + 15n]]);
    expect(run(4, [], [{ core: [2], values: [200, 2] }, { core: [2], values: [2, 3] }, { core: [1] }], [2])).toEqual([[(400 + 6) % 256]]);
    expect(run(5, [], [{ core: [2, 3], values: [1, 2, 3, 4, 5, 6] }, { core: [2] }], [2, 3])).toEqual([[6, 15]]);
    expect(run(7, [], [{ core: [2, 2], values: [1, 2, 3, 4] }, { core: [2, 2], values: [5, 6, 7, 8] }, { core: [2, 2] }], [2, 2, 2])).toEqual([[19, 22, 43, 50]]);
    expect(run(10, [2], [{ core: [2], values: [1, 2, 3, 4] }, { core: [], values: [10, 100] }, { core: [2] }], [2])).toEqual([[10, 20, 300, 400]]);
    expect(run(11, [], [{ core: [4], values: [4294967295, 1, 2, 3] }, { core: [4] }], [4])).toEqual([[4294967295, 0, 2, 5]]);
    expect(run(13, [2], [{ core: [3], values: [false, false, false, false, true, false] }, { core: [1] }], [3])).toEqual([[false, true]]);
    expect(run(14, [], [{ core: [3, 7], values: Array(21).fill(0) }, { core: [1] }], [3, 7])).toEqual([[307]]);
  });

  test('loop counters over .length are int32 and accumulators widen (IR)', () => {
    expect(kernels[0]!.irText).toContain('for (let i: int32 = 0:int32; (lt:int32 i (length a 0));');
    expect(kernels[0]!.irText).toContain('let s: float64 = 0:float64');
    expect(kernels[4]!.irText).toContain('let s: int64 = 0:int64');
  });
});

describe('gufunc lints', () => {
  const core = layout(1, ['n'], [[0], [0]]);
  const codes = (ws: readonly { code: string }[]) => ws.map((w) => w.code);

  test('NB4001: an output that is never written is a warning', () => {
    const k = compileKernel('(a, out) => {\n  let s = a.length;\n}', 'void(f8[:], f8[:])', { kind: 'gufunc', core });
    expect(codes(k.warnings)).toEqual(['NB4001']);
    expect(k.warnings[0]).toMatchObject({ line: 1, column: 5, severity: 'warning' });
  });

  test('NB4002: an output rebound instead of written is an error', () => {
    const src = '(a, out) => {\n  for (let i = 0; i < a.length; i++) out[i] = a[i];\n  out = a;\n}';
    const e = (() => { try { compileKernel(src, 'void(f8[:], f8[:])', { kind: 'gufunc', core }); } catch (x) { return x; } })() as KernelError;
    expect(e).toBeInstanceOf(KernelError);
    expect([e.code, e.line, e.column]).toEqual(['NB4002', 3, 3]);
  });

  test('NB4003: a core dimension no .length reads is a warning', () => {
    const k = compileKernel('(a, out) => {\n  out[0] = a[0][0];\n}', 'void(f8[:,:], f8[:])', {
      kind: 'gufunc', core: layout(1, ['m', 'n'], [[0, 1], []]),
    });
    expect(codes(k.warnings)).toEqual(['NB4003', 'NB4003']);
    expect(k.warnings.map((w) => w.message)).toEqual([expect.stringContaining("'m'"), expect.stringContaining("'n'")]);
  });

  test('frozen core dims are exempt from NB4003; strict turns warnings into errors', () => {
    const k = compileKernel('(a, out) => { out[0] = a[0] + a[1] + a[2]; }', 'void(f8[:], f8[:])', { kind: 'gufunc', core: layout(1, ['3'], [[0], []]) });
    expect(k.warnings).toEqual([]);
    expect(() => compileKernel('(a, out) => { let x = a.length; }', 'void(f8[:], f8[:])', { kind: 'gufunc', core, strict: true })).toThrow(/NB4001/);
  });
});
