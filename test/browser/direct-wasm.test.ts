/**
 * Direct Wasm (src/compiler/emit/wasm, issue 15) on a browser's main thread: a straight-line
 * float kernel's module is small (x*y+1: ~1.3 KB) and compiles synchronously under Chrome's
 * 4 KB limit for the main thread, so the kernel is on Wasm when the factory returns, also with
 * `tier: 'wasm'` (which cannot block here for an asc compile); a module over 4 KB (a four-input
 * kernel for two signatures) goes the asc way, through the browser compiler worker.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

type Tiered = { readonly tier: 'js' | 'wasm'; readonly ready: Promise<void> };

describe('direct Wasm in Chromium', () => {
  it('x*y+1 is on Wasm at once, with the default tier and with tier wasm', async () => {
    const f = nb.vectorize('f8(f8, f8)')((x: number, y: number) => x * y + 1);
    const g = nb.vectorize('f4(f4)', { tier: 'wasm' })((x: number) => Math.min(Math.max(x, 0), 1));
    expect([(f as unknown as Tiered).tier, (g as unknown as Tiered).tier]).toEqual(['wasm', 'wasm']);
    const xs = Array.from({ length: 37 }, (_, i) => Math.sin(i) * 3);
    expect(f(nb.array(xs), 2).toArray()).toEqual(xs.map((x) => x * 2 + 1));
    expect(g(nb.array(xs, { dtype: 'float32' })).toArray()).toEqual(xs.map((x) => Math.fround(Math.min(Math.max(Math.fround(x), 0), 1))));
    await (f as unknown as Tiered).ready;
  });

  it('a guvectorize rowdot (a 1.1 KB module) is on Wasm at once too', () => {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const d = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')((a: any, b: any, o: any) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      o[0] = s;
    }) as unknown as Tiered & ((...a: unknown[]) => nb.NDArray);
    expect(d.tier).toBe('wasm');
    const rows = Array.from({ length: 5 }, (_, r) => Array.from({ length: 7 }, (_, i) => Math.sin(r * 7 + i)));
    const b = Array.from({ length: 7 }, (_, i) => Math.cos(i));
    expect(d(nb.array(rows), nb.array(b)).toArray()).toEqual(rows.map((r) => r.reduce((s, v, i) => s + v * b[i]!, 0)));
  });

  it('a module over 4 KB compiles in the compiler worker: JS tier first, Wasm after .ready', async () => {
    const f = nb.vectorize(['f4(f4, f4, f4, f4)', 'f8(f8, f8, f8, f8)'])((a: number, b: number, c: number, d: number) => (a - b) / (c + d)) as unknown as Tiered & ((...a: unknown[]) => nb.NDArray);
    expect(f.tier).toBe('js');
    const want = [(1 - 2) / (3 + 4.5)];
    expect(f(nb.array([1]), 2, 3, 4.5).toArray()).toEqual(want);
    await f.ready;
    expect(f.tier).toBe('wasm');
    expect(f(nb.array([1]), 2, 3, 4.5).toArray()).toEqual(want);
  }, 120_000);
});
