/**
 * guvectorize kernels in the direct emitter (issue 15): which gufunc kernels it takes
 * ({@link gufuncIneligible}) and their row function, with the ABI of the AS unit's
 * (../assemblyscript/emit-module.ts gufuncRow, asm/gufunc/walk.ts):
 *   `<prefix>row(n, p0, s0, ..., pK, sK, core)`: n core calls, operand k's core block at
 *     pk + i * sk (a scalar operand's element there);
 *   core = [D, work, workBytes, size[0..D), then per operand (inputs first) the byte
 *     strides of its core dims in signature order].
 * The kernel's body is inlined in the row loop (function.ts; arrays.ts its loads, stores,
 * sizes and bounds checks), as asc -O3 inlines the AS unit's kernel, and written twice
 * where some array's last core dim is walked: first for rows whose every such stride is
 * the element size (contiguous core rows, tested once per call of the row), with those
 * strides as constants, then for any strides: gufuncRow's two loops. Loops are unrolled
 * as for asc (passes/fastmath.ts unrollStrict: the same operations in the same order, so
 * the same bits), unless fastmath unrolled them already.
 *
 * Scratch arrays (scratch.ts) live in the module's arena, with the AS unit's ABI
 * (`__nb_arena`, the scratch failure globals); constant tables where the runtime wrote them
 * (tables.ts); helpers are inlined (function.ts).
 *
 * Not taken (asc's): helpers outside scalar-row.ts helpersIneligible's subset, jit allocations, and
 * what the scalar path does not take (scalar-row.ts exprIneligible).
 */
import { DTYPES, type DType } from '../../../dtype/dtypes.js';
import { forEachExpr, forEachStmt, type IRProgram } from '../../ir/nodes.js';
import { unrollStrict } from '../../ir/passes/fastmath.js';
import { arrayAccess } from './arrays.js';
import { Code, I32, type WasmFunction } from './encode.js';
import { bump, countedLoop, rowParams } from './entries.js';
import type { Callees } from './body-writer.js';
import { KernelBody } from './function.js';
import { exprIneligible, helpersIneligible } from './scalar-row.js';
import { hasScratch, ScratchFrame } from './scratch.js';
import { loadValue, valType } from './values.js';

const I32_LOAD = 0x28;
const I32_EQ = 0x46;
const I32_AND = 0x71;

/**
 * Why gufunc kernel `p` cannot take the direct emitter, or null when it can. `mathLibrary`:
 * whether the math library is there to import (runtime/math-library.ts).
 *
 * @example
 * ```ts
 * gufuncIneligible(compileKernel(rowdot, 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core }).ir, false); // null
 * ```
 */
export function gufuncIneligible(p: IRProgram, mathLibrary: boolean): string | null {
  if (p.kind !== 'gufunc' || p.core === undefined) return `a ${p.kind} kernel`;
  const fn = p.main;
  if (fn.returns !== 'void') return 'a result';
  let why: string | null = null;
  forEachStmt(fn.body, (s) => {
    if (s.kind === 'alloc') why ??= `a ${s.kind} statement`;
    if (s.kind === 'store' && s.array.kind === 'table') why ??= `a store to a ${s.array.kind} array`;
  });
  forEachExpr(fn.body, (e) => {
    // (loads and sizes of array parameters, scratch arrays and tables: arrays.ts)
    if (e.kind !== 'load' && e.kind !== 'length') why ??= exprIneligible(e, mathLibrary);
  });
  return why ?? helpersIneligible(p, mathLibrary);
}

/**
 * The row function of eligible gufunc kernel `p` (see the file header), exported as `name`;
 * `arena`: the index of the module's first arena global (scratch.ts), for a kernel with
 * scratch arrays; `tableBase`: the address of its constant tables (tables.ts), when it has some.
 *
 * @example
 * ```ts
 * const row = gufuncRowFunction(k.ir, 'g0_row', callees); // emitDirectWasm's, beside dims and loop
 * ```
 */
export function gufuncRowFunction(p: IRProgram, name: string, callees: Callees, arena = 0, tableBase: number | null = null): WasmFunction {
  const core = p.core!;
  const fn = p.fastmath ? p.main : unrollStrict(p.main);
  const K = fn.params.length;
  const D = core.dims.length;
  // (A gufunc's operands are its parameters: outputs are array parameters too.)
  const { n, ptr, stride, params, locals: L } = rowParams(K, 1);
  const coreAt = 1 + 2 * K;
  const i = L.add(I32);
  const c = new Code();
  const word = (w: number) => c.get(coreAt).mem(I32_LOAD, 2, 12 + 4 * w);
  const sizes = core.dims.map((_, d) => { const l = L.add(I32); word(d); c.set(l); return l; });
  // Per array parameter, its core strides (a "()" operand declared as an array: stride 0).
  let w = D;
  const strides = fn.params.map((q, k) => {
    const dims = core.operands[k]!;
    const own = q.array !== undefined && dims.length === q.array.ndim
      ? dims.map((_, j) => { const l = L.add(I32); word(w + j); c.set(l); return l; })
      : null;
    w += dims.length;
    return own;
  });
  // The contiguous case: every walked array's last core stride is its element size.
  const unit = fn.params.flatMap((q, k) => {
    const s = strides[k];
    return s !== null && s !== undefined && s.length > 0 ? [{ k, last: s.length - 1, size: DTYPES[q.array!.dtype].itemSize }] : [];
  });
  const values = fn.params.map((q) => (q.scalar === undefined ? -1 : L.add(valType(q.scalar))));
  const locals = fn.locals.map((l) => L.add(valType(l.type)));
  const scratch = hasScratch(fn) ? new ScratchFrame(fn, arena, (t) => L.add(t)) : undefined;
  const loop = (dense: boolean) => {
    // A stride known here: 0 for a "()" operand's, the element size for a walked last dim in the dense loop.
    const constStride = (k: number, j: number): number | null => {
      if (strides[k] === null) return 0;
      const u = unit.find((x) => x.k === k);
      return dense && u !== undefined && j === u.last ? u.size : null;
    };
    const arrays = arrayAccess({ ...p, main: fn }, {
      base: (k) => c.get(ptr(k)),
      stride: (k, j) => { const s = constStride(k, j); if (s === null) c.get(strides[k]![j]!); else c.i32(s); },
      size: (d) => c.get(sizes[d]!),
      constStride,
      scratch,
    }, tableBase);
    const body = new KernelBody(fn, { code: c, param: (k) => values[k]!, local: (id) => locals[id]!, temp: (t) => L.add(t), callees, helpers: p.helpers, arrays, scratch });
    countedLoop(c, i, n, 1, () => {
      fn.params.forEach((q, k) => { if (q.scalar !== undefined) { c.get(ptr(k)); loadValue(c, q.scalar as DType); c.set(values[k]!); } });
      body.emit();
      bump(c, fn.params.map((_, k) => ptr(k)), (k) => c.get(stride(k)));
    });
  };
  if (unit.length > 0) {
    unit.forEach((u, x) => { c.get(strides[u.k]![u.last]!).i32(u.size).op(I32_EQ); if (x > 0) c.op(I32_AND); });
    c.if();
    loop(true);
    c.return().end();
  }
  loop(false);
  c.end();
  return { params, results: [], locals: L.types, code: c, export: name };
}
