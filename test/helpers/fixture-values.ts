/** Decoding the values of the NumPy-generated fixtures (node and browser loaders share it). */

/** Decode one fixture scalar into the JS value numbats returns for `dtype`. */
export function decodeScalar(v: unknown, dtype: string): number | bigint | boolean {
  if (dtype === 'bool') return Boolean(v);
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(v as string | number);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** Decode nested fixture values. */
export function decodeNested(v: unknown, dtype: string): unknown {
  return Array.isArray(v) ? v.map((x) => decodeNested(x, dtype)) : decodeScalar(v, dtype);
}
