/**
 * Property tests: `ufunc.reduce` (random shapes, dtypes, axis tuples, keepdims, initial)
 * and `ufunc.accumulate` (random axis) on random views, against the plain-JS reference.
 * Float sums use dyadic values (exact in any order) and products mostly ±1, so that the
 * reference's sequential order and numbats' pairwise/SIMD order agree within 1e-12.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import {
  type DT, type Val, binary, buildView, castVal, closeVal, dtypeArb, indices, kindOf, readAt, sameVal, shapeArb, show,
  valueArb, viewRecipeArb,
} from '../helpers/reference.js';

const RUNS = Math.round(500 * Number(process.env.PROP_SCALE ?? 1));
// PROP_SEED / PROP_SCALE (env) explore other seeds / more runs; the defaults are the fixed CI values.
const SEED = Number(process.env.PROP_SEED ?? 42);
const SCALE = Number(process.env.PROP_SCALE ?? 1);
let properties = 0;
let checked = 0;

afterAll(() => {
  console.log(`reduce: properties: ${properties}, runs: ${RUNS} each (large cast-block reductions: 12); output elements checked: ${checked}`);
});

type RedOp = 'add' | 'multiply' | 'maximum' | 'minimum' | 'logicalOr';
const OPS: RedOp[] = ['add', 'multiply', 'maximum', 'minimum', 'logicalOr'];
const IDENTITY: Record<RedOp, Val | undefined> = { add: 0, multiply: 1, maximum: undefined, minimum: undefined, logicalOr: false };
type Method = { reduce(a: unknown, o?: object): nb.NDArray; accumulate(a: unknown, o?: object): nb.NDArray };
const ufunc = (op: RedOp) => (nb as unknown as Record<string, Method>)[op]!;

/** NumPy's accumulator dtype: add/multiply take bool and small ints to int64/uint64; logical ops are bool. */
function accDtype(op: RedOp, d: DT): DT {
  if (op === 'logicalOr') return 'bool';
  if (op === 'add' || op === 'multiply') {
    if (d === 'bool') return 'int64';
    const k = kindOf(d);
    if (k !== 'f' && nb.DTYPES[d].itemSize < 8) return k === 'u' ? 'uint64' : 'int64';
  }
  return d;
}

/** Element values per (op, dtype): float sums and products that do not depend on the order. */
function elemArb(op: RedOp, d: DT): fc.Arbitrary<Val> {
  if (kindOf(d) !== 'f') return valueArb(d);
  const r = (x: number) => (d === 'float32' ? Math.fround(x) : x);
  if (op === 'add') {
    return fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: -1000, max: 1000 }).map((k) => k / 8) },
      { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0) },
    );
  }
  if (op === 'multiply') {
    return fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(1, -1) },
      { weight: 2, arbitrary: fc.constantFrom(2, 0.5, -0.5, 3, 1.25) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity) },
    );
  }
  return valueArb(d).map((v) => r(v as number));
}

/** A JS initial value that is a value of the accumulator dtype. */
function initialArb(op: RedOp, acc: DT): fc.Arbitrary<number | bigint | boolean> {
  if (acc === 'bool') return fc.boolean();
  if (kindOf(acc) === 'f') return op === 'add' ? fc.integer({ min: -50, max: 50 }).map((k) => k / 4) : fc.constantFrom(1, -1, 2, 0.5, NaN, -Infinity, 100);
  const lo = BigInt(nb.DTYPES[acc].min);
  return fc.oneof(fc.integer({ min: lo < -5n ? -5 : 0, max: 5 }), fc.constantFrom(BigInt(nb.DTYPES[acc].max), lo));
}

/** Axis option: undefined (0), null (all), an int (maybe negative), or a tuple (maybe unsorted, negative). */
function axisArb(ndim: number): fc.Arbitrary<number | number[] | null | undefined> {
  if (ndim === 0) return fc.constantFrom(undefined, null, 0, -1, [] as number[]);
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.integer({ min: -ndim, max: ndim - 1 }),
    fc.shuffledSubarray([...Array(ndim).keys()]).chain((axes) =>
      fc.array(fc.boolean(), { minLength: axes.length, maxLength: axes.length }).map((neg) => axes.map((a, i) => (neg[i] ? a - ndim : a)))),
  );
}

