/**
 * The gpu target's special-value contract in Chromium, on SwiftShader (WebGPU through
 * navigator.gpu): every float32 built-in ufunc with a gpu kernel on special inputs against
 * NumPy's results, the same cases as test/gpu/special-values.test.ts runs on lavapipe
 * (test/gpu/special-values.ts), and test/gpu/elementary-property.test.ts's property of the
 * prelude's own exp ... cosh. A missing adapter fails here, it does not skip.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { ELEMENTARY, elementaryMismatches, nearHalfPiMultiples, SPECIAL_ROWS, specialMismatches } from '../gpu/special-values.js';

describe('float32 built-ins on special inputs vs NumPy (navigator.gpu)', () => {
  test('a WebGPU adapter is there', async () => {
    expect(await nb.gpuAvailable()).toBe(true);
  });

  test.each(SPECIAL_ROWS.map((r) => [r.name, r] as const))('%s', async (_, row) => {
    expect(await specialMismatches(row)).toEqual([]);
  });
});

describe('elementary functions on navigator.gpu vs Math.* (property)', () => {
  test.each(Object.keys(ELEMENTARY))('%s', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float(), { minLength: 1, maxLength: 256 }), async (xs) => {
        expect(await elementaryMismatches(name, xs)).toEqual([]);
      }),
      { numRuns: 40, seed: 20261207 },
    );
  });

  test.each(['sin', 'cos', 'tan'])('%s next to the multiples of pi/2 (relative accuracy of the reduced argument)', async (name) => {
    expect(await elementaryMismatches(name, nearHalfPiMultiples())).toEqual([]);
  });
});
