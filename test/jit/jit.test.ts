// nb.jit on the cpu target. The oracle is the same function run as plain JS on the same
// inputs (copies, where the function writes), never another numbats path.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { errorOf } from '../helpers/errors.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/jit/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();


afterEach(() => vi.restoreAllMocks());

// sum2d, once for numbers and once for bigint elements (plain JS cannot add 0 and 1n).
const sum2d = (a: nb.NDArray) => {
  const [m, n] = a.shape;
  let s = 0.0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) s += a.get(i, j) as number;
  }
  return s;
};
const sum2dBig = (a: nb.NDArray) => {
  let s = 0n;
  for (let i = 0; i < a.shape[0]; i++) {
    for (let j = 0; j < a.shape[1]; j++) s += a.get(i, j) as bigint;
  }
  return s;
};

type View = 'none' | 'T' | 'rows2' | 'reversed' | 'inner' ;
const views: View[] = ['none', 'T', 'rows2', 'reversed', 'inner'];
function view(a: nb.NDArray, v: View): nb.NDArray {
  switch (v) {
    case 'none': return a;
    case 'T': return a.T;
    case 'rows2': return a.slice('::2', ':');
    case 'reversed': return a.slice('::-1', '::-2');
    case 'inner': return a.slice('1:', '1:');
  }
}

function valuesFor(dtype: DType): fc.Arbitrary<number | bigint> {
  switch (dtype) {
    case 'uint8': return fc.integer({ min: 0, max: 255 });
    case 'int32': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'int64': return fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n });
    case 'float32': return fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(Math.fround);
    default: return fc.double({ noNaN: true, min: -1e9, max: 1e9 });
  }
}

describe('nb.jit sum2d equals the plain function', () => {
  const jsum = nb.jit(sum2d);
  const jbig = nb.jit(sum2dBig);
  for (const dtype of ['float64', 'float32', 'int32', 'uint8', 'int64'] as DType[]) {
    it(`on random ${dtype} arrays and strided views`, () => {
      const arb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([m, n]) =>
        fc.tuple(fc.array(fc.array(valuesFor(dtype), { minLength: n, maxLength: n }), { minLength: m, maxLength: m }), fc.constantFrom(...views)));
      fc.assert(fc.property(arb, ([rows, v]) => {
        const a = view(nb.array(rows as never, { dtype }), v);
        if (dtype === 'int64') expect(jbig(a)).toBe(sum2dBig(a));
        else expect(jsum(a)).toBe(sum2d(a));
      }), { numRuns: 40 });
    });
  }

  it('specialises per dtype, ndim and inner contiguity', () => {
    const f = nb.jit(sum2d);
    const a = nb.ones([2, 3]);
    expect(f(a)).toBe(6);
    expect(f(a.T)).toBe(6);
    expect(f(nb.ones([2, 3], 'int32'))).toBe(6);
    // `let s = 0.0` is float64 as written; tools that reprint it as `0` (esbuild) make it int64 (guide 07).
    expect(f.signatures).toEqual(['float64(float64[:,::1])', 'float64(float64[:,:])', expect.stringMatching(/^(float64|int64)\(int32\[:,::1\]\)$/)]);
    expect(f(a)).toBe(6);
    expect(f.signatures.length).toBe(3);
  });

  it('returns numbers for number arithmetic and bigints where 64-bit integers come in', () => {
    const count = nb.jit((a: nb.NDArray) => { let s = 0; for (let i = 0; i < a.size; i++) s += a.get(i) as number; return s; });
    expect(count(nb.array([1, 2, 3], { dtype: 'int32' }))).toBe(6);
    expect(jbigOf(nb.array([[1n, 2n]], { dtype: 'int64' }))).toBe(3n);
  });
});
const jbigOf = nb.jit(sum2dBig);

