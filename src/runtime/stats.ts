/**
 * Public view of the heap's counters, for monitoring memory use.
 */
import { lifetimeStats, slabCounters } from './lifetime.js';
import { runtime } from './runtime.js';

/** Heap usage and release counters. */
export interface HeapStatistics {
  /** Size of the Wasm memory in bytes (it only grows; wasm32 caps it at 4 GiB). */
  heapBytes: number;
  /**
   * Bytes held by live arrays (rounded up to the allocator's size classes; a small array's
   * to 16 bytes), and by numbats' own blocks. Arrays of up to 1 KiB share 16 KiB slabs: the
   * part of a slab that no live array uses is not counted here (nor in `freeBytes`).
   */
  liveBytes: number;
  /** Number of live blocks: one per live array (a small array's slab cell), plus numbats' own. */
  liveBlocks: number;
  /** Bytes free for reuse below the high-water mark. */
  freeBytes: number;
  /** Times the memory grew. */
  grows: number;
  /** Times a full allocation made numbats look for unreachable arrays, and collections it forced. */
  pressureEvents: number;
  forcedCollections: number;
}

/**
 * Current heap usage.
 *
 * @example
 * ```ts
 * const { heapBytes, liveBytes } = nb.heapStats();
 * ```
 */
export function heapStats(): HeapStatistics {
  const h = runtime().heap.stats();
  const l = lifetimeStats();
  return {
    heapBytes: h.heapBytes, liveBytes: h.liveBytes - slabCounters.spareBytes,
    liveBlocks: h.liveBlocks - slabCounters.slabs + slabCounters.cells, freeBytes: h.freeBytes,
    grows: h.grows, pressureEvents: h.pressureEvents, forcedCollections: l.forcedCollections,
  };
}
