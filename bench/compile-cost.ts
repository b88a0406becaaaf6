/**
 * Where a kernel's compile time goes, and what asc's options cost or save (issue 15 item 3).
 * Run: `npx tsx bench/compile-cost.ts [rounds]` (default 5). Every time is CPU time
 * (process.cpuUsage: all of the process's threads, V8's background compiler threads
 * included) beside wall time: the machine this was measured on is shared, and CPU time is
 * what a compile costs an idle one.
 *
 * 1. Fresh processes (`rounds` each, medians): loading asc and Binaryen — `import` of
 *    binaryen (of which Binaryen's Wasm compile, WebAssembly.instantiate), then of asc —
 *    and the compiler worker's loader (asc-code-cache.node.ts) on a cold and on a warm V8
 *    code cache; then the first compile in the process (x*y+1) with asc's `--stats` phases
 *    (parse, initialize, compile, validate, optimize, emit), per optimisation level, with the
 *    whole standard library and with the trimmed one (asc-library-trim.ts, the product).
 * 2. Warm compiles in this thread, variants interleaved round by round: the optimisation
 *    levels, with asc's parse of the standard library reused between compiles
 *    (asc-parse-reuse.ts, the product) and without (asc's own behaviour), for three kernels
 *    (x*y+1, exp*cos, rowdot).
 * 3. Run time of each level's modules, the product path (nb.vectorize / nb.guvectorize, nb.jit
 *    and nb.stencil with `tier: 'wasm'`, the level set with toolchain/asc-flags.ts
 *    replaceAscFlags): CPU ms per call over batches of 5 calls, levels interleaved, `rounds`
 *    x 12 batches; ratios to the first level listed.
 * Environment: SECTIONS (default 1,2,3), LEVELS (default -O3,-O2,-O1,-O0; an entry may carry
 * more asc flags: '-O1 --shrinkLevel 1'), LIBRARY (section 1: whole,trimmed), KERNELS
 * (section 3: only the kernels whose names contain one of these, e.g. exp,haversine).
 * No assertions: a measurement tool.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as nb from '../src/index.js';
import { compileKernel, linkKernels } from '../src/compiler/index.js';
import { ASC_FLAGS, replaceAscFlags } from '../src/compiler/toolchain/asc-flags.js';
import { loadAsc } from '../src/compiler/toolchain/asc.js';
import { reuseLibraryParses, type AscInternals } from '../src/compiler/toolchain/asc-parse-reuse.js';
import { UNUSED_LIBRARY_FILES } from '../src/compiler/toolchain/asc-library-trim.js';
import { getDownSampleValue, jitLocalMean, mean2x2Kernel, MEAN2X2_OPTIONS } from '../examples/downsample.js';
import { sum2d as jitSum2d } from './jit.bench.js';

const rounds = Number(process.argv[2] ?? 5);
/** Which sections run (SECTIONS=3 for the run-time table alone), and the levels compared (LEVELS=-O3,-O1). */
const sections = new Set((process.env.SECTIONS ?? '1,2,3').split(','));
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);

const DEFAULT = [...ASC_FLAGS];
const DEFAULT_LEVEL = DEFAULT.find((f) => /^-O\d$/.test(f))!;
const LEVELS = (process.env.LEVELS ?? '-O3,-O2,-O1,-O0').split(',');
/** Section 1's first compiles with the whole standard library and/or the trimmed one (LIBRARY=trimmed). */
const LIBRARIES = (process.env.LIBRARY ?? 'whole,trimmed').split(',');
/** The product's flags with `o` (a level, possibly with more asc flags: '-O1 --shrinkLevel 1') for its level. */
const level = (o: string) => DEFAULT.flatMap((f) => (f === DEFAULT_LEVEL ? o.split(' ') : [f]));
const PHASES = ['parse', 'initialize', 'compile', 'validate', 'optimize', 'emit'] as const;

const KERNELS = {
  'x*y+1': { fn: '(x, y) => x * y + 1', sig: 'f8(f8, f8)', kind: 'scalar' as const },
  'exp*cos': { fn: '(x) => Math.exp(-x * x) * Math.cos(x)', sig: 'f8(f8)', kind: 'scalar' as const },
  rowdot: { fn: '(a, b, r) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; }', sig: 'void(f8[:], f8[:], f8[:])', kind: 'gufunc' as const },
};
const ROWDOT_CORE = { nin: 2, dims: ['n'], operands: [[0], [0], []] };
const sources = Object.fromEntries(Object.entries(KERNELS).map(([name, k]) => [name, linkKernels([
  compileKernel(k.fn, k.sig, k.kind === 'scalar' ? { kind: 'scalar', prefix: 'v0_' } : { kind: 'gufunc', prefix: 'g0_', core: ROWDOT_CORE }),
])])) as Record<keyof typeof KERNELS, string>;

