/**
 * First touch of freshly grown heap pages, off the main thread (issue 16 item 1).
 *
 * The kernel maps a page of a grown `WebAssembly.Memory` on its first write; measured here,
 * ~1.1 ms per MiB (80 ms for an 80 MB array: as much as computing exp(-x*x)*cos(x) into it),
 * so the first calls after a growth ran up to twice as long. When the heap grows by more than
 * the request that made it grow (heap.ts grows to the collection policy's budget, lifetime.ts),
 * the surplus is where the next arrays go: a worker thread touches it meanwhile, on another
 * core, and those arrays find their pages mapped.
 *
 * Safe while the main thread (or a parallel worker) already uses the pages: each page is
 * touched with `Atomics.compareExchange(word, 0, 0)`, which stores only a zero over a zero,
 * atomically — it never changes a value, whoever wrote it and whenever. At most
 * {@link PREFAULT_MAX_BYTES} per growth (a heap grown for arrays that are never written, such
 * as large `empty` reservations, is not made resident beyond that). Node only (the thread is
 * platform/prefault-worker.node.ts; browsers have none); if it cannot start, nothing happens.
 */
import { startPrefaultWorker, type PrefaultWorker } from '../platform/prefault-worker.node.js';
import { heapMemory } from './wasm-memory.js';

/** Growth surplus below this is not worth a message (the touch costs ~1 ms per MiB). */
export const PREFAULT_MIN_BYTES = 1 * 2 ** 20;
/** The first array at least this large starts the thread (heap.ts): smaller programs never do. */
export const PREFAULT_START_BYTES = 64 * 2 ** 10;
/** At most this much is touched per growth. */
export const PREFAULT_MAX_BYTES = 128 * 2 ** 20;

type WorkerLike = PrefaultWorker;

let worker: WorkerLike | undefined;
let unavailable = false;

function startWorker(): WorkerLike | undefined {
  try {
    const w = startPrefaultWorker(heapMemory());
    if (w === undefined) {
      unavailable = true;
      return undefined;
    }
    const fail = () => {
      if (worker !== w) return; // stopped on purpose (stopPrefault)
      worker = undefined;
      unavailable = true;
    };
    w.on('error', fail);
    w.on('exit', fail);
    return w;
  } catch {
    unavailable = true;
    return undefined;
  }
}

/**
 * Ask for the pages of [start, end) to be touched in the background (at most
 * {@link PREFAULT_MAX_BYTES} from `start`). Returns at once.
 *
 * @example
 * ```ts
 * prefault(oldByteLength, newByteLength);
 * ```
 */
export function prefault(start: number, end: number): void {
  if (end - start < PREFAULT_MIN_BYTES || unavailable) return;
  worker ??= startWorker();
  worker?.postMessage([start, Math.min(end, start + PREFAULT_MAX_BYTES)]);
}

/** Stop the worker (tests; a later growth starts a new one). */
export async function stopPrefault(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w !== undefined) await w.terminate();
}
