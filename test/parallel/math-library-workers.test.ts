/**
 * The math library on the parallel target's workers (src/parallel/pool.ts, worker-source.ts):
 * a kernel module that imports `nbmath.*` (as direct modules do) runs its blocks in the pool,
 * each worker instantiating the library the task carries. The module is compiled here by asc
 * (bench/asm-module.ts: the kernels' flags; compileAssemblyScript admits no such import)
 * from AS source declaring the imports, in the worker's kernel ABI (`blk(plan)`, one block
 * per plan), and run as the pool runs a kernel's job: on the workers only (`runJobAsync`:
 * the calling thread runs no block), and with the caller taking part (`runJobSync`).
 * Results: within 2 ULPs of JavaScript's Math (float32: Math's result rounded), and the
 * same bits as the calling thread's library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { compileAsmBench } from '../../bench/asm-module.js';
import { newModuleId } from '../../src/parallel/execute.js';
import { runJobAsync, runJobSync, type Job } from '../../src/parallel/pool.js';
import { importsMathLibrary, mathLibraryExports } from '../../src/runtime/math-library.js';
import { runtime } from '../../src/runtime/runtime.js';
import { ulps } from '../compiler/harness.js';

/** One block: plan = [n, src, out64, out32] (u32 words): out64[i] = exp(src[i]), out32[i] = pow(f32(src[i]), 2.5). */
const SOURCE = `
@external("nbmath", "exp_f64") declare function exp_f64(x: f64): f64;
@external("nbmath", "pow_f32") declare function pow_f32(x: f32, y: f32): f32;
export function blk(plan: usize): void {
  const n = load<u32>(plan);
  const src = <usize>load<u32>(plan, 4);
  const out64 = <usize>load<u32>(plan, 8);
  const out32 = <usize>load<u32>(plan, 12);
  for (let i: usize = 0; i < <usize>n; i++) {
    const x = load<f64>(src + (i << 3));
    store<f64>(out64 + (i << 3), exp_f64(x));
    store<f32>(out32 + (i << 2), pow_f32(<f32>x, <f32>2.5));
  }
}
`;

const BLOCKS = 16;
const PER_BLOCK = 500;
const N = BLOCKS * PER_BLOCK;
const PLAN_BYTES = 16;

let module: WebAssembly.Module;
const DEFAULTS = nb.config().parallel;

beforeAll(async () => {
  nb.config({ parallel: { threads: 2 } });
  module = await compileAsmBench(SOURCE, 'nbmath-kernel.ts');
}, 120_000);
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

/** Inputs in the heap, one plan per block, the job (its `local` runs a block on this thread, or refuses to). */
function setUp(local: 'run' | 'refuse') {
  const { heap, memory } = runtime();
  const src = heap.alloc(N * 8);
  const out64 = heap.alloc(N * 8);
  const out32 = heap.alloc(N * 4);
  const plans = heap.alloc(BLOCKS * PLAN_BYTES);
  const xs = Array.from({ length: N }, (_, i) => (i % 2 === 0 ? -1 : 1) * (i / N) * 700 + (i % 7) * 0.1);
  new Float64Array(memory.buffer, src, N).set(xs);
  const words = new Uint32Array(memory.buffer, plans, BLOCKS * 4);
  for (let b = 0; b < BLOCKS; b++) words.set([PER_BLOCK, src + b * PER_BLOCK * 8, out64 + b * PER_BLOCK * 8, out32 + b * PER_BLOCK * 4], b * 4);
  const here = new WebAssembly.Instance(module, { env: { memory }, nbmath: mathLibraryExports() }).exports as { blk: (p: number) => void };
  const job: Job = {
    local: local === 'run' ? (p) => here.blk(p) : () => { throw new Error('a block ran on the calling thread'); },
    remote: { kind: 1, moduleId: newModuleId(), module, fn: 'blk' },
    plans, planStride: PLAN_BYTES, nblocks: BLOCKS, frees: [plans],
  };
  const read = () => ({
    exp: Array.from(new Float64Array(memory.buffer, out64, N)),
    pow: Array.from(new Float32Array(memory.buffer, out32, N)),
  });
  const free = () => [src, out64, out32].forEach((p) => heap.free(p));
  return { xs, job, read, free };
}

function check(xs: readonly number[], got: { exp: number[]; pow: number[] }): void {
  const lib = mathLibraryExports();
  const worst = { exp: 0, pow: 0 };
  xs.forEach((x, i) => {
    worst.exp = Math.max(worst.exp, ulps('float64', got.exp[i]!, Math.exp(x)));
    const xf = Math.fround(x);
    worst.pow = Math.max(worst.pow, ulps('float32', got.pow[i]!, Math.fround(Math.pow(xf, 2.5))));
  });
  expect(worst.exp).toBeLessThanOrEqual(2);
  expect(worst.pow).toBeLessThanOrEqual(2);
  expect(got.exp).toEqual(xs.map((x) => lib.exp_f64!(x)));
  expect(got.pow).toEqual(xs.map((x) => lib.pow_f32!(x, 2.5)));
}

describe('a kernel module importing nbmath on the pool', () => {
  it('imports the library (the case under test)', () => {
    expect(importsMathLibrary(module)).toBe(true);
  });

  it('runs on the workers only (runJobAsync): each instantiates the library the task carries', async () => {
    const { xs, job, read, free } = setUp('refuse');
    try {
      await runJobAsync(job);
      check(xs, read());
    } finally {
      free();
    }
  });

  it('runs with the calling thread taking part (runJobSync), twice (the workers keep their library)', () => {
    for (let round = 0; round < 2; round++) {
      const { xs, job, read, free } = setUp('run');
      try {
        runJobSync(job);
        check(xs, read());
      } finally {
        free();
      }
    }
  });
});
