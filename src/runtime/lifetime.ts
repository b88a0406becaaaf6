/**
 * When heap blocks are released: automatically when their array is unreachable, or
 * deterministically through `dispose()`, `Symbol.dispose` and {@link scope}.
 *
 * Each block is tracked by its *owner*, the TypedArray that views it (what `NDArray.data`
 * returns): every view of an array holds that TypedArray, and a user who keeps `a.data`
 * keeps the block too. Arrays of up to 1 KiB are cells of slabs instead (slab.ts): the slab
 * is the owner of its block, and each cell (and its TypedArray) holds the slab. Release paths:
 *   1. FinalizationRegistry: after the owner is collected, between tasks (async code).
 *   2. Synchronous sweep under heap pressure (heap.ts calls {@link onHeapPressure}) before
 *      the heap grows: WeakRefs of all tracked owners are checked; once the heap is at its
 *      budget (the live bytes of the last collection plus room for garbage:
 *      collection-policy.ts) a full GC runs first (see gc-hooks.ts for why that is needed
 *      inside one synchronous loop), and the heap then grows to the new budget at once.
 *   3. `dispose()` / scopes: immediately.
 * A released block is marked `freed`, so the other paths never free it twice.
 *
 * Bookkeeping is bounded by the live blocks, not by the history (issue 19, item 5): releasing
 * a block takes it out of the sweep list (swap-remove through `Block.slot`) and out of the
 * registry (`unregister`, the block being its own token), and the engine's kept set of WeakRef
 * targets is cleared every {@link KEPT_CLEAR_INTERVAL} WeakRefs. A synchronous loop that
 * disposes each array it makes therefore holds no memory for the arrays it disposed
 * (scripts/dispose-loop-heap.ts measures it).
 *
 * Pins (work in flight). A call that goes on after it returns (`callAsync` on the parallel
 * target: workers read and write the blocks by address) pins every block it uses
 * ({@link pinBlock}) and unpins them when it settles. Releasing a pinned block, by any path
 * above, marks it `freed` at once (the array is disposed for its user: reads throw
 * `E_MEMORY_DISPOSED`), but gives the memory back to the heap only at the last
 * {@link unpinBlock}: a new array can never get a block that a worker still writes.
 */
import { MemoryError } from '../util/errors.js';
import { GC_ALLOWANCE_MIN_BYTES, WHOLE_REQUEST_MIN_BYTES, collectionBudget, nextAllowance } from './collection-policy.js';
import { clearKeptObjects, collectGarbage } from './gc-hooks.js';
import { isHeapDebug, type Heap } from './heap.js';
import { heapByteLength } from './wasm-memory.js';

/**
 * What a block carved out of a slab (slab.ts) reports to when its array is released: the
 * slab, which frees or reuses its memory once none of its blocks is in use.
 */
export interface CellHost {
  dropCell(cell: Block): void;
}

/**
 * Bytes and blocks of slabs (slab.ts), for {@link heapStats}-style accounting: the bytes of
 * slabs that no array uses (`spareBytes`), the slabs (each one heap block) and their cells
 * in use (each one array's block).
 */
export const slabCounters = { spareBytes: 0, slabs: 0, cells: 0 };

/**
 * One allocated block and the object whose reachability keeps it. Either a heap block of
 * its own (`host` null: tracked by the registry and the sweep), or a cell of a slab
 * (`host` set: no tracking of its own; its slab is tracked, see slab.ts).
 */
