/**
 * Tiered compilation (issue 15 item 1, src/vectorize/tier.ts): the JS tier and the Wasm tier
 * of the same kernels give the same results as an independent plain-JS reference, across
 * dtypes, broadcasting, views, out/where, the ufunc methods and gufunc core dims; errors
 * are the same on both; the default tier runs JS first and switches to Wasm when `.ready`
 * settles; a failed background compile rejects `.ready` and leaves the JS tier running;
 * the background compile never keeps the process alive, but an awaited `.ready` does.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as nb from '../../src/index.js';
import { injectCompilerFault } from '../../src/vectorize/compile-sync.js';
import { setDirectWasm } from '../../src/vectorize/tiered-kernels.js';
import { AscCompileError } from '../../src/compiler/index.js';

type Tiered = { readonly tier: 'js' | 'wasm'; readonly ready: Promise<void> };
const tierOf = (f: unknown) => (f as Tiered).tier;
const readyOf = (f: unknown) => (f as Tiered).ready;

const PINNED = ['js', 'wasm'] as const;

afterEach(() => {
  injectCompilerFault(null);
  nb.config({ tier: 'auto' });
});

/** Deterministic values of a dtype (wrapping ones included for the integers). */
function values(d: nb.DType, n: number, seed: number): number[] | bigint[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = Array.from({ length: n }, () => next());
  switch (d) {
    case 'float64': return out.map((u) => (u - 0.5) * 1e3);
    case 'float32': return out.map((u) => Math.fround((u - 0.5) * 1e3));
    case 'int32': return out.map((u) => Math.floor((u - 0.5) * 2 ** 32) | 0);
    case 'uint8': return out.map((u) => Math.floor(u * 256));
    case 'int64': return out.map((u) => BigInt.asIntN(64, BigInt(Math.floor((u - 0.5) * 2 ** 52)) * 4099n));
    default: throw new Error(d);
  }
}

/** x * y + 1 evaluated in plain JS at dtype d (the kernel language's meaning: wrap / round). */
const FMA_REF: Record<string, (x: never, y: never) => number | bigint> = {
  float64: (x: number, y: number) => x * y + 1,
  float32: (x: number, y: number) => Math.fround(Math.fround(x * y) + 1),
  int32: (x: number, y: number) => (Math.imul(x, y) + 1) | 0,
  uint8: (x: number, y: number) => (x * y + 1) & 255,
  int64: (x: bigint, y: bigint) => BigInt.asIntN(64, x * y + 1n),
} as never;

const fmaKernel = (x: number, y: number) => x * y + 1;

