/**
 * Issue 19 ("Nothing corrupted, nothing lost"), items 1, 2, 9 and 13: one reproducer per
 * item, each failing before its fix.
 *  1. an array used by a call in flight (parallel callAsync, gpu upload/readback) stays
 *     alive until the call ends: `dispose()` meanwhile is deferred (the array is disposed
 *     for its user at once; its heap block is freed when the call settles);
 *  2. a gpu read or upload observes the array as it is when it is called;
 *  9. reconfiguring or shutting down the pool lets calls in flight finish;
 * 13. `nb.scope(async () => ...)` throws at once (MemoryError `E_MEMORY_SCOPE_ASYNC`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { collectGarbage } from '../../src/runtime/gc-hooks.js';
import { sweep } from '../../src/runtime/lifetime.js';
import { runtime } from '../../src/runtime/runtime.js';
import type { HeapStorage } from '../../src/ndarray/storage.js';
import { hasGpu } from '../gpu/harness.js';

const N = 100_000;
const code = (c: string) => expect.objectContaining({ code: c });

/** Heavy enough per element that a call over N elements always goes to the pool. */
const heavyKernel = (x: number) => {
  let s = 0;
  for (let i = 0; i < 8; i++) s += Math.exp(-x * x * i) * Math.cos(x + i);
  return s;
};
const heavy = nb.vectorize('f8(f8)', { target: 'parallel', tier: 'wasm' })(heavyKernel);
const heavyCpu = nb.vectorize('f8(f8)', { tier: 'wasm' })(heavyKernel); // the same bits as the pool's (Wasm) results

const bits = (a: nb.NDArray) => Array.from(new Uint8Array((a.data as Float64Array).slice(a.offset, a.offset + a.size).buffer));
const countNonZero = (a: nb.NDArray) => (a.data as Float64Array).reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);

/** True while `p` has not settled (checked after the current microtasks). */
async function stillPending(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  await Promise.resolve();
  await Promise.resolve();
  return !settled;
}

describe('issue 19: lifetimes of arrays used by calls in flight', () => {
  beforeAll(() => {
    nb.config({ parallel: { threads: 2 } });
    heavy(nb.linspace(0, 1, N)); // start the pool, measure the kernel (so N goes parallel)
  });
  afterAll(async () => {
    await nb.shutdown();
  });

  it('item 1: out disposed during a parallel callAsync: a new array never gets its block', async () => {
    const x = nb.linspace(0, 1, N);
    const out = nb.empty([N]);
    const p = heavy.callAsync(x, { out });
    out.dispose();
    const v = nb.zeros([N]);
    expect(await stillPending(p)).toBe(true); // the workers were still writing
    expect(out.storage.disposed).toBe(true); // disposed for its user at once
    expect(() => out.get(0)).toThrowError(code('E_MEMORY_DISPOSED'));
    await p;
    expect(countNonZero(v)).toBe(0);
    runtime().heap.checkInvariants();
  });

  it('item 1: input disposed during a parallel callAsync: the result is still right', async () => {
    const x = nb.linspace(0.25, 3, N);
    const want = heavyCpu(x) as nb.NDArray;
    const p = heavy.callAsync(x);
    x.dispose();
    const w = nb.full([N], 100.5); // would take x's block
    const r = (await p) as nb.NDArray;
    expect(bits(r)).toEqual(bits(want));
    expect(w.get(N - 1)).toBe(100.5);
    runtime().heap.checkInvariants();
  });

  it('item 1: the block of an array disposed in flight is freed when the call settles', async () => {
    const { heap } = runtime();
    const x = nb.linspace(0, 1, N);
    const ptr = (x.storage as HeapStorage).ptr;
    const p = heavy.callAsync(x);
    x.dispose();
    expect(heap.sizeOf(ptr)).toBeGreaterThanOrEqual(N * 8); // kept for the workers
    (await p as nb.NDArray).dispose();
    expect(heap.sizeOf(ptr)).toBeUndefined(); // and freed once they are done
  });

  it('item 1: an out only reachable from the pending promise is not collected under it', async () => {
    let out: nb.NDArray | undefined = nb.empty([N]);
    const p = heavy.callAsync(nb.linspace(0, 1, N), { out }).then(() => 'done');
    out = undefined;
    collectGarbage();
    sweep(); // what heap pressure does before growing: frees blocks whose owner is gone
    const v = nb.zeros([N]);
    expect(await p).toBe('done');
    expect(countNonZero(v)).toBe(0);
    runtime().heap.checkInvariants();
  });

  it('item 1: callAsync on the cpu target uses its arguments as they are at the call', async () => {
    const f = nb.vectorize('f8(f8)')((x: number) => x * 2);
    const x = nb.full([8], 1.5);
    const out = nb.empty([8]);
    const p = f.callAsync(x, { out });
    x.dispose();
    await expect(p).resolves.toBe(out);
    expect(out.get(7)).toBe(3);
  });

  it('item 9: nb.config({ parallel: { threads: 1 } }) during a callAsync lets it finish', async () => {
    const x = nb.linspace(0, 2, 2 * N);
    const want = heavyCpu(x) as nb.NDArray;
    const p = heavy.callAsync(x);
    nb.config({ parallel: { threads: 1 } });
    try {
      expect(bits((await p) as nb.NDArray)).toEqual(bits(want));
    } finally {
      nb.config({ parallel: { threads: 2 } });
    }
    heavy(x.slice(`0:${N}`)); // the new pool works
  });

  it('item 9: nb.shutdown() during a callAsync lets it finish, then ends the pool', async () => {
    const x = nb.linspace(0, 2, 2 * N);
    const want = heavyCpu(x) as nb.NDArray;
    const p = heavy.callAsync(x);
    const down = nb.shutdown();
    expect(bits((await p) as nb.NDArray)).toEqual(bits(want));
    await down;
    expect(bits((await heavy.callAsync(x)) as nb.NDArray)).toEqual(bits(want)); // a new pool starts
  });

  it('item 13: nb.scope(async () => ...) throws at once, pointing to using / dispose', async () => {
    let made: nb.NDArray | undefined;
    const run = () => nb.scope(async () => {
      made = nb.ones([3]);
      await null;
      return made;
    });
    expect(run).toThrowError(code('E_MEMORY_SCOPE_ASYNC'));
    expect(run).toThrowError(/using|dispose/);
    expect(() => nb.scope(() => Promise.resolve(1))).toThrowError(code('E_MEMORY_SCOPE_ASYNC'));
    await null;
    expect(made!.toArray()).toEqual([1, 1, 1]); // what the async code made is not disposed under it
  });
});

