import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as nb from '../../src/index.js';
import { decodeNested, loadFixture } from '../helpers/fixtures.js';

interface RangeCase {
  fn: 'arange' | 'linspace';
  args: number[];
  options?: { endpoint?: boolean; dtype?: nb.DType };
  dtype: nb.DType;
  values: unknown[];
}

describe('arange and linspace equal NumPy', () => {
  const { cases } = loadFixture<{ cases: RangeCase[] }>('ranges');
  it.each(cases.map((c) => [`${c.fn}(${c.args.join(', ')}${c.options ? ', ' + JSON.stringify(c.options) : ''})`, c] as const))(
    '%s',
    (_n, c) => {
      const r =
        c.fn === 'arange'
          ? nb.arange(c.args[0]!, c.args[1], c.args[2])
          : nb.linspace(c.args[0]!, c.args[1]!, c.args[2], c.options ?? {});
      expect(r.dtype).toBe(c.dtype);
      expect(r.toArray()).toEqual(decodeNested(c.values, c.dtype));
    },
  );
});

describe('array() infers dtypes as NumPy does for Python values', () => {
  const cases: Array<[string, unknown, nb.DType]> = [
    ['[1, 2, 3]', [1, 2, 3], 'int64'],
    ['[1, 2.5]', [1, 2.5], 'float64'],
    ['[true, false]', [true, false], 'bool'],
    ['[true, 2]', [true, 2], 'int64'],
    ['[1n, 2n]', [1n, 2n], 'int64'],
    ['[2n ** 63n]', [2n ** 63n], 'uint64'],
    ['[1, NaN]', [1, NaN], 'float64'],
    ['[1e300]', [1e300], 'float64'],
    ['[]', [], 'float64'],
    ['[[1, 2], [3, 4]]', [[1, 2], [3, 4]], 'int64'],
    // Flat lists of numbers take a shorter path (coercion.ts): the same rules.
    ['[2 ** 63]', [2 ** 63], 'uint64'],
    ['[-(2 ** 63), 0]', [-(2 ** 63), 0], 'int64'],
    ['[-1, 2 ** 63]', [-1, 2 ** 63], 'float64'],
    ['[2.5, 2 ** 63]', [2.5, 2 ** 63], 'float64'],
    ['[2 ** 64]', [2 ** 64], 'float64'],
    ['[1, Infinity]', [1, Infinity], 'float64'],
  ];
  for (const [label, data, dtype] of cases) {
    it(`${label} -> ${dtype}`, () => {
      expect(nb.array(data as nb.ArrayLikeInput).dtype).toBe(dtype);
    });
  }

  it('property: a flat list of JS numbers keeps its values, with NumPy\'s dtype for Python ints and floats', () => {
    const num = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double(), fc.constantFrom(2 ** 53, -(2 ** 63), 2 ** 63, 2 ** 64));
    fc.assert(
      fc.property(fc.array(num, { maxLength: 40 }), (values) => {
        // NumPy: each Python int is int64, else uint64 when only that holds it (a JS number
        // beyond: float64), a float float64; the kinds promote (int64 with uint64: float64,
        // as np.array([0, 2**63]) is).
        const kind = (v: number) =>
          !Number.isInteger(v) ? 'float64' : v >= -(2 ** 63) && v < 2 ** 63 ? 'int64' : v >= 0 && v < 2 ** 64 ? 'uint64' : 'float64';
        const kinds = new Set(values.map(kind));
        const want: nb.DType = kinds.size === 1 ? (kinds.values().next().value as nb.DType) : 'float64';
        const a = nb.array(values);
        expect(a.dtype).toBe(want);
        expect(a.shape).toEqual([values.length]);
        const asStored = (v: number) => (want === 'float64' ? v : BigInt(v));
        expect(a.toArray()).toEqual(values.map(asStored));
      }),
    );
  });

  it('a flat list of numbers with a dtype: converted as Python scalars are (NumPy 2)', () => {
    expect(nb.array([1, 2.7, -3.5], 'int32').toArray()).toEqual([1, 2, -3]);
    expect(nb.array([0, 2, -1], 'bool').toArray()).toEqual([false, true, true]);
    expect(() => nb.array([1, 300], 'int8')).toThrow(expect.objectContaining({ code: 'E_DTYPE_OVERFLOW' }));
    expect(() => nb.array([-1], 'uint64')).toThrow(expect.objectContaining({ code: 'E_DTYPE_OVERFLOW' }));
    expect(() => nb.array([NaN], 'int64')).toThrow(expect.objectContaining({ code: 'E_DTYPE_CONVERT' }));
    expect(nb.array([2 ** 53, -(2 ** 53)], 'int64').toArray()).toEqual([2n ** 53n, -(2n ** 53n)]);
  });

  it('keeps a TypedArray dtype and copies it into the heap', () => {
    const ta = new Float32Array([1, 2, 3]);
    const a = nb.array(ta);
    expect(a.dtype).toBe('float32');
    expect(a.storageKind).toBe('wasm');
    ta[0] = 9;
    expect(a.get(0)).toBe(1);
  });

  it('converts a TypedArray to a requested dtype', () => {
    expect(nb.array(new Int32Array([-1, 300]), { dtype: 'uint8' }).toArray()).toEqual([255, 44]);
  });

  it('stacks nested NDArrays', () => {
    expect(nb.array([nb.array([1, 2]), nb.array([3, 4])]).toArray()).toEqual([[1n, 2n], [3n, 4n]]);
  });

  it('makes 0-d arrays from scalars', () => {
    const a = nb.array(2.5);
    expect(a.shape).toEqual([]);
    expect(a.item()).toBe(2.5);
  });
});

