/**
 * Where numbats keeps files between processes, the npm convention: `$NUMBATS_CACHE_DIR`, or
 * `node_modules/.cache/numbats` under the working directory. The disk compile cache
 * (vectorize/cache.ts) and the compiler worker's code cache of asc
 * (compiler/toolchain/asc-code-cache.node.ts, in its own subdirectory) live there.
 */
import { env, join, resolve } from '../platform/files.node.js';

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
