import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { guvectorize } from '../../src/vectorize/guvectorize.js';

type A = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const f64 = (xs: unknown) => nb.array(xs as number[], { dtype: 'float64' });

describe('guvectorize', () => {
  afterEach(() => vi.restoreAllMocks());

  it('row-wise dot (n),(n)->()', () => {
    const rowdot = guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')((a: A, b: A, out: A) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      out[0] = s;
    });
    expect(rowdot.signature).toBe('(n),(n)->()');
    expect(rowdot(f64([[1, 2, 3], [4, 5, 6]]), f64([1, 1, 2])).toArray()).toEqual([9, 21]);
  });

  const matmul = guvectorize(['void(i4[:,:], i4[:,:], i4[:,:])', 'void(f8[:,:], f8[:,:], f8[:,:])'], '(m,n),(n,p)->(m,p)')((a: A, b: A, c: A) => {
    for (let i = 0; i < c.length; i++) {
      for (let j = 0; j < c[0].length; j++) {
        let s = 0;
        for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    }
  });

  it('batched matmul matches nb.matmul, on transposed views too', () => {
    const a = nb.arange(24).reshape([2, 3, 4]).astype('float64');
    const b = nb.arange(8).reshape([4, 2]).astype('float64');
    expect(matmul(a, b).toArray()).toEqual(nb.matmul(a, b).toArray());
    const bt = nb.arange(8).reshape([2, 4]).astype('float64').T;
    expect(matmul(a, bt).toArray()).toEqual(nb.matmul(a, bt).toArray());
    const ai = nb.array([[1, 2], [3, 4]], { dtype: 'int32' });
    const r = matmul(ai, ai);
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([[7, 10], [15, 22]]);
  });

  it('rejects a bad out shape', () => {
    const a = f64([[1, 2], [3, 4]]);
    expect(() => matmul(a, a, { out: nb.zeros([2, 3]) })).toThrow(nb.ShapeError);
    expect(() => matmul(a, f64([[1, 2, 3]]))).toThrow(nb.ShapeError);
  });

  it('cumulative sum (n)->(n)', () => {
    const cumsum = guvectorize('void(f8[:], f8[:])', '(n)->(n)')((a: A, out: A) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) { s += a[i]; out[i] = s; }
    });
    expect(cumsum(f64([[1, 2, 3], [1, 1, 1]])).toArray()).toEqual([[1, 3, 6], [1, 2, 3]]);
  });

  it('moving average with a scalar argument', () => {
    const mavg = guvectorize('void(f8[:], i8, f8[:])', '(n),()->(n)')((a: A, w: number, out: A) => {
      for (let i = 0; i < a.length; i++) {
        let s = 0;
        let c = 0;
        for (let j = i - w + 1; j <= i; j++) if (j >= 0) { s += a[j]; c++; }
        out[i] = s / c;
      }
    });
    expect(mavg(f64([1, 2, 3, 4]), 2).toArray()).toEqual([1, 1.5, 2.5, 3.5]);
    expect(mavg(f64([[1, 2, 3], [2, 4, 6]]), nb.array([1, 3])).toArray()).toEqual([[1, 2, 3], [2, 3, 4]]);
  });

  it('min and max as two outputs', () => {
    const minmax = guvectorize('void(f8[:], f8[:], f8[:])', '(n)->(),()')((a: A, lo: A, hi: A) => {
      let mn = a[0];
      let mx = a[0];
      for (let i = 1; i < a.length; i++) { if (a[i] < mn) mn = a[i]; if (a[i] > mx) mx = a[i]; }
      lo[0] = mn;
      hi[0] = mx;
    });
    const [lo, hi] = minmax(f64([[3, -1, 2], [7, 8, 9]])) as unknown as nb.NDArray[];
    expect(lo!.toArray()).toEqual([-1, 7]);
    expect(hi!.toArray()).toEqual([3, 9]);
  });

  it('frozen dims (3)', () => {
    const cross = guvectorize('void(f8[:], f8[:], f8[:])', '(3),(3)->(3)')((a: A, b: A, c: A) => {
      c[0] = a[1] * b[2] - a[2] * b[1];
      c[1] = a[2] * b[0] - a[0] * b[2];
      c[2] = a[0] * b[1] - a[1] * b[0];
    });
    expect(cross(f64([1, 0, 0]), f64([0, 1, 0])).toArray()).toEqual([0, 0, 1]);
    expect(() => cross(f64([1, 0]), f64([0, 1]))).toThrow(nb.ShapeError);
  });

  it('optional dims (n?)', () => {
    const total = guvectorize('void(f8[:], f8[:])', '(n?)->()')((a: A, out: A) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i];
      out[0] = s;
    });
    expect(total(f64([1, 2, 3])).toArray()).toBe(6);
  });

  it('output-only dims are sized from out', () => {
    const fill = guvectorize('void(f8[:], f8[:])', '()->(m)')((x: A, out: A) => {
      for (let i = 0; i < out.length; i++) out[i] = x[0] * i;
    });
    const out = nb.zeros([2, 4]);
    fill(f64([1, 2]), { out });
    expect(out.toArray()).toEqual([[0, 1, 2, 3], [0, 2, 4, 6]]);
    expect(() => fill(f64([1, 2]))).toThrow();
  });

  it('lints: warnings by default, KernelError under strict', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const kernel = (a: A, out: A) => { let s = a[0]; s += 1; };
    guvectorize('void(f8[:], f8[:])', '(n)->(n)')(kernel);
    expect(warn).toHaveBeenCalled();
    expect(String(warn.mock.calls[0]![0])).toMatch(/NB4001/);
    expect(() => guvectorize('void(f8[:], f8[:])', '(n)->(n)', { strict: true })(kernel)).toThrow(nb.KernelError);
  });
});
