/**
 * examples/downsample.ts runs end to end on a small image (odd sizes, so the edges are
 * exercised): it writes real PNG files, which are decoded here and compared with plain-JS
 * loops; an RGB PNG given on the command line is read as gray. The full-size run is the
 * 'downsample' benchmark suite (bench/downsample.bench.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import {
  downsampleDirect, downsampleMeanViews, mean2x2, referenceDirect, referenceMean, testImage,
} from '../../examples/downsample.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'numbats-ds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'examples/downsample.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

function readPng(path: string) {
  const p = decode(readFileSync(path));
  return { width: p.width, height: p.height, channels: p.channels, depth: p.depth, data: Uint8Array.from(p.data) };
}

describe('examples/downsample.ts', () => {
  it('writes direct and 2x2-mean PNGs equal to the plain-JS reference (generated 301x203 image)', () => {
    const out = run('--size', '301x203', '--reps', '1', dir);
    expect(out).toContain('generated test image 301x203');
    expect(out).toMatch(/2x2 mean stencil, stride 2\s+[\d.]+ ms/);
    expect(out).toMatch(/direct\s+img\.slice\('::2', '::2'\)\.copy\(\)\s+[\d.]+ ms/);
    const input = readPng(join(dir, 'input.png'));
    expect([input.height, input.width, input.channels, input.depth]).toEqual([301, 203, 1, 8]);
    const direct = readPng(join(dir, 'downsample-direct.png'));
    const mean = readPng(join(dir, 'downsample-mean.png'));
    expect([direct.height, direct.width]).toEqual([151, 102]);
    expect([mean.height, mean.width]).toEqual([151, 102]);
    expect(direct.data).toEqual(referenceDirect(input.data, 301, 203));
    expect(mean.data).toEqual(referenceMean(input.data, 301, 203));
  });

  it('reads a given RGB PNG as gray', () => {
    const w = 7, h = 5;
    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) rgb.set([(i * 37) & 255, (i * 11) & 255, 200], i * 3);
    const inPath = join(dir, 'rgb.png');
    writeFileSync(inPath, encode({ width: w, height: h, data: rgb, channels: 3, depth: 8 }));
    const outDir = join(dir, 'rgb-out');
    const out = run(inPath, outDir, '--reps', '1');
    expect(out).toContain(`input: ${inPath} (5x7)`);
    const gray = Uint8Array.from({ length: w * h }, (_, i) => Math.round(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!));
    expect(readPng(join(outDir, 'downsample-mean.png')).data).toEqual(referenceMean(gray, h, w));
    expect(readPng(join(outDir, 'downsample-direct.png')).data).toEqual(referenceDirect(gray, h, w));
  });

  it('the three 2x2-mean forms agree (vectorize over strided views on even sizes)', () => {
    for (const [h, w] of [[64, 48], [9, 13], [1, 1], [2, 5]] as const) {
      const img = testImage(h, w);
      const src = (img.data as Uint8Array).slice();
      expect(Uint8Array.from(mean2x2(img).data as Uint8Array)).toEqual(referenceMean(src, h, w));
      expect(Uint8Array.from(downsampleDirect(img).data as Uint8Array)).toEqual(referenceDirect(src, h, w));
      if (h % 2 === 0 && w % 2 === 0) {
        expect(Uint8Array.from(downsampleMeanViews(img).copy().data as Uint8Array)).toEqual(referenceMean(src, h, w));
      }
    }
    // All 255: the widened sum does not wrap (a uint8 sum would give 254 >> 2 = 63).
    expect(mean2x2(nb.full([4, 4], 255, 'uint8')).toArray()).toEqual([[255, 255], [255, 255]]);
  });
});
