/**
 * The gpu target's special-value contract in Chromium, on SwiftShader (WebGPU through
 * navigator.gpu): every float32 built-in ufunc with a gpu kernel on special inputs against
 * NumPy's results, the same cases as test/gpu/special-values.test.ts runs on lavapipe
 * (test/gpu/special-values.ts), and test/gpu/elementary-property.test.ts's property of the
 * prelude's own exp ... cosh. A missing adapter fails here, it does not skip.
 */
import { describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { elementaryPropertyTests, SPECIAL_ROWS, specialMismatches } from '../gpu/special-values.js';

describe('float32 built-ins on special inputs vs NumPy (navigator.gpu)', () => {
  test('a WebGPU adapter is there', async () => {
    expect(await nb.gpuAvailable()).toBe(true);
  });

  test.each(SPECIAL_ROWS.map((r) => [r.name, r] as const))('%s', async (_, row) => {
    expect(await specialMismatches(row)).toEqual([]);
  });
});

describe('elementary functions on navigator.gpu vs Math.* (property)', () => {
  elementaryPropertyTests();
});
