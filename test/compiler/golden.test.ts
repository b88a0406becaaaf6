/**
 * Golden files for representative kernels: the typed IR dump, the AssemblyScript module and
 * the JS reference source, under test/compiler/golden/ (vitest file snapshots; update with
 * `npx vitest run test/compiler -u` and review the diff). Each golden module also compiles.
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, type CompiledKernel } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const clamp = (v: any, lo: any, hi: any) => Math.min(Math.max(v, lo), hi);

const GOLDEN: [string, () => CompiledKernel][] = [
  ['simd-f8', () => compileKernel((x: any, y: any) => { const t = x * y; return Math.sqrt(t) + 1; }, 'float64(float64, float64)', { kind: 'scalar', name: 'simd' })],
  ['int-division-i4', () => compileKernel((a: any, b: any) => {
    if (b === 0) return -1;
    const q = Math.floor(a / b);
    return (q << 1) + a % b;
  }, 'i4(i4, i4)', { kind: 'scalar', name: 'intdiv' })],
  ['to-uint8-helper-f4', () => compileKernel((x: any) => clamp(Math.round(x * 255), 0, 255), 'u1(f4)', { kind: 'scalar', helpers: { clamp }, name: 'toByte' })],
  ['matmul-gufunc-f4', () => compileKernel((a: any, b: any, c: any) => {
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < b[0].length; j++) {
        let s = 0;
        for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    }
  }, 'void(f4[:,:], f4[:,:], f4[:,:])', { kind: 'gufunc', core: { nin: 2, dims: ['m', 'n', 'p'], operands: [[0, 1], [1, 2], [0, 2]] }, name: 'matmul' })],
  // Pointer walks (ir/passes/pointer-walk.ts) over fastmath's unrolled loop and its remainder loop.
  ['rowdot-fastmath-f8', () => compileKernel((a: any, b: any, o: any) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    o[0] = s;
  }, 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core: { nin: 2, dims: ['n'], operands: [[0], [0], []] }, fastmath: true, name: 'rowdot' })],
  // Issue 13: for...of, a switch with fallthrough and continue (a one-pass do/while), a
  // do/while, | 0 on a float and a float literal (a source string: esbuild reprints 1.0).
  ['control-flow-gufunc-f8', () => compileKernel(`(a, out) => {
    let k = 0;
    for (const v of a) {
      switch ((v * 4) | 0) {
        case 0: k++; continue;
        case 1: out[0] += v;
        case 2: out[1] += v; break;
        default: out[2] += 1.0;
      }
      let n = 0;
      do { n++; } while (n < k);
      out[3] += n;
    }
  }`, 'void(f8[:], f8[:])', { kind: 'gufunc', core: { nin: 1, dims: ['n', '4'], operands: [[0], [1]] }, name: 'controlFlow' })],
];

describe('golden files', () => {
  test.each(GOLDEN)('%s', async (name, make) => {
    const k = make();
    await expect(k.irText).toMatchFileSnapshot(`golden/${name}.ir.txt`);
    await expect(k.asSource).toMatchFileSnapshot(`golden/${name}.as.txt`);
    await expect(k.jsSource).toMatchFileSnapshot(`golden/${name}.js.txt`);
    const { exports } = await compileAssemblyScript(k.asSource);
    expect(exports).toEqual(expect.arrayContaining(['row', 'loop']));
  });
});
