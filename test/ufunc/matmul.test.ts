import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { matmul, vecdot } from '../../src/builtins/gufuncs.js';
import type { GufuncOptions } from '../../src/ufunc/gufunc.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';

type DType = nb.DType;
type Value = number | bigint | boolean;

interface FxArray { dtype: DType; shape: number[]; values: unknown[] }
type FxArg = FxArray | { int: string } | { float: string } | { bool: boolean };
interface FxError { error: string; message: string }
interface MethodCase {
  note: string; ufunc: string; method: string; args: FxArg[]; kwargs: Record<string, unknown>; result: FxArray | FxError;
}
interface ValuesRow {
  ufunc: string; types: string; shapes?: { inputs: number[][]; outputs: number[][] }; inputs: unknown[][]; outputs: unknown[][];
}
interface ResolutionRow {
  ufunc: string; args: ({ array: DType } | { int: string } | { float: string } | { bool: boolean })[];
  kwargs?: Record<string, string>; result: { dtypes: DType[]; values: unknown[] } | FxError;
}
interface MetaRow { numpy: string; name: string; nin: number; nout: number; nargs: number; identity: null; signature: string; types: string[]; ntypes: number }

const gufuncs: Record<string, typeof matmul> = { matmul, vecdot };
const INTS: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const ALL: DType[] = ['bool', ...INTS, 'float32', 'float64'];

/** An array holding exactly the fixture's values (written through the TypedArray). */
function fromValues(values: readonly unknown[], shape: readonly number[], dtype: DType): nb.NDArray {
  const a = nb.empty(shape, dtype);
  const data = a.data as unknown as Value[];
  values.forEach((v, i) => {
    const x = decodeScalar(v, dtype);
    data[i] = typeof x === 'boolean' ? Number(x) : x;
  });
  return a;
}

