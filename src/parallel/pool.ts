/**
 * The worker pool of the parallel target (DESIGN.md decision 7) and the two ways a call
 * waits for it.
 *
 * Pool: piscina, started lazily on the first parallel call, `threads` workers, each given
 * the shared heap memory and the compiled built-in module ONCE in `workerData` (and the
 * compiled math library with the tasks whose kernel module imports it: withMathLibrary). Workers are
 * unref'd by piscina while idle, so the pool never keeps a process alive; `shutdown()` ends
 * it. A worker that exits is replaced by piscina; its call fails with a TargetError.
 * Retiring a pool (`shutdown()`, or `nb.config({ parallel: { threads } })`, which starts
 * the next call on a new pool) never cuts a call short: the old pool is destroyed once the
 * `callAsync` jobs already posted to it have settled (their own promises say how they
 * ended); a synchronous call cannot be in flight then, since it blocks the thread.
 *
 * How a call runs (decision, with the measurement that led to it): a call is cut into
 * blocks, whose plans are written into a heap block of their own (one per call: never the
 * runtime's scratch). Threads claim blocks with `Atomics.add` on the call's control words
 * (a small SharedArrayBuffer) and count finished blocks there. So the number of piscina
 * tasks is the number of helping threads, not the number of blocks (a piscina round trip
 * costs ~30 us; a claimed block costs one atomic add), and a block may be small (>= ~0.1 ms)
 * for load balance while every task stays well above 0.5 ms.
 *   - Synchronous call: the caller posts `threads - 1` join tasks (piscina posts them to the
 *     workers' ports at once), then claims blocks itself and finally blocks in `Atomics.wait`
 *     until every claimed block is done. It never waits on the event loop, so it cannot
 *     deadlock on piscina's bookkeeping: a worker that is late (still booting, busy with
 *     async work) simply claims nothing, and the caller does those blocks. (piscina's own
 *     "busy" accounting is only updated on the event loop, so the pool is created with a
 *     very large `concurrentTasksPerWorker`: tasks are always posted, never queued.)
 *   - `callAsync`: the caller posts `threads` join tasks and awaits their promises; the
 *     event loop stays free. A worker that dies rejects its task (piscina reports the exit):
 *     the call fails with `E_TARGET_WORKER_DIED` once the other tasks have settled, so no
 *     thread still touches the call's plans when they are freed.
 * Measured on this project's machine (2 vCPU, see bench/README.md "parallel"): an empty
 * synchronous parallel call costs ~40-80 us; exp(-x*x)*cos(x) over 1e7 float64 runs
 * ~1.9x faster on 2 threads.
 * Limitation: a synchronous call cannot observe a worker dying in the middle of a block
 * (Node delivers a thread's exit on the event loop, which the blocked caller does not run);
 * that needs the worker to be killed from another thread, or an out-of-memory abort.
 */
import { BoundsTrap, parseBoundsMessage, parseScratchMessage, ScratchTrap } from '../compiler/bounds.js';
import { loadBuiltinModule } from '../runtime/builtin-module.js';
import { importsMathLibrary, mathLibraryModule } from '../runtime/math-library.js';
import { runtime } from '../runtime/runtime.js';
import { TargetError } from '../util/errors.js';
import type { TerminableWorker, WasmModule } from '../util/platform-types.js';
import { sharedBuffer, waitWhileEqual } from '../platform/threads.node.js';
import type { WorkerPool } from '../platform/types.js';
import { startPool } from '../platform/worker-pool.node.js';
import { onThreadsChange, parallelSettings } from './config.js';
import { CTRL, CTRL_BYTES } from './worker-source.js';

/** How a worker runs a block plan: the built-in `ufunc(id, plan)`, a kernel `loop(plan)` or a gufunc `loop(plan, core)`. */
export type RemoteExec =
  | { kind: 0; id: number }
  | { kind: 1; moduleId: number; module: WasmModule; fn: string; arena?: number }
  | { kind: 2; moduleId: number; module: WasmModule; fn: string; core: number; arena?: number };

/** A call cut into blocks: plans at `plans + b * planStride`, b < nblocks. */
export interface Job {
  /** Runs one block plan on this thread. */
  local: (plan: number) => void;
  remote: RemoteExec;
  plans: number;
  planStride: number;
  nblocks: number;
  /** Heap blocks to free when the job is over (plans, copied scalars, partials). */
  frees: number[];
  /** Work after every block succeeded (combining partial results), on this thread. */
  after?: () => void;
}

let pool: WorkerPool | undefined;
let poolThreads = 0;
/** The platform has no pool (decided once). */
let noPool = false;
/** The `callAsync` jobs running on each pool (a retired pool waits for its own). */
const inFlight = new WeakMap<WorkerPool, Set<Promise<unknown>>>();

