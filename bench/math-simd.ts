/**
 * Speed of the SIMD transcendental kernels in asm/math/ (run by hand:
 * `npx tsx bench/math-simd.ts [fn ...] [--n=1e7] [--runs=7]`).
 *
 * Compiles, in memory and with the package's asc flags (DESIGN.md decision 6), one small module
 * whose loops have the shape of the generated ufunc loops: a contiguous SIMD main loop
 * (`v128.store(out, sin64x2(v128.load(in)))`) plus a scalar tail. For each function and dtype
 * it times, over N = 1e7 contiguous elements (median of several runs, after warm-up runs so
 * that V8's optimising tier is in place):
 *   simd     the SIMD kernel loop (f64x2 / f32x4),
 *   scalar   the scalar kernel (`sin64(x)`) on every element,
 *   AS Math  AssemblyScript's own `Math.sin` / `Mathf.sin` (NativeMath, musl) on every element,
 *   JS Math  a plain JS loop over Float64Array / Float32Array calling `Math.sin`.
 * Inputs are uniform random over a typical domain per function (printed).
 */
import asc from 'assemblyscript/asc';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Fn {
  name: string;
  module: string;
  /** Input domain [lo, hi] for the random data. */
  domain: [number, number];
  /** The JS reference: Math.<name>, or an expression for exp2. */
  js: (x: number) => number;
  /** AssemblyScript NativeMath expression for x (f64) and Mathf (f32). */
  as64: string;
  as32: string;
}

const FUNCS: Fn[] = [
  { name: 'sin', module: 'trig', domain: [-10, 10], js: Math.sin, as64: 'Math.sin(x)', as32: 'Mathf.sin(x)' },
  { name: 'cos', module: 'trig', domain: [-10, 10], js: Math.cos, as64: 'Math.cos(x)', as32: 'Mathf.cos(x)' },
  { name: 'exp', module: 'exp', domain: [-50, 50], js: Math.exp, as64: 'Math.exp(x)', as32: 'Mathf.exp(x)' },
  { name: 'log', module: 'log', domain: [0, 1000], js: Math.log, as64: 'Math.log(x)', as32: 'Mathf.log(x)' },
  { name: 'exp2', module: 'exp', domain: [-60, 60], js: (x) => 2 ** x, as64: 'Math.pow(2.0, x)', as32: 'Mathf.pow(2.0, x)' },
  { name: 'log2', module: 'log', domain: [0, 1000], js: Math.log2, as64: 'Math.log2(x)', as32: 'Mathf.log2(x)' },
  { name: 'tanh', module: 'tanh', domain: [-5, 5], js: Math.tanh, as64: 'Math.tanh(x)', as32: 'Mathf.tanh(x)' },
];

function arg(name: string, dflt: number): number {
  const a = process.argv.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
}
const N = arg('n', 1e7);
const RUNS = arg('runs', 7);
/** --block=B: call each loop on the same B elements N / B times (data in cache: the compute cost alone). */
const BLOCK = arg('block', 0);
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const funcs = FUNCS.filter((f) => only.length === 0 || only.includes(f.name));

/** The loop module's source: per function and dtype a SIMD loop, a scalar-kernel loop, a NativeMath loop. */
function source(): string {
  const lines: string[] = [];
  for (const f of funcs) {
    lines.push(`import { ${f.name}64x2, ${f.name}64, ${f.name}32x4, ${f.name}32 } from './asm/math/${f.module}';`);
  }
  for (const f of funcs) {
    for (const [bits, lanes, T] of [[64, 2, 'f64'], [32, 4, 'f32']] as const) {
      const shift = bits === 64 ? 3 : 2;
      lines.push(`
export function simd_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + ${lanes} <= n; i += ${lanes}) {
    v128.store(dst + (<usize>i << ${shift}), ${f.name}${bits}x${lanes}(v128.load(src + (<usize>i << ${shift}))));
  }
  for (; i < n; i++) store<${T}>(dst + (<usize>i << ${shift}), ${f.name}${bits}(load<${T}>(src + (<usize>i << ${shift}))));
}
export function scalar_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<${T}>(dst + (<usize>i << ${shift}), ${f.name}${bits}(load<${T}>(src + (<usize>i << ${shift}))));
}
export function native_${f.name}${bits}(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const x = load<${T}>(src + (<usize>i << ${shift}));
    store<${T}>(dst + (<usize>i << ${shift}), ${bits === 64 ? f.as64 : f.as32});
  }
}`);
    }
  }
  lines.push('export function heapBase(): usize { return (__heap_base + 63) & ~63; }');
  return lines.join('\n');
}

