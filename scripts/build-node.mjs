#!/usr/bin/env node
// Builds numbats' Node entry (issue 15: time to first result) with esbuild:
//   dist/numbats.node.js   one ESM file, package.json's `exports["."].import`: numbats' ~200
//                          modules in one file, so that `import 'numbats'` costs Node's ESM
//                          loader one resolve, one read and one compile instead of one per
//                          module (bench/first-call.ts measures it).
// Beside it: numbats-builtin.wasm, the prebuilt module's bytes (read when a built-in loop is
// first called). In the file: numbats, acorn (the kernel parser: made on the first kernel parse, as
// src/platform/acorn.node.ts loads it, but without Node's CommonJS loader, which costs a
// first kernel ~8 ms cold) and ndarray (small; Node's CommonJS loader at import cost ~6 ms).
// Left to Node's resolution from the bundle's URL, as for dist/src: assemblyscript (asc,
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
 * acorn's seam loads it with `createRequire(import.meta.url)('acorn')` (so that dist/src
 * never loads it at import); in the bundle the same call is a plain `require('acorn')`,
 * which esbuild turns into the bundled copy's lazy initialiser.
 */
const acornInBundle = {
  name: 'numbats-acorn-in-bundle',
  setup(b) {
    b.onLoad({ filter: /platform[\\/]acorn\.node\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const call = "createRequire(import.meta.url)('acorn')";
      if (!text.includes(call)) throw new Error(`acorn.node.ts no longer loads acorn with ${call}`);
      return { loader: 'ts', contents: text.replace(call, "require('acorn')") };
    });
  },
};

/**
 * The prebuilt module's bytes as a file beside the bundle (dist/numbats-builtin.wasm), read
 * on first use, instead of src/runtime/builtin-bytes.ts's embedded base64 (which V8 would
 * compile at every import and decode at the first built-in call).
 */
const WASM_FILE = 'numbats-builtin.wasm';
const builtinBytesFile = {
  name: 'numbats-builtin-bytes-file',
  setup(b) {
    b.onLoad({ filter: /runtime[\\/]builtin-bytes\.ts$/ }, async () => {
      const generated = await readFile(join(root, 'src/runtime/generated/builtin-wasm.ts'), 'utf8');
      const field = (name) => /'([^']*)'/.exec(generated.slice(generated.indexOf(`export const ${name} =`)))[1];
      const bytes = Buffer.from(field('BUILTIN_WASM_BASE64'), 'base64');
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha !== field('BUILTIN_WASM_SHA256')) throw new Error(`builtin-wasm.ts: the bytes' SHA-256 ${sha} is not the recorded one`);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, WASM_FILE), bytes);
      return {
        loader: 'js',
        contents: `import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
export function builtinWasmBytes() { return new Uint8Array(readFileSync(new URL('./${WASM_FILE}', import.meta.url))); }`,
      };
    });
  },
};

const node = await build({
  ...COMMON,
  minify: false,
  minifyWhitespace: true,
  minifySyntax: true,
  platform: 'node',
  target: 'node20',
  plugins: [externalDeps, acornInBundle, builtinBytesFile],
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(out, 'numbats.node.js'),
});

// Only Node's modules and the package's declared, unbundled dependencies are left to resolve.
checkImports(node, 'dist/numbats.node.js', (p) => p.startsWith('node:') || builtinModules.includes(p) || (deps.has(packageOf(p)) && !BUNDLED.has(packageOf(p))), 'what it should carry or cannot resolve');

writeLicenseNotices(out, [['numbats.node.js', node], [WASM_FILE, null]]);
reportSizes(out, [['numbats.node.js', node], [WASM_FILE, null]], analyze);
