/**
 * Faults on the gpu target: typed errors with actionable messages (issue 6, "Must show" 3).
 * The no-adapter test runs everywhere (it hides the adapter with a test hook); the others
 * need an adapter and skip visibly without one.
 */
import { describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { checkGpuErrors, gpuDevice, gpuTestHooks, scoped } from '../../src/gpu/device.js';
import { arr, hasGpu, type AnyFn } from './harness.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe.skipIf(!hasGpu)('gpu faults', () => {
  test('a float64 signature is a TargetError E_GPU_DTYPE that explains the policy', () => {
    const make = () => nb.vectorize(['float64(float64)'], { target: 'gpu' })((x: number) => x + 1);
    expect(make).toThrowError(code('E_GPU_DTYPE'));
    expect(make).toThrow(nb.TargetError);
    expect(make).toThrow(/float32, int32, uint32 and bool/);
    expect(() => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target: 'gpu' })((a: Float64Array, o: Float64Array) => { o[0] = a[0]!; })).toThrowError(code('E_GPU_DTYPE'));
  });

  test('toGpu of a float64 array is E_GPU_DTYPE (with the astype hint)', async () => {
    await expect(nb.toGpu(nb.zeros([3]))).rejects.toThrowError(code('E_GPU_DTYPE'));
    await expect(nb.zeros([3]).toGpu()).rejects.toThrow(/astype\('float32'\)/);
    // a built-in that resolves to a float64 loop (int32 / int32 -> float64)
    const g = await nb.toGpu(arr('int32', [1, 2]));
    expect(() => nb.divide(g, g)).toThrowError(code('E_GPU_DTYPE'));
  });

  test('a kernel computing in float64 is KernelError NB6001 with line and column', () => {
    const make = () => nb.vectorize(['int32(int32, int32)'], { target: 'gpu' })((a: number, b: number) => a / b);
    expect(make).toThrow(nb.KernelError);
    try {
      make();
    } catch (e) {
      const k = e as InstanceType<typeof nb.KernelError>;
      expect(k.code).toBe('NB6001');
      expect(k.line).toBe(1);
      expect(k.column).toBeGreaterThan(0);
      expect(k.message).toMatch(/float64/);
    }
  });

  test('reading a gpu array from JS is E_GPU_RESIDENT; out= must be a gpu array', async () => {
    const g = await nb.toGpu(arr('float32', [1, 2, 3]));
    expect(() => g.get(0)).toThrowError(code('E_GPU_RESIDENT'));
    expect(() => g.toArray()).toThrowError(code('E_GPU_RESIDENT'));
    expect(() => g.toArray()).toThrow(/toCpu/);
    expect(String(g)).toMatch(/on the GPU/);
  });

  test('a disposed gpu array is E_GPU_DISPOSED; where= and multi-output ufuncs are E_GPU_NO_KERNEL', async () => {
    const g = await nb.toGpu(arr('float32', [1, 2, 3]));
    const h = await nb.toGpu(arr('float32', [1, 2, 3]));
    h.dispose();
    expect(() => nb.add(g, h)).toThrowError(code('E_GPU_DISPOSED'));
    await expect(nb.toCpu(h)).rejects.toThrowError(code('E_GPU_DISPOSED'));
    expect(() => nb.add(g, g, { where: arr('bool', [true, false, true]) } as never)).toThrowError(code('E_GPU_NO_KERNEL'));
    expect(() => nb.modf(g)).toThrowError(code('E_GPU_NO_KERNEL'));
  });

  test('work the GPU rejects is a TargetError E_GPU_VALIDATION at the next await', async () => {
    const ctx = await gpuDevice();
    scoped(ctx, () => ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.MAP_WRITE }));
    await expect(checkGpuErrors(ctx)).rejects.toThrowError(code('E_GPU_VALIDATION'));
    await checkGpuErrors(ctx); // reported once
  });

  test('a lost device: old arrays are E_GPU_DEVICE_LOST, the next toGpu and call get a new device', async () => {
    const f = nb.vectorize(['float32(float32)'], { target: 'gpu' })((x: number) => x * 2) as unknown as AnyFn;
    const old = await nb.toGpu(arr('float32', [1, 2]));
    const before = (await gpuDevice()).generation;
    await gpuTestHooks.loseDevice();
    expect(() => nb.add(old, 1)).toThrowError(code('E_GPU_DEVICE_LOST'));
    await expect(nb.toCpu(old)).rejects.toThrowError(code('E_GPU_DEVICE_LOST'));
    await expect(f(old)).rejects.toThrowError(code('E_GPU_DEVICE_LOST'));
    await expect(nb.toCpu(old)).rejects.toThrow(/upload it again/);
    const fresh = await nb.toGpu(arr('float32', [1, 2]));
    expect((await gpuDevice()).generation).toBeGreaterThan(before);
    expect((await nb.add(fresh, 1).toCpu()).toArray()).toEqual([2, 3]);
    expect((await f(arr('float32', [3]))).toArray()).toEqual([6]);
    expect((await (await f(fresh)).toCpu()).toArray()).toEqual([2, 4]);
  });

  test('nb.gpuShutdown(), then a new call opens a new device', async () => {
    const g = await nb.toGpu(arr('int32', [5]));
    await nb.gpuShutdown();
    expect(() => nb.add(g, 1)).toThrowError(code('E_GPU_DEVICE_LOST'));
    const f = nb.vectorize(['int32(int32)'], { target: 'gpu' })((x: number) => x + 1) as unknown as AnyFn;
    expect((await f(arr('int32', [1, 2]))).toArray()).toEqual([2, 3]);
    const info = await nb.gpuInfo();
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });
});

describe('no adapter (runs without a GPU too)', () => {
  test('gpuTestHooks.setNoAdapter(true): TargetError E_GPU_UNAVAILABLE with the fixes; restored after', async () => {
    gpuTestHooks.setNoAdapter(true);
    try {
      await expect(nb.toGpu(arr('float32', [1]))).rejects.toThrowError(code('E_GPU_UNAVAILABLE'));
      await expect(gpuDevice()).rejects.toThrow(nb.TargetError);
      await expect(nb.gpuInfo()).rejects.toThrow(/lavapipe/);
      const f = nb.vectorize(['float32(float32)'], { target: 'gpu' })((x: number) => x + 1) as unknown as AnyFn;
      await expect(f(arr('float32', [1]))).rejects.toThrowError(code('E_GPU_UNAVAILABLE'));
      expect(await nb.gpuAvailable()).toBe(false);
    } finally {
      gpuTestHooks.setNoAdapter(false);
    }
    expect(await nb.gpuAvailable()).toBe(hasGpu);
  });
});
