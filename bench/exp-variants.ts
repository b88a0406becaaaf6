/**
 * float64 exp loop variants (issue 16 item 4), compiled into one module and timed in one
 * process, round by round in alternation, in CPU time (process.cpuUsage: on the shared
 * machine wall time mostly measures waiting for a core):
 *   - L1: one block of 1024 elements again and again (16 KiB in and out);
 *   - in cache: 16 blocks of 4096 elements in turn (1 MiB: L2);
 *   - 1e7: one call over 1e7 elements.
 * Inputs: linspace(0, 1) (bench/numpy/ab_rows.py's), or uniform [-50, 50] with RANDOM=1.
 * The output starts 80 MiB + 4 KiB after the input, or DIST_MIB=d MiB after it: at 1e7, a
 * distance that is a multiple of 32 MiB measured 13-20% slower on this machine (bench/README.md,
 * exp "Fourth pass"), as in bench/ab-builds.ts, whose x, y and out lie 80 MiB apart.
 *
 *   npx tsx bench/exp-variants.ts [rounds=15]
 *
 * Variants:
 *   current    a loop of exp64x2 calls, one vector per step: its constants are reloaded at
 *              each use, one range branch per vector;
 *   plain      exp64x2's fast path in a loop, constants in registers, one vector per step, no
 *              range check and no pipelining (wrong beyond +-704);
 *   rows       exp64x2Rows (the generated loop's contiguous rows): blocks of 512, a running
 *              max of x^2, the three-stage software pipeline of expBlock64;
 *   rowstouch  rows per 512 elements, each after touching the next 4 KiB of the input as the
 *              generated heavy loops do (asm/ufunc/touch.ts): what the touch-ahead costs here;
 *   copy       v128 load/store: the memory system's floor.
 * current, rows and rowstouch are first checked to give exp64x2's bits on 1e6 inputs in each
 * of [-50, 50], [-800, 800] and [0, 1] with NaN, +-inf and the overflow and underflow edges
 * mixed in.
 */
import { compileAsmBench } from './asm-module.js';

const rounds = Number(process.argv[2] ?? 15);
const RANDOM = process.env.RANDOM === '1';
const DIST = process.env.DIST_MIB ? Number(process.env.DIST_MIB) * 2 ** 20 : 1e7 * 8 + 4096;

/** exp.ts's fast path (exp64x2 without the range check) on x with the constants c0..c6 (EXPT64's) in locals: y. */
const FAST = `
    const kf = f64x2.nearest(f64x2.mul(x, c0));
    const t = f64x2.add(kf, c1);
    const r = f64x2.add(f64x2.add(x, f64x2.mul(kf, c2)), f64x2.mul(kf, c3));
    const e0 = v128.load(<usize>(i32x4.extract_lane(t, 0) & 0xff0), EXP_TABLE);
    const e1 = v128.load(<usize>(i32x4.extract_lane(t, 2) & 0xff0), EXP_TABLE);
    const u = f64x2.add(i8x16.shuffle(e0, e1, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), r);
    const s = i64x2.add(i8x16.shuffle(e0, e1, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31), i64x2.shl(t, 40));
    const q = f64x2.mul(r, r);
    const m = f64x2.add(u, f64x2.mul(q, f64x2.add(f64x2.add(f64x2.mul(r, c5), c4), f64x2.mul(q, c6))));
    const y = f64x2.add(f64x2.mul(s, m), s);`;

function source(): string {
  return [
    "import { exp64x2, exp64x2Rows, exp64 } from './asm/math/exp';",
    "import { EXP_TABLE } from './asm/math/exp-table';",
    'let sink: u32 = 0;',
    'export function getSink(): u32 { return sink; }',
    // EXPT64's c0..c6.
    `const XT: usize = memory.data<f64>([
  369.3299304675746, 422212465065984.0, -0.00270760617331689, -7.453964567463233e-13,
  0.5000000000000122, 0.16666667996646284, 0.041666660564157645,
]);`,
    // n even in every variant (the timed calls and the checks use even lengths).
    `export function loop_current(p0: usize, p1: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) { v128.store(p1, exp64x2(v128.load(p0))); p0 += 16; p1 += 16; }
}`,
    `export function loop_plain(p0: usize, p1: usize, n: i32): void {
  const c0 = v128.load64_splat(XT); const c1 = v128.load64_splat(XT + 8); const c2 = v128.load64_splat(XT + 16);
  const c3 = v128.load64_splat(XT + 24); const c4 = v128.load64_splat(XT + 32); const c5 = v128.load64_splat(XT + 40);
  const c6 = v128.load64_splat(XT + 48);
  for (let i = 0; i < n; i += 2) { const x = v128.load(p0); ${FAST} v128.store(p1, y); p0 += 16; p1 += 16; }
}`,
    `export function loop_rows(p0: usize, p1: usize, n: i32): void { exp64x2Rows(p0, p1, n); }`,
    `export function loop_rowstouch(p0: usize, p1: usize, n: i32): void {
  let t: u32 = 0;
  for (let i = 0; i < n; i += 512) {
    if (i + 1024 <= n) for (let k: usize = 4096; k < 8192; k += 64) t += load<u8>(p0 + k);
    const m = min(512, n - i);
    exp64x2Rows(p0, p1, m);
    p0 += <usize>m << 3; p1 += <usize>m << 3;
  }
  sink += t;
}`,
    `export function loop_copy(p0: usize, p1: usize, n: i32): void {
  for (let i = 0; i + 2 <= n; i += 2) { v128.store(p1, v128.load(p0)); p0 += 16; p1 += 16; }
}`,
    'export function ref64(x: f64): f64 { return exp64(x); }',
    'export function heapBase(): usize { return (__heap_base + 63) & ~63; }',
  ].join('\n');
}

