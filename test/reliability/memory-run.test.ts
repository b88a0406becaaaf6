/**
 * Issue 8, memory safety: one million mixed array operations (seeded) with the allocator
 * in debug mode, checked against a plain-JS shadow model. The driver and what it checks:
 * memory-run-driver.ts. The same run, with other sizes and seeds: scripts/memory-run.ts.
 * MEMORY_RUN_OPS / MEMORY_RUN_SEED (env) change the size and seed here.
 */
import { expect, it } from 'vitest';
import { memoryRun } from './memory-run-driver.js';

const OPS = Number(process.env.MEMORY_RUN_OPS ?? 1_000_000);
const SEED = Number(process.env.MEMORY_RUN_SEED ?? 1);

it(`${OPS} mixed operations keep the heap consistent, the values right and no block leaked`, async () => {
  const r = await memoryRun({ ops: OPS, seed: SEED });
  console.log(
    `memory run: ${r.ops} operations (seed ${SEED}) in ${(r.ms / 1000).toFixed(1)} s; ` +
      `${r.heapChecks} heap checks (${r.allocatorChecks} allocator invariant checks); ` +
      `${r.arraysVerified} arrays verified against the shadow model (${r.elementsVerified} elements); ` +
      `${r.useAfterDispose} uses after dispose, all E_MEMORY_DISPOSED; ${r.expectedErrors} failing calls, none leaked; ` +
      `${r.heapGrows} heap grows (${r.growthsVerified} followed by a full verification), heap ${(r.heapBytes / 2 ** 20).toFixed(0)} MiB; ` +
      `live bytes ${r.baselineLiveBytes} -> ${r.finalLiveBytes}`,
  );
  console.log(`memory run: operations by kind: ${JSON.stringify(r.opCounts)}`);
  expect(r.ops).toBeGreaterThanOrEqual(OPS); // (a scope's inner operations may end the run a few past OPS)
  expect(r.finalLiveBytes).toBe(r.baselineLiveBytes);
  expect(r.heapGrows).toBeGreaterThan(0);
  expect(r.growthsVerified).toBeGreaterThan(0);
  expect(r.useAfterDispose).toBeGreaterThan(0);
  expect(r.heapChecks).toBeGreaterThanOrEqual(Math.floor(OPS / 10_000));
}, 400_000);
