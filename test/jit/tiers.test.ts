/**
 * nb.jit's tiers (src/jit/js-tier.ts, src/vectorize/tier.ts): a new specialisation runs the
 * JS the front end emitted from the same IR at once, its Wasm compiles in the background,
 * and the calls switch when it lands. The oracle is the plain-JS function on the same inputs
 * (copies where it writes); both tiers are checked against it, and against each other bit
 * for bit where plain JS cannot follow NumPy (unsafe-cast stores, int64 mixing, prange's
 * block-ordered float reductions). The whole jit suites also run on the JS tier:
 * test/jit/js-tier-suites.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { injectCompilerFault } from '../../src/vectorize/compile-sync.js';
import { AscCompileError } from '../../src/compiler/index.js';
import { errorOf } from '../helpers/errors.js';

const PINNED = ['js', 'wasm'] as const;

afterEach(() => {
  injectCompilerFault(null);
  nb.config({ tier: 'auto' });
});
afterAll(async () => {
  await nb.shutdown();
});

/** Deterministic floats in [-50, 50). */
function floats(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 100);
}

function sum2d(a: nb.NDArray) {
  const [m, n] = a.shape;
  let s = 0.0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) s += a.get(i, j) as number;
  return s;
}

function goFast(a: nb.NDArray) {
  let trace = 0.0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i, i) as number);
  return nb.add(a, trace);
}

function getDownSampleValue(img: nb.NDArray, i: number, j: number, w: number) {
  let s = 0;
  for (let a = 0; a < w; a++) for (let b = 0; b < w; b++) s += img.get(i + a, j + b) as number;
  return s / (w * w);
}
function localMean(out: nb.NDArray, h: number, w: number, d: number, img: nb.NDArray) {
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out.set(i, j, getDownSampleValue(img, i * d, j * d, d));
}

function stats(t: Float64Array) {
  const out = nb.zeros([2], 'float64');
  let lo = Infinity;
  for (let i = 0; i < t.length; i++) lo = Math.min(lo, t[i]!);
  out.set(0, lo);
  out.set(1, t.length);
  return [out, lo, t.length];
}

/** A fresh jit of `fn` with a name unique to this call (in the module's source: no compile cache can hold it). */
let made = 0;
function fresh<F extends (...a: never[]) => unknown>(fn: F, options: nb.JitOptions = {}): nb.JitFunction<F> {
  return nb.jit({ name: `${fn.name}_${process.pid}_${Date.now()}_${made++}`, ...options })(fn);
}

