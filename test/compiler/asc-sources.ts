/**
 * Generated AssemblyScript modules across the kernel language, for tests that compile the
 * same source two ways and compare the Wasm byte for byte (asc-parse-reuse.test.ts,
 * asc-library-trim.test.ts): dtypes, Math tables, int64, f32, SIMD rows, gufunc cores, a
 * large module at -O0, the golden modules, a SIMD stencil, and nb.jit functions with a
 * helper, a prange loop (a host call) and an allocation (a host call).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { compileKernel, linkKernels } from '../../src/compiler/compile.js';
import { compileJit } from '../../src/compiler/jit.js';
import { compileStencil } from '../../src/compiler/stencil.js';
import { linkAssemblyScript } from '../../src/compiler/emit/assemblyscript/emit-module.js';
import { ascOptimizeDirective } from '../../src/compiler/toolchain/asc-flags.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const scalar = (fn: any, sig: string, prefix: string) => compileKernel(fn, sig, { kind: 'scalar', prefix });
const CORE = { nin: 2, dims: ['n'], operands: [[0], [0], []] };

/** [name, module source] of vectorize/guvectorize kernels (one or two per module). */
export const KERNEL_SOURCES: Array<[string, string]> = [
  ['x*y+1 f8', linkKernels([scalar((x: any, y: any) => x * y + 1, 'f8(f8, f8)', 'a_')])],
  ['exp*cos f8 (Math tables)', linkKernels([scalar((x: any) => Math.exp(-x * x) * Math.cos(x), 'f8(f8)', 'b_')])],
  ['sin, pow f4', linkKernels([scalar((x: any) => Math.sin(x) * Math.pow(x, 2.5), 'f4(f4)', 'c_')])],
  ['int64 poly', linkKernels([scalar('(x) => x * x * 3n + x - 7n', 'i8(i8)', 'd_')])],
  ['u8 clamp, i4 floor div', linkKernels([
    scalar((x: any) => Math.min(Math.max(Math.round(x), 0), 255), 'u1(f4)', 'e_'),
    scalar((a: any, b: any) => Math.floor(a / b) + a % b, 'i4(i4, i4)', 'f_'),
  ])],
  ['bool, comparisons', linkKernels([scalar((a: any, b: any) => (a < b && !(a >= b)) || a === b, 'b1(f8, f8)', 'g_')])],
  ['gufunc rowdot', linkKernels([compileKernel('(a, b, r) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; r[0] = s; }', 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', prefix: 'h_', core: CORE })])],
  ['-O0 module', `// k: generated\n${ascOptimizeDirective(0)}\n${linkKernels([scalar((x: any) => Math.log1p(Math.abs(x)) + Math.atan2(x, 2), 'f8(f8)', 'i_')])}`],
];

/** The golden modules of test/compiler/golden (`*.as.txt`). */
export function goldenSources(): Array<[string, string]> {
  const dir = join(import.meta.dirname, 'golden');
  return readdirSync(dir).filter((f) => f.endsWith('.as.txt')).sort().map((f) => [`golden ${f}`, readFileSync(join(dir, f), 'utf8')]);
}

/** A SIMD 2x2 mean stencil (uint8, stride 2) and nb.jit functions: a helper, prange, an allocation. */
export function stencilAndJitSources(): Array<[string, string]> {
  const mean = compileStencil((a: any) => { let s = 2; s += a(0, 0); s += a(0, 1); s += a(1, 0); s += a(1, 1); return s >> 2; }, 'uint8(uint8)', { stride: 2, mode: 'nearest' });
  const arr2 = { kind: 'ndarray', dtype: 'float64', ndim: 2, contiguous: false } as const;
  const sum2d = compileJit((a: nb.NDArray) => { const [m, n] = a.shape; let s = 0.0; for (let i = 0; i < m!; i++) for (let j = 0; j < n!; j++) s += a.get(i, j) as number; return s; }, [arr2]);
  const win = (a: nb.NDArray, i: number, j: number, w: number) => { let s = 0; for (let k = 0; k < w; k++) s += a.get(i + k, j) as number; return s / w; };
  const helped = compileJit((a: nb.NDArray, i: number) => win(a, i, 0, 2) + win(a, 0, i, 2), [arr2, { kind: 'scalar', dtype: 'int64' }], { helpers: { win }, prefix: 'w_' });
  const par = compileJit((t: Float64Array) => { let s = 0.0; for (const i of nb.prange(t.length)) s += t[i]!; return s; }, [{ kind: 'typed', dtype: 'float64' }], { parallel: true, prefix: 'p_' });
  const alloc = compileJit((n: number) => { const z = nb.zeros([n]); for (let i = 0; i < n; i++) z.set(i, i * 0.5); return z; }, [{ kind: 'scalar', dtype: 'int64' }], { prefix: 'z_' });
  return [
    ['stencil mean2x2 u8', linkAssemblyScript([mean.asUnit], 'mean2x2: stencil')],
    ['jit sum2d', linkAssemblyScript([sum2d.asUnit], 'sum2d: jit')],
    ['jit helper', linkAssemblyScript([helped.asUnit], 'helped: jit')],
    ['jit prange', linkAssemblyScript([par.asUnit], 'par: jit')],
    ['jit allocation', linkAssemblyScript([alloc.asUnit], 'alloc: jit')],
  ];
}

/**
 * asc's message for `bad` (a source it rejects) with a compile-time switch (parse reuse,
 * the trimmed library) off, then on; the switch is left on. Both must be the same.
 */
export async function diagnosticsOffAndOn(sw: { enabled: boolean }, bad: string): Promise<string[]> {
  const messages: string[] = [];
  for (const on of [false, true]) {
    sw.enabled = on;
    try {
      await compileAssemblyScript(bad);
      messages.push('compiled');
    } catch (e) {
      messages.push((e as Error).message);
    } finally {
      sw.enabled = true;
    }
  }
  return messages;
}
