/**
 * The AssemblyScript source of numbats' math library: one exported function per entry of
 * emit/wasm/math-imports.ts (`exp_f64`, `pow_f32`, `erf_f64`, `mod_f64`, ...), each returning
 * the intrinsic's own AS spelling (ir/intrinsics.ts `as`) on its parameters, with the prelude
 * snippets those spellings name. A direct module (emit/wasm/emit-module.ts) imports these
 * instead of inlining the function as asc does in a kernel module: the same AS code compiled
 * by the same asc, so the same bits (Binaryen's inlining does not change IEEE results).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../../ir/intrinsics.js';
import { asType } from '../../ir/types.js';
import { mathImports, type MathImport } from '../wasm/math-imports.js';
import { preludeFor } from './prelude.js';

/** The AS expression library function `m` returns, on parameters a0, a1. */
function body(m: MathImport): string {
  const fn = m.name.slice(0, m.name.lastIndexOf('_'));
  const t = m.result;
  const args = m.params.map((_, k) => `a${k}`);
  if (fn === 'mod') return `a0 % a1`;
  return INTRINSICS.get(fn)!.as({ t, r: t }, args);
}

const param = (t: DType, k: number) => `a${k}: ${asType(t)}`;

/**
 * The library's AS source: the prelude it needs, then every function.
 *
 * @example
 * ```ts
 * mathLibrarySource().includes('export function exp_f64(a0: f64): f64 { return Math.exp(a0); }'); // true
 * ```
 */
export function mathLibrarySource(): string {
  // float64 first, so that rem_pio2's table (Math.sin/cos/tan) is the first static data, at
  // asc's data base, with zero bytes before it: asc lays data out in the order functions
  // first use it, and AS's pio2_large_quot reads the word before that table (a negative
  // offset) for 2^20 pi/2 <= |x| < 2^22, which is right only when that word is zero. Behind
  // the float32 trig table it was not: sin, cos, tan had the wrong sign on a third of that
  // range (test/runtime/math-library.test.ts checks the range).
  const ordered = [...mathImports()].sort((a, b) => Number(a.result === 'float32') - Number(b.result === 'float32'));
  const fns = ordered.map((m) =>
    `export function ${m.name}(${m.params.map(param).join(', ')}): ${asType(m.result)} { return ${body(m)}; }`);
  const code = fns.join('\n');
  return `${preludeFor(code)}\n${code}\n`;
}
