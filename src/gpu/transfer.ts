/**
 * Moving arrays between the heap and the GPU.
 *
 * Upload: the array is made contiguous (a copy for strided views; bool bytes widened to
 * u32), then copied slice by slice through a reused non-shared staging ArrayBuffer into
 * `queue.writeBuffer`, which copies it into Dawn's own staging memory during the call.
 * Why not straight from the heap: Dawn refuses SharedArrayBuffer data (and crashes the
 * process on a TypedArray view of one), and the heap is shared. Measured on lavapipe:
 * writeBuffer 11 GB/s vs a mappedAtCreation buffer 0.4 GB/s.
 * Readback: one `copyBufferToBuffer` per slice into MAP_READ staging buffers (reused from
 * a small pool: a mappable buffer is costly to create), all submitted at once, then each
 * slice is mapped and copied into a new heap array. Staging slices are at most 64 MiB so
 * copies from the first slices overlap the GPU's work on the later ones.
 */
import type { NDArray } from '../ndarray/ndarray.js';
import { DTYPES, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { NDArray as NDArrayClass } from '../ndarray/ndarray.js';
import { empty } from '../ndarray/creation.js';
import { cStrides } from '../ndarray/layout.js';
import { runtime } from '../runtime/runtime.js';
import { copyLayout } from '../ndarray/copy.js';
import { operandOf } from '../ufunc/execute.js';
import { TargetError } from '../util/errors.js';
import { checkGpuErrors, gpuDevice, type GpuContext } from './device.js';
import { allocateGpu, checkGpuDType, GPU_ITEM, GpuStorage } from './storage.js';
import { flushGpu } from './queue.js';

const SLICE = 64 << 20;
const UPLOAD_SLICE = 32 << 20;

/**
 * Copying between the heap (a SharedArrayBuffer) and mapped GPU memory. V8's
 * TypedArray.prototype.set copies into or out of shared memory word by word (relaxed
 * atomics); Node's Buffer#copy is a plain memmove. 'buffer' (default) or 'set'.
 */
let copyMethod: 'buffer' | 'set' = 'buffer';

/** @internal Choose the copy primitive (benchmarks compare them). */
export function setGpuCopyMethod(m: 'buffer' | 'set'): void {
  copyMethod = m;
}

function copyBytes(dst: Uint8Array, src: Uint8Array): void {
  if (copyMethod === 'set') return dst.set(src);
  Buffer.from(src.buffer, src.byteOffset, src.byteLength).copy(Buffer.from(dst.buffer, dst.byteOffset, dst.byteLength));
}

/** MAP_WRITE staging buffers, mapped and ready, by size (per device). */
const writePools = new WeakMap<GpuContext, Map<number, GPUBuffer[]>>();

function takeWriteStaging(ctx: GpuContext, size: number): GPUBuffer {
  const b = writePools.get(ctx)?.get(size)?.pop();
  return b ?? ctx.device.createBuffer({ size, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
}

/** After the copy out of it is queued: map it again in the background, then pool it. */
function recycleWriteStaging(ctx: GpuContext, b: GPUBuffer): void {
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
function stagingBytes(n: number): Uint8Array {
  if (uploadStage.byteLength < n) uploadStage = new Uint8Array(Math.max(n, 1 << 16));
  return uploadStage;
}

/** MAP_READ staging buffers kept for reuse, by size (per device). */
const pools = new WeakMap<GpuContext, Map<number, GPUBuffer[]>>();
const POOL_MAX_BYTES = 1 << 30;

function takeStaging(ctx: GpuContext, size: number): GPUBuffer {
  const list = pools.get(ctx)?.get(size);
  const b = list?.pop();
  if (b) return b;
  return ctx.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
}

function giveStaging(ctx: GpuContext, b: GPUBuffer): void {
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
function deviceBytes(a: NDArray): Uint8Array {
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

/**
 * Copy an array to new gpu storage on `ctx` (synchronous: the queue keeps the order).
 *
 * @example
 * ```ts
 * const g = uploadSync(ctx, nb.ones([4], 'float32'));
 * ```
 */
export function uploadSync(ctx: GpuContext, a: NDArray): NDArray {
  checkGpuDType(a.dtype, 'toGpu');
  const src = a.isContiguous && a.storage.kind !== 'gpu' ? a : a.copy();
  try {
    const bytes = deviceBytes(src);
    const s = allocateGpu(ctx, a.dtype, a.size);
    const chunkBytes = s.chunkElems * GPU_ITEM;
    flushGpu(ctx); // kernels queued earlier run before this upload
    const stage = stagingBytes(Math.min(UPLOAD_SLICE, bytes.byteLength));
    for (let pos = 0; pos < bytes.byteLength;) {
      const c = Math.floor(pos / chunkBytes);
      const inChunk = pos - c * chunkBytes;
      const len = Math.min(stage.byteLength, chunkBytes - inChunk, bytes.byteLength - pos);
      copyBytes(stage.subarray(0, len), bytes.subarray(pos, pos + len));
      ctx.device.queue.writeBuffer(s.buffers[c]!, inChunk, stage.buffer, 0, len);
      pos += len;
    }
    return new NDArrayClass(s as never, a.shape, cStrides(a.shape), 0);
  } finally {
    if (src !== a) src.dispose();
  }
}

/**
 * Copy an array to the GPU (`gpu` storage). A gpu array is returned as it is.
 *
 * @throws TargetError `E_GPU_DTYPE` for dtypes the gpu target does not have (float64, ...),
 *   `E_GPU_UNAVAILABLE` without an adapter.
 * @example
 * ```ts
 * const g = await nb.toGpu(nb.linspace(0, 1, 5, { dtype: 'float32' }));
 * g.storageKind; // 'gpu'
 * ```
 */
export async function toGpu(a: NDArray): Promise<NDArray> {
  if (a.storage.kind === 'gpu') {
    (a.storage as unknown as GpuStorage).check();
    return a;
  }
  if (a.storage instanceof PinnedStorage && a.isContiguous && a.offset === 0 && a.size === a.storage.length) return uploadPinned(a, a.storage);
  checkGpuDType(a.dtype, 'toGpu');
  const ctx = await gpuDevice();
  const { installGpuBuiltins } = await import('./builtins.js');
  installGpuBuiltins();
  if (uploadMethod === 'writeBuffer') return uploadSync(ctx, a);
  return uploadStaged(ctx, a);
}

/**
 * How toGpu uploads: 'staging' (default: heap -> MAP_WRITE staging buffers kept mapped in a
 * pool -> copyBufferToBuffer; measured on an H200 as the fastest path Dawn offers) or
 * 'writeBuffer' (heap -> non-shared scratch -> queue.writeBuffer; the synchronous path
 * calls with CPU operands use).
 */
let uploadMethod: 'staging' | 'writeBuffer' = 'staging';

/** @internal Choose toGpu's upload path (benchmarks compare them). */
export function setGpuUploadMethod(m: 'staging' | 'writeBuffer'): void {
  uploadMethod = m;
}

/** toGpu through pooled MAP_WRITE staging buffers (slices of up to 64 MiB). */
function uploadStaged(ctx: GpuContext, a: NDArray): NDArray {
  const src = a.isContiguous ? a : a.copy();
  try {
    const bytes = deviceBytes(src);
    const s = allocateGpu(ctx, a.dtype, a.size);
    const chunkBytes = s.chunkElems * GPU_ITEM;
    const enc = ctx.device.createCommandEncoder();
    const used: GPUBuffer[] = [];
    for (let pos = 0; pos < bytes.byteLength;) {
      const c = Math.floor(pos / chunkBytes);
      const inChunk = pos - c * chunkBytes;
      const len = Math.min(SLICE, chunkBytes - inChunk, bytes.byteLength - pos);
      const staging = takeWriteStaging(ctx, len);
      copyBytes(new Uint8Array(staging.getMappedRange(0, len)), bytes.subarray(pos, pos + len));
      staging.unmap();
      enc.copyBufferToBuffer(staging, 0, s.buffers[c]!, inChunk, len);
      used.push(staging);
      pos += len;
    }
    flushGpu(ctx);
    ctx.device.queue.submit([enc.finish()]);
    for (const b of used) recycleWriteStaging(ctx, b);
    return new NDArrayClass(s as never, a.shape, cStrides(a.shape), 0);
  } finally {
    if (src !== a) src.dispose();
  }
}

/**
 * Host memory the GPU can copy from directly (CUDA's pinned memory): a MAP_WRITE buffer,
 * mapped, that the array views. toGpu unmaps it, queues the copy, and maps it again before
 * its promise resolves; while that runs the array cannot be read or written.
 */
class PinnedStorage {
  readonly kind = 'js' as const;
  private view: AnyTypedArray | null;
  private freed = false;
  constructor(readonly dtype: DType, readonly ctx: GpuContext, readonly buffer: GPUBuffer, readonly length: number) {
    this.view = this.map();
    pinnedFinalizer.register(this, buffer, this);
  }

  map(): AnyTypedArray {
    return new DTYPES[this.dtype].TypedArray(this.buffer.getMappedRange(0, Math.max(4, this.length * GPU_ITEM)), 0, this.length) as AnyTypedArray;
  }

  get disposed(): boolean {
    return this.freed;
  }

  get data(): AnyTypedArray {
    if (this.freed) throw new TargetError('E_GPU_DISPOSED', 'this pinned array was disposed');
    if (this.view === null) throw new TargetError('E_GPU_BUSY', 'this pinned array is being uploaded: await the nb.toGpu(...) promise before using it again');
    return this.view;
  }

  /** Unmap for a copy (the view is gone until {@link remap}). */
  release(): void {
    this.view = null;
    this.buffer.unmap();
  }

  async remap(): Promise<void> {
    await this.buffer.mapAsync(GPUMapMode.WRITE);
    if (!this.freed) this.view = this.map();
  }

  dispose(): void {
    if (this.freed) return;
    this.freed = true;
    pinnedFinalizer.unregister(this);
    this.view = null;
    this.buffer.destroy();
  }
}

const pinnedFinalizer = new FinalizationRegistry<GPUBuffer>((b) => b.destroy());

/**
 * A new array in pinned host memory: fill it from JS, then `nb.toGpu` copies it without a
 * CPU copy (the DMA engine reads it). Measured on an H200: see bench/README.md.
 * float32, int32 and uint32 (bool is stored differently on the device).
 *
 * @throws TargetError `E_GPU_DTYPE` for other dtypes; `E_GPU_UNAVAILABLE` without a GPU.
 * @example
 * ```ts
 * const p = await nb.emptyPinned([1024], 'float32');
 * p.data.fill(1.5);
 * const g = await nb.toGpu(p);
 * ```
 */
export async function emptyPinned(shape: readonly number[] | number, dtype: DType = 'float32'): Promise<NDArray> {
  if (dtype === 'bool') throw new TargetError('E_GPU_DTYPE', 'emptyPinned: bool elements are u32 words on the GPU, so bool arrays cannot be pinned; use uint32 0/1');
  checkGpuDType(dtype, 'emptyPinned');
  const dims = typeof shape === 'number' ? [shape] : [...shape];
  const n = dims.reduce((x, y) => x * y, 1);
  const ctx = await gpuDevice();
  const buffer = ctx.device.createBuffer({ size: Math.max(4, n * GPU_ITEM), usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
  return new NDArrayClass(new PinnedStorage(dtype, ctx, buffer, n) as never, dims, cStrides(dims), 0);
}

async function uploadPinned(a: NDArray, p: PinnedStorage): Promise<NDArray> {
  if (p.disposed) throw new TargetError('E_GPU_DISPOSED', 'this pinned array was disposed');
  void p.data; // E_GPU_BUSY while another upload of it runs
  const ctx = p.ctx;
  const s = allocateGpu(ctx, a.dtype, a.size);
  const chunkBytes = s.chunkElems * GPU_ITEM;
  const total = a.size * GPU_ITEM;
  p.release();
  const enc = ctx.device.createCommandEncoder();
  for (let pos = 0; pos < total; pos += chunkBytes) {
    const c = pos / chunkBytes;
    enc.copyBufferToBuffer(p.buffer, pos, s.buffers[c]!, 0, Math.min(chunkBytes, total - pos));
  }
  flushGpu(ctx);
  ctx.device.queue.submit([enc.finish()]);
  const { installGpuBuiltins } = await import('./builtins.js');
  installGpuBuiltins();
  await p.remap();
  return new NDArrayClass(s as never, a.shape, cStrides(a.shape), 0);
}

/** Options of {@link toCpu}. */
export interface ToCpuOptions {
  /**
   * true (default): the result is a heap array, like every other. false: the result views
   * the mapped GPU staging memory directly (`js` storage; no copy: measured on an H200,
   * 48 GB/s against ~5 GB/s with the copy into the heap, whose memcpy is the limit);
   * numbats kernels read such an array through the heap, so prefer it for results that
   * are read (toArray, get, writing a file) rather than computed on. The memory is
   * released by `dispose()` or when the array is collected. bool and arrays bigger than
   * one GPU buffer are always copied.
   */
  copy?: boolean;
}

/** An array's elements in a mapped MAP_READ buffer (zero-copy readback). */
class MappedStorage {
  readonly kind = 'js' as const;
  private buffer: GPUBuffer | null;
  private readonly view: AnyTypedArray;
  private readonly token = {};
  constructor(readonly dtype: DType, private readonly ctx: GpuContext, buffer: GPUBuffer, view: AnyTypedArray) {
    this.buffer = buffer;
    this.view = view;
    mappedFinalizer.register(this, { ctx, buffer }, this.token);
  }

  get disposed(): boolean {
    return this.buffer === null;
  }

  get data(): AnyTypedArray {
    if (this.buffer === null) throw new TargetError('E_GPU_DISPOSED', 'this array (read back from the GPU without a copy) was disposed');
    return this.view;
  }

  get length(): number {
    return this.view.length;
  }

  dispose(): void {
    if (this.buffer === null) return;
    mappedFinalizer.unregister(this.token);
    release({ ctx: this.ctx, buffer: this.buffer });
    this.buffer = null;
  }
}

/** A staging buffer given back: unmapped and pooled for the next readback. */
function release({ ctx, buffer }: { ctx: GpuContext; buffer: GPUBuffer }): void {
  if (ctx.lost !== null) return;
  buffer.unmap();
  giveStaging(ctx, buffer);
}

const mappedFinalizer = new FinalizationRegistry<{ ctx: GpuContext; buffer: GPUBuffer }>(release);

/** Zero-copy readback: one MAP_READ buffer the result keeps mapped. */
async function readMapped(a: NDArray, s: GpuStorage): Promise<NDArray> {
  const ctx = s.ctx;
  const len = a.size * GPU_ITEM;
  const staging = takeStaging(ctx, Math.max(4, len));
  const enc = ctx.device.createCommandEncoder();
  if (len > 0) enc.copyBufferToBuffer(s.buffers[0]!, 0, staging, 0, len);
  flushGpu(ctx);
  ctx.device.queue.submit([enc.finish()]);
  await checkGpuErrors(ctx);
  try {
    await staging.mapAsync(GPUMapMode.READ);
  } catch (e) {
    staging.destroy();
    if (ctx.lost !== null) throw new TargetError('E_GPU_DEVICE_LOST', `the GPU device was lost while reading an array back (${ctx.lost})`);
    throw e;
  }
  const info = DTYPES[a.dtype];
  const view = new info.TypedArray(staging.getMappedRange(0, Math.max(4, len)), 0, a.size) as AnyTypedArray;
  return new NDArrayClass(new MappedStorage(a.dtype, ctx, staging, view) as never, a.shape, cStrides(a.shape), 0);
}

/**
 * Read a gpu array back (C order): into a new heap array, or with `{ copy: false }` as a
 * view of the mapped staging memory. A CPU array is returned as it is.
 *
 * @throws TargetError `E_GPU_DEVICE_LOST` when its device is gone.
 * @example
 * ```ts
 * const g = nb.sqrt(await nb.toGpu(nb.arange(4, undefined, undefined, 'float32')));
 * const c = await nb.toCpu(g);
 * c.toArray();
 * const fast = await nb.toCpu(g, { copy: false }); // no copy into the heap
 * ```
 */
export async function toCpu(a: NDArray, options: ToCpuOptions = {}): Promise<NDArray> {
  if (a.storage.kind !== 'gpu') return a;
  const s = a.storage as unknown as GpuStorage;
  s.check();
  // A strided view of gpu storage is first made contiguous on the device.
  if (!(a.isContiguous && a.offset === 0 && a.size === s.length)) {
    const { gpuCopy } = await import('./call.js');
    const c = gpuCopy(a);
    try {
      return await toCpu(c, options);
    } finally {
      c.dispose();
    }
  }
  if (options.copy === false && a.dtype !== 'bool' && s.buffers.length === 1) return readMapped(a, s);
  const ctx = s.ctx;
  const out = empty(a.shape, a.dtype);
  const total = a.size * GPU_ITEM;
  if (total === 0) return out;
  const chunkBytes = s.chunkElems * GPU_ITEM;
  const slices: { staging: GPUBuffer; src: number; dst: number; len: number }[] = [];
  const enc = ctx.device.createCommandEncoder();
  for (let pos = 0; pos < total;) {
    const c = Math.floor(pos / chunkBytes);
    const inChunk = pos - c * chunkBytes;
    const len = Math.min(SLICE, chunkBytes - inChunk, total - pos);
    const staging = takeStaging(ctx, len);
    enc.copyBufferToBuffer(s.buffers[c]!, inChunk, staging, 0, len);
    slices.push({ staging, src: inChunk, dst: pos, len });
    pos += len;
  }
  flushGpu(ctx);
  ctx.device.queue.submit([enc.finish()]);
  await checkGpuErrors(ctx);
  const maps = slices.map((sl) => sl.staging.mapAsync(GPUMapMode.READ, 0, sl.len));
  try {
    for (let k = 0; k < slices.length; k++) {
      await maps[k];
      const sl = slices[k]!;
      const mapped = new Uint8Array(sl.staging.getMappedRange(0, sl.len));
      if (a.dtype === 'bool') {
        const words = new Uint32Array(mapped.buffer, mapped.byteOffset, sl.len / 4);
        const dst = new Uint8Array(runtime().memory.buffer, (out.storage as { ptr: number }).ptr + sl.dst / 4, sl.len / 4);
        for (let i = 0; i < words.length; i++) dst[i] = words[i]! !== 0 ? 1 : 0;
      } else {
        copyBytes(new Uint8Array(runtime().memory.buffer, (out.storage as { ptr: number }).ptr + sl.dst, sl.len), mapped);
      }
      sl.staging.unmap();
      giveStaging(ctx, sl.staging);
    }
  } catch (e) {
    await Promise.allSettled(maps);
    for (const sl of slices) sl.staging.destroy();
    if (ctx.lost !== null) throw new TargetError('E_GPU_DEVICE_LOST', `the GPU device was lost while reading an array back (${ctx.lost})`);
    throw e;
  }
  return out;
}

/**
 * Read a gpu result back for a caller that passed only CPU operands: into a new heap array,
 * or into the CPU array `cpuOut` (cast to its dtype). The gpu result is disposed.
 *
 * @example
 * ```ts
 * return deliver(gpuResult, options.out ?? null);
 * ```
 */
export async function deliver(result: NDArray, cpuOut: NDArray | null): Promise<NDArray> {
  const host = await toCpu(result);
  result.dispose();
  if (cpuOut === null) return host;
  const src = host.dtype === cpuOut.dtype ? host : host.astype(cpuOut.dtype);
  copyLayout(operandOf(src, cpuOut.shape), operandOf(cpuOut, cpuOut.shape));
  if (src !== host) src.dispose();
  host.dispose();
  return cpuOut;
}
