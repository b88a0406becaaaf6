// What the esbuild builds of numbats share (scripts/build-browser.mjs: dist/browser.js and its
// worker files; scripts/build-node.mjs: dist/numbats.node.js): the command line (`--src DIR`
// builds the package copy in DIR, test/package/pack.ts; `--out DIR` writes to DIR instead of
// dist/; `--analyze` prints what makes each file large), esbuild's options, the check that a
// bundle imports only what its platform resolves, and the size report.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

/**
 * The third-party packages whose code bundle `result` carries, from esbuild's metafile: each
 * input under a `node_modules/` folder names its package (the innermost one, so a nested copy
 * counts as its own package).
 */
export function bundledPackages(result) {
  const dirs = new Map();
  for (const file of Object.keys(Object.values(result.metafile.outputs)[0].inputs)) {
    const at = file.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const rest = file.slice(at + 'node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    dirs.set(name, file.slice(0, at + 'node_modules/'.length) + name);
  }
  return [...dirs].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Write `<file>.LICENSES.txt` beside each bundle that carries third-party code: for every
 * package in it, its name, version, licence and licence text. The bundles are minified with
 * `legalComments: 'none'`, and the MIT and Apache-2.0 licences of what they carry (acorn,
 * ndarray, assemblyscript, binaryen, ...) ask that their notices travel with the code.
 * Fails the build when a package ships no licence file (a new dependency to look at).
 */
export function writeLicenseNotices(out, built) {
  for (const [name, r] of built) {
    if (r === null) continue;
    const parts = bundledPackages(r).map(([pkgName, rel]) => {
      const dir = resolve(rel); // metafile paths are relative to esbuild's working directory (the cwd)
      const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      if (file === undefined) throw new Error(`${name}: bundled package ${pkgName} has no licence file in ${dir}`);
      const text = readFileSync(join(dir, file), 'utf8').trim();
      return `${pkgName}@${meta.version} (${meta.license ?? 'see below'})\n${'-'.repeat(60)}\n${text}\n`;
    });
    if (parts.length === 0) continue;
    const head = `Third-party code carried in dist/${name}, with its licences (written by the build, scripts/build-shared.mjs).\n\n`;
    writeFileSync(join(out, `${name}.LICENSES.txt`), head + parts.join('\n'));
  }
}
