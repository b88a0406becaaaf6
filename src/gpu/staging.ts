/**
 * Staging between the heap and GPU buffers, shared by uploads (upload.ts) and readbacks
 * (readback.ts): pools of mappable staging buffers, the reused non-shared upload area, and
 * the byte copy between shared and mapped memory.
 *
 * Why staging at all: Dawn refuses SharedArrayBuffer data (and crashes the process on a
 * TypedArray view of one), and the heap is shared. Staging slices are at most 64 MiB so
 * copies from the first slices overlap the GPU's work on the later ones. A mappable
 * buffer is costly to create, so they are pooled (at most 1 GiB per device).
 */
import type { NDArray } from '../ndarray/ndarray.js';
import { memmove } from '../platform/memmove.node.js';
import type { GpuContext } from './device.js';
import { GPU_ITEM } from './storage.js';

/** Bytes per staging slice (readback and staged upload). */
export const SLICE = 64 << 20;
/** Bytes per writeBuffer slice of the synchronous upload. */
export const UPLOAD_SLICE = 32 << 20;

/**
 * Copying between the heap (a SharedArrayBuffer) and mapped GPU memory. V8's
 * TypedArray.prototype.set copies into or out of shared memory word by word (relaxed
 * atomics); Node's Buffer#copy is a plain memmove (platform/memmove.node.ts; browsers have
 * only `set`). 'buffer' (default) or 'set'.
 */
let copyMethod: 'buffer' | 'set' = 'buffer';

/** @internal Choose the copy primitive (benchmarks compare them). */
export function setGpuCopyMethod(m: 'buffer' | 'set'): void {
  copyMethod = m;
}

export function copyBytes(dst: Uint8Array, src: Uint8Array): void {
  if (copyMethod === 'set') return dst.set(src);
  memmove(dst, src);
}

/** MAP_WRITE staging buffers, mapped and ready, by size (per device). */
const writePools = new WeakMap<GpuContext, Map<number, GPUBuffer[]>>();

export function takeWriteStaging(ctx: GpuContext, size: number): GPUBuffer {
  const b = writePools.get(ctx)?.get(size)?.pop();
  return b ?? ctx.device.createBuffer({ size, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
}

/** After the copy out of it is queued: map it again in the background, then pool it. */
export function recycleWriteStaging(ctx: GpuContext, b: GPUBuffer): void {
  b.mapAsync(GPUMapMode.WRITE).then(() => {
    let pool = writePools.get(ctx);
    if (!pool) writePools.set(ctx, (pool = new Map()));
    const list = pool.get(b.size) ?? [];
    let total = 0;
    for (const [size, l] of pool) total += size * l.length;
    if (total + b.size > POOL_MAX_BYTES) return b.destroy();
    list.push(b);
    pool.set(b.size, list);
  }, () => b.destroy());
}

/** The reused non-shared upload staging area (grown on demand up to UPLOAD_SLICE). */
let uploadStage = new Uint8Array(0);
export function stagingBytes(n: number): Uint8Array {
  if (uploadStage.byteLength < n) uploadStage = new Uint8Array(Math.max(n, 1 << 16));
  return uploadStage;
}

/** MAP_READ staging buffers kept for reuse, by size (per device). */
const pools = new WeakMap<GpuContext, Map<number, GPUBuffer[]>>();
const POOL_MAX_BYTES = 1 << 30;

export function takeStaging(ctx: GpuContext, size: number): GPUBuffer {
  const list = pools.get(ctx)?.get(size);
  const b = list?.pop();
  if (b) return b;
  return ctx.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
}

export function giveStaging(ctx: GpuContext, b: GPUBuffer): void {
  let pool = pools.get(ctx);
  if (!pool) pools.set(ctx, (pool = new Map()));
  let total = 0;
  for (const [size, list] of pool) total += size * list.length;
  if (total + b.size > POOL_MAX_BYTES) return b.destroy();
  const list = pool.get(b.size) ?? [];
  list.push(b);
  pool.set(b.size, list);
}

/** The bytes of a C-contiguous array of a gpu dtype, as the device stores them. */
export function deviceBytes(a: NDArray): Uint8Array {
  const data = a.data as unknown as ArrayBufferView & { length: number };
  if (a.dtype === 'bool') {
    // bool bytes -> u32 0/1 (WGSL storage has no 8-bit type).
    const src = data as unknown as Uint8Array;
    const wide = new Uint32Array(a.size);
    for (let i = 0; i < a.size; i++) wide[i] = src[a.offset + i]! !== 0 ? 1 : 0;
    return new Uint8Array(wide.buffer);
  }
  return new Uint8Array(data.buffer, data.byteOffset + a.offset * GPU_ITEM, a.size * GPU_ITEM);
}
