/**
 * Compile time against kernel size (issue 19 item 7): generated kernels of growing size,
 * each compiled the way vectorize does (compileKernel, then asc in the compiler worker),
 * printing seconds per phase and size. No assertions: a measurement tool.
 *
 *   npx tsx scripts/compile-time.ts [--kinds assign,ifs,nested,params] [--sizes 500,1000,2000,4000]
 *                                   [--params 8,16,32,63,70] [--timeout 300] [--phases]
 *
 * Kinds (n = size):
 *   assign  `let s = x; s = s * 1.0001 + 1;` n times, `return s` (one long dependency chain);
 *   ifs     n statements `if (s > k) { s = s * 1.0001 + 1; } else { s = s - 1; }`;
 *   nested  n ifs in groups of 10 nested `if (s > k) { s = s + 1; if (...) { ... } }`;
 *   params  a kernel of n float64 parameters returning their sum (--params gives the n's).
 * Columns: front = compileKernel (parse → IR → passes → AS and JS source), asc = the worker's
 * asc compile (the product path, src/vectorize/compile-sync.ts), check = the Wasm row's
 * result equals the JS reference's. `--phases` adds the front end split by phase. A compile
 * that exceeds --timeout seconds, or fails, prints what it threw.
 */
import { performance } from 'node:perf_hooks';
import { compileKernel } from '../src/compiler/compile.js';
import { lowerFunction } from '../src/compiler/frontend/lower.js';
import { parseKernel } from '../src/compiler/frontend/parse.js';
import { emitAssemblyScript, linkAssemblyScript } from '../src/compiler/emit/assemblyscript/emit-module.js';
import { emitJs } from '../src/compiler/emit/js/emit-module.js';
import { inferProgram } from '../src/compiler/ir/infer.js';
import type { IRProgram } from '../src/compiler/ir/nodes.js';
import { foldConstants } from '../src/compiler/ir/passes/fold-constants.js';
import { pointerWalks } from '../src/compiler/ir/passes/pointer-walk.js';
import { simdType } from '../src/compiler/ir/passes/simd.js';
import { validateProgram } from '../src/compiler/ir/passes/validate.js';
import { compileBytesSync, moduleFromBytes, stopCompilerWorker } from '../src/vectorize/compile-sync.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}
const list = (s: string) => s.split(',').filter(Boolean);

const kinds = list(arg('kinds', 'assign,ifs,nested,params'));
const sizes = list(arg('sizes', '500,1000,2000,4000')).map(Number);
const paramCounts = list(arg('params', '8,16,32,63,70')).map(Number);
const timeoutMs = Number(arg('timeout', '300')) * 1000;
const phases = process.argv.includes('--phases');

/** Kernel source and signature of a kind at size n. */
function generate(kind: string, n: number): { src: string; sig: string; args: number[] } {
  const lines: string[] = [];
  switch (kind) {
    case 'assign':
      lines.push('let s = x;');
      for (let i = 0; i < n; i++) lines.push('s = s * 1.0001 + 1;');
      break;
    case 'ifs':
      lines.push('let s = x;');
      for (let i = 0; i < n; i++) lines.push(`if (s > ${i}) { s = s * 1.0001 + 1; } else { s = s - 1; }`);
      break;
    case 'nested':
      lines.push('let s = x;');
      for (let g = 0; g < n / 10; g++) {
        for (let d = 0; d < 10; d++) lines.push(`${'  '.repeat(d)}if (s > ${g * 10 + d}) { s = s + 1;`);
        for (let d = 9; d >= 0; d--) lines.push(`${'  '.repeat(d)}}`);
      }
      break;
    case 'params': {
      const names = Array.from({ length: n }, (_, i) => `p${i}`);
      return {
        src: `(${names.join(', ')}) => ${names.join(' + ')}`,
        sig: `f8(${Array(n).fill('f8').join(', ')})`,
        args: names.map((_, i) => i + 0.5),
      };
    }
    default: throw new Error(`unknown kind '${kind}'`);
  }
  return { src: `(x) => {\n${lines.map((l) => `  ${l}`).join('\n')}\n  return s;\n}`, sig: 'f8(f8)', args: [0.5] };
}

