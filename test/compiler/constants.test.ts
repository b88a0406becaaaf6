/**
 * Issue 13 item 2 (scalar part): `options.constants`, values a kernel reads by name, frozen at
 * compile time (Numba's globals). A constant lowers to a `const` node typed by the literal
 * rule (ir/weak.ts), decided by its value: an integer-valued number below 2^53 a weak int,
 * any other number (`0.5`, -0, NaN, Infinity, 2^53 and beyond) a weak float, a bigint a weak
 * int, a boolean a bool. A parameter or local of the same name shadows it.
 *
 * Kernels are source strings (vitest's esbuild would reprint literals); the reference is the
 * same source evaluated as plain JavaScript with the constants in scope.
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, type CompileKernelOptions } from '../../src/compiler/compile.js';
import { compileStencil } from '../../src/compiler/stencil.js';
import type { KernelConstants } from '../../src/compiler/constants.js';
import { kernelErrorOf } from '../helpers/errors.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The kernel's source as plain JavaScript, with the constants in scope (the oracle). */
const plain = (src: string, constants: Record<string, unknown>): (...a: any[]) => any =>
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function(...Object.keys(constants), `return (${src});`)(...Object.values(constants));

const compile = (src: string, sig: string, constants: KernelConstants, extra: Partial<CompileKernelOptions> = {}) =>
  compileKernel(src, sig, { kind: 'scalar', constants, ...extra } as CompileKernelOptions);
const ir = (src: string, sig: string, constants: KernelConstants) => compile(src, sig, constants).irText;

describe('constants are typed by the literal rule', () => {
  test('an integer-valued number is a weak int: it keeps an int32 operand int32, as the literal 3 does', () => {
    expect(ir('(x) => x * K', '(int32)', { K: 3 })).toContain('(mul:int32 x 3:int32)');
    expect(ir('(x) => x * K', '(int32)', { K: 3 })).toContain('-> int32');
    expect(ir('(x) => { let s = K; return s + x; }', '(int32)', { K: 3 })).toContain('let s: int64');
  });

  test('a non-integral number is a weak float: int32 arithmetic becomes float64, float32 stays float32', () => {
    expect(ir('(x) => x * K', '(int32)', { K: 0.5 })).toContain('(mul:float64 (cast int32->float64 x) 0.5:float64)');
    expect(ir('(x) => x * K', '(float32)', { K: 0.5 })).toContain('(mul:float32 x 0.5:float32)');
    expect(ir('(x) => { let s = K; return s + x; }', '(int32)', { K: 2.5 })).toContain('let s: float64');
  });

  test('-0, NaN, Infinity and integers from 2^53 on are weak floats', () => {
    for (const v of [-0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 60), 1e300]) {
      expect(ir('(x) => { let s = K; return x + s; }', '(int32)', { K: v })).toContain('let s: float64');
    }
    // Just below 2^53: still an int.
    expect(ir('(x) => { let s = K; return x + s; }', '(int32)', { K: 2 ** 53 - 1 })).toContain('let s: int64');
  });

  test('special float values compute as plain JavaScript', () => {
    const cases: [string, Record<string, number>, number[]][] = [
      ['(x) => 1 / (x * 0 + Z)', { Z: -0 }, [1, -2]],
      ['(x) => x < INF ? x + NAN : -x', { INF: Infinity, NAN: NaN }, [1, -2]],
      ['(x) => x * NEG', { NEG: -Infinity }, [2, 0, -1]],
      ['(x) => x + BIG', { BIG: 2 ** 60 }, [1, 3]],
    ];
    for (const [src, c, xs] of cases) {
      const k = compile(src, 'f8(f8)', c);
      const ref = plain(src, c);
      for (const x of xs) expect(Object.is(k.jsKernel(x), ref(x))).toBe(true);
    }
  });

  test('a boolean is a bool', () => {
    expect(ir('(x) => { let b = F; return b ? x : -x; }', '(float64)', { F: true })).toContain('let b: bool');
    for (const F of [true, false]) {
      const src = '(x) => F ? x * 2 : -x';
      expect(compile(src, 'f8(f8)', { F }).jsKernel(3)).toBe(plain(src, { F })(3));
    }
  });

  test('a bigint is a weak int of its exact value: it reaches int64 exactly and wraps as NumPy int64', () => {
    const B = 2n ** 62n + 12345n;
    expect(ir('(x) => x + B', 'int64(int64)', { B })).toContain(`(add:int64 x ${B}:int64)`);
    expect(compile('(x) => x + B', 'int64(int64)', { B }).jsKernel(1n)).toBe(1n + B);
    // 2^63 - 1 + 1 wraps to -2^63 in int64 (NumPy's fixed width; plain JS bigints do not wrap).
    const M = 2n ** 63n - 1n;
    expect(compile('(x) => x + M', 'int64(int64)', { M }).jsKernel(1n)).toBe(BigInt.asIntN(64, 1n + M));
    // With an int32 operand, a small bigint keeps int32 (weak), as the literal 5n would.
    expect(ir('(x) => x * B', '(int32)', { B: 5n })).toContain('(mul:int32 x 5:int32)');
  });

  test('float64 kernels equal plain JavaScript with the constants in scope', () => {
    const c = { scale: 2.5, offset: -3, n: 4, on: true };
    const src = '(x) => { let s = offset; for (let i = 0; i < n; i++) s += x * scale; return on ? s : 0; }';
    const k = compile(src, 'f8(f8)', c);
    const ref = plain(src, c);
    for (const x of [0, 1.25, -7, 1e10]) expect(k.jsKernel(x)).toBe(ref(x));
  });
});

