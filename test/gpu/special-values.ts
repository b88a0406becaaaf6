/**
 * The gpu target's special-value contract (docs/guide/06-targets.md, "Special values and
 * accuracy"), shared by test/gpu/special-values.test.ts (Node: lavapipe) and
 * test/browser/gpu-special-values.test.ts (Chromium: SwiftShader): every float32 built-in
 * ufunc that has a gpu kernel, on special inputs (signed zeros, infinities, NaN, subnormals,
 * huge and tiny values, domain and overflow edges: scripts/gpu-special-fixtures.py), against
 * NumPy's float32 results (test/fixtures/gpu-special-values.json).
 *
 * The rule: where NumPy's result is NaN, ±Infinity or ±0, the GPU's is the same (NaN any
 * NaN, zeros with their sign); a finite result is within the function's ulps below. WGSL
 * lets a GPU flush subnormals to zero in any operation, so where an input or NumPy's result
 * is subnormal, NumPy's result on the flushed inputs (the fixture's `ftz`) is accepted too,
 * and a result in the subnormal range (a zero or a subnormal) where one of those two is (a
 * subnormal passed through a comparison that saw it as zero: max(0, -1e-40) is -1e-40 on
 * SwiftShader). Where NumPy itself differs by code path (`alt`: fmax(0, -0)), either.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { GPU_BUILTINS } from '../../src/gpu/builtin-kernels.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';
import { ulp32 } from '../helpers/ulp.js';

type Enc = number | string | boolean;
interface Row { name: string; types: string; out: Enc[]; ftz?: Record<string, Enc>; alt?: Record<string, Enc> }
interface Fixture { unary: Enc[]; binary: [Enc[], Enc[]]; ufuncs: Row[] }

const FIX = loadFixture<Fixture>('gpu-special-values');
const num = (v: Enc): number => (typeof v === 'boolean' ? Number(v) : (decodeScalar(v, 'float32') as number));

/**
 * Float32 ulps allowed on finite results, by ufunc (0 where absent: IEEE operations, rounding,
 * fmod and NumPy's deg2rad constants are exact), the table of docs/guide/06-targets.md.
 * Division is WGSL's 2.5 ulp. The functions the prelude computes itself (exp, log, sin,
 * ...: elementary-prelude.ts) have bounds of their own, the same on every adapter; exp2,
 * power and the logaddexps go through WGSL's exp2 (3 + 2|x| ulp in WGSL; 64 measured on
 * lavapipe, test/gpu/builtins.test.ts).
 */
export const ULPS: Readonly<Record<string, number>> = {
  divide: 2.5, reciprocal: 2.5, floor_divide: 2.5, remainder: 2.5, sqrt: 1,
  sin: 2, cos: 2, tan: 4, exp: 2, expm1: 3, log: 3, log2: 3, log10: 3, log1p: 4, cbrt: 2,
  arcsin: 3, arccos: 3, arctan: 3, sinh: 3, cosh: 2, tanh: 4, arcsinh: 4, arccosh: 4, arctanh: 4,
  arctan2: 3, hypot: 2, exp2: 64, power: 64, logaddexp: 64, logaddexp2: 64,
};

const camel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** The fixture rows of the float32 built-ins that run on the GPU. */
export const SPECIAL_ROWS: readonly Row[] = FIX.ufuncs.filter((r) => GPU_BUILTINS.includes(r.name));

/** The inputs of a row: one column per input. */
export function specialInputs(row: Row): number[][] {
  return (row.types.split('->')[0]!.split(',').length === 1 ? [FIX.unary] : FIX.binary).map((c) => c.map(num));
}

const isZero = (x: number) => x === 0;
const sameZero = (a: number, b: number) => isZero(a) && isZero(b) && Object.is(a, b);
const subnormal = (x: number) => x !== 0 && Math.abs(x) < 2 ** -126;
const tinyOrZero = (x: number) => Math.abs(x) < 2 ** -126;

/** Whether `got` meets the contract for reference `want` with `ulps` allowed. */
function meets(got: number, want: number, ulps: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (Number.isNaN(got)) return false;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return got === want;
  if (isZero(want)) return sameZero(got, want);
  if (subnormal(want) && isZero(got)) return Object.is(Math.sign(want) < 0, Object.is(got, -0));
  if (isZero(got)) return false;
  return Math.abs(got - want) <= ulps * ulp32(want);
}

/**
 * Run one row's ufunc on gpu arrays of its inputs; the elements that break the contract
 * (at most `limit`, each as "(inputs) -> got, want w").
 */
