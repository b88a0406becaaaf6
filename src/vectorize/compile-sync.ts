/**
 * Compiling AssemblyScript → Wasm for vectorize/guvectorize, on the compiler worker
 * (src/compiler/toolchain/compiler-worker.node.ts), two ways:
 *   - blocking ({@link compileBytesSync}, {@link compileSync}): the synckit pattern — the
 *     request goes to the worker and this thread waits with `Atomics.wait` until the bytes
 *     are back (API.md: cpu ufuncs are callable synchronously; `tier: 'wasm'`);
 *   - in the background ({@link prefetchCompile}, with {@link probeCompiles}): the tiered
 *     kernels' Wasm tier (src/vectorize/tier.ts); nothing blocks.
 * A compile failure is AscCompileError (asc's diagnostics, or the banner of its crash);
 * a worker that dies or does not answer within the timeout (default 60 s) gives TargetError
 * `E_TARGET_COMPILE` — never a hang, never output on the user's stderr. Each request
 * carries its asc flags (toolchain/asc-flags.ts: -O0 for large kernels).
 */
import { AscCompileError, ascFlagsFor, isHostImport, staticDataRange } from '../compiler/index.js';
import { nodeCompilerWorker, type CompilerFault, type CompilerWorker } from '../compiler/toolchain/compiler-worker.node.js';
import { TargetError } from '../util/errors.js';

let nextFault: CompilerFault | null = null;

export type { CompilerFault } from '../compiler/toolchain/compiler-worker.node.js';

/**
 * Test hook: make the next compile fail as if asc threw (`'throw'`: AscCompileError), the
 * compiler worker crashed (`'crash'`) or exited (`'exit'`) (both TargetError
 * `E_TARGET_COMPILE`), or asc's crash handler ran (`'asc-crash'`: its banner and
 * process.exit(1); AscCompileError with the banner's text, nothing on stderr); the compile
 * after that must work again. `null` cancels. It applies to the next compile, blocking or
 * in the background.
 */
export function injectCompilerFault(fault: CompilerFault | null): void {
  nextFault = fault;
}

function takeFault(): CompilerFault | undefined {
  const f = nextFault ?? undefined;
  nextFault = null;
  return f;
}

/** The platform's compiler worker (Node: worker_threads). */
const compiler: CompilerWorker = nodeCompilerWorker;

/**
 * Start the compiler worker and load asc in it, in the background (the warm compiler,
 * issue 15 item 2): kernel factories call it when one is created, so that the first
 * kernel's compile overlaps the user's own work. Idempotent; returns at once.
 *
 * @example
 * ```ts
 * warmCompiler();
 * ```
 */
export function warmCompiler(): void {
  compiler.start();
}

/**
 * How many compiler workers this process has spawned (tests: a fault must replace the
 * worker once, and a healthy worker must stay in use); 0 where the platform does not count.
 *
 * @example
 * ```ts
 * const before = compilerWorkersSpawned();
 * ```
 */
export function compilerWorkersSpawned(): number {
  return compiler.spawned?.() ?? 0;
}

/**
 * Test hook: how long the compiler worker waits with nothing to do before it ends itself
 * (ms; `undefined` restores the default, 30 s: compiler-worker.node.ts IDLE_MS). A compile
 * after that starts a new worker transparently.
 *
 * @example
 * ```ts
 * setCompilerIdleMs(50); // end the worker soon after each compile
 * ```
 */
export function setCompilerIdleMs(ms: number | undefined): void {
  compiler.setIdleMs?.(ms);
}

/** Result of {@link compileSync}. */
export interface SyncCompileResult {
  readonly module: WebAssembly.Module;
  readonly binary: Uint8Array;
  readonly staticData: { readonly start: number; readonly end: number } | null;
  /** asc's compile time in the worker, ms. */
  readonly compileMs: number;
}

