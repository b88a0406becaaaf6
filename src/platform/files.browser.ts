/**
 * Platform seam, browser side of files.node.ts: no file system, no environment. Every file
 * function throws (the disk cache catches that: a miss); paths are joined as plain strings.
 */

function noFiles(): never {
  throw new Error('numbats: no file system in a browser (the compile cache stays in memory)');
}

export const mkdirSync = noFiles;
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

/** A `require` that finds nothing (package versions read 'unknown'). */
export function createRequire(_from: string | URL): (id: string) => never {
  return () => noFiles();
}

/** No environment variables in a browser. */
export function env(_name: string): string | undefined {
  return undefined;
}
