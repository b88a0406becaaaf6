/**
 * Synchronous AssemblyScript → Wasm compilation for vectorize/guvectorize (API.md: cpu
 * ufuncs are callable synchronously and eager signatures compile at decoration time), while
 * asc's API is async.
 *
 * The synckit pattern:
 *   1. a worker_threads Worker (started lazily, unref'd so it never keeps the process
 *      alive) loads asc once and waits for requests on a MessagePort;
 *   2. the main thread posts `{ source, memoryBase }` and blocks with `Atomics.wait` on a
 *      SharedArrayBuffer flag; the worker compiles, posts the reply, then sets the flag and
 *      notifies;
 *   3. the main thread takes the reply with `receiveMessageOnPort` and builds the module
 *      with `new WebAssembly.Module(bytes)` (synchronous).
 * A compile failure comes back as AscCompileError (asc's diagnostics); a crash of asc
 * (its banner and process.exit) comes back as AscCompileError with the banner's text, and
 * the worker is replaced; a worker that does not answer within the timeout (default 60 s)
 * or dies gives TargetError `E_TARGET_COMPILE` — never a hang, and never output on the
 * user's stderr (the worker's stdout and stderr are not piped to the process's).
 * Each request carries its asc flags (toolchain/asc-flags.ts: -O0 for large kernels).
 */
import { createRequire, dirname, join, MessageChannel, pathToFileURL, receiveMessageOnPort, Worker, type MessagePort } from '../platform/compiler-thread.node.js';
import { AscCompileError, ascFlagsFor, staticDataRange } from '../compiler/index.js';
import { TargetError } from '../util/errors.js';

/** The worker's code (CommonJS, run with `eval: true`). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, ascUrl } = workerData;
const flag = new Int32Array(workerData.flag);
const signal = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
process.on('uncaughtException', (e) => { port.postMessage({ id: -1, fatal: String(e && e.stack || e) }); signal(); });
process.on('unhandledRejection', (e) => { port.postMessage({ id: -1, fatal: String(e && e.stack || e) }); signal(); });
// An exit (process.exit in asc or the fault hook) must wake the blocked main thread too.
process.on('exit', (code) => { port.postMessage({ id: -1, fatal: 'compiler worker exited with code ' + code }); signal(); });
// asc reports its own crashes (a Binaryen abort, a stack overflow) by printing a banner
// with console.error and calling process.exit(1). While it runs, both are caught here:
// the banner becomes the reply's error text and the exit an exception, so the main thread
// gets a typed error and nothing reaches the user's stderr.
class AscExit extends Error {}
const realExit = process.exit;
const consoleKeys = ['log', 'info', 'warn', 'error', 'debug'];
const realConsole = Object.fromEntries(consoleKeys.map((k) => [k, console[k]]));
let ascP;
port.on('message', async (req) => {
  let reply;
  let printed = '';
  try {
    // Fault injection (tests, injectCompilerFault): asc throwing, the worker crashing or exiting.
    if (req.fault === 'throw') throw new Error('injected fault: asc threw');
    if (req.fault === 'crash') { setTimeout(() => { throw new Error('injected fault: compiler worker crashed'); }); return; }
    if (req.fault === 'exit') process.exit(70);
    ascP ??= import(ascUrl).then((m) => m.default ?? m);
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
      result = await asc.main(argv, {
        readFile: (name) => (name === 'kernel.ts' ? req.source : null),
        writeFile: (name, contents) => { outputs.set(name, contents); },
        listFiles: () => [],
        stdout: sink,
        stderr: sink,
      });
    } finally {
      process.exit = realExit;
      Object.assign(console, realConsole);
    }
    const binary = outputs.get('kernel.wasm');
    if (result.error || !(binary instanceof Uint8Array)) reply = { id: req.id, error: diagnostics || printed || String(result.error) };
    else reply = { id: req.id, binary, compileMs: performance.now() - started };
  } catch (e) {
    // asc crashed (or exited): say what it printed; the main thread replaces this worker.
    const text = printed.replace(/^\\u258C ?/gm, '').trim();
    reply = { id: req.id, error: text || String(e && e.stack || e), crashed: true };
  }
  port.postMessage(reply);
  signal();
});
`;

interface Reply { id: number; binary?: Uint8Array; error?: string; crashed?: boolean; fatal?: string; compileMs?: number }

let worker: Worker | undefined;
let mainPort: MessagePort | undefined;
let flag: Int32Array | undefined;
let nextId = 1;
let workerDead: string | undefined;
let nextFault: CompilerFault | null = null;

/** Faults {@link injectCompilerFault} can make the next compile hit. */
export type CompilerFault = 'throw' | 'crash' | 'exit' | 'asc-crash';

/**
 * Test hook: make the next compile fail as if asc threw (`'throw'`: AscCompileError), the
 * compiler worker crashed (`'crash'`) or exited (`'exit'`) (both TargetError
 * `E_TARGET_COMPILE`), or asc's crash handler ran (`'asc-crash'`: its banner and
 * process.exit(1); AscCompileError with the banner's text, nothing on stderr); the compile
 * after that must work again. `null` cancels.
 */
