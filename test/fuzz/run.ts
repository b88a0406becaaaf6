/**
 * The differential fuzzer's driver: generate kernels (generate.ts), compile each with
 * compileKernel, link the accepted ones in batches into ONE AssemblyScript module per batch,
 * run every kernel's `<prefix>row` export on ~30 inputs (edge values and random ones) on a
 * private shared memory, and compare with the JS emitter's `jsKernel` (the exact oracle):
 * integers bit-exact, floats bit-exact (NaN == NaN, -0 != +0) or within TRANSCENDENTAL_ULPS
 * for kernels using exp/sin/**. For all-float64 kernels the JS emitter is also compared, bit
 * for bit, with the original source run as plain JavaScript.
 */
import { compileKernel, linkKernels, type CompiledKernel } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { DTYPES } from '../../src/dtype/dtypes.js';
import { KernelError } from '../../src/util/errors.js';
import { generateKernel, isFloat, mulberry32, type FuzzType, type GeneratedKernel } from './generate.js';

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
}

type V = number | bigint;

const EDGES: Record<FuzzType, readonly V[]> = {
  int8: [0, -1, 1, 127, -128],
  uint8: [0, 1, 255, 128],
  int16: [0, -1, 1, 32767, -32768],
  int32: [0, -1, 1, 2147483647, -2147483648],
  uint32: [0, 1, 4294967295, 2147483648],
  int64: [0n, -1n, 1n, 9223372036854775807n, -9223372036854775808n],
  float32: [0, -0, -1, 1, NaN, Infinity, -Infinity, Math.fround(3.4028234663852886e38), Math.fround(1e-45), 0.5, -2.5],
  float64: [0, -0, -1, 1, NaN, Infinity, -Infinity, Number.MAX_VALUE, 5e-324, 0.5, -2.5],
};

function randomValue(t: FuzzType, r: () => number): V {
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
function ulps(t: 'float32' | 'float64', a: number, b: number): number {
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

function same(t: FuzzType, a: unknown, b: unknown, maxUlps: number): boolean {
  if (isFloat(t)) {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    if (ulps(t as 'float32' | 'float64', a, b) <= maxUlps) return true;
    if (maxUlps === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return false;
    return Math.abs(a - b) <= TRANSCENDENTAL_REL * (t === 'float32' ? 1e3 : 1) * Math.max(Math.abs(a), Math.abs(b));
  }
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as bigint) === BigInt(b as bigint);
  return a === b;
}

const show = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v));

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
async function runBatch(all: Accepted[], seed: number, stats: FuzzStats): Promise<void> {
  for (const { module, batch } of await compileBatches(all, stats)) await runModule(module, batch, seed, stats);
}

async function runModule(module: WebAssembly.Module, batch: Accepted[], seed: number, stats: FuzzStats): Promise<void> {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as Record<string, (...args: number[]) => void>;
  const r = mulberry32(seed ^ 0x5bd1e995);
  const base = 1 << 20;
  for (const { g, k } of batch) {
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
    const maxUlps = g.transcendental ? TRANSCENDENTAL_ULPS : 0;
    const plain = g.params.every((t) => t === 'float64') && g.returns === 'float64'
      ? (new Function(`return (${g.source});`)() as (...a: number[]) => number) : null;
    for (let j = 0; j < n; j++) {
      // jsKernel receives the stored (typed-array) values, as the JS loop does.
      const ins = views.slice(0, k.nin).map((v) => v[j]!);
      let want: unknown;
      try {
        want = k.jsKernel(...(ins as never[]));
      } catch (e) {
        stats.mismatches++;
        stats.failures.push({ source: g.source, signature: g.signature, problem: `jsKernel threw ${String(e)} on (${ins.map(show).join(', ')})` });
        break;
      }
      const got = views[k.nin]![j];
      stats.inputsCompared++;
      if (maxUlps > 0 && !same(g.returns, got, want, 0) && same(g.returns, got, want, maxUlps)) stats.approximate++;
      if (!same(g.returns, got, want, maxUlps)) {
        if (g.transcendental) {
          stats.divergent++;
          stats.divergences.push({ source: g.source, signature: g.signature, problem: `inputs (${ins.map(show).join(', ')}): wasm ${show(got)} vs js ${show(want)}` });
          break;
        }
        stats.mismatches++;
        stats.failures.push({ source: g.source, signature: g.signature, problem: `inputs (${ins.map(show).join(', ')}): wasm ${show(got)} vs js ${show(want)}` });
        break;
      }
      if (plain) {
        const p = plain(...(ins as number[]));
        stats.plainJsCompared++;
        if (!same('float64', p, want, 0)) {
          stats.mismatches++;
          stats.failures.push({ source: g.source, signature: g.signature, problem: `inputs (${ins.map(show).join(', ')}): plain JS ${show(p)} vs jsKernel ${show(want)}` });
          break;
        }
      }
    }
  }
}

/** Run `count` kernels of the seed's stream, `batchSize` kernels per linked module. */
export async function runFuzz(
  seed: number, count: number, options: { batchSize?: number; avoidKnownBugs?: boolean; onProgress?: (s: FuzzStats) => void } = {},
): Promise<FuzzStats> {
  const batchSize = options.batchSize ?? 150;
  const stats: FuzzStats = { tried: 0, rejected: 0, compiled: 0, inputsCompared: 0, plainJsCompared: 0, mismatches: 0, approximate: 0, divergent: 0, divergences: [], failures: [], codes: {} };
  let batch: Accepted[] = [];
  for (let i = 0; i < count; i++) {
    const g = generateKernel(seed, i, { avoidKnownBugs: options.avoidKnownBugs ?? true });
    const k = tryCompile(g, `k${i}_`, stats);
    if (k) batch.push({ g, k });
    if (batch.length >= batchSize) {
      await runBatch(batch, seed + i, stats);
      batch = [];
      options.onProgress?.(stats);
    }
  }
  await runBatch(batch, seed + count, stats);
  return stats;
}
