import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { Heap } from '../../src/runtime/heap.js';
import { runtime } from '../../src/runtime/runtime.js';
import { growHeap } from '../../src/runtime/wasm-memory.js';

const MiB = 2 ** 20;

describe('automatic release', () => {
  it('creates and drops 100,000 arrays of 1 MB without dispose; the heap stays under 512 MiB', () => {
    const bound = 512 * MiB; // GC_GROWTH_CAP_BYTES: garbage may pile up to this before a forced collection
    let checksum = 0;
    for (let i = 0; i < 100_000; i++) {
      const a = nb.zeros([131_072]); // 1 MiB of float64
      a.set(i % 131_072, i);
      checksum += a.get(i % 131_072) as number;
    }
    const stats = nb.heapStats();
    console.log(
      `100,000 x 1 MiB: heap ${(stats.heapBytes / MiB).toFixed(0)} MiB, ` +
        `${stats.pressureEvents} pressure events, ${stats.forcedCollections} forced collections`,
    );
    expect(checksum).toBe((99_999 * 100_000) / 2);
    expect(stats.heapBytes).toBeLessThanOrEqual(bound);
    runtime().heap.checkInvariants();
  }, 240_000); // 100 GiB of zero-filling: ~15 s alone, minutes on a loaded machine (no time is asserted)

  it('a synchronous loop of 400,000 small (1 KiB) arrays stays under 512 MiB too', () => {
    // Small arrays skip the WeakRef for the first 32 MiB of each synchronous stretch
    // (lifetime.ts); past that they are swept like large ones, so the loop stays bounded.
    let checksum = 0;
    for (let i = 0; i < 400_000; i++) {
      const a = nb.empty([128]);
      a.set(0, i);
      checksum += a.get(0) as number;
    }
    expect(checksum).toBe((399_999 * 400_000) / 2);
    expect(nb.heapStats().heapBytes).toBeLessThanOrEqual(512 * MiB);
    runtime().heap.checkInvariants();
  });

  it('keeps arrays that are still referenced intact through collections', () => {
    const keep = Array.from({ length: 50 }, (_, i) => nb.full([100_000], i, 'float64'));
    for (let i = 0; i < 3000; i++) nb.zeros([131_072]); // force pressure and sweeps
    keep.forEach((a, i) => {
      expect(a.get(0)).toBe(i);
      expect(a.get(99_999)).toBe(i);
    });
    runtime().heap.checkInvariants();
  });

  it('keeps a block alive while its TypedArray (a.data) is held', () => {
    let data: Float64Array | undefined = nb.full([200_000], 3.5, 'float64').data;
    for (let i = 0; i < 2000; i++) nb.zeros([131_072]);
    expect(data[199_999]).toBe(3.5);
    data = undefined;
  });
});

