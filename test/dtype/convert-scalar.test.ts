/**
 * convertScalar against NumPy's astype (test/fixtures/astype.json) and against the Wasm copy
 * loops themselves, on fixture edge values and on many pseudo-random values.
 */
import { describe, expect, it } from 'vitest';
import { convertScalar } from '../../src/dtype/convert-scalar.js';
import { DTYPES, DTYPE_NAMES, type DType } from '../../src/dtype/dtypes.js';
import { instantiateBuiltins } from '../../src/runtime/builtin-module.js';
import { DTypeError, ValueError } from '../../src/util/errors.js';
import { decodeScalar, loadFixture } from '../helpers/fixtures.js';

type Value = number | bigint | boolean;

interface AstypeFixture {
  inputs: Record<DType, unknown[]>;
  results: Record<DType, Record<DType, unknown[]>>;
}

const fixture = loadFixture<AstypeFixture>('astype');

/** NaN matches any NaN; everything else must be identical (-0 is not 0, 1 is not 1n). */
function same(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return true;
  return Object.is(a, b);
}

function show(v: Value): string {
  return typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v);
}

/**
 * The JS scalar that stands for a fixture input of dtype src: floats as numbers (float32
 * values widen exactly), integers as bigints (every integer dtype converts as its int64
 * value would), bool as boolean.
 */
function asJsSource(v: unknown, src: DType): Value {
  const decoded = decodeScalar(v, src);
  if (DTYPES[src].kind === 'i' || DTYPES[src].kind === 'u') return BigInt(decoded as number | bigint);
  return decoded;
}

describe.each(DTYPE_NAMES)('convertScalar from %s fixture inputs', (src) => {
  it.each(DTYPE_NAMES)('matches NumPy astype to %s', (dst) => {
    const inputs = fixture.inputs[src];
    const expected = fixture.results[src][dst];
    const failures: string[] = [];
    inputs.forEach((raw, k) => {
      const input = asJsSource(raw, src);
      const got = convertScalar(input, dst);
      const want = decodeScalar(expected[k], dst);
      if (!same(got, want)) failures.push(`${show(input)} -> ${dst}: got ${show(got)}, want ${show(want)}`);
    });
    expect(failures).toEqual([]);
    expect(inputs.length).toBeGreaterThan(0);
  });
});

