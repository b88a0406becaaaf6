/**
 * Compiled (vectorize) ufuncs reduced along a leading axis: a binary kernel whose operands
 * share the SIMD lane type gets the built-ins' reduce tile in its module
 * (src/compiler/emit/assemblyscript/reduce-tile.ts, emit-module.ts's walk), which folds
 * panels of rows into column chunks held in registers. Checked on the Wasm tier (`tier:
 * 'wasm'`) against a plain-JS fold of each column in row order, from the identity: float
 * results must match bit for bit (the tile keeps each element's order of operations). Shapes
 * cover chunks of 8 vectors, single vectors, scalar columns, panels of 16 rows and the last
 * short panel; layouts cover reversed rows, rows with gaps (a column slice), a middle axis of
 * a 3-D array, and a non-contiguous inner axis (the row-at-a-time walk).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as nb from '../../src/index.js';
import { LAYOUTS, laidOut, type Layout } from '../helpers/reduce-layouts.js';

type DT = 'float64' | 'float32' | 'int32';
const SIG: Record<DT, string> = { float64: 'f8(f8, f8)', float32: 'f4(f4, f4)', int32: 'i4(i4, i4)' };

/**
 * The kernels, and the same in plain JS with `o` applied to every operation's result (the
 * kernel language computes float32 kernels in float32, as Numba) and `round` to the kernel's
 * result (ToInt32 for int32). Order matters for floats: a * 0.5 + b rounds differently when
 * rows are folded out of order.
 */
const KERNELS = {
  halfPlus: { f: (a: number, b: number) => a * 0.5 + b, js: (a: number, b: number, o: (x: number) => number) => o(o(a * 0.5) + b), identity: 0 },
  max: { f: (a: number, b: number) => Math.max(a, b), js: (a: number, b: number) => Math.max(a, b), identity: -Infinity },
  sub: { f: (a: number, b: number) => a - b * 3, js: (a: number, b: number, o: (x: number) => number) => o(a - o(b * 3)), identity: 1 },
};
type Name = keyof typeof KERNELS;
const round: Record<DT, (x: number) => number> = { float64: (x) => x, float32: Math.fround, int32: (x) => x | 0 };
const perOp: Record<DT, (x: number) => number> = { float64: (x) => x, float32: Math.fround, int32: (x) => x };

type Ufunc = ((...a: unknown[]) => unknown) & { reduce(a: nb.NDArray, o?: object): nb.NDArray };
const made = new Map<string, Ufunc>();
function ufunc(name: Name, d: DT): Ufunc {
  const key = `${name} ${d}`;
  if (!made.has(key)) {
    const { f, identity } = KERNELS[name];
    const id = d === 'int32' && !Number.isFinite(identity) ? -(2 ** 31) : identity;
    made.set(key, nb.vectorize(SIG[d], { identity: id, tier: 'wasm', name: `tile ${key}` })(f) as unknown as Ufunc);
  }
  return made.get(key)!;
}

/** `values` (m x n, C order) laid out as `layout` (test/helpers/reduce-layouts.ts). */
const build = (values: readonly number[], m: number, n: number, d: DT, layout: Layout): { arr: nb.NDArray; axis: number } => laidOut(values, m, n, d, layout);

const valueArb = (d: DT): fc.Arbitrary<number> => (d === 'int32'
  ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
  : fc.oneof(fc.constantFrom(0, -0, 1, -1, 0.1, NaN, Infinity), fc.double({ min: -1e6, max: 1e6 })).map(round[d]));

const caseArb = fc.record({
  name: fc.constantFrom<Name>('halfPlus', 'max', 'sub'),
  d: fc.constantFrom<DT>('float64', 'float32', 'int32'),
  m: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(15, 16, 17, 33)),
  n: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(16, 17, 31, 32, 33, 70)),
  layout: fc.constantFrom(...LAYOUTS),
  // halfPlus on int32 converts a float to int32 on return, which the JS fold does not model.
}).filter((c) => !(c.name === 'halfPlus' && c.d === 'int32')).chain((c) => fc.array(valueArb(c.d), { minLength: c.m * c.n, maxLength: c.m * c.n }).map((values) => ({ ...c, values })));

describe('compiled ufuncs reduced along a leading axis (the reduce tile)', () => {
  it('fold each column in row order from the identity, bit for bit, for every layout', () => {
    fc.assert(
      fc.property(caseArb, ({ name, d, m, n, layout, values }) => {
        const { js, identity } = KERNELS[name];
        const r = round[d];
        const start = d === 'int32' && !Number.isFinite(identity) ? -(2 ** 31) : identity;
        const { arr, axis } = build(values, m, n, d, layout);
        const res = ufunc(name, d).reduce(arr, { axis });
        const flat = res.reshape([n]);
        const data = flat.data as unknown as ArrayLike<number>;
        for (let j = 0; j < n; j++) {
          let acc = r(start);
          for (let i = 0; i < m; i++) acc = r(js(acc, values[i * n + j]!, perOp[d]));
          const got = data[flat.offset + j * flat.strides[0]!]!;
          if (!(Object.is(got, acc) || (Number.isNaN(got) && Number.isNaN(acc)))) {
            throw new Error(`${name} ${d} ${layout} ${m}x${n} column ${j}: got ${got}, want ${acc}`);
          }
        }
        arr.dispose();
        res.dispose();
      }),
      { seed: 1616, numRuns: 150 },
    );
  });
});
