/**
 * Built-in ufuncs on arrays in jit functions (`nb.add(a, trace)`, `nb.sqrt(a)`), as NumPy
 * computes them: the result is an array the caller allocates before the call (a two-phase
 * allocation, frontend/jit-alloc.ts) and a loop the function runs fills it.
 *
 * Steps, per array-valued call (one operand an array parameter, an allocation, or such a
 * call itself):
 *   1. the loop, by numbats' own dispatcher (src/ufunc/dispatch.ts) on the operands' kinds:
 *      an array's dtype; a literal's weak kind (`2` a JS integer, `2.5` a JS float); any
 *      other scalar a weak integer when the function types it as an integer, a weak float
 *      when as a float, a strong bool for a boolean — JS numbers are weak scalars to nb.add,
 *      and a value's kind follows its type here (a float-typed value that happens to be
 *      integral stays a float: the types are fixed per specialisation). The scalar's type
 *      comes from inference, so it is guessed first (a float) and the compile runs again
 *      when inference says otherwise ({@link JitRetype}, src/compiler/jit.ts);
 *   2. the result: ndim the largest operand ndim, dtype the loop's output, its shape the
 *      broadcast of the operands' shapes, computed in phase 1 (src/jit/call.ts);
 *   3. the statements: each scalar operand evaluated once into a local (`__nb_s<k>`), then
 *      one counting loop per result axis storing `elem(cast(x), cast(y))` into the result,
 *      where `elem` is the table row's kernel-language source for the loop's dtype kind (the
 *      same source the gpu target compiles: src/builtins/ufunc-table.ts `gpu`), added as a
 *      helper, and `cast` converts each operand to the loop's input dtype (an IR cast this
 *      file marks, {@link jitCast}); an operand axis of size 1 reads index 0 (broadcasting).
 * A nested array-valued call (`nb.add(nb.multiply(a, 2), b)`) becomes its own allocation,
 * filled first. Ufuncs with two outputs (divmod, modf, frexp), ones without a kernel source
 * for the loop's dtype, and a weak integer literal outside the loop's dtype (NumPy:
 * OverflowError) are NB1042 at the call.
 */
import type * as acorn from 'acorn';
import type { DType } from '../../dtype/dtypes.js';
import { loopsOf } from '../../builtins/loop-registry.js';
import type { UfuncRow } from '../../builtins/ufunc-row.js';
import { UFUNC_TABLE, type UfuncName } from '../../builtins/ufunc-table.js';
import { resolveLoop, type InputKind, type UfuncDispatch } from '../../ufunc/dispatch.js';
import type { Expr, IRFunction } from '../ir/nodes.js';
import { isFloatType, isIntType } from '../ir/types.js';
import { kernelError, type SourceText } from './diagnostics.js';
import { lowerExpr, pos, type ExprContext } from './lower-expr.js';
import { GLOBALS } from './numbats-names.js';

type AnyNode = acorn.Node & Record<string, unknown>;

/** An array a ufunc call may take: a parameter or an allocation, by name. */
export interface UfuncArray {
  readonly dtype: DType;
  readonly ndim: number;
  /** How it is read: `a.get(i, j)` (NDArray API) or `t[i]` (a TypedArray). */
  readonly api: 'ndarray' | 'typed';
}

/** A scalar operand's kind as dispatch sees it (see the file header, step 1). */
export type ScalarKind = 'weak-int' | 'weak-float' | 'bool';

/** One array-valued call, expanded: its result's allocation and the statements that fill it. */
export interface UfuncExpansion {
  /** The result: its name, dtype, ndim and the names of the array operands (its shape is their broadcast). */
  readonly result: { readonly name: string; readonly dtype: DType; readonly ndim: number; readonly operands: readonly string[] };
  /** Results of nested calls, allocated and filled before this one (in order). */
  readonly nested: readonly UfuncExpansion[];
  readonly statements: acorn.Statement[];
}

/**
 * Thrown by {@link checkScalarGuesses} when inference typed a scalar operand otherwise than
 * guessed: compileJit compiles again with `kinds`.
 */
