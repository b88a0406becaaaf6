/**
 * THE table of built-in ufuncs: one row per ufunc (see ufunc-row.ts for the fields and
 * loop-types.ts for how loop bodies are written). `npm run generate` turns it into the
 * AssemblyScript loops in asm/loops/generated/ and the named exports in
 * src/builtins/generated/exports.ts; test/builtins/table.test.ts checks both are current.
 *
 * Loops are listed in NumPy's order (bool, int8, uint8, ..., float32, float64): dispatch
 * takes the first loop the inputs can be cast to safely, so the order is semantics.
 * AssemblyScript helpers used by the bodies live in asm/ufunc/ (NumPy semantics for
 * integer division, modulo, shifts...) and asm/math/ (SIMD transcendentals).
 */
import type { UfuncRow } from './ufunc-row.js';
import { FLOATS, INTS, NUMERIC, ALL, same, toType, typed } from './loop-types.js';

const vop = (op: string) => (t: { ins: string[] }) => `v128.${op}<${t.ins[0]}>(va, vb)`;
const vop1 = (op: string) => (t: { ins: string[] }) => `v128.${op}<${t.ins[0]}>(va)`;
/** i64x2 has no SIMD min/max/compare-gt in all forms: only give SIMD to narrower lanes. */
const narrow = (t: { ins: string[] }) => !/64/.test(t.ins[0]!) || t.ins[0]!.startsWith('f');

export const UFUNC_TABLE = {
  add: {
    numpy: 'add', nin: 2, nout: 1, resolver: 'uniform', identity: 0, reorderable: true,
    doc: 'Add arguments element-wise.',
    example: "nb.add(nb.array([1, 2]), 3).toArray(); // [4n, 5n]",
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a || b', simd: () => 'v128.or(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, { scalar: () => 'a + b', simd: vop('add'), reduce: 'simd' }),
      ...same(FLOATS, 2, 1, { scalar: () => 'a + b', simd: vop('add'), reduce: 'pairwise' }),
    ],
  },
  subtract: {
    numpy: 'subtract', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: false,
    doc: 'Subtract arguments, element-wise.',
    example: 'nb.subtract(nb.array([5.5, 2]), 1).toArray(); // [4.5, 1]',
    loops: [...same(NUMERIC, 2, 1, { scalar: () => 'a - b', simd: vop('sub') })],
  },
  multiply: {
    numpy: 'multiply', nin: 2, nout: 1, resolver: 'uniform', identity: 1, reorderable: true,
    doc: 'Multiply arguments element-wise.',
    example: 'nb.multiply(nb.array([1.5, 2]), 2).toArray(); // [3, 4]',
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a && b', simd: () => 'v128.and(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, {
        scalar: () => 'a * b',
        simd: (t) => (t.ins[0] === 'i8' || t.ins[0] === 'u8' ? undefined : vop('mul')(t)),
        reduce: 'simd',
      }),
      ...same(FLOATS, 2, 1, { scalar: () => 'a * b', simd: vop('mul'), reduce: 'sequential' }),
    ],
  },
  divide: {
    numpy: 'divide', nin: 2, nout: 1, identity: null, reorderable: false, resolver: 'trueDivide',
    doc: 'Divide arguments element-wise (true division: integers give float64).',
    example: 'nb.divide(nb.array([1, 2]), 4).toArray(); // [0.25, 0.5]',
    loops: [...same(FLOATS, 2, 1, { scalar: () => 'a / b', simd: vop('div') })],
  },
  negative: {
    numpy: 'negative', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Numerical negative, element-wise.',
    example: "nb.negative(nb.array([1, -2], { dtype: 'int8' })).toArray(); // [-1, 2]",
    loops: [...same(NUMERIC, 1, 1, { scalar: (t) => `<${t.outs[0]}>(-a)`, simd: vop1('neg') })],
  },
  sqrt: {
    numpy: 'sqrt', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the non-negative square-root of an array, element-wise.',
    example: 'nb.sqrt(nb.array([4, 9])).toArray(); // [2, 3]',
    loops: [...same(FLOATS, 1, 1, { scalar: (t) => `sqrt<${t.ins[0]}>(a)`, simd: vop1('sqrt') })],
  },
  maximum: {
    numpy: 'maximum', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: true,
    doc: 'Element-wise maximum of array elements; NaNs propagate.',
    example: 'nb.maximum(nb.array([1, NaN, 3]), 2).toArray(); // [2, NaN, 3]',
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a || b', simd: () => 'v128.or(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, {
        scalar: () => '(a >= b ? a : b)',
        simd: (t) => (narrow(t) ? vop('max')(t) : undefined),
        reduce: 'simd',
      }),
      ...same(FLOATS, 2, 1, { scalar: (t) => `maxNaN<${t.ins[0]}>(a, b)`, simd: vop('max'), reduce: 'simd' }),
    ],
  },
  less: {
    numpy: 'less', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return the truth value of (x1 < x2) element-wise.',
    example: 'nb.less(nb.array([1, 5]), 3).toArray(); // [true, false]',
    loops: [...toType(ALL, 2, 'bool', { scalar: () => 'a < b' })],
  },
  divmod: {
    numpy: 'divmod', nin: 2, nout: 2, identity: null, reorderable: false,
    doc: 'Return element-wise quotient and remainder simultaneously (floor division, Python-sign modulo).',
    example: 'const [q, r] = nb.divmod(nb.array([7, -7]), 2); // q: [3n, -4n], r: [1n, 1n]',
    loops: [
      ...same(INTS, 2, 2, { scalar: (t) => `r0 = floorDivInt<${t.ins[0]}>(a, b); r1 = modInt<${t.ins[0]}>(a, b);` }),
      ...same(FLOATS, 2, 2, { scalar: (t) => `r0 = floorDivFloat<${t.ins[0]}>(a, b); r1 = modFloat<${t.ins[0]}>(a, b);` }),
    ],
  },
} satisfies Record<string, UfuncRow>;

/** The numbats names of the built-in ufuncs. */
export type UfuncName = keyof typeof UFUNC_TABLE;
