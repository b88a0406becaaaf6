/**
 * Lowering of what only jit functions (`nb.jit`, src/compiler/jit.ts) have: their array
 * parameters are NDArrays and TypedArrays, read through the NDArray API, and their loops may
 * be `nb.prange`. Called from lower-expr.ts, lower.ts and control-flow.ts when the lowering
 * context has jit hooks (`ctx.jit`, made by {@link jitHooks}); every function here returns undefined for a construct
 * that is not about a jit array parameter, so the ordinary rules apply to it.
 *
 * What each form becomes (k a literal integer, `a` an NDArray parameter of ndim D, `t` a
 * TypedArray parameter):
 *   - `a.shape[k]` (0 <= k < D) → `length` of axis k (each axis has its own size); a computed k
 *     is checked (IndexError outside [0, D)) and selects among the D lengths;
 *     `a.ndim` and `a.shape.length` → the constant D; `a.size` → the product of the D
 *     lengths as int64 (no int32 wrap: NumPy's intp), the length itself for D = 1, 1 for D = 0;
 *   - `const [m, n] = a.shape` → `const m = a.shape[0], n = a.shape[1]` (holes skip an axis);
 *   - `a.get(i, j)` → a `load`; `a.set(i, j, v)` (a statement) → a `store`; a negative index
 *     counts from the end, as NDArray.get/set do (ir/passes/negative-index.ts), and an index
 *     outside the axis is the bounds checks' IndexError;
 *   - `t[i]`, `t.length`, `t[i] = v`, `for (const v of t)`: as in gufunc kernels;
 *   - `for (const i of nb.prange(stop))` / `nb.prange(start, stop)` → a counting loop
 *     (`nb` any free name; a bare `prange` too), its bounds evaluated once, before the loop.
 * The wrong API on the wrong kind (`a[i]` or `a.length` on an NDArray, which JavaScript reads
 * as undefined; `t.get(i)` on a TypedArray) is NB1040 / NB1041; other properties and methods of
 * arrays and `a.shape` as a value are NB1042. A helper call may pass array parameters whole
 * (`mean(img, i, j, win)`): a `helper` node with `arrays` (the helper is lowered per call kinds).
 */
import type * as acorn from 'acorn';
import type { Expr, HelperArrayArg, Stmt } from '../ir/nodes.js';
import { paramRef, tableRef } from '../ir/nodes.js';
import type { ExprContext, JitDynamicAlloc, JitHooks, JitParamKind } from './lower-expr.js';
import { constantOf, fail, lowerExpr, pos } from './lower-expr.js';
import { jitCast } from './jit-ufunc.js';

type E = Expr<null>;
type S = Stmt<null>;

const NDARRAY_API = 'read its elements with a.get(i, ...) and write them with a.set(i, ..., v) (a[i] is undefined on an NDArray); its sizes are a.shape[k], a.size and a.ndim';
const TYPED_API = 'read it with t[i] and t.length (a TypedArray has no get, set, shape or size)';

/**
 * The hooks lower-expr.ts calls for member expressions and calls of a jit function whose
 * parameters are passed as `params`.
 *
 * @example
 * ```ts
 * lowerFunction(parsed, { emitName: 'kernel', helpers, jit: jitHooks([{ kind: 'ndarray', ndim: 2 }]) });
 * ```
 */
export function jitHooks(params: readonly JitParamKind[], allocs: ReadonlyMap<acorn.Node, JitDynamicAlloc> = new Map()): JitHooks {
  return { params, allocs, member: jitMember, call: jitCall };
}

/**
 * `const row = nb.empty(shape, dtype)` that the function makes itself (frontend/jit-alloc.ts
 * found it): the `alloc` statement of its hidden parameter, which `row` then names in the
 * declaring block; undefined for any other declaration. The shape is a list `[m, n]` (one
 * size per element), `a.shape` of an array (its sizes), or one size; the sizes and full's
 * value are lowered before the name is bound, as JavaScript evaluates them.
 */
