/**
 * Issue 13 items 4 and 6 through the public factories (nb.vectorize, nb.guvectorize, eager
 * and lazy): literal types from the source text, `| 0` / `>>> 0` on floats, a float index's
 * error, do/while, switch and for...of. Results are compared with the kernel function itself
 * run as plain JavaScript where its meaning is JavaScript's (float64).
 *
 * Sources that depend on how a literal is written are strings run through `eval`: vitest's
 * transform (esbuild) reprints `1.0` as `1`.
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (...a: any[]) => any;
const kernel = (src: string): Fn => (0, eval)(`(${src})`);
const f64 = (xs: number[]) => nb.array(xs, { dtype: 'float64' });

describe('literal types (issue 13 item 4)', () => {
  const fact = kernel('(n) => { let f = 1.0; for (let i = 1; i <= n; i++) f *= i; return f; }');

  it("the factorial of 21 is 51090942171709440000 with 'f8(f8)', as in plain JavaScript", () => {
    const f = nb.vectorize('f8(f8)')(fact);
    const ns = [0, 1, 5, 20, 21, 22, 25];
    expect(f(f64(ns)).toArray()).toEqual(ns.map(fact));
    expect((f(21) as nb.NDArray).item()).toBe(51090942171709440000);
  });

  it('the factorial of 21 is 51090942171709440000 lazily (int64 input, float64 output)', () => {
    const f = nb.vectorize()(fact) as Fn & { types: readonly string[] };
    const r = f([21, 22]) as nb.NDArray;
    expect(r.dtype).toBe('float64');
    expect(r.toArray()).toEqual([51090942171709440000, fact(22)]);
    expect(f.types).toEqual(['int64->float64']);
  });

  it('an int literal keeps an integer kernel integer; a float literal makes it float64', () => {
    const byInt = nb.vectorize()(kernel('(x) => x * 2'));
    const byFloat = nb.vectorize()(kernel('(x) => x * 2.0'));
    const x = nb.array([1, 2, 3], { dtype: 'int32' });
    expect(byInt(x).dtype).toBe('int32');
    expect(byFloat(x).dtype).toBe('float64');
  });

  it('(x * 10) | 0 bins floats (ToInt32), >>> 0 gives uint32, as plain JavaScript', () => {
    const bin = kernel('(x) => (x * 10) | 0');
    const u = kernel('(x) => x >>> 0');
    const xs = [0.05, 0.15, 0.99, -0.26, 1e10, -1e10, NaN, Infinity, 2 ** 31 + 0.5];
    expect(nb.vectorize('i4(f8)')(bin)(f64(xs)).toArray()).toEqual(xs.map(bin));
    expect(nb.vectorize('u4(f8)')(u)(f64(xs)).toArray()).toEqual(xs.map(u));
    // Lazily: an int32 result from float64 inputs.
    expect(nb.vectorize()(bin)(f64(xs)).dtype).toBe('int32');
  });

  it('a lookup table indexed by (x * n) | 0, written into an int32 output (unsafe cast of the float)', () => {
    const src = '(x, table, out) => { for (let i = 0; i < x.length; i++) { const b = Math.min((x[i] * table.length) | 0, table.length - 1); out[i] = table[b] * 1.5; } }';
    const lut = nb.guvectorize('void(f8[:], f8[:], i4[:])', '(n),(m)->(n)')(kernel(src));
    const table = [10, 20, 30, 40];
    const xs = [0, 0.2, 0.3, 0.55, 0.99, 1];
    const out = new Int32Array(xs.length);
    kernel(src)(Float64Array.from(xs), Float64Array.from(table), out);
    expect(lut(f64(xs), f64(table)).toArray()).toEqual(Array.from(out));
  });

  it('a float index is a KernelError (NB2002) that shows the | 0 idiom', () => {
    const g = () => nb.guvectorize('void(f8[:], f8[:])', '(n)->(n)')(kernel('(a, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i / 2]; }'));
    expect(g).toThrow(nb.KernelError);
    try { g(); } catch (e) {
      expect((e as nb.KernelError).code).toBe('NB2002');
      expect((e as Error).message).toContain('a[x | 0]');
    }
  });
});

describe('control flow (issue 13 item 6)', () => {
  // A string: the tests' tsconfig forbids fallthrough in TypeScript.
  const classify = kernel(`(x) => {
    let r = 0;
    switch (Math.sign(x)) {
      case -1: r = -10; break;
      case 0: r = 100; // falls through
      default: r += 1;
    }
    let n = 0;
    do { n += 1; x /= 2; } while (Math.abs(x) > 1);
    return r * 1000 + n;
  }`);

  it('switch with fallthrough and do/while, eager and lazy, as plain JavaScript', () => {
    const xs = [-7, -0.5, 0, -0, 0.5, 3, 100, NaN];
    expect(nb.vectorize('f8(f8)')(classify)(f64(xs)).toArray()).toEqual(xs.map(classify));
    // Lazily the result type is what the kernel returns: int64 (r and n are integer locals).
    const lazy = nb.vectorize()(classify)(f64(xs)) as nb.NDArray;
    expect(lazy.dtype).toBe('int64');
    expect((lazy.toArray() as bigint[]).map(Number)).toEqual(xs.map(classify));
  });

  it('for...of over core dimensions, with a switch and continue inside', () => {
    const src = '(a, m, out) => { let k = 0; for (const v of a) { switch (k % 3) { case 0: k++; continue; case 1: out[0] += v; break; default: out[1] += v; } k++; } for (let r = 0; r < m.length; r++) for (const v of m[r]) out[2] += v * (r + 1); }';
    const g = nb.guvectorize('void(f8[:], f8[:,:], f8[:])', '(n),(k,n)->(n)')(kernel(src));
    const a = [1, 2, 3, 4, 5, 6, 7];
    const m = [a.map((v) => v * 10), a.map((v) => v * 100)];
    const out = new Float64Array(a.length);
    kernel(src)(Float64Array.from(a), m.map((r) => Float64Array.from(r)), out);
    expect(g(f64(a), nb.array(m, { dtype: 'float64' })).toArray()).toEqual(Array.from(out));
  });
});
