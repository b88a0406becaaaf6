/**
 * IR scalar types: the dtypes themselves, plus the facts the compiler needs about them
 * (width, signedness, 64-bit-ness) and the promotion used by type inference.
 *
 * The IR has no types of its own: every scalar value has a dtype (`'int8'`, `'float32'`,
 * `'bool'`, ...), so that IR types map one to one to array elements, AS types and JS
 * representations:
 *
 * | dtype             | AssemblyScript | JS emitter value        |
 * |-------------------|----------------|-------------------------|
 * | bool              | bool           | boolean                 |
 * | int8 ... uint32   | i8 ... u32     | number (an integer)     |
 * | int64, uint64     | i64, u64       | bigint                  |
 * | float32           | f32            | number (Math.fround'ed) |
 * | float64           | f64            | number                  |
 *
 * Arrays (gufunc parameters) are never values: they appear only as the base of a load,
 * a store or a `.length`, so they are described by {@link ArrayType} on the parameter.
 */
import { DTYPES, type DType } from '../../dtype/dtypes.js';
import { promoteTypes } from '../../dtype/promotion.js';
import { AS_TYPE } from '../../builtins/loop-types.js';

export type ScalarType = DType;

/** A gufunc array parameter: element dtype and number of core dimensions. */
export interface ArrayType {
  readonly dtype: DType;
  readonly ndim: number;
}

export const isBool = (t: DType): boolean => t === 'bool';
export const isIntType = (t: DType): boolean => DTYPES[t].kind === 'i' || DTYPES[t].kind === 'u';
export const isFloatType = (t: DType): boolean => DTYPES[t].kind === 'f';
export const isSigned = (t: DType): boolean => DTYPES[t].kind === 'i';
export const isUnsigned = (t: DType): boolean => DTYPES[t].kind === 'u';
/** int64 and uint64: bigint in JS. */
export const is64 = (t: DType): boolean => t === 'int64' || t === 'uint64';
/** Bits of an integer type. */
export const bitsOf = (t: DType): number => DTYPES[t].itemSize * 8;
/** AssemblyScript spelling of a type. */
export const asType = (t: DType): string => AS_TYPE[t];

/** NumPy's promote_types on two dtypes (the NEP 50 lattice, src/dtype/promotion.ts). */
export function promote(a: DType, b: DType): DType {
  return a === b ? a : promoteTypes(a, b);
}

/** Range of an integer type as bigints. */
export function intRange(t: DType): { min: bigint; max: bigint } {
  const info = DTYPES[t];
  return { min: BigInt(info.min as number | bigint), max: BigInt(info.max as number | bigint) };
}

/** True when integer v fits type t (bool: 0 or 1). */
export function fitsInt(v: bigint, t: DType): boolean {
  if (isFloatType(t)) return true;
  const { min, max } = intRange(t);
  return v >= min && v <= max;
}

/**
 * The smallest integer dtype that holds v (NumPy's min_scalar_type for integers):
 * non-negative values take unsigned types, negative ones signed; null beyond 64 bits.
 */
export function minIntType(v: bigint): DType | null {
  const order: DType[] = v >= 0n ? ['uint8', 'uint16', 'uint32', 'uint64'] : ['int8', 'int16', 'int32', 'int64'];
  return order.find((t) => fitsInt(v, t)) ?? null;
}

/** The unsigned type of an integer type's width (for >>>). */
export function unsignedOf(t: DType): DType {
  return ({ 1: 'uint8', 2: 'uint16', 4: 'uint32', 8: 'uint64' } as const)[DTYPES[t].itemSize as 1 | 2 | 4 | 8];
}
