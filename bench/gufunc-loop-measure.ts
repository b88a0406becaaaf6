/**
 * The gufunc row loop's code alone (issue 16 item 5): guvectorize rowdot (1e5, 32) float64
 * compiled three ways from one kernel — as the emitter printed it before (one element per
 * step, one row loop for any strides), with the strict unroll only (passes/fastmath.ts
 * unrollStrict), and as now (the unroll and the row loop's copy for contiguous core rows,
 * emit-module.ts gufuncRow) — plus bench/stream.ts's two-stream read-only dot as the
 * bandwidth ceiling (16 B/element). All on one shared memory and the same arrays, each
 * module's `row` called directly, round by round: bench/ab-builds.ts compares two builds,
 * whose heaps are two memories, and its unchanged rows measured up to 10% apart there.
 * Checks that the three give the same bits. Prints wall and CPU medians, ns per element.
 *
 *   npx tsx bench/gufunc-loop-measure.ts [rounds=41] [rows=1e5]
 */
import { compileKernel } from '../src/compiler/compile.js';
import { emitAssemblyScript, linkAssemblyScript } from '../src/compiler/emit/assemblyscript/emit-module.js';
import { pointerWalks } from '../src/compiler/ir/passes/pointer-walk.js';
import { unrollStrict } from '../src/compiler/ir/passes/fastmath.js';
import { compileAssemblyScript } from '../src/compiler/toolchain/asc.js';
import { interleavedMedians } from './asm-module.js';

const rounds = Number(process.argv[2] ?? 41);
const R = Number(process.argv[3] ?? 1e5);
const C = 32;
const k = compileKernel('(a, b, r) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; }',
  'void(float64[:], float64[:], float64[:])', { kind: 'gufunc', core: { nin: 2, dims: ['n'], operands: [[0], [0], []] } });
const unrolled = { ...k.ir, main: unrollStrict(k.ir.main) };
const unit = (p: typeof k.ir, contiguousRows: boolean) => linkAssemblyScript([emitAssemblyScript(pointerWalks(p), { prefix: '', simd: null, contiguousRows })]);
const STREAM = `export function dot(a: usize, b: usize, n: i32, r: usize): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  for (let i = 0; i < n; i += 8) {
    const o = <usize>i << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a + o), v128.load(b + o))); s1 = f64x2.add(s1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(a + o, 32), v128.load(b + o, 32))); s3 = f64x2.add(s3, f64x2.mul(v128.load(a + o, 48), v128.load(b + o, 48)));
  }
  v128.store(r, f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)));
}
`;
const sources: Array<[string, string]> = [
  ['before (one element per step)', unit(k.ir, false)],
  ['unrolled x4', unit(unrolled, false)],
  ['unrolled x4 + contiguous row loop (now)', k.asSource],
  ['ceiling: two-stream f64x2 dot', STREAM],
];

const bytes = R * C * 8;
const memory = new WebAssembly.Memory({ initial: Math.ceil((2 * bytes + 4 * R * 8 + 65536 * 4) / 65536), maximum: 65536, shared: true });
const [core, pa] = [65536 * 2, 65536 * 3];
const pb = pa + bytes;
const po = pb + bytes;
const mods: Array<Record<string, (...a: number[]) => void>> = [];
for (const [, src] of sources) {
  // Static data (none here) below the arrays.
  const { module } = await compileAssemblyScript(src, { memoryBase: 65536 });
  mods.push(new WebAssembly.Instance(module as WebAssembly.Module, { env: { memory } }).exports as never);
}
const i32 = new Int32Array(memory.buffer);
i32[core / 4 + 3] = C; // n, then the core strides of a and b in bytes
i32[core / 4 + 4] = 8;
i32[core / 4 + 5] = 8;
const f = new Float64Array(memory.buffer);
for (let i = 0; i < R * C; i++) {
  f[pa / 8 + i] = Math.sin(i);
  f[pb / 8 + i] = Math.cos(0.7 * i);
}
const run = (m: number) => {
  if (m === 3) mods[m]!.dot!(pa, pb, R * C, po + R * 8 * 3);
  else mods[m]!.row!(R, pa, C * 8, pb, C * 8, po + R * 8 * m, 8, core);
};
for (let m = 0; m < 3; m++) run(m);
for (let m = 1; m < 3; m++) {
  for (let r = 0; r < R; r++) {
    if (!Object.is(f[po / 8 + R * m + r], f[po / 8 + r])) throw new Error(`${sources[m]![0]}: row ${r} differs from the one-element loop`);
  }
}
const t = interleavedMedians(sources.length, run, rounds, R * C);
console.log(`rowdot (${R}, ${C}) float64, ${rounds} rounds; same bits from all three loops`);
sources.forEach(([name], m) => {
  console.log(`${name}: wall median ${t[m]!.wall.toFixed(3)}, cpu median ${t[m]!.cpu.toFixed(3)} ` +
    `(${(t[m]!.cpu / t[0]!.cpu).toFixed(2)}x before) ns/element`);
});