describe('scoping', () => {
  test('a parameter or local of the same name shadows the constant, as in JavaScript', () => {
    const c = { K: 10 };
    for (const src of [
      '(K) => K + 1',
      '(x) => { const K = 1; return x + K; }',
      '(x) => { let r = K; { const K = 1; r += K; } return r + K; }',
      '(x) => { let r = 0; for (let K = 0; K < 3; K++) r += K; return r + K + x; }',
    ]) {
      expect(compile(src, 'f8(f8)', c).jsKernel(5)).toBe(plain(src, c)(5));
    }
  });

  test('a use of a shadowing local before its declaration is the temporal dead zone (NB2011), not the constant', () => {
    expect(kernelErrorOf(() => compile('(x) => { let r = K; const K = 1; return r; }', 'f8(f8)', { K: 10 })).code).toBe('NB2011');
  });

  test('helpers read the constants too', () => {
    const k = compile('(x) => twice(x) + K', 'f8(f8)', { K: 0.5 }, { helpers: { twice: '(v) => v * K * 4' } });
    expect(k.jsKernel(3)).toBe(3 * 0.5 * 4 + 0.5);
  });

  test('a constant may be called, indexed or assigned nowhere: NB2021', () => {
    for (const src of ['(x) => K(x)', '(x) => x + K[0]', '(x) => x + K.length', '(x) => { K = x; return x; }', '(x) => { K += 1; return x; }']) {
      const e = kernelErrorOf(() => compile(src, 'f8(f8)', { K: 2 }));
      expect(e.code).toBe('NB2021');
      expect(e.message).toContain("constant 'K'");
    }
  });

  test('a free name that is not a constant is still NB1010', () => {
    expect(kernelErrorOf(() => compile('(x) => x + J', 'f8(f8)', { K: 2 })).code).toBe('NB1010');
  });
});

describe('checks of the constants record', () => {
  const bad = (constants: unknown, extra: Partial<CompileKernelOptions> = {}) => {
    try {
      compile('(x) => x', 'f8(f8)', constants as KernelConstants, extra);
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected a throw');
  };

  test('names must be identifiers that are neither keywords nor globals the kernel language reads', () => {
    for (const key of ['a-b', '1x', '', 'two words', 'if', 'true', 'Math', 'NaN', 'Infinity', 'undefined']) {
      const e = bad({ [key]: 1 });
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain(`'${key}'`);
    }
    // Unicode identifiers and $ are fine.
    expect(compile('(x) => x * π + $k', 'f8(f8)', { π: Math.PI, $k: 1 }).jsKernel(1)).toBe(Math.PI + 1);
  });

  test('values other than numbers, bigints and booleans are a TypeError naming the key', () => {
    for (const v of ['3', { a: 1 }, () => 1, undefined, null, [1, 2], Symbol('s')]) {
      const e = bad({ k: v });
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain("constant 'k'");
    }
    const f = bad({ k: () => 1 });
    expect(f.message).toContain('options.helpers');
  });

  test('typed arrays are tables (test/compiler/constant-tables.test.ts); a DataView is a TypeError naming the key', () => {
    expect(compile('(x) => x * lut[1]', 'f8(f8)', { lut: new Float64Array([1, 2]) }).jsKernel(3)).toBe(6);
    const e = bad({ view: new DataView(new ArrayBuffer(4)) });
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toContain("constant 'view'");
  });

  test('a constant with a helper\'s name is a TypeError', () => {
    const e = bad({ sq: 2 }, { helpers: { sq: '(v) => v * v' } });
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toContain("'sq' is both a constant and a helper");
  });

  test('the record itself must be an object', () => {
    for (const v of [3, 'K', [1], new Float64Array(1)]) expect(bad(v)).toBeInstanceOf(TypeError);
  });
});

describe('the compiled output', () => {
  test('the IR shows the value where the name was read', () => {
    const t = ir('(x) => x * scale + shift', 'f8(f8)', { scale: 1.5, shift: 7 });
    expect(t).toContain('1.5:float64');
    expect(t).toContain('7:float64');
    expect(t).not.toContain('scale');
  });

  test('the compile key differs with the constants, and not with an unused one', () => {
    const key = (c: KernelConstants) => compile('(x) => x * K', 'f8(f8)', c).key;
    expect(key({ K: 2 })).not.toBe(key({ K: 3 }));
    expect(key({ K: 2 })).toBe(key({ K: 2 }));
    expect(key({ K: 2, unused: 5 })).toBe(key({ K: 2 }));
  });

  test('stencil offsets may be integer constants', () => {
    const s = compileStencil('(a) => a(-R) + a(R)', 'float64(float64)', { constants: { R: 2 } });
    expect(s.neighborhood).toEqual([[-2, 2]]);
    // A float constant is rejected as the literal would be.
    const literal = kernelErrorOf(() => compileStencil('(a) => a(-0.5)', 'float64(float64)')).code;
    expect(kernelErrorOf(() => compileStencil('(a) => a(-R)', 'float64(float64)', { constants: { R: 0.5 } })).code).toBe(literal);
  });
});
