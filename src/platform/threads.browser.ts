/**
 * Platform seam, browser side of threads.node.ts. A window's main thread may not block in
 * `Atomics.wait` (it throws): there the caller of a synchronous parallel call spins on the
 * control word instead, which lasts at most one block (~0.5 ms: blocks are sized so) since
 * it only waits for blocks the workers already claimed. Workers (and Node-like hosts) wait
 * for real. Without cross-origin isolation `SharedArrayBuffer` is not even a global: the pool
 * is off then (worker-pool.browser.ts) and the control words live in a plain buffer.
 */

/** `navigator.hardwareConcurrency`, at least 1. */
export function availableParallelism(): number {
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
}

/** A SharedArrayBuffer where the page may share memory with workers, else a plain ArrayBuffer. */
export function sharedBuffer(bytes: number): SharedArrayBuffer {
  if (typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false) {
    return new SharedArrayBuffer(bytes);
  }
  return new ArrayBuffer(bytes) as unknown as SharedArrayBuffer;
}

/** Whether this thread may call `Atomics.wait` (a worker: yes; a window: no). */
const canBlock = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

/** Wait while `view[index] === value`, at most `ms` ms: blocking in a worker, spinning on the main thread. */
export function waitWhileEqual(view: Int32Array, index: number, value: number, ms: number): void {
  if (canBlock) {
    Atomics.wait(view, index, value, ms);
    return;
  }
  const end = performance.now() + ms;
  while (Atomics.load(view, index) === value && performance.now() < end) { /* spin: see the file header */ }
}
