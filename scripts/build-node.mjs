#!/usr/bin/env node
// Builds numbats' Node entry (issue 15: time to first result) with esbuild:
//   dist/numbats.node.cjs  numbats' ~200 modules in one CommonJS file (one read and one compile
//                          instead of one per module, bench/first-call.ts measures it);
//   dist/numbats.node.js   package.json's `exports["."].import`: a small ES module
//                          (scripts/node-entry.ts) that compiles numbats.node.cjs with a V8 code
//                          cache (Node 20 keeps none for ES modules: compiling the bundle was
//                          most of the import) and re-exports its names.
// Beside them: numbats-builtin.wasm, the prebuilt module's bytes (read when a built-in loop is
// first called), and numbats-math.wasm, the math library's (read when a kernel first needs it).
// In the body: numbats, acorn (the kernel parser: made on the first kernel parse, as
// src/platform/acorn.node.ts loads it, but without Node's CommonJS loader, which costs a
// first kernel ~8 ms cold) and ndarray (small; Node's CommonJS loader at import cost ~6 ms).
// Left to Node's resolution from the bundle's folder, as for dist/src: assemblyscript (asc,
// loaded by the compiler worker), piscina (the parallel pool) and the optional peer webgpu.
// The worker threads need no files of their own: the compiler worker, the parallel pool's
// worker (piscina) and the prefault thread run sources embedded in the bundle (their
// `WORKER_SOURCE`s). Identifiers are not minified: error classes take their `name` from the
// class (src/util/errors.ts), and stack traces stay readable.
// Options (`--analyze`, `--out DIR`, `--src DIR`): scripts/build-shared.mjs.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, sep } from 'node:path';
import { buildArgs, checkImports, COMMON, reportSizes, writeLicenseNotices } from './build-shared.mjs';

const { root, out, analyze } = buildArgs();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const deps = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);

/** Packages carried in the bundle (the rest of the dependencies stay imports). */
const BUNDLED = new Set(['acorn', 'ndarray']);

/**
 * The package's dependencies other than BUNDLED are left to Node; what the bundled packages
 * import comes with them. numbats' own sources may import only its declared dependencies (a
 * devDependency imported by mistake would break only the installed package).
 */
const externalDeps = {
  name: 'numbats-external-deps',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
      const name = packageOf(args.path);
      const fromNumbats = !args.importer.includes(`${sep}node_modules${sep}`);
      if (fromNumbats && !deps.has(name)) return { errors: [{ text: `${args.path}: numbats does not depend on ${name}` }] };
      return BUNDLED.has(name) || !deps.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/**
 * An esbuild plugin that rewrites one call in one source file of the bundle; the build fails
 * when the file no longer holds that call (the rewrite would silently do nothing).
 */
function rewriteCall(name, filter, file, call, replacement) {
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes(call)) throw new Error(`${file} no longer holds ${call}`);
        return { loader: 'ts', contents: text.replace(call, replacement) };
      });
    },
  };
}

/**
 * acorn's seam loads it with `createRequire(import.meta.url)('acorn')` (so that dist/src
 * never loads it at import); in the bundle the same call is a plain `require('acorn')`,
 * which esbuild turns into the bundled copy's lazy initialiser.
 */
const acornInBundle = rewriteCall('numbats-acorn-in-bundle', /platform[\\/]acorn\.node\.ts$/, 'acorn.node.ts', "createRequire(import.meta.url)('acorn')", "require('acorn')");

/**
 * The body's one `import()` that runs in the main thread, webgpu's (src/platform/gpu.node.ts),
 * goes through `__nb_import`, the entry's own `import` (scripts/node-entry.ts): a `vm.Script`
 * compiled from a code cache cannot `import()` (Node 20: "A dynamic import callback was not
 * specified"). The entry sits beside the body, so specifiers resolve as before. (The
 * `import()`s in the compiler worker's embedded source stay: the worker runs them itself.)
 */
const dynamicImportFromEntry = rewriteCall('numbats-dynamic-import-from-entry', /platform[\\/]gpu\.node\.ts$/, 'gpu.node.ts', 'await import(name)', 'await __nb_import(name)');

