/**
 * The collection policy (src/runtime/collection-policy.ts): the heap size allowed before the
 * next forced collection, as rules on byte counts (no timing).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GC_ALLOWANCE_MAX_BYTES, GC_ALLOWANCE_MIN_BYTES, GC_TIME_SHARE, LIVE_HEADROOM, LIVE_HEADROOM_MAX,
  WHOLE_REQUEST_MIN_BYTES, collectionBudget, nextAllowance,
} from '../../src/runtime/collection-policy.js';

const MiB = 2 ** 20;
const bytes = (max: number) => fc.integer({ min: 0, max }).map((k) => k * 16);
const allowances = fc.constantFrom(32, 64, 128).map((m) => m * MiB);

describe('collection budget', () => {
  it('r = f(x) at 1e7 float64 (80 MiB blocks, x and r live): room for exactly one more block, whatever the allowance', () => {
    // Room of 1/4 of the live bytes and the request (60 MiB) held no whole block: a collection every call.
    for (const allowance of [GC_ALLOWANCE_MIN_BYTES, 2 * GC_ALLOWANCE_MIN_BYTES, GC_ALLOWANCE_MAX_BYTES]) {
      expect(collectionBudget(160 * MiB, 80 * MiB, allowance)).toBe(320 * MiB);
    }
  });

  it('large requests get room for garbage in whole requests, never above the cap', () => {
    fc.assert(
      fc.property(bytes(2 ** 26), fc.integer({ min: WHOLE_REQUEST_MIN_BYTES / 16, max: 2 ** 26 }).map((k) => k * 16), allowances, (live, needed, allowance) => {
        const base = live + needed;
        const cap = Math.max(GC_ALLOWANCE_MAX_BYTES, LIVE_HEADROOM_MAX * base);
        const room = collectionBudget(live, needed, allowance) - base;
        expect(room).toBeLessThanOrEqual(cap);
        expect(room).toBeGreaterThan(0);
        // A whole number of requests, at least one, whenever one fits under the cap.
        if (needed <= cap) {
          expect(room % needed).toBe(0);
          expect(room).toBeGreaterThanOrEqual(needed);
        }
      }),
    );
  });

  it('small requests get max(1/4 of live + request, the allowance within the cap)', () => {
    fc.assert(
      fc.property(bytes(2 ** 27), fc.integer({ min: 1, max: WHOLE_REQUEST_MIN_BYTES / 16 - 1 }).map((k) => k * 16), allowances, (live, needed, allowance) => {
        const room = collectionBudget(live, needed, allowance) - live - needed;
        expect(room).toBeGreaterThanOrEqual(LIVE_HEADROOM * (live + needed));
        expect(room).toBeGreaterThanOrEqual(Math.min(allowance, GC_ALLOWANCE_MAX_BYTES));
        expect(room).toBeLessThanOrEqual(Math.max(GC_ALLOWANCE_MAX_BYTES, LIVE_HEADROOM_MAX * (live + needed)));
      }),
    );
  });
});

describe('allowance', () => {
  it('doubles while collections take more than their share of the time, up to the cap; halves when they are cheap', () => {
    expect(nextAllowance(GC_ALLOWANCE_MIN_BYTES, 2 * GC_TIME_SHARE, 0)).toBe(2 * GC_ALLOWANCE_MIN_BYTES);
    expect(nextAllowance(GC_ALLOWANCE_MAX_BYTES, 2 * GC_TIME_SHARE, 0)).toBe(GC_ALLOWANCE_MAX_BYTES);
    expect(nextAllowance(GC_ALLOWANCE_MAX_BYTES, 2 * GC_TIME_SHARE, 1024 * MiB)).toBe(2 * GC_ALLOWANCE_MAX_BYTES);
    expect(nextAllowance(GC_ALLOWANCE_MIN_BYTES, GC_TIME_SHARE / 2, 0)).toBe(GC_ALLOWANCE_MIN_BYTES);
    expect(nextAllowance(4 * GC_ALLOWANCE_MIN_BYTES, GC_TIME_SHARE / 8, 0)).toBe(2 * GC_ALLOWANCE_MIN_BYTES);
    expect(nextAllowance(GC_ALLOWANCE_MIN_BYTES, 0, 0)).toBe(GC_ALLOWANCE_MIN_BYTES);
  });
});