export class JitRetype extends Error {
  constructor(readonly kinds: ReadonlyMap<string, string>) { super('internal: jit ufunc operand kinds changed'); }
}

const CASTS = new WeakMap<acorn.Node, DType>();

/**
 * The cast this file writes around an operand (`__nb_cast(x)`, marked, so a user's function of
 * that name is never one) as an untyped IR cast to the loop's dtype; undefined for any other
 * call. Called first by the jit call hook (jit-members.ts).
 */
export function jitCast(ctx: ExprContext, node: acorn.CallExpression): Expr<null> | undefined {
  const to = CASTS.get(node);
  if (to === undefined) return undefined;
  return { kind: 'cast', arg: lowerExpr(ctx, node.arguments[0] as acorn.Expression), to, type: null, at: pos(ctx, node) };
}

/** Dispatch records of the built-ins, one per name (dispatch caches by record). */
const dispatches = new Map<UfuncName, UfuncDispatch>();
function dispatchOf(name: UfuncName): UfuncDispatch {
  let d = dispatches.get(name);
  if (d === undefined) {
    const row: UfuncRow = UFUNC_TABLE[name];
    d = { name: row.numpy, nin: row.nin, loops: loopsOf(name), resolver: row.resolver ?? 'linear' };
    dispatches.set(name, d);
  }
  return d;
}


/** The kernel source of a row for a loop whose first input has dtype `t` (f: floats, i/u: integers, b: bool). */
function elementSource(row: UfuncRow, t: DType): string | undefined {
  const g = row.gpu;
  if (g === undefined) return undefined;
  // (float64: `d` where the float32 source rounds a constant as NumPy's float32 loop does)
  if (t === 'float64' && g.d !== undefined) return g.d;
  if (isFloatType(t)) return g.f;
  if (t === 'bool') return g.b;
  return (t === 'uint32' || t === 'uint64' ? g.u : undefined) ?? g.i;
}

/** A literal's weak kind (`2`, `-2`: JS integers; `2.5`, `2.0`: JS floats, as the kernel language reads them), or null. */
function literalKind(n: acorn.Expression): { kind: ScalarKind; value: number | bigint | boolean } | null {
  let e = n;
  let sign = 1;
  if (e.type === 'UnaryExpression' && (e.operator === '-' || e.operator === '+')) { sign = e.operator === '-' ? -1 : 1; e = e.argument; }
  if (e.type !== 'Literal') return null;
  const v = (e as acorn.Literal).value;
  if (typeof v === 'boolean') return sign === 1 && e === n ? { kind: 'bool', value: v } : null;
  if (typeof v === 'bigint') return { kind: 'weak-int', value: sign < 0 ? -v : v };
  if (typeof v !== 'number') return null;
  const raw = (e as acorn.Literal).raw ?? '';
  const float = /[.eE]/.test(raw) && !/^0[xXoObB]/.test(raw);
  return { kind: float || !Number.isInteger(v) ? 'weak-float' : 'weak-int', value: sign * v };
}

/** The range of an integer dtype, as bigints. */
function intRange(t: DType): [bigint, bigint] {
  const bits = BigInt(Number(/\d+/.exec(t)![0]));
  return t.startsWith('u') ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
}

