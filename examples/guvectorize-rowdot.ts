/**
 * nb.guvectorize: a kernel over core dimensions, as a NumPy gufunc. Row-wise dot products.
 * Run with `npx tsx examples/guvectorize-rowdot.ts`.
 */
import * as nb from '../src/index.js';
import { guvectorize } from '../src/vectorize/guvectorize.js';

const rowdot = guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()', { name: 'rowdot' })(
  (a: Float64Array, b: Float64Array, out: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    out[0] = s;
  },
);
const a = nb.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
const b = nb.array([1, 0, 2], { dtype: 'float64' });
console.log('signature:', rowdot.signature);
console.log('rowdot(a, b) =', rowdot(a, b).toArray());
const out = nb.zeros([2]);
rowdot(a, a, { out });
console.log('rowdot(a, a) into out =', out.toArray());
