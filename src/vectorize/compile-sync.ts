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
 * A compile failure comes back as AscCompileError (asc's diagnostics); a worker that does
 * not answer within the timeout (default 60 s) or dies gives TargetError
 * `E_TARGET_COMPILE` — never a hang.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AscCompileError, ASC_FLAGS, staticDataRange } from '../compiler/index.js';
import { TargetError } from '../util/errors.js';

/** The worker's code (CommonJS, run with `eval: true`). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, ascUrl, flags } = workerData;
const flag = new Int32Array(workerData.flag);
const signal = () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
process.on('uncaughtException', (e) => { port.postMessage({ id: -1, fatal: String(e && e.stack || e) }); signal(); });
process.on('unhandledRejection', (e) => { port.postMessage({ id: -1, fatal: String(e && e.stack || e) }); signal(); });
// An exit (process.exit in asc or the fault hook) must wake the blocked main thread too.
process.on('exit', (code) => { port.postMessage({ id: -1, fatal: 'compiler worker exited with code ' + code }); signal(); });
let ascP;
port.on('message', async (req) => {
  let reply;
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
    const argv = ['kernel.ts', '--outFile', 'kernel.wasm', ...flags];
    if (req.memoryBase !== undefined) argv.push('--memoryBase', String(req.memoryBase));
    const started = performance.now();
    const { error } = await asc.main(argv, {
      readFile: (name) => (name === 'kernel.ts' ? req.source : null),
      writeFile: (name, contents) => { outputs.set(name, contents); },
      listFiles: () => [],
      stdout: sink,
      stderr: sink,
    });
    const binary = outputs.get('kernel.wasm');
    if (error || !(binary instanceof Uint8Array)) reply = { id: req.id, error: diagnostics || String(error) };
    else reply = { id: req.id, binary, compileMs: performance.now() - started };
  } catch (e) {
    reply = { id: req.id, error: String(e && e.stack || e) };
  }
  port.postMessage(reply);
  signal();
});
`;

interface Reply { id: number; binary?: Uint8Array; error?: string; fatal?: string; compileMs?: number }

let worker: Worker | undefined;
let mainPort: MessagePort | undefined;
let flag: Int32Array | undefined;
let nextId = 1;
let workerDead: string | undefined;
let nextFault: CompilerFault | null = null;

/** Faults {@link injectCompilerFault} can make the next compile hit. */
export type CompilerFault = 'throw' | 'crash' | 'exit';

/**
 * Test hook: make the next compile fail as if asc threw (`'throw'`: AscCompileError), the
 * compiler worker crashed (`'crash'`) or exited (`'exit'`) (both TargetError
 * `E_TARGET_COMPILE`); the compile after that must work again. `null` cancels.
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
    workerData: { port: port2, ascUrl: ascUrl(), flags: [...ASC_FLAGS], flag: flag.buffer },
    transferList: [port2],
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
  port.postMessage(fault === null ? { id, source, memoryBase } : { id, source, memoryBase, fault });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      void worker?.terminate();
      worker = undefined;
      throw new TargetError('E_TARGET_COMPILE', `kernel compilation timed out after ${timeoutMs} ms (compiler worker did not answer)`);
    }
    // Wake up at least every 200 ms to notice a dead worker.
    if (Atomics.wait(flag, 0, 0, Math.min(left, 200)) !== 'timed-out') break;
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
