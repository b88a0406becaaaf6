/**
 * The allocator that owns the array heap (DESIGN.md decision 1, "yours to decide").
 *
 * Design, and why:
 *   - Metadata lives in JS (Maps and arrays), not in headers inside the heap: kernels can
 *     never corrupt it, and a block can be any multiple of 16 bytes with no overhead.
 *   - Segregated free lists by size class (see size-classes.ts). `alloc` takes a block from
 *     its class, else splits a block of a larger class, else bumps `top`. `free` is O(1).
 *   - Coalescing is lazy: only under pressure are free blocks sorted and merged, and a free
 *     run that reaches `top` lowers it. Typical array code frees and re-allocates the same
 *     sizes, which the class lists serve without any merging.
 *   - Under pressure, before growing, the heap asks its pressure handler (lifetime.ts) to
 *     release unreachable arrays, and grows to the size the handler asks for (by enough at
 *     once: each collection costs a full GC), or by just enough when that did not make
 *     room; the surplus above the request has its pages mapped in the background
 *     (prefault.ts: a first touch costs ~1 ms per MiB). Shared memory cannot shrink.
 * The region [0, base) belongs to the prebuilt module's static data.
 */
import { MemoryError } from '../util/errors.js';
import { ALIGN, CLASS_COUNT, ceilClass, classSize, floorClass } from './size-classes.js';
import { PREFAULT_START_BYTES, prefault } from './prefault.js';
import { growHeap, heapByteLength, heapBytes } from './wasm-memory.js';

/**
 * Debug mode of the allocator (off by default). When on, every `alloc` and `free` checks
 * the block it hands out or takes back (aligned, inside [base, top), not already live,
 * inside the memory), freed blocks are filled with {@link POISON_BYTE} (whole up to 64 KiB,
 * else 16 KiB at each end) so that a read through a dangling view shows garbage instead of
 * plausible old data, and every `checkEvery` operations the full
 * {@link Heap.checkInvariants} runs (at most once per as many operations as the heap has
 * blocks: a check is O(blocks), so the cost per operation stays bounded). Enable it with the
 * environment variable `NUMBATS_DEBUG_HEAP=1` (or `=N`: full check every N operations)
 * read when the heap is created, or with {@link setHeapDebug}. When off it costs one
 * boolean test per alloc/free.
 */
export interface HeapDebugOptions {
  enabled: boolean;
  /** Run the full invariant check every this many alloc/free calls (0: never). */
  checkEvery: number;
}

/** Byte written over freed blocks in debug mode (0xDB: NaN-free, odd, easy to spot). */
export const POISON_BYTE = 0xdb;
/** Blocks up to this size are poisoned whole; larger ones at both ends (debug mode). */
const POISON_WHOLE_BYTES = 64 * 1024;
const POISON_EDGE_BYTES = 16 * 1024;

function debugFromEnv(): HeapDebugOptions {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.NUMBATS_DEBUG_HEAP;
  if (v === undefined || v === '' || v === '0' || v === 'false') return { enabled: false, checkEvery: 0 };
  const n = Number(v);
  return { enabled: true, checkEvery: Number.isInteger(n) && n > 1 ? n : 1000 };
}

const debug: HeapDebugOptions = debugFromEnv();

/**
 * Switch the allocator's debug mode on or off for every heap (tests, debugging).
 * Returns the previous setting.
 *
 * @example
 * ```ts
 * const before = setHeapDebug({ enabled: true, checkEvery: 100 });
 * try { ... } finally { setHeapDebug(before); }
 * ```
 */
export function setHeapDebug(options: boolean | Partial<HeapDebugOptions>): HeapDebugOptions {
  const before = { ...debug };
  if (typeof options === 'boolean') {
    debug.enabled = options;
    if (options && debug.checkEvery === 0) debug.checkEvery = 1000;
  } else {
    if (options.enabled !== undefined) debug.enabled = options.enabled;
    if (options.checkEvery !== undefined) debug.checkEvery = options.checkEvery;
  }
  return before;
}

/** True while debug mode is on (cheap; for hot paths). */
export function isHeapDebug(): boolean {
  return debug.enabled;
}

/** The current debug setting (a copy). */
export function heapDebug(): HeapDebugOptions {
  return { ...debug };
}

/** The largest block wasm32 can address. */
const MAX_BLOCK_BYTES = 2 ** 32;

