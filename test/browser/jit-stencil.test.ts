/**
 * nb.jit functions and cpu stencils on a browser's main thread (API.md "Browsers"): the first
 * call answers at once on the JS tier (the main thread may not block on a compile), the Wasm
 * compiled in the browser compiler worker takes over when `.ready` settles, and both tiers
 * give the values of the same functions run as plain JS. `tier: 'wasm'` cannot block here: a
 * TargetError says so.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const sum2d = (a: nb.NDArray) => {
  const [m, n] = a.shape;
  let s = 0.0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) s += (a.get(i, j) as number) * (i + 1) - j;
  return s;
};

/** 2x2 means of a 2-D float64 array with stride 2 and 'nearest' edges, as plain JS. */
function means(a: number[][]): number[][] {
  const m = a.length, n = a[0]!.length;
  const at = (i: number, j: number) => a[Math.min(i, m - 1)]![Math.min(j, n - 1)]!;
  const out: number[][] = [];
  for (let i = 0; i < m; i += 2) {
    const row: number[] = [];
    for (let j = 0; j < n; j += 2) row.push((at(i, j) + at(i, j + 1) + at(i + 1, j) + at(i + 1, j + 1)) * 0.25);
    out.push(row);
  }
  return out;
}

describe('nb.jit and cpu stencils in Chromium', () => {
  it('a jit function answers on the JS tier at once, then runs on Wasm after .ready', async () => {
    const f = nb.jit(sum2d);
    const a = nb.array(Array.from({ length: 35 }, (_, i) => Math.sin(i) * 7)).reshape([5, 7]);
    const want = sum2d(a);
    expect(f(a)).toBe(want);
    expect(f.tier).toBe('js');
    expect(f(a.T)).toBe(sum2d(a.T));
    await f.ready;
    expect(f.tier).toBe('wasm');
    expect(f(a)).toBe(want);
    expect(f(a.T)).toBe(sum2d(a.T));
  }, 120_000);

  it('a cpu stencil answers on the JS tier at once, then runs on Wasm after .ready', async () => {
    const s = nb.stencil((a: (i: number, j: number) => number) => (a(0, 0) + a(0, 1) + a(1, 0) + a(1, 1)) * 0.25, {
      signature: 'float64(float64)', stride: 2, mode: 'nearest',
    });
    const rows = Array.from({ length: 7 }, (_, i) => Array.from({ length: 9 }, (_, j) => (i * 9 + j) * 1.5 - 20));
    const a = nb.array(rows);
    expect(s.tier).toBe('js');
    expect(s(a).toArray()).toEqual(means(rows));
    await s.ready;
    expect(s.tier).toBe('wasm');
    expect(s(a).toArray()).toEqual(means(rows));
  }, 120_000);

  it("tier 'wasm' cannot block the main thread: TargetError E_TARGET_COMPILE", () => {
    const f = nb.jit({ tier: 'wasm' })((x: number) => x * 2);
    expect(() => f(3)).toThrowError(expect.objectContaining({ name: 'TargetError', code: 'E_TARGET_COMPILE' }));
  });
});
