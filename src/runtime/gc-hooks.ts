/**
 * Ways to learn, synchronously, which arrays became unreachable.
 *
 * FinalizationRegistry callbacks only run between tasks, so a synchronous loop that makes
 * temporaries would never see them and the heap would grow without bound. Two further
 * obstacles, both measured on Node 20:
 *   - every target of `new WeakRef()` is kept alive until the current job ends (the spec's
 *     "KeepDuringJob" set), so within one synchronous loop no WeakRef target dies at all;
 *   - V8 collects only when the *JS* heap is under pressure; an NDArray is a small JS object
 *     whatever the size of its Wasm block, so it may not notice.
 * Under heap pressure (see heap.ts) numbats therefore
 *   1. ends the kept set by running an empty script in a `vm` context whose microtask mode
 *      is 'afterEvaluate': its microtask checkpoint clears the isolate's kept objects
 *      (0.02 ms);
 *   2. runs a full GC through the `gc` function that `--expose-gc` provides (3-7 ms with a
 *      200k-object JS heap; a minor GC did not collect the typed arrays), after which dead
 *      WeakRefs read `undefined`.
 * Both are Node-only (platform/gc.node.ts) and optional: in browsers (gc.browser.ts) they
 * are no-ops and release happens through FinalizationRegistry and `dispose()`.
 */

import { loadGcHooks as loadHooks, type GcHooks as Hooks } from '../platform/gc.node.js';

let hooks: Hooks | undefined;

/** Let WeakRef targets made in the current job die (see the file header). */
export function clearKeptObjects(): void {
  (hooks ??= loadHooks()).clearKeptObjects();
}

/**
 * Run a full garbage collection now, if the platform allows it.
 *
 * @returns false where no synchronous collection is available.
 */
export function collectGarbage(): boolean {
  const h = (hooks ??= loadHooks());
  if (h.collectGarbage === undefined) return false;
  h.clearKeptObjects();
  h.collectGarbage();
  return true;
}
