/**
 * Vectors per column chunk of the reduce tile (src/compiler/emit/assemblyscript/reduce-tile.ts,
 * `tileChunk`): the tile of NumPy's maximum (pmax, a NaN compare and a select) and of add at
 * several chunk widths, on one 2000x2000 float64 array, axis 0, in one process, round by
 * round. Each module is the tile source reduceTileSource prints, compiled with the package's
 * asc flags (DESIGN.md decision 6). Prints wall and CPU (process.cpuUsage) medians, ns per
 * element, and each row's ratio to add at 8 vectors (same rounds). Run by hand:
 *
 *   npx tsx bench/tile-chunk-measure.ts [rounds=61]
 */
import asc from 'assemblyscript/asc';
import { reduceTileSource, tileChunk } from '../src/compiler/emit/assemblyscript/reduce-tile.js';

const N = 2000;
const ADD = 'f64x2.add(va, vb)';
const MAX = 'v128.bitselect(va, f64x2.pmax(vb, va), f64x2.ne(va, va))';
const VARIANTS: Array<[name: string, fold: string, chunk: number]> = [
  ['add, 8 vectors', ADD, 8], ['add, 6 vectors', ADD, 6],
  ['maximum, 8 vectors', MAX, 8], ['maximum, 7 vectors', MAX, 7], ['maximum, 6 vectors', MAX, 6], ['maximum, 5 vectors', MAX, 5],
];

const source = VARIANTS.map(([, fold, chunk], k) => reduceTileSource({
  name: `t${k}`, size: 8, chunk,
  vec: (a, b) => fold.replaceAll('va', a).replaceAll('vb', b),
  scalar: (a, x) => (fold === ADD ? `${a} + ${x}` : `(${a} > ${x} || ${a} != ${a} ? ${a} : ${x})`),
  load: (p) => `load<f64>(${p})`, store: (p, v) => `store<f64>(${p}, ${v});`,
})).join('\n');

const outputs = new Map<string, Uint8Array>();
let diagnostics = '';
const { error } = await asc.main(
  ['tile.ts', '--outFile', 'tile.wasm', '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=',
    '--enable', 'simd', '--enable', 'threads', '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'],
  {
    readFile: (name: string) => (name === 'tile.ts' ? source : null),
    writeFile: (name: string, contents: Uint8Array) => void outputs.set(name, contents),
    listFiles: () => [],
    stdout: { write: (s: string) => ((diagnostics += s), true) },
    stderr: { write: (s: string) => ((diagnostics += s), true) },
  } as unknown as Parameters<typeof asc.main>[1],
);
if (error) throw new Error(`asc failed: ${error.message}\n${diagnostics}`);

type Tile = (m: number, n: number, pr: number, pa: number, sa: number) => void;
const memory = new WebAssembly.Memory({ initial: Math.ceil((N * N * 8 + 2 * 65536) / 65536), maximum: 65536, shared: true });
const mod = new WebAssembly.Module(outputs.get('tile.wasm') as Uint8Array<ArrayBuffer>);
const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Record<string, Tile>;
const pa = 65536;
const pr = pa + N * N * 8;
const f = new Float64Array(memory.buffer);
for (let i = 0; i < N * N; i++) f[pa / 8 + i] = i / (N * N - 1);
// maximum.reduce(A, axis 0): res starts as row 0, the tile folds rows 1..N-1 into it.
const run = (k: number) => { f.copyWithin(pr / 8, pa / 8, pa / 8 + N); exports[`t${k}`]!(N - 1, N, pr, pa + N * 8, N * 8); };

console.log(`tileChunk picks ${tileChunk(ADD)} vectors for add, ${tileChunk(MAX)} for maximum`);
const rounds = Number(process.argv[2] ?? 61);
const wall = VARIANTS.map(() => [] as number[]);
const cpu = VARIANTS.map(() => [] as number[]);
for (let i = 0; i < 10; i++) VARIANTS.forEach((_, k) => run(k));
for (let r = 0; r < rounds; r++) {
  VARIANTS.forEach((_, k) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run(k);
    wall[k]!.push(((performance.now() - t0) * 1e6) / (N * N));
    const c = process.cpuUsage(c0);
    cpu[k]!.push(((c.user + c.system) * 1e3) / (N * N));
  });
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
VARIANTS.forEach(([name], k) => {
  console.log(`${name}: wall median ${median(wall[k]!).toFixed(3)} (${(median(wall[k]!) / median(wall[0]!)).toFixed(2)}x add at 8), ` +
    `cpu median ${median(cpu[k]!).toFixed(3)} (${(median(cpu[k]!) / median(cpu[0]!)).toFixed(2)}x) ns/element`);
});
