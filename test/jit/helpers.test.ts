// nb.jit helpers that take arrays (issue 14, second slice): the seed's
// getDownSampleValue(img, i, j, win) called from localMean through options.helpers. The
// oracle is the same functions run as plain JS on the same inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { errorOf } from '../helpers/errors.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/jit/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();


// The seed program (Numba's downsampling example), as JS over the NDArray API.
function getDownSampleValue(img: nb.NDArray, i: number, j: number, win: number) {
  let s = 0;
  for (let di = 0; di < win; di++) {
    for (let dj = 0; dj < win; dj++) s += img.get(i * win + di, j * win + dj) as number;
  }
  return s / (win * win);
}
function localMean(imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) {
  for (let i = 0; i < newHeight; i++) {
    for (let j = 0; j < newWidth; j++) imgNew.set(i, j, getDownSampleValue(img, i, j, downSize));
  }
}

const image = (h: number, w: number, seed: number) =>
  nb.array(Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => (seed + i * 13 + j * 7 + ((i * j) % 5)) & 255)), { dtype: 'uint8' });

type View = 'none' | 'T' | 'rows2' | 'reversed';
function view(a: nb.NDArray, v: View): nb.NDArray {
  switch (v) {
    case 'none': return a;
    case 'T': return a.T;
    case 'rows2': return a.slice('::2', ':');
    case 'reversed': return a.slice('::-1', '::-1');
  }
}

describe('nb.jit: arrays passed to helpers (localMean + getDownSampleValue)', () => {
  const jmean = nb.jit({ helpers: { getDownSampleValue } })(localMean);

  it('equals the plain functions on random uint8 images and views, into float64 outputs', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 255 }),
      fc.constantFrom<View>('none', 'T', 'rows2', 'reversed'),
      (h, w, d, seed, v) => {
        const img = view(image(h * d * 2, w * d * 2, seed), v);
        const nh = Math.floor(img.shape[0]! / d);
        const nw = Math.floor(img.shape[1]! / d);
        const a = nb.zeros([nh, nw]);
        const b = nb.zeros([nh, nw]);
        jmean(a, nh, nw, d, img);
        localMean(b, nh, nw, d, img);
        expect(a.toArray()).toEqual(b.toArray());
      },
    ), { numRuns: 40 });
  });

  it('stores into a uint8 output with the unsafe cast (truncation), into a transposed output too', () => {
    const img = image(8, 12, 3);
    const a = nb.zeros([4, 6], 'uint8');
    jmean(a, 4, 6, 2, img);
    const f = nb.zeros([4, 6]);
    localMean(f, 4, 6, 2, img);
    expect(a.toArray()).toEqual((f.toArray() as number[][]).map((r) => r.map(Math.trunc)));
    const t = nb.zeros([6, 4]);
    jmean(t.T, 4, 6, 2, img);
    expect(t.T.toArray()).toEqual(f.toArray());
  });

  it('specialises the helper per array type (dtype, ndim), in one program', () => {
    const img = image(4, 4, 1);
    const out = nb.zeros([2, 2]);
    jmean(out, 2, 2, 2, img.astype('float32'));
    const ref = nb.zeros([2, 2]);
    localMean(ref, 2, 2, 2, img);
    expect(out.toArray()).toEqual(ref.toArray());
    const r = jmean.inspect(out, 2, 2, 2, img);
    expect(r.ir).toContain('getDownSampleValue');
    expect(r.assemblyScript).toMatch(/function j___h_getDownSampleValue_\d+\(img: usize, __img_s0: usize, __img_s1: usize,/);
  });

  it('a helper takes TypedArrays and NDArrays of any rank, reads their sizes, and calls helpers with them', () => {
    const total = (t: Float64Array) => {
      let s = 0.0;
      for (let i = 0; i < t.length; i++) s += t[i]!;
      return s;
    };
    const rowSum = (a: nb.NDArray, i: number) => {
      let s = 0.0;
      for (let j = 0; j < a.shape[1]; j++) s += a.get(i, j) as number;
      return s;
    };
    const all = (a: nb.NDArray) => {
      let s = 0.0;
      for (let i = 0; i < a.shape[0]; i++) s += rowSum(a, i);
      return s;
    };
    const f = nb.jit({ helpers: { total, all, rowSum } })((a: nb.NDArray, t: Float64Array) => all(a) * 1000 + total(t));
    const a = nb.arange(12, undefined, undefined, 'float64').reshape([3, 4]);
    const t = new Float64Array([1.5, 2.5]);
    expect(f(a, t)).toBe(66 * 1000 + 4);
    expect(f(a.T, t)).toBe(66 * 1000 + 4);
    expect(f(a.slice('::-1', '1:'), t)).toBe((66 - 12) * 1000 + 4);
  });

  it('a helper may write an array it is given (a TypedArray copy is copied back)', () => {
    const fill = (t: Int32Array, v: number) => {
      for (let i = 0; i < t.length; i++) t[i] = v + i;
      return t.length;
    };
    const setDiag = (a: nb.NDArray, v: number) => {
      for (let i = 0; i < a.shape[0]; i++) a.set(i, i, v);
      return 0;
    };
    const f = nb.jit({ helpers: { fill, setDiag } })((t: Int32Array, a: nb.NDArray) => fill(t, 10) + setDiag(a, 7));
    const t = new Int32Array(3);
    const a = nb.zeros([3, 3]);
    expect(f(t, a)).toBe(3);
    expect([...t]).toEqual([10, 11, 12]);
    expect(a.toArray()).toEqual([[7, 0, 0], [0, 7, 0], [0, 0, 7]]);
  });

  it('negative indices in a helper count from the end; indices out of range are IndexErrors at the helper\'s line', () => {
    const last = (a: nb.NDArray, k: number) => a.get(-1, k) as number;
    const f = nb.jit({ helpers: { last } })((a: nb.NDArray, k: number) => last(a, k));
    const a = nb.arange(6, undefined, undefined, 'float64').reshape([2, 3]);
    expect(f(a, 0)).toBe(3);
    expect(f(a, -1)).toBe(5);
    const e = errorOf(() => f(a, 3));
    expect(e).toBeInstanceOf(nb.IndexError);
    expect(e.code).toBe('E_KERNEL_BOUNDS');
    expect(e.message).toMatch(/axis 1 of 'a' with size 3/);
    // A window past the image's edge: the helper's read is checked.
    const jmean = nb.jit({ helpers: { getDownSampleValue } })(localMean);
    expect(errorOf(() => jmean(nb.zeros([2, 2]), 2, 2, 3, image(4, 4, 0))).code).toBe('E_KERNEL_BOUNDS');
  });

  it('a helper that takes a jit function works through the jit function too', () => {
    const g = nb.jit(getDownSampleValue);
    const jmean = nb.jit({ helpers: { getDownSampleValue: g } })(localMean);
    const img = image(6, 6, 9);
    const a = nb.zeros([3, 3]);
    const b = nb.zeros([3, 3]);
    jmean(a, 3, 3, 2, img);
    localMean(b, 3, 3, 2, img);
    expect(a.toArray()).toEqual(b.toArray());
    expect(g(img, 1, 1, 2)).toBe(getDownSampleValue(img, 1, 1, 2));
  });

  it('the helper\'s own errors carry its line and column', () => {
    const bad = (a: nb.NDArray) => {
      return a.reshape([4]) as unknown as number;
    };
    const e = errorOf(() => nb.jit({ helpers: { bad } })((a: nb.NDArray) => bad(a))(nb.zeros([2, 2])));
    expect(e.code).toBe('NB1042');
    expect(e.line).toBe(2);
  });
});
