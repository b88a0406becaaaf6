/**
 * Loading AssemblyScript's compiler with a V8 code cache (issue 15 item 3), for the Node
 * compiler worker.
 *
 * asc is three large ES modules: `binaryen` (13.5 MB: Emscripten's glue around Binaryen's
 * Wasm, which it carries as a string), `assemblyscript` (the compiler) and `asc` (its
 * driver). A fresh process spends most of their load compiling their JavaScript (measured:
 * ~300 of binaryen's ~360 ms CPU; Binaryen's own Wasm compile ~55 ms), and the first compile
 * after it compiles the functions it runs on the way. Node 20 keeps no code cache for ES
 * modules, but a `vm.Script` takes V8's cached code (`cachedData`) and makes it
 * (`createCachedData`, which includes every function compiled so far). So each file is
 * loaded as a script: its source wrapped in an async function, with its static imports
 * turned into parameters, `import.meta.url` and `import()` into parameters too, and its
 * `export { a as b }` into a returned object; the cache is written after the first compile
 * ({@link LoadedAsc.save}) and read by every later process.
 *
 * Safe fallback: the rewrite is checked against what these builds contain (the count of
 * each construct it rewrites; {@link ASC_BUILDS}), and any surprise (another version of
 * assemblyscript or binaryen, a file missing) throws, so the caller imports asc as before.
 * The cache file names carry a key of Node's and V8's versions, the architecture, the
 * process's flags and each file's path, size and mtime (V8 itself checks only the source's
 * length, its own version and its flags: it rejects a cache made under other flags,
 * `codeCache: 'rejected'`, which is then rewritten); a cache file that cannot be read, or
 * that another user owns, is a miss (the folder is made 0700 and the files 0600); files are written to a temporary name and renamed, so a reader never sees half a
 * file; the files of the three newest keys are kept, older ones removed when a new one is
 * written.
 *
 * NOTE: the compiler worker runs this function from its source text
 * (compiler-worker.node.ts embeds `loadAscWithCodeCache.toString()`), so it must not refer
 * to anything outside its own body.
 */

/** asc loaded: its two modules' exports, and the code cache's state. */
export interface LoadedAsc {
  /** `assemblyscript/asc`'s exports (`main`, `libraryFiles`, ...). */
  readonly asc: Record<string, unknown>;
  /** `assemblyscript`'s exports (the compiler's API: `Parser`, `NodeKind`, ...). */
  readonly assemblyscript: Record<string, unknown>;
  /** 'hit': V8 used the cache of every file; 'miss': no cache yet; 'rejected': V8 refused one. */
  readonly codeCache: 'hit' | 'miss' | 'rejected';
  /**
   * Write the code cache (when it was not a hit; once), best after the first compile so
   * that the compiler's functions are in it; never throws. Returns whether it wrote.
   */
  save(): boolean;
}

/**
 * What the rewrite expects of each file: how many `import.meta.url` and `import(` it holds
 * and whether they are code (rewritten) or inside a string (assemblyscript's bindings
 * generator writes both into the JS it emits: left alone), and how many static imports.
 * Checked for assemblyscript 0.28.20 and binaryen 131.0.0-nightly.20260721.
 */
export const ASC_BUILDS = {
  binaryen: { importMeta: 2, dynamicImports: 1, inCode: true, staticImports: 0 },
  assemblyscript: { importMeta: 1, dynamicImports: 1, inCode: false, staticImports: 4 },
  asc: { importMeta: 3, dynamicImports: 7, inCode: true, staticImports: 3 },
} as const;

/**
 * Load asc from `ascUrl` (the file URL of `assemblyscript/dist/asc.js`) through `vm.Script`
 * with the code cache kept in `cacheDir`. `processFlags`: the process's command-line flags
 * (a worker thread passes its parent's: its own `process.execArgv` is the worker's).
 *
 * @throws when the files are not the builds {@link ASC_BUILDS} describes, or do not load
 *   (the caller then imports asc as usual).
 * @example
 * ```ts
 * const loaded = await loadAscWithCodeCache(ascUrl, cacheDir(), ASC_BUILDS);
 * await (loaded.asc.main as AscMain)(argv, io);
 * loaded.save();
 * ```
 */