export class Block {
  /** Released for its user (disposed, collected): the array can no longer be used. */
  freed = false;
  /** The slab this block is a cell of (null: a heap block of its own). Keeps the slab alive. */
  host: CellHost | null = null;
  /** For a slab's own heap block: its bytes that no live cell uses (0 for other blocks). */
  spare = 0;
  /** For a slab's own heap block: its cells not yet released. */
  cells = 0;
  /** True for a slab's own heap block. */
  isSlab = false;
  /** Index in `tracked` while listed there for the sweep; -1 otherwise. */
  slot = -1;
  /** In-flight calls using the block; while > 0 a release keeps the memory (see the header). */
  pins = 0;
  /** Released while pinned: the memory goes back to the heap at the last unpin. */
  freeAtUnpin = false;
  constructor(
    readonly heap: Heap,
    readonly ptr: number,
    readonly bytes: number,
    /** For the synchronous sweep; undefined for a small block released by the registry only. */
    readonly ref: WeakRef<object> | undefined,
  ) {}
}

// Blocks that may still be live, for the synchronous sweep. An array rather than a Set:
// measured, Set.add costs ~360 ns per block in a long synchronous loop, a push ~30 ns. A
// released block leaves it at once (swap-remove: the last block moves to its slot), so its
// length is the number of live tracked blocks.
const tracked: Block[] = [];
// Each block is registered with itself as the unregister token, and unregistered when it is
// released: otherwise the registry keeps a cell (and the Block) per array ever made until
// a callback runs between tasks, which a synchronous loop never reaches. Measured on Node
// 20: register + unregister ~0.25 us; register without a token ~0.4 us, with a token that
// is never unregistered ~0.9 us (the token map grows).
const registry = new FinalizationRegistry<Block>((block) => release(block));
/**
 * Every target of `new WeakRef()` stays alive until the current job ends (gc-hooks.ts), so a
 * synchronous loop would keep every owner it tracked, disposed or not. The kept set is
 * cleared after this many WeakRefs (~0.02 ms each time, ~5 ns per array).
 */
export const KEPT_CLEAR_INTERVAL = 4096;
let weakRefsSinceClear = 0;
const scopes: Block[][] = [];

/**
 * Put a slab cell (slab.ts) in the innermost {@link scope}, which disposes it at its end.
 *
 * @example
 * ```ts
 * enterScope(cell);
 * ```
 */
export function enterScope(cell: Block): void {
  // Not `scopes[scopes.length - 1]?.`: measured, reading index -1 of an array (outside
  // any scope, the common case) costs ~0.17 us, a lookup up the prototype chain.
  if (scopes.length !== 0) scopes[scopes.length - 1]!.push(cell);
}
/**
 * Blocks up to this size may skip the WeakRef. Measured: `new WeakRef` costs ~0.6-1 us
 * inside a long synchronous loop (V8 adds every target to its kept-during-job set), more
 * than the rest of making a small array.
 */
export const SMALL_BLOCK_BYTES = 4096;
/** At most this many bytes of registry-only blocks per synchronous stretch (see trackBlock). */
export const REGISTRY_ONLY_LIMIT_BYTES = 32 * 2 ** 20;
let registryOnlyBytes = 0;
let resetQueued = false;
function resetRegistryOnly(): void {
  registryOnlyBytes = 0;
  resetQueued = false;
}

let sweeps = 0;
let forcedCollections = 0;
let collectMs = 0;
let sweepMs = 0;
/** Blocks pinned now (calls in flight; 0 whenever nothing is in flight). */
let pinnedBlocks = 0;
let lastCollectionEnd = 0;

/**
 * Start tracking a block whose reachability is that of `owner`.
 *
 * @example
 * ```ts
 * const ptr = heap.alloc(n * 8);
 * const data = new Float64Array(heapMemory().buffer, ptr, n);
 * const block = trackBlock(heap, ptr, n * 8, data);
 * ```
 */
