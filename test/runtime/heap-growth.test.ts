/**
 * Issue 16, item 1: the heap's high-water mark in a loop that makes a new output each call
 * and never disposes (`r = f(x)`), against the bytes the loop keeps reachable (x and r).
 * Not a timing test: it checks the sizes the collection policy (lifetime.ts) allows, which
 * do not depend on how long anything takes. Its own file, so the heap starts fresh (the loop
 * at 1e5 is heap-growth-small.test.ts: the garbage it leaves below the first 80 MB array
 * would count against this loop's high-water).
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { runtime } from '../../src/runtime/runtime.js';

const MiB = 2 ** 20;

describe('heap high-water in a loop of new outputs (issue 16 item 1)', () => {
  it('1e7 elements (80 MB per array), 12 calls: high-water at most 2.5x the reachable bytes', () => {
    const x = nb.linspace(-3, 3, 10_000_000);
    let r = nb.multiply(x, 2);
    const before = nb.heapStats().forcedCollections;
    for (let i = 0; i < 12; i++) r = nb.multiply(x, i);
    expect(r.get(10)).toBe(x.get(10) as number * 11);
    const reachable = (x.size + r.size) * 8;
    const { heapBytes, forcedCollections } = nb.heapStats();
    const forced = forcedCollections - before;
    console.log(
      `1e7 x 12: heap ${(heapBytes / MiB).toFixed(1)} MiB for ${(reachable / MiB).toFixed(1)} MiB reachable ` +
        `(${(heapBytes / reachable).toFixed(2)}x), ${forced} forced collections in the 12 calls`,
    );
    expect(heapBytes).toBeLessThanOrEqual(2.5 * reachable);
    // Room for garbage in whole blocks (collection-policy.ts): x, r, the new r and one spare
    // 80 MiB block (the size class of 80 MB), whatever the collections cost, and so a
    // collection every second call. Before, room for 0.75 of a block (300 MiB) collected on
    // every call, and where collections were slow the room grew to 1.6 blocks (368 MiB).
    expect(heapBytes).toBeLessThanOrEqual(4 * 80 * MiB + 16 * MiB);
    expect(forced).toBeLessThanOrEqual(12 / 2);
    runtime().heap.checkInvariants();
  });
});
