/**
 * First result of a disk-cache hit in a fresh process (issue 15 item 4): a writer process
 * allocates 28 MB (the heap grows) and compiles three kernels with `cache: true`; then each
 * of RUNS fresh processes allocates differently and times, from the end of
 * `import('numbats')`: the runtime's start (the first array: heap and built-in module), then,
 * after its allocations, making each kernel (to `.ready`: its Wasm tier in place) and its
 * first result; and, for the cost of a miss, the same program without the cache and the writer.
 *
 * The package runs as users get it: `package.json` and `dist/` copied to a temporary
 * `node_modules/numbats` (its dependencies linked beside it), imported as 'numbats'; so the
 * cache keys on the version, as in an install (in a source checkout they also stat numbats'
 * source files, kernel-cache.ts; `--checkout` measures that layout instead).
 *
 *   npm run build:ts && npx tsx bench/cache-hit.ts [--build label=dir ...] [--checkout]
 *
 * Each `--build` is a package root with a built `dist/` (default: this one, as 'this'); with
 * several, their processes alternate, so the medians compare builds in the same run. RUNS
 * (default 7) fresh processes per build. Then Numba's `cache=True` on the same kernels
 * (bench/numpy/numba_cache.py). Prints medians and minima. `--first-each` also times each
 * kernel as the only one of its process (RUNS more processes per kernel and build): what
 * the first kernel of a program pays, cold code included, for every kernel.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildsFromArgs, installBuild } from './installed-build.js';

const RUNS = Number(process.env.RUNS ?? 7);
const argv = process.argv.slice(2);
const checkout = argv.includes('--checkout');
const firstEach = argv.includes('--first-each');
const builds = buildsFromArgs(argv);

const work = mkdtempSync(join(tmpdir(), 'numbats-bench-cache-'));

/** The entry module of a build: installed under a temporary node_modules, or the checkout's own. */
function install(label: string, root: string): string {
  if (checkout) return pathToFileURL(join(root, 'dist/src/index.js')).href;
  return installBuild(work, { label, root });
}

const KERNELS = [
  ['plain x*2+1', "nb.vectorize('f8(f8)', { cache: true })((x) => x * 2 + 1)", 'xs'],
  ['exp*cos+pow (static data)', "nb.vectorize('f8(f8)', { cache: true })((x) => Math.exp(-x * x) * Math.cos(x) + Math.pow(2, x))", 'xs'],
  ['guvectorize rowsum log1p', "nb.guvectorize(['void(f8[:], f8[:])'], '(n)->()', { cache: true })((a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.log1p(a[i]); out[0] = s; })", 'm'],
] as const;

function program(entry: string, sizes: number[], cache = true, only?: number): string {
  // CPU time (process.cpuUsage) beside wall time: on a loaded machine the wall includes
  // waiting for a core; a hit runs on this thread only, so its CPU time is its idle wall.
  return [
    'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
    'const t0 = performance.now(); const c0 = cpu();',
    `const nb = await import(${JSON.stringify(entry)});`,
    'const t1 = performance.now(); const c1 = cpu();',
    'nb.zeros([1]);',
    'const t2 = performance.now(); const c2 = cpu();',
    `const keep = ${JSON.stringify(sizes)}.map((n) => nb.zeros([n]));`,
    "const xs = nb.array([0, 0.5, -1.25, 3]); const m = nb.array([[1, 2], [3, 4]]);",
    'const t3 = performance.now();',
    'const out = { importMs: t1 - t0, importCpu: c1 - c0, runtimeMs: t2 - t1, runtimeCpu: c2 - c1, kernels: [] };',
    ...KERNELS.filter((_, i) => only === undefined || i === only).map(([, make, arg]) => `{ const a = performance.now(); const ca = cpu(); const f = ${cache ? make : make.replace('cache: true', 'cache: false')}; await f.ready; const b = performance.now(); f(${arg}).toArray(); const c = performance.now(); out.kernels.push([b - a, c - b, c - t3, cpu() - ca]); }`),
    'console.log(JSON.stringify(out));',
  ].join('\n');
}