/** Node builders: every synthesized node sits at `at` (the call's span), for messages. */
function builders(at: acorn.Node) {
  const span = { start: at.start, end: at.end };
  const id = (name: string) => ({ type: 'Identifier', name, ...span }) as acorn.Identifier;
  const num = (value: number) => ({ type: 'Literal', value, raw: String(value), ...span }) as acorn.Literal;
  const member = (object: acorn.Expression, property: acorn.Expression, computed: boolean) =>
    ({ type: 'MemberExpression', object, property, computed, optional: false, ...span }) as acorn.MemberExpression;
  const call = (callee: acorn.Expression, args: acorn.Expression[]) =>
    ({ type: 'CallExpression', callee, arguments: args, optional: false, ...span }) as acorn.CallExpression;
  const bin = (operator: acorn.BinaryOperator, left: acorn.Expression, right: acorn.Expression) =>
    ({ type: 'BinaryExpression', operator, left, right, ...span }) as acorn.BinaryExpression;
  const cond = (test: acorn.Expression, consequent: acorn.Expression, alternate: acorn.Expression) =>
    ({ type: 'ConditionalExpression', test, consequent, alternate, ...span }) as acorn.ConditionalExpression;
  const letDecl = (name: string, init: acorn.Expression) =>
    ({ type: 'VariableDeclaration', kind: 'let', declarations: [{ type: 'VariableDeclarator', id: id(name), init, ...span }], ...span }) as acorn.VariableDeclaration;
  const stmt = (expression: acorn.Expression) => ({ type: 'ExpressionStatement', expression, ...span }) as acorn.ExpressionStatement;
  const forCount = (counter: string, stop: acorn.Expression, body: acorn.Statement) => ({
    type: 'ForStatement', init: letDecl(counter, num(0)), test: bin('<', id(counter), stop),
    update: { type: 'UpdateExpression', operator: '++', prefix: false, argument: id(counter), ...span }, body, ...span,
  }) as acorn.ForStatement;
  return { id, num, member, call, bin, cond, letDecl, stmt, forCount };
}

/**
 * Finds and expands the array-valued built-in ufunc calls of one jit function (see the
 * file header). `arrays` holds the arrays by name (parameters, then allocations as they are
 * declared: {@link addArray}); `guesses` the scalar operand kinds a previous compile learned.
 */
export class UfuncCalls {
  /** Element helpers to add to the function's helpers (name → kernel-language source). */
  readonly helpers: Record<string, string> = {};
  /** The scalar operands bound to locals, with the kind each was compiled as. */
  readonly scalars: { readonly local: string; readonly kind: ScalarKind }[] = [];
  private count = 0;
  private readonly arrays = new Map<string, UfuncArray>();

  constructor(
    private readonly source: SourceText, private readonly shift: number,
    /** Names bound in the function (parameters and locals: never the numbats namespace). */
    private readonly bound: ReadonlySet<string>,
    private readonly helperNames: ReadonlySet<string>,
    private readonly guesses: ReadonlyMap<string, ScalarKind>,
  ) {}

  addArray(name: string, a: UfuncArray): void { this.arrays.set(name, a); }

  private text(n: acorn.Node): string { return this.source.text.slice(n.start - this.shift, n.end - this.shift); }
  private fail(n: acorn.Node, reason: string): never {
    throw kernelError('NB1042', this.source, n.start - this.shift, [this.text(n), reason]);
  }

