/**
 * numbats as a dependency (issue 18): the packed tarball, installed into a fresh project
 * from the tarball alone, must type-check there as the consumer's project is configured
 * (`strict`, `skipLibCheck: false`) and run; publint and arethetypeswrong must find no
 * problem in it. How the tarball is made and installed offline: ./pack.ts. The type tests of
 * the published declarations (signature strings, creation dtypes) are consumer/types.ts,
 * compiled in every project below.
 *
 * Projects checked (all `strict: true`, `skipLibCheck: false`, `types` listed explicitly):
 *   - node:        lib ES2022 only (no DOM), `types: ["node"]`, NodeNext, exactOptionalPropertyTypes;
 *   - node-bare:   no @types/node (`types: []`), `lib` left to its default, NodeNext;
 *   - browser:     lib ES2022 + DOM, `types: []`, ESNext modules with bundler resolution.
 * The node project's tsc also emits the JS, which is run: its output is checked value by value.
 * Cost: ~30-60 s on a 2-vCPU machine, mostly building the package (see pack.ts).
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installConsumer, packNumbats, repoRoot, run, runAllowFail, tempDir } from './pack.js';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

interface Project {
  name: string;
  compilerOptions: Record<string, unknown>;
}

const base = { target: 'ES2022', strict: true, skipLibCheck: false, noEmit: true, noUnusedLocals: true };
const projects: Project[] = [
  {
    name: 'node',
    compilerOptions: {
      ...base, lib: ['ES2022'], types: ['node'], module: 'NodeNext', moduleResolution: 'NodeNext',
      exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: false, outDir: 'out',
    },
  },
  { name: 'node-bare', compilerOptions: { ...base, types: [], module: 'NodeNext', moduleResolution: 'NodeNext' } },
  { name: 'browser', compilerOptions: { ...base, lib: ['ES2022', 'DOM'], types: [], module: 'ESNext', moduleResolution: 'bundler' } },
];

let work = '';
let tarball = '';
let consumer = '';

beforeAll(() => {
  work = tempDir('numbats-pkg-');
  tarball = packNumbats(work);
  consumer = join(work, 'consumer');
  cpSync(join(repoRoot, 'test/package/consumer'), consumer, { recursive: true });
  installConsumer(consumer, tarball, ['@types/node']);
  for (const p of projects) {
    writeFileSync(join(consumer, `tsconfig.${p.name}.json`), JSON.stringify({ compilerOptions: p.compilerOptions, files: ['main.ts', 'types.ts'] }, null, 2));
  }
}, 300_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** tsc's diagnostics for one project (empty when it compiles). */
function typeCheck(project: string): string {
  const r = runAllowFail(process.execPath, [tsc, '-p', `tsconfig.${project}.json`, '--pretty', 'false'], consumer);
  return `${r.stdout}${r.stderr}`.trim();
}

