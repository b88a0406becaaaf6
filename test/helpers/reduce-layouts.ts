// The layouts the reduce-tile tests reduce along a leading axis (test/ufunc/reduce-tile.test.ts
// for the built-ins, test/vectorize/reduce-tile.test.ts for user ufuncs with an identity).
import * as nb from '../../src/index.js';
import type { DType } from '../../src/dtype/dtypes.js';

export type Layout = 'contiguous' | 'reversed' | 'columns' | 'middle' | 'strided';
export const LAYOUTS: readonly Layout[] = ['contiguous', 'reversed', 'columns', 'middle', 'strided'];

/**
 * Raw elements `raw` (m x n, C order; numbers, or bigints for 64-bit integers) laid out as
 * `layout`: an m x n view reduced on axis 0, or a (1, m, n) view of a (2, m, n) array reduced on
 * axis 1 ('middle'). Elements outside the view stay 0.
 */
export function laidOut(raw: readonly (number | bigint)[], m: number, n: number, d: DType, layout: Layout): { arr: nb.NDArray; axis: number } {
  const make = (shape: number[], at: (i: number, j: number) => number[]) => {
    const base = nb.zeros(shape, d);
    const data = base.data as unknown as (number | bigint)[];
    const strides = base.strides;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) data[at(i, j).reduce((p, x, q) => p + x * strides[q]!, 0)] = raw[i * n + j]!;
    }
    return base;
  };
  switch (layout) {
    case 'contiguous': return { arr: make([m, n], (i, j) => [i, j]), axis: 0 };
    case 'reversed': return { arr: make([m, n], (i, j) => [m - 1 - i, j]).slice('::-1', ':'), axis: 0 };
    case 'columns': return { arr: make([m, n + 3], (i, j) => [i, j + 1]).slice(':', `1:${n + 1}`), axis: 0 };
    case 'middle': return { arr: make([2, m, n], (i, j) => [1, i, j]).slice('1:2', ':', ':'), axis: 1 };
    case 'strided': return { arr: make([m, 2 * n], (i, j) => [i, 2 * j]).slice(':', '::2'), axis: 0 };
  }
}
