/**
 * The compiler worker on Node (worker_threads): AssemblyScript + Binaryen in a thread of
 * their own, so that compiling a kernel never runs on the caller's thread. Behind the
 * small {@link CompilerWorker} interface, so that a browser variant (a Web Worker, with no
 * blocking compile) can sit beside this one.
 *
 * - {@link CompilerWorker.start} spawns it and loads asc in it at once (the warm compiler:
 *   kernel factories call it when the first one is created, not at import, so programs
 *   without kernels pay nothing);
 * - {@link CompilerWorker.compile} is the background compile: a Promise of the bytes (the
 *   tiered kernels' Wasm tier, src/vectorize/tier.ts);
 * - {@link CompilerWorker.compileSync} blocks the calling thread with `Atomics.wait` until
 *   the bytes are back (the synckit pattern; `tier: 'wasm'`, and everything that compiles
 *   synchronously today). Node only: a browser's main thread may not block.
 * Compile cost (issue 15 item 3): the worker loads asc through a V8 code cache kept in the
 * cache directory (asc-code-cache.node.ts; written once, after the first compile of the
 * first process), and reuses its parse of AS's standard library from one compile to the
 * next (asc-parse-reuse.ts); bench/compile-cost.ts measures both.
 * Both kinds of request share the one worker; it serves them one at a time, in order. The
 * worker and its port are unref'd: they never keep the process alive, except while
 * {@link CompilerWorker.hold} is held (someone awaits a compile: `.ready`).
 *
 * Failures: asc rejecting the source is AscCompileError (asc's diagnostics); asc crashing
 * (its banner and process.exit) is AscCompileError with the banner's text, and the worker is
 * replaced; a worker that dies fails every compile in flight with TargetError
 * `E_TARGET_COMPILE`, and a blocking compile that gets no answer within its timeout too —
 * never a hang, and never output on the user's stderr (the worker's stdout and stderr are
 * not piped to the process's).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AscCompileError } from './asc.js';
import { ASC_BUILDS, loadAscWithCodeCache } from './asc-code-cache.node.js';
import { reuseLibraryParses } from './asc-parse-reuse.js';
import { trimLibrary, UNUSED_LIBRARY_FILES } from './asc-library-trim.js';
import { codeCacheDir } from '../../util/cache-dir.js';
import { TargetError } from '../../util/errors.js';
import type { CompileReply, CompileRequest, CompilerWorker } from './compiler-worker-types.js';

/**
 * The worker's code (CommonJS, run with `eval: true`). It loads asc through the V8 code
 * cache (asc-code-cache.node.ts; plain `import` when that fails) and reuses parses of the
 * standard library between compiles (asc-parse-reuse.ts): both functions are embedded from
 * their source text. `__name` is there for esbuild's keepNames (tsx, vitest), which wraps
 * named functions in such text in calls to it.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, ascUrl, codeCacheDir, processFlags } = workerData;
var __name = (f) => f;
const reuseLibraryParses = ${reuseLibraryParses.toString()};
const loadAscWithCodeCache = ${loadAscWithCodeCache.toString()};
const trimLibrary = ${trimLibrary.toString()};
const ASC_BUILDS = ${JSON.stringify(ASC_BUILDS)};
let codeCache;
// Binaryen's compiled Wasm goes to the main thread once, which keeps it (keepBinaryen below):
// while any thread holds that module, V8 gives a later worker that compiles the same bytes
// the same code, tiered up already, instead of compiling and tiering it up again.
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (source, imports) {
  const r = await instantiate.call(WebAssembly, source, imports);
  if (r && r.module instanceof WebAssembly.Module) port.postMessage({ id: -2, wasmModule: r.module });
  return r;
};
let trim;
/**
 * asc's exports; its parses of the standard library are reused from the first compile on,
 * and the library is trimmed of the files kernels never use (trim.compile falls back to the
 * whole library).
 */