describe('parity of the JS and Wasm tiers against plain JS', () => {
  for (const d of ['float64', 'float32', 'int32', 'uint8', 'int64'] as const) {
    it(`x * y + 1 on ${d}: contiguous, broadcast, strided views, out= and where=`, async () => {
      const ref = FMA_REF[d]!;
      const xs = values(d, 24, 1);
      const ys = values(d, 6, 2);
      const a = nb.array(xs as number[], { dtype: d }).reshape([4, 6]);
      const b = nb.array(ys as number[], { dtype: d });
      const mask = nb.array(Array.from({ length: 24 }, (_, i) => i % 3 !== 0)).reshape([4, 6]);
      for (const tier of PINNED) {
        const f = nb.vectorize(`${d}(${d}, ${d})`, { tier })(fmaKernel);
        expect(tierOf(f)).toBe(tier);
        // Broadcasting (4,6) with (6,).
        const r = f(a, b);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) expect(r.get(i, j)).toBe(ref(xs[i * 6 + j] as never, ys[j] as never));
        // A reversed, strided view (the general path) and the contiguous 1-d fast path.
        const v = a.slice('::-1', '::2');
        const rv = f(v, v);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) {
          const x = xs[(3 - i) * 6 + 2 * j] as never;
          expect(rv.get(i, j)).toBe(ref(x, x));
        }
        const flat = a.ravel();
        const rf = f(flat, flat);
        for (let i = 0; i < 24; i++) expect(rf.get(i)).toBe(ref(xs[i] as never, xs[i] as never));
        // out= and where=: untouched where false.
        const out = nb.full([4, 6], 7, d);
        f(a, b, { out, where: mask });
        for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) {
          const want = (i * 6 + j) % 3 !== 0 ? ref(xs[i * 6 + j] as never, ys[j] as never) : (d === 'int64' ? 7n : 7);
          expect(out.get(i, j)).toBe(want);
        }
      }
    });
  }

  it('reduce, accumulate, outer and at on both tiers', () => {
    const xs = [3, -1.5, 2.25, 8, 0.5, -4];
    const a = nb.array(xs).reshape([2, 3]);
    const fold = (row: number[]) => row.reduce((acc, x) => acc * x + 1);
    for (const tier of PINNED) {
      // No identity: not reorderable, so reduce folds in order (acc * x + 1).
      const f = nb.vectorize('f8(f8, f8)', { tier })(fmaKernel);
      expect(f.reduce(a, { axis: 1 }).toArray()).toEqual([fold(xs.slice(0, 3)), fold(xs.slice(3))]);
      expect(f.reduce(a, { axis: 0 }).toArray()).toEqual([0, 1, 2].map((j) => xs[j]! * xs[3 + j]! + 1));
      const acc = f.accumulate(nb.array(xs)).toArray() as number[];
      let run = xs[0]!;
      expect(acc).toEqual(xs.map((x, i) => (i === 0 ? run : (run = run * x + 1))));
      expect(f.outer(nb.array([1, 2]), nb.array([3, 4, 5])).toArray()).toEqual([[4, 5, 6], [7, 9, 11]]);
      const t = nb.array([1, 1, 1], { dtype: 'float64' });
      f.at(t, [0, 2, 2], 2);
      expect(t.toArray()).toEqual([3, 1, 7]);
    }
  });

  it('property: random int32 and float64 arrays give the same results on both tiers and in plain JS', () => {
    const fs = Object.fromEntries(PINNED.map((tier) => [tier, nb.vectorize(['int32(int32, int32)', 'float64(float64, float64)'], { tier })(
      (x: number, y: number) => (x > y ? x - y * 3 : x * y) % 1000,
    )]));
    const ref = (x: number, y: number, int: boolean) => {
      const v = x > y ? (int ? (x - Math.imul(y, 3)) | 0 : x - y * 3) : (int ? Math.imul(x, y) : x * y);
      return int ? (v % 1000) + 0 : v % 1000;
    };
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 40 }),
      fc.boolean(),
      (pairs, int) => {
        const dt = int ? 'int32' : 'float64';
        const x = nb.array(pairs.map((p) => p[0]), { dtype: dt });
        const y = nb.array(pairs.map((p) => p[1]), { dtype: dt });
        const want = pairs.map(([p, q]) => ref(p, q, int));
        for (const tier of PINNED) expect(fs[tier]!(x, y).toArray()).toEqual(want);
      },
    ), { numRuns: 40 });
  });

  it('transcendentals: within 1 ulp of each other and of Math; nb.math functions bit-identical', () => {
    const xs = nb.linspace(-20, 20, 401);
    const get = (tier: 'js' | 'wasm', k: (x: number) => number) => nb.vectorize('f8(f8)', { tier })(k)(xs).toArray() as number[];
    const ulp = (x: number) => Math.max(Number.MIN_VALUE, Math.abs(x) * 2 ** -52);
    for (const k of [(x: number) => Math.exp(x / 4), (x: number) => Math.sin(x), (x: number) => Math.log(Math.abs(x) + 1)]) {
      const [j, w] = [get('js', k), get('wasm', k)];
      const plain = (xs.toArray() as number[]).map(k);
      for (let i = 0; i < j.length; i++) {
        expect(Math.abs(j[i]! - w[i]!)).toBeLessThanOrEqual(ulp(plain[i]!));
        expect(j[i]).toBe(plain[i]); // the JS tier is V8's Math
      }
    }
    const erf = (x: number) => nb.math.erf(x / 8) + nb.math.lgamma(Math.abs(x) + 0.5);
    const [j, w] = [get('js', erf), get('wasm', erf)];
    expect(j).toEqual(w);
    expect(j).toEqual((xs.toArray() as number[]).map(erf));
  });

  it('gufunc core dims: (n),(n)->() and (m,n),(n,p)->(m,p) with batch broadcasting', () => {
    const A = nb.arange(24).reshape([2, 3, 4]);
    const B = nb.arange(8).reshape([4, 2]);
    const refMat = (b: number) => Array.from({ length: 3 }, (_, i) => Array.from({ length: 2 }, (_, j) => {
      let s = 0;
      for (let k = 0; k < 4; k++) s += (b * 12 + i * 4 + k) * (k * 2 + j);
      return s;
    }));
    for (const tier of PINNED) {
      const rowdot = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()', { tier })((a: Float64Array, b: Float64Array, out: Float64Array) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
        out[0] = s;
      });
      expect(tierOf(rowdot)).toBe(tier);
      const w = nb.array([1, -1, 2, 0.5]);
      expect(rowdot(A, w).toArray()).toEqual([0, 1].map((b) => [0, 1, 2].map((i) => {
        const r = [0, 1, 2, 3].map((k) => b * 12 + i * 4 + k);
        return r[0]! - r[1]! + 2 * r[2]! + 0.5 * r[3]!;
      })));
      const mm = nb.guvectorize('void(f8[:,:], f8[:,:], f8[:,:])', '(m,n),(n,p)->(m,p)', { tier })((a: Float64Array[], b: Float64Array[], c: Float64Array[]) => {
        for (let i = 0; i < a.length; i++) {
          for (let j = 0; j < b[0]!.length; j++) {
            let s = 0;
            for (let k = 0; k < b.length; k++) s += a[i]![k]! * b[k]![j]!;
            c[i]![j] = s;
          }
        }
      });
      expect(mm(A, B).toArray()).toEqual([refMat(0), refMat(1)]);
      // A transposed (strided) core operand.
      expect(mm(A, B.T.T).toArray()).toEqual([refMat(0), refMat(1)]);
    }
  });

  it('errors are the same on both tiers (IndexError E_KERNEL_BOUNDS with the kernel line)', () => {
    const messages = PINNED.map((tier) => {
      const bad = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { tier })((a: Float64Array, out: Float64Array) => {
        out[0] = a[a.length + 1]!;
      });
      try {
        bad(nb.ones([2, 3]));
      } catch (e) {
        expect(e).toBeInstanceOf(nb.IndexError);
        expect((e as nb.IndexError).code).toBe('E_KERNEL_BOUNDS');
        return (e as Error).message;
      }
      throw new Error('no error');
    });
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toMatch(/index 4 is out of bounds for axis 0 of 'a' with size 3/);
  });
});

