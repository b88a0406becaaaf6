/**
 * DESIGN.md's arithmetic rules for kernels, with hand-computed values, checked on the JS
 * reference (jsKernel / jsFunction) and on the Wasm module (compiled AS) alike.
 * Integers and bools are compared exactly; floats bit-exactly (these are all exact ops).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { runJs, runWasm, WasmRig, type Value } from './harness.js';

interface Case {
  readonly name: string;
  readonly fn: string;
  readonly sig: string;
  /** [inputs..., expected] rows. */
  readonly rows: readonly (readonly Value[])[];
}

const CASES: Case[] = [
  { name: 'int8 127 + 1 wraps to -128', fn: '(a, b) => a + b', sig: 'i1(i1, i1)', rows: [[127, 1, -128], [-128, -1, 127], [100, 100, -56]] },
  { name: 'int8 x + 1 (weak literal) wraps', fn: '(a) => a + 1', sig: 'i1(i1)', rows: [[127, -128], [-1, 0]] },
  { name: 'uint8 0 - 1 wraps to 255', fn: '(a, b) => a - b', sig: 'u1(u1, u1)', rows: [[0, 1, 255], [3, 5, 254]] },
  { name: 'int32 multiply wraps (Math.imul)', fn: '(a, b) => a * b', sig: 'i4(i4, i4)', rows: [[65536, 65536, 0], [2147483647, 2, -2], [-7, 3, -21]] },
  { name: 'uint32 multiply wraps', fn: '(a, b) => a * b', sig: 'u4(u4, u4)', rows: [[4294967295, 2, 4294967294], [65536, 65537, 65536]] },
  { name: 'int32 -x of INT32_MIN is INT32_MIN', fn: '(a) => -a', sig: 'i4(i4)', rows: [[-2147483648, -2147483648], [5, -5]] },
  {
    name: 'int64 is exact beyond 2^53', fn: '(a, b) => a + b', sig: 'i8(i8, i8)',
    rows: [[2n ** 53n, 1n, 2n ** 53n + 1n], [9223372036854775807n, 1n, -9223372036854775808n], [-(2n ** 60n), 3n, -(2n ** 60n) + 3n]],
  },
  { name: 'int64 multiply wraps at 64 bits', fn: '(a, b) => a * b', sig: 'i8(i8, i8)', rows: [[2n ** 62n, 4n, 0n], [3037000500n, 3037000500n, 3037000500n * 3037000500n - 2n ** 64n]] },
  { name: 'uint64 0 - 1 is 2^64 - 1', fn: '(a, b) => a - b', sig: 'u8(u8, u8)', rows: [[0n, 1n, 2n ** 64n - 1n], [2n ** 63n, 1n, 2n ** 63n - 1n]] },
  { name: '/ on integers is true division (float64)', fn: '(a, b) => a / b', sig: 'f8(i4, i4)', rows: [[-7, 2, -3.5], [7, 2, 3.5], [1, 0, Infinity], [-1, 0, -Infinity], [0, 0, NaN]] },
  { name: '/ through an integer output truncates toward zero', fn: '(a, b) => a / b', sig: 'i4(i4, i4)', rows: [[-7, 2, -3], [7, 2, 3], [-1, 3, 0], [1, 0, -2147483648], [0, 0, -2147483648]] },
  { name: 'Math.floor(a / b) on integers is floor division', fn: '(a, b) => Math.floor(a / b)', sig: 'i4(i4, i4)', rows: [[-7, 2, -4], [7, 2, 3], [7, -2, -4], [-7, -2, 3], [6, 3, 2], [-6, 3, -2], [5, 0, 0], [-2147483648, -1, -2147483648]] },
  { name: 'Math.floor(a / b) on int8 wraps -128 / -1', fn: '(a, b) => Math.floor(a / b)', sig: 'i1(i1, i1)', rows: [[-128, -1, -128], [-7, 2, -4], [127, -1, -127]] },
  { name: 'Math.floor(a / b) on int64 is exact beyond 2^53', fn: '(a, b) => Math.floor(a / b)', sig: 'i8(i8, i8)', rows: [[-(2n ** 60n) - 1n, 2n, -(2n ** 59n) - 1n], [2n ** 60n + 1n, 3n, (2n ** 60n + 1n) / 3n], [-9223372036854775808n, -1n, -9223372036854775808n]] },
  { name: 'Math.trunc(a / b) on integers truncates', fn: '(a, b) => Math.trunc(a / b)', sig: 'i4(i4, i4)', rows: [[-7, 2, -3], [7, -2, -3], [5, 0, 0]] },
  { name: 'Math.floor(a / b) on uint32', fn: '(a, b) => Math.floor(a / b)', sig: 'u4(u4, u4)', rows: [[4294967295, 2, 2147483647], [7, 0, 0]] },
  { name: '% keeps the dividend\'s sign', fn: '(a, b) => a % b', sig: 'i4(i4, i4)', rows: [[-7, 2, -1], [7, -2, 1], [-7, -2, -1], [7, 2, 1], [5, 0, 0], [-2147483648, -1, 0]] },
  { name: '% on int64 keeps the dividend\'s sign', fn: '(a, b) => a % b', sig: 'i8(i8, i8)', rows: [[-7n, 2n, -1n], [-(2n ** 60n) - 5n, 7n, (-(2n ** 60n) - 5n) % 7n], [5n, 0n, 0n]] },
  { name: '% on floats is fmod', fn: '(a, b) => a % b', sig: 'f8(f8, f8)', rows: [[-7.5, 2, -1.5], [7.5, -2, 1.5], [5, 0, NaN], [-0, 3, -0]] },
  { name: 'Math.round keeps JavaScript\'s halves-up', fn: '(a) => Math.round(a)', sig: 'f8(f8)', rows: [[2.5, 3], [-2.5, -2], [0.5, 1], [-0.5, -0], [-0.2, -0], [0.49999999999999994, 0], [1.5, 2], [-1.5, -1], [NaN, NaN], [-Infinity, -Infinity], [4503599627370497, 4503599627370497]] },
  { name: 'Math.round on float32', fn: '(a) => Math.round(a)', sig: 'f4(f4)', rows: [[2.5, 3], [-2.5, -2], [-0.5, -0], [Math.fround(0.49999997), 0]] },
  { name: 'comparisons give bool', fn: '(a, b) => a < b', sig: 'b1(i4, f8)', rows: [[1, 1.5, true], [2, 1.5, false], [0, NaN, false]] },
  { name: 'uint8 < 300 compares exactly', fn: '(a) => a < 300', sig: 'b1(u1)', rows: [[255, true], [0, true]] },
  { name: 'int32 vs uint32 compares exactly (in int64)', fn: '(a, b) => a < b', sig: 'b1(i4, u4)', rows: [[-1, 4294967295, true], [-1, 0, true], [5, 3, false]] },
  { name: 'float to int8 output: NumPy cast (truncate, then wrap)', fn: '(a) => a', sig: 'i1(f8)', rows: [[-7.9, -7], [300.5, 44], [NaN, 0], [Infinity, 0], [-1.5, -1]] },
  { name: 'float to int32 output: NaN and out of range give INT32_MIN', fn: '(a) => a * 1', sig: 'i4(f8)', rows: [[NaN, -2147483648], [1e20, -2147483648], [-2147483648.5, -2147483648], [2147483647.9, 2147483647]] },
  { name: 'float to uint32 output', fn: '(a) => a', sig: 'u4(f8)', rows: [[-1, 4294967295], [4294967303, 7], [NaN, 0]] },
  { name: 'float to int64 output', fn: '(a) => a', sig: 'i8(f8)', rows: [[-7.9, -7n], [NaN, -9223372036854775808n], [1e19, -9223372036854775808n], [9007199254740993, 9007199254740992n]] },
  { name: 'float to uint64 output', fn: '(a) => a', sig: 'u8(f8)', rows: [[-1, 2n ** 64n - 1n], [NaN, 2n ** 63n], [Infinity, 0n], [1e19, 10000000000000000000n]] },
  { name: 'float to bool output: x != 0 (NaN is true)', fn: '(a) => a', sig: 'b1(f8)', rows: [[0, false], [-0, false], [NaN, true], [0.1, true]] },
  { name: 'int32 shifts are JS shifts (count mod 32)', fn: '(a, b) => a << b', sig: 'i4(i4, i4)', rows: [[1, 31, -2147483648], [1, 32, 1], [3, 33, 6], [-1, 4, -16]] },
  { name: 'int8 << computes in int32 then wraps', fn: '(a, b) => a << b', sig: 'i1(i1, i1)', rows: [[1, 7, -128], [1, 8, 0], [1, 9, 0], [3, 6, -64]] },
  { name: 'uint32 >> is JavaScript\'s arithmetic shift, wrapped', fn: '(a, b) => a >> b', sig: 'u4(u4, u4)', rows: [[2147483648, 1, 3221225472], [16, 2, 4]] },
  { name: '>>> gives the uint32 bit pattern', fn: '(a) => a >>> 0', sig: 'u4(i4)', rows: [[-1, 4294967295], [-2147483648, 2147483648], [5, 5]] },
  { name: 'int8 >>> 1 is JavaScript\'s 32-bit result', fn: '(a) => a >>> 1', sig: 'u4(i1)', rows: [[-128, 2147483584], [64, 32]] },
  { name: 'int64 shifts take the count mod 64', fn: '(a, b) => a << b', sig: 'i8(i8, i8)', rows: [[1n, 63n, -(2n ** 63n)], [1n, 64n, 1n], [3n, 65n, 6n]] },
  { name: 'uint64 >>> and >>', fn: '(a, b) => (a >> b) + (a >>> b)', sig: 'u8(u8, u8)', rows: [[2n ** 64n - 1n, 60n, 30n], [8n, 1n, 8n]] },
  { name: 'bitwise ops wrap at the width', fn: '(a, b) => (a & b) | (a ^ ~b)', sig: 'u1(u1, u1)', rows: [[0xf0, 0x3c, (0xf0 & 0x3c) | ((0xf0 ^ ~0x3c) & 255)], [255, 0, 0]] },
  { name: 'x & 0xffffffff on int32 (literal wrapped)', fn: '(a) => a & 0xffffffff', sig: 'i4(i4)', rows: [[-5, -5], [7, 7]] },
  { name: 'int ** int: power by squaring, wrapping', fn: '(a, b) => a ** b', sig: 'i4(i4, i4)', rows: [[3, 4, 81], [2, 31, -2147483648], [2, 32, 0], [-1, -3, -1], [1, -5, 1], [2, -1, 0], [0, 0, 1]] },
  { name: 'x ** 2 keeps an int8 type', fn: '(a) => a ** 2', sig: 'i1(i1)', rows: [[12, -112], [-3, 9]] },
  { name: 'Math.pow / ** on floats', fn: '(a, b) => a ** b + Math.pow(b, 2)', sig: 'f8(f8, f8)', rows: [[2, 0.5, Math.SQRT2 + 0.25], [-8, 2, 68]] },
  { name: 'integer literal in a float context is a float', fn: '(a) => a / 2 + 1', sig: 'f4(f4)', rows: [[3, 2.5], [-1, 0.5]] },
  { name: 'bool arithmetic is int32 (true + true = 2)', fn: '(a, b) => a + b', sig: 'i4(b1, b1)', rows: [[true, true, 2], [true, false, 1]] },
  { name: 'float32 arithmetic rounds per operation', fn: '(a, b) => a + b', sig: 'f4(f4, f4)', rows: [[16777216, 1, 16777216], [Math.fround(0.1), Math.fround(0.2), Math.fround(Math.fround(0.1) + Math.fround(0.2))]] },
  { name: 'int32 + float32 computes in float64 (NumPy)', fn: '(a, b) => a + b', sig: 'f8(i4, f4)', rows: [[16777217, 0, 16777217]] },
  { name: 'Math.min/max: NaN propagates, -0 < +0', fn: '(a, b) => Math.min(a, b) + Math.max(a, b) * 0 + Math.max(a, b)', sig: 'f8(f8, f8)', rows: [[1, NaN, NaN], [-0, 0, 0], [1, 2, 3]] },
  { name: 'Math.abs wraps for INT_MIN', fn: '(a) => Math.abs(a)', sig: 'i1(i1)', rows: [[-128, -128], [-5, 5]] },
  { name: 'Math.sign on ints and floats', fn: '(a, b) => Math.sign(a) + Math.sign(b)', sig: 'f8(i4, f8)', rows: [[-5, 0.5, 0], [0, -0, 0], [3, -2, 0], [7, NaN, NaN], [-3, -0.5, -2]] },
  { name: 'uint32 - literal wraps (weak literal takes uint32)', fn: '(a) => a - 1', sig: 'u4(u4)', rows: [[0, 4294967295]] },
  // (the select folds to a negative constant, then the minus: JavaScript's `--` would be a decrement)
  { name: 'minus a folded negative float constant', fn: '(a) => -(1 < 2 ? -0.0 : a) + -(2 < 1 ? a : -1.5)', sig: 'f8(f8)', rows: [[3, 1.5]] },
  { name: 'minus a folded -0 is +0', fn: '(a) => -(1 < 2 ? -0.0 : a)', sig: 'f8(f8)', rows: [[3, 0]] },
  { name: 'minus a folded negative int constant', fn: '(a) => -(1 < 2 ? -3 : a)', sig: 'i4(i4)', rows: [[5, 3]] },
];

