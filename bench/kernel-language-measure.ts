/**
 * The kernel language's cost, before and after issue 13 (literal types from the source text,
 * ToInt32 on floats, checked indexing, declared-order dispatch), in one process: the same
 * kernels compiled by this checkout ("after") and by a checkout of the commit before the
 * issue ("before"), timed call by call in alternation so that a noisy machine slows both
 * alike. Run:
 *
 *   git worktree add --detach /tmp/nb-before da77ae9 && ln -s "$PWD/node_modules" /tmp/nb-before/node_modules
 *   (cd /tmp/nb-before && node scripts/build-asm.mjs)
 *   npx tsx bench/kernel-language-measure.ts /tmp/nb-before [rounds] [--before-first]
 *
 * Cases (float64, `out=` given): x*y+1 and exp(-x*x)*cos(x) over 1e7 elements (vectorize),
 * rowdot over (1e5, 32) rows (guvectorize) checked (the default now), with
 * `boundscheck: false`, and before (which had no checks). Printed per case: the median
 * ms of each side, ns per element, and the median over pairs of the ratio after/before.
 * The two sides' arrays live in two Wasm memories; for the memory-bound cases where they
 * were placed can matter more than the code (x*y+1 compiles to byte-identical Wasm before
 * and after), so `--before-first` makes the before side's arrays first, to show that.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasmReady, type Tiered } from './harness.js';

type Nb = typeof import('../src/index.js');
type Call = () => unknown;

/** The kernel once its Wasm tier is in place (tier 'auto' runs the JS tier first). */
const onWasm = async <F>(f: F): Promise<F> => ((await wasmReady(f as Tiered)), f);

const beforeDir = process.argv[2];
if (!beforeDir) {
  console.error('usage: npx tsx bench/kernel-language-measure.ts <checkout of the commit before issue 13> [rounds]');
  process.exit(2);
}
const rounds = Number(process.argv.slice(3).find((a) => !a.startsWith('--')) ?? 5);
const beforeFirst = process.argv.includes('--before-first');
const after = (await import('../src/index.js')) as Nb;
const before = (await import(pathToFileURL(resolve(beforeDir, 'src/index.ts')).href)) as Nb;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The calls of one case on one side: arrays are made by that side's own numbats. */
async function elementwise(nb: Nb, kernel: (...a: number[]) => number, sig: string, nin: number, n: number): Promise<Call> {
  const x = nb.linspace(-3, 3, n);
  const y = nb.linspace(0, 1, n);
  const out = nb.empty([n]);
  const f = await onWasm(nb.vectorize(sig)(kernel) as unknown as (...a: unknown[]) => unknown);
  return nin === 2 ? () => f(x, y, { out }) : () => f(x, { out });
}

async function rowdot(nb: Nb, options: Record<string, unknown>): Promise<Call> {
  const R = 1e5;
  const A = nb.linspace(0, 1, R * 32).reshape([R, 32]);
  const B = nb.linspace(1, 2, R * 32).reshape([R, 32]);
  const o = nb.empty([R]);
  const f = await onWasm(nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()', options)((a: Float64Array, b: Float64Array, r: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    r[0] = s;
  }) as unknown as (...a: unknown[]) => unknown);
  return () => f(A, B, { out: o });
}

/** Alternate the two calls `pairs` times (after a warm-up out of V8's baseline tier). */
async function pair(name: string, elements: number, makeA: () => Promise<Call>, makeB: () => Promise<Call>): Promise<void> {
  let a: Call;
  let b: Call;
  if (beforeFirst) { b = await makeB(); a = await makeA(); } else { a = await makeA(); b = await makeB(); }
  for (let i = 0; i < 30; i++) { a(); b(); }
  const ta: number[] = [];
  const tb: number[] = [];
  const ratio: number[] = [];
  const time = (f: Call) => { const t = performance.now(); f(); return performance.now() - t; };
  for (let p = 0; p < rounds * 10; p++) {
    let x: number;
    let y: number;
    if (p % 2) { x = time(a); y = time(b); } else { y = time(b); x = time(a); }
    ta.push(x);
    tb.push(y);
    ratio.push(x / y);
  }
  const ns = (ms: number) => ((ms * 1e6) / elements).toFixed(2);
  console.log(`| ${name} | ${median(tb).toFixed(2)} ms (${ns(median(tb))} ns/el) | ${median(ta).toFixed(2)} ms (${ns(median(ta))} ns/el) | ${median(ratio).toFixed(3)} |`);
}

const N = 1e7;
const fma = (a: number, b: number) => a * b + 1;
const gauss = (a: number) => Math.exp(-a * a) * Math.cos(a);
console.log(`rounds ${rounds} (x10 alternating pairs per case)`);
console.log('| case | before | after | after/before (median of pairs) |');
console.log('|---|---|---|---|');
console.log(`arrays of the ${beforeFirst ? 'before' : 'after'} side made first`);
await pair('vectorize x*y+1, 1e7', N, () => elementwise(after, fma, 'f8(f8,f8)', 2, N), () => elementwise(before, fma, 'f8(f8,f8)', 2, N));
await pair('vectorize exp(-x*x)*cos(x), 1e7', N, () => elementwise(after, gauss, 'f8(f8)', 1, N), () => elementwise(before, gauss, 'f8(f8)', 1, N));
await pair('rowdot (1e5,32), boundscheck: true (default)', 32e5, () => rowdot(after, {}), () => rowdot(before, {}));
await pair('rowdot (1e5,32), boundscheck: false', 32e5, () => rowdot(after, { boundscheck: false }), () => rowdot(before, {}));
