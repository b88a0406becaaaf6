/**
 * The general scalar path of the direct emitter (issue 15): which scalar kernels it takes
 * ({@link scalarEligible}) and their row function `<prefix>row(n, p0, s0, ..., pK, sK)`
 * (the ABI of emit-module.ts's header): the strided scalar loop, each operand read and
 * written in its dtype (values.ts: a bool is a byte read as `!= 0`, stored as 0 or 1), the
 * kernel's body inlined in the loop (function.ts), as asc -O3 inlines the AS unit's kernel.
 * No SIMD loop: asc's module of such a kernel has none either (ir/passes/simd.ts takes only
 * straight-line float kernels, which emit-module.ts's own path takes first).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { forEachExpr, forEachStmt, type Expr, type IRFunction, type IRProgram } from '../../ir/nodes.js';
import { isFloatType } from '../../ir/types.js';
import { Code, I32, type WasmFunction } from './encode.js';
import { bump, countedLoop, rowParams } from './entries.js';
import { FLOAT_INLINE, libraryCall } from './calls.js';
import type { Callees } from './body-writer.js';
import { KernelBody } from './function.js';
import { arrayAccess } from './arrays.js';
import { LANES } from './lanes.js';
import { isSmall, loadValue, storeValue, valType } from './values.js';

/** Intrinsics written inline on integers (function.ts `call`), by name. */
const INT_INLINE = new Set(['abs', 'sign', 'min', 'max', 'clamp', 'imul', 'clz32']);

/**
 * Why kernel `p` cannot take the general scalar path, or null when it can. `mathLibrary`:
 * whether the math library is there to import (runtime/math-library.ts); without it a
 * kernel calling one of its functions stays on asc.
 *
 * Not taken: anything but a scalar kernel (gufuncs, jit), helpers outside the subset
 * ({@link helpersIneligible}; the others are inlined), array parameters and their loads,
 * stores, `.length` (a constant table's loads and `.length` are taken: arrays.ts),
 * scratch arrays and allocations, and a call with neither an inline form nor a library
 * function.
 *
 * @example
 * ```ts
 * scalarIneligible(compileKernel((x) => { while (x > 1) x = x % 2 ? 3 * x + 1 : x / 2; return x; }, 'i4(i4)', { kind: 'scalar' }).ir, false); // null
 * ```
 */
export function scalarIneligible(p: IRProgram, mathLibrary: boolean): string | null {
  if (p.kind !== 'scalar') return `a ${p.kind} kernel`;
  const fn = p.main;
  if (fn.returns === 'void' || fn.params.some((q) => q.scalar === undefined)) return 'array parameters';
  let why: string | null = null;
  forEachStmt(fn.body, (s) => {
    if (s.kind === 'store' || s.kind === 'scratch' || s.kind === 'alloc') why ??= `a ${s.kind} statement`;
  });
  forEachExpr(fn.body, (e) => { why ??= exprIneligible(e, mathLibrary); });
  return why ?? helpersIneligible(p, mathLibrary);
}

/** Why expression node `e` (not its operands) is not eligible, or null (gufunc-row.ts takes loads and lengths first). */
export function exprIneligible(e: Expr<DType>, mathLibrary: boolean): string | null {
  switch (e.kind) {
    case 'helper': return (e.arrays?.length ?? 0) > 0 ? 'an array passed to a helper' : null;
    // (a constant table's loads and length: arrays.ts; array parameters: gufunc-row.ts)
    case 'load': case 'length': return e.array.kind === 'table' ? null : `a ${e.kind} of a ${e.array.kind} array`;
    case 'call': {
      if (libraryCall(e) !== null) return mathLibrary ? null : `Math.${e.fn} without the math library`;
      if (e.fn === 'isNaN' || e.fn === 'isFinite') return isFloatType(e.args[0]!.type) ? null : `${e.fn} of ${e.args[0]!.type}`;
      if (isFloatType(e.type)) return e.fn === 'clamp' || FLOAT_INLINE.has(e.fn) || LANES[e.type]!.ops[e.fn] !== undefined ? null : `Math.${e.fn} on ${e.type}`;
      return INT_INLINE.has(e.fn) ? null : `Math.${e.fn} on ${e.type}`;
    }
    case 'binary':
      if (libraryCall(e) !== null) return mathLibrary ? null : `float ${e.op} without the math library`;
      if (isFloatType(e.type) && LANES[e.type]!.ops[e.op] === undefined) return `float ${e.op}`;
      return null;
    default: return null;
  }
}

