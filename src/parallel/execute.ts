/**
 * The parallel target's hooks: what the ufunc paths call (`runLoop` in src/ufunc/execute.ts
 * and the 1-d fast path, through the target registry in src/ufunc/targets.ts) and the
 * kernels' own row/loop/gufunc entries. A call is turned into a byte plan here, cut into
 * blocks by split.ts, run on the pool (pool.ts) by run.ts, or kept for `callAsync` by
 * capture.ts.
 *
 * Splitting. The iteration plan (simplifyPlan: size-1 dims dropped, ordered by stride,
 * contiguous dims merged; so a contiguous call is ONE dimension) is cut:
 *   1. elementwise (no output has a zero stride): along the outermost dims, as contiguous
 *      ranges of the first dim k whose outer product reaches the block count (a 1-d plan:
 *      ranges of the flattened range, aligned to 64 elements). Results are bit-identical to
 *      the calling thread's, whatever the block count;
 *   2. a reduction that keeps some dims (the output has stride 0 on the reduced ones): along
 *      the largest kept dim only, so every output element is reduced by one thread in the
 *      same order as on the calling thread: bit-identical too;
 *   3. a reduction to one element per call (`add.reduce(a, { axis: null })`, 1-d sums): only
 *      for ufuncs with an identity. Block b reduces into its own partial (initialised to the
 *      identity), and the partials are then folded into the result in block order by the
 *      loop itself. The blocks depend on the size only (never on thread count or timing),
 *      so the same input always gives the same result; it may differ from the calling
 *      thread's pairwise sum in the last bits (as NumPy's differs from math.fsum).
 * Crossover. Each loop's cost (ns/element) is measured on the calling thread's runs (EWMA);
 * a call is parallel when it makes at least two blocks of `blockMs` (0.5 ms) and has at
 * least `minElements` (cases 1, 2). Case 3 is decided by size only (>= 2^18 elements and
 * `minElements`), again so that results do not depend on timing.
 */
import { DTYPES } from '../dtype/dtypes.js';
import { loopById } from '../builtins/loop-registry.js';
import { CUSTOM_LOOP_BASE } from '../ufunc/loop-record.js';
import type { PlannedLoop } from '../ufunc/targets.js';
import { overlaps, sameLayout } from '../ndarray/operand.js';
import { isHeapStorage, type HeapStorage } from '../ndarray/storage.js';
import { runtime } from '../runtime/runtime.js';
import { activeCapture, copyScalar } from './capture.js';
import { parallelSettings } from './config.js';
import { asTrap, runPlan, type ParallelExec } from './run.js';
import type { BytePlan } from './split.js';

const kernelLoops = new Map<number, ParallelExec>();
const builtinExecs = new Map<number, ParallelExec>();
let nextModuleId = 1;

/** @internal A fresh id for a kernel module (workers cache instances by it). */
export function newModuleId(): number {
  return nextModuleId++;
}

function execFor(loopId: number): ParallelExec | undefined {
  if (loopId >= CUSTOM_LOOP_BASE) return kernelLoops.get(loopId);
  if (!parallelSettings().builtins) return undefined;
  let e = builtinExecs.get(loopId);
  if (e === undefined) {
    const rec = loopById(loopId);
    if (rec === undefined || rec.row.traps !== undefined) return undefined;
    const { loops } = runtime();
    e = { local: (p) => loops.ufunc(loopId, p), remote: { kind: 0, id: loopId }, key: `b${loopId}`, guess: 1 };
    builtinExecs.set(loopId, e);
  }
  return e;
}

/**
 * The target's `runLoop` (src/ufunc/targets.ts): run a planned loop on the pool, or return
 * false (then the caller runs it as usual). Taken only for loops that are parallel
 * (kernels compiled with target 'parallel'; built-ins after `nb.config({ parallel: true })`),
 * heap operands, no partial overlap, and calls above the crossover.
 *
 * @example
 * ```ts
 * if (!tryParallelLoop({ loopId, ins, outs, inOps, outOps, plan })) runSerially();
 * ```
 */
