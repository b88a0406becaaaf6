/**
 * A compiled kernel module on numbats' own shared heap, next to the built-in module: its
 * static data goes into a heap block passed as `memoryBase`, it runs in place on NDArray
 * storage through `loop(plan)`, and the built-in ufuncs still work afterwards (their static
 * data was not overwritten). This is the wiring vectorize needs (see src/compiler/index.ts).
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, compileKernelWasm } from '../../src/compiler/compile.js';
import { array } from '../../src/ndarray/creation.js';
import { add, sin } from '../../src/builtins/generated/exports.js';
import { runtime } from '../../src/runtime/runtime.js';
import type { NDArray } from '../../src/ndarray/ndarray.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('kernel modules on the runtime heap', () => {
  test('static data in a heap block; runs on NDArray storage; built-ins unaffected', async () => {
    const { memory, heap } = runtime();
    const before = (sin(array([0.5, 1, 2], { dtype: 'float64' })) as NDArray).toArray();
    const k = compileKernel((x: any, y: any) => Math.exp(-x * x) * Math.cos(y), 'f8(f8, f8)', { kind: 'scalar' });
    // Compile once to learn the data size, then place it in a heap block (a real cache would
    // reserve an arena; the size does not depend on the base).
    const probe = await compileKernelWasm(k);
    const bytes = probe.staticData ? probe.staticData.end - probe.staticData.start : 0;
    const block = heap.alloc(Math.max(16, bytes));
    const wasm = await compileKernelWasm(k, { memoryBase: block });
    expect(wasm.staticData!.start).toBe(block);
    expect(wasm.staticData!.end).toBeLessThanOrEqual(block + Math.max(16, bytes));
    const instance = new WebAssembly.Instance(wasm.module, { env: { memory } });
    const loop = instance.exports['loop'] as (plan: number) => void;

    const x = array([[0, 0.5], [1, -2]], { dtype: 'float64' });
    const y = array([[1, 2], [3, 4]], { dtype: 'float64' });
    const out = array([[0, 0], [0, 0]], { dtype: 'float64' });
    const ptr = (a: NDArray) => a.data.byteOffset + a.offset * 8;
    const plan = heap.alloc(4 * (1 + 2 + 3 * 3));
    new Int32Array(memory.buffer, plan, 12).set([2, 2, 2, ptr(x), 16, 8, ptr(y), 16, 8, ptr(out), 16, 8]);
    loop(plan);
    heap.free(plan);
    const xs = [0, 0.5, 1, -2];
    const ys = [1, 2, 3, 4];
    expect((out.toArray() as number[][]).flat()).toEqual(xs.map((v, i) => k.jsKernel(v, ys[i]) as number));

    expect((sin(array([0.5, 1, 2], { dtype: 'float64' })) as NDArray).toArray()).toEqual(before);
    expect((add(array([1, 2], { dtype: 'int32' }), 3) as NDArray).toArray()).toEqual([4, 5]);
  });
});
