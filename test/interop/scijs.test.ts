import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

describe('scijs ndarray interop shares memory', () => {
  it('fromNdarray views the same TypedArray with its strides and offset', () => {
    const s = ndarray(new Float32Array([0, 1, 2, 3, 4, 5]), [2, 3]).transpose(1, 0);
    const a = nb.fromNdarray(s);
    expect(a.shape).toEqual([3, 2]);
    expect(a.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    a.set(0, 1, 30);
    expect(s.get(0, 1)).toBe(30);
  });
  it('toNdarray views the heap memory of the NDArray', () => {
    const a = nb.arange(6, undefined, undefined, 'float64').reshape([2, 3]).slice(':', '::-1');
    const s = a.toNdarray();
    expect(s.shape).toEqual([2, 3]);
    expect(s.get(1, 0)).toBe(5);
    s.set(0, 0, -1);
    expect(a.get(0, 0)).toBe(-1);
  });
  it('plain-array scijs data is copied into a float64 array', () => {
    const s = ndarray([1, 2, 3, 4], [2, 2]);
    const a = nb.fromNdarray(s);
    expect(a.dtype).toBe('float64');
    expect(a.toArray()).toEqual([[1, 2], [3, 4]]);
  });
});
