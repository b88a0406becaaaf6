/**
 * Hostile kernels (issue 19): reproducers that once gave wrong answers, hung the compiler or
 * crashed its worker. Each test is named after the issue item it pins; all assert codes and
 * results, never wording or time.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { AscCompileError, compileKernel } from '../../src/compiler/index.js';
import { compileSync, injectCompilerFault } from '../../src/vectorize/compile-sync.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The KernelError `f` throws (fails the test when it throws something else or nothing). */
function kernelError(f: () => unknown): nb.KernelError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(nb.KernelError);
    return e as nb.KernelError;
  }
  throw new Error('expected a KernelError');
}

describe('issue 19 item 4: kernel shadowing', () => {
  it('a parameter named Math is the parameter: (Math) => Math.PI is NB1037 at Math.PI, not 3.14159', () => {
    const e = kernelError(() => nb.vectorize('f8(f8)')((Math: any) => Math.PI));
    expect(e.code).toBe('NB1037');
    expect([e.line, e.column]).toEqual([1, expect.any(Number)]);
    expect(e.frame).toContain('Math.PI');
  });

  it('a local named Math shadows the global: Math.sqrt(4) on it is NB1037 at its line and column', () => {
    const src = '(x) => {\n  const Math = x;\n  return Math.sqrt(4);\n}';
    const e = kernelError(() => nb.vectorize('f8(f8)')(new Function(`return ${src}`)()));
    expect(e.code).toBe('NB1037');
    expect([e.line, e.column]).toEqual([3, 10]);
  });

  it('shadowed other globals (Number, isNaN, isFinite, nb, Infinity, NaN, undefined) resolve to the binding', () => {
    // Member or call uses of a shadowed name are NB1037 ...
    expect(kernelError(() => nb.vectorize('f8(f8)')((Number: any) => Number.EPSILON)).code).toBe('NB1037');
    expect(kernelError(() => nb.vectorize('f8(f8)')((isNaN: any) => (isNaN(1) ? 1 : 0))).code).toBe('NB1037');
    expect(kernelError(() => nb.vectorize('f8(f8, f8)')((isFinite: any, y: number) => (isFinite(y) ? 1 : 0))).code).toBe('NB1037');
    // numbats' own names too: a parameter named nb is not the numbats namespace, nor one
    // named erf nb.math.erf (calls of a number: NB1016, test/compiler/nb-math.test.ts).
    expect(kernelError(() => nb.vectorize('f8(f8)')(new Function('return (nb) => nb.math.erf(1)')())).code).toBe('NB1016');
    expect(kernelError(() => nb.vectorize('f8(f8)')(new Function('return (erf) => erf(1)')())).code).toBe('NB1016');
    // ... and plain reads are the parameter's value, as in JavaScript.
    const f = new Function('return (Infinity, NaN, undefined) => Infinity + 2 * NaN + 3 * undefined')();
    const u = nb.vectorize('f8(f8, f8, f8)')(f);
    expect(u(nb.array([1]), nb.array([10]), nb.array([100])).toArray()).toEqual([321]);
    // A parameter named like an AS builtin the emitter uses (isNaN) still compiles to Wasm.
    const g = nb.vectorize('f8(f8, f8)')((isNaN: any, y: number) => (Number.isNaN(y) ? -1 : isNaN + y));
    expect(g(nb.array([1, 2]), nb.array([NaN, 5])).toArray()).toEqual([-1, 7]);
  });

  it('reading a shadowed name before its declaration is NB2011 (the temporal dead zone), not the global', () => {
    const src = '(x) => {\n  const y = Math.PI;\n  const Math = 2;\n  return x + y + Math;\n}';
    const e = kernelError(() => nb.vectorize('f8(f8)')(new Function(`return ${src}`)()));
    expect(e.code).toBe('NB2011');
    expect([e.line, e.column]).toEqual([2, 13]);
  });
});

describe('issue 19 item 4: stencil offset out of range', () => {
  it('a(2147483648) is NB2020 at the offset, not a read at -2147483648', () => {
    const e = kernelError(() => nb.stencil((a: any) => a(2147483648), { signature: 'float64(float64)' }));
    expect(e.code).toBe('NB2020');
    expect([e.line, e.column]).toEqual([1, expect.any(Number)]);
    expect(kernelError(() => nb.stencil((a: any) => a(0, -(2 ** 40)), { signature: 'float64(float64)' })).code).toBe('NB2020');
  });

  it('an offset at the limit is accepted and reads the boundary value', () => {
    const x = nb.array([1, 2, 3]);
    const st = nb.stencil((a: any) => a(1048576) + a(0), { signature: 'float64(float64)', mode: 'constant', cval: 10 });
    expect(st(x).toArray()).toEqual([11, 12, 13]);
  });

  it('a declared neighborhood past the limit is rejected', () => {
    expect(() => nb.stencil((a: any) => a(0), { signature: 'float64(float64)', neighborhood: [[-(2 ** 31), 0]] })).toThrow(/largest supported offset/);
  });
});

