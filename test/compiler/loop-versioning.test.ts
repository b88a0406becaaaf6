/**
 * Loop versioning (src/compiler/ir/passes/loop-versioning.ts): innermost loops whose indices
 * are affine in the counter get a copy without their bounds checks and negative-index wraps,
 * taken when the indices' extremes are in range. Property-tested with nb.jit against a
 * plain-JS reference over flat arrays (NDArray.get's rules written out: an index below 0
 * counts from the end once; anything still outside is the IndexError E_KERNEL_BOUNDS), with
 * parameters that put the extremes inside, at the edges, and past them (the checked copy),
 * negative strides and offsets (wraps), empty loops and huge scales (the overflow guard).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { errorOf } from '../helpers/errors.js';

/** The reference of `strided` below, or 'bounds' when NDArray.get/set would throw. */
function reference(img: Uint8Array, H: number, W: number, oh: number, ow: number, h: number, w: number, d: number, b0: number, b1: number): Uint8Array | 'bounds' {
  const out = new Uint8Array(oh * ow);
  const norm = (k: number, n: number) => { const x = k < 0 ? k + n : k; if (x < 0 || x >= n) throw new RangeError('bounds'); return x; };
  try {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const v = img[norm(i * d + b0, H) * W + norm(j * d - b1, W)]!;
        out[norm(i, oh) * ow + norm(j, ow)] = v;
      }
    }
  } catch {
    return 'bounds';
  }
  return out;
}

const strided = nb.jit((out: nb.NDArray, img: nb.NDArray, h: number, w: number, d: number, b0: number, b1: number) => {
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) out.set(i, j, img.get(i * d + b0, j * d - b1));
  }
});

describe('loop versioning: checks hoisted out of innermost loops (nb.jit)', () => {
  it('the inner loop has a copy without bounds checks', () => {
    const src = strided.inspect(nb.zeros([2, 2], 'uint8'), nb.zeros([4, 4], 'uint8'), 2, 2, 2, 0, 0).assemblyScript;
    const loops = [...src.matchAll(/for \(let j[^\n]*\{\n([^\n]*)\n/g)].map((m) => m[1]!);
    expect(loops.length).toBe(2);
    expect(loops.filter((l) => l.includes('__bc64(')).length).toBe(1);
  });

  it('gives the reference results and errors for indices inside, at the edges and outside', () => {
    fc.assert(fc.property(
      fc.record({
        H: fc.integer({ min: 1, max: 12 }), W: fc.integer({ min: 1, max: 40 }),
        oh: fc.integer({ min: 1, max: 8 }), ow: fc.integer({ min: 1, max: 30 }),
        h: fc.integer({ min: -1, max: 9 }), w: fc.integer({ min: -2, max: 32 }),
        d: fc.integer({ min: -3, max: 3 }), b0: fc.integer({ min: -14, max: 14 }), b1: fc.integer({ min: -42, max: 42 }),
      }),
      ({ H, W, oh, ow, h, w, d, b0, b1 }) => {
        const data = Uint8Array.from({ length: H * W }, (_, k) => (k * 37 + 11) & 255);
        const img = nb.array(Array.from(data), { dtype: 'uint8' }).reshape([H, W]);
        const out = nb.zeros([oh, ow], 'uint8');
        const want = reference(data, H, W, oh, ow, h, w, d, b0, b1);
        if (want === 'bounds') {
          const e = errorOf(() => strided(out, img, h, w, d, b0, b1));
          expect(e).toBeInstanceOf(nb.IndexError);
          expect(e.code).toBe('E_KERNEL_BOUNDS');
        } else {
          strided(out, img, h, w, d, b0, b1);
          expect(Array.from(out.data as Uint8Array)).toEqual(Array.from(want));
        }
        img.dispose();
        out.dispose();
      },
    ), { numRuns: 150 });
  });

  it('takes the checked copy when the scale is too large for the guard to reason about', () => {
    // d = 2^62 and j in [0, 4]: j * d wraps to 0 at j = 4 in int64, so both extremes look in
    // range; the guard's ±2^30 bound on the scale sends the loop to the checked copy, which
    // reports j = 1's index (2^62).
    const img = nb.zeros([4, 4], 'uint8');
    const out = nb.zeros([2, 8], 'uint8');
    const BIG = (2n ** 62n) as unknown as number; // an int64 argument (a bigint)
    expect(errorOf(() => strided(out, img, 1, 5, BIG, 0, 0)).code).toBe('E_KERNEL_BOUNDS');
    // One iteration (j = 0 only) reads index 0: valid whatever the scale.
    img.set(0, 0, 9);
    strided(out, img, 1, 1, BIG, 0, 0);
    expect(out.get(0, 0)).toBe(9);
  });
});
