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
import { compileAsmBench, interleavedMedians } from './asm-module.js';
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


type Tile = (m: number, n: number, pr: number, pa: number, sa: number) => void;
const memory = new WebAssembly.Memory({ initial: Math.ceil((N * N * 8 + 2 * 65536) / 65536), maximum: 65536, shared: true });
const mod = await compileAsmBench(source, 'tile.ts');
const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Record<string, Tile>;
const pa = 65536;
const pr = pa + N * N * 8;
const f = new Float64Array(memory.buffer);
for (let i = 0; i < N * N; i++) f[pa / 8 + i] = i / (N * N - 1);
// maximum.reduce(A, axis 0): res starts as row 0, the tile folds rows 1..N-1 into it.
const run = (k: number) => { f.copyWithin(pr / 8, pa / 8, pa / 8 + N); exports[`t${k}`]!(N - 1, N, pr, pa + N * 8, N * 8); };

console.log(`tileChunk picks ${tileChunk(ADD)} vectors for add, ${tileChunk(MAX)} for maximum`);
const rounds = Number(process.argv[2] ?? 61);
const t = interleavedMedians(VARIANTS.length, run, rounds, N * N);
VARIANTS.forEach(([name], k) => {
  console.log(`${name}: wall median ${t[k]!.wall.toFixed(3)} (${(t[k]!.wall / t[0]!.wall).toFixed(2)}x add at 8), ` +
    `cpu median ${t[k]!.cpu.toFixed(3)} (${(t[k]!.cpu / t[0]!.cpu).toFixed(2)}x) ns/element`);
});
