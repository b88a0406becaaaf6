/**
 * Run time of the direct Wasm module of guvectorize kernels (src/compiler/emit/wasm
 * gufunc-row.ts, issue 15) against asc -O3's module of the same kernel: both on one shared
 * memory and the same arrays, each module's `row(n, p0, s0, ..., core)` called directly
 * (the loop the product path runs per innermost loop dim), round by round
 * (asm-module.ts interleavedMedians), after a check that the two give the same bits.
 * Kernels: rowdot (1e5, 32) float64 (issue 16's row), a small matmul (m,n),(n,p)->(m,p)
 * 8x8 @ 8x8 over 2e4 loop elements, a cumulative sum (n)->(n) of rows of 64, a scalar
 * input `(n),()->(n)` (a * s) of rows of 64, rowdot with the inputs' elements 2 apart (the
 * row loop's strided copy), rowdot int32, and the median of rows of 32 (a scratch copy,
 * insertion-sorted: scratch arrays, each module with an arena of its own). Prints wall and CPU
 * medians in ns per core element and the ratio direct / asc of the CPU medians.
 *
 * Then the product path: `nb.guvectorize` rowdot (1e5, 32) with `out=`, both modules.
 *
 *   npx tsx bench/direct-gufunc-measure.ts [rounds=41]     (KERNELS=rowdot,... picks by name; PRODUCT=0 skips the last part)
 */
import { compileKernel, linkKernels, type CoreLayoutInput } from '../src/compiler/compile.js';
import { emitDirectWasm } from '../src/compiler/emit/wasm/emit-module.js';
import { compileAssemblyScript } from '../src/compiler/toolchain/asc.js';
import { DTYPES } from '../src/dtype/dtypes.js';
import { interleavedMedians } from './asm-module.js';
import { MEDIAN } from '../test/helpers/scratch-kernels.js';

const rounds = Number(process.argv[2] ?? 41);

interface Case {
  readonly name: string;
  readonly src: string;
  readonly sig: string;
  readonly core: CoreLayoutInput;
  /** Loop elements, and the core sizes. */
  readonly rows: number;
  readonly sizes: readonly number[];
  /** The inputs' elements this many apart (2: every other element; the strided copy of the row loop). */
  readonly step?: number;
}

const DOT = '(a, b, r) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; }';
const CASES: Case[] = [
  { name: 'rowdot', src: DOT, sig: 'void(f8[:], f8[:], f8[:])', core: { nin: 2, dims: ['n'], operands: [[0], [0], []] }, rows: 1e5, sizes: [32] },
  {
    name: 'matmul 8x8', sig: 'void(f8[:,:], f8[:,:], f8[:,:])', core: { nin: 2, dims: ['m', 'n', 'p'], operands: [[0, 1], [1, 2], [0, 2]] }, rows: 2e4, sizes: [8, 8, 8],
    src: '(a, b, c) => { for (let i = 0; i < a.length; i++) for (let j = 0; j < b[0].length; j++) { let s = 0; for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j]; c[i][j] = s; } }',
  },
  {
    name: 'cumsum', sig: 'void(f8[:], f8[:])', core: { nin: 1, dims: ['n'], operands: [[0], [0]] }, rows: 5e4, sizes: [64],
    src: '(a, o) => { let s = 0; for (let i = 0; i < a.length; i++) { s += a[i]; o[i] = s; } }',
  },
  {
    name: 'scale (n),()', sig: 'void(f8[:], f8, f8[:])', core: { nin: 2, dims: ['n'], operands: [[0], [], [0]] }, rows: 5e4, sizes: [64],
    src: '(a, s, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i] * s; }',
  },
  { name: 'rowdot step 2', src: DOT, sig: 'void(f8[:], f8[:], f8[:])', core: { nin: 2, dims: ['n'], operands: [[0], [0], []] }, rows: 1e5, sizes: [32], step: 2 },
  { name: 'rowdot i4', src: DOT, sig: 'void(i4[:], i4[:], i4[:])', core: { nin: 2, dims: ['n'], operands: [[0], [0], []] }, rows: 1e5, sizes: [32] },
  { name: 'median', src: MEDIAN, sig: 'void(f8[:], f8[:])', core: { nin: 1, dims: ['n'], operands: [[0], []] }, rows: 2e4, sizes: [32] },
];

