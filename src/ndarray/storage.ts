/**
 * Where an array's elements live: the {@link Storage} interface and the two host storages.
 *
 *  - `wasm`: a block of the shared heap (the default). Kernels run on it in place.
 *  - `js`: an external TypedArray wrapped without copying (`asarray(typedArray)`, scijs
 *    interop, pinned or mapped GPU staging memory). Wasm loops see it through a staging
 *    copy in the heap.
 *  - device storages (kind `gpu`): memory JS cannot address. They are implemented by the
 *    target that owns the device (src/gpu/storage.ts), which registers the device's
 *    operations (moving, casting, printing) in the device registry (devices.ts); the core
 *    finds them by `storage.device` and never imports a target.
 *
 * Views of one array share its Storage object; disposing it invalidates them all. A heap
 * storage pinned by a call in flight keeps its memory until that call settles (lifetime.ts).
 */
import { DTYPES, dtypeOfTypedArray, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { disposeBlock, pinBlock, throwDisposed, trackBlock, unpinBlock, type Block } from '../runtime/lifetime.js';
import { runtime } from '../runtime/runtime.js';
import { SLAB_CELL_MAX_BYTES, allocCell, anchorView } from '../runtime/slab.js';
import { MAX_PAGES, PAGE_BYTES, heapBytes } from '../runtime/wasm-memory.js';
import { MemoryError } from '../util/errors.js';
import { formatShape } from './layout.js';

/** The storage kinds, as `NDArray.storageKind` reports them. */
export type StorageKind = 'wasm' | 'js' | 'gpu';

/** What the core needs of any storage. */
export interface Storage {
  readonly kind: StorageKind;
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
  /** The elements (throws after dispose, and for device storages, which JS cannot read). */
  readonly data: AnyTypedArray;
  /** True once the elements can no longer be used (disposed; a device storage: also lost). */
  readonly disposed: boolean;
  /** Release the memory now (views sharing it become disposed too). */
  dispose(): void;
  /**
   * Set on storages that live on a device: the device's name in the device registry
   * (devices.ts). Calls with such operands go to the target that owns the device.
   */
  readonly device?: string;
}

/**
 * True for heap storage (kernels address it in place).
 *
 * @example
 * ```ts
 * isHeapStorage(nb.zeros([2]).storage); // true
 * ```
 */
export function isHeapStorage(s: Storage): s is HeapStorage {
  return s.kind === 'wasm';
}

/** Storage in the Wasm heap. */
export class HeapStorage implements Storage {
  readonly kind = 'wasm' as const;
  constructor(
    readonly dtype: DType,
    /** Number of elements. */
    readonly length: number,
    readonly block: Block,
    /**
     * TypedArray over exactly this block, made on first use (the fast ufunc path never needs
     * one). For a heap block of its own it is the block's owner (made at once); for a slab
     * cell it keeps the slab (slab.ts, anchorView).
     */
    private array: AnyTypedArray | undefined,
  ) {
    this.anchored = array !== undefined;
  }
  get disposed(): boolean {
    return this.block.freed;
  }

  /** The elements; throws after dispose. The view keeps the memory while it is held. */
  get data(): AnyTypedArray {
    const view = this.elements;
    if (!this.anchored) {
      this.anchored = true;
      anchorView(view, this.block);
    }
    return view;
  }

  /**
   * The elements, for use while this storage is reachable (internal reads and writes that
   * never hand the view out): {@link data} without making the view keep a slab cell's memory
   * (a WeakMap entry, slab.ts), which is paid only when a view reaches the user.
   */
  get elements(): AnyTypedArray {
    if (this.block.freed) throwDisposed();
    // The memory's current buffer: shared memory never detaches, and it covers every block.
    return (this.array ??= new DTYPES[this.dtype].TypedArray(runtime().memory.buffer, this.block.ptr, this.length));
  }

  /** True once {@link data} handed the view out (a block of its own: always). */
  private anchored: boolean;

  /** Heap address of element 0. */
  get ptr(): number {
    return this.block.ptr;
  }

  /**
   * Release the memory now; while a call in flight has it pinned ({@link pin}), the array
   * is disposed at once and the memory is released when that call settles.
   */
  dispose(): void {
    disposeBlock(this.block);
  }

  /**
   * Keep the memory for a call that outlives its caller (workers use it by address), even
   * if the array is disposed meanwhile; pair with {@link unpin} when the call settles.
   *
   * @example
   * ```ts
   * s.pin();
   * await job;
   * s.unpin();
   * ```
   */
  pin(): void {
    pinBlock(this.block);
  }

  /** End one {@link pin} (a dispose meanwhile releases the memory now). */
  unpin(): void {
    unpinBlock(this.block);
  }
}

/** An external TypedArray, wrapped as it is. */
export class JsStorage implements Storage {
  readonly kind = 'js' as const;
  readonly disposed = false;
  constructor(
    readonly dtype: DType,
    readonly data: AnyTypedArray,
  ) {}

  /**
   * Wraps a TypedArray the caller owns, without copying; undefined for a view type with no
   * dtype (DataView, Uint8ClampedArray).
   *
   * @example
   * ```ts
   * JsStorage.wrap(new Float32Array(4))?.dtype; // 'float32'
   * ```
   */
  static wrap(view: ArrayBufferView): JsStorage | undefined {
    const dtype = dtypeOfTypedArray(view);
    return dtype === undefined ? undefined : new JsStorage(dtype, view as AnyTypedArray);
  }

  get length(): number {
    return this.data.length;
  }

  /** External memory is not ours to free; dispose only drops nothing. */
  dispose(): void {}
}

/**
 * The elements of `s` for internal use while `s` is reachable (see HeapStorage.elements);
 * `s.data` for other storages.
 *
 * @example
 * ```ts
 * const v = elementsOf(a.storage)[a.offset];
 * ```
 */
export function elementsOf(s: Storage): AnyTypedArray {
  return s instanceof HeapStorage ? s.elements : s.data;
}

/** The most bytes one array can take: the whole wasm32 heap, 4 GiB. */
export const MAX_ARRAY_BYTES = MAX_PAGES * PAGE_BYTES;

/** A byte count as NumPy's MemoryError prints it: `74.5 GiB`. */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v.toPrecision(3).replace(/\.?0+$/, '')} ${units[u]}`;
}

/**
 * Allocate heap storage for `length` elements of `dtype`; zero-filled when `zero`. `shape`
 * (default `[length]`) only names the array in the error message.
 *
 * @throws MemoryError (`E_MEMORY_LIMIT`) when the heap cannot hold it: more than
 *   {@link MAX_ARRAY_BYTES} at once (checked before anything is allocated, so no JS
 *   RangeError can escape), or more than the heap has room for.
 * @example
 * ```ts
 * const s = allocateStorage('float64', 10, true);
 * ```
 */
export function allocateStorage(dtype: DType, length: number, zero = false, shape: readonly number[] = [length]): HeapStorage {
  const info = DTYPES[dtype];
  const bytes = Math.max(1, length) * info.itemSize;
  if (bytes > MAX_ARRAY_BYTES) {
    throw new MemoryError(
      'E_MEMORY_LIMIT',
      `cannot allocate ${formatBytes(bytes)} (${bytes} bytes) for an array with shape ${formatShape(shape)} and dtype ${dtype}: ` +
        `the array heap holds at most 4 GiB (${MAX_ARRAY_BYTES} bytes, the wasm32 limit); use smaller arrays or process the data in chunks`,
    );
  }
  const rt = runtime();
  if (bytes <= SLAB_CELL_MAX_BYTES) {
    // A small array: a cell of a slab, tracked by its slab (slab.ts); its view comes later.
    const cell = allocCell(rt.heap, bytes);
    // At most 1 KiB: zeroed here rather than by the prebuilt module's memory.fill, so that a
    // program's first small arrays do not compile that module (~3 ms, runtime.ts; issue 15).
    if (zero) heapBytes().fill(0, cell.ptr, cell.ptr + bytes);
    return new HeapStorage(dtype, length, cell, undefined);
  }
  const ptr = rt.heap.alloc(bytes);
  if (zero) rt.loops.zeroBytes(ptr, length * info.itemSize);
  // Fetch the buffer after alloc: the allocation may have grown the memory.
  const array = new info.TypedArray(rt.memory.buffer, ptr, length);
  const block = trackBlock(rt.heap, ptr, rt.heap.sizeOf(ptr)!, array);
  return new HeapStorage(dtype, length, block, array);
}
