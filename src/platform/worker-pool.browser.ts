/**
 * Platform seam, browser side of worker-pool.node.ts: the parallel target's pool as
 * `threads` Web Workers running the same worker code as on Node (parallel/worker-source.ts,
 * a CommonJS function, wrapped here so that its `require('node:worker_threads').workerData`
 * is the first message a worker receives). Tasks go round-robin; a worker that fails
 * (`error` event) rejects its tasks and is replaced, as piscina does.
 *
 * Sharing the heap with workers needs cross-origin isolation (COOP `same-origin` + COEP
 * `require-corp`): without it `startPool` returns undefined, parallel calls run on the
 * calling thread, and a single console warning says why.
 */
import { WORKER_SOURCE } from '../parallel/worker-source.js';
import type { PoolWorkerData, WorkerPool } from './types.js';

/** The worker's script: WORKER_SOURCE inside a function given `require` and `module`. */
const BROWSER_WORKER = `self.onmessage = (first) => {
  const require = () => ({ workerData: first.data });
  const module = { exports: undefined };
  (function (require, module) {
${WORKER_SOURCE}
  })(require, module);
  const join = module.exports;
  self.onmessage = (ev) => {
    const { id, task } = ev.data;
    let reply;
    try { reply = { id, value: join(task) }; } catch (e) { reply = { id, error: String(e && e.message || e) }; }
    self.postMessage(reply);
  };
};`;

let warned = false;

/** Why the pool is off on this page, or undefined when it can run. */
function unavailableReason(): string | undefined {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof g.Worker !== 'function') return 'this context has no Web Workers';
  if (g.crossOriginIsolated !== true || typeof SharedArrayBuffer !== 'function') {
    return 'the page is not cross-origin isolated, so workers cannot share its memory (serve it with the headers ' +
      '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp")';
  }
  return undefined;
}

interface Pending { resolve: (v: unknown) => void; reject: (e: unknown) => void }

class WebWorkerPool implements WorkerPool {
  readonly threads: Worker[] = [];
  private readonly pending = new Map<Worker, Map<number, Pending>>();
  private readonly errorListeners: Array<(e: unknown) => void> = [];
  private readonly url: string;
  private next = 0;
  private nextId = 1;
  private destroyed = false;

  constructor(size: number, private readonly workerData: PoolWorkerData) {
    this.url = URL.createObjectURL(new Blob([BROWSER_WORKER], { type: 'text/javascript' }));
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn(): Worker {
    const w = new Worker(this.url);
    const mine = new Map<number, Pending>();
    this.pending.set(w, mine);
    w.onmessage = (ev: MessageEvent<{ id: number; value?: unknown; error?: string }>) => {
      const p = mine.get(ev.data.id);
      if (p === undefined) return;
      mine.delete(ev.data.id);
      if (ev.data.error !== undefined) p.reject(new Error(ev.data.error));
      else p.resolve(ev.data.value);
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      this.replace(w, new Error(`a pool worker failed: ${ev.message}`));
    };
    w.postMessage(this.workerData);
    return w;
  }

  /** Reject a dead worker's tasks and put a new worker in its place. */
  private replace(w: Worker, reason: Error): void {
    const i = this.threads.indexOf(w);
    if (i < 0) {
      for (const f of this.errorListeners) f(reason);
      return;
    }
    w.terminate();
    const mine = this.pending.get(w)!;
    this.pending.delete(w);
    for (const p of mine.values()) p.reject(reason);
    this.threads[i] = this.spawn();
  }

  run(task: unknown): Promise<unknown> {
    if (this.destroyed) return Promise.reject(new Error('the pool was destroyed'));
    const w = this.threads[this.next++ % this.threads.length]!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.get(w)!.set(id, { resolve, reject });
      w.postMessage({ id, task });
    });
  }

  on(_event: 'error', listener: (e: unknown) => void): void {
    this.errorListeners.push(listener);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const w of this.threads) {
      w.terminate();
      for (const p of this.pending.get(w)!.values()) p.reject(new Error('the pool was destroyed'));
    }
    this.threads.length = 0;
    URL.revokeObjectURL(this.url);
  }
}

/**
 * A pool of `threads` Web Workers, or undefined (with one console warning) where the page
 * cannot share memory with workers.
 *
 * @example
 * ```ts
 * const pool = startPool(navigator.hardwareConcurrency, { memory, builtinModule });
 * ```
 */
export function startPool(threads: number, workerData: PoolWorkerData): WorkerPool | undefined {
  const reason = unavailableReason();
  if (reason !== undefined) {
    if (!warned) {
      warned = true;
      console.warn(`numbats: the 'parallel' target runs on the calling thread: ${reason}`);
    }
    return undefined;
  }
  return new WebWorkerPool(threads, workerData);
}
