/**
 * The differential fuzzer's WGSL driver: generated gpu kernels (generate.ts
 * generateGpuKernel: float32, int32 or uint32) run through the public
 * `nb.vectorize(sig, { target: 'gpu' })` on a WebGPU adapter (lavapipe on CI; the caller
 * checks for one: test/gpu/harness.ts), on heap operands laid out as views (views.ts) of a
 * 2-D broadcast, and compared per logical element with a float32 reference: the JS
 * emitter's kernel compiled for the gpu target (`compileKernel(src, sig, { target: 'gpu' })
 * .jsKernel`: the exact typed meaning, Math.fround after every float32 operation, 32-bit
 * literal-initialised locals as on the GPU).
 *
 * Tolerances:
 * - the kernel body has no transcendentals: integers EXACT, float32 EXACT (bit for bit, NaN
 *   == NaN), except a reference that is subnormal where the GPU gives a zero of the same
 *   sign (WGSL lets a GPU flush subnormals; counted in `flushed`), and a float32 element
 *   whose reference evaluation met an infinity or a NaN (an input, or any float32 result:
 *   libm.ts watchedJsKernel), which WGSL lets an implementation assume never happens
 *   (counted in `nonFinite`; such elements that agree are counted as compared), and a
 *   float32 result within CONTRACTION_ULPS float32 ULPs of the reference's largest
 *   intermediate magnitude (a fused multiply-add: lavapipe's LLVM contracts `a * b + c`,
 *   rounding once where the reference rounds twice; counted in `contracted`);
 * - transcendental TAIL (some float32 kernels): the same body returning `Math.f(E)` (F) and
 *   an integer conversion `(Math.f(E) | 0)` / `(Math.f(E) >>> 0)` (I), run as two more gpu
 *   kernels. F is compared with fround(V8's f) of the GPU's OWN E (E itself was compared
 *   exactly above) within GPU_ULPS[f] float32 ULPs (lavapipe's measured bounds, as in
 *   test/gpu/math.test.ts; 4096 ULP or 2^-11 absolute on other adapters), where E is in
 *   f's tested domain. I is compared EXACTLY with the conversion of the GPU's own F
 *   (`I === F | 0`): an integer after a transcendental is never accepted within a float
 *   tolerance. Where I differs from the reference's integer (the reference's F sits on the
 *   other side of an integer boundary, F being within its ULP bound) that is listed as a
 *   divergence with the boundary shown, never passed silently.
 *
 * Known: lavapipe (Mesa) simplifies `(y + x) - x` to `y` (no IEEE rounding of y + x); the
 * difference itself is within the contraction bound, but a floor/ceil/comparison after it
 * turns it into a failure (long-run seed 32: `Math.ceil((y + x) - (x * 1))`, x = 1e6,
 * y = 1e-30: 1, want 0). The fixed seed of `npm test` has none.
 */
import * as nb from '../../src/index.js';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import { KernelError } from '../../src/util/errors.js';
import { generateGpuKernel, mulberry32, type GeneratedGpuKernel, type GpuFuzzType } from './generate.js';
import { show, same } from './run.js';
import { watchedJsKernel } from './libm.js';
import { broadcastShapes, buildView, logicalIndex, sizeOf, VIEW_KINDS, type BuiltView, type ViewKind } from './views.js';
import { edge, ulp32 } from '../gpu/harness.js';

/** float32 ULPs (and an absolute error near 0) of the GPU's transcendentals on lavapipe. */
export const GPU_ULPS: Readonly<Record<string, { ulps: number; atol: number; domain: (x: number) => boolean }>> = {
  exp: { ulps: 64, atol: 0, domain: (x) => x >= -87 && x <= 88 },
  sin: { ulps: 2, atol: 2 ** -24, domain: (x) => Math.abs(x) <= Math.PI },
  cos: { ulps: 2, atol: 2 ** -24, domain: (x) => Math.abs(x) <= Math.PI },
  log: { ulps: 40, atol: 2e-8, domain: (x) => x > 0 && Number.isFinite(x) },
  atan: { ulps: 3, atol: 0, domain: (x) => Number.isFinite(x) },
};
/**
 * float32 results may differ from the twice-rounded reference where the GPU's compiler fused
 * a * b + c into one FMA (lavapipe's LLVM does; WGSL does not forbid it): accepted when
 * within this many float32 ULPs of the largest intermediate magnitude of the reference.
 */
export const CONTRACTION_ULPS = 4;

/** WGSL's loosest bound (other adapters than lavapipe). */
const SPEC = { ulps: 4096, atol: 2 ** -11 };

export interface GpuStats {
  tried: number;
  rejected: number;
  compiled: number;
  /** Elements compared exactly (ints, and float32 bodies without transcendentals). */
  exactCompared: number;
  flushed: number;
  /** float32 mismatches where the reference met an infinity or a NaN (WGSL leaves those undefined): excused, counted. */
  nonFinite: number;
  /** float32 mismatches within CONTRACTION_ULPS of the largest intermediate (a fused multiply-add): accepted, counted. */
  contracted: number;
  types: Record<string, number>;
  views: Record<string, number>;
  /** Transcendental tails: kernels, F elements checked within the ULP bound, out of f's domain, I exact checks. */
  tails: number;
  tailUlpChecked: number;
  tailOutOfDomain: number;
  tailIntExact: number;
  /** The largest F error seen per function, in float32 ULPs. */
  maxUlps: Record<string, number>;
  divergent: number;
  codes: Record<string, number>;
  failures: { source: string; signature: string; problem: string }[];
  divergences: { source: string; signature: string; problem: string }[];
}

