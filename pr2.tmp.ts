import * as nb from './src/index.js';
import { prangeRunsOnPool } from './src/parallel/jit.js';
nb.config({ parallel: { threads: 2, blockMs: 1e-6 } });
const f = (a: nb.NDArray, t: Float64Array, k: number) => {
  let s = 0; let p = 1.0; let mn = Infinity; const c = k * 2;
  for (const i of nb.prange(a.shape[0])) {
    s += a.get(i, 0) as number;
    p *= t[i]!;
    mn = Math.min(mn, t[i]! + c);
  }
  return s + p + mn;
};
const a = nb.arange(0, 200, 1, 'uint8').reshape([100, 2]);
const t = new Float64Array(100).map((_, i) => 1 + i / 1000);
const g = nb.jit({ target: 'parallel' })(f);
console.log(f(a, t, 3), g(a, t, 3), nb.jit(f)(a, t, 3), prangeRunsOnPool());
await nb.shutdown();
