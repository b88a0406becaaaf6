/**
 * Platform seam, browser side of hash.node.ts: a synchronous SHA-256 with the part of
 * `node:crypto`'s `createHash` that numbats uses (`update` of strings and bytes, `digest`
 * as hex or bytes). Browsers only have the asynchronous `crypto.subtle.digest`, and cache
 * keys are computed in synchronous code. Same digests as Node (test/browser/platform.test.ts
 * checks the FIPS 180-2 vectors). The implementation is ./sha256.ts, shared with Node.
 */
import { Sha256, type Hash } from './sha256.js';

export type { Hash };

/**
 * `createHash('sha256')` as on Node (the only algorithm numbats uses).
 *
 * @example
 * ```ts
 * createHash('sha256').update('abc').digest('hex'); // 'ba7816bf...'
 * ```
 */
export function createHash(algorithm: 'sha256'): Hash {
  if (algorithm !== 'sha256') throw new Error(`createHash: only sha256 is available in the browser build, not ${String(algorithm)}`);
  return new Sha256();
}
