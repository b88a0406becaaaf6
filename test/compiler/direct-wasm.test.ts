/**
 * The direct Wasm emitter (src/compiler/emit/wasm, issue 15): the binary encoder's LEB128
 * numbers against a decoder written here, the modules it writes validate and import only
 * `env.memory` as asc's do, which kernels it takes (directLane: arithmetic, comparisons, ?:,
 * && || !; directEligible: the general scalar path, and what stays on asc), and its entries'
 * ABI called directly on the heap, for an arithmetic kernel, one with a select and one of the
 * general path (if, a loop, Math.round) — rows with inputs overlapping the output exactly and partially,
 * broadcast inputs inside the output row, negative strides, and the N-d loop's plan (0-d,
 * empty dims, ndim > 32) — each against a plain-JS reference of the same element order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileKernel, type CompileKernelOptions } from '../../src/compiler/index.js';
import { directEligible, directLane, emitDirectWasm } from '../../src/compiler/emit/wasm/emit-module.js';
import { Code, encodeModule, I32, signedLeb128, unsignedLeb128 } from '../../src/compiler/emit/wasm/encode.js';
import { runtime } from '../../src/runtime/runtime.js';

/** LEB128 decoding, written from the format's definition (binary format 5.2.2). */
function decodeLeb(bytes: readonly number[], signed: boolean): { value: bigint; length: number } {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      if (signed && (b & 0x40) !== 0) result -= 1n << shift;
      return { value: result, length: i + 1 };
    }
  }
  throw new Error('unterminated LEB128');
}

describe('LEB128', () => {
  it('edge values decode to themselves in the fewest bytes', () => {
    for (const n of [0, 1, 63, 64, 127, 128, 255, 16383, 16384, 624485, 2 ** 21 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1]) {
      const b = unsignedLeb128(n);
      expect(decodeLeb(b, false)).toEqual({ value: BigInt(n), length: b.length });
      expect(b.length).toBe(Math.max(1, Math.ceil(Math.log2(n + 1) / 7)));
    }
    for (const n of [0, 1, -1, 63, 64, -64, -65, 127, -128, 8191, -8192, -123456, 2 ** 31 - 1, -(2 ** 31)]) {
      const b = signedLeb128(n);
      expect(decodeLeb(b, true)).toEqual({ value: BigInt(n), length: b.length });
    }
    // The format's own examples.
    expect(unsignedLeb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb128(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb128(-65)).toEqual([0xbf, 0x7f]);
  });

  it('any u32 and i32 round-trips', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => decodeLeb(unsignedLeb128(n), false).value === BigInt(n)));
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => decodeLeb(signedLeb128(n), true).value === BigInt(n)));
  });

  it('values out of range are refused', () => {
    expect(() => unsignedLeb128(-1)).toThrow(RangeError);
    expect(() => unsignedLeb128(2 ** 32)).toThrow(RangeError);
    expect(() => signedLeb128(2 ** 31)).toThrow(RangeError);
    expect(() => signedLeb128(0.5)).toThrow(RangeError);
  });
});

