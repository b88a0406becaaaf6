/**
 * The ufunc methods (reduce, accumulate, reduceat, outer, at) against NumPy 2.4.6: every
 * case of test/fixtures/ufunc-methods.json (scripts/ufunc-fixtures.py), then numbats' own
 * checks of the axis handling, options, pairwise float sums, accumulate ordering on long
 * rows and `at` with repeated indices.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import type { NDArray, Ufunc } from '../../src/index.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';

interface FxArray {
  dtype: string;
  shape: number[];
  values: unknown[];
}
type FxArg = FxArray | { int: string } | { float: string } | { bool: boolean } | { tuple: FxArg[] };
interface FxCase {
  note: string;
  ufunc: string;
  method: 'reduce' | 'accumulate' | 'reduceat' | 'outer' | 'at' | '__call__';
  args: FxArg[];
  kwargs: Record<string, unknown>;
  result: FxArray | { outputs: FxArray[] } | { error: string; message: string };
}

const fixture = loadFixture<{ cases: FxCase[] }>('ufunc-methods');
// matmul and vecdot are gufuncs: their cases (calls, and matmul.outer) belong to the gufunc
// tests (test/ufunc/gufunc*.test.ts), not to the elementwise ufunc methods tested here.
const GUFUNCS = new Set(['matmul', 'vecdot']);
const cases = fixture.cases.filter((c) => !GUFUNCS.has(c.ufunc));

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
const ufuncs = nb as unknown as Record<string, Ufunc | undefined>;

function decodeArray(a: FxArray): NDArray {
  const values = a.values.map((v) => decodeScalar(v, a.dtype));
  return nb.array(values as never, { dtype: a.dtype as nb.DType }).reshape(a.shape);
}

function decodeArg(x: FxArg): unknown {
  if ('tuple' in x) return x.tuple.map(decodeArg);
  if ('int' in x) {
    const big = BigInt(x.int);
    return big >= -(2n ** 53n) && big <= 2n ** 53n ? Number(big) : big;
  }
  if ('float' in x) return decodeScalar(x.float, 'float64');
  if ('bool' in x) return x.bool;
  return decodeArray(x);
}

function decodeKwargs(k: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(k)) {
    if (key === 'where') out.where = decodeArray(v as FxArray);
    else if (key === 'initial') out.initial = typeof v === 'string' ? decodeScalar(v, 'float64') : v;
    else out[key] = v;
  }
  return out;
}

/** Elements equal as NumPy would print them: NaN equals NaN, -0 differs from 0. */
function expectArray(got: NDArray, want: FxArray, what: string): void {
  expect(got.dtype, `${what}: dtype`).toBe(want.dtype);
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const flat = got.size === 0 ? [] : (got.reshape([got.size]).toArray() as unknown[]);
  const expected = want.values.map((v) => decodeScalar(v, want.dtype));
  flat.forEach((g, i) => {
    const e = expected[i];
    if (typeof e === 'number' && typeof g === 'number') {
      const show = (x: number) => (Object.is(x, -0) ? '-0' : String(x));
      expect(Object.is(g, e) || (Number.isNaN(g) && Number.isNaN(e)), `${what}: element ${i} is ${show(g)}, NumPy ${show(e)}`).toBe(true);
    } else expect(g, `${what}: element ${i}`).toBe(e);
  });
}

/** NumPy's exception (class, message) -> numbats' class and code. */
const ERRORS: [RegExp, new (...a: never[]) => Error, string][] = [
  [/^zero-size array to reduction operation/, nb.ValueError, 'E_VALUE_EMPTY_REDUCTION'],
  [/^duplicate value in 'axis'/, nb.ShapeError, 'E_SHAPE_AXIS_REPEATED'],
  [/is out of bounds for array of dimension/, nb.ShapeError, 'E_SHAPE_AXIS'],
  [/is not reorderable/, nb.ValueError, 'E_VALUE_REORDERABLE'],
  [/to use a where mask one has to specify 'initial'/, nb.ValueError, 'E_VALUE_WHERE_INITIAL'],
  [/^reduce only supported/, nb.ValueError, 'E_VALUE_REDUCE'],
  [/^accumulate only supported/, nb.ValueError, 'E_VALUE_ACCUMULATE'],
  [/^reduceat only supported/, nb.ValueError, 'E_VALUE_REDUCEAT'],
  [/^outer product only supported/, nb.ValueError, 'E_VALUE_OUTER'],
  [/does not allow multiple axes/, nb.ValueError, 'E_VALUE_AXES'],
  [/^cannot accumulate on a scalar/, nb.ShapeError, 'E_SHAPE_SCALAR'],
  [/^second operand (needed|provided)/, nb.ValueError, 'E_VALUE_AT'],
  [/out-of-bounds in .*reduceat|is out of bounds for axis/, nb.IndexError, 'E_INDEX_RANGE'],
  [/did not contain a loop|not supported for the input types/, nb.DTypeError, 'E_DTYPE_NO_LOOP'],
];