export function jitAllocDeclaration(ctx: ExprContext, d: acorn.VariableDeclarator): S | undefined {
  const a = d.init == null ? undefined : ctx.jit?.allocs.get(d.init);
  if (a === undefined) return undefined;
  const node = a.shape;
  let shape: E[];
  if (node.type === 'ArrayExpression') shape = node.elements.map((e) => lowerExpr(ctx, e as acorn.Expression));
  else {
    const m = node.type === 'MemberExpression' ? node : null;
    const p = m !== null && propName(m) === 'shape' ? jitParam(ctx, m.object) : null;
    if (p !== null && hasNdarrayApi(p.kind)) shape = Array.from({ length: ndimOf(p.kind) }, (_, k) => length(p.index, k, pos(ctx, node)));
    else shape = [lowerExpr(ctx, node)];
  }
  const value = a.value === null ? null : lowerExpr(ctx, a.value);
  ctx.scopes.declareParam((d.id as acorn.Identifier).name, a.param);
  return { kind: 'alloc', array: paramRef(a.param), shape, fill: a.fill, value, site: a.allocation, at: pos(ctx, d.init!) };
}

/** The jit parameter an identifier names (not shadowed by a local), or null. */
function jitParam(ctx: ExprContext, node: acorn.Node): { index: number; name: string; kind: JitParamKind } | null {
  if (ctx.jit === undefined || node.type !== 'Identifier') return null;
  const name = (node as acorn.Identifier).name;
  const b = ctx.scopes.lookup(name);
  if (b === null || b.kind !== 'param') return null;
  return { index: b.index, name, kind: ctx.jit.params[b.index] ?? { kind: 'scalar' } };
}

const ndimOf = (k: JitParamKind): number => (k.kind === 'ndarray' || k.kind === 'array' ? k.ndim : 1);
const hasNdarrayApi = (k: JitParamKind): boolean => k.kind === 'ndarray' || k.kind === 'array';
const hasTypedApi = (k: JitParamKind): boolean => k.kind === 'typed' || (k.kind === 'array' && k.ndim === 1);

const propName = (m: acorn.MemberExpression): string | null =>
  !m.computed && m.property.type === 'Identifier' ? m.property.name : null;

/** `a.shape[k]` as the axis k (a literal integer in [0, ndim)). */
function shapeAxis(ctx: ExprContext, node: acorn.MemberExpression, name: string, ndim: number): number {
  const p = node.property;
  const k = p.type === 'Literal' && typeof (p as acorn.Literal).value === 'number' ? (p as acorn.Literal).value as number : null;
  if (k === null || !Number.isInteger(k) || k < 0 || k >= ndim) {
    return fail(ctx, 'NB1042', p, [`${name}.shape[${ctx.source.text.slice(p.start - ctx.shift, p.end - ctx.shift)}]`,
      `the axis must be an integer from 0 to ${ndim - 1} ('${name}' has ${ndim} dimension(s)); use const [m, n] = ${name}.shape for names`]);
  }
  return k;
}

/**
 * `a.shape[k]` with k computed: the size of axis k, k checked against the ndim as an index
 * into a constant table of the axes (`a.shape (2 axes)`: [0, 1]), so that a k outside them is
 * the bounds checks' IndexError at its line (plain JS reads undefined there); then a select
 * of the sizes by axis.
 */
function shapeAt(ctx: ExprContext, node: acorn.MemberExpression, index: number, name: string, ndim: number): E {
  const at = pos(ctx, node);
  if (ctx.tables === undefined) return length(index, shapeAxis(ctx, node, name, ndim), at);
  const table = ctx.tables.ref(`${name}.shape (${ndim} axes)`, Int32Array.from({ length: ndim }, (_, k) => k));
  const axis = (): E => ({ kind: 'load', array: tableRef(table), indices: [lowerExpr(ctx, node.property as acorn.Expression)], at, type: null });
  if (ndim === 0) return axis();
  // (the outermost select's load checks k: the last axis is the innermost else)
  let e: E = length(index, ndim - 1, at);
  for (let k = Math.max(ndim - 2, 0); k >= 0; k--) {
    e = { kind: 'select', cond: { kind: 'compare', op: 'eq', left: axis(), right: konst(k, at), operand: null, at, type: null }, then: length(index, k, at), else: e, at, type: null };
  }
  return e;
}

