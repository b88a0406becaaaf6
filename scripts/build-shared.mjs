// What the esbuild builds of numbats share (scripts/build-browser.mjs: dist/browser.js and its
// worker files; scripts/build-node.mjs: dist/numbats.node.js): the command line (`--src DIR`
// builds the package copy in DIR, test/package/pack.ts; `--out DIR` writes to DIR instead of
// dist/; `--analyze` prints what makes each file large), esbuild's options, the check that a
// bundle imports only what its platform resolves, and the size report.
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** The build's command line: package root, output folder, `--analyze`. */
export function buildArgs(argv = process.argv) {
  const srcAt = argv.indexOf('--src');
  const root = srcAt > 0 ? argv[srcAt + 1] : new URL('..', import.meta.url).pathname;
  const outAt = argv.indexOf('--out');
  const out = outAt > 0 ? argv[outAt + 1] : join(root, 'dist');
  return { root, out, analyze: argv.includes('--analyze') };
}

/**
 * esbuild options of every bundle: one ESM file, minified (smaller files parse faster: the
 * Node bundle's import time is mostly V8 compiling it), no license comments, a metafile for
 * the checks and the report.
 */
export const COMMON = { bundle: true, format: 'esm', minify: true, legalComments: 'none', metafile: true, logLevel: 'warning' };

/** The imports esbuild left in bundle `result` (bare, `node:` and relative specifiers). */
export function importsLeft(result) {
  return Object.values(result.metafile.outputs)[0].imports.map((i) => i.path);
}

/** Exit with `what` when bundle `result` (file `name`) imports anything `allowed` rejects. */
export function checkImports(result, name, allowed, what) {
  const bad = importsLeft(result).filter((p) => !allowed(p));
  if (bad.length > 0) {
    console.error(`${name} imports ${what}: ${[...new Set(bad)].join(', ')}`);
    process.exit(1);
  }
}

/** Print each built file's size (and with `analyze`, a bundle's largest inputs; `r` null: not a bundle). */
export function reportSizes(out, built, analyze) {
  for (const [name, r] of built) {
    const bytes = statSync(join(out, name)).size;
    console.log(`dist/${name}: ${(bytes / 1024).toFixed(0)} KiB`);
    if (analyze && r !== null) {
      const inputs = Object.entries(Object.values(r.metafile.outputs)[0].inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
      for (const [file, i] of inputs.slice(0, 8)) console.log(`  ${(i.bytesInOutput / 1024).toFixed(0).padStart(6)} KiB  ${file}`);
    }
  }
}