// ---- background compiles feeding the synchronous path -------------------------------------
//
// The compile cache (cache.ts) is synchronous: it asks compileBytesSync for the bytes it
// lacks. A background compile runs the same synchronous code in "probe" mode
// ({@link probeCompiles}): a compile it would block on throws {@link NeedCompile} instead;
// the caller compiles that request in the background ({@link prefetchCompile}) and runs
// the code again, which now finds the bytes here. So the cache's lookups, keys and entries
// are the same whichever way a module was compiled.

const prefetched = new Map<string, { binary: Uint8Array; compileMs: number }>();
const prefetchKey = (source: string, memoryBase: number | undefined) => `${memoryBase ?? ''}\0${source}`;
let probing = 0;

/** Thrown by compileBytesSync in probe mode: these bytes must be compiled first. */
export class NeedCompile extends Error {
  constructor(readonly source: string, readonly memoryBase: number | undefined) {
    super('a compile is needed (background compile in progress)');
    this.name = 'NeedCompile';
  }
}

/**
 * Run `f` with blocking compiles turned into {@link NeedCompile} throws.
 *
 * @example
 * ```ts
 * try { return probeCompiles(() => compileCached(source, opts)); } catch (e) { if (e instanceof NeedCompile) ... }
 * ```
 */
export function probeCompiles<T>(f: () => T): T {
  probing++;
  try {
    return f();
  } finally {
    probing--;
  }
}

/**
 * Compile `need` in the background; until the returned `discard` is called, every
 * compileBytesSync of the same source and base takes these bytes without blocking (a
 * cached compile may ask for them more than once: cache.ts's position-independent entries
 * compile at two bases, and probing runs it again from the start).
 *
 * @throws (the Promise) AscCompileError or TargetError `E_TARGET_COMPILE`, as compileSync.
 * @example
 * ```ts
 * const discard = await prefetchCompile(need);
 * try { rerun(); } finally { discard(); }
 * ```
 */
export async function prefetchCompile(need: NeedCompile): Promise<() => void> {
  const fault = takeFault();
  const r = await compiler.compile({ source: need.source, memoryBase: need.memoryBase, flags: ascFlagsFor(need.source), fault });
  const key = prefetchKey(need.source, need.memoryBase);
  prefetched.set(key, r);
  return () => { prefetched.delete(key); };
}

/**
 * Keep the process alive until `p` settles (someone awaits it: `.ready`).
 *
 * @example
 * ```ts
 * keepAliveUntil(ready);
 * ```
 */
export function keepAliveUntil(p: Promise<unknown>): void {
  const release = compiler.hold();
  p.then(release, release);
}

/** Compile AS source to Wasm bytes synchronously (blocks this thread). */
export function compileBytesSync(source: string, memoryBase?: number, timeoutMs = 60_000): { binary: Uint8Array; compileMs: number } {
  const key = prefetchKey(source, memoryBase);
  const ready = prefetched.get(key);
  if (ready !== undefined) return ready;
  if (probing > 0) throw new NeedCompile(source, memoryBase);
  if (compiler.compileSync === undefined) {
    throw new TargetError('E_TARGET_COMPILE', "a blocking kernel compile is not possible here (use the default tier, not tier: 'wasm')");
  }
  return compiler.compileSync({ source, memoryBase, flags: ascFlagsFor(source), fault: takeFault() }, timeoutMs);
}

/** Build and check a module from bytes (only `env.memory` may be imported). */
export function moduleFromBytes(binary: Uint8Array, source: string): WebAssembly.Module {
  const module = new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>);
  const unexpected = WebAssembly.Module.imports(module).filter((i) => !(i.module === 'env' && i.name === 'memory' && i.kind === 'memory') && !isHostImport(i));
  if (unexpected.length > 0) throw new AscCompileError(`unexpected imports ${JSON.stringify(unexpected)}; only env.memory (and nb.jit's prange host call) is allowed`, source);
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

/** Stop the compiler worker (tests; it is unref'd and ends itself when idle, so this is never required). */
export async function stopCompilerWorker(): Promise<void> {
  await compiler.stop();
}
