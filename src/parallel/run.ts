/**
 * Running one plan on the pool: the cost model (ns per element of each loop, measured on
 * the calling thread's runs) decides whether a call is worth cutting; runPlan cuts it
 * (split.ts) and runs the blocks on the workers, or hands the job to a `callAsync` capture.
 */
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { runtime } from '../runtime/runtime.js';
import { TargetError } from '../util/errors.js';
import { activeCapture } from './capture.js';
import { parallelSettings } from './config.js';
import { runJobSync, type Job, type RemoteExec } from './pool.js';
import { splitDim, splitOuter, writePlans, type Blocks, type BytePlan } from './split.js';

/** A loop that can run on the pool: how to run a block here and in a worker. */
export interface ParallelExec {
  local: (plan: number) => void;
  remote: RemoteExec;
  /** Key of the cost estimate. */
  key: string;
  /** Default ns per element before anything is measured. */
  guess: number;
}

/** Elements per partial in a case-3 reduction (fixed: results must not depend on the machine). */
export const REDUCE_BLOCK = 1 << 17;
const MAX_PARTIALS = 256;

const nsPerElement = new Map<string, number>();

/** A Wasm trap on the parallel target, as a TargetError. */
export function asTrap(e: unknown): unknown {
  if (e instanceof WebAssembly.RuntimeError) {
    return new TargetError(
      'E_TARGET_KERNEL_TRAP',
      `the kernel trapped on the parallel target (${e.message}); the call's outputs are incomplete. ` +
        'The pool is intact and the next call works; run the kernel with target \'cpu\' to debug it',
    );
  }
  return e;
}

function estimate(exec: ParallelExec, size: number): number {
  return (nsPerElement.get(exec.key) ?? exec.guess) * size;
}

/** Run the whole plan on this thread, timing it (the cost model's measurements). */
function runMeasured(exec: ParallelExec, p: BytePlan, frees: number[]): boolean {
  const [ptr] = writePlans({ strides: p.strides, shapes: [p.shape], bases: [p.bases] }, frees);
  const t0 = performance.now();
  try {
    exec.local(ptr);
  } catch (e) {
    throw asTrap(e);
  } finally {
    const { heap } = runtime();
    for (const f of frees.splice(0)) heap.free(f);
  }
  const ns = ((performance.now() - t0) * 1e6) / p.size;
  const old = nsPerElement.get(exec.key);
  nsPerElement.set(exec.key, old === undefined ? ns : 0.7 * old + 0.3 * ns);
  return true;
}

/** Run plan `p` of `exec` on the pool if it pays (true), else decline (false: the caller runs it). */
export function runPlan(
  exec: ParallelExec, p: BytePlan, nin: number,
  o: { identity?: number | bigint; outDtype?: DType; capturable: boolean; frees: number[] },
): boolean {
  const s = parallelSettings();
  const frees = o.frees;
  const decline = () => {
    const { heap } = runtime();
    for (const f of frees.splice(0)) heap.free(f);
    return false;
  };
  const nd = p.shape.length;
  const nops = p.bases.length;
  const blockNs = s.blockMs * 1e6;
  const maxBlocks = 4 * s.threads;
  const outIdx = Array.from({ length: nops - nin }, (_, i) => nin + i);
  const zeroOut = p.shape.map((_, d) => outIdx.some((k) => p.strides[k]![d] === 0));
  let blocks: Blocks;
  let after: (() => void) | undefined;
  if (!zeroOut.some(Boolean)) {
    const nb = Math.min(maxBlocks, Math.floor(estimate(exec, p.size) / blockNs));
    if (nb < 2) return runMeasured(exec, p, frees);
    blocks = splitOuter(p, nb);
  } else {
    // A reduction: only the accumulator pattern (ins [res, x], outs [res]) is cut.
    const acc = nin === 2 && nops === 3 && p.bases[0] === p.bases[2] && p.strides[0]!.every((x, d) => x === p.strides[2]![d]);
    if (!acc) return decline();
    const kept = p.shape.map((_, d) => d).filter((d) => !zeroOut[d]);
    if (kept.length > 0) {
      const d = kept.reduce((a, b) => (p.shape[b]! > p.shape[a]! ? b : a));
      const nb = Math.min(maxBlocks, p.shape[d]!, Math.floor(estimate(exec, p.size) / blockNs));
      if (nb < 2) return runMeasured(exec, p, frees);
      blocks = splitDim(p, d, nb);
    } else {
      if (o.identity === undefined || o.outDtype === undefined || nd === 0) return decline();
      if (p.size < Math.max(s.minElements, 2 * REDUCE_BLOCK)) return decline();
      const nb = Math.min(MAX_PARTIALS, Math.ceil(p.size / REDUCE_BLOCK));
      blocks = splitOuter(p, nb);
      const info = DTYPES[o.outDtype];
      const n = blocks.shapes.length;
      const { heap, memory } = runtime();
      const partials = heap.alloc(n * info.itemSize);
      frees.push(partials);
      const view = new info.TypedArray(memory.buffer, partials, n) as unknown as { fill(v: number | bigint): void };
      view.fill(o.identity);
      const res = p.bases[0]!;
      blocks.bases.forEach((b, j) => {
        b[0] = partials + j * info.itemSize;
        b[2] = b[0];
      });
      after = () => {
        // res = op(res, partial[0]), op(., partial[1]), ...: the loop's own reduce path, in block order.
        const [ptr] = writePlans({ strides: [[0], [info.itemSize], [0]], shapes: [[n]], bases: [[res, partials, res]] }, frees);
        exec.local(ptr);
      };
    }
  }
  const [plans, planStride] = writePlans(blocks, frees);
  const job: Job = { local: exec.local, remote: exec.remote, plans, planStride, nblocks: blocks.shapes.length, frees, after };
  const capture = activeCapture();
  if (o.capturable && capture !== undefined && after === undefined) {
    capture.jobs.push(job);
    return true;
  }
  runJobSync(job);
  return true;
}
