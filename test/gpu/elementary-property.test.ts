/**
 * Property: the gpu target's own exp, log, log2, log10, sin, cos, tan, sinh and cosh
 * (src/compiler/emit/wgsl/elementary-prelude.ts) on any float32 (fast-check's floats: every
 * exponent, signed zeros, subnormals, infinities, NaN) are within the ulps of
 * docs/guide/06-targets.md of JavaScript's Math.* rounded to float32, special values exact.
 * The sin/cos/tan argument reduction keeps r's relative accuracy at every magnitude (five-part
 * Cody-Waite below 8192, Payne-Hanek past it), which the huge inputs and the float32s next to
 * the multiples of pi/2 exercise.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hasGpu } from './harness.js';
import { ELEMENTARY, elementaryMismatches, nearHalfPiMultiples } from './special-values.js';

describe.skipIf(!hasGpu)('elementary functions on the gpu target vs Math.* (property)', () => {
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
