/**
 * vectorize / guvectorize benchmarks (issue: kernel factories), against plain JS loops,
 * NumPy's expression and Numba's @vectorize / @guvectorize (bench/numpy/vectorize.py).
 * Compile times are printed separately (they are not per-element numbers).
 */
import * as nb from '../src/index.js';
import { wasmReady, type Case } from './harness.js';

const N = 1e7;

export async function vectorizeCases(): Promise<Case[]> {
  const x = nb.linspace(0, 1, N);
  const y = nb.linspace(1, 2, N);
  const out = nb.empty([N]);
  const [xd, yd, od] = [x.data, y.data, out.data];
  // Compile times to `.ready` (the Wasm tier in place): the factory itself returns once the
  // JS tier is made (tier 'auto'), and every case below is timed on the Wasm tier.
  let t = performance.now();
  const xy1 = nb.vectorize('float64(float64, float64)')((a: number, b: number) => a * b + 1);
  await xy1.ready;
  const compileMs = performance.now() - t;
  const gauss = nb.vectorize('f8(f8)')((a: number) => Math.exp(-a * a) * Math.cos(a));
  t = performance.now();
  const rowdot = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()')(
    (a: Float64Array, b: Float64Array, r: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      r[0] = s;
    },
  );
  await rowdot.ready;
  const warmMs = performance.now() - t;
  // Checked indexing is the default (boundscheck: true); rowdot's indices are all proven in
  // range, so the unchecked module is the same code: the pair shows the cost is nil (issue
  // 13 item 7; bench/boundscheck-measure.ts alternates the two call by call).
  const rowdotUnchecked = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()', { boundscheck: false })(
    (a: Float64Array, b: Float64Array, r: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      r[0] = s;
    },
  );
  const rowdotFast = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()', { fastmath: true })(
    (a: Float64Array, b: Float64Array, r: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      r[0] = s;
    },
  );
  await wasmReady(xy1, gauss, rowdot, rowdotUnchecked, rowdotFast);
  console.log(`compile times to .ready: first vectorize in the process (cold: worker + asc load + compile) ${compileMs.toFixed(0)} ms; a later guvectorize (warm) ${warmMs.toFixed(0)} ms`);
  const R = 1e5;
  const A = nb.linspace(0, 1, R * 32).reshape([R, 32]);
  const B = nb.linspace(0, 1, R * 32).reshape([R, 32]).slice('::-1').copy();
  const ro = nb.empty([R]);
  const [Ad, Bd, rod] = [A.data, B.data, ro.data];
  return [
    {
      name: 'vectorize=x*y+1,dtype=float64,out=given,n=1e7', elements: N, numpy: 'xy1_numpy', numba: 'xy1_numba',
      run: () => xy1(x, y, { out }), kernels: [xy1],
      baseline: () => { for (let i = 0; i < N; i++) od[i] = xd[i]! * yd[i]! + 1; return od[0]; },
    },
    {
      name: 'vectorize=exp(-x*x)*cos(x),dtype=float64,out=given,n=1e7', elements: N, numpy: 'gauss_numpy', numba: 'gauss_numba',
      run: () => gauss(x, { out }), kernels: [gauss],
      baseline: () => { for (let i = 0; i < N; i++) { const v = xd[i]!; od[i] = Math.exp(-v * v) * Math.cos(v); } return od[0]; },
    },
    {
      name: 'guvectorize=rowdot,(1e5,32),float64,out=given', elements: R * 32, numpy: 'rowdot_numpy', numba: 'rowdot_numba',
      run: () => rowdot(A, B, { out: ro }), kernels: [rowdot],
      baseline: () => {
        for (let i = 0; i < R; i++) { let s = 0; for (let j = 0; j < 32; j++) s += Ad[i * 32 + j]! * Bd[i * 32 + j]!; rod[i] = s; }
        return rod[0];
      },
    },
    {
      name: 'guvectorize=rowdot,boundscheck=false,(1e5,32),float64,out=given', elements: R * 32, numpy: 'rowdot_numpy', numba: 'rowdot_numba',
      run: () => rowdotUnchecked(A, B, { out: ro }), kernels: [rowdotUnchecked],
      baseline: () => {
        for (let i = 0; i < R; i++) { let s = 0; for (let j = 0; j < 32; j++) s += Ad[i * 32 + j]! * Bd[i * 32 + j]!; rod[i] = s; }
        return rod[0];
      },
    },
    {
      // fastmath: four partial sums (src/compiler/ir/passes/fastmath.ts), against Numba's
      // fastmath=True rowdot; the plain JS baseline is written the same way.
      name: 'guvectorize=rowdot,fastmath,(1e5,32),float64,out=given', elements: R * 32, numpy: 'rowdot_numpy', numba: 'rowdot_fm_numba',
      run: () => rowdotFast(A, B, { out: ro }), kernels: [rowdotFast],
      baseline: () => {
        for (let i = 0; i < R; i++) {
          const o = i * 32;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let j = 0; j < 32; j += 4) {
            s0 += Ad[o + j]! * Bd[o + j]!; s1 += Ad[o + j + 1]! * Bd[o + j + 1]!;
            s2 += Ad[o + j + 2]! * Bd[o + j + 2]!; s3 += Ad[o + j + 3]! * Bd[o + j + 3]!;
          }
          rod[i] = (s0 + s1) + (s2 + s3);
        }
        return rod[0];
      },
    },
  ];
}