function run(c: FxCase): () => unknown {
  const f = ufuncs[camel(c.ufunc)];
  expect(f, `nb.${camel(c.ufunc)} is not defined yet`).toBeDefined();
  const args = c.args.map(decodeArg);
  const kw = decodeKwargs(c.kwargs);
  switch (c.method) {
    case 'reduce':
      return () => f!.reduce(args[0] as never, kw);
    case 'accumulate':
      return () => f!.accumulate(args[0] as never, kw);
    case 'reduceat':
      return () => f!.reduceat(args[0] as never, args[1] as never, kw);
    case 'outer':
      return () => f!.outer(args[0] as never, args[1] as never, Object.keys(kw).length ? kw : undefined);
    case 'at':
      return () => {
        f!.at(args[0] as NDArray, args[1] as never, args[2] as never);
        return args[0];
      };
    default:
      throw new Error(`unexpected method ${c.method}`);
  }
}

describe('ufunc methods against NumPy 2.4.6 (fixture ufunc-methods.json)', () => {
  it('the fixture has cases for every method', () => {
    const methods = new Set(cases.map((c) => c.method));
    expect([...methods].sort()).toEqual(['accumulate', 'at', 'outer', 'reduce', 'reduceat']);
    expect(cases.length).toBeGreaterThan(150);
  });

  cases.forEach((c, k) => {
    it(`case ${k}: ${c.note} (${c.ufunc}.${c.method})`, () => {
      const call = run(c);
      const r = c.result;
      if ('error' in r) {
        const rule = ERRORS.find(([re]) => re.test(r.message));
        expect(rule, `no numbats error mapped for NumPy's ${r.error}: ${r.message}`).toBeDefined();
        const [, cls, code] = rule!;
        let thrown: unknown;
        try {
          call();
        } catch (e) {
          thrown = e;
        }
        expect(thrown, `expected ${cls.name} ${code} (NumPy: ${r.error}: ${r.message})`).toBeInstanceOf(cls);
        expect((thrown as nb.NumbatsError).code).toBe(code);
        return;
      }
      const got = call() as NDArray | NDArray[];
      if ('outputs' in r) {
        expect(Array.isArray(got)).toBe(true);
        r.outputs.forEach((o, i) => expectArray((got as NDArray[])[i]!, o, `output ${i}`));
      } else expectArray(got as NDArray, r, 'result');
    });
  });
});

// ---------------------------------------------------------------------------------------
// numbats' own checks

/** NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src), in float64. */
function pairwise(a: ArrayLike<number>, lo: number, n: number): number {
  if (n < 8) {
    let r = -0;
    for (let i = 0; i < n; i++) r += a[lo + i]!;
    return r;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => a[lo + k]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k]! += a[lo + i + k]!;
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[lo + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
}

/** A float64 sequence computed bit-identically by NumPy (scripts in the test's comments). */
function seq(n: number): Float64Array {
  // NumPy: i = np.arange(n); ((i*7919) % 10007) / 97.0 - 50.0 + ((i*104729) % 1009) * 1e-7
  return Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 10007) / 97.0 - 50.0 + ((i * 104729) % 1009) * 1e-7);
}

const f64 = (xs: ArrayLike<number>) => nb.array(Float64Array.from(xs as ArrayLike<number>));
const X = () => nb.arange(24).reshape([2, 3, 4]);

