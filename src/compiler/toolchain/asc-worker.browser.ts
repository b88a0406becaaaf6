/**
 * The compiler worker's script in browsers (a module Web Worker started by
 * compiler-worker.browser.ts): loads asc at once (the warm compiler), then answers each
 * `{ id, source, flags, memoryBase }` with `{ id, binary, compileMs }` or `{ id, error }`,
 * one at a time, in order. asc's files live in memory; its console output (a crash banner)
 * becomes the reply's error text.
 */
import { reuseLibraryParses, type AscInternals } from './asc-parse-reuse.js';
import { trimLibrary, UNUSED_LIBRARY_FILES, type LibraryTrim } from './asc-library-trim.js';

interface AscMain {
  main(argv: string[], options: object): Promise<{ error: Error | null }>;
  /** The standard library without the files kernels never use (asc-library-trim.ts). */
  trim: LibraryTrim;
}
interface Request { id: number; source: string; flags: string[]; memoryBase?: number; fault?: string }

const scope = globalThis as unknown as { onmessage: ((ev: MessageEvent<Request>) => void) | null; postMessage(m: unknown, transfer?: Transferable[]): void };
// Parses of AS's standard library are reused between compiles (asc-parse-reuse.ts), through
// the compiler API asc runs on: dist/numbats-asc.js re-exports it as numbatsParser /
// numbatsNodeKind (scripts/build-browser.mjs), unbundled it is the 'assemblyscript' package.
// (Only dynamic imports here: a static import of asc, whose Binaryen has a top-level await,
// would delay `onmessage` past the first request, which the worker would then never see.)
const asc: Promise<AscMain> = import('assemblyscript/asc').then(async (m) => {
  const built = m as unknown as { numbatsParser?: AscInternals['Parser']; numbatsNodeKind?: AscInternals['NodeKind'] };
  const api = built.numbatsParser !== undefined && built.numbatsNodeKind !== undefined
    ? { Parser: built.numbatsParser, NodeKind: built.numbatsNodeKind }
    : await import('assemblyscript');
  reuseLibraryParses(api as unknown as AscInternals);
  const main = ((m as { default?: unknown }).default ?? m) as Omit<AscMain, 'trim'> & { libraryFiles?: Record<string, string> };
  return { main: (argv, options) => main.main(argv, options), trim: trimLibrary(main.libraryFiles, UNUSED_LIBRARY_FILES) };
});
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug'] as const;
let queue: Promise<void> = Promise.resolve();

async function answer(req: Request): Promise<void> {
  let printed = '';
  const saved = CONSOLE.map((k) => console[k]);
  try {
    if (req.fault === 'throw') throw new Error('injected fault: asc threw');
    const compiler = await asc;
    const outputs = new Map<string, Uint8Array | string>();
    let diagnostics = '';
    const sink = { write: (s: string) => { diagnostics += s; return true; } };
    const argv = ['kernel.ts', '--outFile', 'kernel.wasm', ...req.flags];
    if (req.memoryBase !== undefined) argv.push('--memoryBase', String(req.memoryBase));
    for (const k of CONSOLE) console[k] = (...a: unknown[]) => { printed += `${a.map(String).join(' ')}\n`; };
    const started = performance.now();
    const result = await compiler.trim.compile(() => {
      outputs.clear();
      diagnostics = '';
      return compiler.main(argv, {
        readFile: (name: string) => (name === 'kernel.ts' ? req.source : null),
        writeFile: (name: string, contents: Uint8Array | string) => { outputs.set(name, contents); },
        listFiles: () => [],
        stdout: sink,
        stderr: sink,
      });
    });
    const binary = outputs.get('kernel.wasm');
    if (result.error || !(binary instanceof Uint8Array)) {
      scope.postMessage({ id: req.id, error: diagnostics || printed || String(result.error) });
      return;
    }
    const copy = binary.slice();
    scope.postMessage({ id: req.id, binary: copy, compileMs: performance.now() - started }, [copy.buffer]);
  } catch (e) {
    scope.postMessage({ id: req.id, error: printed.replace(/^\u258C ?/gm, '').trim() || String((e as Error)?.stack ?? e), crashed: true });
  } finally {
    CONSOLE.forEach((k, i) => { console[k] = saved[i]!; });
  }
}

scope.onmessage = (ev) => {
  queue = queue.then(() => answer(ev.data));
};
