/**
 * The prebuilt Wasm copy / cast / fill loops against NumPy's astype (test/fixtures/astype.json,
 * written by scripts/cast-fixtures.py), for all 121 dtype pairs and every loop shape:
 * contiguous rows of several lengths (SIMD main loop, both unrolled and single steps, and the
 * scalar tail), strided rows with positive, negative and zero byte strides, 0-d plans, and
 * 2-D / 3-D plans with non-contiguous outer dimensions.
 *
 * The module runs on its own shared memory; the tests place data above heapBase() with a
 * bump allocator, and surround every destination with sentinel bytes to catch stray writes.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DTYPES, DTYPE_NAMES, type DType } from '../../src/dtype/dtypes.js';
import { instantiateBuiltins, loadBuiltinModule, type BuiltinExports } from '../../src/runtime/builtin-module.js';
import { STATIC_DATA_BYTES } from '../../src/runtime/runtime.js';
import { MemoryError } from '../../src/util/errors.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';

type Value = number | bigint | boolean;

interface AstypeFixture {
  dtypes: DType[];
  inputs: Record<DType, unknown[]>;
  results: Record<DType, Record<DType, unknown[]>>;
  contiguousDiffers: Partial<Record<DType, Partial<Record<DType, unknown[]>>>>;
}

const fixture = loadFixture<AstypeFixture>('astype');
const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
const wasm: BuiltinExports = instantiateBuiltins(memory);
const view = new DataView(memory.buffer);
const SENTINEL = 0xab;

// ---- a bump allocator above the module's static data, reset before each test ----------------

const heapStart = (wasm.heapBase() + 15) & ~15;
let top = heapStart;
beforeEach(() => {
  top = heapStart;
});

/** Reserve bytes (16-byte aligned, plus a guard gap), pre-filled with the sentinel byte. */
function alloc(bytes: number): number {
  const p = top;
  top = (p + bytes + 64 + 15) & ~15;
  if (top > memory.buffer.byteLength) throw new Error('test heap exhausted');
  new Uint8Array(memory.buffer, p, top - p).fill(SENTINEL);
  return p;
}

/** Write an i32 array (a plan) into the heap and return its address. */
function writePlan(values: number[]): number {
  const p = alloc(values.length * 4);
  values.forEach((v, i) => view.setInt32(p + 4 * i, v, true));
  return p;
}

// ---- element access ----------------------------------------------------------------------------

/** Bytes used for `true` in bool sources: NumPy reads any non-zero byte as true. */
const TRUE_BYTES = [1, 2, 255];

function writeElement(dtype: DType, p: number, v: Value, k: number): void {
  switch (dtype) {
    case 'bool': view.setUint8(p, v ? TRUE_BYTES[k % TRUE_BYTES.length]! : 0); break;
    case 'int8': view.setInt8(p, v as number); break;
    case 'uint8': view.setUint8(p, v as number); break;
    case 'int16': view.setInt16(p, v as number, true); break;
    case 'uint16': view.setUint16(p, v as number, true); break;
    case 'int32': view.setInt32(p, v as number, true); break;
    case 'uint32': view.setUint32(p, v as number, true); break;
    case 'int64': view.setBigInt64(p, v as bigint, true); break;
    case 'uint64': view.setBigUint64(p, v as bigint, true); break;
    case 'float32': view.setFloat32(p, v as number, true); break;
    case 'float64': view.setFloat64(p, v as number, true); break;
  }
}

/** Read an element; bool reads as its raw byte so that tests see exactly what was stored. */
function readElement(dtype: DType, p: number): Value {
  switch (dtype) {
    case 'bool': return view.getUint8(p);
    case 'int8': return view.getInt8(p);
    case 'uint8': return view.getUint8(p);
    case 'int16': return view.getInt16(p, true);
    case 'uint16': return view.getUint16(p, true);
    case 'int32': return view.getInt32(p, true);
    case 'uint32': return view.getUint32(p, true);
    case 'int64': return view.getBigInt64(p, true);
    case 'uint64': return view.getBigUint64(p, true);
    case 'float32': return view.getFloat32(p, true);
    case 'float64': return view.getFloat64(p, true);
  }
}