async function compile(src: string): Promise<WebAssembly.Module> {
  const outputs = new Map<string, Uint8Array | string>();
  let diagnostics = '';
  const entry = 'math-bench-entry.ts';
  const { error } = await asc.main(
    [entry, '--baseDir', root, '--outFile', 'bench.wasm',
      '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--enable', 'simd', '--enable', 'threads',
      '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'],
    {
      readFile: (name: string, baseDir: string) => {
        if (name === entry) return src;
        try { return readFileSync(join(baseDir, name), 'utf8'); } catch { return null; }
      },
      writeFile: (name: string, contents: Uint8Array | string) => { outputs.set(name, contents); },
      listFiles: () => [],
      stdout: { write: (s: string) => { diagnostics += s; return true; } },
      stderr: { write: (s: string) => { diagnostics += s; return true; } },
    } as unknown as Parameters<typeof asc.main>[1],
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${diagnostics}`);
  return new WebAssembly.Module(outputs.get('bench.wasm') as Uint8Array);
}

/** Median of `RUNS` timed calls (ns per element), after two untimed warm-up calls. */
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

async function main(): Promise<void> {
  const module = await compile(source());
  const bytesNeeded = N * 8 * 2 + 1024 * 1024;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytesNeeded / 65536) + 16, maximum: 65536, shared: true });
  const e = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => number>;
  const src = e.heapBase();
  const dst = src + N * 8 + 4096;
  console.log(
    `# asm/math kernels, N = ${N.toExponential(0)} contiguous` +
      (BLOCK > 0 ? ` (as ${N / BLOCK} calls on the same ${BLOCK} elements: in cache)` : '') +
      `, median of ${RUNS} runs, ns/element`,
  );
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
  console.log('| function | dtype | domain | simd | scalar kernel | AS Math | JS Math |');
  console.log('|---|---|---|---:|---:|---:|---:|');
  let sink = 0;
  for (const f of funcs) {
    for (const bits of [64, 32] as const) {
      const Arr = bits === 64 ? Float64Array : Float32Array;
      const input = new Arr(memory.buffer, src, N);
      const [lo, hi] = f.domain;
      for (let i = 0; i < N; i++) input[i] = lo + (hi - lo) * Math.random();
      const loop = (fn: (...a: number[]) => number) => () => {
        if (BLOCK > 0) for (let k = 0; k < N; k += BLOCK) fn(src, dst, BLOCK);
        else fn(src, dst, N);
      };
      const simd = time(loop(e[`simd_${f.name}${bits}`]));
      const scalar = time(loop(e[`scalar_${f.name}${bits}`]));
      const native = time(loop(e[`native_${f.name}${bits}`]));
      const jsIn = new Arr(N);
      const jsOut = new Arr(N);
      jsIn.set(input);
      const js = time(() => {
        for (let i = 0; i < N; i++) jsOut[i] = f.js(jsIn[i]);
      });
      sink += jsOut[N >> 1];
      const fmt = (v: number) => v.toFixed(2);
      console.log(`| ${f.name} | float${bits} | [${lo}, ${hi}] | ${fmt(simd)} | ${fmt(scalar)} | ${fmt(native)} | ${fmt(js)} |`);
    }
  }
  if (Number.isNaN(sink)) console.log('');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
