/**
 * Where a kernel's compile time goes, and what asc's options cost or save (issue 15 item 3).
 * Run: `npx tsx bench/compile-cost.ts [rounds]` (default 5).
 *
 * 1. Front end and asc load: compileKernel for a first and a later kernel; `import` of asc.
 * 2. asc per option variant, in this thread (asc's API, its `--stats` phases: parse (the
 *    kernel and AS's std library, parsed again by every compile), initialize, compile,
 *    validate, optimize (Binaryen), emit), for three kernels (x*y+1, exp*cos, rowdot),
 *    variants interleaved round by round; wall and CPU time (process.cpuUsage: the machine
 *    this was measured on is shared, and CPU time is what a compile costs an idle one).
 * 3. Run time of each variant's modules, the product path (nb.vectorize / nb.guvectorize,
 *    compiled by the compiler worker with the variant's flags, toolchain/asc-flags.ts
 *    replaceAscFlags): x*y+1 on 1e6 float64, exp*cos on 1e6 float64, rowdot on (1e5, 32);
 *    calls alternate between variants, `rounds` x 15 per variant; median and minimum.
 * No assertions: a measurement tool.
 */
import { performance } from 'node:perf_hooks';
import * as nb from '../src/index.js';
import { compileKernel, linkKernels } from '../src/compiler/index.js';
import { ASC_FLAGS, replaceAscFlags } from '../src/compiler/toolchain/asc-flags.js';

const rounds = Number(process.argv[2] ?? 5);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const f1 = (x: number) => x.toFixed(1);

const DEFAULT = [...ASC_FLAGS];
const level = (o: string, extra: string[] = []) => [...DEFAULT.map((f) => (f === '-O3' ? o : f)), ...extra];
const VARIANTS: Record<string, string[]> = {
  '-O3 (current)': DEFAULT,
  '-O2': level('-O2'),
  '-O1': level('-O1'),
  '-O0': level('-O0'),
  '-O3s (shrinkLevel 1)': level('-O3s'),
  '-O3 --noValidate': level('-O3', ['--noValidate']),
  '-O2 --noValidate': level('-O2', ['--noValidate']),
};

const KERNELS = {
  'x*y+1': { fn: '(x, y) => x * y + 1', sig: 'f8(f8, f8)', kind: 'scalar' as const },
  'exp*cos': { fn: '(x) => Math.exp(-x * x) * Math.cos(x)', sig: 'f8(f8)', kind: 'scalar' as const },
  rowdot: { fn: '(a, b, r) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; }', sig: 'void(f8[:], f8[:], f8[:])', kind: 'gufunc' as const },
};
const ROWDOT_CORE = { nin: 2, dims: ['n'], operands: [[0], [0], []] };

// ---- 1. front end and asc load --------------------------------------------------------------
{
  const t0 = performance.now(); const c0 = cpu();
  compileKernel(KERNELS['x*y+1'].fn, KERNELS['x*y+1'].sig, { kind: 'scalar', prefix: 'v0_' });
  const t1 = performance.now(); const c1 = cpu();
  compileKernel(KERNELS['exp*cos'].fn, KERNELS['exp*cos'].sig, { kind: 'scalar', prefix: 'v0_' });
  const t2 = performance.now(); const c2 = cpu();
  console.log(`front end (parse → IR → passes → AS + JS): first kernel in the process ${f1(t1 - t0)} ms (cpu ${f1(c1 - c0)}), a later one ${f1(t2 - t1)} ms (cpu ${f1(c2 - c1)})`);
}
const a0 = performance.now(); const ac0 = cpu();
const asc = (await import('assemblyscript/asc')) as unknown as {
  main(argv: string[], o: object): Promise<{ error: Error | null }>;
};
console.log(`import asc (asc + Binaryen): ${f1(performance.now() - a0)} ms (cpu ${f1(cpu() - ac0)})`);

// ---- 2. asc per variant ---------------------------------------------------------------------
const sources = Object.fromEntries(Object.entries(KERNELS).map(([name, k]) => [name, linkKernels([
  compileKernel(k.fn, k.sig, k.kind === 'scalar' ? { kind: 'scalar', prefix: 'v0_' } : { kind: 'gufunc', prefix: 'g0_', core: ROWDOT_CORE }),
])])) as Record<keyof typeof KERNELS, string>;

const PHASES = ['parse', 'initialize', 'compile', 'validate', 'optimize', 'emit'] as const;
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
  const phase = Object.fromEntries(PHASES.map((p) => [p, Number(new RegExp(`│ ${p}\\s+│\\s+([0-9.]+) ms`).exec(stats)?.[1] ?? 0)]));
  return { wall, cpu: used, phase, bytes: wasm.length };
}