/** NaN matches any NaN; everything else must be identical (so -0 differs from 0). */
function same(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return true;
  return Object.is(a, b);
}

function show(v: Value): string {
  return typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v);
}

// ---- the cases: input k of the fixture, cycled to any length ------------------------------------

interface PairCase {
  src: DType;
  dst: DType;
  inputs: Value[];
  expected: Value[];
}

const pairs: PairCase[] = DTYPE_NAMES.flatMap((src) =>
  DTYPE_NAMES.map((dst) => ({
    src,
    dst,
    inputs: fixture.inputs[src].map((v) => decodeScalar(v, src)),
    expected: fixture.results[src][dst].map((v) => decodeScalar(v, dst)),
  })),
);

/** What the destination byte(s) must hold for element i (input i mod the fixture length). */
function expectedAt(c: PairCase, i: number): Value {
  const k = i % c.inputs.length;
  if (c.dst !== 'bool') return c.expected[k]!;
  // bool stores 0/1, except bool -> bool, which copies the source byte as NumPy does.
  if (c.src === 'bool') return c.inputs[k] ? TRUE_BYTES[i % TRUE_BYTES.length]! : 0;
  return c.expected[k] ? 1 : 0;
}

/**
 * An operand: `count` elements of `dtype` laid out along a strided walk. Element i lives at
 * ptr + offsets[i]. The region is allocated to cover every offset, with sentinel bytes between.
 */
interface Operand {
  ptr: number;
  offsets: number[];
  base: number;
  bytes: number;
}

/** Offsets (bytes) of every element of an N-d walk in C order, for shape and byte strides. */
function walkOffsets(shape: number[], strides: number[]): number[] {
  const out: number[] = [];
  const index = new Array<number>(shape.length).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    out.push(index.reduce((acc, i, d) => acc + i * strides[d]!, 0));
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/** Allocate an operand for a walk; ptr is chosen so that every (possibly negative) offset fits. */
function operand(dtype: DType, shape: number[], strides: number[]): Operand {
  const offsets = walkOffsets(shape, strides);
  const size = DTYPES[dtype].itemSize;
  const lo = Math.min(0, ...offsets);
  const hi = Math.max(0, ...offsets) + size;
  const base = alloc(hi - lo);
  return { ptr: base - lo, offsets, base, bytes: hi - lo };
}

/**
 * Run copy(src -> dst) over an N-d plan and check every destination element and every byte the
 * walk must not touch. Each element i of the walk takes input i (cycled).
 */
function checkPlan(c: PairCase, shape: number[], srcStrides: number[], dstStrides: number[]): void {
  const src = operand(c.src, shape, srcStrides);
  const dst = operand(c.dst, shape, dstStrides);
  src.offsets.forEach((o, i) => writeElement(c.src, src.ptr + o, c.inputs[i % c.inputs.length]!, i));
  const plan = writePlan([shape.length, ...shape, src.ptr, ...srcStrides, dst.ptr, ...dstStrides]);
  wasm.copy(DTYPES[c.src].code, DTYPES[c.dst].code, plan);
  checkDestination(c, dst, (i) => expectedAt(c, i));
}

/** Compare the destination with the expectation and its untouched bytes with the sentinel. */
function checkDestination(c: PairCase, dst: Operand, expected: (i: number) => Value): void {
  const size = DTYPES[c.dst].itemSize;
  const written = new Uint8Array(dst.bytes);
  const failures: string[] = [];
  dst.offsets.forEach((o, i) => {
    const got = readElement(c.dst, dst.ptr + o);
    const want = expected(i);
    if (!same(got, want) && failures.length < 5) {
      const input = c.inputs.length > 0 ? show(c.inputs[i % c.inputs.length]!) : '(fill)';
      failures.push(`element ${i}: ${c.src} ${input} -> ${c.dst} gave ${show(got)}, want ${show(want)}`);
    }
    written.fill(1, dst.ptr + o - dst.base, dst.ptr + o - dst.base + size);
  });
  // Bytes outside the written elements, including the 64-byte guard after the region.
  let stray = -1;
  for (let b = 0; b < dst.bytes + 64; b++) {
    if (b < dst.bytes && written[b]) continue;
    if (view.getUint8(dst.base + b) !== SENTINEL) {
      stray = b;
      break;
    }
  }
  expect(failures).toEqual([]);
  expect(stray, 'a byte outside the destination elements was written').toBe(-1);
}

const LENGTHS = [0, 1, 3, 4, 7, 8, 17, 1000];

// ---- the tests -----------------------------------------------------------------------------------

describe('the built-in module', () => {
  it('imports only env.memory and exports the loop entry points', () => {
    const module = loadBuiltinModule();
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['heapBase', 'copy', 'copyContiguous', 'fill']));
    expect(loadBuiltinModule()).toBe(module);
  });

  it('reports a heap base above its static data and inside the first page, below the runtime\'s heap', () => {
    expect(wasm.heapBase()).toBeGreaterThan(0);
    expect(wasm.heapBase()).toBeLessThan(65536);
    // The runtime starts its heap at STATIC_DATA_BYTES before it instantiates the module.
    expect(wasm.heapBase()).toBeLessThanOrEqual(STATIC_DATA_BYTES);
  });

  it('refuses a memory that is not shared', () => {
    const plain = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    expect(() => instantiateBuiltins(plain)).toThrow(MemoryError);
  });

  it('records NumPy contiguous-loop differences only for float -> uint32', () => {
    const differing = Object.entries(fixture.contiguousDiffers).flatMap(([s, m]) =>
      Object.keys(m ?? {}).map((d) => `${s}->${d}`),
    );
    expect(differing.sort()).toEqual(['float32->uint32', 'float64->uint32']);
  });
});

