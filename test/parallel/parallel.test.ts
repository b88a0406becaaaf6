/**
 * The parallel target (issue 5): bit-exact agreement with the cpu target on random
 * shapes, strides and broadcasts; callAsync keeps the event loop free; many concurrent
 * calls in bounded memory; a killed worker and a trapping kernel give typed errors and the
 * next call works with the heap intact.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { poolStarted, poolWorkers } from '../../src/parallel/pool.js';
import { runtime } from '../../src/runtime/runtime.js';

// These tests check the worker pool, which runs the Wasm tier: kernels made here wait for
// their Wasm (test/vectorize/tiers.test.ts checks a parallel kernel's JS tier before it).
nb.config({ tier: 'wasm' });

const code = (c: string) => expect.objectContaining({ code: c });
const FORCE = { threads: 2, minElements: 0, blockMs: 1e-6 };
const DEFAULTS = nb.config().parallel;

/** A random view: slices with steps (and reversal), maybe transposed. */
function view(base: nb.NDArray, steps: number[], flip: boolean[], transpose: boolean): nb.NDArray {
  let v = base.slice(...steps.map((s, i) => (flip[i] ? `::-${s}` : `::${s}`)));
  if (transpose) v = v.T;
  return v;
}

const bits = (a: nb.NDArray) => {
  const c = a.copy();
  return Array.from(c.dtype === 'float64' ? new Uint32Array(c.data.buffer, c.data.byteOffset, c.size * 2) : (c.data as Int32Array));
};

beforeAll(() => {
  nb.config({ parallel: FORCE });
});
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

describe('results identical to the cpu target', () => {
  const kcpu = nb.vectorize(['i4(i4, i4)', 'f8(f8, f8)'])((x: number, y: number) => x * y + Math.sin(x) - y / 3);
  const kpar = nb.vectorize(['i4(i4, i4)', 'f8(f8, f8)'], { target: 'parallel' })((x: number, y: number) => x * y + Math.sin(x) - y / 3);
  const shapeArb = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });

  it('vectorize: random shapes, strides and broadcasts (float64 and int32)', () => {
    fc.assert(
      fc.property(
        shapeArb, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.constantFrom('float64', 'int32'), fc.boolean(),
        (shape, steps, flip, transpose, bdim, dtype, useOut) => {
          const nd = shape.length;
          const big = shape.map((d, i) => d * steps[i]!);
          const size = big.reduce((a, b) => a * b, 1);
          const A = nb.arange(size, undefined, undefined, dtype).reshape(big);
          const x = view(nb.subtract(A, Math.floor(size / 2), { dtype }) as nb.NDArray, steps.slice(0, nd), flip.slice(0, nd), transpose);
          // y broadcasts against x: one dim of x's shape set to 1.
          const yshape = [...x.shape];
          yshape[bdim % nd] = 1;
          const y = nb.arange(yshape.reduce((a, b) => a * b, 1), undefined, undefined, dtype).reshape(yshape);
          const want = kcpu(x, y) as nb.NDArray;
          const got = useOut ? (kpar(x, y, { out: nb.zeros(x.shape, dtype) }) as nb.NDArray) : (kpar(x, y) as nb.NDArray);
          expect(got.shape).toEqual(want.shape);
          expect(bits(got)).toEqual(bits(want));
          expect(kpar(x, 2.5 as never) instanceof nb.NDArray).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('large contiguous calls (the 1-d fast path), with a scalar operand', () => {
    const x = nb.linspace(-3, 3, 300001);
    expect(bits(kpar(x, x) as nb.NDArray)).toEqual(bits(kcpu(x, x) as nb.NDArray));
    expect(bits(kpar(x, 0.25) as nb.NDArray)).toEqual(bits(kcpu(x, 0.25) as nb.NDArray));
    expect(bits(kpar(0.25, x) as nb.NDArray)).toEqual(bits(kcpu(0.25, x) as nb.NDArray));
  });

  it('guvectorize: rowdot over random batch shapes', () => {
    const body = (a: Float64Array, b: Float64Array, r: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      r[0] = s;
    };
    const gcpu = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')(body);
    const gpar = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()', { target: 'parallel' })(body);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 7 }), (batch, n) => {
        const size = batch.reduce((a, b) => a * b, 1) * n;
        const a = nb.linspace(-1, 1, size).reshape([...batch, n]);
        const b = nb.linspace(2, 0, n);
        expect(bits(gpar(a, b) as nb.NDArray)).toEqual(bits(gcpu(a, b) as nb.NDArray));
      }),
      { numRuns: 25 },
    );
  });

  it('built-in ufuncs and reductions with nb.config({ parallel: true })', () => {
    const x = nb.linspace(-5, 5, 400000).reshape([400, 1000]);
    const xi = nb.arange(400000, undefined, undefined, 'int64').reshape([400, 1000]);
    const cpu = (f: () => nb.NDArray) => {
      nb.config({ parallel: { builtins: false } });
      try {
        return f();
      } finally {
        nb.config({ parallel: { builtins: true } });
      }
    };
    nb.config({ parallel: { builtins: true } });
    try {
      for (const f of [
        () => nb.add(x, x.T.T),
        () => nb.multiply(x.slice('::-1', '::3'), 3),
        () => nb.sin(x.T),
        () => nb.add.reduce(x, { axis: 0 }),
        () => nb.add.reduce(x, { axis: 1 }),
        () => nb.maximum.reduce(x, { axis: 1 }),
        () => nb.add.reduce(xi, { axis: null }),
        () => nb.multiply.reduce(nb.remainder(xi, 3), { axis: 0 }),
      ]) {
        const got = f();
        const want = cpu(f);
        expect(got.toArray()).toEqual(want.toArray());
      }
      // One-element float reductions go through partials in a fixed order: deterministic.
      const big = nb.linspace(0, 1, 1 << 20);
      const s1 = nb.add.reduce(big, { axis: null }).item() as number;
      const s2 = nb.add.reduce(big, { axis: null }).item() as number;
      expect(s1).toBe(s2);
      expect(Math.abs(s1 - (cpu(() => nb.add.reduce(big, { axis: null })).item() as number))).toBeLessThan(1e-6);
    } finally {
      nb.config({ parallel: { builtins: false } });
    }
  });
});

