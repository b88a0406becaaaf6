/**
 * Kernels of your own: a vectorize kernel, a guvectorize gufunc, the same kind of kernel on
 * every core (`target: 'parallel'`) and, when a WebGPU adapter exists, on the GPU. Each line
 * prints the time from making the kernel to its first correct result (a new kernel answers
 * at once on its JS tier) and to `.ready` (its Wasm, compiled in the background, in place),
 * and checks the values against plain JS. `npm run demo` runs it after tour.ts; alone:
 * `npx tsx examples/kernels.ts`.
 */
import * as nb from '../src/index.js';

const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`.padStart(9);
let wrong = 0;

interface Compiled {
  readonly ready: Promise<void>;
  readonly tier: nb.Tier;
}

/** Make a kernel, call it, await `.ready`, call it again; both results must pass `check`. */
async function show<K extends Compiled>(label: string, make: () => K, call: (k: K) => nb.NDArray, check: (r: nb.NDArray) => boolean): Promise<void> {
  const t0 = performance.now();
  const k = make();
  const first = call(k);
  const tFirst = ms(t0);
  const tier = k.tier;
  await k.ready;
  const tReady = ms(t0);
  const ok = check(first) && check(call(k));
  if (!ok) wrong++;
  console.log(`${label.padEnd(46)} first result ${tFirst} (${tier} tier)  .ready ${tReady}  ${ok ? 'values checked' : 'WRONG VALUES'}`);
}

const near = (got: number, want: number) => Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));

console.log(`Kernels of your own (${(performance.now() / 1000).toFixed(2)} s after the process started)`);

// 1. An elementwise kernel, compiled for one signature.
const x = nb.linspace(0, 1, 1000);
const y = nb.linspace(1, 2, 1000);
await show('vectorize x*y+1 (1e3 float64)',
  () => nb.vectorize(['float64(float64, float64)'])((a: number, b: number) => a * b + 1),
  (f) => f(x, y),
  (r) => (r.toArray() as number[]).every((v, i) => near(v, (i / 999) * (1 + i / 999) + 1)));

// 2. A gufunc: one dot product per row, core dimensions '(n),(n)->()'.
const m = nb.arange(12, { dtype: 'float64' }).reshape([3, 4]);
await show("guvectorize rowdot '(n),(n)->()' (3x4)",
  () => nb.guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()')(
    (a: Float64Array, b: Float64Array, out: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      out[0] = s;
    }) as unknown as Compiled & ((...a: unknown[]) => nb.NDArray),
  (f) => f(m, m),
  (r) => JSON.stringify(r.toArray()) === JSON.stringify([14, 126, 366]));

// 3. Every core: a large call's rows are split over the worker pool once the Wasm is in place.
const n = 2_000_000;
const t = nb.linspace(0, 10, n);
const gauss = (v: number) => Math.exp(-v * v) * Math.cos(v);
await show("vectorize exp(-x*x)*cos(x), 'parallel' (2e6)",
  () => nb.vectorize(['float64(float64)'], { target: 'parallel' })(gauss),
  (f) => f(t),
  (r) => [0, 1, 777_777, n - 1].every((i) => Math.abs((r.get(i) as number) - gauss((i * 10) / (n - 1))) < 1e-14));

// 4. The GPU, when there is one (a real GPU, or Mesa's lavapipe: scripts/install-lavapipe.sh).
if (await nb.gpuAvailable()) {
  const t0 = performance.now();
  const bump = nb.vectorize(['float32(float32)'], { target: 'gpu' })((v: number) => Math.exp(-v * v));
  const xs = nb.linspace(-2, 2, 1024, { dtype: 'float32' });
  const r = (await bump(xs)) as nb.NDArray;
  const ok = (r.toArray() as number[]).every((v, i) => Math.abs(v - Math.exp(-((-2 + (4 * i) / 1023) ** 2))) < 1e-5);
  if (!ok) wrong++;
  console.log(`${"vectorize exp(-x*x), 'gpu' (1024 float32)".padEnd(46)} first result ${ms(t0)} (WGSL)      ${ok ? 'values checked' : 'WRONG VALUES'}`);
} else {
  console.log("'gpu': no WebGPU adapter here (scripts/install-lavapipe.sh installs a CPU one); skipped");
}
if (wrong > 0) process.exitCode = 1;