describe.each(pairs)('copy $src -> $dst', (c) => {
  const s = DTYPES[c.src].itemSize;
  const d = DTYPES[c.dst].itemSize;

  it('matches NumPy on contiguous rows of every length (SIMD body and tail)', () => {
    for (const n of LENGTHS) checkPlan(c, [n], [s], [d]);
  });

  it('matches NumPy through copyContiguous', () => {
    for (const n of LENGTHS) {
      const src = operand(c.src, [n], [s]);
      const dst = operand(c.dst, [n], [d]);
      src.offsets.forEach((o, i) => writeElement(c.src, src.ptr + o, c.inputs[i % c.inputs.length]!, i));
      wasm.copyContiguous(DTYPES[c.src].code, DTYPES[c.dst].code, src.ptr, dst.ptr, n);
      checkDestination(c, dst, (i) => expectedAt(c, i));
    }
  });

  it('matches NumPy on strided rows (positive byte strides)', () => {
    checkPlan(c, [17], [2 * s], [d]);
    checkPlan(c, [17], [s], [3 * d]);
    checkPlan(c, [100], [3 * s], [2 * d]);
  });

  it('matches NumPy on reversed rows (negative byte strides)', () => {
    checkPlan(c, [17], [-s], [d]);
    checkPlan(c, [17], [s], [-d]);
    checkPlan(c, [100], [-2 * s], [-d]);
  });

  it('broadcasts one source element along a zero stride', () => {
    const n = 9;
    for (let k = 0; k < c.inputs.length; k++) {
      const src = operand(c.src, [1], [s]);
      const dst = operand(c.dst, [n], [d]);
      writeElement(c.src, src.ptr, c.inputs[k]!, k);
      wasm.copy(DTYPES[c.src].code, DTYPES[c.dst].code, writePlan([1, n, src.ptr, 0, dst.ptr, d]));
      checkDestination(c, dst, () => expectedAt(c, k));
    }
  });

  it('converts one element per 0-d plan', () => {
    for (let k = 0; k < c.inputs.length; k++) {
      const src = operand(c.src, [], []);
      const dst = operand(c.dst, [], []);
      writeElement(c.src, src.ptr, c.inputs[k]!, k);
      wasm.copy(DTYPES[c.src].code, DTYPES[c.dst].code, writePlan([0, src.ptr, dst.ptr]));
      checkDestination(c, dst, () => expectedAt(c, k));
    }
  });

  it('walks 2-D plans with padded, transposed and reversed outer dimensions', () => {
    checkPlan(c, [5, 17], [20 * s, s], [17 * d, d]); // padded source rows, contiguous inner
    checkPlan(c, [5, 17], [17 * s, s], [-17 * d, d]); // destination rows in reverse order
    checkPlan(c, [17, 5], [s, 17 * s], [5 * d, d]); // transposed source
    checkPlan(c, [4, 0], [s, s], [d, d]); // empty
  });

  it('walks 3-D plans with non-contiguous outer dimensions', () => {
    checkPlan(c, [3, 4, 17], [100 * s, 20 * s, s], [68 * d, 17 * d, d]);
    checkPlan(c, [2, 3, 9], [-40 * s, 10 * s, -s], [27 * d, 9 * d, d]);
    checkPlan(c, [3, 2, 5], [s, 3 * s, 6 * s], [10 * d, 5 * d, d]);
  });
});