/** Reference reduction of a (2,3,4)-like int array over `axes` with `op`, in plain JS. */
function refReduce(a: NDArray, axes: number[], op: (x: bigint, y: bigint) => bigint, init: bigint, keepdims = false): unknown {
  const shape = a.shape;
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const size = outShape.reduce((p, d) => p * d, 1);
  const acc = new Array<bigint>(size).fill(init);
  const idx = shape.map(() => 0);
  for (let k = 0; k < a.size; k++) {
    let o = 0;
    for (let i = 0; i < shape.length; i++) o = o * outShape[i]! + (axes.includes(i) ? 0 : idx[i]!);
    acc[o] = op(acc[o]!, a.get(...idx) as bigint);
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++idx[i]! < shape[i]!) break;
      idx[i] = 0;
    }
  }
  const res = nb.array(acc, { dtype: 'int64' }).reshape(outShape);
  return (keepdims ? res : res.reshape(shape.filter((_, i) => !axes.includes(i)))).toArray();
}

describe('reduce: axes', () => {
  const combos = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2], []];
  for (const axes of combos) {
    it(`add.reduce over axes [${axes.join(', ')}] of a (2,3,4) array equals a plain sum, with and without keepdims`, () => {
      const a = X();
      const add = (x: bigint, y: bigint) => x + y;
      expect(nb.add.reduce(a, { axis: axes }).toArray()).toEqual(refReduce(a, axes, add, 0n));
      expect(nb.add.reduce(a, { axis: axes, keepdims: true }).toArray()).toEqual(refReduce(a, axes, add, 0n, true));
      const max = (x: bigint, y: bigint) => (x > y ? x : y);
      if (axes.length > 0) expect(nb.maximum.reduce(a, { axis: axes }).toArray()).toEqual(refReduce(a, axes, max, -1000n));
    });
  }

  it('negative axes count from the end, also inside an axis list', () => {
    const a = X();
    expect(nb.add.reduce(a, { axis: -1 }).toArray()).toEqual(nb.add.reduce(a, { axis: 2 }).toArray());
    expect(nb.add.reduce(a, { axis: [-3, -1] }).toArray()).toEqual(nb.add.reduce(a, { axis: [0, 2] }).toArray());
  });

  it('the default axis is 0 and axis null reduces everything', () => {
    const a = X();
    expect(nb.add.reduce(a).shape).toEqual([3, 4]);
    expect(nb.add.reduce(a, { axis: null }).item()).toBe(276n);
    expect(nb.add.reduce(a, { axis: null, keepdims: true }).shape).toEqual([1, 1, 1]);
  });

  it('bad axes throw ShapeError with stable codes', () => {
    const a = X();
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(nb.ShapeError);
        return (e as nb.NumbatsError).code;
      }
      return 'no error';
    };
    expect(code(() => nb.add.reduce(a, { axis: 3 }))).toBe('E_SHAPE_AXIS');
    expect(code(() => nb.add.reduce(a, { axis: -4 }))).toBe('E_SHAPE_AXIS');
    expect(code(() => nb.add.reduce(a, { axis: 1.5 }))).toBe('E_SHAPE_AXIS');
    expect(code(() => nb.add.reduce(a, { axis: [0, -3] }))).toBe('E_SHAPE_AXIS_REPEATED');
    expect(code(() => nb.add.accumulate(a, { axis: 5 }))).toBe('E_SHAPE_AXIS');
  });

  it('several axes need a reorderable ufunc', () => {
    expect(() => nb.subtract.reduce(X(), { axis: [0, 1] })).toThrow(/not reorderable/);
    expect(nb.subtract.reduce(X(), { axis: 1 }).toArray()).toEqual([[-12n, -13n, -14n, -15n], [-24n, -25n, -26n, -27n]]);
  });

  it('methods a ufunc cannot run throw ValueError E_VALUE_REDUCE and friends', () => {
    expect(() => nb.negative.reduce(nb.array([1, 2]))).toThrow(expect.objectContaining({ code: 'E_VALUE_REDUCE' }));
    expect(() => nb.divmod.reduce(nb.array([1, 2]))).toThrow(expect.objectContaining({ code: 'E_VALUE_REDUCE' }));
    expect(() => nb.negative.accumulate(nb.array([1, 2]))).toThrow(expect.objectContaining({ code: 'E_VALUE_ACCUMULATE' }));
    expect(() => nb.negative.reduceat(nb.array([1, 2]), [0])).toThrow(expect.objectContaining({ code: 'E_VALUE_REDUCEAT' }));
    expect(() => nb.negative.outer(nb.array([1, 2]), nb.array([1]))).toThrow(expect.objectContaining({ code: 'E_VALUE_OUTER' }));
    expect(() => nb.add.reduce(nb.array([1, 2]), { axes: 0 } as never)).toThrow(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
  });
});

