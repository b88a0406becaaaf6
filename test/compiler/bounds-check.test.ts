/**
 * Checked indexing (issue 13 item 7; ir/passes/bounds-check.ts): which element indices of a
 * gufunc kernel get a check (a site) and which the compiler proves in range (no check in
 * the emitted AssemblyScript, JS or WGSL), and what a failed check reports on the JS
 * reference and on Wasm (the same site, index and size, with the kernel's line and column).
 * The factories' behaviour on the cpu, parallel and gpu targets is in
 * test/vectorize/boundscheck.test.ts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { BoundsTrap, kernelBoundsError, parseBoundsMessage, readBoundsTrap, boundsMessage } from '../../src/compiler/bounds.js';
import { compileKernel, type CompiledKernel, type CoreLayoutInput } from '../../src/compiler/compile.js';
import { emitWgslFunctions } from '../../src/compiler/emit/wgsl/emit-function.js';
import { IndexError } from '../../src/util/errors.js';
import { runGufuncJs, runGufuncWasm, WasmRig, type GuOperand } from './harness.js';

const layout = (nin: number, dims: string[], operands: number[][]): CoreLayoutInput => ({ nin, dims, operands });
const N1 = layout(1, ['n'], [[0], [0]]);
const DOT = layout(2, ['n'], [[0], [0], []]);
const MATMUL = layout(2, ['m', 'n', 'p'], [[0, 1], [1, 2], [0, 2]]);

/** Compile kernel source text (so lines and columns are the text's own). */
const gu = (src: string, sig: string, core: CoreLayoutInput, extra: { boundscheck?: boolean; fastmath?: boolean; target?: 'gpu' } = {}): CompiledKernel =>
  compileKernel(src, sig, { kind: 'gufunc', core, name: 'k', ...extra });

/** Sites as `array[axis]R|W@line:column`. */
const sites = (k: CompiledKernel) => k.bounds.map((s) => `${s.array}[${s.axis}]${s.write ? 'W' : 'R'}@${s.line}:${s.column}`);

