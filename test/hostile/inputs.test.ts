/**
 * Issue 19 ("Nothing corrupted, nothing lost"): hostile inputs get typed errors that say
 * what to do, or NumPy 2.4's answer, never a raw engine error, a silent `undefined` or an
 * ignored option. One test per reproducer of items 8, 10b, 11 and 12b.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

// Unchecked kernels (boundscheck: false): with the default checks these are IndexError
// E_KERNEL_BOUNDS before the access (test/vectorize/boundscheck.test.ts). The Wasm tier's traps:
// these kernels wait for their Wasm (on the JS tier an unchecked access outside an array is as
// undefined as in Wasm memory, and need not throw).
describe('issue 19 item 8: kernel traps on the cpu target are typed errors', () => {
  it('a cpu gufunc writing o[1e9] throws TargetError E_TARGET_KERNEL_TRAP (was a raw WebAssembly.RuntimeError); the next call works', () => {
    const bad = nb.guvectorize('void(f8[:], f8[:])', '(n)->(n)', { boundscheck: false, tier: 'wasm' })((x: Float64Array, o: Float64Array) => {
      for (let i = 0; i < x.length; i++) o[i] = x[i]!;
      o[1e9] = x[0]!;
    });
    let caught: unknown;
    try {
      bad(nb.ones([4]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(nb.TargetError);
    expect(caught).toMatchObject({ code: 'E_TARGET_KERNEL_TRAP' });
    expect((caught as Error).message).toMatch(/trapped on the cpu target .*outputs are incomplete.*index outside an array/);
    const good = nb.guvectorize('void(f8[:], f8[:])', '(n)->()')((x: Float64Array, o: Float64Array) => {
      o[0] = x[0]! + x[x.length - 1]!;
    });
    expect(good(nb.ones([3, 2])).toArray()).toEqual([2, 2, 2]);
  });

  it('a cpu gufunc reading x[1e9] throws the same typed error', () => {
    const bad = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { boundscheck: false, tier: 'wasm' })((x: Float64Array, o: Float64Array) => {
      o[0] = x[1e9]! + x.length;
    });
    expect(() => bad(nb.ones([4]))).toThrow(code('E_TARGET_KERNEL_TRAP'));
  });
});

describe('issue 19 item 10b: fromNdarray checks scijs strides and offset against the data', () => {
  it('ndarray(new Float64Array(4), [4], [2]) is ValueError E_VALUE_LAYOUT (was raw RangeErrors / undefined)', () => {
    expect(() => nb.fromNdarray(ndarray(new Float64Array(4), [4], [2]))).toThrow(code('E_VALUE_LAYOUT'));
    expect(() => nb.fromNdarray(ndarray(new Float64Array(4), [4], [2]))).toThrow(/address elements 0 to 6, outside its 4-element data/);
  });

  it('a negative offset is refused (it read undefined)', () => {
    expect(() => nb.fromNdarray(ndarray(new Float64Array(4), [2], [1], -1))).toThrow(code('E_VALUE_LAYOUT'));
  });

  it('non-integer strides, and plain-array data too short, are refused', () => {
    expect(() => nb.fromNdarray(ndarray(new Float64Array(4), [2], [1.5], 0))).toThrow(code('E_VALUE_LAYOUT'));
    expect(() => nb.fromNdarray(ndarray([1, 2, 3], [4]))).toThrow(code('E_VALUE_LAYOUT'));
  });

  it('valid layouts still share memory: negative strides, transposed and offset views, empty arrays', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(nb.fromNdarray(ndarray(data, [6], [-1], 5)).toArray()).toEqual([6, 5, 4, 3, 2, 1]);
    const t = nb.fromNdarray(ndarray(data, [2, 3]).transpose(1, 0).lo(1, 0));
    expect(t.toArray()).toEqual([[2, 5], [3, 6]]);
    t.set(0, 0, 20);
    expect(data[1]).toBe(20);
    expect(nb.fromNdarray(ndarray(new Float64Array(0), [0, 3], [3, 1], 5)).shape).toEqual([0, 3]);
  });
});

describe('issue 19 item 11: every public options object is checked', () => {
  it('nb.stencil(f, { stride: 0 }) and { mode: "clamp" } are ValueError E_VALUE_OPTION naming the accepted values (were TypeErrors)', () => {
    const f = (a: (i: number) => number) => a(0);
    expect(() => nb.stencil(f, { stride: 0 })).toThrow(code('E_VALUE_OPTION'));
    expect(() => nb.stencil(f, { stride: 0 })).toThrow(/option 'stride' is 0; it takes a positive integer/);
    expect(() => nb.stencil(f, { mode: 'clamp' as never })).toThrow(/option 'mode' is 'clamp'; it takes 'constant', 'nearest', 'reflect', 'mirror' or 'wrap'/);
    expect(() => nb.stencil(f, { neighborhood: [[1, -1]] })).toThrow(code('E_VALUE_OPTION'));
  });

  it('unknown option names ({ targt: "gpu" }) are E_VALUE_OPTION with a suggestion, everywhere (were silently ignored)', () => {
    const typo = { targt: 'gpu' } as never;
    expect(() => nb.vectorize('f8(f8)', typo)).toThrow(/nb.vectorize got an unknown option 'targt' \(did you mean 'target'\?\)/);
    expect(() => nb.vectorize(typo)).toThrow(code('E_VALUE_OPTION'));
    expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', typo)).toThrow(code('E_VALUE_OPTION'));
    expect(() => nb.stencil((a: (i: number) => number) => a(0), typo)).toThrow(code('E_VALUE_OPTION'));
    const s = nb.stencil((a: (i: number) => number) => a(0), { signature: 'f8(f8)' });
    expect(() => s(nb.ones([3]), { ot: nb.zeros([3]) } as never)).toThrow(/unknown option 'ot' \(did you mean 'out'\?\)/);
    expect(() => nb.ones([3]).astype('int8', { castng: 'safe' } as never)).toThrow(code('E_VALUE_OPTION'));
  });

  it('bad values are E_VALUE_OPTION naming the option; unknown target names stay TargetError', () => {
    expect(() => nb.vectorize('f8(f8)', { fastmath: 'yes' as never })).toThrow(/option 'fastmath' is 'yes'; it takes true or false/);
    expect(() => nb.vectorize('f8(f8)', { identity: 'zero' as never })).toThrow(code('E_VALUE_OPTION'));
    expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { strict: 1 as never })).toThrow(code('E_VALUE_OPTION'));
    expect(() => nb.ones([3]).astype('int8', { copy: 'no' as never })).toThrow(code('E_VALUE_OPTION'));
    expect(() => nb.vectorize('f8(f8)', { target: 'tpu' as never })).toThrow(code('E_TARGET_UNAVAILABLE'));
    // Accepted options still work.
    expect(nb.vectorize('f8(f8)', { identity: 0, name: 'sq', fastmath: false, cache: false })((x: number) => x * x)(nb.array([3])).toArray()).toEqual([9]);
  });
});

describe('issue 19 item 12b: NumPy 2.4 semantics for odd option values and arguments', () => {
  it('where= with a float array is CastingError E_CAST_RULE (NumPy: cannot cast float64 to bool under safe; was taken by truth)', () => {
    const mask = nb.array([1, 0], { dtype: 'float64' });
    expect(() => nb.add(nb.array([1, 2]), nb.array([3, 4]), { where: mask })).toThrow(code('E_CAST_RULE'));
    expect(() => nb.add.reduce(nb.array([1, 2]), { where: mask })).toThrow(code('E_CAST_RULE'));
    // A bool mask, and a JS scalar (NumPy: where=1 is True), are taken.
    expect(nb.add(nb.array([1, 2]), nb.array([3, 4]), { where: [true, false], out: nb.zeros([2], 'int64') }).toArray()).toEqual([4n, 0n]);
    expect(nb.add(nb.array([1, 2]), nb.array([3, 4]), { where: 1 as never }).toArray()).toEqual([4n, 6n]);
    // NumPy's reduce takes a list by truth: np.add.reduce([1., 2.], where=[1, 0]) == 1.0.
    expect(nb.add.reduce(nb.array([1.5, 2.5]), { where: [1, 0] }).item()).toBe(1.5);
  });

  it('keepdims: 1 keeps the dims (NumPy: truthy; was ignored); a string is E_VALUE_OPTION', () => {
    expect(nb.add.reduce(nb.ones([2, 3]), { axis: 1, keepdims: 1 as never }).shape).toEqual([2, 1]);
    expect(nb.add.reduce(nb.ones([2, 3]), { axis: 1, keepdims: 0 as never }).shape).toEqual([2]);
    expect(nb.vecdot(nb.ones([2, 3]), nb.ones([2, 3]), { keepdims: 1 as never }).shape).toEqual([2, 1]);
    expect(() => nb.add.reduce(nb.ones([2, 3]), { keepdims: 'yes' as never })).toThrow(code('E_VALUE_OPTION'));
  });

  it('a.slice({}) is IndexError E_INDEX_SPEC (gave shape [NaN])', () => {
    expect(() => nb.arange(5).slice({} as never)).toThrow(code('E_INDEX_SPEC'));
    expect(() => nb.arange(5).slice(true as never)).toThrow(code('E_INDEX_SPEC'));
  });

  it('add.at(int8, [0], 300) wraps to 44 as NumPy 2.4 (its at has no weak-scalar overflow check; threw)', () => {
    const a = nb.zeros([3], 'int8');
    nb.add.at(a, [0], 300);
    expect(a.toArray()).toEqual([44, 0, 0]);
    const u = nb.zeros([2], 'uint8');
    nb.add.at(u, [1], -1);
    expect(u.toArray()).toEqual([0, 255]); // np.add.at(np.zeros(2, np.uint8), [1], -1)
    const big = nb.zeros([1], 'int64');
    nb.add.at(big, [0], 2n ** 63n);
    expect(big.get(0)).toBe(-(2n ** 63n)); // wraps, as NumPy
    expect(() => nb.add.at(nb.zeros([1], 'int8'), [0], 2n ** 70n)).toThrow(code('E_DTYPE_OVERFLOW')); // NumPy: OverflowError
  });

  it('add.reduceat(x, []) is an empty result (NumPy, with indices as intp; failed: [] has no dtype)', () => {
    const r = nb.add.reduceat(nb.arange(5, { dtype: 'float64' }), []);
    expect(r.shape).toEqual([0]);
    expect(r.dtype).toBe('float64');
    const r2 = nb.add.reduceat(nb.arange(6, { dtype: 'float64' }).reshape([2, 3]), [], { axis: 1 });
    expect(r2.shape).toEqual([2, 0]);
    expect(nb.add.reduceat(nb.arange(5, { dtype: 'int8' }), []).dtype).toBe('int64');
  });
});
