/**
 * What a call into numbats' math library costs a kernel (issue 15; src/runtime/math-library.ts):
 * direct modules (src/compiler/emit/wasm/) call `nbmath.exp_f64` etc. across modules, where
 * asc's kernel modules inline the same AS function. Two AS modules of the same loops,
 * compiled by asc -O3 with the kernels' flags (bench/asm-module.ts), one calling `Math.exp`
 * etc. (inlined by Binaryen), one calling `@external("nbmath", ...)` imports, instantiated
 * with the library's exports (as direct modules are):
 *   - exp(-x*x) * cos(x) over 1e6 float64;
 *   - haversine (sin, cos, asin; sqrt stays an instruction) over 1e6 float64 pairs of points;
 *   - Math.sign(x) (a few instructions: the cross-module call's own cost).
 * Interleaved rounds, medians of ns per element (wall and CPU), the ratio imported / inlined
 * measured side by side; the outputs of the two variants are compared bit for bit. Also
 * the cost to make the library available on first use (decode of the embedded base64,
 * compile, instantiate, first calls; in fresh processes, medians).
 *
 *   npx tsx bench/math-import-call.ts        (ROUNDS=31 by default, N=1e6, FRESH=9)
 */
import { spawnSync } from 'node:child_process';
import { compileAsmBench, interleavedMedians } from './asm-module.js';
import { mathLibraryExports } from '../src/runtime/math-library.js';

const N = Number(process.env.N ?? 1e6);
const ROUNDS = Number(process.env.ROUNDS ?? 31);
const FRESH = Number(process.env.FRESH ?? 9);

/** The loops, over `f64` arrays at byte addresses; `M` names the functions (inlined or imported). */
function source(imported: boolean): string {
  const fn = (name: string) => (imported ? `${name}_f64` : `Math.${name}`);
  const externs = imported
    ? ['exp', 'cos', 'sin', 'asin', 'sign'].map((n) => `@external("nbmath", "${n}_f64") declare function ${n}_f64(x: f64): f64;`).join('\n')
    : '';
  return `${externs}
export function expcos(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    store<f64>(out + (<usize>i << 3), ${fn('exp')}(-v * v) * ${fn('cos')}(v));
  }
}
export function sign(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(out + o, ${fn('sign')}(load<f64>(x + o)));
  }
}
export function haversine(lat1: usize, lon1: usize, lat2: usize, lon2: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const a1 = load<f64>(lat1 + o), b1 = load<f64>(lon1 + o), a2 = load<f64>(lat2 + o), b2 = load<f64>(lon2 + o);
    const sa = ${fn('sin')}((a2 - a1) * 0.5), sb = ${fn('sin')}((b2 - b1) * 0.5);
    const h = sa * sa + ${fn('cos')}(a1) * ${fn('cos')}(a2) * sb * sb;
    store<f64>(out + o, 12742.0 * ${fn('asin')}(Math.sqrt(h)));
  }
}
`;
}

interface Loops {
  expcos(x: number, out: number, n: number): void;
  sign(x: number, out: number, n: number): void;
  haversine(lat1: number, lon1: number, lat2: number, lon2: number, out: number, n: number): void;
}

/** A fresh process: the library's bytes to its first result (what a kernel's first use costs). */
const FIRST_USE = `
const url = (f) => new URL('../src/runtime/' + f, ${JSON.stringify(new URL('./', import.meta.url).href)}).href;
const { mathLibraryBytes } = await import(url('math-library-bytes.ts'));
const { instantiateMathLibrary } = await import(url('math-library.ts'));
const t0 = performance.now();
const bytes = mathLibraryBytes();
const t1 = performance.now();
const m = new WebAssembly.Module(bytes);
const t2 = performance.now();
const lib = instantiateMathLibrary(m);
const t3 = performance.now();
const r = lib.exp_f64(1) + lib.cos_f64(1) + lib.sin_f64(1) + lib.asin_f64(0.5);
const t4 = performance.now();
console.log(JSON.stringify({ decode: t1 - t0, compile: t2 - t1, instantiate: t3 - t2, firstCalls: t4 - t3, r }));
`;

async function main(): Promise<void> {
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 65536, shared: true });
  const base = 1 << 20;
  const at = (k: number) => base + k * N * 8;
  const f64 = (k: number) => new Float64Array(memory.buffer, at(k), N);
  // inputs 0..3, outputs 4 (inlined) and 5 (imported)
  const rnd = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
  for (let i = 0; i < N; i++) {
    f64(0)[i] = rnd(-1.5, 1.5);
    f64(1)[i] = rnd(-Math.PI, Math.PI);
    f64(2)[i] = rnd(-1.5, 1.5);
    f64(3)[i] = rnd(-Math.PI, Math.PI);
  }
  const inlined = new WebAssembly.Instance(await compileAsmBench(source(false), 'inlined.ts'), { env: { memory } }).exports as unknown as Loops;
  const imported = new WebAssembly.Instance(await compileAsmBench(source(true), 'imported.ts'), { env: { memory }, nbmath: mathLibraryExports() }).exports as unknown as Loops;
  const variants = [inlined, imported];

  const same = (): boolean => {
    const a = new BigUint64Array(memory.buffer, at(4), N);
    const b = new BigUint64Array(memory.buffer, at(5), N);
    return a.every((v, i) => v === b[i]);
  };
  const loops = [
    ['exp(-x*x)*cos(x)', (l: Loops, out: number) => l.expcos(at(0), at(out), N)],
    ['haversine', (l: Loops, out: number) => l.haversine(at(0), at(1), at(2), at(3), at(out), N)],
    // A function of a few instructions: what remains is the call's own cost.
    ['Math.sign(x)', (l: Loops, out: number) => l.sign(at(0), at(out), N)],
  ] as const;
  console.log(`math library calls vs asc's inlined functions, ${N.toExponential(0)} float64, ${ROUNDS} interleaved rounds (ns/element, medians)`);
  for (const [name, run] of loops) {
    run(inlined, 4);
    run(imported, 5);
    const identical = same();
    const [a, b] = interleavedMedians(2, (k) => run(variants[k]!, 4 + k), ROUNDS, N);
    console.log(`  ${name.padEnd(18)} inlined ${a!.wall.toFixed(2)} (cpu ${a!.cpu.toFixed(2)})  imported ${b!.wall.toFixed(2)} (cpu ${b!.cpu.toFixed(2)})  ` +
      `imported/inlined ${(b!.wall / a!.wall).toFixed(2)}x  bits ${identical ? 'identical' : 'DIFFER'}`);
  }

  const runs = Array.from({ length: FRESH }, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', FIRST_USE], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Record<'decode' | 'compile' | 'instantiate' | 'firstCalls', number>;
  });
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
  const m = (k: 'decode' | 'compile' | 'instantiate' | 'firstCalls') => median(runs.map((r) => r[k])).toFixed(2);
  console.log(`first use in a fresh process (${FRESH} processes, medians): base64 decode ${m('decode')} ms (the Node bundle reads a file instead), ` +
    `compile ${m('compile')} ms, instantiate ${m('instantiate')} ms, ` +
    `first calls of exp, cos, sin, asin ${m('firstCalls')} ms`);
}

await main();