describe('nb.jit writes with set (stencil-like)', () => {
  const blur = (src: nb.NDArray, dst: nb.NDArray) => {
    const [m, n] = src.shape;
    for (let i = 1; i < m - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        dst.set(i, j, (src.get(i - 1, j) as number + (src.get(i + 1, j) as number) + (src.get(i, j - 1) as number) + (src.get(i, j + 1) as number)) / 4);
      }
    }
  };
  const jblur = nb.jit(blur);
  it('matches the plain function on random images, output written in place', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (m, n, seed) => {
      const src = nb.array(Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => ((seed + i * 31 + j * 17) % 97) / 7)));
      const a = nb.zeros([m, n]);
      const b = nb.zeros([m, n]);
      jblur(src, a);
      blur(src, b);
      expect(a.toArray()).toEqual(b.toArray());
    }), { numRuns: 30 });
  });

  it('writes through a transposed view and a js-storage array', () => {
    const src = nb.arange(20, undefined, undefined, 'float64').reshape([4, 5]);
    const out = nb.zeros([5, 4]);
    jblur(src, out.T);
    const ref = nb.zeros([5, 4]);
    blur(src, ref.T);
    expect(out.toArray()).toEqual(ref.toArray());
    const backing = new Float64Array(20);
    const wrapped = nb.asarray(backing, { copy: false } as never).reshape([4, 5]);
    jblur(src, wrapped);
    const ref2 = nb.zeros([4, 5]);
    blur(src, ref2);
    expect(Array.from(backing)).toEqual((ref2.toArray() as number[][]).flat());
  });
});

describe('nb.jit sorts in place', () => {
  const insertionSort = (a: nb.NDArray) => {
    const n = a.shape[0];
    for (let i = 1; i < n; i++) {
      const v = a.get(i) as number;
      let j = i - 1;
      while (j >= 0 && (a.get(j) as number) > v) {
        a.set(j + 1, a.get(j) as number);
        j--;
      }
      a.set(j + 1, v);
    }
  };
  const sortTyped = (t: Int32Array) => {
    for (let i = 1; i < t.length; i++) {
      const v = t[i]!;
      let j = i - 1;
      while (j >= 0 && t[j]! > v) { t[j + 1] = t[j]!; j--; }
      t[j + 1] = v;
    }
  };
  const jsort = nb.jit(insertionSort);
  const jsortTyped = nb.jit(sortTyped);
  it('an NDArray (and a reversed view) as the plain function does', () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 40 }), fc.boolean(), (xs, rev) => {
      const a = nb.array(xs, { dtype: 'float64' });
      const b = nb.array(xs, { dtype: 'float64' });
      jsort(rev ? a.slice('::-1') : a);
      insertionSort(rev ? b.slice('::-1') : b);
      expect(a.toArray()).toEqual(b.toArray());
    }), { numRuns: 50 });
  });
  it('a TypedArray, copied back after the call', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 }), (xs) => {
      const t = Int32Array.from(xs);
      const u = Int32Array.from(xs);
      jsortTyped(t);
      sortTyped(u);
      expect(Array.from(t)).toEqual(Array.from(u));
    }), { numRuns: 50 });
  });
});

