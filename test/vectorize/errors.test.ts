import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { vectorize } from '../../src/vectorize/vectorize.js';
import { kernelErrorOf } from '../helpers/errors.js';

const kernelError = kernelErrorOf;

const outside = 3;

describe('vectorize kernel errors', () => {
  const cases: [string, (...a: never[]) => unknown, string][] = [
    ['closure variable', (x: number) => x + outside, 'NB1010'],
    ['object literal', (x: number) => ({ x }).x, 'NB1012'],
    ['string', (x: number) => (x > 0 ? 'a' : 'b').length, 'NB1014'],
    ['new', (x: number) => new Date(x).getTime(), 'NB1016'],
    ['new (bare)', (x: number) => { const d = new Map<number, number>(); return x + d.size; }, 'NB1015'],
    ['unknown call', (x: number) => parseFloat(String(x)), 'NB1016'],
    ['console', (x: number) => { console.log(x); return x; }, 'NB1016'],
    ['async', async (x: number) => x, 'NB1003'],
  ];
  for (const [what, fn, code] of cases) {
    it(`${what}: KernelError with a code, line and column`, () => {
      const e = kernelError(() => vectorize('f8(f8)' as string)(fn)); // kernels typed loosely on purpose
      expect(e.code).toBe(code);
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.message.length).toBeGreaterThan(0);
    });
  }

  it('a lazy kernel reports at its first call', () => {
    const u = vectorize()((x: number) => x + outside);
    expect(() => u(nb.array([1.5]))).toThrow(nb.KernelError);
  });

  it('the kernel passed where the signatures go (Numba\'s bare @vectorize) says how to write it', () => {
    const k = (x: number) => x + 1;
    expect(() => vectorize(k as never)).toThrow(TypeError);
    expect(() => vectorize(k as never)).toThrow('nb.vectorize()(kernel) makes a lazy ufunc');
    expect(vectorize()(k)(nb.array([1.5])).toArray()).toEqual([2.5]);
  });

  it('bad signatures are KernelErrors NB5001', () => {
    expect(kernelError(() => vectorize('f8(f9)')((x: number) => x)).code).toBe('NB5001');
  });
});
