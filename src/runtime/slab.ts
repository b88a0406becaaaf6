/**
 * Slabs: small arrays (issue 16 item 2) are cut out of 16 KiB heap blocks by bumping a
 * pointer, and their lifetime is tracked per slab, not per array.
 *
 * Why: measured on Node 20 (bench/README.md, issue 16), making a 16-element array cost
 * ~2 us, almost all of it bookkeeping: a FinalizationRegistry registration and
 * unregistration (0.25-0.9 us), a WeakRef once a synchronous stretch has made 32 MiB of
 * them (0.6-1 us), the allocator's block table (0.1-0.3 us), and the TypedArray view
 * (~0.1 us). Here a small array costs a bump and two small objects; the slab pays the
 * tracking once for every array cut from it.
 *
 * Lifetime. A slab is an object (the owner that lifetime.ts tracks, like an array's
 * TypedArray) holding one heap block. Every array cut from it holds the slab strongly: its
 * cell's Block (`host`) and, once made, its TypedArray (through `anchors`, a WeakMap, so
 * that a user who keeps only `a.data` keeps the memory too). The allocator holds the
 * current slab strongly only until the end of the synchronous stretch (a microtask then
 * lets go of it, keeping a WeakRef to pick it up again). So:
 *   - the slab's memory goes back to the heap when the slab is unreachable, which is when
 *     none of its arrays is (registry or sweep, as for any block: nothing reachable is
 *     ever freed);
 *   - or at once when every cell cut from it has been released (disposed or ended by a
 *     scope): then a slab that is still current is reused from its start instead.
 * A cell's memory is never reused alone: a slab is a bump allocator. So one long-lived
 * small array keeps its whole slab (at most SLAB_BYTES / 16 = 1024 times its own bytes, for
 * a 16-byte array among short-lived ones); arrays made together, the common case, share it.
 * Pins (work in flight) hold a released cell, and with it its slab, until the last unpin.
 */
import { ALIGN } from './size-classes.js';
import { POISON_BYTE, isHeapDebug, type Heap } from './heap.js';
import { Block, disposeBlock, enterScope, slabCounters, trackBlock, type CellHost } from './lifetime.js';
import { heapBytes } from './wasm-memory.js';

/** Bytes of one slab (a heap block). */
export const SLAB_BYTES = 16 * 1024;
/** Arrays of at most this many bytes are cut from slabs (at least 16 per slab). */
export const SLAB_CELL_MAX_BYTES = 1024;

class Slab implements CellHost {
  /** The slab's heap block (tracked with this slab as its owner). */
  block!: Block;
  /** Bytes handed out from the start of the block. */
  used = 0;

  dropCell(cell: Block): void {
    slabCounters.cells--;
    slabCounters.spareBytes += cell.bytes;
    this.block.spare += cell.bytes;
    if (isHeapDebug()) heapBytes().fill(POISON_BYTE, cell.ptr, cell.ptr + cell.bytes);
    if (--this.block.cells > 0) return;
    // Every cell cut so far is released: reuse the slab while it is current, else free it.
    if (this === current) this.used = 0;
    else disposeBlock(this.block);
  }
}

/** The slab cells come from, held strongly within one synchronous stretch. */
let current: Slab | undefined;
/** The previous current slab's block (its `ref` is a WeakRef to the slab). */
let recent: Block | undefined;
let letGoQueued = false;
function letGo(): void {
  letGoQueued = false;
  if (current !== undefined) recent = current.block;
  current = undefined;
}

function makeCurrent(slab: Slab): Slab {
  current = slab;
  if (!letGoQueued) {
    letGoQueued = true;
    queueMicrotask(letGo);
  }
  return slab;
}

/** A slab with room for `size` bytes: the last one if it is alive and has room, else a new one. */
function slabFor(heap: Heap, size: number): Slab {
  if (current === undefined && recent !== undefined) {
    const last = recent.ref!.deref() as Slab | undefined;
    recent = undefined;
    if (last !== undefined && !last.block.freed && last.block.heap === heap && last.used + size <= SLAB_BYTES) return makeCurrent(last);
  }
  const ptr = heap.alloc(SLAB_BYTES);
  const slab = new Slab();
  slab.block = trackBlock(heap, ptr, SLAB_BYTES, slab, false);
  slab.block.isSlab = true;
  slab.block.spare = SLAB_BYTES;
  slabCounters.slabs++;
  slabCounters.spareBytes += SLAB_BYTES;
  return makeCurrent(slab);
}

/**
 * A block of at least `bytes` bytes (at most {@link SLAB_CELL_MAX_BYTES}) cut from a slab;
 * its contents are undefined. Release it as any block (`disposeBlock`, scopes): it needs no
 * tracking of its own, its slab is tracked.
 *
 * @example
 * ```ts
 * const cell = allocCell(runtime().heap, 16 * 8);
 * ```
 */
export function allocCell(heap: Heap, bytes: number): Block {
  const size = bytes <= ALIGN ? ALIGN : (bytes + ALIGN - 1) & ~(ALIGN - 1);
  let slab = current;
  if (slab === undefined || slab.used + size > SLAB_BYTES || slab.block.heap !== heap) slab = slabFor(heap, size);
  const cell = new Block(heap, slab.block.ptr + slab.used, size, undefined);
  cell.host = slab;
  slab.used += size;
  slab.block.cells++;
  slab.block.spare -= size;
  slabCounters.spareBytes -= size;
  slabCounters.cells++;
  enterScope(cell);
  return cell;
}

/** A view's strong link to the slab of its cell (see the file header). */
const anchors = new WeakMap<object, CellHost>();

/**
 * Make `view` (a TypedArray over `block`) keep the block's memory while it is reachable:
 * for a slab cell, the view holds its slab; other blocks are tracked by their view already.
 *
 * @example
 * ```ts
 * const view = new Float64Array(memory.buffer, cell.ptr, 16);
 * anchorView(view, cell);
 * ```
 */
export function anchorView(view: object, block: Block): void {
  if (block.host !== null) anchors.set(view, block.host);
}
