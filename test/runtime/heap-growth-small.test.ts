/**
 * Issue 16, item 1: the heap's high-water mark in a loop of new outputs at 1e5 elements (see
 * heap-growth.test.ts for 1e7). Its own file, so the heap starts fresh. Not a timing test.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { GC_ALLOWANCE_MAX_BYTES } from '../../src/runtime/collection-policy.js';
import { runtime } from '../../src/runtime/runtime.js';
import { INITIAL_PAGES, PAGE_BYTES } from '../../src/runtime/wasm-memory.js';

const MiB = 2 ** 20;

describe('heap high-water in a loop of new outputs (issue 16 item 1)', () => {
  it('1e5 elements, 200 calls: garbage stays within the policy allowance (no fixed 256 MiB floor)', () => {
    const x = nb.linspace(-3, 3, 100_000);
    let r = nb.multiply(x, x);
    for (let i = 0; i < 200; i++) r = nb.multiply(x, i);
    expect(r.get(1)).toBe(x.get(1) as number * 199);
    const reachable = (x.size + r.size) * 8;
    const { heapBytes } = nb.heapStats();
    console.log(`1e5 x 200: heap ${(heapBytes / MiB).toFixed(1)} MiB for ${(reachable / MiB).toFixed(1)} MiB reachable`);
    // The initial memory, or what is reachable plus one request plus the largest allowance.
    expect(heapBytes).toBeLessThanOrEqual(Math.max(INITIAL_PAGES * PAGE_BYTES, 2 * reachable + GC_ALLOWANCE_MAX_BYTES + MiB));
    runtime().heap.checkInvariants();
  });
});
