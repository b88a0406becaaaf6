/**
 * AssemblyScript source → WebAssembly.Module, in process, with an in-memory file system.
 *
 * Steps:
 *   1. load `assemblyscript/asc` lazily (dynamic import, once per process; built-in ufuncs
 *      never pay for it) and time the load;
 *   2. run `asc.main` on the source as `kernel.ts` with DESIGN.md decision 6's flags
 *      (-O3, stub runtime, no asserts, no abort import, SIMD, threads, imported shared memory
 *      of at most 65536 pages; -O0 when the source's header asks, toolchain/asc-flags.ts),
 *      reading and writing files in memory only, with asc's crash handler defused, against
 *      the standard library without the files kernels never use (asc-library-trim.ts; the
 *      whole library when that fails);
 *   3. compile it (new WebAssembly.Module), check that it imports nothing but `env.memory`,
 *      and find the memory range its data segments write when instantiated.
 * NOTE: a module's active data segments (AS's Math tables, for one) are written into the
 * shared heap at every instantiation, at `memoryBase` (AS's default 1024 otherwise) —
 * where the built-in module keeps its own static data. Callers that share the heap must pass
 * a `memoryBase` inside a block they own and keep `staticData` reserved.
 * Measured on this project's 2 vCPU machine: loading asc ~0.35 s, the first compile in a
 * process ~0.6 s (parsing AS's standard library, once per thread: later compiles reuse it,
 * asc-parse-reuse.ts), later compiles ~30-70 ms CPU per small kernel; see
 * bench/compile-cost.ts and test/compiler/compile-time.test.ts.
 */
import type { WasmModule } from '../../util/platform-types.js';
import { TargetError } from '../../util/errors.js';
import { ascFlagsFor, isHostImport } from './asc-flags.js';
import { reuseLibraryParses, type AscInternals } from './asc-parse-reuse.js';
import { trimLibrary, UNUSED_LIBRARY_FILES, type LibraryTrim } from './asc-library-trim.js';

/** asc's API as far as it is used here. */
interface AscApi {
  main(argv: string[], options: {
    readFile: (name: string, baseDir: string) => string | null;
    writeFile: (name: string, contents: Uint8Array | string, baseDir: string) => void;
    listFiles: (dir: string, baseDir: string) => string[] | null;
    stdout: { write: (s: string) => boolean };
    stderr: { write: (s: string) => boolean };
  }): Promise<{ error: Error | null }>;
}

let ascPromise: Promise<AscApi & { readonly trim: LibraryTrim }> | undefined;
let ascLoadMs = 0;

/**
 * Load asc once (dynamic import), with its parses of the standard library reused between
 * compiles (asc-parse-reuse.ts) and the library trimmed of the files kernels never use
 * (asc-library-trim.ts). Resolves to its API and the trim's switch; `ascLoadMs` is recorded
 * on the first load.
 */
export function loadAsc(): Promise<AscApi & { readonly trim: LibraryTrim }> {
  if (!ascPromise) {
    const started = performance.now();
    ascPromise = Promise.all([import('assemblyscript/asc'), import('assemblyscript')]).then(([m, compiler]) => {
      reuseLibraryParses(compiler as unknown as AscInternals);
      const api = (m.default ?? m) as unknown as AscApi & { libraryFiles?: Record<string, string> };
      ascLoadMs = performance.now() - started;
      return { main: (argv, options) => api.main(argv, options), trim: trimLibrary(api.libraryFiles, UNUSED_LIBRARY_FILES) };
    });
  }
  return ascPromise;
}

/** Milliseconds the first load of asc took in this process (0 before it happened). */
export function ascLoadTime(): number {
  return ascLoadMs;
}

export { ASC_FLAGS, ascFlagsFor, isHostImport } from './asc-flags.js';

export interface AscOptions {
  /** Where the module's static data goes in the shared memory (asc --memoryBase). */
  readonly memoryBase?: number;
  /** Also return the text format. */
  readonly wat?: boolean;
}

export interface WasmCompileResult {
  readonly module: WasmModule;
  readonly binary: Uint8Array;
  readonly wat: string | null;
  /** asc's compile of this source, in ms (load excluded). */
  readonly compileMs: number;
  /** Time this call waited for asc to load (the first call in a process), in ms. */
  readonly loadMs: number;
  /** The byte range [start, end) of memory the module's data segments initialise, or null. */
  readonly staticData: { readonly start: number; readonly end: number } | null;
  /** The export names. */
  readonly exports: readonly string[];
}

/** Compile failures: asc's diagnostics in the message. A compiler bug, not a user error. */
/**
 * asc rejected a generated module: a numbats bug (the kernel was accepted by the front end),
 * so it is a TargetError (`E_TARGET_COMPILE`) that carries asc's diagnostics and the source.
 */
export class AscCompileError extends TargetError {
  constructor(readonly diagnostics: string, readonly source: string) {
    super('E_TARGET_COMPILE', `AssemblyScript compile of a generated kernel failed (please report this with the kernel):\n${diagnostics}`);
  }
}
Object.defineProperty(AscCompileError.prototype, 'name', { value: 'AscCompileError', writable: true, configurable: true });

function readLeb(bytes: Uint8Array, pos: number, signed: boolean): [number, number] {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = bytes[pos++]!;
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (signed && shift < 32 && b & 0x40) result |= -1 << shift;
  return [result, pos];
}