export function injectCompilerFault(fault: CompilerFault | null): void {
  nextFault = fault;
}

function ascUrl(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('assemblyscript/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist', 'asc.js')).href;
}

function ensureWorker(): MessagePort {
  if (worker !== undefined && mainPort !== undefined && workerDead === undefined) return mainPort;
  const { port1, port2 } = new MessageChannel();
  workerDead = undefined;
  flag = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    // Not the parent's flags: `--input-type=module` would make this CommonJS code ESM, and
    // loader hooks (tsx) are not needed to load asc.
    execArgv: [],
    workerData: { port: port2, ascUrl: ascUrl(), flag: flag.buffer },
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
  // Only this worker's own events count: a replaced worker's late 'exit' must not mark its
  // successor dead (that leaked the successor and restarted asc once more).
  w.on('error', (e) => { if (worker === w) workerDead = String(e); });
  w.on('exit', (code) => { if (worker === w) { workerDead = `exited with code ${code}`; worker = undefined; } });
  w.unref();
  port1.unref();
  mainPort = port1;
  return port1;
}

function currentFlag(): Int32Array {
  return flag!;
}

/** Result of {@link compileSync}. */
export interface SyncCompileResult {
  readonly module: WebAssembly.Module;
  readonly binary: Uint8Array;
  readonly staticData: { readonly start: number; readonly end: number } | null;
  /** asc's compile time in the worker, ms. */
  readonly compileMs: number;
}

/** Compile AS source to Wasm bytes synchronously (blocks this thread). */
export function compileBytesSync(source: string, memoryBase?: number, timeoutMs = 60_000): { binary: Uint8Array; compileMs: number } {
  const port = ensureWorker();
  const flag = currentFlag();
  Atomics.store(flag, 0, 0);
  const id = nextId++;
  const fault = nextFault;
  nextFault = null;
  const flags = ascFlagsFor(source);
  port.postMessage(fault === null ? { id, source, memoryBase, flags } : { id, source, memoryBase, flags, fault });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      void worker?.terminate();
      worker = undefined;
      throw new TargetError('E_TARGET_COMPILE', `kernel compilation timed out after ${timeoutMs} ms (compiler worker did not answer)`);
    }
    // Wake up at least every 200 ms to notice a dead worker. A wake-up counts only with the
    // flag set: the previous reply's Atomics.notify (issued just after its store) can land
    // in this wait, before this request's reply exists ("signalled without a reply").
    Atomics.wait(flag, 0, 0, Math.min(left, 200));
    if (Atomics.load(flag, 0) === 1) break;
    if (workerDead !== undefined) throw new TargetError('E_TARGET_COMPILE', `kernel compiler worker died: ${workerDead}`);
  }
  let msg = receiveMessageOnPort(port);
  while (msg !== undefined && (msg.message as Reply).id !== id) {
    const fatal = (msg.message as Reply).fatal;
    if (fatal !== undefined) {
      void stopCompilerWorker();
      throw new TargetError('E_TARGET_COMPILE', `kernel compiler worker failed: ${fatal}`);
    }
    msg = receiveMessageOnPort(port);
  }
  if (msg === undefined) throw new TargetError('E_TARGET_COMPILE', 'kernel compiler worker signalled without a reply');
  const reply = msg.message as Reply;
  // After a crash Binaryen's state is not to be trusted: the next compile gets a new worker.
  if (reply.crashed) void stopCompilerWorker();
  if (reply.error !== undefined) throw new AscCompileError(reply.error, source);
  return { binary: new Uint8Array(reply.binary!), compileMs: reply.compileMs ?? 0 };
}

/** Build and check a module from bytes (only `env.memory` may be imported). */
export function moduleFromBytes(binary: Uint8Array, source: string): WebAssembly.Module {
  const module = new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>);
  const unexpected = WebAssembly.Module.imports(module).filter((i) => !(i.module === 'env' && i.name === 'memory' && i.kind === 'memory'));
  if (unexpected.length > 0) throw new AscCompileError(`unexpected imports ${JSON.stringify(unexpected)}; only env.memory is allowed`, source);
  return module;
}

/**
 * Compile AS source to a WebAssembly.Module synchronously.
 *
 * @throws AscCompileError when asc rejects the source; TargetError (`E_TARGET_COMPILE`) on
 *   timeout or a dead worker.
 * @example
 * ```ts
 * const { module, staticData } = compileSync(linkKernels([k]), { memoryBase });
 * ```
 */
export function compileSync(source: string, options: { memoryBase?: number; timeoutMs?: number } = {}): SyncCompileResult {
  const { binary, compileMs } = compileBytesSync(source, options.memoryBase, options.timeoutMs);
  return { module: moduleFromBytes(binary, source), binary, staticData: staticDataRange(binary), compileMs };
}

/** Stop the compiler worker (tests; it is unref'd, so this is never required). */
export async function stopCompilerWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  mainPort?.close();
  mainPort = undefined;
  if (w) await w.terminate();
}