function normAxes(axis: number | number[] | null | undefined, ndim: number): number[] {
  if (axis === undefined) return ndim === 0 ? [] : [0];
  if (axis === null) return [...Array(ndim).keys()];
  if (typeof axis === 'number') return ndim === 0 ? [] : [axis < 0 ? axis + ndim : axis];
  return axis.map((a) => (a < 0 ? a + ndim : a)).sort((a, b) => a - b);
}

const arrayArb = (op: RedOp) =>
  fc.record({ shape: shapeArb(), d: dtypeArb }).chain(({ shape, d }) =>
    fc.record({
      shape: fc.constant(shape), d: fc.constant(d), recipe: viewRecipeArb(shape),
      values: fc.array(elemArb(op, d), { minLength: 1, maxLength: 40 }),
    }));

describe('reduce and accumulate match the reference', () => {
  properties++;
  it('reduce: random shapes, dtypes, axis tuples, keepdims and initial', () => {
    const arb = fc.constantFrom(...OPS).chain((op) =>
      arrayArb(op).chain((a) =>
        fc.record({
          op: fc.constant(op), a: fc.constant(a), axis: axisArb(a.shape.length), keepdims: fc.boolean(),
          initial: fc.option(initialArb(op, accDtype(op, a.d)), { nil: undefined, freq: 3 }),
        })));
    fc.assert(
      fc.property(arb, ({ op, a, axis, keepdims, initial }) => {
        const x = buildView(a.recipe, a.d, a.values);
        const axes = normAxes(axis, x.ndim);
        const acc = accDtype(op, a.d);
        const opts: Record<string, unknown> = { keepdims };
        if (axis !== undefined) opts.axis = axis;
        if (initial !== undefined) opts.initial = initial;
        const start: Val | undefined = initial !== undefined ? castVal(typeof initial === 'number' && kindOf(acc) !== 'f' && kindOf(acc) !== 'b' ? BigInt(initial) : initial, acc) : IDENTITY[op] === undefined ? undefined : castVal(IDENTITY[op]!, acc);
        const redSize = axes.reduce((p, ax) => p * x.shape[ax]!, 1);
        const what = `${op}.reduce(${a.d}${JSON.stringify(x.shape)}, axis=${JSON.stringify(axis)}, keepdims=${keepdims}, initial=${String(initial)})`;
        if (start === undefined && redSize === 0) {
          expect(() => ufunc(op).reduce(x, opts), what).toThrow(nb.ValueError);
          return;
        }
        const r = ufunc(op).reduce(x, opts);
        const keptShape = x.shape.map((n, i) => (axes.includes(i) ? 1 : n));
        const finalShape = keepdims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
        expect(r.shape, what).toEqual(finalShape);
        expect(r.dtype, what).toBe(acc);
        const redShape = axes.map((ax) => x.shape[ax]!);
        for (const outIdx of indices(keptShape)) {
          checked++;
          let v: Val | undefined = start;
          for (const ridx of indices(redShape)) {
            const full = [...outIdx];
            axes.forEach((ax, j) => (full[ax] = ridx[j]!));
            const e = castVal(readAt(x, full), acc);
            v = v === undefined ? e : binary(op, v, e, acc);
          }
          const rIdx = keepdims ? outIdx : outIdx.filter((_, i) => !axes.includes(i));
          const got = readAt(r, rIdx);
          if (!closeVal(got, v!, 1e-12)) throw new Error(`${what} at [${rIdx}]: got ${show(got)}, want ${show(v!)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  properties++;
  it('accumulate along a random axis', () => {
    const arb = fc.constantFrom(...OPS).chain((op) =>
      arrayArb(op).filter((a) => a.shape.length > 0).chain((a) =>
        fc.record({ op: fc.constant(op), a: fc.constant(a), axis: fc.integer({ min: -a.shape.length, max: a.shape.length - 1 }) })));
    fc.assert(
      fc.property(arb, ({ op, a, axis }) => {
        const x = buildView(a.recipe, a.d, a.values);
        const acc = accDtype(op, a.d);
        const ax = axis < 0 ? axis + x.ndim : axis;
        const what = `${op}.accumulate(${a.d}${JSON.stringify(x.shape)}, axis=${axis})`;
        const r = ufunc(op).accumulate(x, { axis });
        expect(r.shape, what).toEqual(x.shape);
        expect(r.dtype, what).toBe(acc);
        for (const idx of indices(x.shape)) {
          checked++;
          let v: Val | undefined;
          for (let k = 0; k <= idx[ax]!; k++) {
            const j = [...idx];
            j[ax] = k;
            const e = castVal(readAt(x, j), acc);
            v = v === undefined ? e : binary(op, v, e, acc);
          }
          const got = readAt(r, idx);
          if (!sameVal(got, v!)) throw new Error(`${what} at [${idx}]: got ${show(got)}, want ${show(v!)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
  properties++;
  it('reduce with where= (broadcast mask) and out= (a strided view)', () => {
    const arb = fc.constantFrom(...OPS).chain((op) =>
      arrayArb(op).chain((a) =>
        fc.record({
          op: fc.constant(op), a: fc.constant(a), axis: axisArb(a.shape.length), keepdims: fc.boolean(),
          initial: initialArb(op, accDtype(op, a.d)), mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
          maskDrop: fc.integer({ min: 0, max: a.shape.length }), useOut: fc.boolean(), outStep: fc.constantFrom(1, -1, 2),
        })));
    fc.assert(
      fc.property(arb, ({ op, a, axis, keepdims, initial, mask, maskDrop, useOut, outStep }) => {
        const x = buildView(a.recipe, a.d, a.values);
        const axes = normAxes(axis, x.ndim);
        const acc = accDtype(op, a.d);
        // a mask broadcasting against x: a suffix of its shape
        const mshape = x.shape.slice(maskDrop);
        const w = buildView({ shape: mshape, kind: mshape.map(() => 'real'), step: mshape.map(() => 1), extra: mshape.map(() => 0), perm: mshape.map((_, i) => i), jsStorage: false }, 'bool', mask);
        const keptShape = x.shape.map((n, i) => (axes.includes(i) ? 1 : n));
        const finalShape = keepdims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
        const opts: Record<string, unknown> = { keepdims, initial, where: w };
        if (axis !== undefined) opts.axis = axis;
        let out: nb.NDArray | undefined;
        if (useOut) {
          // a view of a bigger array: every other element along the last axis, maybe reversed
          const big = nb.zeros(finalShape.map((n, i) => (i === finalShape.length - 1 ? n * Math.abs(outStep) : n)), acc);
          out = finalShape.length === 0 ? big : big.slice(...finalShape.map((_, i) => (i === finalShape.length - 1 ? `::${outStep}` : ':')));
          opts.out = out;
        }
        const what = `${op}.reduce(${a.d}${JSON.stringify(x.shape)}, axis=${JSON.stringify(axis)}, keepdims=${keepdims}, initial=${String(initial)}, where=${JSON.stringify(mshape)}, out=${useOut ? outStep : '-'})`;
        const r = ufunc(op).reduce(x, opts);
        if (out !== undefined) expect(r).toBe(out);
        expect(r.shape, what).toEqual(finalShape);
        expect(r.dtype, what).toBe(acc);
        const start = castVal(typeof initial === 'number' && kindOf(acc) !== 'f' && kindOf(acc) !== 'b' ? BigInt(initial) : initial, acc);
        const redShape = axes.map((ax) => x.shape[ax]!);
        for (const outIdx of indices(keptShape)) {
          checked++;
          let v: Val = start;
          for (const ridx of indices(redShape)) {
            const full = [...outIdx];
            axes.forEach((ax, j) => (full[ax] = ridx[j]!));
            if (!(readAt(w, full.slice(maskDrop)) as boolean)) continue;
            v = binary(op, v, castVal(readAt(x, full), acc), acc);
          }
          const rIdx = keepdims ? outIdx : outIdx.filter((_, i) => !axes.includes(i));
          const got = readAt(r, rIdx);
          if (!closeVal(got, v, 1e-12)) throw new Error(`${what} at [${rIdx}]: got ${show(got)}, want ${show(v)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  properties++;
  it('large reductions that cast block by block (bool/small ints to int64, float32 with dtype=float64)', () => {
    const BIG_RUNS = Math.round(12 * SCALE);
    const arb = fc.record({
      op: fc.constantFrom<RedOp>('add', 'multiply', 'maximum'), d: fc.constantFrom<DT>('bool', 'int8', 'uint8', 'int16', 'uint32', 'float32'),
      rows: fc.integer({ min: 1, max: 9 }), cols: fc.integer({ min: 4000, max: 9000 }), step: fc.constantFrom(1, -1, 2),
      axis: fc.constantFrom<number | null>(0, 1, -1, null), transpose: fc.boolean(), seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ op, d, rows, cols, step, axis, transpose, seed }) => {
        const n = rows * cols * Math.abs(step);
        const base = nb.empty([n], d);
        const data = base.data as unknown as { [i: number]: number | bigint };
        let st = seed >>> 0;
        const rnd = () => ((st = (Math.imul(st, 1103515245) + 12345) >>> 0) >>> 8);
        const isBig = nb.DTYPES[d].isBigInt;
        for (let i = 0; i < n; i++) {
          const k = rnd();
          const v = d === 'bool' ? k & 1 : d === 'float32' ? ((k % 2001) - 1000) / 8 : op === 'multiply' ? (k % 3) - (d.startsWith('u') ? 0 : 1) : k % 200;
          data[i] = isBig ? BigInt(v) : v;
        }
        let x = base.slice(`::${step}`).reshape([rows, cols]);
        if (transpose) x = x.T;
        const floatSum = d === 'float32' && op === 'add';
        const opts: Record<string, unknown> = { axis };
        if (floatSum) opts.dtype = 'float64';
        const acc = floatSum ? 'float64' : accDtype(op, d);
        const r = ufunc(op).reduce(x, opts);
        expect(r.dtype).toBe(acc);
        const axes = normAxes(axis, 2);
        const keptShape = x.shape.map((m, i) => (axes.includes(i) ? 1 : m));
        const redShape = axes.map((ax) => x.shape[ax]!);
        for (const outIdx of indices(keptShape)) {
          checked++;
          let v: Val | undefined = IDENTITY[op] === undefined ? undefined : castVal(IDENTITY[op]!, acc);
          for (const ridx of indices(redShape)) {
            const full = [...outIdx];
            axes.forEach((ax, j) => (full[ax] = ridx[j]!));
            const e = castVal(readAt(x, full), acc);
            v = v === undefined ? e : binary(op, v, e, acc);
          }
          const rIdx = outIdx.filter((_, i) => !axes.includes(i));
          const got = readAt(r, rIdx);
          if (!closeVal(got, v!, 1e-12)) throw new Error(`${op}.reduce(${d}[${x.shape}] step ${step}, axis=${axis}) at [${rIdx}]: got ${show(got)}, want ${show(v!)}`);
        }
      }),
      { seed: SEED, numRuns: BIG_RUNS },
    );
  });

  properties++;
  it('accumulate into out= that is the input itself, or a reversed view of a fresh array', () => {
    const arb = fc.constantFrom(...OPS).chain((op) =>
      arrayArb(op).filter((a) => a.shape.length > 0).chain((a) =>
        fc.record({ op: fc.constant(op), a: fc.constant(a), axis: fc.integer({ min: -a.shape.length, max: a.shape.length - 1 }), inPlace: fc.boolean() })));
    fc.assert(
      fc.property(arb, ({ op, a, axis, inPlace }) => {
        const acc = accDtype(op, a.d);
        const recipe = { ...a.recipe, kind: a.recipe.kind.map((k, i) => (k !== 'bcast' ? k : a.shape[i] === 1 ? 'newaxis' : 'real')) as typeof a.recipe.kind, jsStorage: false };
        const x = buildView(recipe, a.d, a.values);
        const ax = axis < 0 ? axis + x.ndim : axis;
        const before = new Map<string, Val>();
        for (const idx of indices(x.shape)) before.set(idx.join(','), readAt(x, idx));
        let out: nb.NDArray;
        if (inPlace) out = x;
        else out = nb.zeros(x.shape, acc).slice(...x.shape.map((_, i) => (i === ax ? '::-1' : ':')));
        const what = `${op}.accumulate(${a.d}${JSON.stringify(x.shape)}, axis=${axis}, out=${inPlace ? 'input' : 'reversed'})`;
        // NumPy accumulates in out's dtype when out is given (int8 in place wraps as int8)
        const r = ufunc(op).accumulate(x, { axis, out });
        expect(r, what).toBe(out);
        for (const idx of indices(x.shape)) {
          checked++;
          let v: Val | undefined;
          for (let k = 0; k <= idx[ax]!; k++) {
            const j = [...idx];
            j[ax] = k;
            const e = castVal(before.get(j.join(','))!, acc);
            v = v === undefined ? e : binary(op, v, e, acc);
          }
          const want = castVal(v!, out.dtype);
          const got = readAt(r, idx);
          if (!sameVal(got, want)) throw new Error(`${what} at [${idx}]: got ${show(got)}, want ${show(want)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
  properties++;
  it('reduce and accumulate with dtype= (the accumulator dtype; inputs cast unsafely, floats to ints skipped)', () => {
    const arb = fc.constantFrom<RedOp>('add', 'multiply', 'maximum', 'minimum').chain((op) =>
      arrayArb(op).chain((a) =>
        fc.record({ op: fc.constant(op), a: fc.constant(a), dt: dtypeArb, axis: axisArb(a.shape.length), acc: fc.boolean() })));
    fc.assert(
      fc.property(arb, ({ op, a, dt, axis, acc: doAcc }) => {
        if (kindOf(a.d) === 'f' && kindOf(dt) !== 'f') return; // float -> int casts of NaN/inf are not defined
        const x = buildView(a.recipe, a.d, a.values);
        const ident = IDENTITY[op] === undefined ? undefined : castVal(IDENTITY[op]!, dt);
        if (doAcc) {
          if (x.ndim === 0) return;
          const ax = typeof axis === 'number' ? axis : 0;
          const r = ufunc(op).accumulate(x, { axis: ax, dtype: dt });
          expect(r.dtype).toBe(dt);
          const k0 = ax < 0 ? ax + x.ndim : ax;
          for (const idx of indices(x.shape)) {
            checked++;
            let v: Val | undefined;
            for (let k = 0; k <= idx[k0]!; k++) {
              const j = [...idx];
              j[k0] = k;
              const e = castVal(readAt(x, j), dt);
              v = v === undefined ? e : binary(op, v, e, dt);
            }
            const got = readAt(r, idx);
            if (!sameVal(got, v!)) throw new Error(`${op}.accumulate(${a.d}${JSON.stringify(x.shape)}, axis=${ax}, dtype=${dt}) at [${idx}]: got ${show(got)}, want ${show(v!)}`);
          }
          return;
        }
        const axes = normAxes(axis, x.ndim);
        const redSize = axes.reduce((p, q) => p * x.shape[q]!, 1);
        const opts: Record<string, unknown> = { dtype: dt };
        if (axis !== undefined) opts.axis = axis;
        if (ident === undefined && redSize === 0) return;
        const r = ufunc(op).reduce(x, opts);
        expect(r.dtype).toBe(dt);
        const keptShape = x.shape.map((n, i) => (axes.includes(i) ? 1 : n));
        const redShape = axes.map((q) => x.shape[q]!);
        for (const outIdx of indices(keptShape)) {
          checked++;
          let v: Val | undefined = ident;
          let absSum = 0;
          for (const ridx of indices(redShape)) {
            const full = [...outIdx];
            axes.forEach((q, j) => (full[q] = ridx[j]!));
            const e = castVal(readAt(x, full), dt);
            if (typeof e === 'number') absSum += Math.abs(e);
            v = v === undefined ? e : binary(op, v, e, dt);
          }
          const rIdx = outIdx.filter((_, i) => !axes.includes(i));
          const got = readAt(r, rIdx);
          // Float sums of values that do not add exactly (large ints in float32/float64) depend
          // on the order (numbats and NumPy sum pairwise): allow n * eps * sum(|x|).
          const eps = dt === 'float32' ? 2 ** -23 : 2 ** -52;
          const slack = op === 'add' && typeof got === 'number' && typeof v === 'number' && Number.isFinite(got) && Number.isFinite(v)
            ? Math.abs(got - v) <= (redSize + 1) * eps * absSum
            : false;
          // products (and casts of large ints) round at every step, in an order that differs
          const tol = Math.max(1e-12, 4 * (redSize + 1) * eps);
          if (!slack && !closeVal(got, v!, tol)) throw new Error(`${op}.reduce(${a.d}${JSON.stringify(x.shape)}, axis=${JSON.stringify(axis)}, dtype=${dt}) at [${rIdx}]: got ${show(got)}, want ${show(v!)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
