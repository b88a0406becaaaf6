/**
 * numbats' math library in a real browser (src/runtime/math-library.ts): loaded from the
 * embedded base64 and compiled on the page's thread, checked against JavaScript's Math and
 * src/math; and a kernel module that imports it (test/helpers/nbmath-module.ts, Wasm bytes)
 * running on the Web Worker pool (platform/worker-pool.browser.ts, the same worker code as
 * Node's), the workers instantiating the library the task carries. The full per-function
 * checks are test/runtime/math-library.test.ts (Node).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { mathImports } from '../../src/compiler/emit/wasm/math-imports.js';
import { gamma } from '../../src/math/index.js';
import { newModuleId } from '../../src/parallel/execute.js';
import { runJobAsync, type Job } from '../../src/parallel/pool.js';
import { mathLibraryExports, mathLibraryModule } from '../../src/runtime/math-library.js';
import { runtime } from '../../src/runtime/runtime.js';
import { ulps } from '../compiler/harness.js';
import { expKernelBytes } from '../helpers/nbmath-module.js';

const DEFAULTS = nb.config().parallel;
beforeAll(() => {
  nb.config({ parallel: { threads: 2 } });
});
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

describe('the math library in Chromium', () => {
  it('loads on the page\'s thread with every function of the contract', () => {
    const names = WebAssembly.Module.exports(mathLibraryModule()).map((e) => e.name).sort();
    expect(names).toEqual(mathImports().map((m) => m.name).sort());
    expect(WebAssembly.Module.imports(mathLibraryModule())).toEqual([]);
  });

  it('exp, sin, pow within 2 ULPs of Math; gamma exactly src/math\'s (fast-check)', () => {
    const lib = mathLibraryExports();
    fc.assert(fc.property(fc.double(), fc.double(), (x, y) => {
      expect(ulps('float64', lib.exp_f64!(x), Math.exp(x))).toBeLessThanOrEqual(2);
      expect(ulps('float64', lib.sin_f64!(x), Math.sin(x))).toBeLessThanOrEqual(2);
      expect(ulps('float64', lib.pow_f64!(Math.abs(x), y), Math.pow(Math.abs(x), y))).toBeLessThanOrEqual(2);
      expect(Object.is(lib.gamma_f64!(x), gamma(x)) || (Number.isNaN(x) && Number.isNaN(lib.gamma_f64!(x)))).toBe(true);
    }), { numRuns: 500 });
  });

  it('a kernel module importing nbmath runs on the Web Worker pool', async () => {
    expect(crossOriginIsolated).toBe(true);
    const module = new WebAssembly.Module(expKernelBytes());
    const { heap, memory } = runtime();
    const blocks = 8;
    const per = 250;
    const n = blocks * per;
    const src = heap.alloc(n * 8);
    const dst = heap.alloc(n * 8);
    const plans = heap.alloc(blocks * 12);
    try {
      const xs = Array.from({ length: n }, (_, i) => (i - n / 2) / 7);
      new Float64Array(memory.buffer, src, n).set(xs);
      const words = new Uint32Array(memory.buffer, plans, blocks * 3);
      for (let b = 0; b < blocks; b++) words.set([per, src + b * per * 8, dst + b * per * 8], b * 3);
      const job: Job = {
        local: () => { throw new Error('a block ran on the calling thread'); },
        remote: { kind: 1, moduleId: newModuleId(), module, fn: 'blk' },
        plans, planStride: 12, nblocks: blocks, frees: [],
      };
      await runJobAsync(job);
      const got = Array.from(new Float64Array(memory.buffer, dst, n));
      expect(Math.max(...xs.map((x, i) => ulps('float64', got[i]!, Math.exp(x))))).toBeLessThanOrEqual(2);
      expect(got).toEqual(xs.map((x) => mathLibraryExports().exp_f64!(x)));
    } finally {
      [src, dst, plans].forEach((p) => heap.free(p));
    }
  });
});
