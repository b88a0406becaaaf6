/**
 * Moving arrays from the heap to the GPU.
 *
 * The array is made contiguous (a copy for strided views; bool bytes widened to u32), then
 * either copied slice by slice through the reused non-shared staging area into
 * `queue.writeBuffer` (synchronous: the path calls with CPU operands use), or through
 * pooled MAP_WRITE staging buffers and `copyBufferToBuffer` (`toGpu`'s default; measured
 * on an H200 as the fastest path Dawn offers). Measured on lavapipe: writeBuffer 11 GB/s
 * vs a mappedAtCreation buffer 0.4 GB/s. Pinned arrays (`nb.emptyPinned`) are copied by
 * the DMA engine without a CPU copy.
 */
import { DTYPES, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { cStrides } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Storage } from '../ndarray/storage.js';
import { TargetError } from '../util/errors.js';
import { currentGpu, gpuDevice, type GpuContext } from './device.js';
import { flushGpu } from './queue.js';
import { copyBytes, deviceBytes, recycleWriteStaging, SLICE, stagingBytes, takeWriteStaging, UPLOAD_SLICE } from './staging.js';
import { allocateGpu, checkGpuDType, GPU_ITEM, gpuStorageOf, isGpuArray } from './storage.js';

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
  const src = a.isContiguous && !isGpuArray(a) ? a : a.copy();
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
    return new NDArray(s, a.shape, cStrides(a.shape), 0);
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
  if (isGpuArray(a)) {
    gpuStorageOf(a).check();
    return a;
  }
  if (a.storage instanceof PinnedStorage && a.isContiguous && a.offset === 0 && a.size === a.storage.length) return uploadPinned(a, a.storage);
  checkGpuDType(a.dtype, 'toGpu');
  // The upload takes the elements as they are now (a change or dispose after toGpu returns
  // never reaches the gpu copy): with the device open it is queued before this returns;
  // the first gpu use awaits the device's opening, so it uploads a copy taken now.
  const open = currentGpu();
  if (open !== null) return upload(open, a);
  const snapshot = a.copy();
  try {
    return upload(await gpuDevice(), snapshot);
  } finally {
    snapshot.dispose();
  }
}

function upload(ctx: GpuContext, a: NDArray): NDArray {
  return uploadMethod === 'writeBuffer' ? uploadSync(ctx, a) : uploadStaged(ctx, a);
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
    return new NDArray(s, a.shape, cStrides(a.shape), 0);
  } finally {
    if (src !== a) src.dispose();
  }
}

/**
 * Host memory the GPU can copy from directly (CUDA's pinned memory): a MAP_WRITE buffer,
 * mapped, that the array views. toGpu unmaps it, queues the copy, and maps it again before
 * its promise resolves; while that runs the array cannot be read or written. Disposing it
 * meanwhile is safe: the copy was queued first, and WebGPU destroys a buffer only after
 * the work already submitted with it.
 */
class PinnedStorage implements Storage {
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

  /** Map again after the copy (nothing to do once disposed: dispose destroyed the buffer). */
  async remap(): Promise<void> {
    if (this.freed) return;
    try {
      await this.buffer.mapAsync(GPUMapMode.WRITE);
    } catch (e) {
      if (this.freed) return; // disposed during the upload: the copy was queued before
      throw e;
    }
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
  return new NDArray(new PinnedStorage(dtype, ctx, buffer, n), dims, cStrides(dims), 0);
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
  await p.remap();
  return new NDArray(s, a.shape, cStrides(a.shape), 0);
}
