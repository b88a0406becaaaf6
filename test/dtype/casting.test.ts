/**
 * canCast, normalizeCasting and assertCanCast, against np.can_cast for every pair of dtypes
 * and every casting mode (test/fixtures/casting.json, written by scripts/numpy-fixtures.py),
 * plus the ordering properties of the modes.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CASTING_MODES, DTYPE_NAMES, assertCanCast, canCast, normalizeCasting, promoteTypes,
  type Casting, type DType,
} from '../../src/dtype/index.js';
import { CastingError, DTypeError, NumbatsError } from '../../src/util/errors.js';

interface CastingFixture { cases: { from: DType; to: DType; casting: Casting; result: boolean }[] }

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/casting.json', import.meta.url), 'utf8'),
) as CastingFixture;

const dtype = fc.constantFrom(...DTYPE_NAMES);
const mode = fc.constantFrom(...CASTING_MODES);
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as NumbatsError).code;
  }
};

describe('canCast', () => {
  it('has a NumPy answer for all 121 pairs in all 5 modes', () => {
    expect(fixture.cases).toHaveLength(DTYPE_NAMES.length ** 2 * CASTING_MODES.length);
  });

  describe.each(CASTING_MODES)("in mode '%s'", (casting) => {
    it.each(DTYPE_NAMES)('casts from %s to each dtype exactly when np.can_cast does', (from) => {
      const rows = fixture.cases.filter((c) => c.from === from && c.casting === casting);
      expect(rows).toHaveLength(DTYPE_NAMES.length);
      const actual = Object.fromEntries(rows.map((c) => [c.to, canCast(from, c.to, casting)]));
      const expected = Object.fromEntries(rows.map((c) => [c.to, c.result]));
      expect(actual).toEqual(expected);
    });
  });

  it("defaults to 'safe'", () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => canCast(a, b) === canCast(a, b, 'safe')));
  });

  it('accepts aliases and dtype holders (arrays)', () => {
    expect(canCast('i4', 'f8')).toBe(true);
    expect(canCast({ dtype: 'float64' }, 'int32')).toBe(false);
    expect(canCast({ dtype: 'int64' }, 'i1', 'same_kind')).toBe(true);
  });

  it("allows only the identical dtype under 'no' and 'equiv'", () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => canCast(a, b, 'no') === (a === b) && canCast(a, b, 'equiv') === (a === b)));
  });

  it("orders the modes: 'no' implies 'equiv' implies 'safe' implies 'same_kind' implies 'unsafe'", () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => {
      const allowed = CASTING_MODES.map((m) => canCast(a, b, m));
      // Once a mode allows the cast, every looser mode does too.
      return allowed.every((ok, i) => !ok || allowed.slice(i + 1).every(Boolean));
    }));
  });

  it("allows every cast under 'unsafe'", () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => canCast(a, b, 'unsafe')));
  });

  it("casts safely into promoteTypes(a, b), and 'safe' both ways only between equal dtypes", () => {
    fc.assert(fc.property(dtype, dtype, (a, b) => {
      const p = promoteTypes(a, b);
      return canCast(a, p, 'safe') && canCast(b, p, 'safe') && (canCast(a, b) && canCast(b, a)) === (a === b);
    }));
  });

  it("is transitive in every mode", () => {
    fc.assert(fc.property(dtype, dtype, dtype, mode, (a, b, c, m) =>
      !(canCast(a, b, m) && canCast(b, c, m)) || canCast(a, c, m)));
  });

  it('throws DTypeError E_DTYPE_UNKNOWN for an unknown dtype', () => {
    expect(codeOf(() => canCast('float128' as DType, 'int8'))).toBe('E_DTYPE_UNKNOWN');
    expect(codeOf(() => canCast('int8', 'F8' as DType))).toBe('E_DTYPE_UNKNOWN');
    expect(() => canCast('int8', 'x' as DType)).toThrow(DTypeError);
  });

  it('throws CastingError E_CAST_MODE for an unknown casting mode', () => {
    expect(() => canCast('int8', 'int16', 'sometimes' as Casting)).toThrow(CastingError);
    expect(codeOf(() => canCast('int8', 'int16', 'SAFE' as Casting))).toBe('E_CAST_MODE');
  });
});

describe('normalizeCasting', () => {
  it('returns each casting mode unchanged', () => {
    for (const m of CASTING_MODES) expect(normalizeCasting(m)).toBe(m);
  });

  it('throws CastingError E_CAST_MODE listing the valid modes for anything else', () => {
    for (const bad of ['', 'sameKind', 'same-kind', 'Safe', null, undefined, 1, {}]) {
      try {
        normalizeCasting(bad);
        expect.unreachable(`normalizeCasting accepted ${String(bad)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(CastingError);
        expect(e).toBeInstanceOf(NumbatsError);
        expect((e as CastingError).code).toBe('E_CAST_MODE');
        expect((e as Error).message).toContain("'same_kind'");
      }
    }
  });
});

describe('assertCanCast', () => {
  it("throws CastingError E_CAST_RULE in NumPy's wording, naming both dtypes, the rule and the purpose", () => {
    try {
      assertCanCast('float64', 'int32', 'safe', 'astype');
      expect.unreachable('float64 -> int32 passed under safe');
    } catch (e) {
      expect(e).toBeInstanceOf(CastingError);
      expect((e as CastingError).code).toBe('E_CAST_RULE');
      const msg = (e as Error).message;
      expect(msg).toContain("Cannot cast array data from float64 to int32 according to the rule 'safe'");
      expect(msg).toContain('astype');
      expect(msg).toContain("'unsafe'");
    }
  });

  it('throws exactly when canCast is false', () => {
    fc.assert(fc.property(dtype, dtype, mode, (a, b, m) =>
      (codeOf(() => assertCanCast(a, b, m, 'test')) === undefined) === canCast(a, b, m)));
  });

  it('names the mode that would allow the cast', () => {
    expect(() => assertCanCast('int64', 'int8', 'safe', 'out')).toThrow(/casting: 'same_kind'/);
    expect(() => assertCanCast('int8', 'int16', 'no', 'out')).toThrow(/casting: 'safe'/);
  });

  it('passes allowed casts and accepts aliases', () => {
    expect(() => assertCanCast('i4', 'f8', 'safe', 'astype')).not.toThrow();
    expect(() => assertCanCast({ dtype: 'uint8' }, 'int8', 'same_kind', 'out')).not.toThrow();
  });
});
