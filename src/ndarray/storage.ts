/**
 * Where an array's elements live.
 *
 *  - `wasm`: a block of the shared heap (the default). Kernels run on it in place.
 *  - `js`: an external TypedArray wrapped without copying (`asarray(typedArray)`, scijs
 *    interop). Wasm loops see it through a staging copy in the heap.
 *  - `gpu`: GPU buffers (src/gpu/storage.ts); the elements are read back with `toCpu`.
 *
 * Views of one array share its Storage object; disposing it invalidates them all.
 */
import { DTYPES, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { disposeBlock, throwDisposed, trackBlock, type Block } from '../runtime/lifetime.js';
import { runtime } from '../runtime/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';

/** Storage in the Wasm heap. */
export class HeapStorage {
  readonly kind = 'wasm' as const;
  constructor(
    readonly dtype: DType,
    /** TypedArray over exactly this block; its reachability keeps the block. */
    private readonly array: AnyTypedArray,
    readonly block: Block,
  ) {}

  get disposed(): boolean {
    return this.block.freed;
  }

  /** The elements; throws after dispose. */
  get data(): AnyTypedArray {
    if (this.block.freed) throwDisposed();
    return this.array;
  }

  /** Heap address of element 0. */
  get ptr(): number {
    return this.block.ptr;
  }

  get length(): number {
    return this.array.length;
  }

  dispose(): void {
    disposeBlock(this.block);
  }
}

/** An external TypedArray, wrapped as it is. */
export class JsStorage {
  readonly kind = 'js' as const;
  readonly disposed = false;
  constructor(
    readonly dtype: DType,
    readonly data: AnyTypedArray,
  ) {}

  get length(): number {
    return this.data.length;
  }

  /** External memory is not ours to free; dispose only drops nothing. */
  dispose(): void {}
}

export type Storage = HeapStorage | JsStorage | GpuStorage;

/**
 * Allocate heap storage for `length` elements of `dtype`; zero-filled when `zero`.
 *
 * @example
 * ```ts
 * const s = allocateStorage('float64', 10, true);
 * ```
 */
export function allocateStorage(dtype: DType, length: number, zero = false): HeapStorage {
  const { heap } = runtime();
  const info = DTYPES[dtype];
  const bytes = Math.max(1, length) * info.itemSize;
  const ptr = heap.alloc(bytes);
  if (zero) runtime().loops.zeroBytes(ptr, length * info.itemSize);
  // Fetch the buffer after alloc: the allocation may have grown the memory.
  const array = new info.TypedArray(runtime().memory.buffer, ptr, length);
  const block = trackBlock(heap, ptr, heap.sizeOf(ptr)!, array);
  return new HeapStorage(dtype, array, block);
}