describe('encodeModule', () => {
  it('a module of a small function validates and runs', () => {
    const code = new Code().get(0).get(1).op(0x6a).end();
    const bytes = encodeModule([{ params: [I32, I32], results: [I32], locals: [I32, I32], code, export: 'add' }], { min: 0, max: 65536, shared: true });
    expect(WebAssembly.validate(bytes)).toBe(true);
    const m = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(m)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const add = new WebAssembly.Instance(m, { env: { memory: runtime().memory } }).exports['add'] as (a: number, b: number) => number;
    expect(add(2 ** 31 - 1, 1)).toBe(-(2 ** 31));
  });

  it('the memory import is shared with at most 65536 pages, as asc declares it (toolchain/asc-flags.ts)', () => {
    const k = compileKernel((x: number, y: number) => x * y + 1, 'f8(f8,f8)', { kind: 'scalar', prefix: 'v0_' });
    const bytes = emitDirectWasm([k]);
    // The import section (id 2): one import, env.memory, limits flag 3 (shared, with a maximum), min 0, max 65536.
    const at = 8 + 2 + bytes[9]!; // after the header and the type section
    expect(bytes[at]).toBe(2);
    const env = [...new TextEncoder().encode('env')];
    const memory = [...new TextEncoder().encode('memory')];
    const body = [1, 3, ...env, 6, ...memory, 0x02, 0x03, 0x00, ...unsignedLeb128(65536)];
    expect([...bytes.subarray(at + 2, at + 2 + body.length)]).toEqual(body);
    const m = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(m)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(m).map((e) => e.name).sort()).toEqual(['memory', 'v0_loop', 'v0_row']);
    // An unshared memory does not link: the module really declares a shared one.
    expect(() => new WebAssembly.Instance(m, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } })).toThrow();
  });
});

describe('directLane: the kernels the direct emitter takes', () => {
  const lane = (src: string, sig: string, options: { reduceTile?: boolean } = {}) =>
    directLane(compileKernel(src, sig, { kind: 'scalar' }).ir, options);

  it('straight-line float kernels of one float type', () => {
    expect(lane('(x, y) => x * y + 1', 'f8(f8,f8)')).toBe('float64');
    expect(lane('(x) => Math.min(Math.max(x, 0), 1)', 'f4(f4)')).toBe('float32');
    expect(lane('(x, y) => { const s = x * x + y * y; return Math.sqrt(s) / (Math.abs(x) + 1); }', 'f8(f8,f8)')).toBe('float64');
    expect(lane('(x) => Math.floor(x) - Math.ceil(-x) + Math.trunc(x * 0.5)', 'f4(f4)')).toBe('float32');
  });

  it('with comparisons of the float type, ?:, && || !, the truthiness of a float, isNaN and isFinite', () => {
    expect(lane('(x) => x > 0 ? x : 0.01 * x', 'f8(f8)')).toBe('float64');
    expect(lane('(x, y) => Math.abs(x) < 1e-3 ? 0 : y / x', 'f4(f4,f4)')).toBe('float32');
    // (two weak ints: the front end's select is int64, cast to the result; its constants convert exactly)
    expect(lane('(x, a, b) => (x > a && x < b) ? 1 : 0', 'f8(f8,f8,f8)')).toBe('float64');
    expect(lane('(x, a, b) => (x > a && x < b) ? 1 : 0', 'f4(f4,f4,f4)')).toBe('float32');
    expect(lane('(x) => !(x > 0) ? -x : x', 'f4(f4)')).toBe('float32');
    expect(lane('(x) => x > 0 ? true : false', 'f8(f8)')).toBe('float64'); // (a bool select cast: constants 1 and 0)
    expect(lane('(x, y) => Number.isNaN(x) || !isFinite(y) ? 0 : x * y', 'f4(f4,f4)')).toBe('float32');
    expect(lane('(x) => x ? 1 / x : 0', 'f8(f8)')).toBe('float64');
    expect(lane('(x, y) => (x || !y) ? 0.5 : 0.25', 'f4(f4,f4)')).toBe('float32');
    expect(lane('(x, y) => { const c = x >= y || !(x === y); const m = c ? x : y; return c && x !== 1 ? m : -m; }', 'f8(f8,f8)')).toBe('float64');
  });

  it('everything else is not a SIMD lane (directEligible below: the general path)', () => {
    expect(lane('(x, y) => x * y + 1', 'i4(i4,i4)')).toBeNull(); // integers
    expect(lane('(x) => Math.exp(x)', 'f8(f8)')).toBeNull(); // no one-instruction form
    expect(lane('(x) => { if (x > 0) return x; return 0; }', 'f8(f8)')).toBeNull(); // a branch statement
    expect(lane('(x) => x > 0 ? Math.exp(x) : 0', 'f8(f8)')).toBeNull(); // in an arm of ?:
    expect(lane('(x) => (x | 0) > 2 ? x : 0', 'f8(f8)')).toBeNull(); // an integer comparison
    expect(lane('(x) => x > 0', 'b1(f8)')).toBeNull(); // a bool result
    expect(lane('(x) => (x > 0) + x', 'f8(f8)')).toBeNull(); // a bool cast to a float
    expect(lane('(x, y) => { const c = x > 0; return c != (y > 0) ? x : y; }', 'f8(f8,f8)')).toBeNull(); // bools compared
    expect(lane('(x) => x > 0 ? 2 ** 62 + 1 : 0', 'f8(f8)')).toBeNull(); // an int64 constant no float64 holds exactly
    expect(lane('(x) => Math.round(x)', 'f8(f8)')).toBeNull(); // JavaScript's rounding is not f64.nearest
    expect(lane('(x) => x * 2', 'f8(f4)')).toBeNull(); // mixed float types
    expect(lane('(x) => { let s = 0; for (let i = 0; i < 3; i++) s += x; return s; }', 'f8(f8)')).toBeNull();
    expect(lane('(x, y) => x + y', 'f8(f8,f8)', { reduceTile: true })).toBeNull(); // asc's reduce tile
    expect(() => emitDirectWasm([compileKernel('(x) => { const t = new Float64Array(1); t[0] = x; return t[0]; }', 'f8(f8)', { kind: 'scalar' })])).toThrow(/direct subset \(a scratch statement\)/);
    // A kernel with constant tables needs their address.
    expect(() => emitDirectWasm([compileKernel('(i) => w[i & 1]', 'f8(i4)', { kind: 'scalar', constants: { w: new Float64Array([1, 2]) } })])).toThrow(/tableBase/);
  });
});

