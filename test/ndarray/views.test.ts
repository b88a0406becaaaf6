import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { decodeNested, loadFixture } from '../helpers/fixtures.js';

interface ViewCase {
  name: string;
  shape: number[];
  steps: Array<[string, unknown]>;
  result: { shape: number[]; values: unknown };
}

function apply(a: nb.NDArray, steps: ViewCase['steps']): nb.NDArray {
  for (const [op, arg] of steps) {
    if (op === 'slice') a = a.slice(...(arg as nb.SliceSpec[]));
    else if (op === 'transpose') a = a.transpose((arg as number[] | null) ?? undefined);
    else if (op === 'reshape') a = a.reshape(arg as number[]);
    else if (op === 'copy') a = a.copy();
    else if (op === 'ravel') a = a.ravel();
    else throw new Error(op);
  }
  return a;
}

describe('views equal NumPy', () => {
  const { cases } = loadFixture<{ cases: ViewCase[] }>('views');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const base = nb.arange(c.shape.reduce((p, d) => p * d, 1), undefined, undefined, 'float64').reshape(c.shape);
    const r = apply(base, c.steps);
    expect(r.shape).toEqual(c.result.shape);
    expect(r.toArray()).toEqual(decodeNested(c.result.values, 'float64'));
  });
});

describe('views share memory and copies do not', () => {
  it('a slice writes through to its base', () => {
    const a = nb.zeros([3, 4]);
    a.slice(1, '::-1').set(0, 5);
    expect(a.get(1, 3)).toBe(5);
  });

  it('reshape of a contiguous array is a view, of a strided one a copy', () => {
    const a = nb.arange(12, undefined, undefined, 'float64');
    const v = a.reshape([3, 4]);
    v.set(0, 0, 42);
    expect(a.get(0)).toBe(42);
    // A strided 1-d dim splits into a view; a transpose cannot be flattened without a copy.
    a.slice('::2').reshape([2, 3]).set(0, 1, -1);
    expect(a.get(2)).toBe(-1);
    const t = v.T.reshape([12]);
    t.set(0, 99);
    expect(a.get(0)).toBe(42);
  });

  it('transpose and T swap strides without copying', () => {
    const a = nb.zeros([2, 3], 'int32');
    expect(a.T.shape).toEqual([3, 2]);
    expect(a.T.strides).toEqual([1, 3]);
    a.T.set(2, 1, 7);
    expect(a.get(1, 2)).toBe(7);
  });

  it('ravel is a view when contiguous; flatten always copies', () => {
    const a = nb.zeros([2, 2]);
    a.ravel().set(3, 1);
    expect(a.get(1, 1)).toBe(1);
    a.flatten().set(0, 9);
    expect(a.get(0, 0)).toBe(0);
  });

  it('copy of a negative-stride 3-d view is C-contiguous with the same values', () => {
    const a = nb.arange(24, undefined, undefined, 'int16').reshape([2, 3, 4]).slice('::-1', ':', '::-3');
    const c = a.copy();
    expect(c.strides).toEqual([6, 2, 1]);
    expect(c.isContiguous).toBe(true);
    expect(c.toArray()).toEqual(a.toArray());
  });

  it('slices with out-of-range bounds clamp as Python does', () => {
    const a = nb.arange(5, undefined, undefined, 'int32');
    expect(a.slice('3:100').toArray()).toEqual([3, 4]);
    expect(a.slice('-100:2').toArray()).toEqual([0, 1]);
    expect(a.slice('100:').shape).toEqual([0]);
    expect(a.slice('::-2').toArray()).toEqual([4, 2, 0]);
  });
});

describe('bad view arguments throw typed errors', () => {
  const a = nb.zeros([2, 3]);
  it('too many indices', () => {
    expect(() => a.slice(0, 0, 0)).toThrowError(expect.objectContaining({ code: 'E_INDEX_SPEC' }));
  });
  it('a malformed slice string', () => {
    for (const bad of ['1:2:3:4', 'a:b', '', '1.5', '::0']) {
      expect(() => a.slice(bad), bad).toThrow(nb.IndexError);
    }
  });
  it('two ellipses', () => {
    expect(() => a.slice('...', '...')).toThrow(nb.IndexError);
  });
  it('an integer index out of range', () => {
    expect(() => a.slice(2)).toThrowError(expect.objectContaining({ code: 'E_INDEX_RANGE' }));
    expect(() => a.slice(0, -4)).toThrowError(expect.objectContaining({ code: 'E_INDEX_RANGE' }));
  });
  it('reshape to a different size', () => {
    expect(() => a.reshape([4])).toThrowError(expect.objectContaining({ code: 'E_SHAPE_RESHAPE', name: 'ShapeError' }));
    expect(() => a.reshape([-1, -1])).toThrow(nb.ShapeError);
    expect(() => a.reshape([4, -1])).toThrow(nb.ShapeError);
    expect(() => a.reshape([2.5, 2])).toThrow(nb.ShapeError);
  });
  it('transpose with a wrong permutation', () => {
    expect(() => a.transpose([0, 0])).toThrowError(expect.objectContaining({ code: 'E_SHAPE_AXES' }));
    expect(() => a.transpose([0])).toThrow(nb.ShapeError);
  });
});
