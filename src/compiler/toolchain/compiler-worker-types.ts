/**
 * The interface of a platform's compiler worker (compiler-worker.node.ts: worker_threads;
 * compiler-worker.browser.ts: a module Web Worker), shared by both twins.
 */

/** Faults a request can inject (tests: src/vectorize/compile-sync.ts injectCompilerFault). */
export type CompilerFault = 'throw' | 'crash' | 'exit' | 'asc-crash';

/** One compile: AS source, asc flags, where its static data goes. */
export interface CompileRequest {
  readonly source: string;
  readonly flags: readonly string[];
  readonly memoryBase?: number | undefined;
  readonly fault?: CompilerFault | undefined;
}

/** The Wasm bytes and asc's compile time in the worker (ms). */
export interface CompileReply {
  readonly binary: Uint8Array;
  readonly compileMs: number;
}

/** The compiler worker of a platform. */
export interface CompilerWorker {
  /** Spawn the worker (if none) and load asc in it; returns at once. */
  start(): void;
  /** Compile in the background. */
  compile(req: CompileRequest): Promise<CompileReply>;
  /** Compile, blocking this thread until the bytes are back (absent where blocking is not allowed). */
  readonly compileSync?: (req: CompileRequest, timeoutMs: number) => CompileReply;
  /** Keep the process alive until the returned release is called (nested holds count). */
  hold(): () => void;
  /** Stop the worker (compiles in flight fail). */
  stop(): Promise<void>;
  /** How many workers were spawned so far (tests: a fault replaces the worker once, not per compile). */
  readonly spawned?: () => number;
  /** Tests: how long an idle worker waits before it ends itself (ms; `undefined`: the default). Applies from the next idle wait. */
  readonly setIdleMs?: (ms: number | undefined) => void;
  /** Tests: whether this thread holds Binaryen's compiled module for later workers to reuse. */
  readonly keepsCompiledBinaryen?: () => boolean;
}