describe('directEligible: every scalar kernel but those with what only asc makes', () => {
  const eligible = (src: string, sig: string, options: { mathLibrary?: boolean; reduceTile?: boolean } = {}, extra: Partial<CompileKernelOptions> = {}) =>
    directEligible(compileKernel(src, sig, { kind: 'scalar', ...extra }).ir, options);

  it('statements, integers, bools and casts: the general scalar path', () => {
    expect(eligible('(x) => { let s = 0; for (let i = 0; i < 3; i++) s += x; return s; }', 'f8(f8)')).toBe(true); // a loop
    expect(eligible('(x) => { if (x > 0) return x; return 0; }', 'f8(f8)')).toBe(true); // an if, an early return
    expect(eligible('(x, y) => x * y + 1', 'i4(i4,i4)')).toBe(true);
    expect(eligible('(x) => x > 0', 'b1(f8)')).toBe(true); // a bool result
    expect(eligible('(x) => (x > 0) + x', 'f8(f8)')).toBe(true); // a bool cast to a float
    expect(eligible('(x) => x * 2', 'f8(f4)')).toBe(true); // mixed float types (a cast)
    expect(eligible('(x) => x', 'u1(f8)')).toBe(true); // float -> uint8
    expect(eligible('(x) => { let n = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : x / 2 | 0; n++; } return n; }', 'i4(i4)')).toBe(true); // collatz
    expect(eligible('(a, b) => a ** b + Math.abs(a) + Math.sign(b) + Math.min(a, b, 3) + Math.imul(a, b) + Math.clz32(b)', 'i8(i8,i8)')).toBe(true);
    // (round, sign and copysign of floats are a few exact instructions: no library needed)
    expect(eligible('(x, y) => Math.round(x) + Math.sign(y) + nb.math.copysign(x, y)', 'f4(f4,f4)')).toBe(true);
  });

  it('a math library function only with the library there', () => {
    expect(eligible('(x) => Math.exp(x)', 'f8(f8)')).toBe(false);
    expect(eligible('(x) => Math.exp(x)', 'f8(f8)', { mathLibrary: true })).toBe(true);
    expect(eligible('(x, y) => x % y', 'f4(f4,f4)')).toBe(false); // fmod
    expect(eligible('(x, y) => x % y', 'f4(f4,f4)', { mathLibrary: true })).toBe(true);
    expect(eligible('(x) => x > 0 ? Math.exp(x) : 0', 'f8(f8)', { mathLibrary: true })).toBe(true);
  });

  it('helpers and tables are taken; scratch arrays and the reduce tile stay on asc (gufunc kernels: direct-gufunc.test.ts)', () => {
    expect(eligible('(x) => h(x)', 'f8(f8)', {}, { helpers: { h: '(v) => v + 1' } })).toBe(true);
    expect(eligible('(i) => w[i & 1]', 'f8(i4)', {}, { constants: { w: new Float64Array([1, 2]) } })).toBe(true);
    // A helper is inlined, so its body must be one the direct emitter takes.
    expect(eligible('(x) => h(x)', 'f8(f8)', {}, { helpers: { h: '(v) => { const t = new Float64Array(1); t[0] = v; return t[0]; }' } })).toBe(false);
    expect(eligible('(x) => { const t = new Float64Array(1); t[0] = x; return t[0]; }', 'f8(f8)')).toBe(false);
    expect(eligible('(x, y) => x + y', 'f8(f8,f8)', { reduceTile: true })).toBe(false);
    expect(eligible('(x, y) => x + y', 'i4(i4,i4)', { reduceTile: true })).toBe(false);
  });
});

