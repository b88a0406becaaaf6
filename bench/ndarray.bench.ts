/**
 * NDArray core benchmarks (issue: foundation): copies and casts through the Wasm loops,
 * against the same work as plain JS loops over TypedArrays.
 */
import * as nb from '../src/index.js';
import type { Case } from './harness.js';

const N = 1e7;

export function ndarrayCases(): Case[] {
  const a = nb.arange(N, undefined, undefined, 'float64');
  const src = a.data;
  const m = nb.arange(2000 * 2000, undefined, undefined, 'float64').reshape([2000, 2000]);
  const msrc = m.data;
  // Per-call costs of small arrays (issue 16 item 2): making one, reading an element, a view.
  const small = nb.linspace(0, 1, 16);
  const sd = small.data;
  let k = 0;
  return [
    {
      name: 'op=copy,dtype=float64,layout=contiguous,n=1e7',
      elements: N,
      numpy: 'copy',
      run: () => a.copy(),
      baseline: () => {
        const out = new Float64Array(N);
        for (let i = 0; i < N; i++) out[i] = src[i]!;
        return out.length;
      },
    },
    {
      name: 'op=astype,from=float64,to=float32,n=1e7',
      elements: N,
      numpy: 'astype_f32',
      run: () => a.astype('float32'),
      baseline: () => {
        const out = new Float32Array(N);
        for (let i = 0; i < N; i++) out[i] = src[i]!;
        return out.length;
      },
    },
    {
      name: 'op=copy,dtype=float64,layout=strided(::2),n=1e7',
      elements: N / 2,
      numpy: 'strided_copy',
      run: () => a.slice('::2').copy(),
      baseline: () => {
        const out = new Float64Array(N / 2);
        for (let i = 0, j = 0; j < N / 2; i += 2, j++) out[j] = src[i]!;
        return out.length;
      },
    },
    {
      name: 'op=copy,dtype=float64,layout=transposed(2000x2000)',
      elements: 2000 * 2000,
      numpy: 'transpose_copy',
      run: () => m.T.copy(),
      baseline: () => {
        const out = new Float64Array(2000 * 2000);
        for (let i = 0; i < 2000; i++) for (let j = 0; j < 2000; j++) out[i * 2000 + j] = msrc[j * 2000 + i]!;
        return out.length;
      },
    },
    {
      // The best JS can do for a contiguous copy is a memcpy: compare against that too.
      name: 'op=copy,dtype=float64,layout=contiguous,n=1e7 (JS baseline: Float64Array.slice)',
      elements: N,
      run: () => a.copy(),
      baseline: () => src.slice().length,
    },
    {
      name: 'op=array([1,2,3]) (ns per call)', elements: 1, numpy: 'array_small',
      run: () => nb.array([1, 2, 3]),
      baseline: () => BigInt64Array.from([1n, 2n, 3n]).length,
    },
    {
      name: 'op=get(i),dtype=float64,n=16 (ns per call)', elements: 1, numpy: 'item_small',
      run: () => small.get((k = (k + 1) & 15)),
      baseline: () => sd[(k = (k + 1) & 15)],
    },
    {
      name: "op=slice('1:5'),dtype=float64,n=16 (ns per call)", elements: 1, numpy: 'slice_small',
      run: () => small.slice('1:5'),
      baseline: () => sd.subarray(1, 5).length,
    },
  ];
}
