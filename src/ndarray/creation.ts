/**
 * Creating arrays: from JS data (`array`, `asarray`), filled (`zeros`, `ones`, `empty`,
 * `full`) and ranges (`arange`, `linspace`). New arrays are C-contiguous `wasm` storage.
 *
 * Every one of them takes its dtype both ways: positionally, where NumPy's positional
 * `dtype` goes (`nb.zeros(3, 'int32')`, `nb.arange(0, 5, 1, 'float32')`), and as an options
 * object in that place, or after the last number (`nb.zeros(3, { dtype: 'int32' })`,
 * `nb.arange(5, { dtype: 'float32' })`). An unknown option key is a ValueError
 * (`E_VALUE_OPTION`), so that a misspelt `dtyp` does not silently give float64.
 *
 * dtype inference from JS data is NumPy's for Python data (coercion.ts): each element's
 * dtype (a boolean `bool`; an integral number or a bigint `int64`, `uint64` when only that
 * holds it; any other number `float64`; an NDArray or TypedArray its own dtype), promoted
 * left to right, so `nb.array([-1, 2 ** 63])` is float64 and `nb.array([nb.ones([2],
 * 'float32'), [1, 2]])` float64, as in NumPy 2.4.
 *
 * Sizes are checked before anything is allocated, as NumPy checks them: a negative
 * dimension or a byte count past `Number.MAX_SAFE_INTEGER` is a ValueError
 * (`E_VALUE_NEGATIVE_DIM`, `E_VALUE_TOO_BIG`), an array the 4 GiB heap cannot hold a
 * MemoryError (`E_MEMORY_LIMIT`), never a JS RangeError.
 */
import { DTYPES, normalizeDType, type DType, type DTypeLike, type Scalar } from '../dtype/dtypes.js';
import { ValueError } from '../util/errors.js';
import { coerceNested, inferDType, isTypedArray, typedArrayOperand, type ArrayLikeInput } from './coercion.js';
import { copyLayout, fillLayout } from './copy.js';
import { toStorage } from './element.js';
import { cStrides, checkNewShape, sizeOf } from './layout.js';
import { NDArray, type CanonicalDType } from './ndarray.js';
import { allocateStorage, JsStorage, type HeapStorage } from './storage.js';

export { inferDType, type ArrayLikeInput };

/** Options of the creation functions that take a dtype. */
export interface DTypeOption<T extends DTypeLike = DTypeLike> {
  dtype?: T;
}

/**
 * The dtype argument of a creation function: the dtype itself (NumPy's positional form) or
 * an options object holding it (`{ dtype: 'float32' }`).
 */
export type DTypeArg<T extends DTypeLike = DTypeLike> = T | DTypeOption<T>;

/** The dtype given (`T`), or `Default` when none was (`T` left at `never`). */
export type DTypeOrDefault<T extends DTypeLike, Default extends DType> = [T] extends [never] ? Default : CanonicalDType<T>;

/**
 * The dtype inferred from JS numbers of types `N` (the literal types of `arange`'s arguments):
 * int64 when every one is an integer literal, float64 when one is a non-integer literal, and
 * either when one is not a literal (the value decides at run time).
 */
export type NumbersDType<N extends number> =
  number extends N ? 'int64' | 'float64' : false extends (N extends unknown ? (`${N}` extends `${bigint}` ? true : false) : never) ? 'float64' : 'int64';

/** The dtype inferred from a JS scalar of type `V`, as `inferDType` does (a union where the type does not decide it). */
export type ScalarsDType<V extends Scalar> = V extends boolean ? 'bool' : V extends bigint ? 'int64' : V extends number ? NumbersDType<V> : never;

/**
 * The options of `fn` from its dtype argument: `{}` for undefined, `{ dtype }` for a dtype
 * string, the object itself for an options object (with its keys checked against `allowed`).
 *
 * @throws ValueError (`E_VALUE_OPTION`) for an unknown key; DTypeError (`E_DTYPE_UNKNOWN`)
 *   for anything else that is not a dtype.
 */
