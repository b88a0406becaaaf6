/**
 * The compile cache (DESIGN.md decision 6): AS source → Wasm bytes.
 *
 * Key: SHA-256 over the linked AS source (which is generated from the kernel source text,
 * the signature(s) and the values of `options.constants`, each printed where it is read, so
 * all are covered: kernels with different constants never share an entry), the asc flags, the target, the memoryBase,
 * `boundscheck` (a checked and an unchecked module never share an entry, even where the
 * compiler proved every index in range and the sources agree), and the numbats and asc
 * versions.
 *
 * memoryBase: a compiled module's static data (AS's Math tables) and the code that reads it
 * use absolute addresses, fixed at compile time by `--memoryBase`; Wasm has no relocation
 * at instantiation. So the cache stores bytes per (source, memoryBase). Each ufunc reserves
 * a heap block for the process lifetime and compiles at its start; in a fresh process that
 * runs the same program the heap hands out the same addresses, so disk entries hit (a
 * different base is a miss, compiled and stored under its own key). Kernels without static
 * data (most arithmetic kernels) do not depend on the base: the first compile records that,
 * and their key then omits the base (see {@link compileCached}).
 *
 * In memory always; on disk with `cache: true`, under `$NUMBATS_CACHE_DIR` or
 * `node_modules/.cache/numbats` (relative to the working directory): one file per key,
 * `<key>.wasm`, whose first 32 bytes are the SHA-256 of the key and the rest, verified on
 * load: a corrupt, truncated or unreadable entry, or one that is not this key's (another
 * entry copied or renamed over it), is ignored (and rewritten); writes go through a
 * temporary file and a rename, so readers never see half a file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ASC_FLAGS } from '../compiler/index.js';
import { compileBytesSync, moduleFromBytes } from './compile-sync.js';
import { staticDataRange } from '../compiler/index.js';

function versionOf(pkg: string): string {
  try {
    return (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

let versions: string | undefined;
/** numbats and asc versions in the key. */
function versionKey(): string {
  return (versions ??= `numbats@${versionOf('numbats')};asc@${versionOf('assemblyscript')}`);
}

const memory = new Map<string, Uint8Array>();
/** Sources known to compile to base-independent bytes (no static data). */
const baseFree = new Set<string>();

/** Cache directory: `$NUMBATS_CACHE_DIR` or `node_modules/.cache/numbats`. */
export function cacheDir(): string {
  return resolve(process.env.NUMBATS_CACHE_DIR ?? join('node_modules', '.cache', 'numbats'));
}

export function cacheKey(source: string, target: string, memoryBase: number | null, boundscheck = true): string {
  return createHash('sha256').update(source).update('\0').update(ASC_FLAGS.join(' ')).update('\0').update(target)
    .update('\0').update(memoryBase === null ? 'any' : String(memoryBase)).update(boundscheck ? '' : '\0noboundscheck')
    .update('\0').update(versionKey()).digest('hex');
}

/** Where the last {@link compileCached} result came from (tests, measurements). */
export type CacheSource = 'memory' | 'disk' | 'compiled';

export interface CachedCompile {
  readonly module: WebAssembly.Module;
  readonly binary: Uint8Array;
  readonly staticData: { readonly start: number; readonly end: number } | null;
  readonly from: CacheSource;
  readonly compileMs: number;
}

/** The checksum at the head of an entry: binds the bytes to their key. */
function entrySum(key: string, body: Uint8Array): Buffer {
  return createHash('sha256').update(key).update('\0').update(body).digest();
}

function readDisk(key: string): Uint8Array | undefined {
  try {
    const file = readFileSync(join(cacheDir(), `${key}.wasm`));
    if (file.length < 33) return undefined;
    const body = file.subarray(32);
    const sum = entrySum(key, body);
    if (!sum.equals(file.subarray(0, 32))) return undefined;
    return new Uint8Array(body);
  } catch {
    return undefined;
  }
}

function writeDisk(key: string, bytes: Uint8Array): void {
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    writeFileSync(tmp, Buffer.concat([entrySum(key, bytes), bytes]));
    renameSync(tmp, join(dir, `${key}.wasm`));
  } catch {
    // A cache that cannot be written is only slower.
  }
}

/** Path of the disk entry for a key (tests). */
export function cacheFile(key: string): string {
  return join(cacheDir(), `${key}.wasm`);
}

/**
 * AS source → module, through the cache.
 *
 * @example
 * ```ts
 * const { module, from } = compileCached(linkKernels(ks), { memoryBase, disk: true });
 * ```
 */
export function compileCached(source: string, options: { memoryBase: number; disk?: boolean; target?: string; boundscheck?: boolean }): CachedCompile {
  const target = options.target ?? 'cpu';
  const bc = options.boundscheck ?? true;
  const baseKey = cacheKey(source, target, options.memoryBase, bc);
  const anyKey = cacheKey(source, target, null, bc);
  const keys = baseFree.has(source) ? [anyKey, baseKey] : [baseKey, anyKey];
  for (const key of keys) {
    const hit = memory.get(key);
    if (hit) return finish(hit, source, 'memory', 0);
  }
  if (options.disk) {
    for (const key of keys) {
      const bytes = readDisk(key);
      if (bytes) {
        try {
          const r = finish(bytes, source, 'disk', 0);
          memory.set(key, bytes);
          return r;
        } catch {
          // invalid Wasm despite the checksum (e.g. written by another version): rebuild.
        }
      }
    }
  }
  const { binary, compileMs } = compileBytesSync(source, options.memoryBase);
  const staticData = staticDataRange(binary);
  const key = staticData === null ? anyKey : baseKey;
  if (staticData === null) baseFree.add(source);
  memory.set(key, binary);
  if (options.disk) writeDisk(key, binary);
  return finish(binary, source, 'compiled', compileMs);
}

function finish(binary: Uint8Array, source: string, from: CacheSource, compileMs: number): CachedCompile {
  return { module: moduleFromBytes(binary, source), binary, staticData: staticDataRange(binary), from, compileMs };
}

/** Forget the in-memory entries (tests, measurements). */
export function clearMemoryCache(): void {
  memory.clear();
  baseFree.clear();
}
