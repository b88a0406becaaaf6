// The tier the jit and stencil suites run their functions on (nb.config({ tier })): 'wasm' in
// their own files (they were written for the compiled code: traps, pools, leaks), and 'js'
// when test/jit/js-tier-suites.test.ts and test/stencil/js-tier-suites.test.ts run the same
// suites again on the JS tier (their oracle is plain JS either way: parity of the tiers).
import * as nb from '../../src/index.js';

const KEY = '__numbatsSuiteTier';

/**
 * Set the default tier for the suite being loaded: the one a runner of shared suites asked
 * for ({@link runSuitesOn}), else 'wasm'.
 */
export function useSuiteTier(): 'wasm' | 'js' {
  const t = ((globalThis as Record<string, unknown>)[KEY] as 'js' | undefined) ?? 'wasm';
  nb.config({ tier: t });
  return t;
}

/** Load the suites `load` imports with every function they make on tier `tier`. */
export async function runSuitesOn(tier: 'js', load: () => Promise<unknown>): Promise<void> {
  (globalThis as Record<string, unknown>)[KEY] = tier;
  await load();
}