function optionsOf(fn: string, arg: unknown, allowed: readonly string[] = ['dtype']): Record<string, unknown> & { dtype?: DType } {
  if (arg === undefined) return {};
  if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) {
    for (const k of Object.keys(arg)) {
      if (!allowed.includes(k)) throw new ValueError('E_VALUE_OPTION', `nb.${fn} got an unknown option '${k}' (options: ${allowed.join(', ')})`);
    }
    const o = arg as Record<string, unknown>;
    return o.dtype === undefined ? { ...o, dtype: undefined } : { ...o, dtype: normalizeDType(o.dtype) };
  }
  return { dtype: normalizeDType(arg) };
}

/**
 * A new array holding a copy of `data`: nested JS arrays (of scalars, TypedArrays or
 * NDArrays), a TypedArray, a scalar, or an NDArray. Without a dtype, the elements' dtypes
 * promote as NumPy promotes them (see the file header); with one, NDArray and TypedArray
 * elements are cast to it unsafely (as `astype`) and JS integers must fit it.
 *
 * @throws ShapeError (`E_SHAPE_RAGGED`) for non-rectangular data; DTypeError for values the
 *   dtype cannot hold (an integer out of range, NaN into an integer dtype, a bigint past
 *   uint64 with no dtype given); MemoryError (`E_MEMORY_LIMIT`) past the heap's 4 GiB.
 * @example
 * ```ts
 * nb.array([[1, 2], [3, 4]]);                   // int64
 * nb.array([1, 2.5]);                           // float64
 * nb.array([1, 2], { dtype: 'float32' });       // float32
 * nb.array([1, 2], 'float32');                  // the same, NumPy's positional dtype
 * nb.array(new Float32Array([1, 2]));           // float32 copy in the heap
 * nb.array([nb.ones([2], 'float32'), nb.zeros([2], 'float32')]); // float32, shape [2, 2]
 * nb.array([nb.ones([2], 'float32'), [1.5, 2]]); // float64, as np.array([np.ones(2, np.float32), [1.5, 2]])
 * nb.array([-1, 2 ** 63]);                      // float64 (int64 with uint64), as in NumPy
 * ```
 */
export function array<T extends DTypeLike = DType>(data: ArrayLikeInput, dtype?: T): NDArray<CanonicalDType<T>>;
/** {@link array} with the dtype in options: `nb.array([1, 2], { dtype: 'float32' })`. */
export function array<T extends DTypeLike = DType>(data: ArrayLikeInput, options: DTypeOption<T>): NDArray<CanonicalDType<T>>;
export function array(data: ArrayLikeInput, dtype?: DTypeArg): NDArray {
  return arrayOf(data, optionsOf('array', dtype).dtype);
}

function arrayOf(data: ArrayLikeInput, dtype: DType | undefined): NDArray {
  if (data instanceof NDArray) return data.astype(dtype ?? data.dtype);
  if (isTypedArray(data)) {
    const src = typedArrayOperand(data);
    const storage = allocateStorage(dtype ?? src.storage.dtype, data.length);
    copyLayout(src, { storage, shape: src.shape, strides: [1], offset: 0 });
    return new NDArray(storage, src.shape, [1], 0);
  }
  return coerceNested(data, dtype);
}

/**
 * Like {@link array}, but without copying when possible: an NDArray of the requested dtype
 * is returned as it is, and a TypedArray is wrapped in place (`js` storage, shared memory)
 * unless `copy: true` or another dtype is asked for.
 *
 * @example
 * ```ts
 * const ta = new Float64Array([1, 2, 3]);
 * const a = nb.asarray(ta);   // shares ta's memory
 * ta[0] = 9; a.get(0);        // 9
 * nb.asarray(ta, 'float32').dtype;              // 'float32' (a converted copy)
 * nb.asarray(ta, { dtype: 'float64', copy: true }).storageKind; // 'wasm'
 * ```
 */
export function asarray<T extends DTypeLike = DType>(data: ArrayLikeInput, dtype?: T): NDArray<CanonicalDType<T>>;
/** {@link asarray} with options: the dtype, and `copy: true` to copy even when no conversion is needed. */
export function asarray<T extends DTypeLike = DType>(data: ArrayLikeInput, options: DTypeOption<T> & { copy?: boolean }): NDArray<CanonicalDType<T>>;
export function asarray(data: ArrayLikeInput, dtype?: DTypeArg | (DTypeOption & { copy?: boolean })): NDArray {
  const options = optionsOf('asarray', dtype, ['dtype', 'copy']);
  return asarrayOf(data, options.dtype, options.copy === true);
}

