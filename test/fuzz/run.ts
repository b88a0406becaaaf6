/**
 * The differential fuzzer's scalar driver: generate kernels (generate.ts), compile each with
 * compileKernel, link the accepted ones in batches into ONE AssemblyScript module per batch,
 * run every kernel's `<prefix>row` export on ~30 inputs (edge values and random ones) on a
 * private shared memory, and compare the Wasm output with:
 *
 * 1. the JS emitter run with the Wasm's own libm (libm.ts sameLibmJsKernel): BIT-EXACT for
 *    every kernel, transcendental or not (NaN == NaN, -0 != +0). This is the comparison
 *    that integer-typed intermediates after a transcendental cannot slip through: the
 *    reference converts the very float the Wasm converted (see libm.ts);
 * 2. for kernels whose meaning is plain JS's (float64 throughout, `plain`; ~30% of the
 *    stream), the ORIGINAL SOURCE run as plain JavaScript with the Wasm's libm
 *    (libm.ts samelibmPlain): bit-exact, independent of every numbats emitter; and the
 *    source run as plain JavaScript with V8's own Math: exact for kernels without
 *    transcendentals, else within TRANSCENDENTAL_ULPS / TRANSCENDENTAL_REL (V8's libm is
 *    not the Wasm's; beyond that a `divergence`, listed, with the inputs);
 * 3. the JS emitter with V8's libm (`jsKernel`, the project's oracle): exact without
 *    transcendentals, else the same tolerance (divergences listed).
 *
 * Every `vectorizeEvery`-th compiled kernel also runs through the public `nb.vectorize`
 * on strided and broadcast inputs (views.ts) and is compared element by element with (1)
 * (and (2) when plain), over the logical elements as views.ts computes them.
 */
import { compileKernel, linkKernels, type CompiledKernel } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { DTYPES } from '../../src/dtype/dtypes.js';
import { KernelError } from '../../src/util/errors.js';
import * as nb from '../../src/index.js';
import { generateKernel, isFloat, mulberry32, type FuzzType, type GeneratedKernel } from './generate.js';
import { plainJs, sameLibmJsKernel, samelibmPlain, wasmLibm, type WasmLibm } from './libm.js';
import { broadcastShapes, buildView, logicalIndex, sizeOf, VIEW_KINDS, type ViewKind } from './views.js';
import { directEligible, emitDirectWasm } from '../../src/compiler/emit/wasm/emit-module.js';
import { MATH_MODULE } from '../../src/compiler/emit/wasm/math-imports.js';
import { testMathLibrary } from '../compiler/harness.js';

/** ULP bound for kernels using exp/sin/** (Wasm's libm vs V8's). */
export const TRANSCENDENTAL_ULPS = 2;
export const INPUTS_PER_KERNEL = 30;

export interface FuzzStats {
  tried: number;
  rejected: number;
  compiled: number;
  inputsCompared: number;
  plainJsCompared: number;
  mismatches: number;
  /** Comparisons of transcendental kernels that matched only within the stated tolerance. */
  approximate: number;
  /**
   * Transcendental kernels (exp/sin/float `**`) whose results differ beyond the tolerance:
   * V8's and AssemblyScript's libm differ by an ULP, and an ill-conditioned step after it
   * (`Math.exp(x) % 222`, a floor, an integer cast at a boundary) can turn that into any
   * difference. Not failures; listed in `divergences` for review.
   */
  divergent: number;
  divergences: { source: string; signature: string; problem: string }[];
  /** Failing kernels: source, signature and what went wrong. */
  failures: { source: string; signature: string; problem: string }[];
  /** KernelError codes seen, with counts. */
  codes: Record<string, number>;
  /** Wasm vs the JS emitter with the Wasm's libm, bit-exact (every input of every kernel). */
  sameLibmCompared: number;
  /** Kernels whose IR and JS transcendental calls did not pair up (no same-libm reference: a failure). */
  libmUnmapped: number;
  /** Compiled kernels whose meaning is plain JS's (float64 throughout). */
  plainKernels: number;
  /** Of the plain-JS comparisons: Wasm vs plain JS with V8's Math (exact or within the tolerance). */
  plainV8Compared: number;
  /** Compiled kernels with an integer-typed value computed from a transcendental. */
  intAfterTranscendental: number;
  /** Kernels run through the public nb.vectorize on views, and elements compared. */
  vectorizeKernels: number;
  vectorizeCompared: number;
  /** View kinds of the nb.vectorize operands, with counts. */
  views: Record<string, number>;
  /**
   * Kernels the direct emitter takes (compiler/emit/wasm, issue 15: its module of the batch's
   * eligible kernels, the math library imported), and their elements compared with the asc
   * module's bit for bit (NaN == NaN, -0 != +0).
   */
  directKernels: number;
  directCompared: number;
}

