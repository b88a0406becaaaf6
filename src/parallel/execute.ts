/**
 * Cutting one loop call into blocks and running it on the pool (pool.ts): the hooks that
 * the ufunc paths call (`runLoop` in src/ufunc/execute.ts, the 1-d fast path, the kernels'
 * own row/loop/gufunc entries) and `callAsync`'s capture.
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
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { ALL_LOOPS } from '../builtins/loop-registry.js';
import { CUSTOM_LOOP_BASE } from '../ufunc/loop-record.js';
import type { PlannedLoop } from '../ufunc/targets.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { overlaps, sameLayout, type Operand } from '../ndarray/operand.js';
import { isHeapStorage, type HeapStorage, type Storage } from '../ndarray/storage.js';
import { runtime } from '../runtime/runtime.js';
import { TargetError } from '../util/errors.js';
import { parallelSettings } from './config.js';
import { runJobAsync, runJobSync, type Job, type RemoteExec } from './pool.js';

/** A loop that can run on the pool: how to run a block here and in a worker. */
export interface ParallelExec {
  local: (plan: number) => void;
  remote: RemoteExec;
  /** Key of the cost estimate. */
  key: string;
  /** Default ns per element before anything is measured. */
  guess: number;
}

/** A plan with byte addresses and byte strides (what the Wasm loops read). */
interface BytePlan {
  shape: number[];
  bases: number[];
  strides: number[][];
  size: number;
}

/** Elements per partial in a case-3 reduction (fixed: results must not depend on the machine). */
export const REDUCE_BLOCK = 1 << 17;
const MAX_PARTIALS = 256;

const nsPerElement = new Map<string, number>();
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
    const rec = ALL_LOOPS[loopId];
    if (rec === undefined || rec.row.traps !== undefined) return undefined;
    const { loops } = runtime();
    e = { local: (p) => loops.ufunc(loopId, p), remote: { kind: 0, id: loopId }, key: `b${loopId}`, guess: 1 };
    builtinExecs.set(loopId, e);
  }
  return e;
}

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

// ---- callAsync capture ------------------------------------------------------------------

interface Capture {
  ins: Set<Storage>;
  outs: Set<Storage> | null;
  jobs: Job[];
}
let capture: Capture | undefined;

/**
 * `callAsync` of a parallel-target ufunc: the call's dispatch, casting and allocation run
 * here (they are cheap), its loop runs on the workers while the event loop stays free.
 * Only calls whose loop writes straight into the returned array are captured (options at
 * most `out` of the loop's dtype, inputs in the heap or JS scalars); any other call is run
 * synchronously (still on the pool) and its result returned in a settled promise. The
 * input arrays must not be changed or disposed until the promise settles.
 *
 * @example
 * ```ts
 * const f = nb.vectorize('f8(f8)', { target: 'parallel' })((x: number) => Math.exp(-x * x));
 * const y = await f.callAsync(nb.linspace(0, 1, 1e7));
 * ```
 */
export function callAsyncParallel(call: (...args: unknown[]) => unknown, args: readonly unknown[]): Promise<unknown> {
  const last = args[args.length - 1];
  const opts = typeof last === 'object' && last !== null && Object.getPrototypeOf(last) === Object.prototype ? (last as Record<string, unknown>) : undefined;
  const keys = opts === undefined ? [] : Object.keys(opts);
  const storages = (xs: readonly unknown[]) => {
    const s = new Set<Storage>();
    for (const x of xs) if (x !== null && typeof x === 'object' && 'storage' in x) s.add((x as NDArray).storage);
    return s;
  };
  let result: unknown;
  const cap: Capture | undefined = keys.some((k) => k !== 'out') ? undefined : {
    ins: storages(opts === undefined ? args : args.slice(0, -1)),
    outs: opts?.out === undefined || opts.out === null ? null : storages(Array.isArray(opts.out) ? opts.out : [opts.out]),
    jobs: [],
  };
  const prev = capture;
  capture = cap;
  try {
    result = call(...args);
  } catch (e) {
    if (cap !== undefined) for (const j of cap.jobs) runtimeFree(j);
    return Promise.reject(e);
  } finally {
    capture = prev;
  }
  if (cap === undefined || cap.jobs.length === 0) return Promise.resolve(result);
  return Promise.all(cap.jobs.map(runJobAsync)).then(
    () => result,
    (e: unknown) => {
      const fresh = (x: unknown) => x !== null && typeof x === 'object' && 'dispose' in x && !cap.outs?.has((x as NDArray).storage);
      for (const r of Array.isArray(result) ? result : [result]) if (fresh(r)) (r as NDArray).dispose();
      throw e;
    },
  );
}

function runtimeFree(j: Job): void {
  const { heap } = runtime();
  for (const p of j.frees) heap.free(p);
  j.frees.length = 0;
}

