/**
 * Downsampling an 8-bit grayscale image by 2, the classic benchmark (12000 x 5000 pixels by
 * default), written the way a numbats user would:
 *
 * - **direct** (keep every second pixel): a strided view and a copy,
 *   `img.slice('::2', '::2').copy()` — NumPy's `img[::2, ::2].copy()`;
 * - **2x2 local mean**, in its natural forms:
 *   1. a stencil with an output stride of 2 (`nb.stencil`, `stride: 2`): the kernel reads
 *      the 2x2 block `a(0,0) a(0,1) a(1,0) a(1,1)` at every second pixel;
 *   2. `nb.vectorize` over four strided views (`img.slice('::2', '::2')`,
 *      `img.slice('::2', '1::2')`, ...), NumPy's way of writing it without a loop;
 *   3. a plain JS loop over the Uint8Array, for comparison.
 *
 * Widening: a kernel means what it means in JavaScript evaluated with the signature's types,
 * so with `uint8` inputs `a(0,0) + a(0,1)` is a uint8 addition and wraps at 256 (as NumPy's
 * `uint8 + uint8` does). The kernels start the sum from a local, `let s = 2` (the rounding
 * term): an integer literal gives the local the default integer type (int64), every `+`
 * after it is a wide addition, and `s >> 2` is the rounded mean.
 *
 * Measured (12000x5000, this project's shared 2-vCPU machine, `npm run bench -- downsample`,
 * medians; bench/REPORT.md has the run): direct 8.8 ms (NumPy 5.9, Numba loop 8.2, plain JS
 * 32.8); 2x2 mean as the widened stencil 14.9 ms, as vectorize over four strided views
 * 24.2 ms (NumPy's four views summed in uint16 58.5, Numba's uint16 loop 19.8, Numba's
 * window-`.mean()` loop 209, plain JS 54.8). Forms tried and rejected for the stencil (one
 * earlier, noisier session): a `uint8(uint16)` signature (the input cast to uint16 first, a
 * 120 MB temporary) ~93 ms; `Math.floor((sum + 2) / 4)` ~22 ms but wrong (the uint8 sum
 * had already wrapped); summing `a >> 2` per pixel ~30 ms and inexact. The stencil is the
 * fastest correct form: its interior loop walks the image once with no per-pixel bounds
 * checks, 8 output pixels per SIMD step since issue 16 item 6 (the sum provably fits int16
 * lanes; bench/README.md has the before/after, the C loop and Numba's localMean); the
 * vectorize form runs a strided loop over four views (four input streams).
 *
 * Edges: for odd sizes the output has `ceil(n / 2)` pixels per axis (as `img[::2, ::2]`);
 * the stencil's 'nearest' mode repeats the last row/column, so an edge pixel is the mean
 * of itself and its duplicate. The vectorize form needs even sizes (all four views the same
 * shape), so it crops the last odd row/column.
 *
 * Run: `npx tsx examples/downsample.ts [in.png] [outdir] [--size 12000x5000] [--reps 5]` (a lone
 * argument not ending in `.png` is the output directory).
 * Without `in.png` it makes a test image (and writes it to `outdir/input.png` when it is at
 * most 4000x4000, as encoding a 60 MB PNG takes seconds). It writes
 * `outdir/downsample-direct.png` and `outdir/downsample-mean.png` (default outdir: the
 * system temp directory) and prints the median time of each form.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import * as nb from '../src/index.js';

/** The seed's directAssign as a jit function: every down_size-th pixel. */
export const jitDirectAssign = nb.jit((imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
  for (let i = 0; i < newHeight; i++) {
    for (let j = 0; j < newWidth; j++) imgNew.set(i, j, img.get(i * downSize, j * downSize));
  }
});

/** The seed's getDownSampleValue: the mean of one win x win window (a helper that takes the image). */
export function getDownSampleValue(img: nb.NDArray, i: number, j: number, win: number): number {
  let s = 0;
  for (let di = 0; di < win; di++) {
    for (let dj = 0; dj < win; dj++) s += img.get(i * win + di, j * win + dj) as number;
  }
  return s / (win * win);
}

/** The seed's localMean, calling getDownSampleValue through options.helpers. */
export const jitLocalMean = nb.jit({ helpers: { getDownSampleValue } })(
  (imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
    for (let i = 0; i < newHeight; i++) {
      for (let j = 0; j < newWidth; j++) imgNew.set(i, j, getDownSampleValue(img, i, j, downSize));
    }
  },
);

