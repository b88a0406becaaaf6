/**
 * The call protocol on the gpu: upload/readback of every gpu dtype, broadcasting, `out=`,
 * strided views, 0-size arrays, device-resident chains, arrays split over several
 * GPUBuffers, and guvectorize (row-wise dot, matmul with batch broadcasting and a
 * transposed input) against the cpu target.
 */
import { afterAll, describe, expect, test } from 'vitest';
import * as nb from '../../src/index.js';
import { setGpuChunkBytes, type GpuStorage } from '../../src/gpu/storage.js';
import type { NDArray } from '../../src/ndarray/ndarray.js';
import { arr, flat, hasGpu, mismatch, type AnyFn } from './harness.js';

const code = (c: string) => expect.objectContaining({ code: c });
const f32 = (shape: number[], seed = 1) => nb.array(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.fround(((i * 7 + seed * 13) % 23) - 11.5) / 4), { dtype: 'float32' }).reshape(shape) as NDArray;

describe.skipIf(!hasGpu)('gpu arrays: transfer and the call protocol', () => {
  afterAll(() => setGpuChunkBytes(null));

  test('upload / readback round trip for every gpu dtype (bool included)', async () => {
    const cases: [string, unknown[]][] = [
      ['float32', [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 3e38]],
      ['int32', [0, -1, 2147483647, -2147483648, 12345]],
      ['uint32', [0, 1, 4294967295, 2147483648]],
      ['bool', [true, false, false, true, true]],
    ];
    for (const [dt, v] of cases) {
      const a = nb.array(v as number[], { dtype: dt as 'float32' }).reshape([1, v.length]);
      const g = await nb.toGpu(a);
      expect(g.storageKind).toBe('gpu');
      expect(g.dtype).toBe(dt);
      expect(g.shape).toEqual([1, v.length]);
      const back = await g.toCpu();
      expect(back.storageKind).toBe('wasm');
      expect(back.toArray()).toEqual(a.toArray());
      expect(Object.is((back.toArray() as number[][])[0]![1], dt === 'float32' ? -0 : (a.toArray() as number[][])[0]![1])).toBe(true);
    }
    // toGpu of a gpu array and toCpu of a cpu array return them as they are.
    const g = await nb.toGpu(arr('int32', [1, 2]));
    expect(await nb.toGpu(g)).toBe(g);
    const c = arr('int32', [1]);
    expect(await nb.toCpu(c)).toBe(c);
  });

  test('broadcasting: (3,1) + (4,), scalar + array, array + scalar', async () => {
    const a = f32([3, 1]);
    const b = f32([4], 2);
    const [ga, gb] = [await nb.toGpu(a), await nb.toGpu(b)];
    const r = nb.add(ga, gb);
    expect(r.shape).toEqual([3, 4]);
    expect((await r.toCpu()).toArray()).toEqual(nb.add(a, b).toArray());
    expect((await nb.multiply(2.5, gb).toCpu()).toArray()).toEqual(nb.multiply(2.5, b).toArray());
    expect((await nb.subtract(gb, 1).toCpu()).toArray()).toEqual(nb.subtract(b, 1).toArray());
    const fma = nb.vectorize(['float32(float32, float32, float32)'], { target: 'gpu' })((x: number, y: number, z: number) => x * y + z) as unknown as AnyFn;
    const cpu = nb.vectorize(['float32(float32, float32, float32)'])((x: number, y: number, z: number) => x * y + z) as unknown as AnyFn;
    expect(flat(await fma(a, b, 3))).toEqual(flat(cpu(a, b, 3)));
    const onDev = await fma(ga, b, 3);
    expect(onDev.storageKind).toBe('gpu');
    expect(flat(await onDev.toCpu())).toEqual(flat(cpu(a, b, 3)));
  });

  test('out=: a gpu out is written and returned; a wrong shape is a ShapeError E_SHAPE_OUT', async () => {
    const a = f32([2, 3]);
    const ga = await nb.toGpu(a);
    const out = await nb.toGpu(nb.zeros([2, 3], 'float32'));
    const r = nb.multiply(ga, ga, { out });
    expect(r).toBe(out);
    expect((await out.toCpu()).toArray()).toEqual(nb.multiply(a, a).toArray());
    // out of another dtype gets the result through a cast (same_kind float32 -> float32 only here).
    const bad = await nb.toGpu(nb.zeros([3, 2], 'float32'));
    expect(() => nb.multiply(ga, ga, { out: bad })).toThrowError(code('E_SHAPE_OUT'));
    expect(() => nb.multiply(ga, ga, { out: bad })).toThrow(nb.ShapeError);
    // a gpu vectorize with a gpu out
    const sq = nb.vectorize(['float32(float32)'], { target: 'gpu' })((x: number) => x * x) as unknown as AnyFn;
    const out2 = await nb.toGpu(nb.zeros([2, 3], 'float32'));
    expect(await sq(ga, { out: out2 })).toBe(out2);
    expect((await out2.toCpu()).toArray()).toEqual(nb.multiply(a, a).toArray());
    await expect(sq(ga, { out: bad })).rejects.toThrowError(code('E_SHAPE_OUT'));
    // in place: out aliases the input exactly
    nb.add(ga, 1, { out: ga });
    expect((await ga.toCpu()).toArray()).toEqual(nb.add(a, 1).toArray());
  });

  test('strided views: transpose, [::-1], [::2], and a 0-size array', async () => {
    const a = f32([4, 6]);
    const g = await nb.toGpu(a);
    expect((await nb.add(g.T, 1).toCpu()).toArray()).toEqual(nb.add(a.T, 1).toArray());
    expect((await nb.toCpu(g.T)).toArray()).toEqual(a.T.toArray());
    const rev = g.slice(':', '::-1');
    expect((await nb.negative(rev).toCpu()).toArray()).toEqual(nb.negative(a.slice(':', '::-1')).toArray());
    const step = g.slice('::2', '1::2');
    expect((await nb.multiply(step, step).toCpu()).toArray()).toEqual(nb.multiply(a.slice('::2', '1::2'), a.slice('::2', '1::2')).toArray());
    const empty = await nb.toGpu(nb.zeros([0, 3], 'float32'));
    const e = nb.add(empty, 1);
    expect(e.shape).toEqual([0, 3]);
    expect((await e.toCpu()).toArray()).toEqual([]);
  });

  test('a chain of three device-resident calls, read back once', async () => {
    const a = f32([5, 7]);
    const g = await nb.toGpu(a);
    const sq = nb.vectorize(['float32(float32)'], { target: 'gpu' })((x: number) => x * x + 1) as unknown as AnyFn;
    const s1 = nb.sin(g);
    const s2 = await sq(s1);
    const s3 = nb.multiply(s2, g);
    for (const s of [s1, s2, s3]) expect(s.storageKind).toBe('gpu');
    const want = nb.multiply(nb.add(nb.multiply(nb.sin(a), nb.sin(a)), 1), a);
    expect(mismatch('float32', flat(await s3.toCpu()), flat(want), [], 1e-5)).toBeNull();
  });

  test('arrays split over several GPUBuffers (elementwise with broadcast; a strided chunked operand is E_GPU_LIMIT)', async () => {
    setGpuChunkBytes(4096);
    try {
      const n = 10_000;
      const a = nb.array(Array.from({ length: n }, (_, i) => i % 97), { dtype: 'float32' }).reshape([100, 100]) as NDArray;
      const b = f32([100]);
      const ga = await nb.toGpu(a);
      expect((ga.storage as unknown as GpuStorage).buffers.length).toBeGreaterThan(1);
      const r = nb.add(ga, b);
      expect((r.storage as unknown as GpuStorage).buffers.length).toBeGreaterThan(1);
      expect((await r.toCpu()).toArray()).toEqual(nb.add(a, b).toArray());
      const ints = nb.arange(0, n, 1, 'int32') as NDArray;
      const gi = await nb.toGpu(ints);
      expect((await nb.multiply(gi, 3).toCpu()).toArray()).toEqual(nb.multiply(ints, 3).toArray());
      expect(() => nb.add(ga.T, 1)).toThrowError(code('E_GPU_LIMIT'));
    } finally {
      setGpuChunkBytes(null);
    }
  });
});

