/**
 * promoteTypes, resultType and the weak-integer overflow check, against tables NumPy 2
 * computed (test/fixtures/promotion.json and result-type-weak.json, written by
 * scripts/numpy-fixtures.py), plus properties NumPy's rules guarantee.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DTYPE_NAMES, canCast, checkWeakIntFits, promoteTypes, resultType, weakScalarKind,
  type DType, type ResultTypeArg,
} from '../../src/dtype/index.js';
import { DTypeError, NumbatsError, ValueError } from '../../src/util/errors.js';

type FixtureArg = { dtype: string } | { array: string } | { int: string } | { float: string } | { bool: boolean };
type Outcome = { dtype: string } | { raises: string; message: string };
interface PromotionFixture { pairs: { a: DType; b: DType; result: DType }[] }
interface ResultTypeRow { args: FixtureArg[]; resultType: Outcome }
interface WeakFixture {
  arrayScalar: { dtype: DType; scalar: FixtureArg; resultType: Outcome; resultTypeReversed: Outcome; add: Outcome }[];
  scalarOnly: ResultTypeRow[];
  mixed: ResultTypeRow[];
  dtypeTriples: ResultTypeRow[];
  sequences: ResultTypeRow[];
}

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
const promotion = load<PromotionFixture>('promotion.json');
const weak = load<WeakFixture>('result-type-weak.json');

/** An array stand-in: resultType only looks at `.dtype`. */
const holder = (dtype: DType) => ({ dtype });

/**
 * The JS values a fixture argument stands for. A Python int is tested as a bigint and, when
 * a double holds it exactly, as a number too; a Python float must not be integral, since a
 * JS number with an integral value is a Python int by definition.
 */
function jsValues(arg: FixtureArg): ResultTypeArg[] {
  if ('dtype' in arg) return [arg.dtype as DType];
  if ('array' in arg) return [holder(arg.array as DType)];
  if ('bool' in arg) return [arg.bool];
  if ('int' in arg) {
    const big = BigInt(arg.int);
    const num = Number(big);
    return Number.isFinite(num) && BigInt(num) === big ? [big, num] : [big];
  }
  const f = arg.float === 'nan' ? NaN : arg.float === 'inf' ? Infinity : arg.float === '-inf' ? -Infinity : Number(arg.float);
  if (Number.isInteger(f)) throw new Error(`fixture float ${arg.float} is integral: not expressible as a JS weak float`);
  return [f];
}

/** Every argument list to try for a row: all-bigint, and numbers wherever exact. */
function jsArgLists(args: FixtureArg[]): ResultTypeArg[][] {
  const values = args.map(jsValues);
  const lists = [values.map((v) => v[0]!)];
  if (values.some((v) => v.length > 1)) lists.push(values.map((v) => v[v.length - 1]!));
  return lists;
}

const show = (args: ResultTypeArg[]) =>
  args.map((a) => (typeof a === 'bigint' ? `${a}n` : typeof a === 'object' ? `array<${a.dtype}>` : String(a))).join(', ');

/** Assert resultType(...args) matches NumPy's outcome ('object' = numbats throws). */
function expectResultType(args: ResultTypeArg[], outcome: Outcome): void {
  const label = `resultType(${show(args)})`;
  if ('dtype' in outcome && outcome.dtype !== 'object') {
    expect(resultType(...args), label).toBe(outcome.dtype);
  } else {
    expect(() => resultType(...args), label).toThrow(DTypeError);
  }
}

function runRows(rows: ResultTypeRow[]): number {
  let checked = 0;
  for (const row of rows) {
    for (const args of jsArgLists(row.args)) {
      expectResultType(args, row.resultType);
      checked++;
    }
  }
  return checked;
}

const dtype = fc.constantFrom(...DTYPE_NAMES);
const weakScalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.boolean(),
  fc.constantFrom(0, 1, -1, 300, 2.5, NaN, Infinity, -Infinity),
);
const operand: fc.Arbitrary<ResultTypeArg> = fc.oneof(dtype, dtype.map(holder), weakScalar);

