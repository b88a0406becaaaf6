/**
 * A smaller AssemblyScript standard library for the first compile of a process (issue 15:
 * `.ready` of a new kernel in a fresh process).
 *
 * `asc.main` parses every top-level file of the standard library (`libraryFiles` without a
 * `/` in its name) before the entry file, and the files they import after it. In a fresh
 * process that parse runs on cold JavaScript and is the largest part of the first compile
 * (asc's parse phase ~200 ms of ~500 on an idle machine; later compiles reuse it:
 * asc-parse-reuse.ts). Generated kernels (`--runtime stub`: no managed objects) use the
 * builtins, `Math`/`Mathf` and `memory`; the program itself requires the classes asc's
 * `Program.initialize` looks up by name (`String`, `ArrayBuffer`, `Array`, `Object`, the
 * number and `v128` wrappers). The files in {@link UNUSED_LIBRARY_FILES} hold none of these
 * (dates, regular expressions, maps and sets, typed arrays, console, process, ...), so asc
 * is handed the library without them: fewer files to parse, and the Wasm is the same byte for
 * byte (test/compiler/asc-library-trim.test.ts compiles kernels across the language both
 * ways; files that a kept file imports are still found, by their import).
 *
 * A source that does need a dropped file fails to compile against the smaller library
 * (asc: "Cannot find name", "File '~lib/map.ts' not found"); {@link LibraryTrim.compile}
 * then compiles it again with the whole library, which decides (its result, its
 * diagnostics), and counts the fallback. So the trim can never change what compiles, only
 * the time it takes.
 *
 * NOTE: the Node compiler worker runs {@link trimLibrary} from its source text
 * (compiler-worker.node.ts embeds `trimLibrary.toString()`), so it must not refer to
 * anything outside its own body.
 */

/**
 * Top-level files of AS's standard library (asc's `libraryFiles` keys) that no generated
 * kernel uses, found by dropping each in turn and comparing the Wasm of kernels across the
 * language; measured for assemblyscript 0.28.20.
 */
export const UNUSED_LIBRARY_FILES: readonly string[] = [
  'atomics', 'compat', 'console', 'crypto', 'dataview', 'date', 'diagnostics', 'error',
  'function', 'iterator', 'map', 'performance', 'polyfills', 'process', 'reference', 'regexp',
  'rt', 'set', 'staticarray', 'symbol', 'table', 'typedarray', 'uri',
];

/** What {@link trimLibrary} returns: the compile wrapper, counters and a switch (tests compare both ways). */
export interface LibraryTrim {
  /**
   * Run `compile` (one `asc.main`) against the smaller library; when its result has an
   * error, run it again with the whole library and return that result. `compile` must start
   * from a clean state each time (its own diagnostics and outputs).
   */
  compile<R extends { readonly error: unknown }>(compile: () => Promise<R>): Promise<R>;
  /** Compiles that failed with the smaller library and were run again with the whole one. */
  readonly fallbacks: number;
  /** Trim on (the default) or off (the whole library, as asc ships it). */
  enabled: boolean;
}

/**
 * Take `files` (asc's top-level library files to drop: {@link UNUSED_LIBRARY_FILES}) out of
 * asc's `libraryFiles`, keeping their texts to put back, and return the switch. Idempotent
 * per `libraryFiles` object: a second call returns the first call's switch. Without
 * `libraryFiles` (an asc that does not export it: browser.js's lazy stub of asc on the
 * page's thread) nothing is trimmed and `compile` just compiles.
 *
 * @example
 * ```ts
 * const asc = await import('assemblyscript/asc');
 * const trim = trimLibrary(asc.libraryFiles, UNUSED_LIBRARY_FILES);
 * const { error } = await trim.compile(() => asc.main(argv, io));
 * ```
 */
export function trimLibrary(libraryFiles: Record<string, string> | undefined, files: readonly string[]): LibraryTrim {
  libraryFiles ??= {};
  const holder = libraryFiles as Record<string, string> & { numbatsLibraryTrim?: LibraryTrim };
  // Kept as a non-enumerable property: asc enumerates libraryFiles' keys (parsing each).
  if (holder.numbatsLibraryTrim !== undefined) return holder.numbatsLibraryTrim;
  const dropped = new Map(files.filter((f) => typeof libraryFiles[f] === 'string').map((f) => [f, libraryFiles[f]!]));
  let trimmed = false;
  let on = true;
  let fallbacks = 0;
  const set = (trim: boolean) => {
    if (trim === trimmed || dropped.size === 0) return;
    for (const [name, text] of dropped) {
      if (trim) delete libraryFiles[name];
      else libraryFiles[name] = text;
    }
    trimmed = trim;
  };
  set(true);
  const state: LibraryTrim = {
    async compile<R extends { readonly error: unknown }>(compile: () => Promise<R>): Promise<R> {
      if (!trimmed) return compile();
      const result = await compile();
      if (!result.error) return result;
      fallbacks++;
      set(false);
      try {
        return await compile();
      } finally {
        set(on);
      }
    },
    get fallbacks() { return fallbacks; },
    get enabled() { return on; },
    set enabled(value: boolean) { on = value; set(value); },
  };
  Object.defineProperty(holder, 'numbatsLibraryTrim', { value: state, enumerable: false });
  return state;
}
