/**
 * The compile cache (DESIGN.md decision 6): AS source → Wasm bytes.
 *
 * vectorize and guvectorize look a module up by the kernel's inputs first (kernel-cache.ts:
 * a hit there runs no front end); this cache serves the rest (stencil, jit) and their
 * misses, and its position-independent entries are what kernel-cache.ts stores.
 *
 * Key: SHA-256 over the linked AS source (which is generated from the kernel source text,
 * the signature(s) and the values of `options.constants`, each printed where it is read, so
 * all are covered: kernels with different constants never share an entry), the asc flags, the target,
 * `boundscheck` (a checked and an unchecked module never share an entry, even where the
 * compiler proved every index in range and the sources agree), the numbats and asc
 * versions and the entry format; and, for the rare base-keyed entry, the memoryBase.
 *
 * Static data: a compiled module's static data (AS's Math tables, `memory.data` constants)
 * and the code that reads it use absolute addresses fixed by asc's `--memoryBase`; asc has
 * no position-independent output. Entries are made position-independent after the fact
 * (relocate.ts): on a miss with `disk`, the source is compiled at two canonical bases, the
 * differing address constants are the relocation sites, and the entry stores the first
 * binary with them. Any process then moves it to the heap block it reserved, whatever its
 * allocation history (a relocation and `new WebAssembly.Module`, no asc). The price is a
 * second asc compile on a miss, for modules with static data only (most arithmetic
 * kernels have none: compiled once, stored as they are). A module whose difference is not
 * a set of address constants, or a block past 2 GiB, falls back to an entry compiled at
 * the block's own base and keyed by it. Without `disk`, a miss compiles once, at the block's
 * base, as before. Every module handed out has its memory import's minimum set to what its
 * static data needs: asc sets it to cover the compile-time base, and a fresh process's
 * smaller memory refused that with a LinkError.
 *
 * In memory always; on disk with `cache: true`, under `$NUMBATS_CACHE_DIR` or
 * `node_modules/.cache/numbats` (relative to the working directory, the npm convention
 * babel-loader and eslint follow): one file per key, `<key>.wasm` (the layout:
 * {@link readDiskBody}). A file holds its key in full and a checksum of the rest, both verified
 * on load: a corrupt, truncated or unreadable entry, one that is not this key's (another
 * entry copied or renamed over it, a file name shared by two keys) or one another user owns
 * is ignored (and rewritten). Writes go through a temporary file and a rename, so readers
 * never see half a file, and two processes filling one entry at once both succeed (the last
 * rename wins; the bytes are the same). A hit makes the file young (its mtime, unless that is
 * under {@link TOUCH_AFTER_MS} old); after each write the directory is swept: temporary files
 * older than {@link TMP_MAX_AGE_MS} (a writer killed between write and rename) are removed,
 * and the least recently used entries go until the directory is under its cap
 * (`$NUMBATS_CACHE_MAX_MB`, default 256).
 */
import { createHash } from '../platform/hash.node.js';
import {
  closeSync, createRequire, dirname, env, fileURLToPath, fstatSync, join, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, userId,
  utimesSync, writeFileSync,
} from '../platform/files.node.js';
import { ASC_FLAGS } from '../compiler/index.js';
import { cacheDir } from '../util/cache-dir.js';
import { compileBytesSync, moduleFromBytes } from './compile-sync.js';
import { staticDataRange } from '../compiler/index.js';
import { hash64 } from './hash64.js';
import { BASE_A, BASE_B, findRelocations, relocate, RELOCATABLE_LIMIT, setMemoryImportMinimum } from './relocate.js';

