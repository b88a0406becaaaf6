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

export { decodeNested, decodeScalar } from './fixture-values.js';
