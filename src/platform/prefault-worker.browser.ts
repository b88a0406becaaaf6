/** Platform seam, browser side of prefault-worker.node.ts: no prefault thread in browsers. */

/** What the runtime uses of the thread. */
export interface PrefaultWorker {
  postMessage(m: unknown): void;
  unref(): void;
  on(e: string, f: (x: unknown) => void): void;
  terminate(): Promise<number>;
}

/** None: the page's own first writes map the pages. */
export function startPrefaultWorker(_memory: WebAssembly.Memory): PrefaultWorker | undefined {
  return undefined;
}
