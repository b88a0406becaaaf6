/**
 * The eleven dtypes: one record each, and the alias table accepted at the API edge.
 *
 * Everything else in numbats derives per-dtype facts (item size, TypedArray, kind, range)
 * from these records, so adding a dtype is one record here plus its promotion row.
 */
import { DTypeError } from '../util/errors.js';

/** The dtype names numbats supports, spelled as NumPy spells them. */
export type DType =
  | 'bool'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'float32' | 'float64';

/** Short aliases accepted wherever a dtype is taken (NumPy's and Numba's codes). */
export type DTypeAlias = 'b1' | 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'f4' | 'f8';

/** Anything accepted as a dtype argument. */
export type DTypeLike = DType | DTypeAlias;

/** NumPy's dtype kind character: boolean, signed integer, unsigned integer, float. */
export type DTypeKind = 'b' | 'i' | 'u' | 'f';

/** The TypedArray that stores each dtype. `bool` uses one byte per element, as NumPy does. */
export interface TypedArrayOf {
  bool: Uint8Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** Any TypedArray that can back an NDArray. */
export type AnyTypedArray = TypedArrayOf[DType];

/** The JS value an element of each dtype reads as. */
export type ScalarOf<D extends DType> = D extends 'bool' ? boolean : D extends 'int64' | 'uint64' ? bigint : number;

/** A JS scalar that can be written into any array (converted as NumPy would). */
export type Scalar = number | bigint | boolean;

export type TypedArrayCtor = {
  new (length: number): AnyTypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): AnyTypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** Facts about one dtype. */
export interface DTypeInfo {
  readonly name: DType;
  readonly kind: DTypeKind;
  /** Bytes per element. */
  readonly itemSize: number;
  /** NumPy's array-protocol short code without byte order, e.g. `'f8'`. */
  readonly shortCode: DTypeAlias;
  /** Numeric code passed to the Wasm loops (index in {@link DTYPE_NAMES}). */
  readonly code: number;
  readonly TypedArray: TypedArrayCtor;
  /** Elements are read and written as `bigint`. */
  readonly isBigInt: boolean;
  /** Smallest and largest representable value (integers and bool); ±Infinity for floats. */
  readonly min: number | bigint;
  readonly max: number | bigint;
}

function rec(
  name: DType, kind: DTypeKind, itemSize: number, shortCode: DTypeAlias, code: number,
  TypedArray: unknown, min: number | bigint, max: number | bigint,
): DTypeInfo {
  return {
    name, kind, itemSize, shortCode, code, TypedArray: TypedArray as TypedArrayCtor,
    isBigInt: typeof min === 'bigint', min, max,
  };
}

/**
 * One record per dtype, in NumPy's type-number order (bool, then integers by size with
 * signed before unsigned, then floats). The order is the `code` used by the Wasm loops.
 *
 * @example
 * ```ts
 * nb.DTYPES.int16.itemSize; // 2
 * nb.DTYPES.uint8.max;      // 255
 * ```
 */
export const DTYPES: { readonly [D in DType]: DTypeInfo } = {
  bool: rec('bool', 'b', 1, 'b1', 0, Uint8Array, 0, 1),
  int8: rec('int8', 'i', 1, 'i1', 1, Int8Array, -128, 127),
  uint8: rec('uint8', 'u', 1, 'u1', 2, Uint8Array, 0, 255),
  int16: rec('int16', 'i', 2, 'i2', 3, Int16Array, -32768, 32767),
  uint16: rec('uint16', 'u', 2, 'u2', 4, Uint16Array, 0, 65535),
  int32: rec('int32', 'i', 4, 'i4', 5, Int32Array, -2147483648, 2147483647),
  uint32: rec('uint32', 'u', 4, 'u4', 6, Uint32Array, 0, 4294967295),
  int64: rec('int64', 'i', 8, 'i8', 7, BigInt64Array, -(2n ** 63n), 2n ** 63n - 1n),
  uint64: rec('uint64', 'u', 8, 'u8', 8, BigUint64Array, 0n, 2n ** 64n - 1n),
  float32: rec('float32', 'f', 4, 'f4', 9, Float32Array, -Infinity, Infinity),
  float64: rec('float64', 'f', 8, 'f8', 10, Float64Array, -Infinity, Infinity),
};

/**
 * All dtype names in type-number order.
 *
 * @example
 * ```ts
 * nb.DTYPE_NAMES.length; // 11
 * ```
 */
export const DTYPE_NAMES: readonly DType[] = Object.keys(DTYPES) as DType[];

// 'boolean' is Numba's spelling in signatures (numba.boolean); NumPy itself rejects it.
const ALIASES: Readonly<Record<string, DType>> = {
  b1: 'bool', bool_: 'bool', boolean: 'bool',
  i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16',
  i4: 'int32', u4: 'uint32', i8: 'int64', u8: 'uint64',
  f4: 'float32', f8: 'float64',
};

/**
 * Resolve a dtype name or alias to its canonical name.
 *
 * @throws DTypeError (`E_DTYPE_UNKNOWN`) for anything else.
 * @example
 * ```ts
 * nb.normalizeDType('f8'); // 'float64'
 * ```
 */
export function normalizeDType(dtype: unknown): DType {
  if (typeof dtype === 'string') {
    if (Object.prototype.hasOwnProperty.call(DTYPES, dtype)) return dtype as DType;
    if (Object.prototype.hasOwnProperty.call(ALIASES, dtype)) return ALIASES[dtype]!;
  }
  throw new DTypeError(
    'E_DTYPE_UNKNOWN',
    `unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPE_NAMES.join(', ')} ` +
      `or an alias (${Object.keys(ALIASES).join(', ')})`,
  );
}

/** The record of a dtype given by name or alias. */
export function dtypeInfo(dtype: DTypeLike | DType): DTypeInfo {
  return DTYPES[normalizeDType(dtype)];
}

/** The dtype stored by a TypedArray, or `undefined` for an unsupported one (Uint8ClampedArray, Float16Array). */
export function dtypeOfTypedArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/** True for the integer dtypes (signed or unsigned, not bool). */
export const isInteger = (d: DType): boolean => DTYPES[d].kind === 'i' || DTYPES[d].kind === 'u';
/** True for the floating dtypes. */
export const isFloat = (d: DType): boolean => DTYPES[d].kind === 'f';
