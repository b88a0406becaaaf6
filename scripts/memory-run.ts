/**
 * The full memory-safety run of issue 8 (test/reliability/memory-run-driver.ts), outside
 * `npm test`: by default one million operations with seed 1.
 *
 *   npx tsx scripts/memory-run.ts [ops=1000000] [seed=1]
 *
 * Prints progress, then the counts (operations by kind, heap checks, arrays verified) as
 * JSON; exits non-zero on the first disagreement.
 */
import { memoryRun } from '../test/reliability/memory-run-driver.js';

const ops = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
const report = await memoryRun({ ops, seed, log: (l) => console.log(l) });
console.log(JSON.stringify(report, null, 2));
console.log(
  `memory run: ${report.ops} operations (seed ${seed}) in ${(report.ms / 1000).toFixed(1)} s; ` +
    `${report.heapChecks} heap checks (${report.allocatorChecks} allocator invariant checks), ` +
    `${report.arraysVerified} arrays verified (${report.elementsVerified} elements), ` +
    `${report.useAfterDispose} use-after-dispose throws, ${report.expectedErrors} expected errors, ` +
    `${report.heapGrows} heap grows; live bytes ${report.baselineLiveBytes} -> ${report.finalLiveBytes}`,
);
