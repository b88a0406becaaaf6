/**
 * Slabs (src/runtime/slab.ts): arrays of up to 1 KiB are cells of 16 KiB heap blocks,
 * tracked per slab. Nothing reachable may be freed or overwritten, released cells give
 * their slab back, and neighbours in one slab never see each other's writes. Expected
 * values come from plain JS copies of what was written.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import type { HeapStorage } from '../../src/ndarray/storage.js';
import { collectGarbage } from '../../src/runtime/gc-hooks.js';
import { sweep } from '../../src/runtime/lifetime.js';
import { runtime } from '../../src/runtime/runtime.js';
import { SLAB_BYTES, SLAB_CELL_MAX_BYTES } from '../../src/runtime/slab.js';

const ptrOf = (a: nb.NDArray): number => (a.storage as HeapStorage).ptr;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Collect, run the registry's callbacks and sweep, twice (a slab is collected after its arrays). */
async function settle(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    await tick();
    collectGarbage();
    sweep();
    await tick();
  }
}

/** A float64 array of `n` elements with values start, start + 1, ... */
function filled(n: number, start: number): nb.NDArray<'float64'> {
  const a = nb.empty([n], 'float64');
  const d = a.data;
  for (let i = 0; i < n; i++) d[i] = start + i;
  return a;
}

/** A 1 KiB array that is the first cell of a slab made for it (the current slab is then that one). */
function firstOfFreshSlab(): nb.NDArray {
  const n = SLAB_CELL_MAX_BYTES / 8;
  let prev = nb.empty([n]);
  for (let k = 0; k <= SLAB_BYTES / SLAB_CELL_MAX_BYTES + 1; k++) {
    const next = nb.empty([n]);
    const fresh = ptrOf(next) !== ptrOf(prev) + SLAB_CELL_MAX_BYTES;
    prev.dispose();
    if (fresh) return next;
    prev = next;
  }
  throw new Error('no new slab was started');
}

