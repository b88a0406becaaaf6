/**
 * Compiler bugs found by the differential fuzzer (test/fuzz/kernels.test.ts,
 * scripts/fuzz-kernels.ts), kept as minimal reproductions. Each test asserts the CORRECT
 * behaviour and is marked `it.fails` while the bug stands: when a fix lands, the test starts
 * passing, vitest reports the `it.fails` as failed, and the marker should be removed (and the
 * generator's matching `avoidKnownBugs` workaround in generate.ts dropped).
 */
import { describe, expect, it } from 'vitest';
import { compileKernel, linkKernels, type CompiledKernel } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { DTYPES } from '../../src/dtype/dtypes.js';
import { KernelError } from '../../src/util/errors.js';

/** Run a one-input scalar kernel's `row` export on one value; returns the stored output. */
async function wasmScalar(k: CompiledKernel, x: number | bigint): Promise<unknown> {
  const { module } = await compileAssemblyScript(linkKernels([k]));
  const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const [tin, tout] = k.operands as [keyof typeof DTYPES, keyof typeof DTYPES];
  const p = 1 << 20;
  (new DTYPES[tin].TypedArray(memory.buffer, p, 1) as unknown as unknown[])[0] = x;
  (instance.exports[k.entries.row] as (...a: number[]) => void)(1, p, 8, p + 64, 8);
  return (new DTYPES[tout].TypedArray(memory.buffer, p + 64, 1) as unknown as unknown[])[0];
}

