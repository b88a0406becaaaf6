/**
 * Loop selection of every built-in ufunc against NumPy 2.4.6 (test/fixtures/ufunc-resolution.json,
 * written by scripts/ufunc-fixtures.py): the output dtypes (and first value) NumPy gives for
 *   dtypes   every pair (or single) of array dtypes,
 *   weak     arrays with JS scalars as NEP 50 weak Python scalars (2, -1, 300, 2**40, 2.5,
 *            NaN, true), and scalars alone,
 *   options  `dtype=`, `out=`, `casting=`, `signature=`.
 * Every `{array: d}` argument is `nb.ones([3], d)`; an `out` kwarg is `nb.zeros([3], d)`.
 *
 * NumPy's errors map to numbats' classes: TypeError / UFuncTypeError "no loop" ->
 * DTypeError E_DTYPE_NO_LOOP; OverflowError (a weak integer out of the dtype's range) ->
 * DTypeError E_DTYPE_OVERFLOW; UFuncTypeError "Cannot cast ..." -> CastingError E_CAST_RULE;
 * ValueError "Integers to negative integer powers" -> ValueError E_VALUE_NEGATIVE_POWER.
 *
 * numbats has no float16: where NumPy's answer is a float16 loop (rows flagged
 * involvesFloat16), numbats takes the next loop in NumPy's order, float32, and the values
 * of those rows are not compared (they are float16 roundings).
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { UFUNC_TABLE, type UfuncName } from '../../src/builtins/ufunc-table.js';
import { CastingError, DTypeError, NumbatsError, ValueError } from '../../src/util/errors.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { loadFixture } from '../helpers/fixtures.js';

type Arg = { array: DType } | { int: string } | { float: string } | { bool: boolean };
interface ResolutionRow {
  ufunc: string;
  args: Arg[];
  kwargs?: { dtype?: DType; out?: DType; casting?: nb.Casting; signature?: (DType | null)[] };
  result: { dtypes: string[]; values: unknown[]; involvesFloat16?: boolean } | { error: string; message: string };
}

const fixture = loadFixture<{ dtypes: ResolutionRow[]; weak: ResolutionRow[]; options: ResolutionRow[] }>('ufunc-resolution');
const BY_NUMPY = new Map(Object.entries(UFUNC_TABLE).map(([name, row]) => [row.numpy, name as UfuncName]));
type AnyUfunc = (...args: unknown[]) => nb.NDArray | nb.NDArray[];

/**
 * Rows where numbats knowingly answers differently from NumPy, keyed by `describe()` of the
 * row, with the reason. Each is checked to still differ (so the list cannot go stale).
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'ldexp(float:2.0, array:int8, {})':
    'JS has no float 2.0 distinct from the integer 2: a JS number with an integral value is a weak ' +
    'Python int (API.md), so numbats resolves ldexp(2, int8) (float32 here, float16 in NumPy), not ldexp(2.0, int8)',
};

function argOf(a: Arg): unknown {
  if ('array' in a) return nb.ones([3], a.array);
  if ('bool' in a) return a.bool;
  if ('float' in a) return a.float === 'nan' ? NaN : Number(a.float);
  const v = BigInt(a.int);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function describeRow(r: ResolutionRow): string {
  const args = r.args.map((a) => Object.entries(a).map(([k, v]) => `${k}:${String(v)}`)[0]).join(', ');
  return `${r.ufunc}(${args}${r.kwargs ? `, ${JSON.stringify(r.kwargs)}` : ''})`;
}

/** The numbats error (class and code) for NumPy's error. */
function expectedError(error: string, message: string): [new (...a: never[]) => NumbatsError, string] {
  if (error === 'OverflowError') return [DTypeError, 'E_DTYPE_OVERFLOW'];
  if (error === 'ValueError') return [ValueError, 'E_VALUE_NEGATIVE_POWER'];
  if (error === 'UFuncTypeError' && message.startsWith('Cannot cast')) return [CastingError, 'E_CAST_RULE'];
  return [DTypeError, 'E_DTYPE_NO_LOOP'];
}

