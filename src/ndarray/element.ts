/**
 * Converting single JS values to and from storage, as NumPy 2 does for Python scalars:
 *  - a JS integer (or bigint) written to an integer dtype must fit, else DTypeError
 *    `E_DTYPE_OVERFLOW` (NumPy 2: "Python integer 300 out of bounds for int8");
 *  - NaN or ±Infinity written to an integer dtype is an error (`E_DTYPE_CONVERT`), as
 *    Python's int(float) is; a finite non-integral number is cast as float64 -> dtype;
 *  - anything written to bool is `value != 0` (NaN is true); floats take Number(value).
 * Reads give boolean for bool, bigint for int64/uint64, number otherwise.
 */
import { DTYPES, type DType, type Scalar } from '../dtype/dtypes.js';
import { convertScalar } from '../dtype/convert-scalar.js';
import { DTypeError } from '../util/errors.js';

/**
 * The raw TypedArray value that stores `value` in `dtype`.
 *
 * @example
 * ```ts
 * toStorage(true, 'float32'); // 1
 * toStorage(7, 'int64');      // 7n
 * ```
 */
export function toStorage(value: Scalar, dtype: DType): number | bigint {
  const info = DTYPES[dtype];
  if (typeof value === 'boolean') return info.isBigInt ? BigInt(value) : Number(value);
  if (typeof value !== 'number' && typeof value !== 'bigint') {
    throw new DTypeError('E_DTYPE_VALUE', `cannot store ${typeof value} ${String(value)} in a ${dtype} array`);
  }
  switch (info.kind) {
    case 'b':
      return typeof value === 'bigint' ? Number(value !== 0n) : Number(value !== 0);
    case 'f':
      return Number(value);
    default: {
      // The common case without BigInt arithmetic: a safe integer (|v| < 2**53) fits int64,
      // and uint64 when not negative; a narrower dtype's bounds are numbers.
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
        if (info.isBigInt) {
          if (value >= 0 || dtype === 'int64') return BigInt(value);
        } else if (value >= (info.min as number) && value <= (info.max as number)) return value;
      }
      if (typeof value === 'number' && !Number.isInteger(value)) {
        if (!Number.isFinite(value)) {
          throw new DTypeError('E_DTYPE_CONVERT', `cannot convert float ${value} to integer (${dtype})`);
        }
        const c = convertScalar(value, dtype);
        return info.isBigInt ? BigInt(c as bigint) : Number(c);
      }
      const big = BigInt(value);
      if (big < BigInt(info.min) || big > BigInt(info.max)) {
        throw new DTypeError(
          'E_DTYPE_OVERFLOW',
          `integer ${String(value)} is out of bounds for ${dtype} (${String(info.min)}..${String(info.max)}); ` +
            `use a wider dtype, or astype('${dtype}') on an array to wrap around as NumPy's unsafe cast does`,
        );
      }
      return info.isBigInt ? big : Number(big);
    }
  }
}

/** The JS value of a raw stored element. */
export function fromStorage(raw: number | bigint, dtype: DType): Scalar {
  return dtype === 'bool' ? raw !== 0 : raw;
}
