/**
 * The built browser file on a plain static server (issue 17 acceptance): `browser.js` is
 * built into a scratch folder with scripts/build-browser.mjs, served as files (no bundler,
 * no import map), and loaded by `<script type="module">` in headless Chromium. Values are
 * checked against plain JS in the page.
 *   - isolated page (COOP/COEP): built-in ufuncs, parallel built-ins on the Web Worker pool
 *     (no warning), gpu vectorize and guvectorize on navigator.gpu, the compiler worker
 *     file compiling AssemblyScript to a module that runs;
 *   - plain page (no headers): not cross-origin isolated, so `parallel` runs on the calling
 *     thread, right, with exactly one warning.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ascFlagsFor } from '../../src/compiler/toolchain/asc.js';
import { chromiumReason, launch, serveStatic } from './page-harness.js';

const root = new URL('../..', import.meta.url).pathname;
const INDEX = `<!doctype html><meta charset="utf-8"><title>numbats</title>
<script type="module">
import * as nb from './browser.js';
window.nb = nb;
window.loaded = true;
</script>`;

/**
 * The tiered kernels of issue 12 (JS tier first, the Wasm tier when `.ready` settles) are
 * what make cpu and parallel kernels callable on a page that may not block; until they are
 * in this tree, the test that needs them is reported as skipped.
 */
const TIERED = existsSync(join(root, 'src/vectorize/tier.ts'));

/** A small AssemblyScript module the compiler worker builds (imports the shared memory, like every kernel). */
const AS_SOURCE = 'export function affine(x: f64): f64 { return x * 2.0 + 1.0; }\n';