/** Counters for tests, benchmarks and debugging. */
export interface HeapStats {
  /** Current size of the Wasm memory. */
  heapBytes: number;
  /** Bytes in live blocks. */
  liveBytes: number;
  liveBlocks: number;
  /** Bytes in free blocks below `top`. */
  freeBytes: number;
  /** End of the highest block ever handed out and not returned to the top. */
  top: number;
  /** Number of times the heap grew, and times the pressure handler ran. */
  grows: number;
  pressureEvents: number;
  /** Milliseconds spent in the pressure handler and in growing the memory (slow paths only). */
  pressureMs: number;
  growMs: number;
}

/**
 * Called when a request does not fit; may free blocks (through `free`). `needed` is the
 * rounded size of the request. Returns the size in bytes the memory should have (the heap
 * grows to it at once, even if the request now fits: collecting again soon would be wasted
 * work), or 0 for no preference (the heap then grows only if the request still does not fit,
 * by just enough).
 */
export type PressureHandler = (needed: number, heap: Heap) => number;

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

export class Heap {
  readonly base: number;
  private top: number;
  // ptr -> size, as sparse arrays indexed by ptr / 16 (NOTE: not Maps: measured, V8's Map
  // and Set cost 4-25 us per set/delete pair once they hold ~200k entries with churn at
  // the end, a sparse array ~0.12 us).
  private readonly live = new BlockTable();
  private readonly freeSize = new BlockTable();
  private readonly lists: number[][] = Array.from({ length: CLASS_COUNT }, () => []);
  private liveBytes = 0;
  private freeBytes = 0;
  private grows = 0;
  private pressureEvents = 0;
  private pressureMs = 0;
  private growMs = 0;
  private inPressure = false;
  /** Set at the first large bump allocation (see bump). */
  private prefaulting = false;
  private debugOps = 0;
  private nextDebugCheck = 0;
  /** Full invariant checks run (debug mode and explicit calls). */
  private checks = 0;
  pressureHandler: PressureHandler | undefined;

  constructor(base: number) {
    this.base = alignUp(Math.max(base, ALIGN));
    this.top = this.base;
  }

  /**
   * Reserve a 16-byte aligned block of at least `bytes` bytes; its contents are undefined.
   *
   * @throws MemoryError (`E_MEMORY_LIMIT`) when 4 GiB would not suffice.
   */
  alloc(bytes: number): number {
    if (!(bytes >= 0 && bytes <= MAX_BLOCK_BYTES - this.base)) {
      // Fail before the pressure handler (a forced collection) for a request no heap can hold.
      throw new MemoryError(
        'E_MEMORY_LIMIT',
        Number.isNaN(bytes) || bytes < 0
          ? `cannot allocate ${bytes} bytes in the array heap (not a size)`
          : `cannot allocate ${bytes} bytes in the array heap: wasm32 caps it at 4 GiB; ` +
            'use smaller arrays or process the data in chunks',
      );
    }
    const c = ceilClass(bytes);
    const size = classSize(c);
    let ptr = this.fromLists(c, size);
    if (ptr < 0) ptr = this.bump(size);
    let factor = 1.5;
    if (ptr < 0 && this.pressureHandler !== undefined && !this.inPressure) {
      this.inPressure = true;
      this.pressureEvents++;
      let want = 0;
      const t0 = performance.now();
      try {
        want = this.pressureHandler(size, this);
      } finally {
        this.inPressure = false;
        this.pressureMs += performance.now() - t0;
      }
      this.coalesce();
      const grew = want > heapByteLength() && this.tryGrow(Math.max(want, this.top + size), 1);
      ptr = this.fromLists(c, size);
      if (ptr < 0) ptr = this.bump(size);
      // The surplus above this block is where the next arrays go: map its pages meanwhile.
      if (grew) prefault(this.top, heapByteLength());
      // The handler ran: grow by just enough below (it chose the size it wanted).
      factor = 1;
    }
    if (ptr < 0) {
      if (this.top + size > 2 ** 32) this.coalesce();
      const t0 = performance.now();
      growHeap(this.top + size, factor);
      this.growMs += performance.now() - t0;
      this.grows++;
      ptr = this.bump(size);
      if (ptr < 0) throw new MemoryError('E_MEMORY_LIMIT', `cannot allocate ${bytes} bytes in the array heap`);
    }
    if (debug.enabled) this.debugAlloc(ptr, size);
    this.live.set(ptr, size);
    this.liveBytes += size;
    return ptr;
  }