describe('reduce: initial, where, empty arrays, dtype and out', () => {
  it('initial starts the reduction and replaces the identity', () => {
    expect(nb.add.reduce(X(), { axis: [0, 2], initial: 100 }).toArray()).toEqual([160n, 192n, 224n]);
    expect(nb.maximum.reduce(nb.array([1, 5, 3]), { initial: 10 }).item()).toBe(10n);
    expect(nb.subtract.reduce(nb.array([10, 1, 2]), { initial: 100 }).item()).toBe(87n);
    expect(Object.is(nb.add.reduce(f64([-0, -0]), { initial: -0 }).item(), -0)).toBe(true);
    // initial: null drops the identity: the reduction starts from the first element.
    expect(Object.is(nb.add.reduce(f64([-0, -0]), { initial: null }).item(), -0)).toBe(true);
    expect(() => nb.add.reduce(nb.zeros([0]), { initial: null })).toThrow(/zero-size array/);
  });

  it('where masks elements, broadcast to the input', () => {
    const a = X();
    const w = nb.array([true, false, true, false]);
    expect(nb.add.reduce(a, { axis: 1, where: w }).toArray()).toEqual([[12n, 0n, 18n, 0n], [48n, 0n, 54n, 0n]]);
    expect(nb.maximum.reduce(a, { axis: 1, where: w, initial: -1 }).toArray()).toEqual([[8n, -1n, 10n, -1n], [20n, -1n, 22n, -1n]]);
    expect(nb.add.reduce(a, { axis: null, where: false }).item()).toBe(0n);
    // A ufunc with neither identity nor idempotence reduces slice by slice under the mask.
    const s = nb.subtract.reduce(a, { axis: 1, where: nb.array([[true], [false], [true]]), initial: 1000 });
    expect(s.toArray()).toEqual([[992n, 990n, 988n, 986n], [968n, 966n, 964n, 962n]]);
    expect(() => nb.maximum.reduce(a, { where: w })).toThrow(expect.objectContaining({ code: 'E_VALUE_WHERE_INITIAL' }));
    expect(() => nb.add.reduce(a, { where: nb.array([true, false]) })).toThrow(nb.ShapeError);
  });

  it('empty reductions give the identity or initial, and fail without either', () => {
    expect(nb.add.reduce(nb.zeros([0, 3]), { axis: 0 }).toArray()).toEqual([0, 0, 0]);
    expect(nb.multiply.reduce(nb.zeros([2, 0]), { axis: 1, keepdims: true }).toArray()).toEqual([[1], [1]]);
    expect(nb.maximum.reduce(nb.zeros([0]), { initial: -Infinity }).item()).toBe(-Infinity);
    expect(nb.maximum.reduce(nb.zeros([0, 3]), { axis: 1 }).shape).toEqual([0]);
    expect(() => nb.maximum.reduce(nb.zeros([3, 0]), { axis: 1 })).toThrow(expect.objectContaining({ code: 'E_VALUE_EMPTY_REDUCTION' }));
    expect(() => nb.maximum.reduce(nb.zeros([0, 0]), { axis: 0 })).toThrow(/no identity/);
    expect(nb.add.reduce(nb.zeros([0], 'int8')).dtype).toBe('int64');
  });

  it('dtype= sets the accumulator; add and multiply widen small integers by default', () => {
    const i8 = nb.array([100, 100, 100], { dtype: 'int8' });
    expect(nb.add.reduce(i8).dtype).toBe('int64');
    expect(nb.add.reduce(i8).item()).toBe(300n);
    expect(nb.add.reduce(i8, { dtype: 'int8' }).item()).toBe(44);
    expect(nb.add.reduce(i8, { dtype: 'float32' }).dtype).toBe('float32');
    expect(nb.multiply.reduce(nb.array([200, 2], { dtype: 'uint8' })).dtype).toBe('uint64');
    expect(nb.maximum.reduce(i8).dtype).toBe('int8');
    expect(nb.add.reduce(f64([1.5, 2.5]), { dtype: 'int32' }).item()).toBe(3);
  });

  it('out= receives the result (any dtype, cast unsafely), keepdims shape or not', () => {
    const a = X();
    const out = nb.zeros([3], 'int64');
    expect(nb.add.reduce(a, { axis: [0, 2], out })).toBe(out);
    expect(out.toArray()).toEqual([60n, 92n, 124n]);
    const kept = nb.zeros([1, 3, 1], 'float32');
    expect(nb.add.reduce(a, { axis: [0, 2], keepdims: true, out: kept })).toBe(kept);
    expect(kept.toArray()).toEqual([[[60], [92], [124]]]);
    const strided = nb.zeros([3, 2], 'int64').slice(':', 0);
    nb.maximum.reduce(a, { axis: [0, 2], out: strided });
    expect(strided.toArray()).toEqual([15n, 19n, 23n]);
    const small = nb.zeros([3], 'int8');
    nb.add.reduce(nb.full([3, 3], 100, 'int64'), { out: small });
    expect(small.toArray()).toEqual([44, 44, 44]);
    expect(() => nb.add.reduce(a, { axis: 0, out: nb.zeros([4, 3]) })).toThrow(expect.objectContaining({ code: 'E_SHAPE_OUT' }));
  });

  it('out= may be a view of the input', () => {
    const a = nb.arange(12, undefined, undefined, 'float64').reshape([3, 4]);
    nb.add.reduce(a, { axis: 0, out: a.slice(0) });
    expect(a.toArray()).toEqual([[12, 15, 18, 21], [4, 5, 6, 7], [8, 9, 10, 11]]);
  });

  it('works on arrays that wrap external TypedArrays (js storage)', () => {
    const ta = new Float64Array([1, 2, 3, 4, 5, 6]);
    const a = nb.asarray(ta).reshape([2, 3]);
    expect(nb.add.reduce(a, { axis: 1 }).toArray()).toEqual([6, 15]);
    expect(nb.multiply.accumulate(a, { axis: 1 }).toArray()).toEqual([[1, 2, 6], [4, 20, 120]]);
    expect(nb.add.reduceat(a, [0, 2], { axis: 1 }).toArray()).toEqual([[3, 3], [9, 6]]);
    const out = nb.asarray(new Float64Array(3));
    nb.add.reduce(a, { out, where: nb.array([[true], [false]]) });
    expect(Array.from(out.data as Float64Array)).toEqual([1, 2, 3]);
    nb.add.at(a, [1, 1], 10);
    expect(Array.from(ta)).toEqual([1, 2, 3, 24, 25, 26]);
  });

  it('reduce of a JS scalar or a 0-d array is the value itself', () => {
    expect(nb.add.reduce(5).item()).toBe(5n);
    expect(nb.add.reduce(nb.array(2.5), { axis: null }).item()).toBe(2.5);
  });
});