export function trackBlock(heap: Heap, ptr: number, bytes: number, owner: object, inScope = true): Block {
  let block: Block;
  if (bytes <= SMALL_BLOCK_BYTES && registryOnlyBytes + bytes <= REGISTRY_ONLY_LIMIT_BYTES) {
    // Small arrays made since the JS stack was last empty: released by the registry only
    // (no WeakRef, ~0.6 us cheaper per array). Bounded: past the limit, within one
    // synchronous stretch, small blocks are tracked for the sweep like large ones.
    registryOnlyBytes += bytes;
    if (!resetQueued) {
      resetQueued = true;
      queueMicrotask(resetRegistryOnly);
    }
    block = new Block(heap, ptr, bytes, undefined);
  } else {
    block = new Block(heap, ptr, bytes, new WeakRef(owner));
    block.slot = tracked.push(block) - 1;
    if (++weakRefsSinceClear >= KEPT_CLEAR_INTERVAL) {
      weakRefsSinceClear = 0;
      clearKeptObjects();
    }
  }
  registry.register(owner, block, block);
  // A slab's block (inScope false) is not an array's: its cells are in the scopes instead.
  if (inScope) enterScope(block);
  if (isHeapDebug()) debugBlocks.set(ptr, block);
  return block;
}

function release(block: Block): void {
  if (block.freed) return;
  block.freed = true;
  if (block.host !== null) {
    if (block.pins > 0) block.freeAtUnpin = true;
    else block.host.dropCell(block);
    return;
  }
  if (block.isSlab) {
    // A collected slab takes its cells with it (their arrays were collected too).
    slabCounters.spareBytes -= block.spare;
    slabCounters.cells -= block.cells;
    slabCounters.slabs--;
  }
  untrack(block);
  registry.unregister(block);
  if (debugBlocks.get(block.ptr) === block) debugBlocks.delete(block.ptr);
  if (block.pins > 0) block.freeAtUnpin = true;
  else block.heap.free(block.ptr);
}

/**
 * Keep a block's memory while a call that outlives its caller uses it (a `callAsync` job
 * on the workers); pair with {@link unpinBlock} when the call settles. A released pinned
 * block is disposed for its user at once, and its memory freed at the last unpin.
 *
 * @example
 * ```ts
 * pinBlock(storage.block);
 * runOnWorkers().finally(() => unpinBlock(storage.block));
 * ```
 */
export function pinBlock(block: Block): void {
  if (block.pins++ === 0) pinnedBlocks++;
}

/**
 * End one {@link pinBlock}: at the last one, the memory of a block released meanwhile goes
 * back to the heap.
 *
 * @example
 * ```ts
 * unpinBlock(storage.block);
 * ```
 */
export function unpinBlock(block: Block): void {
  if (block.pins <= 0) throw new Error(`unpinBlock: heap block ${block.ptr} is not pinned`);
  if (--block.pins > 0) return;
  pinnedBlocks--;
  if (block.freeAtUnpin) {
    block.freeAtUnpin = false;
    if (block.host !== null) block.host.dropCell(block);
    else block.heap.free(block.ptr);
  }
}

/** Take a block out of `tracked` in O(1): the last block moves into its slot. */
function untrack(block: Block): void {
  const i = block.slot;
  if (i < 0) return;
  block.slot = -1;
  const last = tracked.pop()!;
  if (last !== block) {
    tracked[i] = last;
    last.slot = i;
  }
}

// Debug mode (heap.ts, NUMBATS_DEBUG_HEAP): every array block not yet released, by address,
// so that checkHeap can account for each live heap block. Holds Blocks, never their owners.
const debugBlocks = new Map<number, Block>();

/** What {@link checkHeap} found: heap blocks owned by arrays, and the others. */
export interface HeapAccounting {
  /**
   * Live heap blocks owned by an array that is not released (known to debug mode); a slab
   * of small arrays (slab.ts) is one block, whatever the number of its arrays.
   */
  arrayBlocks: number;
  arrayBytes: number;
  /**
   * Live heap blocks no array owns: the plan scratch block, compiled modules' static data,
   * staging blocks of a call in progress, blocks of disposed arrays that a call in flight
   * still uses (pinned), and arrays made while debug mode was off.
   */
  otherBlocks: number;
  otherBytes: number;
  /** Array views (of tracked blocks whose array is still reachable) checked against their block. */
  viewsChecked: number;
}

