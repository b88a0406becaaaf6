/**
 * `gpu` storage: an array's elements in GPU buffers (DESIGN.md decision 1, storage kinds).
 *
 * Layout on the device: every gpu dtype takes 4 bytes per element (f32, i32, u32, and bool
 * as a u32 0/1, since WGSL storage has no bytes), in one GPUBuffer, or in several of
 * `chunkElems` elements each when the array is bigger than one buffer may be
 * (min(maxBufferSize, maxStorageBufferBindingSize), rounded down to whole workgroups).
 * All chunked arrays of one device use the same chunk size, so elementwise kernels over
 * contiguous arrays work chunk by chunk on aligned ranges.
 *
 * Lifetime: buffers are destroyed by `dispose()`, or when the NDArray (and every view) is
 * unreachable (FinalizationRegistry), or when the device is lost or shut down.
 */
import type { DType } from '../dtype/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Storage } from '../ndarray/storage.js';
import { TargetError } from '../util/errors.js';
import { currentGpu, type GpuContext } from './device.js';
import { destroyAfterFlush } from './queue.js';

/** The dtypes arrays may have in gpu storage (DESIGN.md decision 8's policy). */
export const GPU_DTYPES: ReadonlySet<DType> = new Set<DType>(['float32', 'int32', 'uint32', 'bool']);

/** Bytes per element on the device (all gpu dtypes). */
export const GPU_ITEM = 4;

/**
 * @throws TargetError `E_GPU_DTYPE` for dtypes outside the policy.
 * @example
 * ```ts
 * checkGpuDType('float64', 'nb.toGpu'); // throws
 * ```
 */
export function checkGpuDType(dtype: DType, what: string): void {
  if (GPU_DTYPES.has(dtype)) return;
  const hint = dtype === 'float64' ? " (convert first: a.astype('float32'))" : dtype === 'int64' || dtype === 'uint64' ? " (convert first: a.astype('int32'))" : " (convert first: a.astype('int32'))";
  throw new TargetError(
    'E_GPU_DTYPE',
    `${what}: dtype ${dtype} cannot live on the 'gpu' target, which has float32, int32, uint32 and bool ` +
      `(WGSL has no f64 or 64-bit integers; numbats does not emulate them)${hint}`,
  );
}

/** Elements per chunk on this device: whole 256-element workgroups, 256-byte aligned. */
export function chunkElements(ctx: GpuContext): number {
  const bytes = Math.min(ctx.limits.maxBufferSize, ctx.limits.maxStorageBufferBindingSize, chunkBytesOverride ?? Infinity);
  return Math.max(256, Math.floor(bytes / GPU_ITEM / 256) * 256);
}

let chunkBytesOverride: number | null = null;

/** @internal Test hook: use chunks of at most `bytes` (null: the device's limits). */
export function setGpuChunkBytes(bytes: number | null): void {
  chunkBytesOverride = bytes;
}

const finalizer = new FinalizationRegistry<{ ctx: GpuContext; buffers: GPUBuffer[] }>(({ ctx, buffers }) => {
  if (ctx.lost === null) destroyAfterFlush(ctx, buffers);
});

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Elements of an array in GPU buffers. */
export class GpuStorage implements Storage {
  readonly kind = 'gpu' as const;
  /** The device registry's name for this target's device (src/ndarray/devices.ts). */
  readonly device = 'gpu';
  private freed = false;
  private readonly token = {};

  constructor(
    readonly dtype: DType,
    /** Number of elements. */
    readonly length: number,
    readonly ctx: GpuContext,
    /** The buffers: chunk c holds elements [c * chunkElems, (c + 1) * chunkElems). */
    readonly buffers: readonly GPUBuffer[],
    readonly chunkElems: number,
  ) {
    finalizer.register(this, { ctx, buffers: [...buffers] }, this.token);
  }

  get disposed(): boolean {
    return this.freed || this.ctx.lost !== null;
  }

  /** The elements are on the GPU: reading them from JS needs `await a.toCpu()`. */
  get data(): never {
    this.check();
    throw new TargetError(
      'E_GPU_RESIDENT',
      "this array lives on the GPU (storage 'gpu'): read it with `await a.toCpu()` (or pass it to a gpu kernel or a ufunc)",
    );
  }

  /** Throws when the array can no longer be used. */
  check(): void {
    if (this.ctx.lost !== null) {
      throw new TargetError('E_GPU_DEVICE_LOST', `this array lived on a GPU device that is gone (${this.ctx.lost}); upload it again from the CPU`);
    }
    if (this.freed) throw new TargetError('E_GPU_DISPOSED', 'this gpu array was disposed');
  }

  dispose(): void {
    if (this.freed) return;
    this.freed = true;
    finalizer.unregister(this.token);
    if (this.ctx.lost === null) destroyAfterFlush(this.ctx, this.buffers);
  }
}

/**
 * Allocate gpu storage for `length` elements (zero: WebGPU zero-initialises new buffers);
 * `mapped`: the buffers are mapped at creation, for the caller to fill and unmap.
 *
 * @example
 * ```ts
 * const s = allocateGpu(ctx, 'float32', 1e6);
 * ```
 */
export function allocateGpu(ctx: GpuContext, dtype: DType, length: number, mapped = false): GpuStorage {
  checkGpuDType(dtype, 'gpu array');
  const chunk = chunkElements(ctx);
  const buffers: GPUBuffer[] = [];
  const n = Math.max(1, length);
  ctx.device.pushErrorScope('out-of-memory');
  for (let start = 0; start < n; start += chunk) {
    const elems = Math.min(chunk, n - start);
    buffers.push(ctx.device.createBuffer({ size: Math.ceil((elems * GPU_ITEM) / 16) * 16, usage: USAGE(), mappedAtCreation: mapped }));
  }
  // An out-of-memory error is reported asynchronously; the first use of the buffer fails then.
  void ctx.device.popErrorScope().then((err) => {
    if (err) for (const b of buffers) b.destroy();
  });
  return new GpuStorage(dtype, length, ctx, buffers, chunk);
}

/** The device of the arrays' storages (they must share one), or the current device. */
export function deviceOf(storages: readonly GpuStorage[]): GpuContext | null {
  let ctx: GpuContext | null = null;
  for (const s of storages) {
    s.check();
    if (ctx && s.ctx !== ctx) throw new TargetError('E_GPU_DEVICE_LOST', 'gpu arrays from different devices (one was lost and replaced) cannot be combined');
    ctx = s.ctx;
  }
  return ctx ?? currentGpu();
}

/**
 * True for an NDArray whose elements are in gpu storage.
 *
 * @example
 * ```ts
 * isGpuArray(await nb.toGpu(nb.ones([2], 'float32'))); // true
 * ```
 */
export function isGpuArray(x: unknown): x is NDArray & { readonly storage: GpuStorage } {
  return x instanceof NDArray && x.storage instanceof GpuStorage;
}

/**
 * The gpu storage of a gpu array.
 *
 * @throws TargetError `E_GPU_RESIDENT` when the array is not on the GPU.
 * @example
 * ```ts
 * gpuStorageOf(g).check();
 * ```
 */
export function gpuStorageOf(a: NDArray): GpuStorage {
  const s = a.storage;
  if (!(s instanceof GpuStorage)) throw new TargetError('E_GPU_RESIDENT', 'expected an array in gpu storage (nb.toGpu(a) first)');
  return s;
}
