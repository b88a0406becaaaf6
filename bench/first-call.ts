/**
 * Time to first result and time to the Wasm tier in a fresh process (issue 15 items 1-2):
 * each of RUNS fresh Node processes imports the built package, makes `x*y+1` for float64
 * (`nb.vectorize('f8(f8, f8)')`, default tier 'auto') and calls it on 1e3 float64, then
 * awaits `f.ready`; times are from before `import('numbats')`. The same with `{ tier: 'wasm' }`
 * (the factory blocks until the Wasm is compiled: the behaviour before tiers). Numba's
 * decorate-and-first-call of the same kernel (`@vectorize(['float64(float64, float64)'])`,
 * then one call on 1e3 float64) is measured in the same run, in fresh Python processes
 * (bench/numpy/first_call.py), from before `import numba`, and from after the imports.
 * The compile cache is off (no `cache: true`): every process compiles (the compiler
 * worker's code cache of asc itself, in the cache directory, is on: the first run writes it).
 * CPU time (all threads; Python's process_time) is printed beside wall time: on a loaded
 * machine it is the measure that holds.
 *
 * Run the built package: `npm run build:ts && npx tsx bench/first-call.ts` (RUNS=7 by
 * default; `NUMBATS_PYTHON` picks the Python with Numba, else `python3`). Prints medians.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 7);
const entry = pathToFileURL(join(process.cwd(), 'dist/src/index.js')).href;
const python = process.env.NUMBATS_PYTHON ?? 'python3';

function program(tier: 'auto' | 'wasm'): string {
  return [
    'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
    'const t0 = performance.now();',
    `const nb = await import(${JSON.stringify(entry)});`,
    'const t1 = performance.now(); const c1 = cpu();',
    `const f = nb.vectorize('f8(f8, f8)', { tier: '${tier}' })((x, y) => x * y + 1);`,
    'const t2 = performance.now();',
    'const x = nb.linspace(0, 1, 1000); const y = nb.linspace(1, 2, 1000);',
    'const r = f(x, y);',
    'const ok = r.get(999) === 3 && r.get(0) === 1;',
    'const t3 = performance.now();',
    'const firstTier = f.tier;',
    'await f.ready;',
    'const t4 = performance.now(); const c4 = cpu();',
    'const again = f(x, y).get(999) === 3;',
    "console.log(JSON.stringify({ importMs: t1 - t0, makeMs: t2 - t1, firstMs: t3 - t0, readyMs: t4 - t0, readyCpuMs: c4 - c1, ok: ok && again, firstTier, tier: f.tier }));",
  ].join('\n');
}

interface NodeRun { importMs: number; makeMs: number; firstMs: number; readyMs: number; readyCpuMs: number; ok: boolean; firstTier: string; tier: string }
interface NumbaRun { import_ms: number; compile_ms: number; total_ms: number; compile_cpu_ms: number }

function runNode(tier: 'auto' | 'wasm'): NodeRun {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program(tier)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout) as NodeRun;
  if (!out.ok) throw new Error(`wrong result: ${r.stdout}`);
  return out;
}

function runNumba(): NumbaRun | null {
  const r = spawnSync(python, [join('bench', 'numpy', 'first_call.py')], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`Numba: not measured (${python}: ${r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout) as NumbaRun;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const auto: NodeRun[] = [];
const wasm: NodeRun[] = [];
const numba: NumbaRun[] = [];
// Interleaved, so that the machine's load falls on every column alike.
for (let i = 0; i < RUNS; i++) {
  auto.push(runNode('auto'));
  wasm.push(runNode('wasm'));
  const n = runNumba();
  if (n !== null) numba.push(n);
}
const m = (rs: NodeRun[], k: keyof NodeRun) => median(rs.map((r) => r[k] as number));
console.log(`x*y+1 on 1e3 float64, fresh processes, medians of ${RUNS} (ms, from before the import)`);
console.log(`numbats tier 'auto': import ${m(auto, 'importMs').toFixed(1)}, factory ${m(auto, 'makeMs').toFixed(1)}, first correct result ${m(auto, 'firstMs').toFixed(1)} (tier ${auto[0]!.firstTier}), .ready ${m(auto, 'readyMs').toFixed(1)} (tier ${auto[0]!.tier}); CPU from the factory to .ready ${m(auto, 'readyCpuMs').toFixed(1)} (all threads)`);
console.log(`numbats tier 'wasm': import ${m(wasm, 'importMs').toFixed(1)}, factory ${m(wasm, 'makeMs').toFixed(1)}, first correct result ${m(wasm, 'firstMs').toFixed(1)}`);
if (numba.length > 0) {
  const imp = median(numba.map((r) => r.import_ms));
  const comp = median(numba.map((r) => r.compile_ms));
  const total = median(numba.map((r) => r.total_ms));
  const compCpu = median(numba.map((r) => r.compile_cpu_ms));
  console.log(`Numba: import numpy+numba ${imp.toFixed(1)}, decorate-and-first-call ${comp.toFixed(1)} (CPU ${compCpu.toFixed(1)}), total ${total.toFixed(1)}`);
  console.log(`CPU ratio (the measure on a loaded machine): numbats factory-to-.ready CPU / Numba decorate-and-first-call CPU ${(m(auto, 'readyCpuMs') / compCpu).toFixed(2)}x`);
  console.log(`ratios: numbats .ready (from import) / Numba decorate-and-first-call ${(m(auto, 'readyMs') / comp).toFixed(2)}x; / Numba total from import ${(m(auto, 'readyMs') / total).toFixed(2)}x`);
  console.log(`        numbats .ready after the import (factory to ready) / Numba decorate-and-first-call ${((m(auto, 'readyMs') - m(auto, 'importMs')) / comp).toFixed(2)}x`);
}
