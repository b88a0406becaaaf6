/**
 * The Wasm tier's leaner gufunc loops keep the kernel's order of operations: innermost loops
 * unrolled by four without reassociation (src/compiler/ir/passes/fastmath.ts unrollStrict)
 * and the row loop's copy for contiguous core rows (emit/assemblyscript/emit-module.ts
 * gufuncRow). Checked on the Wasm tier (`tier: 'wasm'`) against plain-JS loops written out
 * in the kernel's own order, bit for bit: a serial chain `s += a[i] * b[i]` rounds
 * differently as soon as any two of its additions trade places. Core lengths cover the
 * unrolled loop alone (multiples of 4), its remainder (1-3 elements), and loops too short
 * to unroll; layouts cover contiguous core rows (the contiguous copy), every other element
 * and reversed rows (negative strides: the general copy).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type A = any;
type Gufunc = ((...args: unknown[]) => nb.NDArray) & { ready: Promise<unknown> };

const KERNELS = {
  /** A reduction over the core dim: one serial chain per row. */
  rowdot: {
    sig: 'void(float64[:], float64[:], float64[:])', layout: '(n),(n)->()', nin: 2,
    f: (a: A, b: A, r: A) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; },
    js: (a: number[], b: number[]): number[] => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return [s]; },
  },
  /** A local declared in the body, a branch, and a store per element (renamed per copy). */
  scan: {
    sig: 'void(float64[:], float64[:])', layout: '(n)->(n)', nin: 1,
    f: (a: A, o: A) => {
      let s = 0.5;
      for (let i = 0; i < a.length; i++) {
        const t = a[i] * 0.5;
        if (t > s) s = s * 0.25 + t; else s -= t;
        o[i] = s;
      }
    },
    js: (a: number[]): number[] => {
      let s = 0.5;
      return a.map((x) => {
        const t = x * 0.5;
        if (t > s) s = s * 0.25 + t; else s -= t;
        return s;
      });
    },
  },
  /** A float32 product summed in a float64 local, stored as float32. */
  dot32: {
    sig: 'void(float32[:], float32[:], float32[:])', layout: '(n),(n)->()', nin: 2,
    f: (a: A, b: A, r: A) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; },
    js: (a: number[], b: number[]): number[] => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.fround(a[i]! * b[i]!); return [Math.fround(s)]; },
  },
};
type Name = keyof typeof KERNELS;
const made = new Map<Name, Gufunc>();
const kernel = (name: Name): Gufunc => {
  if (!made.has(name)) {
    const k = KERNELS[name];
    made.set(name, nb.guvectorize(k.sig, k.layout, { tier: 'wasm', name: `unrolled ${name}` })(k.f as never) as unknown as Gufunc);
  }
  return made.get(name)!;
};

type Layout = 'contiguous' | 'every other' | 'reversed';
/** An m x n view of `values` (C order) in `layout`, with dtype d. */
function laidOut(values: readonly number[], m: number, n: number, d: 'float64' | 'float32', layout: Layout): nb.NDArray {
  const base = nb.zeros([m, layout === 'every other' ? 2 * n : n], d);
  const data = base.data as Float64Array | Float32Array;
  const w = base.shape[1]!;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const col = layout === 'every other' ? 2 * j : layout === 'reversed' ? n - 1 - j : j;
      data[base.offset + i * w + col] = values[i * n + j]!;
    }
  }
  if (layout === 'every other') return base.slice(':', '::2');
  if (layout === 'reversed') return base.slice(':', '::-1');
  return base;
}

// Mostly thirds of moderate integers, whose sums round differently in any other order (a
// reassociated loop fails this test: checked with fastmath: true); now and then a signed
// zero, a huge value, an infinity or a NaN.
const valueArb = (d: 'float64' | 'float32') => fc.oneof(
  { weight: 200, arbitrary: fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k / 3) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e300, -1e300, Infinity, NaN) },
).map(d === 'float32' ? Math.fround : (x: number) => x);

describe('gufunc loops unrolled and versioned for contiguous rows keep the strict order', () => {
  afterAll(() => nb.shutdown());

  it('bit for bit the plain-JS loop, for every core length and layout', async () => {
    await Promise.all((Object.keys(KERNELS) as Name[]).map((name) => kernel(name).ready));
    const caseArb = fc.record({
      name: fc.constantFrom<Name>('rowdot', 'scan', 'dot32'),
      m: fc.integer({ min: 1, max: 5 }),
      n: fc.oneof(fc.integer({ min: 1, max: 13 }), fc.constantFrom(31, 32, 33)),
      layout: fc.constantFrom<Layout>('contiguous', 'every other', 'reversed'),
    }).chain((c) => {
      const d = c.name === 'dot32' ? ('float32' as const) : ('float64' as const);
      const operand = fc.array(valueArb(d), { minLength: c.m * c.n, maxLength: c.m * c.n });
      return fc.tuple(operand, operand).map(([x, y]) => ({ ...c, d, x, y }));
    });
    fc.assert(
      fc.property(caseArb, ({ name, m, n, layout, d, x, y }) => {
        const k = KERNELS[name];
        const ins = [x, y].slice(0, k.nin).map((v) => laidOut(v, m, n, d, layout));
        const out = kernel(name)(...ins);
        for (let i = 0; i < m; i++) {
          const row = (v: number[]) => v.slice(i * n, (i + 1) * n);
          const want = (k.js as (...r: number[][]) => number[])(row(x), row(y));
          const got = want.map((_, j) => (out.ndim === 1 ? out.get(i) : out.get(i, j)) as number);
          if (!want.every((w, j) => Object.is(w, got[j]))) {
            throw new Error(`${name} ${layout} ${m}x${n} row ${i}: got ${got.join(', ')}, want ${want.join(', ')}`);
          }
        }
        for (const a of [...ins, out]) a.dispose();
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(made.size).toBe(3);
  });
});
