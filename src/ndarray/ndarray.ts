/**
 * NDArray: a dtype, a layout (shape, strides, offset; all in elements) and a storage.
 * One class for every dtype and rank (no generated classes); views share the storage.
 */
import ndarrayPkg from 'ndarray';
import { normalizeDType, type DType, type DTypeLike, type Scalar, type ScalarOf, type TypedArrayOf, DTYPES } from '../dtype/dtypes.js';
import { assertCanCast, normalizeCasting, type Casting } from '../dtype/casting.js';
import { IndexError, ValueError } from '../util/errors.js';
import { checkOptionValues, isBoolean, type OptionRules } from '../util/options.js';
import { throwDisposed } from '../runtime/lifetime.js';
import { Block } from '../runtime/lifetime.js';
import { copyLayout } from './copy.js';
import { fromStorage, toStorage } from './element.js';
import { formatArray } from './format.js';
import { cStrides, isCContiguous, sizeOf } from './layout.js';
import { DeviceRegistry } from './devices.js';
import type { ScijsNdarray } from '../interop/scijs-types.js';
import { allocateStorage, elementsOf, isHeapStorage, type Storage, type StorageKind } from './storage.js';
import {
  normalizeIndex, reshapeStrides, resolveReshape, sliceLayout, transposeLayout, type Layout, type SliceSpec,
} from './views.js';

declare global {
  interface SymbolConstructor {
    /**
     * The well-known symbol of `using` declarations (ES2026 explicit resource management).
     * Declared here, as `@types/node` does, so that `NDArray`'s `[Symbol.dispose]` compiles in
     * a consumer's project whatever its `lib` (issue 18); defined below where the platform
     * lacks it.
     */
    readonly dispose: unique symbol;
  }
}

// Where the platform has no Symbol.dispose yet (some browsers), define it as TypeScript's
// documented polyfill does, so that `[Symbol.dispose]` below is a real method key and
// `using` works with down-levelled code.
if (typeof Symbol.dispose !== 'symbol') {
  Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('Symbol.dispose'), configurable: true });
}

/** Frozen one-element arrays [v] for small v, shared (see {@link frozen}). */
const SMALL_1D = 1024;
// Filled up front: writing index ~1024 into an empty array would give it dictionary elements,
// a hash lookup on every read.
const frozen1d: Array<readonly number[] | undefined> = new Array<readonly number[] | undefined>(2 * SMALL_1D).fill(undefined);

/**
 * `dims` as a frozen array (shapes and strides are immutable). Frozen arrays (another
 * NDArray's) are shared: nobody can change them; one-element ones with a small value
 * (1-d shapes and strides) come from a shared table. Measured: Object.freeze costs ~5
 * copies of a small array, as much as the rest of making a view.
 */
function frozen(dims: readonly number[]): readonly number[] {
  if (dims.length === 1) {
    const v = dims[0]!;
    const k = v + SMALL_1D;
    if (k >= 0 && k < 2 * SMALL_1D && Number.isInteger(v)) return (frozen1d[k] ??= Object.freeze([v]));
  }
  return Object.isFrozen(dims) ? dims : Object.freeze([...dims]);
}

/** Nested JS arrays of an array's elements, as `toArray()` returns them. */
export type NestedArray<T> = T | NestedArray<T>[];

/** Canonical dtype name of a dtype or alias type. */
export type CanonicalDType<T extends DTypeLike> = T extends DType ? T : T extends keyof AliasMap ? AliasMap[T] : DType;
export interface AliasMap {
  b1: 'bool'; i1: 'int8'; u1: 'uint8'; i2: 'int16'; u2: 'uint16'; i4: 'int32'; u4: 'uint32';
  i8: 'int64'; u8: 'uint64'; f4: 'float32'; f8: 'float64';
}

/** Options of `astype` (the casting name is checked by normalizeCasting: E_CAST_MODE). */
const ASTYPE_OPTIONS: OptionRules = {
  casting: { accepts: "'no', 'equiv', 'safe', 'same_kind' or 'unsafe'", test: (v) => typeof v === 'string' },
  copy: isBoolean,
};
/** Options of `toCpu`. */
const COPY_OPTIONS: OptionRules = { copy: isBoolean };

/**
 * An n-dimensional array of one dtype.
 *
 * @example
 * ```ts
 * const a = nb.arange(6).reshape([2, 3]);
 * a.shape;           // [2, 3]
 * a.get(1, 2);       // 5n (int64 elements read as bigint)
 * a.T.toString();    // 'array([[0, 3],\n       [1, 4],\n       [2, 5]])'
 * ```
 */
