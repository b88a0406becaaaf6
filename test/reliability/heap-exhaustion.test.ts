/**
 * Issue 8, faults: heap exhaustion. wasm32 caps the heap at 4 GiB; running out is a
 * MemoryError `E_MEMORY_LIMIT`, and afterwards the heap is consistent and usable: nothing
 * half-allocated, no staging block left behind, the next allocation works once memory is
 * released. (Its own file, so its own process: the heap grows to 4 GiB here. The big
 * arrays are `empty`, so their pages are reserved but never touched.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { setHeapDebug, type HeapDebugOptions } from '../../src/runtime/heap.js';
import { checkHeap } from '../../src/runtime/lifetime.js';
import { runtime } from '../../src/runtime/runtime.js';

const GiB = 2 ** 30;
const limit = expect.objectContaining({ name: 'MemoryError', code: 'E_MEMORY_LIMIT' });
let before: HeapDebugOptions;
beforeAll(() => {
  before = setHeapDebug({ enabled: true, checkEvery: 1000 });
});
afterAll(() => {
  setHeapDebug(before);
});

describe('heap exhaustion', () => {
  it('a request no wasm32 heap can hold fails at once, without a forced collection', () => {
    const { heap } = runtime();
    const events = heap.stats().pressureEvents;
    expect(() => nb.empty([2 ** 31], 'float64')).toThrowError(limit);
    expect(() => nb.zeros([2 ** 20, 2 ** 20], 'uint8')).toThrowError(limit);
    expect(() => heap.alloc(Number.NaN)).toThrowError(limit);
    expect(() => heap.alloc(-16)).toThrowError(limit);
    expect(heap.stats().pressureEvents).toBe(events); // (before: each ran the pressure handler, a full GC past 256 MiB)
    checkHeap(heap);
  });

  it('filling the heap to 4 GiB: E_MEMORY_LIMIT, then consistent and usable after release', () => {
    const { heap } = runtime();
    const base = checkHeap(heap);
    const held: nb.NDArray[] = [];
    // ~3.75 GiB in 0.75 GiB arrays, then one more cannot fit.
    for (let i = 0; i < 5; i++) held.push(nb.empty([0.75 * GiB], 'uint8'));
    expect(heap.stats().heapBytes).toBeGreaterThan(3.5 * GiB);
    expect(() => nb.empty([0.75 * GiB], 'uint8')).toThrowError(limit);
    expect(() => nb.empty([0.75 * GiB], 'uint8')).toThrowError(/4 GiB/);
    // A ufunc whose result cannot be allocated: typed error, no staging block left behind.
    const left = 4 * GiB - heap.stats().top;
    const a = nb.empty([Math.floor((left * 0.6) / 8)], 'float64'); // fits once, not twice
    expect(() => nb.add(a, 1)).toThrowError(limit);
    expect(() => a.astype('float64')).toThrowError(limit);
    expect(checkHeap(heap).otherBytes).toBe(base.otherBytes);
    // A scope that runs out disposes what it made.
    let made: nb.NDArray | undefined;
    expect(() => nb.scope(() => {
      made = nb.zeros([1000]);
      return nb.empty([0.75 * GiB], 'uint8');
    })).toThrowError(limit);
    expect(made!.disposed).toBe(true);
    // Small allocations still work in what is left.
    const small = nb.arange(1000, undefined, undefined, 'float64');
    expect(nb.add.reduce(small, { axis: 0 }).item()).toBe(499_500);
    // Release: the same request now succeeds, and the data are right.
    a.dispose();
    for (const h of held.splice(0)) h.dispose();
    const big = nb.empty([0.75 * GiB], 'uint8');
    big.set(0.75 * GiB - 1, 200);
    expect(big.get(0.75 * GiB - 1)).toBe(200);
    big.dispose();
    const acc = checkHeap(heap);
    expect(acc.otherBytes).toBe(base.otherBytes);
    // what is left: `small` and a few small unreachable temporaries not yet collected
    expect(acc.arrayBytes - base.arrayBytes).toBeGreaterThanOrEqual(heap.sizeOf(small.heapBlock!.ptr)!);
    expect(acc.arrayBytes - base.arrayBytes).toBeLessThan(64 * 1024);
  });
});
