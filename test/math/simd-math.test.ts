/**
 * Accuracy and special values of the SIMD transcendental kernels in asm/math/ (sin cos exp log
 * exp2 log2 tanh; float64x2 and float32x4 kernels and their scalar versions).
 *
 * References: test/fixtures/math-reference.json (scripts/math-fixtures.py: long double values,
 * cross-checked with mpmath, stored as nearest value + correction). Its inputs are regenerated
 * here from the same seeded recipes (checked by an XOR of their bits), plus explicit inputs
 * (specials, the floating-point numbers closest to multiples of pi/2, powers of two, integers).
 * float32 kernels are also checked on 100k more random inputs per function against JS's float64
 * Math (its error, < 1 float64 ulp, is 2^-29 of a float32 ulp).
 *
 * Each case runs through asm/math/test-entry.ts, compiled here in memory with the package's asc
 * flags, on a shared memory this file provides:
 *   - the SIMD loop (whole vectors, scalar tail) and the scalar loop: every finite result within
 *     the function's bound (all <= 2 ulp), specials exact (NaN, +-inf, signed zeros), and both
 *     loops bit-identical;
 *   - mixed vectors: each input that leaves a kernel's fast path (specials, huge, subnormal,
 *     overflow/underflow, near multiples of pi/2) packed with ordinary inputs in every lane
 *     position, so that one lane's slow path cannot disturb its neighbours.
 * The max ulp error per function, dtype and path is printed (console.log).
 *
 * Beyond these tests, the float32 kernels were run once over all 2^32 inputs against float64
 * NativeMath (max ulp / inputs above 1 ulp / special-value mismatches): sin 0.5005 / 0 / 0,
 * cos 0.5005 / 0 / 0, exp 0.808 / 0 / 0, log 0.835 / 0 / 0, exp2 0.854 / 0 / 0,
 * log2 0.864 / 0 / 0, tanh 1.247 / 2480 / 0. The BOUND table below covers those maxima.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileAsmBench } from '../../bench/asm-module.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../helpers/fixtures.js';

type DTypeName = 'float64' | 'float32';
type Fn = 'sin' | 'cos' | 'exp' | 'log' | 'exp2' | 'log2' | 'tanh';

const FNS: Fn[] = ['sin', 'cos', 'exp', 'log', 'exp2', 'log2', 'tanh'];
const DTYPES: DTypeName[] = ['float64', 'float32'];

/**
 * Asserted max ulp error per function (the requirement is 2 ulp everywhere; these are the
 * measured maxima rounded up a little, so a regression shows).
 */
const BOUND: Record<DTypeName, Record<Fn, number>> = {
  float64: { sin: 1.0, cos: 1.0, exp: 1.0, log: 1.0, exp2: 1.0, log2: 1.0, tanh: 1.2 },
  float32: { sin: 0.6, cos: 0.6, exp: 1.0, log: 1.0, exp2: 1.0, log2: 1.0, tanh: 1.3 },
};

interface Recipe {
  kind: 'uniform' | 'bits' | 'near' | 'nearmul';
  count: number;
  seed: number;
  xor: string;
  a?: number;
  b?: number;
  emin?: number;
  emax?: number;
  sign?: 'both' | 'pos' | 'neg';
  v?: number;
  k?: number;
  c?: number;
  nmin?: number;
  nmax?: number;
}

interface Entry {
  recipes: Recipe[];
  explicit: string;
  ref: string;
  corr: string;
  count: number;
}

type Fixture = Record<DTypeName, Record<Fn, Entry>>;

// ---- the input generator of scripts/math-fixtures.py -------------------------------------------

const M64 = (1n << 64n) - 1n;

class SplitMix64 {
  private s: bigint;
  constructor(seed: number) {
    this.s = BigInt(seed) & M64;
  }
  next(): bigint {
    this.s = (this.s + 0x9e3779b97f4a7c15n) & M64;
    let z = this.s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  }
}

const scratch = new DataView(new ArrayBuffer(8));

