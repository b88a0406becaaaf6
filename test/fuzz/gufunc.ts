/**
 * The differential fuzzer's gufunc driver: generated guvectorize kernels
 * (generate.ts generateGufunc: float64 core arrays, so their meaning is plain JS's), each
 * compiled with compileKernel (a KernelError is a rejection, counted by code) and then run
 * through the public `nb.guvectorize` on inputs of random batch shapes (broadcast against
 * each other: a batch dim of 1, or fewer batch dims) laid out as views (views.ts:
 * contiguous, transposed, stepped, reversed, broadcast with stride 0).
 *
 * The reference is this file's own loop, independent of numbats' gufunc machinery: over
 * the broadcast batch shape, each input's core sub-array is cut from its logical values
 * (views.ts) as a Float64Array (1-D), an array of Float64Array rows (2-D) or a number
 * (`()`), the output core as zeroed Float64Arrays, and the kernel SOURCE is called as plain
 * JavaScript:
 * - with the Wasm's own libm (libm.ts samelibmPlain): every output element bit-exact (NaN
 *   == NaN, -0 != +0), integer-typed intermediates after transcendentals included;
 * - with V8's Math: exact without transcendentals, else within TRANSCENDENTAL_ULPS /
 *   TRANSCENDENTAL_REL; beyond that a divergence (listed with the inputs, not a failure).
 */
import * as nb from '../../src/index.js';
import { compileKernel } from '../../src/compiler/compile.js';
import { KernelError } from '../../src/util/errors.js';
import { generateGufunc, mulberry32, type GeneratedGufunc } from './generate.js';
import { plainJs, samelibmPlain, wasmLibm } from './libm.js';
import { same, show, TRANSCENDENTAL_ULPS, valuesFor } from './run.js';
import { broadcastShapes, buildView, logicalIndex, sizeOf, VIEW_KINDS, type BuiltView, type ViewKind } from './views.js';

export interface GufuncStats {
  tried: number;
  rejected: number;
  compiled: number;
  /** Calls of nb.guvectorize gufuncs (one per kernel) and output elements compared exactly. */
  calls: number;
  elementsCompared: number;
  /** Of those: V8-libm comparisons that matched only within the tolerance, or not at all. */
  approximate: number;
  divergent: number;
  templates: Record<string, number>;
  views: Record<string, number>;
  /** Calls with a broadcast batch (an input's batch shape differs from the result's). */
  batchBroadcasts: number;
  transcendental: number;
  intAfterTranscendental: number;
  codes: Record<string, number>;
  failures: { source: string; signature: string; problem: string }[];
  divergences: { source: string; signature: string; problem: string }[];
}

type Core = number | Float64Array | Float64Array[];

/** The core argument of a kernel parameter: values (C order) over the core shape. */
function coreArg(values: readonly number[], shape: readonly number[]): Core {
  if (shape.length === 0) return values[0]!;
  if (shape.length === 1) return Float64Array.from(values);
  return Array.from({ length: shape[0]! }, (_, i) => Float64Array.from(values.slice(i * shape[1]!, (i + 1) * shape[1]!)));
}

const flatCore = (c: Core): number[] => (typeof c === 'number' ? [c] : c instanceof Float64Array ? [...c] : c.flatMap((row) => [...row]));

/** Run `count` gufunc kernels of the seed's stream. */
export async function runGufuncFuzz(seed: number, count: number): Promise<GufuncStats> {
  const libm = await wasmLibm();
  const stats: GufuncStats = {
    tried: 0, rejected: 0, compiled: 0, calls: 0, elementsCompared: 0, approximate: 0, divergent: 0, templates: {}, views: {},
    batchBroadcasts: 0, transcendental: 0, intAfterTranscendental: 0, codes: {}, failures: [], divergences: [],
  };
  const r = mulberry32(seed ^ 0x1b873593);
  for (let i = 0; i < count; i++) runOne(generateGufunc(seed, i), r, libm, stats);
  return stats;
}

