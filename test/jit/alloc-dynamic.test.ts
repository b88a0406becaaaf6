// nb.jit allocation anywhere in the function (issue 14, "Next" item 2): shapes from locals,
// allocations in loops and branches, made by the function itself through the host's
// allocator (src/jit/alloc-host.ts, ir/nodes.ts AllocStmt). The oracle is the same function
// run as plain JS (`f.pyFunc`); the heap is checked for leaks after many calls and throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { compileJit } from '../../src/compiler/index.js';
import { JitAllocHost } from '../../src/jit/alloc-host.js';
import { prangeRunsOnPool } from '../../src/parallel/jit.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { errorOf, kernelErrorOf } from '../helpers/errors.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// Wasm in this file; test/jit/js-tier-suites.test.ts runs it again on the JS tier.
useSuiteTier();

const DTYPES: readonly DType[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

/** A function of `nb` from its source with DT replaced by a dtype literal (a dtype must be a literal in a jit function). */
const withDType = <F>(src: string, dt: DType): F => new Function('nb', `return ${src.replaceAll('DT', `'${dt}'`)};`)(nb) as F;

/** Random values that `dt` holds exactly, negatives included where it has them. */
function values(dt: DType, xs: readonly number[]): nb.NDArray {
  if (dt === 'bool') return nb.array(xs.map((x) => x > 0), { dtype: 'bool' });
  const unsigned = dt.startsWith('uint');
  const small = dt === 'int8' || dt === 'uint8' ? 100 : 1000;
  return nb.array(xs.map((x) => (unsigned ? Math.abs(x) % small : x % small)), { dtype: dt });
}

/** Same shape, dtype and elements. */
function same(got: unknown, want: unknown): void {
  if (nb.isNDArray(want)) {
    expect(nb.isNDArray(got)).toBe(true);
    const g = got as nb.NDArray;
    expect(g.dtype).toBe(want.dtype);
    expect(g.shape).toEqual(want.shape);
    expect(g.toArray()).toEqual(want.toArray());
    return;
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got)).toBe(true);
    (want as unknown[]).forEach((w, i) => same((got as unknown[])[i], w));
    return;
  }
  expect(got).toEqual(want);
}

const FILTER = `(a) => {
  let n = 0;
  for (let i = 0; i < a.shape[0]; i++) if (a.get(i) > 0) n += 1;
  const out = nb.empty([n], DT);
  let k = 0;
  for (let i = 0; i < a.shape[0]; i++) if (a.get(i) > 0) { out.set(k, a.get(i)); k += 1; }
  return out;
}`;

