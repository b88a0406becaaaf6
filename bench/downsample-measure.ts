/**
 * The 2x2 mean stencil (issue 16 item 6) before and after its SIMD interior, in one run, beside
 * Numba and a C loop. Run: `npx tsx bench/downsample-measure.ts [--rounds 3]`.
 *
 * Columns, all on bench/downsample.bench.ts's 12000x5000 uint8 image, ms per image (6000x2500
 * outputs), medians:
 *   - numbats: examples/downsample.ts's `mean2x2` (nb.stencil, stride 2, 'nearest'), and the
 *     same kernel compiled with `simd: false` (the scalar interior loop it had before), both
 *     run through the stencil's entry on the same image with a fresh output each call;
 *   - plain JS: examples/downsample.ts's `referenceMean`;
 *   - C: bench/downsample-mean.c, compiled now with the system's `cc -O3` into the temp
 *     directory and timed by itself (its own median); skipped, with the reason printed, when
 *     there is no C compiler;
 *   - Numba: bench/numpy/downsample.py (the seed's localMean with getDownSampleValue, the
 *     uint16-sum loop, the window-mean loop); skipped without a python with numba.
 * The numbats and JS timings alternate over `--rounds` rounds (the machine is shared: load
 * moves between rounds) and the median of the rounds' medians is printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';
import { compileStencil, type CompiledStencil } from '../src/compiler/stencil.js';
import { linkAssemblyScript } from '../src/compiler/emit/assemblyscript/emit-module.js';
import { instantiateSource } from '../src/vectorize/module.js';
import { stage } from '../src/ndarray/operand.js';
import { MEAN2X2_OPTIONS, mean2x2, mean2x2Kernel, referenceMean } from '../examples/downsample.js';
import { downsampleImage } from './downsample.bench.js';
import { findNumbaPython, runNumpy, timeIt } from './harness.js';

const H = 12000;
const W = 5000;
const M = (H / 2) * (W / 2);
const argv = process.argv.slice(2);
const rounds = Number(argv[argv.indexOf('--rounds') + 1] ?? 3) || 3;

console.log(`# 2x2 mean stencil (issue 16 item 6) — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

/** The C loop's median ms, or the reason it is skipped. */
function cLoop(): number | string {
  const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version']).status === 0);
  if (!cc) return 'no C compiler (cc, gcc, clang) on PATH';
  const dir = mkdtempSync(join(tmpdir(), 'numbats-downsample-c-'));
  try {
    const exe = join(dir, 'downsample-mean');
    const src = fileURLToPath(new URL('./downsample-mean.c', import.meta.url));
    const built = spawnSync(cc, ['-O3', '-o', exe, src], { encoding: 'utf8' });
    if (built.status !== 0) return `${cc} failed: ${built.stderr.trim().split('\n')[0]}`;
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const run = spawnSync(exe, [String(H), String(W), '11'], { encoding: 'utf8' });
      if (run.status !== 0) return `the C loop exited with ${run.status}`;
      times.push((JSON.parse(run.stdout) as { median_ms: number }).median_ms);
    }
    return median(times);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Numba first (its run takes ~20 s and should not overlap the numbats timings).
const py = findNumbaPython();
const numba = py ? runNumpy(py.python, 'downsample.py') : {};
if (!py) console.log('Numba: no python with numba found (set NUMBATS_PYTHON); Numba columns skipped');
const c = cLoop();

const img = downsampleImage();
const src = Uint8Array.from(img.data as Uint8Array);
// The scalar-interior version of the same stencil, through its entry as nb.stencil calls it.
const opts = { mode: MEAN2X2_OPTIONS.mode, stride: MEAN2X2_OPTIONS.stride, name: 'mean2x2' };
const scalar = compileStencil(mean2x2Kernel, MEAN2X2_OPTIONS.signature, { ...opts, simd: false, prefix: 'b_' });
const vector = compileStencil(mean2x2Kernel, MEAN2X2_OPTIONS.signature, { ...opts, prefix: 'a_' });
const { exports } = instantiateSource(linkAssemblyScript([scalar.asUnit, vector.asUnit], 'mean2x2 before/after'), { target: 'cpu' });
const runOnce = (s: CompiledStencil): nb.NDArray => {
  const entry = exports[s.entry] as (...args: number[]) => void;
  const out = nb.empty([H / 2, W / 2], 'uint8');
  const a = stage({ storage: img.storage, ...img.layout }, false);
  const o = stage({ storage: out.storage, ...out.layout }, false);
  entry(a.base, W, 1, o.base, W / 2, 1, H, W, H / 2, W / 2);
  return out;
};
const sized = (f: () => nb.NDArray) => () => { const r = f(); const n = r.size; r.dispose(); return n; };
// The stencil's Wasm tier is timed (its first calls would run the JS tier while it compiles).
await mean2x2.ready;
// Every numbats form agrees with the plain-JS reference before anything is timed.
const ref = referenceMean(src, H, W);
const forms: [string, () => nb.NDArray][] = [
  ['numbats before (scalar interior)', () => runOnce(scalar)],
  ['numbats after (SIMD interior)', () => runOnce(vector)],
  ['numbats nb.stencil (examples/downsample.ts mean2x2)', () => mean2x2(img)],
];
for (const [what, f] of forms) {
  const r = f();
  const same = (r.data as Uint8Array).every((v, i) => v === ref[i]);
  r.dispose();
  if (!same) throw new Error(`${what} differs from the plain-JS reference`);
}
console.log(`simd plan: ${JSON.stringify(vector.simd)} (before: ${JSON.stringify(scalar.simd)})`);

const cases: [string, () => unknown][] = [
  ...forms.map(([name, f]) => [name, sized(f)] as [string, () => unknown]),
  ['plain JS loop (referenceMean)', () => referenceMean(src, H, W).length],
];
const t = cases.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) cases.forEach(([, f], k) => t[k]!.push(timeIt(f, 5) / 1e6));
const ms = cases.map((_, k) => median(t[k]!));

const ns = (key: string) => (numba[key] === undefined ? undefined : (numba[key]! * M) / 1e6);
const rows: [string, number | undefined][] = [
  ...cases.map(([name], k) => [name, ms[k]] as [string, number]),
  ['C loop (cc -O3, bench/downsample-mean.c)', typeof c === 'number' ? c : undefined],
  ["Numba localMean + getDownSampleValue (the seed's)", ns('mean_numba_localmean')],
  ['Numba uint16-sum loop', ns('mean_numba')],
  ['Numba window-mean loop', ns('mean_numba_window')],
];
const after = ms[1]!;
const ratio = (x: number | undefined) => (x === undefined ? 'n/a' : `${(after / x).toFixed(2)}x`);
console.log(`\n| form | ms per image | SIMD stencil / this |\n|---|---|---|`);
for (const [name, v] of rows) console.log(`| ${name} | ${v === undefined ? 'n/a' : v.toFixed(2)} | ${ratio(v)} |`);
if (typeof c === 'string') console.log(`C column skipped: ${c}`);
console.log(`\nbefore / after: ${(ms[0]! / after).toFixed(2)}x; rounds: ${rounds} (per-round ms: ${t.map((x) => x.map((v) => v.toFixed(1)).join('/')).join(', ')})`);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
nb.shutdown();
