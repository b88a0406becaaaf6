/**
 * Per-call cost of small-array operations (issue 16 item 2) against NumPy's equivalents, in
 * CPU time (process.cpuUsage / time.process_time_ns) rather than wall time: on a shared,
 * loaded machine a wall-clock median of ~300 ns calls swings by 2-10x with the other jobs,
 * CPU time much less. Includes the engine's helper threads (V8's GC; Python has none).
 * `npx tsx bench/small-calls.ts [rounds]` (compiled: `node dist/bench/small-calls.js`):
 * numbats and NumPy alternate `rounds` times (default 3); the table gives medians and the
 * median of the per-round ratios.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { findNumpyPython } from './harness.js';

const s = nb.linspace(0, 1, 16);
const so = nb.empty([16]);
let k = 0;
/** Case name -> the numbats call (the NumPy side, bench/numpy/small_calls.py, has the same names). */
const CASES: Record<string, () => unknown> = {
  'np.add(a, b), n=16, new output': () => nb.add(s, s),
  'np.add(a, b, out=o), n=16': () => nb.add(s, s, { out: so }),
  'np.array([1, 2, 3])': () => nb.array([1, 2, 3]),
  'a[i] (a.get(i)), n=16': () => s.get((k = (k + 1) & 15)),
  "a[1:5] (a.slice('1:5')), n=16": () => s.slice('1:5'),
};

const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
};

let sink = 0;
/** Median CPU ns per call over 5 batches of 30,000 calls, after 10,000 warm-up calls. */
function cpuPerCall(f: () => unknown): number {
  for (let i = 0; i < 10_000; i++) f();
  const t: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = cpuNs();
    for (let i = 0; i < 30_000; i++) {
      const x = f();
      if (typeof x === 'number') sink += x;
    }
    t.push((cpuNs() - t0) / 30_000);
  }
  t.sort((a, b) => a - b);
  return t[2]!;
}

function numpyRound(python: string): Record<string, number> {
  const here = fileURLToPath(new URL('./numpy/small_calls.py', import.meta.url));
  const path = existsSync(here) ? here : fileURLToPath(new URL('../../bench/numpy/small_calls.py', import.meta.url));
  const r = spawnSync(python, [path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`small_calls.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rounds = Number(process.argv[2] ?? 3);
const py = findNumpyPython();
const ours: Record<string, number[]> = {};
const theirs: Record<string, number[]> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, f] of Object.entries(CASES)) (ours[name] ??= []).push(cpuPerCall(f));
  if (py) for (const [name, v] of Object.entries(numpyRound(py.python))) (theirs[name] ??= []).push(v);
}
console.log(`| case | numbats CPU ns/call | NumPy CPU ns/call | numbats / NumPy (median of ${rounds} rounds) |`);
console.log('|---|---|---|---|');
for (const name of Object.keys(CASES)) {
  const a = ours[name]!;
  const b = theirs[name];
  const ratio = b ? median(a.map((x, i) => x / b[i]!)).toFixed(2) + 'x' : 'n/a';
  console.log(`| ${name} | ${median(a).toFixed(0)} | ${b ? median(b).toFixed(0) : 'n/a'} | ${ratio} |`);
}
if (sink < 0) console.log(sink);