describe('promoteTypes', () => {
  it('has a NumPy answer for all 121 ordered pairs', () => {
    expect(promotion.pairs).toHaveLength(DTYPE_NAMES.length ** 2);
  });

  it.each(DTYPE_NAMES)('promotes %s with every dtype as np.promote_types does', (a) => {
    const rows = promotion.pairs.filter((p) => p.a === a);
    const actual = Object.fromEntries(rows.map((p) => [p.b, promoteTypes(a, p.b)]));
    const expected = Object.fromEntries(rows.map((p) => [p.b, p.result]));
    expect(actual).toEqual(expected);
  });

  it('gives the documented examples', () => {
    expect(promoteTypes('int64', 'uint64')).toBe('float64');
    expect(promoteTypes('int8', 'uint8')).toBe('int16');
    expect(promoteTypes('bool', 'int8')).toBe('int8');
    expect(promoteTypes('float32', 'int32')).toBe('float64');
    expect(promoteTypes('float32', 'int16')).toBe('float32');
  });

  it('accepts aliases', () => {
    expect(promoteTypes('i1', 'u1')).toBe('int16');
    expect(promoteTypes('f4', 'i8')).toBe('float64');
    expect(promoteTypes('b1', 'u2')).toBe('uint16');
  });

  it('is commutative', () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => promoteTypes(a, b) === promoteTypes(b, a)));
  });

  it('returns a dtype both inputs cast to safely, and a dtype itself when promoted with itself', () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => {
      const p = promoteTypes(a, b);
      return canCast(a, p, 'safe') && canCast(b, p, 'safe') && promoteTypes(a, a) === a;
    }));
  });

  it('throws DTypeError E_DTYPE_UNKNOWN for an unknown dtype', () => {
    expect(() => promoteTypes('float128' as DType, 'int8')).toThrow(DTypeError);
    try {
      promoteTypes('int8', 'complex64' as DType);
      expect.unreachable('promoteTypes accepted complex64');
    } catch (e) {
      expect(e).toBeInstanceOf(NumbatsError);
      expect((e as NumbatsError).code).toBe('E_DTYPE_UNKNOWN');
      expect((e as Error).message).toContain('complex64');
    }
  });
});

describe('weakScalarKind', () => {
  it('classifies JS scalars as Python bool, int or float', () => {
    expect([true, false].map(weakScalarKind)).toEqual(['b', 'b']);
    expect([0, -0, 2, -300, 2 ** 60, 1e300, 5n, -(2n ** 70n)].map(weakScalarKind)).toEqual(Array(8).fill('i'));
    expect([2.5, -0.5, NaN, Infinity, -Infinity, Number.EPSILON].map(weakScalarKind)).toEqual(Array(6).fill('f'));
  });

  it('rejects non-scalars with DTypeError', () => {
    expect(() => weakScalarKind('1' as unknown as number)).toThrow(DTypeError);
  });
});

describe('resultType with one array and one weak scalar', () => {
  it.each(DTYPE_NAMES)('matches np.result_type for a %s array and each weak scalar, in either order', (d) => {
    const rows = weak.arrayScalar.filter((r) => r.dtype === d);
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) {
      for (const s of jsValues(row.scalar)) {
        expectResultType([d, s], row.resultType);
        expectResultType([holder(d), s], row.resultType);
        expectResultType([s, holder(d)], row.resultTypeReversed);
      }
    }
  });

  it.each(DTYPE_NAMES)('throws for a weak int exactly where NumPy 2 raises in %s_array + int', (d) => {
    for (const row of weak.arrayScalar.filter((r) => r.dtype === d)) {
      const raises = 'raises' in row.add;
      if (!('int' in row.scalar)) {
        // Floats and bools never overflow; the operation computes in resultType's dtype.
        expect(row.add, `${d} + ${JSON.stringify(row.scalar)}`).toEqual(row.resultType);
        continue;
      }
      if (!raises) expect(row.add).toEqual(row.resultType);
      const into = resultType(d, BigInt(row.scalar.int));
      for (const v of jsValues(row.scalar) as (number | bigint)[]) {
        const check = () => checkWeakIntFits(v, into);
        if (raises) expect(check, `${d} + ${row.scalar.int}`).toThrow(DTypeError);
        else expect(check, `${d} + ${row.scalar.int}`).not.toThrow();
      }
    }
  });

  it('keeps the array dtype for an out-of-range weak int, as NumPy 2 result_type does', () => {
    expect(resultType('int8', 300)).toBe('int8');
    expect(resultType('uint8', -1)).toBe('uint8');
    expect(resultType('uint64', -1n)).toBe('uint64');
  });

  it('follows the NEP 50 examples', () => {
    expect(resultType('int8', 2)).toBe('int8');
    expect(resultType('int8', 2.5)).toBe('float64');
    expect(resultType('float32', 2.5)).toBe('float32');
    expect(resultType('uint8', 2n)).toBe('uint8');
    expect(resultType('bool', 1)).toBe('int64');
    expect(resultType('bool', true)).toBe('bool');
    expect(resultType(holder('float32'), NaN)).toBe('float32');
  });

  it('never returns a dtype the array cannot be cast to safely', () => {
    fc.assert(fc.property(dtype, weakScalar, (d, s) => canCast(d, resultType(holder(d), s), 'safe')));
  });
});

