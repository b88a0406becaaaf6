/**
 * Issue 19, item 5: the JS heap of a loop that disposes every array it makes must stay flat
 * (tracking memory bounded by the live arrays, not by the history).
 *
 *   npx tsx scripts/dispose-loop-heap.ts [elements=1000] [iterations=4000000]
 *
 * One synchronous loop of `nb.ones([elements]).dispose()`; prints `process.memoryUsage().heapUsed`
 * after a full GC at 1e6 iterations and at the end (4e6 by default), and the tracker's count
 * of blocks it still holds. A flat heap shows the same figure at both points.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import * as nb from '../src/index.js';
import { lifetimeStats } from '../src/runtime/lifetime.js';

const elements = Number(process.argv[2] ?? 1000);
const iterations = Number(process.argv[3] ?? 4_000_000);
const checkpoints = [1_000_000, iterations].filter((n, i, a) => n <= iterations && a.indexOf(n) === i);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

gc();
const start = process.memoryUsage().heapUsed;
console.log(`nb.ones([${elements}]).dispose() x ${iterations}, one synchronous loop`);
console.log(`start: heapUsed ${mib(start)}`);
const t0 = performance.now();
let done = 0;
for (const target of checkpoints) {
  for (; done < target; done++) nb.ones([elements]).dispose();
  gc();
  const { heapUsed } = process.memoryUsage();
  const { trackedBlocks } = lifetimeStats();
  console.log(
    `${done.toExponential(0)} iterations: heapUsed ${mib(heapUsed)} (+${mib(heapUsed - start)}), ` +
      `tracked blocks ${trackedBlocks}, ${((performance.now() - t0) / done * 1e3).toFixed(2)} us/iteration`,
  );
}
