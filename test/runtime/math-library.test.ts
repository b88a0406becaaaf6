/**
 * numbats' math library (src/runtime/math-library.ts, built by scripts/build-asm.mjs from
 * asm/nbmath/index.ts): the float functions direct kernel modules import as `nbmath.<name>`.
 *   - the contract (compiler/emit/wasm/math-imports.ts): every function exists, with its
 *     Wasm signature read from the module's binary, and nothing else is exported or imported;
 *   - each function against an independent reference: JavaScript's Math within the kernel
 *     language's 2 ULPs for the transcendentals (test/compiler/constructs.test.ts; float32:
 *     Math's float64 result rounded, 2 float32 ULPs), and exactly for what the kernel language
 *     defines exactly: Math.round, Math.sign, `%`, and nb.math's functions (src/math: erf,
 *     gamma, ..., copysign, nextafter, ldexp, deg2rad; float32: the float64 result rounded, or
 *     NumPy's float32 loop for nextafter and deg2rad / rad2deg), on edge values (NaN, ±0,
 *     ±Infinity, subnormals, huge values, multiples of pi/2 and their neighbours, large trig
 *     arguments) and on random ones (fast-check);
 *   - the same bits as asc's kernel modules, which inline the same AS functions: a kernel
 *     `(x) => Math.exp(x)` etc. per function, linked into one module (test/compiler/harness.ts
 *     WasmRig), on the edge values and a random sample (tiers agree bit for bit).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import { MATH_MODULE, mathImports, type MathImport } from '../../src/compiler/emit/wasm/math-imports.js';
import { copysign, deg2rad, erf, erfc, gamma, ldexp, lgamma, nextafter, rad2deg, sinc } from '../../src/math/index.js';
import { nextafterFloat32 } from '../../src/math/elementary.js';
import { ASC_FLAGS } from '../../src/compiler/toolchain/asc-flags.js';
import { mathLibraryBytes } from '../../src/runtime/math-library-bytes.js';
import {
  importsMathLibrary, instantiateMathLibrary, MATH_LIBRARY_MODULE, mathLibraryExports, mathLibraryModule,
} from '../../src/runtime/math-library.js';
import { runWasm, ulps, WasmRig, type Value } from '../compiler/harness.js';
import { exportedSignatures } from '../helpers/wasm-signatures.js';

type Float = 'float32' | 'float64';
type Fn = (...args: number[]) => number;

const lib = mathLibraryExports();
const IMPORTS = mathImports();
const baseName = (m: MathImport) => m.name.slice(0, m.name.lastIndexOf('_'));
const typeOf = (m: MathImport) => m.result as Float;
const round = (t: Float) => (t === 'float32' ? Math.fround : (x: number) => x);

/** Functions computed by JavaScript's Math (and `%`): `Math.<name>`. */
const TRANSCENDENTAL = new Set(['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'cbrt', 'atan2', 'pow', 'hypot']);
const NB_MATH: Readonly<Record<string, Fn>> = { erf, erfc, gamma, lgamma, sinc };
const F32_PI = Math.fround(Math.PI);

/**
 * The independent reference of library function `m` and the ULPs it may differ by: the
 * kernel language's meaning of the intrinsic, written with JavaScript's Math and src/math.
 */
function reference(m: MathImport): { ref: Fn; ulps: number } {
  const f = baseName(m);
  const t = typeOf(m);
  const r = round(t);
  const math = Math as unknown as Record<string, Fn>;
  if (TRANSCENDENTAL.has(f)) return { ref: (...a) => r(math[f]!(...a)), ulps: 2 };
  if (f in NB_MATH) return { ref: (x) => r(NB_MATH[f]!(x!)), ulps: 0 };
  switch (f) {
    case 'round': return { ref: (x) => r(Math.round(x!)), ulps: 0 };
    case 'sign': return { ref: (x) => Math.sign(x!), ulps: 0 };
    case 'mod': return { ref: (a, b) => r(a! % b!), ulps: 0 };
    case 'copysign': return { ref: (a, b) => copysign(a!, b!), ulps: 0 };
    case 'nextafter': return { ref: t === 'float32' ? (a, b) => nextafterFloat32(a!, b!) : (a, b) => nextafter(a!, b!), ulps: 0 };
    case 'ldexp': return { ref: (x, n) => r(ldexp(x!, n!)), ulps: 0 };
    // NumPy's float32 loops (npy_deg2radf): x * (float32 pi / 180), rounded in float32.
    case 'deg2rad': return { ref: t === 'float32' ? (x) => Math.fround(x! * Math.fround(F32_PI / 180)) : (x) => deg2rad(x!), ulps: 0 };
    case 'rad2deg': return { ref: t === 'float32' ? (x) => Math.fround(x! * Math.fround(180 / F32_PI)) : (x) => rad2deg(x!), ulps: 0 };
    default: throw new Error(`no reference for ${m.name}`);
  }
}

/** Multiples of pi/2 (float64-rounded) and their neighbours: where trig reduction loses bits. */
const nearHalfPi = [1, 2, 3, 4, 5, 10, 100, 1e4, 1e6].flatMap((k) => {
  const x = (k * Math.PI) / 2;
  return [x, nextafter(x, Infinity), nextafter(x, -Infinity), -x];
});

/** Edge values of float64 (float32: the same, rounded, plus its own edges). */
const EDGE64 = [
  NaN, 0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-20, 1e-8,
  0.1, 0.5, -0.5, 1, -1, 1.5, 2, -2, 2.5, -3.5, 10, 100, 170.5, 171.7, 709.7, 710, -745.1, -746, 1e15 + 0.5,
  2 ** 52, 2 ** 53 + 2, 1e22, 2 ** 60, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 1000, ...nearHalfPi,
];
const EDGE32 = [...new Set([
  ...EDGE64.map(Math.fround), 1.401298464324817e-45, -1.401298464324817e-45, 1.1754943508222875e-38, 3.4028234663852886e38,
  88.7, 89, -103.9, -104, 1e30, Math.fround(1e-40),
])];
/** A smaller set for the pairs of two-argument functions. */
const PAIRS = [NaN, 0, -0, Infinity, -Infinity, 5e-324, 0.5, -0.5, 1, -1, 2, -2, 3, 0.1, 10, -7.5, 1e300, 1e-300, Math.PI / 2];
const EXPONENTS = [0, 1, -1, 10, -10, 1023, 1024, -1022, -1074, -1075, 2000, -2000, 2 ** 31 - 1, -(2 ** 31)];

/**
 * AssemblyScript's float32 sin, cos and tan (Mathf) reduce |x| >= pi * 2^28 by far more than
 * 2 ULPs (hundreds, some results of the wrong sign); the kernel language computes them in
 * float64 and rounds once (ir/intrinsics.ts `trig`), which the test below checks there.
 */
const F32_TRIG_LARGE = Math.fround(Math.PI * 2 ** 28);

/** The argument lists of the edge test for `m`. */
function edgeArgs(m: MathImport): number[][] {
  const t = typeOf(m);
  if (m.params.length === 1) return (t === 'float32' ? EDGE32 : EDGE64).map((x) => [x]);
  const xs = t === 'float32' ? [...new Set(PAIRS.map(Math.fround))] : PAIRS;
  if (m.params[1] === 'int32') return (t === 'float32' ? EDGE32 : EDGE64).flatMap((x) => EXPONENTS.map((n) => [x, n]));
  return xs.flatMap((a) => xs.map((b) => [a, b]));
}

/** Arbitrary arguments of `m`: any value of the type (NaN, ±Infinity, subnormals) or a moderate one. */
function arbitraryArgs(m: MathImport): fc.Arbitrary<number[]> {
  const float = typeOf(m) === 'float32'
    ? fc.oneof(fc.float(), fc.float({ min: -1000, max: 1000, noNaN: true }))
    : fc.oneof(fc.double(), fc.double({ min: -1000, max: 1000, noNaN: true }));
  const exponent = fc.oneof(fc.integer({ min: -1100, max: 1100 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
  return fc.tuple(...m.params.map((p) => (p === 'int32' ? exponent : float)));
}

/** The first argument list on which `got` and `want` differ by more than `tol` ULPs, described; null if none. */
function firstMiss(m: MathImport, args: readonly number[][], got: Fn, want: Fn, tol: number): string | null {
  for (const given of args) {
    // The values the library receives (a float32 parameter rounds its argument).
    const a = given.map((x, j) => (m.params[j] === 'float32' ? Math.fround(x) : x));
    const g = got(...a);
    const w = want(...a);
    const d = ulps(typeOf(m), g, w);
    if (d > tol) return `${m.name}(${a.map(String).join(', ')}) = ${String(g)}, reference ${String(w)} (${d} ulps)`;
  }
  return null;
}

describe('the contract of compiler/emit/wasm/math-imports.ts', () => {
  it('every function exists with its signature, and the library exports and imports nothing else', () => {
    const wasmType = (t: string) => ({ float32: 'f32', float64: 'f64', int32: 'i32' })[t];
    const signatures = exportedSignatures(mathLibraryBytes());
    const want = new Map(IMPORTS.map((m) => [m.name, { params: m.params.map(wasmType), results: [wasmType(m.result)] }]));
    expect(new Map([...signatures].sort(([a], [b]) => a.localeCompare(b)))).toEqual(new Map([...want].sort(([a], [b]) => a.localeCompare(b))));
    const module = mathLibraryModule();
    expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual([...want.keys()].sort());
    // Its memory is its own: nothing imported (no heap memory), nothing but functions exported.
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    expect(WebAssembly.Module.exports(module).every((e) => e.kind === 'function')).toBe(true);
    expect(MATH_LIBRARY_MODULE).toBe(MATH_MODULE);
  });

  it('is built with the kernel modules\' flags, but a memory of its own (scripts/build-asm.mjs)', () => {
    const build = readFileSync(new URL('../../scripts/build-asm.mjs', import.meta.url), 'utf8');
    const flags = (name: string) => JSON.parse(new RegExp(`const ${name} = (\\[[^\\]]*\\]);`).exec(build)![1]!.replace(/'/g, '"')) as string[];
    const memory = ['--importMemory', '--sharedMemory', '--maximumMemory', '65536'];
    expect(flags('CODE_FLAGS')).toEqual(ASC_FLAGS.filter((f) => !memory.includes(f)));
    expect(flags('OWN_MEMORY_FLAGS')).toEqual(['--noExportMemory']);
  });

  it('one instance per thread, compiled once; another instance is independent and computes the same', () => {
    expect(mathLibraryExports()).toBe(lib);
    expect(mathLibraryModule()).toBe(mathLibraryModule());
    const other = instantiateMathLibrary();
    expect(other).not.toBe(lib);
    expect(other.exp_f64!(1)).toBe(lib.exp_f64!(1));
    expect(other.gamma_f64!(4.5)).toBe(lib.gamma_f64!(4.5));
  });

  it('importsMathLibrary tells a module that imports nbmath from one that does not', () => {
    // (module (import "nbmath" "exp_f64" (func (param f64) (result f64)))) and an empty module.
    const importing = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 124, 1, 124,
      2, 18, 1, 6, 110, 98, 109, 97, 116, 104, 7, 101, 120, 112, 95, 102, 54, 52, 0, 0]);
    expect(importsMathLibrary(new WebAssembly.Module(importing))).toBe(true);
    expect(importsMathLibrary(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])))).toBe(false);
  });
});

describe('each function against JavaScript\'s Math and src/math', () => {
  it.each(IMPORTS.map((m) => [m.name, m] as const))('%s on edge values', (_, m) => {
    const { ref, ulps: tol } = reference(m);
    expect(firstMiss(m, edgeArgs(m), lib[m.name]!, ref, tol)).toBeNull();
  });

  it.each(IMPORTS.map((m) => [m.name, m] as const))('%s on random values', (_, m) => {
    const { ref, ulps: tol } = reference(m);
    const f = lib[m.name]!;
    fc.assert(fc.property(arbitraryArgs(m), (a) => firstMiss(m, [a], f, ref, tol) === null), { numRuns: 300 });
  });

  it.each(['sin_f64', 'cos_f64', 'tan_f64'])('%s on 2^20 pi/2 <= |x| < 2^22 (where AS reads the word before its reduction table)', (name) => {
    // AS's pio2_large_quot takes that word as the bits of 2/pi before the table's: right only
    // when it is zero (math-library.ts orders the source so that it is).
    const m = IMPORTS.find((i) => i.name === name)!;
    const { ref, ulps: tol } = reference(m);
    const range = fc.double({ min: 2 ** 19 * Math.PI, max: 2 ** 22, noNaN: true });
    fc.assert(fc.property(range, fc.boolean(), (x, negative) => firstMiss(m, [[negative ? -x : x]], lib[name]!, ref, tol) === null), { numRuns: 2000 });
  });

  it('sin_f32, cos_f32, tan_f32 for |x| >= pi * 2^28 within 2 ULPs (computed in float64: AS\'s Mathf reduction is wrong there)', () => {
    const xs = fc.sample(fc.float({ min: F32_TRIG_LARGE, max: Math.fround(3.4e38), noNaN: true }), { seed: 15, numRuns: 500 });
    for (const name of ['sin_f32', 'cos_f32', 'tan_f32']) {
      const m = IMPORTS.find((i) => i.name === name)!;
      const { ref, ulps: tol } = reference(m);
      expect(firstMiss(m, xs.map((x) => [x]), lib[name]!, ref, tol)).toBeNull();
    }
  });
});

/** The kernel-language source of a kernel that calls library function `m` on its parameters. */
function kernelSource(m: MathImport): string {
  const f = baseName(m);
  if (f === 'mod') return '(a, b) => a % b';
  const params = m.params.length === 1 ? ['a'] : ['a', 'b'];
  const callee = TRANSCENDENTAL.has(f) || f === 'round' || f === 'sign' ? `Math.${f}` : `nb.math.${f}`;
  return `(${params.join(', ')}) => ${callee}(${params.join(', ')})`;
}

const SIG = { float32: 'f4', float64: 'f8', int32: 'i4' } as const;

/** NaN payloads aside, the bits of each value as a string (toEqual sees -0). */
const bits = (xs: readonly Value[]) => xs.map((x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : String(x)));

describe('the same bits as asc\'s kernel modules (which inline the same AS functions)', () => {
  const kernels = IMPORTS.map((m, i): CompiledKernel => compileKernel(kernelSource(m),
    `${SIG[typeOf(m)]}(${m.params.map((p) => SIG[p as keyof typeof SIG]).join(', ')})`, { kind: 'scalar', prefix: `m${i}_` }));
  let rig: WasmRig;
  beforeAll(async () => {
    rig = await WasmRig.of(kernels);
  }, 300_000);

  it.each(IMPORTS.map((m, i) => [m.name, i] as const))('%s', (_, i) => {
    const m = IMPORTS[i]!;
    const sample = fc.sample(arbitraryArgs(m), { seed: 15 + i, numRuns: 500 });
    const args = [...edgeArgs(m), ...sample];
    const columns = m.params.map((_p, j) => args.map((a) => a[j]!));
    const f = lib[m.name]!;
    expect(bits(args.map((a) => f(...a)))).toEqual(bits(runWasm(rig, kernels[i]!, [args.length], columns)));
  });
});
