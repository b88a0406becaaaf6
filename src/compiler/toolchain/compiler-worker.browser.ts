/**
 * The compiler worker in browsers: AssemblyScript + Binaryen in a module Web Worker
 * (asc-worker.browser.ts), so that compiling a kernel never runs on the page's thread.
 * Browser twin of compiler-worker.node.ts (the `CompilerWorker` interface, same exports),
 * swapped in by the browser builds (scripts/platform-seams.mjs). There is no `compileSync`:
 * a window's main thread may not block, so the Wasm tier always arrives asynchronously
 * (`f.ready`), and until then the JS tier runs.
 *
 * The worker script is `asc-worker.browser.ts` beside this file when served from source
 * (Vite), and `numbats-compiler-worker.js` beside `browser.js` in the built package (the
 * build rewrites the URL below); asc itself is loaded by the worker, never by the page.
 */
import { TargetError } from '../../util/errors.js';
import { AscCompileError } from './asc.js';
import type { CompileReply, CompileRequest, CompilerWorker } from './compiler-worker-types.js';

export type { CompileReply, CompileRequest, CompilerFault, CompilerWorker } from './compiler-worker-types.js';

interface Reply { id: number; binary?: Uint8Array; error?: string; crashed?: boolean; compileMs?: number }
interface Pending { resolve(r: CompileReply): void; reject(e: unknown): void; source: string }

/**
 * How long the worker waits with nothing to do before the page ends it: 30 s, as the Node
 * worker (compiler-worker.node.ts IDLE_MS, which says why): asc, Binaryen and their heap
 * hold ~90 MiB that a page which made its kernels at its start should get back, and kernels
 * made in a burst share one worker. The page owns the decision (it posts every request and
 * terminates the worker on its own thread), so no request can race the end. Only a worker
 * that has compiled something ends: one only warmed up (start()) waits for its first kernel.
 */
const IDLE_MS = 30_000;

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let idleMs = IDLE_MS;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let spawned = 0;

/** Arm the idle end once nothing is pending (after a reply); a new request disarms it. */
function armIdle(): void {
  clearTimeout(idleTimer);
  if (pending.size > 0 || worker === undefined) return;
  const w = worker;
  idleTimer = setTimeout(() => {
    if (worker === w && pending.size === 0) {
      worker = undefined;
      w.terminate();
    }
  }, idleMs);
}

function failPending(why: string): void {
  for (const p of pending.values()) p.reject(new TargetError('E_TARGET_COMPILE', `kernel compiler worker failed: ${why}`));
  pending.clear();
}

function start(): Worker {
  if (worker !== undefined) return worker;
  const w = new Worker(new URL('./asc-worker.browser.ts', import.meta.url), { type: 'module', name: 'numbats-compiler' });
  spawned++;
  w.onmessage = (ev: MessageEvent<Reply>) => {
    const r = ev.data;
    const p = pending.get(r.id);
    if (p === undefined) return;
    pending.delete(r.id);
    if (r.error !== undefined) p.reject(new AscCompileError(r.error, p.source));
    else p.resolve({ binary: new Uint8Array(r.binary!), compileMs: r.compileMs ?? 0 });
    // After a crash Binaryen's state is not to be trusted: the next compile gets a new worker.
    if (r.crashed) void stop();
    else armIdle();
  };
  w.onerror = (ev) => {
    ev.preventDefault();
    if (worker === w) worker = undefined;
    w.terminate();
    failPending(ev.message || 'the worker could not start or threw');
  };
  worker = w;
  return w;
}

function compile(req: CompileRequest): Promise<CompileReply> {
  const w = start();
  clearTimeout(idleTimer);
  const id = nextId++;
  return new Promise<CompileReply>((resolve, reject) => {
    pending.set(id, { resolve, reject, source: req.source });
    w.postMessage({ id, source: req.source, flags: [...req.flags], memoryBase: req.memoryBase, fault: req.fault });
  });
}

async function stop(why = 'stopped'): Promise<void> {
  clearTimeout(idleTimer);
  const w = worker;
  worker = undefined;
  failPending(why);
  w?.terminate();
}

/**
 * The browser compiler worker (one per page).
 *
 * @example
 * ```ts
 * compilerWorker.start(); // warm: asc loads in the worker while the page goes on
 * const { binary } = await compilerWorker.compile({ source, flags: ascFlagsFor(source) });
 * ```
 */
export const compilerWorker: CompilerWorker = {
  start: () => void start(), compile, hold: () => () => {}, stop: () => stop(), spawned: () => spawned,
  setIdleMs: (ms) => {
    idleMs = ms ?? IDLE_MS;
  },
};

/** The seam's shared name (compile-sync.ts imports it from compiler-worker.node.ts). */
export const nodeCompilerWorker = compilerWorker;
