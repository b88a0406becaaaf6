/**
 * Issue 19 ("Nothing corrupted, nothing lost"): ufunc methods on hostile inputs. Item 6:
 * reductions and the other methods walk broadcast (stride-0) inputs in place, never
 * materialising them; loops longer than a plan's int32 words run in parts or throw a
 * typed error, never wrap. Expected values are NumPy 2.4's.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { runtime } from '../../src/runtime/runtime.js';

/** Bytes of Wasm memory and of live blocks now. */
function heap(): { heapBytes: number; liveBytes: number } {
  const { heapBytes, liveBytes } = nb.heapStats();
  return { heapBytes, liveBytes };
}

/** Run `fn`; return its result and the sizes of the heap blocks of 64 KiB or more it allocated. */
function largeAllocations<T>(fn: () => T): [T, number[]] {
  const h = runtime().heap;
  const alloc = h.alloc;
  const sizes: number[] = [];
  h.alloc = (bytes: number) => (bytes >= 65536 && sizes.push(bytes), alloc.call(h, bytes));
  try {
    return [fn(), sizes];
  } finally {
    h.alloc = alloc;
  }
}

describe('issue 19 item 6: methods walk stride-0 inputs without materialising them', () => {
  it('add.reduce(broadcastTo(x, [1e7])) copies nothing and gives NumPy\'s pairwise sum', () => {
    const x = nb.broadcastTo(nb.full([1], 0.1), [1e7]);
    const before = heap();
    const [r, large] = largeAllocations(() => nb.add.reduce(x));
    // A copy of the input would be 80 MB: the memory would grow past its first 16 MiB.
    expect(large).toEqual([]);
    expect(heap().heapBytes).toBe(before.heapBytes);
    expect(r.item()).toBe(1000000.0); // np.add.reduce(np.broadcast_to(0.1, [10**7]))
    r.dispose();
    expect(heap().liveBytes).toBe(before.liveBytes);
    const f = nb.add.reduce(nb.broadcastTo(nb.full([1], 0.1, 'float32'), [1e7]));
    expect(f.item()).toBe(1000000.125); // float32, as NumPy
    expect(heap().heapBytes).toBe(before.heapBytes);
  });

  it('add.reduce over 2**33 broadcast elements is exact (was a MemoryError)', () => {
    const r = nb.add.reduce(nb.broadcastTo(nb.ones([1]), [2 ** 33]));
    expect(r.item()).toBe(2 ** 33);
  });

  it('a loop longer than 2**31 - 1 runs in parts, not wrapped (its int32 extent wrapped: silently 0)', () => {
    // ~10 s: 2**31 + 3 elements, one at a time. NumPy:
    // np.add.reduce(np.broadcast_to(np.int8(1), [2**31 + 3]), dtype='int8') == 3 (wraps).
    const r = nb.add.reduce(nb.broadcastTo(nb.ones([1], 'int8'), [2 ** 31 + 3]), { dtype: 'int8' });
    expect(r.item()).toBe(3);
  }, 120_000);

  it('a plan dimension past int32 that cannot be split is a typed error', async () => {
    const { checkPlanRange } = await import('../../src/ndarray/operand.js');
    expect(() => checkPlanRange({ shape: [4, 2 ** 32], strides: [[0, 0]], size: 2 ** 34 }, [8])).toThrow(
      expect.objectContaining({ code: 'E_MEMORY_PLAN_RANGE' }),
    );
  });

  it('add.reduceat of an input broadcast along the axis copies nothing', () => {
    const x = nb.broadcastTo(nb.full([1], 0.1), [1e7]);
    const [r, large] = largeAllocations(() => nb.add.reduceat(x, [0, 3, 5000000]));
    expect(large).toEqual([]);
    // np.add.reduceat(np.broadcast_to(0.1, [10**7]), [0, 3, 5000000])
    expect(r.toArray()).toEqual([0.30000000000000004, 499999.69999999995, 500000.0]);
  });

  it('add.accumulate with a cast (int32 -> int64) converts into the result, not into a copy', () => {
    const x = nb.broadcastTo(nb.full([1], 7, 'int32'), [1e7]);
    const [r, large] = largeAllocations(() => nb.add.accumulate(x));
    // The result is 80 MB; a converted copy of the input would be another 80 MB block.
    expect(large).toEqual([8e7]);
    expect(r.dtype).toBe('int64');
    expect(r.get(0)).toBe(7n);
    expect(r.get(1e7 - 1)).toBe(70000000n);
  });
});
