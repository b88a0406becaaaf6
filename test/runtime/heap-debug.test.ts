/**
 * The allocator's debug mode (heap.ts: NUMBATS_DEBUG_HEAP / setHeapDebug) and checkHeap
 * (lifetime.ts): they must catch what they claim to catch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { Heap, heapDebug, POISON_BYTE, setHeapDebug } from '../../src/runtime/heap.js';
import { checkHeap, disposeBlock, trackBlock } from '../../src/runtime/lifetime.js';
import { runtime } from '../../src/runtime/runtime.js';
import { heapBytes } from '../../src/runtime/wasm-memory.js';

const MiB = 2 ** 20;
const saved = heapDebug();
afterEach(() => {
  setHeapDebug(saved);
});

/** A private heap over the shared memory, far above what the runtime handed out. */
function privateHeap(): Heap {
  return new Heap(runtime().heap.stats().top + 32 * MiB);
}

describe('heap debug mode', () => {
  it('is off unless NUMBATS_DEBUG_HEAP or setHeapDebug turns it on', () => {
    expect(heapDebug().enabled).toBe(process.env.NUMBATS_DEBUG_HEAP !== undefined && process.env.NUMBATS_DEBUG_HEAP !== '0');
    setHeapDebug(true);
    expect(heapDebug()).toEqual({ enabled: true, checkEvery: expect.any(Number) });
    setHeapDebug(false);
    expect(heapDebug().enabled).toBe(false);
  });

  it('poisons freed blocks, so a dangling view reads garbage rather than plausible old data', () => {
    setHeapDebug({ enabled: true, checkEvery: 0 });
    const heap = privateHeap();
    const p = heap.alloc(64);
    heapBytes().fill(7, p, p + 64);
    heap.free(p);
    expect([...heapBytes().subarray(p, p + 64)].every((b) => b === POISON_BYTE)).toBe(true);
    // large blocks: both ends
    const q = heap.alloc(3 * MiB);
    heapBytes().fill(7, q, q + 3 * MiB);
    heap.free(q);
    expect(heapBytes()[q]).toBe(POISON_BYTE);
    expect(heapBytes()[q + 3 * MiB - 1]).toBe(POISON_BYTE);
  });

  it('runs the full invariant check every checkEvery operations (or every as many as there are blocks)', () => {
    setHeapDebug({ enabled: true, checkEvery: 10 });
    const heap = privateHeap();
    for (let i = 0; i < 100; i++) heap.free(heap.alloc(16 * (i + 1))); // one block at a time
    expect(heap.invariantChecks).toBe(20);
    const few = privateHeap();
    const ptrs = Array.from({ length: 200 }, (_, i) => few.alloc(16 * (i + 1)));
    for (const p of ptrs) few.free(p);
    // 400 operations: 40 checks at a fixed spacing of 10; spaced by the block count (up to
    // 200 here) once it passes 10, about 7
    expect(few.invariantChecks).toBeGreaterThanOrEqual(4);
    expect(few.invariantChecks).toBeLessThanOrEqual(10);
  });

  it('checkInvariants finds corrupted metadata: overlap, free-list disorder, counters', () => {
    const corrupt = (f: (h: Record<string, any>) => void, msg: RegExp) => {
      const heap = privateHeap();
      const a = heap.alloc(256);
      heap.alloc(256);
      const c = heap.alloc(512);
      heap.alloc(64);
      heap.free(c);
      heap.checkInvariants();
      f(heap as unknown as Record<string, any>);
      expect(() => heap.checkInvariants()).toThrow(msg);
      return a;
    };
    corrupt((h) => h.live.set(h.base + 128, 256), /overlaps/); // a live block inside another
    corrupt((h) => h.lists[3].push(h.lists.flat()[0]), /listed twice|disagree|is in list 3/);
    corrupt((h) => { const p = h.lists.find((l: number[]) => l.length)!.pop(); h.lists[0].push(p); }, /is in list 0/);
    corrupt((h) => { h.liveBytes += 16; }, /counters/);
    corrupt((h) => h.freeSize.set(h.base, 256), /overlaps|both live and free|disagree/);
  });

  it('checkHeap accounts for every block, and finds an array block freed behind its array', () => {
    setHeapDebug({ enabled: true, checkEvery: 0 });
    const { heap } = runtime();
    const before = checkHeap(heap);
    const a = nb.zeros([100_000]); // tracked for the sweep (large): its view is checked too
    const b = nb.zeros([256]); // 2 KiB: a block of its own (arrays up to 1 KiB share slabs)
    const acc = checkHeap(heap);
    expect(acc.arrayBlocks).toBe(before.arrayBlocks + 2);
    expect(acc.otherBytes).toBe(before.otherBytes);
    expect(acc.viewsChecked).toBeGreaterThanOrEqual(1);
    a.dispose();
    b.dispose();
    expect(checkHeap(heap).arrayBlocks).toBe(before.arrayBlocks);
    // A use-after-free in the making, on a private heap: the block goes back to the heap
    // while its array still holds it.
    const ph = privateHeap();
    const p = ph.alloc(64);
    const owner = new Uint8Array(64);
    const block = trackBlock(ph, p, 64, owner);
    expect(checkHeap(ph).arrayBlocks).toBe(1);
    ph.free(p);
    expect(() => checkHeap(ph)).toThrow(/not live/);
    expect(ph.alloc(64)).toBe(p); // (repair: the same block again, then release it properly)
    disposeBlock(block);
    expect(checkHeap(ph).arrayBlocks).toBe(0);
  });

  it('arrays made before the memory grows stay valid views afterwards', () => {
    setHeapDebug({ enabled: true, checkEvery: 0 });
    const { heap } = runtime();
    const old = nb.arange(5000, undefined, undefined, 'float64');
    const grows = heap.stats().grows;
    const room = heap.stats().heapBytes - heap.stats().top;
    const big = nb.empty([room + 4 * MiB], 'uint8');
    expect(heap.stats().grows).toBeGreaterThan(grows);
    expect(checkHeap(heap).viewsChecked).toBeGreaterThanOrEqual(2);
    expect(old.get(4999)).toBe(4999);
    expect(nb.add.reduce(old, { axis: 0 }).item()).toBe((4999 * 5000) / 2); // read by Wasm through the new memory
    big.set(room + 4 * MiB - 1, 9);
    expect(nb.add.reduce(big.slice(`${room}:`).astype('float64'), { axis: 0 }).item()).toBe(9 + 0 * 0 + sumUnknown(big, room));
    big.dispose();
  });
});

/** The elements of `big` from `from` on, except the last, as empty() left them (any values). */
function sumUnknown(big: nb.NDArray, from: number): number {
  let s = 0;
  const d = big.data as Uint8Array;
  for (let i = big.offset + from; i < big.offset + big.size - 1; i++) s += d[i]!;
  return s;
}