type V = number;

function gpuValues(t: GpuFuzzType, n: number, r: () => number): V[] {
  const e = edge(t) as number[];
  return Array.from({ length: n }, () => {
    if (r() < 0.3) return e[Math.floor(r() * e.length)]!;
    const small = r() < 0.5;
    switch (t) {
      case 'int32': return small ? Math.floor(r() * 41) - 20 : Math.floor(r() * 4294967296) | 0;
      case 'uint32': return small ? Math.floor(r() * 41) : Math.floor(r() * 4294967296);
      default: return Math.fround(small ? (r() - 0.5) * 20 : (r() - 0.5) * 10 ** Math.floor(r() * 16 - 3));
    }
  });
}

const isSubnormal32 = (x: number) => x !== 0 && Math.abs(x) < 2 ** -126;

/** Run `count` gpu kernels of the seed's stream (the caller has checked that an adapter opens). */
export async function runGpuFuzz(seed: number, count: number, options: { lavapipe: boolean }): Promise<GpuStats> {
  const stats: GpuStats = {
    tried: 0, rejected: 0, compiled: 0, exactCompared: 0, flushed: 0, nonFinite: 0, contracted: 0, types: {}, views: {}, tails: 0, tailUlpChecked: 0,
    tailOutOfDomain: 0, tailIntExact: 0, maxUlps: {}, divergent: 0, codes: {}, failures: [], divergences: [],
  };
  const r = mulberry32(seed ^ 0x68e31da4);
  for (let i = 0; i < count; i++) await runOne(generateGpuKernel(seed, i), r, options.lavapipe, stats);
  return stats;
}

/** compileKernel for the gpu target (null: a KernelError, counted). */
function compileGpu(src: string, sig: string, stats: GpuStats, fail: (p: string) => void): CompiledKernel | null {
  try {
    return compileKernel(src, sig, { kind: 'scalar', target: 'gpu' });
  } catch (e) {
    if (e instanceof KernelError) {
      const code = (e as { code?: string }).code ?? '?';
      stats.codes[code] = (stats.codes[code] ?? 0) + 1;
      return null;
    }
    fail(`compileKernel threw a non-KernelError: ${String(e)}`);
    return null;
  }
}

async function callGpu(src: string, sig: string, arrays: nb.NDArray[]): Promise<number[]> {
  const fn = new Function(`return (${src});`)() as (...a: never[]) => unknown;
  const u = nb.vectorize(sig, { target: 'gpu' })(fn) as unknown as (...a: unknown[]) => Promise<nb.NDArray>;
  const out = await u(...arrays);
  const flat = (out.toArray() as unknown[]).flat(Infinity as 1) as number[];
  out.dispose();
  return flat;
}