export function emptyStats(): FuzzStats {
  return {
    tried: 0, rejected: 0, compiled: 0, inputsCompared: 0, plainJsCompared: 0, mismatches: 0, approximate: 0, divergent: 0,
    divergences: [], failures: [], codes: {}, sameLibmCompared: 0, libmUnmapped: 0, plainKernels: 0, plainV8Compared: 0,
    intAfterTranscendental: 0, vectorizeKernels: 0, vectorizeCompared: 0, views: {}, directKernels: 0, directCompared: 0,
  };
}

type V = number | bigint;

export const EDGES: Record<FuzzType, readonly V[]> = {
  int8: [0, -1, 1, 127, -128],
  uint8: [0, 1, 255, 128],
  int16: [0, -1, 1, 32767, -32768],
  int32: [0, -1, 1, 2147483647, -2147483648],
  uint32: [0, 1, 4294967295, 2147483648],
  int64: [0n, -1n, 1n, 9223372036854775807n, -9223372036854775808n],
  float32: [0, -0, -1, 1, NaN, Infinity, -Infinity, Math.fround(3.4028234663852886e38), Math.fround(1e-45), 0.5, -2.5],
  float64: [0, -0, -1, 1, NaN, Infinity, -Infinity, Number.MAX_VALUE, 5e-324, 0.5, -2.5],
};

export function randomValue(t: FuzzType, r: () => number): V {
  const small = r() < 0.5;
  switch (t) {
    case 'int8': return Math.floor(r() * 256) - 128;
    case 'uint8': return Math.floor(r() * 256);
    case 'int16': return small ? Math.floor(r() * 41) - 20 : Math.floor(r() * 65536) - 32768;
    case 'int32': return small ? Math.floor(r() * 41) - 20 : (Math.floor(r() * 4294967296) | 0);
    case 'uint32': return small ? Math.floor(r() * 41) : Math.floor(r() * 4294967296);
    case 'int64': return small ? BigInt(Math.floor(r() * 41) - 20) : BigInt.asIntN(64, (BigInt(Math.floor(r() * 4294967296)) << 32n) | BigInt(Math.floor(r() * 4294967296)));
    case 'float32': return Math.fround(small ? (r() - 0.5) * 20 : (r() - 0.5) * 10 ** Math.floor(r() * 20 - 5));
    case 'float64': return small ? (r() - 0.5) * 20 : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 10);
  }
}

/** INPUTS_PER_KERNEL input tuples for a kernel: edge values first, then random ones. */
export function inputsFor(params: readonly FuzzType[], r: () => number): V[][] {
  const rows: V[][] = [];
  for (let i = 0; i < INPUTS_PER_KERNEL; i++) {
    rows.push(params.map((t, k) => {
      const e = EDGES[t];
      if (i < 12) return e[(i + k * 3) % e.length]!;
      return r() < 0.25 ? e[Math.floor(r() * e.length)]! : randomValue(t, r);
    }));
  }
  return rows;
}

/** Bit-level equality (NaN == NaN, -0 != +0), or within `maxUlps` for floats. */
export function ulps(t: 'float32' | 'float64', a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  if (t === 'float64') {
    const i = new BigInt64Array(new Float64Array([a, b]).buffer);
    const ord = (x: bigint) => (x < 0n ? -(x & 0x7fffffffffffffffn) : x);
    const d = ord(i[0]!) - ord(i[1]!);
    return Number(d < 0n ? -d : d);
  }
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  const ord = (x: number) => (x < 0 ? -(x & 0x7fffffff) : x);
  return Math.abs(ord(i[0]!) - ord(i[1]!));
}

/**
 * Tolerance for kernels using exp/sin/float `**`: V8's and AssemblyScript's libm differ by an
 * ULP or two, and later arithmetic can amplify that (`(x ** x) ** 7`, a `%` of a large
 * power), so such results match when within TRANSCENDENTAL_ULPS or a relative error of
 * TRANSCENDENTAL_REL (float64; float32: 1e3 times that). Counted in `approximate`.
 */
export const TRANSCENDENTAL_REL = 1e-6;

export function same(t: FuzzType, a: unknown, b: unknown, maxUlps: number): boolean {
  if (isFloat(t)) {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    if (ulps(t as 'float32' | 'float64', a, b) <= maxUlps) return true;
    if (maxUlps === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return false;
    return Math.abs(a - b) <= TRANSCENDENTAL_REL * (t === 'float32' ? 1e3 : 1) * Math.max(Math.abs(a), Math.abs(b));
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as bigint) === BigInt(b as bigint);
  return a === b;
}

export const show = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v));