/** Destroy a pool once the async jobs posted to it have settled. */
async function retire(old: WorkerPool): Promise<void> {
  for (let jobs = inFlight.get(old); jobs !== undefined && jobs.size > 0; jobs = inFlight.get(old)) await Promise.allSettled([...jobs]);
  await old.destroy();
}

onThreadsChange(() => {
  const old = pool;
  pool = undefined;
  if (old !== undefined) void retire(old).catch(() => {});
});

/**
 * The pool, started on first use with `threads` workers; undefined where the platform has
 * none (a browser page that is not cross-origin isolated: calls run on the calling thread).
 */
function getPool(): WorkerPool | undefined {
  if (pool === undefined && !noPool) {
    const threads = parallelSettings().threads;
    const { memory } = runtime();
    pool = startPool(threads, { memory, builtinModule: loadBuiltinModule() });
    if (pool === undefined) {
      noPool = true;
      return undefined;
    }
    // piscina emits 'error' for a reply that arrives after its worker was removed (a worker
    // killed mid-call); the call itself already failed with E_TARGET_WORKER_DIED.
    pool.on('error', () => {});
    poolThreads = threads;
  }
  return pool;
}

/** @internal The pool's live Worker objects (tests kill one to check fault handling). */
export function poolWorkers(): TerminableWorker[] {
  return pool === undefined ? [] : [...pool.threads];
}

/** True when a pool exists. */
export function poolStarted(): boolean {
  return pool !== undefined;
}

/**
 * End the parallel target's worker pool (it starts again on the next parallel call).
 * A script does not need this to exit: idle workers never keep the process alive.
 * Calls in flight (`callAsync`) finish first: the promise resolves once they have settled
 * and the workers have exited.
 *
 * @example
 * ```ts
 * const f = nb.vectorize('f8(f8)', { target: 'parallel' })((x: number) => Math.sin(x));
 * f(nb.linspace(0, 1, 1e7));
 * await nb.shutdown();
 * ```
 */
export async function shutdown(): Promise<void> {
  const old = pool;
  pool = undefined;
  if (old !== undefined) await retire(old);
}

/** Whether each kernel module posted so far imports the math library (asked once per module). */
const callsMathLibrary = new WeakMap<WasmModule, boolean>();

/**
 * `task` with the compiled math library (`mathModule`, src/runtime/math-library.ts) when its
 * kernel `module` imports it: a worker instantiates the library once, on the first such
 * task (worker-source.ts), so neither the pool's start nor a worker pays for it before a
 * kernel needs it. Posting a compiled module shares V8's code: nothing is copied or recompiled.
 */
function withMathLibrary<T extends object>(task: T): T {
  const module = (task as { module?: WasmModule }).module;
  if (module === undefined) return task;
  let calls = callsMathLibrary.get(module);
  if (calls === undefined) callsMathLibrary.set(module, (calls = importsMathLibrary(module as WebAssembly.Module)));
  return calls ? { ...task, mathModule: mathLibraryModule() } : task;
}

function taskOf(job: Job, ctrl: SharedArrayBuffer): object {
  return withMathLibrary({ ...job.remote, ctrl, nblocks: job.nblocks, plans: job.plans, planStride: job.planStride });
}

/**
 * The `n` tasks of a job: a kernel that allocates scratch arrays gets one arena per task
 * (a heap block each, freed with the job's other blocks once every task has settled or the
 * call is closed), so no two threads share one (src/vectorize/arena.ts).
 */
function tasksOf(job: Job, ctrl: SharedArrayBuffer, n: number): object[] {
  const task = taskOf(job, ctrl);
  const bytes = job.remote.kind === 0 ? undefined : job.remote.arena;
  if (bytes === undefined || n <= 0) return Array.from({ length: n }, () => task);
  const base = runtime().heap.alloc(n * bytes);
  job.frees.push(base);
  return Array.from({ length: n }, (_, i) => ({ ...task, arenaBase: base + i * bytes, arenaBytes: bytes }));
}

function trapMessage(w: Int32Array): string {
  const len = Atomics.load(w, CTRL.MSG_LEN);
  return new TextDecoder().decode(new Uint8Array(w.buffer as SharedArrayBuffer, 16, len).slice());
}

function freeAll(job: Job): void {
  const { heap } = runtime();
  for (const p of job.frees) heap.free(p);
  job.frees.length = 0;
}

let workerBoundsReports = 0;

/** @internal Failed bounds checks reported by workers so far (tests: the worker's path is taken). */
export function boundsReportsFromWorkers(): number {
  return workerBoundsReports;
}

/** A worker's trap: a failed bounds check as its BoundsTrap (the kernel's factory raises it), else a TargetError. */
export function trapError(msg: string): TargetError | BoundsTrap | ScratchTrap {
  const bounds = parseBoundsMessage(msg) ?? parseScratchMessage(msg);
  if (bounds !== null) {
    workerBoundsReports++;
    return bounds;
  }
  return new TargetError(
    'E_TARGET_KERNEL_TRAP',
    `the kernel trapped on the parallel target (${msg}); the call's outputs are incomplete. ` +
      'The pool is intact and the next call works; run the kernel with target \'cpu\' to debug it',
  );
}