export class NDArray<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  /** Strides in elements (not bytes) for each axis. */
  readonly strides: readonly number[];
  /** Index in `data` of the element at index (0, ..., 0). */
  readonly offset: number;
  /** @internal */
  readonly storage: Storage;
  /** False for read-only views such as the result of `broadcastTo`. */
  readonly writeable: boolean;

  /**
   * @internal Arrays are made by the creation functions (`nb.array`, `nb.zeros`, ...).
   * `sharedLayout`: `shape` and `strides` are another NDArray's (frozen already: shared as they are).
   */
  constructor(
    storage: Storage, shape: readonly number[], strides: readonly number[], offset: number, writeable = true, sharedLayout = false,
  ) {
    this.storage = storage;
    this.dtype = storage.dtype as D;
    this.shape = sharedLayout ? shape : frozen(shape);
    this.strides = sharedLayout ? strides : frozen(strides);
    this.offset = offset;
    this.writeable = writeable;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return (this.elementCount ??= sizeOf(this.shape));
  }

  private elementCount: number | undefined;

  /** Bytes per element. */
  get itemsize(): number {
    return DTYPES[this.dtype].itemSize;
  }

  /**
   * The TypedArray this array views (element `i, j, ...` is at `offset + i*strides[0] + ...`).
   * For `wasm` storage it is a view of the shared heap: it keeps the memory alive while held.
   */
  get data(): TypedArrayOf[D] {
    return this.storage.data as TypedArrayOf[D];
  }

  /** Where the elements live: `'wasm'` (the shared heap), `'js'` (a wrapped TypedArray) or `'gpu'` (GPU buffers). */
  get storageKind(): StorageKind {
    return this.storage.kind;
  }

  /** True once `dispose()` released the memory (of this array or any view sharing it). */
  get disposed(): boolean {
    return this.storage.disposed;
  }

  /** @internal The heap block, for scopes. */
  get heapBlock(): Block | undefined {
    return isHeapStorage(this.storage) ? this.storage.block : undefined;
  }

  /** @internal */
  get layout(): Layout {
    return { shape: [...this.shape], strides: [...this.strides], offset: this.offset };
  }

  private checkAlive(): void {
    if (this.storage.disposed) throwDisposed();
  }

  private flatIndex(index: readonly number[]): number {
    if (index.length !== this.ndim) {
      throw new IndexError(
        'E_INDEX_COUNT',
        `expected ${this.ndim} indices for a ${this.ndim}-dimensional array, got ${index.length}; use slice() for views`,
      );
    }
    let k = this.offset;
    for (let i = 0; i < index.length; i++) k += normalizeIndex(index[i]!, this.shape[i]!, i) * this.strides[i]!;
    return k;
  }

  /**
   * The element at `index` (negative indices count from the end).
   *
   * @throws IndexError for a wrong number of indices or an index out of range.
   * @example
   * ```ts
   * nb.array([[1, 2], [3, 4]], { dtype: 'float64' }).get(1, -1); // 4
   * ```
   */
  get(...index: number[]): ScalarOf<D> {
    this.checkAlive();
    return fromStorage(elementsOf(this.storage)[this.flatIndex(index)]!, this.dtype) as ScalarOf<D>;
  }

  /**
   * Set the element at `index` to `value` (the last argument), converted as NumPy 2 converts
   * a Python scalar: an integer must fit an integer dtype, NaN cannot become an integer.
   *
   * @example
   * ```ts
   * const a = nb.zeros([2, 2]);
   * a.set(0, 1, 7.5);
   * ```
   */
  set(...args: [...index: number[], value: Scalar]): void {
    this.checkAlive();
    if (!this.writeable) throw new ValueError('E_VALUE_READONLY', 'assignment destination is read-only (a broadcast view)');
    const value = args.pop() as Scalar;
    const k = this.flatIndex(args as number[]);
    (elementsOf(this.storage) as unknown as Array<number | bigint>)[k] = toStorage(value, this.dtype);
  }

  /**
   * The only element of a size-1 array.
   *
   * @throws ValueError (`E_VALUE_ITEM`) when size is not 1.
   * @example
   * ```ts
   * nb.array([[2.5]]).item(); // 2.5
   * ```
   */
  item(): ScalarOf<D> {
    this.checkAlive();
    if (this.size !== 1) {
      throw new ValueError('E_VALUE_ITEM', `can only convert an array of size 1 to a scalar (size is ${this.size})`);
    }
    return fromStorage(elementsOf(this.storage)[this.offset]!, this.dtype) as ScalarOf<D>;
  }

  /**
   * The elements as nested JS arrays (a bare scalar for a 0-d array).
   *
   * @example
   * ```ts
   * nb.arange(4, undefined, undefined, 'int32').reshape([2, 2]).toArray(); // [[0, 1], [2, 3]]
   * ```
   */
  toArray(): NestedArray<ScalarOf<D>> {
    this.checkAlive();
    const data = elementsOf(this.storage);
    const build = (axis: number, k: number): NestedArray<ScalarOf<D>> => {
      if (axis === this.ndim) return fromStorage(data[k]!, this.dtype) as ScalarOf<D>;
      const out: NestedArray<ScalarOf<D>>[] = new Array(this.shape[axis]!);
      for (let i = 0; i < out.length; i++) out[i] = build(axis + 1, k + i * this.strides[axis]!);
      return out;
    };
    return build(0, this.offset);
  }

  /**
   * NumPy's repr: `array([1., 2.])`, with `dtype=` when NumPy would print it.
   *
   * @example
   * ```ts
   * nb.array([1, 2], { dtype: 'int8' }).toString(); // 'array([1, 2], dtype=int8)'
   * ```
   */
  toString(): string {
    // Elements on a device are not readable here: the device describes the array.
    if (this.storage.device !== undefined) return devices.get(this.storage.device).repr(this);
    this.checkAlive();
    return formatArray(this);
  }

  /**
   * Copy the array to the GPU (`gpu` storage); a gpu array resolves to itself.
   *
   * @throws TargetError `E_GPU_DTYPE` (float64, int64, ... have no WGSL type), `E_GPU_UNAVAILABLE`.
   * @example
   * ```ts
   * const g = await nb.ones([1024], 'float32').toGpu();
   * const h = await nb.sin(g).toCpu();
   * ```
   */
  async toGpu(): Promise<NDArray<D>> {
    return (await devices.get('gpu').toDevice(this)) as NDArray<D>;
  }

  /**
   * Read a gpu array back (a new C-order array; `{ copy: false }`: a view of the mapped
   * staging memory, see `nb.toCpu`); other arrays resolve to themselves.
   *
   * @throws TargetError `E_GPU_DEVICE_LOST` when the device it lived on is gone.
   * @example
   * ```ts
   * const g = await nb.ones([4], 'float32').toGpu();
   * (await g.toCpu()).toArray(); // [1, 1, 1, 1]
   * ```
   */
  async toCpu(options: { copy?: boolean } = {}): Promise<NDArray<D>> {
    checkOptionValues('toCpu', options, COPY_OPTIONS);
    if (this.storage.device === undefined) return this;
    return (await devices.get(this.storage.device).toHost(this, options)) as NDArray<D>;
  }

  /** @internal Node's console.log shows the repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.storage.disposed ? 'array(<disposed>)' : this.toString();
  }

  private view(layout: Layout, writeable = this.writeable): NDArray<D> {
    return new NDArray<D>(this.storage, layout.shape, layout.strides, layout.offset, writeable);
  }

  /**
   * A view with a new shape (one dim may be -1); copies only when the layout forces it.
   *
   * @throws ShapeError (`E_SHAPE_RESHAPE`) when the sizes differ.
   * @example
   * ```ts
   * nb.arange(6).reshape([3, -1]).shape; // [3, 2]
   * ```
   */
  reshape(shape: readonly number[] | number): NDArray<D> {
    this.checkAlive();
    const newShape = resolveReshape(this.size, this.shape, shape);
    const strides = reshapeStrides(this.layout, newShape);
    if (strides !== null) return this.view({ shape: newShape, strides, offset: this.offset });
    return this.copy().reshape(newShape);
  }

  /**
   * Permute the axes (reverse them by default). A view.
   *
   * @example
   * ```ts
   * nb.zeros([2, 3, 4]).transpose([1, 0, 2]).shape; // [3, 2, 4]
   * ```
   */
  transpose(axes?: readonly number[]): NDArray<D> {
    this.checkAlive();
    return this.view(transposeLayout(this.layout, axes));
  }

  /** The transpose (axes reversed). A view. */
  get T(): NDArray<D> {
    return this.transpose();
  }

  /**
   * A view selected by NumPy basic indexing: integers, slice strings (`':'`, `'1:-1'`,
   * `'::2'`, `'::-1'`), `'...'` and `null` (new axis).
   *
   * @throws IndexError for malformed specs, too many indices, or an index out of range.
   * @example
   * ```ts
   * const a = nb.arange(12).reshape([3, 4]);
   * a.slice('1:', '::-2').toArray(); // [[7n, 5n], [11n, 9n]]
   * a.slice(null, 0).shape;          // [1, 4]
   * ```
   */
  slice(...specs: SliceSpec[]): NDArray<D> {
    this.checkAlive();
    return this.view(sliceLayout(this, specs));
  }

  /**
   * A C-contiguous copy (in the heap; of a gpu array: on the GPU).
   *
   * @example
   * ```ts
   * const a = nb.arange(6);
   * const b = a.slice('::2').copy(); // C-contiguous: [0n, 2n, 4n]
   * ```
   */
  copy(): NDArray<D> {
    return this.astype(this.dtype) as NDArray<D>;
  }

  /**
   * A copy converted to `dtype`. `casting` (default `'unsafe'`) limits which conversions are
   * allowed; NumPy's unsafe results are reproduced (float to int truncates, integers wrap).
   * With `copy: false` the array itself is returned when it already has that dtype.
   *
   * @throws CastingError (`E_CAST_RULE`) when the casting rule forbids the conversion.
   * @example
   * ```ts
   * nb.array([1.7, -1.7, 300]).astype('int8').toArray(); // [1, -1, 44]
   * ```
   */
  astype<T extends DTypeLike>(dtype: T, options: { casting?: Casting; copy?: boolean } = {}): NDArray<CanonicalDType<T>> {
    this.checkAlive();
    checkOptionValues('astype', options, ASTYPE_OPTIONS);
    const to = normalizeDType(dtype);
    const casting = normalizeCasting(options.casting ?? 'unsafe');
    assertCanCast(this.dtype, to, casting, 'astype');
    if (options.copy === false && to === this.dtype) return this as unknown as NDArray<CanonicalDType<T>>;
    // An array on a device is cast (or copied) there: the result stays on the device.
    if (this.storage.device !== undefined) return devices.get(this.storage.device).astype(this, to) as NDArray<CanonicalDType<T>>;
    const storage = allocateStorage(to, this.size);
    const strides = cStrides(this.shape);
    copyLayout(
      { storage: this.storage, shape: [...this.shape], strides: [...this.strides], offset: this.offset },
      { storage, shape: [...this.shape], strides, offset: 0 },
    );
    return new NDArray<CanonicalDType<T>>(storage, this.shape, strides, 0);
  }

  private contiguity: boolean | undefined;

  /** True when the elements are laid out in C order without gaps. */
  get isContiguous(): boolean {
    return (this.contiguity ??= isCContiguous(this.shape, this.strides));
  }

  /**
   * A 1-d view when the array is C-contiguous, else a 1-d copy.
   *
   * @example
   * ```ts
   * nb.zeros([2, 3]).ravel().shape; // [6]
   * ```
   */
  ravel(): NDArray<D> {
    return this.reshape([this.size]);
  }

  /**
   * A 1-d copy, always.
   *
   * @example
   * ```ts
   * nb.zeros([2, 3]).flatten().shape; // [6]
   * ```
   */
  flatten(): NDArray<D> {
    return this.copy().reshape([this.size]);
  }

  /**
   * A scijs `ndarray` over the same memory (no copy).
   *
   * @example
   * ```ts
   * const s = nb.zeros([2, 2]).toNdarray(); // s.get(0, 0) === 0
   * ```
   */
  toNdarray(): ScijsNdarray<TypedArrayOf[D]> {
    this.checkAlive();
    const data = this.data as ndarrayPkg.Data;
    return ndarrayPkg(data, [...this.shape], [...this.strides], this.offset) as unknown as ScijsNdarray<TypedArrayOf[D]>;
  }

  /**
   * Release the array's heap memory now, for it and every view of it. Later reads throw
   * `MemoryError` (`E_MEMORY_DISPOSED`). Optional: unreachable arrays are released anyway.
   *
   * @example
   * ```ts
   * const t = nb.zeros([1e6]);
   * t.dispose();
   * ```
   */
  dispose(): void {
    this.storage.dispose();
  }

  /**
   * `using a = nb.zeros(...)` disposes at the end of the block.
   *
   * @example
   * ```ts
   * { using t = nb.zeros([1e6]); } // t's memory is released here
   * ```
   */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * True for NDArray instances.
 *
 * @example
 * ```ts
 * nb.isNDArray(nb.zeros([1])); // true
 * nb.isNDArray([1, 2]);        // false
 * ```
 */
export function isNDArray(x: unknown): x is NDArray {
  return x instanceof NDArray;
}

/**
 * The device registry (devices.ts) for NDArrays: targets that own a device register it here
 * (src/gpu registers 'gpu' when it loads).
 *
 * @example
 * ```ts
 * devices.get('gpu').toDevice(a);
 * ```
 */
export const devices = new DeviceRegistry<NDArray>();
