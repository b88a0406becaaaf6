// The jit suites again with every function on the JS tier (tier 'js': the JS the front end
// emits from the same IR, no Wasm compiled): their oracle is the plain-JS function, so this
// is the tiers' parity on every construct they cover (API.md: the same results). The tests
// that check the Wasm tier itself (the scratch arena's limit) ask for tier 'wasm'. prange.test.ts
// is about the worker pool (Wasm only); test/jit/tiers.test.ts covers prange on the JS tier.
import { expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { runSuitesOn } from '../helpers/suite-tier.js';

await runSuitesOn('js', async () => {
  await import('./jit.test.js');
  await import('./helpers.test.js');
  await import('./arrays.test.js');
  await import('./alloc.test.js');
  await import('./alloc-dynamic.test.js');
});

it('runs them on the JS tier', () => {
  const f = nb.jit((x: number) => x + 1);
  expect(f(1)).toBe(2);
  expect(f.tier).toBe('js');
});
