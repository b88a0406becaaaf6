#!/usr/bin/env node
// Builds numbats for browsers (issue 17) with esbuild:
//   dist/browser.js      one self-contained ESM file: numbats with the platform seams'
//                        browser twins (scripts/platform-seams.mjs) and the built-in Wasm
//                        module inlined; no bare, node: or relative imports.
//   dist/numbats-compiler-worker.js   the compiler worker's module script
//                        (src/compiler/toolchain/asc-worker.browser.ts), started relative to
//                        browser.js on the first kernel compile;
//   dist/numbats-asc.js  the AssemblyScript compiler (asc + Binaryen), which the compiler
//                        worker imports from beside itself (and browser.js only if something
//                        calls asc on the page's thread).
// Options (`--analyze`, `--out DIR`, `--src DIR`): scripts/build-shared.mjs. The Node entry
// (dist/numbats.node.js) is scripts/build-node.mjs.
import { build } from 'esbuild';
import { join } from 'node:path';
import { esbuildSeams } from './platform-seams.mjs';
import { buildArgs, checkImports, COMMON, reportSizes, writeLicenseNotices } from './build-shared.mjs';

const { root, out, analyze } = buildArgs();

/** The compiler worker's script, as the built files name it (the source names the .ts beside it). */
const workerUrl = {
  name: 'numbats-compiler-worker-url',
  setup(b) {
    b.onLoad({ filter: /compiler-worker\.browser\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      if (!text.includes("'./asc-worker.browser.ts'")) throw new Error('compiler-worker.browser.ts no longer names ./asc-worker.browser.ts');
      return { loader: 'ts', contents: text.replace("'./asc-worker.browser.ts'", "'./numbats-compiler-worker.js'") };
    });
  },
};

/**
 * The compiler's API (`import('assemblyscript')`: Parser and NodeKind, for the parse reuse of
 * src/compiler/toolchain/asc-parse-reuse.ts) must be the same module instance asc runs on, so
 * numbats-asc.js re-exports those two (as numbatsParser / numbatsNodeKind); in browser.js this
 * module stands for 'assemblyscript', reading them from the `assemblyscript/asc` stub.
 */
const compilerApi = (b) => {
  b.onResolve({ filter: /^assemblyscript$/ }, () => ({ path: 'asc-compiler-api', namespace: 'numbats' }));
  b.onLoad({ filter: /^asc-compiler-api$/, namespace: 'numbats' }, () => ({
    loader: 'js',
    resolveDir: root,
    contents: "export { numbatsParser as Parser, numbatsNodeKind as NodeKind } from 'assemblyscript/asc';",
  }));
};

/**
 * In the compiler worker, asc is numbats-asc.js beside it, imported dynamically; the worker
 * reads the compiler API from its numbatsParser / numbatsNodeKind (its `import('assemblyscript')`
 * fallback, for the unbundled source, resolves to the same file and is not reached).
 */
const ascBeside = {
  name: 'numbats-asc-beside',
  setup(b) {
    b.onResolve({ filter: /^assemblyscript(\/asc)?$/ }, () => ({ path: './numbats-asc.js', external: true }));
  },
};

/** In browser.js, `assemblyscript/asc` is a stub that loads numbats-asc.js beside it when first used. */
const ascStub = {
  name: 'numbats-asc-stub',
  setup(b) {
    b.onResolve({ filter: /^assemblyscript\/asc$/ }, () => ({ path: 'asc-stub', namespace: 'numbats' }));
    b.onLoad({ filter: /^asc-stub$/, namespace: 'numbats' }, () => ({
      loader: 'js',
      contents: `let loaded;
const load = () => (loaded ??= import(new URL('./numbats-asc.js', import.meta.url).href).then((m) => m.default ?? m));
export async function main(argv, options) { return (await load()).main(argv, options); }
export default { main };
// The compiler API for the parse reuse (asc.ts) would have to be the instance the loaded
// asc runs on, which this lazy stub does not have: asc on the page's thread (never used by
// numbats itself, whose compiles run in the compiler worker) parses without reuse.
export const numbatsParser = { prototype: {} };
export const numbatsNodeKind = { Import: -1, Export: -1 };`,
    }));
    compilerApi(b);
  },
};

const common = { ...COMMON, platform: 'browser', target: 'es2022' };

const main = await build({
  ...common,
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(out, 'browser.js'),
  plugins: [esbuildSeams(), ascStub, workerUrl],
});
const worker = await build({
  ...common,
  entryPoints: [join(root, 'src/compiler/toolchain/asc-worker.browser.ts')],
  outfile: join(out, 'numbats-compiler-worker.js'),
  plugins: [ascBeside],
});
const ascEntry = join(root, 'node_modules/assemblyscript/dist/asc.js');
const asc = await build({
  ...common,
  // asc's exports, plus the compiler API it runs on (see compilerApi above).
  stdin: {
    contents: `export * from ${JSON.stringify(ascEntry)};
export { default } from ${JSON.stringify(ascEntry)};
export { Parser as numbatsParser, NodeKind as numbatsNodeKind } from 'assemblyscript';`,
    resolveDir: root,
    sourcefile: 'numbats-asc-entry.js',
  },
  outfile: join(out, 'numbats-asc.js'),
  // asc reaches Node's modules only behind its own `isNode` checks (dynamic imports).
  external: ['fs', 'module', 'path', 'process', 'url', 'node:*'],
});

// The contract: nothing in browser.js is resolved by a bundler or an import map (esbuild
// lists every import it left in the output).
checkImports(main, 'dist/browser.js', () => false, 'what a browser cannot resolve');

writeLicenseNotices(out, [['browser.js', main], ['numbats-compiler-worker.js', worker], ['numbats-asc.js', asc]]);
reportSizes(out, [['browser.js', main], ['numbats-compiler-worker.js', worker], ['numbats-asc.js', asc]], analyze);
