/**
 * `npm run generate`: the built-in ufunc table -> generated sources.
 *   asm/loops/generated/<ufunc>.ts   AssemblyScript loops (compiled by `npm run build:asm`)
 *   asm/loops/generated/index.ts     the loop-id switch
 *   src/builtins/generated/exports.ts  the documented named exports
 *   src/builtins/generated/ufuncs.json the list of ufuncs and their loops, for scripts/ufunc-fixtures.py
 *   src/builtins/generated/result-types.ts the result dtypes per ufunc and input dtype, for the types of calls
 * `--check` writes nothing and exits 1 when a committed file differs (CI and the table test).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitExports } from './codegen/emit-exports.js';
import { emitUfuncList } from './codegen/emit-list.js';
import { emitResultTypes } from './codegen/emit-result-types.js';
import { emitLoopFiles } from './codegen/emit-loops.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Exported function names of the AS helper modules, with their import path from asm/loops/generated. */
export function helperNames(): Map<string, string> {
  const names = new Map<string, string>();
  const dirs = ['asm/ufunc', 'asm/math'];
  for (const dir of dirs) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).filter((f) => f.endsWith('.ts') && f !== 'walk.ts' && !f.startsWith('test-'))) {
      const src = readFileSync(join(abs, f), 'utf8');
      for (const m of src.matchAll(/^(?:@inline\s+)?export\s+function\s+(\w+)/gm)) {
        names.set(m[1]!, relative(join(root, 'asm/loops/generated'), join(abs, f)).replace(/\.ts$/, ''));
      }
    }
  }
  return names;
}

/** All generated files: path relative to the repo root -> content. */
export function generatedFiles(): Map<string, string> {
  const files = emitLoopFiles(helperNames());
  files.set('src/builtins/generated/exports.ts', emitExports());
  files.set('src/builtins/generated/ufuncs.json', emitUfuncList());
  files.set('src/builtins/generated/result-types.ts', emitResultTypes());
  return files;
}

function main(): void {
  const check = process.argv.includes('--check');
  const files = generatedFiles();
  const stale: string[] = [];
  const genDir = join(root, 'asm/loops/generated');
  const existing = existsSync(genDir) ? readdirSync(genDir).map((f) => `asm/loops/generated/${f}`) : [];
  for (const old of existing) if (!files.has(old)) stale.push(`${old} (no longer generated)`);
  for (const [path, content] of files) {
    const abs = join(root, path);
    const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (current !== content) stale.push(path);
  }
  if (check) {
    if (stale.length) {
      console.error(`generated files are stale; run \`npm run generate\`:\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`generate --check: ${files.size} files current`);
    return;
  }
  for (const old of existing) if (!files.has(old)) rmSync(join(root, old));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  console.log(`generate: wrote ${files.size} files (${stale.length} changed)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
