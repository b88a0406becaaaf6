/**
 * Every diagnostic code: the construct that triggers it, and the 1-based line and column it
 * reports in the kernel's source text, with a 3-line code frame. Tests assert codes and
 * positions, never wording. A final test checks that the table covers every code.
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, type CompileKernelOptions } from '../../src/compiler/compile.js';
import { DIAGNOSTICS, type DiagnosticCode } from '../../src/compiler/frontend/diagnostics.js';
import { parseKernelSignature } from '../../src/compiler/signature.js';
import { KernelError } from '../../src/util/errors.js';
import { kernelErrorOf } from '../helpers/errors.js';

interface Case {
  readonly code: DiagnosticCode;
  readonly what: string;
  readonly src: string;
  readonly sig?: string;
  readonly options?: Partial<CompileKernelOptions>;
  /** Expected 1-based line and column. */
  readonly at: readonly [number, number];
  /** The text the position is in, when not the kernel (a helper). */
  readonly frameText?: string;
}

const g1 = { kind: 'gufunc', core: { nin: 1, dims: ['n'], operands: [[0], []] } } as const;

const CASES: Case[] = [
  { code: 'NB1001', what: 'a syntax error', src: '(x) => {\n  return x +;\n}', at: [2, 13] },
  { code: 'NB1002', what: 'a class', src: 'class K { f(x) { return x; } }', at: [1, 1] },
  { code: 'NB1002', what: 'a getter', src: 'get f() { return 1; }', sig: 'f8()', at: [1, 1] },
  { code: 'NB1003', what: 'an async arrow', src: 'async (x) => x', at: [1, 1] },
  { code: 'NB1003', what: 'an async method', src: 'async f(x) {\n  return await x;\n}', at: [1, 1] },
  { code: 'NB1004', what: 'a generator', src: 'function* g(x) { yield x; }', at: [1, 1] },
  { code: 'NB1005', what: 'a default parameter', src: '(x = 1) => x', at: [1, 2] },
  { code: 'NB1005', what: 'a rest parameter', src: '(...xs) => 1', at: [1, 2] },
  { code: 'NB1010', what: 'a closure variable', src: '(x) => {\n  return x * scale;\n}', at: [2, 14] },
  { code: 'NB1010', what: 'assigning a closure variable', src: '(x) => {\n  total = x;\n  return x;\n}', at: [2, 3] },
  { code: 'NB1011', what: 'this', src: '(x) => this.y + x', at: [1, 8] },
  { code: 'NB1011', what: 'arguments', src: 'function (x) { return arguments[0]; }', at: [1, 23] },
  { code: 'NB1012', what: 'an object literal', src: '(x) => {\n  const o = { a: x };\n  return x;\n}', at: [2, 13] },
  { code: 'NB1013', what: 'an array literal', src: '(x) => [x, 1][0]', at: [1, 8] },
  { code: 'NB1014', what: 'a string', src: "(x) => { const s = 'a'; return x; }", at: [1, 20] },
  { code: 'NB1014', what: 'a template literal', src: '(x) => `${x}`', at: [1, 8] },
  { code: 'NB1015', what: 'new', src: '(x) => new Date(1) + x', at: [1, 8] },
  { code: 'NB1038', what: 'a TypedArray made inside an expression', src: '(x) => new Float64Array(1)[0] + x', at: [1, 8] },
  { code: 'NB2022', what: 'a scratch array returned', src: '(x) => {\n  const t = new Float64Array(2);\n  return t;\n}', at: [3, 10] },
  { code: 'NB1016', what: 'console.log', src: '(x) => {\n  console.log(x);\n  return x;\n}', at: [2, 3] },
  { code: 'NB1016', what: 'an unknown function', src: '(x) => foo(x)', at: [1, 8] },
  { code: 'NB1037', what: 'a Math constant on a parameter named Math', src: '(Math) => Math.PI', at: [1, 11] },
  { code: 'NB1037', what: 'a Math function on a local named Math', src: '(x) => {\n  const Math = x;\n  return Math.sqrt(x);\n}', at: [3, 10] },
  { code: 'NB1037', what: 'calling a parameter named isNaN', src: '(isNaN) => isNaN(1) ? 1 : 0', at: [1, 12] },
  { code: 'NB1017', what: 'an unsupported Math function', src: '(x) => Math.random() + x', at: [1, 8] },
  { code: 'NB1017', what: 'an unsupported Math member', src: '(x) => Math.TAU * x', at: [1, 8] },
  { code: 'NB1018', what: 'spread', src: '(x) => Math.max(...x)', at: [1, 17] },
  { code: 'NB1019', what: 'destructuring a parameter', src: '({ a }) => a', at: [1, 2] },
  { code: 'NB1019', what: 'destructuring a declaration', src: '(x) => {\n  const [a] = x;\n  return a;\n}', at: [2, 9] },
  { code: 'NB1020', what: 'try/catch', src: '(x) => {\n  try { return x; } catch (e) { return 0; }\n}', at: [2, 3] },
  { code: 'NB1020', what: 'throw', src: '(x) => {\n  if (x < 0) throw 1;\n  return x;\n}', at: [2, 14] },
  { code: 'NB1021', what: 'a labeled statement', src: '(x) => {\n  outer: for (;;) { break outer; }\n  return x;\n}', at: [2, 3] },
  { code: 'NB1025', what: 'a nested arrow function', src: '(x) => {\n  const f = (y) => y;\n  return f(x);\n}', at: [2, 13] },
  { code: 'NB1025', what: 'a nested function declaration', src: '(x) => {\n  function f(y) { return y; }\n  return x;\n}', at: [2, 3] },
  { code: 'NB1026', what: 'var', src: '(x) => {\n  var y = x;\n  return y;\n}', at: [2, 3] },
  { code: 'NB1028', what: 'an assignment in an expression', src: '(x) => {\n  let y = 0;\n  return (y = x);\n}', at: [3, 11] },
  { code: 'NB1028', what: '++ in an expression', src: '(x) => {\n  let y = 0;\n  return y++;\n}', at: [3, 10] },
  { code: 'NB1029', what: 'typeof', src: '(x) => typeof x', at: [1, 8] },
  { code: 'NB1029', what: '??', src: '(x) => x ?? 1', at: [1, 8] },
  { code: 'NB1029', what: 'a comma expression', src: '(x) => (x, 1)', at: [1, 9] },
  { code: 'NB1030', what: 'for...in', src: '(x) => {\n  for (const y in x) {}\n  return x;\n}', at: [2, 3] },
  { code: 'NB1030', what: 'for...of without a declaration', src: '(x) => {\n  let y = 0;\n  for (y of x) {}\n  return x;\n}', at: [3, 3] },
  { code: 'NB1031', what: 'an unknown property', src: '(x) => x.foo', at: [1, 10] },
  { code: 'NB1031', what: 'indexing a computed value', src: '(x) => Math.abs(x)[0]', at: [1, 8] },
  { code: 'NB2015', what: 'indexing a local', src: '(x) => {\n  const y = x;\n  return y[0];\n}', at: [3, 10] },
  { code: 'NB1036', what: 'null', src: '(x) => x + null', at: [1, 12] },
  { code: 'NB1036', what: 'undefined', src: '(x) => undefined', at: [1, 8] },
  { code: 'NB2001', what: 'a float exponent of nb.math.ldexp', src: '(x) => {\n  return nb.math.ldexp(x, 0.5);\n}', at: [2, 27] },
  { code: 'NB2002', what: 'a float literal index', src: '(a, out) => {\n  out[0] = a[1.0];\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 14] },
  { code: 'NB2002', what: 'a float index', src: '(a, out) => {\n  out[0] = a[a.length / 2];\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 14] },
  { code: 'NB2003', what: 'a literal that does not fit a parameter', src: '(x) => {\n  x = 300;\n  return x;\n}', sig: 'i1(i1)', at: [2, 7] },
  { code: 'NB2004', what: '&& on numbers in a value', src: '(x, y) => x && y', sig: 'f8(f8, f8)', at: [1, 11] },
  { code: 'NB2005', what: 'a float assigned to an int parameter', src: '(x) => {\n  x = x / 2;\n  return x;\n}', sig: 'i4(i4)', at: [2, 3] },
  { code: 'NB2006', what: 'an array used as a value', src: '(a, out) => {\n  const b = a;\n  out[0] = a.length;\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 13] },
  { code: 'NB2007', what: 'too many indices', src: '(a, out) => {\n  out[0] = a[0][1] + a.length;\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 12] },
  { code: 'NB2008', what: 'return without a value in a scalar kernel', src: '(x) => {\n  if (x) return;\n  return 1;\n}', at: [2, 10] },
  { code: 'NB2008', what: 'a gufunc kernel returning a value', src: '(a, out) => {\n  out[0] = a.length;\n  return 1;\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [3, 10] },
  { code: 'NB2009', what: 'a wrong argument count', src: '(x) => Math.sin(x, 1)', at: [1, 8] },
  { code: 'NB2010', what: 'assigning a const', src: '(x) => {\n  const y = 1;\n  y = 2;\n  return x;\n}', at: [3, 3] },
  { code: 'NB2011', what: 'let without a value', src: '(x) => {\n  let y;\n  return x;\n}', at: [2, 7] },
  { code: 'NB2011', what: 'a use before the declaration', src: '(x) => {\n  const a = b + x;\n  const b = 1;\n  return a;\n}', at: [2, 13] },
  { code: 'NB2012', what: 'a parameter count that differs from the signature', src: '(x, y) => x', sig: 'f8(f8)', at: [1, 2] },
  { code: 'NB2013', what: 'a helper called with the wrong arity', src: '(x) => h(x, 1)', options: { helpers: { h: '(a) => a' } }, at: [1, 8] },
  { code: 'NB2013', what: 'a helper used as a value', src: '(x) => h + x', options: { helpers: { h: '(a) => a' } }, at: [1, 8] },
  { code: 'NB2014', what: 'a recursive helper (in the helper source)', src: '(x) => h(x)', options: { helpers: { h: '(a) => a > 1 ? h(a - 1) : a' } }, at: [1, 16], frameText: '(a) => a > 1 ? h(a - 1) : a' },
  { code: 'NB2014', what: 'a kernel calling itself', src: 'function f(x) { return f(x - 1); }', at: [1, 24] },
  { code: 'NB2015', what: 'indexing a scalar', src: '(x, out) => {\n  out[0] = x[0];\n}', sig: 'void(f8, f8[:])', options: { kind: 'gufunc', core: { nin: 1, dims: [], operands: [[], []] } }, at: [2, 12] },
  { code: 'NB2016', what: 'rebinding an input array', src: '(a, out) => {\n  a = out;\n  out[0] = a.length;\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 3] },
  { code: 'NB2016', what: 'assigning .length', src: '(a, out) => {\n  a.length = 3;\n  out[0] = 1;\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 3] },
  { code: 'NB2021', what: 'a constant called', src: '(x) => {\n  return K(x);\n}', options: { constants: { K: 2 } }, at: [2, 10] },
  { code: 'NB2021', what: 'a constant indexed', src: '(x) => {\n  return x + K[0];\n}', options: { constants: { K: 2 } }, at: [2, 14] },
  { code: 'NB2021', what: 'a constant assigned', src: '(x) => {\n  K = x;\n  return x;\n}', options: { constants: { K: 2 } }, at: [2, 3] },
  { code: 'NB3001', what: 'a path without return', src: '(x) => {\n  if (x > 0) return 1;\n}', at: [3, 1] },
  { code: 'NB3001', what: 'a loop that may end without return', src: '(x) => {\n  while (x > 0) {\n    return 1;\n  }\n}', at: [5, 1] },
  { code: 'NB4001', what: 'an output never written (strict)', src: '(a, out) => {\n  let n = a.length;\n}', sig: 'void(f8[:], f8[:])', options: { ...g1, strict: true }, at: [1, 5] },
  { code: 'NB4002', what: 'an output rebound', src: '(a, out) => {\n  out = a;\n}', sig: 'void(f8[:], f8[:])', options: g1, at: [2, 3] },
  { code: 'NB4003', what: 'an unused core dim (strict)', src: '(a, out) => {\n  out[0] = a[0];\n}', sig: 'void(f8[:], f8[:])', options: { ...g1, strict: true }, at: [1, 2] },
  { code: 'NB5002', what: 'an array in a scalar kernel', src: '(a) => a', sig: 'f8(f8[:])', at: [1, 2] },
  { code: 'NB5002', what: 'a layout that disagrees with the signature', src: '(a, out) => {\n  out[0] = a.length;\n}', sig: 'void(f8[:,:], f8[:])', options: g1, at: [1, 2] },
  { code: 'NB5003', what: 'a void scalar kernel', src: '(a) => a', sig: 'void(f8)', at: [1, 2] },
  // 64 parameters and the result: 65 operands; the 64th parameter is the first past the limit.
  {
    code: 'NB7001', what: 'too many operands', src: `(${[...Array(64).keys()].map((i) => `p${i}`).join(', ')}) => p0`,
    sig: `f8(${Array(64).fill('f8').join(', ')})`, at: [1, 2 + [...Array(63).keys()].map((i) => `p${i}, `).join('').length],
  },
  { code: 'NB7003', what: 'nesting past the limit', src: `(x) => {\n  return ${Array(600).fill('x').join(' + ')};\n}`, at: [2, 10] },
];

const errorOf = kernelErrorOf;

describe('diagnostics: code, line, column, frame', () => {
  test.each(CASES.map((c) => [c.code, c.what, c] as const))('%s: %s', (_, __, c) => {
    const e = errorOf(() => compileKernel(c.src, c.sig ?? 'f8(f8)', { kind: 'scalar', ...c.options } as CompileKernelOptions));
    expect([e.code, e.line, e.column]).toEqual([c.code, ...c.at]);
    // The frame: (previous line,) the line, and a caret under the column.
    const lines = e.frame.split('\n');
    expect(lines.length).toBe(c.at[0] >= 2 ? 3 : 2);
    const srcLine = (c.frameText ?? c.src).split('\n')[c.at[0] - 1]!.replace(/\s+$/, '');
    expect(lines[lines.length - 2]).toContain(srcLine);
    const caretLine = lines[lines.length - 1]!;
    const gutter = caretLine.indexOf('| ') + 2;
    expect(caretLine.indexOf('^') - gutter).toBe(c.at[1] - 1);
    expect(e.message).toContain(c.code);
  });

  test('NB5001: signature syntax errors point into the signature text', () => {
    for (const [sig, col] of [['f8(f8', 6], ['float128(f8)', 1], ['f8(f8[:;])', 8], ['f8(f8) x', 8]] as const) {
      const e = errorOf(() => parseKernelSignature(sig));
      expect([e.code, e.line, e.column]).toEqual(['NB5001', 1, col]);
    }
  });

  test('a native function is NB1002', () => {
    expect(errorOf(() => compileKernel(Math.sin, 'f8(f8)', { kind: 'scalar' })).code).toBe('NB1002');
  });

  test('positions are in the text fn.toString() returns (here: as vitest transformed it)', () => {
    const scale = 2;
    const kernel = (x: number) => {
      const y = x + 1;
      return y * scale;
    };
    const e = errorOf(() => compileKernel(kernel, 'f8(f8)', { kind: 'scalar' }));
    const text = kernel.toString();
    const offset = text.indexOf('scale');
    const before = text.slice(0, offset).split('\n');
    expect([e.code, e.line, e.column]).toEqual(['NB1010', before.length, before[before.length - 1]!.length + 1]);
    expect(e.frame).toContain('scale');
  });

  test('diagnostics in helpers point into the helper source and name it', () => {
    const e = errorOf(() => compileKernel('(x) => clamp(x)', 'f8(f8)', { kind: 'scalar', helpers: { clamp: '(v) => {\n  return Math.min(v, hi);\n}' } }));
    expect([e.code, e.line, e.column]).toEqual(['NB1010', 2, 22]);
    expect(e.message).toContain('clamp');
  });

  test('every diagnostic code is covered by a case', () => {
    // Stencil-only codes (an accessor's offsets and use) are triggered in test/stencil; the
    // gpu target's NB6001 (a float64 value inside a gpu kernel) in test/compiler/validate-target.test.ts;
    // NB2020 (a stencil offset out of range) and NB7002 (a kernel past the size limit) in
    // test/hostile/kernels.test.ts; NB6002 (a gpu scratch array of a run-time length) in test/compiler/scratch.test.ts;
    // the jit array codes NB1040-NB1042 in test/jit/compile-jit.test.ts; NB3002 (a prange loop
    // the parallel target cannot split) in test/jit/prange.test.ts.
    const covered = new Set<string>([...CASES.map((c) => c.code), 'NB5001', 'NB2017', 'NB2018', 'NB2019', 'NB2020', 'NB6001', 'NB6002', 'NB7002', 'NB1040', 'NB1041', 'NB1042', 'NB3002']);
    expect(Object.keys(DIAGNOSTICS).filter((c) => !covered.has(c))).toEqual([]);
  });
});
