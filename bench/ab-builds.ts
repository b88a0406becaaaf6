/**
 * Before/after rows of issue 16 items 3-5 in one process: two numbats builds side by side,
 * their calls interleaved round by round (so both see the same machine load), plus the
 * STREAM-style Wasm loops of bench/stream.ts as the bandwidth ceiling. Run by hand:
 *
 *   npx tsx bench/ab-builds.ts <checkout of the "before" commit, with its asm built> [rounds=25]
 *   python3 bench/numpy/ab_rows.py [rounds=25]     # the same rows in NumPy, alternately
 *
 * Prints per row and build the min and the median over the rounds, ns per element, of wall
 * time and of CPU time (process.cpuUsage around the call: on a loaded machine the wall time
 * includes waiting for a core, the CPU time does not). The min is the better estimate on a
 * loaded machine (a call that ran without being preempted); the median is what the rest of
 * bench/README.md quotes.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import * as after from '../src/index.js';
import { streamCases } from './stream.js';

type NB = typeof after;
type Row = [run: () => unknown, elements: number];

async function rows(nb: NB): Promise<Record<string, Row>> {
  // Compiled kernels: each build's own compiler; timed on their Wasm tier.
  const xy1 = nb.vectorize('f8(f8, f8)')((a: number, b: number) => a * b + 1);
  const rowdot = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')(
    (a: Float64Array, b: Float64Array, r: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      r[0] = s;
    },
  );
  await Promise.all([xy1.ready, rowdot.ready]);
  const R = 1e5;
  const ra = nb.linspace(0, 1, R * 32).reshape([R, 32]);
  const rb = nb.linspace(0, 1, R * 32).reshape([R, 32]).slice('::-1').copy();
  const ro = nb.empty([R]);
  const A = nb.linspace(0, 1, 4e6).reshape([2000, 2000]);
  const Af = A.astype('float32');
  const x = nb.linspace(0, 1, 1e7);
  const y = nb.linspace(1, 2, 1e7);
  const out = nb.empty([1e7]);
  const xs = x.slice('::2');
  const ys = y.slice('::2');
  return {
    'add.reduce axis=0 f64 2000x2000': [() => nb.add.reduce(A, { axis: 0 }), 4e6],
    'maximum.reduce axis=0 f64 2000x2000': [() => nb.maximum.reduce(A, { axis: 0 }), 4e6],
    'add.reduce axis=0 f32 2000x2000': [() => nb.add.reduce(Af, { axis: 0 }), 4e6],
    'exp f64 1e7 out=': [() => nb.exp(x, { out }), 1e7],
    'sin f64 1e7 out=': [() => nb.sin(x, { out }), 1e7],
    'a[::2]+b[::2] 5e6': [() => nb.add(xs, ys), 5e6],
    'add f64 1e7 out=': [() => nb.add(x, y, { out }), 1e7],
    'vectorize x*y+1 f64 1e7 out=': [() => xy1(x, y, { out }), 1e7],
    // (returns nothing: the time helper disposes fresh results, and this one is `ro`)
    'guvectorize rowdot (1e5,32) f64 out=': [() => { rowdot(ra, rb, { out: ro }); }, R * 32],
  };
}

const beforeDir = process.argv[2];
if (!beforeDir) throw new Error('usage: npx tsx bench/ab-builds.ts <before checkout> [rounds]');
const before = (await import(pathToFileURL(join(beforeDir, 'src/index.ts')).href)) as NB;
const rounds = Number(process.argv[3] ?? 25);
const builds: Array<[string, Record<string, Row>]> = [['before', await rows(before)], ['after', await rows(after)]];
const stream = await streamCases();
const times = new Map<string, number[]>();
const cpuTimes = new Map<string, number[]>();
const time = (key: string, run: () => unknown, n: number) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = run();
  const dt = ((performance.now() - t0) * 1e6) / n;
  const c = process.cpuUsage(c0);
  cpuTimes.set(key, [...(cpuTimes.get(key) ?? []), ((c.user + c.system) * 1e3) / n]);
  // Fresh results are released at once (an out= result is the caller's array: kept).
  const res = r as { size?: number; dispose?: () => void } | undefined;
  if (typeof res?.dispose === 'function' && res.size !== 1e7) res.dispose();
  times.set(key, [...(times.get(key) ?? []), dt]);
};
for (const [, rs] of builds) for (const [run] of Object.values(rs)) for (let i = 0; i < 5; i++) time('warm-up', run, 1);
for (let r = 0; r < rounds; r++) {
  // Which build goes first alternates round by round (the second call of a pair measured
  // up to 15% faster on unchanged rows when the order was fixed).
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const name of Object.keys(builds[0]![1])) for (const [build, rs] of order) time(`${name} | ${build}`, rs[name]![0], rs[name]![1]);
  for (const c of stream) time(c.name, c.run, c.elements);
}
times.delete('warm-up');
for (const [key, v] of times) {
  v.sort((a, b) => a - b);
  const c = cpuTimes.get(key)!.sort((a, b) => a - b);
  console.log(`${key} | min ${v[0]!.toFixed(3)} | median ${v[v.length >> 1]!.toFixed(3)} | cpu min ${c[0]!.toFixed(3)} | cpu median ${c[c.length >> 1]!.toFixed(3)}`);
}