describe('nb.jit image downsampling (the seed with the window inlined; test/jit/helpers.test.ts: through a helper)', () => {
  // localMean(img_new, new_height, new_width, down_size, img): the mean of each down_size
  // window of img into img_new, with getDownSampleValue's body written inline.
  const localMean = (imgNew: nb.NDArray, newHeight: number, newWidth: number, downSize: number, img: nb.NDArray) => {
    for (let i = 0; i < newHeight; i++) {
      for (let j = 0; j < newWidth; j++) {
        let s = 0;
        for (let di = 0; di < downSize; di++) {
          for (let dj = 0; dj < downSize; dj++) s += img.get(i * downSize + di, j * downSize + dj) as number;
        }
        imgNew.set(i, j, s / (downSize * downSize));
      }
    }
  };
  it('matches the plain function on uint8 images', () => {
    const jmean = nb.jit(localMean);
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (h, w, d, seed) => {
      const img = nb.array(Array.from({ length: h * d }, (_, i) => Array.from({ length: w * d }, (_, j) => (seed + i * 13 + j * 7) & 255)), { dtype: 'uint8' });
      const a = nb.zeros([h, w], 'uint8');
      const b = nb.zeros([h, w], 'uint8');
      jmean(a, h, w, d, img);
      // Plain JS stores through NDArray.set, which rejects a non-integer for uint8; the jit
      // store is NumPy's unsafe cast (truncation), the documented difference: compare with
      // the truncated means.
      const mean = (i: number, j: number) => {
        let s = 0;
        for (let di = 0; di < d; di++) for (let dj = 0; dj < d; dj++) s += img.get(i * d + di, j * d + dj) as number;
        return Math.trunc(s / (d * d));
      };
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) b.set(i, j, mean(i, j));
      expect(a.toArray()).toEqual(b.toArray());
    }), { numRuns: 25 });
  });
});

describe('nb.jit arguments and results', () => {
  it('types JS numbers as int64 or float64, bigints as int64, booleans as bool', () => {
    const f = nb.jit((x: number, flag: boolean) => (flag ? x / 2 : x * 2));
    expect(f(3, false)).toBe(6);
    expect(f(3.5, true)).toBe(1.75);
    expect(f(3, true)).toBe(1.5);
    expect(f.signatures).toEqual(['float64(int64, bool)', 'float64(float64, bool)']);
    const g = nb.jit((x: bigint) => x * 2n);
    expect(g(2n ** 40n)).toBe(2n ** 41n);
    const pos = nb.jit((x: number) => x > 0);
    expect(pos(2)).toBe(true);
    expect(pos(-2.5)).toBe(false);
  });

  it('reads a.ndim, a.size, a.shape.length and t.length', () => {
    const f = nb.jit((a: nb.NDArray, t: Float32Array) => a.ndim * 1000 + a.size * 10 + a.shape.length + t.length);
    const a = nb.zeros([2, 3, 4]);
    const t = new Float32Array(5);
    expect(f(a, t)).toBe(3 * 1000 + 24 * 10 + 3 + 5);
  });

  it('reads negative NDArray indices from the end, as NDArray.get does', () => {
    const ends = (a: nb.NDArray, k: number) => (a.get(-1, 0) as number) * 100 + (a.get(k, -1) as number);
    const f = nb.jit(ends);
    const a = nb.arange(12, undefined, undefined, 'int32').reshape([3, 4]);
    for (const k of [-3, -2, -1, 0, 1, 2]) expect(f(a, k)).toBe(ends(a, k));
  });

  it('int64 scalars and uint32 results come back as the plain function gives them', () => {
    const f = nb.jit((a: Uint32Array) => a[0]!);
    expect(f(new Uint32Array([4294967295]))).toBe(4294967295);
  });
});