/** The [start, end) range the active data segments of a module write (i32.const offsets). */
export function staticDataRange(bytes: Uint8Array): { start: number; end: number } | null {
  let pos = 8;
  let start = Infinity;
  let end = -Infinity;
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    let size: number;
    [size, pos] = readLeb(bytes, pos, false);
    const next = pos + size;
    if (id === 11) {
      let count: number;
      [count, pos] = readLeb(bytes, pos, false);
      for (let s = 0; s < count; s++) {
        let flags: number;
        [flags, pos] = readLeb(bytes, pos, false);
        let offset = -1;
        if (flags === 2) [, pos] = readLeb(bytes, pos, false); // memory index
        if (flags === 0 || flags === 2) {
          if (bytes[pos] !== 0x41) throw new Error('staticDataRange: non-constant data offset');
          [offset, pos] = readLeb(bytes, pos + 1, true);
          pos++; // end
        }
        let len: number;
        [len, pos] = readLeb(bytes, pos, false);
        if (offset >= 0) {
          start = Math.min(start, offset >>> 0);
          end = Math.max(end, (offset >>> 0) + len);
        }
        pos += len;
      }
    }
    pos = next;
  }
  return start === Infinity ? null : { start, end };
}

class AscExit extends Error {}

/**
 * Run asc with its crash handler defused: asc reports an internal crash (a Binaryen abort,
 * a stack overflow) by printing a banner with console.error and calling process.exit(1),
 * which would end the caller's process. For the duration of the call, console output is
 * collected and process.exit throws, so a crash becomes an AscCompileError carrying the
 * banner. NOTE: both are process-wide while asc runs (about a second); the product path
 * compiles in the worker of src/vectorize/compile-sync.ts, which does the same in its own
 * thread.
 */
async function withAscCrashesCaught<R>(run: () => Promise<R>, source: string): Promise<R> {
  const keys = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = keys.map((k) => console[k]);
  const exit = process.exit;
  let printed = '';
  for (const k of keys) console[k] = (...a: unknown[]) => { printed += `${a.map(String).join(' ')}\n`; };
  process.exit = ((code?: number) => { throw new AscExit(`asc exited with code ${code}`); }) as typeof process.exit;
  try {
    return await run();
  } catch (e) {
    throw new AscCompileError(printed.replace(/^\u258C ?/gm, '').trim() || String((e as Error).stack ?? e), source);
  } finally {
    process.exit = exit;
    keys.forEach((k, i) => { console[k] = saved[i]!; });
  }
}

/**
 * Compile AssemblyScript source to a WebAssembly.Module that imports only `env.memory`
 * (a shared memory), as the built-in module does.
 *
 * @throws AscCompileError with asc's diagnostics when the source does not compile, or
 *   with its crash banner when asc crashes (the process is not exited).
 * @example
 * ```ts
 * const { module } = await compileAssemblyScript(kernel.asSource, { memoryBase: 1 << 20 });
 * const instance = await WebAssembly.instantiate(module, { env: { memory } });
 * ```
 */
export async function compileAssemblyScript(source: string, options: AscOptions = {}): Promise<WasmCompileResult> {
  const waitStart = performance.now();
  const asc = await loadAsc();
  const loadMs = performance.now() - waitStart;
  const started = performance.now();
  const outputs = new Map<string, Uint8Array | string>();
  let diagnostics = '';
  const sink = { write: (s: string) => { diagnostics += s; return true; } };
  const argv = ['kernel.ts', '--outFile', 'kernel.wasm', ...ascFlagsFor(source)];
  if (options.wat) argv.push('--textFile', 'kernel.wat');
  if (options.memoryBase !== undefined) argv.push('--memoryBase', String(options.memoryBase));
  const { error } = await withAscCrashesCaught(() => asc.trim.compile(() => {
    outputs.clear();
    diagnostics = '';
    return asc.main(argv, {
      readFile: (name) => (name === 'kernel.ts' ? source : null),
      writeFile: (name, contents) => { outputs.set(name, contents); },
      listFiles: () => [],
      stdout: sink,
      stderr: sink,
    });
  }), source);
  const binary = outputs.get('kernel.wasm');
  if (error || !(binary instanceof Uint8Array)) throw new AscCompileError(diagnostics || String(error), source);
  const compileMs = performance.now() - started;
  // NOTE: synchronous on purpose. Kernel modules are small (V8 compiles lazily), and
  // measured right after asc.main, `await WebAssembly.compile` took ~280 ms to resolve
  // against 0.2 ms for `new WebAssembly.Module`.
  const module = new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>);
  const imports = WebAssembly.Module.imports(module);
  const unexpected = imports.filter((i) => !(i.module === 'env' && i.name === 'memory' && i.kind === 'memory') && !isHostImport(i));
  if (unexpected.length > 0) throw new AscCompileError(`unexpected imports ${JSON.stringify(unexpected)}; only env.memory (and nb.jit's prange host call) is allowed`, source);
  const wat = outputs.get('kernel.wat');
  return {
    module, binary, wat: typeof wat === 'string' ? wat : null, compileMs, loadMs,
    staticData: staticDataRange(binary),
    exports: WebAssembly.Module.exports(module).map((e) => e.name),
  };
}