/** asc's --stats table → ms per phase. */
const phasesOf = (stats: string) => Object.fromEntries(PHASES.map((p) => [p, Number(new RegExp(`│ ${p}\\s+│\\s+([0-9.]+) ms`).exec(stats)?.[1] ?? 0)]));

// ---- 1. fresh processes ----------------------------------------------------------------------
const require = createRequire(import.meta.url);
const ascUrl = pathToFileURL(require.resolve('assemblyscript/package.json').replace(/package\.json$/, 'dist/asc.js')).href;
const binaryenUrl = pathToFileURL(createRequire(new URL(ascUrl)).resolve('binaryen')).href;
const loaderUrl = pathToFileURL(join(process.cwd(), 'src/compiler/toolchain/asc-code-cache.node.ts')).href;

/** A fresh process running `body` (an ES module, `cpu` and `mark(label)` defined; through tsx unless `viaTsx` is false); its marks. */
function fresh(body: string, viaTsx = true): Record<string, { cpu: number; wall: number }> {
  const program = [
    'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
    'const out = {}; let c = cpu(), t = performance.now();',
    'const mark = (label) => { const c2 = cpu(), t2 = performance.now(); out[label] = { cpu: c2 - c, wall: t2 - t }; c = cpu(); t = performance.now(); };',
    body,
    'console.log(JSON.stringify(out));',
  ].join('\n');
  // tsx only where the program imports TypeScript (its loader would also process binaryen's 13.5 MB).
  const r = spawnSync(process.execPath, [...(viaTsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', program], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { cpu: number; wall: number }>;
}

/** The first compile of x*y+1 at level `o`, with the whole standard library or the trimmed one (asc-library-trim.ts). */
const compileBody = (o: string, trimmed = false) => `
const asc = (loaded.asc.default ?? loaded.asc);
${trimmed ? `for (const k of ${JSON.stringify(UNUSED_LIBRARY_FILES)}) delete asc.libraryFiles[k];` : ''}
let stats = '';
const sink = { write: (s) => { stats += s; return true; } };
const { error } = await asc.main(['kernel.ts', '--outFile', 'kernel.wasm', '--stats', ...${JSON.stringify(level(o))}], {
  readFile: (n) => (n === 'kernel.ts' ? ${JSON.stringify(sources['x*y+1'])} : null), writeFile: () => {}, listFiles: () => [], stdout: sink, stderr: sink });
if (error) throw new Error(stats);
mark('first compile');
console.log(JSON.stringify({ stats }));`;

if (sections.has('1')) {
const cacheRoot = mkdtempSync(join(tmpdir(), 'numbats-compile-cost-'));
const freshRuns: Record<string, Array<Record<string, { cpu: number; wall: number }>>> = {};
const freshStats: Record<string, string[]> = {};
const add = (k: string, r: Record<string, { cpu: number; wall: number }>) => (freshRuns[k] ??= []).push(r);
for (let r = 0; r < rounds; r++) {
  add('import', fresh(`
const inst = WebAssembly.instantiate; let wasmCpu = 0, wasmWall = 0;
WebAssembly.instantiate = async function (...a) { const c0 = cpu(), t0 = performance.now(); const x = await inst.apply(this, a); wasmCpu += cpu() - c0; wasmWall += performance.now() - t0; return x; };
await import(${JSON.stringify(binaryenUrl)}); mark('binaryen'); out['of which its Wasm compile'] = { cpu: wasmCpu, wall: wasmWall };
await import(${JSON.stringify(ascUrl)}); mark('then asc');`, false));
  // A cold code cache (an empty directory each round), then a warm one.
  const dir = join(cacheRoot, `r${r}`);
  const loader = `const { loadAscWithCodeCache, ASC_BUILDS } = await import(${JSON.stringify(loaderUrl)}); mark('(tsx: the loader module)');
const loaded = await loadAscWithCodeCache(${JSON.stringify(ascUrl)}, ${JSON.stringify(dir)}, ASC_BUILDS); mark('load');`;
  add('code cache cold', fresh(`${loader}\n${compileBody(DEFAULT_LEVEL)}\nloaded.save(); mark('save');`));
  for (const o of LEVELS.flatMap((l) => LIBRARIES.map((lib) => `${l}${lib === 'trimmed' ? ' trimmed' : ''}`))) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', [
      'const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };',
      'const out = {}; let c = cpu(), t = performance.now();',
      'const mark = (label) => { const c2 = cpu(), t2 = performance.now(); out[label] = { cpu: c2 - c, wall: t2 - t }; c = cpu(); t = performance.now(); };',
      loader, compileBody(o.split(' ')[0]!, o.endsWith('trimmed')), 'console.log(JSON.stringify(out));'].join('\n')], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    const lines = out.stdout.trim().split('\n');
    add(`code cache warm, ${o}`, JSON.parse(lines.pop()!));
    (freshStats[o] ??= []).push((JSON.parse(lines.pop()!) as { stats: string }).stats);
  }
}
rmSync(cacheRoot, { recursive: true, force: true });
console.log(`1. fresh processes, medians of ${rounds} (ms: cpu / wall)`);
for (const [k, runs] of Object.entries(freshRuns)) {
  const labels = Object.keys(runs[0]!).filter((l) => !l.startsWith('(tsx'));
  console.log(`  ${k.padEnd(22)} ${labels.map((l) => `${l} ${f0(median(runs.map((x) => x[l]!.cpu)))} / ${f0(median(runs.map((x) => x[l]!.wall)))}`).join(', ')}`);
}
for (const o of Object.keys(freshStats)) {
  const ph = freshStats[o]!.map(phasesOf);
  console.log(`  first compile ${o}: asc phases (wall) ${PHASES.map((p) => `${p} ${f0(median(ph.map((x) => x[p]!)))}`).join(', ')}`);
}
}