type Outcome = { dtypes: string[]; values: unknown[] } | { error: NumbatsError | Error };

function run(r: ResolutionRow): Outcome {
  const f = (nb as unknown as Record<string, AnyUfunc>)[BY_NUMPY.get(r.ufunc)!]!;
  const args = r.args.map(argOf);
  const opts: Record<string, unknown> = { ...r.kwargs };
  if (r.kwargs?.out !== undefined) opts.out = nb.zeros([3], r.kwargs.out);
  try {
    const res = r.kwargs === undefined ? f(...args) : f(...args, opts);
    const list = Array.isArray(res) ? res : [res];
    return { dtypes: list.map((a) => a.dtype), values: list.map((a) => (a.ndim === 0 ? a.item() : a.get(0))) };
  } catch (error) {
    return { error: error as Error };
  }
}

/** Why the outcome differs from NumPy's row, or undefined when it agrees. */
function difference(r: ResolutionRow, got: Outcome): string | undefined {
  const want = r.result;
  if ('error' in want) {
    if (!('error' in got)) return `NumPy raises ${want.error} (${want.message}); numbats gives ${got.dtypes.join(',')}`;
    const [cls, code] = expectedError(want.error, want.message);
    const e = got.error as NumbatsError;
    if (!(e instanceof cls) || e.code !== code) return `NumPy raises ${want.error}; numbats throws ${e.name} ${e.code ?? ''}: ${e.message}`;
    return undefined;
  }
  if ('error' in got) return `NumPy gives ${want.dtypes.join(',')}; numbats throws ${got.error.name}: ${got.error.message}`;
  const dtypes = want.dtypes.map((d) => (d === 'float16' ? 'float32' : d));
  if (got.dtypes.join(',') !== dtypes.join(',')) return `NumPy ${want.dtypes.join(',')}, numbats ${got.dtypes.join(',')}`;
  if (want.involvesFloat16) return undefined;
  for (let k = 0; k < dtypes.length; k++) {
    const [g, w] = [got.values[k], want.values[k]];
    const same =
      typeof g === 'bigint' ? g === BigInt(w as number | string)
      : typeof g === 'boolean' ? g === Boolean(w)
      : Number.isNaN(g as number) ? w === 'nan'
      : typeof w === 'string' ? g === Number(w.replace('inf', 'Infinity'))
      : Math.abs((g as number) - (w as number)) <= 1e-6 * Math.abs(w as number);
    if (!same) return `value ${String(g)}, NumPy ${String(w)}`;
  }
  return undefined;
}

const sections = (['dtypes', 'weak', 'options'] as const).map(
  (s) => [s, fixture[s].filter((r) => BY_NUMPY.has(r.ufunc))] as const,
);

describe.each(sections)('resolution: %s', (_, rows) => {
  const byUfunc = new Map<string, ResolutionRow[]>();
  for (const r of rows) byUfunc.set(r.ufunc, [...(byUfunc.get(r.ufunc) ?? []), r]);

  it.each([...byUfunc.entries()])("%s resolves as NumPy's", (_, list) => {
    const bad: string[] = [];
    for (const r of list) {
      const key = describeRow(r);
      const why = difference(r, run(r));
      if (key in KNOWN_DIFFERENCES) {
        expect(why, `${key} is listed as a known difference but now agrees`).toBeDefined();
        continue;
      }
      if (why !== undefined) bad.push(`${key}: ${why}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('the resolution fixture', () => {
  it('has rows for every built-in ufunc', () => {
    const seen = new Set(fixture.dtypes.map((r) => r.ufunc));
    for (const row of Object.values(UFUNC_TABLE)) expect(seen.has(row.numpy), row.numpy).toBe(true);
  });
});
