/**
 * A jit function that returns a fixed-length array literal (`return [s, t]`, `return [r, n]`):
 * the JS caller gets a JS array, as plain JavaScript gives. Wasm returns one value, so:
 *   1. each position is an array the function allocates (an allocation, or an array-valued
 *      ufunc call, expanded first), an array parameter (returned as the argument itself), or
 *      a scalar;
 *   2. each scalar position gets a hidden one-element array (an allocation of shape [1]) of
 *      the scalar's type; the return stores the value there (`let __nb_t<j>_<r> = value`
 *      first, so that inference types it) and returns nothing; the caller reads it back
 *      (src/jit/call.ts) as the function's result types read (bool → boolean, int64 → bigint
 *      or number as for scalar results);
 *   3. the type is guessed (float64) and checked after inference, as ufunc operand kinds are
 *      (frontend/jit-ufunc.ts `JitRetype`).
 * Every `return` of such a function returns a literal of the same length with the same kind
 * at each position (the same array for array positions); otherwise NB5003. Destructuring a
 * helper's tuple (`const [p, q] = h(...)`) is not supported: helpers return one scalar.
 */
import type * as acorn from 'acorn';
import type { DType } from '../../dtype/dtypes.js';
import type { IRFunction } from '../ir/nodes.js';
import { promote } from '../ir/types.js';
import { kernelError, type SourceText } from './diagnostics.js';

/** One position of a returned tuple: an allocation (index), an argument (index), or a scalar read from a one-element allocation. */
export type TupleSlot =
  | { readonly kind: 'array'; readonly allocation: number }
  | { readonly kind: 'arg'; readonly index: number }
  | { readonly kind: 'scalar'; readonly allocation: number; readonly dtype: DType };

/** The locals a tuple's scalar positions are bound to, with the dtype each position was compiled as. */
export interface TupleGuess { readonly locals: readonly string[]; readonly dtype: DType; readonly name: string }

/** What the rewrite needs from jit-alloc.ts. */
export interface TupleContext {
  readonly source: SourceText;
  readonly shift: number;
  /** Allocation index by name (so far). */
  allocationOf(name: string): number | undefined;
  /** Array parameter index by name. */
  paramOf(name: string): number | undefined;
  /** Add a one-element allocation of `dtype` named `name`; its index. */
  addScalar(name: string, dtype: DType, at: acorn.Node): number;
  /** Expand an array-valued ufunc call at `node` (a tuple element) into statements; the result's allocation name, or null when `node` is none. */
  expandUfunc(node: acorn.Expression): { name: string; statements: acorn.Statement[] } | null;
  readonly guesses: ReadonlyMap<string, string>;
}

/**
 * Rewrite the tuple returns of `returns` (every valued `return` of the function) in place;
 * the slots, or null when no return has an array literal.
 *
 * @throws KernelError NB5003 when the returns disagree (see the file header).
 * @example
 * ```ts
 * const tuple = jitTuples(ctx, returns); // before `return out` is resolved
 * ```
 */
