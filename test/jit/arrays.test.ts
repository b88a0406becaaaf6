// nb.jit on whole arrays (issue 14 item 2): built-in ufuncs on arrays (frontend/jit-ufunc.ts),
// array-literal results (frontend/jit-tuple.ts), helpers that return nothing
// (frontend/jit-void.ts). The oracle is the same function run as plain JS: nb.add and the
// others at run time on the real arrays, JS numbers as weak scalars.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { UFUNC_TABLE } from '../../src/builtins/ufunc-table.js';
import { compileJit } from '../../src/compiler/index.js';
import { errorOf } from '../helpers/errors.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/jit/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();

const DTYPES = ['float64', 'float32', 'int32', 'uint8', 'int64'] as const;
type D = (typeof DTYPES)[number];

/** Numba's go_fast in its natural form. */
const goFast = (a: nb.NDArray) => {
  let trace = 0.0;
  for (let i = 0; i < a.shape[0]; i++) trace += Math.tanh(a.get(i, i) as number);
  return nb.add(a, trace);
};

/** A random array of `dtype` and `shape`, in one of several layouts (contiguous, transposed, stepped, reversed). */
function arrayOf(dtype: D, shape: number[], seed: number, layout: number): nb.NDArray {
  const nd = shape.length;
  const values = (n: number) => nb.array(Array.from({ length: n }, (_, i) => ((seed * 7919 + i * 104729) % 2001) / 10 - 100), { dtype: 'float64' }).astype(dtype);
  const size = shape.reduce((x, y) => x * y, 1);
  const all = (f: (d: number) => string) => Array.from({ length: nd }, (_, d) => f(d));
  switch (layout % 4) {
    case 0: return values(size).reshape(shape);
    case 1: return values(size).reshape([...shape].reverse()).T;
    case 2: { // every other element along the last axis
      const big = values(size * 2).reshape([...shape.slice(0, -1), shape[nd - 1]! * 2]);
      return big.slice(...all((d) => (d === nd - 1 ? '::2' : ':')));
    }
    default: return values(size).reshape(shape).slice(...all(() => '::-1'));
  }
}

const same = (got: unknown, want: unknown) => {
  const g = got as nb.NDArray;
  const w = want as nb.NDArray;
  expect(g.dtype).toBe(w.dtype);
  expect(g.shape).toEqual(w.shape);
  expect(g.toArray()).toEqual(w.toArray());
};

