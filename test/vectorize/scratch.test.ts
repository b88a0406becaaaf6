/**
 * Scratch arrays through the public factories (issue 13 item 5): `new Float64Array(n)` and
 * the other TypedArrays inside nb.vectorize / nb.guvectorize kernels on the cpu, parallel
 * and gpu targets, compared with plain JS evaluation of the same kernel source (an
 * independent reference: the functions are called as JavaScript). Also: no leak (the heap's
 * statistics are unchanged after many calls), the arena's errors (E_KERNEL_SCRATCH,
 * E_KERNEL_SCRATCH_LENGTH) and bounds errors with the kernel's line, and a trap mid-kernel
 * leaving the next call correct. The gpu cases skip visibly without a WebGPU adapter.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/ndarray/ndarray.js';
import { boundsReportsFromWorkers } from '../../src/parallel/pool.js';
import { MEDIAN, SCRATCH_LOOP } from '../helpers/scratch-kernels.js';
import { directEligible } from '../../src/compiler/emit/wasm/emit-module.js';
import { setDirectWasm } from '../../src/vectorize/tiered-kernels.js';

// The scratch arena is the Wasm tier's (the JS tier allocates with JS, without its limit):
// kernels made here wait for their Wasm.
nb.config({ tier: 'wasm' });

const hasGpu = await nb.gpuAvailable().catch(() => false);
if (!hasGpu) console.warn('[scratch tests] gpu cases SKIPPED: no WebGPU adapter');

const DEFAULTS = nb.config().parallel;
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

type Target = 'cpu' | 'parallel';
const HOST: Target[] = ['cpu', 'parallel'];
/** Every call of a 'parallel' kernel goes to the pool (2 threads, any size). */
const setup = (t: Target | 'gpu') => {
  if (t === 'parallel') nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
};

/** A kernel from source text: its toString() is exactly `src`, so lines and columns are src's. */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const kernel = (src: string) => new Function(`return ${src}`)() as (...a: any[]) => unknown; // any: the source decides the parameters
const flat = (a: NDArray): number[] => [a.toArray() as unknown].flat(Infinity as 1) as number[];


const HISTOGRAM = `(a, out) => {
  const counts = new Int32Array(16);
  for (const v of a) counts[(v | 0) & 15] += 1;
  for (let k = 0; k < out.length; k++) out[k] = counts[k];
}`;

/** Plain JS over the rows of a (rows x n) matrix, for a gufunc writing `m` outputs per row. */
function reference(src: string, rows: number[][], m: number, Out: Float64ArrayConstructor | Int32ArrayConstructor = Float64Array): number[] {
  const f = kernel(src) as (a: Float64Array, o: Float64Array | Int32Array) => void;
  return rows.flatMap((r) => {
    const o = new Out(m);
    f(new Float64Array(r), o);
    return [...o];
  });
}

/** Deterministic rows of pseudo-random values. */
function rows(n: number, len: number, scale = 100): number[][] {
  let s = 12345;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => Array.from({ length: len }, () => Math.floor(next() * scale) - scale / 4));
}

