import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { decodeNested, loadFixture } from '../helpers/fixtures.js';

interface ReprCase {
  name: string;
  dtype: nb.DType;
  shape: number[];
  values: unknown[];
  repr: string;
}

describe('toString() equals NumPy repr', () => {
  const { cases } = loadFixture<{ cases: ReprCase[] }>('repr');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const flat = decodeNested(c.values, c.dtype) as nb.Scalar[];
    const a = nb.array(flat, { dtype: c.dtype }).reshape(c.shape);
    expect(a.toString()).toBe(c.repr);
  });
});

describe('console output', () => {
  it('util.inspect shows the repr, and a disposed array says so', async () => {
    const { inspect } = await import('node:util');
    const a = nb.array([1, 2], { dtype: 'int8' });
    expect(inspect(a)).toBe('array([1, 2], dtype=int8)');
    a.dispose();
    expect(inspect(a)).toBe('array(<disposed>)');
  });
});