describe('nb.jit: allocation from computed sizes', () => {
  it('filter: the positives of a (the count computed first) equal the plain function, every dtype, empty results too', () => {
    for (const dt of DTYPES) {
      const f = nb.jit(withDType<(a: nb.NDArray) => nb.NDArray>(FILTER, dt));
      fc.assert(fc.property(fc.array(fc.integer({ min: -100000, max: 100000 }), { maxLength: 40 }), (xs) => {
        const a = values(dt, xs);
        same(f(a), f.pyFunc(a));
      }), { numRuns: 15 });
      // nothing positive: a zero-size result
      same(f(values(dt, [0, 0])), nb.empty([0], dt));
    }
  });

  it('filter on views and TypedArrays', () => {
    const f = nb.jit(withDType<(a: nb.NDArray) => nb.NDArray>(FILTER, 'float64'));
    fc.assert(fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (xs, step) => {
      const a = nb.array(xs).slice(`::-${step}`);
      same(f(a), f.pyFunc(a));
    }), { numRuns: 20 });
    const g = nb.jit((t: Float64Array) => {
      let n = 0;
      for (let i = 0; i < t.length; i++) if (t[i]! > 0) n++;
      const out = nb.zeros([n, 2], 'float64');
      let k = 0;
      for (let i = 0; i < t.length; i++) if (t[i]! > 0) { out.set(k, 0, i); out.set(k, 1, t[i]!); k++; }
      return out;
    });
    const t = new Float64Array([1, -1, 2, 0, 3]);
    same(g(t), g.pyFunc(t));
  });

  it('zeros, ones and full of every dtype, rank 0 to 3, sizes from locals', () => {
    for (const dt of DTYPES) {
      const v = dt === 'bool' ? 'true' : dt.endsWith('int64') ? '7n' : '7';
      const f = nb.jit(withDType<(m: number, n: number) => unknown[]>(`(m, n) => {
        let p = m + 0;
        let q = n + 1;
        const z = nb.zeros([p], DT);
        const o = nb.ones([p, q], DT);
        const w = nb.full([q, p, 2], ${v}, DT);
        const s = nb.full([], ${v}, DT);
        return [z, o, w, s];
      }`, dt));
      fc.assert(fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (m, n) => {
        same(f(m, n), f.pyFunc(m, n));
      }), { numRuns: 8 });
    }
  });

  it('an allocation in a loop (a scratch row per iteration) and in a branch', () => {
    // per row of a: the row's prefix sums in a fresh row, their maximum into the result
    const f = nb.jit((a: nb.NDArray) => {
      const [m, n] = a.shape;
      const out = nb.empty([m], 'float64');
      for (let i = 0; i < m; i++) {
        const row = nb.empty([n], 'float64');
        let s = 0.0;
        for (let j = 0; j < n; j++) { s += a.get(i, j) as number; row.set(j, s); }
        let best = -Infinity;
        for (let j = 0; j < row.shape[0]; j++) best = Math.max(best, row.get(j) as number);
        out.set(i, best);
      }
      return out;
    });
    const g = nb.jit((a: nb.NDArray, flag: boolean) => {
      let total = 0;
      if (flag) {
        const t = nb.ones([a.shape[0] * 2], 'int32');
        for (let i = 0; i < t.shape[0]; i++) total += t.get(i) as number;
      } else {
        const t2 = nb.full([3], 5, 'int32');
        for (let i = 0; i < t2.shape[0]; i++) total += t2.get(i) as number;
      }
      return total;
    });
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (m, n, flag) => {
      const a = nb.arange(m * n, undefined, undefined, 'float64').reshape([m, n]);
      const b = nb.subtract(a, 7);
      same(f(b), f.pyFunc(b));
      expect(g(a, flag)).toBe(g.pyFunc(a, flag));
    }), { numRuns: 20 });
  });

  it('a loop that allocates keeps its memory bounded: each pass frees the previous pass\'s array', () => {
    const f = nb.jit((n: number, k: number) => {
      let s = 0;
      for (let it = 0; it < k; it++) {
        const row = nb.zeros([n + it], 'float64');
        row.set(0, it);
        s += row.get(0) as number;
      }
      return s;
    });
    f(10, 2);
    const want = (500 * 499) / 2; // (the plain function's arrays wait for the collector: not run here)
    const before = nb.heapStats();
    expect(f(1000, 500)).toBe(want);
    const after = nb.heapStats();
    expect(after.liveBlocks).toBe(before.liveBlocks);
    expect(after.liveBytes).toBe(before.liveBytes);
  });

  it('a dynamic array may be passed to helpers (which fill it), returned in a tuple, its shape copied', () => {
    const fill = (o: nb.NDArray, v: number) => {
      for (let i = 0; i < o.shape[0]; i++) for (let j = 0; j < o.shape[1]; j++) o.set(i, j, v * i + j);
    };
    const total = (o: nb.NDArray) => {
      let s = 0;
      for (let i = 0; i < o.shape[0]; i++) for (let j = 0; j < o.shape[1]; j++) s += o.get(i, j) as number;
      return s;
    };
    const f = nb.jit({ helpers: { fill, total } })((a: nb.NDArray, v: number) => {
      let m = 0;
      for (let i = 0; i < a.shape[0]; i++) if ((a.get(i) as number) > 0) m++;
      const out = nb.empty([m, 3], 'int32');
      fill(out, v);
      const copy = nb.zeros(out.shape, 'float64');
      for (let i = 0; i < m; i++) copy.set(i, 0, out.get(i, 0) as number);
      return [out, total(out), copy, a];
    });
    fc.assert(fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 12 }), fc.integer({ min: -3, max: 3 }), (xs, v) => {
      const a = nb.array(xs, { dtype: 'float64' });
      const got = f(a, v) as unknown[];
      const want = f.pyFunc(a, v) as unknown[];
      same(got.slice(0, 3), want.slice(0, 3));
      expect(got[3]).toBe(a);
    }), { numRuns: 20 });
  });

  it('sizes from int64 and float locals: integral values are sizes, others are nb.empty\'s errors', () => {
    const f = nb.jit((a: nb.NDArray) => {
      let n = 0;
      for (let i = 0; i < a.shape[0]; i++) n += a.get(i) as number; // int64 elements: an int64 count
      const out = nb.ones([n], 'uint8');
      return out;
    });
    const a = nb.array([1n, 2n, 3n], { dtype: 'int64' });
    expect(f(a).shape).toEqual([6]);
    const g = nb.jit((x: number) => { let h = x / 2; const o = nb.zeros([h], 'float32'); return o; });
    expect(g(8).shape).toEqual([4]);
    const e = errorOf(() => g(5));
    expect(e.code).toBe(errorOf(() => nb.zeros([2.5], 'float32')).code);
  });

  it('a negative size is nb.empty\'s ValueError with the line and column; nothing leaks', () => {
    const f = nb.jit((a: nb.NDArray, d: number) => {
      let n = a.shape[0] - d;
      const out = nb.empty([2, n], 'float64');
      return out;
    });
    const three = nb.ones([3]);
    f(three, 1).dispose();
    const before = nb.heapStats().liveBlocks;
    const e = errorOf(() => f(three, 5));
    expect(e.code).toBe('E_VALUE_NEGATIVE_DIM');
    expect(e).toBeInstanceOf(nb.ValueError);
    expect(e.message).toMatch(/nb\.jit '.*': empty\(\[2, ?n\]\) for 'out' \(line \d+, column \d+\): negative dimensions are not allowed \(shape \[2, -2\]\)/);
    expect(e.message).toMatch(/\n> \d+ \|.*\.empty\(/);
    expect(nb.heapStats().liveBlocks).toBe(before);
    // a size past int32 (a jit array's sizes are int32), even of an empty array, is E_VALUE_TOO_BIG
    const big = nb.jit((n: number) => { let m = n * 2; const t = nb.empty([m, 0], 'uint8'); return t.shape[1]; });
    expect(big(4)).toBe(0);
    expect(errorOf(() => big(2 ** 30)).code).toBe('E_VALUE_TOO_BIG');
    // phase 1's allocations say where, too
    const g = nb.jit((n: number) => { const o = nb.zeros([n], 'int8'); return o; });
    expect(errorOf(() => g(-1)).message).toMatch(/zeros\(\[n\]\) for 'o' \(line \d+, column \d+\)/);
  });

  it('a trap after allocations frees every array the call made', () => {
    const f = nb.jit((a: nb.NDArray, at: number) => {
      let n = a.shape[0] + 1;
      const keep = nb.zeros([n], 'float64');
      for (let r = 0; r < 3; r++) {
        const tmp = nb.ones([n, 2], 'int16');
        keep.set(r, tmp.get(r, 1) as number);
      }
      keep.set(at, 1); // out of bounds when at > n - 1
      return keep;
    });
    const a = nb.ones([4]);
    f(a, 0).dispose();
    const before = nb.heapStats().liveBlocks;
    for (let k = 0; k < 10; k++) f(a, 1).dispose();
    for (let k = 0; k < 5; k++) expect(errorOf(() => f(a, 9)).code).toBe('E_KERNEL_BOUNDS');
    expect(nb.heapStats().liveBlocks).toBe(before);
    same(f(a, 2), f.pyFunc(a, 2));
  });

  it('allocations in helpers, and an allocation that is not declared, are NB1042', () => {
    const mk = (n: number) => { const t = nb.empty([n], 'float64'); return t.shape[0]; };
    expect(kernelErrorOf(() => nb.jit({ helpers: { mk } })((n: number) => mk(n))(3)).code).toBe('NB1042');
    const h = (o: nb.NDArray) => o.shape[0];
    expect(kernelErrorOf(() => nb.jit({ helpers: { h } })((n: number) => { let m = n + 1; return h(nb.empty([m], 'float64')); })(3)).code).toBe('NB1042');
    // two allocations of one name
    expect(kernelErrorOf(() => nb.jit((n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) { const t = nb.zeros([i], 'int32'); s += t.shape[0]; }
      for (let i = 0; i < n; i++) { const t = nb.ones([i], 'int32'); s += t.shape[0]; }
      return s;
    })(3)).code).toBe('NB1042');
  });

  it('the JS reference makes the same arrays through the same allocator', () => {
    const src = FILTER.replaceAll('DT', "'int32'");
    const fn = new Function('nb', `return ${src};`)(nb) as (a: nb.NDArray) => nb.NDArray;
    const k = compileJit(fn, [{ kind: 'ndarray', dtype: 'int32', ndim: 1, contiguous: true }]);
    const host = new JitAllocHost(k, 'j_');
    k.jsSetAllocator(host.js);
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }), (xs) => {
      const a = nb.array(xs, { dtype: 'int32' });
      host.begin();
      // (data, offset, stride) of a, the hidden array's (data, offset, stride) as placeholders, then the sizes
      k.jsFunction(a.data, a.offset, a.strides[0], null, 0, 0, a.shape[0], 0);
      const [out] = host.finish(() => true);
      same(out, fn(a));
      out!.dispose();
    }), { numRuns: 20 });
  });
});

