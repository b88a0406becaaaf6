/**
 * nb.stencil's tiers (src/stencil/js-tier.ts, src/compiler/emit/js/stencil.ts,
 * src/vectorize/tier.ts): a cpu or parallel stencil's new signature runs the JS emitted from
 * the same IR at once, its Wasm compiles in the background, and calls switch when it lands.
 * Both tiers are checked against the plain-JS reference (test/helpers/stencil-reference.ts)
 * and against each other bit for bit; the whole stencil suites also run on the JS tier
 * (test/stencil/js-tier-suites.test.ts).
 */
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { injectCompilerFault } from '../../src/vectorize/compile-sync.js';
import { AscCompileError } from '../../src/compiler/index.js';
import { reference } from '../helpers/stencil-reference.js';
import { errorOf } from '../helpers/errors.js';

type Acc = (...o: number[]) => number;
const MODES = ['constant', 'nearest', 'reflect', 'mirror', 'wrap'] as const;
let made = 0;
/** A name unique to this call (in the module's source: no compile cache holds it). */
const unique = (base: string) => `${base}_${process.pid}_${Date.now()}_${made++}`;

afterEach(() => {
  injectCompilerFault(null);
  nb.config({ tier: 'auto' });
});
afterAll(async () => {
  await nb.shutdown();
});

const blur = (a: Acc) => 0.25 * (a(-1, 0) + a(1, 0) + a(0, -2) + a(0, 1)) - a(0, 0) / 3;
const blurRef = (a: Acc) => 0.25 * (a(-1, 0) + a(1, 0) + a(0, -2) + a(0, 1)) - a(0, 0) / 3;

describe('parity of the JS and Wasm tiers', () => {
  it('property: every mode, cval, stride and shape gives the reference values on both tiers, bit for bit alike', () => {
    const tiers = new Map<string, nb.Stencil>();
    const get = (tier: 'js' | 'wasm', mode: typeof MODES[number], stride: number, cval: number) => {
      const key = `${tier}/${mode}/${stride}/${cval}`;
      let s = tiers.get(key);
      if (s === undefined) tiers.set(key, (s = nb.stencil(blur, { tier, mode, stride, cval, signature: 'float64(float64)' })));
      return s;
    };
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...MODES), fc.constantFrom(1, 2), fc.constantFrom(0, 2.5),
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 63, maxLength: 63 }),
      (m, n, mode, stride, cval, pool) => {
        const data = pool.slice(0, m * n);
        while (data.length < m * n) data.push(data.length);
        const a = nb.array(data).reshape([m, n]);
        const want = reference(blurRef, [data], [m, n], { mode, cval, stride: [stride, stride] });
        const [js, wasm] = (['js', 'wasm'] as const).map((t) => get(t, mode, stride, cval)(a));
        expect(js!.shape).toEqual(want.shape);
        expect(js!.toArray()).toEqual(wasm!.toArray());
        expect((js!.toArray() as number[][]).flat()).toEqual(want.data);
      },
    ), { numRuns: 60 });
  });

  it('integer and bool dtypes, table constants and helpers, strided views and out=', () => {
    const LUT = new Int32Array([7, -3, 11]);
    const clamp = (x: number) => Math.min(Math.max(x, 0), 2);
    const k = (a: Acc, b: Acc) => LUT[clamp(a(0, 1) & 3)]! * b(-1, 0) + a(1, 1);
    const a = nb.array(Array.from({ length: 30 }, (_, i) => (i * 7) % 13), { dtype: 'int32' }).reshape([5, 6]);
    const b = nb.array(Array.from({ length: 30 }, (_, i) => 200 + i), { dtype: 'uint8' }).reshape([5, 6]);
    const run = (tier: 'js' | 'wasm') => {
      const s = nb.stencil(k, { tier, mode: 'reflect', constants: { LUT }, helpers: { clamp } });
      const out = nb.zeros([3, 3], 'int64');
      const s2 = nb.stencil(k, { tier, mode: 'wrap', stride: 2, constants: { LUT }, helpers: { clamp } });
      s2(a.T.slice('1:'), b.T.slice('1:'), { out });
      const flags = nb.stencil((x: (...o: number[]) => boolean) => x(-1) !== x(1), { tier, mode: 'nearest' })(nb.array([true, false, false, true, true], { dtype: 'bool' }));
      return [s(a, b).toArray(), out.toArray(), flags.toArray()];
    };
    const [js, wasm] = [run('js'), run('wasm')];
    expect(js).toEqual(wasm);
    const plain = (get: (i: number, j: number) => number, getB: (i: number, j: number) => number, m: number, n: number, i: number, j: number) => {
      const r = (x: number, len: number) => { const p = 2 * len; const q = ((x % p) + p) % p; return q < len ? q : p - 1 - q; };
      return LUT[clamp(get(r(i, m), r(j + 1, n)) & 3)]! * getB(r(i - 1, m), r(j, n)) + get(r(i + 1, m), r(j + 1, n));
    };
    const ga = (i: number, j: number) => a.get(i, j) as number;
    const gb = (i: number, j: number) => b.get(i, j) as number;
    expect((js[0] as number[][])[2]![3]).toBe(plain(ga, gb, 5, 6, 2, 3));
    expect((js[0] as number[][])[0]![5]).toBe(plain(ga, gb, 5, 6, 0, 5));
    expect(js[2]).toEqual([true, true, true, true, false]);
  });

  it('a table read out of bounds is the same IndexError E_KERNEL_BOUNDS on both tiers', () => {
    const T = new Float64Array([1, 2]);
    const messages = (['js', 'wasm'] as const).map((tier) => {
      const e = errorOf(() => nb.stencil((a: Acc) => T[a(0) | 0]!, { tier, constants: { T }, signature: 'float64(int32)', name: 'lut' })(nb.array([0, 1, 5], { dtype: 'int32' })));
      expect(e).toBeInstanceOf(nb.IndexError);
      expect(e.code).toBe('E_KERNEL_BOUNDS');
      return e.message;
    });
    expect(messages[0]).toBe(messages[1]);
  });
});