describe('nb.jit errors', () => {
  it('an out-of-range get or set is IndexError E_KERNEL_BOUNDS with the line', () => {
    const f = nb.jit((a: nb.NDArray, i: number) => a.get(i, 0));
    const a = nb.zeros([2, 2]);
    expect(f(a, 1)).toBe(0);
    const e = errorOf(() => f(a, 2));
    expect(e.code).toBe('E_KERNEL_BOUNDS');
    expect(e.message).toMatch(/index 2 is out of bounds for axis 0/);
    expect(errorOf(() => f(a, -3)).code).toBe('E_KERNEL_BOUNDS');
    const g = nb.jit((a: nb.NDArray) => { a.set(5, 1.0); });
    expect(errorOf(() => g(nb.zeros([3]))).code).toBe('E_KERNEL_BOUNDS');
    const t = nb.jit((x: Float64Array) => x[x.length]!);
    expect(errorOf(() => t(new Float64Array(2))).code).toBe('E_KERNEL_BOUNDS');
  });

  it('unsupported syntax is a KernelError with line and column at the first call', () => {
    const f = nb.jit((x: number) => {
      const o = { x };
      return o.x;
    });
    const e = errorOf(() => f(1));
    expect(e).toBeInstanceOf(nb.KernelError);
    // The column of `{` in the text fn.toString() gives (tools may reindent it).
    const column = String(f.pyFunc).split('\n')[1]!.indexOf('{') + 1;
    expect([e.code, e.line, e.column]).toEqual(['NB1012', 2, column]);
  });

  it('the wrong array API for the argument is NB1040 / NB1041; a helper reading an array as a scalar NB2006', () => {
    expect(errorOf(() => nb.jit((a: nb.NDArray) => (a as unknown as number[])[0]!)(nb.zeros([2]))).code).toBe('NB1040');
    expect(errorOf(() => nb.jit((a: nb.NDArray) => (a as unknown as number[]).length)(nb.zeros([2]))).code).toBe('NB1040');
    expect(errorOf(() => nb.jit((t: Float64Array) => (t as unknown as nb.NDArray).get(0))(new Float64Array(2))).code).toBe('NB1041');
    expect(errorOf(() => nb.jit((a: nb.NDArray) => a.shape[2]!)(nb.zeros([2, 2]))).code).toBe('NB1042');
    const twice = (x: number) => x * 2;
    expect(errorOf(() => nb.jit({ helpers: { twice } })((a: nb.NDArray) => twice(a as unknown as number))(nb.zeros([2]))).code).toBe('NB2006');
  });

  it('arguments with no jit type, or too few, are ValueErrors; a non-matching eager call a DTypeError', () => {
    const f = nb.jit((x: number) => x + 1);
    expect(errorOf(() => f('a' as never)).code).toBe('E_VALUE_JIT_ARGUMENT');
    expect(errorOf(() => f([1, 2] as never)).code).toBe('E_VALUE_JIT_ARGUMENT');
    expect(errorOf(() => (f as (...a: unknown[]) => unknown)()).code).toBe('E_VALUE_ARGCOUNT');
    const g = nb.jit('f8(f8[:])')((a: nb.NDArray) => a.get(0) as number);
    expect(errorOf(() => g(nb.zeros([2], 'int32'))).code).toBe('E_DTYPE_NO_LOOP');
  });

  it('checks its options (targets: cpu and parallel, test/jit/prange.test.ts)', () => {
    expect(errorOf(() => nb.jit({ fallbak: 'js' } as never)).code).toBe('E_VALUE_OPTION');
    expect(errorOf(() => nb.jit({ fallback: 'python' } as never)).code).toBe('E_VALUE_OPTION');
    expect(errorOf(() => nb.jit({ target: 'gpu' } as never)).code).toBe('E_VALUE_OPTION');
  });

  it('a write to a read-only view is E_VALUE_READONLY', () => {
    const f = nb.jit((a: nb.NDArray) => { a.set(0, 1.0); });
    expect(errorOf(() => f(nb.broadcastTo(nb.zeros([1]), [3]))).code).toBe('E_VALUE_READONLY');
  });
});