describe('convertScalar result types and documented cases', () => {
  it('returns bigint for 64-bit integers, boolean for bool, number otherwise', () => {
    for (const dtype of DTYPE_NAMES) {
      const want = dtype === 'bool' ? 'boolean' : DTYPES[dtype].isBigInt ? 'bigint' : 'number';
      for (const v of [1.5, 7n, true] as Value[]) expect(typeof convertScalar(v, dtype)).toBe(want);
    }
  });

  it('follows the x86 rules for NaN and out-of-range floats', () => {
    expect(convertScalar(300, 'int8')).toBe(44);
    expect(convertScalar(-1.5, 'uint8')).toBe(255);
    expect(convertScalar(NaN, 'int32')).toBe(-2147483648);
    expect(convertScalar(NaN, 'int16')).toBe(0);
    expect(convertScalar(NaN, 'uint32')).toBe(0);
    expect(convertScalar(2 ** 32 + 7, 'uint32')).toBe(7);
    expect(convertScalar(-1, 'uint32')).toBe(4294967295);
    expect(convertScalar(Infinity, 'int64')).toBe(-(2n ** 63n));
    expect(convertScalar(NaN, 'uint64')).toBe(2n ** 63n);
    expect(convertScalar(Infinity, 'uint64')).toBe(0n);
    expect(convertScalar(-1, 'uint64')).toBe(2n ** 64n - 1n);
    expect(convertScalar(NaN, 'bool')).toBe(true);
    expect(convertScalar(-0, 'bool')).toBe(false);
    expect(Object.is(convertScalar(-0.5, 'int32'), 0)).toBe(true);
    expect(Object.is(convertScalar(-0.5, 'uint32'), 0)).toBe(true);
    expect(Object.is(convertScalar(-0, 'float32'), -0)).toBe(true);
  });

  it('rounds bigints to float32 once, from the exact value', () => {
    // 2^60 + 2^36 + 1 is just above a float32 midpoint; via float64 it would land on it.
    expect(convertScalar(2n ** 60n + 2n ** 36n + 1n, 'float32')).toBe(2 ** 60 + 2 ** 37);
    expect(convertScalar(-(2n ** 60n + 2n ** 36n + 1n), 'float32')).toBe(-(2 ** 60 + 2 ** 37));
    expect(convertScalar(2n ** 60n + 2n ** 36n, 'float32')).toBe(2 ** 60);
    expect(convertScalar(2n ** 64n - 1n, 'float32')).toBe(2 ** 64);
  });

  it('reads bigints in [2^63, 2^64) as uint64 and wraps others modulo 2^64', () => {
    expect(convertScalar(2n ** 64n - 1n, 'float64')).toBe(2 ** 64);
    expect(convertScalar(2n ** 64n - 1n, 'int64')).toBe(-1n);
    expect(convertScalar(2n ** 64n + 5n, 'int8')).toBe(5);
    expect(convertScalar(2n ** 64n, 'bool')).toBe(false);
    expect(convertScalar(-(2n ** 63n) - 1n, 'int64')).toBe(2n ** 63n - 1n);
  });

  it('rejects values that are not scalars and unknown dtypes', () => {
    expect(() => convertScalar('1' as unknown as number, 'int8')).toThrow(ValueError);
    expect(() => convertScalar(1, 'float16' as DType)).toThrow(DTypeError);
    expect(() => convertScalar(1n, 'float16' as DType)).toThrow(DTypeError);
    expect(() => convertScalar(true, 'float16' as DType)).toThrow(DTypeError);
  });
});

// ---- against the Wasm loops on pseudo-random values --------------------------------------------

/** xorshift64*: deterministic pseudo-random 64-bit values. */
function* randomBits(seed: bigint): Generator<bigint> {
  let x = seed;
  for (;;) {
    x ^= x >> 12n;
    x ^= BigInt.asUintN(64, x << 25n);
    x ^= x >> 27n;
    yield BigInt.asUintN(64, x * 0x2545f4914f6cdd1dn);
  }
}

/** Doubles that stress every conversion: random bit patterns and values near powers of two. */
function randomDoubles(count: number): number[] {
  const bits = randomBits(0x9e3779b97f4a7c15n);
  const view = new DataView(new ArrayBuffer(8));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = bits.next().value as bigint;
    if (i % 2 === 0) {
      view.setBigUint64(0, r);
      out.push(view.getFloat64(0));
    } else {
      const e = Number(r % 70n);
      const delta = Number((r >> 8n) % 2049n) - 1024;
      const sign = (r >> 20n) & 1n ? -1 : 1;
      out.push(sign * (2 ** e + delta * 2 ** Math.max(0, e - 53) + ((r >> 30n) & 1n ? 0.5 : 0)));
    }
  }
  return out;
}

/** Integers across int64 and uint64, and near float32/float64 rounding boundaries. */
function randomIntegers(count: number): bigint[] {
  const bits = randomBits(0x1234567887654321n);
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const r = bits.next().value as bigint;
    const shift = r % 65n;
    const v = r >> shift; // spread over all magnitudes
    out.push(i % 3 === 0 ? BigInt.asIntN(64, v) : v);
  }
  // Exact midpoints between neighbouring float32s and float64s, and their neighbours: where a
  // conversion that rounds twice (or truncates) would go wrong.
  for (let e = 25n; e < 64n; e++) {
    for (const j of [0n, 1n, 2n, 3n]) {
      const f32Mid = (1n << e) + j * (1n << (e - 23n)) + (1n << (e - 24n));
      const f64Mid = e > 53n ? (1n << e) + j * (1n << (e - 52n)) + (1n << (e - 53n)) : f32Mid;
      for (const d of [-1n, 0n, 1n]) out.push(f32Mid + d, -(f32Mid + d), f64Mid + d, -(f64Mid + d));
    }
  }
  return out;
}

