/**
 * Platform seam: SHA-256 (cache keys, worker file names). Node: `node:crypto`. The browser
 * build uses hash.browser.ts instead (a file `X.node.ts` with a twin `X.browser.ts` beside it
 * is swapped for the twin by scripts/platform-seams.mjs; the twin has the same exports).
 */
import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

export type { Hash };

let crypto: typeof import('node:crypto') | undefined;

/**
 * `node:crypto`'s createHash; node:crypto is loaded on the first hash, not at import (~3 ms).
 *
 * @example
 * ```ts
 * createHash('sha256').update('x').digest('hex');
 * ```
 */
export function createHash(algorithm: 'sha256'): Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash(algorithm);
}
