// nb.jit with target 'parallel': `for (const i of nb.prange(n))` split over the worker pool
// (src/compiler/jit-prange.ts, src/parallel/jit.ts). The oracle is the same function run as
// plain JS on the same inputs; float reductions are combined in a fixed block order, so they
// are checked bitwise against themselves across calls and pool sizes, and close to plain JS.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { prangeRunsOnPool } from '../../src/parallel/jit.js';
import { poolWorkers } from '../../src/parallel/pool.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { errorOf } from '../helpers/errors.js';

const DEFAULTS = nb.config().parallel;
// Every prange loop goes to the pool, however small (the cost model would keep small ones here).
const FORCE = { threads: 2, minElements: 0, blockMs: 1e-6 };

// This file is about the Wasm tier's prange loops on the pool: every specialisation waits
// for its Wasm (the JS tier runs prange loops on this thread: test/jit/tiers.test.ts). Set
// when the file loads: some functions below are made by describe blocks.
const TIER = nb.config().tier;
nb.config({ tier: 'wasm' });

beforeAll(() => {
  nb.config({ parallel: FORCE });
});
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS }, tier: TIER });
  await nb.shutdown();
});

// Sum-like: rows in parallel, a reduction into a local declared before the loop.
function sumRows(a: nb.NDArray) {
  const [m, n] = a.shape;
  let s = 0.0;
  for (const i of nb.prange(m)) {
    for (let j = 0; j < n; j++) s += a.get(i, j) as number;
  }
  return s;
}
function sumRowsBig(a: nb.NDArray) {
  let s = 0n;
  for (const i of nb.prange(a.shape[0])) {
    for (let j = 0; j < a.shape[1]; j++) s += a.get(i, j) as bigint;
  }
  return s;
}
// min, max and product, with a read-only local from before the loop.
function stats(t: Float64Array, shift: number) {
  let lo = Infinity;
  let hi = -Infinity;
  let p = 1.0;
  const c = shift * 0.5;
  for (const i of nb.prange(t.length)) {
    const v = t[i]! + c;
    lo = Math.min(lo, v);
    hi = Math.max(v, hi);
    p *= 1 + v / 1024;
  }
  return lo * 1e6 + hi * 1e3 + p;
}
// Stencil-like: each row of the output from three rows of the input (arrays written by index).
function smooth(out: nb.NDArray, a: nb.NDArray) {
  const [m, n] = a.shape;
  for (const i of nb.prange(1, m - 1)) {
    for (let j = 0; j < n; j++) out.set(i, j, ((a.get(i - 1, j) as number) + (a.get(i, j) as number) * 2 + (a.get(i + 1, j) as number)) / 4);
  }
}

const INT_DTYPES: DType[] = ['int32', 'uint8', 'int16', 'uint32'];
const FLOAT_DTYPES: DType[] = ['float64', 'float32'];
type View = 'none' | 'T' | 'rows2' | 'reversed';
function view(a: nb.NDArray, v: View): nb.NDArray {
  switch (v) {
    case 'none': return a;
    case 'T': return a.T;
    case 'rows2': return a.slice('::2', ':');
    case 'reversed': return a.slice('::-1', '::-2');
  }
}
const matrix = (m: number, n: number, dtype: DType, seed: number, scale = 1) =>
  nb.array(Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => ((seed + i * 31 + j * 17 + ((i * j) % 7)) % 97) * scale)), { dtype });