const pick = process.env['KERNELS']?.split(',');
for (const c of CASES.filter((q) => pick === undefined || pick.includes(q.name))) {
  const k = compileKernel(c.src, c.sig, { kind: 'gufunc', core: c.core, prefix: 'k_' });
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  // asc's static data (none for these kernels) below 64 KiB; the core block there, operands after.
  const asc = new WebAssembly.Instance((await compileAssemblyScript(linkKernels([k]), { memoryBase: 1024 })).module as WebAssembly.Module, { env: { memory } }).exports;
  const direct = new WebAssembly.Instance(new WebAssembly.Module(emitDirectWasm([k])), { env: { memory } }).exports;
  const core = 32768;
  const coreShapes = c.core.operands.map((dims, j) => (dims.length === 0 && k.ir.main.params[j]!.array !== undefined ? [1] : dims.map((d) => c.sizes[d]!)));
  const words = [c.sizes.length, 0, 0, ...c.sizes];
  let at = 65536;
  const ops = k.operands.map((t, j) => {
    const d = DTYPES[t];
    const elements = coreShapes[j]!.reduce((a, b) => a * b, 1);
    // C-contiguous core block (inputs: elements `step` apart); the core strides of dims listed in the signature.
    const step = j < c.core.nin ? c.step ?? 1 : 1;
    let s = d.itemSize * step;
    const strides = coreShapes[j]!.map(() => 0);
    for (let q = coreShapes[j]!.length - 1; q >= 0; q--) { strides[q] = s; s *= coreShapes[j]![q]!; }
    words.push(...strides.slice(0, c.core.operands[j]!.length));
    const p = at;
    const bytes = elements * c.rows * d.itemSize * step;
    at += Math.ceil(bytes / 64) * 64 + 64;
    return { t, p, step: elements * d.itemSize * step, n: elements * c.rows * step };
  });
  // Room for a second copy of each output (the other module's).
  const outs = ops.slice(c.core.nin).map((o) => { const p = at; at += Math.ceil((o.n * DTYPES[o.t].itemSize) / 64) * 64 + 64; return p; });
  // A scratch arena per module (src/vectorize/arena.ts lends one per call), set before each run.
  const ARENA = 65536;
  const arenas = [at, at + ARENA];
  at += 2 * ARENA;
  if (at > memory.buffer.byteLength) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
  new Int32Array(memory.buffer, core, words.length).set(words);
  ops.slice(0, c.core.nin).forEach((o, j) => {
    const v = new DTYPES[o.t].TypedArray(memory.buffer, o.p, o.n) as unknown as { [i: number]: number | bigint };
    for (let i = 0; i < o.n; i++) v[i] = o.t.startsWith('float') ? Math.sin(i * (j + 1) * 0.37) : ((i * 7 + j) % 19) - 9;
  });
  const rows = [asc[k.entries.row] as (...a: number[]) => void, direct[k.entries.row] as (...a: number[]) => void];
  const args = (m: number) => [c.rows, ...ops.flatMap((o, j) => [j >= c.core.nin && m === 1 ? outs[j - c.core.nin]! : o.p, o.step]), core];
  const setArena = [asc, direct].map((e) => e['__nb_arena'] as ((base: number, bytes: number) => void) | undefined);
  const run = (m: number) => { setArena[m]?.(arenas[m]!, ARENA); rows[m]!(...args(m)); };
  run(0);
  run(1);
  ops.slice(c.core.nin).forEach((o, j) => {
    const a = new Uint8Array(memory.buffer, o.p, o.n * DTYPES[o.t].itemSize);
    const b = new Uint8Array(memory.buffer, outs[j]!, o.n * DTYPES[o.t].itemSize);
    if (a.some((x, i) => x !== b[i])) throw new Error(`${c.name}: the direct module's output differs from asc's`);
  });
  const elements = c.rows * c.sizes.reduce((a, b) => a * b, 1);
  const t = interleavedMedians(2, run, rounds, elements);
  console.log(`${c.name.padEnd(14)} (${c.rows}, ${c.sizes.join('x')}) asc -O3 wall ${t[0]!.wall.toFixed(3)} cpu ${t[0]!.cpu.toFixed(3)}  ` +
    `direct wall ${t[1]!.wall.toFixed(3)} cpu ${t[1]!.cpu.toFixed(3)} ns/element  direct/asc ${(t[1]!.cpu / t[0]!.cpu).toFixed(3)}`);
}

// ---- the product path: nb.guvectorize rowdot (1e5, 32) float64 with out=, both modules -------
//
// The issue-16 row as users call it: the direct module (the default) and asc -O3's
// (setDirectWasm(false), tier 'wasm'), the same arrays, interleaved batch by batch. PRODUCT=0 skips it.
if (process.env['PRODUCT'] !== '0' && (pick === undefined || pick.includes('rowdot'))) {
  const nb = await import('../src/index.js');
  const { setDirectWasm } = await import('../src/vectorize/tiered-kernels.js');
  type Gu = ((...a: unknown[]) => unknown) & { readonly tier: string; readonly ready: Promise<void> };
  const make = (direct: boolean): Gu => {
    setDirectWasm(direct);
    try {
      return nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()', { tier: 'wasm', name: direct ? 'direct' : 'asc' })(
        new Function(`return ${DOT}`)() as never) as unknown as Gu;
    } finally {
      setDirectWasm(true);
    }
  };
  const fs = [make(false), make(true)];
  if (fs.some((f) => f.tier !== 'wasm')) throw new Error('not on Wasm');
  const R = 1e5;
  const a = nb.linspace(-1, 2, R * 32).reshape([R, 32]);
  const b = nb.linspace(3, 0.5, R * 32).reshape([R, 32]);
  const outs = [nb.empty([R]), nb.empty([R])];
  const run = (m: number) => { fs[m]!(a, b, { out: outs[m] }); };
  run(0);
  run(1);
  const [x, y] = outs.map((o) => o.toArray() as number[]);
  if (x!.some((v, i) => !Object.is(v, y![i]))) throw new Error('product path: results differ');
  const t = interleavedMedians(2, run, rounds, R * 32);
  console.log(`nb.guvectorize rowdot (1e5, 32) out= asc -O3 wall ${t[0]!.wall.toFixed(3)} cpu ${t[0]!.cpu.toFixed(3)}  ` +
    `direct wall ${t[1]!.wall.toFixed(3)} cpu ${t[1]!.cpu.toFixed(3)} ns/element  direct/asc ${(t[1]!.cpu / t[0]!.cpu).toFixed(3)}`);
}