const firstT = performance.now();
const first = await ascOnce(sources['x*y+1'], DEFAULT);
console.log(`first asc compile in the process (x*y+1, -O3): ${f1(performance.now() - firstT)} ms (cpu ${f1(first.cpu)}): ${PHASES.map((p) => `${p} ${f1(first.phase[p]!)}`).join(', ')}`);

const results = new Map<string, Array<Awaited<ReturnType<typeof ascOnce>>>>();
for (let r = 0; r < rounds; r++) {
  for (const [v, flags] of Object.entries(VARIANTS)) {
    for (const [k, src] of Object.entries(sources)) {
      const key = `${v}|${k}`;
      if (!results.has(key)) results.set(key, []);
      results.get(key)!.push(await ascOnce(src, flags));
    }
  }
}
console.log(`\nwarm asc compiles, median of ${rounds} (ms; wall, cpu, then asc's phases; wasm bytes):`);
for (const v of Object.keys(VARIANTS)) {
  for (const k of Object.keys(sources)) {
    const rs = results.get(`${v}|${k}`)!;
    console.log(`  ${v.padEnd(22)} ${k.padEnd(8)} wall ${f1(median(rs.map((x) => x.wall))).padStart(6)} cpu ${f1(median(rs.map((x) => x.cpu))).padStart(6)} | ${PHASES.map((p) => `${p} ${f1(median(rs.map((x) => x.phase[p]!)))}`).join(' ')} | ${rs[0]!.bytes} B`);
  }
}

// ---- 3. run time per variant ----------------------------------------------------------------
const N = 1e6;
const x = nb.linspace(-2, 2, N);
const y = nb.linspace(1, 3, N);
const R = 1e5;
const A = nb.linspace(0, 1, R * 32).reshape([R, 32]);
const B = nb.linspace(0, 1, R * 32).reshape([R, 32]).slice('::-1').copy();
const out = nb.empty([N]);
const rout = nb.empty([R]);
type Call = () => void;
const calls: Array<{ variant: string; kernel: string; call: Call }> = [];
for (const [v, flags] of Object.entries(VARIANTS)) {
  replaceAscFlags(flags);
  // tier 'wasm': compiled in the factory, while this variant's flags are in place (tier
  // 'auto' would compile later, in the background, and the first calls would run JS).
  const mul = nb.vectorize('f8(f8, f8)', { name: `mul ${v}`, tier: 'wasm' })(new Function(`return ${KERNELS['x*y+1'].fn}`)());
  const ec = nb.vectorize('f8(f8)', { name: `expcos ${v}`, tier: 'wasm' })(new Function(`return ${KERNELS['exp*cos'].fn}`)());
  const rd = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()', { name: `rowdot ${v}`, tier: 'wasm' })(new Function(`return ${KERNELS.rowdot.fn}`)()) as unknown as (a: nb.NDArray, b: nb.NDArray, o: { out: nb.NDArray }) => unknown;
  calls.push({ variant: v, kernel: 'x*y+1 1e6', call: () => { mul(x, y, { out }); } });
  calls.push({ variant: v, kernel: 'exp*cos 1e6', call: () => { ec(x, { out }); } });
  calls.push({ variant: v, kernel: 'rowdot (1e5,32)', call: () => { rd(A, B, { out: rout }); } });
}
replaceAscFlags(DEFAULT);
for (const c of calls) for (let i = 0; i < 30; i++) c.call(); // past V8's baseline tiers
const times = new Map<(typeof calls)[number], number[]>(calls.map((c) => [c, []]));
for (let r = 0; r < rounds * 15; r++) {
  for (const c of r % 2 ? calls : [...calls].reverse()) {
    const t = performance.now();
    c.call();
    times.get(c)!.push(performance.now() - t);
  }
}
console.log(`\nrun time per variant (ms per call; median and min of ${rounds * 15}, variants interleaved):`);
for (const kernel of ['x*y+1 1e6', 'exp*cos 1e6', 'rowdot (1e5,32)']) {
  const base = median(times.get(calls.find((c) => c.kernel === kernel && c.variant === '-O3 (current)')!)!);
  for (const c of calls.filter((c) => c.kernel === kernel)) {
    const ts = times.get(c)!;
    console.log(`  ${kernel.padEnd(16)} ${c.variant.padEnd(22)} median ${median(ts).toFixed(3)} min ${Math.min(...ts).toFixed(3)}  (median / -O3: ${(median(ts) / base).toFixed(2)})`);
  }
}
await nb.shutdown();
