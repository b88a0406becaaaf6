import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { loadFixture } from '../helpers/fixtures.js';

interface BroadcastCase {
  source: string;
  shapes: number[][];
  result: number[] | null;
}

describe("broadcastShapes equals NumPy on NumPy's own test cases", () => {
  const { cases } = loadFixture<{ cases: BroadcastCase[] }>('broadcast');
  it.each(cases.map((c, i) => [`${c.source} #${i}: ${JSON.stringify(c.shapes)}`, c] as const))('%s', (_n, c) => {
    if (c.result === null) {
      expect(() => nb.broadcastShapes(...c.shapes)).toThrowError(expect.objectContaining({ code: 'E_SHAPE_BROADCAST' }));
    } else {
      expect(nb.broadcastShapes(...c.shapes)).toEqual(c.result);
    }
  });
});

describe('broadcastTo and broadcastArrays', () => {
  it('broadcastTo makes a read-only stride-0 view', () => {
    const a = nb.arange(3, undefined, undefined, 'float64');
    const b = nb.broadcastTo(a, [2, 3]);
    expect(b.strides).toEqual([0, 1]);
    expect(b.toArray()).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect(b.writeable).toBe(false);
    expect(() => b.set(0, 0, 1)).toThrowError(expect.objectContaining({ code: 'E_VALUE_READONLY' }));
    a.set(1, 5);
    expect(b.get(1, 1)).toBe(5);
  });
  it('a copy of a broadcast view is a full writable array', () => {
    const b = nb.broadcastTo(nb.array([[1], [2]], { dtype: 'uint8' }), [2, 3]).copy();
    expect(b.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(b.writeable).toBe(true);
  });
  it('broadcastArrays gives every argument the common shape', () => {
    const [x, y] = nb.broadcastArrays(nb.zeros([3, 1]), nb.zeros([4]));
    expect(x!.shape).toEqual([3, 4]);
    expect(y!.shape).toEqual([3, 4]);
    expect(y!.strides).toEqual([0, 1]);
  });
  it('incompatible shapes throw ShapeError naming the shapes', () => {
    expect(() => nb.broadcastTo(nb.zeros([3]), [4])).toThrowError(/\(3,\).*\(4,\)/);
    expect(() => nb.broadcastTo(nb.zeros([2, 3]), [3])).toThrow(nb.ShapeError);
    expect(() => nb.broadcastArrays(nb.zeros([2]), nb.zeros([3]))).toThrow(nb.ShapeError);
  });
});
