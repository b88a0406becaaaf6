/**
 * The pointer-walk pass (ir/passes/pointer-walk.ts): which counting loops get pointers,
 * which accesses read through them, and that the AssemblyScript emitter prints exactly
 * that (the typed IR itself stays target-neutral).
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, type CoreLayoutInput } from '../../src/compiler/compile.js';
import { forEachExpr, paramIndex, paramRef, forEachStmt, type ForStmt, type IRProgram } from '../../src/compiler/ir/nodes.js';
import { pointerWalks } from '../../src/compiler/ir/passes/pointer-walk.js';
import type { DType } from '../../src/dtype/dtypes.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type A = any;

const vec: CoreLayoutInput = { nin: 2, dims: ['n'], operands: [[0], [0], []] };
const copy: CoreLayoutInput = { nin: 1, dims: ['n'], operands: [[0], [0]] };

function rowdot(a: A, b: A, o: A) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  o[0] = s;
}

const loops = (p: IRProgram): ForStmt<DType>[] => {
  const out: ForStmt<DType>[] = [];
  forEachStmt(p.main.body, (s) => { if (s.kind === 'for') out.push(s); });
  return out;
};
/** `array:walk id:offset` of every walked load and store. */
const accesses = (p: IRProgram): string[] => {
  const out: string[] = [];
  forEachExpr(p.main.body, (e) => { if (e.kind === 'load' && e.walk) out.push(`load ${paramIndex(e.array)}:${e.walk.id}:${e.walk.offset}`); });
  forEachStmt(p.main.body, (s) => { if (s.kind === 'store' && s.walk) out.push(`store ${paramIndex(s.array)}:${s.walk.id}:${s.walk.offset}`); });
  return out;
};

describe('pointer walks', () => {
  test('a counting loop walks the 1-D arrays its body reads at [i]; the loads read through the pointers', () => {
    const k = compileKernel(rowdot, 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core: vec });
    const p = pointerWalks(k.ir);
    expect(loops(p).map((l) => l.walks)).toEqual([[{ id: 0, array: paramRef(0), counter: expect.any(Number), step: 1 }, { id: 1, array: paramRef(1), counter: expect.any(Number), step: 1 }]]);
    expect(accesses(p)).toEqual(['load 0:0:0', 'load 1:1:0']);
    // The kernel's IR is target-neutral; only the AS unit is printed from the walked program.
    expect(loops(k.ir)[0]!.walks).toBeUndefined();
    expect(k.asSource).toContain('load<f64>(__w0) * load<f64>(__w1)');
    // The AS unit's loop is unrolled (passes/fastmath.ts unrollStrict): four elements per step,
    // the original loop, walked too, for the rest.
    expect(k.asSource).toContain('__w0 = __w0 + 4 * __a_s0');
    expect(k.asSource).toContain('load<f64>(__w0 + 3 * __a_s0) * load<f64>(__w1 + 3 * __b_s0)');
    expect(k.asSource).toContain('__w2 = __w2 + __a_s0');
  });

  test('fastmath\'s unrolled loop steps by 4 and reads [i + c] at offsets; pointers number across loops', () => {
    const k = compileKernel(rowdot, 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core: vec, fastmath: true });
    const p = pointerWalks(k.ir);
    expect(loops(p).map((l) => l.walks?.map((w) => [w.id, paramIndex(w.array), w.step]))).toEqual([[[0, 0, 4], [1, 1, 4]], [[2, 0, 1], [3, 1, 1]]]);
    expect(accesses(p)).toEqual(expect.arrayContaining(['load 0:0:3', 'load 1:1:3', 'load 0:2:0']));
    // No init in the unrolled loop: the pointers start in a block around it.
    expect(k.asSource).toMatch(/\{\n\s+let __w0: usize = a \+ <usize>\(i_fm\) \* __a_s0;/);
    expect(k.asSource).toContain('load<f64>(__w0 + 3 * __a_s0)');
  });

  test('stores walk too, at [i + c]', () => {
    const k = compileKernel((a: A, o: A) => { for (let i = 0; i < a.length - 1; i++) o[i + 1] = a[i]; }, 'void(f8[:], f8[:])', { kind: 'gufunc', core: copy });
    expect(accesses(pointerWalks(k.ir)).sort()).toEqual(['load 0:0:0', 'store 1:1:1']);
    expect(k.asSource).toContain('store<f64>(__w1 + 1 * __o_s0, load<f64>(__w0));');
  });

  test('no walk when the body assigns the counter, or for 2-D arrays', () => {
    const skip = compileKernel((a: A, o: A) => { let s = 0; for (let i = 0; i < a.length; i++) { s += a[i]; if (s > 3) i++; } o[0] = s; }, 'void(i4[:], i4[:])', { kind: 'gufunc', core: { nin: 1, dims: ['n'], operands: [[0], []] } });
    expect(loops(pointerWalks(skip.ir)).every((l) => l.walks === undefined)).toBe(true);
    const matmul = compileKernel((a: A, b: A, c: A) => {
      for (let i = 0; i < a.length; i++) for (let j = 0; j < b[0].length; j++) { let s = 0; for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j]; c[i][j] = s; }
    }, 'void(f4[:,:], f4[:,:], f4[:,:])', { kind: 'gufunc', core: { nin: 2, dims: ['m', 'n', 'p'], operands: [[0, 1], [1, 2], [0, 2]] } });
    expect(accesses(pointerWalks(matmul.ir))).toEqual([]);
    expect(matmul.asSource).not.toContain('__w');
  });

  test('an inner loop reads an outer loop\'s pointer', () => {
    const k = compileKernel((a: A, b: A, o: A) => { let s = 0; for (let i = 0; i < a.length; i++) { for (let j = 0; j < b.length; j++) s += a[i] * b[j]; } o[0] = s; },
      'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core: { nin: 2, dims: ['n', 'm'], operands: [[0], [1], []] } });
    expect(accesses(pointerWalks(k.ir))).toEqual(['load 0:0:0', 'load 1:1:0']);
    expect(k.asSource).toContain('load<f64>(__w0) * load<f64>(__w1)');
  });
});
