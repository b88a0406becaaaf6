/**
 * The example page (examples/browser, issue 17 item 5) in headless Chromium, served as
 * files with COOP/COEP (as `npm run serve:example` does) next to a fresh browser build. The
 * page runs its pipeline on the generated image; the test takes a screenshot (kept at
 * .cache/example-browser.png) and checks that it is not blank: each drawn canvas has
 * many distinct grey levels, and the captions give each step's time and target.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumReason, launch, serveStatic } from './page-harness.js';

const root = new URL('../..', import.meta.url).pathname;

describe.skipIf(chromiumReason !== null)('examples/browser page in Chromium', () => {
  let dist = '';
  let browser: Browser;
  let server: Server;
  let origin = '';

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'numbats-example-'));
    const b = spawnSync(process.execPath, [join(root, 'scripts/build-browser.mjs'), '--out', dist], { encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build-browser failed: ${b.stderr}${b.stdout}`);
    ({ server, origin } = await serveStatic({ '/examples/browser/': join(root, 'examples/browser/'), '/dist/': `${dist}/` }));
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it('draws the input and the pipeline steps; the screenshot is not blank', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 520 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/isolated/examples/browser/index.html`);
    await page.waitForSelector('body[data-done]', { timeout: 120_000 });
    expect(errors).toEqual([]);
    const captions = await page.$$eval('figcaption', (els) => els.map((e) => e.textContent ?? ''));
    // vectorize and stencil ran on the GPU (SwiftShader) with their times shown.
    expect(captions[1]).toMatch(/^grayscale \(vectorize\): [\d.]+ ms on gpu$/);
    expect(captions[2]).toMatch(/^2x2 downsample \(stencil, stride 2\): [\d.]+ ms on gpu$/);
    // The jit step ran on the main thread at once: its JS tier (a first call never blocks on a compile).
    expect(captions[3]).toMatch(/^contrast stretch \(jit\): [\d.]+ ms on cpu, js tier$/);
    const shot = await page.locator('#row').screenshot();
    mkdirSync(join(root, '.cache'), { recursive: true });
    writeFileSync(join(root, '.cache/example-browser.png'), shot);
    // Distinct grey levels drawn on each canvas that has an image (read back from the page).
    const levels = await page.$$eval('canvas', (cs) => cs.map((c) => {
      const ctx = (c as HTMLCanvasElement).getContext('2d')!;
      if (c.width === 0 || c.height === 0) return 0;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add(d[i]! * 65536 + d[i + 1]! * 256 + d[i + 2]!);
      return seen.size;
    }));
    expect(levels[0]).toBeGreaterThan(100);
    expect(levels[1]).toBeGreaterThan(50);
    expect(levels[2]).toBeGreaterThan(50);
    expect(levels[3]).toBeGreaterThan(50);
    // The screenshot itself: many distinct colours, not one background.
    const png = decode(shot);
    const colours = new Set<number>();
    const ch = png.channels;
    for (let i = 0; i < png.data.length; i += ch) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
    expect(colours.size).toBeGreaterThan(200);
    await page.close();
  }, 180_000);
});