describe('nb.jit: built-in ufuncs on arrays', () => {
  it('go_fast (return nb.add(a, trace)) equals the plain function on random square arrays, dtypes and views', () => {
    const jf = nb.jit(goFast);
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom(...DTYPES), fc.nat(1000), fc.nat(3), (n, dt, seed, layout) => {
      const a = arrayOf(dt, [n, n], seed, layout);
      // (plain JS reads int64 elements as bigints, which Math.tanh does not take: the same
      // computation with Number() there)
      let trace = 0.0;
      for (let i = 0; i < n; i++) trace += Math.tanh(Number(a.get(i, i)));
      const want = dt === 'int64' ? nb.add(a, trace) : goFast(a);
      const got = jf(a) as nb.NDArray;
      // A float-typed trace that happens to be integral (tanh rounds to 1 past ~19) is a JS
      // integer to plain nb.add, so plain JS keeps the integer dtype there; compiled, trace
      // is a float64 and the result a float (the types are fixed per specialisation).
      if (Number.isInteger(trace) && dt !== 'float64' && dt !== 'float32') {
        expect(got.dtype).toBe('float64');
        expect(got.toArray()).toEqual(nb.add(a.astype('float64'), trace).toArray());
        return;
      }
      // tanh is V8's in the plain function and AssemblyScript's compiled: the trace may differ
      // in its last bit, so float results are compared to a few ulps of it.
      expect(got.dtype).toBe((want as nb.NDArray).dtype);
      expect(got.shape).toEqual((want as nb.NDArray).shape);
      const w = (want as nb.NDArray).flatten().toArray() as number[];
      const eps = got.dtype === 'float32' ? 2 ** -22 : 4 * Number.EPSILON;
      (got.flatten().toArray() as number[]).forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThanOrEqual(eps * Math.max(1, Math.abs(trace), Math.abs(w[i]!))));
    }), { numRuns: 60 });
    expect(jf.signatures).toContain('float64[:,::1](float64[:,::1])');
    expect(jf.signatures).toContain('float32[:,::1](float32[:,::1])');
  });

  it('every one-output built-in with a kernel form equals nb.<ufunc> at run time, per dtype (others are NB1042)', () => {
    const values = [0, 1, -1, 2, -3, 7, 100, -0.5, 2.5, 1e10, -1e-3, NaN, Infinity, -Infinity, 0.25, 3];
    const rows = (Object.entries(UFUNC_TABLE) as [string, { nin: number; nout: number; ulps?: number }][]).filter(([, r]) => r.nout === 1);
    let compared = 0;
    for (const dt of DTYPES) {
      const a = nb.array(values.map((_, i) => values[(i * 7) % values.length]!)).astype(dt);
      const b = nb.array(values).astype(dt);
      const arg = { kind: 'ndarray', dtype: dt, ndim: 1, contiguous: true } as const;
      for (const nin of [1, 2]) {
        const params = nin === 1 ? '(a)' : '(a, b)';
        // Which loops have a kernel form: compileJit alone (no Wasm build) says NB1042 where not.
        const ok: string[] = [];
        for (const [key, row] of rows) {
          if (row.nin !== nin) continue;
          try {
            compileJit(`${params} => nb.${key}${params}`, nin === 1 ? [arg] : [arg, arg]);
            ok.push(key);
          } catch (e) {
            expect((e as { code?: string }).code, `${key} ${dt}: ${(e as Error).message}`).toBe('NB1042');
          }
        }
        // One jit function returning every supported result (one Wasm build per dtype and arity).
        const f = nb.jit(new Function('nb', `return ${params} => [${ok.map((k) => `nb.${k}${params}`).join(', ')}]`)(nb) as (...x: nb.NDArray[]) => nb.NDArray[]);
        const got = nin === 1 ? f(a) : f(a, b);
        ok.forEach((key, n) => {
          const plain = (nb as unknown as Record<string, (...x: nb.NDArray[]) => nb.NDArray>)[key]!;
          const want = nin === 1 ? plain(a) : plain(a, b);
          const g = got[n]!;
          expect(g.dtype, `${key} ${dt}`).toBe(want.dtype);
          const ws = want.toArray() as unknown[];
          (g.toArray() as unknown[]).forEach((x, i) => {
            const y = ws[i];
            if (Object.is(x, y)) return;
            // Transcendentals: within the row's documented distance (AssemblyScript's Math vs asm/math).
            const close = (UFUNC_TABLE[key as keyof typeof UFUNC_TABLE] as { ulps?: number }).ulps !== undefined && typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) <= 1e-6 * Math.abs(y);
            expect(close, `${key} ${dt} at ${i}: ${String(x)} vs ${String(y)}`).toBe(true);
          });
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(200);
  }, 120_000);

  it('broadcasts operand shapes as NumPy does; nested calls, literals and reads of the result', () => {
    const f = (a: nb.NDArray, b: nb.NDArray) => {
      const r = nb.subtract(nb.multiply(a, 3), b);
      let s = 0.0;
      for (let i = 0; i < r.shape[0]; i++) for (let j = 0; j < r.shape[1]; j++) s += r.get(i, j) as number;
      return [r, s];
    };
    const jf = nb.jit(f);
    const dims = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }));
    // (no int64 here: plain JS reads int64 elements as bigints, and s += bigint throws)
    const NUM = DTYPES.filter((d) => d !== 'int64');
    fc.assert(fc.property(dims, fc.constantFrom(...NUM), fc.constantFrom(...NUM), fc.nat(1000), fc.nat(3), fc.nat(3), ([m, n], da, db, seed, la, mode) => {
      // b: the same shape, a row, a column, or 1-d: every broadcast case
      const bShape = [[m, n], [1, n], [m, 1], [n]][mode]!;
      const a = arrayOf(da, [m, n], seed, la);
      const b = arrayOf(db, bShape, seed + 1, la);
      const [r, s] = jf(a, b) as [nb.NDArray, number];
      const [wr, ws] = f(a, b) as [nb.NDArray, number];
      same(r, wr);
      expect(s).toBeCloseTo(ws, 6);
    }), { numRuns: 60 });
    // Shapes that do not broadcast: the ShapeError nb.subtract gives, before the call runs.
    const a = nb.ones([2, 3]);
    const b = nb.ones([4]);
    const e = errorOf(() => jf(a, b));
    expect(e.code).toBe('E_SHAPE_BROADCAST');
    expect(errorOf(() => f(a, b)).code).toBe('E_SHAPE_BROADCAST');
  });

  it('scalars are weak as JS numbers are to nb.add: literals by their kind, locals by their type', () => {
    const cases: [string, (a: nb.NDArray) => unknown, D][] = [
      ['int literal', (a) => nb.add(a, 3), 'int32'],
      ['float literal', (a) => nb.multiply(a, 0.5), 'int32'],
      ['integer local', (a) => { let k = 0; for (let i = 0; i < a.shape[0]; i++) k += 2; return nb.add(a, k); }, 'int32'],
      ['float local', (a) => { let x = 0.0; for (let i = 0; i < a.shape[0]; i++) x += 0.3; return nb.add(a, x); }, 'int32'],
      ['float local, float32 array', (a) => { let x = 0.0; for (let i = 0; i < a.shape[0]; i++) x += 0.1; return nb.add(a, x); }, 'float32'],
      ['integer local, uint8 array', (a) => { let k = 0; for (let i = 0; i < a.shape[0]; i++) k += 10; return nb.add(a, k); }, 'uint8'],
      ['scalar parameter in a comparison', (a) => nb.greater(a, 2), 'int64'],
    ];
    for (const [what, f, dt] of cases) {
      const a = nb.array([1, 2, 3, 4]).astype(dt);
      same((nb.jit(f as (a: nb.NDArray) => nb.NDArray))(a), f(a));
      expect(what).toBeTruthy();
    }
    // A scalar parameter: its JS type at the call (a number integral → int64 → weak int).
    const g = (a: nb.NDArray, x: number) => nb.add(a, x);
    const jg = nb.jit(g);
    same(jg(nb.array([1, 2], { dtype: 'int32' }), 5), g(nb.array([1, 2], { dtype: 'int32' }), 5));
    same(jg(nb.array([1, 2], { dtype: 'int32' }), 5.5), g(nb.array([1, 2], { dtype: 'int32' }), 5.5));
  });

  it('a TypedArray operand and expression-bodied functions', () => {
    const f = (t: Float64Array) => nb.sqrt(t);
    same(nb.jit(f)(new Float64Array([1, 4, 9])), f(new Float64Array([1, 4, 9])));
    const g = (a: nb.NDArray, t: Int32Array) => nb.add(a, t);
    const a = nb.ones([2, 3], 'float32');
    const t = new Int32Array([1, 2, 3]);
    same(nb.jit(g)(a, t), g(a, t));
  });

  it('results and temporaries are released: none leaks, also when the call throws', () => {
    const f = nb.jit((a: nb.NDArray, i: number) => {
      const r = nb.sqrt(nb.add(nb.multiply(a, a), 1));
      if ((r.get(i) as number) < 0) return r;
      return r;
    });
    const a = nb.array([1, 2, 3]);
    f(a, 0).dispose();
    const before = nb.heapStats().liveBlocks;
    for (let k = 0; k < 30; k++) f(a, 1).dispose();
    for (let k = 0; k < 5; k++) expect(errorOf(() => f(a, 7)).code).toBe('E_KERNEL_BOUNDS');
    expect(nb.heapStats().liveBlocks).toBe(before);
  });

  it('ufunc calls on arrays elsewhere, two-output ufuncs, loops without a kernel form and out-of-range literals are NB1042', () => {
    const nd = nb.ones([2, 2]);
    // (line and column in the function's text as the test runner compiled it, at the call named)
    const where = (f: unknown, needle: string) => {
      const lines = String(f).split('\n');
      const l = lines.findIndex((x) => x.includes(needle));
      // (a call starts at its callee: `nb.add(` however the runner spelled the namespace)
      const m = new RegExp(`[\\w$.]*${needle.replace('(', '\\(')}`).exec(lines[l]!)!;
      return [l + 1, m.index + 1];
    };
    const cases: [string, (a: nb.NDArray) => unknown, string][] = [
      ['in a loop', (a) => {
        let s = 0.0;
        for (let i = 0; i < 2; i++) s += nb.add(a, i).get(0, 0) as number;
        return s;
      }, 'add('],
      ['let', (a) => {
        let r = nb.add(a, 1);
        return r;
      }, 'let r'],
      ['two outputs', (a) => {
        const r = nb.divmod(a, 2);
        return r;
      }, 'divmod('],
      ['out-of-range literal', (a) => {
        const r = nb.add(a, 300);
        return r;
      }, '300'],
    ];
    for (const [what, f, needle] of cases) {
      const a = what === 'out-of-range literal' ? nb.ones([2], 'uint8') : nd;
      const e = errorOf(() => nb.jit(f)(a));
      expect([what, e.code, e.line, e.column]).toEqual([what, 'NB1042', ...where(f, needle)]);
    }
    // No integer loop source for power: the message says to write the loop.
    const p = errorOf(() => nb.jit((a: nb.NDArray) => nb.power(a, a))(nb.ones([2], 'int32')));
    expect(p.code).toBe('NB1042');
    expect(p.message).toMatch(/write the loop/);
  });
});

