/**
 * Platform seam: the thread that touches freshly grown heap pages on Node
 * (runtime/prefault.ts says why). The browser twin starts none: there the first write maps
 * a page, as before.
 */
import { Worker } from 'node:worker_threads';

/** The worker's code: touch each page of [m[0], m[1]) without changing a value. */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const memory = workerData.memory;
const PAGE = 4096;
parentPort.on('message', (m) => {
  const view = new Int32Array(memory.buffer); // a shared memory's buffer has its current length
  const end = Math.min(m[1], view.length * 4);
  for (let p = m[0]; p < end; p += PAGE) Atomics.compareExchange(view, p >> 2, 0, 0);
});
`;

/** What the runtime uses of the thread. */
export interface PrefaultWorker {
  postMessage(m: unknown): void;
  unref(): void;
  on(e: string, f: (x: unknown) => void): void;
  terminate(): Promise<number>;
}

/**
 * Start the prefault thread on `memory` (unref'd: it never keeps the process alive), or
 * undefined where there is none.
 *
 * @example
 * ```ts
 * startPrefaultWorker(heapMemory())?.postMessage([start, end]);
 * ```
 */
export function startPrefaultWorker(memory: WebAssembly.Memory): PrefaultWorker | undefined {
  const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { memory }, stdout: true, stderr: true }) as unknown as PrefaultWorker;
  w.unref();
  return w;
}