describe('parity of the JS and Wasm tiers against plain JS', () => {
  it('sum2d on float64, int32 and uint8, contiguous and strided views', () => {
    for (const tier of PINNED) {
      const f = fresh(sum2d, { tier });
      for (const dtype of ['float64', 'int32', 'uint8'] as const) {
        const a = nb.array(floats(30, 7).map((x) => (dtype === 'float64' ? x : Math.abs(Math.round(x)))), { dtype }).reshape([5, 6]);
        for (const v of [a, a.T, a.slice(':', '::-2')]) expect(f(v)).toBe(sum2d(v));
      }
      expect(f.tier).toBe(tier);
    }
  });

  it('go_fast (nb.add on an array, Math.tanh) and localMean with an array helper', () => {
    const img = nb.array(floats(64, 3).map((x) => Math.abs(Math.round(x * 2))), { dtype: 'uint8' }).reshape([8, 8]);
    for (const tier of PINNED) {
      const g = fresh(goFast, { tier });
      const a = nb.array(floats(16, 5)).reshape([4, 4]);
      expect(g(a).toArray()).toEqual(goFast(a).toArray());
      const lm = fresh(localMean, { tier, helpers: { getDownSampleValue } });
      const got = nb.zeros([4, 4], 'float64');
      const want = nb.zeros([4, 4], 'float64');
      lm(got, 4, 4, 2, img);
      localMean(want, 4, 4, 2, img);
      expect(got.toArray()).toEqual(want.toArray());
    }
  });

  it('tuples, allocations and TypedArray write-back', () => {
    const t = new Float64Array(floats(9, 11));
    const want = stats(t) as [nb.NDArray, number, number];
    for (const tier of PINNED) {
      const [out, lo, n] = fresh(stats, { tier })(t) as [nb.NDArray, number, number];
      expect([out.toArray(), lo, n]).toEqual([want[0].toArray(), want[1], want[2]]);
      const scale = fresh((u: Float64Array, k: number) => { for (let i = 0; i < u.length; i++) u[i] *= k; }, { tier });
      const u = new Float64Array([1, 2.5, -3]);
      scale(u, 3);
      expect([...u]).toEqual([3, 7.5, -9]);
    }
  });

  it('stores are the unsafe cast (wrap/truncate) and int64 mixes with floats, the same on both tiers', () => {
    // Plain JS cannot follow NumPy here (NDArray.set range-checks; bigint + number throws):
    // the reference is the cast rule written out.
    const store = (o: nb.NDArray, x: number) => { o.set(0, x); o.set(1, x * 3.7); };
    const mix = (a: nb.NDArray) => { let s = 0.5; for (let i = 0; i < a.size; i++) s += a.get(i) as number; return s; };
    const big = nb.array([2n ** 40n, -3n], { dtype: 'int64' });
    const results = PINNED.map((tier) => {
      const o = nb.zeros([2], 'uint8');
      fresh(store, { tier })(o, 300);
      return [o.toArray(), fresh(mix, { tier })(big)];
    });
    expect(results[0]).toEqual([[300 & 255, Math.trunc(300 * 3.7) & 255], 2 ** 40 - 3 + 0.5]);
    expect(results[1]).toEqual(results[0]);
  });

  it('int64 results are bigints when 64-bit integers came in, on both tiers', () => {
    const total = (a: nb.NDArray) => { let s = 0n; for (let i = 0; i < a.size; i++) s += a.get(i) as bigint; return s; };
    const a = nb.array([2n ** 62n, 2n ** 62n - 1n, 5n], { dtype: 'int64' });
    // (wraps as int64: 2^63 + 4 → -2^63 + 4)
    for (const tier of PINNED) expect(fresh(total, { tier })(a)).toBe(BigInt.asIntN(64, total(a)));
  });

  it('constants, typed-array tables and helpers', () => {
    const K = new Float64Array([0.5, 2, -1]);
    const sq = (x: number) => x * x;
    const f = (t: Float64Array) => { let s = 0.0; for (let i = 0; i < t.length; i++) s += sq(t[i]!) * K[i % 3]!; return s; };
    const t = new Float64Array(floats(10, 2));
    for (const tier of PINNED) expect(fresh(f, { tier, constants: { K }, helpers: { sq } })(t)).toBe(f(t));
  });

  it('an index out of bounds is the same IndexError E_KERNEL_BOUNDS with line and column on both tiers', () => {
    const bad = (a: nb.NDArray, k: number) => {
      let s = 0.0;
      for (let i = 0; i <= k; i++) s += a.get(i) as number;
      return s;
    };
    const a = nb.array([1, 2, 3]);
    const errors = PINNED.map((tier) => errorOf(() => nb.jit({ tier, name: 'bad' })(bad)(a, 3)));
    for (const e of errors) {
      expect(e).toBeInstanceOf(nb.IndexError);
      expect(e.code).toBe('E_KERNEL_BOUNDS');
    }
    expect(errors[0]!.message).toBe(errors[1]!.message);
    expect(errors[0]!.message).toMatch(/index 3 is out of bounds for axis 0 of 'a' with size 3 \(a read, line 3, column \d+\)/);
  });

  it("target 'parallel': prange loops run on this thread on the JS tier, with the Wasm tier's bits", async () => {
    const rows = (a: nb.NDArray) => {
      const [m, n] = a.shape;
      let s = 0.0;
      let hi = -Infinity;
      for (const i of nb.prange(m)) {
        for (let j = 0; j < n; j++) {
          s += a.get(i, j) as number;
          hi = Math.max(hi, a.get(i, j) as number);
        }
      }
      return s * 1e6 + hi;
    };
    const a = nb.array(floats(200 * 7, 13)).reshape([200, 7]);
    const js = fresh(rows, { target: 'parallel', tier: 'js' });
    const wasm = fresh(rows, { target: 'parallel', tier: 'wasm' });
    expect(Object.is(js(a), wasm(a))).toBe(true);
    expect(js(a)).toBeCloseTo(rows(a), 0);
    // callAsync on the JS tier runs now, with the same value.
    expect(Object.is(await js.callAsync(a), wasm(a))).toBe(true);
    // Integer reductions: exact, as plain JS.
    const isum = (t: Int32Array) => { let s = 0; for (const i of nb.prange(t.length)) s += t[i]!; return s; };
    const t = Int32Array.from(floats(1000, 4), (x) => Math.round(x * 1000));
    expect(fresh(isum, { target: 'parallel', tier: 'js' })(t)).toBe(isum(t));
  });
});

