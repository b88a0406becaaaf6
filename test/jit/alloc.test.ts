// nb.jit allocation (`nb.empty/zeros/ones/full` in the function) and NDArray results
// (issue 14, second slice): the two-phase call of src/compiler/frontend/jit-alloc.ts. The
// oracle is the same function run as plain JS; the heap is checked for leaks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { errorOf } from '../helpers/errors.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/jit/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();


// Numba's go_fast, with `a + trace` written as a loop into a fresh array.
const goFast = (a: nb.NDArray) => {
  let trace = 0.0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i, i) as number);
  const out = nb.empty(a.shape, 'float64');
  for (let i = 0; i < a.shape[0]; i++) {
    for (let j = 0; j < a.shape[1]; j++) out.set(i, j, (a.get(i, j) as number) + trace);
  }
  return out;
};

describe('nb.jit allocation and NDArray results', () => {
  it('go_fast (explicit loop) equals the plain function, on views too', () => {
    const jf = nb.jit(goFast);
    // (go_fast reads the diagonal: square matrices)
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.boolean(), (n, t) => {
      const base = nb.arange(n * n, undefined, undefined, 'float64').reshape([n, n]);
      const a = t ? base.T : base;
      const r = jf(a) as nb.NDArray;
      expect(nb.isNDArray(r)).toBe(true);
      expect(r.shape).toEqual(a.shape);
      expect(r.dtype).toBe('float64');
      expect(r.toArray()).toEqual(goFast(a).toArray());
    }), { numRuns: 20 });
    expect(jf.signatures).toContain('float64[:,::1](float64[:,::1])');
  });

  it('zeros, ones and full fill the array; shapes from scalar parameters; the array may go to a helper', () => {
    const fillRow = (o: nb.NDArray, i: number, v: number) => {
      for (let j = 0; j < o.shape[1]; j++) o.set(i, j, v + j);
      return 0;
    };
    const f = (m: number, n: number, v: number) => {
      const z = nb.zeros([m, n], 'int32');
      const o = nb.ones([n], 'float64');
      const c = nb.full([m], v, 'int32');
      let s = 0;
      for (let j = 0; j < n; j++) s += o.get(j) as number;
      for (let i = 0; i < m; i++) s += c.get(i) as number;
      for (let i = 1; i < m; i++) fillRow(z, i, s);
      return z;
    };
    const jf = nb.jit({ helpers: { fillRow } })(f);
    const r = jf(3, 4, 2) as nb.NDArray;
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual(f(3, 4, 2).toArray());
    expect(r.toArray()).toEqual([[0, 0, 0, 0], [10, 11, 12, 13], [10, 11, 12, 13]]);
    // A 1-d result from a number shape; an empty array.
    const iota = nb.jit((n: number) => {
      const t = nb.empty(n, 'int64');
      for (let i = 0; i < n; i++) t.set(i, i * i);
      return t;
    });
    expect((iota(5) as nb.NDArray).toArray()).toEqual([0n, 1n, 4n, 9n, 16n]);
    expect((iota(0) as nb.NDArray).shape).toEqual([0]);
  });

  it('a scalar result may use temporaries that are released after the call', () => {
    const f = nb.jit((a: nb.NDArray) => {
      const tmp = nb.zeros([a.shape[0]], 'float64');
      for (let i = 0; i < a.shape[0]; i++) tmp.set(i, (a.get(i) as number) * 2);
      let s = 0.0;
      for (let i = 0; i < a.shape[0]; i++) s += tmp.get(i) as number;
      return s;
    });
    const a = nb.array([1, 2, 3.5]);
    f(a);
    const before = nb.heapStats().liveBlocks;
    for (let k = 0; k < 50; k++) expect(f(a)).toBe(13);
    expect(nb.heapStats().liveBlocks).toBe(before);
  });

  // (per tier: 'auto' would reserve a module's heap block while it compiles in the background)
  it.each(['wasm', 'js'] as const)('no leak after many calls (results disposed) and after thrown errors (tier %s)', (tier) => {
    const jf = nb.jit({ tier })(goFast);
    const a = nb.ones([4, 4]);
    jf(a).dispose();
    const before = nb.heapStats();
    for (let k = 0; k < 100; k++) (jf(a) as nb.NDArray).dispose();
    const bad = nb.jit({ tier })((a: nb.NDArray, k: number) => {
      const out = nb.zeros([2], 'float64');
      const tmp = nb.zeros([3], 'float64');
      out.set(k, 1);
      tmp.set(0, 1);
      return out;
    });
    bad(a, 0).dispose();
    for (let k = 0; k < 20; k++) expect(errorOf(() => bad(a, 5)).code).toBe('E_KERNEL_BOUNDS');
    // A shape the allocator rejects: nothing is kept either.
    const neg = nb.jit({ tier })((n: number) => {
      const t = nb.zeros([n], 'float64');
      return t;
    });
    expect(errorOf(() => neg(-1)).code).toBe('E_VALUE_NEGATIVE_DIM');
    const after = nb.heapStats();
    expect(after.liveBlocks).toBe(before.liveBlocks);
    expect(after.liveBytes).toBe(before.liveBytes);
  });

  it('allocations in loops and from locals are made by the function (alloc-dynamic.test.ts); a missing dtype and mixed returns are errors', () => {
    const inLoop = nb.jit((n: number) => {
      let s = 0.0;
      for (let i = 0; i < n; i++) {
        const t = nb.zeros([2], 'float64');
        s += t.get(0) as number;
      }
      return s;
    });
    expect(inLoop(2)).toBe(inLoop.pyFunc(2));
    const fromLocal = nb.jit((n: number) => {
      const m = n + 1;
      const t = nb.zeros([m], 'float64');
      return t;
    });
    expect(fromLocal(2).toArray()).toEqual(fromLocal.pyFunc(2).toArray());
    const noDtype = nb.jit((n: number) => {
      const t = nb.full([n], 1);
      return t;
    });
    expect(errorOf(() => noDtype(2)).code).toBe('NB1042');
    const mixed = nb.jit((n: number) => {
      const t = nb.zeros([n], 'float64');
      if (n > 1) return 0;
      return t;
    });
    const e3 = errorOf(() => mixed(2));
    expect([e3.code, e3.line]).toEqual(['NB5003', 3]);
  });
});