describe('nb.jit fallback, inspect, eager signatures, helpers, decorators', () => {
  it("fallback: 'js' runs the plain function with one warning naming the construct and line", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const f = nb.jit({ fallback: 'js' })((x: number) => {
      const o = { v: x * 2 };
      return o.v;
    });
    expect(f(3)).toBe(6);
    expect(f(4)).toBe(8);
    expect(f(1.5)).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    const column = String(f.pyFunc).split('\n')[1]!.indexOf('{') + 1;
    expect(String(warn.mock.calls[0]![0])).toContain(`NB1012 at line 2, column ${column}: object literals are not supported`);
    expect(f.specializations.every((s) => s.fallback)).toBe(true);
    expect(f.signatures).toEqual([]);
    const g = nb.jit({ fallback: 'js' })((s: string) => s.length);
    expect(g('abc' as never)).toBe(3);
  });

  it('inspect gives the typed IR and AssemblyScript of the specialisation the arguments select', () => {
    const f = nb.jit(sum2d);
    const r = f.inspect(nb.ones([2, 2], 'float32'));
    expect(r.signature).toBe('float64(float32[:,::1])');
    expect(r.ir).toMatch(/^program jit/);
    expect(r.ir).toMatch(/load:float32 a/);
    expect(r.assemblyScript).toMatch(/export function j_jit\(/);
    expect(f.signatures).toEqual(['float64(float32[:,::1])']);
  });

  it('explicit signatures compile at the factory call; their errors too', () => {
    const f = nb.jit(['f8(f8[:])', 'i8(i8[:])'])((a: nb.NDArray) => {
      let s = a.get(0);
      for (let i = 1; i < a.size; i++) s = (s as number) + (a.get(i) as number);
      return s;
    });
    expect(f.signatures).toEqual(['float64(float64[:])', 'int64(int64[:])']);
    expect(f(nb.array([1.5, 2]))).toBe(3.5);
    expect(f(nb.array([1n, 2n], { dtype: 'int64' }))).toBe(3n);
    expect(f(new Float64Array([1, 2, 3]) as never)).toBe(6);
    expect(errorOf(() => nb.jit('f8(f8)')((x: number) => `${x}` as unknown as number)).code).toBe('NB1014');
  });

  it('helpers: plain functions and other jit functions, compiled into the caller', () => {
    const sq = (x: number) => x * x;
    const cube = nb.jit((x: number) => x * x * x);
    const f = nb.jit({ helpers: { sq, cube } })((a: Float64Array) => {
      let s = 0.0;
      for (let i = 0; i < a.length; i++) s += sq(a[i]!) + cube(a[i]!);
      return s;
    });
    expect(f(new Float64Array([1, 2]))).toBe(1 + 1 + 4 + 8);
    expect(f.inspect(new Float64Array(1)).assemblyScript).toMatch(/function j___h_cube_/);
  });

  it('works as a decorator on static methods (TC39 decorators, lowered by esbuild)', async () => {
    // vitest's transform leaves `@dec` as is for Node 20, which has no decorators: lower it.
    const { transformSync } = await import('esbuild');
    const src = readFileSync(fileURLToPath(new URL('./decorated.ts', import.meta.url)), 'utf8').replace(/^import .*$/gm, '');
    const { code } = transformSync(src.replace('export class Stats', 'const Stats = class Stats') + '\nreturn Stats;', { loader: 'ts', target: 'es2022', format: 'cjs' });
    type F = (...a: never[]) => unknown;
    const Stats = new Function('jit', code)(nb.jit) as { total: F & ((a: nb.NDArray) => number); dot: (a: Float64Array, b: Float64Array) => number; add: (x: number, y: number) => number };
    expect(Stats.total(nb.array([1, 2, 3.5]))).toBe(6.5);
    expect(Stats.dot(new Float64Array([1, 2]), new Float64Array([3, 4]))).toBe(11);
    expect(Stats.add(2, 3)).toBe(5);
    expect((Stats.total as unknown as nb.JitFunction).signatures).toEqual(['float64(float64[::1])']);
  });

  it('prange is an iterable range in plain JS and a counting loop compiled', () => {
    const f = (t: Float64Array) => { let s = 0.0; for (const i of nb.prange(1, t.length)) s += t[i]!; return s; };
    const t = new Float64Array([5, 1, 2, 3]);
    expect(nb.jit(f)(t)).toBe(f(t));
    expect([...nb.prange(3)]).toEqual([0, 1, 2]);
  });

  it('the JS reference emitter computes what the Wasm code computes', () => {
    const f = nb.jit(sum2d);
    const a = nb.arange(6, undefined, undefined, 'float64').reshape([2, 3]);
    expect(f(a)).toBe(15);
    const ir = f.inspect(a);
    expect(ir.ir).toContain('program jit');
  });
});

