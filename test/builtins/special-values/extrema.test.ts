/**
 * maximum / minimum / fmax / fmin on NaN and signed zeros, for every row length from 1 to
 * 40 (SIMD main loop, scalar tail, and rows too short for SIMD must agree), contiguous and
 * with one input broadcast.
 *   maximum/minimum: NaN in either input gives NaN; equal inputs give the second (NumPy 2:
 *     `np.maximum(0.0, -0.0)` is -0.0 at every length).
 *   fmax/fmin: a NaN input is ignored unless both are NaN; numbats returns the first of
 *     equal inputs at every length (NumPy's own answer depends on its code path: the first
 *     below 8 elements, the second from 8 on).
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../../src/index.js';

const LENGTHS = Array.from({ length: 40 }, (_, i) => i + 1);
const FLOATS = ['float32', 'float64'] as const;

/** n copies of `v` as a float array. */
const fill = (n: number, v: number, dtype: (typeof FLOATS)[number]) => nb.full([n], v, dtype);
const signs = (a: nb.NDArray) => (a.toArray() as number[]).map((x) => (Number.isNaN(x) ? 'nan' : Object.is(x, -0) ? '-0' : String(x)));

describe.each(FLOATS)('%s', (dtype) => {
  it.each(LENGTHS)('maximum and minimum of equal zeros give the second (length %i)', (n) => {
    const pz = fill(n, 0, dtype);
    const nz = fill(n, -0, dtype);
    expect(signs(nb.maximum(pz, nz))).toEqual(Array(n).fill('-0'));
    expect(signs(nb.maximum(nz, pz))).toEqual(Array(n).fill('0'));
    expect(signs(nb.minimum(pz, nz))).toEqual(Array(n).fill('-0'));
    expect(signs(nb.minimum(nz, pz))).toEqual(Array(n).fill('0'));
    // broadcast rows (stride 0 on one input)
    expect(signs(nb.maximum(pz, nb.full([1], -0, dtype)))).toEqual(Array(n).fill('-0'));
    expect(signs(nb.minimum(nb.full([1], -0, dtype), pz))).toEqual(Array(n).fill('0'));
  });

  it.each(LENGTHS)('fmax and fmin of equal zeros give the first (length %i)', (n) => {
    const pz = fill(n, 0, dtype);
    const nz = fill(n, -0, dtype);
    expect(signs(nb.fmax(pz, nz))).toEqual(Array(n).fill('0'));
    expect(signs(nb.fmin(nz, pz))).toEqual(Array(n).fill('-0'));
  });

  it.each(LENGTHS)('NaN propagates through maximum/minimum and is ignored by fmax/fmin (length %i)', (n) => {
    const x = nb.array(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? NaN : i)), { dtype });
    const y = nb.array(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? NaN : n - i)), { dtype });
    const xs = x.toArray() as number[];
    const ys = y.toArray() as number[];
    const both = (f: (a: number, b: number) => number) => xs.map((a, i) => f(a, ys[i]!));
    const nanMax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
    const nanMin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));
    const ignMax = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
    const ignMin = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));
    expect(nb.maximum(x, y).toArray()).toEqual(both(nanMax));
    expect(nb.minimum(x, y).toArray()).toEqual(both(nanMin));
    expect(nb.fmax(x, y).toArray()).toEqual(both(ignMax));
    expect(nb.fmin(x, y).toArray()).toEqual(both(ignMin));
  });
});

describe('integer extrema', () => {
  it.each(LENGTHS)('int64 and uint64 maximum/minimum agree with bigint order (length %i)', (n) => {
    const a = Array.from({ length: n }, (_, i) => (i % 2 ? -(2n ** 62n) * BigInt(i % 3) : 2n ** 61n + BigInt(i)));
    const b = Array.from({ length: n }, (_, i) => BigInt(i * 7919 - 50000));
    const max = (x: bigint, y: bigint) => (x >= y ? x : y);
    const min = (x: bigint, y: bigint) => (x <= y ? x : y);
    const [A, B] = [nb.array(a, { dtype: 'int64' }), nb.array(b, { dtype: 'int64' })];
    expect(nb.maximum(A, B).toArray()).toEqual(a.map((x, i) => max(x, b[i]!)));
    expect(nb.minimum(A, B).toArray()).toEqual(a.map((x, i) => min(x, b[i]!)));
    const ua = a.map((x) => BigInt.asUintN(64, x));
    const ub = b.map((x) => BigInt.asUintN(64, x));
    const [UA, UB] = [nb.array(ua, { dtype: 'uint64' }), nb.array(ub, { dtype: 'uint64' })];
    expect(nb.fmax(UA, UB).toArray()).toEqual(ua.map((x, i) => max(x, ub[i]!)));
    expect(nb.fmin(UA, UB).toArray()).toEqual(ua.map((x, i) => min(x, ub[i]!)));
  });
});
