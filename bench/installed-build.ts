/**
 * Builds of numbats as users get them, for the fresh-process benchmarks (bench/cache-hit.ts,
 * bench/first-call.ts): a package root's `package.json` and `dist/` copied to a temporary
 * `node_modules/numbats`, its dependencies linked beside it (this checkout's), and the
 * entry module Node gives `import 'numbats'` there (package.json's `exports["."].import`:
 * the bundled dist/numbats.node.js, or dist/src/index.js in builds before it).
 *
 * `--build label=dir` (repeatable) names the package roots; none: this checkout, as 'this'.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Build {
  readonly label: string;
  readonly root: string;
}

/** The `--build label=dir` arguments of `argv`, or this checkout. */
export function buildsFromArgs(argv: readonly string[]): Build[] {
  const builds = argv.flatMap((a, i) => (a === '--build' ? [argv[i + 1]!] : [])).map((b) => {
    const [label, dir] = b.includes('=') ? b.split('=') as [string, string] : [b, b];
    return { label, root: resolve(dir) };
  });
  return builds.length > 0 ? builds : [{ label: 'this', root: process.cwd() }];
}

/** The file `exports["."]` gives Node's `import` in package root `root`. */
export function packageEntry(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: { '.'?: { import?: string } } };
  const entry = join(root, pkg.exports?.['.']?.import ?? 'dist/src/index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the package first (npm run build:ts && npm run build:node)`);
  return entry;
}

/** Install `build` under `work/<label>/node_modules/numbats`; the URL of its entry module. */
export function installBuild(work: string, { label, root }: Build): string {
  const modules = join(work, label, 'node_modules');
  const pkg = join(modules, 'numbats');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  const deps = join(process.cwd(), 'node_modules');
  for (const name of readdirSync(deps)) {
    if (name === 'numbats' || name.startsWith('.')) continue;
    symlinkSync(join(deps, name), join(modules, name));
  }
  return pathToFileURL(packageEntry(pkg)).href;
}