describe.each(HOST)('scratch arrays on the %s target', (target) => {
  it('the median of each row (copy, insertion sort, middle) equals plain JS', () => {
    setup(target);
    const median = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target })(kernel(MEDIAN));
    for (const len of [1, 2, 7, 64]) {
      const r = rows(300, len);
      expect(flat(median(nb.array(r)) as NDArray)).toEqual(reference(MEDIAN, r, 1));
    }
  });

  it('a histogram in a new Int32Array(16) equals plain JS', () => {
    setup(target);
    const hist = nb.guvectorize('void(f8[:], i4[:])', '(n)->(m)', { target })(kernel(HISTOGRAM));
    const r = rows(200, 50, 64);
    const out = nb.zeros([200, 16], 'int32');
    hist(nb.array(r), { out });
    expect(flat(out)).toEqual(reference(HISTOGRAM, r, 16, Int32Array));
  });

  it('a lookup table built in a vectorize kernel; stores wrap and round as in JS (Int8Array, Uint16Array, Float32Array)', () => {
    setup(target);
    const src = `(x) => {
  const t = new Float64Array(8);
  for (let i = 0; i < t.length; i++) t[i] = i * i + 0.5;
  const w = new Int8Array(1);
  w[0] = x * 3;
  const u = new Uint16Array(1);
  u[0] = x;
  const f = new Float32Array(1);
  f[0] = x / 3;
  return t[(x | 0) & 7] + w[0] + u[0] + f[0];
}`;
    const f = nb.vectorize('f8(f8)', { target })(kernel(src));
    const xs = [0, 1, 2.5, 47.9, 100, -3.2, 1e10 + 7, -70000.5, NaN, 4e9];
    const ref = xs.map((x) => (kernel(src) as (x: number) => number)(x));
    expect(flat(f(nb.array(xs)) as NDArray)).toEqual(ref);
  });

  it('helpers allocate their own scratch arrays; bool tables are Uint8Arrays; for...of over a scratch array', () => {
    setup(target);
    const helpers = {
      sieveCount: (n: number) => {
        const composite = new Uint8Array(n + 1);
        let c = 0;
        for (let i = 2; i <= n; i++) {
          if (composite[i]) continue;
          c++;
          for (let j = i * i; j <= n; j += i) composite[j] = 1;
        }
        return c;
      },
      squaresSum: (n: number) => {
        const t = new Float64Array(n);
        for (let i = 0; i < n; i++) t[i] = i * i;
        let s = 0;
        for (const v of t) s += v;
        return s;
      },
    };
    const f = nb.vectorize('f8(i4)', { target, helpers })((n: number) => sieveCount(n) * 1000 + squaresSum(n));
    const ns = [0, 1, 2, 10, 30, 100, 1000];
    expect(flat(f(nb.array(ns, 'int32')) as NDArray)).toEqual(ns.map((n) => helpers.sieveCount(n) * 1000 + helpers.squaresSum(n)));
  });

  it('many calls leave the heap as it was (no arena or scratch block outlives a call)', () => {
    setup(target);
    const median = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target })(kernel(MEDIAN));
    const x = nb.array(rows(64, 33));
    const out = nb.zeros([64]);
    median(x, { out });
    const before = nb.heapStats();
    for (let k = 0; k < 200; k++) median(x, { out });
    const after = nb.heapStats();
    expect(after.liveBlocks).toBe(before.liveBlocks);
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.heapBytes).toBe(before.heapBytes);
  });

  it('a scratch array allocated in a loop is released each pass (1000 passes of 8 KiB in a 16 KiB arena)', () => {
    setup(target);
    const src = `(a, out) => {
  let s = 0;
  for (let i = 0; i < 1000; i++) {
    const t = new Float64Array(1024);
    t[i] = a[0] + i;
    s += t[i] + t[1023 - (i % 1024)];
  }
  out[0] = s;
}`;
    const f = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target, scratchBytes: 16384 })(kernel(src));
    expect(flat(f(nb.array([[1], [2]])) as NDArray)).toEqual(reference(src, [[1], [2]], 1));
  });

  it('more than the arena holds is E_KERNEL_SCRATCH with the line; a negative length E_KERNEL_SCRATCH_LENGTH; the next call works', () => {
    setup(target);
    const src = `(n) => {
  const t = new Float64Array(n);
  t[0] = 1;
  return t.length;
}`;
    const f = nb.vectorize('f8(i4)', { target, scratchBytes: 4096 })(kernel(src));
    const big = () => f(nb.array(Array(64).fill(600), 'int32'));
    expect(big).toThrow(expect.objectContaining({ code: 'E_KERNEL_SCRATCH', name: 'MemoryError' }));
    expect(big).toThrow(/new Float64Array\(600\) for 't' \(4800 bytes\).*4096 bytes.*scratchBytes.*line 2, column 13/s);
    const neg = () => f(nb.array([...Array(63).fill(3), -5], 'int32'));
    expect(neg).toThrow(expect.objectContaining({ code: 'E_KERNEL_SCRATCH_LENGTH', name: 'ValueError' }));
    expect(neg).toThrow(/invalid length -5.*line 2, column 13/s);
    expect(flat(f(nb.array(Array(64).fill(512), 'int32')) as NDArray)).toEqual(Array(64).fill(512));
  });

  it('an index outside a scratch array is E_KERNEL_BOUNDS with the line, nothing written outside; the next call is correct', () => {
    setup(target);
    const src = `(a, out) => {
  const t = new Float64Array(4);
  t[a[0] | 0] = 5;
  out[0] = t[0] + t[1] + t[2] + t[3];
}`;
    const f = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target })(kernel(src));
    const bad = Array.from({ length: 64 }, (_, i) => [i === 40 ? 4 : i % 4]);
    expect(() => f(nb.array(bad))).toThrow(expect.objectContaining({ code: 'E_KERNEL_BOUNDS' }));
    expect(() => f(nb.array(bad))).toThrow(/index 4 is out of bounds for axis 0 of 't' with size 4 \(a write, line 3, column 3\)/);
    const good = Array.from({ length: 64 }, (_, i) => [i % 4]);
    expect(flat(f(nb.array(good)) as NDArray)).toEqual(Array(64).fill(5));
    // boundscheck: false removes the check (the kernel is in range here).
    const g = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target, boundscheck: false })(kernel(src));
    expect(g.kernels[0]!.bounds).toEqual([]);
    expect(flat(g(nb.array(good)) as NDArray)).toEqual(Array(64).fill(5));
  });

  it('scratchBytes is validated (E_VALUE_OPTION)', () => {
    expect(() => nb.vectorize('f8(f8)', { target, scratchBytes: -1 })).toThrow(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
    expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target, scratchBytes: 2 ** 31 })).toThrow(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
  });
});
declare function sieveCount(n: number): number;
declare function squaresSum(n: number): number;