function asarrayOf(data: ArrayLikeInput, dtype: DType | undefined, copy: boolean): NDArray {
  if (data instanceof NDArray && !copy && (dtype === undefined || dtype === data.dtype)) {
    return data;
  }
  if (isTypedArray(data) && !copy) {
    const own = JsStorage.wrap(data);
    if (own !== undefined && (dtype === undefined || dtype === own.dtype)) {
      return new NDArray(own, [data.length], [1], 0);
    }
  }
  return arrayOf(data, dtype);
}

/** A new C-contiguous array of `dtype` (sizes checked as NumPy checks them, see the header). */
function allocate(shape: readonly number[] | number, dtype: DType, zero = false): NDArray {
  const dims = checkNewShape(shape, DTYPES[dtype].itemSize);
  return new NDArray(allocateStorage(dtype, sizeOf(dims), zero, dims), dims, cStrides(dims), 0);
}

/**
 * Write `value(i)` for i in [0, n) into `storage`, the float64 values cast to its dtype as
 * NumPy's unsafe cast does (`copyLayout`), a bounded chunk at a time (no n-long temporary).
 */
function fillComputed(storage: HeapStorage, n: number, value: (i: number) => number): void {
  if (storage.dtype === 'float64') {
    const target = storage.elements as Float64Array;
    for (let i = 0; i < n; i++) target[i] = value(i);
    return;
  }
  const chunk = new Float64Array(Math.min(n, 1 << 16));
  const src = new JsStorage('float64', chunk);
  for (let lo = 0; lo < n; lo += chunk.length) {
    const m = Math.min(chunk.length, n - lo);
    for (let i = 0; i < m; i++) chunk[i] = value(lo + i);
    copyLayout({ storage: src, shape: [m], strides: [1], offset: 0 }, { storage, shape: [m], strides: [1], offset: lo });
  }
}

/**
 * A new array whose contents are not initialised (they may hold old data).
 *
 * @throws ValueError (`E_VALUE_NEGATIVE_DIM`) for a negative dimension, (`E_VALUE_TOO_BIG`)
 *   for a byte count past `Number.MAX_SAFE_INTEGER`; MemoryError (`E_MEMORY_LIMIT`) for an
 *   array the 4 GiB heap cannot hold. The same for `zeros`, `ones`, `full`, `arange` and
 *   `linspace`.
 * @example
 * ```ts
 * const buf = nb.empty([1024], 'uint8');
 * const same = nb.empty([1024], { dtype: 'uint8' });
 * ```
 */
export function empty<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, dtype?: T): NDArray<CanonicalDType<T>>;
/** A new uninitialised array, its dtype in options: `nb.empty(3, { dtype: 'int32' })`. */
export function empty<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, options: DTypeOption<T>): NDArray<CanonicalDType<T>>;
export function empty(shape: readonly number[] | number, dtype?: DTypeArg): NDArray {
  return allocate(shape, optionsOf('empty', dtype).dtype ?? 'float64');
}

/**
 * A new array of zeros.
 *
 * @example
 * ```ts
 * nb.zeros([2, 3]);          // float64
 * nb.zeros(4, 'int32');
 * nb.zeros(4, { dtype: 'int32' }); // the same
 * ```
 */
export function zeros<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, dtype?: T): NDArray<CanonicalDType<T>>;
/** A new array of zeros, its dtype in options: `nb.zeros(3, { dtype: 'int32' })`. */
export function zeros<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, options: DTypeOption<T>): NDArray<CanonicalDType<T>>;
export function zeros(shape: readonly number[] | number, dtype?: DTypeArg): NDArray {
  return allocate(shape, optionsOf('zeros', dtype).dtype ?? 'float64', true);
}

/**
 * A new array of `value`; the dtype defaults to the one NumPy infers for the value.
 *
 * @example
 * ```ts
 * nb.full([2, 2], 7);            // int64
 * nb.full([2, 2], 0.5, 'float32');
 * nb.full([2, 2], 0.5, { dtype: 'float32' });
 * ```
 */
