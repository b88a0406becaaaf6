/**
 * Creating arrays: from JS data (`array`, `asarray`), filled (`zeros`, `ones`, `empty`,
 * `full`) and ranges (`arange`, `linspace`). New arrays are C-contiguous `wasm` storage.
 *
 * dtype inference from JS values follows NumPy's for Python values: booleans give `bool`;
 * integers (integral numbers and bigints) give `int64` (`uint64` when only that fits); any
 * non-integral number, NaN or ±Infinity gives `float64`. An integral *number* too large for
 * int64 is taken as a float (JS numbers are doubles); a too-large bigint is an error.
 */
import { DTYPES, normalizeDType, type DType, type DTypeLike, type Scalar } from '../dtype/dtypes.js';
import { DTypeError, ShapeError, ValueError } from '../util/errors.js';
import { copyLayout, fillLayout } from './copy.js';
import { toStorage } from './element.js';
import { cStrides, checkShape, sizeOf } from './layout.js';
import { NDArray, type CanonicalDType } from './ndarray.js';
import { allocateStorage, JsStorage } from './storage.js';

/** Nested JS arrays (or TypedArrays) of scalars, as accepted by {@link array}. */
export type ArrayLikeInput = Scalar | NDArray | ArrayBufferView | readonly ArrayLikeInput[];

/** Options of the creation functions that take a dtype. */
export interface DTypeOption<T extends DTypeLike = DTypeLike> {
  dtype?: T;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function isTypedArray(x: unknown): x is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Infer NumPy's dtype for a list of JS scalars. */
export function inferDType(values: Iterable<Scalar>): DType {
  let kind: 'b' | 'i' | 'f' = 'b';
  let needUnsigned = false;
  let numberTooBig = false;
  let bigintTooBig = false;
  let any = false;
  for (const v of values) {
    any = true;
    if (typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) return 'float64';
      if (kind === 'b') kind = 'i';
      if (v < -(2 ** 63) || v >= 2 ** 63) {
        if (v >= 0 && v < 2 ** 64) needUnsigned = true;
        else numberTooBig = true;
      }
    } else if (typeof v === 'bigint') {
      if (kind === 'b') kind = 'i';
      if (v < INT64_MIN || v > INT64_MAX) {
        if (v >= 0n && v <= UINT64_MAX) needUnsigned = true;
        else bigintTooBig = true;
      }
    } else {
      throw new DTypeError('E_DTYPE_VALUE', `cannot make an array element from ${typeof v} ${String(v)}`);
    }
  }
  if (!any) return 'float64';
  if (kind === 'b') return 'bool';
  if (numberTooBig) return 'float64';
  if (bigintTooBig) {
    throw new DTypeError('E_DTYPE_OVERFLOW', 'an integer in the data does not fit int64 or uint64; pass { dtype: "float64" }');
  }
  return needUnsigned ? 'uint64' : 'int64';
}

/** Shape of nested data, checking it is rectangular. */
function nestedShape(data: ArrayLikeInput): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur) || isTypedArray(cur) || cur instanceof NDArray) {
    if (cur instanceof NDArray) {
      shape.push(...cur.shape);
      break;
    }
    const len = (cur as ArrayLike<unknown>).length;
    shape.push(len);
    if (len === 0) break;
    cur = (cur as ArrayLike<unknown>)[0];
  }
  return shape;
}

function flatten(data: ArrayLikeInput, shape: number[]): Scalar[] {
  const out: Scalar[] = [];
  const walk = (x: unknown, depth: number) => {
    if (x instanceof NDArray) x = x.toArray();
    if (depth === shape.length) {
      if (Array.isArray(x) || isTypedArray(x)) ragged(depth);
      out.push(x as Scalar);
      return;
    }
    if (!(Array.isArray(x) || isTypedArray(x)) || (x as ArrayLike<unknown>).length !== shape[depth]) ragged(depth);
    const arr = x as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1);
  };
  const ragged = (depth: number): never => {
    throw new ShapeError(
      'E_SHAPE_RAGGED',
      `the nested data is not rectangular: it has an inhomogeneous shape after ${depth} dimensions ` +
        `(the first element has shape (${shape.join(', ')}))`,
    );
  };
  walk(data, 0);
  return out;
}

