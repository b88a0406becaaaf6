/**
 * The logical ufuncs' promoter (NumPy 2): inputs that an exact loop takes use it; any other
 * combination (mixed dtypes, JS scalars) is truth-tested through the bool loop, whatever
 * the casting rule. NaN is true; -0.0 is false. Results of every layout length, so the
 * 1-byte SIMD rows (bool, int8, uint8) and the scalar rows agree.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../../src/index.js';

const truth = (x: number) => x !== 0; // NaN !== 0

describe('logical_and / logical_or / logical_xor', () => {
  const a = [0, 1, -2, 0, 3, 0, 5, -0];
  const b = [NaN, 0, 0.5, 0, -0, 2.5, NaN, 1];
  const cases = [
    ['logicalAnd', (x: boolean, y: boolean) => x && y],
    ['logicalOr', (x: boolean, y: boolean) => x || y],
    ['logicalXor', (x: boolean, y: boolean) => x !== y],
  ] as const;

  it.each(cases)('%s truth-tests mixed int8 and float64 inputs (bool loop)', (name, op) => {
    const r = nb[name](nb.array(a, { dtype: 'int8' }), nb.array(b, { dtype: 'float64' }));
    expect(r.dtype).toBe('bool');
    expect(r.toArray()).toEqual(a.map((x, i) => op(truth(x), truth(b[i]!))));
  });

  it.each(cases)("%s ignores casting='no' for the truth test, as NumPy does", (name, op) => {
    const r = nb[name](nb.array([0, 1], { dtype: 'int8' }), nb.array([1, 1], { dtype: 'int16' }), { casting: 'no' });
    expect(r.toArray()).toEqual([op(false, true), op(true, true)]);
  });

  it.each(cases)('%s takes JS scalars of any size as truth values (NaN is true)', (name, op) => {
    const x = nb.array([0, 1, 2], { dtype: 'uint8' });
    for (const s of [0, 2.5, NaN, 300, -1, 2n ** 70n]) {
      const t = typeof s === 'bigint' ? s !== 0n : truth(s);
      expect(nb[name](x, s).toArray(), `${name}(uint8, ${s})`).toEqual([0, 1, 2].map((v) => op(truth(v), t)));
    }
  });

  it.each([1, 15, 16, 17, 33, 64])('%s-element int8 and bool rows agree with the scalar rule', (n) => {
    const xs = Array.from({ length: n }, (_, i) => ((i * 37) % 5) - 2);
    const ys = Array.from({ length: n }, (_, i) => (i * 11) % 3 === 0);
    for (const [name, op] of cases) {
      const r = nb[name](nb.array(xs, { dtype: 'int8' }), nb.array(xs.map((v) => v + 1), { dtype: 'int8' }));
      expect(r.toArray()).toEqual(xs.map((v) => op(v !== 0, v + 1 !== 0)));
      const q = nb[name](nb.array(ys), nb.array(ys.map((v) => !v)));
      expect(q.toArray()).toEqual(ys.map((v) => op(v, !v)));
    }
    expect(nb.logicalNot(nb.array(xs.map((v) => v & 255), { dtype: 'uint8' })).toArray()).toEqual(xs.map((v) => v === 0));
    expect(nb.logicalNot(nb.array(ys)).toArray()).toEqual(ys.map((v) => !v));
  });
});