type Run = { importMs: number; importCpu: number; runtimeMs: number; runtimeCpu: number; kernels: number[][] };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const setups = builds.map(({ label, root }) => {
  const entry = install(label, root);
  const env = { ...process.env, NUMBATS_CACHE_DIR: join(work, `${label}-cache`) };
  const run = (sizes: number[], cache = true, only?: number): Run => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program(entry, sizes, cache, only)], { encoding: 'utf8', env, cwd: work });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Run;
  };
  return { label, run, hits: [] as Run[], firsts: KERNELS.map(() => [] as Run[]) };
});

console.log(`layout: ${checkout ? 'source checkout (dist/ in place)' : 'installed (node_modules/numbats)'}`);
for (const s of setups) {
  const nocache = s.run([3_500_000, 1000], false);
  console.log(`[${s.label}] no cache (one compile each): ${KERNELS.map(([name], i) => `${name} ${nocache.kernels[i]![0]!.toFixed(0)} ms`).join('; ')}`);
  const writer = s.run([3_500_000, 1000]);
  console.log(`[${s.label}] writer (miss; a second compile for static data): ${KERNELS.map(([name], i) => `${name} ${writer.kernels[i]![0]!.toFixed(0)} ms`).join('; ')}`);
}
const heaps = (i: number) => (i % 2 === 0 ? [17, 4096, 100_000] : [9_000_000, 3]);
for (let i = 0; i < RUNS; i++) {
  for (const s of setups) s.hits.push(s.run(heaps(i)));
}
if (firstEach) {
  for (let k = 0; k < KERNELS.length; k++) {
    for (let i = 0; i < RUNS; i++) for (const s of setups) s.firsts[k]!.push(s.run(heaps(i), true, k));
  }
}
console.log(`hits, median [min] of ${RUNS} fresh processes per build (alternating small heap / heap grown to 72 MB; builds interleaved):`);
for (const { label, hits } of setups) {
  // Median, and [minimum] (on a shared machine the minimum is the closest to an idle one's).
  const med = (f: (h: Run) => number) => `${median(hits.map(f)).toFixed(2)} [${Math.min(...hits.map(f)).toFixed(2)}]`;
  console.log(`[${label}] import ${med((h) => h.importMs)} ms (cpu ${med((h) => h.importCpu)}); runtime start (first array) ${med((h) => h.runtimeMs)} ms (cpu ${med((h) => h.runtimeCpu)})`);
  KERNELS.forEach(([name], i) => {
    console.log(`  ${name}: make ${med((h) => h.kernels[i]![0]!)} ms, first call ${med((h) => h.kernels[i]![1]!)} ms (make + call cpu ${med((h) => h.kernels[i]![3]!)} ms), total since the allocations ${med((h) => h.kernels[i]![2]!)} ms`);
  });
}
if (firstEach) {
  console.log(`each kernel as the only one of its process, median [min] of ${RUNS} per build: runtime start + make + first call (cpu)`);
  for (const { label, firsts } of setups) {
    KERNELS.forEach(([name], k) => {
      const runs = firsts[k]!;
      const stat = (f: (h: Run) => number) => {
        const xs = runs.map(f);
        return `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}]`;
      };
      console.log(`[${label}] ${name}: ${stat((h) => h.runtimeMs + h.kernels[0]![0]! + h.kernels[0]![1]!)} ms (make ${stat((h) => h.kernels[0]![0]!)}, first call ${stat((h) => h.kernels[0]![1]!)}; cpu ${stat((h) => h.runtimeCpu + h.kernels[0]![3]!)})`);
    });
  }
}
rmSync(work, { recursive: true, force: true });

// Numba's cache=True on the same kernels, in the same run (skipped without python3 + numba).
const numba = spawnSync('python3', [join(import.meta.dirname ?? 'bench', 'numpy', 'numba_cache.py'), String(RUNS)], { encoding: 'utf8' });
console.log(numba.status === 0 ? numba.stdout.trimEnd() : `[numba] not measured: ${(numba.stderr || String(numba.error)).trim().split('\n').pop()}`);
