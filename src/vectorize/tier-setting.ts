/**
 * The default tier of the kernel factories (`nb.config({ tier })`), apart from tier.ts so
 * that nb.config imports nothing heavy (no runtime, no compiler).
 */

/** Where a kernel's new specialisations run first (src/vectorize/tier.ts). */
export type TierOption = 'auto' | 'wasm' | 'js';

/** Where a compiled function's calls run now. */
export type Tier = 'js' | 'wasm';

const setting = { tier: 'auto' as TierOption };

/** @internal The default tier (`nb.config({ tier })`). */
export function defaultTier(): TierOption {
  return setting.tier;
}

/** @internal Set the default tier (nb.config validates it). */
export function setDefaultTier(t: TierOption): void {
  setting.tier = t;
}

/** The tier option's accepted values (options validation, nb.config). */
export const TIER_VALUES: readonly TierOption[] = ['auto', 'wasm', 'js'];