/**
 * Check the heap and the blocks of arrays (debug mode; tests): the allocator's invariants
 * ({@link Heap.checkInvariants}); every array block not yet released is live in the heap
 * with its size (no block freed behind its array's back); and every reachable array view
 * tracked for the sweep lies inside its block and inside its buffer (views stay valid
 * after the memory grows). Returns the accounting of live blocks.
 *
 * @throws Error describing the first violation.
 * @example
 * ```ts
 * setHeapDebug(true);
 * const { otherBytes } = checkHeap(runtime().heap);
 * ```
 */
export function checkHeap(heap: Heap): HeapAccounting {
  heap.checkInvariants();
  let arrayBlocks = 0;
  let arrayBytes = 0;
  for (const [ptr, block] of debugBlocks) {
    if (block.heap !== heap) continue;
    if (block.freed) throw new Error(`array block ${ptr} is released but still listed`);
    const size = heap.sizeOf(ptr);
    if (size !== block.bytes) {
      throw new Error(`array block ${ptr}+${block.bytes} is ${size === undefined ? 'not live' : `live with size ${size}`} in the heap`);
    }
    arrayBlocks++;
    arrayBytes += block.bytes;
  }
  let viewsChecked = 0;
  for (const block of tracked) {
    if (block.freed || block.heap !== heap) continue;
    const owner = block.ref!.deref() as ArrayBufferView | undefined;
    if (owner === undefined || !ArrayBuffer.isView(owner)) continue;
    const end = owner.byteOffset + owner.byteLength;
    if (owner.byteOffset !== block.ptr || end > block.ptr + block.bytes || end > owner.buffer.byteLength) {
      throw new Error(`the view of array block ${block.ptr}+${block.bytes} covers [${owner.byteOffset}, ${end}) of a ${owner.buffer.byteLength}-byte buffer`);
    }
    if (heap.sizeOf(block.ptr) !== block.bytes) throw new Error(`reachable array block ${block.ptr} is not live in the heap`);
    viewsChecked++;
  }
  const s = heap.stats();
  return { arrayBlocks, arrayBytes, otherBlocks: s.liveBlocks - arrayBlocks, otherBytes: s.liveBytes - arrayBytes, viewsChecked };
}

/** Release a block now. Idempotent. */
export function disposeBlock(block: Block): void {
  release(block);
}

/** Throw the error for use after dispose. */
export function throwDisposed(): never {
  throw new MemoryError(
    'E_MEMORY_DISPOSED',
    'this array was disposed (by dispose(), a `using` declaration or the end of nb.scope()); ' +
      'its memory may already hold other data. Keep the array alive, or copy() it before disposing',
  );
}

/** Free the blocks whose owner was collected; returns the bytes released. */
export function sweep(): number {
  sweeps++;
  const t0 = performance.now();
  let freed = 0;
  // Backwards: release() moves the last block into the freed slot, one already checked.
  for (let i = tracked.length - 1; i >= 0; i--) {
    const block = tracked[i]!;
    if (block.ref!.deref() === undefined) {
      if (block.pins === 0) freed += block.bytes;
      release(block);
    }
  }
  sweepMs += performance.now() - t0;
  return freed;
}

let allowance = GC_ALLOWANCE_MIN_BYTES;
/** Live bytes after the last forced collection (0 before the first). */
let liveAfterCollection = 0;

/**
 * The heap size the policy allows before the next forced collection (collection-policy.ts),
 * plus what its blocks cannot use: the static data below the heap's base, and, for a large
 * request (whose room is counted in whole requests), free blocks too small for it (measured:
 * 1.6 MiB of small blocks freed below the first 80 MiB array left a 320 MiB budget 1.6 MiB
 * short of its fourth 80 MiB block, so every call collected instead of every second one).
 */
