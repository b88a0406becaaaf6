/**
 * `f.callAsync(...)` of an nb.jit function with prange loops on 'parallel': the whole call
 * runs on the pool, so the event loop stays free while it runs.
 *
 * One task, the driver, runs the function's entry in an instance of its own (its prange
 * import publishes each loop as a job in a shared session buffer and takes part in it); the
 * other `threads - 1` tasks help with the jobs' blocks until the session ends (the worker's
 * `drive` and `help`, worker-source.ts). Blocks and records are the synchronous call's
 * (jit-prange.ts), so the results are the same bits. The caller lends, for the call, the
 * prange area and (for functions with scratch arrays) one arena per task, and frees them once
 * every task has settled.
 * Errors: a trap in any block or in the function is the same typed error as a synchronous
 * call's (the worker reports bounds and scratch traps as text, parsed back here); a worker
 * that dies makes the call fail with `E_TARGET_WORKER_DIED` (a helper's death is flagged in
 * the session at once, so the driver stops waiting for its blocks).
 */
import type { CompiledJit } from '../compiler/index.js';
import { runtime } from '../runtime/runtime.js';
import { TargetError } from '../util/errors.js';
import { parallelSettings } from './config.js';
import { postTasks, trapError } from './pool.js';
import { SESSION, SESSION_BYTES } from './worker-source.js';

/** What an async call needs of the instantiated specialisation. */
export interface AsyncBinding {
  readonly module: WebAssembly.Module;
  readonly moduleId: number;
  /** Arena bytes per task (0: the module allocates no scratch arrays). */
  readonly arena: number;
}

const died = (why: string) => new TargetError(
  'E_TARGET_WORKER_DIED',
  `a parallel worker died during the nb.jit call (${why}); the pool replaced it and the next call works, but this call's outputs are incomplete`,
);

/**
 * Run the entry of `k` on the pool with the Wasm arguments `wasmArgs`; resolves to the
 * entry's raw result.
 *
 * @param userError - turns a worker's trap (BoundsTrap, ScratchTrap, TargetError) into the call's error
 * @example
 * ```ts
 * const out = await runJitAsync(k, { module, moduleId, arena: 0 }, wasmArgs, (e) => e);
 * ```
 */
export async function runJitAsync(k: CompiledJit, b: AsyncBinding, wasmArgs: readonly unknown[], userError: (e: unknown) => unknown): Promise<unknown> {
  const info = k.prange!;
  const { heap } = runtime();
  const threads = Math.max(1, parallelSettings().threads);
  const session = new SharedArrayBuffer(SESSION_BYTES);
  const w = new Int32Array(session);
  const frees: number[] = [];
  try {
    const area = heap.alloc(info.areaBytes);
    frees.push(area);
    let arenas = 0;
    if (b.arena > 0) frees.push((arenas = heap.alloc(threads * b.arena)));
    const arena = (i: number) => (b.arena > 0 ? { arenaBase: arenas + i * b.arena, arenaBytes: b.arena } : {});
    const common = { moduleId: b.moduleId, module: b.module, session, sites: info.sites.map((s) => s.entry) };
    const tasks: object[] = [{
      kind: 3, ...common, ...arena(0), entry: k.entry, args: wasmArgs, area,
      strides: info.sites.map((s) => s.recordBytes), areaSetter: info.areaSetter, runImport: info.runImport,
    }];
    for (let i = 1; i < threads; i++) tasks.push({ kind: 4, ...common, ...arena(i) });
    const settled = await postTasks(tasks, (i) => {
      if (i === 0) {
        // The driver is gone: release the helpers.
        Atomics.store(w, SESSION.GEN, -1);
        Atomics.notify(w, SESSION.GEN);
      } else {
        // A helper is gone: its claimed blocks never finish; the driver stops waiting.
        Atomics.store(w, SESSION.ERR, 3);
        Atomics.notify(w, SESSION.DONE);
      }
    });
    const lost = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (lost !== undefined) throw died(String((lost.reason as Error)?.message ?? lost.reason));
    const r = (settled[0] as PromiseFulfilledResult<{ value?: unknown; error?: string; died?: boolean }>).value;
    if (r.error !== undefined) throw r.died ? died(r.error) : userError(trapError(r.error));
    return r.value;
  } finally {
    for (const p of frees) heap.free(p);
  }
}