describe.skipIf(chromiumReason !== null)('numbats/browser.js from a static server in Chromium', () => {
  let dir = '';
  let browser: Browser;
  let server: Server;
  let origin = '';
  const warnings: string[] = [];

  async function open(kind: 'isolated' | 'plain'): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(`${kind}: ${m.text()}`); });
    page.on('pageerror', (e) => { throw e; });
    await page.goto(`${origin}/${kind}/index.html`);
    await page.waitForFunction('window.loaded === true', undefined, { timeout: 30_000 });
    return page;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'numbats-browser-'));
    const b = spawnSync(process.execPath, [join(root, 'scripts/build-browser.mjs'), '--out', dir], { encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build-browser failed: ${b.stderr}${b.stdout}`);
    writeFileSync(join(dir, 'index.html'), INDEX);
    ({ server, origin } = await serveStatic({ '/': dir }));
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('isolated page: ufuncs, parallel built-ins on workers, gpu vectorize and guvectorize, the compiler worker', async () => {
    const page = await open('isolated');
    const r = await page.evaluate(async ({ source, flags }) => {
      type Nb = typeof import('../../src/index.js');
      const nb = (window as unknown as { nb: Nb }).nb;
      const out: Record<string, unknown> = { isolated: crossOriginIsolated };
      out.add = nb.add(nb.array([1.5, 2, 3]), 10).toArray();
      nb.config({ parallel: { builtins: true, threads: 2, minElements: 0, blockMs: 1e-6 } });
      const xs = Array.from({ length: 100_000 }, (_, i) => i / 7);
      const sq = nb.sqrt(nb.array(xs)).toArray() as number[];
      out.parallelOk = sq.every((v, i) => v === Math.sqrt(xs[i]!));
      const k = nb.vectorize(['float32(float32, float32)'], { target: 'gpu' })((x: number, y: number) => x * y + 1);
      const a = nb.array([1, 2, 3, 4], { dtype: 'float32' });
      const b = nb.array([0.5, -1, 2, 8], { dtype: 'float32' });
      out.gpu = (await (await (k(a, b) as unknown as Promise<import('../../src/index.js').NDArray>)).toCpu()).toArray();
      const dot = nb.guvectorize(['void(float32[:], float32[:], float32[:])'], '(n),(n)->()', { target: 'gpu' })(
        (p: Float32Array, q: Float32Array, o: Float32Array) => { let s = 0; for (let i = 0; i < p.length; i++) s += p[i]! * q[i]!; o[0] = s; },
      );
      out.dot = (await (await (dot(a.reshape([2, 2]), b.reshape([2, 2])) as unknown as Promise<import('../../src/index.js').NDArray>)).toCpu()).toArray();
      // The compiler worker beside browser.js (asc loaded by the worker, never by the page).
      const w = new Worker(new URL('./numbats-compiler-worker.js', location.href), { type: 'module' });
      const reply = await new Promise<{ binary?: Uint8Array; error?: string }>((resolve) => {
        w.onmessage = (ev) => resolve(ev.data);
        w.onerror = (ev) => resolve({ error: ev.message });
        w.postMessage({ id: 1, source, flags });
      });
      w.terminate();
      if (reply.binary) {
        const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
        const inst = new WebAssembly.Instance(new WebAssembly.Module(reply.binary as Uint8Array<ArrayBuffer>), { env: { memory } });
        out.compiled = (inst.exports.affine as (x: number) => number)(3);
      } else out.compiled = reply.error;
      return out;
    }, { source: AS_SOURCE, flags: ascFlagsFor(AS_SOURCE) });
    expect(r.isolated).toBe(true);
    expect(r.add).toEqual([11.5, 12, 13]);
    expect(r.parallelOk).toBe(true);
    expect(r.gpu).toEqual([1.5, -1, 7, 33]);
    expect(r.dot).toEqual([1 * 0.5 + 2 * -1, 3 * 2 + 4 * 8]);
    expect(r.compiled).toBe(7);
    expect(warnings.filter((w) => w.startsWith('isolated'))).toEqual([]);
    await page.close();
  }, 180_000);

  it('typed errors keep their class names in the minified build (e.name, instanceof, code)', async () => {
    const page = await open('isolated');
    const r = await page.evaluate(() => {
      const nb = (window as unknown as { nb: typeof import('../../src/index.js') }).nb;
      const base = nb.NumbatsError as unknown as { prototype: object };
      // Every exported error class: its export name against the name its instances carry.
      const classes = Object.entries(nb).filter(([, v]) => typeof v === 'function' && (v === base || (v as { prototype?: object }).prototype instanceof (base as never)));
      const named = classes.map(([k, v]) => [k, ((v as { prototype: Error }).prototype).name]);
      let thrown: string[] = [];
      try { nb.zeros([2, 3]).reshape([4]); } catch (e) { thrown = [(e as Error).name, String(e instanceof nb.ShapeError), (e as { code: string }).code, String(e).split(':')[0]!]; }
      return { named, thrown };
    });
    expect(r.named.length).toBeGreaterThanOrEqual(9);
    for (const [k, name] of r.named) expect(name).toBe(k);
    expect(r.thrown).toEqual(['ShapeError', 'true', 'E_SHAPE_RESHAPE', 'ShapeError']);
    await page.close();
  }, 180_000);

  it.skipIf(!TIERED)('isolated page, tiered kernels (issue 12): vectorize on cpu before and after .ready, a parallel callAsync', async () => {
    const page = await open('isolated');
    const r = await page.evaluate(async () => {
      const nb = (window as unknown as { nb: typeof import('../../src/index.js') }).nb;
      type Arr = import('../../src/index.js').NDArray;
      const f = nb.vectorize(['float64(float64)'])((x: number) => x * 2 + 1) as unknown as ((a: Arr) => Arr) & { ready: Promise<unknown> };
      const xs = [0.5, 1, -3, 7.25];
      const first = f(nb.array(xs)).toArray();
      await f.ready;
      const second = f(nb.array(xs)).toArray();
      const p = nb.vectorize(['float64(float64)'], { target: 'parallel' })((x: number) => Math.sqrt(x)) as unknown as { ready: Promise<unknown>; callAsync(a: Arr): Promise<Arr> };
      await p.ready;
      const big = Array.from({ length: 200_000 }, (_, i) => i / 3);
      const roots = (await p.callAsync(nb.array(big))).toArray() as number[];
      return { first, second, want: xs.map((x) => x * 2 + 1), rootsOk: roots.every((v, i) => v === Math.sqrt(big[i]!)) };
    });
    expect(r.first).toEqual(r.want);
    expect(r.second).toEqual(r.want);
    expect(r.rootsOk).toBe(true);
    await page.close();
  }, 180_000);

  it('plain page (no COOP/COEP): parallel runs on the calling thread, right, with one warning', async () => {
    const page = await open('plain');
    const r = await page.evaluate(() => {
      const nb = (window as unknown as { nb: typeof import('../../src/index.js') }).nb;
      nb.config({ parallel: { builtins: true, threads: 2, minElements: 0, blockMs: 1e-6 } });
      const xs = Array.from({ length: 50_000 }, (_, i) => i * 0.25);
      let ok = true;
      for (let round = 0; round < 2; round++) {
        const got = nb.sqrt(nb.array(xs)).toArray() as number[];
        ok &&= got.every((v, i) => v === Math.sqrt(xs[i]!));
      }
      const sum = (nb.add.reduce(nb.array(xs)) as import('../../src/index.js').NDArray).toArray();
      return { isolated: crossOriginIsolated, ok, sum, want: xs.reduce((s, x) => s + x, 0) };
    });
    expect(r.isolated).toBe(false);
    expect(r.ok).toBe(true);
    expect(r.sum).toBe(r.want);
    const plain = warnings.filter((w) => w.startsWith('plain'));
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatch(/'parallel' target runs on the calling thread: the page is not cross-origin isolated/);
    await page.close();
  }, 120_000);
});