function decodeArg(arg: FxArg): nb.NDArray | number | bigint | boolean {
  if ('dtype' in arg) return fromValues(arg.values, arg.shape, arg.dtype);
  if ('bool' in arg) return arg.bool;
  if ('int' in arg) {
    const big = BigInt(arg.int);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  return Number(arg.float); // 'nan', 'inf' parse as NaN, Infinity
}

function flat(a: nb.NDArray): Value[] {
  const out: Value[] = [];
  const walk = (x: unknown) => (Array.isArray(x) ? x.forEach(walk) : out.push(x as Value));
  walk(a.toArray());
  return out;
}

/** NumPy's exception class -> the numbats error class that replaces it. */
const ERROR_CLASS: Record<string, new (...args: never[]) => Error> = {
  ValueError: nb.ShapeError, // core-dim mismatch, too few dims, batch dims that do not broadcast
  OverflowError: nb.DTypeError, // a weak int that does not fit the loop dtype
  UFuncTypeError: nb.CastingError,
  TypeError: nb.NumbatsError, // method not allowed on a gufunc
};

function expectFxError(f: () => unknown, err: FxError): void {
  let got: unknown;
  try {
    f();
  } catch (e) {
    got = e;
  }
  expect(got, `expected ${err.error}: ${err.message}`).toBeInstanceOf(ERROR_CLASS[err.error]!);
  const msg = (got as Error).message;
  if (/mismatch in its core dimension|does not have enough dimensions/.test(err.message)) {
    // NumPy's wording, with the dim's name added after "core dimension N".
    expect(msg.replace(/ \('[^']*'\)/, '')).toBe(err.message);
  } else if (err.error === 'OverflowError') {
    expect(msg).toMatch(/out of bounds|does not fit|int8|uint8|int16|uint16/);
  } else if (err.error === 'TypeError') {
    expect(msg).toContain(err.message);
  }
}

describe('attributes equal NumPy 2.4.6 (ufunc-meta.json)', () => {
  const meta = loadFixture<{ ufuncs: MetaRow[] }>('ufunc-meta').ufuncs.filter((r) => r.numpy in gufuncs);
  it('has both rows', () => expect(meta.map((r) => r.numpy).sort()).toEqual(['matmul', 'vecdot']));
  for (const row of meta) {
    it(row.numpy, () => {
      const g = gufuncs[row.numpy]!;
      expect(g.name).toBe(row.numpy);
      expect([g.nin, g.nout, g.nargs, g.ntypes]).toEqual([row.nin, row.nout, row.nargs, row.ntypes]);
      expect(g.types).toEqual(row.types);
      expect(g.identity).toBe(row.identity);
      expect(g.signature).toBe(row.signature);
    });
  }
});

describe('NumPy cases (ufunc-methods.json)', () => {
  const cases = loadFixture<{ cases: MethodCase[] }>('ufunc-methods').cases.filter((c) => c.ufunc in gufuncs);
  it('has the matmul and vecdot cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  for (const c of cases) {
    it(`${c.ufunc}: ${c.note}`, () => {
      const g = gufuncs[c.ufunc]! as unknown as Record<string, (...a: unknown[]) => nb.NDArray>;
      const args = c.args.map(decodeArg);
      const run = () => (c.method === '__call__'
        ? (g as unknown as (...a: unknown[]) => nb.NDArray)(...args, c.kwargs)
        : g[c.method]!(...args));
      if ('error' in c.result) {
        expectFxError(run, c.result);
        return;
      }
      const want = c.result;
      const r = run();
      expect(r.dtype).toBe(want.dtype);
      expect(r.shape).toEqual(want.shape);
      expect(flat(r)).toEqual(want.values.map((v) => decodeScalar(v, want.dtype)));
    });
  }
});

describe('every loop on NumPy values (ufunc-values.json)', () => {
  const rows = loadFixture<{ loops: ValuesRow[] }>('ufunc-values').loops.filter((r) => r.ufunc in gufuncs);
  it('covers all 22 loops', () => expect(rows.length).toBe(22));
  for (const row of rows) {
    it(`${row.ufunc} ${row.types}`, () => {
      const [insT, outsT] = row.types.split('->') as [string, string];
      const inD = insT.split(',') as DType[];
      const outD = outsT.split(',') as DType[];
      const ins = row.inputs.map((col, k) => fromValues(col, row.shapes!.inputs[k]!, inD[k]!));
      const expected = row.outputs[0]!.map((v) => decodeScalar(v, outD[0]!));
      for (const opts of [{}, { signature: row.types }]) {
        const r = gufuncs[row.ufunc]!(ins[0]!, ins[1]!, opts);
        expect(r.dtype).toBe(outD[0]);
        expect(r.shape).toEqual(row.shapes!.outputs[0]);
        expect(flat(r)).toEqual(expected);
      }
      // Transposed copies of the inputs, read back through transposed views: same results.
      const tv = ins.map((a) => a.T.copy().T);
      expect(flat(gufuncs[row.ufunc]!(tv[0]!, tv[1]!))).toEqual(expected);
    });
  }
});

describe('type resolution and options (ufunc-resolution.json)', () => {
  const fx = loadFixture<{ dtypes: ResolutionRow[]; weak: ResolutionRow[]; options: ResolutionRow[] }>('ufunc-resolution');
  const shapeOf = (name: string) => (name === 'matmul' ? [2, 2] : [3]);
  const outShapeOf = (name: string) => (name === 'matmul' ? [2, 2] : []);
  const run = (row: ResolutionRow) => {
    const args = row.args.map((a) => ('array' in a ? nb.ones(shapeOf(row.ufunc), a.array) : decodeArg(a)));
    const kw: Record<string, unknown> = { ...row.kwargs };
    if (typeof kw.out === 'string') kw.out = nb.zeros(outShapeOf(row.ufunc), kw.out as DType);
    return gufuncs[row.ufunc]!(...(args as nb.UfuncInput[]), kw as GufuncOptions);
  };
  for (const group of ['dtypes', 'weak', 'options'] as const) {
    const rows = fx[group].filter((r) => r.ufunc in gufuncs);
    it(`${group}: ${rows.length} rows`, () => {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const label = `${row.ufunc}(${JSON.stringify(row.args)}, ${JSON.stringify(row.kwargs ?? {})})`;
        if ('error' in row.result) {
          expectFxError(() => run(row), row.result);
          continue;
        }
        const r = run(row);
        expect(r.dtype, label).toBe(row.result.dtypes[0]);
        expect(flat(r)[0], label).toEqual(decodeScalar(row.result.values[0], r.dtype));
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Plain-JS references.

function toNumbers(a: nb.NDArray): number[] {
  return flat(a).map((v) => Number(v));
}

/** Reference matmul on 2-D arrays (or stacks through `batch`) with exact BigInt math for integers. */
function refMatmul2d(a: nb.NDArray, b: nb.NDArray, dtype: DType): Value[][] {
  const [n, k] = a.shape as [number, number];
  const m = b.shape[1]!;
  const out: Value[][] = [];
  for (let i = 0; i < n; i++) {
    const row: Value[] = [];
    for (let j = 0; j < m; j++) row.push(refDot(
      Array.from({ length: k }, (_, q) => a.get(i, q) as Value),
      Array.from({ length: k }, (_, q) => b.get(q, j) as Value),
      dtype,
    ));
    out.push(row);
  }
  return out;
}

function refDot(x: readonly Value[], y: readonly Value[], dtype: DType): Value {
  if (dtype === 'bool') return x.some((v, i) => Boolean(v) && Boolean(y[i]));
  if (dtype === 'float64' || dtype === 'float32') {
    let s = 0;
    x.forEach((v, i) => (s += Number(v) * Number(y[i])));
    return dtype === 'float32' ? Math.fround(s) : s;
  }
  let s = 0n;
  x.forEach((v, i) => (s += BigInt(v as number | bigint) * BigInt(y[i] as number | bigint)));
  const bits = nb.DTYPES[dtype].itemSize * 8;
  const wrapped = dtype.startsWith('u') ? BigInt.asUintN(bits, s) : BigInt.asIntN(bits, s);
  return bits === 64 ? wrapped : Number(wrapped);
}

/** Deterministic pseudo-random values that fit every dtype, with wrap-around provoking extremes for ints. */
function filled(shape: number[], dtype: DType, seed: number): nb.NDArray {
  const a = nb.empty(shape, dtype);
  const data = a.data as unknown as Value[];
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < data.length; i++) {
    const r = next();
    if (dtype === 'bool') data[i] = r < 0.3 ? 1 : 0;
    else if (dtype === 'float64' || dtype === 'float32') data[i] = Math.round((r - 0.5) * 64) / 8;
    else {
      const info = nb.DTYPES[dtype];
      const lo = Number(info.min);
      const span = Math.min(Number(info.max) - lo, 2 ** 40);
      const v = i % 7 === 0 ? lo + Math.floor(r * span) : Math.floor((r - (lo < 0 ? 0.5 : 0)) * 200);
      data[i] = nb.DTYPES[dtype].itemSize === 8 ? BigInt(v) : v;
    }
  }
  return a;
}

function expectClose(got: nb.NDArray, want: readonly number[], rel: number): void {
  const g = toNumbers(got);
  expect(g.length).toBe(want.length);
  let worst = 0;
  let scale = 1;
  want.forEach((w) => (scale = Math.max(scale, Math.abs(w))));
  g.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - want[i]!))));
  expect(worst / scale).toBeLessThanOrEqual(rel);
}

describe('matmul: shapes, broadcasting and 1-D operands', () => {
  const a = filled([3, 4], 'float64', 1);
  const b = filled([4, 2], 'float64', 2);
  const v4 = filled([4], 'float64', 3);
  const v3 = filled([3], 'float64', 4);

  it('1-D second operand: (3,4)@(4,) -> (3,)', () => {
    const r = matmul(a, v4);
    expect(r.shape).toEqual([3]);
    expect(toNumbers(r)).toEqual(refMatmul2d(a, v4.reshape([4, 1]), 'float64').flat());
  });
  it('1-D first operand: (3,)@(3,4) -> (4,)', () => {
    const r = matmul(v3, a);
    expect(r.shape).toEqual([4]);
    expect(toNumbers(r)).toEqual(refMatmul2d(v3.reshape([1, 3]), a, 'float64').flat());
  });
  it('1-D @ 1-D -> 0-d', () => {
    const r = matmul(v4, v4);
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(refDot(toNumbers(v4), toNumbers(v4), 'float64'));
  });
  it('1-D with a stack: (4,)@(5,4,2) -> (5,2) and (5,3,4)@(4,) -> (5,3)', () => {
    const st = filled([5, 4, 2], 'float64', 5);
    const r = matmul(v4, st);
    expect(r.shape).toEqual([5, 2]);
    for (let s = 0; s < 5; s++) {
      expect(toNumbers(r.slice(s))).toEqual(refMatmul2d(v4.reshape([1, 4]), st.slice(s), 'float64').flat());
    }
    const st2 = filled([5, 3, 4], 'float64', 6);
    expect(matmul(st2, v4).shape).toEqual([5, 3]);
  });
  it('broadcast batch dims: (2,1,3,4)@(5,4,2) -> (2,5,3,2)', () => {
    const x = filled([2, 1, 3, 4], 'int32', 7);
    const y = filled([5, 4, 2], 'int32', 8);
    const r = matmul(x, y);
    expect(r.shape).toEqual([2, 5, 3, 2]);
    for (let p = 0; p < 2; p++) {
      for (let q = 0; q < 5; q++) {
        expect(flat(r.slice(p, q))).toEqual(refMatmul2d(x.slice(p, 0), y.slice(q), 'int32').flat());
      }
    }
  });
  it('a batch dim of 0 and empty core dims', () => {
    expect(matmul(nb.ones([0, 2, 3]), nb.ones([3, 4])).shape).toEqual([0, 2, 4]);
    expect(flat(matmul(nb.ones([2, 0]), nb.ones([0, 3])))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(flat(matmul(nb.ones([3, 0], 'int64'), nb.ones([0, 2], 'int64')))).toEqual([0n, 0n, 0n, 0n, 0n, 0n]);
    expect(matmul(nb.ones([2, 3]), nb.ones([3, 0])).shape).toEqual([2, 0]);
    expect(flat(vecdot(nb.ones([2, 0]), nb.ones([0])))).toEqual([0, 0]);
  });
});

describe('every dtype, on random values, against a plain-JS reference', () => {
  for (const dtype of ALL) {
    it(`matmul ${dtype}: (7,5)@(5,6), (1,5)@(5,1), stacks`, () => {
      const a = filled([7, 5], dtype, 11);
      const b = filled([5, 6], dtype, 12);
      const r = matmul(a, b);
      expect(r.dtype).toBe(dtype);
      expect(flat(r)).toEqual(refMatmul2d(a, b, dtype).flat());
      const c = filled([1, 5], dtype, 13);
      const d = filled([5, 1], dtype, 14);
      expect(flat(matmul(c, d))).toEqual(refMatmul2d(c, d, dtype).flat());
      const s = filled([3, 4, 5], dtype, 15);
      const rs = matmul(s, b);
      for (let q = 0; q < 3; q++) expect(flat(rs.slice(q))).toEqual(refMatmul2d(s.slice(q), b, dtype).flat());
    });
    it(`vecdot ${dtype}: (6,9).(9,) and (4,1,33).(3,33)`, () => {
      const x = filled([6, 9], dtype, 21);
      const y = filled([9], dtype, 22);
      const r = vecdot(x, y);
      expect(r.dtype).toBe(dtype);
      expect(r.shape).toEqual([6]);
      expect(flat(r)).toEqual(Array.from({ length: 6 }, (_, i) => refDot(flat(x.slice(i)), flat(y), dtype)));
      const p = filled([4, 1, 33], dtype, 23);
      const q = filled([3, 33], dtype, 24);
      const r2 = vecdot(p, q);
      expect(r2.shape).toEqual([4, 3]);
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 3; j++) expect(r2.get(i, j)).toEqual(refDot(flat(p.slice(i, 0)), flat(q.slice(j)), dtype));
      }
    });
  }
});

describe('non-contiguous operands (transposed, sliced, negative strides) are read in place', () => {
  const spies: { mockRestore(): void }[] = [];
  afterEach(() => spies.splice(0).forEach((s) => s.mockRestore()));
  const noCopies = () => {
    const copy = vi.spyOn(nb.NDArray.prototype, 'copy');
    const astype = vi.spyOn(nb.NDArray.prototype, 'astype');
    spies.push(copy, astype);
    return () => {
      expect(copy).not.toHaveBeenCalled();
      expect(astype).not.toHaveBeenCalled();
    };
  };

  for (const dtype of ['float64', 'float32', 'int32', 'int64', 'bool'] as DType[]) {
    it(`matmul ${dtype}: A.T @ B, A @ B.T, A[::-1, ::2] @ B[:, ::-1], A.T[::-2] @ B`, () => {
      const A = filled([9, 12], dtype, 31);
      const B = filled([9, 12], dtype, 32);
      const C = filled([12, 7], dtype, 33);
      const views: [nb.NDArray, nb.NDArray][] = [
        [A.T, B], // (12,9)@(9,12)
        [A, B.T], // (9,12)@(12,9)
        [A.slice('::-1', '::2'), C.slice('::2', '::-1')], // (9,6)@(6,7)
        [A.T.slice('::-2'), A], // (6,9)@(9,12)
        [C.T.slice(':', '1:-1'), A.T.slice('2:12')], // (7,10)@(10,9)
      ];
      for (const [x, y] of views) {
        const check = noCopies();
        const r = matmul(x, y);
        check();
        spies.splice(0).forEach((s) => s.mockRestore());
        expect(flat(r)).toEqual(refMatmul2d(x, y, dtype).flat());
      }
    });
  }

  it('float64 large enough for the packed kernel: every layout, edges of every tile size', () => {
    for (const [n, k, m] of [[37, 45, 29], [9, 300, 530], [64, 1, 64], [4, 260, 4], [5, 7, 3]] as [number, number, number][]) {
      const A = filled([n, k], 'float64', n + k);
      const B = filled([k, m], 'float64', k + m);
      const want = refMatmul2d(A, B, 'float64').flat() as number[];
      const At = A.T.copy().T; // column-major A
      const Bt = B.T.copy().T;
      const Arev = A.slice('::-1', '::-1').copy().slice('::-1', '::-1'); // negative strides, same values
      for (const [x, y] of [[A, B], [At, B], [A, Bt], [At, Bt], [Arev, B]] as [nb.NDArray, nb.NDArray][]) {
        const check = noCopies();
        const r = matmul(x, y);
        check();
        spies.splice(0).forEach((s) => s.mockRestore());
        expect(r.shape).toEqual([n, m]);
        expectClose(r, want, 1e-14);
      }
      // A transposed output view.
      const out = nb.zeros([m, n]).T;
      matmul(A, B, { out });
      expectClose(out, want, 1e-14);
    }
  });

  it('float32 large enough for the packed kernel', () => {
    for (const [n, k, m] of [[33, 70, 41], [8, 513, 300]] as [number, number, number][]) {
      const A = filled([n, k], 'float32', n);
      const B = filled([k, m], 'float32', m);
      const want = refMatmul2d(A, B, 'float64').flat() as number[]; // values are exact in float32 products
      expectClose(matmul(A, B), want, 1e-6);
      expectClose(matmul(A.T.copy().T, B.T.copy().T), want, 1e-6);
    }
  });

  it('vecdot on transposed and strided rows', () => {
    for (const dtype of ['float64', 'float32', 'int16', 'uint64'] as DType[]) {
      const X = filled([40, 8], dtype, 41);
      const Y = filled([8, 40], dtype, 42);
      const check = noCopies();
      const r = vecdot(X, Y.T); // rows of Y.T have stride 40
      const r2 = vecdot(X.slice('::-3'), Y.T.slice('::-3'));
      const r3 = vecdot(X.T, Y, { axis: 0 }); // core dim first
      check();
      spies.splice(0).forEach((s) => s.mockRestore());
      const want = Array.from({ length: 40 }, (_, i) => refDot(flat(X.slice(i)), flat(Y.T.slice(i)), dtype));
      expect(flat(r)).toEqual(want);
      expect(flat(r2)).toEqual(want.filter((_, i) => (39 - i) % 3 === 0).reverse());
      expect(flat(r3)).toEqual(want);
    }
  });
});

describe('out=, casting, dtype=', () => {
  const a = filled([3, 4], 'float64', 51);
  const b = filled([4, 5], 'float64', 52);
  const want = refMatmul2d(a, b, 'float64').flat() as number[];

  it('out of the loop dtype is written in place and returned', () => {
    const out = nb.full([3, 5], 7, 'float64');
    expect(matmul(a, b, { out })).toBe(out);
    expect(toNumbers(out)).toEqual(want);
    const outList = nb.empty([3, 5]);
    expect(matmul(a, b, { out: [outList] })).toBe(outList);
  });
  it('out of another dtype: cast under casting', () => {
    const out = nb.zeros([3, 5], 'int32');
    expect(() => matmul(a, b, { out })).toThrowError(expect.objectContaining({ name: 'CastingError' }));
    matmul(a, b, { out, casting: 'unsafe' });
    expect(toNumbers(out)).toEqual(want.map((x) => Math.trunc(x)));
    const out32 = nb.zeros([3, 5], 'float32');
    matmul(a, b, { out: out32 }); // float64 -> float32 is same_kind
    expect(toNumbers(out32)).toEqual(want.map(Math.fround));
  });
  it('out with a wrong shape: ShapeError (core dims E_SHAPE_CORE, loop dims E_SHAPE_OUT)', () => {
    expect(() => matmul(a, b, { out: nb.zeros([3, 4]) })).toThrowError(expect.objectContaining({ code: 'E_SHAPE_CORE' }));
    const a2 = nb.broadcastTo(a, [2, 3, 4]);
    expect(() => matmul(a2, b, { out: nb.zeros([1, 3, 5]) })).toThrowError(expect.objectContaining({ code: 'E_SHAPE_OUT' }));
    expect(() => matmul(a, b, { out: nb.zeros([15]) })).toThrowError(nb.ShapeError);
    expect(() => matmul(a, b, { out: nb.broadcastTo(nb.zeros([5]), [3, 5]) })).toThrowError(expect.objectContaining({ code: 'E_VALUE_READONLY' }));
  });
  it("out's batch dims may broadcast the inputs (as in NumPy)", () => {
    const out = nb.zeros([2, 3, 5]);
    matmul(a, b, { out }); // the out's batch dim broadcasts the inputs
    expect(toNumbers(out.slice(1))).toEqual(want);
  });
  it('out aliasing an input gives the right answer (inputs are copied first)', () => {
    const sq = filled([6, 6], 'float64', 53);
    const other = filled([6, 6], 'float64', 54);
    const expected = refMatmul2d(sq, other, 'float64').flat();
    matmul(sq, other, { out: sq });
    expect(toNumbers(sq)).toEqual(expected);
    const x = filled([6, 6], 'int32', 55);
    const expected2 = refMatmul2d(x, x, 'int32').flat();
    matmul(x, x, { out: x });
    expect(flat(x)).toEqual(expected2);
    const v = filled([5, 5], 'float64', 56);
    const expected3 = Array.from({ length: 5 }, (_, i) => refDot(flat(v.slice(i)), flat(v.slice(i)), 'float64'));
    vecdot(v, v, { out: v.slice(':', 0) }); // writes column 0 while reading rows
    expect(toNumbers(v.slice(':', 0))).toEqual(expected3);
  });
  it('js-storage operands and out (external TypedArrays)', () => {
    const x = nb.asarray(new Float64Array([1, 2, 3, 4, 5, 6])).reshape([2, 3]);
    const y = nb.asarray(new Float64Array([1, 0, 0, 1, 1, 1])).reshape([3, 2]);
    const buf = new Float64Array(4);
    const out = nb.asarray(buf).reshape([2, 2]);
    matmul(x, y, { out });
    expect([...buf]).toEqual([4, 5, 10, 11]);
  });
  it('dtype= and signature= pick the loop; inputs cast under casting', () => {
    const i8 = nb.array([[1, 2], [3, 4]], { dtype: 'int8' });
    expect(matmul(i8, i8, { dtype: 'float32' }).dtype).toBe('float32');
    expect(matmul(i8, i8, { signature: 'int16,int16->int16' }).dtype).toBe('int16');
    expect(matmul(i8, i8, { signature: [null, null, 'float64'] }).dtype).toBe('float64');
    // NumPy: UFuncTypeError "Cannot cast ufunc 'matmul' input 0 from float64 to int32 with casting rule 'same_kind'"
    // (numbats: CastingError, or DTypeError E_DTYPE_NO_LOOP where dispatch finds no loop first).
    expect(() => matmul(a, b, { dtype: 'int32' })).toThrowError(
      expect.objectContaining({ code: expect.stringMatching(/^(E_CAST_RULE|E_DTYPE_NO_LOOP)$/) }),
    );
    expect(flat(matmul(a, b, { dtype: 'int32', casting: 'unsafe' }))).toEqual(
      refMatmul2d(a.astype('int32'), b.astype('int32'), 'int32').flat(),
    );
    expect(vecdot(nb.array([true, true]), nb.array([1.5, 2]))?.item()).toBe(3.5);
  });
});

describe('axes, axis, keepdims', () => {
  it('matmul axes=[(0,1),(0,1),(0,1)]: matrices in the first two dims', () => {
    const x = filled([3, 4, 2], 'float64', 61); // stacks along the last dim
    const y = filled([4, 5, 2], 'float64', 62);
    const r = matmul(x, y, { axes: [[0, 1], [0, 1], [0, 1]] } as GufuncOptions);
    expect(r.shape).toEqual([3, 5, 2]);
    for (let s = 0; s < 2; s++) {
      expect(toNumbers(r.slice(':', ':', s))).toEqual(refMatmul2d(x.slice(':', ':', s), y.slice(':', ':', s), 'float64').flat());
    }
    const out = nb.zeros([3, 5, 2]);
    matmul(x, y, { axes: [[0, 1], [0, 1], [0, 1]], out } as GufuncOptions);
    expect(toNumbers(out)).toEqual(toNumbers(r));
    expect(() => matmul(x, y, { axes: [[0, 1], [0, 1]] } as GufuncOptions)).toThrowError(nb.ValueError);
    expect(() => matmul(x, y, { axes: [[0], [0, 1], [0, 1]] } as GufuncOptions)).toThrowError(nb.ValueError);
    expect(() => matmul(x, y, { axes: [[0, 0], [0, 1], [0, 1]] } as GufuncOptions)).toThrowError(nb.ValueError);
    expect(() => matmul(x, y, { axis: 0 } as GufuncOptions)).toThrowError(/axis=/);
  });
  it('vecdot axis=, axes=, keepdims', () => {
    const x = filled([4, 3, 5], 'int32', 63);
    const y = filled([4, 3, 5], 'int32', 64);
    const want = (axis: number) => {
      const xt = x.transpose([...[0, 1, 2].filter((d) => d !== axis), axis]);
      const yt = y.transpose([...[0, 1, 2].filter((d) => d !== axis), axis]);
      return flat(vecdot(xt.copy(), yt.copy()));
    };
    for (const axis of [0, 1, 2, -1, -3]) {
      const norm = (axis + 3) % 3;
      const r = vecdot(x, y, { axis } as GufuncOptions);
      expect(r.shape).toEqual([4, 3, 5].filter((_, d) => d !== norm));
      expect(flat(r)).toEqual(want(norm));
      const k = vecdot(x, y, { axis, keepdims: true } as GufuncOptions);
      expect(k.shape).toEqual([4, 3, 5].map((d, i) => (i === norm ? 1 : d)));
      expect(flat(k)).toEqual(want(norm));
      expect(flat(vecdot(x, y, { axes: [norm, norm] } as GufuncOptions))).toEqual(want(norm));
    }
    const out = nb.zeros([4, 1, 5], 'int32');
    expect(vecdot(x, y, { axis: 1, keepdims: true, out } as GufuncOptions)).toBe(out);
    expect(flat(out)).toEqual(want(1));
    expect(() => vecdot(x, y, { axis: 3 } as GufuncOptions)).toThrowError(nb.ShapeError);
    expect(() => matmul(x, y, { keepdims: true } as GufuncOptions)).toThrowError(/keepdims/);
  });
});

describe('errors', () => {
  it('core-dim mismatch names the dim, operand and sizes', () => {
    expect(() => matmul(nb.ones([2, 3]), nb.ones([4, 2]))).toThrowError(
      "matmul: Input operand 1 has a mismatch in its core dimension 0 ('k'), with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)",
    );
    expect(() => matmul(nb.ones([3]), nb.ones([4]))).toThrowError(expect.objectContaining({ code: 'E_SHAPE_CORE' }));
    expect(() => vecdot(nb.ones([2, 3]), nb.ones([2, 4]))).toThrowError(/vecdot: Input operand 1 .*\('n'\).*size 4 is different from 3/);
  });
  it('scalars and 0-d arrays are refused (NumPy too)', () => {
    for (const s of [3, 2.5, 7n, true, nb.array(2)] as nb.UfuncInput[]) {
      expect(() => matmul(nb.ones([2]), s)).toThrowError(expect.objectContaining({ code: 'E_SHAPE_CORE_NDIM' }));
      expect(() => matmul(s, nb.ones([2]))).toThrowError(/Input operand 0 does not have enough dimensions/);
      expect(() => vecdot(s, nb.ones([2]))).toThrowError(nb.ShapeError);
    }
  });
  it('batch dims that do not broadcast', () => {
    expect(() => matmul(nb.ones([2, 2, 3]), nb.ones([3, 3, 2]))).toThrowError(expect.objectContaining({ code: 'E_SHAPE_BROADCAST' }));
  });
  it('options and arguments', () => {
    const x = nb.ones([2, 2]);
    expect(() => matmul(x, x, { where: true } as unknown as GufuncOptions)).toThrowError(/where= is not supported/);
    expect(() => matmul(x, x, { bogus: 1 } as unknown as GufuncOptions)).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
    expect(() => matmul(x)).toThrowError(expect.objectContaining({ code: 'E_VALUE_ARGCOUNT' }));
    expect(() => matmul(x, x, { out: [x, x] })).toThrowError(expect.objectContaining({ code: 'E_VALUE_OUT' }));
    const m = matmul as unknown as Record<string, () => unknown>;
    for (const method of ['reduce', 'accumulate', 'reduceat', 'outer', 'at']) {
      expect(() => m[method]!()).toThrowError(`method ${method} is not allowed in ufunc with non-trivial signature`);
    }
  });
});
