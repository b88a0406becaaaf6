/**
 * The lifetime stress run of issue 19 (test/hostile/lifetime-stress-driver.ts) outside
 * `npm test`: by default 200,000 interleavings of up to 24 steps with seed 1, with the gpu
 * steps when a WebGPU adapter opens (`--no-gpu` leaves them out).
 *
 *   npx tsx scripts/lifetime-stress.ts [runs=200000] [seed=1] [--no-gpu]
 *
 * Prints progress, then the counts as JSON; exits non-zero with fast-check's minimal
 * counterexample on the first mismatch.
 */
import * as nb from '../src/index.js';
import { lifetimeStress } from '../test/hostile/lifetime-stress-driver.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const runs = Number(args[0] ?? 200_000);
const seed = Number(args[1] ?? 1);
const gpu = !process.argv.includes('--no-gpu') && (await nb.gpuAvailable());
const report = await lifetimeStress({ seed, runs, maxSteps: 24, gpu, log: (l) => console.log(l) });
console.log(JSON.stringify(report, null, 2));
console.log(
  `lifetime stress: ${report.runs} interleavings (seed ${seed}, gpu ${gpu ? 'on' : 'off'}) in ${(report.ms / 1000).toFixed(1)} s; ` +
    `${report.steps} steps, ${report.arraysVerified} arrays verified (${report.elementsVerified} elements), ` +
    `${report.disposedChecked} disposed arrays checked, ${report.disposedInFlight} disposals in flight; ` +
    `live bytes ${report.baselineLiveBytes} -> ${report.finalLiveBytes}`,
);
await nb.shutdown();
if (gpu) await nb.gpuShutdown();
if (report.finalLiveBytes !== report.baselineLiveBytes) process.exit(1);