describe('nb.jit: array-literal results', () => {
  it('return [s, n, mean, flag] gives a JS array of the values plain JS computes', () => {
    const stats = (a: nb.NDArray) => {
      let s = 0.0;
      let n = 0;
      let big = false;
      for (let i = 0; i < a.shape[0]; i++) {
        s += a.get(i) as number;
        n++;
        if ((a.get(i) as number) > 2) big = true;
      }
      if (n === 0) return [0.0, 0, 0.0, false];
      return [s, n, s / n, big];
    };
    const jf = nb.jit(stats);
    fc.assert(fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 8 }), (xs) => {
      const a = nb.array(xs, { dtype: 'float64' });
      expect(jf(a)).toEqual(stats(a));
    }), { numRuns: 40 });
    expect(jf.inspect(nb.array([1.5])).signature).toBe('[float64, int64, float64, bool](float64[::1])');
  });

  it('positions may be arrays it makes and arguments (the same object)', () => {
    const f = (a: nb.NDArray) => {
      let m = 0.0;
      for (let i = 0; i < a.shape[0]; i++) m = Math.max(m, a.get(i) as number);
      return [nb.divide(a, m), m, a];
    };
    const a = nb.array([1, 2, 4], { dtype: 'float32' });
    const [r, m, same2] = nb.jit(f)(a) as [nb.NDArray, number, nb.NDArray];
    const [wr, wm] = f(a) as [nb.NDArray, number];
    same(r, wr);
    expect(m).toBe(wm);
    expect(same2).toBe(a);
  });

  it("destructuring a helper's array literal is NB1042 saying what to do instead", () => {
    const pair = (x: number) => [x, x * 2];
    const e = errorOf(() => nb.jit({ helpers: { pair } })((x: number) => {
      const [p, q] = pair(x);
      return p + q;
    })(1));
    expect([e.code, e.line]).toEqual(['NB1042', 2]);
    expect(e.message).toMatch(/pass it an array to write/);
  });

  it('returns of different lengths or kinds are NB5003', () => {
    const e = errorOf(() => nb.jit((x: number) => {
      if (x > 0) return [x, x];
      return [x];
    })(1));
    expect([e.code, e.line]).toEqual(['NB5003', 3]);
    const e2 = errorOf(() => nb.jit((x: number) => {
      if (x > 0) return [x, x];
      return x;
    })(1));
    expect(e2.code).toBe('NB5003');
  });
});