// Issue 15: gufunc kernels with scratch arrays get the direct emitter's module at once
// (src/compiler/emit/wasm/scratch.ts), with asc's arena ABI: the suites above run it; here,
// that they do, and that its failures are asc's module's errors, word for word.
describe.each(HOST)('scratch arrays in the direct Wasm module on the %s target', (target) => {
  type Gufunc = ((...a: unknown[]) => unknown) & { readonly tier: string; readonly kernels: readonly { readonly ir: never }[] };
  const make = (sig: string, layout: string, src: string, options: nb.GuvectorizeOptions = {}) =>
    nb.guvectorize(sig, layout, { target, ...options })(kernel(src)) as unknown as Gufunc;
  const onAuto = <R>(body: () => R): R => {
    nb.config({ tier: 'auto' });
    try { return body(); } finally { nb.config({ tier: 'wasm' }); }
  };
  const LOOP = SCRATCH_LOOP;

  it('median, histogram and a loop that allocates per pass run on the Wasm tier right after the factory, and equal plain JS', () => {
    setup(target);
    onAuto(() => {
      const median = make('void(f8[:], f8[:])', '(n)->()', MEDIAN);
      const hist = make('void(f8[:], i4[:])', '(n)->(m)', HISTOGRAM);
      // 200 passes of 4 KiB in an 8 KiB arena: bounded only if each pass gives its array back.
      const loop = make('void(f8[:], f8[:])', '(n)->()', LOOP, { scratchBytes: 8192 });
      for (const f of [median, hist, loop]) {
        expect(directEligible(f.kernels[0]!.ir)).toBe(true);
        expect(f.tier).toBe('wasm');
      }
      const r = rows(100, 33);
      expect(flat(median(nb.array(r)) as NDArray)).toEqual(reference(MEDIAN, r, 1));
      const out = nb.zeros([100, 16], 'int32');
      hist(nb.array(r), { out });
      expect(flat(out)).toEqual(reference(HISTOGRAM, r, 16, Int32Array));
      const x = [[1], [2.5], [-3]];
      expect(flat(loop(nb.array(x)) as NDArray)).toEqual(reference(LOOP, x, 1));
    });
  });

  it('too long and negative lengths, and an index outside, raise what asc\'s module raises (class, code, message)', () => {
    setup(target);
    const src = `(a, out) => {
  const t = new Float64Array(a[0] | 0);
  t[a[1] | 0] = 1;
  out[0] = t.length;
}`;
    const failures = [[[600, 0]], [[-5, 0]], [[4, 4]]];
    const errors = (direct: boolean) => {
      setDirectWasm(direct);
      try {
        const f = make('void(f8[:], f8[:])', '(n)->()', src, { scratchBytes: 4096 });
        return failures.map((x) => {
          try { f(nb.array(x)); } catch (e) { return e as Error & { code: string }; }
          throw new Error(`no error for ${JSON.stringify(x)}`);
        });
      } finally { setDirectWasm(true); }
    };
    // (The direct module first: asc's is remembered by the kernel's inputs, and a later
    // factory of the same source would get it from the cache.)
    const direct = errors(true);
    const asc = errors(false);
    expect(asc.map((e) => e.code)).toEqual(['E_KERNEL_SCRATCH', 'E_KERNEL_SCRATCH_LENGTH', 'E_KERNEL_BOUNDS']);
    direct.forEach((e, i) => {
      expect(e.constructor).toBe(asc[i]!.constructor);
      expect(e.code).toBe(asc[i]!.code);
      expect(e.message).toBe(asc[i]!.message);
    });
  });
});