export async function loadAscWithCodeCache(
  ascUrl: string,
  cacheDir: string,
  builds: { readonly [name: string]: { readonly importMeta: number; readonly dynamicImports: number; readonly inCode: boolean; readonly staticImports: number } },
  processFlags: readonly string[] = process.execArgv,
): Promise<LoadedAsc> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const vm = await import('node:vm');
  const url = await import('node:url');
  const { createHash } = await import('node:crypto');
  const { createRequire } = await import('node:module');
  const { isAscii } = await import('node:buffer');

  const ascPath = url.fileURLToPath(ascUrl);
  const asPath = path.join(path.dirname(ascPath), 'assemblyscript.js');
  const resolveFromAs = createRequire(asPath);
  const files: Record<string, string> = { binaryen: resolveFromAs.resolve('binaryen'), assemblyscript: asPath, asc: ascPath };
  const dir = path.join(cacheDir, 'asc-code-cache');
  // V8 rejects a cache made under other flags: the flags the process was started with are
  // part of the key, so that processes started differently keep a cache each (but not the
  // code of `node -e <code>`, which is in execArgv too).
  const flags = processFlags.filter((f, i) => !/^(-e|--eval|-p|--print)(=|$)/.test(f) && !/^(-e|--eval|-p|--print)$/.test(processFlags[i - 1] ?? ''));
  const key = createHash('sha256').update(JSON.stringify([process.version, process.versions.v8, process.arch, flags, process.env.NODE_OPTIONS ?? '', builds]));
  for (const name of Object.keys(files)) {
    const st = fs.statSync(files[name]!);
    key.update(`\0${files[name]}\0${st.size}\0${st.mtimeMs}`);
  }
  const prefix = key.digest('hex').slice(0, 24);

  /**
   * The file's source as the body of `async (imports, metaUrl, dynamicImport) => exports`.
   * One pass over the occurrences of `import` (binaryen's file is 13.5 MB: a regular
   * expression per construct cost ~35 ms).
   */
  const wrap = (name: string, code: string): string => {
    const build = builds[name];
    if (build === undefined) throw new Error(`asc code cache: no build description for ${name}`);
    // esbuild's minified static imports: `import*as a from"m";`, `import{default as a}from"m";`, `import a from"m";`.
    const STATIC = /^import(?:\*as ([\w$]+) from|\{default as ([\w$]+)\}from| ([\w$]+) from)"([^"]+)";/;
    const parts: string[] = [];
    const hoisted: string[] = [];
    let meta = 0;
    let dynamic = 0;
    let from = 0;
    for (let at = code.indexOf('import'); at >= 0; at = code.indexOf('import', at + 6)) {
      const next = code.charCodeAt(at + 6);
      if (next === 46 /* . */ && code.startsWith('.meta.url', at + 6)) {
        meta++;
        if (!build.inCode) continue;
        parts.push(code.slice(from, at), '__nb_meta_url');
        from = at + 15;
      } else if (next === 40 /* ( */ && !/[\w$.]/.test(code.charAt(at - 1))) {
        dynamic++;
        if (!build.inCode) continue;
        parts.push(code.slice(from, at), '__nb_import');
        from = at + 6;
      } else {
        const m = STATIC.exec(code.slice(at, at + 200));
        if (m === null) continue;
        // A module's imports are hoisted: their bindings go first.
        hoisted.push(m[1] !== undefined
          ? `var ${m[1]}=__nb_imports[${JSON.stringify(m[4])}];`
          : `var ${m[2] ?? m[3]}=__nb_imports[${JSON.stringify(m[4])}].default;`);
        parts.push(code.slice(from, at));
        from = at + m[0].length;
      }
    }
    if (meta !== build.importMeta || dynamic !== build.dynamicImports || hoisted.length !== build.staticImports) {
      throw new Error(`asc code cache: ${name} is not the expected build`);
    }
    const last = code.lastIndexOf('export{');
    const tail = /^export\{([\w$, ]+)\};?(\s*\/\/# sourceMappingURL=\S*)?\s*$/.exec(code.slice(Math.max(last, from)));
    if (last < from || tail === null) throw new Error(`asc code cache: ${name} does not end in one export list`);
    const exported = tail[1]!.split(',').map((item) => {
      const [local, as] = item.trim().split(/\s+as\s+/);
      return `${JSON.stringify(as ?? local)}:${local}`;
    });
    parts.push(code.slice(from, last), `return{${exported.join(',')}};`);
    return `(async function(__nb_imports,__nb_meta_url,__nb_import){"use strict";${hoisted.join('')}${parts.join('')}\n})`;
  };
  /** A file's text (the three are ASCII: latin1 is then the same string, read faster). */
  const read = (file: string): string => {
    const bytes = fs.readFileSync(file);
    return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  };

  const scripts: Record<string, { script: InstanceType<typeof vm.Script>; hit: boolean }> = {};
  let state: LoadedAsc['codeCache'] = 'hit';
  const run = async (name: string, imports: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const file = files[name]!;
    // V8 trusts cached code as it trusts the source: in a shared folder (the default is
    // under the system's temporary directory) a file another user planted or can write
    // would run as this user's code. Only files this user owns are read.
    let cachedData: Buffer | undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(path.join(dir, `${prefix}-${name}.bin`), 'r');
      const uid = process.getuid?.();
      cachedData = uid !== undefined && fs.fstatSync(fd).uid !== uid ? undefined : fs.readFileSync(fd);
    } catch {
      cachedData = undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    const script = new vm.Script(wrap(name, read(file)), { filename: file, cachedData });
    const hit = cachedData !== undefined && script.cachedDataRejected === false;
    if (!hit && state !== 'rejected') state = cachedData === undefined ? 'miss' : 'rejected';
    scripts[name] = { script, hit };
    const body = script.runInThisContext() as (imports: Record<string, unknown>, metaUrl: string, dynamicImport: (s: string) => Promise<unknown>) => Promise<Record<string, unknown>>;
    return body(imports, url.pathToFileURL(file).href, (s) => import(s));
  };

  const binaryen = await run('binaryen', {});
  // `long` (small) as CommonJS: its namespace as an ES module would have it.
  const long = { default: resolveFromAs('long') as unknown };
  const assemblyscript = await run('assemblyscript', { binaryen, long });
  const asc = await run('asc', { binaryen, assemblyscript });

  let saved = false;
  const save = (): boolean => {
    if (state === 'hit' || saved) return false;
    saved = true;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const name of Object.keys(scripts)) {
        const target = path.join(dir, `${prefix}-${name}.bin`);
        const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(tmp, scripts[name]!.script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, target);
      }
      // The files of the newest few keys stay (processes started with other flags); older
      // keys' files (other versions, files since changed) go, and so do temporary files a
      // killed writer left.
      const byKey = new Map<string, number>();
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        const mtime = fs.statSync(file).mtimeMs;
        if (name.endsWith('.tmp') && Date.now() - mtime > 5 * 60_000) fs.rmSync(file, { force: true });
        if (name.endsWith('.bin')) byKey.set(name.slice(0, 24), Math.max(byKey.get(name.slice(0, 24)) ?? 0, mtime));
      }
      const old = [...byKey].sort((a, b) => b[1] - a[1]).slice(3).map(([k]) => k);
      for (const name of fs.readdirSync(dir)) if (old.includes(name.slice(0, 24)) && name.endsWith('.bin')) fs.rmSync(path.join(dir, name), { force: true });
      return true;
    } catch {
      return false;
    }
  };
  return { asc, assemblyscript, codeCache: state, save };
}
