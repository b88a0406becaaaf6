/**
 * float32 Math.sin / cos / tan in kernels: computed in float64 and rounded once
 * (ir/intrinsics.ts `trig`), on every tier — AssemblyScript's own float32 versions reduce
 * |x| >= pi * 2^28 wrongly (hundreds of ULPs, wrong signs). Reference: plain JS,
 * `Math.fround(Math.sin(x))` on the float32 value; the Wasm tier's float64 sin (AS's) and V8's
 * may differ by an ULP of float64, which one rounding to float32 keeps within 1 ULP of float32.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { ulp32 } from '../helpers/ulp.js';

const LARGE = Math.fround(Math.PI * 2 ** 28);
const xs = [
  LARGE, -LARGE, 1e9, -1e9, 3.4e38, -3.4e38, 2 ** 100, 123456789, Math.fround(Math.PI * 2 ** 30),
  ...fc.sample(fc.float({ min: LARGE, max: Math.fround(3.4e38), noNaN: true }), { seed: 7, numRuns: 200 }),
  ...fc.sample(fc.float({ min: -1000, max: 1000, noNaN: true }), { seed: 8, numRuns: 100 }),
].map(Math.fround);

describe('float32 sin, cos, tan of large arguments, on both tiers', () => {
  for (const tier of ['js', 'wasm'] as const) {
    for (const name of ['sin', 'cos', 'tan'] as const) {
      it(`${name} on tier '${tier}' within 1 ULP of Math.fround(Math.${name}(x))`, () => {
        const fn = Math[name];
        const f = nb.vectorize('f4(f4)', { tier })(name === 'sin' ? (x: number) => Math.sin(x) : name === 'cos' ? (x: number) => Math.cos(x) : (x: number) => Math.tan(x));
        const got = f(nb.array(xs, { dtype: 'float32' })).toArray() as number[];
        const bad = xs.flatMap((x, i) => {
          const want = Math.fround(fn(x));
          return Math.abs(got[i]! - want) <= ulp32(want) ? [] : [`${name}(${x}) = ${got[i]}, want ${want}`];
        });
        expect(bad).toEqual([]);
      });
    }
  }
});
