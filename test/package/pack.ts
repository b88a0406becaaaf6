/**
 * Packing numbats and installing the tarball into a throwaway consumer project, offline
 * (issue 18), for test/package/consumer.test.ts.
 *
 * Steps:
 *   1. stage: copy package.json, README.md, the tsconfigs and src/ (with the generated
 *      built-in Wasm module, built first if missing, as scripts/run-tests.mjs does) into a
 *      temporary directory, link node_modules, and build the declarations and JS there with
 *      the project's own `tsc -p tsconfig.build.json`, the Node entry with
 *      scripts/build-node.mjs and the browser files with scripts/build-browser.mjs. The
 *      repository's dist/ is never
 *      touched (other test files load it while this one runs). This is `npm run build`
 *      less the Wasm build (~30 s, and its output is already in src/runtime/generated/);
 *   2. `npm pack --ignore-scripts` in the staging directory: the tarball a publish uploads;
 *   3. consumer: a project whose package.json depends on `file:numbats-<v>.tgz`, with a
 *      package-lock.json written from numbats' own lockfile (the tarball's dependency
 *      closure, resolved as Node resolves it, at the versions `npm ci` already put in the npm
 *      cache), then `npm ci --offline`: npm installs the tarball and its declared
 *      dependencies only (no devDependency of numbats, no optional peer), with no registry
 *      access. Extra packages (`@types/node`) come the same way.
 * Cost on the 2-vCPU dev machine: staging and tsc ~20-40 s, pack ~3 s, npm ci ~4 s.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = realpathSync(new URL('../..', import.meta.url));

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

/** Runs a command, throwing with its output when it fails. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}${r.error ? String(r.error) : ''}`);
  }
  return r;
}

/** The same command, returning its result whatever its status. */
export function runAllowFail(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Steps 1-2: a fresh build of the package, packed. Returns the tarball's path. */
export function packNumbats(work: string): string {
  const generated = ['builtin-wasm.ts', 'nbmath-wasm.ts'].map((f) => join(repoRoot, 'src/runtime/generated', f));
  if (!generated.every(existsSync)) run(process.execPath, [join(repoRoot, 'scripts/build-asm.mjs')], repoRoot);
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'src']) {
    cpSync(join(repoRoot, f), join(stage, f), { recursive: true });
  }
  symlinkSync(realpathSync(join(repoRoot, 'node_modules')), join(stage, 'node_modules'), 'dir');
  run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], stage);
  // The Node entry (`exports["."].import`, one bundled file) and the browser build
  // (`exports["."].browser`, `numbats/browser.js`), from the staged sources.
  run(process.execPath, [join(repoRoot, 'scripts/build-node.mjs'), '--src', stage, '--out', join(stage, 'dist')], stage);
  run(process.execPath, [join(repoRoot, 'scripts/build-browser.mjs'), '--src', stage, '--out', join(stage, 'dist')], stage);
  const out = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], stage);
  const [info] = JSON.parse(out.stdout) as [{ filename: string }];
  return join(work, info.filename);
}

/** Where Node would find package `name` from the lockfile location `from` (`''` = the root). */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (packages[key] !== undefined) return key;
    if (base === '') return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/**
 * Step 3: a consumer project in `dir` that installs `tarball` (and `extraDevDeps`, names of
 * packages in numbats' lockfile) with `npm ci --offline`.
 */
export function installConsumer(dir: string, tarball: string, extraDevDeps: string[]): void {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(run('tar', ['-xOzf', tarball, 'package/package.json'], dir).stdout) as LockEntry & { name: string };
  const spec = `file:${tarball}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;

  const packages: Record<string, LockEntry> = {};
  const queue: string[] = [];
  const add = (from: string, name: string, optional: boolean): void => {
    const key = resolveInLock(lock.packages, from, name);
    if (key === undefined) {
      if (optional) return;
      throw new Error(`consumer install: ${name} (needed by ${from || 'the consumer'}) is not in numbats' package-lock.json`);
    }
    if (packages[key] !== undefined) return;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[key]!;
    packages[key] = entry;
    queue.push(key);
  };
  const depsOf = (from: string, e: LockEntry): void => {
    for (const n of Object.keys(e.dependencies ?? {})) add(from, n, false);
    for (const n of Object.keys(e.optionalDependencies ?? {})) add(from, n, true);
    for (const n of Object.keys(e.peerDependencies ?? {})) {
      if (e.peerDependenciesMeta?.[n]?.optional !== true) add(from, n, false);
    }
  };
  // numbats sits at node_modules/numbats with no nested node_modules, so its dependencies
  // resolve as they do from numbats' own root.
  depsOf('', manifest);
  for (const n of extraDevDeps) add('', n, false);
  while (queue.length > 0) {
    const key = queue.shift()!;
    depsOf(key, packages[key]!);
  }

  const devDependencies = Object.fromEntries(extraDevDeps.map((n) => [n, lock.packages[`node_modules/${n}`]!.version!]));
  const pkg = { name: 'numbats-consumer', private: true, type: 'module', dependencies: { numbats: spec }, devDependencies };
  packages[''] = { name: pkg.name, dependencies: pkg.dependencies, devDependencies };
  packages['node_modules/numbats'] = {
    version: manifest.version,
    resolved: spec,
    integrity,
    ...(manifest.dependencies && { dependencies: manifest.dependencies }),
    ...(manifest.peerDependencies && { peerDependencies: manifest.peerDependencies }),
    ...(manifest.peerDependenciesMeta && { peerDependenciesMeta: manifest.peerDependenciesMeta }),
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: pkg.name, lockfileVersion: 3, requires: true, packages }, null, 2));
  const r = runAllowFail('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir);
  if (r.status !== 0) {
    throw new Error(
      'consumer install: `npm ci --offline` failed. It installs from the npm cache that `npm ci` of numbats filled; ' +
        `run \`npm ci\` in the repository first.\n${r.stdout}\n${r.stderr}`,
    );
  }
}

/** A fresh temporary directory outside the repository (so no node_modules above it is found). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(realpathSync(tmpdir()), prefix));
}