export function jitTuples(ctx: TupleContext, returns: readonly acorn.ReturnStatement[]): { slots: TupleSlot[]; guesses: TupleGuess[] } | null {
  const lits = returns.filter((r) => r.argument?.type === 'ArrayExpression');
  if (lits.length === 0) return null;
  const at = (n: acorn.Node) => n.start - ctx.shift;
  const other = returns.find((r) => r.argument?.type !== 'ArrayExpression');
  if (other !== undefined) throw kernelError('NB5003', ctx.source, at(other), ['a jit function that returns an array literal returns one (of the same length) on every path']);
  const elements = lits.map((r) => (r.argument as acorn.ArrayExpression).elements);
  const n = elements[0]!.length;
  for (const [i, els] of elements.entries()) {
    if (els.length !== n) throw kernelError('NB5003', ctx.source, at(lits[i]!), [`every return of a tuple has ${n} elements (this one ${els.length})`]);
    const bad = els.find((e) => e === null || e.type === 'SpreadElement');
    if (bad !== undefined) throw kernelError('NB1042', ctx.source, at(bad ?? lits[i]!), ['holes and spreads in a returned array literal', 'write each element']);
  }
  // Array-valued ufunc elements first (they become allocations).
  const pre = new Map<acorn.ReturnStatement, acorn.Statement[]>();
  for (const [i, els] of elements.entries()) {
    els.forEach((e, j) => {
      const x = ctx.expandUfunc(e as acorn.Expression);
      if (x === null) return;
      pre.set(lits[i]!, [...(pre.get(lits[i]!) ?? []), ...x.statements]);
      els[j] = { type: 'Identifier', name: x.name, start: e!.start, end: e!.end } as acorn.Identifier;
    });
  }
  const arrayName = (e: acorn.Node): string | null => {
    if (e.type !== 'Identifier') return null;
    const name = (e as acorn.Identifier).name;
    return ctx.allocationOf(name) !== undefined || ctx.paramOf(name) !== undefined ? name : null;
  };
  const slots: TupleSlot[] = [];
  const guesses: TupleGuess[] = [];
  for (let j = 0; j < n; j++) {
    const column = elements.map((els) => els[j] as acorn.Expression);
    const names = column.map(arrayName);
    if (names.some((x) => x !== null)) {
      const first = names[0];
      const k = column.findIndex((_, i) => names[i] !== first);
      if (k >= 0) throw kernelError('NB5003', ctx.source, at(column[k]!), [`position ${j} of the returned array is the array '${first ?? names.find((x) => x !== null)}' on one path: return the same array there on every path`]);
      const alloc = ctx.allocationOf(first!);
      slots.push(alloc !== undefined ? { kind: 'array', allocation: alloc } : { kind: 'arg', index: ctx.paramOf(first!)! });
      continue;
    }
    const name = `__nb_tuple${j}`;
    const locals = column.map((_, i) => `__nb_t${j}_${i}`);
    const dtype = (ctx.guesses.get(name) ?? 'float64') as DType;
    const allocation = ctx.addScalar(name, dtype, column[0]!);
    slots.push({ kind: 'scalar', allocation, dtype });
    guesses.push({ locals, dtype, name });
  }
  // Each return: its ufunc loops, its scalars into their locals and one-element arrays, then `return;`.
  lits.forEach((r, i) => {
    const span = { start: r.start, end: r.end };
    const id = (name: string) => ({ type: 'Identifier', name, ...span });
    const statements: unknown[] = [...(pre.get(r) ?? [])];
    slots.forEach((s, j) => {
      if (s.kind !== 'scalar') return;
      const e = elements[i]![j] as acorn.Expression;
      const local = guesses.find((g) => g.name === `__nb_tuple${j}`)!.locals[i]!;
      statements.push({ type: 'VariableDeclaration', kind: 'let', declarations: [{ type: 'VariableDeclarator', id: id(local), init: e, ...span }], ...span });
      const set = { type: 'MemberExpression', object: id(`__nb_tuple${j}`), property: id('set'), computed: false, optional: false, ...span };
      statements.push({ type: 'ExpressionStatement', expression: { type: 'CallExpression', callee: set, arguments: [{ type: 'Literal', value: 0, raw: '0', ...span }, id(local)], optional: false, ...span }, ...span });
    });
    statements.push({ type: 'ReturnStatement', argument: null, ...span });
    Object.assign(r, { type: 'BlockStatement', body: statements });
    delete (r as unknown as Record<string, unknown>).argument;
  });
  return { slots, guesses };
}

/**
 * After inference: the dtype each scalar position needs (the promotion of its values' types),
 * or null when every guess held.
 *
 * @example
 * ```ts
 * const learned = tupleTypes(alloc.tupleGuesses, typed.main); // non-null: compile again with them
 * ```
 */
export function tupleTypes(guesses: readonly TupleGuess[], main: IRFunction<DType>): Map<string, string> | null {
  if (guesses.length === 0) return null;
  const types = new Map(main.locals.map((l) => [l.name, l.type]));
  const out = new Map<string, string>();
  let wrong = false;
  for (const g of guesses) {
    let t: DType | undefined;
    for (const l of g.locals) {
      const lt = types.get(l);
      if (lt !== undefined) t = t === undefined ? lt : promote(t, lt);
    }
    const dtype = t ?? g.dtype;
    out.set(g.name, dtype);
    if (dtype !== g.dtype) wrong = true;
  }
  return wrong ? out : null;
}