/** Copy one element (<= 8 bytes) to a block of its own, for a job that outlives the call. */
function copyScalar(addr: number, frees: number[]): number {
  const { heap, memory } = runtime();
  const p = heap.alloc(16);
  frees.push(p);
  new Uint8Array(memory.buffer).copyWithin(p, addr, addr + 8);
  return p;
}

// ---- the hooks ----------------------------------------------------------------------------

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
  module: WebAssembly.Module, fn: string, loopFn: (plan: number) => void, rowFn: ((...a: number[]) => void) | undefined, nin: number,
): { exec: { loop: (plan: number) => void; row?: (...a: number[]) => void }; bind(id: number): void } {
  const moduleId = newModuleId();
  const pe: ParallelExec = { local: loopFn, remote: { kind: 1, moduleId, module, fn }, key: `k${moduleId}:${fn}`, guess: 4 };
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
export function parallelGufuncRun(module: WebAssembly.Module, fn: string, gu: (plan: number, core: number) => void, nops: number): (plan: number, core: number) => void {
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
      local: (p) => gu(p, core), remote: { kind: 2, moduleId, module, fn, core }, key: `g${moduleId}:${fn}`, guess: 200,
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

// ---- planning -----------------------------------------------------------------------------

interface Blocks {
  strides: number[][];
  shapes: number[][];
  bases: number[][];
}

const ALIGN_ELEMENTS = 64;

function cut(ext: number, r: number, j: number): number {
  const x = Math.floor((j * ext) / r);
  if (j === r || ext < ALIGN_ELEMENTS * r) return x;
  return Math.min(ext, Math.round(x / ALIGN_ELEMENTS) * ALIGN_ELEMENTS);
}

/** Case 1 and 3: contiguous ranges of the first dim k whose outer product reaches `target`. */
function splitOuter(p: BytePlan, target: number): Blocks {
  const nd = p.shape.length;
  let k = 0;
  let outer = 1;
  while (k < nd - 1 && outer * p.shape[k]! < target) outer *= p.shape[k++]!;
  const ext = p.shape[k]!;
  const r = Math.max(1, Math.min(ext, Math.ceil(target / outer)));
  const tail = p.shape.slice(k + 1);
  const out: Blocks = { strides: p.strides.map((st) => st.slice(k)), shapes: [], bases: [] };
  const idx = new Array<number>(k).fill(0);
  for (let o = 0; o < outer; o++) {
    const off = p.bases.map((b, q) => {
      let a = b;
      for (let i = 0; i < k; i++) a += idx[i]! * p.strides[q]![i]!;
      return a;
    });
    for (let j = 0; j < r; j++) {
      const lo = cut(ext, r, j);
      const hi = cut(ext, r, j + 1);
      if (hi <= lo) continue;
      out.shapes.push([hi - lo, ...tail]);
      out.bases.push(off.map((a, q) => a + lo * p.strides[q]![k]!));
    }
    for (let i = k - 1; i >= 0; i--) {
      if (++idx[i]! < p.shape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** Case 2: ranges of dim `d`, every other dim whole. */
function splitDim(p: BytePlan, d: number, r: number): Blocks {
  const ext = p.shape[d]!;
  const out: Blocks = { strides: p.strides, shapes: [], bases: [] };
  for (let j = 0; j < r; j++) {
    const lo = cut(ext, r, j);
    const hi = cut(ext, r, j + 1);
    if (hi <= lo) continue;
    const shape = [...p.shape];
    shape[d] = hi - lo;
    out.shapes.push(shape);
    out.bases.push(p.bases.map((b, q) => b + lo * p.strides[q]![d]!));
  }
  return out;
}

/** Write the blocks' plans into one heap block; returns [address, stride]. Slot nblocks is spare. */
function writePlans(b: Blocks, frees: number[]): [number, number] {
  const nd = b.strides[0]!.length;
  const nops = b.strides.length;
  const words = 1 + nd + nops * (1 + nd);
  const stride = (words * 4 + 15) & ~15;
  const n = b.shapes.length;
  const { heap, memory } = runtime();
  const ptr = heap.alloc(stride * (n + 1));
  frees.push(ptr);
  const w = new Int32Array(memory.buffer, ptr, (stride * (n + 1)) / 4);
  for (let j = 0; j < n; j++) {
    let at = (j * stride) / 4;
    w[at++] = nd;
    for (const x of b.shapes[j]!) w[at++] = x;
    for (let q = 0; q < nops; q++) {
      w[at++] = b.bases[j]![q]!;
      for (const x of b.strides[q]!) w[at++] = x;
    }
  }
  return [ptr, stride];
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

function runPlan(
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
  if (o.capturable && capture !== undefined && after === undefined) {
    capture.jobs.push(job);
    return true;
  }
  runJobSync(job);
  return true;
}
