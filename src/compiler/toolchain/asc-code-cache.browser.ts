/**
 * Browser twin of asc-code-cache.node.ts: browsers keep their own code cache for the
 * scripts a page loads (the compiler worker's bundle included), and there is no file
 * system, so this loader only says so; the browser compiler worker (asc-worker.browser.ts)
 * imports asc as a module.
 */

/** asc loaded: its two modules' exports, and the code cache's state (as in the Node seam). */
export interface LoadedAsc {
  readonly asc: Record<string, unknown>;
  readonly assemblyscript: Record<string, unknown>;
  readonly codeCache: 'hit' | 'miss' | 'rejected';
  save(): boolean;
}

/** The builds the Node loader's rewrite was checked against (unused in browsers). */
export const ASC_BUILDS = {} as const;

/**
 * Not available in browsers.
 *
 * @throws always (a caller falls back to importing asc).
 * @example
 * ```ts
 * await loadAscWithCodeCache(ascUrl, dir, ASC_BUILDS); // throws in a browser
 * ```
 */
export async function loadAscWithCodeCache(_ascUrl: string, _cacheDir: string, _builds: object, _processFlags: readonly string[] = []): Promise<LoadedAsc> {
  throw new Error('asc code cache: not available in browsers (the browser caches the worker bundle itself)');
}