describe('copy with many dimensions', () => {
  it('walks a 32-d plan', () => {
    const c = pairs.find((p) => p.src === 'float64' && p.dst === 'float32')!;
    // Sizes 2 at every 8th dimension, 1 elsewhere, 5 innermost; the source is padded at the
    // size-2 levels so that no two dimensions could be merged.
    const shape: number[] = Array.from({ length: 32 }, (_, i) => (i % 8 === 0 ? 2 : 1));
    shape[31] = 5;
    const srcStrides: number[] = [];
    const dstStrides: number[] = [];
    let sStride = 8;
    let dStride = 4;
    for (let i = 31; i >= 0; i--) {
      srcStrides[i] = sStride;
      dstStrides[i] = dStride;
      sStride *= shape[i]! === 1 ? 1 : shape[i]! + 1;
      dStride *= shape[i]!;
    }
    checkPlan(c, shape, srcStrides, dstStrides);
  });

  it('traps on a plan with more than 32 or fewer than 0 dimensions', () => {
    const p = alloc(1024);
    for (const ndim of [33, -1]) {
      view.setInt32(p, ndim, true);
      expect(() => wasm.copy(DTYPES.float64.code, DTYPES.float64.code, p)).toThrow(WebAssembly.RuntimeError);
      expect(() => wasm.fill(DTYPES.float64.code, p, p)).toThrow(WebAssembly.RuntimeError);
    }
  });
});

// ---- fill --------------------------------------------------------------------------------------

describe.each(DTYPE_NAMES)('fill %s', (dtype) => {
  const size = DTYPES[dtype].itemSize;
  const c: PairCase = { src: dtype, dst: dtype, inputs: [], expected: [] };
  // A value with distinct bytes, so a wrong width or byte order would show.
  const value: Value = {
    bool: 1, int8: -7, uint8: 200, int16: -12345, uint16: 54321, int32: -123456789,
    uint32: 3456789012, int64: -1234567890123456789n, uint64: 12345678901234567890n,
    float32: -1.5, float64: Math.PI,
  }[dtype];

  function checkFill(shape: number[], strides: number[]): void {
    const dst = operand(dtype, shape, strides);
    const v = alloc(size);
    writeElement(dtype, v, value, 0);
    wasm.fill(DTYPES[dtype].code, writePlan([shape.length, ...shape, dst.ptr, ...strides]), v);
    checkDestination(c, dst, () => value);
  }

  it('fills contiguous rows of every length', () => {
    for (const n of [...LENGTHS, 33, 65]) checkFill([n], [size]);
  });

  it('fills strided, reversed, 0-d and N-d plans', () => {
    checkFill([17], [3 * size]);
    checkFill([17], [-size]);
    checkFill([], []);
    checkFill([3, 17], [20 * size, size]);
    checkFill([2, 3, 9], [-40 * size, 10 * size, -size]);
    checkFill([2, 0, 3], [size, size, size]);
  });
});