/** No check anywhere in the emitted code. */
function unchecked(k: CompiledKernel): void {
  expect(k.bounds).toEqual([]);
  expect(k.asSource).not.toMatch(/__bc|__nb_bsite/);
  expect(k.jsSource).not.toMatch(/rt\.bc/);
  expect(k.irText).not.toMatch(/check#/);
}

describe('checks the compiler removes (no check emitted)', () => {
  test.each([
    ['a counter from 0 below a.length (and the other array of the same core dim)', '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i] * 2; }', 'void(f8[:], f8[:])', N1],
    ['rowdot: i < a.length proves a[i] and b[i]; o[0] of a () output', '(a, b, o) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; o[0] = s; }', 'void(f8[:], f8[:], f8[:])', DOT],
    ['a[i + 1] below a.length - 1', '(a, o) => { for (let i = 0; i < a.length - 1; i++) o[i] = a[i + 1] - a[i]; }', 'void(f8[:], f8[:])', N1],
    ['a[i - 1] from 1', '(a, o) => { for (let i = 1; i < a.length; i++) o[i] = a[i - 1]; }', 'void(f8[:], f8[:])', N1],
    ['i <= a.length - 1', '(a, o) => { for (let i = 0; i <= a.length - 1; i++) o[i] = a[i]; }', 'void(f8[:], f8[:])', N1],
    ['a.length > i (either way round), && in the condition', '(a, o) => { for (let i = 0; a.length > i && i < 100; i++) o[i] = a[i]; }', 'void(f8[:], f8[:])', N1],
    ['const n = a.length', '(a, o) => { const n = a.length; for (let i = 0; i < n; i++) o[i] = a[i]; }', 'void(f8[:], f8[:])', N1],
    ['a counter starting at another counter', '(a, o) => { for (let i = 0; i < a.length; i++) { let s = 0; for (let j = i; j < a.length; j++) s += a[j]; o[i] = s; } }', 'void(f8[:], f8[:])', N1],
    ['a guard: if (j >= 0 && j < a.length)', '(a, o) => { for (let i = 0; i < a.length; i++) { const j = i * 3 - 5; if (j >= 0 && j < a.length) o[i] = a[j]; } }', 'void(f8[:], f8[:])', N1],
    ['an early exit: if (j < 0 || j >= a.length) continue', '(a, o) => { for (let i = 0; i < a.length; i++) { const j = 7 - i; if (j < 0 || j >= a.length) continue; o[i] = a[j]; } }', 'void(f8[:], f8[:])', N1],
    ['else of if (j >= a.length)', '(a, o) => { for (let i = 0; i < a.length; i++) { const j = i + 1; if (j >= a.length) o[i] = 0; else o[i] = a[j]; } }', 'void(f8[:], f8[:])', N1],
    ['a while condition in its body (the counter unchanged there)', '(a, o) => { let i = 0; while (i < a.length) { o[i] = a[i]; break; } }', 'void(f8[:], f8[:])', N1],
    ['for...of (issue 13): its counter below a.length', '(a, o) => { let k = 0; for (const v of a) { o[0] = v; k++; } }', 'void(f8[:], f8[:])', layout(1, ['n', '1'], [[0], [1]])],
    ['a[0] where a loop shows a.length > 0', '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i] - a[0]; }', 'void(f8[:], f8[:])', N1],
    ['constants below frozen dims', '(a, o) => { o[0] = a[0] + a[1] + a[2]; o[1] = a[2]; }', 'void(f8[:], f8[:])', layout(1, ['3', '2'], [[0], [1]])],
    ['matmul a[i][k], b[k][j], c[i][j] (2-D core arrays, each axis its own dim)', '(a, b, c) => { for (let i = 0; i < a.length; i++) for (let j = 0; j < b[0].length; j++) { let s = 0; for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j]; c[i][j] = s; } }', 'void(f4[:,:], f4[:,:], f4[:,:])', MATMUL],
  ] as const)('%s', (_, src, sig, core) => {
    const k = gu(src, sig, core);
    unchecked(k);
    expect(gu(src, sig, core, { boundscheck: false }).asSource).toBe(k.asSource);
  });

  test('fastmath rowdot: the unrolled loop (i_fm < n - 3, a[i_fm + 3]) and its remainder', () => {
    unchecked(gu('(a, b, o) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; o[0] = s; }', 'void(f8[:], f8[:], f8[:])', DOT, { fastmath: true }));
  });

  test('the WGSL of a proven kernel has no check and no error flag', () => {
    const k = gu('(a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i] * 2; }', 'void(f4[:], f4[:])', N1, { target: 'gpu' });
    const { source, used } = emitWgslFunctions(k.ir);
    expect(source).not.toMatch(/nb_bc|nb_ok/);
    expect([...used].some((u) => u.startsWith('nb_b'))).toBe(false);
  });
});

describe('checks the compiler keeps (one site per unproven index)', () => {
  test.each([
    ['a negative constant index', '(a, o) => {\n  o[0] = a[-1];\n}', ['o[0]W@2:3', 'a[0]R@2:10']],
    ['index == length: i <= a.length', '(a, o) => {\n  for (let i = 0; i <= a.length; i++) o[i] = a[i];\n}', ['o[0]W@2:39', 'a[0]R@2:46']],
    ['a[i + 1] below a.length', '(a, o) => {\n  for (let i = 0; i < a.length; i++) o[i] = a[i + 1];\n}', ['a[0]R@2:45']],
    ['a[i - 1] from 0', '(a, o) => {\n  for (let i = 0; i < a.length; i++) o[i] = a[i - 1];\n}', ['a[0]R@2:45']],
    ['a[a.length]', '(a, o) => {\n  o[0] = a[a.length];\n}', ['o[0]W@2:3', 'a[0]R@2:10']],
    ['a counter assigned in the body', '(a, o) => {\n  for (let i = 0; i < a.length; i++) { o[i] = a[i]; i += 1; }\n}', ['o[0]W@2:40', 'a[0]R@2:47']],
    ['a while loop (its counter is updated in the body)', '(a, o) => {\n  let i = 0;\n  while (i < a.length) { o[i] = a[i]; i++; }\n}', ['o[0]W@3:26', 'a[0]R@3:33']],
    // The same body under while (i < a.length) is proven (above): a do/while runs it before the test.
    ['a do/while (its body runs once before its condition)', '(a, o) => {\n  let i = 0;\n  do { o[i] = a[i]; break; } while (i < a.length);\n}', ['o[0]W@3:8', 'a[0]R@3:15']],
  ] as const)('%s', (_, src, expected) => {
    const k = gu(src, 'void(f8[:], f8[:])', N1);
    expect(sites(k)).toEqual(expected);
    expect(k.asSource).toMatch(/__bc/);
    expect(gu(src, 'void(f8[:], f8[:])', N1, { boundscheck: false }).bounds).toEqual([]);
    expect(gu(src, 'void(f8[:], f8[:])', N1, { boundscheck: false }).asSource).not.toMatch(/__bc/);
  });

  test('a[i][k] with k below the wrong dim: only that axis is checked', () => {
    const k = gu('(a, b, c) => { for (let i = 0; i < a.length; i++) for (let j = 0; j < b[0].length; j++) { let s = 0; for (let k = 0; k < a.length; k++) s += a[i][k] * b[k][j]; c[i][j] = s; } }', 'void(f4[:,:], f4[:,:], f4[:,:])', MATMUL);
    expect(k.bounds.map((s) => `${s.array}[${s.axis}]`)).toEqual(['a[1]', 'b[0]']);
    expect(k.irText).toMatch(/\(load:float32 a i \(check#0 k\)\)/);
  });

  test('let j = i - 5 where i may be near -2^31: j may wrap around, so j < a.length - 5 is not inferred', () => {
    const k = gu('(a, k, o) => { for (let i = k; i < a.length; i++) { const j = i - 5; if (j >= 0) o[0] = a[j]; } }', 'void(f8[:], i4, f8[:])', layout(2, ['n'], [[0], [], []]));
    expect(k.bounds.map((s) => s.array)).toEqual(['a']);
    // With k = -2^31 + 2, j wraps to 2^31 - 3: the check catches it.
    const trap = (() => {
      try {
        runGufuncJs(k, [], [{ core: [4], values: [1, 2, 3, 4] }, { core: [], values: [-(2 ** 31) + 2] }, { core: [] }], [4]);
      } catch (e) {
        return e as BoundsTrap;
      }
      return null;
    })();
    expect(trap).toBeInstanceOf(BoundsTrap);
    expect(trap!.index).toBe(2n ** 31n - 3n);
    // From 0 the same j is proven (i >= 0, so i - 5 cannot wrap; j >= 0 from the guard).
    unchecked(gu('(a, o) => { for (let i = 0; i < a.length; i++) { const j = i - 5; if (j >= 0) o[0] = a[j]; } }', 'void(f8[:], f8[:])', layout(1, ['n'], [[0], []])));
  });

  test('o[0] of an (n) output: n may be 0', () => {
    expect(sites(gu('(a, o) => { o[0] = 1; }', 'void(f8[:], f8[:])', N1))).toEqual(['o[0]W@1:13']);
  });

  test('an index from another array (uint8) and a scalar int64 index', () => {
    const k = gu('(a, idx, o) => { for (let i = 0; i < idx.length; i++) o[i] = a[idx[i]]; }', 'void(f8[:], u1[:], f8[:])', layout(2, ['n', 'm'], [[0], [1], [1]]));
    expect(k.bounds.map((s) => [s.array, s.indexType])).toEqual([['a', 'uint8']]);
    const k64 = gu('(a, j, o) => { o[0] = a[j]; }', 'void(f8[:], i8, f8[:])', layout(2, ['n'], [[0], [], []]));
    expect(k64.bounds.map((s) => [s.array, s.indexType])).toEqual([['a', 'int64']]);
    expect(k64.asSource).toMatch(/__bc64\(j, __n0, 0\)/);
  });
});

// On asc's module and on the direct emitter's (compiler/emit/wasm/arrays.ts: the same globals).
describe.each(['asc', 'direct'] as const)('a failed check: the JS reference and Wasm (%s) report the same site, index and size', (emitter) => {
  const cases: [string, string, string, CoreLayoutInput, GuOperand[], number[], RegExp][] = [
    ['read past the end', '(a, o) => {\n  for (let i = 0; i < a.length; i++) o[i] = a[i + 1];\n}', 'void(f8[:], f8[:])', N1,
      [{ core: [4], values: [1, 2, 3, 4] }, { core: [4] }], [4], /index 4 is out of bounds for axis 0 of 'a' with size 4 \(a read, line 2, column 45\)/],
    ['negative write', '(a, o) => {\n  o[a.length - 5] = 1;\n}', 'void(f8[:], f8[:])', N1,
      [{ core: [4], values: [1, 2, 3, 4] }, { core: [4] }], [4], /index -1 is out of bounds for axis 0 of 'o' with size 4 \(a write, line 2, column 3\)/],
    ['2-D, axis 1', '(a, o) => {\n  for (let i = 0; i < a.length; i++)\n    o[i] = a[i][a[i].length];\n}', 'void(f8[:,:], f8[:])', layout(1, ['m', 'n'], [[0, 1], [0]]),
      [{ core: [2, 3], values: [1, 2, 3, 4, 5, 6] }, { core: [2] }], [2, 3], /index 3 is out of bounds for axis 1 of 'a' with size 3 \(a read, line 3, column 12\)/],
    ['uint32 index from an array', '(a, idx, o) => {\n  for (let i = 0; i < idx.length; i++) o[i] = a[idx[i]];\n}', 'void(f8[:], u4[:], f8[:])', layout(2, ['n', 'm'], [[0], [1], [1]]),
      [{ core: [3], values: [1, 2, 3] }, { core: [2], values: [1, 4294967295] }, { core: [2] }], [3, 2], /index 4294967295 is out of bounds for axis 0 of 'a' with size 3/],
  ];
  let rigs: WasmRig[];
  const ks = cases.map(([, src, sig, core]) => gu(src, sig, core));
  beforeAll(async () => {
    rigs = await Promise.all(ks.map((k) => (emitter === 'asc' ? WasmRig.of([k]) : WasmRig.direct([k]))));
  }, 120_000);

  test.each(cases.map((c, i) => [c[0], i] as const))('%s', (_, i) => {
    const [, , , , ops, sizes, message] = cases[i]!;
    const k = ks[i]!;
    const fromJs = (() => {
      try {
        runGufuncJs(k, [], ops, sizes);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(fromJs).toBeInstanceOf(BoundsTrap);
    const fromWasm = (() => {
      try {
        runGufuncWasm(rigs[i]!, k, [], ops, sizes);
      } catch (e) {
        return readBoundsTrap(rigs[i]!.exports);
      }
      return null;
    })();
    expect(fromWasm).toBeInstanceOf(BoundsTrap);
    const [ej, ew] = [kernelBoundsError('k', k.bounds, fromJs as BoundsTrap), kernelBoundsError('k', k.bounds, fromWasm!)];
    expect(ej).toBeInstanceOf(IndexError);
    expect(ej.code).toBe('E_KERNEL_BOUNDS');
    expect(ej.message).toMatch(message);
    expect(ew.message).toBe(ej.message);
    // The record is cleared: the next trap-free call reads nothing.
    expect(readBoundsTrap(rigs[i]!.exports)).toBeNull();
  });

  test('the code frame points at the access', () => {
    const k = ks[0]!;
    const e = kernelBoundsError('k', k.bounds, new BoundsTrap(0, 4n, 4));
    expect(e.message).toContain('> 2 |   for (let i = 0; i < a.length; i++) o[i] = a[i + 1];');
    expect(e.message.split('\n').pop()).toBe(`    | ${' '.repeat(44)}^`);
  });

  test('the worker message round-trips', () => {
    const t = parseBoundsMessage(boundsMessage(3, -7n, 12))!;
    expect([t.site, t.index, t.size]).toEqual([3, -7n, 12]);
    expect(parseBoundsMessage('unreachable')).toBeNull();
  });
});
