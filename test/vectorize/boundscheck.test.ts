/**
 * Checked indexing by default (issue 13 item 7): on the cpu, parallel and gpu targets an
 * out-of-bounds read or write in a guvectorize kernel throws IndexError `E_KERNEL_BOUNDS`
 * with the kernel's line and column, and nothing is written outside the array (a planted
 * write leaves the neighbouring memory bit-identical); `boundscheck: false` removes the
 * checks; the option is validated and is part of the compile-cache key. What the compiler
 * proves (no check emitted) is in test/compiler/bounds-check.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { boundsReportsFromWorkers } from '../../src/parallel/pool.js';
import { cacheKey } from '../../src/vectorize/cache.js';

// These tests check the Wasm tier's traps (parallel workers, module globals): kernels made here
// wait for their Wasm. The JS tier's errors are checked against these in test/vectorize/tiers.test.ts.
nb.config({ tier: 'wasm' });

const hasGpu = await nb.gpuAvailable().catch(() => false);
if (!hasGpu) console.warn('[boundscheck tests] gpu cases SKIPPED: no WebGPU adapter');

const DEFAULTS = nb.config().parallel;
afterAll(async () => {
  nb.config({ parallel: { ...DEFAULTS } });
  await nb.shutdown();
});

type Target = 'cpu' | 'parallel' | 'gpu';
const TARGETS: Target[] = ['cpu', 'parallel', 'gpu'];

/** A kernel from source text: its toString() is exactly `src`, so lines and columns are src's. */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const kernel = (src: string) => new Function(`return ${src}`)() as (...a: any[]) => void; // any parameters: kernels from source text are not checked against their signatures

/** 1-based line and column of the `nth` occurrence of `what` in src. */
function where(src: string, what: string, nth = 0): { line: number; column: number } {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = src.indexOf(what, at + 1);
  const before = src.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Make a gufunc on `target` (float32, so that one kernel runs everywhere). */
function make(target: Target, sig: string, layout: string, src: string, options: nb.GuvectorizeOptions = {}) {
  return nb.guvectorize(sig, layout, { target, ...options })(kernel(src)) as unknown as (...a: unknown[]) => unknown;
}

/** Run a call (sync or a Promise) and return what it threw. */
async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return null;
}

/** Assert e is the IndexError of a failed check with these details. */
function expectBounds(e: unknown, d: { index: number | bigint; axis: number; array: string; size: number; write: boolean; line: number; column: number }): void {
  expect(e).toBeInstanceOf(nb.IndexError);
  const err = e as nb.IndexError;
  expect(err.code).toBe('E_KERNEL_BOUNDS');
  expect(err.message).toContain(`index ${d.index} is out of bounds for axis ${d.axis} of '${d.array}' with size ${d.size}`);
  expect(err.message).toContain(`(a ${d.write ? 'write' : 'read'}, line ${d.line}, column ${d.column})`);
}

/** Bytes of an array's data (a CPU copy for gpu arrays). */
async function bytes(a: nb.NDArray): Promise<Uint8Array> {
  const c = (await a.toCpu()).copy();
  return new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength).slice();
}

const onDevice = async (t: Target, a: nb.NDArray) => (t === 'gpu' ? nb.toGpu(a) : a);

