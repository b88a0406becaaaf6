/**
 * How the parallel target scales with the pool size on one kernel (exp(-x*x)*cos(x), 1e7
 * float64, out=): median ms per call for the cpu target and for parallel with 1..T threads,
 * in one process. `node dist/bench/parallel-scaling.js [maxThreads]`.
 */
import * as nb from '../src/index.js';
import { wasmReady } from './harness.js';

const N = 1e7;
const maxThreads = Number(process.argv[2] ?? 4);
const x = nb.linspace(0, 1, N);
const out = nb.empty([N]);
const kernel = (a: number) => Math.exp(-a * a) * Math.cos(a);
const cpu = nb.vectorize('f8(f8)')(kernel);
const par = nb.vectorize('f8(f8)', { target: 'parallel' })(kernel);
await wasmReady(cpu, par); // time the Wasm tier, not the JS tier that runs while it compiles
const now = () => performance.now();
const median = (f: () => unknown, reps = 15) => {
  for (let i = 0; i < 5; i++) f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = now();
    f();
    t.push(now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
};
const base = median(() => cpu(x, { out }));
console.log(`cpu target: ${base.toFixed(1)} ms`);
for (let th = 1; th <= maxThreads; th++) {
  nb.config({ parallel: { threads: th } });
  const t = median(() => par(x, { out }));
  console.log(`parallel, ${th} thread(s): ${t.toFixed(1)} ms  (${(base / t).toFixed(2)}x)`);
}
nb.shutdown();