export function tryParallelLoop(call: PlannedLoop): boolean {
  const { loopId, ins, outs, inOps, outOps, plan } = call;
  if (call.allowOverlap || plan.size < 2) return false;
  const s = parallelSettings();
  if (s.threads < 2 || plan.size < s.minElements) return false;
  const exec = execFor(loopId);
  if (exec === undefined) return false;
  const ops = [...inOps, ...outOps];
  const heap: HeapStorage[] = [];
  for (const op of ops) {
    if (!isHeapStorage(op.storage) || op.storage.disposed) return false;
    heap.push(op.storage);
  }
  for (const op of inOps) if (outOps.some((o) => overlaps(op, o) && !sameLayout(op, o))) return false;
  const arrays = [...ins, ...outs];
  const sizes = arrays.map((a) => DTYPES[a.dtype].itemSize);
  const bases = ops.map((op, k) => heap[k]!.ptr + op.offset * sizes[k]!);
  const frees: number[] = [];
  const capture = activeCapture();
  let capturable = capture !== undefined;
  if (capture !== undefined) {
    for (let k = 0; k < ins.length && capturable; k++) {
      if (capture.ins.has(ins[k]!.storage)) continue;
      if (plan.strides[k]!.every((x) => x === 0)) bases[k] = copyScalar(bases[k]!, frees);
      else capturable = false;
    }
    for (const o of outs) if (capture.outs !== null && !capture.outs.has(o.storage)) capturable = false;
    if (!capturable) for (const p of frees.splice(0)) runtime().heap.free(p);
    if (!capturable) bases.splice(0, bases.length, ...ops.map((op, k) => heap[k]!.ptr + op.offset * sizes[k]!));
  }
  const bp: BytePlan = { shape: plan.shape, bases, strides: plan.strides.map((st, k) => st.map((x) => x * sizes[k]!)), size: plan.size };
  const outDtype = outs.length === 1 ? outs[0]!.dtype : undefined;
  return runPlan(exec, bp, ins.length, { identity: call.identity, outDtype, capturable, frees });
}

/**
 * The 1-d fast path hook (contiguous or scalar-strided rows): `args` are
 * `p0, s0, p1, s1, ...` (byte addresses and byte strides) of the inputs then the outputs.
 *
 * @example
 * ```ts
 * if (n >= gate.builtinMin && tryParallelRow(loop.id, n, [pa, sa, po, so], 1)) return o;
 * ```
 */
export function tryParallelRow(loopId: number, n: number, args: readonly number[], nin: number): boolean {
  const s = parallelSettings();
  if (s.threads < 2 || n < s.minElements) return false;
  const exec = execFor(loopId);
  if (exec === undefined) return false;
  return parallelRow(exec, n, args, nin);
}

function parallelRow(exec: ParallelExec, n: number, args: readonly number[], nin: number): boolean {
  const bases: number[] = [];
  const strides: number[][] = [];
  const frees: number[] = [];
  for (let k = 0; k < args.length; k += 2) {
    bases.push(args[k]!);
    strides.push([args[k + 1]!]);
  }
  const capture = activeCapture();
  if (capture !== undefined) {
    for (let k = 0; k < nin; k++) if (strides[k]![0] === 0) bases[k] = copyScalar(bases[k]!, frees);
  }
  return runPlan(exec, { shape: [n], bases, strides, size: n }, nin, { capturable: capture !== undefined, frees });
}

/**
 * The executor entries of a kernel compiled with target 'parallel' (vectorize): the loop
 * and row entries go to the pool above the crossover, and a trap becomes a TargetError.
 * Call `bind(id)` with the registered loop's id.
 *
 * @example
 * ```ts
 * const p = parallelKernelExec(module, 'v0_loop', loopFn, rowFn);
 * const rec = registerLoop({ ..., exec: p.exec });
 * p.bind(rec.id);
 * ```
 */
