/**
 * Platform seam: synchronous memory reclaim on Node (runtime/gc-hooks.ts says why it is
 * needed). Ends the "KeepDuringJob" set by running an empty script in a `vm` context whose
 * microtask mode is 'afterEvaluate', and runs a full GC through `--expose-gc`'s `gc`.
 * The browser twin (gc.browser.ts) has neither: release there is FinalizationRegistry,
 * `using`, `nb.scope` and `dispose()`.
 */
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import type * as Vm from 'node:vm';

type GcFn = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

/** What the runtime can do synchronously to free unreachable arrays. */
export interface GcHooks {
  clearKeptObjects: () => void;
  collectGarbage: (() => void) | undefined;
}

/**
 * The hooks (no-ops where the `vm` trick fails).
 *
 * @example
 * ```ts
 * const { clearKeptObjects, collectGarbage } = loadGcHooks();
 * ```
 */
export function loadGcHooks(): GcHooks {
  try {
    // Loaded here, not at import: node:v8 alone costs ~3 ms to load, and the hooks are
    // needed only when the heap is short of memory.
    const require = createRequire(import.meta.url);
    const vm = require('node:vm') as typeof Vm;
    const v8 = require('node:v8') as typeof V8;
    const ctx = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
    const script = new vm.Script('0');
    let gc = (globalThis as { gc?: GcFn }).gc;
    if (typeof gc !== 'function') {
      // Exposes `gc` in contexts created from now on only; the main context is unchanged.
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as GcFn;
    }
    const gcFn = gc;
    return {
      clearKeptObjects: () => void script.runInContext(ctx),
      collectGarbage: typeof gcFn === 'function' ? () => gcFn() : undefined,
    };
  } catch {
    return { clearKeptObjects: () => {}, collectGarbage: undefined };
  }
}
