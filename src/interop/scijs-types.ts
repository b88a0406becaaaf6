/**
 * The scijs `ndarray` package's array type, declared in numbats so that its public
 * declarations compile in a consumer's project without `@types/ndarray` (issue 18: the
 * package `ndarray` ships no types, and `@types/ndarray` is only numbats' devDependency).
 *
 * {@link ScijsNdarray} mirrors `@types/ndarray`'s `NdArray` member for member, so an
 * `NDArray.toNdarray()` result passes wherever that type is expected (ndarray-ops and the
 * like), and {@link ScijsNdarrayLike} is the part `fromNdarray` reads, which every scijs
 * array (typed by `@types/ndarray` or not) satisfies. test/package/scijs-types.test.ts checks both
 * directions against `@types/ndarray`.
 */

/** A scijs array's `dtype` string. */
export type ScijsDType =
  | 'int8' | 'int16' | 'int32' | 'uint8' | 'uint8_clamped' | 'uint16' | 'uint32'
  | 'float16' | 'float32' | 'float64' | 'bigint64' | 'biguint64' | 'generic' | 'array';

/** The `dtype` string of a scijs array over `D` (as `@types/ndarray`'s `DataType`). */
export type ScijsDataType<D> = D extends Int8Array ? 'int8' : D extends Int16Array ? 'int16' : D extends Int32Array ? 'int32'
  : D extends Uint8Array ? 'uint8' : D extends Uint8ClampedArray ? 'uint8_clamped' : D extends Uint16Array ? 'uint16'
  : D extends Uint32Array ? 'uint32' : D extends Float32Array ? 'float32' : D extends Float64Array ? 'float64'
  : D extends BigInt64Array ? 'bigint64' : D extends BigUint64Array ? 'biguint64' : ScijsDType;

/** The element type of a scijs array over `D`: `bigint` for 64-bit integer data, else `number`. */
export type ScijsValue<D> = D extends BigInt64Array | BigUint64Array ? bigint : number;

/** A scijs array over `data` (numbats gives a TypedArray): a view with its own shape, strides (in elements) and offset. */
export interface ScijsNdarray<D = unknown> {
  data: D;
  shape: number[];
  stride: number[];
  offset: number;
  dtype: ScijsDataType<D>;
  size: number;
  order: number[];
  dimension: number;
  get(...index: number[]): ScijsValue<D>;
  /** `set(i, j, ..., value)` (typed as in `@types/ndarray`). */
  set(...indexThenValue: number[]): ScijsValue<D>;
  index(...index: number[]): number;
  lo(...index: number[]): ScijsNdarray<D>;
  hi(...index: number[]): ScijsNdarray<D>;
  step(...steps: number[]): ScijsNdarray<D>;
  transpose(...axes: number[]): ScijsNdarray<D>;
  pick(...index: Array<number | null>): ScijsNdarray<D>;
  T: ScijsNdarray<D>;
}

/** What `nb.fromNdarray` reads of a scijs array. */
export interface ScijsNdarrayLike {
  readonly data: unknown;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
  readonly dtype: string;
  get(...index: number[]): unknown;
}