// ---- 2. warm compiles in this thread ----------------------------------------------------------
if (sections.has('2')) {
const asc = (await loadAsc()) as unknown as { main(argv: string[], o: object): Promise<{ error: Error | null }> };
const reuse = reuseLibraryParses((await import('assemblyscript')) as unknown as AscInternals);

/** One asc compile: wall, CPU, the --stats phases (ms), output size. */
async function ascOnce(source: string, flags: string[]) {
  let stats = '';
  let wasm: Uint8Array | undefined;
  const t = performance.now(); const c = cpu();
  const { error } = await asc.main(['kernel.ts', '--outFile', 'kernel.wasm', '--stats', '--memoryBase', '65536', ...flags], {
    readFile: (n: string) => (n === 'kernel.ts' ? source : null),
    writeFile: (n: string, b: Uint8Array) => { if (n === 'kernel.wasm') wasm = b; },
    listFiles: () => [],
    stdout: { write: (s: string) => { stats += s; return true; } },
    stderr: { write: (s: string) => { stats += s; return true; } },
  });
  const wall = performance.now() - t; const used = cpu() - c;
  if (error || !wasm) throw new Error(`asc failed: ${stats}`);
  return { wall, cpu: used, phase: phasesOf(stats), bytes: wasm.length };
}

await ascOnce(sources['x*y+1'], DEFAULT); // the library is parsed once here
const VARIANTS = LEVELS.flatMap((o) => [[`${o}, reuse`, o, true], [`${o}, no reuse`, o, false]] as const);
const results = new Map<string, Array<Awaited<ReturnType<typeof ascOnce>>>>();
for (let r = 0; r < rounds + 1; r++) {
  for (const [v, o, on] of VARIANTS) {
    reuse.enabled = on;
    for (const [k, src] of Object.entries(sources)) {
      const key = `${v}|${k}`;
      const x = await ascOnce(src, level(o));
      if (r > 0) (results.get(key) ?? results.set(key, []).get(key)!).push(x); // round 0 warms asc's JIT
    }
  }
}
reuse.enabled = true;
console.log(`\n2. warm asc compiles in one thread, median of ${rounds} (ms; cpu, wall, then asc's phases (wall); wasm bytes):`);
for (const [v] of VARIANTS) {
  for (const k of Object.keys(sources)) {
    const rs = results.get(`${v}|${k}`)!;
    console.log(`  ${v.padEnd(15)} ${k.padEnd(8)} cpu ${f1(median(rs.map((x) => x.cpu))).padStart(6)} wall ${f1(median(rs.map((x) => x.wall))).padStart(6)} | ${PHASES.map((p) => `${p} ${f1(median(rs.map((x) => x.phase[p]!)))}`).join(' ')} | ${rs[0]!.bytes} B`);
  }
}

}

