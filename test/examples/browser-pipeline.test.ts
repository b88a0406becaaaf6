// The browser example's pipeline (examples/browser/pipeline.js) run on Node's cpu target,
// checked against plain JS: grayscale weights, 2x2 means, and the contrast stretch to 0..255.
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
// @ts-expect-error: a plain ES module of the example, without declarations
import { generatedImage, LUMA, runPipeline } from '../../examples/browser/pipeline.js';

interface Img { data: Float32Array; width: number; height: number }

describe('examples/browser pipeline (cpu)', () => {
  it('grayscale, 2x2 downsample and stretch match plain JS', async () => {
    const w = 40, h = 24;
    const rgba = generatedImage(w, h) as Uint8ClampedArray;
    const r = (await runPipeline(nb, rgba, w, h, 'cpu')) as { steps: { error?: string; target: string }[]; images: Img[] };
    expect(r.steps.map((s) => s.error)).toEqual([undefined, undefined, undefined]);
    const [gray, half, stretched] = r.images as [Img, Img, Img];
    const g = Array.from({ length: w * h }, (_, i) => LUMA[0] * rgba[4 * i]! + LUMA[1] * rgba[4 * i + 1]! + LUMA[2] * rgba[4 * i + 2]!);
    for (let i = 0; i < g.length; i++) expect(Math.abs(gray.data[i]! - g[i]!)).toBeLessThan(1e-3);
    expect([half.width, half.height]).toEqual([w / 2, h / 2]);
    const m: number[] = [];
    for (let y = 0; y < h / 2; y++) {
      for (let x = 0; x < w / 2; x++) {
        const at = (yy: number, xx: number) => g[yy * w + xx]!;
        m.push((at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4);
      }
    }
    for (let i = 0; i < m.length; i++) expect(Math.abs(half.data[i]! - m[i]!)).toBeLessThan(1e-3);
    const lo = Math.min(...half.data), hi = Math.max(...half.data);
    for (let i = 0; i < m.length; i++) expect(Math.abs(stretched.data[i]! - ((half.data[i]! - lo) * 255) / (hi - lo))).toBeLessThan(1e-3);
  }, 120_000);
});