/** The 2x2 mean kernel: the rounded mean of the block at (0, 0)..(1, 1), summed in an int64 local. */
export function mean2x2Kernel(a: (i: number, j: number) => number): number {
  let s = 2; // int64 local: the sum below does not wrap at 256
  s += a(0, 0);
  s += a(0, 1);
  s += a(1, 0);
  s += a(1, 1);
  return s >> 2;
}

/** The options of {@link mean2x2}: uint8 in and out, every second pixel, edges repeated. */
export const MEAN2X2_OPTIONS = { signature: 'uint8(uint8)', stride: 2, mode: 'nearest', name: 'mean2x2' } as const;

/** 2x2 mean as a stencil with output stride 2 ('nearest' repeats the last row/column of odd sizes). */
export const mean2x2 = nb.stencil(mean2x2Kernel, MEAN2X2_OPTIONS);

/** The same mean over four pixels given as four (strided) arrays. */
export const mean4 = nb.vectorize('uint8(uint8, uint8, uint8, uint8)', { name: 'mean4' })(
  (p: number, q: number, r: number, t: number) => {
    let s = 2;
    s += p;
    s += q;
    s += r;
    s += t;
    return s >> 2;
  },
);

/** Every second pixel: a strided view, copied. */
export function downsampleDirect(img: nb.NDArray): nb.NDArray {
  return img.slice('::2', '::2').copy();
}

/** 2x2 mean through vectorize over four strided views (even sizes: the odd edge is cropped). */
export function downsampleMeanViews(img: nb.NDArray): nb.NDArray {
  const [h, w] = img.shape as [number, number];
  const he = h - (h % 2);
  const we = w - (w % 2);
  return mean4(
    img.slice(`0:${he}:2`, `0:${we}:2`),
    img.slice(`0:${he}:2`, `1:${we}:2`),
    img.slice(`1:${he}:2`, `0:${we}:2`),
    img.slice(`1:${he}:2`, `1:${we}:2`),
  );
}

/** The plain JS loops (reference and baseline): direct and 2x2 mean with 'nearest' edges. */
export function referenceDirect(src: Uint8Array, h: number, w: number): Uint8Array {
  const oh = Math.ceil(h / 2);
  const ow = Math.ceil(w / 2);
  const out = new Uint8Array(oh * ow);
  for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) out[i * ow + j] = src[2 * i * w + 2 * j]!;
  return out;
}

export function referenceMean(src: Uint8Array, h: number, w: number): Uint8Array {
  const oh = Math.ceil(h / 2);
  const ow = Math.ceil(w / 2);
  const out = new Uint8Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    const r0 = 2 * i * w;
    const r1 = Math.min(2 * i + 1, h - 1) * w;
    for (let j = 0; j < ow; j++) {
      const c0 = 2 * j;
      const c1 = Math.min(2 * j + 1, w - 1);
      out[i * ow + j] = (src[r0 + c0]! + src[r0 + c1]! + src[r1 + c0]! + src[r1 + c1]! + 2) >> 2;
    }
  }
  return out;
}

/** A deterministic test image: gradients, rings and a fine checkerboard (aliasing shows). */
export function testImage(h: number, w: number): nb.NDArray {
  const img = nb.empty([h, w], 'uint8');
  const d = img.data as Uint8Array;
  const cy = h / 2;
  const cx = w / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r2 = ((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (h + w);
      d[y * w + x] = ((x * 255) / w + (y * 64) / h + (r2 & 32) * 2 + ((x ^ y) & 1) * 40) & 255;
    }
  }
  return img;
}

/** Read a PNG as a 2-D uint8 gray image (RGB(A) converted with Rec. 601 luma, 16-bit scaled). */
export function readGray(path: string): nb.NDArray {
  const png = decode(readFileSync(path));
  if (png.palette) throw new Error(`${path}: palette PNGs are not supported by this example`);
  const { width, height, channels, depth } = png;
  const src = png.data;
  const scale = depth === 16 ? 1 / 257 : depth === 8 ? 1 : 255 / ((1 << depth) - 1);
  const img = nb.empty([height, width], 'uint8');
  const d = img.data as Uint8Array;
  for (let i = 0, k = 0; i < width * height; i++, k += channels) {
    const v = channels >= 3 ? 0.299 * src[k]! + 0.587 * src[k + 1]! + 0.114 * src[k + 2]! : src[k]!;
    d[i] = Math.min(255, Math.round(v * scale));
  }
  return img;
}

/** Write a 2-D uint8 array as an 8-bit grayscale PNG. */
export function writeGray(path: string, img: nb.NDArray): void {
  const [height, width] = img.shape as [number, number];
  const c = img.copy(); // C-contiguous, offset 0 in its own block
  const data = new Uint8Array(c.data as Uint8Array); // out of the shared heap for the encoder
  c.dispose();
  writeFileSync(path, encode({ width, height, data, channels: 1, depth: 8 }));
}