describe("nb.jit target 'parallel': prange reductions", () => {
  const psum = nb.jit({ target: 'parallel' })(sumRows);
  const csum = nb.jit(sumRows);

  it('integer sums equal plain JS exactly on both targets, on random shapes, dtypes and views', () => {
    const before = prangeRunsOnPool();
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...INT_DTYPES),
      fc.constantFrom<View>('none', 'T', 'rows2', 'reversed'), fc.integer({ min: 0, max: 96 }),
      (m, n, dtype, v, seed) => {
        const a = view(matrix(m, n, dtype, seed), v);
        const ref = sumRows(a);
        expect(psum(a)).toBe(ref);
        expect(csum(a)).toBe(ref);
      },
    ), { numRuns: 40 });
    expect(prangeRunsOnPool()).toBeGreaterThan(before);
  });

  it('int64 sums (bigints) equal plain JS', () => {
    const f = nb.jit({ target: 'parallel' })(sumRowsBig);
    for (const m of [1, 7, 130]) {
      const a = matrix(m, 5, 'int64', m);
      expect(f(a)).toBe(sumRowsBig(a));
      expect(f(a.T)).toBe(sumRowsBig(a.T));
    }
  });

  it('float sums are the same bits across calls and pool sizes, and close to plain JS', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom(...FLOAT_DTYPES),
      fc.constantFrom<View>('none', 'T', 'reversed'), fc.integer({ min: 0, max: 96 }),
      (m, n, dtype, v, seed) => {
        const a = view(matrix(m, n, dtype, seed, 0.1), v);
        const first = psum(a);
        expect(Object.is(psum(a), first)).toBe(true);
        nb.config({ parallel: { threads: 3 } });
        try {
          expect(Object.is(psum(a), first)).toBe(true);
        } finally {
          nb.config({ parallel: { threads: 2 } });
        }
        const ref = sumRows(a);
        expect(Math.abs(first - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
      },
    ), { numRuns: 15 });
  });

  it('the blocks do not depend on the cost model: a loop run on this thread gives the same bits', () => {
    const a = matrix(500, 3, 'float64', 5, 0.37);
    const pooled = psum(a);
    nb.config({ parallel: { blockMs: 1e9 } });
    try {
      const before = prangeRunsOnPool();
      expect(Object.is(psum(a), pooled)).toBe(true);
      expect(prangeRunsOnPool()).toBe(before);
    } finally {
      nb.config({ parallel: FORCE });
    }
  });

  it('Math.min, Math.max and *= reductions, with a local read from before the loop', () => {
    const f = nb.jit({ target: 'parallel' })(stats);
    fc.assert(fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 0, maxLength: 300 }), fc.integer({ min: -3, max: 3 }), (xs, k) => {
      const t = Float64Array.from(xs);
      const got = f(t, k);
      const ref = stats(t, k);
      if (!Number.isFinite(ref)) expect(got).toBe(ref);
      else expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
    }), { numRuns: 30 });
  });

  it('integer min/max start from the type limits; -= reductions', () => {
    const f = (t: Int32Array) => {
      let lo = 0;
      let hi = 0;
      let d = 1000;
      lo = t[0]!;
      hi = t[0]!;
      for (const i of nb.prange(t.length)) {
        lo = Math.min(lo, t[i]!);
        hi = Math.max(hi, t[i]!);
        d -= t[i]!;
      }
      return lo * 1e6 + hi * 1e3 + d;
    };
    const g = nb.jit({ target: 'parallel' })(f);
    fc.assert(fc.property(fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 200 }), (xs) => {
      const t = Int32Array.from(xs);
      expect(g(t)).toBe(f(t));
    }), { numRuns: 30 });
  });
});

