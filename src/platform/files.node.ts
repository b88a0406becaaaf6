/**
 * Platform seam: the host's files, environment and package metadata, as the disk compile
 * cache (vectorize/cache.ts) uses them. Node: `node:fs`, `node:path`, `node:module` and
 * `process.env`. The browser twin (files.browser.ts) has no file system: its file functions
 * throw, which the cache treats as an unreadable, unwritable directory (a miss, never an
 * error), so `cache: true` keeps modules in memory only.
 */
export { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
export { dirname, join, resolve, sep } from 'node:path';
export { fileURLToPath } from 'node:url';
export { createRequire } from 'node:module';
export { tmpdir } from 'node:os';

/**
 * An environment variable (`process.env[name]`).
 *
 * @example
 * ```ts
 * env('NUMBATS_CACHE_DIR'); // undefined when unset
 * ```
 */
export function env(name: string): string | undefined {
  return process.env[name];
}

/**
 * This process's user id (POSIX), or undefined where there is none (Windows): the disk cache
 * reads only files that this user owns.
 *
 * @example
 * ```ts
 * userId(); // 1000
 * ```
 */
export function userId(): number | undefined {
  return process.getuid?.();
}