function fromTypedArray(ta: ArrayBufferView & ArrayLike<number | bigint>, dtype: DType | undefined): NDArray {
  const src =
    JsStorage.wrap(ta) ??
    (ta instanceof Uint8ClampedArray ? new JsStorage('uint8', new Uint8Array(ta.buffer, ta.byteOffset, ta.length)) : undefined);
  if (src === undefined) throw new DTypeError('E_DTYPE_UNKNOWN', `unsupported TypedArray ${ta.constructor.name}`);
  const to = dtype ?? src.dtype;
  const storage = allocateStorage(to, ta.length);
  copyLayout({ storage: src, shape: [ta.length], strides: [1], offset: 0 }, { storage, shape: [ta.length], strides: [1], offset: 0 });
  return new NDArray(storage, [ta.length], [1], 0);
}

/**
 * A new array holding a copy of `data`: nested JS arrays, a TypedArray, a scalar, or an NDArray.
 *
 * @throws ShapeError (`E_SHAPE_RAGGED`) for non-rectangular data; DTypeError for values the
 *   dtype cannot hold (an integer out of range, NaN into an integer dtype).
 * @example
 * ```ts
 * nb.array([[1, 2], [3, 4]]);                   // int64
 * nb.array([1, 2.5]);                           // float64
 * nb.array([1, 2], { dtype: 'float32' });       // float32
 * nb.array(new Float32Array([1, 2]));           // float32 copy in the heap
 * ```
 */
