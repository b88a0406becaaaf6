/**
 * Time to first result and time to the Wasm tier in a fresh process (issue 15 items 1-2):
 * each of RUNS fresh Node processes imports numbats as users get it (installed under a
 * temporary node_modules, bench/installed-build.ts: the bundled dist/numbats.node.js),
 * makes `x*y+1` for float64 (`nb.vectorize('f8(f8, f8)')`, default tier 'auto') and calls it
 * on 1e3 float64, then awaits `f.ready`; times are from before `import('numbats')`, with
 * the CPU time of the process to the first result (the machine is shared: CPU time moves
 * less with its load than wall time). The same with `{ tier: 'wasm' }` (the factory blocks
 * until the Wasm is compiled: the behaviour before tiers), for the last build. Numba's
 * decorate-and-first-call of the same kernel (`@vectorize(['float64(float64, float64)'])`,
 * then one call on 1e3 float64) is measured in the same run, in fresh Python processes
 * (bench/numpy/first_call.py), from before `import numba`, and from after the imports.
 * The compile cache is off (no `cache: true`): every process compiles. The code caches are
 * on (numbats' own code, scripts/node-entry.ts, and asc's in the compiler worker): each build
 * gets a fresh cache directory, whose first process (printed apart: 'cold code caches', as a
 * first run after an install) writes them; the RUNS timed processes then use them.
 * CPU time (all threads; Python's process_time) is printed beside wall time: on a loaded
 * machine it is the measure that holds.
 *
 *   npm run build:ts && npm run build:node && npx tsx bench/first-call.ts [--build label=dir ...]
 *
 * Each `--build` is a package root with a built `dist/` (default: this checkout); with
 * several (e.g. `--build before=<a copy of an older build> --build after=.`), their processes
 * alternate, so that the medians compare builds in the same run. RUNS=7 by default;
 * `NUMBATS_PYTHON` picks the Python with Numba, else `python3`; NUMBA=0 skips it. Prints
 * medians and minima.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildsFromArgs, installBuild } from './installed-build.js';

const RUNS = Number(process.env.RUNS ?? 7);
const python = process.env.NUMBATS_PYTHON ?? 'python3';
const builds = buildsFromArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), 'numbats-bench-first-'));
const entries = builds.map((b) => installBuild(work, b));

function program(entry: string, tier: 'auto' | 'wasm'): string {
  return [
    'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
    'const t0 = performance.now(); const c0 = process.cpuUsage();',
    `const nb = await import(${JSON.stringify(entry)});`,
    'const t1 = performance.now(); const c1 = cpu();',
    `const f = nb.vectorize('f8(f8, f8)', { tier: '${tier}' })((x, y) => x * y + 1);`,
    'const t2 = performance.now();',
    'const x = nb.linspace(0, 1, 1000); const y = nb.linspace(1, 2, 1000);',
    'const r = f(x, y);',
    'const ok = r.get(999) === 3 && r.get(0) === 1;',
    'const t3 = performance.now(); const c3 = process.cpuUsage(c0);',
    'const firstTier = f.tier;',
    'await f.ready;',
    'const t4 = performance.now(); const c4 = cpu();',
    'const again = f(x, y).get(999) === 3;',
    "console.log(JSON.stringify({ importMs: t1 - t0, makeMs: t2 - t1, firstMs: t3 - t0, firstCpuMs: (c3.user + c3.system) / 1000, readyMs: t4 - t0, readyCpuMs: c4 - c1, ok: ok && again, firstTier, tier: f.tier }));",
  ].join('\n');
}

interface NodeRun { importMs: number; makeMs: number; firstMs: number; firstCpuMs: number; readyMs: number; readyCpuMs: number; ok: boolean; firstTier: string; tier: string }
interface NumbaRun { import_ms: number; compile_ms: number; total_ms: number; compile_cpu_ms: number }

function runNode(entry: string, tier: 'auto' | 'wasm'): NodeRun {
  const env = { ...process.env, NUMBATS_CACHE_DIR: join(work, `cache-${entries.indexOf(entry)}`) };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program(entry, tier)], { encoding: 'utf8', cwd: work, env });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout) as NodeRun;
  if (!out.ok) throw new Error(`wrong result: ${r.stdout}`);
  return out;
}

function runNumba(): NumbaRun | null {
  if (process.env.NUMBA === '0') return null;
  const r = spawnSync(python, [join('bench', 'numpy', 'first_call.py')], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`Numba: not measured (${python}: ${r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout) as NumbaRun;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const auto: NodeRun[][] = builds.map(() => []);
const wasm: NodeRun[] = [];
const numba: NumbaRun[] = [];
// The first process of each build: its code caches are empty (it writes them).
const cold = entries.map((e) => runNode(e, 'auto'));
// Interleaved, so that the machine's load falls on every column alike.
for (let i = 0; i < RUNS; i++) {
  entries.forEach((e, k) => auto[k]!.push(runNode(e, 'auto')));
  wasm.push(runNode(entries.at(-1)!, 'wasm'));
  const n = runNumba();
  if (n !== null) numba.push(n);
}
rmSync(work, { recursive: true, force: true });
const m = (rs: NodeRun[], k: keyof NodeRun) => median(rs.map((r) => r[k] as number));
const lo = (rs: NodeRun[], k: keyof NodeRun) => Math.min(...rs.map((r) => r[k] as number));
const both = (rs: NodeRun[], k: keyof NodeRun) => `${m(rs, k).toFixed(1)} [${lo(rs, k).toFixed(1)}]`;
console.log(`x*y+1 on 1e3 float64, fresh processes, median [min] of ${RUNS} (ms, from before the import)`);
builds.forEach((b, k) => {
  const rs = auto[k]!;
  console.log(`numbats '${b.label}' tier 'auto': import ${both(rs, 'importMs')}, factory ${both(rs, 'makeMs')}, first correct result ${both(rs, 'firstMs')} (tier ${rs[0]!.firstTier}; CPU ${both(rs, 'firstCpuMs')}), .ready ${both(rs, 'readyMs')} (tier ${rs[0]!.tier}; factory-to-ready CPU ${both(rs, 'readyCpuMs')})`);
  const c = cold[k]!;
  console.log(`  cold code caches (the build's first process, once): import ${c.importMs.toFixed(1)}, factory ${c.makeMs.toFixed(1)}, first correct result ${c.firstMs.toFixed(1)} (CPU ${c.firstCpuMs.toFixed(1)}), .ready ${c.readyMs.toFixed(1)}`);
});
if (builds.length > 1) {
  const [a, z] = [auto[0]!, auto.at(-1)!];
  console.log(`ratios '${builds.at(-1)!.label}' / '${builds[0]!.label}' (medians): import ${(m(z, 'importMs') / m(a, 'importMs')).toFixed(2)}x, factory ${(m(z, 'makeMs') / m(a, 'makeMs')).toFixed(2)}x, first result ${(m(z, 'firstMs') / m(a, 'firstMs')).toFixed(2)}x, its CPU ${(m(z, 'firstCpuMs') / m(a, 'firstCpuMs')).toFixed(2)}x, .ready ${(m(z, 'readyMs') / m(a, 'readyMs')).toFixed(2)}x, factory-to-ready CPU ${(m(z, 'readyCpuMs') / m(a, 'readyCpuMs')).toFixed(2)}x`);
}
console.log(`numbats '${builds.at(-1)!.label}' tier 'wasm': import ${both(wasm, 'importMs')}, factory ${both(wasm, 'makeMs')}, first correct result ${both(wasm, 'firstMs')}`);
const last = auto.at(-1)!;
if (numba.length > 0) {
  const imp = median(numba.map((r) => r.import_ms));
  const comp = median(numba.map((r) => r.compile_ms));
  const total = median(numba.map((r) => r.total_ms));
  const compCpu = median(numba.map((r) => r.compile_cpu_ms));
  console.log(`Numba: import numpy+numba ${imp.toFixed(1)}, decorate-and-first-call ${comp.toFixed(1)} (CPU ${compCpu.toFixed(1)}), total ${total.toFixed(1)}`);
  console.log(`CPU ratio (the measure on a loaded machine): numbats '${builds.at(-1)!.label}' factory-to-.ready CPU ${m(last, 'readyCpuMs').toFixed(1)} / Numba decorate-and-first-call CPU = ${(m(last, 'readyCpuMs') / compCpu).toFixed(2)}x`);
  console.log(`ratios: numbats .ready (from import) / Numba decorate-and-first-call ${(m(last, 'readyMs') / comp).toFixed(2)}x; / Numba total from import ${(m(last, 'readyMs') / total).toFixed(2)}x`);
  console.log(`        numbats .ready after the import (factory to ready) / Numba decorate-and-first-call ${((m(last, 'readyMs') - m(last, 'importMs')) / comp).toFixed(2)}x`);
}