describe('asarray avoids copies', () => {
  it('returns the same NDArray for a matching dtype', () => {
    const a = nb.zeros([2]);
    expect(nb.asarray(a)).toBe(a);
    expect(nb.asarray(a, { dtype: 'float32' })).not.toBe(a);
  });
  it('wraps a TypedArray without copying', () => {
    const ta = new Int16Array([1, 2, 3]);
    const a = nb.asarray(ta);
    expect(a.storageKind).toBe('js');
    ta[1] = 7;
    expect(a.get(1)).toBe(7);
    a.set(2, -5);
    expect(ta[2]).toBe(-5);
    expect(a.slice('::-1').copy().toArray()).toEqual([-5, 7, 1]);
  });
  it('copies with copy: true', () => {
    const ta = new Float64Array([1]);
    expect(nb.asarray(ta, { copy: true }).storageKind).toBe('wasm');
  });
});

describe('filled arrays', () => {
  it('zeros, ones, full and empty have the requested shape and dtype', () => {
    expect(nb.zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(nb.zeros(3, 'int64').toArray()).toEqual([0n, 0n, 0n]);
    expect(nb.ones([2], 'bool').toArray()).toEqual([true, true]);
    expect(nb.ones([2], 'f4').dtype).toBe('float32');
    expect(nb.full([2, 2], 7).dtype).toBe('int64');
    expect(nb.full([2], 0.5, 'float32').toArray()).toEqual([0.5, 0.5]);
    expect(nb.full([3], 65535n, 'uint16').toArray()).toEqual([65535, 65535, 65535]);
    expect(nb.empty([4, 0]).size).toBe(0);
  });
  it('full rejects a value the dtype cannot hold', () => {
    expect(() => nb.full([3], -1n, 'uint16')).toThrow(nb.DTypeError);
    expect(() => nb.full([2], 300, 'int8')).toThrowError(expect.objectContaining({ code: 'E_DTYPE_OVERFLOW' }));
    expect(() => nb.full([2], NaN, 'int32')).toThrowError(expect.objectContaining({ code: 'E_DTYPE_CONVERT' }));
  });
});

describe('element access', () => {
  it('get and set with negative indices; int64 reads bigint', () => {
    const a = nb.zeros([2, 3], 'int64');
    a.set(-1, -1, 5);
    expect(a.get(1, 2)).toBe(5n);
    a.set(0, 0, 2n ** 62n);
    expect(a.get(0, 0)).toBe(2n ** 62n);
  });
  it('writes convert as NumPy 2 converts Python scalars', () => {
    const a = nb.zeros([1], 'int8');
    a.set(0, 2.9);
    expect(a.get(0)).toBe(2);
    a.set(0, true);
    expect(a.get(0)).toBe(1);
    expect(() => a.set(0, 128)).toThrow(nb.DTypeError);
    expect(() => a.set(0, Infinity)).toThrow(nb.DTypeError);
    const b = nb.zeros([1], 'bool');
    b.set(0, NaN);
    expect(b.get(0)).toBe(true);
    const f = nb.zeros([1], 'float32');
    f.set(0, 0.1);
    expect(f.get(0)).toBe(Math.fround(0.1));
  });
  it('bad indices throw IndexError', () => {
    const a = nb.zeros([2, 3]);
    expect(() => a.get(2, 0)).toThrowError(expect.objectContaining({ code: 'E_INDEX_RANGE' }));
    expect(() => a.get(0)).toThrowError(expect.objectContaining({ code: 'E_INDEX_COUNT' }));
    expect(() => a.get(0, 1.5)).toThrow(nb.IndexError);
    expect(() => a.item()).toThrowError(expect.objectContaining({ code: 'E_VALUE_ITEM' }));
  });
  it('toArray of a 0-d array is the scalar', () => {
    expect(nb.array(true).toArray()).toBe(true);
  });
});

describe('bad creation arguments throw typed errors', () => {
  it('unknown dtype', () => {
    expect(() => nb.zeros([2], 'float128' as nb.DType)).toThrowError(expect.objectContaining({ code: 'E_DTYPE_UNKNOWN' }));
    expect(() => nb.array([1], { dtype: 'int' as nb.DType })).toThrow(nb.DTypeError);
  });
  it('bad shapes', () => {
    for (const bad of [[1.5], [NaN], 'x', [2, '3']]) {
      expect(() => nb.zeros(bad as unknown as number[]), JSON.stringify(bad)).toThrowError(expect.objectContaining({ code: 'E_SHAPE_INVALID' }));
    }
    // np.zeros(-1) -> ValueError: negative dimensions are not allowed
    expect(() => nb.zeros([-1])).toThrowError(expect.objectContaining({ name: 'ValueError', code: 'E_VALUE_NEGATIVE_DIM' }));
  });
  it('ragged nested data', () => {
    expect(() => nb.array([[1, 2], [3]])).toThrowError(expect.objectContaining({ code: 'E_SHAPE_RAGGED' }));
    expect(() => nb.array([[1, 2], 3] as never)).toThrow(nb.ShapeError);
  });
  it('non-numeric elements', () => {
    expect(() => nb.array(['a'] as never)).toThrow(nb.DTypeError);
  });
  it('bad ranges', () => {
    expect(() => nb.arange(0, 1, 0)).toThrowError(expect.objectContaining({ code: 'E_VALUE_STEP' }));
    expect(() => nb.linspace(0, 1, -1)).toThrowError(expect.objectContaining({ code: 'E_VALUE_NUM' }));
  });
});

/**
 * Every creation function takes its dtype both ways (issue 12, item 9): NumPy's positional
 * dtype and an options object `{ dtype }`, with the same result and the same static type.
 * One row per creation function of API.md; each is called with a dtype name, an alias, and
 * the options object, and without a dtype.
 */
describe('every creation function takes the dtype positionally and as { dtype }', () => {
  // `d as never`: one call site passes both forms (each form is its own overload).
  type Make = (dtype?: nb.DTypeArg) => nb.NDArray;
  const FUNCTIONS: Array<[string, Make, unknown[] | null]> = [
    ['array', (d) => nb.array([1, 2, 3], d as never), [1, 2, 3]],
    ['asarray', (d) => nb.asarray([1, 2, 3], d as never), [1, 2, 3]],
    ['empty', (d) => nb.empty([3], d as never), null], // uninitialised values
    ['zeros', (d) => nb.zeros([3], d as never), [0, 0, 0]],
    ['ones', (d) => nb.ones([3], d as never), [1, 1, 1]],
    ['full', (d) => nb.full([3], 7, d as never), [7, 7, 7]],
    ['arange', (d) => nb.arange(0, 3, 1, d as never), [0, 1, 2]],
    ['linspace', (d) => nb.linspace(0, 2, 3, d as never), [0, 1, 2]],
  ];

  describe.each(FUNCTIONS)('%s', (_, make, values) => {
    it.each(['float32', 'int16', 'uint8', 'float64'] as const)('as a dtype name and as { dtype }: %s', (dtype) => {
      const positional = make(dtype);
      const options = make({ dtype });
      for (const a of [positional, options]) {
        expect(a.dtype).toBe(dtype);
        expect(a.shape).toEqual([3]);
        if (values !== null) expect(a.toArray()).toEqual(nb.array(values as number[], dtype).toArray());
      }
    });

    it('as an alias either way', () => {
      expect(make('f4').dtype).toBe('float32');
      expect(make({ dtype: 'i2' }).dtype).toBe('int16');
    });

    it('with {} or { dtype: undefined }: the default dtype', () => {
      expect(make({}).dtype).toBe(make().dtype);
      expect(make({ dtype: undefined }).dtype).toBe(make().dtype);
    });

    it('rejects unknown option keys and unknown dtypes', () => {
      expect(() => make({ dtyp: 'float32' } as never)).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
      expect(() => make('float16' as never)).toThrowError(expect.objectContaining({ code: 'E_DTYPE_UNKNOWN' }));
      expect(() => make({ dtype: 'float16' } as never)).toThrowError(expect.objectContaining({ code: 'E_DTYPE_UNKNOWN' }));
    });
  });

  it('arange takes { dtype } after any number of numbers', () => {
    expect(nb.arange(20, { dtype: 'float32' }).dtype).toBe('float32');
    expect(nb.arange(20, { dtype: 'float32' }).toArray()).toEqual(nb.arange(20).astype('float32').toArray());
    expect(nb.arange(1, 5, { dtype: 'uint8' }).toArray()).toEqual([1, 2, 3, 4]);
    expect(nb.arange(0, 1, 0.25, { dtype: 'float32' }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(nb.arange(6, undefined, undefined, 'int16').toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(nb.arange(6, undefined, undefined, { dtype: 'int16' }).dtype).toBe('int16');
    expect(nb.arange(3, {}).dtype).toBe('int64');
  });

  it('arange says where a dtype goes when one is in the place of a number', () => {
    expect(() => nb.arange(20, 'float32' as never)).toThrowError(expect.objectContaining({ code: 'E_VALUE_RANGE', message: expect.stringContaining('{ dtype: "float32" }') }));
    expect(() => (nb.arange as (...a: unknown[]) => nb.NDArray)(1, { dtype: 'int8' }, 5)).toThrowError(expect.objectContaining({ code: 'E_VALUE_RANGE' }));
    expect(() => (nb.arange as (...a: unknown[]) => nb.NDArray)(1, 5, 1, 'int8', 'x')).toThrowError(expect.objectContaining({ code: 'E_VALUE_RANGE' }));
  });

  it('asarray keeps copy in its options; linspace keeps endpoint', () => {
    const ta = new Float64Array([1, 2]);
    expect(nb.asarray(ta, 'float64').storageKind).toBe('js');
    expect(nb.asarray(ta, { dtype: 'float64' }).storageKind).toBe('js');
    expect(nb.asarray(ta, { dtype: 'float64', copy: true }).storageKind).toBe('wasm');
    expect(nb.linspace(0, 1, 4, { dtype: 'float32', endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(nb.linspace(0, 1, 4, { endpoint: false }).dtype).toBe('float64');
  });

  it('types the result by the dtype in either form', () => {
    expectTypeOf(nb.array([1], 'float32')).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(nb.array([1], { dtype: 'f4' })).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(nb.asarray([1], 'int8')).toEqualTypeOf<nb.NDArray<'int8'>>();
    expectTypeOf(nb.asarray([1], { dtype: 'int8', copy: true })).toEqualTypeOf<nb.NDArray<'int8'>>();
    expectTypeOf(nb.empty(2, { dtype: 'uint16' })).toEqualTypeOf<nb.NDArray<'uint16'>>();
    expectTypeOf(nb.zeros(2, 'int32')).toEqualTypeOf<nb.NDArray<'int32'>>();
    expectTypeOf(nb.zeros(2, { dtype: 'int32' })).toEqualTypeOf<nb.NDArray<'int32'>>();
    expectTypeOf(nb.zeros(2)).toEqualTypeOf<nb.NDArray<'float64'>>();
    expectTypeOf(nb.zeros(2, {})).toEqualTypeOf<nb.NDArray<'float64'>>();
    expectTypeOf(nb.ones(2, { dtype: 'b1' })).toEqualTypeOf<nb.NDArray<'bool'>>();
    expectTypeOf(nb.full(2, 1, { dtype: 'uint64' })).toEqualTypeOf<nb.NDArray<'uint64'>>();
    expectTypeOf(nb.full(2, 1, 'uint64')).toEqualTypeOf<nb.NDArray<'uint64'>>();
    expectTypeOf(nb.arange(20, { dtype: 'float32' })).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(nb.arange(1, 5, { dtype: 'int8' })).toEqualTypeOf<nb.NDArray<'int8'>>();
    expectTypeOf(nb.arange(1, 5, 1, 'int8')).toEqualTypeOf<nb.NDArray<'int8'>>();
    expectTypeOf(nb.arange(1, 5, 1, { dtype: 'int8' })).toEqualTypeOf<nb.NDArray<'int8'>>();
    // Without a dtype, the one NumPy infers from the numbers (issue 18): int64 for integer
    // literals, float64 for a fraction, either for a number the types cannot see.
    expectTypeOf(nb.arange(5)).toEqualTypeOf<nb.NDArray<'int64'>>();
    expectTypeOf(nb.arange(1, 2, 0.25)).toEqualTypeOf<nb.NDArray<'float64'>>();
    expectTypeOf(nb.arange(0, 5, {})).toEqualTypeOf<nb.NDArray<'int64'>>();
    expectTypeOf(nb.arange(5 as number)).toEqualTypeOf<nb.NDArray<'int64' | 'float64'>>();
    expectTypeOf(nb.full(2, true)).toEqualTypeOf<nb.NDArray<'bool'>>();
    expectTypeOf(nb.full(2, 7n)).toEqualTypeOf<nb.NDArray<'int64'>>();
    expectTypeOf(nb.full(2, 0.5)).toEqualTypeOf<nb.NDArray<'float64'>>();
    expectTypeOf(nb.linspace(0, 1, 5, 'float32')).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(nb.linspace(0, 1, 5, { dtype: 'float32', endpoint: false })).toEqualTypeOf<nb.NDArray<'float32'>>();
    expectTypeOf(nb.linspace(0, 1, 5)).toEqualTypeOf<nb.NDArray<'float64'>>();
    // Not dtypes, or not where NumPy puts one: compile errors.
    // @ts-expect-error a dtype in the place of arange's stop
    expect(() => nb.arange(20, 'float32')).toThrow(nb.ValueError);
    // @ts-expect-error float16 is not a numbats dtype
    expect(() => nb.zeros(2, { dtype: 'float16' })).toThrow(nb.DTypeError);
    // @ts-expect-error unknown option key
    expect(() => nb.ones(2, { dtyp: 'int8' })).toThrow(nb.ValueError);
  });
});
