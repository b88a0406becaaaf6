/**
 * Every function form `fn.toString()` may return parses: arrows, function expressions and
 * declarations, method shorthand (what a class's static method — and so a decorated
 * method — prints), `static`/private method text, and transpiler output (vitest's oxc
 * reformatting; tsx/esbuild's minified text and keepNames `__name(...)` wrappers).
 */
import { describe, expect, test } from 'vitest';
import { compileKernel } from '../../src/compiler/compile.js';
import { parseKernelSignature } from '../../src/compiler/signature.js';
import { KernelError } from '../../src/util/errors.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

class Kernels {
  static twice(x: number): number {
    return x * 2;
  }
  static withLocals(x: number): number {
    const y = x + 1.0;
    return y * 2;
  }
}

const obj = {
  m(x: number) {
    return x * 2;
  },
  ['computed'](x: number) {
    return x * 2;
  },
};

function declared(x: number) {
  return x * 2;
}

const FORMS: [string, any][] = [
  ['an arrow with an expression body', (x: number) => x * 2],
  ['an arrow with a block body', (x: number) => { return x * 2; }],
  ['an arrow without parentheses', 'x => x * 2'],
  ['an anonymous function expression', function (x: number) { return x * 2; }],
  ['a named function expression', function named(x: number) { return x * 2; }],
  ['a function declaration', declared],
  ['method shorthand', obj.m],
  ['a computed method name', obj.computed],
  ['a static class method', Kernels.twice],
  ['method text with a static prefix', 'static f(x) {\n  return x * 2;\n}'],
  ['a private method text', '#f(x) { return x * 2; }'],
  ['tsx/esbuild minified output', 'x=>{const y=x;return y*2}'],
  ['esbuild keepNames wrappers', '(x) => { __name(x, "x"); return __name(x, "y") * 2; }'],
  ['a use strict directive', 'function (x) { "use strict"; return x * 2; }'],
  ['an empty statement after a block (oxc output)', '(x) => { let s = 0; for (let i = 0; i < 2; i++) { s += x; }; return s; }'],
];

describe('kernel forms', () => {
  test.each(FORMS)('%s', (_, fn) => {
    const k = compileKernel(fn, 'f8(f8)', { kind: 'scalar' });
    expect(k.jsKernel(21)).toBe(42);
  });

  test('a static method with locals, as the decorator will pass it', () => {
    expect(compileKernel(Kernels.withLocals, 'f8(f8)', { kind: 'scalar' }).jsKernel(1)).toBe(4);
  });

  test('a nested function wrapped by esbuild keepNames is still rejected', () => {
    try {
      compileKernel('x=>{const inner=__name(z=>z,"inner");return inner(x)}', 'f8(f8)', { kind: 'scalar' });
      expect.unreachable();
    } catch (e) {
      expect((e as KernelError).code).toBe('NB1025');
    }
  });

  test('vitest reformats the text fn.toString() returns (2.0 prints as 2): literals are weak either way', () => {
    const k = compileKernel(Kernels.withLocals, 'f4(f4)', { kind: 'scalar' });
    expect(k.irText).toContain('(add:float32 x 1:float32)');
  });
});

describe('signatures', () => {
  test('scalar signatures with names and aliases', () => {
    expect(parseKernelSignature('float64(float64, float64)')).toMatchObject({ returns: 'float64', args: [{ dtype: 'float64', ndim: 0 }, { dtype: 'float64', ndim: 0 }] });
    expect(parseKernelSignature('f8(f8,f8)')).toMatchObject({ returns: 'float64', args: [{ dtype: 'float64' }, { dtype: 'float64' }] });
    expect(parseKernelSignature(' i4 ( u1 , b1, boolean, f4 ) ').args.map((a) => a.dtype)).toEqual(['uint8', 'bool', 'bool', 'float32']);
    expect(parseKernelSignature('i8()').args).toEqual([]);
  });

  test('array arguments with their core ndim', () => {
    const s = parseKernelSignature('void(float64[:,:], float64[:], float64[:])');
    expect(s.returns).toBe('void');
    expect(s.args.map((a) => a.ndim)).toEqual([2, 1, 1]);
    expect(parseKernelSignature('void(f4[:, ::1], i8[::1])').args.map((a) => a.contiguous)).toEqual([[false, true], [true]]);
  });
});