// ---- 3. run time per level --------------------------------------------------------------------
if (sections.has('3')) {
const N = 1e6;
const x = nb.linspace(-2, 2, N);
const y = nb.linspace(1, 3, N);
const xi = nb.arange(1, N + 1, 1, 'int32');
const R = 1e5;
const A = nb.linspace(0, 1, R * 32).reshape([R, 32]);
const B = nb.linspace(0, 1, R * 32).reshape([R, 32]).slice('::-1').copy();
const out = nb.empty([N]);
const outi = nb.empty([N], 'int32');
const rout = nb.empty([R]);
const sum2dSource = jitSum2d.pyFunc.toString();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const make = (src: string) => new Function(`return ${src}`)() as (...a: any[]) => any;
const calls: Array<{ level: string; kernel: string; call: () => void }> = [];
// nb.jit's sum2d (bench/jit.bench.ts) on 1000x1000, the seed's localMean (a helper that takes
// the image) and the mean2x2 stencil (examples/downsample.ts) on a 2000x2000 uint8 image.
const big = nb.arange(1_000_000, undefined, undefined, 'float64').reshape([1000, 1000]);
const S = 2000;
const img = nb.empty([S, S], 'uint8');
(img.data as Uint8Array).forEach((_, i, d) => { d[i] = Math.imul(i, 2654435761 | 0) >>> 24; });
const imgOut = nb.zeros([S / 2, S / 2], 'uint8');
for (const o of LEVELS) {
  replaceAscFlags(level(o));
  const opts = (name: string) => ({ name: `${name} ${o}`, tier: 'wasm' as const });
  const mul = nb.vectorize('f8(f8, f8)', opts('mul'))(make(KERNELS['x*y+1'].fn));
  const ec = nb.vectorize('f8(f8)', opts('expcos'))(make(KERNELS['exp*cos'].fn));
  const hav = nb.vectorize('f8(f8, f8)', opts('haversine'))(make('(a, b) => { const s = Math.sin((b - a) / 2); const t = Math.sin(a / 2); return 2 * 6371 * Math.asin(Math.sqrt(s * s + Math.cos(a) * Math.cos(b) * t * t)); }'));
  const steps = nb.vectorize('i4(i4)', opts('collatz'))(make('(n) => { let c = 0; while (n > 1 && c < 20) { n = n % 2 === 0 ? (n / 2) | 0 : 3 * n + 1; c++; } return c; }'));
  const rd = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()', opts('rowdot'))(make(KERNELS.rowdot.fn)) as unknown as (a: nb.NDArray, b: nb.NDArray, o: { out: nb.NDArray }) => unknown;
  calls.push({ level: o, kernel: 'x*y+1 1e6', call: () => { mul(x, y, { out }); } });
  calls.push({ level: o, kernel: 'exp*cos 1e6', call: () => { ec(x, { out }); } });
  calls.push({ level: o, kernel: 'haversine 1e6', call: () => { hav(x, y, { out }); } });
  calls.push({ level: o, kernel: 'collatz i4 1e6', call: () => { steps(xi, { out: outi }); } });
  calls.push({ level: o, kernel: 'rowdot (1e5,32)', call: () => { rd(A, B, { out: rout }); } });
  // jit functions and stencils compile at their first call (with the flags of that moment).
  const sum2d = nb.jit({ tier: 'wasm' })(make(sum2dSource) as (a: nb.NDArray) => number);
  const localMean = nb.jit({ tier: 'wasm', helpers: { getDownSampleValue } })(jitLocalMean.pyFunc);
  const mean = nb.stencil(mean2x2Kernel, { ...MEAN2X2_OPTIONS, name: `mean2x2 ${o}`, tier: 'wasm' });
  const callMean = () => { mean(img); };
  const callLocal = () => { localMean(imgOut, S / 2, S / 2, 2, img); };
  sum2d(big); callLocal(); callMean();
  calls.push({ level: o, kernel: 'jit sum2d 1e3^2', call: () => { sum2d(big); } });
  calls.push({ level: o, kernel: 'jit localMean', call: callLocal });
  calls.push({ level: o, kernel: 'stencil mean2x2', call: callMean });
}
replaceAscFlags(DEFAULT);
// KERNELS=exp,haversine times only the kernels whose names contain one of these.
const only = process.env.KERNELS?.split(',');
if (only) calls.splice(0, calls.length, ...calls.filter((c) => only.some((k) => c.kernel.includes(k))));
for (const c of calls) for (let i = 0; i < 10; i++) c.call(); // past V8's Wasm tier-up
const times = new Map<(typeof calls)[number], number[]>(calls.map((c) => [c, []]));
const BATCH = 5;
for (let r = 0; r < rounds * 12; r++) {
  for (const c of r % 2 ? calls : [...calls].reverse()) {
    const c0 = cpu();
    for (let i = 0; i < BATCH; i++) c.call();
    times.get(c)!.push((cpu() - c0) / BATCH);
  }
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
console.log(`\n3. run time per level (CPU ms per call; median, quartiles and minimum of ${rounds * 12} batches of ${BATCH}, levels interleaved):`);
for (const kernel of [...new Set(calls.map((c) => c.kernel))]) {
  const base = median(times.get(calls.find((c) => c.kernel === kernel && c.level === LEVELS[0])!)!);
  for (const c of calls.filter((c) => c.kernel === kernel)) {
    const ts = times.get(c)!;
    console.log(`  ${kernel.padEnd(16)} ${c.level} median ${median(ts).toFixed(3)} (${q(ts, 0.25).toFixed(3)}-${q(ts, 0.75).toFixed(3)}, min ${Math.min(...ts).toFixed(3)})  median / ${LEVELS[0]} ${(median(ts) / base).toFixed(3)}`);
  }
}
}
await nb.shutdown();