function fromBits(b: bigint, dtype: DTypeName): number {
  if (dtype === 'float64') {
    scratch.setBigUint64(0, b & M64, true);
    return scratch.getFloat64(0, true);
  }
  scratch.setUint32(0, Number(b & 0xffffffffn), true);
  return scratch.getFloat32(0, true);
}

function bitsOf(v: number, dtype: DTypeName): bigint {
  if (dtype === 'float64') {
    scratch.setFloat64(0, v, true);
    return scratch.getBigUint64(0, true);
  }
  scratch.setFloat32(0, v, true);
  return BigInt(scratch.getUint32(0, true));
}

const round = (x: number, dtype: DTypeName) => (dtype === 'float64' ? x : Math.fround(x));

function generate(r: Recipe, dtype: DTypeName): number[] {
  const rng = new SplitMix64(r.seed);
  const [mant, shift, signShift] = dtype === 'float64' ? [52n, 52n, 63n] : [23n, 23n, 31n];
  const out: number[] = [];
  for (let i = 0; i < r.count; i++) {
    const x = rng.next();
    switch (r.kind) {
      case 'uniform': {
        const u = Number(x >> 11n) * 2 ** -53;
        out.push(round(r.a! + (r.b! - r.a!) * u, dtype));
        break;
      }
      case 'bits': {
        const span = BigInt(r.emax! - r.emin! + 1);
        const e = BigInt(r.emin!) + ((x >> 40n) % span);
        const sign = r.sign === 'both' ? x >> 63n : r.sign === 'neg' ? 1n : 0n;
        const m = x & ((1n << mant) - 1n);
        out.push(fromBits((sign << signShift) | (e << shift) | m, dtype));
        break;
      }
      case 'near': {
        const k = BigInt(r.k!);
        const d = (x % (2n * k + 1n)) - k;
        out.push(fromBits(bitsOf(r.v!, dtype) + d, dtype));
        break;
      }
      case 'nearmul': {
        const n = BigInt(r.nmin!) + ((x >> 11n) % BigInt(r.nmax! - r.nmin! + 1));
        const v = round(Number(n) * r.c!, dtype);
        const x2 = rng.next();
        const k = BigInt(r.k!);
        const d = (x2 % (2n * k + 1n)) - k;
        const y = fromBits(bitsOf(v, dtype) + d, dtype);
        out.push(x2 >> 63n ? -y : y);
        break;
      }
    }
  }
  return out;
}

function xorBits(xs: number[], dtype: DTypeName): string {
  let acc = 0n;
  for (const x of xs) acc ^= bitsOf(x, dtype);
  return acc.toString(16);
}

function decode(b64: string, dtype: DTypeName | 'int8'): ArrayLike<number> {
  const bytes = Buffer.from(b64, 'base64');
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (dtype === 'float64') return new Float64Array(buf);
  if (dtype === 'float32') return new Float32Array(buf);
  return new Int8Array(buf);
}

// ---- ulp error ----------------------------------------------------------------------------------