describe('the default tier', () => {
  it('eager: JS at the factory call, Wasm after .ready, the same values', async () => {
    const s = nb.stencil(blur, { signature: 'float64(float64)', mode: 'mirror', name: unique('blur') });
    expect(s.tier).toBe('js');
    const a = nb.array(Array.from({ length: 48 }, (_, i) => Math.sin(i) * 10)).reshape([6, 8]);
    const before = s(a).toArray();
    await s.ready;
    expect(s.tier).toBe('wasm');
    expect(s(a).toArray()).toEqual(before);
    expect((before as number[][]).flat()).toEqual(reference(blurRef, [(a.toArray() as number[][]).flat()], [6, 8], { mode: 'mirror' }).data);
  });

  it('lazy: each new dtype starts on the JS tier; a stream of calls switches without a wrong result', async () => {
    const s = nb.stencil((a: Acc) => a(-1) * 3 + a(1), { mode: 'wrap', name: unique('lazy') });
    expect(s.tier).toBe('wasm'); // nothing compiled yet
    const x = nb.array([1, 2, 3, 4, 5], { dtype: 'int16' });
    const want = [2 + 15, 3 + 3, 4 + 6, 5 + 9, 1 + 12];
    const seen = { js: 0, wasm: 0 };
    for (let k = 0; k < 100000 && seen.wasm < 20; k++) {
      expect(s(x).toArray()).toEqual(want);
      seen[s.tier]++;
      if (k % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(seen.js).toBeGreaterThan(0);
    expect(s(nb.array([0.5, 1, 2])).toArray()).toEqual([2 * 3 + 1, 0.5 * 3 + 2, 1 * 3 + 0.5]);
    expect(s.tier).toBe('js');
    await s.ready;
    expect(s.tier).toBe('wasm');
  });

  it("the parallel target runs the JS tier on this thread before its Wasm is ready, then the pool's", async () => {
    const s = nb.stencil(blur, { target: 'parallel', signature: 'float64(float64)', mode: 'wrap', name: unique('par') });
    expect(s.tier).toBe('js');
    const a = nb.array(Array.from({ length: 400 }, (_, i) => ((i * 37) % 101) + 0.25)).reshape([20, 20]);
    const want = reference(blurRef, [(a.toArray() as number[][]).flat()], [20, 20], { mode: 'wrap' }).data;
    expect((s(a).toArray() as number[][]).flat()).toEqual(want);
    await s.ready;
    expect(s.tier).toBe('wasm');
    expect((s(a).toArray() as number[][]).flat()).toEqual(want);
  });

  it("tier 'wasm' blocks; tier 'js' never compiles; a cached module lands at once; bad values are typed errors", async () => {
    const name = unique('w');
    const w = nb.stencil(blur, { signature: 'float64(float64)', tier: 'wasm', name });
    expect(w.tier).toBe('wasm');
    // The same module, held in memory by its AS source, lands once this job is done (src/vectorize/tier.ts
    // add()): by the next macrotask, far sooner than any compile.
    const again = nb.stencil(blur, { signature: 'float64(float64)', name });
    await new Promise((r) => setImmediate(r));
    expect(again.tier).toBe('wasm');
    nb.config({ tier: 'js' });
    const j = nb.stencil(blur, { signature: 'float64(float64)', name: unique('j') });
    await j.ready;
    expect(j.tier).toBe('js');
    expect(() => nb.stencil(blur, { tier: 'fast' as never })).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
  });
});

describe('background compile failures', () => {
  it('asc rejecting the module: .ready rejects, one warning, the JS tier keeps answering', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      injectCompilerFault('throw');
      const s = nb.stencil((a: Acc) => a(-1) - a(1), { signature: 'float64(float64)', mode: 'nearest', name: unique('bad') });
      expect(s(nb.array([1, 2, 4])).toArray()).toEqual([-1, -3, -2]);
      await expect(s.ready).rejects.toBeInstanceOf(AscCompileError);
      expect(s.tier).toBe('js');
      expect(s(nb.array([1, 5])).toArray()).toEqual([-4, -4]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/Wasm compile of kernel 'bad_.* failed; its calls keep running on the JS tier/);
    } finally {
      warn.mockRestore();
    }
  });
});
