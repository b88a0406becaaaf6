/**
 * Reading gpu arrays back to the CPU: one `copyBufferToBuffer` per slice into MAP_READ
 * staging buffers (from the pool in staging.ts), all submitted at once, then each slice is
 * mapped and copied into a new heap array; or, with `{ copy: false }`, the result views the
 * mapped staging memory itself (zero-copy).
 *
 * Order: the copies are submitted before toCpu returns (nothing is awaited first), after
 * the kernels queued so far: a read sees the array as the calls made before it left it,
 * and none made after it (`const p = g.toCpu(); nb.add(g, 1, { out: g })` reads the old
 * values), as WebGPU's queue order suggests. Keep it so: no await before the submit.
 */
import { DTYPES, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { copyLayout } from '../ndarray/copy.js';
import { cStrides } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { allocateStorage, type Storage } from '../ndarray/storage.js';
import { operandOf } from '../ufunc/execute.js';
import { runtime } from '../runtime/runtime.js';
import { TargetError } from '../util/errors.js';
import { checkGpuErrors, type GpuContext } from './device.js';
import { flushGpu } from './queue.js';
import { copyBytes, giveStaging, SLICE, takeStaging } from './staging.js';
import { GPU_ITEM, gpuStorageOf, isGpuArray, type GpuStorage } from './storage.js';

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
class MappedStorage implements Storage {
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
  return new NDArray(new MappedStorage(a.dtype, ctx, staging, view), a.shape, cStrides(a.shape), 0);
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
  if (!isGpuArray(a)) return a;
  const s = gpuStorageOf(a);
  s.check();
  // A strided view of gpu storage is first made contiguous on the device.
  if (!(a.isContiguous && a.offset === 0 && a.size === s.length)) {
    const c = a.copy(); // on the device (the gpu device's astype)
    try {
      return await toCpu(c, options);
    } finally {
      c.dispose();
    }
  }
  if (options.copy === false && a.dtype !== 'bool' && s.buffers.length === 1) return readMapped(a, s);
  const ctx = s.ctx;
  const heap = allocateStorage(a.dtype, a.size);
  const out = new NDArray(heap, a.shape, cStrides(a.shape), 0);
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
        const dst = new Uint8Array(runtime().memory.buffer, heap.ptr + sl.dst / 4, sl.len / 4);
        for (let i = 0; i < words.length; i++) dst[i] = words[i]! !== 0 ? 1 : 0;
      } else {
        copyBytes(new Uint8Array(runtime().memory.buffer, heap.ptr + sl.dst, sl.len), mapped);
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
 * or into the CPU array `cpuOut` (cast to its dtype; skipped when `cpuOut` was disposed
 * meanwhile). The gpu result is disposed.
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
  // `out` disposed while the call was in flight: nobody can read it, so nothing to write.
  if (cpuOut.storage.disposed) {
    host.dispose();
    return cpuOut;
  }
  const src = host.dtype === cpuOut.dtype ? host : host.astype(cpuOut.dtype);
  copyLayout(operandOf(src, cpuOut.shape), operandOf(cpuOut, cpuOut.shape));
  if (src !== host) src.dispose();
  host.dispose();
  return cpuOut;
}