describe('the packed package, installed into a consumer project', () => {
  it('installs its declared dependencies and nothing of numbats\' devDependencies', () => {
    const ls = JSON.parse(run('npm', ['ls', '--all', '--json', '--offline'], consumer).stdout) as {
      dependencies: Record<string, { dependencies?: Record<string, { version?: string }> }>;
    };
    const installed = Object.entries(ls.dependencies.numbats?.dependencies ?? {}).filter(([, d]) => d.version !== undefined);
    expect(installed.map(([n]) => n).sort()).toEqual(['acorn', 'assemblyscript', 'ndarray', 'piscina']);
    // The optional peer (the gpu target's WebGPU implementation) is not installed, nor any @types package.
    expect(existsSync(join(consumer, 'node_modules/webgpu'))).toBe(false);
    expect(readdirSync(join(consumer, 'node_modules/@types'))).toEqual(['node']);
  });

  it('carries its licence and, beside each bundle, the licences of the code bundled into it', () => {
    const installed = join(consumer, 'node_modules/numbats');
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    // Which packages each bundle carries, as scripts/build-node.mjs and build-browser.mjs bundle them.
    const carried: Record<string, string[]> = {
      'numbats.node.cjs': ['acorn', 'ndarray'],
      'browser.js': ['acorn', 'ndarray'],
      'numbats-asc.js': ['assemblyscript', 'binaryen'],
    };
    for (const [bundle, packages] of Object.entries(carried)) {
      const notices = readFileSync(join(installed, 'dist', `${bundle}.LICENSES.txt`), 'utf8');
      for (const name of packages) {
        const dir = join(repoRoot, 'node_modules', name);
        const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
        const licence = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f))!;
        expect(notices).toContain(`${name}@${version}`);
        expect(notices).toContain(readFileSync(join(dir, licence), 'utf8').trim());
      }
    }
  });

  it.each(projects.map((p) => p.name))('type-checks in a strict %s project with skipLibCheck: false', (name) => {
    expect(typeCheck(name)).toBe('');
  });

  it('runs the consumer program on Node (as the node project compiled it)', () => {
    const out = join(consumer, 'out');
    if (!existsSync(join(out, 'main.js'))) expect(typeCheck('node')).toBe(''); // run alone (-t)
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }');
    const r = run(process.execPath, [join(out, 'main.js')], consumer);
    expect(r.stdout.trim().split('\n')).toEqual([
      'vectorize: array([1. , 1.5, 2. , 2.5, 3. ])',
      'vectorize.callAsync: array([1. , 1.5, 2. , 2.5, 3. ])',
      'guvectorize: array([6., 6.])',
      'stencil: array([3, 5, 6])',
      'jit: 6.5',
      'reduce: array([ 3, 12])',
      'accumulate: array([ 2,  6, 30])',
      'reduceat: array([ 6, 22])',
      'outer: array([[ 3,  4,  5],\n       [ 6,  8, 10]])',
      'at: array([3, 2, 3])',
      'divmod: array([ 3, -4]) | array([1, 1])',
      'toNdarray: float32 3',
      'fromNdarray: array([0., 1., 2., 3.], dtype=float32)',
    ].join('\n').split('\n'));
  });
});

describe('package linters on the packed tarball', () => {
  it('publint reports nothing (errors, warnings or suggestions)', () => {
    const r = run(process.execPath, [join(repoRoot, 'node_modules/publint/src/cli.js'), 'run', tarball, '--level', 'suggestion'], consumer);
    expect(r.stdout).toContain('All good!');
  });

  it('arethetypeswrong finds no problem for an ESM-only package', () => {
    // Profile esm-only: numbats is ESM-only ("type": "module", an `import`-only export), so
    // `require('numbats')` from CommonJS under node16 resolution is out of scope; attw's
    // default profile reports exactly that (CJSResolvesToESM) and nothing else.
    const r = runAllowFail(
      process.execPath,
      [join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'],
      consumer,
    );
    const report = JSON.parse(r.stdout) as { analysis: { problems: { kind: string; resolutionKind?: string }[] } };
    const ignoredByProfile = new Set(['node10', 'node16-cjs']);
    const problems = report.analysis.problems;
    expect(problems.filter((p) => !ignoredByProfile.has(p.resolutionKind ?? ''))).toEqual([]);
    // What the profile leaves out is exactly the explained ones: CommonJS `require` of either
    // entry point, and node10 resolution (no `exports`) of the `numbats/browser.js` subpath.
    expect(problems).toEqual([
      { kind: 'CJSResolvesToESM', entrypoint: '.', resolutionKind: 'node16-cjs' },
      { kind: 'NoResolution', entrypoint: './browser.js', resolutionKind: 'node10' },
      { kind: 'CJSResolvesToESM', entrypoint: './browser.js', resolutionKind: 'node16-cjs' },
    ]);
    expect(r.status).toBe(0);
  });
});