describe.each(TARGETS)('target %s', (target) => {
  const skip = target === 'gpu' && !hasGpu;
  // parallel: every call is cut into blocks on the pool, however small.
  beforeAll(() => {
    if (target === 'parallel') nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
  });

  it.skipIf(skip)('a read at index == length (a[i + 1]): E_KERNEL_BOUNDS with the line and column', async () => {
    const src = '(a, o) => {\n  for (let i = 0; i < a.length; i++) {\n    o[i] = a[i + 1] - a[i];\n  }\n}';
    const f = make(target, 'void(f4[:], f4[:])', '(n)->(n)', src);
    const a = await onDevice(target, nb.ones([64, 5], 'float32'));
    expectBounds(await thrown(() => f(a)), { index: 5, axis: 0, array: 'a', size: 5, write: false, ...where(src, 'a[i + 1]') });
  });

  it.skipIf(skip)('a negative read (a[i - 1] from 0)', async () => {
    const src = '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i - 1]; }';
    const f = make(target, 'void(f4[:], f4[:])', '(n)->(n)', src);
    expectBounds(await thrown(async () => f(await onDevice(target, nb.ones([3, 4], 'float32')))), { index: -1, axis: 0, array: 'a', size: 4, write: false, ...where(src, 'a[i - 1]') });
  });

  it.skipIf(skip)('a planted write at index == length: the neighbouring memory stays bit-identical', async () => {
    const src = '(a, o) => {\n  for (let i = 0; i <= a.length; i++) o[i] = a[i] * 2;\n}';
    const f = make(target, 'void(f4[:], f4[:])', '(n)->(n)', src);
    // The output is columns 0..7 of a (16, 9) array: o[8] of each row is column 8, the
    // neighbour inside the same buffer; `after` is a whole array allocated next to it.
    const whole = await onDevice(target, nb.full([16, 9], 7, 'float32'));
    const after = await onDevice(target, nb.full([16], 5, 'float32'));
    const [w0, n0] = [await bytes(whole.slice(':', '8')), await bytes(after)];
    const e = await thrown(async () => f(await onDevice(target, nb.ones([16, 8], 'float32')), { out: whole.slice(':', '0:8') }));
    expectBounds(e, { index: 8, axis: 0, array: 'o', size: 8, write: true, ...where(src, 'o[i]') });
    expect(await bytes(whole.slice(':', '8'))).toEqual(w0);
    expect(await bytes(after)).toEqual(n0);
  });

  it.skipIf(skip)('a negative write (o[-1])', async () => {
    const src = '(a, o) => { o[a.length - 5] = 1; for (let i = 0; i < a.length; i++) o[i] = a[i]; }';
    const f = make(target, 'void(f4[:], f4[:])', '(n)->(n)', src);
    const whole = await onDevice(target, nb.full([4, 5], 3, 'float32'));
    const before = await bytes(whole.slice(':', '0'));
    expectBounds(await thrown(async () => f(await onDevice(target, nb.ones([4, 4], 'float32')), { out: whole.slice(':', '1:') })), { index: -1, axis: 0, array: 'o', size: 4, write: true, ...where(src, 'o[a.length - 5]') });
    expect(await bytes(whole.slice(':', '0'))).toEqual(before);
  });

  it.skipIf(skip)('2-D core arrays: a[i][j] past axis 1 (read), c[i][j] past axis 0 (write)', async () => {
    const read = '(a, o) => {\n  for (let i = 0; i < a.length; i++) {\n    let s = 0;\n    for (let j = 0; j <= a[i].length; j++) s += a[i][j];\n    o[i] = s;\n  }\n}';
    const f = make(target, 'void(f4[:,:], f4[:])', '(m,n)->(m)', read);
    expectBounds(await thrown(async () => f(await onDevice(target, nb.ones([2, 3, 4], 'float32')))), { index: 4, axis: 1, array: 'a', size: 4, write: false, ...where(read, 'a[i][j]') });
    const write = '(a, c) => {\n  for (let i = 0; i < a.length; i++)\n    for (let j = 0; j < a[0].length; j++)\n      c[i + 1][j] = a[i][j];\n}';
    const g = make(target, 'void(f4[:,:], f4[:,:])', '(m,n)->(m,n)', write);
    expectBounds(await thrown(async () => g(await onDevice(target, nb.ones([3, 4], 'float32')))), { index: 3, axis: 0, array: 'c', size: 3, write: true, ...where(write, 'c[i + 1]') });
  });

  it.skipIf(skip)('c ? a[i + 1] : x reads a[i + 1] only when c holds (WGSL evaluates both values of a select)', async () => {
    const good = make(target, 'void(f4[:], f4[:])', '(n)->(n)', '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = i + 1 < a.length ? a[i + 1] : -1; }');
    const r = (await good(await onDevice(target, nb.arange(4, { dtype: 'float32' })))) as nb.NDArray;
    expect((await r.toCpu()).toArray()).toEqual([1, 2, 3, -1]);
    const src = '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = i + 1 < a.length ? -1 : a[i + 1]; }';
    const bad = make(target, 'void(f4[:], f4[:])', '(n)->(n)', src);
    expectBounds(await thrown(async () => bad(await onDevice(target, nb.arange(4, { dtype: 'float32' })))), { index: 4, axis: 0, array: 'a', size: 4, write: false, ...where(src, 'a[i + 1]') });
  });

  it.skipIf(skip)('the next call works; in-range kernels give the same results with boundscheck: false', async () => {
    const src = '(a, k, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i + k]; }';
    const f = make(target, 'void(f4[:], i4, f4[:])', '(n),()->(n)', src);
    const a = nb.arange(12, { dtype: 'float32' }).reshape([3, 4]);
    expectBounds(await thrown(async () => f(await onDevice(target, a), 1)), { index: 4, axis: 0, array: 'a', size: 4, write: false, ...where(src, 'a[i + k]') });
    const ok = (await f(await onDevice(target, a), 0)) as nb.NDArray;
    expect((await ok.toCpu()).toArray()).toEqual(a.toArray());
    const inRange = '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[a.length - 1 - i]; }';
    const [c, u] = [make(target, 'void(f4[:], f4[:])', '(n)->(n)', inRange), make(target, 'void(f4[:], f4[:])', '(n)->(n)', inRange, { boundscheck: false })];
    const [rc, ru] = [(await c(await onDevice(target, a))) as nb.NDArray, (await u(await onDevice(target, a))) as nb.NDArray];
    expect(await bytes(ru)).toEqual(await bytes(rc));
    expect((await bytes(rc)).length).toBe(48);
  });
});