function runOne(g: GeneratedGufunc, r: () => number, libm: Awaited<ReturnType<typeof wasmLibm>>, stats: GufuncStats): void {
  stats.tried++;
  const fail = (problem: string) => { stats.failures.push({ source: g.source, signature: `${g.signature} ${g.layout}`, problem }); };
  try {
    compileKernel(g.source, g.signature, { kind: 'gufunc', core: g.core, prefix: 'gz_' });
  } catch (e) {
    if (e instanceof KernelError) {
      stats.rejected++;
      const code = (e as { code?: string }).code ?? '?';
      stats.codes[code] = (stats.codes[code] ?? 0) + 1;
      // Generated gufuncs are valid kernel-language code: a rejection is a finding.
      fail(`KernelError ${code}: ${e.message.split('\n')[0]}`);
      return;
    }
    fail(`compileKernel threw a non-KernelError: ${String(e)}`);
    return;
  }
  stats.compiled++;
  stats.templates[g.template] = (stats.templates[g.template] ?? 0) + 1;
  if (g.transcendental) stats.transcendental++;
  if (g.intAfterTranscendental) stats.intAfterTranscendental++;

  // Core dim sizes, the result's batch shape, and each input's (broadcast) batch shape.
  const sizes = g.core.dims.map(() => 1 + Math.floor(r() * 4));
  const batch = Array.from({ length: Math.floor(r() * 3) }, () => 1 + Math.floor(r() * 3));
  const coreShapes = g.core.operands.map((dims) => dims.map((d) => sizes[d]!));
  const batchOf = g.core.operands.slice(0, g.core.nin).map(() => {
    const u = r();
    if (u < 0.6 || batch.length === 0) return batch;
    if (u < 0.8) return batch.slice(1 + Math.floor(r() * batch.length));
    return batch.map((s) => (r() < 0.5 ? 1 : s));
  });
  const outBatch = broadcastShapes(batchOf);
  if (batchOf.some((b) => JSON.stringify(b) !== JSON.stringify(outBatch))) stats.batchBroadcasts++;
  let operands: BuiltView[] = [];
  let out: nb.NDArray | null = null;
  try {
    operands = batchOf.map((b, i) => {
      const shape = [...b, ...coreShapes[i]!];
      const kind: ViewKind = VIEW_KINDS[Math.floor(r() * VIEW_KINDS.length)]!;
      stats.views[kind] = (stats.views[kind] ?? 0) + 1;
      const values = (valuesFor('float64', sizeOf(shape), r) as number[]).map((v) => (r() < 0.7 ? Math.round(v * 8) / 8 : v));
      return buildView('float64', values, shape, kind, r);
    });
    const fn = new Function(`return (${g.source});`)() as (...a: never[]) => unknown;
    const gu = nb.guvectorize(g.signature, g.layout)(fn) as unknown as (...a: unknown[]) => nb.NDArray;
    out = gu(...operands.map((o) => o.array));
  } catch (e) {
    fail(`nb.guvectorize threw ${String(e).slice(0, 300)} (operands ${operands.map((o) => `${o.kind} ${JSON.stringify(o.array.shape)}`).join(', ')}; core sizes ${JSON.stringify(sizes)})`);
    for (const o of operands) o.dispose();
    return;
  }
  stats.calls++;
  const outCore = coreShapes[g.core.nin]!;
  const want = [...outBatch, ...outCore];
  const got = out.ndim === 0 ? [out.item() as number] : ((out.toArray() as unknown[]).flat(Infinity as 1) as number[]);
  if (JSON.stringify(out.shape) !== JSON.stringify(want)) {
    fail(`result shape ${JSON.stringify(out.shape)}, want ${JSON.stringify(want)}`);
  } else {
    const exact = samelibmPlain(g.source, libm) as (...a: Core[]) => void;
    const v8 = plainJs(g.source) as (...a: Core[]) => void;
    const outSize = Math.max(1, sizeOf(outCore));
    const describe = () => `operands ${operands.map((o) => `${o.kind} ${JSON.stringify(o.array.shape)}`).join(', ')}`;
    outer: for (let e = 0; e < sizeOf(outBatch); e++) {
      const args = operands.map((o, i) => {
        const cs = sizeOf(coreShapes[i]!);
        const bi = logicalIndex(e, outBatch, batchOf[i]!);
        return coreArg((o.values as number[]).slice(bi * cs, (bi + 1) * cs), coreShapes[i]!);
      });
      const run = (f: (...a: Core[]) => void): number[] => {
        const o = coreArg(new Array<number>(outSize).fill(0), outCore.length === 0 ? [1] : outCore);
        f(...args.map((a) => (typeof a === 'number' ? a : a instanceof Float64Array ? a.slice() : a.map((row) => row.slice()))), o);
        return flatCore(o);
      };
      const ref = run(exact);
      const refV8 = run(v8);
      for (let j = 0; j < outSize; j++) {
        const gv = got[e * outSize + j];
        const at = () => `batch element ${e} of ${JSON.stringify(outBatch)}, output ${j}; ${describe()}; inputs ${args.map((a) => JSON.stringify(flatCore(a).map((x) => show(x)))).join(' ')}`;
        stats.elementsCompared++;
        if (!same('float64', gv, ref[j], 0)) {
          fail(`${at()}: wasm ${show(gv)} vs plain JS with the Wasm's libm ${show(ref[j])} (exact)`);
          break outer;
        }
        const tol = g.transcendental ? TRANSCENDENTAL_ULPS : 0;
        if (!same('float64', gv, refV8[j], tol)) {
          if (!g.transcendental) { fail(`${at()}: wasm ${show(gv)} vs plain JS ${show(refV8[j])}`); break outer; }
          stats.divergent++;
          stats.divergences.push({ source: g.source, signature: `${g.signature} ${g.layout}`, problem: `${at()}: wasm ${show(gv)} vs plain JS with V8's libm ${show(refV8[j])}` });
        } else if (tol > 0 && !same('float64', gv, refV8[j], 0)) stats.approximate++;
      }
    }
  }
  out.dispose();
  for (const o of operands) o.dispose();
}