/** A direct module of `src` for `sig`, instantiated on the runtime's memory. */
function directEntries(src: string, sig: string) {
  const k = compileKernel(src, sig, { kind: 'scalar', prefix: 'k_' });
  const bytes = emitDirectWasm([k]);
  expect(WebAssembly.validate(bytes)).toBe(true);
  const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: runtime().memory } }).exports;
  return { row: e['k_row'] as (...a: number[]) => void, loop: e['k_loop'] as (plan: number) => void };
}

/** A heap block of `bytes`, freed after `f`. */
function withBlock<T>(bytes: number, f: (base: number) => T): T {
  const { heap } = runtime();
  const start = heap.alloc(bytes);
  try {
    return f((start + 15) & ~15);
  } finally {
    heap.free(start);
  }
}

const f64s = () => new Float64Array(runtime().memory.buffer);
const i32s = () => new Int32Array(runtime().memory.buffer);
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

// Arithmetic, and a select whose condition reads both inputs (a lane mask on the SIMD loops).
describe.each([
  { src: '(x, y) => Math.min(x * y + 1, Math.sqrt(x))', kernel: (x: number, y: number) => Math.min(x * y + 1, Math.sqrt(x)) },
  { src: '(x, y) => x > y && y ? x * y + 1 : Math.sqrt(x)', kernel: (x: number, y: number) => (x > y && y ? x * y + 1 : Math.sqrt(x)) },
  // The general scalar path (statements: a strided loop only, the body inlined).
  {
    src: '(x, y) => { if (x > y) return x * y + 1; let s = x; for (let i = 0; i < 3; i++) s = s * 0.5 + Math.round(y); return s; }',
    kernel: (x: number, y: number) => { if (x > y) return x * y + 1; let s = x; for (let i = 0; i < 3; i++) s = s * 0.5 + Math.round(y); return s; },
  },
])('the row and loop entries on the heap: $src', ({ src, kernel }) => {
  const { row, loop } = directEntries(src, 'f8(f8,f8)');

  it('rows with any overlap of inputs and output, strides and broadcasts give the element-order result', () => {
    // Element offsets (in float64s) into one region: the output may coincide with an input,
    // overlap it partly, or hold a broadcast input's element; strides may be 0 or negative.
    const SPAN = 96;
    const offset = fc.integer({ min: 0, max: SPAN - 1 });
    const stride = fc.constantFrom(-2, -1, 0, 1, 1, 1, 2);
    fc.assert(fc.property(fc.integer({ min: 0, max: 21 }), offset, stride, offset, stride, offset, stride, fc.integer(),
      (n, o0, s0, o1, s1, o2, s2, seed) => withBlock(SPAN * 8 * 3 + 16, (base) => {
        const first = base / 8 + SPAN; // room for negative strides below
        const fits = (o: number, s: number) => o + s * (n - 1) >= -SPAN && o + s * (n - 1) < 2 * SPAN;
        if (n > 0 && !(fits(o0, s0) && fits(o1, s1) && fits(o2, s2))) return;
        const mem = f64s();
        let r = seed >>> 0;
        for (let i = -SPAN; i < 2 * SPAN; i++) mem[first + i] = ((r = (Math.imul(r, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 0.5;
        // The reference: the same region, element by element in order.
        const expected = Float64Array.from(mem.subarray(first - SPAN, first + 2 * SPAN));
        for (let i = 0; i < n; i++) {
          expected[SPAN + o2 + i * s2] = kernel(expected[SPAN + o0 + i * s0]!, expected[SPAN + o1 + i * s1]!);
        }
        // A row whose inputs are apart from the output (or the output itself) may run its SIMD
        // loop: reading ahead is then the same as in element order.
        row(n, 8 * (first + o0), 8 * s0, 8 * (first + o1), 8 * s1, 8 * (first + o2), 8 * s2);
        const got = f64s().subarray(first - SPAN, first + 2 * SPAN);
        for (let i = 0; i < expected.length; i++) if (!same(got[i]!, expected[i]!)) return false;
        return true;
      })), { numRuns: 400 });
  });

  it('loop(plan): an N-d walk with byte strides; 0-d is one element, an empty dim nothing, ndim > 32 traps', () => {
    withBlock(8 * 64 + 4 * 64, (base) => {
      const data = base / 8;
      const plan = base + 8 * 48;
      const mem = f64s();
      for (let i = 0; i < 48; i++) mem[data + i] = i - 7.5;
      const writePlan = (shape: number[], ops: { at: number; strides: number[] }[]) => {
        const w = i32s();
        const p = plan / 4;
        w[p] = shape.length;
        shape.forEach((d, i) => { w[p + 1 + i] = d; });
        ops.forEach((o, k) => {
          const q = p + 1 + shape.length + k * (shape.length + 1);
          w[q] = o.at;
          o.strides.forEach((s, i) => { w[q + 1 + i] = s; });
        });
      };
      // shape [2, 3]: x is a 2x3 block, y a row broadcast along dim 0, the output transposed.
      const x = 8 * data, y = 8 * (data + 6), out = 8 * (data + 16);
      writePlan([2, 3], [{ at: x, strides: [24, 8] }, { at: y, strides: [0, 8] }, { at: out, strides: [8, 16] }]);
      const before = Float64Array.from(f64s().subarray(data, data + 48));
      loop(plan);
      const now = f64s();
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
        expect(now[data + 16 + i + 2 * j]).toBe(kernel(before[3 * i + j]!, before[6 + j]!));
      }
      // 0-d: one element at the pointers.
      writePlan([], [{ at: x, strides: [] }, { at: y, strides: [] }, { at: 8 * (data + 40), strides: [] }]);
      loop(plan);
      expect(f64s()[data + 40]).toBe(kernel(before[0]!, before[6]!));
      // A zero dim: nothing is written (not even the first element).
      const mark = f64s()[data + 41] = 12345;
      writePlan([3, 0], [{ at: x, strides: [8, 8] }, { at: y, strides: [8, 8] }, { at: 8 * (data + 41), strides: [8, 8] }]);
      loop(plan);
      expect(f64s()[data + 41]).toBe(mark);
      i32s()[plan / 4] = 33;
      expect(() => loop(plan)).toThrow(WebAssembly.RuntimeError);
    });
  });
});