export function array<T extends DTypeLike = DType>(data: ArrayLikeInput, options: DTypeOption<T> = {}): NDArray<CanonicalDType<T>> {
  const dtype = options.dtype === undefined ? undefined : normalizeDType(options.dtype);
  if (data instanceof NDArray) return data.astype(dtype ?? data.dtype) as NDArray<CanonicalDType<T>>;
  if (isTypedArray(data)) return fromTypedArray(data, dtype) as NDArray<CanonicalDType<T>>;
  const shape = nestedShape(data);
  const values = flatten(data, shape);
  const dt = dtype ?? inferDType(values);
  const storage = allocateStorage(dt, values.length);
  const target = storage.data as unknown as Array<number | bigint>;
  for (let i = 0; i < values.length; i++) target[i] = toStorage(values[i]!, dt);
  return new NDArray(storage, shape, cStrides(shape), 0) as NDArray<CanonicalDType<T>>;
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
 * ```
 */
export function asarray<T extends DTypeLike = DType>(
  data: ArrayLikeInput, options: DTypeOption<T> & { copy?: boolean } = {},
): NDArray<CanonicalDType<T>> {
  const dtype = options.dtype === undefined ? undefined : normalizeDType(options.dtype);
  if (data instanceof NDArray && options.copy !== true && (dtype === undefined || dtype === data.dtype)) {
    return data as NDArray<CanonicalDType<T>>;
  }
  if (isTypedArray(data) && options.copy !== true) {
    const own = JsStorage.wrap(data);
    if (own !== undefined && (dtype === undefined || dtype === own.dtype)) {
      return new NDArray(own, [data.length], [1], 0) as NDArray<CanonicalDType<T>>;
    }
  }
  return array(data, options);
}

function shapeArg(shape: readonly number[] | number): number[] {
  return checkShape(shape);
}

/**
 * A new array whose contents are not initialised (they may hold old data).
 *
 * @example
 * ```ts
 * const buf = nb.empty([1024], 'uint8');
 * ```
 */
export function empty<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, dtype?: T): NDArray<CanonicalDType<T>> {
  const dims = shapeArg(shape);
  const dt = normalizeDType(dtype ?? 'float64');
  return new NDArray(allocateStorage(dt, sizeOf(dims)), dims, cStrides(dims), 0) as NDArray<CanonicalDType<T>>;
}

/**
 * A new array of zeros.
 *
 * @example
 * ```ts
 * nb.zeros([2, 3]);          // float64
 * nb.zeros(4, 'int32');
 * ```
 */
export function zeros<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, dtype?: T): NDArray<CanonicalDType<T>> {
  const dims = shapeArg(shape);
  const dt = normalizeDType(dtype ?? 'float64');
  return new NDArray(allocateStorage(dt, sizeOf(dims), true), dims, cStrides(dims), 0) as NDArray<CanonicalDType<T>>;
}

/**
 * A new array of `value`; the dtype defaults to the one NumPy infers for the value.
 *
 * @example
 * ```ts
 * nb.full([2, 2], 7);            // int64
 * nb.full([2, 2], 0.5, 'float32');
 * ```
 */
export function full<T extends DTypeLike = DType>(shape: readonly number[] | number, value: Scalar, dtype?: T): NDArray<CanonicalDType<T>> {
  const dt = dtype === undefined ? inferDType([value]) : normalizeDType(dtype);
  const raw = toStorage(value, dt);
  const out = empty(shape, dt);
  fillLayout({ storage: out.storage, shape: [...out.shape], strides: [...out.strides], offset: 0 }, raw);
  return out as unknown as NDArray<CanonicalDType<T>>;
}

/**
 * A new array of ones.
 *
 * @example
 * ```ts
 * nb.ones([3], 'uint8'); // array([1, 1, 1], dtype=uint8)
 * ```
 */
export function ones<T extends DTypeLike = 'float64'>(shape: readonly number[] | number, dtype?: T): NDArray<CanonicalDType<T>> {
  return full(shape, true, normalizeDType(dtype ?? 'float64')) as unknown as NDArray<CanonicalDType<T>>;
}

/**
 * Evenly spaced values in [start, stop) (NumPy's arange: one argument is `stop`).
 * The dtype is int64 when all arguments are integers, else float64.
 *
 * @example
 * ```ts
 * nb.arange(5);            // array([0, 1, 2, 3, 4])
 * nb.arange(1, 2, 0.25);   // array([1.  , 1.25, 1.5 , 1.75])
 * ```
 */
export function arange<T extends DTypeLike = DType>(
  start: number, stop?: number, step?: number, dtype?: T,
): NDArray<CanonicalDType<T>> {
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
  const dt = dtype === undefined ? inferDType([start, stop, st]) : normalizeDType(dtype);
  // NumPy fills from the first two values: x[i] = start + i * ((start + step) - start).
  const delta = start + st - start;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * delta;
  if (DTYPES[dt].kind === 'f') return array(out, { dtype: dt }) as NDArray<CanonicalDType<T>>;
  const storage = allocateStorage(dt, n);
  const target = storage.data as unknown as Array<number | bigint>;
  for (let i = 0; i < n; i++) target[i] = toStorage(Math.trunc(out[i]!), dt);
  return new NDArray(storage, [n], [1], 0) as NDArray<CanonicalDType<T>>;
}

/**
 * `num` evenly spaced values from `start` to `stop` (inclusive unless `endpoint: false`).
 * Integer dtypes take the floor of the float values, as NumPy 2 does.
 *
 * @example
 * ```ts
 * nb.linspace(0, 1, 5); // array([0.  , 0.25, 0.5 , 0.75, 1.  ])
 * ```
 */
export function linspace<T extends DTypeLike = 'float64'>(
  start: number, stop: number, num = 50, options: DTypeOption<T> & { endpoint?: boolean } = {},
): NDArray<CanonicalDType<T>> {
  if (!Number.isInteger(num) || num < 0) {
    throw new ValueError('E_VALUE_NUM', `number of samples, ${num}, must be a non-negative integer`);
  }
  const endpoint = options.endpoint ?? true;
  const dt = normalizeDType(options.dtype ?? 'float64');
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = delta / div;
  const y = new Float64Array(num);
  for (let i = 0; i < num; i++) {
    y[i] = div > 0 ? (step === 0 ? (i / div) * delta : i * step) + start : i * delta + start;
  }
  if (endpoint && num > 1) y[num - 1] = stop;
  if (DTYPES[dt].kind !== 'f' && dt !== 'bool') for (let i = 0; i < num; i++) y[i] = Math.floor(y[i]!);
  return array(y, { dtype: dt }) as NDArray<CanonicalDType<T>>;
}