describe("nb.jit target 'parallel': arrays written by index", () => {
  // (no uint8: its sums wrap at 256 in a jit function, as NumPy's do, and not in plain JS)
  it('a stencil-like smoothing equals plain JS on both targets, into C-order and transposed outputs', () => {
    const f = nb.jit({ target: 'parallel' })(smooth);
    const c = nb.jit(smooth);
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom<DType>('float64', 'int16', 'int32'),
      fc.constantFrom<View>('none', 'T', 'rows2', 'reversed'), fc.boolean(),
      (m, n, dtype, v, transposed) => {
        const a = view(matrix(m, n, dtype, m + n), v);
        const [p, q] = a.shape as [number, number];
        const got = transposed ? nb.zeros([q, p]).T : nb.zeros([p, q]);
        const cpu = nb.zeros([p, q]);
        const ref = nb.zeros([p, q]);
        f(got, a);
        c(cpu, a);
        smooth(ref, a);
        expect(got.toArray()).toEqual(ref.toArray());
        expect(cpu.toArray()).toEqual(ref.toArray());
      },
    ), { numRuns: 30 });
  });

  it('TypedArrays and js-storage NDArrays written in the loop are copied back', () => {
    const fill = (t: Float64Array, k: number) => { for (const i of nb.prange(t.length)) t[i] = i * k + 0.5; };
    const g = nb.jit({ target: 'parallel' })(fill);
    const t = new Float64Array(1000);
    const ref = new Float64Array(1000);
    g(t, 3);
    fill(ref, 3);
    expect(t).toEqual(ref);
  });

  it("localMean with target 'parallel' and prange gives identical results", () => {
    const getDownSampleValue = (img: nb.NDArray, i: number, j: number, win: number) => {
      let s = 0;
      for (let di = 0; di < win; di++) {
        for (let dj = 0; dj < win; dj++) s += img.get(i * win + di, j * win + dj) as number;
      }
      return s / (win * win);
    };
    const localMean = (imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
      for (const i of nb.prange(newHeight)) {
        for (let j = 0; j < newWidth; j++) imgNew.set(i, j, getDownSampleValue(img, i, j, downSize));
      }
    };
    const plainMean = (imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
      for (let i = 0; i < newHeight; i++) {
        for (let j = 0; j < newWidth; j++) imgNew.set(i, j, getDownSampleValue(img, i, j, downSize));
      }
    };
    const pmean = nb.jit({ target: 'parallel', helpers: { getDownSampleValue } })(localMean);
    const cmean = nb.jit({ helpers: { getDownSampleValue } })(localMean);
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }),
      fc.constantFrom<View>('none', 'T', 'reversed'), fc.constantFrom<DType>('uint8', 'float64'),
      (h, w, d, v, outType) => {
        const img = view(matrix(h * d, w * d, 'uint8', h + w), v);
        const nh = Math.floor(img.shape[0]! / d);
        const nw = Math.floor(img.shape[1]! / d);
        const [a, b, c, e] = [0, 1, 2, 3].map(() => nb.zeros([nh, nw], outType));
        pmean(a!, nh, nw, d, img);
        cmean(b!, nh, nw, d, img);
        plainMean(c!, nh, nw, d, img);
        localMean(e!, nh, nw, d, img);
        expect(a!.toArray()).toEqual(c!.toArray());
        expect(b!.toArray()).toEqual(c!.toArray());
        expect(e!.toArray()).toEqual(c!.toArray());
      },
    ), { numRuns: 30 });
  });

  it('allocations returned from the function (two-phase call) work on the pool', () => {
    const rowMax = (a: nb.NDArray) => {
      const out = nb.zeros([a.shape[0]], 'float64');
      for (const i of nb.prange(a.shape[0])) {
        let m = -Infinity;
        for (let j = 0; j < a.shape[1]; j++) m = Math.max(m, a.get(i, j) as number);
        out.set(i, m);
      }
      return out;
    };
    const f = nb.jit({ target: 'parallel' })(rowMax);
    const a = matrix(90, 6, 'float64', 4, 0.5);
    f(a).dispose(); // (the first call compiles: the module keeps its static data)
    const ref = rowMax(a);
    const before = nb.heapStats().liveBlocks;
    const r = f(a);
    expect(r.toArray()).toEqual(ref.toArray());
    r.dispose();
    expect(nb.heapStats().liveBlocks).toBe(before);
  });

  it('a nested prange is an ordinary loop; loops after one another and inside sequential loops each run on the pool', () => {
    const f = (a: nb.NDArray, reps: number) => {
      let s = 0;
      let q = 0;
      for (let r = 0; r < reps; r++) {
        for (const i of nb.prange(a.shape[0])) {
          for (const j of nb.prange(a.shape[1])) s += (a.get(i, j) as number) * (r + 1);
        }
      }
      for (const i of nb.prange(a.shape[0])) q = Math.max(q, a.get(i, 0) as number);
      return s * 1000 + q;
    };
    const g = nb.jit({ target: 'parallel' })(f);
    const a = matrix(33, 4, 'int32', 2);
    const before = prangeRunsOnPool();
    expect(g(a, 3)).toBe(f(a, 3));
    expect(prangeRunsOnPool() - before).toBe(4);
    // Two block entries: the inner prange is part of the first one's body.
    expect(g.inspect(a, 3).assemblyScript.match(/export function j_prange\d+\(/g)).toHaveLength(2);
  });

  it('scratch arrays: declared in the body (one arena per worker), and read from before the loop', () => {
    const f = (t: Float64Array, k: number) => {
      const w = new Float64Array(4);
      for (let j = 0; j < 4; j++) w[j] = j + k;
      let s = 0.0;
      for (const i of nb.prange(t.length)) {
        const buf = new Float64Array(3);
        for (let j = 0; j < 3; j++) buf[j] = t[i]! * w[j]!;
        s += buf[0]! + buf[1]! + buf[2]!;
      }
      return s;
    };
    const g = nb.jit({ target: 'parallel' })(f);
    const t = Float64Array.from({ length: 200 }, (_, i) => i % 13);
    expect(g(t, 2)).toBe(f(t, 2)); // integers: exact in any order
  });
});

