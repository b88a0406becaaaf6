/**
 * Time to the Wasm tier (`.ready`) for kernels of several kinds, in fresh processes, against
 * Numba's decorate-and-first-call of the same kernels in the same run (issue 15 item 3: "Wasm
 * ready for a new one-signature kernel in at most Numba's time, warm compiles at most 60 ms").
 *
 * Each run is one fresh Node process (numbats as users get it: the bundled build installed
 * under a temporary node_modules, bench/installed-build.ts) that imports numbats, makes kernel
 * A, calls it once on 1e3 elements and awaits `.ready` (the first kernel of a process), then
 * does the same for kernel B (a second kernel: asc's compile is warm by then), and one fresh
 * Python process doing the same with Numba (bench/numpy/ready_kernels.py; the imports are
 * outside its clock, as they are outside the factory-to-ready time here). Pairs: each kernel
 * is A in one pair and B in the next. The compile cache is off; the code caches are on (each
 * run's cache directory is shared by its processes; its first process is not timed).
 * Also printed: whether the kernel was on the Wasm tier as soon as its factory returned (a
 * direct module: compiler/emit/wasm/) or waited for asc.
 *
 *   npm run build && RUNS=5 npx tsx bench/ready-kernels.ts [--build label=dir ...]
 *
 * KERNELS=xy1,expcos,... picks kernels (default: all; KERNELS=helper,table the kernels that
 * needed asc before the direct emitter took helper calls and constant tables); NUMBA=0 skips
 * Numba; NUMBATS_PYTHON picks the Python.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildsFromArgs, installBuild } from './installed-build.js';

const RUNS = Number(process.env.RUNS ?? 5);
const python = process.env.NUMBATS_PYTHON ?? 'python3';
const builds = buildsFromArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), 'numbats-bench-ready-'));
const entries = builds.map((b) => installBuild(work, b));

/** Each kernel: its factory and a call on 1e3 elements (JS source run in the child), and a check of one result. */
const KERNELS: Record<string, { make: string; args: string; check: string }> = {
  xy1: { make: "nb.vectorize('f8(f8, f8)')((x, y) => x * y + 1)", args: 'nb.linspace(0, 1, 1000), nb.linspace(1, 2, 1000)', check: 'r.get(999) === 3' },
  expcos: { make: "nb.vectorize('f8(f8)')((x) => Math.exp(-x * x) * Math.cos(x) + x ** 1.5)", args: 'nb.linspace(0, 1, 1000)', check: 'Math.abs(r.get(999) - (Math.exp(-1) * Math.cos(1) + 1)) < 1e-12' },
  haversine: {
    make: "nb.vectorize('f8(f8, f8, f8, f8)')((lat1, lon1, lat2, lon2) => { const p = Math.PI / 180; const a = 0.5 - Math.cos((lat2 - lat1) * p) / 2 + Math.cos(lat1 * p) * Math.cos(lat2 * p) * (1 - Math.cos((lon2 - lon1) * p)) / 2; return 12742 * Math.asin(Math.sqrt(a)); })",
    args: 'nb.linspace(0, 80, 1000), nb.linspace(1, 81, 1000), nb.linspace(2, 82, 1000), nb.linspace(3, 83, 1000)',
    check: 'r.get(0) > 100 && r.get(0) < 400',
  },
  collatz: {
    make: "nb.vectorize('i4(i4)')((n) => { let steps = 0; while (n > 1) { n = n % 2 === 0 ? Math.floor(n / 2) : 3 * n + 1; steps++; } return steps; })",
    args: "nb.arange(1, 1001, 1, { dtype: 'int32' })", check: 'r.get(26) === 111',
  },
  clip: {
    make: "nb.vectorize('f8(f8, f8)')((x, lim) => { if (x > lim) return lim; if (x < -lim) return -lim; return x; })",
    args: 'nb.linspace(-2, 2, 1000), nb.linspace(1, 1, 1000)', check: 'r.get(0) === -1 && r.get(999) === 1',
  },
  wrap8: { make: "nb.vectorize('i1(i1, i1)')((a, b) => (a * b + 3) >> 1)", args: "nb.arange(0, 1000).astype('int8'), nb.arange(0, 1000).astype('int8')", check: 'r.get(3) === 6' },
  // A helper call, a constant table (direct modules since issue 15's helpers and tables step).
  helper: {
    make: "nb.vectorize('f8(f8, f8)', { helpers: { lin: (a, b) => a * b + 1 } })((x, y) => lin(x, y) * 2)",
    args: 'nb.linspace(0, 1, 1000), nb.linspace(1, 2, 1000)', check: 'r.get(999) === 6',
  },
  table: {
    make: "nb.vectorize('f8(f8)', { constants: { coef: new Float64Array([1, 2, 3]) } })((x) => coef[0] + x * (coef[1] + x * coef[2]))",
    args: 'nb.linspace(0, 1, 1000)', check: 'r.get(999) === 6',
  },
  rowdot: {
    make: "nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')((a, b, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; out[0] = s; })",
    args: 'nb.ones([100, 10]), nb.ones([100, 10])', check: 'r.get(0) === 10',
  },
};
const names = (process.env.KERNELS ?? 'xy1,expcos,haversine,collatz,clip,wrap8,helper,table,rowdot').split(',');
const pairs = names.map((a, i) => [a, names[(i + 1) % names.length]!] as const);