/** The kernels below are straight-line float kernels: sent to asc, as any other kernel. */
function viaAsc(): void {
  beforeAll(() => setDirectWasm(false));
  afterAll(() => setDirectWasm(true));
}

describe('the default tier', () => {
  // (test/vectorize/direct-wasm.test.ts: such kernels' direct modules, on Wasm at once)
  viaAsc();
  it("runs JS first, then Wasm after .ready (eager), with the same results", async () => {
    // A constant unique to this run: no compile cache can hold the module already.
    const c = 1 + Math.random();
    const f = nb.vectorize('f8(f8, f8)', { constants: { c } })((x: number, y: number) => x * y + c);
    expect(nb.config().tier).toBe('auto');
    expect(tierOf(f)).toBe('js');
    const x = nb.linspace(0, 1, 1000);
    const want = (x.toArray() as number[]).map((v) => v * 2 + c);
    expect(f(x, 2).toArray()).toEqual(want);
    await readyOf(f);
    expect(tierOf(f)).toBe('wasm');
    expect(f(x, 2).toArray()).toEqual(want);
    // A module the cache holds is used at once.
    const again = nb.vectorize('f8(f8, f8)', { constants: { c } })((x: number, y: number) => x * y + c);
    expect(tierOf(again)).toBe('wasm');
  });

  it('lazy: each new dtype starts on the JS tier; .ready covers every dtype so far', async () => {
    const c = Math.floor(Math.random() * 1000) + 3;
    const f = nb.vectorize({ constants: { c } })((x: number) => x * c + 1);
    expect(tierOf(f)).toBe('wasm'); // nothing compiled yet
    expect(f(nb.array([1, 2], { dtype: 'int16' })).toArray()).toEqual([c + 1, 2 * c + 1]);
    expect(tierOf(f)).toBe('js');
    await readyOf(f);
    expect(tierOf(f)).toBe('wasm');
    expect(f(nb.array([1.5])).toArray()).toEqual([1.5 * c + 1]);
    expect(tierOf(f)).toBe('js');
    await readyOf(f);
    expect(tierOf(f)).toBe('wasm');
    expect(f(nb.array([2, 3], { dtype: 'int16' })).toArray()).toEqual([2 * c + 1, 3 * c + 1]);
  });

  it("tier: 'wasm' and nb.config({ tier: 'wasm' }) block until the Wasm is in place", () => {
    const c = Math.random();
    expect(tierOf(nb.vectorize('f8(f8)', { tier: 'wasm', constants: { c } })((x: number) => x + c))).toBe('wasm');
    expect(nb.config({ tier: 'wasm' }).tier).toBe('wasm');
    const g = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { constants: { c } })((a: Float64Array, o: Float64Array) => { o[0] = a[0]! + c; });
    expect(tierOf(g)).toBe('wasm');
    expect(g(nb.array([[1, 2]])).toArray()).toEqual([1 + c]);
  });

  it('bad tier values are typed errors', () => {
    expect(() => nb.vectorize('f8(f8)', { tier: 'fast' as never })).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
    expect(() => nb.config({ tier: 'fast' as never })).toThrowError(expect.objectContaining({ code: 'E_VALUE_CONFIG' }));
    expect(nb.config().tier).toBe('auto');
  });

  it('parallel-target calls before the Wasm is ready run on the JS tier, then on Wasm', async () => {
    const c = Math.random();
    const f = nb.vectorize('f8(f8)', { target: 'parallel', constants: { c } })((x: number) => x * 3 + c);
    expect(tierOf(f)).toBe('js');
    const x = nb.linspace(0, 99999, 100000);
    const want = (x.toArray() as number[]).map((v) => v * 3 + c);
    expect(f(x).toArray()).toEqual(want);
    await readyOf(f);
    expect(tierOf(f)).toBe('wasm');
    expect(f(x).toArray()).toEqual(want);
    await nb.shutdown();
  });
});