describe("nb.jit target 'parallel': errors", () => {
  // [what, function, text at the reported position (its first occurrence), line]
  const bad: [string, (...a: never[]) => unknown, string, number][] = [
    ['a plain write to an outer local', (t: Float64Array) => {
      let last = 0.0;
      for (const i of nb.prange(t.length)) {
        last = t[i]!;
      }
      return last;
    }, 'last =', 4],
    ['a reduction local read in the body', (t: Float64Array) => {
      let s = 0.0;
      for (const i of nb.prange(t.length)) {
        s += t[i]!;
        t[i] = s;
      }
      return s;
    }, 's;', 5],
    ['a write to a scalar parameter', (t: Float64Array, k: number) => {
      for (const i of nb.prange(t.length)) {
        k = i;
      }
      return k + t[0]!;
    }, 'k = i', 3],
    ['two reduction families on one local', (t: Float64Array) => {
      let s = 1.0;
      for (const i of nb.prange(t.length)) {
        s += t[i]!;
        s *= 2;
      }
      return s;
    }, 's *= 2', 5],
    ['a return inside the loop', (t: Float64Array) => {
      for (const i of nb.prange(t.length)) {
        if (t[i]! > 0) return i;
      }
      return -1;
    }, 'return i', 3],
    ['a break out of the loop', (t: Float64Array) => {
      let n = 0;
      for (const i of nb.prange(t.length)) {
        if (t[i]! > 0) break;
        n += 1;
      }
      return n;
    }, 'break', 4],
  ];

  it.each(bad)('%s is KernelError NB3002 with its line and column; on cpu it compiles', (_, fn, marker, line) => {
    // (columns as in fn.toString(): the test runner re-indents the source)
    const column = fn.toString().split('\n')[line - 1]!.indexOf(marker) + 1;
    expect(column).toBeGreaterThan(0);
    const t = new Float64Array([1, 2, 3]);
    const args = [t, 2].slice(0, fn.length) as never[];
    const e = errorOf(() => nb.jit({ target: 'parallel' })(fn)(...args));
    expect(e.code).toBe('NB3002');
    expect([e.line, e.column]).toEqual([line, column]);
    expect(() => nb.jit(fn)(...args)).not.toThrow();
  });

  it("with fallback: 'js' such a function runs as plain JS, with one warning naming NB3002", () => {
    const last = (t: Float64Array) => {
      let x = 0.0;
      for (const i of nb.prange(t.length)) x = t[i]!;
      return x;
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const f = nb.jit({ target: 'parallel', fallback: 'js' })(last);
      const t = new Float64Array([4, 5, 6]);
      expect(f(t)).toBe(last(t));
      expect(f(t)).toBe(6);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('NB3002');
    } finally {
      warn.mockRestore();
    }
  });

  it('an index out of bounds in a block is the same IndexError as on cpu (line and column), and nothing leaks', () => {
    const f = (t: Float64Array, k: number) => {
      let s = 0.0;
      for (const i of nb.prange(t.length)) {
        s += t[i + k]!;
      }
      return s;
    };
    const t = new Float64Array(300).fill(1);
    const cpu = errorOf(() => nb.jit(f)(t, 1));
    const par = nb.jit({ target: 'parallel' })(f);
    const before = nb.heapStats().liveBlocks;
    for (let r = 0; r < 5; r++) {
      const e = errorOf(() => par(t, 1));
      expect(e.constructor).toBe(cpu.constructor);
      expect([e.code, e.message]).toEqual([cpu.code, cpu.message]);
    }
    expect(par(t, 0)).toBe(300);
    expect(nb.heapStats().liveBlocks).toBe(before);
  });

});