interface Accepted { g: GeneratedKernel; k: CompiledKernel }

/** Compile one generated kernel; returns the compiled kernel, or null when rejected (stats updated). */
function tryCompile(g: GeneratedKernel, prefix: string, stats: FuzzStats): CompiledKernel | null {
  stats.tried++;
  try {
    const k = compileKernel(g.source, g.signature, { kind: 'scalar', prefix });
    if (g.invalid) {
      stats.mismatches++;
      stats.failures.push({ source: g.source, signature: g.signature, problem: 'invalid construct compiled without a KernelError' });
      return null;
    }
    stats.compiled++;
    return k;
  } catch (e) {
    if (e instanceof KernelError) {
      stats.rejected++;
      const code = (e as { code?: string }).code ?? '?';
      stats.codes[code] = (stats.codes[code] ?? 0) + 1;
      return null;
    }
    stats.mismatches++;
    stats.failures.push({ source: g.source, signature: g.signature, problem: `compileKernel threw a non-KernelError: ${String(e)}` });
    return null;
  }
}

/**
 * Compile a batch into one module; when asc rejects it, split it in halves until the failing
 * kernels are isolated (each recorded as a failure) and the rest compile.
 */
async function compileBatches(batch: Accepted[], stats: FuzzStats): Promise<{ module: WebAssembly.Module; batch: Accepted[] }[]> {
  if (batch.length === 0) return [];
  try {
    const { module } = await compileAssemblyScript(linkKernels(batch.map((a) => a.k)));
    return [{ module, batch }];
  } catch (e) {
    if (batch.length === 1) {
      stats.mismatches++;
      stats.failures.push({ source: batch[0]!.g.source, signature: batch[0]!.g.signature, problem: `asc failed: ${String(e).slice(0, 400)}` });
      return [];
    }
    const h = batch.length >> 1;
    return [...await compileBatches(batch.slice(0, h), stats), ...await compileBatches(batch.slice(h), stats)];
  }
}

/** Run one batch of accepted kernels in one linked module (or a few, when asc rejects some). */
async function runBatch(all: Accepted[], seed: number, stats: FuzzStats, libm: WasmLibm): Promise<void> {
  for (const { module, batch } of await compileBatches(all, stats)) await runModule(module, batch, seed, stats, libm);
}

export type Fail = (problem: string) => void;

/**
 * Compare one output element with the references ((1)-(3) of the header); returns false
 * after recording a failure (the caller stops that kernel there).
 */
export function compareElement(
  g: GeneratedKernel, ins: readonly V[], got: unknown, refs: Refs, stats: FuzzStats, fail: Fail, where: string,
): boolean {
  const at = `${where}inputs (${ins.map(show).join(', ')})`;
  // (1) the JS emitter with the Wasm's libm: exact.
  if (refs.sameLibm) {
    const want = refs.sameLibm(...ins);
    stats.sameLibmCompared++;
    if (!same(g.returns, got, want, 0)) { fail(`${at}: wasm ${show(got)} vs JS emitter with the Wasm's libm ${show(want)} (exact)`); return false; }
  }
  // (3) the JS emitter with V8's libm.
  let want: unknown;
  try {
    want = refs.js(...ins);
  } catch (e) {
    fail(`jsKernel threw ${String(e)} on (${ins.map(show).join(', ')})`);
    return false;
  }
  stats.inputsCompared++;
  const maxUlps = g.transcendental ? TRANSCENDENTAL_ULPS : 0;
  if (maxUlps > 0 && !same(g.returns, got, want, 0) && same(g.returns, got, want, maxUlps)) stats.approximate++;
  if (!same(g.returns, got, want, maxUlps)) {
    if (!g.transcendental) { fail(`${at}: wasm ${show(got)} vs js ${show(want)}`); return false; }
    stats.divergent++;
    stats.divergences.push({ source: g.source, signature: g.signature, problem: `${at}: wasm ${show(got)} vs JS emitter with V8's libm ${show(want)}` });
  }
  if (refs.plain && refs.plainV8) {
    // (2) the source as plain JavaScript: with the Wasm's libm exactly, with V8's as (3).
    const p = refs.plain(...(ins as number[]));
    stats.plainJsCompared++;
    if (!same('float64', got, p, 0)) { fail(`${at}: wasm ${show(got)} vs plain JS with the Wasm's libm ${show(p)} (exact)`); return false; }
    const q = refs.plainV8(...(ins as number[]));
    stats.plainV8Compared++;
    if (!same('float64', q, want, 0)) { fail(`${at}: plain JS ${show(q)} vs jsKernel ${show(want)} (both V8's libm)`); return false; }
  }
  return true;
}

