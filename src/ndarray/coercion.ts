/**
 * Array coercion: nested JS data to an array, as NumPy's `array_coercion.c` turns nested
 * Python sequences into one (`np.array(data)`).
 *
 * Steps of {@link coerceNested}:
 *   1. the shape: follow the first element down; an NDArray contributes its whole shape, a
 *      TypedArray its length (it is a 1-d array of its dtype);
 *   2. walk the data in C order, checking every branch against that shape (a mismatch is
 *      `E_SHAPE_RAGGED`), collecting the scalars and the *array leaves* (NDArrays and
 *      TypedArrays) with the place their elements go;
 *   3. the dtype, unless one is given: the leaves' dtypes promoted left to right with
 *      `promoteTypes`, as NumPy's `handle_promotion` folds them (the order matters where
 *      promotion is not associative: int8, uint16, float32 gives float64, int8, float32,
 *      uint16 gives float32, in NumPy too). An array leaf brings its dtype; a JS scalar the
 *      dtype NumPy gives that Python scalar alone ({@link scalarDType}). Inside a list these
 *      are *not* NEP 50 weak scalars: NumPy 2.4 gives
 *        np.array([np.float32(1), 2.5]).dtype          -> float64
 *        np.array([np.ones(2, np.uint8), [300, 1]])    -> int64
 *        np.array([-1, 2**63]).dtype                   -> float64 (int64 with uint64)
 *        np.array([1, 2**63]).dtype                    -> float64 (so too)
 *        np.array([2**63, True]).dtype                 -> uint64
 *      and data with no leaf at all (`[]`, `[[], []]`) is float64;
 *   4. the elements: scalars through `toStorage` (a JS integer must fit the dtype, as NumPy
 *      checks a Python int), array leaves through `copyLayout`, NumPy's unsafe cast (as
 *      `np.array([np.ones(2) * 300], dtype=np.uint8)` gives [[44, 44]]).
 */
import { type DType, type Scalar } from '../dtype/dtypes.js';
import { promoteTypes } from '../dtype/promotion.js';
import { DTypeError, ShapeError } from '../util/errors.js';
import { copyLayout, type Operand } from './copy.js';
import { toStorage } from './element.js';
import { cStrides, sizeOf } from './layout.js';
import { NDArray } from './ndarray.js';
import { allocateStorage, JsStorage } from './storage.js';

/** Nested JS arrays (or TypedArrays, or NDArrays) of scalars, as accepted by `nb.array`. */
export type ArrayLikeInput = Scalar | NDArray | ArrayBufferView | readonly ArrayLikeInput[];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** True for the TypedArrays (not DataView). */
export function isTypedArray(x: unknown): x is ArrayBufferView & ArrayLike<number | bigint> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * A TypedArray as a 1-d operand of its dtype (a Uint8ClampedArray is uint8), without copying.
 *
 * @throws DTypeError (`E_DTYPE_UNKNOWN`) for a TypedArray with no dtype (Float16Array).
 */
export function typedArrayOperand(ta: ArrayBufferView & ArrayLike<number | bigint>): Operand {
  const storage =
    JsStorage.wrap(ta) ??
    (ta instanceof Uint8ClampedArray ? new JsStorage('uint8', new Uint8Array(ta.buffer, ta.byteOffset, ta.length)) : undefined);
  if (storage === undefined) throw new DTypeError('E_DTYPE_UNKNOWN', `unsupported TypedArray ${ta.constructor.name}`);
  return { storage, shape: [ta.length], strides: [1], offset: 0 };
}

/**
 * The dtype NumPy gives a Python scalar of the same value, standing alone: `bool` for a
 * boolean; for an integer (an integral number, or a bigint) `int64`, or `uint64` when only
 * that holds it; `float64` for any other number. An integral *number* that fits neither
 * (NumPy: an object array) is float64, which is what a JS number is; such a bigint throws.
 *
 * @throws DTypeError (`E_DTYPE_OVERFLOW`) for a bigint outside int64 and uint64;
 *   (`E_DTYPE_VALUE`) for a value that is not a number, bigint or boolean.
 * @example
 * ```ts
 * scalarDType(2 ** 63); // 'uint64'
 * scalarDType(-1n);     // 'int64'
 * ```
 */
export function scalarDType(v: Scalar): DType {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'float64';
    if (v >= -(2 ** 63) && v < 2 ** 63) return 'int64';
    return v >= 0 && v < 2 ** 64 ? 'uint64' : 'float64';
  }
  if (typeof v === 'bigint') {
    if (v >= INT64_MIN && v <= INT64_MAX) return 'int64';
    if (v >= 0n && v <= UINT64_MAX) return 'uint64';
    throw new DTypeError(
      'E_DTYPE_OVERFLOW',
      `the integer ${String(v)} fits neither int64 nor uint64 (NumPy would make an object array); pass a dtype, such as { dtype: 'float64' }`,
    );
  }
  throw new DTypeError('E_DTYPE_VALUE', `cannot make an array element from ${typeof v} ${String(v)}`);
}

/**
 * NumPy's dtype for a list of JS scalars: each one's {@link scalarDType}, promoted left to
 * right; float64 for none.
 *
 * @example
 * ```ts
 * inferDType([1, 2.5]);    // 'float64'
 * inferDType([-1, 2 ** 63]); // 'float64' (int64 with uint64), as np.array([-1, 2**63])
 * ```
 */
export function inferDType(values: Iterable<Scalar>): DType {
  let dtype: DType | undefined;
  for (const v of values) {
    const d = scalarDType(v);
    dtype = dtype === undefined || dtype === d ? d : promoteTypes(dtype, d);
  }
  return dtype ?? 'float64';
}

