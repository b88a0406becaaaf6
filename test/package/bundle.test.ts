/**
 * The Node bundle (dist/numbats.node.js, scripts/build-node.mjs; package.json's
 * `exports["."].import`): built afresh into a scratch folder under the repository's .cache/
 * (so that Node resolves its dependencies and numbats' package.json as it does for dist/), then
 * imported by fresh `node` processes, as users' programs import it. Each program checks what
 * needs more than the bundle's own code: the built-in ufuncs (the prebuilt Wasm module, read
 * from numbats-builtin.wasm beside the bundle), the compiler worker (vectorize's JS tier, then the
 * Wasm tier after `.ready`), guvectorize, the parallel target's piscina pool, the disk cache
 * (a second process hits what the first wrote), the code cache of the bundle's own code
 * (scripts/node-entry.ts), and the gpu target through the external `webgpu` package where an
 * adapter opens. Values are compared with plain JS.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGpu } from '../gpu/harness.js';
import { repoRoot } from './pack.js';

let dir = '';
let bundle = '';

beforeAll(() => {
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  dir = mkdtempSync(join(repoRoot, '.cache', 'bundle-test-'));
  const b = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-node.mjs'), '--out', dir], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build-node failed: ${b.stderr}${b.stdout}`);
  bundle = pathToFileURL(join(dir, 'numbats.node.js')).href;
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Run `body` (ESM, `nb` imported from the bundle) in a fresh node; its printed JSON. */
function runProgram(name: string, body: string, env: Record<string, string> = {}, stderr: RegExp = /^$/): Record<string, unknown> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import * as nb from ${JSON.stringify(bundle)};\n${body}\nawait nb.shutdown();\n`);
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${name} exited ${String(r.status)}: ${r.stderr}`);
  expect(r.stderr).toMatch(stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** What Dawn itself prints on stderr when it opens a device (lavapipe's limits): nothing else may appear. */
const DAWN_NOTES = /^(Warning: [^\n]*artificially reduced[^\n]*\n)*$/;

const N = 1000;
/** The programs' inputs: `x` and `y`, printed back so that the references use the same values. */
const INPUTS = `const x = nb.linspace(0, 1, ${N}), y = nb.linspace(1, 2, ${N}); const xs = x.toArray(), ys = y.toArray();`;

describe('dist/numbats.node.js in a fresh process', () => {
  it('is one body and its entry, with the prebuilt Wasm modules\' bytes (built-ins, math library) beside them', () => {
    expect(readdirSync(dir).filter((f) => /\.(c?js|wasm)$/.test(f)).sort()).toEqual(['numbats-builtin.wasm', 'numbats-math.wasm', 'numbats.node.cjs', 'numbats.node.js']);
  });

  it('compiles its body with a code cache: the first process writes it, the next ones use it as it is', () => {
    const cacheDir = join(dir, 'code-cache');
    const program = `const a = nb.linspace(0, 1, 5); console.log(JSON.stringify({ r: nb.add(a, nb.multiply(a, 2)).toArray(), xs: a.toArray() }));`;
    const env = { NUMBATS_CACHE_DIR: cacheDir };
    const check = (out: Record<string, unknown>) => expect(out.r).toEqual((out.xs as number[]).map((x) => x + x * 2));
    check(runProgram('code-cache-fill', program, env));
    const folder = join(cacheDir, 'numbats-code-cache');
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^numbats-[0-9a-f]{20}-.*\.bin$/);
    const file = join(folder, files[0]!);
    const written = statSync(file);
    expect(written.size).toBeGreaterThan(10_000);
    // A process that finds the cache usable never writes it again; the body's `import()`
    // (webgpu's, through the entry) works in it: webgpu loads, whether or not an adapter opens.
    const hit = runProgram('code-cache-hit', `${program.replace('console.log(JSON.stringify({', 'const gpu = await nb.gpuInfo().then(() => \'a device\', (e) => e.message); console.log(JSON.stringify({ gpu,')}`, env, DAWN_NOTES);
    check(hit);
    expect(hit.gpu).not.toMatch(/could not be loaded/);
    expect(readdirSync(folder)).toEqual(files);
    expect(statSync(file).mtimeMs).toBe(written.mtimeMs);
    // One that V8 rejects (here: not a code cache at all) costs the compile, and is replaced.
    writeFileSync(file, 'not a code cache');
    check(runProgram('code-cache-rejected', program, env));
    const replaced = readFileSync(file);
    expect(replaced.length).toBeGreaterThan(10_000);
    expect(replaced.toString('latin1')).not.toContain('not a code cache');
  });

  it('keeps the four newest code cache files, and removes the temporary files of dead writers', () => {
    const cacheDir = join(dir, 'code-cache-prune');
    const folder = join(cacheDir, 'numbats-code-cache');
    mkdirSync(folder, { recursive: true });
    // Other builds' (or Node versions') caches, an hour old and older; a killed writer's file.
    const hour = Date.now() / 1000 - 3600;
    const old = ['a', 'b', 'c', 'd', 'e'].map((k, i) => join(folder, `numbats-${k.repeat(20)}-x-${i}.bin`));
    old.forEach((f, i) => { writeFileSync(f, 'other'); utimesSync(f, hour - i * 60, hour - i * 60); });
    const deadTmp = join(folder, 'numbats-dead.bin.1.x.tmp');
    const liveTmp = join(folder, 'numbats-live.bin.2.x.tmp');
    writeFileSync(deadTmp, '');
    utimesSync(deadTmp, hour, hour);
    writeFileSync(liveTmp, '');
    runProgram('code-cache-prune', 'console.log(JSON.stringify({}));', { NUMBATS_CACHE_DIR: cacheDir });
    const left = readdirSync(folder).sort();
    // This build's new file and the three newest others; the fresh temporary file (a writer at work) stays.
    expect(left.filter((f) => f.endsWith('.bin'))).toHaveLength(4);
    expect(left).toEqual(expect.arrayContaining([...old.slice(0, 3).map((f) => f.slice(folder.length + 1)), 'numbats-live.bin.2.x.tmp']));
    expect(left).not.toContain('numbats-dead.bin.1.x.tmp');
  });

  it('keeps its code cache under <os tmpdir>/numbats without NUMBATS_CACHE_DIR (as codeCacheDir())', () => {
    const tmp = join(dir, 'tmp-for-code-cache');
    mkdirSync(tmp);
    const env: Record<string, string> = { TMPDIR: tmp };
    const saved = process.env.NUMBATS_CACHE_DIR;
    delete process.env.NUMBATS_CACHE_DIR; // runProgram passes process.env on
    try {
      runProgram('code-cache-tmpdir', 'console.log(JSON.stringify({}));', env);
    } finally {
      if (saved !== undefined) process.env.NUMBATS_CACHE_DIR = saved;
    }
    expect(readdirSync(join(tmp, 'numbats', 'numbats-code-cache')).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
  });

  it('runs when the code cache cannot be written (its folder is a file)', () => {
    const blocked = join(dir, 'code-cache-blocked');
    writeFileSync(blocked, '');
    const out = runProgram('code-cache-blocked', `console.log(JSON.stringify({ r: nb.sqrt(nb.array([4, 9])).toArray() }));`, { NUMBATS_CACHE_DIR: blocked });
    expect(out).toEqual({ r: [2, 3] });
  });

  it('runs built-in ufuncs (the prebuilt module read from beside the bundle)', () => {
    const out = runProgram('builtins', `
      const a = nb.arange(10, undefined, undefined, 'float64');
      // The first large array starts the prefault thread (runtime/prefault.ts; node:worker_threads loaded then).
      const before = process.report.getReport().workers.length;
      const big = nb.zeros([1_000_000]);
      // A thread is in the report once it runs.
      for (let k = 0; k < 100 && process.report.getReport().workers.length === before; k++) await new Promise((r) => setTimeout(r, 50));
      const threads = process.report.getReport().workers.length - before;
      console.log(JSON.stringify({ add: nb.add(a, 0.5).toArray(), sqrt: nb.sqrt(a).toArray(), sum: nb.add.reduce(a).toArray(), threads, bigSum: nb.add.reduce(big).toArray() }));`);
    const a = Array.from({ length: 10 }, (_, i) => i);
    expect(out).toEqual({ add: a.map((v) => v + 0.5), sqrt: a.map(Math.sqrt), sum: 45, threads: 1, bigSum: 0 });
  });

  it('runs vectorize on Wasm at once (direct modules), swaps in the compiler worker\'s module, and runs a kernel only asc takes on the JS tier, then on Wasm after .ready', () => {
    const out = runProgram('vectorize', `
      // f: a direct module at once (the helper inlined), asc's module with the identity's reduce tile swapped in later
      const f = nb.vectorize('float64(float64, float64)', { identity: 0, helpers: { lin: (x, y) => x * y + 1 } })((x, y) => { if (x > 0.5) return lin(x, y); return y + 1; });
      const direct = nb.vectorize('float64(float64, float64)')((x, y) => x * y + 1);
      ${INPUTS}
      const first = f(x, y).toArray(); const firstTier = f.tier;
      const now = direct(x, y).toArray(); const directTier = direct.tier;
      const crypto = process.moduleLoadList.includes('NativeModule crypto');
      const threads = process.moduleLoadList.includes('NativeModule worker_threads');
      await f.ready; await f[Symbol.for('numbats.optimized')];
      const threadsAfter = process.moduleLoadList.includes('NativeModule worker_threads');
      // g: a scratch array in a vectorize kernel, which only asc takes
      const g = nb.vectorize('float64(float64)')((v) => { const t = new Float64Array(1); t[0] = v; return t[0] * 2; });
      const gFirst = g(x).toArray(); const gFirstTier = g.tier;
      await g.ready;
      console.log(JSON.stringify({ xs, ys, first, firstTier, now, directTier, crypto, threads, threadsAfter, ready: f(x, y).toArray(), tier: f.tier, gFirst, gFirstTier, gReady: g(x).toArray(), gTier: g.tier }));`);
    const ys = out.ys as number[];
    const want = (out.xs as number[]).map((x, i) => (x > 0.5 ? x * ys[i]! : ys[i]!) + 1);
    const fma = (out.xs as number[]).map((x, i) => x * ys[i]! + 1);
    const twice = (out.xs as number[]).map((x) => x * 2);
    expect(want.length).toBe(N);
    // The first result needs no node:crypto (~3 ms to load: without `cache: true` nothing is
    // hashed) and no node:worker_threads (~2 ms: the compiler worker starts after it, for
    // the module that replaces f's).
    expect(out).toMatchObject({
      first: want, firstTier: 'wasm', now: fma, directTier: 'wasm', crypto: false, threads: false, threadsAfter: true, ready: want, tier: 'wasm',
      gFirst: twice, gFirstTier: 'js', gReady: twice, gTier: 'wasm',
    });
  });

  it('runs guvectorize (core dimensions, the Wasm tier)', () => {
    const out = runProgram('guvectorize', `
      const rowdot = nb.guvectorize('void(float64[:], float64[:], float64[:])', '(n),(n)->()', { tier: 'wasm' })((a, b, o) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += a[i] * b[i];
        o[0] = s;
      });
      const a = nb.arange(12, undefined, undefined, 'float64').reshape([3, 4]);
      console.log(JSON.stringify({ r: rowdot(a, nb.full([3, 4], 0.5)).toArray() }));`);
    const want = [0, 1, 2].map((r) => [0, 1, 2, 3].reduce((s, c) => s + (r * 4 + c) * 0.5, 0));
    expect(out).toEqual({ r: want });
  });

  it('runs a parallel-target kernel on the worker pool (piscina)', () => {
    // Small arrays (under the 64 KiB that start the prefault thread, src/runtime/prefault.ts),
    // cut into blocks whatever the cost model thinks (blockMs, minElements): the only threads
    // the call can start are the pool's.
    const M = 8_000;
    const out = runProgram('parallel', `
      nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
      const f = nb.vectorize('float64(float64)', { target: 'parallel', tier: 'wasm' })((v) => v * 2 + 1);
      const x = nb.arange(${M}, undefined, undefined, 'float64');
      const threads = () => process.report.getReport().workers.map((w) => w.header.threadId);
      const before = threads();
      const a = f(x).toArray();
      const started = threads().filter((id) => !before.includes(id));
      console.log(JSON.stringify({ n: a.length, bad: a.filter((v, i) => v !== i * 2 + 1).length, poolThreads: started.length }));`);
    // The pool's threads (piscina, its worker script written by the bundle) started for the call.
    expect(out).toMatchObject({ n: M, bad: 0 });
    expect(out.poolThreads).toBeGreaterThanOrEqual(1);
  });

  it('fills the disk cache, and a second process hits it (Wasm at once, no compile)', () => {
    const cacheDir = join(dir, 'cache');
    const program = `
      // f: a scratch array, not a kernel the direct emitter takes, so asc compiles it (JS tier first)
      // and the cache keeps it; g: a direct module calling the math library (Wasm at once),
      // which asc's module replaces in the background (Tiers.optimize): the cache keeps that one
      const f = nb.vectorize('float64(float64, float64)', { cache: true, helpers: { r3: (v) => Math.round(v) * 3 } })((x, y) => { const t = new Float64Array(1); t[0] = r3(y); return x - t[0]; });
      const g = nb.vectorize('float64(float64)', { cache: true })((x) => Math.exp(-x) * Math.cos(x));
      ${INPUTS}
      const r = f(x, y).toArray(); const tier = f.tier;
      const s = g(x).toArray(); const tierG = g.tier;
      const crypto = process.moduleLoadList.includes('NativeModule crypto');
      await f.ready; await g.ready; await g[Symbol.for('numbats.optimized')];
      console.log(JSON.stringify({ xs, ys, r, s, tier, tierG, crypto }));`;
    const env = { NUMBATS_CACHE_DIR: cacheDir };
    const fill = runProgram('cache-fill', program, env);
    const ys = fill.ys as number[];
    const want = (fill.xs as number[]).map((x, i) => x - Math.round(ys[i]!) * 3);
    const wantS = (fill.xs as number[]).map((x) => Math.exp(-x) * Math.cos(x));
    expect(fill).toMatchObject({ r: want, tier: 'js', tierG: 'wasm' });
    (fill.s as number[]).forEach((v, i) => expect(v).toBeCloseTo(wantS[i]!, 12));
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.wasm')).length).toBeGreaterThan(0);
    // A hit computes no SHA-256 (node:crypto costs ~3 ms to load), not even for the entry with
    // static data (Math tables: ~10 KiB): the key is compared in full and the checksum is hash64.
    const hit = runProgram('cache-hit', program, env);
    expect(hit).toMatchObject({ r: want, tier: 'wasm', tierG: 'wasm', crypto: false });
    (hit.s as number[]).forEach((v, i) => expect(v).toBeCloseTo(wantS[i]!, 12));
  });

  it("carries its build identity for the disk cache: the versions and its own SHA-256, written in at build time", () => {
    const body = readFileSync(join(dir, 'numbats.node.cjs'), 'latin1');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    const id = new RegExp(`numbats@${pkg.version.replace(/\./g, '\\.')};asc@${pkg.dependencies.assemblyscript!.replace(/\./g, '\\.')};bundle:([0-9a-f]{64})`).exec(body);
    expect(id).not.toBeNull();
    // The hash of the body as it was with the hash's place held by 64 '#'.
    const holed = body.replace(id![1]!, '#'.repeat(64));
    expect(createHash('sha256').update(holed, 'latin1').digest('hex')).toBe(id![1]);
  });
});


describe.skipIf(!hasGpu)('dist/numbats.node.js on the gpu target (the external webgpu package)', () => {
  it('runs a gpu vectorize kernel', () => {
    const out = runProgram('gpu', `
      const f = nb.vectorize('float32(float32)', { target: 'gpu' })((v) => v * 2 + 1);
      const r = await f(await nb.toGpu(nb.arange(64, undefined, undefined, 'float32')));
      console.log(JSON.stringify({ r: (await r.toCpu()).toArray() }));`, {}, DAWN_NOTES);
    expect(out).toEqual({ r: Array.from({ length: 64 }, (_, i) => i * 2 + 1) });
  });
});