export interface Refs {
  readonly js: (...a: V[]) => unknown;
  readonly sameLibm: ((...a: V[]) => unknown) | null;
  readonly plain: ((...a: number[]) => unknown) | null;
  readonly plainV8: ((...a: number[]) => unknown) | null;
}

export function refsFor(g: GeneratedKernel, k: CompiledKernel, libm: WasmLibm, stats: FuzzStats, fail: Fail): Refs | null {
  const sameLibm = sameLibmJsKernel(k, libm);
  if (!sameLibm) {
    stats.libmUnmapped++;
    fail('no same-libm reference: the IR\'s and the JS text\'s transcendental calls do not pair up');
    return null;
  }
  return {
    js: k.jsKernel as (...a: V[]) => unknown,
    sameLibm: sameLibm as (...a: V[]) => unknown,
    plain: g.plain ? samelibmPlain(g.source, libm) as (...a: number[]) => unknown : null,
    plainV8: g.plain ? plainJs(g.source) as (...a: number[]) => unknown : null,
  };
}

/** The direct emitter's module of the batch's eligible kernels on `memory` (their `row` exports by name). */
async function directModule(batch: Accepted[], memory: WebAssembly.Memory): Promise<Record<string, (...args: number[]) => void>> {
  const eligible = batch.filter(({ k }) => directEligible(k.ir, { mathLibrary: true }));
  if (eligible.length === 0) return {};
  const module = new WebAssembly.Module(emitDirectWasm(eligible.map((a) => a.k)));
  const imports: WebAssembly.Imports = { env: { memory } };
  if (WebAssembly.Module.imports(module).some((i) => i.module === MATH_MODULE)) imports[MATH_MODULE] = await testMathLibrary();
  return new WebAssembly.Instance(module, imports).exports as Record<string, (...args: number[]) => void>;
}

async function runModule(module: WebAssembly.Module, batch: Accepted[], seed: number, stats: FuzzStats, libm: WasmLibm): Promise<void> {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as Record<string, (...args: number[]) => void>;
  const direct = await directModule(batch, memory);
  const r = mulberry32(seed ^ 0x5bd1e995);
  const base = 1 << 20;
  for (const { g, k } of batch) {
    const fail: Fail = (problem) => { stats.mismatches++; stats.failures.push({ source: g.source, signature: g.signature, problem }); };
    const refs = refsFor(g, k, libm, stats, fail);
    if (!refs) continue;
    if (g.plain) stats.plainKernels++;
    if (g.intAfterTranscendental) stats.intAfterTranscendental++;
    const rows = inputsFor(g.params, r);
    const n = rows.length;
    // Operands: each input column, then the output, 8-byte aligned, contiguous.
    const args: number[] = [n];
    const views = k.operands.map((t, i) => {
      const p = base + i * n * 8 + i * 64;
      args.push(p, DTYPES[t].itemSize);
      return new DTYPES[t].TypedArray(memory.buffer, p, n) as unknown as V[];
    });
    rows.forEach((row, j) => row.forEach((v, i) => { views[i]![j] = v; }));
    views[k.nin]!.fill((DTYPES[k.operands[k.nin]!].isBigInt ? 0n : 0) as never);
    exports[k.entries.row]!(...args);
    const directRow = direct[k.entries.row];
    if (directRow !== undefined) {
      // The same row into an output of its own, after the operands: asc's bits.
      const outT = k.operands[k.nin]!;
      const p = base + (k.nin + 1) * (n * 8 + 64);
      const got = new DTYPES[outT].TypedArray(memory.buffer, p, n) as unknown as V[];
      directRow(...args.slice(0, -2), p, DTYPES[outT].itemSize);
      stats.directKernels++;
      for (let j = 0; j < n; j++) {
        stats.directCompared++;
        if (!same(outT as FuzzType, got[j], views[k.nin]![j], 0)) {
          fail(`direct module: element ${j} ${String(got[j])}, asc's module ${String(views[k.nin]![j])} (inputs ${views.slice(0, k.nin).map((v) => String(v[j]))})`);
          break;
        }
      }
    }
    for (let j = 0; j < n; j++) {
      // The references receive the stored (typed-array) values, as the JS loop does.
      const ins = views.slice(0, k.nin).map((v) => v[j]!);
      if (!compareElement(g, ins, views[k.nin]![j], refs, stats, fail, '')) break;
    }
  }
}

