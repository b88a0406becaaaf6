/**
 * First result of a disk-cache hit in a fresh process (issue 15 item 4): a writer process
 * allocates 28 MB (the heap grows) and compiles three kernels with `cache: true`; then each
 * of RUNS fresh processes allocates differently and times, from the end of
 * `import('numbats')` and the allocations, making each kernel and its first result; and, for
 * the cost of a miss, the same program without the cache and the writer. Runs the built package
 * (`npm run build:ts` first): `npx tsx bench/cache-hit.ts`. Prints medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 7);
const entry = pathToFileURL(join(process.cwd(), 'dist/src/index.js')).href;

const KERNELS = [
  ['plain x*2+1', "nb.vectorize('f8(f8)', { cache: true })((x) => x * 2 + 1)", 'xs'],
  ['exp*cos+pow (static data)', "nb.vectorize('f8(f8)', { cache: true })((x) => Math.exp(-x * x) * Math.cos(x) + Math.pow(2, x))", 'xs'],
  ['guvectorize rowsum log1p', "nb.guvectorize(['void(f8[:], f8[:])'], '(n)->()', { cache: true })((a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.log1p(a[i]); out[0] = s; })", 'm'],
] as const;

function program(sizes: number[], cache = true): string {
  return [
    'const t0 = performance.now();',
    `const nb = await import(${JSON.stringify(entry)});`,
    `const keep = ${JSON.stringify(sizes)}.map((n) => nb.zeros([n]));`,
    "const xs = nb.array([0, 0.5, -1.25, 3]); const m = nb.array([[1, 2], [3, 4]]);",
    'const t1 = performance.now();',
    'const out = { importMs: t1 - t0, kernels: [] };',
    ...KERNELS.map(([, make, arg]) => `{ const a = performance.now(); const f = ${cache ? make : make.replace('cache: true', 'cache: false')}; const b = performance.now(); f(${arg}).toArray(); const c = performance.now(); out.kernels.push([b - a, c - b, c - t1]); }`),
    'console.log(JSON.stringify(out));',
  ].join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'numbats-bench-cache-'));
const env = { ...process.env, NUMBATS_CACHE_DIR: dir };
const run = (sizes: number[], cache = true) => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program(sizes, cache)], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { importMs: number; kernels: number[][] };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const nocache = run([3_500_000, 1000], false);
console.log(`no cache (one compile each): ${KERNELS.map(([name], i) => `${name} ${nocache.kernels[i]![0]!.toFixed(0)} ms`).join('; ')}`);
const writer = run([3_500_000, 1000]);
console.log(`writer (miss; a second compile for static data): ${KERNELS.map(([name], i) => `${name} ${writer.kernels[i]![0]!.toFixed(0)} ms`).join('; ')}`);
const hits = Array.from({ length: RUNS }, (_, i) => run(i % 2 === 0 ? [17, 4096, 100_000] : [9_000_000, 3]));
console.log(`hits, median of ${RUNS} fresh processes (alternating small heap / heap grown to 72 MB):`);
console.log(`  import: ${median(hits.map((h) => h.importMs)).toFixed(1)} ms`);
KERNELS.forEach(([name], i) => {
  const make = median(hits.map((h) => h.kernels[i]![0]!));
  const first = median(hits.map((h) => h.kernels[i]![1]!));
  const since = median(hits.map((h) => h.kernels[i]![2]!));
  console.log(`  ${name}: make ${make.toFixed(2)} ms, first call ${first.toFixed(2)} ms, total since import and allocations ${since.toFixed(2)} ms`);
});
rmSync(dir, { recursive: true, force: true });
