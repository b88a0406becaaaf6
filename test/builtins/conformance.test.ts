/**
 * Every built-in ufunc, every loop, against NumPy 2.4.6's outputs for the same inputs
 * (test/fixtures/ufunc-values.json, written by scripts/ufunc-fixtures.py). Each loop is
 * forced with `signature=` and run in four layouts, so that every row path of the generated
 * loops is covered:
 *   contiguous  the fixture column as is (the fast path: one Wasm row call);
 *   tiled       the column repeated to at least 67 elements: SIMD main loops and scalar tails;
 *   strided     inputs with a step of 2 and reversed (step -1), output with a step of 2
 *               (the strided scalar row, through the general call path and the N-d walk);
 *   broadcast   (binary loops) each distinct value of one input as a 1-element array
 *               broadcast against the matching values of the other, tiled: the stride-0
 *               SIMD rows.
 *
 * Comparison:
 *   - integer and bool outputs, and float outputs of arithmetic that NumPy computes exactly
 *     (add ... divide, floor_divide, remainder, rounding, extrema, copysign, nextafter,
 *     spacing, frexp, ldexp, modf, heaviside, deg2rad ...): equal bit for bit, the sign of
 *     zero included;
 *   - transcendental float functions (the rows with `ulps` in the table): within that many
 *     ULP, because NumPy uses its own SIMD (AVX-512/SVML) kernels on the fixture's machine
 *     and numbats AssemblyScript's musl ports; a zero result still has NumPy's sign, and
 *     infinities and NaN are matched exactly;
 *   - the sign of a zero from fmax/fmin of zeros of opposite sign is not checked: NumPy's
 *     own answer depends on its code path (the fixture's notes say so).
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { UFUNC_TABLE, type UfuncName } from '../../src/builtins/ufunc-table.js';
import type { UfuncRow } from '../../src/builtins/ufunc-row.js';
import { ValueError } from '../../src/util/errors.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';

interface ValuesRow {
  ufunc: string;
  types: string;
  inputs: unknown[][];
  outputs: unknown[][];
  errors?: { inputs: unknown[]; error: string; message: string }[];
  shapes?: unknown;
}

type Value = number | bigint | boolean;
type AnyUfunc = (...args: unknown[]) => nb.NDArray | nb.NDArray[];

const fixture = loadFixture<{ loops: ValuesRow[] }>('ufunc-values');

/** numbats' name of each NumPy ufunc in the table. */
const BY_NUMPY = new Map(Object.entries(UFUNC_TABLE).map(([name, row]) => [row.numpy, name as UfuncName]));


/**
 * fmax/fmin of zeros of opposite sign: NumPy's scalar path returns the first, its SIMD path
 * (8 or more elements) the second (fixture notes), so the sign is not NumPy-stable. numbats
 * always returns the first. maximum/minimum are checked strictly (NumPy 2: the second).
 */
const ZERO_SIGN_FREE = new Set(['fmax', 'fmin']);

const parseTypes = (types: string) => {
  const [i, o] = types.split('->');
  return { ins: i!.split(',') as DType[], outs: o!.split(',') as DType[] };
};

/** Order-preserving integer of a float's bits: ULP distance is the difference. */
function ordinal(x: number, dtype: DType): bigint {
  if (dtype === 'float32') {
    const i = new Int32Array(new Float32Array([x]).buffer)[0]!;
    return BigInt(i < 0 ? -2147483648 - i : i);
  }
  const i = new BigInt64Array(new Float64Array([x]).buffer)[0]!;
  return i < 0n ? -9223372036854775808n - i : i;
}

/** Why `actual` is not an acceptable result for `expected`, or undefined when it is. */
function mismatch(actual: Value, expected: Value, dtype: DType, ulps: number, signFree: boolean): string | undefined {
  if (dtype !== 'float32' && dtype !== 'float64') return actual === expected ? undefined : 'differs';
  const [a, e] = [actual as number, expected as number];
  if (Number.isNaN(e)) return Number.isNaN(a) ? undefined : 'expected NaN';
  if (!Number.isFinite(e) || e === 0 || ulps === 0) {
    if (signFree && e === 0) return a === 0 ? undefined : 'differs';
    return Object.is(a, e) ? undefined : 'differs';
  }
  if (!Number.isFinite(a)) return 'differs';
  const d = ordinal(a, dtype) - ordinal(e, dtype);
  const dist = d < 0n ? -d : d;
  return dist <= BigInt(ulps) ? undefined : `${dist} ulp`;
}

const flat = (a: nb.NDArray): Value[] => {
  const v = a.toArray() as unknown;
  return Array.isArray(v) ? (v as unknown[]).flat(Infinity as 1) as Value[] : [v as Value];
};

/** A 1-d array of `values` in `dtype`, in the heap. */
const arr = (values: Value[], dtype: DType) => nb.array(values as never, { dtype });

/** Strided view holding `values`: every other element of a twice-as-long array. */
function stepTwo(values: Value[], dtype: DType): nb.NDArray {
  const spread: Value[] = [];
  for (const v of values) spread.push(v, v);
  return arr(spread, dtype).slice('::2');
}

/** Reversed view holding `values`. */
const reversed = (values: Value[], dtype: DType) => arr([...values].reverse(), dtype).slice('::-1');

const tile = <T>(xs: T[], min: number): T[] => {
  const out: T[] = [];
  while (out.length < min) out.push(...xs);
  return out;
};

