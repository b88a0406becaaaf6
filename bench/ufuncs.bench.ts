/**
 * Ufunc benchmarks (issue: ufuncs): the goal cases of the issue, each against a plain JS
 * loop doing the same work and NumPy's time for the same case (bench/numpy/ufuncs.py).
 */
import * as nb from '../src/index.js';
import type { Case } from './harness.js';

const N = 1e7;

type Reducible = { reduce?: (a: nb.NDArray, o?: { axis?: number | null }) => nb.NDArray };

export function ufuncCases(): Case[] {
  const x = nb.linspace(0, 1, N);
  const y = nb.linspace(1, 2, N);
  const out = nb.empty([N]);
  const xd = x.data;
  const yd = y.data;
  const od = out.data;
  const M = nb.linspace(0, 1, 1e6).reshape([1000, 1000]);
  const v = nb.linspace(0, 1, 1000);
  const Md = M.data;
  const vd = v.data;
  const A = nb.linspace(0, 1, 4e6).reshape([2000, 2000]);
  const B = nb.linspace(1, 2, 4e6).reshape([2000, 2000]);
  const Ad = A.data;
  const Bd = B.data;
  const small = nb.linspace(0, 1, 16);
  const smallOut = nb.empty([16]);
  const sd = small.data;
  const sod = smallOut.data;
  const reduce = (nb.add as unknown as Reducible).reduce;
  const cases: Case[] = [
    {
      name: 'ufunc=add,dtype=float64,layout=contiguous,out=given,n=1e7', elements: N, numpy: 'add_out',
      run: () => nb.add(x, y, { out }),
      baseline: () => { for (let i = 0; i < N; i++) od[i] = xd[i]! + yd[i]!; return od[0]; },
    },
    {
      name: 'ufunc=add,dtype=float64,layout=contiguous,out=new,n=1e7', elements: N, numpy: 'add_new',
      run: () => nb.add(x, y),
      baseline: () => { const o = new Float64Array(N); for (let i = 0; i < N; i++) o[i] = xd[i]! + yd[i]!; return o[0]; },
    },
    {
      name: 'ufunc=add,dtype=float64,layout=broadcast((1000,1000)+(1000,))', elements: 1e6, numpy: 'add_broadcast',
      run: () => nb.add(M, v),
      baseline: () => {
        const o = new Float64Array(1e6);
        for (let i = 0; i < 1000; i++) for (let j = 0; j < 1000; j++) o[i * 1000 + j] = Md[i * 1000 + j]! + vd[j]!;
        return o[0];
      },
    },
    {
      name: 'ufunc=add,dtype=float64,layout=strided(a[::2]+b[::2]),n=5e6', elements: N / 2, numpy: 'add_strided',
      run: () => nb.add(x.slice('::2'), y.slice('::2')),
      baseline: () => { const o = new Float64Array(N / 2); for (let i = 0; i < N / 2; i++) o[i] = xd[2 * i]! + yd[2 * i]!; return o[0]; },
    },
    {
      name: 'ufunc=add,dtype=float64,layout=transposed(A.T+B,2000x2000)', elements: 4e6, numpy: 'add_transposed',
      run: () => nb.add(A.T, B),
      baseline: () => {
        const o = new Float64Array(4e6);
        for (let i = 0; i < 2000; i++) for (let j = 0; j < 2000; j++) o[i * 2000 + j] = Ad[j * 2000 + i]! + Bd[i * 2000 + j]!;
        return o[0];
      },
    },
    {
      name: 'ufunc=sin,dtype=float64,n=1e7', elements: N, numpy: 'sin',
      run: () => builtin('sin')!(x, { out }),
      baseline: () => { for (let i = 0; i < N; i++) od[i] = Math.sin(xd[i]!); return od[0]; },
    },
    {
      name: 'ufunc=exp,dtype=float64,n=1e7', elements: N, numpy: 'exp',
      run: () => builtin('exp')!(x, { out }),
      baseline: () => { for (let i = 0; i < N; i++) od[i] = Math.exp(xd[i]!); return od[0]; },
    },
    {
      name: 'ufunc=add,dtype=float64,n=16,out=given (ns per call)', elements: 1, numpy: 'add_small_out',
      run: () => nb.add(small, small, { out: smallOut }),
      baseline: () => { for (let i = 0; i < 16; i++) sod[i] = sd[i]! + sd[i]!; return sod[0]; },
    },
    {
      name: 'ufunc=add,dtype=float64,n=16,out=new (ns per call)', elements: 1, numpy: 'add_small_new',
      run: () => nb.add(small, small),
      baseline: () => { const o = new Float64Array(16); for (let i = 0; i < 16; i++) o[i] = sd[i]! + sd[i]!; return o[0]; },
    },
  ];
  if (typeof reduce === 'function') {
    cases.push(
      {
        name: 'ufunc=add.reduce,dtype=float64,n=1e7', elements: N, numpy: 'sum',
        run: () => reduce(x),
        baseline: () => { let s = 0; for (let i = 0; i < N; i++) s += xd[i]!; return s; },
      },
      {
        name: 'ufunc=add.reduce,dtype=float64,axis=0,2000x2000', elements: 4e6, numpy: 'sum_axis0',
        run: () => reduce(A, { axis: 0 }),
        baseline: () => {
          const o = new Float64Array(2000);
          for (let i = 0; i < 2000; i++) for (let j = 0; j < 2000; j++) o[j] += Ad[i * 2000 + j]!;
          return o[0];
        },
      },
    );
  } else {
    console.log('note: nb.add.reduce does not exist yet; reduce cases not measured');
  }
  // Cases whose ufunc is not built yet are reported, not silently dropped.
  return cases.filter((c) => {
    const m = /ufunc=(\w+)/.exec(c.name);
    const ok = m === null || builtin(m[1]!) !== undefined;
    if (!ok) console.log(`note: nb.${m![1]} does not exist yet; ${c.name} not measured`);
    return ok;
  });
}

function builtin(name: string): nb.Ufunc | undefined {
  return (nb as unknown as Record<string, nb.Ufunc | undefined>)[name];
}
