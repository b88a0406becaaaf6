import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { convertScalar } from '../../src/dtype/convert-scalar.js';
import { checkWeakIntFits } from '../../src/dtype/promotion.js';
import { instantiateBuiltins } from '../../src/runtime/builtin-module.js';
import { compileBytesSync } from '../../src/vectorize/compile-sync.js';
import { collectCodes, renderCatalogue, UNREACHABLE } from '../../scripts/error-catalogue.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('error codes not covered elsewhere', () => {
  it('E_DTYPE_INDEX and E_SHAPE_INDICES: bad reduceat indices', () => {
    expect(() => nb.add.reduceat(nb.arange(4), nb.array([0.5, 1]))).toThrowError(code('E_DTYPE_INDEX'));
    expect(() => nb.add.reduceat(nb.arange(4), nb.array([[0, 1]]))).toThrowError(code('E_SHAPE_INDICES'));
  });
  it('E_DTYPE_VALUE: a value that is not a number, bigint or boolean', () => {
    expect(() => nb.array([1]).set(0, 'x' as never)).toThrowError(code('E_DTYPE_VALUE'));
    expect(() => nb.array([{}] as never)).toThrowError(code('E_DTYPE_VALUE'));
  });
  it('E_VALUE_SCALAR: convertScalar of a non-scalar', () => {
    expect(() => convertScalar('1' as never, 'int8')).toThrowError(code('E_VALUE_SCALAR'));
  });
  it('E_VALUE_NOT_INTEGER: checkWeakIntFits of a non-integer', () => {
    expect(() => checkWeakIntFits(1.5, 'int8')).toThrowError(code('E_VALUE_NOT_INTEGER'));
  });
  it('E_VALUE_RANGE: arange with NaN or an infinite range', () => {
    expect(() => nb.arange(NaN)).toThrowError(code('E_VALUE_RANGE'));
    expect(() => nb.arange(0, Infinity)).toThrowError(code('E_VALUE_RANGE'));
  });
  it('E_VALUE_METHOD and E_VALUE_KEEPDIMS: gufunc restrictions, as in NumPy', () => {
    expect(() => nb.matmul.reduce(nb.ones([2, 2]))).toThrowError(code('E_VALUE_METHOD'));
    expect(() => nb.matmul(nb.ones([2, 2]), nb.ones([2, 2]), { keepdims: true } as never)).toThrowError(code('E_VALUE_KEEPDIMS'));
  });
  it('E_MEMORY_NOT_SHARED: the built-in module refuses a non-shared memory', () => {
    expect(() => instantiateBuiltins(new WebAssembly.Memory({ initial: 1, maximum: 65536 }))).toThrowError(code('E_MEMORY_NOT_SHARED'));
  });
  it('E_TARGET_COMPILE: a compile that does not answer in time fails, and the next compile works', () => {
    expect(() => compileBytesSync('export function f(): i32 { return 1; }', undefined, 1)).toThrowError(code('E_TARGET_COMPILE'));
    const { binary } = compileBytesSync('export function g(): i32 { return 2; }');
    expect(binary.length).toBeGreaterThan(8);
  });
});

describe('the error catalogue (docs/errors.md)', () => {
  it('lists every code, and every code is triggered by a test or explained as unreachable', () => {
    const untested = collectCodes().filter((e) => e.testedIn.length === 0 && UNREACHABLE[e.code] === undefined);
    expect(untested.map((e) => e.code)).toEqual([]);
  });
  it('is current (regenerate with `npx tsx scripts/error-catalogue.ts`)', () => {
    const onDisk = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderCatalogue());
  });
});