const compile = (src: string): Promise<WebAssembly.Module> => compileAsmBench(src, 'exp-variants-entry.ts');

const N = 1e7;
const BLOCK = 4096;
const BLOCKS = 16;
const module = await compile(source());
const memory = new WebAssembly.Memory({ initial: Math.ceil((DIST + N * 8 + 4e6) / 65536), maximum: 65536, shared: true });
const e = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => number>;
const src = e.heapBase!();
const dst = src + DIST;
const names = ['current', 'plain', 'rows', 'rowstouch', 'copy'];
const x = new Float64Array(memory.buffer, src, N);
const y = new Float64Array(memory.buffer, dst, N);
for (const [lo, hi] of [[-50, 50], [-800, 800], [0, 1]] as const) {
  for (let i = 0; i < 1e6; i++) x[i] = lo + (hi - lo) * Math.random();
  x[5] = NaN; x[77] = Infinity; x[78] = -Infinity; x[100] = 709.9; x[101] = -745; x[102] = 704.5; x[103] = -708.5;
  for (let i = 0; i < 1e6; i++) y[i] = e.ref64!(x[i]!);
  const ref = y.slice(0, 1e6);
  for (const v of ['current', 'rows', 'rowstouch']) {
    y.fill(0, 0, 1e6);
    e[`loop_${v}`]!(src, dst, 1e6);
    for (let i = 0; i < 1e6; i++) {
      if (!Object.is(y[i], ref[i])) throw new Error(`${v} differs at x=${x[i]}: ${y[i]} vs ${ref[i]}`);
    }
  }
}
console.log(`current, rows and rowstouch give exp64x2's bits; timed on ${RANDOM ? 'uniform [-50, 50]' : 'linspace(0, 1)'}, CPU ns per element`);
for (let i = 0; i < N; i++) x[i] = RANDOM ? -50 + 100 * Math.random() : i / N;
// Warm-up: V8 tiers hot functions up in the background.
for (let w = 0; w < 3; w++) {
  for (const v of names) for (let k = 0; k < 20; k++) e[`loop_${v}`]!(src, dst, 2 * BLOCK);
  await new Promise((r) => setTimeout(r, 300));
}
const cpuNs = (u: NodeJS.CpuUsage) => (u.user + u.system) * 1e3;
const times = new Map<string, number[]>();
const rec = (k: string, ns: number) => times.set(k, [...(times.get(k) ?? []), ns]);
for (let r = 0; r < rounds; r++) {
  for (const v of names) {
    const fn = e[`loop_${v}`]!;
    let c0 = process.cpuUsage();
    for (let k = 0; k < 640; k++) fn(src, dst, 1024);
    rec(`${v} L1`, cpuNs(process.cpuUsage(c0)) / (640 * 1024));
    c0 = process.cpuUsage();
    for (let k = 0; k < 160; k++) fn(src + (k % BLOCKS) * BLOCK * 8, dst + (k % BLOCKS) * BLOCK * 8, BLOCK);
    rec(`${v} in cache`, cpuNs(process.cpuUsage(c0)) / (160 * BLOCK));
    c0 = process.cpuUsage();
    fn(src, dst, N);
    rec(`${v} 1e7`, cpuNs(process.cpuUsage(c0)) / N);
  }
}
for (const [k, v] of times) {
  v.sort((a, b) => a - b);
  console.log(`${k.padEnd(18)} min ${v[0]!.toFixed(3)} median ${v[v.length >> 1]!.toFixed(3)}`);
}
if (e.getSink!() === 0xdeadbeef) console.log('');
