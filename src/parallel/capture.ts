/**
 * `callAsync` on the parallel target: while a call is captured, the loops it would run on
 * the pool are kept as jobs instead, and run on the workers after the call returns, so the
 * event loop stays free. Scalars a job reads are copied to blocks of its own, since the
 * call's temporaries are gone by the time the job runs.
 *
 * Lifetimes: the jobs address the call's arrays by pointer, so every heap array they may
 * touch (the inputs, `out`, the fresh results) is pinned until every job has settled
 * (lifetime.ts): disposing one of them meanwhile, or its collection, disposes it for the
 * user at once but keeps its block out of the heap until the workers are done with it.
 */
import type { NDArray } from '../ndarray/ndarray.js';
import { isHeapStorage, type HeapStorage, type Storage } from '../ndarray/storage.js';
import { runtime } from '../runtime/runtime.js';
import { runJobAsync, type Job } from './pool.js';

/** What one `callAsync` collects: its inputs' and outputs' storages, and the jobs to run later. */
export interface Capture {
  ins: Set<Storage>;
  outs: Set<Storage> | null;
  jobs: Job[];
}
let capture: Capture | undefined;

/** The capture of the `callAsync` now being set up, if any (its jobs run after the call returns). */
export function activeCapture(): Capture | undefined {
  return capture;
}

/**
 * `callAsync` of a parallel-target ufunc: the call's dispatch, casting and allocation run
 * here (they are cheap), its loop runs on the workers while the event loop stays free.
 * Only calls whose loop writes straight into the returned array are captured (options at
 * most `out` of the loop's dtype, inputs in the heap or JS scalars); any other call is run
 * synchronously (still on the pool) and its result returned in a settled promise. The
 * workers read the inputs while the promise is pending: changing them meanwhile is a data
 * race. Disposing them (or `out`) is safe: their memory is kept until the call settles.
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
  const results = Array.isArray(result) ? (result as unknown[]) : [result];
  const pinned = new Set<HeapStorage>();
  for (const s of [...cap.ins, ...(cap.outs ?? []), ...storages(results)]) {
    if (isHeapStorage(s) && !pinned.has(s)) {
      s.pin();
      pinned.add(s);
    }
  }
  // allSettled, not all: a failed job must not unpin while another job's workers still run.
  return Promise.allSettled(cap.jobs.map(runJobAsync)).then((settled) => {
    for (const s of pinned) s.unpin();
    const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed === undefined) return result;
    const fresh = (x: unknown) => x !== null && typeof x === 'object' && 'dispose' in x && !cap.outs?.has((x as NDArray).storage);
    for (const r of results) if (fresh(r)) (r as NDArray).dispose();
    throw failed.reason;
  });
}

export function runtimeFree(j: Job): void {
  const { heap } = runtime();
  for (const p of j.frees) heap.free(p);
  j.frees.length = 0;
}

/** Copy one element (<= 8 bytes) to a block of its own, for a job that outlives the call. */
export function copyScalar(addr: number, frees: number[]): number {
  const { heap, memory } = runtime();
  const p = heap.alloc(16);
  frees.push(p);
  new Uint8Array(memory.buffer).copyWithin(p, addr, addr + 8);
  return p;
}