/** Median ms of `reps` calls after `warm` calls (V8 tiers a Wasm function up after its first calls). */
function time(fn: () => unknown, reps: number, warm = 3): number {
  const release = (r: unknown) => (r instanceof nb.NDArray ? r.dispose() : undefined);
  for (let i = 0; i < warm; i++) release(fn());
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = fn();
    t.push(performance.now() - t0);
    release(r);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

async function main(argv: string[]): Promise<void> {
  const pos: string[] = [];
  let size = [12000, 5000];
  let reps = 5;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--size') size = argv[++i]!.split('x').map(Number);
    else if (a === '--reps') reps = Number(argv[++i]);
    else pos.push(a);
  }
  // `[in.png] [outdir]`: a lone argument that is not a .png file is the output directory.
  if (pos.length === 1 && !/\.png$/i.test(pos[0]!)) pos.unshift('');
  const [input, outdir = join(tmpdir(), 'numbats-downsample')] = pos;
  mkdirSync(outdir, { recursive: true });
  let img: nb.NDArray;
  if (input) {
    img = readGray(input);
    console.log(`input: ${input} (${img.shape[0]}x${img.shape[1]})`);
  } else {
    const [h, w] = size as [number, number];
    img = testImage(h, w);
    console.log(`input: generated test image ${h}x${w}`);
    if (h * w <= 16e6) writeGray(join(outdir, 'input.png'), img);
  }
  const [h, w] = img.shape as [number, number];
  // A plain copy for the JS loops: V8 reads TypedArrays over the heap's SharedArrayBuffer
  // several times slower than ordinary ones (what a PNG decoder returns).
  const src = Uint8Array.from(img.data as Uint8Array);

  const direct = downsampleDirect(img);
  const mean = mean2x2(img);
  writeGray(join(outdir, 'downsample-direct.png'), direct);
  writeGray(join(outdir, 'downsample-mean.png'), mean);
  console.log(`output: ${join(outdir, 'downsample-direct.png')}, ${join(outdir, 'downsample-mean.png')} (${direct.shape[0]}x${direct.shape[1]})`);

  // The seed's jit forms: directAssign, and localMean calling getDownSampleValue (a helper
  // that takes the image) — checked against the stencil's result before timing.
  const nh = Math.floor(h / 2);
  const nw = Math.floor(w / 2);
  const jd = nb.zeros([nh, nw], 'uint8');
  jitDirectAssign(jd, nh, nw, 2, img);
  const jm = nb.zeros([nh, nw], 'uint8');
  jitLocalMean(jm, nh, nw, 2, img);
  // (checked on a corner: directAssign is the strided copy; localMean truncates the mean, the
  // stencil rounds it, so they differ by at most 1)
  const corner = (a: nb.NDArray) => a.slice(`0:${Math.min(nh, 64)}`, `0:${Math.min(nw, 64)}`).toArray() as number[][];
  const sameDirect = JSON.stringify(corner(jd)) === JSON.stringify(corner(direct));
  const cm = corner(mean);
  const closeMean = corner(jm).every((row, i) => row.every((v, j) => Math.abs(v - cm[i]![j]!) <= 1));
  console.log(`jit forms: directAssign equals the strided copy: ${String(sameDirect)}; localMean within 1 of the stencil: ${String(closeMean)}`);

  // The compiled code is timed: wait for each function's Wasm tier (its first calls ran the
  // same code compiled to JS while the Wasm compiled in the background).
  await Promise.all([mean2x2.ready, mean4.ready, jitDirectAssign.ready, jitLocalMean.ready]);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(`timings (median of ${reps}):`);
  console.log(`  direct   img.slice('::2', '::2').copy()   ${ms(time(() => downsampleDirect(img), reps))}`);
  console.log(`  direct   plain JS loop                    ${ms(time(() => referenceDirect(src, h, w), reps))}`);
  console.log(`  2x2 mean stencil, stride 2               ${ms(time(() => mean2x2(img), reps))}`);
  console.log(`  2x2 mean vectorize over 4 strided views  ${ms(time(() => downsampleMeanViews(img), reps))}`);
  console.log(`  2x2 mean plain JS loop                   ${ms(time(() => referenceMean(src, h, w), reps))}`);
  console.log(`  direct   nb.jit directAssign              ${ms(time(() => jitDirectAssign(jd, nh, nw, 2, img), reps))}`);
  console.log(`  2x2 mean nb.jit localMean + helper        ${ms(time(() => jitLocalMean(jm, nh, nw, 2, img), reps))}`);
  nb.shutdown();
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('downsample.ts')) await main(process.argv.slice(2));
