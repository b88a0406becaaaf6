/**
 * Platform seam, browser side of files.node.ts: no file system, no environment. Every file
 * function throws (the disk cache catches that: a miss); paths are joined as plain strings.
 */

function noFiles(): never {
  throw new Error('numbats: no file system in a browser (the compile cache stays in memory)');
}

export const closeSync = noFiles;
export const fstatSync = noFiles;
export const mkdirSync = noFiles;
export const openSync = noFiles;
export const readdirSync = noFiles;
export const readFileSync = noFiles;
export const renameSync = noFiles;
export const statSync = noFiles;
export const unlinkSync = noFiles;
export const utimesSync = noFiles;
export const writeFileSync = noFiles;

/** Segments joined with '/'. */
export function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

export const resolve = join;

/** The path without its last segment. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

/** The path separator. */
export const sep = '/';

/** A file: URL's path (the browser build has no files: only the text). */
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(String(url)).pathname);
}

/** A `require` that finds nothing (package versions read 'unknown'). */
export function createRequire(_from: string | URL): (id: string) => never {
  return () => noFiles();
}

/** No temporary directory in a browser (no file system). */
export const tmpdir = (): string => noFiles();

/** No environment variables in a browser. */
export function env(_name: string): string | undefined {
  return undefined;
}

/** No users in a browser (and no files to own). */
export function userId(): number | undefined {
  return undefined;
}