export function full<T extends DTypeLike = never, const V extends Scalar = Scalar>(shape: readonly number[] | number, value: V, dtype?: T): NDArray<DTypeOrDefault<T, ScalarsDType<V>>>;
/** A new array of `value`, its dtype in options: `nb.full([2], 0.5, { dtype: 'float32' })`. */
export function full<T extends DTypeLike = never, const V extends Scalar = Scalar>(shape: readonly number[] | number, value: V, options: DTypeOption<T>): NDArray<DTypeOrDefault<T, ScalarsDType<V>>>;
export function full(shape: readonly number[] | number, value: Scalar, dtype?: DTypeArg): NDArray {
  const dt = optionsOf('full', dtype).dtype ?? inferDType([value]);
  const raw = toStorage(value, dt);
  const out = allocate(shape, dt);
  fillLayout({ storage: out.storage, shape: [...out.shape], strides: [...out.strides], offset: 0 }, raw);
  return out;
}

/**
 * A new array of ones.
 *
 * @example
 * ```ts
 * nb.ones([3], 'uint8');            // array([1, 1, 1], dtype=uint8)
 * nb.ones([3], { dtype: 'uint8' }); // the same
 * ```
 */
export function ones<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, dtype?: T): NDArray<CanonicalDType<T>>;
/** A new array of ones, its dtype in options: `nb.ones(3, { dtype: 'int32' })`. */
export function ones<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, options: DTypeOption<T>): NDArray<CanonicalDType<T>>;
export function ones(shape: readonly number[] | number, dtype?: DTypeArg): NDArray {
  return full(shape, true, optionsOf('ones', dtype).dtype ?? 'float64');
}

/**
 * Evenly spaced values in [start, stop) (NumPy's arange: one argument is `stop`).
 * The dtype is NumPy's for the three values as a list (int64 when all are integers that fit
 * it, else float64; see the file header), unless given: as `{ dtype }` after the last
 * number, or positionally fourth, as in NumPy.
 *
 * @throws ValueError (`E_VALUE_STEP`) for a zero step; (`E_VALUE_RANGE`) for arguments that
 *   are not numbers (a dtype in the place of a number included) or an infinite range;
 *   (`E_VALUE_TOO_BIG`) and MemoryError (`E_MEMORY_LIMIT`) for too many elements.
 * @example
 * ```ts
 * nb.arange(5);                          // array([0, 1, 2, 3, 4])
 * nb.arange(1, 2, 0.25);                 // array([1.  , 1.25, 1.5 , 1.75])
 * nb.arange(5, { dtype: 'float32' });    // array([0., 1., 2., 3., 4.], dtype=float32)
 * nb.arange(1, 5, { dtype: 'uint8' });   // array([1, 2, 3, 4], dtype=uint8)
 * nb.arange(0, 5, 2, 'float32');         // array([0., 2., 4.], dtype=float32)
 * ```
 */
export function arange<T extends DTypeLike = never, const N extends number = number>(stop: N, options?: DTypeOption<T>): NDArray<DTypeOrDefault<T, NumbersDType<N>>>;
/** Evenly spaced values in [start, stop), step 1, of the dtype in `options` (see the first form). */
export function arange<T extends DTypeLike = never, const N extends number = number>(start: N, stop: N, options?: DTypeOption<T>): NDArray<DTypeOrDefault<T, NumbersDType<N>>>;
/** Evenly spaced values in [start, stop) by `step`, of `dtype` (NumPy's positional form; see the first form). */
export function arange<T extends DTypeLike = never, const N extends number = number>(start: N, stop?: N, step?: N, dtype?: T): NDArray<DTypeOrDefault<T, NumbersDType<N>>>;
/** Evenly spaced values in [start, stop) by `step`, of the dtype in `options` (see the first form). */
export function arange<T extends DTypeLike = never, const N extends number = number>(start: N, stop: N | undefined, step: N | undefined, options: DTypeOption<T>): NDArray<DTypeOrDefault<T, NumbersDType<N>>>;
export function arange(...args: unknown[]): NDArray {
  // An options object ends the numbers wherever it is; otherwise a fourth argument is the dtype.
  const at = args.findIndex((v) => typeof v === 'object' && v !== null);
  const opt = at >= 0 ? args[at] : args[3];
  if (at >= 0 && at !== args.length - 1) throw new ValueError('E_VALUE_RANGE', 'nb.arange: the options object must be the last argument');
  if (at < 0 && args.length > 4) throw new ValueError('E_VALUE_RANGE', `nb.arange takes at most 4 arguments (start, stop, step, dtype), got ${args.length}`);
  const nums = at >= 0 ? args.slice(0, at) : args.slice(0, 3);
  if (nums.length > 3) throw new ValueError('E_VALUE_RANGE', `nb.arange takes at most 3 numbers (start, stop, step), got ${nums.length}`);
  for (const v of nums) {
    if (v !== undefined && typeof v !== 'number') {
      throw new ValueError(
        'E_VALUE_RANGE',
        `arange arguments must be numbers, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}` +
          (typeof v === 'string' ? ` (a dtype goes fourth, as in NumPy: arange(start, stop, step, dtype), or as { dtype: ${JSON.stringify(v)} })` : ''),
      );
    }
  }
  return rangeOf(nums[0] as number, nums[1] as number | undefined, nums[2] as number | undefined, optionsOf('arange', opt).dtype);
}

