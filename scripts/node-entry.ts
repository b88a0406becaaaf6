/**
 * The entry of numbats' Node bundle (issue 15: time to first result), built by
 * scripts/build-node.mjs into dist/numbats.node.js: it loads numbats' code, the CommonJS file
 * beside it (dist/numbats.node.cjs), through `vm.Script` with a V8 code cache, and
 * re-exports its names (build-node.mjs appends the export list).
 *
 * Why: a fresh process spent most of `import 'numbats'` compiling the 800 KiB bundle
 * (~20 of its ~35 ms), and its first kernel ~10 ms more compiling the functions it ran on
 * the way (acorn's parser, the front end, the JS emitter). Node 20 keeps no code cache for
 * ES modules (`module.enableCompileCache()` is Node 22), but a `vm.Script` takes V8's cached
 * code (`cachedData`) and makes it (`createCachedData()`, which holds every function compiled
 * so far). Measured (bench/first-call.ts): CPU from import to the first `x*y+1` result
 * ~46 ms without the cache, ~20 with it. The asc code cache (compiler/toolchain/
 * asc-code-cache.node.ts) does the same for the compiler in its worker.
 *
 * The cache: one file per key in the `numbats-code-cache` folder of src/util/cache-dir.ts's
 * codeCacheDir() (`$NUMBATS_CACHE_DIR`, else `<os tmpdir>/numbats`). The key: the body's SHA-256 (written
 * in at build time, so that no file is hashed or stat-ed at import; V8 itself checks only
 * the source's length), V8's version, the architecture and the process's V8-relevant flags
 * (V8 rejects a cache made under other flags: processes started differently keep one
 * each). Made by a process that found none (or one V8 rejected): {@link SAVE_AFTER_MS} after
 * the import, or at exit if that comes first, so that it holds the functions a program's start
 * runs; written to a temporary file and renamed (a reader never sees half a file); the
 * newest {@link KEEP} files stay. The folder is made private (0700) and a file not owned by
 * this user is ignored: V8 runs what a cache file holds. Anything that fails (no file, an
 * unreadable or unwritable folder, a rejected cache) only costs the compile: never an error.
 */
import { createRequire } from 'node:module';

/** The body's file name beside the entry, and its SHA-256 (hex): set by build-node.mjs. */
declare const NUMBATS_BODY_FILE: string;
declare const NUMBATS_BODY_SHA256: string;

/** Cache files kept (one per key: Node versions, flags, numbats builds side by side). */
const KEEP = 4;
/** A temporary file older than this is a killed writer's: removed by the next writer. */
const TMP_MAX_AGE_MS = 5 * 60_000;
/**
 * Milliseconds after the import when a missing cache is written (or at exit, if sooner): late
 * enough to hold what a program's start compiles (acorn, the front end, the emitters: a cache
 * made right after the import left a first kernel ~15 ms of compiling), early enough that a
 * long-running program that is killed rather than exiting still writes one.
 */
const SAVE_AFTER_MS = 5000;

// `require` of Node's built-ins, not `import`: an ES import of node:fs builds its ES facade,
// which loads fs's streams (~1 ms).
const require = createRequire(import.meta.url);
const fs = require('node:fs') as typeof import('node:fs');
const path = require('node:path') as typeof import('node:path');

/** 32-bit FNV-1a of `text` (hex): names the flags in the key without loading node:crypto (~3 ms). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The cache file's name: body, V8 version, architecture and flags. The flags are what the
 * process was started with (not the code of `node -e`/`-p`, which is in execArgv too).
 */
function cacheName(): string {
  const argv = process.execArgv;
  const flags = argv.filter((f, i) => !/^(-e|--eval|-p|--print)(=|$)/.test(f) && !/^(-e|--eval|-p|--print)$/.test(argv[i - 1] ?? ''));
  const key = fnv1a(JSON.stringify([flags, process.env.NODE_OPTIONS ?? '']));
  return `numbats-${NUMBATS_BODY_SHA256.slice(0, 20)}-${process.versions.v8}-${process.arch}-${key}.bin`;
}

/** The cache folder: as src/util/cache-dir.ts codeCacheDir() (not imported: its seam loads node:fs as an ES module). */
function cacheFolder(): string {
  const base = process.env.NUMBATS_CACHE_DIR || path.join((require('node:os') as typeof import('node:os')).tmpdir(), 'numbats');
  return path.resolve(base, 'numbats-code-cache');
}

/** The cached data in `file`, if there is one this user owns. */
function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const uid = process.getuid?.();
    if (uid !== undefined && fs.fstatSync(fd).uid !== uid) return undefined;
    return fs.readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Write `data` as `file` (temporary file, rename), then keep the newest {@link KEEP} cache files. */
function writeCache(file: string, data: Buffer): void {
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
    const now = Date.now();
    const kept: { name: string; mtime: number }[] = [];
    for (const name of fs.readdirSync(dir)) {
      const st = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
      if (st === undefined) continue;
      if (name.endsWith('.tmp') && now - st.mtimeMs > TMP_MAX_AGE_MS) fs.rmSync(path.join(dir, name), { force: true });
      else if (name.startsWith('numbats-') && name.endsWith('.bin')) kept.push({ name, mtime: st.mtimeMs });
    }
    kept.sort((a, b) => b.mtime - a.mtime);
    for (const { name } of kept.slice(KEEP)) fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    // A cache that cannot be written only costs the next process the compile.
  }
}

/**
 * The body compiled as a `vm.Script` with the code cache (and the cache's write scheduled
 * when there was none to use). Not `importModuleDynamically`: Node 20 loses it when the
 * script comes from a cache, and warns that its main-context loader is experimental.
 */
function compileWithCodeCache(file: string): import('node:vm').Script {
  const vm = require('node:vm') as typeof import('node:vm');
  const cacheFile = path.join(cacheFolder(), cacheName());
  const cachedData = readCache(cacheFile);
  // The body is ASCII (esbuild escapes the rest; build-node.mjs checks): latin1 reads it
  // into a one-byte string without decoding UTF-8.
  const source = fs.readFileSync(file, 'latin1');
  // Node's CommonJS wrapper, and `__nb_import`: a script compiled from a code cache cannot
  // `import()` (Node 20), so the body's (webgpu's) goes through this module's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __nb_import) { ${source}\n})`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    let saved = false;
    const save = (): void => {
      if (saved) return;
      saved = true;
      process.off('exit', save);
      writeCache(cacheFile, script.createCachedData());
    };
    setTimeout(save, SAVE_AFTER_MS).unref();
    process.on('exit', save);
  }
  return script;
}

type Body = (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string, dynamicImport: (specifier: string) => Promise<unknown>) => void;

/**
 * numbats' exports: the body beside this file, compiled with the code cache and run as
 * Node runs a CommonJS module.
 *
 * @example
 * ```ts
 * const nb = loadNumbats();
 * nb.add; // the ufunc
 * ```
 */
export function loadNumbats(): Record<string, unknown> {
  const file = (require('node:url') as typeof import('node:url')).fileURLToPath(new URL(`./${NUMBATS_BODY_FILE}`, import.meta.url));
  const module = { exports: {} as Record<string, unknown> };
  const body = compileWithCodeCache(file).runInThisContext() as Body;
  body.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), (s) => import(s));
  return module.exports;
}