  /** Return a block to the heap. Freeing an unknown or already freed pointer throws. */
  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) {
      throw new MemoryError('E_MEMORY_DOUBLE_FREE', `heap block ${ptr} is not allocated (double free?)`);
    }
    this.live.delete(ptr);
    this.liveBytes -= size;
    if (debug.enabled) this.debugFree(ptr, size);
    if (ptr + size === this.top) {
      this.top = ptr;
      return;
    }
    this.addFree(ptr, size);
  }

  /** Bytes in live blocks (cheap; the pressure handler reads it). */
  get liveTotal(): number {
    return this.liveBytes;
  }

  /** End of the highest block handed out (cheap; the pressure handler reads it). */
  get end(): number {
    return this.top;
  }

  /**
   * Bytes in free blocks smaller than `size`, once adjacent free blocks are merged (it merges
   * them: it runs under pressure only): room that a request of `size` cannot use. The
   * collection policy adds it to the heap size it allows (lifetime.ts), so that small blocks
   * freed below the large ones do not cost a large request its place.
   */
  fragmentBytes(size: number): number {
    this.coalesce();
    let bytes = 0;
    const last = Math.min(floorClass(size), CLASS_COUNT - 1);
    for (let k = 0; k <= last; k++) {
      for (const p of this.lists[k]!) {
        const s = this.freeSize.get(p)!;
        if (s < size) bytes += s;
      }
    }
    return bytes;
  }

  /** Size of the live block at `ptr`, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  stats(): HeapStats {
    return {
      heapBytes: heapByteLength(), liveBytes: this.liveBytes, liveBlocks: this.live.size,
      freeBytes: this.freeBytes, top: this.top, grows: this.grows, pressureEvents: this.pressureEvents,
      pressureMs: this.pressureMs, growMs: this.growMs,
    };
  }

  /**
   * Verify the allocator's invariants (debug mode, tests): blocks aligned, inside
   * [base, top), no two overlapping, byte counts consistent.
   *
   * @throws Error describing the first violation.
   */
  checkInvariants(): void {
    this.checks++;
    const all: Array<[number, number, string]> = [];
    for (const [p, s] of this.live.entries()) all.push([p, s, 'live']);
    for (const [p, s] of this.freeSize.entries()) all.push([p, s, 'free']);
    all.sort((a, b) => a[0] - b[0]);
    let end = this.base;
    let live = 0;
    let free = 0;
    for (const [p, s, kind] of all) {
      if (p % ALIGN !== 0 || s % ALIGN !== 0) throw new Error(`${kind} block ${p}+${s} is misaligned`);
      if (p < end) throw new Error(`${kind} block ${p}+${s} overlaps the block ending at ${end}`);
      end = p + s;
      if (kind === 'live') live += s;
      else free += s;
    }
    if (end > this.top) throw new Error(`block ending at ${end} lies above top ${this.top}`);
    if (this.live.size !== all.filter((b) => b[2] === 'live').length) throw new Error('live block count is off');
    if (this.top > heapByteLength()) throw new Error(`top ${this.top} is beyond the memory`);
    if (live !== this.liveBytes || free !== this.freeBytes) throw new Error('byte counters disagree with the blocks');
    let listed = 0;
    const seen = new Set<number>();
    for (let k = 0; k < this.lists.length; k++) {
      for (const p of this.lists[k]!) {
        const s = this.freeSize.get(p);
        if (s === undefined) throw new Error(`free list ${k} holds ${p}, which is not a free block`);
        if (seen.has(p)) throw new Error(`free block ${p} is listed twice`);
        seen.add(p);
        if (floorClass(s) !== k) throw new Error(`free block ${p}+${s} is in list ${k}, not ${floorClass(s)}`);
        if (this.live.get(p) !== undefined) throw new Error(`block ${p} is both live and free`);
        listed++;
      }
    }
    if (listed !== this.freeSize.size) throw new Error('free lists disagree with the free-block table');
    if (this.top < this.base || this.top % ALIGN !== 0) throw new Error(`top ${this.top} is misaligned or below base ${this.base}`);
  }

  /** Number of full invariant checks run so far (tests report it). */
  get invariantChecks(): number {
    return this.checks;
  }

  /** All live blocks as [ptr, size] pairs, by address (debug accounting; O(n log n)). */
  liveEntries(): Array<[number, number]> {
    return this.live.entries().sort((a, b) => a[0] - b[0]);
  }

  private debugAlloc(ptr: number, size: number): void {
    if (ptr % ALIGN !== 0 || ptr < this.base || ptr + size > this.top || ptr + size > heapByteLength()) {
      throw new Error(`heap debug: alloc handed out ${ptr}+${size} outside [${this.base}, ${this.top})`);
    }
    if (this.live.get(ptr) !== undefined) throw new Error(`heap debug: alloc handed out ${ptr}, which is live`);
    if (this.freeSize.get(ptr) !== undefined) throw new Error(`heap debug: alloc handed out ${ptr}, which is still free`);
    this.debugTick();
  }

  private debugFree(ptr: number, size: number): void {
    if (ptr < this.base || ptr + size > this.top) {
      throw new Error(`heap debug: free of ${ptr}+${size} outside [${this.base}, ${this.top})`);
    }
    const bytes = heapBytes();
    if (size <= POISON_WHOLE_BYTES) bytes.fill(POISON_BYTE, ptr, ptr + size);
    else {
      bytes.fill(POISON_BYTE, ptr, ptr + POISON_EDGE_BYTES);
      bytes.fill(POISON_BYTE, ptr + size - POISON_EDGE_BYTES, ptr + size);
    }
    this.debugTick();
  }

  private debugTick(): void {
    if (debug.checkEvery <= 0 || ++this.debugOps < this.nextDebugCheck) return;
    this.checkInvariants();
    // A check costs O(blocks): space them at least that many operations apart, so that the
    // debug mode's cost per operation stays bounded on a heap with many blocks.
    this.nextDebugCheck = this.debugOps + Math.max(debug.checkEvery, this.live.size + this.freeSize.size);
  }

  private fromLists(c: number, size: number): number {
    for (let k = c; k < CLASS_COUNT; k++) {
      const list = this.lists[k]!;
      if (list.length === 0) continue;
      const ptr = list.pop()!;
      const have = this.freeSize.get(ptr)!;
      this.freeSize.delete(ptr);
      this.freeBytes -= have;
      if (have > size) this.addFree(ptr + size, have - size);
      return ptr;
    }
    return -1;
  }

  /** Grow if the memory can; returns whether it grew. */
  private tryGrow(minBytes: number, factor: number): boolean {
    const t0 = performance.now();
    try {
      growHeap(minBytes, factor);
      this.grows++;
      this.growMs += performance.now() - t0;
      return true;
    } catch (err) {
      if (!(err instanceof MemoryError)) throw err;
      return false;
    }
  }

  private bump(size: number): number {
    if (this.top + size > heapByteLength()) return -1;
    const ptr = this.top;
    this.top += size;
    if (!this.prefaulting && size >= PREFAULT_START_BYTES) {
      // The first large array: start the prefault thread now (it takes tens of ms to start),
      // and map the rest of the initial memory, where the next arrays go.
      this.prefaulting = true;
      prefault(this.top, heapByteLength());
    }
    return ptr;
  }

  private addFree(ptr: number, size: number): void {
    this.freeSize.set(ptr, size);
    this.freeBytes += size;
    this.lists[floorClass(size)]!.push(ptr);
  }

  /** Merge adjacent free blocks and give a free run at the top back to `top`. */
  private coalesce(): void {
    if (this.freeSize.size === 0) return;
    const blocks = [...this.freeSize.entries()].sort((a, b) => a[0] - b[0]);
    this.freeSize.clear();
    for (const l of this.lists) l.length = 0;
    this.freeBytes = 0;
    const merged: Array<[number, number]> = [];
    for (const [p, s] of blocks) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last[0] + last[1] === p) last[1] += s;
      else merged.push([p, s]);
    }
    const last = merged[merged.length - 1]!;
    if (last[0] + last[1] === this.top) {
      this.top = last[0];
      merged.pop();
    }
    for (const [p, s] of merged) this.addFree(p, s);
  }
}

/** ptr -> size for 16-byte aligned pointers, with O(1) churn (see the note in Heap). */
class BlockTable {
  private readonly slots: number[] = [];
  size = 0;

  get(ptr: number): number | undefined {
    return this.slots[ptr >>> 4];
  }

  set(ptr: number, bytes: number): void {
    const k = ptr >>> 4;
    if (this.slots[k] === undefined) this.size++;
    this.slots[k] = bytes;
  }

  delete(ptr: number): void {
    const k = ptr >>> 4;
    if (this.slots[k] === undefined) return;
    this.size--;
    delete this.slots[k];
  }

  clear(): void {
    for (const k of Object.keys(this.slots)) delete this.slots[Number(k)];
    this.size = 0;
  }

  /** All [ptr, size] pairs (for coalescing and invariant checks, which are rare). */
  entries(): Array<[number, number]> {
    return Object.keys(this.slots).map((k) => [Number(k) * 16, this.slots[Number(k)]!]);
  }
}