interface Case {
  name: UfuncName;
  row: ValuesRow;
  ins: DType[];
  outs: DType[];
  inputs: Value[][];
  expected: Value[][];
}

const cases: Case[] = fixture.loops
  .filter((r) => BY_NUMPY.has(r.ufunc))
  .map((row) => {
    const { ins, outs } = parseTypes(row.types);
    return {
      name: BY_NUMPY.get(row.ufunc)!,
      row,
      ins,
      outs,
      inputs: row.inputs.map((col, i) => col.map((v) => decodeScalar(v, ins[i]!))),
      expected: row.outputs.map((col, k) => col.map((v) => decodeScalar(v, outs[k]!))),
    };
  });

function call(c: Case, args: unknown[], out?: nb.NDArray[]): nb.NDArray[] {
  const f = (nb as unknown as Record<string, AnyUfunc>)[c.name]!;
  const opts: Record<string, unknown> = { signature: c.row.types };
  if (out !== undefined) opts.out = c.outs.length === 1 ? out[0] : out;
  const r = f(...args, opts);
  return Array.isArray(r) ? r : [r];
}

/** Check results against expected columns; report the first few failures with their inputs. */
function verify(c: Case, results: nb.NDArray[], inputs: Value[][], expected: Value[][]): void {
  const row: UfuncRow = UFUNC_TABLE[c.name];
  const ulps = c.outs.some((d) => d.startsWith('float')) ? (row.ulps ?? 0) : 0;
  const signFree = ZERO_SIGN_FREE.has(c.row.ufunc);
  const bad: string[] = [];
  results.forEach((res, k) => {
    expect(res.dtype).toBe(c.outs[k]);
    const got = flat(res);
    expect(got.length).toBe(expected[k]!.length);
    got.forEach((a, i) => {
      const why = mismatch(a, expected[k]![i]!, c.outs[k]!, ulps, signFree);
      if (why !== undefined && bad.length < 8) {
        bad.push(`(${inputs.map((col) => String(col[i])).join(', ')}) -> out${k} ${String(a)}, NumPy ${String(expected[k]![i])} (${why})`);
      }
    });
  });
  expect(bad, `${c.row.ufunc} ${c.row.types}`).toEqual([]);
}

describe.each(cases.map((c) => [`${c.row.ufunc} ${c.row.types}`, c] as const))('%s', (_, c) => {
  it('matches NumPy on contiguous inputs', () => {
    const args = c.inputs.map((col, i) => arr(col, c.ins[i]!));
    verify(c, call(c, args), c.inputs, c.expected);
  });

  it('matches NumPy on inputs tiled past the SIMD width', () => {
    const reps = Math.max(1, Math.ceil(67 / c.inputs[0]!.length));
    const inputs = c.inputs.map((col) => tile(col, reps * col.length));
    const expected = c.expected.map((col) => tile(col, reps * col.length));
    verify(c, call(c, inputs.map((col, i) => arr(col, c.ins[i]!))), inputs, expected);
  });

  it('matches NumPy on strided and reversed inputs, into a strided out', () => {
    const args = c.inputs.map((col, i) => (i % 2 === 0 ? stepTwo(col, c.ins[i]!) : reversed(col, c.ins[i]!)));
    const n = c.inputs[0]!.length;
    const out = c.outs.map((d) => nb.zeros([2 * n], d).slice('::2'));
    verify(c, call(c, args, out), c.inputs, c.expected);
  });

  if (c.ins.length === 2) {
    it.each([0, 1])('matches NumPy with input %i broadcast from one element', (side) => {
      // Group the elements by the value of input `side`; each group runs as one call with
      // that value broadcast (stride 0) against the group's other values, tiled.
      const groups = new Map<string, number[]>();
      c.inputs[side]!.forEach((v, i) => {
        const key = typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v);
        groups.set(key, [...(groups.get(key) ?? []), i]);
      });
      for (const idx of groups.values()) {
        const rows = tile(idx, 35);
        const inputs = c.inputs.map((col) => rows.map((i) => col[i]!));
        const expected = c.expected.map((col) => rows.map((i) => col[i]!));
        const args = inputs.map((col, i) => (i === side ? arr([col[0]!], c.ins[i]!) : arr(col, c.ins[i]!)));
        verify(c, call(c, args), inputs, expected);
      }
    });
  }

  if (c.row.errors !== undefined) {
    it("raises NumPy's error for the inputs NumPy rejects", () => {
      for (const e of c.row.errors!) {
        expect(e.error).toBe('ValueError');
        const inputs = e.inputs.map((v, i) => decodeScalar(v, c.ins[i]!));
        // A strided layout takes the general call path, which maps the loop's trap.
        const args = inputs.map((v, i) => stepTwo([v, v, v], c.ins[i]!));
        expect(() => call(c, args), `${c.row.ufunc}(${inputs.join(', ')})`).toThrow(ValueError);
        try {
          call(c, args);
        } catch (err) {
          expect((err as ValueError).code).toBe('E_VALUE_NEGATIVE_POWER');
          expect((err as Error).message).toBe(e.message);
        }
      }
    });
  }
});

describe('the conformance fixture', () => {
  it('covers every loop of every built-in ufunc', () => {
    const covered = new Set(cases.map((c) => `${c.name} ${c.row.types}`));
    for (const [name, row] of Object.entries(UFUNC_TABLE)) {
      for (const l of row.loops) expect(covered.has(`${name} ${l.types}`), `${name} ${l.types}`).toBe(true);
    }
  });
});