describe('fuzzer findings (known compiler bugs)', () => {
  // BUG 1 (AS emitter, weak literal on the LEFT inside a widening cast): `1 + x` for an int32
  // x returned as int64 is emitted as `<i64>((1 + x))`; AssemblyScript gives the literal `1`
  // the cast's contextual type i64, so the addition is done in i64 and does not wrap at
  // int32 as the kernel language (and the JS emitter) says. `x + 1` is correct.
  // x = 2147483647: JS emitter -2147483648n, Wasm 2147483648n.
  it.fails('int64(int32): (x) => 1 + x wraps at int32 in Wasm as in JS', async () => {
    const k = compileKernel('(x) => 1 + x', 'int64(int32)', { kind: 'scalar' });
    expect(k.jsKernel(2147483647)).toBe(-2147483648n);
    expect(await wasmScalar(k, 2147483647)).toBe(-2147483648n);
  });

  // BUG 1 also arises from constant folding: `(2 >= 5 ? x : 6) * (-x)` (int32) folds the
  // ternary to a weak 6 on the left, and `<f64>(...)`/`<i64>(...)` around it computes the
  // product unwrapped (found by the fuzzer as a mismatch 5 vs -2147483648 at x = 2147483647).

  // BUG 1b (same root cause, float output): `(0 + x) * 3` for an int32 x returned as float64
  // is emitted as `<f64>(((0 + x) * 3))`; asc makes `0` (and so the product) f64, so the
  // int32 multiplication does not wrap. x = 2147483647: JS emitter 2147483645, Wasm 6442450941.
  it.fails('float64(int32): (x) => (0 + x) * 3 wraps at int32 in Wasm as in JS', async () => {
    const k = compileKernel('(x) => (0 + x) * 3', 'float64(int32)', { kind: 'scalar' });
    expect(k.jsKernel(2147483647)).toBe(2147483645);
    expect(await wasmScalar(k, 2147483647)).toBe(2147483645);
  });

  // BUG 2 (same root cause, now a compile failure): `1 << x` for an int8 x is emitted as
  // `<i8>((1 << <i32>(x)))`; asc types `1` as i8 from the cast and then rejects the i32
  // shift count: "AS200: Conversion from type 'i32' to 'i8' requires an explicit cast".
  // Any literal-only left operand of << / >> / >>> in an int8/uint8/int16/uint16 kernel hits it.
  it.fails('int8(int8): (x) => 1 << x compiles with asc', async () => {
    const k = compileKernel('(x) => 1 << x', 'int8(int8)', { kind: 'scalar' });
    expect(k.jsKernel(3)).toBe(8);
    expect(await wasmScalar(k, 3)).toBe(8);
  });

  // BUG 4 (AS emitter, sub-32-bit wrapping): `(x & (x << 9)) < 0` for an int8 x is emitted
  // as `((x & <i8>((<i32>(x) << 9))) < <i8>0)`. The shift result -512 must wrap to int8 0
  // (the JS emitter: x & 0 = 0, so false), but the value is not re-wrapped before the `&`
  // and the comparison, which sees -512 & -1 = -512 < 0: true. Also Math.sign(x & (x << 9))
  // gives -1 instead of 0, and `((x << 9) & x) === 0 ? 1 : 2` gives 2 instead of 1.
  it.fails('int8(int8): (x) => (x & (x << 9)) < 0 is false at x = -1 in Wasm as in JS', async () => {
    const k = compileKernel('(x) => (x & (x << 9)) < 0', 'int8(int8)', { kind: 'scalar' });
    expect(k.jsKernel(-1)).toBe(0);
    expect(await wasmScalar(k, -1)).toBe(0);
  });

  // BUG 4b (same): `(x * 8) & y` for int16 x, y returned as float64 is emitted as
  // `<f64>(((x * <i16>8) & y))`: at x = 32767, y = -1 the product 262136 must wrap to int16
  // -8 (JS emitter: -8 & -1 = -8), but Wasm ANDs the unwrapped 262136 with -1 and converts
  // 262136. (AssemblyScript treats `a & b` of a small signed type as wrapped when one operand
  // is, which is false for a sign-extended negative operand; the emitter must wrap explicitly.)
  it.fails('float64(int16, int16): (x, y) => (x * 8) & y wraps the product at int16', async () => {
    const k = compileKernel('(x, y) => (x * 8) & y', 'float64(int16, int16)', { kind: 'scalar' });
    expect(k.jsKernel(32767, -1)).toBe(-8);
    const { module } = await compileAssemblyScript(linkKernels([k]));
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const p = 1 << 20;
    new Int16Array(memory.buffer, p, 2).set([32767, -1]);
    (instance.exports[k.entries.row] as (...a: number[]) => void)(1, p, 0, p + 2, 0, p + 64, 8);
    expect(new Float64Array(memory.buffer, p + 64, 1)[0]).toBe(-8);
  });

  // BUG 5 (AS emitter vs asc's parser): `x < (x | 1)` is printed as AS `x < (x | 1)`, which
  // asc rejects: "ERROR TS1110: Type expected." (its parser takes `x<(x | 1)...` as the start
  // of type arguments, `x | 1` a union type). Every integer type; found as `if (x < (x | 1))`.
  // The emitter must print such comparisons unambiguously (e.g. parenthesise the operands).
  it('int32(int32): (x) => x < (x | 1) compiles with asc', async () => {
    const k = compileKernel('(x) => x < (x | 1)', 'int32(int32)', { kind: 'scalar' });
    expect(k.jsKernel(4)).toBe(1);
    expect(await wasmScalar(k, 4)).toBe(1);
  });

  // BUG 3 (type inference): Math.floor(a / b) / Math.trunc(a / b) with int64 and uint64
  // operands (promoted type float64) is lowered to an integer floordiv/truncdiv in float64,
  // and the IR validator throws a plain Error "internal compiler error: invalid typed IR ...
  // floordiv on float64" instead of compiling (float division then floor) or a KernelError.
  // `>>>` on int64 gives uint64, so `Math.floor(x / (x >>> 1))` in an int64 kernel hits it.
  it.fails('int64(int64): Math.floor(x / (x >>> 1)) compiles (or is a KernelError)', () => {
    let err: unknown;
    try {
      compileKernel('(x) => Math.floor(x / (x >>> 1))', 'int64(int64)', { kind: 'scalar' });
    } catch (e) {
      err = e;
    }
    expect(err === undefined || err instanceof KernelError).toBe(true);
  });

  it.fails('float64(int64, uint64): Math.trunc(x / y) compiles (or is a KernelError)', () => {
    let err: unknown;
    try {
      compileKernel('(x, y) => Math.trunc(x / y)', 'float64(int64, uint64)', { kind: 'scalar' });
    } catch (e) {
      err = e;
    }
    expect(err === undefined || err instanceof KernelError).toBe(true);
  });
});
