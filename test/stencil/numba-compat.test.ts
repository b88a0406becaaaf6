/**
 * Issue 20 item 6: a lazy stencil's output dtype is what its kernel returns, as Numba's
 * stencil and numbats' lazy vectorize infer it. Expected values from Numba 0.68.0 / NumPy
 * 2.4.6:
 *   @numba.stencil
 *   def k(a): return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])
 *   k(np.arange(16, dtype=np.int64).reshape(4, 4))  # float64; interior [[5., 6.], [9., 10.]]
 * (Numba leaves a border of zeros where the neighbourhood does not fit; numbats computes
 * every point with the boundary mode, so only the interior is compared with Numba.)
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/stencil/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();

type A = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('lazy stencil output dtype (issue 20 item 6)', () => {
  it('int64 input, a kernel returning 0.25 * (...): float64, not truncated int64 (Numba)', () => {
    const k = nb.stencil((a: A) => 0.25 * (a(0, 1) + a(1, 0) + a(0, -1) + a(-1, 0)));
    const r = k(nb.arange(16).reshape([4, 4]));
    expect(r.dtype).toBe('float64');
    expect(r.slice('1:3', '1:3').toArray()).toEqual([[5, 6], [9, 10]]); // Numba's interior
    expect(r.get(0, 0)).toBe(1.25); // 'constant' mode, cval 0: 0.25 * (1 + 4 + 0 + 0)
  });

  it('a comparison kernel gives bool; a sum of int32 stays int32 (the kernel language\'s int arithmetic)', () => {
    const x = nb.arange(9, undefined, undefined, 'int32').reshape([3, 3]);
    const gt = nb.stencil((a: A) => a(0, 1) > a(1, 0))(x);
    expect(gt.dtype).toBe('bool'); // Numba: bool
    expect(gt.toArray()).toEqual([[false, false, false], [false, false, false], [true, true, false]]);
    const sum = nb.stencil((a: A) => a(0, 1) + a(1, 0))(x);
    // Numba types int32 + int32 as int64; numbats' kernels compute in the signature's types (DESIGN.md).
    expect(sum.dtype).toBe('int32');
    expect(sum.slice('0:2', '0:2').toArray()).toEqual([[4, 6], [10, 12]]); // Numba: [[4, 6], [10, 12]]
  });

  it('an eager signature without a result type infers it too', () => {
    const k = nb.stencil((a: A) => a(-1) / 2, { signature: '(int64)' });
    expect(k(nb.array([1, 2, 3])).toArray()).toEqual([0, 0.5, 1]);
  });
});