/** `n` statements that grow one local: `s = s * 1.0001 + 1` (one long dependency chain). */
function chainKernel(n: number): { fn: (x: number) => number; expected: (x: number) => number } {
  const body = `let s = x;\n${'s = s * 1.0001 + 1;\n'.repeat(n)}return s;`;
  const expected = (x: number) => {
    let s = x;
    for (let i = 0; i < n; i++) s = s * 1.0001 + 1;
    return s;
  };
  return { fn: new Function('x', body) as (x: number) => number, expected };
}

/** Collect what is written to the process's stderr while `f` runs. */
function stderrOf(f: () => void): string {
  let written = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown) => { written += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    f();
  } finally {
    process.stderr.write = write;
  }
  return written;
}

describe('issue 19 item 7: kernel size, parameter count and compiler crashes', () => {
  it('a 4,000-statement kernel compiles (it took 84 s in Binaryen -O3; large kernels now compile at -O0) and computes the chain', () => {
    const { fn, expected } = chainKernel(4000);
    const u = nb.vectorize('f8(f8)')(fn);
    const x = [0, 0.5, -3, 1e-3];
    const got = u(nb.array(x)).toArray() as number[];
    x.forEach((v, i) => expect(got[i]).toBe(expected(v)));
  });

  it('a 20,000-statement kernel compiles (it crashed the compiler worker after minutes) and computes the chain', () => {
    const { fn, expected } = chainKernel(20_000);
    const u = nb.vectorize('f8(f8)')(fn);
    expect(u(nb.array([0.25])).toArray()).toEqual([expected(0.25)]);
  });

  it('a 4,000-statement kernel of if/else statements compiles (it crashed asc with a stack overflow) and branches right', () => {
    const body = `let s = x;\n${Array.from({ length: 4000 }, (_, i) => `if (s > ${i}) { s = s * 1.0001 + 1; } else { s = s - 1; }`).join('\n')}\nreturn s;`;
    const fn = new Function('x', body) as (x: number) => number;
    const u = nb.vectorize('f8(f8)')(fn);
    const x = [0, 10, 5000];
    expect(u(nb.array(x)).toArray()).toEqual(x.map(fn));
  });

  it('past the size limit a kernel is NB7002 at the statement that crosses it, before asc runs', () => {
    // `x = x + 1` is 4 IR nodes: the 125,001st statement passes 500,000.
    const src = `(x) => {\n${'  x = x + 1;\n'.repeat(130_000)}  return x;\n}`;
    const e = kernelError(() => nb.vectorize('f8(f8)')(new Function(`return ${src}`)()));
    expect(e.code).toBe('NB7002');
    expect([e.line, e.column]).toEqual([125_002, 3]);
  });

  it('70 parameters: NB7001 at the 64th parameter (NumPy\'s 64-operand limit), not a crashed compiler worker', () => {
    const names = Array.from({ length: 70 }, (_, i) => `p${i}`);
    const fn = new Function(...names, `return ${names.join(' + ')};`);
    const sig = `f8(${Array(70).fill('f8').join(', ')})`;
    let e: nb.KernelError | undefined;
    const printed = stderrOf(() => { e = kernelError(() => nb.vectorize(sig)(fn as (...a: number[]) => number)); });
    expect(e!.code).toBe('NB7001');
    expect(e!.line).toBe(1);
    expect(e!.frame).toContain('p63');
    expect(printed).toBe('');
  });

  it('63 parameters (64 operands, the limit) compile and add up', () => {
    const names = Array.from({ length: 63 }, (_, i) => `p${i}`);
    const fn = new Function(...names, `return ${names.join(' + ')};`) as (...a: number[]) => number;
    const u = nb.vectorize(`f8(${Array(63).fill('f8').join(', ')})`)(fn);
    const args = names.map((_, i) => nb.array([i, 2 * i]));
    const total = (63 * 62) / 2;
    expect(u(...args).toArray()).toEqual([total, 2 * total]);
  });

  it('expressions nested past the limit are NB7003, not a RangeError from the middle of the compiler', () => {
    const e = kernelError(() => nb.vectorize('f8(f8)')(new Function('x', `return ${Array(4000).fill('x').join(' + ')};`) as (x: number) => number));
    expect(e.code).toBe('NB7003');
    // Deeper than acorn's own stack (source text: V8 itself cannot build such a function):
    // still NB7003, from acorn's "Not enough stack space".
    const parens = `(x) => ${'('.repeat(5000)}x${' + 1)'.repeat(5000)}`;
    expect(kernelError(() => compileKernel(parens, 'f8(f8)', { kind: 'scalar' })).code).toBe('NB7003');
  });

  it('asc crashing prints no banner on stderr: a typed AscCompileError (E_TARGET_COMPILE) with its text, then compiles work again', () => {
    injectCompilerFault('asc-crash');
    let err: unknown;
    const printed = stderrOf(() => {
      try {
        compileSync('export function f(): i32 { return 1; }');
      } catch (e) {
        err = e;
      }
    });
    expect(err).toBeInstanceOf(AscCompileError);
    expect((err as AscCompileError).code).toBe('E_TARGET_COMPILE');
    expect((err as AscCompileError).message).toContain('Whoops');
    expect(printed).toBe('');
    expect(compileSync('export function g(): i32 { return 2; }').binary.length).toBeGreaterThan(8);
  });
});