/**
 * node:worker_threads, required on first use rather than when the body loads: it loads
 * Node's streams (~2 ms of the import), and a program's first kernel result needs no
 * thread (the compiler worker starts after it, the prefault thread at the first large array,
 * the pool at the first parallel call). numbats calls only these three (a fourth name is
 * a build error: no such export).
 */
const lazyWorkerThreads = {
  name: 'numbats-lazy-worker-threads',
  setup(b) {
    b.onResolve({ filter: /^node:worker_threads$/ }, (args) => (args.namespace === 'numbats-lazy' ? { path: args.path, external: true } : { path: 'worker_threads', namespace: 'numbats-lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'numbats-lazy' }, () => ({
      loader: 'js',
      contents: `let wt;
const load = () => (wt ??= require('node:worker_threads'));
export function Worker(...args) { return new (load().Worker)(...args); }
export function MessageChannel() { return new (load().MessageChannel)(); }
export function receiveMessageOnPort(port) { return load().receiveMessageOnPort(port); }
`,
    }));
  },
};

/**
 * A prebuilt module's bytes as a file beside the bundle, read on first use, instead of the
 * embedded base64 of `source` (src/runtime/<source>.ts, which V8 would compile at every import
 * and decode at first use): the plugin writes `file` from the generated
 * src/runtime/generated/<generated>.ts (its `<prefix>_WASM_BASE64`, checked against its
 * `<prefix>_WASM_SHA256`) and replaces `source` by a `fn()` that reads it.
 */
function bytesFile(source, generated, prefix, file, fn) {
  return {
    name: `numbats-${source}-file`,
    setup(b) {
      b.onLoad({ filter: new RegExp(`runtime[\\\\/]${source}\\.ts$`) }, async () => {
        const text = await readFile(join(root, `src/runtime/generated/${generated}.ts`), 'utf8');
        const field = (name) => /'([^']*)'/.exec(text.slice(text.indexOf(`export const ${prefix}_${name} =`)))[1];
        const bytes = Buffer.from(field('WASM_BASE64'), 'base64');
        const sha = createHash('sha256').update(bytes).digest('hex');
        if (sha !== field('WASM_SHA256')) throw new Error(`${generated}.ts: the bytes' SHA-256 ${sha} is not the recorded one`);
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, file), bytes);
        return {
          loader: 'js',
          contents: `import { readFileSync } from 'node:fs';
export function ${fn}() { return new Uint8Array(readFileSync(new URL('./${file}', import.meta.url))); }`,
        };
      });
    },
  };
}

/** The built-in module (numbats-builtin.wasm: read when a built-in loop is first called). */
const WASM_FILE = 'numbats-builtin.wasm';
const builtinBytesFile = bytesFile('builtin-bytes', 'builtin-wasm', 'BUILTIN', WASM_FILE, 'builtinWasmBytes');
/** The math library (numbats-math.wasm: read when a kernel first imports it). */
const MATH_FILE = 'numbats-math.wasm';
const mathBytesFile = bytesFile('math-library-bytes', 'nbmath-wasm', 'MATH', MATH_FILE, 'mathLibraryBytes');

/** The body's file name (scripts/node-entry.ts loads it). */
const BODY_FILE = 'numbats.node.cjs';

/**
 * The build's identity in the disk compile cache's keys (src/vectorize/kernel-cache.ts
 * buildIdentity), written into the body so that a cache hit reads and hashes nothing for it
 * (issue 15): the numbats version, the asc version (the one npm installs beside it:
 * package.json pins it exactly) and the SHA-256 of the body itself, which stands in the body
 * as BUILD_HASH_HOLE (64 characters, so that filling it in moves nothing) until it is known.
 */
const BUILD_HASH_HOLE = '#'.repeat(64);
const ascVersion = pkg.dependencies?.assemblyscript;
if (!/^\d+\.\d+\.\d+$/.test(ascVersion ?? '')) {
  console.error(`package.json: assemblyscript ${ascVersion} is not one exact version (the bundle's cache identity names the asc users get)`);
  process.exit(1);
}
const buildId = `numbats@${pkg.version};asc@${ascVersion};bundle:${BUILD_HASH_HOLE}`;

