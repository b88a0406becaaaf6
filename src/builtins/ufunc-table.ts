/**
 * THE table of built-in ufuncs: one row per ufunc (see ufunc-row.ts for the fields and
 * loop-types.ts for how loop bodies are written). `npm run generate` turns it into the
 * AssemblyScript loops in asm/loops/generated/ and the named exports in
 * src/builtins/generated/exports.ts; test/builtins/table.test.ts checks both are current.
 *
 * Loops are listed in NumPy's order (bool, int8, uint8, ..., float32, float64): dispatch
 * takes the first loop the inputs can be cast to safely, so the order is semantics.
 * test/builtins/table.test.ts checks every row's loops against NumPy 2.4's `ufunc.types`.
 * AssemblyScript helpers used by the bodies live in asm/ufunc/ (NumPy semantics for
 * integer division, modulo, shifts, gcd, nextafter, frexp...: ops.ts, int-ops.ts,
 * float-ops.ts) and asm/math/ (SIMD transcendentals).
 *
 * Adding a ufunc is one row here, then the regenerated files: `npm run generate` (AS loops,
 * exports, src/builtins/generated/ufuncs.json and result-types.ts), `python3
 * scripts/ufunc-fixtures.py` (NumPy's answers for the ufuncs of ufuncs.json) and `npm run
 * build:asm`. The tests iterate the table:
 * table.test.ts (NumPy's attributes and loops, the doc example), conformance.test.ts (every
 * loop against NumPy in four layouts), resolution.test.ts, and test/gpu/builtins.test.ts for
 * rows with `gpu` sources. No other file lists the ufuncs.
 *
 * Rows are grouped as NumPy's docs group them: arithmetic, exponents and logarithms,
 * trigonometric and hyperbolic, rounding, comparison and logic, bit twiddling, floating
 * point functions, number theory.
 *
 * SIMD bodies exist where Wasm SIMD has the operation and it computes exactly the scalar
 * body's lanes (including NaN and signed zeros). Shifts, divisions of integers and the
 * transcendentals stay scalar: Wasm has no integer vector division, and shifts by counts
 * past the width must give NumPy's answer, not the lane-masked count's.
 */
import type { GpuSources, UfuncRow } from './ufunc-row.js';
import {
  ALL, FLOATS, INTS, NUMERIC, byteLanes, fn1, fn2, laneOf, math1, math2, same, toType, typed, vop, vop1,
  type LoopTrap, type LoopTypes,
} from './loop-types.js';

/** i64x2 has no SIMD min/max and u64 lanes no ordered compare: SIMD only for narrower lanes. */
const narrow = (t: LoopTypes) => !/64/.test(t.ins[0]!) || t.ins[0]!.startsWith('f');
/** Integer lanes with a SIMD multiply (there is no i8x16.mul). */
const hasMul = (t: LoopTypes) => t.ins[0] !== 'i8' && t.ins[0] !== 'u8';
/** A 0/-1 byte mask as a bool (0/1) byte vector. */
const maskToBool = (mask: string) => `v128.neg<i8>(${mask})`;
/** The zero vector. */
const ZERO = 'v128.splat<i32>(0)';
/** Integer max/min as SIMD: native lanes up to 32 bits, i64 through a compare-select. */
const intMaxMin = (op: 'max' | 'min') => (t: LoopTypes) => {
  if (narrow(t)) return vop(op)(t);
  if (t.ins[0] === 'i64') return op === 'max' ? 'v128.bitselect(va, vb, v128.gt<i64>(va, vb))' : 'v128.bitselect(va, vb, v128.lt<i64>(va, vb))';
  return undefined;
};
/** Comparisons of 1-byte lanes as SIMD (bool results are bytes too); wider lanes stay scalar. */
const cmpSimd = (op: string) => (t: LoopTypes) => (byteLanes(t) ? maskToBool(`v128.${op}<${laneOf(t.ins[0]!)}>(va, vb)`) : undefined);
/** Comparison bodies for bool inputs (AS has no ordering on bool: compare as bytes). */
const cmpScalar = (op: string) => (t: LoopTypes) => (t.ins[0] === 'bool' ? `<u8>a ${op} <u8>b` : `a ${op} b`);

/** The mixed int64/uint64 comparison loops NumPy 2 added (exact, no float64 round trip). */
function mixedCompare(su: string, us: string) {
  return [typed('int64,uint64->bool', { scalar: () => su }), typed('uint64,int64->bool', { scalar: () => us })];
}

/** A comparison row: bool, the integers, the mixed 64-bit pairs, the floats (NumPy's order). */
function comparison(op: string, su: string, us: string) {
  const body = { scalar: cmpScalar(op), simd: cmpSimd(CMP_OP[op]!) };
  return [...toType(['bool', ...INTS], 2, 'bool', body), ...mixedCompare(su, us), ...toType(FLOATS, 2, 'bool', body)];
}
const CMP_OP: Record<string, string> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/** `x != 0` for the truth value of an input (NaN is true, as in NumPy). */
const truth = (t: LoopTypes, v: string) => (t.ins[0] === 'bool' ? v : `${v} != 0`);

/** A logical row (and/or/xor): inputs are tested for truth, the output is bool. */
function logical(op: '&&' | '||' | '!=', vec: 'and' | 'or' | 'xor') {
  return toType(ALL, 2, 'bool', {
    scalar: (t) => `(${truth(t, 'a')}) ${op} (${truth(t, 'b')})`,
    simd: (t) => {
      if (t.ins[0] === 'bool') return `v128.${vec}(va, vb)`;
      if (!byteLanes(t)) return undefined;
      return maskToBool(`v128.${vec}(v128.ne<i8>(va, ${ZERO}), v128.ne<i8>(vb, ${ZERO}))`);
    },
  });
}

/**
 * The SIMD transcendentals of asm/math/: `<f>64(a)` / `<f>32(a)` for scalars and tails,
 * `<f>64x2(va)` / `<f>32x4(va)` for the vector rows (exp64, exp64x2, sin32x4, ...), and
 * `rows64` (e.g. exp64x2Rows) for the float64 contiguous rows when the module has one.
 */
const simdMath = (f: string, rows64?: string) => ({
  scalar: (t: LoopTypes) => `${f}${t.ins[0] === 'f64' ? '64' : '32'}(a)`,
  simd: (t: LoopTypes) => `${f}${t.ins[0] === 'f64' ? '64x2' : '32x4'}(va)`,
  rows: (t: LoopTypes) => (t.ins[0] === 'f64' ? rows64 : undefined),
});

/** A unary row of float loops computing `scalar` (transcendentals: no SIMD yet). */
const floatUnary = (scalar: (t: LoopTypes) => string, simd?: (t: LoopTypes) => string | undefined) => same(FLOATS, 1, 1, { scalar, simd });

