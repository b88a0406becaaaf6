/**
 * Platform seam: the acorn parser, loaded on the first kernel parse. Node: its CommonJS build
 * through `createRequire` (synchronous, ~15 ms that `import 'numbats'` would otherwise pay;
 * a kernel found in the compile cache by its inputs never parses). The browser twin
 * (acorn.browser.ts) imports it statically: the bundle carries it.
 */
import type * as acorn from 'acorn';
import { createRequire } from 'node:module';

let acornModule: typeof acorn | undefined;

/**
 * The acorn module, loaded on the first call.
 *
 * @example
 * ```ts
 * loadAcorn().parse('(x) => x + 1', { ecmaVersion: 'latest' });
 * ```
 */
export function loadAcorn(): typeof acorn {
  return (acornModule ??= createRequire(import.meta.url)('acorn') as typeof acorn);
}
