/**
 * Hostile kernels (issue 19): reproducers that once gave wrong answers, hung the compiler or
 * crashed its worker. Each test is named after the issue item it pins; all assert codes and
 * results, never wording or time.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

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

  it('shadowed other globals (Number, isNaN, isFinite, Infinity, NaN, undefined) resolve to the binding', () => {
    // Member or call uses of a shadowed name are NB1037 ...
    expect(kernelError(() => nb.vectorize('f8(f8)')((Number: any) => Number.EPSILON)).code).toBe('NB1037');
    expect(kernelError(() => nb.vectorize('f8(f8)')((isNaN: any) => (isNaN(1) ? 1 : 0))).code).toBe('NB1037');
    expect(kernelError(() => nb.vectorize('f8(f8, f8)')((isFinite: any, y: number) => (isFinite(y) ? 1 : 0))).code).toBe('NB1037');
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
