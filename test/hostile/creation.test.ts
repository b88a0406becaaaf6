/**
 * Issue 19, creation: regression tests for items 3, 10a and 12a, one per reproducer and its
 * variants. Every expectation is NumPy 2.4's, with the Python line that produced it.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const code = (name: string, c: string) => expect.objectContaining({ name, code: c });

describe('issue 19 item 3: nested NDArrays and TypedArrays keep their dtypes', () => {
  it('nb.array([nb.ones([2]), nb.zeros([2])]) is float64', () => {
    // np.array([np.ones(2), np.zeros(2)]) -> float64 [[1., 1.], [0., 0.]]
    const a = nb.array([nb.ones([2]), nb.zeros([2])]);
    expect(a.dtype).toBe('float64');
    expect(a.shape).toEqual([2, 2]);
    expect(a.toArray()).toEqual([[1, 1], [0, 0]]);
  });

  it('nested float32 and uint8 NDArrays keep their dtype', () => {
    // np.array([np.ones(2, np.float32), np.zeros(2, np.float32)]).dtype -> float32
    expect(nb.array([nb.ones([2], 'float32'), nb.zeros([2], 'float32')]).dtype).toBe('float32');
    // np.array([np.ones(2, np.uint8), np.zeros(2, np.uint8)]) -> uint8 [[1, 1], [0, 0]]
    const u = nb.array([nb.ones([2], 'uint8'), nb.zeros([2], 'uint8')]);
    expect(u.dtype).toBe('uint8');
    expect(u.toArray()).toEqual([[1, 1], [0, 0]]);
    // np.array([np.ones((2,2), np.float32), np.ones((2,2), np.int16)]) -> float32, shape (2, 2, 2)
    const d = nb.array([nb.ones([2, 2], 'float32'), nb.ones([2, 2], 'int16')]);
    expect([d.dtype, d.shape]).toEqual(['float32', [2, 2, 2]]);
  });

  it('nested TypedArrays are 1-d arrays of their dtype', () => {
    const f = nb.array([new Float32Array([1, 2]), new Float32Array([3, 4])]);
    expect([f.dtype, f.toArray()]).toEqual(['float32', [[1, 2], [3, 4]]]);
    expect(nb.array([new Uint8Array([1, 2]), new Uint8Array([3, 4])]).dtype).toBe('uint8');
    expect(nb.array([new Uint8ClampedArray([1, 2]), new Uint8Array([3, 4])]).dtype).toBe('uint8');
    const b = nb.array([new BigInt64Array([1n, -2n]), new BigInt64Array([3n, 4n])]);
    expect([b.dtype, b.toArray()]).toEqual(['int64', [[1n, -2n], [3n, 4n]]]);
    // np.array([np.ones(2, np.uint8), np.ones(2, np.int8)]).dtype -> int16
    expect(nb.array([new Uint8Array([1, 1]), new Int8Array([1, 1])]).dtype).toBe('int16');
  });

  it('leaves promote with JS scalars as NumPy promotes Python scalars inside a list (not weak)', () => {
    // np.array([np.ones(2, np.float32), [1, 2]]) -> float64 [[1., 1.], [1., 2.]]
    const a = nb.array([nb.ones([2], 'float32'), [1, 2]]);
    expect([a.dtype, a.toArray()]).toEqual(['float64', [[1, 1], [1, 2]]]);
    // np.array([np.ones(2, np.float32), [1.5, 2]]) -> float64 [[1., 1.], [1.5, 2.]]
    const b = nb.array([nb.ones([2], 'float32'), [1.5, 2]]);
    expect([b.dtype, b.toArray()]).toEqual(['float64', [[1, 1], [1.5, 2]]]);
    // np.array([np.ones(2, np.uint8), [300, 1]]) -> int64 [[1, 1], [300, 1]]
    const c = nb.array([nb.ones([2], 'uint8'), [300, 1]]);
    expect([c.dtype, c.toArray()]).toEqual(['int64', [[1n, 1n], [300n, 1n]]]);
    // np.array([np.ones(2, np.uint8), [-1, 1]]).dtype -> int64
    expect(nb.array([nb.ones([2], 'uint8'), [-1, 1]]).dtype).toBe('int64');
    // np.array([[1, 2], np.ones(2, np.float32)]) -> float64 [[1., 2.], [1., 1.]]
    const d = nb.array([[1, 2], nb.ones([2], 'float32')]);
    expect([d.dtype, d.toArray()]).toEqual(['float64', [[1, 2], [1, 1]]]);
    // np.array([np.ones(2, np.int8), [True, False]]) -> int8 [[1, 1], [1, 0]]
    const e = nb.array([nb.ones([2], 'int8'), [true, false]]);
    expect([e.dtype, e.toArray()]).toEqual(['int8', [[1, 1], [1, 0]]]);
    // np.array([np.ones(2, np.bool_), [1, 0]]).dtype -> int64
    expect(nb.array([nb.ones([2], 'bool'), [1, 0]]).dtype).toBe('int64');
    // np.array([np.ones(2, np.uint64), [-1, 2]]) -> float64 [[1., 1.], [-1., 2.]]
    const f = nb.array([nb.ones([2], 'uint64'), [-1, 2]]);
    expect([f.dtype, f.toArray()]).toEqual(['float64', [[1, 1], [-1, 2]]]);
    // np.array([np.ones(2, np.uint8), [2**63, 1]]).dtype -> float64 (uint64 with int64)
    expect(nb.array([nb.ones([2], 'uint8'), [2 ** 63, 1]]).dtype).toBe('float64');
    // np.array([np.ones(2, np.int64), np.ones(2, np.uint64)]).dtype -> float64
    expect(nb.array([nb.ones([2], 'int64'), nb.ones([2], 'uint64')]).dtype).toBe('float64');
  });

  it('a 0-d NDArray inside a list is a strong leaf, as np.float32(1) is', () => {
    // np.array([np.float32(1), 2.5]) -> float64 [1., 2.5]; np.array([np.array(1, np.float32), 2.5]) the same
    const a = nb.array([nb.array(1, 'float32'), 2.5]);
    expect([a.dtype, a.toArray()]).toEqual(['float64', [1, 2.5]]);
    // np.array([np.float32(1), 2]).dtype -> float64
    expect(nb.array([nb.array(1, 'float32'), 2]).dtype).toBe('float64');
    // np.array([np.array(5, np.uint8), 300]) -> int64 [5, 300]
    const b = nb.array([nb.array(5, 'uint8'), 300]);
    expect([b.dtype, b.toArray()]).toEqual(['int64', [5n, 300n]]);
  });

  it('leaves promote left to right, as NumPy folds them', () => {
    // np.array([np.ones(1,np.int8), np.ones(1,np.uint16), np.ones(1,np.float32)]).dtype -> float64
    expect(nb.array([nb.ones([1], 'int8'), nb.ones([1], 'uint16'), nb.ones([1], 'float32')]).dtype).toBe('float64');
    // np.array([np.ones(1,np.int8), np.ones(1,np.float32), np.ones(1,np.uint16)]).dtype -> float32
    expect(nb.array([nb.ones([1], 'int8'), nb.ones([1], 'float32'), nb.ones([1], 'uint16')]).dtype).toBe('float32');
  });

  it('strided, transposed and reversed leaves are copied element by element', () => {
    const x = nb.arange(6).reshape([2, 3]);
    // a = np.arange(6).reshape(2,3); np.array([a.T, a.T[::-1]]).tolist()
    //   -> [[[0, 3], [1, 4], [2, 5]], [[2, 5], [1, 4], [0, 3]]]
    const a = nb.array([x.T, x.T.slice('::-1')]);
    expect(a.shape).toEqual([2, 3, 2]);
    expect(a.toArray()).toEqual([[[0n, 3n], [1n, 4n], [2n, 5n]], [[2n, 5n], [1n, 4n], [0n, 3n]]]);
    // a TypedArray wrapped in place (js storage) as a leaf
    const w = nb.asarray(new Float64Array([7, 8]));
    expect(nb.array([w, [1, 2]]).toArray()).toEqual([[7, 8], [1, 2]]);
  });

  it('empty leaves count for the dtype', () => {
    // np.array([[], np.ones(0, np.float32)]) -> float32, shape (2, 0)
    const a = nb.array([[], nb.ones([0], 'float32')]);
    expect([a.dtype, a.shape]).toEqual(['float32', [2, 0]]);
    // np.array([np.ones(0, np.int8)]) -> int8, shape (1, 0)
    const b = nb.array([nb.ones([0], 'int8')]);
    expect([b.dtype, b.shape]).toEqual(['int8', [1, 0]]);
    // np.array([[], []]).dtype -> float64
    expect(nb.array([[], []]).dtype).toBe('float64');
  });

  it('nested NDArrays contribute their shapes; ragged data is E_SHAPE_RAGGED', () => {
    // np.array([np.ones(2), np.ones(3)]) -> ValueError: ... inhomogeneous shape after 1 dimensions
    expect(() => nb.array([nb.ones([2]), nb.ones([3])])).toThrowError(code('ShapeError', 'E_SHAPE_RAGGED'));
    expect(() => nb.array([nb.ones([2]), nb.ones([3])])).toThrowError(/after 1 dimensions/);
    // np.array([np.ones(2), [1, [2]]]) -> ValueError: ... inhomogeneous shape after 2 dimensions
    expect(() => nb.array([nb.ones([2]), [1, [2]]] as never)).toThrowError(/after 2 dimensions/);
    expect(() => nb.array([[1, 2], nb.array(5)])).toThrowError(code('ShapeError', 'E_SHAPE_RAGGED'));
    expect(() => nb.array([nb.ones([2, 2]), nb.ones([2])])).toThrowError(code('ShapeError', 'E_SHAPE_RAGGED'));
    expect(() => nb.array([new Float32Array(2), new Float32Array(3)])).toThrowError(code('ShapeError', 'E_SHAPE_RAGGED'));
  });

  it('with a dtype given, array leaves are cast unsafely and JS integers must fit, as in NumPy', () => {
    // np.array([np.ones(2)*300, [1, 2]], dtype=np.uint8) -> [[44, 44], [1, 2]]
    const a = nb.array([nb.full([2], 300), [1, 2]], 'uint8');
    expect([a.dtype, a.toArray()]).toEqual(['uint8', [[44, 44], [1, 2]]]);
    // np.array([np.ones(2), [300, 2]], dtype=np.uint8) -> OverflowError: Python integer 300 out of bounds for uint8
    expect(() => nb.array([nb.ones([2]), [300, 2]], 'uint8')).toThrowError(code('DTypeError', 'E_DTYPE_OVERFLOW'));
  });
});

describe('issue 19 item 12a: Python-int inference for integers past int64', () => {
  it('nb.array([-1, 2**63]) is float64', () => {
    // np.array([-1, 2**63]) -> float64 [-1.0, 9.223372036854776e+18]
    const a = nb.array([-1, 2 ** 63]);
    expect([a.dtype, a.toArray()]).toEqual(['float64', [-1, 9223372036854775808]]);
  });

  it('bigints too: nb.array([-1n, 2n ** 63n]) is float64', () => {
    // np.array([-1, 2**63]) -> float64
    const a = nb.array([-1n, 2n ** 63n]);
    expect([a.dtype, a.toArray()]).toEqual(['float64', [-1, 9223372036854775808]]);
    // np.array([[-1, 0], [2**63, 1]]) -> float64
    expect(nb.array([[-1n, 0n], [2n ** 63n, 1n]]).dtype).toBe('float64');
  });

  it('a non-negative int64 beside a uint64-only integer is float64 too', () => {
    // np.array([1, 2**63]) -> float64 [1.0, 9.223372036854776e+18]
    expect(nb.array([1, 2 ** 63]).dtype).toBe('float64');
    // np.array([[2**63], [0]]) -> float64
    expect(nb.array([[2n ** 63n], [0n]]).dtype).toBe('float64');
  });

  it('integers that all need uint64 (or booleans beside them) give uint64', () => {
    // np.array([2**63, 2**63+4096]) -> uint64 [9223372036854775808, 9223372036854779904]
    const a = nb.array([2 ** 63, 2 ** 63 + 4096]);
    expect([a.dtype, a.toArray()]).toEqual(['uint64', [9223372036854775808n, 9223372036854779904n]]);
    // np.array([2**63, 2**64-1]) -> uint64 [9223372036854775808, 18446744073709551615]
    const b = nb.array([2n ** 63n, 2n ** 64n - 1n]);
    expect([b.dtype, b.toArray()]).toEqual(['uint64', [2n ** 63n, 2n ** 64n - 1n]]);
    // np.array([True, 2**63]) -> uint64 [1, 9223372036854775808]
    expect(nb.array([true, 2n ** 63n]).toArray()).toEqual([1n, 2n ** 63n]);
    // np.full(2, 2**63) -> uint64
    expect(nb.full([2], 2 ** 63).dtype).toBe('uint64');
  });

  it('the int64 minimum is int64; a float beside 2**63 is float64', () => {
    // np.array([-2**63]) -> int64 [-9223372036854775808]
    expect(nb.array([-(2n ** 63n)]).dtype).toBe('int64');
    expect(nb.array([-(2 ** 63)]).toArray()).toEqual([-(2n ** 63n)]);
    // np.array([1.5, 2**63]) -> float64
    expect(nb.array([1.5, 2 ** 63]).dtype).toBe('float64');
  });

  it('a bigint past uint64 (NumPy: an object array) is E_DTYPE_OVERFLOW unless a dtype is given', () => {
    // np.array([2**64]).dtype -> object; np.array([-1, 2**64]).dtype -> object
    expect(() => nb.array([2n ** 64n])).toThrowError(code('DTypeError', 'E_DTYPE_OVERFLOW'));
    expect(() => nb.array([-1n, 2n ** 64n])).toThrowError(code('DTypeError', 'E_DTYPE_OVERFLOW'));
    // np.array([2**64], dtype=np.float64) -> [1.8446744073709552e+19]
    expect(nb.array([2n ** 64n], 'float64').toArray()).toEqual([18446744073709551616]);
  });

  it('arange infers its dtype the same way', () => {
    // np.arange(-1, 2**63, 2**62) -> float64 [-1.0, 4.611686018427388e+18]
    const a = nb.arange(-1, 2 ** 63, 2 ** 62);
    expect([a.dtype, a.toArray()]).toEqual(['float64', [-1, 4611686018427387904]]);
    // np.arange(2**63, 2**63+4096).dtype -> float64 (uint64 with the int64 step), 4096 elements
    const b = nb.arange(2 ** 63, 2 ** 63 + 4096);
    expect([b.dtype, b.size]).toEqual(['float64', 4096]);
  });
});

describe('issue 19 item 10a: sizes the heap cannot hold are MemoryError, bad shapes ValueError', () => {
  const memory = code('MemoryError', 'E_MEMORY_LIMIT');

  it('nb.arange(1e10) is a MemoryError giving the bytes and the limit, not a RangeError', () => {
    // np.arange(1e10) -> MemoryError: Unable to allocate 74.5 GiB for an array with shape (10000000000,) ...
    expect(() => nb.arange(1e10)).toThrowError(memory);
    expect(() => nb.arange(1e10)).toThrowError(/80000000000 bytes.*4294967296 bytes/);
    expect(() => nb.arange(0, 1e10, 1, 'float32')).toThrowError(/40000000000 bytes/);
  });

  it('every creation function: a size past 4 GiB is a MemoryError', () => {
    // np.linspace(0, 1, 10**10) -> MemoryError: Unable to allocate 74.5 GiB ...
    expect(() => nb.linspace(0, 1, 1e10)).toThrowError(memory);
    expect(() => nb.linspace(0, 1, 1e10, 'uint8')).toThrowError(memory);
    // np.empty([2**30, 8]) -> MemoryError: Unable to allocate 64.0 GiB ...
    expect(() => nb.empty([2 ** 30, 8])).toThrowError(memory);
    expect(() => nb.empty([2 ** 30, 8])).toThrowError(/shape \(1073741824,8\)/);
    expect(() => nb.zeros([1e10])).toThrowError(memory);
    expect(() => nb.ones([1e10], 'uint8')).toThrowError(memory);
    expect(() => nb.full([1e10], 7)).toThrowError(memory);
    // np.ones([2**50, 2], np.uint8) -> MemoryError: Unable to allocate 2.00 PiB ...
    expect(() => nb.ones([2 ** 50, 2], 'uint8')).toThrowError(memory);
  });

  it('after a MemoryError the heap still works', () => {
    expect(() => nb.arange(1e10)).toThrow(nb.MemoryError);
    expect(nb.arange(3).toArray()).toEqual([0n, 1n, 2n]);
  });

  it('negative dimensions are a ValueError', () => {
    // np.zeros(-1), np.zeros([2,-1]), np.zeros([0,-1]), np.full([-2], 1), np.empty(-3)
    //   -> ValueError: negative dimensions are not allowed
    const negative = code('ValueError', 'E_VALUE_NEGATIVE_DIM');
    expect(() => nb.zeros(-1)).toThrowError(negative);
    expect(() => nb.zeros([2, -1])).toThrowError(negative);
    expect(() => nb.ones([0, -1])).toThrowError(negative);
    expect(() => nb.full([-2], 1)).toThrowError(negative);
    expect(() => nb.empty(-3)).toThrowError(negative);
    // np.arange(-1) -> array([], dtype=int64): an empty range is no negative dimension
    expect(nb.arange(-1).shape).toEqual([0]);
  });

  it('a shape whose byte count passes Number.MAX_SAFE_INTEGER is a ValueError', () => {
    // np.zeros([2**40, 2**40]) and np.zeros([0, 2**40, 2**40]) -> ValueError: array is too big; ...
    const tooBig = code('ValueError', 'E_VALUE_TOO_BIG');
    expect(() => nb.zeros([2 ** 40, 2 ** 40])).toThrowError(tooBig);
    expect(() => nb.zeros([0, 2 ** 40, 2 ** 40])).toThrowError(tooBig);
    // np.zeros([2**61]) -> ValueError: array is too big; ...
    expect(() => nb.zeros([2 ** 61])).toThrowError(tooBig);
    expect(() => nb.empty([2 ** 50, 2 ** 10], 'uint8')).toThrowError(tooBig);
    // np.arange(0, 1e300) -> ValueError: Maximum allowed size exceeded
    expect(() => nb.arange(0, 1e300)).toThrowError(tooBig);
    // np.arange(0, 2**62) -> ValueError: array is too big; ...
    expect(() => nb.arange(0, 2 ** 62)).toThrowError(tooBig);
  });
});
