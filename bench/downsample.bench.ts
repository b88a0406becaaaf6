/**
 * Image downsampling (issue 7): a 12000x5000 uint8 image downsampled by 2, 'direct'
 * (every second pixel) and '2x2 local mean', in the forms of examples/downsample.ts, against
 * plain JS loops, NumPy (`img[::2, ::2].copy()`, the four strided views summed in uint16)
 * and Numba loops (bench/numpy/downsample.py). Elements = output pixels (15e6), so
 * ns/element x 15 = ms per image.
 */
import * as nb from '../src/index.js';
import { downsampleDirect, downsampleMeanViews, mean2x2, mean4, referenceDirect, referenceMean } from '../examples/downsample.js';
import type { Case } from './harness.js';

const H = 12000;
const W = 5000;

/** The image of bench/numpy/downsample.py: pixel i is ((i * 2654435761) mod 2^32) >> 24. */
export function downsampleImage(): nb.NDArray {
  const img = nb.empty([H, W], 'uint8');
  const d = img.data as Uint8Array;
  for (let i = 0; i < H * W; i++) d[i] = Math.imul(i, 2654435761 | 0) >>> 24;
  return img;
}

export async function downsampleCases(): Promise<Case[]> {
  // The Wasm tier is timed: the stencil and the vectorize kernel compile in the background
  // from their factory calls (their first calls would run the JS tier).
  await Promise.all([mean2x2.ready, mean4.ready]);
  const img = downsampleImage();
  // The JS loops read an ordinary Uint8Array (as a PNG decoder returns): V8's loads from a
  // TypedArray over the SharedArrayBuffer of the heap are several times slower.
  const src = Uint8Array.from(img.data as Uint8Array);
  const M = (H / 2) * (W / 2);
  const release = (a: nb.NDArray) => { const n = a.size; a.dispose(); return n; };
  return [
    {
      name: "downsample=direct,form=img.slice('::2','::2').copy(),12000x5000,uint8", elements: M,
      numpy: 'direct_numpy', numba: 'direct_numba',
      run: () => release(downsampleDirect(img)),
      baseline: () => referenceDirect(src, H, W).length,
    },
    {
      name: 'downsample=mean2x2,form=stencil(stride=2),12000x5000,uint8', elements: M,
      numpy: 'mean_numpy', numba: 'mean_numba',
      run: () => release(mean2x2(img)),
      baseline: () => referenceMean(src, H, W).length,
    },
    {
      name: 'downsample=mean2x2,form=vectorize(4 strided views),12000x5000,uint8', elements: M,
      numpy: 'mean_numpy', numba: 'mean_numba',
      run: () => release(downsampleMeanViews(img)),
      baseline: () => referenceMean(src, H, W).length,
    },
  ];
}
