/**
 * Errors in ulps against the references of test/fixtures/math-functions.json
 * (scripts/math-functions-fixtures.py): rows [...inputs, nearest, corr], the reference being
 * nearest + corr.
 */
export type FixtureValue = number | string;

/** A fixture number: JSON numbers, or 'nan' / 'inf' / '-inf'. */
export function dec(v: FixtureValue): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const F32 = new Float32Array(1);
const U32F = new Uint32Array(F32.buffer);

/** The spacing of the float64s at |v| (2^-1074 for subnormals and 0). */
export function ulp64(v: number): number {
  F64[0] = v;
  const e = (U32[1]! >>> 20) & 0x7ff;
  if (e <= 1) return 2 ** -1074;
  U32[1] = (e - 52) << 20;
  U32[0] = 0;
  if (e - 52 >= 1) return F64[0]!;
  return 2 ** (e - 1075);
}

/** The spacing of the float32s at |v| (2^-149 for subnormals and 0). */
export function ulp32(v: number): number {
  F32[0] = v;
  const e = (U32F[0]! >>> 23) & 0xff;
  return e <= 1 ? 2 ** -149 : 2 ** (e - 150);
}

/**
 * The error of `got` against the reference nearest + corr in units of `ulp(nearest)`:
 * 0 for matching non-finite values (NaN ~ NaN, same infinity) and for zeros of the right
 * sign when the reference is an exact zero; Infinity for any other mismatch of kind.
 */
export function ulpError(got: number, nearest: number, corr: number, ulp: (v: number) => number = ulp64): number {
  if (Number.isNaN(nearest) || !Number.isFinite(nearest)) return Object.is(got, nearest) || (Number.isNaN(got) && Number.isNaN(nearest)) ? 0 : Infinity;
  if (!Number.isFinite(got)) return Infinity;
  if (nearest === 0 && corr === 0 && got === 0) return Object.is(got, nearest) ? 0 : Infinity;
  return Math.abs((got - nearest) - corr) / ulp(nearest);
}
