/**
 * Loading asc with a V8 code cache (asc-code-cache.node.ts): the rewrite fits the installed
 * assemblyscript and binaryen (ASC_BUILDS: if an upgrade changes them, the first test fails
 * and the compiler worker would quietly fall back to a plain import); a miss writes the
 * cache; the loaded asc
 * compiles the same Wasm as the imported one; other builds are refused; old keys and dead
 * writers' temporary files are swept. Then the compiler worker of two fresh processes: the
 * first writes the cache, the second uses it without writing, a third after the files were
 * corrupted rewrites them.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileKernel, linkKernels } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { ascFlagsFor } from '../../src/compiler/toolchain/asc-flags.js';
import { ASC_BUILDS, loadAscWithCodeCache, type LoadedAsc } from '../../src/compiler/toolchain/asc-code-cache.node.js';

const dir = mkdtempSync(join(tmpdir(), 'numbats-asc-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cacheFiles = join(dir, 'asc-code-cache');
const ascUrl = pathToFileURL(createRequire(import.meta.url).resolve('assemblyscript/package.json').replace(/package\.json$/, 'dist/asc.js')).href;
const source = linkKernels([compileKernel((x: number) => Math.exp(-x * x) * Math.cos(x), 'f8(f8)', { kind: 'scalar', prefix: 'k_' })]);

/** Compile `source` with the loaded asc as the compiler worker does; the Wasm bytes. */
async function compileWith(loaded: LoadedAsc): Promise<Uint8Array> {
  const asc = (loaded.asc.default ?? loaded.asc) as { main(argv: string[], io: object): Promise<{ error: Error | null }> };
  let wasm: Uint8Array | undefined;
  let said = '';
  const sink = { write: (s: string) => { said += s; return true; } };
  const { error } = await asc.main(['kernel.ts', '--outFile', 'kernel.wasm', ...ascFlagsFor(source)], {
    readFile: (name: string) => (name === 'kernel.ts' ? source : null),
    writeFile: (name: string, bytes: Uint8Array) => { if (name === 'kernel.wasm') wasm = bytes; },
    listFiles: () => [],
    stdout: sink,
    stderr: sink,
  });
  if (error || wasm === undefined) throw new Error(`asc failed: ${said}`);
  return wasm;
}

const binFiles = () => readdirSync(cacheFiles).filter((n) => n.endsWith('.bin')).sort();