function rangeOf(start: number, stop: number | undefined, step: number | undefined, dtype: DType | undefined): NDArray {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  const st = step ?? 1;
  if (st === 0) throw new ValueError('E_VALUE_STEP', 'arange step cannot be zero');
  for (const v of [start, stop, st]) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError('E_VALUE_RANGE', `arange arguments must be numbers, got ${String(v)}`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / st));
  if (!Number.isFinite(n)) throw new ValueError('E_VALUE_RANGE', 'arange would have infinitely many elements');
  const dt = dtype ?? inferDType([start, stop, st]);
  const out = allocate([n], dt);
  const storage = out.storage as HeapStorage;
  // NumPy fills from the first two values: x[i] = start + i * ((start + step) - start).
  const delta = start + st - start;
  if (DTYPES[dt].kind === 'f') {
    fillComputed(storage, n, (i) => start + i * delta);
  } else {
    const target = storage.elements as unknown as Array<number | bigint>;
    for (let i = 0; i < n; i++) target[i] = toStorage(Math.trunc(start + i * delta), dt);
  }
  return out;
}

/**
 * `num` evenly spaced values from `start` to `stop` (inclusive unless `endpoint: false`).
 * Integer dtypes take the floor of the float values, as NumPy 2 does. The fourth argument is
 * the dtype, or options `{ dtype, endpoint }`.
 *
 * @example
 * ```ts
 * nb.linspace(0, 1, 5);                       // array([0.  , 0.25, 0.5 , 0.75, 1.  ])
 * nb.linspace(0, 1, 5, 'float32');            // float32
 * nb.linspace(0, 1, 4, { dtype: 'float32', endpoint: false }); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function linspace<T extends DTypeLike = 'float64'>(start: number, stop: number, num?: number, dtype?: T): NDArray<CanonicalDType<T>>;
/** {@link linspace} with options: the dtype, and `endpoint: false` to leave `stop` out. */
export function linspace<T extends DTypeLike = 'float64'>(
  start: number, stop: number, num: number | undefined, options: DTypeOption<T> & { endpoint?: boolean },
): NDArray<CanonicalDType<T>>;
export function linspace(start: number, stop: number, num = 50, dtype?: DTypeArg | (DTypeOption & { endpoint?: boolean })): NDArray {
  const options = optionsOf('linspace', dtype, ['dtype', 'endpoint']);
  if (!Number.isInteger(num) || num < 0) {
    throw new ValueError('E_VALUE_NUM', `number of samples, ${num}, must be a non-negative integer`);
  }
  const endpoint = (options.endpoint as boolean | undefined) ?? true;
  const dt = options.dtype ?? 'float64';
  const out = allocate([num], dt);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = delta / div;
  const floor = DTYPES[dt].kind !== 'f' && dt !== 'bool';
  fillComputed(out.storage as HeapStorage, num, (i) => {
    const y =
      endpoint && num > 1 && i === num - 1
        ? stop
        : div > 0 ? (step === 0 ? (i / div) * delta : i * step) + start : i * delta + start;
    return floor ? Math.floor(y) : y;
  });
  return out;
}
