/**
 * Reductions along a leading axis (`add.reduce(A, { axis: 0 })`): the Wasm walk hands such
 * a plan to the loop's reduce tile (scripts/codegen/emit-tile.ts), which folds panels of
 * rows into column chunks held in registers. Checked against a plain-JS reference that
 * folds each column's elements in row order (NumPy's order for an outer reduction), so
 * float results must match bit for bit. Shapes cover every part of the tile: chunks of 8 (6 for
 * a fold of several instructions: maximum, minimum) vectors, single vectors, scalar columns,
 * panels of 16 rows and the last short panel;
 * layouts cover reversed rows (a negative outer stride), rows with gaps (a column slice),
 * a middle axis of a 3-D array, and a non-contiguous inner axis (the row-at-a-time walk).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { LAYOUTS, laidOut, type Layout } from '../helpers/reduce-layouts.js';
import { type BinOp, type DT, type Val, binary, fromRaw, sameVal, show, toRaw, valueArb } from '../helpers/reference.js';

type Op = Extract<BinOp, 'add' | 'multiply' | 'maximum' | 'minimum' | 'bitwiseAnd'>;
const OPS: Op[] = ['add', 'multiply', 'maximum', 'minimum', 'bitwiseAnd'];
const DTYPES: DT[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];
type Method = { reduce(a: nb.NDArray, o?: object): nb.NDArray };
const ufunc = (op: Op) => (nb as unknown as Record<string, Method>)[op]!;

/** The identity the reduction starts from, or undefined (start from the first row). */
function identity(op: Op, d: DT): Val | undefined {
  const k = nb.DTYPES[d].kind;
  if (op === 'add') return k === 'b' ? false : k === 'f' ? 0 : 0n;
  if (op === 'multiply') return k === 'b' ? true : k === 'f' ? 1 : 1n;
  if (op === 'bitwiseAnd') return k === 'b' ? true : k === 'u' ? BigInt(nb.DTYPES[d].max) : -1n;
  return undefined;
}

/** `values` (m x n, C order) laid out as `layout` (test/helpers/reduce-layouts.ts). */
const build = (values: readonly Val[], m: number, n: number, d: DT, layout: Layout): { arr: nb.NDArray; axis: number } => laidOut(values.map((v) => toRaw(v, d)), m, n, d, layout);

/** Column j's fold in row order (from the identity, else from row 0), in dtype d. */
function reference(op: Op, values: readonly Val[], m: number, n: number, d: DT): Val[] {
  const start = identity(op, d);
  return Array.from({ length: n }, (_, j) => {
    let acc = start ?? values[j]!;
    for (let i = start === undefined ? 1 : 0; i < m; i++) acc = binary(op, acc, values[i * n + j]!, d);
    return acc;
  });
}

const caseArb = fc.record({
  op: fc.constantFrom(...OPS),
  d: fc.constantFrom(...DTYPES),
  m: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(15, 16, 17, 33, 40)),
  n: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(15, 16, 17, 31, 32, 33, 70, 131)),
  layout: fc.constantFrom(...LAYOUTS),
}).filter(({ op, d }) => !(op === 'bitwiseAnd' && nb.DTYPES[d].kind === 'f'))
  .chain((c) => fc.array(valueArb(c.d), { minLength: c.m * c.n, maxLength: c.m * c.n }).map((values) => ({ ...c, values })));

describe('reduce along a leading axis (the reduce tile)', () => {
  it('folds each column in row order, bit for bit, for every layout, op and dtype', () => {
    fc.assert(
      fc.property(caseArb, ({ op, d, m, n, layout, values }) => {
        const { arr, axis } = build(values, m, n, d, layout);
        const res = ufunc(op).reduce(arr, { axis, dtype: d });
        const flat = res.reshape([n]);
        const data = flat.data as unknown as ArrayLike<number | bigint>;
        const want = reference(op, values, m, n, d);
        for (let j = 0; j < n; j++) {
          const got = fromRaw(data[flat.offset + j * flat.strides[0]!]!, d);
          if (!sameVal(got, want[j]!)) {
            throw new Error(`${op} ${d} ${layout} ${m}x${n} column ${j}: got ${show(got)}, want ${show(want[j]!)}`);
          }
        }
        arr.dispose();
        res.dispose();
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  // The property above has a NaN in nearly every column chunk; this one keeps them rare, so
  // that maximum and minimum's tiles also run on chunks without NaN: signed zeros (which of
  // two equal values is kept shows in the sign), infinities, or one NaN at a random place.
  it('maximum and minimum: the row walk bits in chunks with and without a NaN', () => {
    const fd = (d: DT) => (x: number) => (d === 'float32' ? Math.fround(x) : x);
    const arb = fc.record({
      op: fc.constantFrom('maximum' as const, 'minimum' as const),
      d: fc.constantFrom('float32' as DT, 'float64' as DT),
      m: fc.constantFrom(2, 16, 17, 40),
      n: fc.constantFrom(16, 33, 64),
      layout: fc.constantFrom(...LAYOUTS),
      inf: fc.constantFrom(Infinity, -Infinity),
      nan: fc.option(fc.nat(), { nil: undefined }),
    }).chain((c) => fc.array(
      fc.oneof(fc.constantFrom(0, -0, 1, -1, c.inf), fc.double({ min: -1e30, max: 1e30, noNaN: true }).map(fd(c.d))),
      { minLength: c.m * c.n, maxLength: c.m * c.n },
    ).map((values) => ({ ...c, values: c.nan === undefined ? values : values.map((v, i) => (i === c.nan! % values.length ? NaN : v)) })));
    fc.assert(
      fc.property(arb, ({ op, d, m, n, layout, values }) => {
        const { arr, axis } = build(values, m, n, d, layout);
        const res = ufunc(op).reduce(arr, { axis });
        const flat = res.reshape([n]);
        const data = flat.data as unknown as ArrayLike<number>;
        const want = reference(op, values, m, n, d);
        for (let j = 0; j < n; j++) {
          const got = data[flat.offset + j * flat.strides[0]!]!;
          if (!sameVal(got, want[j]!)) throw new Error(`${op} ${d} ${layout} ${m}x${n} column ${j}: got ${show(got)}, want ${show(want[j]!)}`);
        }
        arr.dispose();
        res.dispose();
      }),
      { seed: 161, numRuns: 200 },
    );
  });

  it('propagates NaN through maximum and minimum in every column chunk', () => {
    const m = 20;
    const n = 37;
    const a = nb.zeros([m, n]);
    for (let j = 0; j < n; j++) a.set(j % m, j, NaN);
    for (const op of ['maximum', 'minimum'] as const) {
      const r = ufunc(op).reduce(a, { axis: 0 });
      expect(Array.from(r.data as Float64Array).slice(r.offset, r.offset + n).every(Number.isNaN)).toBe(true);
    }
  });
});