async function runOne(g: GeneratedGpuKernel, r: () => number, lavapipe: boolean, stats: GpuStats): Promise<void> {
  stats.tried++;
  const fail = (problem: string) => { stats.failures.push({ source: g.source, signature: g.signature, problem }); };
  const k = compileGpu(g.source, g.signature, stats, fail);
  if (!k) { stats.rejected++; return; }
  const tail = g.tail;
  const kf = tail && compileGpu(tail.fSource, tail.fSignature, stats, fail);
  const ki = tail && compileGpu(tail.iSource, tail.iSignature, stats, fail);
  if (tail && (!kf || !ki)) { fail('the transcendental tail was rejected where its body compiled'); return; }
  stats.compiled++;
  stats.types[g.returns] = (stats.types[g.returns] ?? 0) + 1;

  const full = [2 + Math.floor(r() * 3), 2 + Math.floor(r() * 5)];
  const shapes = g.params.map(() => {
    const u = r();
    return u < 0.6 ? full : u < 0.75 ? [full[1]!] : u < 0.9 ? [full[0]!, 1] : [1, full[1]!];
  });
  const outShape = broadcastShapes(shapes);
  let operands: BuiltView[] = [];
  let got: number[];
  let gotF: number[] = [];
  let gotI: number[] = [];
  try {
    operands = g.params.map((t, i) => {
      const kind: ViewKind = VIEW_KINDS[Math.floor(r() * VIEW_KINDS.length)]!;
      stats.views[kind] = (stats.views[kind] ?? 0) + 1;
      return buildView(t, gpuValues(t, sizeOf(shapes[i]!), r), shapes[i]!, kind, r);
    });
    const arrays = operands.map((o) => o.array);
    got = await callGpu(g.source, g.signature, arrays);
    if (tail) {
      gotF = await callGpu(tail.fSource, tail.fSignature, arrays);
      gotI = await callGpu(tail.iSource, tail.iSignature, arrays);
    }
  } catch (e) {
    for (const o of operands) o.dispose();
    if (e instanceof KernelError) {
      // The gpu target's own checks (NB6001: a float64 or int64 value, which WGSL lacks).
      const code = (e as { code?: string }).code ?? '?';
      stats.codes[code] = (stats.codes[code] ?? 0) + 1;
      stats.rejected++;
      stats.compiled--;
      stats.types[g.returns]!--;
      return;
    }
    fail(`nb.vectorize (gpu) threw ${String(e).slice(0, 300)}`);
    for (const o of operands) o.dispose();
    return;
  }
  const views = operands.map((o, i) => `${o.kind} ${JSON.stringify(shapes[i])}`).join(', ');
  for (const o of operands) o.dispose();
  if (got.length !== sizeOf(outShape)) { fail(`${got.length} elements, want ${sizeOf(outShape)}`); return; }
  if (tail) stats.tails++;
  const ref = watchedJsKernel(k);
  for (let e = 0; e < got.length; e++) {
    const ins = operands.map((o, i) => o.values[logicalIndex(e, outShape, shapes[i]!)]! as number);
    const at = `element ${e} (views ${views}), inputs (${ins.map(show).join(', ')})`;
    const want = ref.kernel(...ins) as number;
    stats.exactCompared++;
    if (!same(g.returns, got[e], want, 0)) {
      if (g.returns === 'float32' && isSubnormal32(want) && got[e] === 0 && Object.is(Math.sign(want) < 0 ? -0 : 0, got[e])) { stats.flushed++; continue; }
      // WGSL: "implementations may assume that infinities and NaNs are not present at runtime".
      if (ref.nonFinite()) { stats.nonFinite++; continue; }
      // A fused multiply-add (lavapipe's LLVM contracts a * b + c) rounds once where the
      // reference rounds twice: within CONTRACTION_ULPS of the largest intermediate.
      if (g.returns === 'float32' && Number.isFinite(got[e]!) && Math.abs(got[e]! - want) <= CONTRACTION_ULPS * ulp32(ref.maxAbs())) { stats.contracted++; continue; }
      fail(`${at}: gpu ${show(got[e])} vs reference ${show(want)} (exact)`);
      return;
    }
    if (!tail) continue;
    // The tail: F within the ULP bound of f(E) (E the GPU's own, just checked exact), I exactly the conversion of the GPU's F.
    const E = got[e]!;
    const F = gotF[e]!;
    const I = gotI[e]!;
    const conv = tail.iType === 'int32' ? F | 0 : F >>> 0;
    const fRef = Math.fround((Math as unknown as Record<string, (x: number) => number>)[tail.f]!(E));
    // An infinity or NaN in E's evaluation or out of f: undefined in WGSL (as above), the shaders may differ.
    if (ref.nonFinite() || !Number.isFinite(fRef)) { stats.nonFinite++; continue; }
    stats.tailIntExact++;
    if (I !== conv) {
      fail(`${at}: gpu ${tail.iType} ${show(I)} is not the conversion of the gpu's own Math.${tail.f}(E) = ${show(F)} (${show(conv)}); E = ${show(E)}\n${tail.iSource}`);
      return;
    }
    const b = GPU_ULPS[tail.f]!;
    const [ulps, atol] = lavapipe ? [b.ulps, b.atol] : [SPEC.ulps, SPEC.atol];
    if (!b.domain(E)) { stats.tailOutOfDomain++; continue; }
    stats.tailUlpChecked++;
    const special = !Number.isFinite(fRef) || !Number.isFinite(F);
    const err = Math.abs(F - fRef);
    const u = special ? (Object.is(F, fRef) || (Number.isNaN(F) && Number.isNaN(fRef)) ? 0 : Infinity) : err / ulp32(fRef);
    stats.maxUlps[tail.f] = Math.max(stats.maxUlps[tail.f] ?? 0, u);
    if (u > ulps && !(err <= atol)) {
      fail(`${at}: gpu Math.${tail.f}(${show(E)}) = ${show(F)} vs ${show(fRef)}: ${u.toFixed(1)} ulps > ${ulps}\n${tail.fSource}`);
      return;
    }
    const wantI = ki!.jsKernel(...(ins as never[])) as number;
    if (I !== wantI) {
      // F is within its bound, and I is exactly F's conversion: the reference's F is on the other side of an integer boundary.
      stats.divergent++;
      stats.divergences.push({
        source: tail.iSource, signature: tail.iSignature,
        problem: `${at}: E = ${show(E)}; gpu Math.${tail.f}(E) = ${show(F)} -> ${show(I)}, reference fround(V8 ${tail.f}(E)) = ${show(fRef)} -> ${show(wantI)} ` +
          `(${Math.abs(F) < 2 ** 31 && Math.abs(fRef) < 2 ** 31 ? `the integer boundary ${Math.trunc(Math.abs(F) > Math.abs(fRef) ? F : fRef)} lies between them` : 'beyond 2^31 the conversion wraps modulo 2^32'}; ` +
          `${u.toFixed(1)} ulps apart, within ${ulps})`,
      });
    }
  }
}
