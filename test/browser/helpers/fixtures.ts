/// <reference types="vite/client" />
/**
 * Browser build of test/helpers/fixtures.ts (the vitest browser project swaps it in,
 * vitest.config.ts): the same fixtures, bundled by Vite as JSON modules instead of read with
 * node:fs.
 */
export { decodeNested, decodeScalar } from '../../helpers/fixture-values.js';

const FIXTURES = import.meta.glob<{ default: unknown }>('../../fixtures/*.json', { eager: true });

export function loadFixture<T>(name: string): T {
  const m = FIXTURES[`../../fixtures/${name}.json`];
  if (m === undefined) throw new Error(`no fixture test/fixtures/${name}.json`);
  return m.default as T;
}
