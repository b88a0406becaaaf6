/**
 * Shared pieces of the gpu tests (test/gpu/*.test.ts).
 *
 * Availability: {@link gpuReason} is null when a WebGPU adapter opens (on CI: Mesa's
 * lavapipe, DESIGN.md decision 9), else the reason, printed once per test file with
 * console.warn; every GPU test is `describe.skipIf(!hasGpu)`, so without an adapter the
 * tests show as skipped, never as passed.
 *
 * Comparisons: integers and bools exact; float32 within a relative tolerance (1e-6 for
 * IEEE arithmetic: + - * /, sqrt, casts, rounding, min/max), NaN matching NaN, infinities
 * matching exactly. Transcendentals use {@link closeUlps} (float32 ULPs of the reference,
 * with an absolute floor for functions whose WGSL bound is absolute).
 */
import * as nb from '../../src/index.js';
import type { DType } from '../../src/dtype/dtypes.js';
import type { NDArray } from '../../src/ndarray/ndarray.js';
import { gpuDevice } from '../../src/gpu/device.js';

export type Value = number | boolean;
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyFn = (...args: any[]) => any;

/** Why there is no GPU here (null: there is one). */
export const gpuReason: string | null = await gpuDevice().then(() => null, (e: Error) => e.message);
export const hasGpu = gpuReason === null;
if (!hasGpu) console.warn(`[numbats gpu tests] SKIPPED: no WebGPU adapter: ${gpuReason}`);

/** The adapter is Mesa's lavapipe (llvmpipe): the tight, measured tolerances apply. */
export const onLavapipe: boolean = hasGpu
  ? await nb.gpuInfo().then((i) => /llvmpipe|lavapipe/i.test(`${i.adapter.description} ${i.adapter.device} ${i.adapter.architecture} ${i.adapter.vendor}`))
  : false;

/** Elements of an array (C order) as JS values; bools as booleans. */
export function flat(a: NDArray): Value[] {
  const t = a.toArray() as unknown;
  return Array.isArray(t) ? (t.flat(Infinity as 1) as Value[]) : [t as Value];
}

/** Edge values of a gpu dtype (float32 values are float32-exact). */
export function edge(t: DType): Value[] {
  switch (t) {
    case 'bool': return [false, true];
    case 'int32': return [0, 1, -1, 2, -2, 3, -3, 7, -7, 31, 32, 100, -100, 12345, -99999, 65536, 2147483647, -2147483648, 2147483646, -2147483647];
    case 'uint32': return [0, 1, 2, 3, 7, 31, 32, 100, 12345, 65536, 2147483647, 2147483648, 4294967295, 4294967294];
    case 'float32': return [0, -0, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3, -7, 7, 0.1, -0.1, 1e-3, 123.456, -65504, 1e6, 16777217, 3e38, -3e38, 1e-30, NaN, Infinity, -Infinity, Math.PI].map(Math.fround);
    default: throw new Error(`no gpu dtype ${t}`);
  }
}

/** All pairs of two value lists (for binary kernels): [lefts, rights]. */
export function pairs(a: readonly Value[], b: readonly Value[]): [Value[], Value[]] {
  const l: Value[] = [];
  const r: Value[] = [];
  for (const x of a) for (const y of b) { l.push(x); r.push(y); }
  return [l, r];
}

/** A 1-D CPU array of dtype t. */
export const arr = (t: DType, xs: readonly Value[]): NDArray => nb.array(xs as number[], { dtype: t }) as NDArray;

const toNum = (v: Value): number => (typeof v === 'boolean' ? (v ? 1 : 0) : Number(v));

/**
 * The first few elements where `got` and `want` differ beyond tolerance (null: they agree).
 * Floats: |got - want| <= rtol * |want| (+ atol), NaN == NaN, infinities exact.
 */
export function mismatch(
  t: DType, got: readonly Value[], want: readonly Value[], inputs: readonly (readonly Value[])[] = [], rtol = 0, atol = 0,
): string | null {
  if (got.length !== want.length) return `length ${got.length} != ${want.length}`;
  const bad: string[] = [];
  for (let i = 0; i < got.length && bad.length < 6; i++) {
    const g = toNum(got[i]!);
    const w = toNum(want[i]!);
    let ok: boolean;
    if (t !== 'float32' && t !== 'float64') ok = g === w;
    else if (Number.isNaN(w) || Number.isNaN(g)) ok = Number.isNaN(w) && Number.isNaN(g);
    else if (!Number.isFinite(w) || !Number.isFinite(g)) ok = g === w;
    // WGSL lets a GPU flush subnormal float32 results to zero.
    else ok = Math.abs(g - w) <= rtol * Math.abs(w) + atol || (t === 'float32' && Math.abs(w) < 2 ** -126 && Math.abs(g) < 2 ** -126);
    if (!ok) bad.push(`[${i}] (${inputs.map((c) => String(c[i])).join(', ')}) -> ${g}, want ${w}`);
  }
  return bad.length ? bad.join('; ') : null;
}

/** The spacing of float32 values at |x| (the smallest subnormal at 0). */
export function ulp32(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a === 0) return 2 ** -149;
  if (!Number.isFinite(a)) return Infinity;
  const e = Math.floor(Math.log2(a));
  // log2 may be off by one near powers of two: fix it from the definition.
  const ex = 2 ** e > a ? e - 1 : 2 ** (e + 1) <= a ? e + 1 : e;
  return 2 ** Math.max(ex - 23, -149);
}

/** Error of got against a reference: float32 ULPs (of the reference) and absolute. */
export interface ErrStat { ulps: number; abs: number; worst: string }

/**
 * Compare float32 results of a transcendental: each element must be within `ulps` float32
 * ULPs of `want` or within `atol` absolutely; special values (NaN, ±Infinity) exactly.
 * Returns the failures (null: none) and the maximum errors seen (for the comment values).
 */
export function closeUlps(
  got: readonly Value[], want: readonly Value[], x: readonly Value[], ulps: number, atol: number, y?: readonly Value[],
): { bad: string | null; stat: ErrStat } {
  const stat: ErrStat = { ulps: 0, abs: 0, worst: '' };
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const g = toNum(got[i]!);
    const w = toNum(want[i]!);
    const where = `(${x[i]}${y ? `, ${y[i]}` : ''}) -> ${g}, want ${w}`;
    if (Number.isNaN(w) || Number.isNaN(g) || !Number.isFinite(w) || !Number.isFinite(g)) {
      const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w;
      if (!ok && bad.length < 6) bad.push(where);
      continue;
    }
    const abs = Math.abs(g - w);
    const u = abs / ulp32(w);
    if (u > stat.ulps) { stat.ulps = u; stat.worst = where; }
    if (abs > stat.abs) stat.abs = abs;
    if (u > ulps && abs > atol && bad.length < 6) bad.push(`${where} (${u.toFixed(1)} ulps, abs ${abs.toExponential(2)})`);
  }
  return { bad: bad.length ? bad.join('; ') : null, stat };
}

/** `${t}(${t}, ...)` with n arguments. */
export const sameSig = (n: number) => (t: DType): string => `${t}(${Array(n).fill(t).join(', ')})`;
