/**
 * Comparisons with JS integers outside the array dtype's range. NumPy 2 compares these
 * exactly (`int8_array < 300` is all True, `uint64_array == -1` all False) instead of
 * raising the OverflowError that arithmetic gives. numbats runs them in a loop that holds
 * the value (int16 for int8 < 300; 'int64,uint64->bool' for int64 < 2**63) or, past every
 * integer dtype, as ±Infinity in float64. Expected values are the exact comparisons of the
 * mathematical integers, computed here with bigint.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../../src/index.js';
import { DTYPES, type DType } from '../../../src/dtype/dtypes.js';
import { DTypeError } from '../../../src/util/errors.js';

const INTS: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const OPS = {
  less: (a: bigint, b: bigint) => a < b,
  lessEqual: (a: bigint, b: bigint) => a <= b,
  greater: (a: bigint, b: bigint) => a > b,
  greaterEqual: (a: bigint, b: bigint) => a >= b,
  equal: (a: bigint, b: bigint) => a === b,
  notEqual: (a: bigint, b: bigint) => a !== b,
} as const;

/** Values of each dtype's edges and a few beyond them. */
function probes(d: DType): { array: bigint[]; scalars: bigint[] } {
  const min = BigInt(DTYPES[d].min);
  const max = BigInt(DTYPES[d].max);
  return {
    array: [min, min + 1n, 0n, max - 1n, max],
    scalars: [
      min - 1n, max + 1n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 70n, -(2n ** 70n),
      -1n, 300n,
    ],
  };
}

const asJs = (v: bigint) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

describe.each(INTS)('comparisons of %s arrays with out-of-range JS integers', (d) => {
  const { array, scalars } = probes(d);
  const arr = nb.array(array.map((v) => (d === 'int64' || d === 'uint64' ? v : Number(v))) as never, { dtype: d });

  it.each(Object.keys(OPS) as (keyof typeof OPS)[])('%s compares exactly on either side', (op) => {
    const f = nb[op];
    for (const s of scalars) {
      const right = f(arr, asJs(s)).toArray();
      const left = f(asJs(s), arr).toArray();
      expect(right, `${op}(${d}, ${s})`).toEqual(array.map((a) => OPS[op](a, s)));
      expect(left, `${op}(${s}, ${d})`).toEqual(array.map((a) => OPS[op](s, a)));
      expect(f(arr, asJs(s)).dtype).toBe('bool');
    }
  });
});

describe('arithmetic with out-of-range JS integers', () => {
  it('still throws, as NumPy 2 does (OverflowError there)', () => {
    expect(() => nb.add(nb.array([1], { dtype: 'int8' }), 300)).toThrow(DTypeError);
    expect(() => nb.maximum(nb.array([1], { dtype: 'uint8' }), -1)).toThrow(DTypeError);
  });
});

describe('mixed int64 and uint64 arrays', () => {
  it("compare exactly through NumPy 2's 'int64,uint64->bool' loops (no float64 rounding)", () => {
    const i = nb.array([-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n, 2n ** 53n + 1n], { dtype: 'int64' });
    const u = nb.array([0n, 2n ** 64n - 1n, 0n, 2n ** 63n, 2n ** 53n], { dtype: 'uint64' });
    expect(nb.less(i, u).toArray()).toEqual([true, true, false, true, false]);
    expect(nb.equal(i, u).toArray()).toEqual([false, false, true, false, false]);
    expect(nb.greater(u, i).toArray()).toEqual([true, true, false, true, false]);
    expect(nb.notEqual(u, i).toArray()).toEqual([true, true, false, true, true]);
  });
});