describe("prange loops on the JS tier ('parallel')", () => {
  it('start offsets, -=, *=, Math.min on integers, continue, a nested prange: the Wasm tier\'s bits, plain JS\'s values', () => {
    const t = new Float64Array(floats(203, 21));
    const ints = Int32Array.from(floats(203, 22), (x) => Math.round(x * 1e6));
    const cases: [(...a: never[]) => unknown, unknown[]][] = [
      [(u: Float64Array) => { let s = 1.0; for (const i of nb.prange(3, u.length)) s -= u[i]! * 0.1; return s; }, [t]],
      [(u: Float64Array) => { let p = 1.0; for (const i of nb.prange(u.length)) { if (u[i]! < 0) continue; p *= 1 + u[i]! / 1000; } return p; }, [t]],
      [(u: Int32Array) => { let lo = 2147483647; for (const i of nb.prange(u.length)) lo = Math.min(lo, u[i]!); return lo; }, [ints]],
      [(u: Float64Array, k: number) => {
        let s = 0.0;
        for (const i of nb.prange(k)) for (const j of nb.prange(u.length)) s += u[j]! * i;
        return s;
      }, [t, 5]],
    ];
    for (const [fn, args] of cases) {
      const [js, wasm] = PINNED.map((tier) => (fresh(fn, { target: 'parallel', tier }) as unknown as (...a: unknown[]) => number)(...args));
      expect(Object.is(js, wasm)).toBe(true);
      const plain = (fn as (...a: unknown[]) => number)(...args);
      if (Number.isInteger(plain)) expect(js).toBe(plain);
      else expect(js).toBeCloseTo(plain, 6);
    }
  });
});