/**
 * Why some helper of kernel `p` cannot be inlined (function.ts KernelBody.helper inlines a
 * helper call at the call site, so a helper's body must be one the scalar path takes: scalar
 * parameters or parameters bound to literals, a result, no stores, scratch arrays or
 * allocations, only expressions {@link exprIneligible} takes) by the direct emitter, or null when every
 * one can (or there are none). `mathLibrary`: whether the math library is there to import.
 *
 * @example
 * ```ts
 * helpersIneligible(compileKernel(f, 'f8(f8)', { kind: 'scalar', helpers: { sq } }).ir, false); // null
 * ```
 */
export function helpersIneligible(p: IRProgram, mathLibrary: boolean): string | null {
  for (const h of p.helpers) {
    const why = helperIneligible(h, mathLibrary);
    if (why !== null) return `helper ${h.name}: ${why}`;
  }
  return null;
}

function helperIneligible(h: IRFunction<DType>, mathLibrary: boolean): string | null {
  if (h.returns === 'void') return 'no result';
  if (h.params.some((q) => q.literal === undefined && q.scalar === undefined)) return 'array parameters';
  let why: string | null = null;
  forEachStmt(h.body, (s) => {
    if (s.kind === 'store' || s.kind === 'scratch' || s.kind === 'alloc') why ??= `a ${s.kind} statement`;
  });
  forEachExpr(h.body, (e) => { why ??= exprIneligible(e, mathLibrary); });
  return why;
}

/** The functions of kernel `p` whose bodies its module holds: the kernel and its helpers (inlined). */
export function programFunctions(p: IRProgram): readonly IRFunction<DType>[] {
  return [p.main, ...p.helpers];
}

/** Does kernel `p` call a function of the math library? */
export function usesMathLibrary(p: IRProgram): boolean {
  let uses = false;
  for (const f of programFunctions(p)) forEachExpr(f.body, (e) => { uses ||= libraryCall(e) !== null; });
  return uses;
}

/** The row function of eligible scalar kernel `p` (see the file header), exported as `name`. */
export function scalarRowFunction(p: IRProgram, name: string, callees: Callees, tableBase: number | null = null): WasmFunction {
  const fn = p.main;
  const ins = fn.params.map((q) => q.scalar!);
  const out = fn.returns as DType;
  const K = ins.length;
  const { ops, n, ptr, stride, params, locals: L } = rowParams(K + 1);
  const i = L.add(I32);
  const values = ins.map((t) => L.add(valType(t)));
  const locals = fn.locals.map((l) => L.add(valType(l.type)));
  const c = new Code();
  const body = new KernelBody(fn, {
    code: c, param: (k) => values[k]!, local: (id) => locals[id]!, temp: (t) => L.add(t), callees, helpers: p.helpers,
    ...((p.tables?.length ?? 0) > 0 ? { arrays: arrayAccess(p, null, tableBase) } : {}),
  });
  countedLoop(c, i, n, 1, () => {
    ins.forEach((t, k) => { c.get(ptr(k)); loadValue(c, t); c.set(values[k]!); });
    c.get(ptr(K));
    // (a small integer's store writes its low bytes: the result need not be wrapped first)
    body.emit(isSmall(out));
    storeValue(c, out);
    bump(c, ops.map(ptr), (k) => c.get(stride(k)));
  });
  c.end();
  return { params, results: [], locals: L.types, code: c, export: name };
}