describe('slabs of small arrays', () => {
  it('small arrays share a slab: consecutive cells, one heap block for many arrays', () => {
    const before = runtime().heap.stats().liveBlocks;
    const arrays = Array.from({ length: 64 }, (_, i) => filled(16, i * 100));
    const ptrs = arrays.map(ptrOf);
    const consecutive = ptrs.slice(1).filter((p, i) => p === ptrs[i]! + 128).length;
    expect(consecutive).toBeGreaterThanOrEqual(62); // 64 x 128 bytes span at most 2 slabs
    expect(runtime().heap.stats().liveBlocks - before).toBeLessThanOrEqual(2);
    // The public counters count arrays, not slabs.
    expect(nb.heapStats().liveBlocks).toBeGreaterThanOrEqual(64);
    arrays.forEach((a, i) => expect(a.toArray()).toEqual(Array.from({ length: 16 }, (_, j) => i * 100 + j)));
  });

  it('neighbours in one slab do not see each other: set, ufunc out=, fill through data', () => {
    const a = filled(3, 1);
    const b = filled(5, 10);
    const c = filled(2, 20);
    expect(ptrOf(b) - ptrOf(a)).toBe(32); // 24 bytes rounded up to 16
    expect(ptrOf(c) - ptrOf(b)).toBe(48);
    b.set(0, -1);
    b.set(4, -5);
    nb.add(b, b, { out: b });
    (c.data as Float64Array).fill(7);
    expect(a.toArray()).toEqual([1, 2, 3]);
    expect(b.toArray()).toEqual([-2, 22, 24, 26, -10]);
    expect(c.toArray()).toEqual([7, 7]);
    const r = nb.add(a, a); // a new output in the same slab
    expect(r.toArray()).toEqual([2, 4, 6]);
    expect(a.toArray()).toEqual([1, 2, 3]);
    expect(c.toArray()).toEqual([7, 7]);
  });

  it('dispose: idempotent, use-after-dispose throws, the neighbours keep their values', () => {
    const a = filled(4, 0);
    const b = filled(4, 10);
    const v = b.slice('1:3');
    b.dispose();
    b.dispose();
    const disposed = expect.objectContaining({ code: 'E_MEMORY_DISPOSED', name: 'MemoryError' });
    expect(() => b.get(0)).toThrowError(disposed);
    expect(() => v.toArray()).toThrowError(disposed);
    expect(() => b.data).toThrowError(disposed);
    expect(() => nb.add(b, 1)).toThrowError(disposed);
    expect(a.toArray()).toEqual([0, 1, 2, 3]);
  });

  it('a slab whose cells are all released is reused from its start, or freed when it is not current', () => {
    const first = firstOfFreshSlab();
    const p = ptrOf(first);
    first.dispose();
    const again = nb.empty([SLAB_CELL_MAX_BYTES / 8]);
    expect(ptrOf(again)).toBe(p); // the current slab, emptied, starts over
    // Disposing every array of slabs that are no longer current gives their blocks back.
    const heapBefore = runtime().heap.stats().liveBytes;
    const publicBefore = nb.heapStats().liveBytes;
    const many = Array.from({ length: 100 }, (_, i) => filled(SLAB_CELL_MAX_BYTES / 8, i)); // ~7 slabs
    expect(runtime().heap.stats().liveBytes).toBeGreaterThanOrEqual(heapBefore + 5 * SLAB_BYTES);
    expect(nb.heapStats().liveBytes).toBe(publicBefore + 100 * SLAB_CELL_MAX_BYTES);
    many.forEach((a) => a.dispose());
    again.dispose();
    expect(nb.heapStats().liveBytes).toBe(publicBefore - SLAB_CELL_MAX_BYTES);
    // Only the current slab, emptied, stays allocated.
    expect(runtime().heap.stats().liveBytes).toBeLessThanOrEqual(heapBefore);
  });

  it('zeros in a reused cell is all zeros, and its neighbours keep their values', () => {
    // Cells are zeroed on this thread (not by the prebuilt module): check it on dirty memory.
    for (const n of [1, 3, 16, SLAB_CELL_MAX_BYTES / 8]) {
      const first = firstOfFreshSlab();
      const p = ptrOf(first);
      first.dispose();
      const dirty = filled(SLAB_CELL_MAX_BYTES / 8, -1000);
      expect(ptrOf(dirty)).toBe(p);
      dirty.dispose();
      const z = nb.zeros([n]);
      expect(ptrOf(z)).toBe(p);
      const after = filled(2, 5); // the next cell
      expect(z.toArray()).toEqual(Array.from({ length: n }, () => 0));
      expect(after.toArray()).toEqual([5, 6]);
      z.dispose();
      after.dispose();
    }
  });

  it('a pinned cell (work in flight) keeps its memory after dispose until the last unpin', () => {
    const first = firstOfFreshSlab();
    const p = ptrOf(first);
    const s = first.storage as HeapStorage;
    s.pin();
    first.dispose();
    expect(first.disposed).toBe(true);
    const next = nb.empty([4]);
    expect(ptrOf(next)).not.toBe(p); // not reused while pinned
    next.dispose();
    s.unpin();
    expect(ptrOf(nb.empty([4]))).toBe(p); // now the slab is empty and starts over
  });

  it('nb.scope disposes small temporaries: a loop of scopes stays in one slab', () => {
    const heapBefore = runtime().heap.stats().liveBytes;
    let total = 0;
    for (let i = 0; i < 5000; i++) {
      total += nb.scope(() => Number(nb.add(filled(16, i), 1).get(15)));
    }
    expect(total).toBe(Array.from({ length: 5000 }, (_, i) => i + 16).reduce((x, y) => x + y, 0));
    expect(runtime().heap.stats().liveBytes).toBeLessThanOrEqual(heapBefore + SLAB_BYTES);
  });

  it('unreachable small arrays are reclaimed with their slabs', async () => {
    await settle();
    const before = runtime().heap.stats().liveBytes;
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += Number(nb.add(filled(16, i), 1).get(0));
    expect(sum).toBe(Array.from({ length: 20_000 }, (_, i) => i + 1).reduce((x, y) => x + y, 0));
    expect(runtime().heap.stats().liveBytes).toBeGreaterThan(before + 100 * SLAB_BYTES); // 40,000 arrays made
    await settle();
    expect(runtime().heap.stats().liveBytes).toBeLessThanOrEqual(before + SLAB_BYTES);
  });

  it('a kept TypedArray (a.data alone) keeps its slab: its values survive collections and new arrays', async () => {
    const data = (() => filled(16, 1000).data)();
    await settle();
    const others = Array.from({ length: 3000 }, (_, i) => filled(16, -i));
    expect(Array.from(data)).toEqual(Array.from({ length: 16 }, (_, j) => 1000 + j));
    expect(others[2999]!.get(0)).toBe(-2999);
  });

  it('property: small arrays alive across collections keep their values while others come and go', async () => {
    const dtypes = ['float64', 'float32', 'int32', 'uint8', 'int16', 'bool'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ dtype: fc.constantFrom(...dtypes), n: fc.integer({ min: 0, max: 130 }), keep: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 3 }),
        async (specs, rounds) => {
          const kept: Array<{ a: nb.NDArray; want: number[] }> = [];
          let seed = 1;
          for (const { dtype, n, keep } of specs) {
            const values = Array.from({ length: n }, () => (seed = (seed * 48271) % 2147483647) % (dtype === 'bool' ? 2 : 100));
            const a = dtype === 'bool' ? nb.array(values.map((v) => v === 1), 'bool') : nb.array(values, dtype);
            const want = dtype === 'bool' ? values.map((v) => v === 1) : values;
            if (keep) kept.push({ a, want: want as number[] });
            else if (seed % 3 === 0) a.dispose(); // dropped: disposed, or left to the collector
          }
          for (let r = 0; r < rounds; r++) {
            await settle();
            for (let k = 0; k < 50; k++) filled(16, 7).dispose();
            for (let k = 0; k < 50; k++) filled(16, 9);
          }
          for (const { a, want } of kept) expect(a.toArray()).toEqual(want);
        },
      ),
      { numRuns: 25 },
    );
  });
});
