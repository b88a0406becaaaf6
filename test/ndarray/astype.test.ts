import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';

interface AstypeFixture {
  inputs: Record<string, unknown[]>;
  results: Record<string, Record<string, unknown[]>>;
}

const fx = loadFixture<AstypeFixture>('astype');
const decode = (values: unknown[], dtype: string) => values.map((v) => decodeScalar(v, dtype));

/** Source array holding the fixture's raw values exactly (via the TypedArray, no conversion). */
function source(dtype: nb.DType): nb.NDArray {
  const values = decode(fx.inputs[dtype]!, dtype);
  const a = nb.empty([values.length], dtype);
  const data = a.data as unknown as Array<number | bigint>;
  values.forEach((v, i) => (data[i] = typeof v === 'boolean' ? Number(v) : v));
  return a;
}

describe('NDArray.astype equals NumPy astype on edge values (NaN, inf, overflow, negative to unsigned)', () => {
  for (const from of Object.keys(fx.inputs) as nb.DType[]) {
    for (const to of Object.keys(fx.results[from]!) as nb.DType[]) {
      it(`${from} -> ${to}`, () => {
        const expected = decode(fx.results[from]![to]!, to);
        const a = source(from);
        expect(a.astype(to).toArray()).toEqual(expected);
        // The same through a strided, reversed view.
        expect(a.slice('::-1').astype(to).toArray()).toEqual([...expected].reverse());
      });
    }
  }
});

describe('astype casting modes and copies', () => {
  it('refuses what the casting rule forbids, naming the rule and dtypes', () => {
    const a = nb.zeros([2]);
    expect(() => a.astype('int32', { casting: 'safe' })).toThrowError(expect.objectContaining({ code: 'E_CAST_RULE' }));
    expect(() => a.astype('int32', { casting: 'same_kind' })).toThrow(/float64.*int32.*same_kind/);
    expect(() => a.astype('float32', { casting: 'safe' })).toThrow(nb.CastingError);
    expect(() => a.astype('float64', { casting: 'no' })).not.toThrow();
    expect(a.astype('float32', { casting: 'same_kind' }).dtype).toBe('float32');
    expect(() => a.astype('float64', { casting: 'bogus' as nb.Casting })).toThrow(nb.NumbatsError);
  });
  it('copy: false returns the array itself when the dtype already matches', () => {
    const a = nb.zeros([2], 'int16');
    expect(a.astype('int16', { copy: false })).toBe(a);
    expect(a.astype('i2')).not.toBe(a);
    expect(a.astype('int32', { copy: false }).dtype).toBe('int32');
  });
  it('copies of js-storage arrays go through the heap and keep values', () => {
    const ta = new Int32Array([-5, 0, 70000]);
    expect(nb.asarray(ta).astype('int16').toArray()).toEqual([-5, 0, 4464]);
  });
});
