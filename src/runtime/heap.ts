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
 *     release unreachable arrays; it grows only if that did not make room. Shared memory
 *     cannot shrink, so growing is the last resort.
 * The region [0, base) belongs to the prebuilt module's static data.
 */
import { MemoryError } from '../util/errors.js';
import { ALIGN, CLASS_COUNT, ceilClass, classSize, floorClass } from './size-classes.js';
import { growHeap, heapByteLength } from './wasm-memory.js';

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
}

/**
 * Called when a request does not fit; may free blocks (through `free`). `needed` is the
 * rounded size of the request. Returns true when the heap should grow anyway (little was
 * freed, so collecting again soon would be wasted work).
 */
export type PressureHandler = (needed: number) => boolean;

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
  private inPressure = false;
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
    const c = ceilClass(bytes);
    const size = classSize(c);
    let ptr = this.fromLists(c, size);
    if (ptr < 0) ptr = this.bump(size);
    if (ptr < 0 && this.pressureHandler !== undefined && !this.inPressure) {
      this.inPressure = true;
      this.pressureEvents++;
      let preferGrow = false;
      try {
        preferGrow = this.pressureHandler(size);
      } finally {
        this.inPressure = false;
      }
      this.coalesce();
      if (preferGrow) this.tryGrow(this.top + size, 2);
      ptr = this.fromLists(c, size);
      if (ptr < 0) ptr = this.bump(size);
    }
    if (ptr < 0) {
      if (this.top + size > 2 ** 32) this.coalesce();
      growHeap(this.top + size);
      this.grows++;
      ptr = this.bump(size);
      if (ptr < 0) throw new MemoryError('E_MEMORY_LIMIT', `cannot allocate ${bytes} bytes in the array heap`);
    }
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
    if (ptr + size === this.top) {
      this.top = ptr;
      return;
    }
    this.addFree(ptr, size);
  }

  /** Size of the live block at `ptr`, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  stats(): HeapStats {
    return {
      heapBytes: heapByteLength(), liveBytes: this.liveBytes, liveBlocks: this.live.size,
      freeBytes: this.freeBytes, top: this.top, grows: this.grows, pressureEvents: this.pressureEvents,
    };
  }

  /**
   * Verify the allocator's invariants (debug mode, tests): blocks aligned, inside
   * [base, top), no two overlapping, byte counts consistent.
   *
   * @throws Error describing the first violation.
   */
  checkInvariants(): void {
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
    for (const l of this.lists) listed += l.length;
    if (listed !== this.freeSize.size) throw new Error('free lists disagree with the free-block table');
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

  private tryGrow(minBytes: number, factor: number): void {
    try {
      growHeap(minBytes, factor);
      this.grows++;
    } catch (err) {
      if (!(err instanceof MemoryError)) throw err;
    }
  }

  private bump(size: number): number {
    if (this.top + size > heapByteLength()) return -1;
    const ptr = this.top;
    this.top += size;
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
