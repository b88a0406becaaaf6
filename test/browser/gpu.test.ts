/**
 * The gpu target in a real browser (issue 17 item 3): `navigator.gpu` through the platform
 * seam (platform/gpu.browser.ts), on headless Chromium's SwiftShader adapter. The same
 * WGSL as on Node; values checked against plain JS (float32 via Math.fround). A missing
 * adapter fails here (the browser project promises a GPU), it does not skip.
 *
 * Inputs stay inside each function's domain here; NaN, infinities, signed zeros and domain
 * edges are test/browser/gpu-special-values.test.ts's (NumPy's results, on SwiftShader).
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const N = 1000;
const xs = Array.from({ length: N }, (_, i) => Math.fround(((i * 37) % 401) / 40 - 5));
const ys = Array.from({ length: N }, (_, i) => Math.fround(((i * 53) % 211) / 30 + 0.25));
const f32 = (v: readonly number[]) => nb.array(v as number[], { dtype: 'float32' });
const values = async (a: nb.NDArray | Promise<nb.NDArray>) => (await (await a).toCpu()).toArray() as number[];

/** Relative difference within `tol` (float32 reference). */
function close(got: readonly number[], want: (i: number) => number, tol: number): string | null {
  for (let i = 0; i < want.length || i < got.length; i++) {
    const w = want(i);
    if (!(Math.abs(got[i]! - w) <= tol * Math.max(1, Math.abs(w)))) return `[${i}] got ${got[i]}, want ${w}`;
  }
  return null;
}

describe('gpu target in Chromium (navigator.gpu)', () => {
  it('opens a WebGPU adapter through navigator.gpu', async () => {
    expect(typeof navigator.gpu).toBe('object');
    expect(await nb.gpuAvailable()).toBe(true);
    const info = await nb.gpuInfo();
    expect(typeof info.adapter.vendor).toBe('string');
  });

  it('built-in ufuncs on gpu arrays: IEEE arithmetic exact, sqrt and transcendentals close', async () => {
    const [ga, gb] = [await nb.toGpu(f32(xs)), await nb.toGpu(f32(ys))];
    expect(ga.storageKind).toBe('gpu');
    const exact = (got: number[], f: (x: number, y: number) => number) =>
      expect(close(got, (i) => Math.fround(f(xs[i]!, ys[i]!)), 0)).toBeNull();
    exact(await values(nb.add(ga, gb)), (x, y) => x + y);
    exact(await values(nb.subtract(ga, gb)), (x, y) => x - y);
    exact(await values(nb.multiply(ga, gb)), (x, y) => x * y);
    expect(close(await values(nb.divide(ga, gb)), (i) => Math.fround(xs[i]! / ys[i]!), 1e-6)).toBeNull();
    expect(close(await values(nb.sqrt(gb)), (i) => Math.fround(Math.sqrt(ys[i]!)), 1e-6)).toBeNull();
    expect(close(await values(nb.exp(ga)), (i) => Math.exp(xs[i]!), 1e-5)).toBeNull();
    expect(close(await values(nb.log(gb)), (i) => Math.log(ys[i]!), 1e-5)).toBeNull();
    // WGSL bounds sin by an absolute 2^-11 on [-pi, pi] (SwiftShader uses that room).
    const zs = xs.map((x) => Math.fround(x * 0.6));
    const sin = await values(nb.sin(await nb.toGpu(f32(zs))));
    for (let i = 0; i < N; i++) expect(Math.abs(sin[i]! - Math.sin(zs[i]!))).toBeLessThanOrEqual(2 ** -11);
  });

  it('vectorize with target gpu (WGSL, no AssemblyScript): a float32 kernel on cpu and gpu arrays', async () => {
    const k = nb.vectorize(['float32(float32, float32)'], { target: 'gpu' })((x: number, y: number) => (x > 0 ? x * y + 1 : y - x));
    const want = (i: number) => { const x = xs[i]!, y = ys[i]!; return Math.fround(x > 0 ? Math.fround(x * y) + 1 : y - x); };
    expect(close(await values(k(f32(xs), f32(ys)) as unknown as Promise<nb.NDArray>), want, 1e-7)).toBeNull();
    const onDevice = await (k(await nb.toGpu(f32(xs)), f32(ys)) as unknown as Promise<nb.NDArray>);
    expect(onDevice.storageKind).toBe('gpu');
    expect(close(await values(onDevice), want, 1e-7)).toBeNull();
  });

  it('guvectorize with target gpu: row-wise dot (n),(n)->() against a float64 JS sum', async () => {
    const dot = nb.guvectorize(['void(float32[:], float32[:], float32[:])'], '(n),(n)->()', { target: 'gpu' })(
      (a: Float32Array, b: Float32Array, out: Float32Array) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
        out[0] = s;
      },
    );
    const rows = 10, n = N / rows;
    const r = await values((dot as unknown as (...a: unknown[]) => Promise<nb.NDArray>)(f32(xs).reshape([rows, n]), f32(ys).reshape([rows, n])));
    expect(r.length).toBe(rows);
    for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += xs[j * n + i]! * ys[j * n + i]!;
      expect(Math.abs(r[j]! - s)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(s)));
    }
  });
});
