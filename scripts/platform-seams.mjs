// The browser's platform seams (issue 17): a source file `X.node.ts` whose twin `X.browser.ts`
// lies beside it is replaced by the twin in every browser build — the esbuild bundle
// (scripts/build-browser.mjs) and the vitest browser project (vitest.config.ts). Node, tsc,
// tsx and vitest's Node project import the `.node.ts` files as they are, so the one source
// tree needs no run-time `isNode` checks and no path mapping.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The browser twin of the import `spec` made from `importer`, or undefined. */
export function browserTwin(spec, importer) {
  if (!spec.startsWith('.') || !/\.node\.(js|ts)$/.test(spec) || !importer) return undefined;
  const twin = resolve(dirname(importer), spec.replace(/\.node\.(js|ts)$/, '.browser.ts'));
  return existsSync(twin) ? twin : undefined;
}

/** esbuild plugin: swap seams for their browser twins. */
export function esbuildSeams() {
  return {
    name: 'numbats-platform-seams',
    setup(build) {
      build.onResolve({ filter: /\.node\.(js|ts)$/ }, (args) => {
        const path = browserTwin(args.path, args.importer);
        return path === undefined ? undefined : { path };
      });
    },
  };
}

/** Vite plugin (vitest browser project): the same swap. */
export function viteSeams() {
  return {
    name: 'numbats-platform-seams',
    enforce: 'pre',
    resolveId(source, importer) {
      return browserTwin(source, importer?.split('?')[0]);
    },
  };
}