describe('parallel target: blocks on the workers', () => {
  it('a worker reports the failed check (site, index, size) and the call throws E_KERNEL_BOUNDS', () => {
    nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
    // Each row is slow, and only rows 2..3 (the second of eight blocks) index past o: the
    // calling thread is still busy with the first block when a worker takes the second.
    const src = '(a, k, o) => {\n  let s = 0;\n  for (let r = 0; r < 400000; r++) for (let i = 0; i < a.length; i++) s += a[i];\n  o[0] = s;\n  if (k > 0) o[1] = s;\n}';
    const f = make('parallel', 'void(f8[:], f8, f8[:])', '(n),()->()', src);
    const a = nb.ones([16, 8]);
    const k = nb.zeros([16]);
    f(a, k); // starts the pool
    k.set(2, 1);
    k.set(3, 1);
    const before = boundsReportsFromWorkers();
    for (let tries = 0; tries < 10 && boundsReportsFromWorkers() === before; tries++) {
      let e: unknown;
      try {
        f(a, k);
      } catch (x) {
        e = x;
      }
      expectBounds(e, { index: 1, axis: 0, array: 'o', size: 1, write: true, ...where(src, 'o[1]') });
    }
    expect(boundsReportsFromWorkers()).toBeGreaterThan(before);
  }, 120_000);

  it('callAsync rejects with the same IndexError', async () => {
    const f = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { target: 'parallel' })(kernel('(a, o) => { o[0] = a[a.length]; }'));
    await expect(f.callAsync(nb.ones([1000, 4]))).rejects.toMatchObject({ code: 'E_KERNEL_BOUNDS' });
  });
});

describe('the option', () => {
  it('is accepted by vectorize, guvectorize and stencil, and validated (E_VALUE_OPTION)', () => {
    expect(nb.vectorize('f8(f8)', { boundscheck: false })((x: number) => x + 1)(1).toArray()).toEqual(2);
    expect(nb.stencil((a: (i: number) => number) => a(-1) + a(1), { boundscheck: true, mode: 'wrap' })(nb.array([0, 1, 2], { dtype: 'float64' })).toArray()).toEqual([3, 2, 1]);
    for (const make of [
      () => nb.vectorize('f8(f8)', { boundscheck: 1 as never }),
      () => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { boundscheck: 'no' as never }),
      () => nb.stencil((a: (i: number) => number) => a(0), { boundscheck: null as never }),
    ]) {
      expect(make).toThrow(expect.objectContaining({ code: 'E_VALUE_OPTION', message: expect.stringContaining('boundscheck') }));
    }
  });

  it('is part of the compile-cache key: checked and unchecked modules never share an entry', () => {
    const src = 'export function f(): void {}';
    expect(cacheKey(src, 'cpu', 1024, false)).not.toBe(cacheKey(src, 'cpu', 1024, true));
    expect(cacheKey(src, 'cpu', 1024)).toBe(cacheKey(src, 'cpu', 1024, true));
    const body = '(a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i]; }';
    const [c, u] = [true, false].map((boundscheck) => nb.guvectorize('void(f8[:], f8[:])', '(n)->(n)', { boundscheck })(kernel(body)));
    // Every index here is proven: the same AS, yet distinct keys.
    expect(c!.kernels[0]!.asSource).toBe(u!.kernels[0]!.asSource);
    expect(c!.kernels[0]!.key).not.toBe(u!.kernels[0]!.key);
  });

  it('boundscheck: false emits no check where the default does', () => {
    const body = '(a, o) => { o[0] = a[a.length - 1]; }';
    const [c, u] = [true, false].map((boundscheck) => nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { boundscheck })(kernel(body)));
    expect(c!.kernels[0]!.asSource).toMatch(/__bc\(/);
    expect(u!.kernels[0]!.asSource).not.toMatch(/__bc/);
    expect(u!(nb.arange(4, { dtype: 'float64' })).toArray()).toEqual(3);
  });
});