/** NumPy's error for integer powers with a negative exponent (the loop traps; see LoopTrap). */
const NEGATIVE_POWER: LoopTrap = { code: 'E_VALUE_NEGATIVE_POWER', message: 'Integers to negative integer powers are not allowed.' };

/** The v128 splat of the sign bit of float lanes. */
const signMask = (t: LoopTypes) => (t.ins[0] === 'f64' ? 'v128.splat<i64>(i64.MIN_VALUE)' : 'v128.splat<i32>(i32.MIN_VALUE)');
/** A float constant of the loop's type, computed in that type (NumPy's `NPY_PIf / 180.0f`). */
const fconst = (t: LoopTypes, expr: (c: (x: string) => string) => string) => expr((x) => `<${t.ins[0]}>${x}`);

// ---- gpu kernel sources (the rows' `gpu`; see GpuSources) ------------------------------------
// Kernel-language sources (JavaScript semantics, compiled to WGSL): NumPy's meaning is spelled
// out where JavaScript's differs. Transcendentals are the WGSL prelude's float32 algorithms
// (a few ulps; exp2 and power WGSL's exp2), special values NumPy's on every adapter
// (test/gpu/special-values.test.ts), and NaN payload signs are not kept.

const unaryF = (body: string): GpuSources => ({ f: `(a) => ${body}` });
const binF = (body: string): GpuSources => ({ f: `(a, b) => ${body}` });
const same2 = (body: string, b?: string): GpuSources => ({ f: `(a, b) => ${body}`, i: `(a, b) => ${body}`, ...(b ? { b: `(a, b) => ${b}` } : {}) });
const cmp = (op: string): GpuSources => ({ f: `(a, b) => a ${op} b`, i: `(a, b) => a ${op} b`, b: `(a, b) => a ${op} b` });
/** floor/ceil/trunc of an integer or bool: itself (NumPy's integer loops). */
const rounding = (body: string): GpuSources => ({ f: `(a) => ${body}`, i: '(a) => a', b: '(a) => a' });

/**
 * NumPy's float32 constants of deg2rad and rad2deg, computed in float32 (`NPY_PIf / 180.0f`),
 * for the gpu kernels (a literal times a float32 is a float32 product).
 */
const DEG2RAD_F32 = Math.fround(Math.fround(Math.PI) / 180);
const RAD2DEG_F32 = Math.fround(180 / Math.fround(Math.PI));

/** x * (pi / 180) and x * (180 / pi), the constant rounded in the loop dtype (deg2rad = radians, rad2deg = degrees). */
const toRadians = floatUnary(
  (t) => fconst(t, (c) => `a * (${c('Math.PI')} / ${c('180.0')})`),
  (t) => fconst(t, (c) => `v128.mul<${t.ins[0]}>(va, v128.splat<${t.ins[0]}>(${c('Math.PI')} / ${c('180.0')}))`),
);
const toDegrees = floatUnary(
  (t) => fconst(t, (c) => `a * (${c('180.0')} / ${c('Math.PI')})`),
  (t) => fconst(t, (c) => `v128.mul<${t.ins[0]}>(va, v128.splat<${t.ins[0]}>(${c('180.0')} / ${c('Math.PI')}))`),
);