const length = (index: number, axis: number, at: number): E => ({ kind: 'length', array: paramRef(index), axis, at, type: null });
const konst = (value: number, at: number): E => ({ kind: 'const', value, at, type: null });

/**
 * A member expression on a jit array parameter (`a.shape[k]`, `a.ndim`, `a.size`), or
 * undefined when the node is something else (the caller goes on as for any kernel).
 */
export function jitMember(ctx: ExprContext, node: acorn.MemberExpression): E | undefined {
  if (ctx.jit === undefined) return undefined;
  const at = pos(ctx, node);
  // a.shape[k], a.shape.length
  if (node.object.type === 'MemberExpression') {
    const inner = node.object as acorn.MemberExpression;
    const p = jitParam(ctx, inner.object);
    if (p === null || propName(inner) !== 'shape') return undefined;
    if (!hasNdarrayApi(p.kind)) return fail(ctx, 'NB1041', inner, [p.name, TYPED_API]);
    if (node.computed) return node.property.type === 'Literal' ? length(p.index, shapeAxis(ctx, node, p.name, ndimOf(p.kind)), at) : shapeAt(ctx, node, p.index, p.name, ndimOf(p.kind));
    if (propName(node) === 'length') return konst(ndimOf(p.kind), at);
    return fail(ctx, 'NB1042', node, [`${p.name}.shape.${propName(node) ?? '#private'}`, 'read a.shape[k] or a.shape.length']);
  }
  const p = jitParam(ctx, node.object);
  if (p === null) return undefined;
  if (p.kind.kind === 'scalar') return undefined;
  const prop = propName(node);
  if (node.computed || prop === 'length') {
    if (hasTypedApi(p.kind)) return undefined; // t[i], t.length: ordinary array accesses
    return fail(ctx, 'NB1040', node, [p.name, NDARRAY_API]);
  }
  if (!hasNdarrayApi(p.kind)) return fail(ctx, 'NB1041', node, [p.name, TYPED_API]);
  const ndim = ndimOf(p.kind);
  switch (prop) {
    case 'ndim': return konst(ndim, at);
    case 'size': {
      if (ndim === 0) return konst(1, at);
      if (ndim === 1) return length(p.index, 0, at);
      // (an int64 product, as NumPy's intp: each size is int32, their product need not be)
      const len64 = (k: number): E => ({ kind: 'cast', arg: length(p.index, k, at), to: 'int64', at, type: null });
      let e = len64(0);
      for (let k = 1; k < ndim; k++) e = { kind: 'binary', op: 'mul', left: e, right: len64(k), at, type: null };
      return e;
    }
    case 'shape': return fail(ctx, 'NB1042', node, [`${p.name}.shape as a value`, `read ${p.name}.shape[k], or name the sizes with const [m, n] = ${p.name}.shape`]);
    case 'get': case 'set': return fail(ctx, 'NB1042', node, [`${p.name}.${prop} as a value`, `call it: ${p.name}.${prop}(...)`]);
    default: return fail(ctx, 'NB1042', node, [`'.${prop ?? '#private'}' of an NDArray`, 'jit functions read a.shape[k], a.ndim, a.size, a.get(...) and a.set(...)']);
  }
}

/**
 * A call on a jit array parameter in an expression (`a.get(i, j)`), or a check of a call
 * that must not take arrays (helpers) or must be a statement (`a.set`); undefined for any
 * other call.
 */