describe('reduce: float sums are NumPy-exact', () => {
  // Expected values: NumPy 2.4.6, np.add.reduce on the same data (see seq()).
  const NUMPY: Record<number, number> = {
    7: 23.27872301546392, 100: 175.06705097010305, 129: 188.98606624329898, 1000: 1619.2359936103094,
    12345: 19509.08633672577, 100000: 157787.69989671442,
  };
  for (const [n, want] of Object.entries(NUMPY)) {
    it(`sum of ${n} contiguous float64 equals NumPy's pairwise sum bit for bit`, () => {
      expect(nb.add.reduce(nb.array(seq(Number(n)))).item()).toBe(want);
    });
  }

  it('sums equal the pairwise reference for many lengths (0 + pairwise(a))', () => {
    const data = seq(5000);
    for (const n of [1, 2, 8, 9, 15, 16, 17, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 4999]) {
      expect(nb.add.reduce(nb.array(data.subarray(0, n))).item(), `n=${n}`).toBe(0 + pairwise(data, 0, n));
    }
  });

  it('strided, reversed and cast inputs are summed as NumPy sums them', () => {
    const a = nb.array(seq(100000));
    expect(nb.add.reduce(a.slice('::3')).item()).toBe(52762.51514784639);
    expect(nb.add.reduce(a.slice('::-1')).item()).toBe(157787.69989671445);
    // NumPy sums a cast input pairwise per 8192-element buffer, buffers in sequence.
    expect(nb.add.reduce(a.astype('float32'), { dtype: 'float64' }).item()).toBe(157787.69989090523);
    expect(nb.add.reduce(a.astype('float32')).item()).toBe(157787.6875);
  });

  it('2-d sums follow NumPy: rows pairwise, columns in sequence, full reductions as one row', () => {
    const m = nb.array(seq(100000)).reshape([250, 400]);
    expect((nb.add.reduce(m, { axis: 1 }).toArray() as number[]).slice(0, 3)).toEqual([675.8658174247423, 610.7932913762885, 648.8860164814432]);
    expect((nb.add.reduce(m, { axis: 0 }).toArray() as number[]).slice(0, 3)).toEqual([1161.02296847835, -93.82232054639172, 405.1363123402062]);
    // Fortran-ordered copy: reducing axis 1 walks the outer memory axis, in sequence.
    const f = m.T.copy().T;
    expect((nb.add.reduce(f, { axis: 1 }).toArray() as number[]).slice(0, 3)).toEqual([675.8658174247425, 610.7932913762884, 648.8860164814437]);
    expect(nb.add.reduce(m, { axis: null }).item()).toBe(157787.69989671442);
    expect(nb.add.reduce(m.T, { axis: null }).item()).toBe(157787.69989671442);
  });

  it('reductions that cast their input run block by block and give the exact results', () => {
    const n = 3 * 70001;
    const i8 = nb.array(Int8Array.from({ length: n }, (_, i) => ((i * 7919) % 251) - 125)).reshape([3, 70001]);
    const wide = i8.astype('int64');
    for (const axis of [0, 1, -1, null, [0, 1]] as const) {
      expect(nb.add.reduce(i8, { axis }).toArray(), `axis ${String(axis)}`).toEqual(nb.add.reduce(wide, { axis }).toArray());
    }
    expect(nb.add.reduce(i8.T, { axis: 0, keepdims: true }).toArray()).toEqual(nb.add.reduce(wide.T, { axis: 0, keepdims: true }).toArray());
    expect(nb.add.reduce(i8.slice(':', '::-3'), { axis: 1 }).toArray()).toEqual(nb.add.reduce(wide.slice(':', '::-3'), { axis: 1 }).toArray());
    const mask = nb.array(Array.from({ length: 100000 }, (_, i) => i % 3 === 0));
    expect(nb.add.reduce(mask).item()).toBe(33334n);
    // float32 rows longer than NumPy's buffer: each row summed pairwise per 8192 elements.
    const f32 = nb.array(seq(2 * 20000)).astype('float32').reshape([2, 20000]);
    const rows = f32.toArray() as number[][];
    const want = rows.map((r) => {
      let acc = 0;
      for (let s = 0; s < r.length; s += 8192) acc += pairwise(r, s, Math.min(8192, r.length - s));
      return acc;
    });
    expect(nb.add.reduce(f32, { axis: 1, dtype: 'float64' }).toArray()).toEqual(want);
  });

  it('a masked float sum is within rounding of NumPy (NumPy sums each unmasked run pairwise)', () => {
    const data = seq(10000);
    const mask = Array.from({ length: 10000 }, (_, i) => (i * 37) % 11 !== 0);
    let ref = 0;
    for (let i = 0; i < data.length; i++) if (mask[i]) ref += data[i]!;
    const got = nb.add.reduce(nb.array(data), { where: nb.array(mask) }).item() as number;
    expect(Math.abs(got - ref)).toBeLessThan(1e-12 * Math.abs(ref) + 1e-9);
  });
});