describe('nb.jit allocation: the JS reference (the jit JS tier runs it)', () => {
  it('fills zeros, ones and full of int64, bool and float32 arrays as the plain function does', () => {
    for (const dt of ['int64', 'bool', 'float32'] as const) {
      const v = dt === 'bool' ? 'true' : dt === 'int64' ? '7n' : '7.5';
      const fn = withDType<(m: number, n: number) => unknown[]>(`(m, n) => {
        let p = m + 0;
        const z = nb.zeros([p], DT);
        const o = nb.ones([p, n], DT);
        const w = nb.full([n, p, 2], ${v}, DT);
        return [z, o, w];
      }`, dt);
      const k = compileJit(fn, [{ kind: 'scalar', dtype: 'int64' }, { kind: 'scalar', dtype: 'int64' }]);
      const host = new JitAllocHost(k, 'j_');
      k.jsSetAllocator(host.js);
      for (const [m, n] of [[0, 2], [3, 1], [2, 4]] as const) {
        // scalars as bigints (int64), each dynamic array's (data, offset, strides) as null/0, its sizes 0
        const args: unknown[] = [BigInt(m), BigInt(n)];
        let dims = 0;
        for (const t of k.args.slice(2)) { const nd = t.kind === 'ndarray' ? t.ndim : 1; args.push(null, 0, ...Array<number>(nd).fill(0)); dims += nd; }
        args.push(...Array<number>(dims).fill(0));
        host.begin();
        k.jsFunction(...args);
        const made = host.finish(() => true);
        same(made, fn(m, n));
        for (const x of made) x?.dispose();
      }
      k.jsSetAllocator(null);
    }
  });
});

