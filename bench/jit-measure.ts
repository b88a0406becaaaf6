/**
 * nb.jit against Numba's @njit in one run (issue 14 item 7). Run: `npx tsx bench/jit-measure.ts`
 * (also `npm run bench -- jit`, the same cases as a suite of bench/run.ts).
 *
 * For each case (bench/jit.bench.ts): numbats' nb.jit, the same function as plain JS
 * (`f.pyFunc`), and Numba's @njit of the same function (bench/numpy/jit.py through the first
 * python with numba: `NUMBATS_PYTHON`, `python3`, `/usr/bin/python3`). All after warm-up
 * (compiling excluded on both sides), medians of 11 timed batches of >= ~20 ms (3 for the
 * plain-JS image runs, seconds each). sum2d 3x3 in ns per call, the others in ms.
 * Without a python with numba, the Numba columns are skipped.
 */
import { cpus, loadavg } from 'node:os';
import * as nb from '../src/index.js';
import { findNumbaPython, runNumpy, timeIt } from './harness.js';
import { jitBench } from './jit.bench.js';

const loadBefore = loadavg();
const py = findNumbaPython();
console.log(`# nb.jit vs Numba @njit — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`);
// Numba first: its run (~10 s) does not overlap the numbats timings.
let numba: Record<string, number> = {};
if (py) {
  numba = runNumpy(py.python, 'jit.py');
  if ('error' in numba) { console.log(`Numba: ${String(numba.error)} (${py.python}); Numba columns skipped`); numba = {}; }
  else {
    console.log(`Numba ${py.version}, NumPy ${String(numba.numpy_version)} (${py.python}); Python loop per call ${numba.python_loop!.toFixed(1)} ns (included); ` +
      `parallel=True on ${String(numba.numba_threads)} threads`);
  }
} else {
  console.log('Numba: no python with numba found (set NUMBATS_PYTHON); Numba columns skipped');
}

const bench = await jitBench();
console.log(`numbats parallel target: ${nb.config().parallel.threads} threads`);
const rows: string[][] = [];
const baselines = new Map<() => unknown, number>();
for (const c of bench.cases) {
  const perCall = c.name.includes('3x3');
  const nbT = timeIt(c.run);
  const jsT = baselines.get(c.baseline) ?? timeIt(c.baseline, c.baselineReps);
  baselines.set(c.baseline, jsT);
  const nu = c.numba !== undefined ? numba[c.numba] : undefined;
  const fmt = (ns: number) => (perCall ? `${ns.toFixed(0)} ns` : `${(ns / 1e6).toFixed(2)} ms`);
  rows.push([c.name.replace(' (ns per call)', ''), fmt(nbT), fmt(jsT), `${(nbT / jsT).toFixed(2)}x`,
    nu === undefined ? 'n/a' : fmt(nu), nu === undefined ? 'n/a' : `${(nbT / nu).toFixed(2)}x`]);
}
const head = ['case', 'numbats nb.jit', 'plain JS (pyFunc)', 'numbats / JS', 'Numba @njit', 'numbats / Numba'];
console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

if (Object.keys(numba).length > 0) {
  const mine = bench.checks();
  const bad = Object.entries(mine).filter(([k, v]) => numba[k] !== v).map(([k, v]) => `${k}: numbats ${v}, Numba ${numba[k]}`);
  console.log(bad.length === 0 ? '\nresults: numbats and Numba agree (sums of the outputs, sum2d values)' : `\nresults DIFFER: ${bad.join('; ')}`);
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
nb.shutdown();
