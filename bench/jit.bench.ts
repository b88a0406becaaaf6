/**
 * nb.jit against Numba's @njit (issue 14): the seed functions — sum2d (examples/jit-basics.ts)
 * and the image-downsampling directAssign and localMean with its array helper
 * getDownSampleValue (examples/downsample.ts) — compiled by nb.jit, run as plain JS (the same
 * function uncompiled, `f.pyFunc`), and Numba's @njit of the same functions
 * (bench/numpy/jit.py, through a python with numba). Times are per call (ns/call for the
 * `elements: 1` cases): sum2d on a 3x3 float64 array (the per-call overhead), sum2d on
 * 1000x1000, directAssign and localMean on a 12000x5000 uint8 image by 2, and localMean with
 * its rows in `nb.prange` on `target: 'parallel'` (Numba: `parallel=True`, `numba.prange`;
 * both on the machine's default thread count; the baseline is the sequential plain JS).
 *
 * `npx tsx bench/jit-measure.ts` prints the table with ratios; `npm run bench -- jit` runs
 * it as a suite.
 */
import * as nb from '../src/index.js';
import { getDownSampleValue, jitDirectAssign, jitLocalMean } from '../examples/downsample.js';
import type { Case } from './harness.js';

/** The seed's sum2d (as examples/jit-basics.ts). */
export const sum2d = nb.jit((a: nb.NDArray) => {
  const [m, n] = a.shape;
  let s = 0.0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) s += a.get(i, j) as number;
  }
  return s;
});

export const H = 12000;
export const W = 5000;
export const DOWN = 2;

/** The image of bench/numpy/jit.py and downsample.py: pixel i is ((i * 2654435761) mod 2^32) >> 24. */
function image(): nb.NDArray {
  const img = nb.empty([H, W], 'uint8');
  const d = img.data as Uint8Array;
  for (let i = 0; i < H * W; i++) d[i] = Math.imul(i, 2654435761 | 0) >>> 24;
  return img;
}

/** The seed's localMean with its rows in nb.prange, on the parallel target. */
export const jitLocalMeanParallel = nb.jit({ target: 'parallel', helpers: { getDownSampleValue } })(
  (imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
    for (const i of nb.prange(newHeight)) {
      for (let j = 0; j < newWidth; j++) imgNew.set(i, j, getDownSampleValue(img, i, j, downSize));
    }
  },
);

/** Sum of a uint8 array's elements (result checks against Numba's). */
export function total(a: nb.NDArray): number {
  let s = 0;
  for (const v of a.data as Uint8Array) s += v;
  return s;
}

export interface JitBench {
  cases: Case[];
  /** numbats' results, compared with bench/numpy/jit.py's `check_*` values. */
  checks: () => Record<string, number>;
}

/**
 * The cases (numbats = nb.jit, baseline = the plain function). `numba` keys are ns per call
 * in bench/numpy/jit.py's output. Each jit function is called once here and its `.ready`
 * awaited, so compiling is outside the timings (as Numba's first call is outside its) and
 * the Wasm tier is what is timed (the first calls run the JS tier while the Wasm compiles).
 */
export async function jitBench(): Promise<JitBench> {
  const small = nb.arange(9, undefined, undefined, 'float64').reshape([3, 3]);
  const big = nb.arange(1_000_000, undefined, undefined, 'float64').reshape([1000, 1000]);
  const img = image();
  const nh = H / DOWN;
  const nw = W / DOWN;
  const outD = nb.zeros([nh, nw], 'uint8');
  const outM = nb.zeros([nh, nw], 'uint8');
  const outP = nb.zeros([nh, nw], 'uint8');
  // The same functions without index checks (boundscheck: false, Numba's default): how much
  // of the time the checks take.
  const daUnchecked = nb.jit({ boundscheck: false })(jitDirectAssign.pyFunc);
  const lmUnchecked = nb.jit({ boundscheck: false, helpers: { getDownSampleValue } })(jitLocalMean.pyFunc);
  sum2d(small);
  sum2d(big);
  jitDirectAssign(outD, nh, nw, DOWN, img);
  jitLocalMean(outM, nh, nw, DOWN, img);
  daUnchecked(outD, nh, nw, DOWN, img);
  lmUnchecked(outM, nh, nw, DOWN, img);
  jitLocalMeanParallel(outP, nh, nw, DOWN, img);
  await Promise.all([sum2d, jitDirectAssign, jitLocalMean, daUnchecked, lmUnchecked, jitLocalMeanParallel].map((f) => f.ready));
  const sumPy = sum2d.pyFunc;
  const daPy = jitDirectAssign.pyFunc;
  const lmPy = jitLocalMean.pyFunc;
  // (one function per baseline, shared by the checked and unchecked rows: bench/jit-measure.ts times it once)
  const daBase = () => daPy(outD, nh, nw, DOWN, img);
  const lmBase = () => lmPy(outM, nh, nw, DOWN, img);
  const cases: Case[] = [
    {
      name: 'jit=sum2d,float64,3x3 (ns per call)', elements: 1, numba: 'sum2d_3x3',
      run: () => sum2d(small), baseline: () => sumPy(small),
    },
    {
      name: 'jit=sum2d,float64,1000x1000', elements: 1, numba: 'sum2d_1000x1000',
      run: () => sum2d(big), baseline: () => sumPy(big),
    },
    {
      name: `jit=directAssign,uint8,${H}x${W} by ${DOWN}`, elements: 1, numba: 'direct_assign', baselineReps: 3,
      run: () => jitDirectAssign(outD, nh, nw, DOWN, img), baseline: daBase,
    },
    {
      name: `jit=localMean+getDownSampleValue,uint8,${H}x${W} by ${DOWN}`, elements: 1, numba: 'local_mean', baselineReps: 3,
      run: () => jitLocalMean(outM, nh, nw, DOWN, img), baseline: lmBase,
    },
    {
      name: `jit=directAssign,boundscheck=false,uint8,${H}x${W} by ${DOWN}`, elements: 1, numba: 'direct_assign', baselineReps: 3,
      run: () => daUnchecked(outD, nh, nw, DOWN, img), baseline: daBase,
    },
    {
      name: `jit=localMean+getDownSampleValue,boundscheck=false,uint8,${H}x${W} by ${DOWN}`, elements: 1, numba: 'local_mean', baselineReps: 3,
      run: () => lmUnchecked(outM, nh, nw, DOWN, img), baseline: lmBase,
    },
    {
      name: `jit=localMean+getDownSampleValue,parallel prange,uint8,${H}x${W} by ${DOWN}`, elements: 1, numba: 'local_mean_parallel', baselineReps: 3,
      run: () => jitLocalMeanParallel(outP, nh, nw, DOWN, img), baseline: lmBase,
    },
  ];
  return {
    cases,
    checks: () => ({
      check_sum2d_3x3: sum2d(small) as number,
      check_sum2d_1000x1000: sum2d(big) as number,
      check_direct_sum: total(outD),
      check_mean_sum: total(outM),
      check_mean_parallel_sum: total(outP),
    }),
  };
}

export async function jitCases(): Promise<Case[]> {
  return (await jitBench()).cases;
}