/** Spacing above |v| in the dtype (the smallest subnormal at zero and below the normal range). */
function ulpOf(v: number, dtype: DTypeName): number {
  const b = bitsOf(Math.abs(v), dtype);
  if (dtype === 'float64') {
    const e = Number(b >> 52n);
    return e === 0 ? 2 ** -1074 : 2 ** (e - 1075);
  }
  const e = Number(b >> 23n);
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

function isPow2(v: number, dtype: DTypeName): boolean {
  const b = bitsOf(Math.abs(v), dtype);
  return dtype === 'float64' ? (b & ((1n << 52n) - 1n)) === 0n && b >> 52n > 1n : (b & 0x7fffffn) === 0n && b >> 23n > 1n;
}

/**
 * Error of y in ulps of the exact reference near + corr ulp(near) (corr in ulps). Non-finite
 * references and exact zeros must match exactly (0 or Infinity).
 */
function ulpError(y: number, near: number, corr: number, dtype: DTypeName): number {
  if (Number.isNaN(near)) return Number.isNaN(y) ? 0 : Infinity;
  if (!Number.isFinite(near)) return y === near ? 0 : Infinity;
  if (near === 0 && corr === 0) return Object.is(y, near) ? 0 : Infinity;
  if (!Number.isFinite(y)) return Infinity;
  const u = ulpOf(near, dtype);
  // In ulps first: corr * u could underflow (u is 2^-1074 for subnormal results).
  const d = Math.abs((y - near) / u - corr);
  // Just below a power of two the spacing of the exact value is half that above it.
  return corr < 0 && isPow2(near, dtype) ? 2 * d : d;
}

// ---- the module ---------------------------------------------------------------------------------

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FN_ID: Record<Fn, number> = { sin: 0, cos: 1, exp: 2, log: 3, exp2: 4, log2: 5, tanh: 6 };

interface Loops {
  heapBase(): number;
  simd64(id: number, src: number, dst: number, n: number): void;
  scalar64(id: number, src: number, dst: number, n: number): void;
  rows64(id: number, src: number, dst: number, n: number): void;
  simd32(id: number, src: number, dst: number, n: number): void;
  scalar32(id: number, src: number, dst: number, n: number): void;
}

/** asm/math/test-entry.ts compiled as the by-hand benches compile asm/ kernels (the prebuilt module's flags). */
const compileEntry = (): Promise<WebAssembly.Module> =>
  compileAsmBench(readFileSync(join(root, 'asm/math/test-entry.ts'), 'utf8'), 'asm/math/test-entry.ts');

const fixture = loadFixture<Fixture>('math-reference');
const memory = new WebAssembly.Memory({ initial: 160, maximum: 65536, shared: true });
let loops: Loops;
let base = 0;

/**
 * Apply fn to xs with the SIMD loop and with the scalar loop, and (float64) with the row
 * kernel of the generated loops (rows64), out of place and in place.
 */
function run(fn: Fn, dtype: DTypeName, xs: ArrayLike<number>): { simd: Float64Array; scalar: Float64Array; rows: Float64Array[] } {
  const n = xs.length;
  const size = dtype === 'float64' ? 8 : 4;
  const bytes = ((n * size + 63) & ~63) + 64;
  const need = base + 3 * bytes;
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const src = base;
  const dst = base + bytes;
  const Arr = dtype === 'float64' ? Float64Array : Float32Array;
  new Arr(memory.buffer, src, n).set(xs);
  const result = (simd: boolean): Float64Array => {
    const f = dtype === 'float64' ? (simd ? loops.simd64 : loops.scalar64) : simd ? loops.simd32 : loops.scalar32;
    f(FN_ID[fn], src, dst, n);
    return Float64Array.from(new Arr(memory.buffer, dst, n));
  };
  const rows: Float64Array[] = [];
  if (dtype === 'float64') {
    loops.rows64(FN_ID[fn], src, dst, n);
    rows.push(Float64Array.from(new Arr(memory.buffer, dst, n)));
    new Arr(memory.buffer, dst, n).set(xs);
    loops.rows64(FN_ID[fn], dst, dst, n);
    rows.push(Float64Array.from(new Arr(memory.buffer, dst, n)));
  }
  return { simd: result(true), scalar: result(false), rows };
}

/** Count of results that differ in bits from the SIMD loop's, per row-kernel run. */
function rowsDiffer(simd: Float64Array, rows: Float64Array[]): number[] {
  return rows.map((r) => r.reduce((k, v, i) => k + (Object.is(v, simd[i]) ? 0 : 1), 0));
}

/** Inputs that leave a kernel's fast path (see the headers in asm/math/*.ts). */
function slowInput(fn: Fn, dtype: DTypeName, x: number): boolean {
  const f64 = dtype === 'float64';
  const ax = Math.abs(x);
  if (!Number.isFinite(x)) return true;
  switch (fn) {
    case 'sin':
    case 'cos':
      return f64 ? ax > 823549 : ax >= 421657440;
    case 'exp':
      return ax > (f64 ? 708 : 86);
    case 'exp2':
      return ax > (f64 ? 1021 : 125);
    case 'log':
    case 'log2':
      return !(x >= (f64 ? 2.2250738585072014e-308 : 1.1754943508222875e-38));
    case 'tanh':
      // No slow path; the lanes where the other formula, the clamp or a zero sign matters.
      return x === 0 || ax >= (f64 ? 20 : 9.5) || Math.abs(ax - (f64 ? 0.7 : 0.9)) < 1e-3;
  }
}

interface Row {
  fn: Fn;
  dtype: DTypeName;
  points: number;
  simd: number;
  scalar: number;
  mixed: number;
  extra?: number;
}
const rows: Row[] = [];

function maxOf(errs: number[]): number {
  let m = 0;
  for (const e of errs) m = Math.max(m, e);
  return m;
}

/** Indices and values of the worst cases, for failure messages. */
function worst(xs: ArrayLike<number>, ys: ArrayLike<number>, errs: number[], limit: number): string {
  const bad: string[] = [];
  for (let i = 0; i < errs.length && bad.length < 5; i++) {
    if (!(errs[i] <= limit)) bad.push(`x=${xs[i]} got ${ys[i]} (${errs[i].toFixed(3)} ulp)`);
  }
  return bad.join('; ');
}

beforeAll(async () => {
  loops = new WebAssembly.Instance(await compileEntry(), { env: { memory } }).exports as unknown as Loops;
  base = (loops.heapBase() + 63) & ~63;
}, 120_000);

describe.each(DTYPES)('asm/math kernels, %s', (dtype) => {
  describe.each(FNS)('%s', (fn) => {
    const entry = fixture[dtype][fn];
    let xs: number[] = [];
    let near: ArrayLike<number> = [];
    let corr: ArrayLike<number> = [];
    const row: Row = { fn, dtype, points: 0, simd: NaN, scalar: NaN, mixed: NaN };

    beforeAll(() => {
      xs = [];
      for (const r of entry.recipes) {
        const part = generate(r, dtype);
        expect(xorBits(part, dtype), `recipe ${JSON.stringify({ ...r, xor: undefined })} regenerated differently`).toBe(r.xor);
        xs.push(...part);
      }
      xs.push(...Array.from(decode(entry.explicit, dtype)));
      expect(xs.length).toBe(entry.count);
      near = decode(entry.ref, dtype);
      corr = Array.from(decode(entry.corr, 'int8'), (c) => c / 128);
      row.points = xs.length;
      rows.push(row);
    });

    it('SIMD and scalar loops are within the ulp bound, with exact specials', () => {
      const { simd, scalar, rows } = run(fn, dtype, xs);
      // The row kernel (out of place, in place): the SIMD loop's bits, checked below.
      expect(rowsDiffer(simd, rows)).toEqual(rows.map(() => 0));
      const es = xs.map((_, i) => ulpError(simd[i], near[i], corr[i], dtype));
      const ec = xs.map((_, i) => ulpError(scalar[i], near[i], corr[i], dtype));
      row.simd = maxOf(es);
      row.scalar = maxOf(ec);
      expect(row.simd, worst(xs, simd, es, BOUND[dtype][fn])).toBeLessThanOrEqual(BOUND[dtype][fn]);
      expect(row.scalar, worst(xs, scalar, ec, BOUND[dtype][fn])).toBeLessThanOrEqual(BOUND[dtype][fn]);
      // Same bits from both loops (the scalar kernels run the vector code on one lane).
      let differ = 0;
      for (let i = 0; i < xs.length; i++) if (!Object.is(simd[i], scalar[i])) differ++;
      expect(differ).toBe(0);
    });

    it('a slow-path lane does not disturb the other lanes of its vector', () => {
      const lanes = dtype === 'float64' ? 2 : 4;
      const slow: number[] = [];
      const fast: number[] = [];
      xs.forEach((x, i) => (slowInput(fn, dtype, x) ? slow : fast).push(i));
      expect(slow.length).toBeGreaterThan(20);
      // Every slow input in every lane position, the other lanes ordinary inputs.
      const idx: number[] = [];
      let f = 0;
      slow.forEach((s, j) => {
        const pos = j % lanes;
        for (let l = 0; l < lanes; l++) idx.push(l === pos ? s : fast[f++ % fast.length]);
      });
      const mixed = idx.map((i) => xs[i]);
      const { simd, scalar, rows } = run(fn, dtype, mixed);
      expect(rowsDiffer(simd, rows)).toEqual(rows.map(() => 0));
      const errs = idx.map((i, j) => ulpError(simd[j], near[i], corr[i], dtype));
      row.mixed = maxOf(errs);
      expect(row.mixed, worst(mixed, simd, errs, BOUND[dtype][fn])).toBeLessThanOrEqual(BOUND[dtype][fn]);
      let differ = 0;
      for (let j = 0; j < mixed.length; j++) if (!Object.is(simd[j], scalar[j])) differ++;
      expect(differ).toBe(0);
    });

    if (dtype === 'float32') {
      it('100k more random inputs against float64 Math', () => {
        const jsRef: Record<Fn, (x: number) => number> = {
          sin: Math.sin, cos: Math.cos, exp: Math.exp, log: Math.log, exp2: (x) => 2 ** x, log2: Math.log2, tanh: Math.tanh,
        };
        const inputs = [
          ...generate({ kind: 'bits', count: 40000, seed: 77 + FN_ID[fn], xor: '', emin: 0, emax: 254, sign: 'both' }, dtype),
          ...generate({ kind: 'uniform', count: 30000, seed: 99 + FN_ID[fn], xor: '', a: -10, b: 10 }, dtype),
          ...generate({ kind: 'uniform', count: 30000, seed: 123 + FN_ID[fn], xor: '', a: 0, b: 200 }, dtype),
        ];
        const { simd } = run(fn, dtype, inputs);
        const errs = inputs.map((x, i) => {
          const r = jsRef[fn](x);
          const r32 = Math.fround(r);
          if (!Number.isFinite(r32) || r === 0) return ulpError(simd[i], r32, 0, dtype);
          return ulpError(simd[i], r32, (r - r32) / ulpOf(r32, dtype), dtype);
        });
        row.extra = maxOf(errs);
        expect(row.extra, worst(inputs, simd, errs, BOUND[dtype][fn])).toBeLessThanOrEqual(BOUND[dtype][fn]);
      });
    }
  });
});

describe('float64 exp row kernel (exp64x2Rows: blocks of 512, software-pipelined)', () => {
  // Inputs on both sides of the fast path's edge (|x| <= 704) and the specials that leave it.
  const special = fc.constantFrom(NaN, -NaN, Infinity, -Infinity, -0, 0, 704, -704, 704.0000000000001, -704.0000000000001, 709.7, -745.1, 800, -800, 1e300, -1e300);
  const input = fc.oneof(
    { weight: 20, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min: -720, max: 720, noNaN: true }) },
    { weight: 1, arbitrary: special },
  );
  it('gives the bits of the SIMD loop at any length (across block edges) and any placement of slow-path inputs, in and out of place', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 0, maxLength: 1600 }), (xs) => {
        const { simd, rows } = run('exp', 'float64', xs);
        expect(rowsDiffer(simd, rows)).toEqual([0, 0]);
      }),
      { numRuns: 200 },
    );
  });
  it('switches range checks after a NaN block and still redoes later out-of-range blocks', () => {
    // Block 0: a NaN (fails the high-word check, passes x^2: the rest of the call takes x^2);
    // block 2: a lane beyond 704 (fails both: done again by exp64x2); blocks 1 and 3: ordinary.
    const xs = Array.from({ length: 4 * 512 }, (_, i) => -40 + (80 * ((i * 7919) % 2048)) / 2048);
    xs[3] = NaN;
    xs[2 * 512 + 5] = 705;
    xs[2 * 512 + 6] = -Infinity;
    const { simd, rows } = run('exp', 'float64', xs);
    expect(rowsDiffer(simd, rows)).toEqual([0, 0]);
    expect(Number.isNaN(rows[0]![3])).toBe(true);
    expect(rows[0]![2 * 512 + 6]).toBe(0);
    expect(Math.abs(rows[0]![2 * 512 + 5]! / Math.exp(705) - 1)).toBeLessThan(4e-16);
  });
});