export function jitCall(ctx: ExprContext, node: acorn.CallExpression): E | undefined {
  if (ctx.jit === undefined) return undefined;
  const cast = jitCast(ctx, node);
  if (cast !== undefined) return cast;
  const callee = node.callee;
  // A helper may take the function's array parameters whole (`mean(img, i, j, win)`): the
  // helper is lowered and typed per tuple of such arguments (src/compiler/jit.ts).
  if (callee.type === 'Identifier' && ctx.helpers.has(callee.name) && ctx.scopes.lookup(callee.name) === null) {
    const arrays: HelperArrayArg[] = [];
    const args: E[] = [];
    node.arguments.forEach((a, position) => {
      const p = jitParam(ctx, a);
      if (p === null || p.kind.kind === 'scalar') return;
      arrays.push({ position, array: paramRef(p.index), api: p.kind.kind, ndim: ndimOf(p.kind) });
    });
    if (arrays.length === 0) return undefined;
    const spread = node.arguments.find((a) => a.type === 'SpreadElement');
    if (spread) return fail(ctx, 'NB1018', spread);
    node.arguments.forEach((a, position) => { if (!arrays.some((r) => r.position === position)) args.push(lowerExpr(ctx, a)); });
    return { kind: 'helper', name: callee.name, index: -1, args, arrays, at: pos(ctx, node), type: null };
  }
  if (isPrange(ctx, callee)) return fail(ctx, 'NB1042', node, ['nb.prange(...) outside a for...of', 'loop with for (const i of nb.prange(n)) { ... }']);
  // (the jit function's own allocations never get here: frontend/jit-alloc.ts took them)
  const fill = callee.type === 'MemberExpression' ? propName(callee) : null;
  if (fill !== null && ['empty', 'zeros', 'ones', 'full'].includes(fill) && callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && ctx.scopes.lookup(callee.object.name) === null) {
    return fail(ctx, 'NB1042', node, [`${callee.object.name}.${fill}(...) in a helper`, 'allocate in the jit function (const out = nb.empty(shape, dtype)) and pass the array to the helper']);
  }
  if (callee.type !== 'MemberExpression') return undefined;
  const p = jitParam(ctx, callee.object);
  if (p === null || p.kind.kind === 'scalar') return undefined;
  const prop = propName(callee);
  if (!hasNdarrayApi(p.kind)) {
    if (prop === 'get' || prop === 'set') return fail(ctx, 'NB1041', callee, [p.name, TYPED_API]);
    return fail(ctx, 'NB1042', callee, [`${p.name}.${prop ?? '[...]'}(...)`, 'jit functions read a TypedArray with t[i] and t.length']);
  }
  if (prop === 'get') {
    return { kind: 'load', array: paramRef(p.index), indices: node.arguments.map((a) => lowerExpr(ctx, a)), at: pos(ctx, node), type: null };
  }
  if (prop === 'set') return fail(ctx, 'NB1028', node, [`${p.name}.set(...)`]);
  return fail(ctx, 'NB1042', callee, [`${p.name}.${prop ?? '[...]'}(...)`, 'jit functions call a.get(...) and a.set(...) on NDArrays (views, copies and ufunc methods come later)']);
}

/** `a.set(i, j, v)` as a statement: a store of v at (i, j); undefined for other calls. */
export function jitStatement(ctx: ExprContext, node: acorn.CallExpression): S[] | undefined {
  if (ctx.jit === undefined || node.callee.type !== 'MemberExpression') return undefined;
  const callee = node.callee as acorn.MemberExpression;
  const p = jitParam(ctx, callee.object);
  if (p === null || !hasNdarrayApi(p.kind) || propName(callee) !== 'set') return undefined;
  if (node.optional || callee.optional) return fail(ctx, 'NB1029', node, ['?.']);
  const spread = node.arguments.find((a) => a.type === 'SpreadElement');
  if (spread) return fail(ctx, 'NB1018', spread);
  if (node.arguments.length === 0) return fail(ctx, 'NB2009', node, [`${p.name}.set`, ndimOf(p.kind) + 1, 0]);
  const args = node.arguments.map((a) => lowerExpr(ctx, a));
  const value = args.pop()!;
  return [{ kind: 'store', array: paramRef(p.index), indices: args, value, at: pos(ctx, node) }];
}

