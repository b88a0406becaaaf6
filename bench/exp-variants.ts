/**
 * float64 exp loop variants (issue 16 item 4), compiled into one module and timed in one
 * process, round by round in alternation, in CPU time (process.cpuUsage: on the shared
 * machine wall time mostly measures waiting for a core):
 *   - in cache: 16 blocks of 4096 elements in turn (1 MiB);
 *   - 1e7: one call over 1e7 elements, with the generated loops' 4 KiB touch-ahead.
 * Inputs: linspace(0, 1) (bench/numpy/ab_rows.py's), or uniform [-50, 50] with RANDOM=1.
 *
 *   npx tsx bench/exp-variants.ts [rounds=15]
 *
 * Variants:
 *   current  a loop of exp64x2 calls, one vector per step (the generated loop before
 *            exp64x2Rows): its constants are reloaded at each use, one branch per vector;
 *   rows     exp64x2Rows per 4 KiB block (the generated loop now): constants in registers,
 *            two vectors per step, one branch per step;
 *   block    like rows, but no branch per step: a running pmax of |x| over the block, and
 *            the block is redone with exp64x2 when a lane is beyond 704 (needs src != dst,
 *            so not used: in-place calls would have lost their inputs);
 *   nocheck  like rows without any range check (wrong beyond +-704): the fast path's floor;
 *   copy     v128 load/store: the memory system's floor.
 * Every variant but nocheck is first checked to give the current loop's bits on 1e6 inputs
 * in each of [-50, 50], [-800, 800] and [0, 1] with NaN, +-inf and the overflow and
 * underflow edges mixed in.
 */
import { compileAsmBench } from './asm-module.js';

const rounds = Number(process.argv[2] ?? 15);
const RANDOM = process.env.RANDOM === '1';

/** exp.ts's fast path on x0 and x1 with the constants c0..c6 (EXPT64's) in locals: y0, y1. */
function fast(xs: string[]): string {
  return xs.map((x, i) => `
    const t${i} = f64x2.add(f64x2.mul(${x}, c0), c1);
    const kf${i} = f64x2.sub(t${i}, c1);
    const r${i} = f64x2.add(f64x2.add(${x}, f64x2.mul(kf${i}, c2)), f64x2.mul(kf${i}, c3));
    const e0${i} = v128.load(EXP_TABLE + ((<usize>i32x4.extract_lane(t${i}, 0) & 255) << 4));
    const e1${i} = v128.load(EXP_TABLE + ((<usize>i32x4.extract_lane(t${i}, 2) & 255) << 4));
    const tail${i} = i8x16.shuffle(e0${i}, e1${i}, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    const hb${i} = i8x16.shuffle(e0${i}, e1${i}, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    const s${i} = i64x2.add(hb${i}, i64x2.shl(t${i}, 44));
    const q${i} = f64x2.mul(r${i}, r${i});
    const pa${i} = f64x2.add(f64x2.mul(r${i}, c5), c4);
    const m${i} = f64x2.add(f64x2.add(f64x2.add(tail${i}, r${i}), f64x2.mul(q${i}, pa${i})), f64x2.mul(f64x2.mul(q${i}, q${i}), c6));
    const y${i} = f64x2.add(f64x2.mul(s${i}, m${i}), s${i});`).join('\n');
}

/** A whole loop: `block` runs one 4 KiB block (p0, p1 advanced by it); the rest as in r_163. */
function loop(name: string, block: string): string {
  return `
export function loop_${name}(p0: usize, p1: usize, n: i32): void {
  const c0 = v128.load64_splat(XT); const c1 = v128.load64_splat(XT + 8); const c2 = v128.load64_splat(XT + 16);
  const c3 = v128.load64_splat(XT + 24); const c4 = v128.load64_splat(XT + 32); const c5 = v128.load64_splat(XT + 40);
  const c6 = v128.load64_splat(XT + 48); const c7 = v128.load64_splat(XT + 56);
  let i = 0;
  let t: u32 = 0;
  while (i + 512 <= n) {
    if (i + 1024 <= n) { const next = p0 + 4096; for (let k = 0; k < 4096; k += 64) t += load<u8>(next + <usize>k); }
    ${block}
    i += 512;
  }
  for (; i + 2 <= n; i += 2) { v128.store(p1, exp64x2(v128.load(p0))); p0 += 16; p1 += 16; }
  for (; i < n; i++) { store<f64>(p1, exp64(load<f64>(p0))); p0 += 8; p1 += 8; }
  sink += t;
}`;
}