function program(entry: string, a: string, b: string): string {
  const step = (name: string, label: string) => {
    const k = KERNELS[name]!;
    return [
      `{ const t0 = performance.now(); const c0 = cpu();`,
      `  const f = ${k.make}; const direct = f.tier === 'wasm';`,
      `  const r = f(${k.args}); const ok = ${k.check};`,
      `  const t1 = performance.now();`,
      '  await f.ready;',
      `  out.${label} = { name: ${JSON.stringify(name)}, firstMs: t1 - t0, readyMs: performance.now() - t0, readyCpuMs: cpu() - c0, direct, ok: ok && f.tier === 'wasm' }; }`,
    ].join('\n');
  };
  return [
    'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
    `const nb = await import(${JSON.stringify(entry)});`,
    'const out = {};',
    step(a, 'a'), step(b, 'b'),
    'console.log(JSON.stringify(out));',
    'process.exit(0);',
  ].join('\n');
}

interface Step { name: string; firstMs: number; readyMs: number; readyCpuMs: number; direct: boolean; ok: boolean }

function runNode(k: number, a: string, b: string): { a: Step; b: Step } {
  const env = { ...process.env, NUMBATS_CACHE_DIR: join(work, `cache-${k}`) };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program(entries[k]!, a, b)], { encoding: 'utf8', cwd: work, env });
  if (r.status !== 0) throw new Error(r.stderr.slice(-2000));
  const out = JSON.parse(r.stdout) as { a: Step; b: Step };
  for (const s of [out.a, out.b]) if (!s.ok) throw new Error(`wrong result or tier: ${r.stdout}`);
  return out;
}

interface NumbaRun { first_ms: number; first_cpu_ms: number; second_ms: number; second_cpu_ms: number }
function runNumba(a: string, b: string): NumbaRun | null {
  if (process.env.NUMBA === '0') return null;
  const r = spawnSync(python, [join('bench', 'numpy', 'ready_kernels.py'), a, b], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as NumbaRun;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
type Cell = { first: number[]; firstCpu: number[]; warm: number[]; warmCpu: number[]; direct: boolean[] };
const cell = (): Cell => ({ first: [], firstCpu: [], warm: [], warmCpu: [], direct: [] });
const node = builds.map(() => new Map(names.map((n) => [n, cell()])));
const numba = new Map(names.map((n) => [n, cell()]));
entries.forEach((_, k) => runNode(k, pairs[0]![0], pairs[0]![1])); // fills each build's code caches
for (let i = 0; i < RUNS; i++) {
  for (const [a, b] of pairs) {
    entries.forEach((_, k) => {
      const r = runNode(k, a, b);
      const ca = node[k]!.get(a)!; ca.first.push(r.a.readyMs); ca.firstCpu.push(r.a.readyCpuMs); ca.direct.push(r.a.direct);
      const cb = node[k]!.get(b)!; cb.warm.push(r.b.readyMs); cb.warmCpu.push(r.b.readyCpuMs); cb.direct.push(r.b.direct);
    });
    const n = runNumba(a, b);
    if (n !== null) {
      numba.get(a)!.first.push(n.first_ms); numba.get(a)!.firstCpu.push(n.first_cpu_ms);
      numba.get(b)!.warm.push(n.second_ms); numba.get(b)!.warmCpu.push(n.second_cpu_ms);
    }
  }
}
rmSync(work, { recursive: true, force: true });
const f = (xs: number[]) => (xs.length ? median(xs).toFixed(1) : '-');
const ratio = (a: number[], b: number[]) => (a.length && b.length ? (median(a) / median(b)).toFixed(2) : '-');
console.log(`factory to .ready (ms, median of ${RUNS}; CPU in parentheses), fresh processes; Numba: decorate + first call, same run`);
console.log('| kernel | build | direct | first kernel of a process | second kernel (warm) | Numba first | Numba second | first / Numba | second / Numba |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const n of names) {
  const z = numba.get(n)!;
  builds.forEach((b, k) => {
    const c = node[k]!.get(n)!;
    const direct = c.direct.every(Boolean) ? 'yes' : c.direct.some(Boolean) ? 'some' : 'no';
    console.log(`| ${n} | ${b.label} | ${direct} | ${f(c.first)} (${f(c.firstCpu)}) | ${f(c.warm)} (${f(c.warmCpu)}) | ${f(z.first)} (${f(z.firstCpu)}) | ${f(z.warm)} (${f(z.warmCpu)}) | ${ratio(c.first, z.first)} | ${ratio(c.warm, z.warm)} |`);
  });
}