describe('nb.jit: helpers that return nothing', () => {
  const fillRow = (out: nb.NDArray, i: number, v: number) => {
    for (let j = 0; j < out.shape[1]; j++) {
      if (j > 2) return;
      out.set(i, j, v + j);
    }
  };

  it('a void helper called as a statement writes the array it is given; the jit function returns nothing', () => {
    const f = (out: nb.NDArray) => {
      for (let i = 0; i < out.shape[0]; i++) fillRow(out, i, i * 10);
    };
    const jf = nb.jit({ helpers: { fillRow } })(f);
    const got = nb.zeros([3, 5], 'int32');
    const want = nb.zeros([3, 5], 'int32');
    expect(jf(got)).toBeUndefined();
    f(want);
    expect(got.toArray()).toEqual(want.toArray());
    // The helper jitted on its own is a void jit function.
    const direct = nb.jit(fillRow);
    expect(direct(got, 0, 7)).toBeUndefined();
    expect((got.toArray() as number[][])[0]).toEqual([7, 8, 9, 0, 0]);
  });

  it("the value of a void helper is NB1042 (JavaScript would read undefined)", () => {
    const e = errorOf(() => nb.jit({ helpers: { fillRow } })((out: nb.NDArray) => {
      const x = fillRow(out, 0, 1);
      return x;
    })(nb.zeros([2, 2])));
    expect([e.code, e.line]).toEqual(['NB1042', 2]);
    expect(e.message).toMatch(/returns nothing/);
  });
});
