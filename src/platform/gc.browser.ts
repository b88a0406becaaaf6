/**
 * Platform seam, browser side of gc.node.ts: no synchronous collection in a browser.
 * Arrays are released by FinalizationRegistry between tasks, or at once by `using`,
 * `nb.scope` and `dispose()`.
 */

/** What the runtime can do synchronously to free unreachable arrays: nothing here. */
export interface GcHooks {
  clearKeptObjects: () => void;
  collectGarbage: (() => void) | undefined;
}

/** No-op hooks. */
export function loadGcHooks(): GcHooks {
  return { clearKeptObjects: () => {}, collectGarbage: undefined };
}