  /** The built-in ufunc a callee names (`nb.add`, `(0, nb.add)`, a bare imported `add`), or null. */
  ufuncOf(callee: acorn.Node): UfuncName | null {
    const free = (name: string) => !this.bound.has(name) && !this.helperNames.has(name) && !GLOBALS.has(name);
    let c = callee as acorn.Expression;
    if (c.type === 'SequenceExpression' && c.expressions.length === 2 && c.expressions[0]!.type === 'Literal') c = c.expressions[1]!;
    let name: string | null = null;
    if (c.type === 'Identifier' && free(c.name)) name = c.name;
    else if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && c.object.type === 'Identifier' && free(c.object.name)) name = c.property.name;
    return name !== null && Object.prototype.hasOwnProperty.call(UFUNC_TABLE, name) ? name as UfuncName : null;
  }

  /** Is `n` an array operand: an array's name, or an array-valued ufunc call? */
  isArrayValued(n: acorn.Node): boolean {
    if (n.type === 'Identifier') return this.arrays.has((n as acorn.Identifier).name);
    if (n.type !== 'CallExpression') return false;
    const call = n as acorn.CallExpression;
    return this.ufuncOf(call.callee) !== null && call.arguments.some((a) => this.isArrayValued(a));
  }

  /**
   * Expand array-valued call `call` into statements filling array `target` (a fresh name
   * when null); nested array-valued calls get their own results, filled first.
   */
  expand(call: acorn.CallExpression, target: string | null): UfuncExpansion {
    const key = this.ufuncOf(call.callee)!;
    const row: UfuncRow = UFUNC_TABLE[key];
    const b = builders(call);
    const k = this.count++;
    const name = target ?? `__nb_r${k}`;
    if (row.nout !== 1) this.fail(call, `nb.${key} has ${row.nout} outputs; jit functions call ufuncs with one output on arrays`);
    if (call.arguments.length !== row.nin) {
      this.fail(call, `nb.${key} takes ${row.nin} input(s) here (out= and options are not supported in jit functions: assign the result, const r = nb.${key}(...))`);
    }
    const nested: UfuncExpansion[] = [];
    const statements: acorn.Statement[] = [];
    // Operands: arrays (by name), literals (weak, inline), other scalars (a local, evaluated once).
    type Operand = { array: string; info: UfuncArray } | { scalar: acorn.Expression; kind: ScalarKind; literal?: number | bigint | boolean };
    const spread = call.arguments.find((a) => a.type === 'SpreadElement');
    if (spread !== undefined) this.fail(spread, 'spread arguments');
    const operands: Operand[] = (call.arguments as acorn.Expression[]).map((a, i): Operand => {
      if (a.type === 'CallExpression' && this.isArrayValued(a)) {
        const inner = this.expand(a, null);
        nested.push(inner);
        return { array: inner.result.name, info: this.arrays.get(inner.result.name)! };
      }
      if (a.type === 'Identifier' && this.arrays.has(a.name)) return { array: a.name, info: this.arrays.get(a.name)! };
      const lit = literalKind(a);
      if (lit !== null) return { scalar: a, kind: lit.kind, literal: lit.value };
      const local = `__nb_s${k}_${i}`;
      const kind = this.guesses.get(local) ?? 'weak-float';
      this.scalars.push({ local, kind });
      statements.push(b.letDecl(local, a));
      return { scalar: b.id(local), kind };
    });
    const kinds: InputKind[] = operands.map((o) => ('array' in o ? o.info.dtype : o.kind));
    let loop;
    try {
      loop = resolveLoop(dispatchOf(key), kinds, undefined, 'same_kind');
    } catch (e) {
      this.fail(call, `nb.${key} has no loop for (${kinds.join(', ')}): ${(e as Error).message}`);
    }
    const source = elementSource(row, loop.ins[0]!);
    if (source === undefined) {
      this.fail(call, `nb.${key} on ${loop.ins.join(', ')} has no kernel form in jit functions yet: write the loop (r.set(i, ..., f(a.get(i, ...))))`);
    }
    operands.forEach((o, i) => {
      if (!('literal' in o) || typeof o.literal === 'boolean' || o.kind !== 'weak-int' || !isIntType(loop.ins[i]!)) return;
      const [lo, hi] = intRange(loop.ins[i]!);
      const v = BigInt(o.literal!);
      if (v < lo || v > hi) this.fail(o.scalar, `${v} is out of bounds for ${loop.ins[i]} (NumPy raises OverflowError): write it as a float or use an array of a wider dtype`);
    });
    const ndim = Math.max(0, ...operands.map((o) => ('array' in o ? o.info.ndim : 0)));
    const out: DType = loop.outs[0]!;
    const elem = `__nb_ufunc_${key}_${loop.ins[0]}`;
    this.helpers[elem] = source!;
    // One counter per result axis; an operand reads index 0 along an axis of size 1.
    const counters = Array.from({ length: ndim }, (_, d) => `__nb_i${k}_${d}`);
    const arrayOperands = operands.filter((o): o is Extract<Operand, { array: string }> => 'array' in o);
    const sameShape = new Set(arrayOperands.map((o) => o.array)).size === 1 && arrayOperands[0]!.info.ndim === ndim;
    const read = (o: Extract<Operand, { array: string }>): acorn.Expression => {
      const lead = ndim - o.info.ndim;
      const index = (j: number): acorn.Expression => {
        const c = b.id(counters[lead + j]!);
        if (sameShape) return c;
        const size = o.info.api === 'typed' ? b.member(b.id(o.array), b.id('length'), false) : b.member(b.member(b.id(o.array), b.id('shape'), false), b.num(j), true);
        return b.cond(b.bin('===', size, b.num(1)), b.num(0), c);
      };
      if (o.info.api === 'typed') return b.member(b.id(o.array), index(0), true);
      return b.call(b.member(b.id(o.array), b.id('get'), false), Array.from({ length: o.info.ndim }, (_, j) => index(j)));
    };
    const args = operands.map((o, i) => {
      const cast = b.call(b.id('__nb_cast'), ['array' in o ? read(o) : o.scalar]);
      CASTS.set(cast, loop.ins[i]!);
      return cast;
    });
    const value = b.call(b.id(elem), args);
    let body: acorn.Statement = b.stmt(b.call(b.member(b.id(name), b.id('set'), false), [...counters.map((c) => b.id(c)), value]));
    for (let d = ndim - 1; d >= 0; d--) body = b.forCount(counters[d]!, b.member(b.member(b.id(name), b.id('shape'), false), b.num(d), true), body);
    statements.push(body);
    this.arrays.set(name, { dtype: out, ndim, api: 'ndarray' });
    return { result: { name, dtype: out, ndim, operands: arrayOperands.map((o) => o.array) }, nested, statements };
  }
}