describe('background compile failures', () => {
  viaAsc();
  it('asc rejecting the module: .ready rejects with AscCompileError, one warning, the JS tier keeps running', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      injectCompilerFault('throw');
      const c = Math.random();
      const f = nb.vectorize('f8(f8)', { constants: { c } })((x: number) => x - c);
      expect(f(nb.array([1])).toArray()).toEqual([1 - c]);
      await expect(readyOf(f)).rejects.toBeInstanceOf(AscCompileError);
      expect(tierOf(f)).toBe('js');
      expect(f(nb.array([2])).toArray()).toEqual([2 - c]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/Wasm compile of kernel .* failed; its calls keep running on the JS tier/);
    } finally {
      warn.mockRestore();
    }
  });

  it('a dead compiler worker: .ready rejects with TargetError E_TARGET_COMPILE, the JS tier keeps running, later kernels compile', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      injectCompilerFault('exit');
      const c = Math.random();
      const g = nb.guvectorize('void(f8[:], f8[:])', '(n)->()', { constants: { c } })((a: Float64Array, o: Float64Array) => { o[0] = a[1]! * c; });
      await expect(readyOf(g)).rejects.toMatchObject({ name: 'TargetError', code: 'E_TARGET_COMPILE' });
      expect(g(nb.array([[1, 2]])).toArray()).toEqual([2 * c]);
      const h = nb.vectorize('f8(f8)', { constants: { c } })((x: number) => x / c);
      await readyOf(h);
      expect(tierOf(h)).toBe('wasm');
      expect(h(nb.array([c])).toArray()).toEqual([1]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('process lifetime', () => {
  const run = (body: string) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', [
    "import * as nb from './src/index.ts';",
    `const c = ${Math.random()};`,
    // (a scratch array: asc compiles it in the background; a kernel the direct emitter takes,
    // helper calls included, would be on Wasm at once)
    "const f = nb.vectorize('f8(f8, f8)', { constants: { c }, helpers: { pick: (x, y) => (x > y ? x : y) } })((x, y) => { const t = new Float64Array(1); t[0] = pick(x, y); return t[0] * c; });",
    body,
  ].join('\n')], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });

  it('an unawaited background compile does not keep the process alive; an awaited .ready resolves', () => {
    // No .ready: the program ends after its call, still on the JS tier at exit (had the
    // compile held the process, its reply would have switched it to 'wasm' first).
    const quick = run("process.on('exit', () => console.log('at exit', f.tier)); console.log(f.tier, f(nb.array([1, 2]), 3).toArray().length);");
    expect(quick.stderr).toBe('');
    expect(quick.status).toBe(0);
    expect(quick.stdout.trim().split('\n')).toEqual(['js 2', 'at exit js']);
    const awaited = run("await f.ready; console.log(f.tier, f(nb.array([1, 2]), 3).toArray().length);");
    expect(awaited.stderr).toBe('');
    expect(awaited.status).toBe(0);
    expect(awaited.stdout.trim()).toBe('wasm 2');
  });
});