describe('accumulate', () => {
  const n = 1500;
  it('runs in order along a long inner axis (int32 and float64, add and subtract)', () => {
    for (const dtype of ['int32', 'float64'] as const) {
      const a = nb.array(Array.from({ length: 3 * n }, (_, i) => ((i * 31) % 17) - 8), { dtype }).reshape([3, n]);
      for (const [uf, op] of [[nb.add, (x: number, y: number) => x + y], [nb.subtract, (x: number, y: number) => x - y]] as const) {
        const got = (uf.accumulate(a, { axis: 1 }).toArray() as (number | bigint)[][]).map((r) => r.map(Number));
        const rows = a.toArray() as number[][];
        rows.forEach((row, r) => {
          let acc = row[0]!;
          const want = row.map((v, i) => (i === 0 ? acc : (acc = op(acc, v))));
          expect(got[r], `${dtype} ${uf.name} row ${r}`).toEqual(want);
        });
      }
    }
  });

  it('runs in order along a long outer axis (int32 and float64)', () => {
    for (const dtype of ['int32', 'float64'] as const) {
      const a = nb.array(Array.from({ length: 5 * n }, (_, i) => ((i * 13) % 7) - 3), { dtype }).reshape([n, 5]);
      const got = nb.subtract.accumulate(a, { axis: 0 }).toArray() as number[][];
      const src = a.toArray() as number[][];
      const acc = src[0]!.slice();
      for (let i = 1; i < n; i++) {
        for (let j = 0; j < 5; j++) acc[j] = acc[j]! - src[i]![j]!;
        expect(got[i], `${dtype} row ${i}`).toEqual(acc);
      }
      // A 1-d run of n elements and a transposed (strided) input give the same recurrence.
      expect(nb.subtract.accumulate(a.T, { axis: 1 }).T.toArray()).toEqual(got);
    }
  });

  it('float64 running sums are sequential (NumPy cumsum)', () => {
    expect((nb.add.accumulate(nb.array(seq(100000))).toArray() as number[])[99999]).toBe(157787.69989671436);
  });

  it('out= may be the input itself (in place) or of another dtype', () => {
    const a = nb.array([1, 2, 3, 4], { dtype: 'float64' });
    expect(nb.add.accumulate(a, { out: a })).toBe(a);
    expect(a.toArray()).toEqual([1, 3, 6, 10]);
    const o = nb.zeros([4], 'int8');
    nb.multiply.accumulate(nb.array([10, 10, 10, 10]), { out: o });
    expect(o.toArray()).toEqual([10, 100, -24, 16]);
  });

  it('0-d input and several axes are errors', () => {
    expect(() => nb.add.accumulate(nb.array(5))).toThrow(expect.objectContaining({ code: 'E_SHAPE_SCALAR' }));
    expect(() => nb.add.accumulate(X(), { axis: [0, 1] })).toThrow(expect.objectContaining({ code: 'E_VALUE_AXES' }));
    expect(nb.add.accumulate(nb.array([1, 2]), { axis: null }).toArray()).toEqual([1n, 3n]);
  });
});

