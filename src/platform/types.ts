/**
 * Types shared by the two sides of the platform seams (`X.node.ts` / `X.browser.ts`): each
 * side implements them, core code names only these.
 */
import type { TerminableWorker, WasmModule } from '../util/platform-types.js';

/** What every pool worker receives once: the shared heap and the compiled built-in module. */
export interface PoolWorkerData {
  readonly memory: WebAssembly.Memory;
  readonly builtinModule: WasmModule;
}

/**
 * The parallel target's worker pool (piscina on Node, Web Workers in browsers): `run` posts
 * one task to a worker and settles with the worker's answer; it rejects when that worker
 * died (the pool replaces it).
 */
export interface WorkerPool {
  run(task: unknown): Promise<unknown>;
  /** Late errors of removed workers (a worker killed mid-call). */
  on(event: 'error', listener: (e: unknown) => void): void;
  destroy(): Promise<void>;
  readonly threads: TerminableWorker[];
}