describe('issue 19: gpu calls in program order', () => {
  it.skipIf(!hasGpu)('item 2: toCpu reads the array as it is at the call, not after later kernels (needs a GPU)', async () => {
    const g = await nb.toGpu(nb.zeros([4], 'float32'));
    nb.add(g, 1, { out: g });
    const p = g.toCpu();
    nb.add(g, 100, { out: g });
    expect((await p).get(0)).toBe(1);
    expect((await g.toCpu()).get(0)).toBe(101);
  });

  it.skipIf(!hasGpu)('item 2: toGpu and gpu kernel calls upload the array as it is at the call (needs a GPU)', async () => {
    const x = nb.zeros([4], 'float32');
    const q = nb.toGpu(x);
    x.set(0, 42);
    const q2 = x.toGpu();
    const f = nb.vectorize(['float32(float32)'], { target: 'gpu' })((v: number) => v + 1);
    const r = f(x);
    x.dispose();
    expect((await (await q).toCpu()).toArray()).toEqual([0, 0, 0, 0]);
    expect((await (await q2).toCpu()).toArray()).toEqual([42, 0, 0, 0]);
    expect((await r).toArray()).toEqual([43, 1, 1, 1]);
  });

  it.skipIf(!hasGpu)('item 2: the first gpu use (device still opening) uploads the arrays as they are at the call (needs a GPU)', async () => {
    await nb.gpuShutdown();
    const x = nb.zeros([4], 'float32');
    const q = nb.toGpu(x);
    x.set(0, 42);
    expect((await (await q).toCpu()).get(0)).toBe(0);
    await nb.gpuShutdown();
    const f = nb.vectorize(['float32(float32)'], { target: 'gpu' })((v: number) => v + 1);
    const y = nb.zeros([4], 'float32');
    const r = f(y);
    y.set(0, 42);
    y.dispose();
    expect((await r).toArray()).toEqual([1, 1, 1, 1]);
  });

  it.skipIf(!hasGpu)('item 1: a gpu call\'s CPU out disposed while it runs: the call resolves, nothing is written (needs a GPU)', async () => {
    const f = nb.vectorize(['float32(float32)'], { target: 'gpu' })((v: number) => v * 2);
    const x = nb.ones([1000], 'float32');
    const out = nb.empty([1000], 'float32');
    const p = f(x, { out });
    out.dispose();
    const v = nb.zeros([1000], 'float32');
    await expect(p).resolves.toBe(out);
    expect(Array.from(v.data as Float32Array).every((e) => e === 0)).toBe(true);
  });

  it.skipIf(!hasGpu)('item 1: a pinned array disposed during its upload: toGpu resolves with its elements (needs a GPU)', async () => {
    const pin = await nb.emptyPinned([16], 'float32');
    (pin.data as Float32Array).fill(2.5);
    const q = nb.toGpu(pin);
    pin.dispose();
    expect((await (await q).toCpu()).get(15)).toBe(2.5);
  });
});