describe('reduceat', () => {
  it('follows NumPy on 1-d float64 segments (pairwise per segment)', () => {
    const a = nb.array(seq(100000));
    expect(nb.add.reduceat(a, [0, 50000, 3, 99000]).toArray()).toEqual([78976.4379105732, -18.75254511958763, 156308.94831228658, 1486.9988674082474]);
  });

  it('reduces an outer axis per element like NumPy', () => {
    const m = nb.array(seq(100000)).reshape([250, 400]);
    const r = nb.add.reduceat(m, [0, 100], { axis: 0 });
    expect(r.shape).toEqual([2, 400]);
    expect(r.slice(':', ':2').toArray()).toEqual([[384.6338945793815, -14.139252396907231], [776.389073898969, -79.68306814948453]]);
  });

  it('handles decreasing and repeated indices, out= and errors', () => {
    const a = nb.arange(10);
    expect(nb.add.reduceat(a, [5, 2, 2, 9]).toArray()).toEqual([5n, 2n, 35n, 9n]);
    const out = nb.zeros([2], 'float64');
    expect(nb.maximum.reduceat(a, [0, 5], { out })).toBe(out);
    expect(out.toArray()).toEqual([4, 9]);
    expect(() => nb.add.reduceat(a, [0, 10])).toThrow(expect.objectContaining({ code: 'E_INDEX_RANGE' }));
    expect(() => nb.add.reduceat(a, [0.5])).toThrow(nb.DTypeError);
  });
});