/** Logical values of one operand: edge values and random ones of its type. */
export function valuesFor(t: FuzzType, n: number, r: () => number): V[] {
  return Array.from({ length: n }, () => (r() < 0.3 ? EDGES[t][Math.floor(r() * EDGES[t].length)]! : randomValue(t, r)));
}

/**
 * Run a compiled scalar kernel through the public nb.vectorize on views (transposed,
 * stepped, reversed, broadcast, contiguous) of a 2-D broadcast: compare every element of
 * the result with the references, over the logical elements views.ts computed (not
 * numbats' iteration).
 */
function runVectorized(g: GeneratedKernel, k: CompiledKernel, libm: WasmLibm, r: () => number, stats: FuzzStats): void {
  const fail: Fail = (problem) => { stats.mismatches++; stats.failures.push({ source: g.source, signature: g.signature, problem: `nb.vectorize: ${problem}` }); };
  const refs = refsFor(g, k, libm, stats, fail);
  if (!refs) return;
  const full = [2 + Math.floor(r() * 3), 2 + Math.floor(r() * 4)];
  // Each input: the full shape, or one broadcast against it ([n], [m, 1], [1, n]).
  const shapes = g.params.map(() => {
    const u = r();
    return u < 0.55 ? full : u < 0.7 ? [full[1]!] : u < 0.85 ? [full[0]!, 1] : [1, full[1]!];
  });
  const outShape = broadcastShapes(shapes);
  const operands = g.params.map((t, i) => {
    const kind: ViewKind = VIEW_KINDS[Math.floor(r() * VIEW_KINDS.length)]!;
    stats.views[kind] = (stats.views[kind] ?? 0) + 1;
    return buildView(t, valuesFor(t, sizeOf(shapes[i]!), r), shapes[i]!, kind, r);
  });
  const fn = new Function(`return (${g.source});`)() as (...a: never[]) => unknown;
  let out: nb.NDArray;
  try {
    const u = nb.vectorize(g.signature)(fn) as unknown as (...a: unknown[]) => nb.NDArray;
    out = u(...operands.map((o) => o.array));
  } catch (e) {
    fail(`threw ${String(e).slice(0, 300)} (views ${operands.map((o) => `${o.kind} ${JSON.stringify(o.array.shape)}`).join(', ')})`);
    return;
  }
  stats.vectorizeKernels++;
  const got = (out.toArray() as unknown[]).flat(Infinity as 1) as unknown[];
  if (JSON.stringify(out.shape) !== JSON.stringify(outShape) || got.length !== sizeOf(outShape)) {
    fail(`result shape ${JSON.stringify(out.shape)}, want ${JSON.stringify(outShape)}`);
    return;
  }
  for (let e = 0; e < got.length; e++) {
    const ins = operands.map((o, i) => o.values[logicalIndex(e, outShape, shapes[i]!)]!);
    stats.vectorizeCompared++;
    const where = `element ${e} of ${JSON.stringify(outShape)} (views ${operands.map((o) => `${o.kind} ${JSON.stringify(shapes[operands.indexOf(o)])}`).join(', ')}), `;
    if (!compareElement(g, ins, got[e], refs, stats, fail, where)) break;
  }
  out.dispose();
  for (const o of operands) o.dispose();
}

/** Run `count` kernels of the seed's stream, `batchSize` kernels per linked module. */
export async function runFuzz(
  seed: number, count: number,
  options: { batchSize?: number; avoidKnownBugs?: boolean; plainRate?: number; vectorizeEvery?: number; onProgress?: (s: FuzzStats) => void } = {},
): Promise<FuzzStats> {
  const batchSize = options.batchSize ?? 150;
  const vectorizeEvery = options.vectorizeEvery ?? 0;
  const libm = await wasmLibm();
  const stats = emptyStats();
  const vr = mulberry32(seed ^ 0x2545f491);
  let batch: Accepted[] = [];
  let compiled = 0;
  for (let i = 0; i < count; i++) {
    const g = generateKernel(seed, i, { avoidKnownBugs: options.avoidKnownBugs ?? true, ...(options.plainRate !== undefined ? { plainRate: options.plainRate } : {}) });
    const k = tryCompile(g, `k${i}_`, stats);
    if (k) {
      batch.push({ g, k });
      if (vectorizeEvery > 0 && compiled++ % vectorizeEvery === 0) runVectorized(g, k, libm, vr, stats);
    }
    if (batch.length >= batchSize) {
      await runBatch(batch, seed + i, stats, libm);
      batch = [];
      options.onProgress?.(stats);
    }
  }
  await runBatch(batch, seed + count, stats, libm);
  return stats;
}