describe.skipIf(!hasGpu)('guvectorize on the gpu vs the cpu target', () => {
  type G = (a: Float32Array, b: Float32Array, out: Float32Array) => void;
  const rowdotK: G = (a, b, out) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    out[0] = s;
  };
  const matmulK = (a: any, b: any, c: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let i = 0; i < c.length; i++) {
      for (let j = 0; j < c[0].length; j++) {
        let s = 0;
        for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    }
  };

  test('row-wise dot (n),(n)->() with batch broadcasting (float32 sums within 1e-5)', async () => {
    const sigs = ['void(float32[:], float32[:], float32[:])', 'void(int32[:], int32[:], int32[:])'];
    const gpu = nb.guvectorize(sigs, '(n),(n)->()', { target: 'gpu' })(rowdotK) as unknown as AnyFn;
    const cpu = nb.guvectorize(sigs, '(n),(n)->()')(rowdotK) as unknown as AnyFn;
    const a = f32([2, 3, 17]);
    const b = f32([3, 17], 5);
    expect(mismatch('float32', flat(await gpu(a, b)), flat(cpu(a, b)), [], 1e-5)).toBeNull();
    const ia = nb.arange(0, 60, 1, 'int32').reshape([4, 15]) as NDArray;
    expect(flat(await gpu(ia, ia))).toEqual(flat(cpu(ia, ia)));
    const g = await gpu(await nb.toGpu(a), b);
    expect(g.storageKind).toBe('gpu');
    expect(g.shape).toEqual([2, 3]);
  });

  test('matmul (m,n),(n,p)->(m,p): batched, broadcast, with a transposed input', async () => {
    const sigs = ['void(float32[:,:], float32[:,:], float32[:,:])', 'void(int32[:,:], int32[:,:], int32[:,:])'];
    const gpu = nb.guvectorize(sigs, '(m,n),(n,p)->(m,p)', { target: 'gpu' })(matmulK) as unknown as AnyFn;
    const cpu = nb.guvectorize(sigs, '(m,n),(n,p)->(m,p)')(matmulK) as unknown as AnyFn;
    const a = f32([2, 3, 4]);
    const b = f32([4, 5], 3);
    const close = (x: NDArray, y: NDArray) => expect(mismatch('float32', flat(x), flat(y), [], 1e-5)).toBeNull();
    close(await gpu(a, b), cpu(a, b));
    const bt = f32([5, 4], 4).T;
    close(await gpu(a, bt), cpu(a, bt));
    close(await gpu(await nb.toGpu(a), await nb.toGpu(f32([5, 4], 4)).then((x) => x.T)).then((r: NDArray) => r.toCpu()), cpu(a, bt));
    const ia = nb.arange(0, 24, 1, 'int32').reshape([2, 3, 4]) as NDArray;
    const ib = nb.arange(0, 8, 1, 'int32').reshape([4, 2]) as NDArray;
    expect((await gpu(ia, ib)).toArray()).toEqual(cpu(ia, ib).toArray());
    expect((await gpu(ia, ib)).toArray()).toEqual(nb.matmul(ia, ib).toArray());
    await expect(gpu(a, f32([3, 5]))).rejects.toThrow(nb.ShapeError);
  });
});