describe('outer', () => {
  it('has shape a.shape + b.shape', () => {
    expect(nb.add.outer(nb.zeros([2, 3]), nb.zeros([4])).shape).toEqual([2, 3, 4]);
    expect(nb.add.outer(nb.zeros([2]), nb.zeros([4, 1, 5])).shape).toEqual([2, 4, 1, 5]);
    expect(nb.add.outer(nb.array(1), nb.zeros([3])).shape).toEqual([3]);
    expect(nb.multiply.outer([1, 2], [3, 4, 5]).toArray()).toEqual([[3n, 4n, 5n], [6n, 8n, 10n]]);
  });

  it('passes options through and returns both outputs of divmod', () => {
    const out = nb.zeros([2, 2], 'float32');
    expect(nb.add.outer(nb.array([1, 2]), nb.array([3, 4]), { out, casting: 'unsafe' })).toBe(out);
    expect(out.toArray()).toEqual([[4, 5], [5, 6]]);
    const [q, r] = nb.divmod.outer(nb.array([7, -7]), nb.array([2, 3]));
    expect(q!.toArray()).toEqual([[3n, 2n], [-4n, -3n]]);
    expect(r!.toArray()).toEqual([[1n, 1n], [1n, 2n]]);
  });

  it('treats JS scalars as arrays, as NumPy does', () => {
    expect(nb.add.outer(2, nb.array([1, 2], { dtype: 'int8' })).dtype).toBe('int64');
  });
});

describe('at', () => {
  it('accumulates repeated indices (int and float, heavy repeats included)', () => {
    const a = nb.zeros([4], 'int64');
    nb.add.at(a, [0, 0, 1, 3, 3, 3], 1);
    expect(a.toArray()).toEqual([2n, 1n, 0n, 3n]);
    const n = 1000;
    const f = nb.zeros([3]);
    const idx = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const vals = seq(n);
    nb.add.at(f, idx, nb.array(vals));
    const want = [0, 0, 0];
    idx.forEach((t, i) => (want[t]! += vals[i]!));
    expect(f.toArray()).toEqual(want);
  });

  it('applies non-commutative ufuncs in index order and casts back unsafely', () => {
    const a = nb.array([100, 100, 100], { dtype: 'int64' });
    nb.subtract.at(a, [2, 0, 2, 2], nb.array([1, 2, 3, 4]));
    expect(a.toArray()).toEqual([98n, 100n, 92n]);
    const b = nb.array([1, 2], { dtype: 'int8' });
    nb.add.at(b, [0, 0], 1.5); // float64 loop, cast back to int8 after each step
    expect(b.toArray()).toEqual([3, 2]);
    const c = nb.array([1, 2, 3]);
    nb.negative.at(c, [0, 0, 1]);
    expect(c.toArray()).toEqual([1n, -2n, 3n]);
  });

  it('supports index tuples, slices, bool masks and broadcast values', () => {
    const a = nb.zeros([3, 4], 'int64');
    nb.add.at(a, [nb.array([0, 2, 0]), nb.array([1, 3, 1])], nb.array([1, 2, 3]));
    expect(a.toArray()).toEqual([[0n, 4n, 0n, 0n], [0n, 0n, 0n, 0n], [0n, 0n, 0n, 2n]]);
    const b = nb.zeros([3, 4], 'int64');
    nb.add.at(b, [':', nb.array([0, 0, 3])], 1);
    expect(b.toArray()).toEqual([[2n, 0n, 0n, 1n], [2n, 0n, 0n, 1n], [2n, 0n, 0n, 1n]]);
    const c = nb.zeros([2, 3], 'int64');
    nb.add.at(c, [1, 1], nb.array([10, 20, 30]));
    expect(c.toArray()).toEqual([[0n, 0n, 0n], [20n, 40n, 60n]]);
    const d = nb.zeros([4], 'int64');
    nb.add.at(d, nb.array([true, false, true, false]), 5);
    expect(d.toArray()).toEqual([5n, 0n, 5n, 0n]);
    expect(() => nb.add.at(d, [4], 1)).toThrow(expect.objectContaining({ code: 'E_INDEX_RANGE' }));
    expect(() => nb.add.at(d, [0], nb.array([1, 2]))).toThrow(nb.ShapeError);
  });

  it('runs unique indices in one pass over large arrays', () => {
    const n = 100000;
    const a = nb.zeros([n]);
    const idx = nb.arange(n - 1, -1, -1);
    nb.add.at(a, idx, nb.arange(n, undefined, undefined, 'float64'));
    const got = a.toArray() as number[];
    expect(got[0]).toBe(n - 1);
    expect(got[n - 1]).toBe(0);
  });
});