describe('nb.jit allocation on the parallel target', () => {
  it('an allocation in a prange body is NB3002 at its line and column', () => {
    const f = nb.jit({ target: 'parallel' })((n: number) => {
      let s = 0;
      for (const i of nb.prange(n)) {
        const t = nb.zeros([i], 'float64');
        s += t.shape[0];
      }
      return s;
    });
    const e = kernelErrorOf(() => f(4));
    expect(e.code).toBe('NB3002');
    expect(e.line).toBeGreaterThan(1);
    expect(e.message).toMatch(/allocates an array/);
  });

  it('allocations outside prange loops work, the blocks on the pool writing them; call and callAsync', async () => {
    const defaults = nb.config().parallel;
    // every prange loop to the pool, however small
    nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
    try {
      // (tier 'wasm': the JS tier runs prange loops on this thread)
      const f = nb.jit({ target: 'parallel', tier: 'wasm' })((a: nb.NDArray) => {
        let n = 0;
        for (let i = 0; i < a.shape[0]; i++) if ((a.get(i) as number) > 0) n += 1;
        const out = nb.zeros([n, 4], 'float64');
        for (const i of nb.prange(n)) for (let j = 0; j < 4; j++) out.set(i, j, (a.get(i) as number) * 10 + j);
        return out;
      });
      const before = prangeRunsOnPool();
      fc.assert(fc.property(fc.array(fc.integer({ min: -9, max: 9 }), { maxLength: 40 }), (xs) => {
        const a = nb.array(xs, { dtype: 'float64' });
        same(f(a), f.pyFunc(a));
      }), { numRuns: 15 });
      expect(prangeRunsOnPool()).toBeGreaterThan(before);
      const a = nb.array([1, -1, 2, 3, -5, 8], { dtype: 'float64' });
      same(await f.callAsync(a), f.pyFunc(a));
    } finally {
      nb.config({ parallel: { ...defaults } });
      await nb.shutdown();
    }
  });
});

describe('nb.jit a.shape[k] with a computed k', () => {
  it('is the size of axis k, as the plain function reads it; k outside the axes is E_KERNEL_BOUNDS', () => {
    const f = nb.jit((a: nb.NDArray, k: number) => a.shape[k]);
    const prod = nb.jit((a: nb.NDArray) => { let p = 1; for (let k = 0; k < a.ndim; k++) p *= a.shape[k]!; return p; });
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(3), (shape, k) => {
      const a = nb.zeros(shape, 'uint8');
      expect(prod(a)).toBe(prod.pyFunc(a));
      if (k < shape.length) expect(f(a, k)).toBe(f.pyFunc(a, k));
      else expect(errorOf(() => f(a, k)).code).toBe('E_KERNEL_BOUNDS');
    }), { numRuns: 30 });
    expect(errorOf(() => f(nb.zeros([2]), -1)).message).toMatch(/index -1 is out of bounds .* 'a.*\.shape \(1 axes\)'/);
  });
});

describe('nb.jit a.size', () => {
  it('is the product of the sizes as an int64 (an array of more than 2^31 elements would not wrap)', () => {
    const f = nb.jit((a: nb.NDArray) => a.size);
    const k = compileJit((a: nb.NDArray) => a.size, [{ kind: 'ndarray', dtype: 'uint8', ndim: 3, contiguous: true }]);
    expect(k.returns).toBe('int64');
    // The JS reference on sizes whose product is past 2^31 (no such array is needed to read its size).
    expect(k.jsFunction(new Uint8Array(0), 0, 0, 0, 0, 65536, 65536, 3)).toBe(3n * 2n ** 32n);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }), (shape) => {
      const a = nb.zeros(shape, 'uint8');
      expect(f(a)).toBe(f.pyFunc(a));
    }), { numRuns: 20 });
  });
});