describe('resultType with only scalars', () => {
  it('matches np.result_type for every single scalar and scalar combination', () => {
    expect(runRows(weak.scalarOnly)).toBeGreaterThan(weak.scalarOnly.length);
  });

  it('types a lone integer by its value and throws where NumPy would need object', () => {
    expect(resultType(1)).toBe('int64');
    expect(resultType(2n ** 63n)).toBe('uint64');
    expect(resultType(2n ** 63n, 1)).toBe('int64');
    try {
      resultType(2n ** 64n);
      expect.unreachable('resultType(2n ** 64n) returned');
    } catch (e) {
      expect((e as NumbatsError).code).toBe('E_DTYPE_OVERFLOW');
    }
  });

  it('gives the default type of the highest kind for two or more scalars', () => {
    fc.assert(fc.property(fc.array(weakScalar, { minLength: 2, maxLength: 6 }), (xs) => {
      const kinds = xs.map(weakScalarKind);
      const expected = kinds.includes('f') ? 'float64' : kinds.includes('i') ? 'int64' : 'bool';
      return resultType(...xs) === expected;
    }));
  });
});

describe('resultType with several operands', () => {
  it('matches np.result_type for two dtypes and a weak scalar in every order', () => {
    expect(runRows(weak.mixed)).toBeGreaterThanOrEqual(weak.mixed.length);
  });

  it('matches np.result_type for every ordered triple of dtypes', () => {
    expect(runRows(weak.dtypeTriples)).toBe(DTYPE_NAMES.length ** 3);
  });

  it('matches np.result_type for random sequences of dtypes, arrays and scalars', () => {
    expect(runRows(weak.sequences)).toBeGreaterThanOrEqual(weak.sequences.length);
  });

  it('is not a left fold of promoteTypes (NumPy: int8, uint16, float32 -> float32)', () => {
    expect(promoteTypes(promoteTypes('int8', 'uint16'), 'float32')).toBe('float64');
    expect(resultType('int8', 'uint16', 'float32')).toBe('float32');
  });

  it('equals promoteTypes for two dtypes', () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => resultType(a, b) === promoteTypes(a, b)));
  });

  it('does not depend on argument order', () => {
    fc.assert(fc.property(fc.array(operand, { minLength: 1, maxLength: 6 }), (xs) => {
      let expected: string;
      try {
        expected = resultType(...xs);
      } catch (e) {
        expected = (e as NumbatsError).code;
      }
      let reversed: string;
      try {
        reversed = resultType(...[...xs].reverse());
      } catch (e) {
        reversed = (e as NumbatsError).code;
      }
      return expected === reversed;
    }));
  });

  it('throws ValueError E_VALUE_NO_ARGS with no arguments', () => {
    expect(() => resultType()).toThrow(ValueError);
    expect(() => resultType()).toThrow(expect.objectContaining({ code: 'E_VALUE_NO_ARGS' }));
  });

  it('throws DTypeError E_DTYPE_UNKNOWN for an unknown dtype or a non-scalar', () => {
    for (const bad of ['float128', 'F8', {}, null, undefined, [1], { dtype: 'complex64' }, 'x']) {
      expect(() => resultType('int8', bad as ResultTypeArg), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'E_DTYPE_UNKNOWN' }),
      );
    }
  });
});

describe('checkWeakIntFits', () => {
  it('accepts values at both ends of every integer dtype and rejects one past them', () => {
    for (const d of DTYPE_NAMES.filter((n) => n !== 'bool' && !n.startsWith('float'))) {
      const lo = intRange(d)[0];
      const hi = intRange(d)[1];
      expect(() => checkWeakIntFits(lo, d)).not.toThrow();
      expect(() => checkWeakIntFits(hi, d)).not.toThrow();
      expect(() => checkWeakIntFits(lo - 1n, d)).toThrow(DTypeError);
      expect(() => checkWeakIntFits(hi + 1n, d)).toThrow(DTypeError);
    }
  });

  it('says which value, which dtype and what to do, with code E_DTYPE_OVERFLOW', () => {
    try {
      checkWeakIntFits(300, 'int8');
      expect.unreachable('300 fit int8');
    } catch (e) {
      expect(e).toBeInstanceOf(DTypeError);
      expect((e as DTypeError).code).toBe('E_DTYPE_OVERFLOW');
      expect((e as Error).message).toMatch(/integer 300 out of bounds for int8/);
      expect((e as Error).message).toContain("astype('int16')");
    }
    expect(() => checkWeakIntFits(-1, 'uint64')).toThrow(/float64/);
  });

  it('accepts any integer for a float dtype unless it overflows a double', () => {
    expect(() => checkWeakIntFits(2n ** 100n, 'float32')).not.toThrow();
    expect(() => checkWeakIntFits(2n ** 1024n, 'float64')).toThrow(expect.objectContaining({ code: 'E_DTYPE_OVERFLOW' }));
  });

  it('rejects a non-integral value with ValueError', () => {
    expect(() => checkWeakIntFits(2.5, 'int8')).toThrow(ValueError);
  });
});

/** [min, max] of an integer dtype as bigints, written out from NumPy's iinfo. */
function intRange(d: DType): [bigint, bigint] {
  const bits = BigInt(8 * ({ int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 } as Record<string, number>)[d]!);
  return d.startsWith('u') ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
}
