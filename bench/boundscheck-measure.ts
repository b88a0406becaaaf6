/**
 * The cost of checked indexing (issue 13 item 7: at most 5% on rowdot). Run:
 * `npx tsx bench/boundscheck-measure.ts [rounds]`.
 *
 * Two kernels over (1e5, 32) float64 rows, each compiled checked (the default) and with
 * `boundscheck: false`, timed in alternation call by call (checked, unchecked, checked,
 * ...), so that a noisy machine slows both alike; after a warm-up, `rounds` x 25 pairs.
 * Reported: the median and the minimum time of each, and the median over pairs of the
 * ratio checked / unchecked of the two calls of a pair:
 *   - rowdot: `for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s` — every
 *     index is proven in range, so the two modules are the same code;
 *   - rowdot-while: the same loop written with `while`, whose counter is updated in the
 *     body, so both reads keep a check (what a check costs where one is left).
 */
import * as nb from '../src/index.js';
import { wasmReady, type Tiered } from './harness.js';

const rounds = Number(process.argv[2] ?? 9);
const R = 1e5;
const A = nb.linspace(0, 1, R * 32).reshape([R, 32]);
const B = nb.linspace(0, 1, R * 32).reshape([R, 32]).slice('::-1').copy();
const out = nb.empty([R]);

type K = (a: nb.NDArray, b: nb.NDArray, o: { out: nb.NDArray }) => unknown;
const make = (src: string, boundscheck: boolean): K =>
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()', { boundscheck })(new Function(`return ${src}`)()) as unknown as K;

const KERNELS: Record<string, string> = {
  rowdot: '(a, b, r) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; }',
  'rowdot-while': '(a, b, r) => { let s = 0; let i = 0; while (i < a.length) { s += a[i] * b[i]; i++; } r[0] = s; }',
};

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

for (const [name, src] of Object.entries(KERNELS)) {
  const checked = make(src, true);
  const unchecked = make(src, false);
  await wasmReady(checked as unknown as Tiered, unchecked as unknown as Tiered); // not the JS tier that runs while they compile
  const c = checked as unknown as { kernels: { bounds: unknown[] }[] };
  for (let i = 0; i < 60; i++) { checked(A, B, { out }); unchecked(A, B, { out }); } // out of V8's baseline tier
  const tc: number[] = [];
  const tu: number[] = [];
  const ratio: number[] = [];
  const time = (f: K) => {
    const t = performance.now();
    f(A, B, { out });
    return performance.now() - t;
  };
  for (let p = 0; p < rounds * 25; p++) {
    // Alternate which of the two goes first, so neither always follows the other.
    const [x, y] = p % 2 ? [time(checked), time(unchecked)] : ((u) => [time(checked), u])(time(unchecked));
    tc.push(x);
    tu.push(y);
    ratio.push(x / y);
  }
  const [mc, mu, mr] = [median(tc), median(tu), median(ratio)];
  const [lc, lu] = [Math.min(...tc), Math.min(...tu)];
  const ns = (ms: number) => ((ms * 1e6) / (R * 32)).toFixed(3);
  console.log(
    `${name} (1e5,32) float64, ${c.kernels[0]!.bounds.length} check(s) left in the kernel, ${tc.length} alternating pairs:\n` +
      `  checked   median ${mc.toFixed(3)} ms (${ns(mc)} ns/el), min ${lc.toFixed(3)} ms\n` +
      `  unchecked median ${mu.toFixed(3)} ms (${ns(mu)} ns/el), min ${lu.toFixed(3)} ms\n` +
      `  checked/unchecked: median of pair ratios ${mr.toFixed(3)} (${((mr - 1) * 100).toFixed(1)}%), ` +
      `ratio of medians ${(mc / mu).toFixed(3)}, ratio of minima ${(lc / lu).toFixed(3)}`,
  );
}
await nb.shutdown();