export async function specialMismatches(row: Row, limit = 8): Promise<string[]> {
  const cols = specialInputs(row);
  const f = (nb as unknown as Record<string, (...a: nb.NDArray[]) => nb.NDArray>)[camel(row.name)]!;
  const dev = await Promise.all(cols.map((c) => nb.toGpu(nb.array(c, { dtype: 'float32' }))));
  const got = ((await nb.toCpu(f(...dev))).toArray() as (number | boolean)[]).map(num);
  const ulps = ULPS[row.name] ?? 0;
  const bad: string[] = [];
  for (let i = 0; i < row.out.length && bad.length < limit; i++) {
    const want = num(row.out[i]!);
    const g = got[i]!;
    const ftz = row.ftz?.[i] === undefined ? undefined : num(row.ftz[i]!);
    const alt = row.alt?.[i] === undefined ? undefined : num(row.alt[i]!);
    if (meets(g, want, ulps) || (alt !== undefined && meets(g, alt, ulps))) continue;
    if (ftz !== undefined && meets(g, ftz, ulps)) continue;
    const flushable = subnormal(want) || cols.some((c) => subnormal(c[i]!));
    if (flushable && tinyOrZero(g) && (tinyOrZero(want) || (ftz !== undefined && tinyOrZero(ftz)))) continue;
    const show = (x: number) => (Object.is(x, -0) ? '-0' : String(x));
    const or = [ftz, alt].filter((x) => x !== undefined).map((x) => ` or ${show(x)}`).join('');
    bad.push(`${row.name}(${cols.map((c) => show(c[i]!)).join(', ')}) -> ${show(g)}, want ${show(want)}${or}`);
  }
  return bad;
}

/** JavaScript's Math.* (float64, then rounded) as the reference of the functions the prelude computes itself. */
export const ELEMENTARY: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, log2: Math.log2, log10: Math.log10, sinh: Math.sinh, cosh: Math.cosh,
};

/**
 * The elements of `xs` (float32 values) where ufunc `name` on the GPU breaks the contract
 * against Math.<name> rounded to float32 (the same rule as {@link specialMismatches}; a
 * subnormal input or reference may be flushed).
 */
export async function elementaryMismatches(name: string, xs: readonly number[], limit = 4): Promise<string[]> {
  const f = (nb as unknown as Record<string, (a: nb.NDArray) => nb.NDArray>)[name]!;
  const got = (await nb.toCpu(f(await nb.toGpu(nb.array(xs as number[], { dtype: 'float32' }))))).toArray() as number[];
  const bad: string[] = [];
  for (let i = 0; i < xs.length && bad.length < limit; i++) {
    const want = Math.fround(ELEMENTARY[name]!(xs[i]!));
    const g = got[i]!;
    if (meets(g, want, ULPS[name]!)) continue;
    if ((subnormal(xs[i]!) || subnormal(want)) && tinyOrZero(g)) continue;
    if (subnormal(xs[i]!) && meets(g, Math.fround(ELEMENTARY[name]!(0)), ULPS[name]!)) continue;
    bad.push(`${name}(${xs[i]}) -> ${g}, want ${want}`);
  }
  return bad;
}

/** The float32s nearest the multiples k pi/2 (k < 5300), two either side: where sin, cos or tan is near 0 or a pole. */
export function nearHalfPiMultiples(): number[] {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const xs: number[] = [];
  for (let k = 1; k < 5300; k++) {
    f[0] = (k * Math.PI) / 2;
    const b = u[0]!;
    for (let d = -2; d <= 2; d++) {
      u[0] = b + d;
      xs.push(f[0]!, -f[0]!);
    }
  }
  return xs;
}

/**
 * The property tests of the prelude's own exp ... cosh, registered in the caller's describe
 * (test/gpu/elementary-property.test.ts on lavapipe, test/browser/gpu-special-values.test.ts on
 * SwiftShader): any float32 from fast-check, and the float32s next to the multiples of pi/2.
 */
export function elementaryPropertyTests(): void {
  test.each(Object.keys(ELEMENTARY))('%s', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.float(), { minLength: 1, maxLength: 256 }), async (xs) => {
        expect(await elementaryMismatches(name, xs)).toEqual([]);
      }),
      { numRuns: 40, seed: 20261207 },
    );
  });

  test.each(['sin', 'cos', 'tan'])('%s next to the multiples of pi/2 (relative accuracy of the reduced argument)', async (name) => {
    expect(await elementaryMismatches(name, nearHalfPiMultiples())).toEqual([]);
  });
}