describe('callAsync', () => {
  const heavy = nb.vectorize('f8(f8)', { target: 'parallel' })((x: number) => {
    let s = 0;
    for (let i = 0; i < 40; i++) s += Math.exp(-x * x * i) * Math.cos(x + i);
    return s;
  });
  const heavyCpu = nb.vectorize('f8(f8)')((x: number) => {
    let s = 0;
    for (let i = 0; i < 40; i++) s += Math.exp(-x * x * i) * Math.cos(x + i);
    return s;
  });

  it('a timer keeps firing during a long callAsync', async () => {
    const x = nb.linspace(0, 1, 1e6);
    heavy(x.slice('0:100000')); // warm the pool and the kernel
    let ticks = 0;
    const iv = setInterval(() => ticks++, 2);
    const t0 = performance.now();
    const r = (await heavy.callAsync(x)) as nb.NDArray;
    const ms = performance.now() - t0;
    clearInterval(iv);
    expect(ms).toBeGreaterThan(30);
    // The event loop ran throughout: about one tick per 2 ms (timers are coarse on a busy machine).
    expect(ticks).toBeGreaterThan(Math.min(5, ms / 20));
    expect(bits(r)).toEqual(bits(heavyCpu(x) as nb.NDArray));
  });

  it('many concurrent callAsync calls are all correct, in bounded memory', async () => {
    const f = nb.vectorize('f8(f8, f8)', { target: 'parallel' })((x: number, y: number) => Math.sqrt(x * x + y));
    const inputs = Array.from({ length: 40 }, (_, i) => nb.linspace(i, i + 1, 20000));
    const before = nb.heapStats();
    for (let round = 0; round < 3; round++) {
      const results = (await Promise.all(inputs.map((x, i) => f.callAsync(x, i)))) as nb.NDArray[];
      results.forEach((r, i) => {
        expect(r.get(0)).toBe(Math.sqrt(i * i + i));
        expect(r.get(19999)).toBe(Math.sqrt((i + 1) * (i + 1) + i));
        r.dispose();
      });
      // with out= and an operand that is cast first (then the call runs synchronously)
      const outs = inputs.map(() => nb.empty([20000]));
      const casts = inputs.map((x) => x.astype('float32'));
      await Promise.all(inputs.map((x, i) => f.callAsync(x, casts[i]!, { out: outs[i]! })));
      outs.forEach((o, i) => {
        const want = f(inputs[i]!, casts[i]!) as nb.NDArray;
        expect(o.get(7)).toBe(want.get(7));
        want.dispose();
      });
      for (const a of [...outs, ...casts]) a.dispose();
    }
    const after = nb.heapStats();
    expect(after.liveBytes - before.liveBytes).toBeLessThan(4 << 20);
    runtime().heap.checkInvariants();
  });
});

