/**
 * A direct module that calls the math library, or whose ufunc has an `identity` (asc's
 * module has a reduce tile for it), is the Wasm tier at once; under tier 'auto' asc's module
 * of the same kernel replaces it in the background (src/vectorize/tier.ts Tiers.optimize). Calls made while the swap lands give the same bits before, during and
 * after it (the same AS functions, inlined by asc), and match plain JS within the
 * transcendentals' bound; `.ready` does not wait for the swap.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { OPTIMIZED } from '../../src/vectorize/tier.js';

describe('the background asc module replaces a direct module that calls the math library', () => {
  it('in a fresh process: Wasm at once, calls in a loop across the swap all give the same bits, the compiler worker starts once', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', [
      "import * as nb from './src/index.ts';",
      "import { compilerWorkersSpawned } from './src/vectorize/compile-sync.ts';",
      "import { OPTIMIZED } from './src/vectorize/tier.ts';",
      "const f = nb.vectorize('f8(f8)')((x) => Math.exp(-x * x) * Math.cos(x) + Math.pow(x, 1.5));",
      'const x = nb.linspace(0, 3, 1001);',
      'const tierAtOnce = f.tier;',
      'const first = f(x).toArray();',
      'await f.ready;',
      'let calls = 0, same = 0, swapped = false;',
      'f[OPTIMIZED].then(() => { swapped = true; });',
      'while (!swapped) { const r = f(x).toArray(); calls++; if (r.every((v, i) => Object.is(v, first[i]))) same++; await new Promise((res) => setTimeout(res, 2)); }',
      'for (let k = 0; k < 5; k++) { const r = f(x).toArray(); calls++; if (r.every((v, i) => Object.is(v, first[i]))) same++; }',
      'const plain = x.toArray().map((v) => Math.exp(-v * v) * Math.cos(v) + Math.pow(v, 1.5));',
      'const close = first.every((v, i) => Math.abs(v - plain[i]) <= 4e-16 * Math.max(1, Math.abs(plain[i])));',
      "console.log(JSON.stringify({ tierAtOnce, tier: f.tier, sameAll: same === calls, manyCalls: calls > 5, close, workers: compilerWorkersSpawned() }));",
      'process.exit(0);',
    ].join('\n')], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ tierAtOnce: 'wasm', tier: 'wasm', sameAll: true, manyCalls: true, close: true, workers: 1 });
  });

  it('a ufunc with an identity: Wasm at once, reductions along every axis the same bits before and after asc\'s module (with its reduce tile) lands, and plain JS\'s', async () => {
    const k = (a: number, b: number) => a * 0.5 + b;
    const f = nb.vectorize('f8(f8, f8)', { identity: 0, tier: 'auto' })(k);
    expect(f.tier).toBe('wasm');
    const rows = 37, cols = 11;
    const data = Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 10);
    const m = nb.array(data).reshape([rows, cols]);
    const before = [0, 1].map((axis) => f.reduce(m, { axis }).toArray() as number[]);
    await (f as unknown as Record<symbol, Promise<void>>)[OPTIMIZED];
    const after = [0, 1].map((axis) => f.reduce(m, { axis }).toArray() as number[]);
    expect(after).toEqual(before);
    // Plain JS, NumPy's order: res = k(res, row) from the first row / column on.
    const col = (j: number) => Array.from({ length: rows }, (_, i) => data[i * cols + j]!).reduce(k);
    const row = (i: number) => data.slice(i * cols, (i + 1) * cols).reduce(k);
    expect(before).toEqual([Array.from({ length: cols }, (_, j) => col(j)), Array.from({ length: rows }, (_, i) => row(i))]);
  });

  it('on the parallel target: the workers run the library-calling direct module, then asc\'s, the same bits', async () => {
    const defaults = nb.config().parallel;
    nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
    try {
      const f = nb.vectorize('f8(f8)', { target: 'parallel' })((x: number) => Math.exp(-x * x) * Math.cos(x) + 0.25);
      expect(f.tier).toBe('wasm');
      const x = nb.linspace(-4, 4, 100_003);
      const before = f(x).toArray() as number[];
      const asyncBefore = ((await f.callAsync(x)) as nb.NDArray).toArray();
      await (f as unknown as Record<symbol, Promise<void>>)[OPTIMIZED];
      expect([f(x).toArray(), ((await f.callAsync(x)) as nb.NDArray).toArray(), asyncBefore]).toEqual([before, before, before]);
      const plain = (x.toArray() as number[]).map((v) => Math.exp(-v * v) * Math.cos(v) + 0.25);
      // (AS's exp and cos against V8's: each within an ulp or so; a few ulps on the sum)
      expect(before.every((v, i) => Math.abs(v - plain[i]!) <= 1e-15)).toBe(true);
    } finally {
      nb.config({ parallel: { ...defaults } });
      await nb.shutdown();
    }
  });
});
