/**
 * Platform seam: SHA-256 (cache keys, worker file names). Node: `node:crypto`. The browser
 * build uses hash.browser.ts instead (a file `X.node.ts` with a twin `X.browser.ts` beside it
 * is swapped for the twin by scripts/platform-seams.mjs; the twin has the same exports).
 */
export { createHash, type Hash } from 'node:crypto';