describe('convertScalar agrees with the Wasm copy loops', () => {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
  const wasm = instantiateBuiltins(memory);
  const base = (wasm.heapBase() + 15) & ~15;
  const view = new DataView(memory.buffer);
  const N = 20000;

  /** Copy `count` elements written at src through `copy` (strided when step > 1) and read dst. */
  function runWasm(src: DType, dst: DType, write: (p: number, i: number) => void, count: number, step: number): Value[] {
    const s = DTYPES[src].itemSize;
    const d = DTYPES[dst].itemSize;
    const srcPtr = base;
    const dstPtr = base + count * s * step + 64;
    const plan = dstPtr + count * d + 64;
    for (let i = 0; i < count; i++) write(srcPtr + i * s * step, i);
    [1, count, srcPtr, s * step, dstPtr, d].forEach((v, i) => view.setInt32(plan + 4 * i, v, true));
    wasm.copy(DTYPES[src].code, DTYPES[dst].code, plan);
    const out: Value[] = [];
    for (let i = 0; i < count; i++) {
      const p = dstPtr + i * d;
      const raw: Value = {
        bool: () => view.getUint8(p) !== 0,
        int8: () => view.getInt8(p), uint8: () => view.getUint8(p),
        int16: () => view.getInt16(p, true), uint16: () => view.getUint16(p, true),
        int32: () => view.getInt32(p, true), uint32: () => view.getUint32(p, true),
        int64: () => view.getBigInt64(p, true), uint64: () => view.getBigUint64(p, true),
        float32: () => view.getFloat32(p, true), float64: () => view.getFloat64(p, true),
      }[dst]();
      out.push(raw);
    }
    return out;
  }

  function compare(inputs: Value[], wasmOut: Value[], dst: DType): string[] {
    const failures: string[] = [];
    inputs.forEach((x, i) => {
      const got = convertScalar(x, dst);
      if (!same(got, wasmOut[i]!) && failures.length < 5) {
        failures.push(`${show(x)} -> ${dst}: convertScalar ${show(got)}, wasm ${show(wasmOut[i]!)}`);
      }
    });
    return failures;
  }

  const doubles = randomDoubles(N);
  const integers = randomIntegers(N);
  const int64s = integers.map((v) => BigInt.asIntN(64, v));
  // [2^63, 2^64): the bigints read as uint64 sources (2^63 plus values of every magnitude).
  const uint64s = integers.map((v) => (1n << 63n) | BigInt.asUintN(63, v));

  it.each(DTYPE_NAMES)('for float64 numbers to %s, contiguous and strided', (dst) => {
    for (const step of [1, 2]) {
      const out = runWasm('float64', dst, (p, i) => view.setFloat64(p, doubles[i]!, true), N, step);
      expect(compare(doubles, out, dst)).toEqual([]);
    }
  });

  it.each(DTYPE_NAMES)('for int64 and uint64 bigints to %s', (dst) => {
    const out = runWasm('int64', dst, (p, i) => view.setBigInt64(p, int64s[i]!, true), int64s.length, 1);
    expect(compare(int64s, out, dst)).toEqual([]);
    const outU = runWasm('uint64', dst, (p, i) => view.setBigUint64(p, uint64s[i]!, true), uint64s.length, 1);
    expect(compare(uint64s, outU, dst)).toEqual([]);
  });

  it.each(DTYPE_NAMES)('for booleans to %s', (dst) => {
    const bools = [false, true, true, false, true];
    const out = runWasm('bool', dst, (p, i) => view.setUint8(p, bools[i]! ? 1 : 0), bools.length, 1);
    expect(compare(bools, out, dst)).toEqual([]);
  });
});