/**
 * Run a job with the caller taking part, blocking until every claimed block is done.
 *
 * @throws TargetError `E_TARGET_KERNEL_TRAP` when a block trapped.
 */
export function runJobSync(job: Job): void {
  const ctrl = sharedBuffer(CTRL_BYTES);
  const w = new Int32Array(ctrl);
  let ownError: unknown;
  try {
    const helpers = Math.min(job.nblocks - 1, parallelSettings().threads - 1);
    if (helpers > 0) {
      const p = getPool();
      if (p !== undefined) for (const task of tasksOf(job, ctrl, Math.min(helpers, poolThreads))) p.run(task).catch(() => {});
    }
    for (;;) {
      if (Atomics.load(w, CTRL.ERR) !== 0) break;
      const b = Atomics.add(w, CTRL.NEXT, 1);
      if (b >= job.nblocks) break;
      try {
        job.local(job.plans + b * job.planStride);
      } catch (e) {
        if (Atomics.compareExchange(w, CTRL.ERR, 0, 2) === 0) ownError = e;
      }
      Atomics.add(w, CTRL.DONE, 1);
    }
  } finally {
    // Close the call: no thread may claim a block after this, so once the claimed ones are
    // done nothing touches the plans any more.
    const claimed = Math.min(Atomics.add(w, CTRL.NEXT, 1 << 30), job.nblocks);
    for (let d = Atomics.load(w, CTRL.DONE); d < claimed; d = Atomics.load(w, CTRL.DONE)) waitWhileEqual(w, CTRL.DONE, d, 50);
  }
  try {
    const err = Atomics.load(w, CTRL.ERR);
    if (err === 2) {
      if (ownError instanceof WebAssembly.RuntimeError) throw trapError(ownError.message);
      throw ownError;
    }
    if (err === 1) throw trapError(trapMessage(w));
    job.after?.();
  } finally {
    freeAll(job);
  }
}

/**
 * @internal Post `tasks` to the pool at once (nb.jit's async sessions, jit-async.ts), tracked
 * as `callAsync` jobs are (a retired pool waits for them); `onReject(i)` runs as soon as task
 * i fails (a worker died), before the others settle.
 */
export function postTasks(tasks: readonly object[], onReject: (i: number) => void): Promise<PromiseSettledResult<unknown>[]> {
  const p = getPool();
  if (p === undefined) {
    return Promise.reject(new TargetError('E_TARGET_UNAVAILABLE', "nb.jit callAsync on target 'parallel' needs the worker pool, which this page does not have " +
      '(a browser page needs cross-origin isolation: COOP same-origin and COEP require-corp); call the function synchronously instead'));
  }
  const all = Promise.allSettled(tasks.map((t, i) => p.run(withMathLibrary(t)).catch((e: unknown) => { onReject(i); throw e; })));
  let jobs = inFlight.get(p);
  if (jobs === undefined) inFlight.set(p, (jobs = new Set()));
  jobs.add(all);
  return all.finally(() => jobs.delete(all));
}

/**
 * Run a job on the workers only; the event loop stays free.
 *
 * @throws TargetError `E_TARGET_WORKER_DIED` (a worker exited during the call),
 *   `E_TARGET_KERNEL_TRAP` (a block trapped).
 */
export async function runJobAsync(job: Job): Promise<void> {
  const ctrl = sharedBuffer(CTRL_BYTES);
  const w = new Int32Array(ctrl);
  try {
    const p = getPool();
    // No pool on this platform (a page without cross-origin isolation): the calling thread runs it.
    if (p === undefined) return runJobSync(job);
    const n = Math.min(job.nblocks, poolThreads);
    const all = Promise.allSettled(tasksOf(job, ctrl, n).map((task) => p.run(task)));
    let jobs = inFlight.get(p);
    if (jobs === undefined) inFlight.set(p, (jobs = new Set()));
    jobs.add(all);
    const settled = await all.finally(() => jobs.delete(all));
    Atomics.add(w, CTRL.NEXT, 1 << 30);
    const died = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (died !== undefined) {
      throw new TargetError(
        'E_TARGET_WORKER_DIED',
        `a parallel worker died during the call (${String((died.reason as Error)?.message ?? died.reason)}); ` +
          'the pool replaced it and the next call works, but this call\'s outputs are incomplete',
      );
    }
    if (Atomics.load(w, CTRL.ERR) !== 0) throw trapError(trapMessage(w));
    if (Atomics.load(w, CTRL.DONE) < job.nblocks) {
      throw new TargetError('E_TARGET_WORKER_DIED', 'a parallel call ended with blocks not run (a worker stopped); retry the call');
    }
    job.after?.();
  } finally {
    freeAll(job);
  }
}