describe('dispose, Symbol.dispose and scope', () => {
  it('reading a disposed array, or any view of it, throws MemoryError', () => {
    const a = nb.arange(10, undefined, undefined, 'float64');
    const v = a.slice('::2');
    a.dispose();
    expect(a.disposed).toBe(true);
    const disposed = expect.objectContaining({ code: 'E_MEMORY_DISPOSED', name: 'MemoryError' });
    expect(() => a.get(0)).toThrowError(disposed);
    expect(() => v.get(0)).toThrowError(disposed);
    expect(() => v.toArray()).toThrowError(disposed);
    expect(() => a.data).toThrowError(disposed);
    expect(() => a.copy()).toThrowError(disposed);
    expect(() => a.set(0, 1)).toThrowError(disposed);
    expect(() => a.toString()).toThrowError(disposed);
    expect(() => a.reshape([5, 2])).toThrowError(disposed);
    a.dispose(); // idempotent
  });

  it('returns the memory at once, for reuse', () => {
    const before = nb.heapStats().liveBytes;
    const a = nb.zeros([1000]);
    expect(nb.heapStats().liveBytes).toBeGreaterThan(before);
    a.dispose();
    expect(nb.heapStats().liveBytes).toBe(before);
  });

  it('`using` disposes at the end of the block', () => {
    let escaped: nb.NDArray | undefined;
    {
      using a = nb.zeros([4]);
      escaped = a;
      expect(a.get(0)).toBe(0);
    }
    expect(escaped.disposed).toBe(true);
  });

  it('scope disposes temporaries and keeps what it returns', () => {
    let temp: nb.NDArray | undefined;
    const { kept, list } = nb.scope(() => {
      temp = nb.ones([8]);
      const kept = temp.slice('::2').copy();
      return { kept, list: [nb.zeros([2])] };
    });
    expect(temp!.disposed).toBe(true);
    expect(kept.toArray()).toEqual([1, 1, 1, 1]);
    expect(list[0]!.disposed).toBe(false);
  });

  it('nested scopes hand returned arrays to the outer scope', () => {
    let inner: nb.NDArray | undefined;
    nb.scope(() => {
      inner = nb.scope(() => nb.zeros([3]));
      expect(inner.disposed).toBe(false);
    });
    expect(inner!.disposed).toBe(true);
  });

  it('a scope that throws still disposes its arrays', () => {
    let temp: nb.NDArray | undefined;
    expect(() =>
      nb.scope(() => {
        temp = nb.zeros([3]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(temp!.disposed).toBe(true);
  });
});

describe('the allocator', () => {
  it('keeps its invariants under random alloc/free sequences', () => {
    // A private heap over the shared memory, above everything the runtime handed out.
    const base = runtime().heap.stats().top + 64 * MiB;
    // The memory must reach the private heap's base (it grows on its own past it), or even an
    // empty run would find its top beyond the memory: the runtime's heap may not have grown
    // that far yet, depending on what ran before in this process.
    growHeap(base + 1);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 300_000 })), { maxLength: 200 }), (ops) => {
        const heap = new Heap(base);
        const live: number[] = [];
        for (const [isAlloc, n] of ops) {
          if (isAlloc || live.length === 0) {
            const p = heap.alloc(n);
            expect(p % 16).toBe(0);
            expect(heap.sizeOf(p)).toBeGreaterThanOrEqual(n);
            live.push(p);
          } else {
            heap.free(live.splice(n % live.length, 1)[0]!);
          }
          heap.checkInvariants();
        }
        for (const p of live) heap.free(p);
        heap.checkInvariants();
        expect(heap.stats().liveBytes).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('counts the free bytes a request cannot use (fragmentBytes: free blocks smaller than it)', () => {
    const base = runtime().heap.stats().top + 64 * MiB;
    growHeap(base + 8 * MiB);
    const heap = new Heap(base);
    const small = [heap.alloc(4096), heap.alloc(4096), heap.alloc(16), heap.alloc(16), heap.alloc(4096)];
    heap.alloc(MiB); // keeps the small blocks below the top (a freed top block lowers the top instead)
    expect(heap.fragmentBytes(MiB)).toBe(0);
    heap.free(small[0]!);
    heap.free(small[2]!);
    expect(heap.fragmentBytes(MiB)).toBe(4096 + 16);
    expect(heap.fragmentBytes(4096)).toBe(16); // a 4096-byte block serves a 4096-byte request
    expect(heap.fragmentBytes(4097)).toBe(4096 + 16);
    expect(heap.fragmentBytes(16)).toBe(0);
    // Adjacent free blocks count as one: 16 + 16 + 4096 bytes in a row serve a 4128-byte request.
    heap.free(small[3]!);
    heap.free(small[4]!);
    expect(heap.fragmentBytes(4128)).toBe(4096);
    expect(heap.fragmentBytes(4129)).toBe(4096 + 4128);
    expect(heap.fragmentBytes(2 ** 32)).toBe(heap.stats().freeBytes);
    heap.checkInvariants();
  });

  it('refuses a double free', () => {
    const heap = new Heap(runtime().heap.stats().top + 64 * MiB);
    const p = heap.alloc(100);
    heap.free(p);
    expect(() => heap.free(p)).toThrowError(expect.objectContaining({ code: 'E_MEMORY_DOUBLE_FREE' }));
  });

  it('says so clearly when 4 GiB would not suffice', () => {
    expect(() => nb.empty([2 ** 30], 'float64')).toThrowError(expect.objectContaining({ code: 'E_MEMORY_LIMIT' }));
    expect(() => nb.empty([2 ** 30], 'float64')).toThrowError(/4 GiB/);
  });
});