const STEP = `const x0 = v128.load(p0); const x1 = v128.load(p0, 16);`;
const STORE = `v128.store(p1, y0); v128.store(p1, y1, 16);`;

function source(): string {
  return [
    "import { exp64x2, exp64x2Rows, exp64 } from './asm/math/exp';",
    "import { EXP_TABLE } from './asm/math/exp-table';",
    'let sink: u32 = 0;',
    'export function getSink(): u32 { return sink; }',
    // EXPT64's c0..c6 and the fast-path limit.
    `const XT: usize = memory.data<f64>([
  369.3299304675746, 6755399441055744.0, -0.00270760617331689, -7.453964567463233e-13,
  0.5000000000000122, 0.16666667996646284, 0.041666660564157645, 704.0,
]);`,
    loop('current', `for (let k = 0; k < 256; k++) { v128.store(p1, exp64x2(v128.load(p0))); p0 += 16; p1 += 16; }`),
    loop('rows', `exp64x2Rows(p0, p1, 512); p0 += 4096; p1 += 4096;`),
    loop('block', `let acc = i64x2.splat(0);
    const b0 = p0;
    const b1 = p1;
    for (let k = 0; k < 128; k++) {
      ${STEP} acc = f64x2.pmax(acc, f64x2.abs(x0)); acc = f64x2.pmax(acc, f64x2.abs(x1));
      ${fast(['x0', 'x1'])} ${STORE} p0 += 32; p1 += 32;
    }
    if (i64x2.bitmask(f64x2.le(acc, c7)) != 3) {
      for (let k: usize = 0; k < 4096; k += 16) v128.store(b1 + k, exp64x2(v128.load(b0 + k)));
    }`),
    loop('nocheck', `for (let k = 0; k < 128; k++) { ${STEP} ${fast(['x0', 'x1'])} ${STORE} p0 += 32; p1 += 32; }`),
    `export function loop_rowsall(p0: usize, p1: usize, n: i32): void { exp64x2Rows(p0, p1, n & ~1); if (n & 1) store<f64>(p1 + <usize>(n - 1) * 8, exp64(load<f64>(p0 + <usize>(n - 1) * 8))); }`,
    `export function loop_copy(p0: usize, p1: usize, n: i32): void {
  for (let i = 0; i + 2 <= n; i += 2) { v128.store(p1, v128.load(p0)); p0 += 16; p1 += 16; }
}`,
    'export function heapBase(): usize { return (__heap_base + 63) & ~63; }',
  ].join('\n');
}

const compile = (src: string): Promise<WebAssembly.Module> => compileAsmBench(src, 'exp-variants-entry.ts');

const N = 1e7;
const BLOCK = 4096;
const BLOCKS = 16;
const module = await compile(source());
const memory = new WebAssembly.Memory({ initial: Math.ceil((N * 16 + 4e6) / 65536), maximum: 65536, shared: true });
const e = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => number>;
const src = e.heapBase!();
const dst = src + N * 8 + 4096;
const names = ['current', 'rows', 'rowsall', 'block', 'nocheck', 'copy'];
const x = new Float64Array(memory.buffer, src, N);
const y = new Float64Array(memory.buffer, dst, N);
for (const [lo, hi] of [[-50, 50], [-800, 800], [0, 1]] as const) {
  for (let i = 0; i < 1e6; i++) x[i] = lo + (hi - lo) * Math.random();
  x[5] = NaN; x[77] = Infinity; x[78] = -Infinity; x[100] = 709.9; x[101] = -745; x[102] = 704.5; x[103] = -708.5;
  e.loop_current!(src, dst, 1e6);
  const ref = y.slice(0, 1e6);
  for (const v of ['rows', 'rowsall', 'block']) {
    y.fill(0, 0, 1e6);
    e[`loop_${v}`]!(src, dst, 1e6);
    for (let i = 0; i < 1e6; i++) {
      if (!Object.is(y[i], ref[i])) throw new Error(`${v} differs at x=${x[i]}: ${y[i]} vs ${ref[i]}`);
    }
  }
}
console.log(`rows and block give the current loop's bits; timed on ${RANDOM ? 'uniform [-50, 50]' : 'linspace(0, 1)'}, CPU ns per element`);
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
