/**
 * Reading the NumPy-generated fixtures in test/fixtures (see scripts/*-fixtures.py).
 * Non-finite floats and integers beyond 2^53 are stored as strings there.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function loadFixture<T>(name: string): T {
  const path = fileURLToPath(new URL(`../fixtures/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

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