export function parallelKernelExec(
  module: WebAssembly.Module, fn: string, loopFn: (plan: number) => void, rowFn: ((...a: number[]) => void) | undefined, nin: number, arena = 0,
): { exec: { loop: (plan: number) => void; row?: (...a: number[]) => void }; bind(id: number): void } {
  const moduleId = newModuleId();
  const pe: ParallelExec = { local: loopFn, remote: { kind: 1, moduleId, module, fn, ...(arena > 0 ? { arena } : {}) }, key: `k${moduleId}:${fn}`, guess: 4 };
  const loop = (plan: number) => {
    try {
      loopFn(plan);
    } catch (e) {
      throw asTrap(e);
    }
  };
  const exec: { loop: (plan: number) => void; row?: (...a: number[]) => void } = { loop };
  if (rowFn !== undefined) {
    // Fixed-arity wrappers for the fast path's rows (n, p0, s0, [p1, s1,] po, so): no rest
    // array nor spread per call; the settings are read only for rows that could go to the pool.
    const s = parallelSettings();
    const big = (n: number) => n >= 2 && n >= s.minElements && s.threads > 1;
    if (nin === 1) {
      exec.row = (n: number, p0: number, s0: number, po: number, so: number) => {
        if (big(n) && parallelRow(pe, n, [p0, s0, po, so], 1)) return;
        try {
          rowFn(n, p0, s0, po, so);
        } catch (e) {
          throw asTrap(e);
        }
      };
    } else if (nin === 2) {
      exec.row = (n: number, p0: number, s0: number, p1: number, s1: number, po: number, so: number) => {
        if (big(n) && parallelRow(pe, n, [p0, s0, p1, s1, po, so], 2)) return;
        try {
          rowFn(n, p0, s0, p1, s1, po, so);
        } catch (e) {
          throw asTrap(e);
        }
      };
    } else {
      exec.row = (...a: number[]) => {
        const n = a[0]!;
        if (big(n) && parallelRow(pe, n, a.slice(1), nin)) return;
        try {
          rowFn(...a);
        } catch (e) {
          throw asTrap(e);
        }
      };
    }
  }
  return { exec, bind: (id) => kernelLoops.set(id, pe) };
}

/**
 * The runner of a guvectorize kernel compiled with target 'parallel': the plan of the loop
 * dims (written by gufunc.ts) is cut along its outer dims; every block shares the read-only
 * core block.
 *
 * @example
 * ```ts
 * const run = parallelGufuncRun(module, 'g0_loop', gu, nin + nout);
 * run(planPtr, corePtr);
 * ```
 */
export function parallelGufuncRun(module: WebAssembly.Module, fn: string, gu: (plan: number, core: number) => void, nops: number, arena = 0): (plan: number, core: number) => void {
  const moduleId = newModuleId();
  return (planPtr: number, core: number) => {
    const s = parallelSettings();
    const w = new Int32Array(runtime().memory.buffer, planPtr);
    const ndim = w[0]!;
    const shape = Array.from(w.subarray(1, 1 + ndim));
    let size = 1;
    for (const d of shape) size *= d;
    const bases: number[] = [];
    const strides: number[][] = [];
    for (let k = 0, at = 1 + ndim; k < nops; k++, at += 1 + ndim) {
      bases.push(w[at]! >>> 0);
      strides.push(Array.from(w.subarray(at + 1, at + 1 + ndim)));
    }
    const pe: ParallelExec = {
      local: (p) => gu(p, core), remote: { kind: 2, moduleId, module, fn, core, ...(arena > 0 ? { arena } : {}) }, key: `g${moduleId}:${fn}`, guess: 200,
    };
    const outZero = strides.slice(nops - 1).some((st) => st.some((x) => x === 0));
    if (s.threads < 2 || ndim === 0 || size < 2 || outZero || !runPlan(pe, { shape, bases, strides, size }, nops - 1, { capturable: false, frees: [] })) {
      try {
        gu(planPtr, core);
      } catch (e) {
        throw asTrap(e);
      }
    }
  };
}
