/**
 * nb.jit: whole functions over arrays, compiled to Wasm per argument types (Numba's @njit).
 * Run with `npx tsx examples/jit-basics.ts`.
 *
 * Numba's introductory `go_fast` (a trace plus a broadcast add, returning a new array),
 * sum2d, a stencil-style writer through a helper, and a function returning a tuple.
 */
import * as nb from '../src/index.js';

// Lazy: one specialisation per argument types (dtype, ndim, unit inner stride).
const sum2d = nb.jit((a: nb.NDArray) => {
  const [m, n] = a.shape;
  let s = 0.0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) s += a.get(i, j) as number;
  }
  return s;
});

const a = nb.arange(1_000_000, undefined, undefined, 'float64').reshape([1000, 1000]);
console.log('sum2d(a)   =', sum2d(a));
console.log('sum2d(a.T) =', sum2d(a.T), '(a strided view, its own specialisation)');
console.log('plain JS   =', sum2d.pyFunc(a));
console.log('signatures:', sum2d.signatures);

// Tiers: the first calls ran the same function compiled to JS while its Wasm compiled in
// the background; `.ready` settles when every specialisation so far runs on Wasm.
console.log('tier now:', sum2d.tier);
await sum2d.ready;
console.log('tier after .ready:', sum2d.tier);

// Timing: the Wasm code (after .ready).
for (const [label, f] of [['jit', sum2d], ['plain JS', sum2d.pyFunc]] as const) {
  const t0 = performance.now();
  for (let r = 0; r < 5; r++) f(a);
  console.log(`${label.padEnd(8)} ${((performance.now() - t0) / 5).toFixed(2)} ms per call (1e6 elements)`);
}

// Writing an output array with set, and the image-downsampling mean from Numba's docs
// (getDownSampleValue's body written inline: array arguments to helpers come later).
const localMean = nb.jit((imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
  for (let i = 0; i < newHeight; i++) {
    for (let j = 0; j < newWidth; j++) {
      let s = 0;
      for (let di = 0; di < downSize; di++) {
        for (let dj = 0; dj < downSize; dj++) s += img.get(i * downSize + di, j * downSize + dj) as number;
      }
      imgNew.set(i, j, s / (downSize * downSize));
    }
  }
});
const img = nb.array(Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i * 6 + j) * 7 % 256)), { dtype: 'uint8' });
const small = nb.zeros([3, 3], 'uint8');
localMean(small, 3, 3, 2, img);
console.log('2x2 means:', small.toArray());

// What was compiled for a call, without running it:
console.log(localMean.inspect(small, 3, 3, 2, img).signature);

// Numba's go_fast, as written in Numba (`a + trace` is nb.add(a, trace): a new array of
// NumPy's dtype, allocated before the call and filled by compiled code).
const goFast = nb.jit((a: nb.NDArray) => {
  let trace = 0.0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i, i) as number);
  return nb.add(a, trace);
});
const x = nb.arange(100, undefined, undefined, 'float64').reshape([10, 10]);
const r = goFast(x);
console.log('go_fast:', goFast.signatures, (r as nb.NDArray).get(0, 0));

// A tuple result: the caller gets a JS array (scalars and arrays).
const minMax = nb.jit((a: nb.NDArray) => {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.shape[0]; i++) {
    lo = Math.min(lo, a.get(i) as number);
    hi = Math.max(hi, a.get(i) as number);
  }
  return [lo, hi, nb.divide(nb.subtract(a, lo), hi - lo)];
});
const [lo, hi, scaled] = minMax(nb.array([2, 4, 10], { dtype: 'float64' })) as [number, number, nb.NDArray];
console.log('min/max:', lo, hi, scaled.toArray());