/**
 * `const [m, n] = a.shape`: one `let` per named axis (in `declare`'s scope), or undefined
 * when the initializer is not the shape of a jit NDArray parameter.
 */
export function jitShapeDeclaration(
  ctx: ExprContext, d: acorn.VariableDeclarator, declare: (name: string, at: number) => number,
): S[] | undefined {
  if (ctx.jit === undefined || d.id.type !== 'ArrayPattern' || !d.init || d.init.type !== 'MemberExpression') return undefined;
  const init = d.init as acorn.MemberExpression;
  const p = jitParam(ctx, init.object);
  if (p === null || propName(init) !== 'shape') return undefined;
  if (!hasNdarrayApi(p.kind)) return fail(ctx, 'NB1041', init, [p.name, TYPED_API]);
  const ndim = ndimOf(p.kind);
  const out: S[] = [];
  d.id.elements.forEach((el, k) => {
    if (el === null) return;
    if (el.type === 'RestElement') fail(ctx, 'NB1018', el);
    if (el.type !== 'Identifier') fail(ctx, 'NB1019', el);
    if (k >= ndim) fail(ctx, 'NB1042', el, [`'${(el as acorn.Identifier).name}' (axis ${k} of ${p.name}.shape)`, `'${p.name}' has ${ndim} dimension(s), so it would be undefined`]);
    const at = pos(ctx, el);
    out.push({ kind: 'let', local: declare((el as acorn.Identifier).name, at), init: length(p.index, k, at), at });
  });
  return out;
}

/** Is `callee` numbats' prange (`<ns>.prange` on a free name, or a free `prange`)? */
function isPrange(ctx: ExprContext, callee: acorn.Node): boolean {
  const free = (n: string) => ctx.scopes.lookup(n) === null && !ctx.helpers.has(n) && constantOf(ctx, n) === undefined;
  if (callee.type === 'Identifier') return (callee as acorn.Identifier).name === 'prange' && free('prange');
  if (callee.type !== 'MemberExpression') return false;
  const m = callee as acorn.MemberExpression;
  return propName(m) === 'prange' && m.object.type === 'Identifier' && free((m.object as acorn.Identifier).name);
}

/**
 * The bounds of `nb.prange(stop)` / `nb.prange(start, stop)` in a for...of (start 0 when
 * omitted), or undefined when `node` is not a prange call.
 */
export function jitRange(ctx: ExprContext, node: acorn.Node): { start: E; stop: E } | undefined {
  if (ctx.jit === undefined || node.type !== 'CallExpression') return undefined;
  const call = node as acorn.CallExpression;
  if (!isPrange(ctx, call.callee)) return undefined;
  const spread = call.arguments.find((a) => a.type === 'SpreadElement');
  if (spread) return fail(ctx, 'NB1018', spread);
  const n = call.arguments.length;
  if (n < 1 || n > 2) return fail(ctx, 'NB2009', call, ['nb.prange', '1 or 2', n]);
  const args = call.arguments.map((a) => lowerExpr(ctx, a));
  return n === 1 ? { start: konst(0, pos(ctx, call)), stop: args[0]! } : { start: args[0]!, stop: args[1]! };
}

/**
 * Checks a for...of over a jit parameter: NDArrays are not iterated (NB1040: loop over
 * indices instead). Returns nothing; TypedArrays and other iterables go on as usual.
 */
export function checkJitIterable(ctx: ExprContext, node: acorn.Node): void {
  const p = jitParam(ctx, node);
  if (p !== null && p.kind.kind === 'ndarray') {
    fail(ctx, 'NB1040', node, [p.name, `loop over its indices, for (let i = 0; i < ${p.name}.shape[0]; i++), and read ${p.name}.get(i, ...)`]);
  }
}
