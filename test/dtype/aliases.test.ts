/**
 * normalizeDType, dtypeInfo and the dtype records, against what np.dtype says about the same
 * names (the "dtypes" and "aliases" sections of test/fixtures/promotion.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DTYPES, DTYPE_NAMES, dtypeInfo, normalizeDType, type DType } from '../../src/dtype/index.js';
import { DTypeError, NumbatsError } from '../../src/util/errors.js';

interface Facts {
  dtypes: { name: DType; kind: string; itemSize: number; shortCode: string; typeNum: number }[];
  aliases: { alias: string; dtype: string | null }[];
}

const facts = JSON.parse(readFileSync(new URL('../fixtures/promotion.json', import.meta.url), 'utf8')) as Facts;

/** The short codes of API.md, and NumPy's `bool_`. */
const NUMBATS_ALIASES = ['b1', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f4', 'f8', 'bool_'];
/** Spellings numbats accepts although np.dtype rejects them. Keep this list short. */
const NUMBATS_ONLY = ['boolean'];

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as NumbatsError).code;
  }
};

describe('the dtype records', () => {
  it.each(facts.dtypes.map((f) => [f.name, f] as const))('describe %s as np.dtype does', (name, f) => {
    const info = DTYPES[name];
    expect({ name: info.name, kind: info.kind, itemSize: info.itemSize, shortCode: info.shortCode }).toEqual({
      name: f.name, kind: f.kind, itemSize: f.itemSize, shortCode: f.shortCode,
    });
    expect(info.TypedArray.BYTES_PER_ELEMENT).toBe(f.itemSize);
  });

  it("number the dtypes in NumPy's type-number order", () => {
    const byNumPy = [...facts.dtypes].sort((a, b) => a.typeNum - b.typeNum).map((f) => f.name);
    expect(DTYPE_NAMES).toEqual(byNumPy);
    expect(DTYPE_NAMES.map((d) => DTYPES[d].code)).toEqual(DTYPE_NAMES.map((_, i) => i));
  });
});

describe('normalizeDType', () => {
  it('returns every canonical name unchanged', () => {
    for (const d of DTYPE_NAMES) expect(normalizeDType(d)).toBe(d);
  });

  it.each(NUMBATS_ALIASES)('resolves the alias %s to the dtype np.dtype gives it', (alias) => {
    const numpy = facts.aliases.find((a) => a.alias === alias);
    expect(numpy?.dtype, `np.dtype(${JSON.stringify(alias)})`).toBeTruthy();
    expect(normalizeDType(alias)).toBe(numpy!.dtype);
  });

  it('round-trips each short code', () => {
    for (const d of DTYPE_NAMES) expect(normalizeDType(DTYPES[d].shortCode)).toBe(d);
  });

  it('never gives a spelling a different meaning than NumPy does (it may reject it)', () => {
    for (const { alias, dtype } of facts.aliases) {
      if (NUMBATS_ONLY.includes(alias)) continue;
      const code = codeOf(() => normalizeDType(alias));
      if (code === undefined) expect(normalizeDType(alias), JSON.stringify(alias)).toBe(dtype);
      else expect(code, JSON.stringify(alias)).toBe('E_DTYPE_UNKNOWN');
    }
  });

  it('accepts no spelling NumPy rejects except the listed extras', () => {
    const rejectedByNumPy = facts.aliases.filter((a) => a.dtype === null).map((a) => a.alias);
    const acceptedAnyway = rejectedByNumPy.filter((a) => codeOf(() => normalizeDType(a)) === undefined);
    expect(acceptedAnyway).toEqual(NUMBATS_ONLY.filter((a) => rejectedByNumPy.includes(a)));
    expect(normalizeDType('boolean')).toBe('bool');
  });

  it('rejects the NumPy-only spellings (platform C names, one-letter codes, byte orders) with E_DTYPE_UNKNOWN', () => {
    for (const s of ['int', 'float', 'double', 'intp', '?', 'i', 'd', '<f8', '=i4', 'float16', 'complex64', 'float128', 'object']) {
      expect(codeOf(() => normalizeDType(s)), s).toBe('E_DTYPE_UNKNOWN');
    }
  });

  it('throws DTypeError E_DTYPE_UNKNOWN naming the bad value and the valid names', () => {
    for (const bad of ['float128', '', 'Float64', ' int8', 'int8 ', null, undefined, 8, {}, ['int8']]) {
      try {
        normalizeDType(bad);
        expect.unreachable(`normalizeDType accepted ${String(bad)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(DTypeError);
        expect((e as DTypeError).code).toBe('E_DTYPE_UNKNOWN');
        expect((e as Error).message).toContain('float64');
      }
    }
    expect(() => normalizeDType('float128')).toThrow(/"float128"/);
  });

  it('rejects names inherited from Object.prototype', () => {
    for (const s of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(codeOf(() => normalizeDType(s)), s).toBe('E_DTYPE_UNKNOWN');
    }
  });
});

describe('dtypeInfo', () => {
  it('returns the record for a name or an alias', () => {
    expect(dtypeInfo('f4')).toBe(DTYPES.float32);
    expect(dtypeInfo('uint16').itemSize).toBe(2);
    expect(dtypeInfo('i8').isBigInt).toBe(true);
  });

  it('throws E_DTYPE_UNKNOWN for an unknown dtype', () => {
    expect(codeOf(() => dtypeInfo('f16' as DType))).toBe('E_DTYPE_UNKNOWN');
  });
});