/** Shape of nested data, from its first elements. */
function nestedShape(data: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  for (;;) {
    if (cur instanceof NDArray) {
      shape.push(...cur.shape);
      return shape;
    }
    if (isTypedArray(cur)) {
      shape.push(cur.length);
      return shape;
    }
    if (!Array.isArray(cur)) return shape;
    shape.push(cur.length);
    if (cur.length === 0) return shape;
    cur = cur[0];
  }
}

/** An NDArray or TypedArray inside nested data, and the flat index its elements start at. */
interface ArrayLeaf {
  at: number;
  src: Operand;
}

/** 2**63: JS integers in [-2**63, 2**63) are int64 values. */
const TWO_63 = 2 ** 63;

/**
 * The common case of {@link coerceNested} without its walk: a flat list of JS numbers
 * (`nb.array([1, 2, 3])`). The inferred dtype is int64 when every number is an integer in
 * int64's range, float64 when one is not an integer (every dtype of a number promotes to
 * float64 with it); undefined (the general path decides) for anything else, such as an
 * integer that only uint64 holds.
 */
function coerceFlatNumbers(data: readonly unknown[], dtype: DType | undefined): NDArray | undefined {
  const n = data.length;
  let ints = true;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (typeof v !== 'number') return undefined;
    if (ints && !(Number.isInteger(v) && v >= -TWO_63 && v < TWO_63)) {
      if (Number.isInteger(v)) return undefined; // outside int64: the general path's rules
      ints = false;
    }
  }
  const dt = dtype ?? (ints && n > 0 ? 'int64' : 'float64');
  const storage = allocateStorage(dt, n, false, [n]);
  try {
    const target = storage.elements as unknown as Array<number | bigint>;
    // Inferred dtypes need no conversion rules: every number is exact in float64, and every
    // integer in int64's range is exact as a BigInt.
    if (dtype !== undefined) for (let i = 0; i < n; i++) target[i] = toStorage(data[i] as number, dt);
    else if (dt === 'int64') for (let i = 0; i < n; i++) target[i] = BigInt(data[i] as number);
    else for (let i = 0; i < n; i++) target[i] = data[i] as number;
  } catch (err) {
    storage.dispose();
    throw err;
  }
  return new NDArray(storage, [n], [1], 0);
}

/**
 * A new C-contiguous array from nested data (steps in the file header); `dtype` undefined
 * infers it.
 *
 * @throws ShapeError (`E_SHAPE_RAGGED`) for non-rectangular data; DTypeError for elements
 *   that are not scalars or do not fit the dtype; MemoryError when the heap cannot hold it.
 * @example
 * ```ts
 * coerceNested([nb.ones([2], 'float32'), [1.5, 2]], undefined).dtype; // 'float64'
 * ```
 */
export function coerceNested(data: ArrayLikeInput, dtype: DType | undefined): NDArray {
  const flat = Array.isArray(data) ? coerceFlatNumbers(data, dtype) : undefined;
  if (flat !== undefined) return flat;
  // Steps 1-3.
  const shape = nestedShape(data);
  // Elements per step along each axis (0 throughout an empty array, so no leaf lies past the end).
  const steps = shape.map((_, i) => sizeOf(shape.slice(i + 1)) * Math.min(1, sizeOf(shape)));
  const scalars: Scalar[] = [];
  const leaves: ArrayLeaf[] = [];
  const infer = dtype === undefined;
  let found: DType | undefined;
  const meet = (d: DType) => {
    found = found === undefined || found === d ? d : promoteTypes(found, d);
  };
  const ragged = (depth: number): never => {
    throw new ShapeError(
      'E_SHAPE_RAGGED',
      `the nested data is not rectangular: it has an inhomogeneous shape after ${depth} dimensions ` +
        `(the first element has shape (${shape.join(', ')}))`,
    );
  };
  const walk = (x: unknown, depth: number, at: number): void => {
    if (x instanceof NDArray || isTypedArray(x)) {
      const src: Operand =
        x instanceof NDArray ? { storage: x.storage, shape: [...x.shape], strides: [...x.strides], offset: x.offset } : typedArrayOperand(x);
      for (let k = 0; k < Math.max(src.shape.length, shape.length - depth); k++) {
        if (src.shape[k] !== shape[depth + k]) ragged(depth + k);
      }
      leaves.push({ at, src });
      if (infer) meet(src.storage.dtype);
      return;
    }
    if (depth === shape.length) {
      if (Array.isArray(x)) ragged(depth);
      scalars.push(x as Scalar);
      if (infer) meet(scalarDType(x as Scalar));
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) ragged(depth);
    const arr = x as readonly unknown[];
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, at + i * steps[depth]!);
  };
  walk(data, 0, 0);

  // Step 4.
  const dt = dtype ?? found ?? 'float64';
  const size = sizeOf(shape);
  const storage = allocateStorage(dt, size, false, shape);
  try {
    const target = storage.elements as unknown as Array<number | bigint>;
    let pos = 0;
    let v = 0;
    const putScalars = (end: number) => {
      while (pos < end) target[pos++] = toStorage(scalars[v++]!, dt);
    };
    for (const { at, src } of leaves) {
      putScalars(at);
      copyLayout(src, { storage, shape: src.shape, strides: cStrides(src.shape), offset: at });
      pos += sizeOf(src.shape);
    }
    putScalars(size);
  } catch (err) {
    storage.dispose();
    throw err;
  }
  return new NDArray(storage, shape, cStrides(shape), 0);
}