describe('kernel arithmetic (JS reference and Wasm agree with hand values)', () => {
  let rig: WasmRig;
  const kernels: CompiledKernel[] = CASES.map((c, i) => compileKernel(c.fn, c.sig, { kind: 'scalar', prefix: `k${i}_`, name: c.name }));

  let direct: WasmRig;

  beforeAll(async () => {
    rig = await WasmRig.of(kernels);
    // The direct emitter (issue 15) takes every case (float ** through the math library).
    direct = await WasmRig.direct(kernels);
  }, 120_000);

  const same = (t: DType, a: Value, b: Value) => {
    if (t === 'float32' || t === 'float64') return Object.is(a, b) || (Number.isNaN(a as number) && Number.isNaN(b as number));
    return a === b;
  };

  test.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_, i) => {
    const c = CASES[i]!;
    const k = kernels[i]!;
    const out = k.operands[k.nin]!;
    const inputs = k.operands.slice(0, k.nin).map((_, j) => c.rows.map((r) => r[j]!));
    const expected = c.rows.map((r) => r[k.nin]!);
    const js = c.rows.map((r) => k.jsKernel(...r.slice(0, k.nin)) as Value);
    const loop = runJs(k, [c.rows.length], inputs);
    const wasm = runWasm(rig, k, [c.rows.length], inputs);
    const viaDirect = runWasm(direct, k, [c.rows.length], inputs);
    expected.forEach((e, j) => {
      const want = out === 'float32' && typeof e === 'number' ? Math.fround(e) : e;
      expect(same(out, js[j]!, want), `jsKernel row ${j}: ${String(js[j])} vs ${String(want)}`).toBe(true);
      expect(same(out, loop[j]!, want), `jsFunction row ${j}: ${String(loop[j])} vs ${String(want)}`).toBe(true);
      expect(same(out, wasm[j]!, want), `wasm row ${j}: ${String(wasm[j])} vs ${String(want)}`).toBe(true);
      expect(same(out, viaDirect[j]!, want), `direct row ${j}: ${String(viaDirect[j])} vs ${String(want)}`).toBe(true);
    });
  });
});