describe('asc with a V8 code cache', () => {
  let reference: Uint8Array;

  it('loads the installed asc (a miss), compiles the same Wasm as the imported asc, and writes the cache', async () => {
    reference = (await compileAssemblyScript(source)).binary;
    const loaded = await loadAscWithCodeCache(ascUrl, dir, ASC_BUILDS);
    expect(loaded.codeCache).toBe('miss');
    expect(Buffer.from(await compileWith(loaded)).equals(Buffer.from(reference))).toBe(true);
    expect(loaded.save()).toBe(true);
    expect(loaded.save()).toBe(false); // once
    expect(binFiles().map((n) => n.slice(25))).toEqual(['asc.bin', 'assemblyscript.bin', 'binaryen.bin']);
  }, 120_000);

  it('a later load compiles the same Wasm (whether from the disk cache or V8 has it in memory already)', async () => {
    // NOTE: in one process V8 keeps compiled scripts in memory and may take them instead of
    // the cache data, so 'hit' and 'rejected' are told apart across processes (below).
    const loaded = await loadAscWithCodeCache(ascUrl, dir, ASC_BUILDS);
    expect(Buffer.from(await compileWith(loaded)).equals(Buffer.from(reference))).toBe(true);
  }, 120_000);

  it('writing sweeps: older keys beyond the newest three, and temporary files of dead writers', async () => {
    const other = join(dir, 'sweep');
    const files = join(other, 'asc-code-cache');
    mkdirSync(files, { recursive: true });
    // Files of four other keys (older than now), a dead writer's temporary file and a live one's.
    const day = Date.now() / 1000 - 86_400;
    for (let k = 0; k < 4; k++) {
      const file = join(files, `${String(k).repeat(24)}-asc.bin`);
      writeFileSync(file, 'x');
      utimesSync(file, day + k, day + k);
    }
    writeFileSync(join(files, 'dead.tmp'), 'x');
    utimesSync(join(files, 'dead.tmp'), day, day);
    writeFileSync(join(files, 'live.tmp'), 'x');
    const loaded = await loadAscWithCodeCache(ascUrl, other, ASC_BUILDS);
    expect(loaded.codeCache).toBe('miss');
    expect(loaded.save()).toBe(true);
    const names = readdirSync(files);
    const keys = [...new Set(names.filter((n) => n.endsWith('.bin')).map((n) => n.slice(0, 24)))].sort();
    expect(keys).toEqual(['2'.repeat(24), '3'.repeat(24), binFiles()[0]!.slice(0, 24)].sort());
    expect(names).not.toContain('dead.tmp');
    expect(names).toContain('live.tmp');
  }, 120_000);

  // Making a file another user owns needs root (chown): elsewhere the test says why it skips.
  const root = process.getuid?.() === 0;
  it.skipIf(!root)("reads no file another user owns (V8 would run its code as this user's); writes 0700/0600 (needs root to chown)", async () => {
    expect(statSync(cacheFiles).mode & 0o777).toBe(0o700);
    for (const name of binFiles()) expect(statSync(join(cacheFiles, name)).mode & 0o777).toBe(0o600);
    const foreign = join(dir, 'foreign');
    const files = join(foreign, 'asc-code-cache');
    mkdirSync(files, { recursive: true });
    for (const name of binFiles()) {
      writeFileSync(join(files, name), readFileSync(join(cacheFiles, name)));
      chownSync(join(files, name), 4242, 4242);
    }
    const loaded = await loadAscWithCodeCache(ascUrl, foreign, ASC_BUILDS);
    expect(loaded.codeCache).toBe('miss');
    // The same files, this user's: read (V8 may also answer from memory in one process).
    for (const name of readdirSync(files)) chownSync(join(files, name), process.getuid!(), process.getgid!());
    expect((await loadAscWithCodeCache(ascUrl, foreign, ASC_BUILDS)).codeCache).not.toBe('miss');
  }, 120_000);

  it('refuses files that are not the builds it was checked against (the worker then imports asc)', async () => {
    await expect(loadAscWithCodeCache(ascUrl, dir, { ...ASC_BUILDS, asc: { ...ASC_BUILDS.asc, dynamicImports: 8 } })).rejects.toThrow(/not the expected build/);
  });
});

describe("the compiler worker's code cache across processes", () => {
  const procDir = mkdtempSync(join(tmpdir(), 'numbats-asc-code-cache-proc-'));
  afterAll(() => rmSync(procDir, { recursive: true, force: true }));
  const program = [
    "import * as nb from './src/index.ts';",
    // (a scratch array: the kernel needs asc; a kernel the direct emitter takes, helper calls
    // included, would skip it, compiler/emit/wasm)
    "const f = nb.vectorize('f8(f8, f8)', { tier: 'wasm', helpers: { lin: (x, y) => x * y + 1 } })((x, y) => { const t = new Float64Array(1); t[0] = 2 * y + 1; if (x > 1) return lin(x, y); return t[0]; });",
    'console.log(JSON.stringify(f(nb.array([1, 2]), nb.array([3, 4])).toArray()));',
  ].join('\n');
  const run = () => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    cwd: process.cwd(), encoding: 'utf8', timeout: 180_000, env: { ...process.env, NUMBATS_CACHE_DIR: procDir },
  });
  const files = () => readdirSync(join(procDir, 'asc-code-cache')).filter((n) => n.endsWith('.bin')).sort();

  it('the first process writes it after its compile, the second uses it and writes nothing, a corrupt one is rewritten', () => {
    const cacheFile = (n: string) => join(procDir, 'asc-code-cache', n);
    const state = () => files().map((n) => [n, statSync(cacheFile(n)).mtimeMs, readFileSync(cacheFile(n)).length]);
    for (const [i, expectWrite] of [[0, true], [1, false], [2, true]] as const) {
      const before = i === 0 ? [] : state();
      const res = run();
      expect(res.stderr).toBe('');
      expect(JSON.parse(res.stdout)).toEqual([7, 9]);
      expect(files()).toHaveLength(3);
      if (expectWrite) expect(state()).not.toEqual(before);
      else expect(state()).toEqual(before);
      // Before the third process: garbage of the same names (V8 rejects it; the worker still compiles).
      if (i === 1) for (const n of files()) writeFileSync(cacheFile(n), 'not a code cache');
    }
    // Rewritten: real caches again (the binaryen one holds its 13 MB script's constants).
    expect(readFileSync(cacheFile(files().find((n) => n.endsWith('binaryen.bin'))!)).length).toBeGreaterThan(1_000_000);
  }, 600_000);
});