async function loadAsc() {
  let asc;
  let compiler;
  try {
    codeCache = await loadAscWithCodeCache(ascUrl, codeCacheDir, ASC_BUILDS, processFlags);
    asc = codeCache.asc;
    compiler = codeCache.assemblyscript;
  } catch {
    codeCache = undefined;
    asc = await import(ascUrl);
    compiler = await import(new URL('assemblyscript.js', ascUrl).href);
  }
  reuseLibraryParses(compiler);
  const api = asc.default ?? asc;
  trim = trimLibrary(api.libraryFiles, ${JSON.stringify(UNUSED_LIBRARY_FILES)});
  return api;
}
const flag = new Int32Array(workerData.flag);
const signal = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
process.on('uncaughtException', (e) => { port.postMessage({ id: -1, fatal: String(e && e.stack || e) }); signal(); });
process.on('unhandledRejection', (e) => { port.postMessage({ id: -1, fatal: String(e && e.stack || e) }); signal(); });
// An exit (process.exit in asc or the fault hook) must wake the blocked main thread too.
process.on('exit', (code) => { if (!idleExit) { port.postMessage({ id: -1, fatal: 'compiler worker exited with code ' + code }); signal(); } });
// Ending when idle (compiler-worker.node.ts, IDLE_MS): flag[1] counts the requests the main
// thread has posted and this worker has not answered yet; flag[2] is the idle delay in ms.
// The worker ends itself only by swapping a count of 0 for -1, so a request posted meanwhile
// (the main thread increments first) keeps it alive, and one posted after it sees -1 and
// goes to a new worker: no request is ever lost. A worker that has only been warmed up
// (asc loaded, nothing compiled) waits for its first compile however long that takes: the
// kernels of a program are often made at its start and first called much later.
let idleExit = false;
let idleTimer;
let compiled = false;
function answered(req) {
  if (!req.warm) compiled = true;
  if (Atomics.sub(flag, 1, 1) !== 1 || !compiled) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (Atomics.compareExchange(flag, 1, 0, -1) === 0) { idleExit = true; process.exit(0); }
  }, Atomics.load(flag, 2));
}
// asc reports its own crashes (a Binaryen abort, a stack overflow) by printing a banner
// with console.error and calling process.exit(1). While it runs, both are caught here:
// the banner becomes the reply's error text and the exit an exception, so the main thread
// gets a typed error and nothing reaches the user's stderr.
class AscExit extends Error {}
const realExit = process.exit;
const consoleKeys = ['log', 'info', 'warn', 'error', 'debug'];
const realConsole = Object.fromEntries(consoleKeys.map((k) => [k, console[k]]));
let ascP;
// One request at a time, in arrival order: background (async) and blocking requests share
// this worker, and asc.main must not run twice at once (console and process.exit are patched).
let chain = Promise.resolve();
port.on('message', (req) => { chain = chain.then(() => handle(req)).then(() => answered(req)); });
async function handle(req) {
  if (req.warm) {
    // Warm-up (compiler-worker.node.ts start()): load asc now, so that the first kernel's
    // compile does not pay for it; no reply.
    try { ascP ??= loadAsc(); await ascP; } catch { ascP = undefined; }
    return;
  }
  let reply;
  let printed = '';
  try {
    // Fault injection (tests, injectCompilerFault): asc throwing, the worker crashing or exiting.
    if (req.fault === 'throw') throw new Error('injected fault: asc threw');
    if (req.fault === 'crash') { setTimeout(() => { throw new Error('injected fault: compiler worker crashed'); }); return; }
    if (req.fault === 'exit') process.exit(70);
    ascP ??= loadAsc();
    const asc = await ascP;
    const outputs = new Map();
    let diagnostics = '';
    const sink = { write: (s) => { diagnostics += s; return true; } };
    const argv = ['kernel.ts', '--outFile', 'kernel.wasm', ...req.flags];
    if (req.memoryBase !== undefined) argv.push('--memoryBase', String(req.memoryBase));
    const started = performance.now();
    for (const k of consoleKeys) console[k] = (...a) => { printed += a.map(String).join(' ') + '\\n'; };
    process.exit = (code) => { throw new AscExit('asc exited with code ' + code); };
    let result;
    try {
      // Fault injection: asc's own crash handler (banner, then process.exit(1)).
      if (req.fault === 'asc-crash') { console.error('\\u258C Whoops, the AssemblyScript compiler has crashed during optimize :-('); process.exit(1); }
      result = await trim.compile(() => {
        outputs.clear();
        diagnostics = '';
        return asc.main(argv, {
          readFile: (name) => (name === 'kernel.ts' ? req.source : null),
          writeFile: (name, contents) => { outputs.set(name, contents); },
          listFiles: () => [],
          stdout: sink,
          stderr: sink,
        });
      });
    } finally {
      process.exit = realExit;
      Object.assign(console, realConsole);
    }
    const binary = outputs.get('kernel.wasm');
    if (result.error || !(binary instanceof Uint8Array)) reply = { id: req.id, error: diagnostics || printed || String(result.error) };
    else {
      reply = { id: req.id, binary, compileMs: performance.now() - started };
      // The code cache is written once, after the first compile (so that the functions it
      // ran are in it) and before its reply: written later, a process that exits as soon
      // as it has its result would never leave one.
      codeCache?.save();
    }
  } catch (e) {
    // asc crashed (or exited): say what it printed; the main thread replaces this worker.
    const text = printed.replace(/^\\u258C ?/gm, '').trim();
    reply = { id: req.id, error: text || String(e && e.stack || e), crashed: true };
  }
  port.postMessage(reply);
  signal();
}
`;


export type { CompileReply, CompileRequest, CompilerFault, CompilerWorker } from './compiler-worker-types.js';

interface Reply { id: number; binary?: Uint8Array; error?: string; crashed?: boolean; fatal?: string; compileMs?: number; wasmModule?: WebAssembly.Module }
interface Pending { resolve(r: CompileReply): void; reject(e: unknown): void; source: string }

/**
 * How long the worker waits with nothing to do before it ends itself: 30 s. An idle worker
 * holds ~90 MiB of the process's memory (asc, Binaryen and their heap; measured RSS 332 MiB
 * with it, 240 after it ended), which a long-running program that made its kernels at its
 * start should get back. Ending it does not shorten the 1-2 s after a process's first
 * compiles during which V8's background threads, tiering up Binaryen's Wasm, make a forced
 * collection on the main thread ~10x slower (bench/README.md, heap growth, third pass). The
 * delay is long because a restart still costs the next compile asc's JavaScript again and a
 * new parse of its standard library (1.2-2.6 s at load 10 on 2 cores; Binaryen's tiered-up
 * code is reused: keptWasmModule). So kernels made in a burst, or seconds apart in an
 * interactive session, share one worker.
 * The timer runs in the worker, so it fires even while the main thread runs a long
 * synchronous loop. Only a worker that has compiled something ends: one only warmed up
 * (start()) waits for its first kernel.
 */
const IDLE_MS = 30_000;

let worker: Worker | undefined;
let mainPort: MessagePort | undefined;
/** [0]: the reply signal; [1]: requests not answered yet, -1 once the worker ended itself; [2]: the idle delay (ms). */
let flag: Int32Array | undefined;
let idleMs = IDLE_MS;
let nextId = 1;
let workerDead: string | undefined;
let holds = 0;
let spawned = 0;
const pending = new Map<number, Pending>();

/**
 * asc's file, for the worker to import: `assemblyscript` in the first `node_modules` above
 * this module that has it (Node's lookup, done directly: `require.resolve` costs a first
 * kernel factory ~3 ms of cold resolver code), else where `require.resolve` finds it.
 */
function ascUrl(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const asc = join(dir, 'node_modules', 'assemblyscript', 'dist', 'asc.js');
    if (existsSync(asc)) return pathToFileURL(asc).href;
    if (dirname(dir) === dir) break;
  }
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('assemblyscript/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist', 'asc.js')).href;
}

/** Fail every background compile in flight (the worker died or was stopped). */
function failPending(why: string): void {
  const all = [...pending.values()];
  pending.clear();
  for (const p of all) p.reject(new TargetError('E_TARGET_COMPILE', `kernel compiler worker ${why}`));
}

/** The settled form of a reply: the bytes, or the error. */
function settle(reply: Reply, source: string): CompileReply {
  // After a crash Binaryen's state is not to be trusted: the next compile gets a new worker.
  if (reply.crashed) void stop();
  if (reply.error !== undefined) throw new AscCompileError(reply.error, source);
  return { binary: new Uint8Array(reply.binary!), compileMs: reply.compileMs ?? 0 };
}

/**
 * Binaryen's compiled module, from the first worker that loaded it (id -2 messages), kept
 * for the life of the process. Measured (bench/README.md, heap growth, third pass): with it
 * held here, a restarted worker's first compile took 1.5-1.8 s instead of 3.9-4.0 s (load 11)
 * and the main thread's forced collections after it 6-50 ms instead of 35-225 ms, because V8
 * hands the new worker the code it already tiered up for the same bytes.
 */
let keptWasmModule: WebAssembly.Module | undefined;

/** A reply for a background compile (or a fatal message): settle its Promise. */
function dispatch(reply: Reply): void {
  if (reply.wasmModule !== undefined) {
    keptWasmModule ??= reply.wasmModule;
    return;
  }
  if (reply.fatal !== undefined) {
    void stop(`failed: ${reply.fatal}`);
    return;
  }
  const p = pending.get(reply.id);
  if (p === undefined) return;
  pending.delete(reply.id);
  try {
    p.resolve(settle(reply, p.source));
  } catch (e) {
    p.reject(e);
  }
}

/** Hand every reply still queued on a retired worker's port to its Promise, then close the port. */
function drainAndClose(port: MessagePort): void {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) dispatch(m.message as Reply);
  port.close();
}

/**
 * The worker ended itself for idleness (it had answered everything): forget it without
 * failing anything. Its port stays open until its 'exit' event, so that replies it posted
 * and not yet dispatched here still settle their Promises.
 */
function retire(): void {
  worker = undefined;
  mainPort = undefined;
}

function ensureWorker(): MessagePort {
  if (worker !== undefined && mainPort !== undefined && workerDead === undefined) return mainPort;
  const { port1, port2 } = new MessageChannel();
  workerDead = undefined;
  const f = new Int32Array(new SharedArrayBuffer(12));
  Atomics.store(f, 2, idleMs);
  flag = f;
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    // Not the parent's flags: `--input-type=module` would make this CommonJS code ESM, and
    // loader hooks (tsx) are not needed to load asc.
    execArgv: [],
    workerData: { port: port2, ascUrl: ascUrl(), codeCacheDir: codeCacheDir(), processFlags: process.execArgv, flag: flag.buffer },
    transferList: [port2],
    // Nothing the worker prints reaches the user's terminal (asc's crash banner, Binaryen's
    // aborts): its stdout and stderr are not piped to the process's, and never read (a
    // reading stream would keep the process alive); errors carry asc's text instead.
    stdout: true,
    stderr: true,
    // asc's parser and Binaryen recurse as deep as the generated code nests (at most
    // frontend/nesting.ts's limit); 16 MB instead of Node's 4 leaves them room.
    resourceLimits: { stackSizeMb: 16 },
  });
  worker = w;
  spawned++;
  // Only this worker's own events count: a replaced worker's late 'exit' must not mark its
  // successor dead (that leaked the successor and restarted asc once more).
  w.on('error', (e) => { if (worker === w) { workerDead = String(e); failPending(`died: ${workerDead}`); } });
  w.on('exit', (code) => {
    if (Atomics.load(f, 1) === -1) {
      // Ended itself when idle: nothing was in flight, nothing fails.
      if (worker === w) retire();
      drainAndClose(port1);
    } else if (worker === w) {
      workerDead = `exited with code ${code}`;
      worker = undefined;
      failPending(`died: ${workerDead}`);
    }
  });
  // Background replies arrive as messages; the listener is attached before unref (attaching
  // one refs the port).
  port1.on('message', (m: Reply) => dispatch(m));
  w.unref();
  port1.unref();
  if (holds > 0) port1.ref();
  mainPort = port1;
  return port1;
}

/**
 * Post a message to a live worker, counted as in flight (flag[1]) first: a worker that has
 * ended itself for idleness (-1) is retired and a new one spawned.
 */
function send(message: object): void {
  for (;;) {
    const port = ensureWorker();
    const f = flag!;
    const n = Atomics.load(f, 1);
    if (n >= 0 && Atomics.compareExchange(f, 1, n, n + 1) === n) {
      port.postMessage(message);
      return;
    }
    if (n < 0) retire();
  }
}

function start(): void {
  const alive = worker !== undefined && workerDead === undefined && Atomics.load(flag!, 1) >= 0;
  if (!alive) send({ id: 0, warm: true });
}

function post(req: CompileRequest, id: number): void {
  const { source, flags, memoryBase, fault } = req;
  send(fault === undefined ? { id, source, memoryBase, flags } : { id, source, memoryBase, flags, fault });
}

function compile(req: CompileRequest): Promise<CompileReply> {
  const id = nextId++;
  return new Promise<CompileReply>((resolve, reject) => {
    pending.set(id, { resolve, reject, source: req.source });
    try {
      post(req, id);
    } catch (e) {
      pending.delete(id);
      reject(e);
    }
  });
}

function compileSync(req: CompileRequest, timeoutMs: number): CompileReply {
  const id = nextId++;
  post(req, id);
  const port = mainPort!;
  const f = flag!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Clear the flag, then take what is there: a reply posted after this (the worker posts,
    // then sets the flag) ends the wait below at once.
    Atomics.store(f, 0, 0);
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const reply = m.message as Reply;
      if (reply.id === id) return settle(reply, req.source);
      if (reply.fatal !== undefined) {
        void stop(`failed: ${reply.fatal}`);
        throw new TargetError('E_TARGET_COMPILE', `kernel compiler worker failed: ${reply.fatal}`);
      }
      dispatch(reply); // a background compile's reply: its Promise settles later
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      void stop(`timed out after ${timeoutMs} ms`);
      throw new TargetError('E_TARGET_COMPILE', `kernel compilation timed out after ${timeoutMs} ms (compiler worker did not answer)`);
    }
    if (workerDead !== undefined) throw new TargetError('E_TARGET_COMPILE', `kernel compiler worker died: ${workerDead}`);
    // Wake up at least every 200 ms to notice a dead worker.
    Atomics.wait(f, 0, 0, Math.min(left, 200));
  }
}

function hold(): () => void {
  holds++;
  mainPort?.ref();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--holds === 0) mainPort?.unref();
  };
}

async function stop(why = 'was stopped'): Promise<void> {
  const w = worker;
  worker = undefined;
  mainPort?.close();
  mainPort = undefined;
  failPending(why);
  if (w) await w.terminate();
}

/**
 * The Node compiler worker (one per process).
 *
 * @example
 * ```ts
 * nodeCompilerWorker.start(); // warm: asc loads while the caller goes on
 * const { binary } = await nodeCompilerWorker.compile({ source, flags: ascFlagsFor(source) });
 * ```
 */
export const nodeCompilerWorker: CompilerWorker = {
  start, compile, compileSync, hold, stop: () => stop(), spawned: () => spawned,
  keepsCompiledBinaryen: () => keptWasmModule !== undefined,
  setIdleMs: (ms) => {
    idleMs = ms ?? IDLE_MS;
    if (flag !== undefined) Atomics.store(flag, 2, idleMs);
  },
};