function budget(needed: number, heap: Heap): number {
  const unusable = needed >= WHOLE_REQUEST_MIN_BYTES ? heap.fragmentBytes(needed) : 0;
  return collectionBudget(liveAfterCollection, needed, allowance) + heap.base + unusable;
}

/**
 * The heap's pressure handler: release what is unreachable, collecting when the heap is at
 * its budget; returns the size the heap should grow to (0: none wanted).
 */
export function onHeapPressure(needed: number, heap: Heap): number {
  clearKeptObjects();
  if (sweep() >= needed) return 0;
  const size = heapByteLength();
  const room = budget(needed, heap);
  if (heap.end + needed <= room) return room;
  const start = performance.now();
  if (!collectGarbage()) return Math.max(size * 2, heap.end + needed);
  const end = performance.now();
  collectMs += end - start;
  allowance = nextAllowance(allowance, (end - start) / (end - lastCollectionEnd), heap.liveTotal);
  lastCollectionEnd = end;
  forcedCollections++;
  sweep();
  liveAfterCollection = heap.liveTotal;
  return budget(needed, heap);
}

/**
 * Counters: sweeps run, collections forced (and the milliseconds both took), blocks tracked
 * now, blocks pinned now (by calls in flight).
 */
export function lifetimeStats(): {
  sweeps: number; forcedCollections: number; sweepMs: number; collectMs: number; trackedBlocks: number; pinnedBlocks: number;
} {
  return { sweeps, forcedCollections, sweepMs, collectMs, trackedBlocks: tracked.length, pinnedBlocks };
}

/** Anything a scope callback may return: arrays in it (at any depth) survive the scope. */
type Keepable = unknown;

/** Collect the blocks reachable from a scope's result (NDArrays, arrays and plain objects of them). */
function blocksOf(value: Keepable, out: Set<Block>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  const block = (value as { heapBlock?: unknown }).heapBlock;
  if (block instanceof Block) {
    out.add(block);
    return;
  }
  const values = Array.isArray(value) ? value : Object.getPrototypeOf(value) === Object.prototype ? Object.values(value) : [];
  for (const v of values) blocksOf(v, out, seen);
}

/** True for a Promise or any other thenable (what an `async` callback returns). */
function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Run `fn` and dispose every array created during it, except those it returns (inside
 * arrays or plain objects too), which move to the enclosing scope. Synchronous only: the
 * scope ends when `fn` returns, so an `async` callback (one that returns a Promise) is a
 * `MemoryError` (`E_MEMORY_SCOPE_ASYNC`), thrown at once; the arrays it made so far are
 * left to the garbage collector (its code after the first `await` may still use them).
 *
 * @throws MemoryError `E_MEMORY_SCOPE_ASYNC` when `fn` returns a Promise (or any thenable).
 * @example
 * ```ts
 * const total = nb.scope(() => {
 *   const t = nb.ones([1000]);          // disposed when the scope ends
 *   return t.slice('::2').copy();       // kept
 * });
 * ```
 */
export function scope<T>(fn: () => T): T {
  const mine: Block[] = [];
  scopes.push(mine);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    scopes.pop();
    for (const b of mine) disposeBlock(b);
    throw err;
  }
  scopes.pop();
  if (isThenable(result)) {
    // Its rejection, if any, has nobody to go to: the caller gets this error instead.
    result.then(undefined, () => {});
    throw new MemoryError(
      'E_MEMORY_SCOPE_ASYNC',
      'nb.scope() got an async callback (it returned a Promise): the scope would end at its first await ' +
        'and dispose arrays still in use. In async code, release arrays with `using t = ...` declarations ' +
        'or t.dispose() after the last await that uses them, or run a synchronous nb.scope() between awaits',
    );
  }
  const keep = new Set<Block>();
  blocksOf(result, keep, new Set());
  const parent = scopes[scopes.length - 1];
  for (const b of mine) {
    if (keep.has(b)) parent?.push(b);
    else disposeBlock(b);
  }
  return result;
}