describe('faults', () => {
  const body = (a: Float64Array, out: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]!;
    if (s < 0) s = a[400000000]!; // out of bounds: traps
    out[0] = s;
  };
  // Unchecked: with the default bounds checks the read is IndexError E_KERNEL_BOUNDS (below).
  const rowsum = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target: 'parallel', boundscheck: false })(body);

  it('a kernel that traps: TargetError E_TARGET_KERNEL_TRAP, then a correct next call', async () => {
    const good = nb.ones([5000, 8]);
    const bad = nb.ones([5000, 8]);
    bad.set(4321, 3, -100);
    expect(() => rowsum(bad)).toThrowError(code('E_TARGET_KERNEL_TRAP'));
    expect((rowsum(good) as nb.NDArray).get(4999)).toBe(8);
    await expect(rowsum.callAsync(bad)).rejects.toThrowError(code('E_TARGET_KERNEL_TRAP'));
    const ok = (await rowsum.callAsync(good)) as nb.NDArray;
    expect(ok.get(0)).toBe(8);
    runtime().heap.checkInvariants();
  });

  it('a worker killed mid-call: TargetError E_TARGET_WORKER_DIED, the pool replaces it, the next call works', async () => {
    const slow = nb.vectorize('f8(f8)', { target: 'parallel' })((x: number) => {
      let s = 0;
      for (let i = 0; i < 200; i++) s += Math.cos(x + i);
      return s;
    });
    const x = nb.linspace(0, 1, 1e6);
    slow(x.slice('0:1000')); // start the pool
    const p = slow.callAsync(x);
    const workers = poolWorkers();
    expect(workers.length).toBe(2);
    await new Promise((r) => setTimeout(r, 5));
    await workers[0]!.terminate();
    await expect(p).rejects.toThrowError(code('E_TARGET_WORKER_DIED'));
    const small = nb.linspace(0, 1, 50000);
    const want = nb.vectorize('f8(f8)')((v: number) => {
      let s = 0;
      for (let i = 0; i < 200; i++) s += Math.cos(v + i);
      return s;
    })(small) as nb.NDArray;
    expect(bits((await slow.callAsync(small)) as nb.NDArray)).toEqual(bits(want));
    expect(bits(slow(small) as nb.NDArray)).toEqual(bits(want));
    expect(poolWorkers().length).toBe(2);
    runtime().heap.checkInvariants();
  });
});

describe('lifecycle and settings', () => {
  it('small calls stay on the calling thread; shutdown ends the pool and it restarts lazily', async () => {
    await nb.shutdown();
    expect(poolStarted()).toBe(false);
    nb.config({ parallel: { ...FORCE, minElements: 32768 } });
    const add = nb.vectorize('f8(f8, f8)', { target: 'parallel' })((a: number, b: number) => a + b);
    const r = add(nb.ones([1000]), nb.ones([1000])) as nb.NDArray;
    expect(r.get(999)).toBe(2);
    expect(poolStarted()).toBe(false);
    nb.config({ parallel: FORCE });
    expect((add(nb.ones([100000]), 1) as nb.NDArray).get(99999)).toBe(2);
    expect(poolStarted()).toBe(true);
    await nb.shutdown();
    expect((add(nb.ones([100000]), 2) as nb.NDArray).get(5)).toBe(3);
  });

  it('nb.config validates its options (E_VALUE_CONFIG)', () => {
    expect(() => nb.config({ parallel: { threads: 0 } })).toThrowError(code('E_VALUE_CONFIG'));
    expect(() => nb.config({ parallel: { nope: 1 } as never })).toThrowError(code('E_VALUE_CONFIG'));
    expect(() => nb.config({ other: 1 } as never)).toThrowError(code('E_VALUE_CONFIG'));
    expect(nb.config().parallel.threads).toBe(2);
  });

  it('a script exits by itself after parallel work (the pool never keeps it alive)', async () => {
    const { spawnSync } = await import('node:child_process');
    const src = [
      "import * as nb from './src/index.ts';",
      "nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });",
      "const f = nb.vectorize('f8(f8)', { target: 'parallel' })((x) => Math.sin(x));",
      'const r = f(nb.linspace(0, 1, 200000));',
      'await f.callAsync(nb.linspace(0, 1, 200000));',
      'console.log(r.get(199999));',
    ].join('\n');
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', src], { cwd: process.cwd(), encoding: 'utf8', timeout: 60000 });
    expect(res.stderr).toBe('');
    expect(Number(res.stdout.trim())).toBeCloseTo(Math.sin(1), 12);
    expect(res.status).toBe(0);
  }, 70000);
});