// The body: CommonJS (run by the entry in Node's CommonJS wrapper, with `__nb_import` added),
// so that the entry can compile it as a script with a code cache. It stays strict mode code
// (its sources are ES modules), and `import.meta.url` is the body file's URL (the prebuilt
// module's bytes, asc and piscina are found from it).
const body = await build({
  ...COMMON,
  format: 'cjs',
  minify: false,
  minifyWhitespace: true,
  minifySyntax: true,
  platform: 'node',
  target: 'node20',
  plugins: [lazyWorkerThreads, externalDeps, acornInBundle, dynamicImportFromEntry, builtinBytesFile, mathBytesFile],
  define: { 'import.meta.url': '__nb_meta_url', NUMBATS_BUILD_ID: JSON.stringify(buildId) },
  banner: { js: '"use strict";var __nb_meta_url=require("node:url").pathToFileURL(__filename).href;' },
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(out, BODY_FILE),
});

// Only Node's modules and the package's declared, unbundled dependencies are left to resolve.
checkImports(body, `dist/${BODY_FILE}`, (p) => p.startsWith('node:') || builtinModules.includes(p) || (deps.has(packageOf(p)) && !BUNDLED.has(packageOf(p))), 'what it should carry or cannot resolve');

// The build identity's hole, filled in with the SHA-256 of the body as it stands (the hole in it).
const bodyText = readFileSync(join(out, BODY_FILE), 'latin1');
if (bodyText.split(BUILD_HASH_HOLE).length !== 2) {
  console.error(`dist/${BODY_FILE} does not hold the build identity's hole once (kernel-cache.ts reads NUMBATS_BUILD_ID)`);
  process.exit(1);
}
writeFileSync(join(out, BODY_FILE), bodyText.replace(BUILD_HASH_HOLE, createHash('sha256').update(bodyText, 'latin1').digest('hex')), 'latin1');
const bodyBytes = readFileSync(join(out, BODY_FILE));
if (bodyBytes.some((b) => b > 0x7f)) {
  console.error(`dist/${BODY_FILE} is not ASCII (scripts/node-entry.ts reads it as latin1)`);
  process.exit(1);
}
// esbuild ends a CommonJS bundle with `0&&(module.exports={a,b,...});` (for Node's
// cjs-module-lexer): the names the entry re-exports.
const names = /0\s*&&\s*\(module\.exports\s*=\s*\{([\w$,\s]*)\}\);?\s*$/.exec(bodyBytes.toString('latin1'));
if (names === null) {
  console.error(`dist/${BODY_FILE} does not end in esbuild's export list`);
  process.exit(1);
}
const exported = names[1].split(',').map((n) => n.trim()).filter((n) => n !== '');

const entry = await build({
  ...COMMON,
  platform: 'node',
  target: 'node20',
  define: {
    NUMBATS_BODY_FILE: JSON.stringify(BODY_FILE),
    NUMBATS_BODY_SHA256: JSON.stringify(createHash('sha256').update(bodyBytes).digest('hex')),
  },
  stdin: {
    contents: `import { loadNumbats } from './node-entry.ts';\nconst nb = loadNumbats();\nexport const { ${exported.join(', ')} } = nb;\n`,
    // Beside this script (a `--src` package copy has no scripts/).
    resolveDir: new URL('.', import.meta.url).pathname,
    sourcefile: 'numbats.node.js',
    loader: 'js',
  },
  outfile: join(out, 'numbats.node.js'),
});
checkImports(entry, 'dist/numbats.node.js', (p) => p === 'node:module', 'more than node:module');

writeLicenseNotices(out, [['numbats.node.js', entry], [BODY_FILE, body], [WASM_FILE, null], [MATH_FILE, null]]);
reportSizes(out, [['numbats.node.js', entry], [BODY_FILE, body], [WASM_FILE, null], [MATH_FILE, null]], analyze);
