/**
 * Platform seam: the parallel target's worker pool on Node (piscina, DESIGN.md decision 7).
 * The browser build uses worker-pool.browser.ts (Web Workers) instead.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from './hash.node.js';
import { WORKER_SOURCE } from '../parallel/worker-source.js';
import type { PoolWorkerData, WorkerPool } from './types.js';

/** The worker file (written once per worker source version to the OS temp directory). */
function workerFile(): string {
  const hash = createHash('sha256').update(WORKER_SOURCE).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'numbats');
  const file = join(dir, `parallel-worker-${hash}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, WORKER_SOURCE);
    renameSync(tmp, file);
  }
  return file;
}

/**
 * A piscina pool of `threads` workers running WORKER_SOURCE, each given `workerData` once.
 * Never undefined on Node (the browser twin returns undefined where workers cannot share memory).
 *
 * @example
 * ```ts
 * const pool = startPool(4, { memory, builtinModule: loadBuiltinModule() });
 * ```
 */
export function startPool(threads: number, workerData: PoolWorkerData): WorkerPool | undefined {
  const require = createRequire(import.meta.url);
  const { Piscina } = require('piscina') as { Piscina: new (o: object) => WorkerPool };
  return new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    concurrentTasksPerWorker: 1 << 20,
    workerData,
    // The worker is plain CommonJS: none of the parent's flags (loaders, --input-type) apply.
    execArgv: [],
  });
}