/** The front end phase by phase (what compileKernel does for a scalar kernel). */
function phaseTimes(src: string, sig: { readonly args: readonly { readonly dtype: string }[] }): string {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const tick = (k: string) => { const t1 = performance.now(); t[k] = t1 - t0; t0 = t1; };
  const parsed = parseKernel(src, 'k'); tick('parse');
  const main = lowerFunction(parsed, { emitName: 'kernel', helpers: new Set() }); tick('lower');
  const typed = inferProgram({
    kind: 'scalar', main, params: sig.args.map((a) => ({ scalar: a.dtype as 'float64' })), returns: 'float64', helpers: new Map(), narrowLocals: false,
  }); tick('infer');
  const ir: IRProgram = { kind: 'scalar', main: foldConstants(typed.main), helpers: [], fastmath: false };
  validateProgram(ir);
  const simd = simdType(ir);
  const walked = pointerWalks(ir); tick('passes');
  linkAssemblyScript([emitAssemblyScript(walked, { prefix: '', simd })]);
  emitJs(ir); tick('emit');
  return Object.entries(t).map(([k, v]) => `${k} ${(v / 1000).toFixed(3)}`).join(', ');
}

/** Run the Wasm row on one element per operand; the output. */
function runRow(binary: Uint8Array, source: string, args: readonly number[]): number {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const instance = new WebAssembly.Instance(moduleFromBytes(binary, source), { env: { memory } });
  const base = 1 << 16;
  const f = new Float64Array(memory.buffer, base, args.length + 1);
  f.set(args);
  const ptrs = [...args.keys(), args.length].flatMap((k) => [base + 8 * k, 8]);
  (instance.exports.row as (...a: number[]) => void)(1, ...ptrs);
  return f[args.length]!;
}

const fmt = (s: number) => s.toFixed(2).padStart(7);
console.log(`compile time (seconds; asc in the compiler worker, timeout ${timeoutMs / 1000} s)`);
// Warm the worker (asc loaded and JIT-compiled once) so that sizes compare asc's own work.
compileBytesSync(compileKernel('(x) => x + 1', 'f8(f8)', { kind: 'scalar' }).asSource);
for (const kind of kinds) {
  for (const n of kind === 'params' ? paramCounts : sizes) {
    const { src, sig, args } = generate(kind, n);
    const label = `${kind.padEnd(7)} n=${String(n).padEnd(6)}`;
    const t0 = performance.now();
    let k;
    try {
      k = compileKernel(src, sig, { kind: 'scalar', name: `${kind}${n}` });
    } catch (e) {
      console.log(`${label} front end threw ${(e as Error).constructor.name} ${(e as { code?: string }).code ?? ''}: ${String((e as Error).message).split('\n')[0]}`);
      continue;
    }
    const front = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    try {
      const { binary } = compileBytesSync(k.asSource, undefined, timeoutMs);
      const asc = (performance.now() - t1) / 1000;
      const wasm = runRow(binary, k.asSource, args);
      const js = (k.jsKernel as (...a: number[]) => number)(...args);
      const check = Object.is(wasm, js) ? 'ok' : `MISMATCH wasm ${wasm} js ${js}`;
      console.log(`${label} front ${fmt(front)}  asc ${fmt(asc)}  total ${fmt(front + asc)}  AS ${String(k.asSource.length).padStart(8)} chars  wasm ${String(binary.length).padStart(8)} B  ${check}`);
    } catch (e) {
      const asc = (performance.now() - t1) / 1000;
      console.log(`${label} front ${fmt(front)}  asc failed after ${asc.toFixed(1)} s: ${(e as Error).constructor.name} ${(e as { code?: string }).code ?? ''} ${String((e as Error).message).split('\n').slice(0, 3).join(' / ').slice(0, 200)}`);
    }
    if (phases && kind !== 'params') console.log(`${' '.repeat(label.length)} front end: ${phaseTimes(src, k.signature)}`);
  }
}
await stopCompilerWorker();