describe('the default tier', () => {
  it('runs the JS tier first, then Wasm after .ready, with the same results', async () => {
    const f = fresh(sum2d);
    expect(nb.config().tier).toBe('auto');
    expect(f.tier).toBe('wasm'); // nothing compiled yet
    const a = nb.array(floats(12, 1)).reshape([3, 4]);
    expect(f(a)).toBe(sum2d(a));
    expect(f.tier).toBe('js');
    await f.ready;
    expect(f.tier).toBe('wasm');
    expect(f(a)).toBe(sum2d(a));
    // A new specialisation starts on the JS tier again; .ready covers it.
    const b = nb.array([1, 2, 3, 4], { dtype: 'int32' }).reshape([2, 2]);
    expect(f(b)).toBe(10);
    expect(f.tier).toBe('js');
    await f.ready;
    expect(f.tier).toBe('wasm');
    expect(f.signatures).toEqual(['float64(float64[:,::1])', 'int64(int32[:,::1])']);
  });

  it('switches to Wasm in the middle of a stream of calls, every result right', async () => {
    const a = nb.array(floats(400, 9)).reshape([20, 20]);
    const want = sum2d(a);
    const f = fresh(sum2d);
    const seen = { js: 0, wasm: 0 };
    for (let k = 0; k < 100000 && seen.wasm < 20; k++) {
      expect(f(a)).toBe(want);
      seen[f.tier]++;
      // Let the background compile land between calls (it is instantiated on this thread).
      if (k % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(seen.js).toBeGreaterThan(0);
    expect(seen.wasm).toBe(20);
  });

  it("explicit signatures: JS at the factory call, Wasm after .ready; tier 'wasm' blocks; tier 'js' never compiles", async () => {
    const f = nb.jit('f8(f8[:,:])', { name: `eager_${Date.now()}` })(sum2d);
    expect(f.tier).toBe('js');
    const a = nb.ones([3, 3]);
    expect(f(a)).toBe(9);
    await f.ready;
    expect(f.tier).toBe('wasm');
    const w = fresh(sum2d, { tier: 'wasm' });
    expect(w(a)).toBe(9);
    expect(w.tier).toBe('wasm');
    nb.config({ tier: 'js' });
    const j = fresh(sum2d);
    expect(j(a)).toBe(9);
    await j.ready;
    expect(j.tier).toBe('js');
  });

  it('a module the compile cache holds (here: in memory, with cache: true) is used at once: Wasm from the first call', async () => {
    const name = `cached_${process.pid}_${Date.now()}`;
    const f = nb.jit({ name, cache: true })(sum2d);
    f(nb.ones([2, 2]));
    await f.ready;
    const again = nb.jit({ name, cache: true })(sum2d);
    expect(again(nb.ones([2, 2]))).toBe(4);
    expect(again.tier).toBe('wasm');
  });

  it('with cache: true, a later process finds the module on disk: its first call runs on Wasm (jit and stencil)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbats-jit-tiers-'));
    try {
      const program = [
        "import * as nb from './src/index.ts';",
        "const f = nb.jit({ cache: true, name: 'disk_sum' })((t) => { let s = 0.5; for (let i = 0; i < t.length; i++) s += t[i]; return s; });",
        "const s = nb.stencil((a) => a(-1) - a(1), { cache: true, signature: 'float64(float64)', mode: 'wrap', name: 'disk_diff' });",
        'const first = [f(new Float64Array([1, 2])), f.tier, s(nb.array([1, 2, 4])).toArray(), s.tier];',
        'await Promise.all([f.ready, s.ready]);',
        'console.log(JSON.stringify(first));',
      ].join('\n');
      const run = () => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
        cwd: process.cwd(), encoding: 'utf8', timeout: 120_000, env: { ...process.env, NUMBATS_CACHE_DIR: dir },
      });
      const cold = run();
      expect(cold.stderr).toBe('');
      expect(JSON.parse(cold.stdout)).toEqual([3.5, 'js', [2, -3, 1], 'js']);
      const warm = run();
      expect(warm.stderr).toBe('');
      expect(JSON.parse(warm.stdout)).toEqual([3.5, 'wasm', [2, -3, 1], 'wasm']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('bad tier values are typed errors', () => {
    expect(() => nb.jit({ tier: 'fast' as never })).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
    expect(() => nb.jit('f8(f8)', { tier: 1 as never })).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
  });

  it('fallback and inspect work before the Wasm is ready', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const odd = nb.jit({ fallback: 'js' })((a: nb.NDArray) => (a.toArray() as number[]).length);
      expect(odd(nb.ones([3]))).toBe(3);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    const f = fresh(sum2d);
    const info = f.inspect(nb.ones([2, 2]));
    expect(info.signature).toBe('float64(float64[:,::1])');
    expect(info.assemblyScript).toMatch(/export function j_jit/);
    expect(f.tier).toBe('js');
    await f.ready;
  });
});

describe('background compile failures', () => {
  it('asc rejecting the module: .ready rejects, one warning, the JS tier keeps answering', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      injectCompilerFault('throw');
      const f = fresh(sum2d);
      const a = nb.array(floats(6, 2)).reshape([2, 3]);
      expect(f(a)).toBe(sum2d(a));
      await expect(f.ready).rejects.toBeInstanceOf(AscCompileError);
      expect(f.tier).toBe('js');
      expect(f(a.T)).toBe(sum2d(a.T));
      await expect(f.ready).rejects.toBeInstanceOf(AscCompileError);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/Wasm compile of kernel .* failed; its calls keep running on the JS tier/);
      expect(String(warn.mock.calls[0]![0])).toMatch(/'sum2d_/);
    } finally {
      warn.mockRestore();
    }
  });

  it("tier 'wasm' throws the compile's error at the call, as before tiers", () => {
    injectCompilerFault('throw');
    expect(() => fresh(sum2d, { tier: 'wasm' })(nb.ones([2, 2]))).toThrow(AscCompileError);
  });
});