/** A scalar type as a ufunc operand's kind (see the file header, step 1). */
const kindOfType = (t: DType): ScalarKind => (t === 'bool' ? 'bool' : isFloatType(t) ? 'weak-float' : 'weak-int');

/**
 * After inference: throws {@link JitRetype} when a scalar operand's type gives another kind
 * than it was compiled with (the loop, and so the result dtype, would differ).
 *
 * @example
 * ```ts
 * checkScalarGuesses(alloc.scalars, typed.main); // throws JitRetype on a wrong guess
 * ```
 */
export function checkScalarGuesses(scalars: readonly { readonly local: string; readonly kind: ScalarKind }[], main: IRFunction<DType>): void {
  if (scalars.length === 0) return;
  const types = new Map(main.locals.map((l) => [l.name, l.type]));
  let wrong = false;
  const kinds = new Map<string, ScalarKind>();
  for (const s of scalars) {
    const t = types.get(s.local);
    const kind = t === undefined ? s.kind : kindOfType(t);
    kinds.set(s.local, kind);
    if (kind !== s.kind) wrong = true;
  }
  if (wrong) throw new JitRetype(kinds);
}

/** Every identifier a function binds (parameters, declared names), for {@link UfuncCalls}' namespace test. */
export function boundNames(fn: AnyNode): Set<string> {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const node = n as AnyNode;
    if (typeof node.type !== 'string') return;
    const pattern = (p: unknown): void => {
      const q = p as AnyNode | null;
      if (q === null) return;
      if (q.type === 'Identifier') out.add((q as unknown as acorn.Identifier).name);
      else if (q.type === 'ArrayPattern') (q as unknown as acorn.ArrayPattern).elements.forEach(pattern);
      else if (q.type === 'AssignmentPattern') pattern((q as unknown as acorn.AssignmentPattern).left);
      else if (q.type === 'RestElement') pattern((q as unknown as acorn.RestElement).argument);
      else if (q.type === 'ObjectPattern') for (const p2 of (q as unknown as acorn.ObjectPattern).properties) pattern(p2.type === 'Property' ? p2.value : p2);
    };
    if (node.type === 'VariableDeclarator') pattern(node.id);
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      (node.params as unknown[]).forEach(pattern);
      if (node.id) pattern(node.id);
    }
    for (const [key, v] of Object.entries(node)) if (key !== 'type' && key !== 'start' && key !== 'end') visit(v);
  };
  visit(fn);
  return out;
}
