/**
 * Issue 19's lifetime stress test (the run itself: lifetime-stress-driver.ts): random
 * interleavings of parallel `callAsync`, `dispose`, scope exits, dropped references and,
 * with a GPU adapter, gpu uploads, reads and in-place calls, checked against a shadow
 * model. Fixed seed; deeper runs: `npx tsx scripts/lifetime-stress.ts [runs] [seed]`.
 */
import { describe, expect, it } from 'vitest';
import { hasGpu } from '../gpu/harness.js';
import { lifetimeStress } from './lifetime-stress-driver.js';

const SEED = 19;

describe('lifetime stress (issue 19)', () => {
  it('10,000 random interleavings of parallel callAsync, dispose, scope exit and dropped arrays: no mismatch', async () => {
    const r = await lifetimeStress({ seed: SEED, runs: 10_000, gpu: false });
    expect(r.runs).toBe(10_000);
    expect(r.stepCounts.call).toBeGreaterThan(10_000);
    expect(r.disposedInFlight).toBeGreaterThan(100); // disposals of arrays in flight did happen
    expect(r.finalLiveBytes).toBe(r.baselineLiveBytes);
  }, 240_000); // ~20 s alone; minutes when the machine is loaded (no time is asserted)

  it.skipIf(!hasGpu)('2,000 random interleavings with gpu uploads, reads and in-place calls too: no mismatch (needs a GPU)', async () => {
    const r = await lifetimeStress({ seed: SEED, runs: 2_000, gpu: true });
    expect(r.runs).toBe(2_000);
    expect(r.stepCounts.toCpu).toBeGreaterThan(500);
    expect(r.finalLiveBytes).toBe(r.baselineLiveBytes);
  });
});
