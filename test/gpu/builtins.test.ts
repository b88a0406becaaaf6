/**
 * Every built-in ufunc that runs on the GPU (GPU_BUILTINS) on each of its loops whose
 * dtypes are all gpu dtypes (float32 int32 uint32 bool), called with gpu arrays, against
 * the same built-in on CPU arrays. Integers and bools exact; float32 within 1e-6 relative,
 * transcendentals within math.test.ts's bounds (lavapipe measured; WGSL's loosest elsewhere).
 * Inputs: edge values (pairs of them for binary ufuncs); transcendentals on their domains.
 */
import { describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { GPU_BUILTINS } from '../../src/gpu/builtin-kernels.js';
import { DOMAIN1, DOMAIN2 } from './math-domains.js';
import { arr, closeUlps, edge, flat, hasGpu, mismatch, onLavapipe, pairs, type AnyFn, type Value } from './harness.js';

const GPU_DTYPES = new Set(['float32', 'int32', 'uint32', 'bool']);
const camel = (s: string) => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * NumPy name -> [Math function whose domain and tolerance it shares, lavapipe ULPs]: the
 * bounds of docs/guide/06-targets.md (exp2, power and the logaddexps go through WGSL's exp2).
 */
const TRANSCENDENTAL: Readonly<Record<string, [string, number]>> = {
  sin: ['sin', 2], cos: ['cos', 2], tan: ['tan', 4], exp: ['exp', 2], exp2: ['exp', 64], expm1: ['expm1', 3],
  log: ['log', 3], log2: ['log2', 3], log10: ['log10', 3], log1p: ['log1p', 4], cbrt: ['cbrt', 2],
  arcsin: ['asin', 3], arccos: ['acos', 3], arctan: ['atan', 3], sinh: ['sinh', 3], cosh: ['cosh', 2], tanh: ['tanh', 4],
  arcsinh: ['asinh', 4], arccosh: ['acosh', 4], arctanh: ['atanh', 4], arctan2: ['atan2', 3], hypot: ['hypot', 2], power: ['pow', 64],
  logaddexp: ['log', 64], logaddexp2: ['log2', 64],
};
const ATOL: Readonly<Record<string, number>> = { logaddexp: 2e-7, logaddexp2: 2e-7 };

/** Loops that have no gpu kernel yet (a TargetError E_GPU_NO_KERNEL that says what to do). */
const NO_GPU_KERNEL = new Set(['reciprocal int32', 'reciprocal uint32', 'power int32', 'power uint32']);

interface Loop { ins: DType[]; out: DType }
function gpuLoops(name: string): Loop[] {
  const u = (nb as unknown as Record<string, { types: string[] }>)[camel(name)]!;
  return u.types.map((t) => {
    const [i, o] = t.split('->');
    return { ins: i!.split(',') as DType[], out: o as DType };
  }).filter((l) => [...l.ins, l.out].every((d) => GPU_DTYPES.has(d)));
}

function inputs(name: string, loop: Loop): Value[][] {
  const t = loop.ins[0]!;
  const tr = TRANSCENDENTAL[name];
  if (t === 'float32' && tr && !['logaddexp', 'logaddexp2'].includes(name)) {
    if (loop.ins.length === 1) return [name === 'exp2' ? DOMAIN1.exp!.map((x) => Math.fround(x * 1.4)) : DOMAIN1[tr[0]]!];
    const [x, y] = DOMAIN2[tr[0]]!;
    return [x, y];
  }
  if (loop.ins.length === 1) return [edge(t)];
  if (t === 'float32' && (name === 'logaddexp' || name === 'logaddexp2')) {
    const v = [-100, -3.5, -1, -0.25, 0, 0.5, 1, 2, 10, 80, NaN, Infinity, -Infinity].map(Math.fround);
    return pairs(v, v);
  }
  return pairs(edge(t), edge(loop.ins[1]!));
}

describe.skipIf(!hasGpu)('built-in ufuncs on gpu arrays vs the cpu', () => {
  const cases = GPU_BUILTINS.flatMap((name) => gpuLoops(name).map((loop) => [`${name} ${loop.ins.join(',')}->${loop.out}`, name, loop] as const));

  test('every GPU built-in has at least one gpu-dtype loop', () => {
    for (const name of GPU_BUILTINS) expect(gpuLoops(name).length, name).toBeGreaterThan(0);
  });

  test.each(cases)('%s', async (_, name, loop) => {
    const f = (nb as unknown as Record<string, AnyFn>)[camel(name)]!;
    const cols = inputs(name, loop);
    const host = cols.map((c, j) => arr(loop.ins[j]!, c));
    const dev = await Promise.all(host.map((a) => nb.toGpu(a)));
    if (NO_GPU_KERNEL.has(`${name} ${loop.ins[0]}`)) {
      expect(() => f(...dev)).toThrowError(expect.objectContaining({ code: 'E_GPU_NO_KERNEL' }));
      return;
    }
    const g = f(...dev);
    expect(g.storageKind).toBe('gpu');
    expect(g.dtype).toBe(loop.out);
    const got = flat(await nb.toCpu(g));
    const want = flat(f(...host));
    const tr = loop.out === 'float32' ? TRANSCENDENTAL[name] : undefined;
    if (tr) {
      const ulps = onLavapipe ? tr[1] : 4096;
      const atol = onLavapipe ? ATOL[name] ?? ATOL[tr[0]] ?? 0 : 2 ** -11;
      expect(closeUlps(got, want, cols[0]!, ulps, atol, cols[1]).bad).toBeNull();
    } else {
      expect(mismatch(loop.out, got, want, cols, 1e-6)).toBeNull();
    }
  });
});
