/**
 * nb.vectorize: a JS scalar kernel compiled to Wasm and used as a NumPy ufunc.
 * Run with `npx tsx examples/vectorize-basic.ts`.
 */
import * as nb from '../src/index.js';
import { vectorize } from '../src/vectorize/vectorize.js';

// Eager: compiled now, for these signatures; a call runs the first loop in this order that
// all its inputs cast to safely (NumPy's and Numba's rule), so narrow types come first.
const fma1 = vectorize(['int8(int8, int8)', 'float64(float64, float64)'], { name: 'fma1' })(
  (x: number, y: number) => x * y + 1,
);
console.log('types:', fma1.types.join(' | '));
console.log('fma1([1,2,3], 10) =', fma1(nb.array([1, 2, 3], { dtype: 'float64' }), 10).toArray());
console.log('int8 wraps: fma1(127, 1) =', fma1(nb.array([127], { dtype: 'int8' }), nb.array([1], { dtype: 'int8' })).toArray());

// With an identity, the ufunc methods work.
const plus = vectorize('f8(f8,f8)', { identity: 0, name: 'plus' })((x: number, y: number) => x + y);
console.log('plus.reduce([1,2,3,4]) =', (plus.reduce(nb.array([1, 2, 3, 4], { dtype: 'float64' })) as nb.NDArray).item());
console.log('plus.accumulate([1,2,3,4]) =', plus.accumulate(nb.array([1, 2, 3, 4], { dtype: 'float64' })).toArray());

// Lazy: compiled on first use, for the inputs' common dtype.
const gauss = vectorize()((x: number) => Math.exp(-x * x) * Math.cos(x));
console.log('gauss([0, 0.5, 1]) =', (gauss(nb.array([0, 0.5, 1])).toArray() as number[]).map((v) => v.toFixed(6)));
console.log('gauss.types:', gauss.types.join(' | '));