describe('special values, as NumPy', () => {
  const cases: Array<[Fn, number, number]> = [
    ['sin', Infinity, NaN], ['sin', -Infinity, NaN], ['sin', NaN, NaN], ['sin', -0, -0], ['sin', 0, 0],
    ['cos', Infinity, NaN], ['cos', -0, 1], ['cos', NaN, NaN],
    ['exp', -Infinity, 0], ['exp', Infinity, Infinity], ['exp', 710, Infinity], ['exp', -746, 0], ['exp', NaN, NaN], ['exp', -0, 1],
    ['exp2', -Infinity, 0], ['exp2', Infinity, Infinity], ['exp2', 1024, Infinity], ['exp2', -1076, 0], ['exp2', 3, 8], ['exp2', -1074, 2 ** -1074],
    ['log', 0, -Infinity], ['log', -0, -Infinity], ['log', -1, NaN], ['log', -Infinity, NaN], ['log', Infinity, Infinity], ['log', NaN, NaN], ['log', 1, 0],
    ['log2', 0, -Infinity], ['log2', -1, NaN], ['log2', Infinity, Infinity], ['log2', 1024, 10], ['log2', 2 ** -1074, -1074],
    ['tanh', Infinity, 1], ['tanh', -Infinity, -1], ['tanh', -0, -0], ['tanh', NaN, NaN], ['tanh', 1e-300, 1e-300], ['tanh', -5e-324, -5e-324], ['tanh', 30, 1],
  ];
  it.each(DTYPES)('%s: every case, in each lane of a vector and in the scalar tail', (dtype) => {
    const lanes = dtype === 'float64' ? 2 : 4;
    for (const [fn, x, expected] of cases) {
      const xr = round(x, dtype);
      const want = dtype === 'float32' && fn === 'exp2' && x === -1074 ? 0 : dtype === 'float32' && fn === 'log2' && x === 2 ** -1074 ? -Infinity : round(expected, dtype);
      for (let pos = 0; pos <= lanes; pos++) {
        // lanes + 1 elements: the case in each vector lane, then alone in the scalar tail.
        const xs = Array.from({ length: lanes + 1 }, (_, i) => (i === pos ? xr : 0.5));
        const { simd, scalar } = run(fn, dtype, xs);
        expect(Object.is(simd[pos], want), `${fn}(${x}) ${dtype} lane ${pos}: ${simd[pos]}`).toBe(true);
        expect(Object.is(scalar[pos], want), `${fn}(${x}) ${dtype} scalar: ${scalar[pos]}`).toBe(true);
      }
    }
  });
});

describe('report', () => {
  it('prints the max ulp error per function, dtype and path', () => {
    const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));
    const lines = [
      'asm/math max ulp error (fixture: scripts/math-fixtures.py; extra: 100k float32 inputs vs float64 Math)',
      'function dtype    points   simd   scalar  mixed-lanes  extra  bound',
      ...rows.map(
        (r) =>
          `${r.fn.padEnd(8)} ${r.dtype.padEnd(8)} ${String(r.points).padStart(6)}  ${fmt(r.simd)}  ${fmt(r.scalar)}   ${fmt(r.mixed)}      ${fmt(r.extra)}  ${BOUND[r.dtype][r.fn]}`,
      ),
    ];
    console.log(lines.join('\n'));
    expect(rows.length).toBe(FNS.length * DTYPES.length);
  });
});