/** The `version` of the package.json at `path`, if that file is package `pkg`'s. */
function versionAt(path: string, pkg: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    return json.name === pkg && typeof json.version === 'string' ? json.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A package's version: numbats' own package.json is the first one above this file; a
 * dependency's is in the first `node_modules` above that which has it (Node's resolution,
 * read directly: require.resolve costs ~2 ms on a cache hit's path), else require's answer.
 */
function versionOf(pkg: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 64; up++) {
    const v = pkg === 'numbats' ? versionAt(join(dir, 'package.json'), pkg) : versionAt(join(dir, 'node_modules', pkg, 'package.json'), pkg);
    if (v !== undefined) return v;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  try {
    return (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

let versions: string | undefined;
/** numbats and asc versions in the key. */
export function versionKey(): string {
  return (versions ??= `numbats@${versionOf('numbats')};asc@${versionOf('assemblyscript')}`);
}

/** Entry format, in the key: bumped when the body or file layout changes. */
const FORMAT = 'entry3';

/**
 * A cache entry: Wasm bytes, and either the relocation sites of a module compiled at
 * BASE_A (position-independent), or null (bytes used as they are: no static data, or static
 * data at the base in the entry's key).
 */
export interface Entry {
  readonly bytes: Uint8Array;
  readonly relocs: Uint32Array | null;
  onDisk: boolean;
}

const memory = new Map<string, Entry>();

export { cacheDir };

/** Cap of the cache directory in bytes: `$NUMBATS_CACHE_MAX_MB` MiB, default 256. */
export function cacheMaxBytes(): number {
  const mb = Number(env('NUMBATS_CACHE_MAX_MB'));
  return (Number.isFinite(mb) && mb >= 0 && env('NUMBATS_CACHE_MAX_MB') !== '' ? mb : 256) * 2 ** 20;
}

/** A temporary file older than this is a dead writer's, and removed by the sweep. */
export const TMP_MAX_AGE_MS = 5 * 60_000;

export function cacheKey(source: string, target: string, memoryBase: number | null, boundscheck = true): string {
  return createHash('sha256').update(source).update('\0').update(ASC_FLAGS.join(' ')).update('\0').update(target)
    .update('\0').update(memoryBase === null ? 'any' : String(memoryBase)).update(boundscheck ? '' : '\0noboundscheck')
    .update('\0').update(versionKey()).update('\0').update(FORMAT).digest('hex');
}

/**
 * Where a {@link compileCached} result came from (tests, measurements); kernel-cache.ts adds
 * 'inputs' (a hit on the kernel's inputs: no front end ran).
 */
export type CacheSource = 'memory' | 'disk' | 'compiled' | 'inputs';

export interface CachedCompile {
  readonly module: WebAssembly.Module;
  readonly binary: Uint8Array;
  readonly staticData: { readonly start: number; readonly end: number } | null;
  readonly from: CacheSource;
  readonly compileMs: number;
  /**
   * The entry it came from, when that entry goes to any base (no static data, or relocatable;
   * kernel-cache.ts stores it under the kernel's inputs); null for a base-keyed entry.
   */
  readonly portable: Entry | null;
}

/** Body: u32 relocation count (0xffffffff: none, bytes as they are), the sites, the Wasm. */
export function encode(entry: Entry): Buffer {
  const n = entry.relocs?.length ?? 0;
  const head = Buffer.alloc(4 + 4 * n);
  head.writeUInt32LE(entry.relocs === null ? 0xffffffff : n, 0);
  for (let i = 0; i < n; i++) head.writeUInt32LE(entry.relocs![i]!, 4 + 4 * i);
  return Buffer.concat([head, entry.bytes]);
}

/** {@link encode}'s inverse; undefined when the body is not one. */
export function decode(body: Buffer): Entry | undefined {
  if (body.length < 4) return undefined;
  const n = body.readUInt32LE(0);
  if (n === 0xffffffff) return { bytes: new Uint8Array(body.subarray(4)), relocs: null, onDisk: true };
  if (4 + 4 * n > body.length) return undefined;
  const relocs = new Uint32Array(n);
  for (let i = 0; i < n; i++) relocs[i] = body.readUInt32LE(4 + 4 * i);
  return { bytes: new Uint8Array(body.subarray(4 + 4 * n)), relocs, onDisk: true };
}

/** A hit leaves a file's mtime (the sweep's LRU order) alone when it is younger than this. */
export const TOUCH_AFTER_MS = 60_000;

/** The first 4 bytes of an entry file (the layout: {@link readDiskBody}). */
const MAGIC = 0x3345424e; // 'NBE3', little-endian

/** Test hook: the user whose files are read (undefined: this process's). */
let ownerOverride: number | undefined;
/**
 * Test hook: read only files owned by user `uid`, as if this process ran as that user
 * (undefined restores the process's own).
 */
export function overrideCacheOwner(uid: number | undefined): void {
  ownerOverride = uid;
}

/** Where the key of `n` bytes ends, padded to 4 bytes (the body is word-aligned for hash64). */
const keyEnd = (n: number): number => 8 + ((n + 3) & ~3);

const utf8 = (key: string | Uint8Array): Uint8Array => (typeof key === 'string' ? new TextEncoder().encode(key) : key);

/**
 * The body of the disk entry in file `<name>.wasm` whose key is `key` (default: the name), or
 * undefined when there is none or it is not intact, not this key's or another user's. A file
 * is: 'NBE3'; u32 n; the key (n bytes of UTF-8, compared in full: a file copied or renamed
 * over another key's, or from another build whose identity is in the key, is not used),
 * zeros to a multiple of 4 bytes; u32 lo, hi: the body's {@link hash64} (a torn or flipped
 * file is not used); the body (4-byte aligned). Little-endian. A hit touches the file's
 * mtime (least recently used goes first) unless it is recent.
 *
 * @example
 * ```ts
 * const body = readDiskBody(cacheKey(source, 'cpu', null));
 * ```
 */
export function readDiskBody(name: string, key: string | Uint8Array = name): Buffer | undefined {
  const path = join(cacheDir(), `${name}.wasm`);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    // Another user's file (a shared cache directory) is not trusted to hold this key's module.
    const uid = ownerOverride ?? userId();
    if (uid !== undefined && st.uid !== uid) return undefined;
    const file = readFileSync(fd);
    const k = utf8(key);
    const at = keyEnd(k.length); // the checksum; the body follows it
    if (file.length < at + 8 || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== k.length) return undefined;
    if (!file.subarray(8, 8 + k.length).equals(k)) return undefined;
    const body = file.subarray(at + 8);
    const [lo, hi] = hash64(body);
    if (file.readUInt32LE(at) !== lo || file.readUInt32LE(at + 4) !== hi) return undefined;
    if (Date.now() - st.mtimeMs > TOUCH_AFTER_MS) {
      const now = new Date();
      try { utimesSync(path, now, now); } catch { /* read-only cache: still a hit */ }
    }
    return body;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) try { closeSync(fd); } catch { /* closed already */ }
  }
}

function readDisk(key: string): Entry | undefined {
  const body = readDiskBody(key);
  return body && decode(body);
}

/**
 * Write `body` as the disk entry in file `<name>.wasm` whose key is `key` (default: the name;
 * the layout: {@link readDiskBody}), through a temporary file and a rename; then sweep. False
 * when it could not be written.
 *
 * @example
 * ```ts
 * writeDiskBody(cacheKey(source, 'cpu', null), encode(entry));
 * ```
 */
export function writeDiskBody(name: string, body: Uint8Array, key: string | Uint8Array = name): boolean {
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const k = utf8(key);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(k.length, 4);
    const sum = Buffer.alloc(8);
    const [lo, hi] = hash64(body);
    sum.writeUInt32LE(lo, 0);
    sum.writeUInt32LE(hi, 4);
    const tmp = join(dir, `${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    writeFileSync(tmp, Buffer.concat([head, k, Buffer.alloc(keyEnd(k.length) - 8 - k.length), sum, body]));
    renameSync(tmp, join(dir, `${name}.wasm`));
    sweepCache(dir);
    return true;
  } catch {
    // A cache that cannot be written is only slower.
    return false;
  }
}

function writeDisk(key: string, entry: Entry): void {
  try {
    if (writeDiskBody(key, encode(entry))) entry.onDisk = true;
  } catch {
    // No file system and no Buffer (a browser): the entry stays in memory.
  }
}

/**
 * Remove dead writers' temporary files and, while the directory is over its cap
 * ({@link cacheMaxBytes}), the least recently used entries (oldest mtime; a hit touches it).
 * Files that vanish meanwhile (another process sweeping) are skipped. Returns the names
 * removed (tests).
 */
export function sweepCache(dir = cacheDir(), cap = cacheMaxBytes(), now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const entries: Array<{ name: string; size: number; mtime: number }> = [];
  let total = 0;
  for (const name of names) {
    const isTmp = name.endsWith('.tmp');
    if (!isTmp && !name.endsWith('.wasm')) continue;
    try {
      const st = statSync(join(dir, name));
      if (isTmp) {
        if (now - st.mtimeMs > TMP_MAX_AGE_MS) {
          unlinkSync(join(dir, name));
          removed.push(name);
        }
        continue;
      }
      entries.push({ name, size: st.size, mtime: st.mtimeMs });
      total += st.size;
    } catch {
      // gone already
    }
  }
  if (total <= cap) return removed;
  entries.sort((a, b) => a.mtime - b.mtime);
  for (const e of entries) {
    if (total <= cap) break;
    try {
      unlinkSync(join(dir, e.name));
      removed.push(e.name);
    } catch {
      // gone already
    }
    total -= e.size;
  }
  return removed;
}

/** Path of the disk entry for a key (tests). */
export function cacheFile(key: string): string {
  return join(cacheDir(), `${key}.wasm`);
}

/**
 * The heap block that `entry`'s static data needs at any base (a relocated module keeps its
 * data's offset from the base; 64 bytes for the base's alignment), 0 when it has none, or
 * undefined when the entry is not position-independent: what a caller placing it reserves
 * first (module.ts instantiateAt), instead of a guess that is too big or too small.
 *
 * @example
 * ```ts
 * instantiateAt((base, fresh) => finish(entry, base, source, 'inputs', 0, true)!, {}, entryBlockBytes(entry));
 * ```
 */
export function entryBlockBytes(entry: Entry): number | undefined {
  const sd = staticDataRange(entry.bytes);
  if (sd === null) return 0;
  return entry.relocs === null ? undefined : sd.end - BASE_A + 64;
}

/**
 * A module without static data as its entry stores it: the memory import's minimum (asc's
 * covers the compile-time base) already 0, which is what {@link materialize} sets, so that
 * a hit uses the bytes as they are.
 */
function withoutStaticData(bytes: Uint8Array): Uint8Array {
  return setMemoryImportMinimum(bytes, 0);
}

/**
 * The entry's module for static data at `memoryBase`: relocated if position-independent,
 * memory import minimum set to what the static data needs. Null when a relocatable entry
 * cannot go there (past {@link RELOCATABLE_LIMIT}).
 */
function materialize(entry: Entry, memoryBase: number): { binary: Uint8Array; staticData: { start: number; end: number } | null } | null {
  const sd = staticDataRange(entry.bytes);
  if (entry.relocs !== null && sd !== null) {
    const moved = { start: memoryBase + (sd.start - BASE_A), end: memoryBase + (sd.end - BASE_A) };
    if (moved.end >= RELOCATABLE_LIMIT) return null;
    return { binary: relocate(entry.bytes, entry.relocs, memoryBase, sd), staticData: moved };
  }
  return { binary: setMemoryImportMinimum(entry.bytes, sd === null ? 0 : Math.ceil(sd.end / 65536)), staticData: sd };
}

/**
 * AS source → module, through the cache. `fresh` skips the lookups (a cached module that
 * failed to instantiate is compiled again and its entries replaced).
 *
 * @example
 * ```ts
 * const { module, from } = compileCached(linkKernels(ks), { memoryBase, disk: true });
 * ```
 */
export function compileCached(source: string, options: { memoryBase: number; disk?: boolean; target?: string; boundscheck?: boolean; fresh?: boolean }): CachedCompile {
  const target = options.target ?? 'cpu';
  const bc = options.boundscheck ?? true;
  const base = options.memoryBase;
  const baseKey = cacheKey(source, target, base, bc);
  const anyKey = cacheKey(source, target, null, bc);
  if (!options.fresh) {
    for (const key of [anyKey, baseKey]) {
      const hit = memory.get(key);
      if (!hit) continue;
      const r = finish(hit, base, source, 'memory', 0, key === anyKey);
      if (r === null) continue;
      if (options.disk && !hit.onDisk) writeDisk(key, hit);
      return r;
    }
    if (options.disk) {
      for (const key of [anyKey, baseKey]) {
        const entry = readDisk(key);
        if (!entry) continue;
        try {
          const r = finish(entry, base, source, 'disk', 0, key === anyKey);
          if (r === null) continue;
          memory.set(key, entry);
          return r;
        } catch {
          // invalid Wasm despite the checksum (e.g. written by another version): rebuild.
        }
      }
    }
  }
  let compileMs = 0;
  const compile = (at: number): Uint8Array => {
    const c = compileBytesSync(source, at);
    compileMs += c.compileMs;
    return c.binary;
  };
  if (options.disk) {
    // Position-independent entry: compile at the canonical base; a second compile finds
    // the relocation sites when there is static data.
    const a = compile(BASE_A);
    let entry: Entry | null = null;
    if (staticDataRange(a) === null) entry = { bytes: withoutStaticData(a), relocs: null, onDisk: false };
    else {
      const relocs = findRelocations(a, compile(BASE_B));
      if (relocs !== null) entry = { bytes: a, relocs, onDisk: false };
    }
    if (entry !== null) {
      memory.set(anyKey, entry);
      writeDisk(anyKey, entry);
      const r = finish(entry, base, source, 'compiled', compileMs, true);
      if (r !== null) return r;
    }
  }
  const binary = compile(base);
  const portable = staticDataRange(binary) === null;
  const entry: Entry = { bytes: portable ? withoutStaticData(binary) : binary, relocs: null, onDisk: false };
  const key = portable ? anyKey : baseKey;
  memory.set(key, entry);
  if (options.disk) writeDisk(key, entry);
  return finish(entry, base, source, 'compiled', compileMs, key === anyKey)!;
}

/**
 * The module of `entry` for static data at `memoryBase` (relocated, memory minimum set), or
 * null when it cannot go there. `portable`: the entry goes to any base.
 *
 * @example
 * ```ts
 * const r = finish(entry, base, source, 'inputs', 0, true);
 * ```
 */
export function finish(entry: Entry, memoryBase: number, source: string, from: CacheSource, compileMs: number, portable = false): CachedCompile | null {
  const m = materialize(entry, memoryBase);
  if (m === null) return null;
  return { module: moduleFromBytes(m.binary, source), binary: m.binary, staticData: m.staticData, from, compileMs, portable: portable ? entry : null };
}

/** Forget the in-memory entries of `source` (every key), or all of them. */
export function forgetCached(source?: string, options: { target?: string; boundscheck?: boolean; memoryBase?: number } = {}): void {
  if (source === undefined) {
    memory.clear();
    return;
  }
  const target = options.target ?? 'cpu';
  const bc = options.boundscheck ?? true;
  memory.delete(cacheKey(source, target, null, bc));
  if (options.memoryBase !== undefined) memory.delete(cacheKey(source, target, options.memoryBase, bc));
}

/** Forget the in-memory entries (tests, measurements). */
export function clearMemoryCache(): void {
  memory.clear();
}
