/**
 * Settings of the parallel target (`nb.config({ parallel })`) and the cheap gate the hot
 * paths read. Kept free of piscina and of the runtime so that importing it costs nothing.
 */
import { availableParallelism } from '../platform/threads.node.js';
import { refreshRowGate } from '../ufunc/targets.js';
import { ValueError } from '../util/errors.js';
import { defaultTier, setDefaultTier, TIER_VALUES, type TierOption } from '../vectorize/tier-setting.js';

/** Settings of the parallel target; every field optional in {@link config}. */
export interface ParallelSettings {
  /**
   * Run the built-in ufuncs (and their `reduce`) on the pool for large arrays. Default
   * false: built-ins stay on the calling thread unless asked. Kernels compiled with
   * `target: 'parallel'` always use the pool (above the crossover).
   */
  builtins: boolean;
  /** Threads that compute (the pool's size; the caller counts as one in synchronous calls). Default `os.availableParallelism()`. */
  threads: number;
  /** Calls with fewer elements always run on the calling thread. Default 32768. */
  minElements: number;
  /**
   * Work per block, in milliseconds (estimated from the loop's measured ns/element): a call
   * runs in parallel only when it makes at least two blocks. Default 0.5.
   */
  blockMs: number;
}

/** What `nb.config()` returns: the settings in force. */
export interface NumbatsConfig {
  parallel: Readonly<ParallelSettings>;
  /** The default `tier` of vectorize, guvectorize, jit and stencil ('auto': JS first, Wasm in the background). */
  tier: TierOption;
}

const settings: ParallelSettings = {
  builtins: false,
  threads: Math.max(1, availableParallelism()),
  minElements: 32768,
  blockMs: 0.5,
};

/** Read by the hot paths: elements below which nothing is parallel (Infinity when off). */
export const gate = { builtinMin: Infinity };

/** Listeners told when `threads` changes (the pool restarts with the new size). */
const onThreads: Array<() => void> = [];

/** @internal Register a callback for pool-size changes. */
export function onThreadsChange(f: () => void): void {
  onThreads.push(f);
}

/** @internal The settings (live object; do not mutate outside {@link config}). */
export function parallelSettings(): Readonly<ParallelSettings> {
  return settings;
}

/**
 * Read or change numbats' settings: the parallel target and the default tier.
 *
 * - `parallel: true` runs built-in ufuncs and their reductions on the worker pool for
 *   large arrays (default off); `false` turns that off again;
 * - `parallel: { threads, minElements, blockMs, builtins }` sets those fields (see
 *   {@link ParallelSettings}); `threads` restarts the pool (lazily) with the new size;
 * - `tier: 'auto' | 'wasm' | 'js'`: the default `tier` option of vectorize and guvectorize
 *   (kernels made afterwards): 'auto' (default) runs a new specialisation on the JS tier
 *   while its Wasm compiles in the background; 'wasm' blocks until the Wasm is compiled.
 *
 * @returns the settings now in force.
 * @throws ValueError `E_VALUE_CONFIG` for an unknown key or a bad value.
 * @example
 * ```ts
 * nb.config({ parallel: true });                 // built-ins use every core on big arrays
 * nb.config({ parallel: { threads: 4, minElements: 1e5 } });
 * nb.config().parallel.threads;                  // 4
 * nb.config({ tier: 'wasm' });                   // kernels made from now on wait for their Wasm
 * await nb.shutdown();                           // end the pool (a script also exits without it)
 * ```
 */
export function config(options: { parallel?: boolean | Partial<ParallelSettings>; tier?: TierOption } = {}): NumbatsConfig {
  for (const k of Object.keys(options)) {
    if (k !== 'parallel' && k !== 'tier') throw new ValueError('E_VALUE_CONFIG', `nb.config: unknown option '${k}' (options: parallel, tier)`);
  }
  if (options.tier !== undefined) {
    if (!(TIER_VALUES as readonly unknown[]).includes(options.tier)) {
      throw new ValueError('E_VALUE_CONFIG', `nb.config: tier must be 'auto', 'wasm' or 'js', got ${String(options.tier)}`);
    }
    setDefaultTier(options.tier);
  }
  const p = options.parallel;
  if (p === true || p === false) settings.builtins = p;
  else if (p !== undefined) {
    if (typeof p !== 'object' || p === null) throw new ValueError('E_VALUE_CONFIG', 'nb.config: parallel must be true, false or an object');
    for (const [k, v] of Object.entries(p)) {
      if (k === 'builtins') {
        if (typeof v !== 'boolean') throw new ValueError('E_VALUE_CONFIG', 'nb.config: parallel.builtins must be a boolean');
        settings.builtins = v;
      } else if (k === 'threads') {
        if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 256) {
          throw new ValueError('E_VALUE_CONFIG', `nb.config: parallel.threads must be an integer in 1..256, got ${String(v)}`);
        }
        if (settings.threads !== v) {
          settings.threads = v as number;
          for (const f of onThreads) f();
        }
      } else if (k === 'minElements') {
        if (typeof v !== 'number' || !(v >= 0)) throw new ValueError('E_VALUE_CONFIG', `nb.config: parallel.minElements must be a number >= 0, got ${String(v)}`);
        settings.minElements = v;
      } else if (k === 'blockMs') {
        if (typeof v !== 'number' || !(v > 0)) throw new ValueError('E_VALUE_CONFIG', `nb.config: parallel.blockMs must be a number > 0, got ${String(v)}`);
        settings.blockMs = v;
      } else {
        throw new ValueError('E_VALUE_CONFIG', `nb.config: unknown parallel option '${k}' (threads, minElements, blockMs, builtins)`);
      }
    }
  }
  gate.builtinMin = settings.builtins && settings.threads > 1 ? Math.max(2, settings.minElements) : Infinity;
  refreshRowGate();
  return { parallel: { ...settings }, tier: defaultTier() };
}