describe('nb.jit with the kernel language of issue 13: scratch arrays, table constants, compiled helpers', () => {
  it('a scratch array sized at run time (an arena lent per call) gives the plain function\'s value', () => {
    const twiceSum = (a: nb.NDArray) => {
      const buf = new Float64Array(a.shape[0]!);
      for (let i = 0; i < a.shape[0]!; i++) buf[i] = (a.get(i) as number) * 2;
      let s = 0.5;
      for (const v of buf) s += v;
      return s;
    };
    const f = nb.jit(twiceSum);
    for (const xs of [[1, 2, 3], [], [-1.5, 4, 1e10, 7]]) expect(f(nb.array(xs, 'float64'))).toBe(twiceSum(nb.array(xs, 'float64')));
  });

  it('a negative index in a scratch array\'s length counts from the end, as everywhere else', () => {
    const lastLength = (a: nb.NDArray) => { const b = new Float64Array(a.get(-1) as number); return b.length; };
    expect(nb.jit(lastLength)(nb.array([1, 2, 5], 'int32'))).toBe(lastLength(nb.array([1, 2, 5], 'int32')));
  });

  it('a scratch array larger than scratchBytes is MemoryError E_KERNEL_SCRATCH, and the next call works', () => {
    // (the Wasm tier's arena: the JS tier allocates scratch arrays with JavaScript, no limit)
    const f = nb.jit({ scratchBytes: 64, tier: 'wasm' })((n: number) => { const b = new Float64Array(n); b[n - 1] = 2; return b[n - 1]! + b.length; });
    expect(errorOf(() => f(100)).code).toBe('E_KERNEL_SCRATCH');
    expect(f(8)).toBe(10);
  });

  it('a typed-array constant is a read-only table; an index past it is IndexError E_KERNEL_BOUNDS', () => {
    const K = new Float64Array([10, 20]);
    const dot = (a: nb.NDArray) => { let s = 0.5; for (let i = 0; i < a.shape[0]!; i++) s += (a.get(i) as number) * K[i]!; return s; };
    const f = nb.jit({ constants: { K } })(dot);
    expect(f(nb.array([1, 2], 'float64'))).toBe(dot(nb.array([1, 2], 'float64')));
    expect(errorOf(() => f(nb.array([1, 2, 3], 'float64'))).code).toBe('E_KERNEL_BOUNDS');
  });

  it('a jit function as a helper brings its own helpers and constants', () => {
    const scale = 3;
    const inc = (x: number) => x + 1;
    const scaled = nb.jit({ helpers: { inc }, constants: { scale } })((x: number) => inc(x) * scale);
    const total = (a: nb.NDArray) => { let s = 0.5; for (let i = 0; i < a.shape[0]!; i++) s += ((a.get(i) as number) + 1) * scale; return s; };
    const f = nb.jit({ helpers: { scaled } })((a: nb.NDArray) => { let s = 0.5; for (let i = 0; i < a.shape[0]!; i++) s += scaled(a.get(i) as number) as number; return s; });
    expect(f(nb.array([1, 2, 3], 'float64'))).toBe(total(nb.array([1, 2, 3], 'float64')));
  });
});

describe('nb.jit .ready', () => {
  it("resolves once the specialisations compiled so far are in place (on the suite's tier), and calls give the compiled result", async () => {
    const f = nb.jit((a: nb.NDArray) => {
      let s = 0;
      for (let i = 0; i < a.shape[0]; i++) s += a.get(i) as number;
      return s;
    });
    await expect(f.ready).resolves.toBeUndefined();
    expect(f(nb.array([1.5, 2, 3]))).toBe(6.5);
    expect(f.signatures).toEqual(['float64(float64[::1])']);
    await expect(f.ready).resolves.toBeUndefined();
  });
});
