/**
 * The gpu target's special-value contract on this machine's adapter (lavapipe on CI): every
 * float32 built-in ufunc with a gpu kernel on special inputs against NumPy's results
 * (test/gpu/special-values.ts; the same cases run on SwiftShader in
 * test/browser/gpu-special-values.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { GPU_BUILTINS } from '../../src/gpu/builtin-kernels.js';
import { hasGpu } from './harness.js';
import { SPECIAL_ROWS, specialMismatches } from './special-values.js';

describe.skipIf(!hasGpu)('float32 built-ins on special inputs vs NumPy (gpu)', () => {
  test('the fixture covers every gpu built-in with a float32 loop', () => {
    const fixture = new Set(SPECIAL_ROWS.map((r) => r.name));
    const noFloat32Loop = ['bitwise_and', 'bitwise_or', 'bitwise_xor', 'invert', 'left_shift', 'right_shift', 'gcd', 'lcm'];
    expect(GPU_BUILTINS.filter((n) => !fixture.has(n))).toEqual(noFloat32Loop);
  });

  test.each(SPECIAL_ROWS.map((r) => [r.name, r] as const))('%s', async (_, row) => {
    expect(await specialMismatches(row)).toEqual([]);
  });
});
