/**
 * The transfer paths of the gpu target: toGpu's staged and writeBuffer uploads (and the
 * two copy primitives), toCpu's heap copy and zero-copy readback, pinned arrays, the
 * batching of kernels into one submit (uploads and readbacks keep their order with the
 * kernels queued before them), and arrays split over several GPU buffers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { setGpuCopyMethod } from '../../src/gpu/staging.js';
import { setGpuUploadMethod } from '../../src/gpu/upload.js';
import { setGpuChunkBytes } from '../../src/gpu/storage.js';
import { hasGpu } from './harness.js';

const ramp = (n: number) => nb.arange(n, undefined, undefined, 'float32');

describe.skipIf(!hasGpu)('gpu transfers', () => {
  afterEach(() => {
    setGpuUploadMethod('staging');
    setGpuCopyMethod('buffer');
    setGpuChunkBytes(null);
  });

  for (const upload of ['staging', 'writeBuffer'] as const) {
    for (const copy of ['buffer', 'set'] as const) {
      it(`round trip through toGpu (${upload}, ${copy}) and toCpu, every gpu dtype`, async () => {
        setGpuUploadMethod(upload);
        setGpuCopyMethod(copy);
        for (const [dt, values] of [['float32', [1.5, -0, NaN, Infinity, 3e38]], ['int32', [-2147483648, 2147483647, 0, -1]], ['uint32', [4294967295, 0, 7]], ['bool', [true, false, true]]] as const) {
          const a = nb.array(values as unknown as number[], { dtype: dt });
          const back = await nb.toCpu(await nb.toGpu(a));
          expect(back.storageKind).toBe('wasm');
          expect(back.dtype).toBe(dt);
          expect(back.toArray()).toEqual(a.toArray());
        }
      });
    }
  }

  it('toCpu with copy: false views the mapped staging memory; dispose releases it', async () => {
    const g = await nb.toGpu(ramp(1000));
    const z = await nb.toCpu(g, { copy: false });
    expect(z.storageKind).toBe('js');
    expect((z.toArray() as number[]).slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect((nb.add.reduce(z) as nb.NDArray).item()).toBe(499500); // numbats kernels read it through the heap
    z.dispose();
    expect(() => z.toArray()).toThrow(nb.NumbatsError);
    // the pooled staging buffer is reused by the next readback, which sees new data
    const z2 = await nb.toCpu(nb.multiply(g, 2), { copy: false });
    expect((z2.toArray() as number[])[999]).toBe(1998);
    // bool is always copied (u32 words on the device, bytes on the host)
    const b = await nb.toCpu(nb.less(g, 2), { copy: false });
    expect(b.storageKind).toBe('wasm');
    expect((b.toArray() as boolean[]).slice(0, 3)).toEqual([true, true, false]);
  });

  it('pinned arrays upload without a CPU copy and are usable again after the upload', async () => {
    const p = await nb.emptyPinned([4, 256], 'float32');
    (p.data as Float32Array).forEach((_, i, d) => (d[i] = i));
    const up = nb.toGpu(p);
    expect(() => p.data).toThrow(expect.objectContaining({ code: 'E_GPU_BUSY' }));
    const g = await up;
    (p.data as Float32Array).fill(-1); // writable again; the gpu copy is independent
    const back = await nb.toCpu(g);
    expect((back.toArray() as number[][])[3]![255]).toBe(1023);
    expect((await nb.toCpu(await nb.toGpu(p))).get(0, 0)).toBe(-1);
    await expect(nb.emptyPinned([2], 'bool')).rejects.toMatchObject({ code: 'E_GPU_DTYPE' });
    await expect(nb.emptyPinned([2], 'float64')).rejects.toMatchObject({ code: 'E_GPU_DTYPE' });
    p.dispose();
    expect(() => p.data).toThrow(expect.objectContaining({ code: 'E_GPU_DISPOSED' }));
  });

  it('kernels queued in one task run before a later upload into their operands is visible', async () => {
    const g = await nb.toGpu(ramp(64));
    const r = nb.add(g, 1); // queued, not yet submitted
    const r2 = nb.multiply(r, 2); // same pending command buffer
    const up = await nb.toGpu(ramp(64)); // flushes the pending kernels first
    const s = nb.add(r2, up);
    expect((await nb.toCpu(s)).get(10)).toBe((10 + 1) * 2 + 10);
  });

  it('arrays split over several GPU buffers round-trip and compute (chunk boundaries)', async () => {
    setGpuChunkBytes(4096); // 1024 elements a buffer
    const a = ramp(5000);
    const g = await nb.toGpu(a);
    expect((await nb.toCpu(g)).toArray()).toEqual(a.toArray());
    const r = await nb.toCpu(nb.add(g.slice('3:'), 1));
    expect(r.get(0)).toBe(4);
    expect(r.get(4996)).toBe(5000);
    const z = await nb.toCpu(g, { copy: false }); // several buffers: always a heap copy
    expect(z.storageKind).toBe('wasm');
  });

  it('vectorize calls made in one task share a submit and all give correct results', async () => {
    const f = nb.vectorize(['float32(float32, float32)'], { target: 'gpu' })((x: number, y: number) => x * y + 1) as unknown as (...a: unknown[]) => Promise<nb.NDArray>;
    const g = await nb.toGpu(ramp(1000));
    const outs = await Promise.all(Array.from({ length: 10 }, (_, k) => f(g, k)));
    for (let k = 0; k < 10; k++) expect((await nb.toCpu(outs[k]!)).get(999)).toBe(999 * k + 1);
  });
});

describe.skipIf(!hasGpu)('gpu dispatch geometry', () => {
  it('a 2-D grid of workgroups (past the per-dimension limit) covers every element once', async () => {
    const { setGpuMaxGroupsX, setGpuVec4 } = await import('../../src/gpu/dispatch.js');
    try {
      for (const v4 of [true, false]) {
        setGpuVec4(v4);
        setGpuMaxGroupsX(3); // 3 workgroups per row: 10,003 elements need many rows
        const a = nb.arange(10003, undefined, undefined, "int32");
        const g = await nb.toGpu(a);
        const r = (await nb.toCpu(nb.add(g, 1))).toArray() as number[];
        expect(r.every((x, i) => x === i + 1)).toBe(true);
        const t = (await nb.toCpu(nb.add(g.reshape([7, 1429]).T, 0))).toArray() as number[][];
        expect(t[1428]![6]).toBe(6 * 1429 + 1428);
      }
    } finally {
      setGpuMaxGroupsX(null);
      setGpuVec4(true);
    }
  });
});

describe.skipIf(!hasGpu)('gpu arrays: astype and copy', () => {
  it('cast and copy on the GPU with NumPy unsafe-cast semantics; results stay on the GPU', async () => {
    const g = await nb.toGpu(nb.array([1.7, -1.7, 3e9, -0.5, NaN], { dtype: 'float32' }));
    const i = g.astype('int32');
    expect(i.storageKind).toBe('gpu');
    expect((await i.toCpu()).toArray()).toEqual(nb.array([1.7, -1.7, 3e9, -0.5, NaN], { dtype: 'float32' }).astype('int32').toArray());
    const u = g.astype('uint32');
    expect((await u.toCpu()).toArray()).toEqual(nb.array([1.7, -1.7, 3e9, -0.5, NaN], { dtype: 'float32' }).astype('uint32').toArray());
    const b = g.astype('bool');
    expect((await b.toCpu()).toArray()).toEqual([true, true, true, true, true]);
    const m = await nb.toGpu(nb.arange(6, undefined, undefined, 'float32').reshape([2, 3]));
    const t = m.T.copy();
    expect(t.storageKind).toBe('gpu');
    expect((await t.toCpu()).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(() => g.astype('float64')).toThrow(expect.objectContaining({ code: 'E_GPU_DTYPE' }));
    expect(() => g.astype('int32', { casting: 'safe' })).toThrow(nb.CastingError);
  });
});

describe.skipIf(!hasGpu)('gpu queue', () => {
  it('a long synchronous loop of calls is submitted in batches and stays correct', async () => {
    const g = await nb.toGpu(nb.zeros([64], 'int32'));
    for (let i = 0; i < 1000; i++) nb.add(g, 1, { out: g }); // 1000 passes in one JS task
    expect((await nb.toCpu(g)).get(63)).toBe(1000);
  });
});