describe("nb.jit target 'parallel': callAsync (the whole call on the pool)", () => {
  // Heavy enough that the pool takes many event-loop turns.
  const heavy = (a: nb.NDArray, reps: number) => {
    let s = 0.0;
    for (const i of nb.prange(a.shape[0])) {
      for (let r = 0; r < reps; r++) {
        for (let j = 0; j < a.shape[1]; j++) s += Math.sqrt((a.get(i, j) as number) + r);
      }
    }
    return s;
  };
  const f = nb.jit({ target: 'parallel' })(heavy);
  const a = matrix(400, 50, 'float64', 3, 0.25);

  it('resolves to the synchronous call\'s bits, close to plain JS, and leaves the event loop free meanwhile', async () => {
    const sync = f(a, 20);
    expect(Object.is(await f.callAsync(a, 20), sync)).toBe(true);
    // The event loop runs while the pool works: a call 20x longer than the one above (so its
    // workers' replies cannot arrive in the same turn as the call, as they could for a short
    // call on an idle pool) has not settled when the next turn of the event loop comes.
    let settled = false;
    const long = f.callAsync(a, 400).then((v) => { settled = true; return v; });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(Object.is(await long, f(a, 400))).toBe(true);
    const ref = heavy(a, 20);
    expect(Math.abs(sync - ref)).toBeLessThanOrEqual(1e-9 * Math.abs(ref));
    nb.config({ parallel: { threads: 3 } });
    try {
      expect(Object.is(await f.callAsync(a, 20), sync)).toBe(true);
    } finally {
      nb.config({ parallel: { threads: 2 } });
    }
  });

  it('writes back TypedArrays, returns allocations, and rejects with the synchronous call\'s errors, leaking nothing', async () => {
    const fill = nb.jit({ target: 'parallel' })((t: Float64Array, k: number) => { for (const i of nb.prange(t.length)) t[i] = i * k + 0.5; });
    const t = new Float64Array(300);
    await fill.callAsync(t, 3);
    expect([...t]).toEqual(Array.from({ length: 300 }, (_, i) => i * 3 + 0.5));
    const rows = (x: nb.NDArray) => {
      const out = nb.zeros([x.shape[0]], 'float64');
      for (const i of nb.prange(x.shape[0])) out.set(i, (x.get(i, 0) as number) * 2);
      return out;
    };
    const g = nb.jit({ target: 'parallel' })(rows);
    const x = matrix(70, 2, 'float64', 1);
    const want = rows(x).toArray();
    const shifted = nb.jit({ target: 'parallel' })((u: Float64Array, k: number) => {
      let s = 0.0;
      for (const i of nb.prange(u.length)) s += u[i + k]!;
      return s;
    });
    const u = new Float64Array(200).fill(1);
    const syncError = errorOf(() => shifted(u, 1));
    (await g.callAsync(x)).dispose(); // (first calls compile)
    await shifted.callAsync(u, 0);
    const before = nb.heapStats().liveBlocks;
    const r = await g.callAsync(x);
    expect(r.toArray()).toEqual(want);
    r.dispose();
    for (let k = 0; k < 3; k++) {
      const e = await shifted.callAsync(u, 1).then(() => null, (err: unknown) => err as { code?: string; message: string; constructor: unknown });
      expect(e?.constructor).toBe(syncError.constructor);
      expect([e?.code, e?.message]).toEqual([syncError.code, syncError.message]);
    }
    expect(await shifted.callAsync(u, 0)).toBe(200);
    expect(nb.heapStats().liveBlocks).toBe(before);
  });

  it('a worker killed mid-call: TargetError E_TARGET_WORKER_DIED, and the next call works', async () => {
    f(a, 1);
    const p = f.callAsync(a, 400);
    const workers = poolWorkers();
    expect(workers.length).toBe(2);
    await new Promise((r) => setTimeout(r, 5));
    await workers[1]!.terminate();
    const e = await p.then(() => null, (err: unknown) => err as { code?: string });
    expect(e?.code).toBe('E_TARGET_WORKER_DIED');
    expect(Object.is(await f.callAsync(a, 2), f(a, 2))).toBe(true);
  });
});
