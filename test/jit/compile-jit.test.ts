// src/compiler/jit.ts: the JS reference emitter (the oracle) and the Wasm entry compute the
// same, and the passes leave the usual loops unchecked.
import { describe, expect, it } from 'vitest';
import { compileJit } from '../../src/compiler/jit.js';
import { BoundsTrap } from '../../src/compiler/bounds.js';
import * as nb from '../../src/index.js';

const sum2d = (a: nb.NDArray) => {
  const [m, n] = a.shape;
  let s = 0.0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) s += a.get(i, j) as number;
  return s;
};

describe('compileJit', () => {
  it('sum2d: no bounds checks (i < m, j < n prove every index), the same value from JS and Wasm', () => {
    const k = compileJit(sum2d, [{ kind: 'ndarray', dtype: 'float64', ndim: 2, contiguous: false }]);
    expect(k.bounds).toEqual([]);
    expect(k.signature).toBe('float64(float64[:,:])');
    const a = nb.arange(12, undefined, undefined, 'float64').reshape([3, 4]).T; // shape [4, 3], strides [1, 4]
    // JS reference: (data, element offset, element strides..., sizes...)
    const js = k.jsFunction(a.data, a.offset, a.strides[0], a.strides[1], a.shape[0], a.shape[1]);
    expect(js).toBe(66);
    expect(nb.jit(sum2d)(a)).toBe(js);
  });

  it('a contiguous specialisation passes a constant inner stride', () => {
    const k = compileJit(sum2d, [{ kind: 'ndarray', dtype: 'float32', ndim: 2, contiguous: true }]);
    expect(k.asSource).toMatch(/kernel\(a, __a_s0, <usize>4, __n0, __n1\)/);
  });

  it('negative NDArray indices are wrapped only where they may be negative', () => {
    const f = (a: nb.NDArray, k: number) => (a.get(k) as number) + (a.get(-1) as number);
    const c = compileJit(f, [{ kind: 'ndarray', dtype: 'int32', ndim: 1, contiguous: true }, { kind: 'scalar', dtype: 'int64' }]);
    expect(c.irText).toMatch(/select/);
    const data = new Int32Array([10, 20, 30]);
    for (const k of [-3, -1, 0, 2]) expect(c.jsFunction(data, 0, 1, BigInt(k), 3)).toBe(f(nb.array([10, 20, 30], { dtype: 'int32' }), k));
    expect(() => c.jsFunction(data, 0, 1, 3n, 3)).toThrow(BoundsTrap);
    const loop = compileJit((a: nb.NDArray) => { let s = 0; for (let i = 0; i < a.shape[0]; i++) s += a.get(i) as number; return s; },
      [{ kind: 'ndarray', dtype: 'int32', ndim: 1, contiguous: true }]);
    expect(loop.irText).not.toMatch(/select/);
    expect(loop.bounds).toEqual([]);
  });

  it('nb.prange loops count from their start, the bound read once', () => {
    const f = (t: Float64Array) => { let s = 0.0; for (const i of nb.prange(1, t.length - 1)) s += t[i]!; return s; };
    const k = compileJit(f, [{ kind: 'typed', dtype: 'float64' }]);
    expect(k.jsFunction(new Float64Array([1, 2, 3, 4]), 0, 1, 4)).toBe(5);
    expect(k.irText).toMatch(/let _stop/);
  });

  it('the JS reference passes arrays to helpers as (data, offset, strides..., sizes...) too', () => {
    const win = (img: nb.NDArray, i: number, j: number, w: number) => {
      let s = 0;
      for (let a = 0; a < w; a++) for (let b = 0; b < w; b++) s += img.get(i * w + a, j * w + b) as number;
      return s / (w * w);
    };
    const k = compileJit((img: nb.NDArray, i: number) => win(img, i, 0, 2) + win(img, 0, i, 2), [
      { kind: 'ndarray', dtype: 'uint8', ndim: 2, contiguous: false }, { kind: 'scalar', dtype: 'int64' },
    ], { helpers: { win } });
    const img = nb.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], { dtype: 'uint8' }).T;
    const want = win(img, 1, 0, 2) + win(img, 0, 1, 2);
    expect(k.jsFunction(img.data, img.offset, img.strides[0], img.strides[1], 1n, 4, 4)).toBe(want);
    expect(nb.jit({ helpers: { win } })((a: nb.NDArray, i: number) => win(a, i, 0, 2) + win(a, 0, i, 2))(img, 1)).toBe(want);
    expect(k.written).toEqual([false, false]);
  });

  it('records which arrays the function writes, and void results', () => {
    const k = compileJit((a: nb.NDArray, b: Float64Array) => { a.set(0, b[0]!); }, [
      { kind: 'ndarray', dtype: 'float64', ndim: 1, contiguous: true }, { kind: 'typed', dtype: 'float64' },
    ]);
    expect(k.written).toEqual([true, false]);
    expect(k.returns).toBe('void');
  });

  const nd = (ndim: number) => ({ kind: 'ndarray' as const, dtype: 'float64' as const, ndim, contiguous: true });
  const codeAt = (src: string, args: Parameters<typeof compileJit>[1]) => {
    try {
      compileJit(src, args);
    } catch (e) {
      const k = e as { code: string; line: number; column: number };
      return [k.code, k.line, k.column];
    }
    return null;
  };
  it.each([
    ['NB1040', 'an NDArray indexed like a TypedArray', '(a) => {\n  return a[0];\n}', [nd(1)], [2, 10]],
    ['NB1040', 'an NDArray measured with .length', '(a) => a.length', [nd(1)], [1, 8]],
    ['NB1040', 'an NDArray written like a TypedArray', '(a) => {\n  a[0] = 1;\n}', [nd(1)], [2, 3]],
    ['NB1040', 'for...of over an NDArray', '(a) => {\n  for (const v of a) {}\n}', [nd(1)], [2, 19]],
    ['NB1041', 'a TypedArray read with get', '(t) => t.get(0)', [{ kind: 'typed', dtype: 'float64' }], [1, 8]],
    ['NB1041', 'a TypedArray shape', '(t) => t.shape[0]', [{ kind: 'typed', dtype: 'float64' }], [1, 8]],
    ['NB1042', 'a shape axis past ndim', '(a) => a.shape[2]', [nd(2)], [1, 16]],
    ['NB1042', 'a literal shape axis past the ndim', '(a) => a.shape[2]', [nd(2)], [1, 16]],
    ['NB1042', 'the shape as a value', '(a) => {\n  const s = a.shape;\n  return 0;\n}', [nd(2)], [2, 13]],
    ['NB1042', 'an NDArray method', '(a) => a.reshape(4)', [nd(2)], [1, 8]],
    ['NB1042', 'an NDArray property', '(a) => a.dtype', [nd(2)], [1, 8]],
    ['NB1042', 'prange outside for...of', '(n) => {\n  const r = nb.prange(n);\n  return 0;\n}', [{ kind: 'scalar', dtype: 'int64' }], [2, 13]],
    ['NB1042', 'more names than axes', '(a) => {\n  const [m, n] = a.shape;\n  return m;\n}', [nd(1)], [2, 13]],
    ['NB1028', 'set as a value', '(a) => a.set(0, 1)', [nd(1)], [1, 8]],
    ['NB2006', 'an array passed to a helper that reads it as a scalar', '(a) => h(a)', [nd(1)], null],
  ] as const)('%s: %s', (code, _what, src, args, at) => {
    if (code === 'NB2006') {
      expect(() => compileJit(src, args as never, { helpers: { h: (x: number) => x } })).toThrow(/NB2006/);
      return;
    }
    expect(codeAt(src, args as never)).toEqual([code, ...at!]);
  });
});
