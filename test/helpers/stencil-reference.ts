/**
 * The plain-JS stencil of the stencil tests: scipy.ndimage's boundary modes and the kernel run
 * as JavaScript with closure accessors over flat row-major data (an independent reference:
 * nothing of numbats' compiler or runtime).
 */
import type { BoundaryMode as Mode } from '../../src/index.js';

/** scipy.ndimage's index mapping for one axis (null: outside, read cval). */
export function mapIndex(j: number, n: number, mode: Mode): number | null {
  if (j >= 0 && j < n) return j;
  switch (mode) {
    case 'constant': return null;
    case 'nearest': return j < 0 ? 0 : n - 1;
    case 'wrap': return ((j % n) + n) % n;
    case 'reflect': { const p = 2 * n; const r = ((j % p) + p) % p; return r < n ? r : p - 1 - r; }
    case 'mirror': { if (n === 1) return 0; const p = 2 * n - 2; const r = ((j % p) + p) % p; return r < n ? r : p - r; }
  }
}

/** Plain-JS stencil: flat row-major data of `shape`, run `kernel` with closure accessors. */
export function reference(
  kernel: (...acc: ((...o: number[]) => number)[]) => number, inputs: number[][], shape: number[],
  o: { mode: Mode; cval?: number; stride?: number[] },
): { data: number[]; shape: number[] } {
  const D = shape.length;
  const stride = o.stride ?? Array(D).fill(1);
  const oshape = shape.map((n, d) => Math.ceil(n / stride[d]!));
  const data: number[] = [];
  const idx = Array(D).fill(0);
  const total = oshape.reduce((a, b) => a * b, 1);
  for (let f = 0; f < total; f++) {
    let r = f;
    for (let d = D - 1; d >= 0; d--) { idx[d] = (r % oshape[d]!) * stride[d]!; r = Math.floor(r / oshape[d]!); }
    const acc = inputs.map((arr) => (...offs: number[]) => {
      let flat = 0;
      for (let d = 0; d < D; d++) {
        const m = mapIndex(idx[d]! + offs[d]!, shape[d]!, o.mode);
        if (m === null) return o.cval ?? 0;
        flat = flat * shape[d]! + m;
      }
      return arr[flat]!;
    });
    data.push(kernel(...acc));
  }
  return { data, shape: oshape };
}

