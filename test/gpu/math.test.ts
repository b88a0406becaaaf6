/**
 * Math.* functions and Number.isNaN/isFinite on the 'gpu' target against the 'cpu' target:
 * one float32 kernel `(op, x, y) => { if (op === 0) return Math.sqrt(x); ... }` compiled
 * for both (one compile each), run over every function's domain (math-domains.ts) plus
 * 0, -0, ±1, NaN, ±Infinity; special values must match exactly (NaN ~ NaN).
 *
 * Tolerances. IEEE-exact functions (sqrt abs floor ceil trunc round sign min max): 1e-6
 * relative. Transcendentals, in float32 ULPs of the cpu result (or an absolute error):
 * - WGSL's bounds (spec, "Floating point accuracy"): sin/cos 2^-11 absolute on [-pi, pi];
 *   exp/exp2 3 + 2|x| ULP; log/log2 3 ULP outside [0.5, 2], 2^-21 absolute inside;
 *   atan/atan2 4096 ULP; asin/acos, tan, pow, sinh/cosh/tanh, asinh/acosh/atanh inherited
 *   from their formulas. numbats polyfills (prelude.ts) replace asin acos atan atan2 sinh
 *   tanh asinh atanh expm1 log1p cbrt hypot log10 round with float32 arithmetic that is
 *   within a few ULPs on any conforming GPU.
 * - On lavapipe (CI) the bounds below are the measured maximum (given per function) plus
 *   a little; on other adapters WGSL's loosest bound applies (4096 ULP or 2^-11 absolute).
 */
import { describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { DOMAIN1, DOMAIN2 } from './math-domains.js';
import { arr, closeUlps, flat, hasGpu, mismatch, onLavapipe, type AnyFn, type Value } from './harness.js';

const EXACT = new Set(['sqrt', 'abs', 'floor', 'ceil', 'trunc', 'round', 'sign', 'min', 'max']);

/** Allowed float32 ULPs against the cpu target on lavapipe: [bound, measured max]. */
const LAVAPIPE_ULPS: Readonly<Record<string, [number, number]>> = {
  sin: [2, 1], cos: [2, 1], tan: [4, 2],
  exp: [64, 56], expm1: [16, 12], log: [40, 33], log2: [32, 23], log10: [32, 28], log1p: [4, 2],
  cbrt: [2, 1], asin: [3, 1], acos: [3, 1], atan: [3, 1], atan2: [3, 1],
  sinh: [64, 49], cosh: [64, 49], tanh: [4, 3], asinh: [4, 2], acosh: [4, 2], atanh: [4, 2],
  hypot: [2, 1], pow: [64, 55],
};
/** Absolute error accepted besides the ULP bound (results near 0): lavapipe's log near 1 is 1.5e-8 off. */
const LAVAPIPE_ATOL: Readonly<Record<string, number>> = { log: 2e-8, log2: 3e-8, log10: 1e-8 };
const SPEC = { ulps: 4096, atol: 2 ** -11 };

const N1 = Object.keys(DOMAIN1);
const NAMES = [...N1, ...Object.keys(DOMAIN2)];
const SIG = 'float32(int32, float32, float32)';
const kernel = new Function('op', 'x', 'y', [
  ...NAMES.map((n, i) => `if (op === ${i}) return Math.${n}(x${i >= N1.length ? ', y' : ''});`),
  'return x;',
].join('\n')) as AnyFn;

const ops: number[] = [];
const xs: number[] = [];
const ys: number[] = [];
NAMES.forEach((n, i) => {
  const [a, b] = DOMAIN1[n] ? [DOMAIN1[n]!, DOMAIN1[n]!.map(() => 0)] : DOMAIN2[n]!;
  a.forEach((x, j) => { ops.push(i); xs.push(x); ys.push(b[j]!); });
});

describe.skipIf(!hasGpu)('Math.* on the gpu vs the cpu target (float32)', async () => {
  const results = hasGpu ? await (async () => {
    const gpu = nb.vectorize([SIG], { target: 'gpu' })(kernel) as unknown as AnyFn;
    const cpu = nb.vectorize([SIG])(kernel) as unknown as AnyFn;
    const ins = [arr('int32', ops), arr('float32', xs), arr('float32', ys)];
    return { g: flat(await gpu(...ins)), c: flat(cpu(...ins)) };
  })() : { g: [], c: [] };
  const measured: string[] = [];

  test.each(NAMES.map((n, i) => [n, i] as const))('Math.%s', (name, i) => {
    const idx = ops.flatMap((o, j) => (o === i ? [j] : []));
    const pick = (v: readonly Value[]) => idx.map((j) => v[j]!);
    const [g, c, x, y] = [pick(results.g), pick(results.c), pick(xs), pick(ys)];
    if (EXACT.has(name)) {
      expect(mismatch('float32', g, c, i >= N1.length ? [x, y] : [x], 1e-6)).toBeNull();
      return;
    }
    const [ulps] = onLavapipe ? LAVAPIPE_ULPS[name]! : [SPEC.ulps];
    const atol = onLavapipe ? LAVAPIPE_ATOL[name] ?? 0 : SPEC.atol;
    const { bad, stat } = closeUlps(g, c, x, ulps, atol, i >= N1.length ? y : undefined);
    measured.push(`${name}: ${stat.ulps.toFixed(1)} ulps`);
    expect(bad).toBeNull();
  });

  test('Number.isNaN / Number.isFinite / isFinite', async () => {
    const k = (a: number) => Number.isNaN(a) || (Number.isFinite(a) && a > 0);
    const gpu = nb.vectorize(['bool(float32)'], { target: 'gpu' })(k) as unknown as AnyFn;
    const cpu = nb.vectorize(['bool(float32)'])(k) as unknown as AnyFn;
    const x = [0, -0, 1, -1, 3e38, 1e-30, NaN, Infinity, -Infinity];
    expect(flat(await gpu(arr('float32', x)))).toEqual(flat(cpu(arr('float32', x))));
    expect(flat(cpu(arr('float32', x)))).toEqual([false, false, true, false, true, true, true, false, false]);
  });
});
