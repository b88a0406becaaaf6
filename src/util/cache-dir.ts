/**
 * Where numbats keeps files between processes. The disk compile cache (vectorize/cache.ts,
 * opt-in with `cache: true`) follows the npm convention: `$NUMBATS_CACHE_DIR`, or
 * `node_modules/.cache/numbats` under the working directory. The compiler worker's code
 * cache of asc (compiler/toolchain/asc-code-cache.node.ts) and the Node bundle's code cache
 * of numbats itself (scripts/node-entry.ts, which repeats this rule) are always on, so they
 * must not leave files in whatever directory a script runs from: they go under
 * `$NUMBATS_CACHE_DIR` when that is set, else under the OS temporary directory, as Node's
 * own compile cache does (`module.enableCompileCache()`'s default).
 */
import { env, join, resolve, tmpdir } from '../platform/files.node.js';

/**
 * The cache directory (absolute).
 *
 * @example
 * ```ts
 * cacheDir(); // '/project/node_modules/.cache/numbats' unless NUMBATS_CACHE_DIR is set
 * ```
 */
export function cacheDir(): string {
  return resolve(env('NUMBATS_CACHE_DIR') || join('node_modules', '.cache', 'numbats'));
}

/**
 * The directory of the always-on code caches (the compiler's `asc-code-cache` subdirectory
 * and the Node bundle's `numbats-code-cache` are made there): `$NUMBATS_CACHE_DIR`, else
 * `<os tmpdir>/numbats`.
 *
 * @example
 * ```ts
 * codeCacheDir(); // '/tmp/numbats' unless NUMBATS_CACHE_DIR is set
 * ```
 */
export function codeCacheDir(): string {
  return resolve(env('NUMBATS_CACHE_DIR') || join(tmpdir(), 'numbats'));
}
