/**
 * Speed of the SIMD transcendental kernels in asm/math/. Run by hand:
 *
 *   npx tsx bench/math-simd.ts [sin cos ...] [--n=1e7] [--runs=7] [--cache] [--no-numpy]
 *
 * Compiles, in memory with the package's asc flags (DESIGN.md decision 6), one module whose
 * loops have the shape of the generated ufunc loops: a contiguous SIMD main loop
 * (`v128.store(out, sin64x2(v128.load(in)))`) plus a scalar tail. For each function and dtype it
 * times N contiguous elements (median of --runs runs, after warm-up runs so that V8's
 * optimising tier is in place), in ns per element:
 *   simd       the SIMD kernel loop (f64x2 / f32x4) over the whole array;
 *   simd+pf    the same loop in 4 KiB blocks, first touching one byte per cache line of the next
 *              block: the loads then miss in parallel instead of one iteration at a time.
 *              Measured here that is the difference between streaming from DRAM at full speed
 *              and stalling on it (Wasm has no prefetch instruction; see "why" below);
 *   scalar     the scalar kernel (`sin64(x)`) on every element (what strided loops use);
 *   AS Math    AssemblyScript's own `Math.sin` / `Mathf.sin` (NativeMath, musl) per element;
 *   JS Math    a plain JS loop over Float64Array / Float32Array calling `Math.sin` (2 ** x for exp2);
 *   NumPy      np.sin(x, out=y) on the same data size, when a python3 with NumPy is found.
 * --cache runs every loop over 16 blocks of 4096 elements in turn (1 MiB, in L2) instead: the
 * compute cost alone, and too many elements for branch predictors to learn (they learn a
 * single repeated block of a few thousand, which flatters the branchy scalar libm code).
 *
 * Why simd+pf: a loop that spends ~50 instructions on every 16 bytes holds only a few cache
 * lines' worth of loads in the CPU's window, so each miss to DRAM is waited for nearly alone;
 * measured on this project's machine (Sapphire Rapids VM), exp over 1e7 float64 runs at
 * 2.0 ns/element with the data in cache, 4.8 from DRAM, 3.0 with the block touch.
 * Inputs are uniform random over a typical domain per function (printed).
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { compileAsmBench } from './asm-module.js';


interface Fn {
  name: string;
  module: string;
  /** Input domain [lo, hi] for the random data. */
  domain: [number, number];
  js: (x: number) => number;
  /** AssemblyScript NativeMath expressions of x for float64 and float32. */
  as64: string;
  as32: string;
}

const FUNCS: Fn[] = [
  { name: 'sin', module: 'trig', domain: [-10, 10], js: Math.sin, as64: 'Math.sin(x)', as32: 'Mathf.sin(x)' },
  { name: 'cos', module: 'trig', domain: [-10, 10], js: Math.cos, as64: 'Math.cos(x)', as32: 'Mathf.cos(x)' },
  { name: 'exp', module: 'exp', domain: [-50, 50], js: Math.exp, as64: 'Math.exp(x)', as32: 'Mathf.exp(x)' },
  { name: 'log', module: 'log', domain: [0, 1000], js: Math.log, as64: 'Math.log(x)', as32: 'Mathf.log(x)' },
  { name: 'exp2', module: 'exp', domain: [-60, 60], js: (x) => 2 ** x, as64: 'Math.exp2(x)', as32: 'Mathf.exp2(x)' },
  { name: 'log2', module: 'log', domain: [0, 1000], js: Math.log2, as64: 'Math.log2(x)', as32: 'Mathf.log2(x)' },
  { name: 'tanh', module: 'tanh', domain: [-5, 5], js: Math.tanh, as64: 'Math.tanh(x)', as32: 'Mathf.tanh(x)' },
];

function arg(name: string, dflt: number): number {
  const a = process.argv.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
}
const N = arg('n', 1e7);
const RUNS = arg('runs', 7);
const CACHE = process.argv.includes('--cache');
const BLOCK = 4096;
const BLOCKS = 16;
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const funcs = FUNCS.filter((f) => only.length === 0 || only.includes(f.name));

/** The loop module's source: per function and dtype, the loops described in the header. */
function source(): string {
  const lines: string[] = ['let sink: u32 = 0;', 'export function getSink(): u32 { return sink; }'];
  for (const f of funcs) {
    lines.push(`import { ${f.name}64x2, ${f.name}64, ${f.name}32x4, ${f.name}32 } from './asm/math/${f.module}';`);
  }
  for (const f of funcs) {
    for (const [bits, lanes, T] of [[64, 2, 'f64'], [32, 4, 'f32']] as const) {
      const sh = bits === 64 ? 3 : 2;
      const blk = 4096 >> sh; // elements per 4 KiB block
      const vec = `v128.store(dst + (<usize>i << ${sh}), ${f.name}${bits}x${lanes}(v128.load(src + (<usize>i << ${sh}))));`;
      const one = `store<${T}>(dst + (<usize>i << ${sh}), ${f.name}${bits}(load<${T}>(src + (<usize>i << ${sh}))));`;
      lines.push(`
export function simd_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + ${lanes} <= n; i += ${lanes}) ${vec}
  for (; i < n; i++) ${one}
}
export function pf_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  let t: u32 = 0;
  let i = 0;
  while (i + ${blk} <= n) {
    if (i + ${2 * blk} <= n) {
      const next = src + (<usize>(i + ${blk}) << ${sh});
      for (let k = 0; k < 4096; k += 64) t += load<u8>(next + <usize>k);
    }
    const end = i + ${blk};
    for (; i < end; i += ${lanes}) ${vec}
  }
  for (; i + ${lanes} <= n; i += ${lanes}) ${vec}
  for (; i < n; i++) ${one}
  sink += t;
}
export function scalar_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) ${one}
}
export function native_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const x = load<${T}>(src + (<usize>i << ${sh}));
    store<${T}>(dst + (<usize>i << ${sh}), ${bits === 64 ? f.as64 : f.as32});
  }
}`);
    }
  }
  lines.push('export function heapBase(): usize { return (__heap_base + 63) & ~63; }');
  return lines.join('\n');
}

