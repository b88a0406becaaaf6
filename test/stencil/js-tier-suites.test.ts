// The stencil suites again with every cpu stencil on the JS tier (tier 'js': the JS emitted
// from the same IR, src/compiler/emit/js/stencil.ts, no Wasm compiled): their oracle is an
// independent reference (test/helpers/stencil-reference.ts, plain JS), so this is the tiers'
// parity on every mode, stride, dtype and construct they cover. targets.test.ts is about
// the parallel target's pool (Wasm only).
import { expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { runSuitesOn } from '../helpers/suite-tier.js';

await runSuitesOn('js', async () => {
  await import('./stencil.test.js');
  await import('./interior.test.js');
  await import('./numba-compat.test.js');
});

it('runs them on the JS tier', () => {
  const s = nb.stencil((a: (i: number) => number) => a(-1) + a(1), { mode: 'wrap' });
  expect(s(nb.array([1.5, 2, 3])).toArray()).toEqual([5, 4.5, 3.5]);
  expect(s.tier).toBe('js');
});