export const UFUNC_TABLE = {
  // ---- arithmetic -------------------------------------------------------------------------
  add: {
    numpy: 'add', nin: 2, nout: 1, resolver: 'uniform', identity: 0, reorderable: true,
    doc: 'Add arguments element-wise.',
    example: "nb.add(nb.array([1, 2]), 3).toArray(); // [4n, 5n]",
    gpu: same2('a + b', 'a || b'),
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
    gpu: same2('a - b'),
    loops: [...same(NUMERIC, 2, 1, { scalar: () => 'a - b', simd: vop('sub') })],
  },
  multiply: {
    numpy: 'multiply', nin: 2, nout: 1, resolver: 'uniform', identity: 1, reorderable: true,
    doc: 'Multiply arguments element-wise.',
    example: 'nb.multiply(nb.array([1.5, 2]), 2).toArray(); // [3, 4]',
    gpu: same2('a * b', 'a && b'),
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a && b', simd: () => 'v128.and(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, { scalar: () => 'a * b', simd: (t) => (hasMul(t) ? vop('mul')(t) : undefined), reduce: 'simd' }),
      ...same(FLOATS, 2, 1, { scalar: () => 'a * b', simd: vop('mul'), reduce: 'sequential' }),
    ],
  },
  divide: {
    numpy: 'divide', nin: 2, nout: 1, identity: null, reorderable: false, resolver: 'trueDivide',
    doc: 'Divide arguments element-wise (true division: integers give float64).',
    example: 'nb.divide(nb.array([1, 2]), 4).toArray(); // [0.25, 0.5]',
    gpu: binF('a / b'),
    loops: [...same(FLOATS, 2, 1, { scalar: () => 'a / b', simd: vop('div') })],
  },
  floorDivide: {
    numpy: 'floor_divide', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Return the largest integer smaller or equal to the division of the inputs (x // 0 is 0 for integers).',
    example: "nb.floorDivide(nb.array([7, -7], { dtype: 'int32' }), 2).toArray(); // [3, -4]",
    gpu: {
      i: '(a, b) => Math.floor(a / b)',
      // npy_floor_divide: through fmod so that the quotient is exact.
      f: `(a, b) => {
        if (b === 0) return a / b;
        const m = a % b;
        let d = (a - m) / b;
        if (m !== 0 && (b < 0) !== (m < 0)) d = d - 1;
        if (d !== 0) { let f = Math.floor(d); if (d - f > 0.5) f = f + 1; return f; }
        // A zero with the quotient's sign, by comparisons: (a / b) * 0 is folded to +0 by
        // shader compilers.
        let z = 0;
        if ((a < 0 || 1 / a < 0) !== (b < 0 || 1 / b < 0)) z = -z;
        return z;
      }`,
    },
    loops: [...same(INTS, 2, 1, { scalar: fn2('floorDivInt') }), ...same(FLOATS, 2, 1, { scalar: fn2('floorDivFloat') })],
  },
  power: {
    numpy: 'power', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'First array elements raised to powers from second array, element-wise (integer powers wrap; negative integer exponents throw).',
    example: "nb.power(nb.array([2, 3], { dtype: 'int32' }), 3).toArray(); // [8, 27]",
    ulps: 2,
    // C's pow (NumPy) differs from JavaScript's at pow(1, y) and pow(-1, ±inf): both are 1.
    gpu: binF('(a === 1 || b === 0 || (a === -1 && !Number.isFinite(b) && !Number.isNaN(b))) ? 1 : Math.pow(a, b)'),
    loops: [
      ...same(INTS, 2, 1, { scalar: fn2('powInt'), traps: NEGATIVE_POWER }),
      ...same(FLOATS, 2, 1, { scalar: fn2('powFloat') }),
    ],
  },
  remainder: {
    numpy: 'remainder', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: "Returns the element-wise remainder of division, with the sign of the divisor (Python's %).",
    example: 'nb.remainder(nb.array([7.5, -7.5]), 2).toArray(); // [1.5, 0.5]',
    gpu: {
      i: '(a, b) => { if (b === 0) return 0; let r = a % b; if (r !== 0 && (r < 0) !== (b < 0)) r = r + b; return r; }',
      f: '(a, b) => { let m = a % b; if (m !== 0) { if ((b < 0) !== (m < 0)) m = m + b; return m; } m = 0; if (b < 0) m = -m; return m; }',
    },
    loops: [...same(INTS, 2, 1, { scalar: fn2('modInt') }), ...same(FLOATS, 2, 1, { scalar: fn2('modFloat') })],
  },
  fmod: {
    numpy: 'fmod', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: "Returns the element-wise remainder of division, with the sign of the dividend (C's fmod).",
    example: 'nb.fmod(nb.array([7.5, -7.5]), 2).toArray(); // [1.5, -1.5]',
    gpu: { i: '(a, b) => a % b', f: '(a, b) => a % b' },
    loops: [...same(INTS, 2, 1, { scalar: fn2('fmodInt') }), ...same(FLOATS, 2, 1, { scalar: () => 'a % b' })],
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
  negative: {
    numpy: 'negative', nin: 1, nout: 1, resolver: 'uniform', identity: null, reorderable: false,
    doc: 'Numerical negative, element-wise.',
    example: "nb.negative(nb.array([1, -2], { dtype: 'int8' })).toArray(); // [-1, 2]",
    gpu: { f: '(a) => -a', i: '(a) => -a' },
    loops: [...same(NUMERIC, 1, 1, { scalar: (t) => `<${t.outs[0]}>(-a)`, simd: vop1('neg') })],
  },
  positive: {
    numpy: 'positive', nin: 1, nout: 1, resolver: 'uniform', identity: null, reorderable: false,
    doc: 'Numerical positive, element-wise (a copy).',
    example: 'nb.positive(nb.array([1.5, -2])).toArray(); // [1.5, -2]',
    gpu: { f: '(a) => a', i: '(a) => a' },
    loops: [...same(NUMERIC, 1, 1, { scalar: () => 'a', simd: () => 'va' })],
  },
  absolute: {
    numpy: 'absolute', nin: 1, nout: 1, resolver: 'uniform', identity: null, reorderable: false,
    doc: 'Calculate the absolute value element-wise (integer minimums wrap: absolute(int8 -128) is -128).',
    example: 'nb.absolute(nb.array([-1.5, 2])).toArray(); // [1.5, 2]',
    gpu: { f: '(a) => Math.abs(a)', i: '(a) => Math.abs(a)', b: '(a) => a' },
    loops: [
      typed('bool->bool', { scalar: () => 'a', simd: () => 'va' }),
      ...same(INTS, 1, 1, {
        scalar: (t) => (t.ins[0]!.startsWith('u') ? 'a' : `absInt<${t.ins[0]}>(a)`),
        simd: (t) => (t.ins[0]!.startsWith('u') ? 'va' : vop1('abs')(t)),
      }),
      ...same(FLOATS, 1, 1, { scalar: fn1('abs'), simd: vop1('abs') }),
    ],
  },
  fabs: {
    numpy: 'fabs', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Compute the absolute values element-wise, in a float dtype (integer inputs are cast to float).',
    example: "nb.fabs(nb.array([-3, 2], { dtype: 'int32' })).toArray(); // [3, 2]",
    gpu: unaryF('Math.abs(a)'),
    loops: same(FLOATS, 1, 1, { scalar: fn1('abs'), simd: vop1('abs') }),
  },
  sign: {
    numpy: 'sign', nin: 1, nout: 1, resolver: 'uniform', identity: null, reorderable: false,
    doc: 'Returns an element-wise indication of the sign of a number: -1, 0 or 1 (NaN for NaN).',
    example: 'nb.sign(nb.array([-5, 0, 2.5])).toArray(); // [-1, 0, 1]',
    // NumPy's sign(-0) is +0 (JavaScript's Math.sign keeps -0).
    gpu: { f: '(a) => a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : a', i: '(a) => Math.sign(a)' },
    loops: [...same(INTS, 1, 1, { scalar: fn1('signInt') }), ...same(FLOATS, 1, 1, { scalar: fn1('signFloat') })],
  },
  square: {
    numpy: 'square', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the element-wise square of the input.',
    example: "nb.square(nb.array([3, -4], { dtype: 'int16' })).toArray(); // [9, 16]",
    gpu: { f: '(a) => a * a', i: '(a) => a * a' },
    loops: [
      ...same(INTS, 1, 1, { scalar: () => 'a * a', simd: (t) => (hasMul(t) ? `v128.mul<${t.ins[0]}>(va, va)` : undefined) }),
      ...same(FLOATS, 1, 1, { scalar: () => 'a * a', simd: (t) => `v128.mul<${t.ins[0]}>(va, va)` }),
    ],
  },
  reciprocal: {
    numpy: 'reciprocal', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the reciprocal of the argument, element-wise (integers: 1 / x truncated, as NumPy).',
    example: 'nb.reciprocal(nb.array([2, 0.5])).toArray(); // [0.5, 2]',
    gpu: unaryF('1 / a'),
    loops: [
      ...same(INTS, 1, 1, { scalar: fn1('reciprocalInt') }),
      ...same(FLOATS, 1, 1, { scalar: (t) => `<${t.ins[0]}>1 / a`, simd: (t) => `v128.div<${t.ins[0]}>(v128.splat<${t.ins[0]}>(1), va)` }),
    ],
  },
  conjugate: {
    numpy: 'conjugate', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the complex conjugate, element-wise (the identity for real dtypes).',
    example: 'nb.conjugate(nb.array([1.5, -2])).toArray(); // [1.5, -2]',
    gpu: { f: '(a) => a', i: '(a) => a' },
    loops: [...same(NUMERIC, 1, 1, { scalar: () => 'a', simd: () => 'va' })],
  },
  floatPower: {
    numpy: 'float_power', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'First array elements raised to powers from second array, element-wise, computed in float64.',
    example: "nb.floatPower(nb.array([2, 4], { dtype: 'int8' }), -1).toArray(); // [0.5, 0.25]",
    ulps: 1,
    loops: [typed('float64,float64->float64', { scalar: fn2('powFloat') })],
  },
  sqrt: {
    numpy: 'sqrt', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the non-negative square-root of an array, element-wise.',
    example: 'nb.sqrt(nb.array([4, 9])).toArray(); // [2, 3]',
    gpu: unaryF('Math.sqrt(a)'),
    loops: [...floatUnary(fn1('sqrt'), vop1('sqrt'))],
  },
  cbrt: {
    numpy: 'cbrt', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the cube-root of an array, element-wise.',
    example: 'nb.cbrt(nb.array([8, -27])).toArray(); // [2, -3]',
    ulps: 1,
    gpu: unaryF('Math.cbrt(a)'),
    loops: [...floatUnary(math1('cbrt'))],
  },

  // ---- exponents and logarithms -------------------------------------------------------------
  // exp, exp2, log and log2 run asm/math/'s SIMD kernels; expm1, log10, log1p (no SIMD kernel
  // planned) use AssemblyScript's scalar Math.
  exp: {
    numpy: 'exp', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Calculate the exponential of all elements in the input array.',
    example: 'nb.exp(nb.array([0, 1])).toArray(); // [1, 2.718281828459045]',
    ulps: 2,
    gpu: unaryF('Math.exp(a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('exp', 'exp64x2Rows'))],
  },
  exp2: {
    numpy: 'exp2', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Calculate 2**p for all p in the input array.',
    example: 'nb.exp2(nb.array([3, -1])).toArray(); // [8, 0.5]',
    ulps: 2,
    gpu: unaryF('Math.pow(2, a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('exp2'))],
  },
  expm1: {
    numpy: 'expm1', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Calculate exp(x) - 1 for all elements in the array (accurate near 0).',
    example: 'nb.expm1(nb.array([1e-10])).toArray(); // [1.00000000005e-10]',
    ulps: 2,
    gpu: unaryF('Math.expm1(a)'),
    loops: [...floatUnary(math1('expm1'))],
  },
  log: {
    numpy: 'log', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Natural logarithm, element-wise.',
    example: 'nb.log(nb.array([1, Math.E])).toArray(); // [0, 1]',
    ulps: 2,
    gpu: unaryF('Math.log(a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('log'))],
  },
  log2: {
    numpy: 'log2', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Base-2 logarithm of x, element-wise.',
    example: 'nb.log2(nb.array([8, 0.5])).toArray(); // [3, -1]',
    ulps: 2,
    gpu: unaryF('Math.log2(a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('log2'))],
  },
  log10: {
    numpy: 'log10', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the base 10 logarithm of the input array, element-wise.',
    example: 'nb.log10(nb.array([1000, 0.01])).toArray(); // [3, -2]',
    ulps: 2,
    gpu: unaryF('Math.log10(a)'),
    loops: [...floatUnary(math1('log10'))],
  },
  log1p: {
    numpy: 'log1p', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the natural logarithm of one plus the input array, element-wise (accurate near 0).',
    example: 'nb.log1p(nb.array([0, 1e-10])).toArray(); // [0, 9.999999999500001e-11]',
    ulps: 2,
    gpu: unaryF('Math.log1p(a)'),
    loops: [...floatUnary(math1('log1p'))],
  },
  logaddexp: {
    numpy: 'logaddexp', nin: 2, nout: 1, identity: -Infinity, reorderable: true,
    doc: 'Logarithm of the sum of exponentiations of the inputs, log(exp(x1) + exp(x2)), without overflow.',
    example: 'nb.logaddexp(nb.array([1000]), 1000).toArray(); // [1000.6931471805599]',
    ulps: 2,
    gpu: binF('{ if (a === b) return a + Math.LN2; const m = Math.max(a, b); return m + Math.log1p(Math.exp(-Math.abs(a - b))); }'),
    loops: [...same(FLOATS, 2, 1, { scalar: fn2('logaddexpFloat'), reduce: 'sequential' })],
  },
  logaddexp2: {
    numpy: 'logaddexp2', nin: 2, nout: 1, identity: -Infinity, reorderable: true,
    doc: 'Logarithm of the sum of exponentiations of the inputs in base 2, log2(2**x1 + 2**x2).',
    example: 'nb.logaddexp2(nb.array([3]), 3).toArray(); // [4]',
    ulps: 2,
    gpu: binF('{ if (a === b) return a + 1; const m = Math.max(a, b); return m + Math.log1p(Math.pow(2, -Math.abs(a - b))) * Math.LOG2E; }'),
    loops: [...same(FLOATS, 2, 1, { scalar: fn2('logaddexp2Float'), reduce: 'sequential' })],
  },

  // ---- trigonometric and hyperbolic -----------------------------------------------------------
  // sin, cos and tanh run asm/math/'s SIMD kernels; the other trigonometric and hyperbolic
  // functions use AssemblyScript's scalar Math.
  sin: {
    numpy: 'sin', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Trigonometric sine, element-wise.',
    example: 'nb.sin(nb.array([0, Math.PI / 2])).toArray(); // [0, 1]',
    ulps: 2,
    gpu: unaryF('Math.sin(a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('sin'))],
  },
  cos: {
    numpy: 'cos', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Cosine element-wise.',
    example: 'nb.cos(nb.array([0, Math.PI])).toArray(); // [1, -1]',
    ulps: 2,
    gpu: unaryF('Math.cos(a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('cos'))],
  },
  tan: {
    numpy: 'tan', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Compute tangent element-wise.',
    example: 'nb.tan(nb.array([0])).toArray(); // [0]',
    ulps: 2,
    gpu: unaryF('Math.tan(a)'),
    loops: [...floatUnary(math1('tan'))],
  },
  arcsin: {
    numpy: 'arcsin', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Inverse sine, element-wise.',
    example: 'nb.arcsin(nb.array([0, 1])).toArray(); // [0, 1.5707963267948966]',
    ulps: 2,
    gpu: unaryF('Math.asin(a)'),
    loops: [...floatUnary(math1('asin'))],
  },
  arccos: {
    numpy: 'arccos', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Trigonometric inverse cosine, element-wise.',
    example: 'nb.arccos(nb.array([1, -1])).toArray(); // [0, 3.141592653589793]',
    ulps: 2,
    gpu: unaryF('Math.acos(a)'),
    loops: [...floatUnary(math1('acos'))],
  },
  arctan: {
    numpy: 'arctan', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Trigonometric inverse tangent, element-wise.',
    example: 'nb.arctan(nb.array([0, 1])).toArray(); // [0, 0.7853981633974483]',
    ulps: 2,
    gpu: unaryF('Math.atan(a)'),
    loops: [...floatUnary(math1('atan'))],
  },
  arctan2: {
    numpy: 'arctan2', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Element-wise arc tangent of x1/x2 choosing the quadrant correctly.',
    example: 'nb.arctan2(nb.array([1, -1]), -1).toArray(); // [2.356194490192345, -2.356194490192345]',
    ulps: 2,
    gpu: binF('Math.atan2(a, b)'),
    loops: [...same(FLOATS, 2, 1, { scalar: math2('atan2') })],
  },
  hypot: {
    numpy: 'hypot', nin: 2, nout: 1, identity: 0, reorderable: true,
    doc: 'Given the "legs" of a right triangle, return its hypotenuse, without overflow.',
    example: 'nb.hypot(nb.array([3, 5]), 4).toArray(); // [5, 6.4031242374328485]',
    ulps: 1,
    gpu: binF('Math.hypot(a, b)'),
    loops: [...same(FLOATS, 2, 1, { scalar: math2('hypot'), reduce: 'sequential' })],
  },
  sinh: {
    numpy: 'sinh', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Hyperbolic sine, element-wise.',
    example: 'nb.sinh(nb.array([0])).toArray(); // [0]',
    ulps: 2,
    gpu: unaryF('Math.sinh(a)'),
    loops: [...floatUnary(math1('sinh'))],
  },
  cosh: {
    numpy: 'cosh', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Hyperbolic cosine, element-wise.',
    example: 'nb.cosh(nb.array([0])).toArray(); // [1]',
    ulps: 2,
    gpu: unaryF('Math.cosh(a)'),
    loops: [...floatUnary(math1('cosh'))],
  },
  tanh: {
    numpy: 'tanh', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Compute hyperbolic tangent element-wise.',
    example: 'nb.tanh(nb.array([0, Infinity])).toArray(); // [0, 1]',
    ulps: 2,
    gpu: unaryF('Math.tanh(a)'),
    loops: [...same(FLOATS, 1, 1, simdMath('tanh'))],
  },
  arcsinh: {
    numpy: 'arcsinh', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Inverse hyperbolic sine element-wise.',
    example: 'nb.arcsinh(nb.array([0])).toArray(); // [0]',
    ulps: 2,
    gpu: unaryF('Math.asinh(a)'),
    loops: [...floatUnary(math1('asinh'))],
  },
  arccosh: {
    numpy: 'arccosh', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Inverse hyperbolic cosine, element-wise.',
    example: 'nb.arccosh(nb.array([1])).toArray(); // [0]',
    ulps: 2,
    gpu: unaryF('Math.acosh(a)'),
    loops: [...floatUnary(math1('acosh'))],
  },
  arctanh: {
    numpy: 'arctanh', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Inverse hyperbolic tangent element-wise.',
    example: 'nb.arctanh(nb.array([0])).toArray(); // [0]',
    ulps: 2,
    gpu: unaryF('Math.atanh(a)'),
    loops: [...floatUnary(math1('atanh'))],
  },
  deg2rad: {
    numpy: 'deg2rad', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Convert angles from degrees to radians (x * (pi / 180), the constant rounded in the loop dtype).',
    example: 'nb.deg2rad(nb.array([180])).toArray(); // [3.141592653589793]',
    gpu: { f: `(a) => a * ${DEG2RAD_F32}`, d: '(a) => a * (Math.PI / 180)' },
    loops: toRadians,
  },
  rad2deg: {
    numpy: 'rad2deg', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Convert angles from radians to degrees (x * (180 / pi), the constant rounded in the loop dtype).',
    example: 'nb.rad2deg(nb.array([Math.PI / 2])).toArray(); // [90]',
    gpu: { f: `(a) => a * ${RAD2DEG_F32}`, d: '(a) => a * (180 / Math.PI)' },
    loops: toDegrees,
  },

  degrees: {
    numpy: 'degrees', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Convert angles from radians to degrees (the same as rad2deg).',
    example: 'nb.degrees(nb.array([Math.PI, -Math.PI / 2])).toArray(); // [180, -90]',
    gpu: { f: `(a) => a * ${RAD2DEG_F32}`, d: '(a) => a * (180 / Math.PI)' },
    loops: toDegrees,
  },
  radians: {
    numpy: 'radians', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Convert angles from degrees to radians (the same as deg2rad).',
    example: 'nb.radians(nb.array([180, -90])).toArray(); // [3.141592653589793, -1.5707963267948966]',
    gpu: { f: `(a) => a * ${DEG2RAD_F32}`, d: '(a) => a * (Math.PI / 180)' },
    loops: toRadians,
  },

  // ---- rounding ---------------------------------------------------------------------------------
  floor: {
    numpy: 'floor', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the floor of the input, element-wise (integers are returned unchanged, as NumPy 2).',
    example: 'nb.floor(nb.array([-1.5, 2.5])).toArray(); // [-2, 2]',
    gpu: rounding('Math.floor(a)'),
    loops: [...same(['bool', ...INTS], 1, 1, { scalar: () => 'a', simd: () => 'va' }), ...floatUnary(fn1('floor'), vop1('floor'))],
  },
  ceil: {
    numpy: 'ceil', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the ceiling of the input, element-wise.',
    example: 'nb.ceil(nb.array([-1.5, 2.5])).toArray(); // [-1, 3]',
    gpu: rounding('Math.ceil(a)'),
    loops: [...same(['bool', ...INTS], 1, 1, { scalar: () => 'a', simd: () => 'va' }), ...floatUnary(fn1('ceil'), vop1('ceil'))],
  },
  trunc: {
    numpy: 'trunc', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the truncated value of the input, element-wise (rounded towards zero).',
    example: 'nb.trunc(nb.array([-1.5, 2.5])).toArray(); // [-1, 2]',
    gpu: rounding('Math.trunc(a)'),
    loops: [...same(['bool', ...INTS], 1, 1, { scalar: () => 'a', simd: () => 'va' }), ...floatUnary(fn1('trunc'), vop1('trunc'))],
  },
  rint: {
    numpy: 'rint', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Round elements of the array to the nearest integer (ties to even).',
    example: 'nb.rint(nb.array([0.5, 1.5, -2.5])).toArray(); // [0, 2, -2]',
    // Round half to even (NumPy's rint), from JavaScript's halves-up Math.round.
    gpu: unaryF('{ const r = Math.round(a); return (r - a === 0.5 && r % 2 !== 0) ? r - 1 : r; }'),
    loops: [...floatUnary(fn1('nearest'), vop1('nearest'))],
  },

  // ---- extrema ----------------------------------------------------------------------------------
  maximum: {
    numpy: 'maximum', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: true,
    doc: 'Element-wise maximum of array elements; NaNs propagate (equal arguments give the second, as NumPy 2).',
    example: 'nb.maximum(nb.array([1, NaN, 3]), 2).toArray(); // [2, NaN, 3]',
    // Equal floats (0 and -0) give the second for maximum/minimum (NumPy 2) and the first for
    // fmax/fmin, as the cpu loops do (test/builtins/special-values/extrema.test.ts); JavaScript's
    // Math.max(0, -0) is 0 either way. NaN is tested first: a GPU may order NaN as it likes.
    gpu: { ...same2('Math.max(a, b)', 'a || b'), f: '(a, b) => Number.isNaN(a) ? a : Number.isNaN(b) ? b : a > b ? a : b' },
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a || b', simd: () => 'v128.or(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, { scalar: () => '(a >= b ? a : b)', simd: intMaxMin('max'), reduce: 'simd' }),
      // pmax(b, a) is `b < a ? a : b`: b on ties and when b is NaN, as the scalar body; a NaN
      // a is selected explicitly.
      ...same(FLOATS, 2, 1, {
        scalar: fn2('maximumFloat'), simd: (t) => `v128.bitselect(va, v128.pmax<${t.ins[0]}>(vb, va), v128.ne<${t.ins[0]}>(va, va))`, reduce: 'simd',
      }),
    ],
  },
  minimum: {
    numpy: 'minimum', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: true,
    doc: 'Element-wise minimum of array elements; NaNs propagate (equal arguments give the second, as NumPy 2).',
    example: 'nb.minimum(nb.array([1, NaN, 3]), 2).toArray(); // [1, NaN, 2]',
    gpu: { ...same2('Math.min(a, b)', 'a && b'), f: '(a, b) => Number.isNaN(a) ? a : Number.isNaN(b) ? b : a < b ? a : b' },
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a && b', simd: () => 'v128.and(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, { scalar: () => '(a <= b ? a : b)', simd: intMaxMin('min'), reduce: 'simd' }),
      ...same(FLOATS, 2, 1, {
        scalar: fn2('minimumFloat'), simd: (t) => `v128.bitselect(va, v128.pmin<${t.ins[0]}>(vb, va), v128.ne<${t.ins[0]}>(va, va))`, reduce: 'simd',
      }),
    ],
  },
  fmax: {
    numpy: 'fmax', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: true,
    doc: 'Element-wise maximum of array elements; a NaN is ignored unless both are NaN.',
    example: 'nb.fmax(nb.array([1, NaN, 3]), 2).toArray(); // [2, 2, 3]',
    gpu: { f: '(a, b) => Number.isNaN(a) ? b : Number.isNaN(b) ? a : a >= b ? a : b', i: '(a, b) => Math.max(a, b)', b: '(a, b) => a || b' },
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a || b', simd: () => 'v128.or(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, { scalar: () => '(a >= b ? a : b)', simd: intMaxMin('max'), reduce: 'simd' }),
      ...same(FLOATS, 2, 1, {
        scalar: fn2('fmaxFloat'), simd: (t) => `v128.bitselect(vb, v128.pmax<${t.ins[0]}>(va, vb), v128.ne<${t.ins[0]}>(va, va))`, reduce: 'simd',
      }),
    ],
  },
  fmin: {
    numpy: 'fmin', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: true,
    doc: 'Element-wise minimum of array elements; a NaN is ignored unless both are NaN.',
    example: 'nb.fmin(nb.array([1, NaN, 3]), 2).toArray(); // [1, 2, 2]',
    gpu: { f: '(a, b) => Number.isNaN(a) ? b : Number.isNaN(b) ? a : a <= b ? a : b', i: '(a, b) => Math.min(a, b)', b: '(a, b) => a && b' },
    loops: [
      typed('bool,bool->bool', { scalar: () => 'a && b', simd: () => 'v128.and(va, vb)', reduce: 'simd' }),
      ...same(INTS, 2, 1, { scalar: () => '(a <= b ? a : b)', simd: intMaxMin('min'), reduce: 'simd' }),
      ...same(FLOATS, 2, 1, {
        scalar: fn2('fminFloat'), simd: (t) => `v128.bitselect(vb, v128.pmin<${t.ins[0]}>(va, vb), v128.ne<${t.ins[0]}>(va, va))`, reduce: 'simd',
      }),
    ],
  },

  // ---- comparison -------------------------------------------------------------------------------
  equal: {
    numpy: 'equal', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return (x1 == x2) element-wise.',
    example: 'nb.equal(nb.array([1, 2]), 2).toArray(); // [false, true]',
    gpu: { ...cmp('==='), b: '(a, b) => a === b' },
    loops: comparison('==', 'a >= 0 && <u64>a == b', 'b >= 0 && a == <u64>b'),
  },
  notEqual: {
    numpy: 'not_equal', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return (x1 != x2) element-wise.',
    example: 'nb.notEqual(nb.array([1, 2]), 2).toArray(); // [true, false]',
    gpu: { ...cmp('!=='), b: '(a, b) => a !== b' },
    loops: comparison('!=', 'a < 0 || <u64>a != b', 'b < 0 || a != <u64>b'),
  },
  less: {
    numpy: 'less', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return the truth value of (x1 < x2) element-wise.',
    example: 'nb.less(nb.array([1, 5]), 3).toArray(); // [true, false]',
    gpu: cmp('<'),
    loops: comparison('<', 'a < 0 || <u64>a < b', 'b >= 0 && a < <u64>b'),
  },
  lessEqual: {
    numpy: 'less_equal', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return the truth value of (x1 <= x2) element-wise.',
    example: 'nb.lessEqual(nb.array([1, 5]), 1).toArray(); // [true, false]',
    gpu: cmp('<='),
    loops: comparison('<=', 'a < 0 || <u64>a <= b', 'b >= 0 && a <= <u64>b'),
  },
  greater: {
    numpy: 'greater', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return the truth value of (x1 > x2) element-wise.',
    example: 'nb.greater(nb.array([1, 5]), 3).toArray(); // [false, true]',
    gpu: cmp('>'),
    loops: comparison('>', 'a >= 0 && <u64>a > b', 'b < 0 || a > <u64>b'),
  },
  greaterEqual: {
    numpy: 'greater_equal', nin: 2, nout: 1, resolver: 'comparison', identity: null, reorderable: false,
    doc: 'Return the truth value of (x1 >= x2) element-wise.',
    example: 'nb.greaterEqual(nb.array([1, 5]), 5).toArray(); // [false, true]',
    gpu: cmp('>='),
    loops: comparison('>=', 'a >= 0 && <u64>a >= b', 'b < 0 || a >= <u64>b'),
  },

  // ---- logic --------------------------------------------------------------------------------------
  logicalAnd: {
    numpy: 'logical_and', nin: 2, nout: 1, resolver: 'logical', identity: true, reorderable: true,
    doc: 'Compute the truth value of x1 AND x2 element-wise.',
    example: 'nb.logicalAnd(nb.array([0, 1, 2]), true).toArray(); // [false, true, true]',
    gpu: { f: '(a, b) => a != 0 && b != 0', i: '(a, b) => a != 0 && b != 0', b: '(a, b) => a && b' },
    loops: logical('&&', 'and'),
  },
  logicalOr: {
    numpy: 'logical_or', nin: 2, nout: 1, resolver: 'logical', identity: false, reorderable: true,
    doc: 'Compute the truth value of x1 OR x2 element-wise.',
    example: 'nb.logicalOr(nb.array([0, 1]), false).toArray(); // [false, true]',
    gpu: { f: '(a, b) => a != 0 || b != 0', i: '(a, b) => a != 0 || b != 0', b: '(a, b) => a || b' },
    loops: logical('||', 'or'),
  },
  logicalXor: {
    numpy: 'logical_xor', nin: 2, nout: 1, resolver: 'logical', identity: false, reorderable: true,
    doc: 'Compute the truth value of x1 XOR x2, element-wise.',
    example: 'nb.logicalXor(nb.array([0, 1]), true).toArray(); // [true, false]',
    gpu: { f: '(a, b) => (a != 0) !== (b != 0)', i: '(a, b) => (a != 0) !== (b != 0)', b: '(a, b) => a !== b' },
    loops: logical('!=', 'xor'),
  },
  logicalNot: {
    numpy: 'logical_not', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Compute the truth value of NOT x element-wise.',
    example: 'nb.logicalNot(nb.array([0, 1.5])).toArray(); // [true, false]',
    gpu: { f: '(a) => a == 0', i: '(a) => a == 0', b: '(a) => !a' },
    loops: toType(ALL, 1, 'bool', {
      scalar: (t) => (t.ins[0] === 'bool' ? '!a' : 'a == 0'),
      simd: (t) => (t.ins[0] === 'bool' ? `v128.xor(va, v128.splat<u8>(1))` : byteLanes(t) ? maskToBool(`v128.eq<i8>(va, ${ZERO})`) : undefined),
    }),
  },

  // ---- bit twiddling ------------------------------------------------------------------------------
  bitwiseAnd: {
    numpy: 'bitwise_and', nin: 2, nout: 1, resolver: 'uniform', identity: -1, reorderable: true,
    doc: 'Compute the bit-wise AND of two arrays element-wise.',
    example: "nb.bitwiseAnd(nb.array([12, 10], { dtype: 'uint8' }), 6).toArray(); // [4, 2]",
    gpu: { i: '(a, b) => a & b', b: '(a, b) => a && b' },
    loops: same(['bool', ...INTS], 2, 1, { scalar: (t) => (t.ins[0] === 'bool' ? 'a && b' : 'a & b'), simd: () => 'v128.and(va, vb)', reduce: 'simd' }),
  },
  bitwiseOr: {
    numpy: 'bitwise_or', nin: 2, nout: 1, resolver: 'uniform', identity: 0, reorderable: true,
    doc: 'Compute the bit-wise OR of two arrays element-wise.',
    example: "nb.bitwiseOr(nb.array([12, 10], { dtype: 'uint8' }), 1).toArray(); // [13, 11]",
    gpu: { i: '(a, b) => a | b', b: '(a, b) => a || b' },
    loops: same(['bool', ...INTS], 2, 1, { scalar: (t) => (t.ins[0] === 'bool' ? 'a || b' : 'a | b'), simd: () => 'v128.or(va, vb)', reduce: 'simd' }),
  },
  bitwiseXor: {
    numpy: 'bitwise_xor', nin: 2, nout: 1, resolver: 'uniform', identity: 0, reorderable: true,
    doc: 'Compute the bit-wise XOR of two arrays element-wise.',
    example: "nb.bitwiseXor(nb.array([12, 10], { dtype: 'uint8' }), 6).toArray(); // [10, 12]",
    gpu: { i: '(a, b) => a ^ b', b: '(a, b) => a !== b' },
    loops: same(['bool', ...INTS], 2, 1, { scalar: (t) => (t.ins[0] === 'bool' ? 'a != b' : 'a ^ b'), simd: () => 'v128.xor(va, vb)', reduce: 'simd' }),
  },
  invert: {
    numpy: 'invert', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Compute bit-wise inversion, or bit-wise NOT, element-wise (logical NOT for bool).',
    example: "nb.invert(nb.array([0, 5], { dtype: 'uint8' })).toArray(); // [255, 250]",
    gpu: { i: '(a) => ~a', b: '(a) => !a' },
    loops: [
      typed('bool->bool', { scalar: () => '!a', simd: () => 'v128.xor(va, v128.splat<u8>(1))' }),
      ...same(INTS, 1, 1, { scalar: () => '~a', simd: () => 'v128.not(va)' }),
    ],
  },
  leftShift: {
    numpy: 'left_shift', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Shift the bits of an integer to the left (counts of the bit width or more give 0).',
    example: "nb.leftShift(nb.array([1, 3], { dtype: 'int8' }), 2).toArray(); // [4, 12]",
    // NumPy: a shift by the width or more gives 0 (left) or the sign (right), not a masked count.
    gpu: { i: '(a, b) => (b >= 32 || b < 0) ? 0 : a << b' },
    loops: same(INTS, 2, 1, { scalar: fn2('shlInt') }),
  },
  rightShift: {
    numpy: 'right_shift', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Shift the bits of an integer to the right (arithmetic for signed dtypes).',
    example: "nb.rightShift(nb.array([16, -16], { dtype: 'int8' }), 2).toArray(); // [4, -4]",
    // (a - a - 1 and a - a keep a's type: a literal-only ?: would be int64.)
    // uint32: >>> (the kernel language's >> is JavaScript's sign-propagating shift).
    gpu: { i: '(a, b) => (b >= 32 || b < 0) ? (a < 0 ? a - a - 1 : a - a) : a >> b', u: '(a, b) => b >= 32 ? a - a : a >>> b' },
    loops: same(INTS, 2, 1, { scalar: fn2('shrInt') }),
  },
  bitwiseCount: {
    numpy: 'bitwise_count', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Count the 1-bits in the absolute value of the input, element-wise (a uint8 result).',
    example: "nb.bitwiseCount(nb.array([0, 7, -8, 255], { dtype: 'int16' })).toArray(); // [0, 3, 1, 8]",
    // Signed inputs: |a| (the minimum wraps to itself, 2**(bits-1) as unsigned: one bit).
    loops: toType(INTS, 1, 'uint8', {
      scalar: (t) => {
        const [d, signed] = [t.ins[0]!, !t.ins[0]!.startsWith('u')];
        const w = /64/.test(d) ? 'i64' : 'i32';
        const x = signed ? `(a < 0 ? -<${w}>a : <${w}>a)` : `<${w}>a`;
        return `<u8>popcnt<${w}>(${x})`;
      },
      simd: (t) => (t.ins[0] === 'u8' ? 'v128.popcnt<u8>(va)' : t.ins[0] === 'i8' ? 'v128.popcnt<u8>(v128.abs<i8>(va))' : undefined),
    }),
  },
  gcd: {
    numpy: 'gcd', nin: 2, nout: 1, resolver: 'uniform', identity: 0, reorderable: true,
    doc: 'Returns the greatest common divisor of |x1| and |x2|.',
    example: "nb.gcd(nb.array([12, 20], { dtype: 'int32' }), 8).toArray(); // [4, 4]",
    // Math.abs at the end too: abs(INT32_MIN) wraps, and the loop may end on a negative value.
    gpu: { i: '(a, b) => { let x = Math.abs(a); let y = Math.abs(b); while (y !== 0) { const t = x % y; x = y; y = t; } return Math.abs(x); }' },
    loops: same(INTS, 2, 1, { scalar: fn2('gcdInt'), reduce: 'sequential' }),
  },
  lcm: {
    numpy: 'lcm', nin: 2, nout: 1, resolver: 'uniform', identity: null, reorderable: false,
    doc: 'Returns the lowest common multiple of |x1| and |x2|.',
    example: "nb.lcm(nb.array([4, 6], { dtype: 'int32' }), 10).toArray(); // [20, 30]",
    gpu: { i: '(a, b) => { const x = Math.abs(a); const z = Math.abs(b); let p = x; let q = z; while (q !== 0) { const t = p % q; p = q; q = t; } return p === 0 ? 0 : Math.floor(x / p) * z; }' },
    loops: same(INTS, 2, 1, { scalar: fn2('lcmInt') }),
  },

  // ---- floating point functions ---------------------------------------------------------------
  isnan: {
    numpy: 'isnan', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Test element-wise for NaN and return result as a boolean array.',
    example: 'nb.isnan(nb.array([1, NaN])).toArray(); // [false, true]',
    gpu: { f: '(a) => Number.isNaN(a)', i: '(a) => a !== a', b: '(a) => a !== a' },
    loops: [...toType(['bool', ...INTS], 1, 'bool', { scalar: () => 'false' }), ...toType(FLOATS, 1, 'bool', { scalar: () => 'a != a' })],
  },
  isinf: {
    numpy: 'isinf', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Test element-wise for positive or negative infinity.',
    example: 'nb.isinf(nb.array([1, -Infinity, NaN])).toArray(); // [false, true, false]',
    gpu: { f: '(a) => !Number.isFinite(a) && !Number.isNaN(a)', i: '(a) => a !== a', b: '(a) => a !== a' },
    loops: [...toType(['bool', ...INTS], 1, 'bool', { scalar: () => 'false' }), ...toType(FLOATS, 1, 'bool', { scalar: fn1('isinfFloat') })],
  },
  isfinite: {
    numpy: 'isfinite', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Test element-wise for finiteness (not infinity and not Not a Number).',
    example: 'nb.isfinite(nb.array([1, -Infinity, NaN])).toArray(); // [true, false, false]',
    gpu: { f: '(a) => Number.isFinite(a)', i: '(a) => a === a', b: '(a) => a === a' },
    loops: [...toType(['bool', ...INTS], 1, 'bool', { scalar: () => 'true' }), ...toType(FLOATS, 1, 'bool', { scalar: fn1('isFinite') })],
  },
  signbit: {
    numpy: 'signbit', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Returns element-wise True where signbit is set (less than zero, and -0.0).',
    example: "nb.signbit(nb.array([-0, 0, -2], { dtype: 'float64' })).toArray(); // [true, false, true]",
    loops: toType(FLOATS, 1, 'bool', { scalar: fn1('signbitFloat') }),
  },
  copysign: {
    numpy: 'copysign', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Change the sign of x1 to that of x2, element-wise.',
    example: 'nb.copysign(nb.array([1, 2]), -0.0).toArray(); // [-1, -2]',
    gpu: binF('{ const m = Math.abs(a); return (b < 0 || (b === 0 && 1 / b < 0)) ? -m : m; }'),
    loops: same(FLOATS, 2, 1, { scalar: fn2('copysign'), simd: (t) => `v128.bitselect(vb, va, ${signMask(t)})` }),
  },
  nextafter: {
    numpy: 'nextafter', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Return the next floating-point value after x1 towards x2, element-wise.',
    example: 'nb.nextafter(nb.array([1]), 2).toArray(); // [1.0000000000000002]',
    loops: same(FLOATS, 2, 1, { scalar: fn2('nextafterFloat') }),
  },
  spacing: {
    numpy: 'spacing', nin: 1, nout: 1, identity: null, reorderable: false,
    doc: 'Return the distance between x and the nearest adjacent number (away from zero, with the sign of x).',
    example: 'nb.spacing(nb.array([1, -1])).toArray(); // [2.220446049250313e-16, -2.220446049250313e-16]',
    loops: floatUnary(fn1('spacingFloat')),
  },
  modf: {
    numpy: 'modf', nin: 1, nout: 2, identity: null, reorderable: false,
    doc: 'Return the fractional and integral parts of an array, element-wise (both with the sign of x).',
    example: 'const [frac, whole] = nb.modf(nb.array([2.5, -1.25])); // frac: [0.5, -0.25], whole: [2, -1]',
    loops: same(FLOATS, 1, 2, { scalar: (t) => `r0 = modfFraction<${t.ins[0]}>(a); r1 = trunc<${t.ins[0]}>(a);` }),
  },
  frexp: {
    numpy: 'frexp', nin: 1, nout: 2, identity: null, reorderable: false,
    doc: 'Decompose the elements of x into mantissa (in [0.5, 1)) and twos exponent (int32).',
    example: 'const [m, e] = nb.frexp(nb.array([8, 0.75])); // m: [0.5, 0.75], e: [4, 0]',
    loops: FLOATS.map((d) => {
      const f = d === 'float64' ? 'f64' : 'f32';
      return typed(`${d}->${d},int32`, { scalar: () => `r0 = frexpMantissa<${f}>(a); r1 = frexpExponent<${f}>(a);` });
    }),
  },
  ldexp: {
    numpy: 'ldexp', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Returns x1 * 2**x2, element-wise (x2 an int32 or int64 array).',
    example: 'nb.ldexp(nb.array([1.5, 3]), 2).toArray(); // [6, 12]',
    loops: FLOATS.flatMap((d) => {
      const f = d === 'float64' ? 'f64' : 'f32';
      return [
        typed(`${d},int32->${d}`, { scalar: () => `ldexpFloat<${f}>(a, b)` }),
        typed(`${d},int64->${d}`, { scalar: () => `ldexpFloat64Exp<${f}>(a, b)` }),
      ];
    }),
  },
  heaviside: {
    numpy: 'heaviside', nin: 2, nout: 1, identity: null, reorderable: false,
    doc: 'Compute the Heaviside step function: 0 for x1 < 0, x2 for x1 == 0, 1 for x1 > 0.',
    example: 'nb.heaviside(nb.array([-1.5, 0, 2]), 0.5).toArray(); // [0, 0.5, 1]',
    // Through a float32 local: a literal-only ?: would compute in float64.
    gpu: binF('{ let r = b; if (a < 0) r = 0; else if (a > 0) r = 1; else if (Number.isNaN(a)) r = a; return r; }'),
    loops: same(FLOATS, 2, 1, { scalar: fn2('heavisideFloat') }),
  },
} satisfies Record<string, UfuncRow>;

/** The numbats names of the built-in ufuncs. */
export type UfuncName = keyof typeof UFUNC_TABLE;