const compile = (src: string): Promise<WebAssembly.Module> => compileAsmBench(src, 'math-bench-entry.ts');

/** Median of RUNS timed calls in ns per element, after two untimed warm-up calls. */
function time(fn: () => void): number {
  fn();
  fn();
  const ts: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return (ts[ts.length >> 1] * 1e6) / N;
}

/** NumPy's ns/element for each function and dtype on N elements of the same domains, or null. */
function numpyTimes(): Record<string, number> | null {
  if (process.argv.includes('--no-numpy')) return null;
  const code = `
import json, sys, time
import numpy as np
spec = json.loads(sys.argv[1]); n = int(spec['n']); runs = int(spec['runs']); out = {}
rng = np.random.default_rng(1)
for name, lo, hi in spec['funcs']:
    for dt in ('float64', 'float32'):
        x = rng.uniform(lo, hi, n).astype(dt); y = np.empty_like(x); f = getattr(np, name)
        f(x, out=y); ts = []
        for _ in range(runs):
            t = time.perf_counter(); f(x, out=y); ts.append(time.perf_counter() - t)
        out[name + dt] = sorted(ts)[len(ts) // 2] * 1e9 / n
print(json.dumps({'version': np.__version__, 'times': out}))
`;
  const spec = JSON.stringify({ n: N, runs: RUNS, funcs: funcs.map((f) => [f.name, ...f.domain]) });
  const r = spawnSync(process.env.NUMBATS_PYTHON ?? 'python3', ['-c', code, spec], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  try {
    const parsed = JSON.parse(r.stdout) as { version: string; times: Record<string, number> };
    console.log(`NumPy ${parsed.version}`);
    return parsed.times;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const module = await compile(source());
  const bytesNeeded = (CACHE ? 2 * BLOCKS * BLOCK * 8 : N * 8 * 2) + 2 * 1024 * 1024;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytesNeeded / 65536) + 16, maximum: 65536, shared: true });
  const e = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => number>;
  const src = e.heapBase();
  const span = CACHE ? BLOCKS * BLOCK : N;
  const dst = src + span * 8 + 4096;
  // Warm-up: V8 first runs a module in its baseline tier and compiles hot functions with
  // TurboFan in the background; give every loop a few calls and the compiler time to finish.
  new Float64Array(memory.buffer, src, 2 * BLOCK).fill(0.5);
  for (let round = 0; round < 2; round++) {
    for (const [name, fn] of Object.entries(e)) {
      if (/^(simd|pf|scalar|native)_/.test(name)) for (let k = 0; k < 5; k++) fn(src, dst, 2 * BLOCK);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  console.log(
    `# asm/math kernels: ${N.toExponential(0)} elements` +
      (CACHE ? `, in cache (${BLOCKS} blocks of ${BLOCK} elements in turn)` : ', contiguous') +
      `, median of ${RUNS} runs, ns/element`,
  );
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
  const np = CACHE ? null : numpyTimes();
  console.log('| function | dtype | domain | simd | simd+pf | scalar | AS Math | JS Math |' + (np ? ' NumPy |' : ''));
  console.log('|---|---|---|---:|---:|---:|---:|---:|' + (np ? '---:|' : ''));
  for (const f of funcs) {
    for (const bits of [64, 32] as const) {
      const Arr = bits === 64 ? Float64Array : Float32Array;
      const size = bits / 8;
      const input = new Arr(memory.buffer, src, span);
      const [lo, hi] = f.domain;
      for (let i = 0; i < span; i++) input[i] = lo + (hi - lo) * Math.random();
      const loop = (fn: (...a: number[]) => number) => () => {
        if (!CACHE) {
          fn(src, dst, N);
          return;
        }
        for (let k = 0, b = 0; k < N; k += BLOCK, b = (b + 1) % BLOCKS) {
          fn(src + b * BLOCK * size, dst + b * BLOCK * size, BLOCK);
        }
      };
      const simd = time(loop(e[`simd_${f.name}${bits}`]));
      const pf = time(loop(e[`pf_${f.name}${bits}`]));
      const scalar = time(loop(e[`scalar_${f.name}${bits}`]));
      const native = time(loop(e[`native_${f.name}${bits}`]));
      // The JS loop runs over TypedArrays of its own (span elements, N in total).
      const jsIn = new Arr(span);
      const jsOut = new Arr(span);
      for (let i = 0; i < span; i++) jsIn[i] = lo + (hi - lo) * Math.random();
      const js = time(() => {
        for (let done = 0; done < N; done += span) {
          for (let i = 0; i < span; i++) jsOut[i] = f.js(jsIn[i]);
        }
      });
      const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
      const npCol = np ? ` ${fmt(np[f.name + `float${bits}`])} |` : '';
      console.log(
        `| ${f.name} | float${bits} | [${lo}, ${hi}] | ${fmt(simd)} | ${fmt(pf)} | ${fmt(scalar)} | ${fmt(native)} | ${fmt(js)} |${npCol}`,
      );
    }
  }
  if (e.getSink() === 0xdeadbeef) console.log('');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
