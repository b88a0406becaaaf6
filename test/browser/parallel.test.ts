/**
 * The parallel target in a real browser (issue 17 item 3), on a cross-origin isolated page
 * (vitest.config.ts serves COOP/COEP): built-in ufuncs and reductions run on the Web Worker
 * pool (platform/worker-pool.browser.ts), their values checked against plain JS on random
 * inputs (fast-check), and the workers are seen doing blocks. The page without isolation
 * (the calling-thread fallback) is test/browser-page/static.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { poolStarted, poolWorkers } from '../../src/parallel/pool.js';

const DEFAULTS = nb.config().parallel;
// Every call on the pool, cut into many blocks, so that small random arrays exercise it too.
const FORCE = { builtins: true, threads: 2, minElements: 0, blockMs: 1e-6 };

beforeAll(() => {
  nb.config({ parallel: FORCE });
});
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

const f64 = fc.double({ noNaN: false });
const f64s = (min: number, max: number) => fc.array(f64, { minLength: min, maxLength: max });

describe('parallel built-ins in Chromium (Web Worker pool)', () => {
  it('the page is cross-origin isolated (SharedArrayBuffer, shared Wasm memory with workers)', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('add, multiply, sqrt and maximum match plain JS element for element (fast-check)', () => {
    fc.assert(
      fc.property(f64s(0, 300), f64s(0, 300), (xs, ys) => {
        const n = Math.min(xs.length, ys.length);
        const a = nb.array(xs.slice(0, n), { dtype: 'float64' });
        const b = nb.array(ys.slice(0, n), { dtype: 'float64' });
        const same = (got: nb.NDArray, want: (i: number) => number) =>
          (got.toArray() as number[]).every((v, i) => Object.is(v, want(i)));
        expect(same(nb.add(a, b), (i) => xs[i]! + ys[i]!)).toBe(true);
        expect(same(nb.multiply(a, b), (i) => xs[i]! * ys[i]!)).toBe(true);
        expect(same(nb.sqrt(a), (i) => Math.sqrt(xs[i]!))).toBe(true);
        // NumPy's maximum propagates NaN; of +0 and -0 either may come back.
        const max = (nb.maximum(a, b).toArray() as number[]);
        for (let i = 0; i < n; i++) {
          const x = xs[i]!, y = ys[i]!;
          if (Number.isNaN(x) || Number.isNaN(y)) expect(max[i]).toBeNaN();
          else expect(max[i] === Math.max(x, y)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('add.reduce of integer-valued float64 equals the exact JS sum (any block split)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 5000 }), (xs) => {
        const got = (nb.add.reduce(nb.array(xs, { dtype: 'float64' })) as nb.NDArray).toArray();
        expect(got).toBe(xs.reduce((s, x) => s + x, 0));
      }),
      { numRuns: 40 },
    );
  });

  it('the workers run blocks of a synchronous call (not only the calling thread)', async () => {
    const n = 1 << 20;
    const xs = Float64Array.from({ length: n }, (_, i) => (i % 1000) / 100);
    const a = nb.array(xs);
    nb.sqrt(a); // starts the pool
    expect(poolStarted()).toBe(true);
    const workers = poolWorkers() as unknown as Worker[];
    expect(workers.length).toBe(FORCE.threads);
    let byWorkers = 0;
    const count = (ev: MessageEvent<{ value?: unknown }>) => { if (typeof ev.data?.value === 'number') byWorkers += ev.data.value; };
    for (const w of workers) w.addEventListener('message', count);
    try {
      // A worker takes part once it has booted and received the call's task: a few calls at most.
      for (let round = 0; round < 20 && byWorkers === 0; round++) {
        const r = nb.sqrt(a).toArray() as number[];
        for (let i = 0; i < n; i += 9973) expect(r[i]).toBe(Math.sqrt(xs[i]!));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      for (const w of workers) w.removeEventListener('message', count);
    }
    expect(byWorkers).toBeGreaterThan(0);
  });
});