describe('parallel workers have arenas of their own', () => {
  it('a worker reports a failed scratch allocation, and the call throws E_KERNEL_SCRATCH', async () => {
    nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
    // Row [n, spin]: spin iterations, then a scratch array of n float64 (n = 1000 overflows the
    // 1 KiB arena). The calling thread takes block 0 first; its rows only spin (n = 0), long
    // enough for a worker to claim a later block, whose rows all fail: the failure is a worker's.
    const f = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target: 'parallel', scratchBytes: 1024 })(
      kernel('(a, out) => { let s = 0; for (let i = 0; i < a[1]; i++) s += i; const t = new Float64Array(a[0] | 0); out[0] = t.length + s * 0; }'));
    // Before the Wasm tier is in place, parallel calls run the JS tier on the calling thread.
    await f.ready;
    const rows = 4096;
    const x = nb.array(Array.from({ length: rows }, (_, i) => (i < rows / 8 ? [0, 100_000] : [1000, 0])));
    const before = boundsReportsFromWorkers();
    for (let tries = 0; tries < 10 && boundsReportsFromWorkers() === before; tries++) {
      expect(() => f(x)).toThrow(expect.objectContaining({ code: 'E_KERNEL_SCRATCH' }));
    }
    expect(boundsReportsFromWorkers()).toBeGreaterThan(before);
    expect(flat(f(nb.array(Array.from({ length: rows }, (_, i) => [i % 100, 0]))) as NDArray)).toEqual(Array.from({ length: rows }, (_, i) => i % 100));
  });
});

describe.skipIf(!hasGpu)('scratch arrays on the gpu target (private arrays of a constant length)', () => {
  it('a histogram in a new Int32Array(16) equals plain JS', async () => {
    const hist = nb.guvectorize('void(f4[:], i4[:])', '(n)->(m)', { target: 'gpu' })(kernel(HISTOGRAM));
    const r = rows(50, 40, 64);
    const out = nb.zeros([50, 16], 'int32');
    await hist(nb.array(r, 'float32'), { out });
    expect(flat(out)).toEqual(reference(HISTOGRAM, r, 16, Int32Array));
  });

  it('a median of rows with a const-sized scratch array (and a Float64Array, float32 there) equals plain JS', async () => {
    const src = MEDIAN.replace('new Float64Array(a.length)', 'new Float64Array(16)').replace('buf.length >> 1', 'a.length >> 1')
      .replace('let i = 1; i < buf.length', 'let i = 1; i < a.length');
    const median = nb.guvectorize('void(f4[:], f4[:])', '(n)->()', { target: 'gpu' })(kernel(src));
    const r = rows(40, 9);
    expect(flat(await median(nb.array(r, 'float32')) as NDArray)).toEqual(reference(src, r, 1));
  });

  it('a lookup table in a vectorize kernel, zero-filled each call, equals plain JS', async () => {
    const src = `(x) => {
  const t = new Float32Array(8);
  let f = 0.5;
  for (let i = 0; i < 4; i++) { t[i] = f; f += 1.0; }
  return t[(x | 0) & 7];
}`;
    const f = nb.vectorize('f4(f4)', { target: 'gpu' })(kernel(src));
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 9];
    expect(flat(await f(nb.array(xs, 'float32')))).toEqual(xs.map((x) => (kernel(src) as (x: number) => number)(x)));
  });

  it('an index outside a scratch array in a gufunc is E_KERNEL_BOUNDS with the line', async () => {
    const src = `(a, out) => {
  const t = new Float32Array(4);
  t[a[0] | 0] = 5;
  out[0] = t[0] + t[1] + t[2] + t[3];
}`;
    const f = nb.guvectorize('void(f4[:], f4[:])', '(n)->()', { target: 'gpu' })(kernel(src));
    await expect(f(nb.array([[1], [4], [2]], 'float32'))).rejects.toThrow(/index 4 is out of bounds for axis 0 of 't' with size 4 \(a write, line 3, column 3\)/);
    expect(flat(await f(nb.array([[1], [3], [2]], 'float32')) as NDArray)).toEqual([5, 5, 5]);
  });

  it('an index outside a scratch array in a vectorize kernel is E_KERNEL_BOUNDS too (the elementwise shader binds the error flag)', async () => {
    const src = `(i) => {
  const t = new Float32Array(4);
  t[0] = 1.5;
  return t[i];
}`;
    const f = nb.vectorize('f4(i4)', { target: 'gpu' })(kernel(src));
    await expect(f(nb.array([0, 1, 7], 'int32'))).rejects.toThrow(/index 7 is out of bounds for axis 0 of 't' with size 4 \(a read, line 4, column 10\)/);
    expect(flat(await f(nb.array([0, 1, 3], 'int32')))).toEqual([1.5, 0, 0]);
  });

  it('a length that is not a compile-time constant is KernelError NB6002', () => {
    expect(() => nb.guvectorize('void(f4[:], f4[:])', '(n)->()', { target: 'gpu' })(kernel('(a, out) => { const t = new Float32Array(a.length); out[0] = t.length; }')))
      .toThrow(expect.objectContaining({ code: 'NB6002' }));
  });
});
