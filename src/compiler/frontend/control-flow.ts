/**
 * Lowering of the control flow the IR has no node for: `switch` and `for...of` become the
 * structured IR's if/else, do/while and for (so the three emitters need nothing new: WGSL's
 * own `switch` has no fallthrough), and the jump targets of `break` and `continue`.
 *
 * `switch (d) { case a: ... }` (JavaScript's meaning: `===` against each case in source
 * order, else `default` wherever it stands, then fall through until a `break`):
 *   1. the discriminant is read once (a hidden const unless it is a local, a parameter or
 *      a constant); case tests are lowered in source order, before any case body;
 *   2. cases with empty bodies join the next case (`case 1: case 2: ...`); when every such
 *      group but the last ends in `break`, `continue` or `return` and no other `break`
 *      leaves the switch, it is an if/else chain: `if (d === a || d === b) {...} else if
 *      ... else {default}` (the trailing `break`s dropped);
 *   3. otherwise (fallthrough, or a `break` inside an `if`): a hidden const `%case` is the
 *      index of the case that matches (the default's index, or past the end), and the
 *      bodies run in order, body k under `if (%case <= k)`, inside a one-pass
 *      `do { ... } while (false)` that `break` leaves. `continue` there belongs to the
 *      enclosing loop: it sets the hidden flag `%continue` and breaks out, and
 *      `if (%continue) continue;` follows the switch;
 *   4. the switch is one block scope, as in JavaScript, but a `let`/`const` declared in one
 *      case is visible only in that case (a use from another case is NB2011, where
 *      JavaScript would throw a ReferenceError when it runs); statements after a case's
 *      `break`/`continue`/`return` are dead: checked (diagnostics), then dropped.
 * `for (const v of a)` over a core-dimension array (a gufunc parameter `a`, or a row
 * `a[i]` of a 2-D one) or a scratch array: `for (let %i = 0; %i < a.length; %i++) { const v = a[%i]; ... }`
 * (an int32 counter, ir/loop-counters.ts), the row's indices read once before the loop;
 * `let v` makes a copy that the body may assign.
 */
import type * as acorn from 'acorn';
import { paramRef, scratchRef, type ArrayRef, type CompareOp, type Expr, type Stmt } from '../ir/nodes.js';
import { isTable, type TypedArrayConstant } from '../constants.js';
import { arrayAccess, constantOf, fail, lowerExpr, pos, tableOf, type ExprContext } from './lower-expr.js';
import { checkJitIterable, jitRange } from './jit-members.js';

type S = Stmt<null>;
type E = Expr<null>;

/**
 * Where `break` and `continue` go: the innermost loop, or a switch lowered to a one-pass
 * do/while, where `continue` sets the flag `cont` (a local id, made on first use).
 */
export type Jump = { readonly kind: 'loop' } | { readonly kind: 'switch'; cont: number | null; broke: boolean; readonly at: number };

/** What statement lowering needs: the expression context and the jump targets, innermost last. */
export interface StmtContext extends ExprContext {
  readonly jumps: Jump[];
}

/** Lowers one statement (or a loop body) in a context: frontend/lower.ts's. */
export type LowerStmt = (ctx: StmtContext, node: acorn.Node) => S[];

/** Names declared directly in a statement list (pending until their declaration runs). */
export function declaredNames(stmts: readonly acorn.Node[]): string[] {
  const names: string[] = [];
  for (const s of stmts) {
    if (s.type !== 'VariableDeclaration') continue;
    for (const d of (s as acorn.VariableDeclaration).declarations) if (d.id.type === 'Identifier') names.push(d.id.name);
  }
  return names;
}

/** Run `f` (lowering a loop body) with the loop as the target of `break` and `continue`. */
export function inLoop<T>(ctx: StmtContext, f: () => T): T {
  ctx.jumps.push({ kind: 'loop' });
  try {
    return f();
  } finally {
    ctx.jumps.pop();
  }
}

/** `break`: leaves the innermost loop or lowered switch. */
export function breakStmt(ctx: StmtContext, at: number): S[] {
  const j = ctx.jumps[ctx.jumps.length - 1];
  if (j?.kind === 'switch') j.broke = true;
  return [{ kind: 'break', at }];
}

/** `continue` of the innermost loop, from inside any lowered switches in between. */
export function continueStmt(ctx: StmtContext, at: number): S[] {
  const j = ctx.jumps[ctx.jumps.length - 1];
  if (j === undefined || j.kind === 'loop') return [{ kind: 'continue', at }];
  j.cont ??= ctx.scopes.declare('%continue', false, j.at);
  j.broke = true;
  return [{ kind: 'assign', place: { kind: 'local', id: j.cont }, value: konst(true, at), at }, { kind: 'break', at }];
}

const konst = (value: number | boolean, at: number): E => ({ kind: 'const', value, at, type: null });
const local = (id: number, at: number): E => ({ kind: 'local', id, at, type: null });
const compare = (op: CompareOp, left: E, right: E, at: number): E => ({ kind: 'compare', op, left, right, operand: null, at, type: null });

/** A case body up to its first jump (what follows is dead), and how it ends. */
function live(stmts: readonly acorn.Statement[]): { stmts: readonly acorn.Statement[]; end: 'break' | 'jump' | null } {
  for (let k = 0; k < stmts.length; k++) {
    const s = stmts[k]!;
    if (s.type === 'BreakStatement' && !s.label) return { stmts: stmts.slice(0, k), end: 'break' };
    // A labeled break is kept: lowering reports it (NB1021), as it does throw (NB1020).
    if (s.type === 'BreakStatement' || s.type === 'ContinueStatement' || s.type === 'ReturnStatement' || s.type === 'ThrowStatement') {
      return { stmts: stmts.slice(0, k + 1), end: 'jump' };
    }
  }
  return { stmts, end: null };
}

/** Does the statement hold a `break` that leaves the enclosing switch (not a nested loop's or switch's)? */
function breaksOut(node: acorn.Node): boolean {
  switch (node.type) {
    case 'BreakStatement': return !(node as acorn.BreakStatement).label;
    case 'BlockStatement': return (node as acorn.BlockStatement).body.some(breaksOut);
    case 'IfStatement': {
      const s = node as acorn.IfStatement;
      return breaksOut(s.consequent) || (s.alternate ? breaksOut(s.alternate) : false);
    }
    default: return false;
  }
}

/**
 * Lower a case body in its own scope (its declarations are pending in the switch's scope).
 * The dead statements after its jump are lowered too, for their diagnostics, and dropped.
 */
function caseBody(ctx: StmtContext, c: acorn.SwitchCase, stmts: readonly acorn.Statement[], statement: LowerStmt): S[] {
  ctx.scopes.push(declaredNames(c.consequent));
  try {
    const out = stmts.flatMap((s) => statement(ctx, s));
    const dead = c.consequent.slice(stmts.length + (c.consequent[stmts.length]?.type === 'BreakStatement' ? 1 : 0));
    // (in a loop of their own, so that their break and continue change nothing here)
    inLoop(ctx, () => dead.forEach((s) => statement(ctx, s)));
    return out;
  } finally {
    ctx.scopes.pop();
  }
}

/**
 * Lower `switch` (see the file header).
 *
 * @example
 * ```ts
 * lowerSwitch(ctx, node, statement); // [if (x === 1) {...} else {...}]
 * ```
 */
export function lowerSwitch(ctx: StmtContext, node: acorn.SwitchStatement, statement: LowerStmt): S[] {
  const at = pos(ctx, node);
  const out: S[] = [];
  let d = lowerExpr(ctx, node.discriminant);
  ctx.scopes.push(declaredNames(node.cases.flatMap((c) => c.consequent)));
  try {
    if (d.kind !== 'const' && d.kind !== 'local' && d.kind !== 'param') {
      const id = ctx.scopes.declare('%switch', true, at);
      out.push({ kind: 'let', local: id, init: d, at });
      d = local(id, at);
    }
    const read = d;
    const tests = node.cases.map((c) => (c.test ? compare('eq', read, lowerExpr(ctx, c.test), pos(ctx, c)) : null));
    const bodies = node.cases.map((c) => live(c.consequent));
    // Groups: a run of empty cases joins the next non-empty one (or the end).
    const groups: { cases: number[]; last: number }[] = [];
    let pending: number[] = [];
    node.cases.forEach((c, k) => {
      pending.push(k);
      if (c.consequent.length > 0 || k === node.cases.length - 1) {
        groups.push({ cases: pending, last: k });
        pending = [];
      }
    });
    const simple = groups.every((g, gi) => (gi === groups.length - 1 || bodies[g.last]!.end !== null) && !bodies[g.last]!.stmts.some(breaksOut));
    if (simple) out.push(...ifChain(ctx, node, groups, tests, bodies.map((b) => b.stmts), statement));
    else out.push(...fallthrough(ctx, node, tests, bodies, statement, at));
  } finally {
    ctx.scopes.pop();
  }
  return out;
}

/** Cases that never fall through: an if/else chain, the default group last. */
function ifChain(
  ctx: StmtContext, node: acorn.SwitchStatement, groups: readonly { cases: number[]; last: number }[],
  tests: readonly (E | null)[], bodies: readonly (readonly acorn.Statement[])[], statement: LowerStmt,
): S[] {
  const lowered = groups.map((g) => caseBody(ctx, node.cases[g.last]!, bodies[g.last]!, statement));
  const isDefault = (gi: number) => groups[gi]!.cases.some((k) => tests[k] === null);
  const dflt = groups.findIndex((_, gi) => isDefault(gi));
  let chain: S[] = dflt >= 0 ? lowered[dflt]! : [];
  for (let gi = groups.length - 1; gi >= 0; gi--) {
    if (gi === dflt) continue;
    const conds = groups[gi]!.cases.map((k) => tests[k]!);
    const cond = conds.reduce((a, b): E => ({ kind: 'logical', op: 'or', left: a, right: b, at: b.at, type: null }));
    chain = [{ kind: 'if', cond, then: lowered[gi]!, else: chain, at: pos(ctx, node.cases[groups[gi]!.cases[0]!]!) }];
  }
  return chain;
}

/** Cases that fall through: body k runs when the matching case's index is <= k, in a one-pass do/while. */
function fallthrough(
  ctx: StmtContext, node: acorn.SwitchStatement, tests: readonly (E | null)[],
  bodies: readonly { stmts: readonly acorn.Statement[]; end: 'break' | 'jump' | null }[], statement: LowerStmt, at: number,
): S[] {
  const n = node.cases.length;
  const dflt = tests.findIndex((t) => t === null);
  let index: E = konst(dflt >= 0 ? dflt : n, at);
  for (let k = n - 1; k >= 0; k--) {
    const t = tests[k];
    if (t) index = { kind: 'select', cond: t, then: konst(k, t.at), else: index, at: t.at, type: null };
  }
  const caseId = ctx.scopes.declare('%case', true, at);
  const jump: Extract<Jump, { kind: 'switch' }> = { kind: 'switch', cont: null, broke: false, at };
  const body: S[] = [];
  ctx.jumps.push(jump);
  try {
    bodies.forEach((b, k) => {
      const cat = pos(ctx, node.cases[k]!);
      const stmts = [...caseBody(ctx, node.cases[k]!, b.stmts, statement), ...(b.end === 'break' ? breakStmt(ctx, cat) : [])];
      if (stmts.length === 0) return;
      // With a default, the last body always runs when reached (the index is at most n - 1).
      if (k === n - 1 && dflt >= 0) body.push(...stmts);
      else body.push({ kind: 'if', cond: compare('le', local(caseId, cat), konst(k, cat), cat), then: stmts, else: [], at: cat });
    });
  } finally {
    ctx.jumps.pop();
  }
  const out: S[] = [{ kind: 'let', local: caseId, init: index, at }];
  if (jump.cont !== null) out.push({ kind: 'let', local: jump.cont, init: konst(false, at), at });
  // Without a break the one-pass loop is not needed.
  out.push(...(jump.broke ? [{ kind: 'while', cond: konst(false, at), body, at, doWhile: true } as S] : body));
  if (jump.cont !== null) out.push({ kind: 'if', cond: local(jump.cont, at), then: continueStmt(ctx, at), else: [], at });
  return out;
}

/**
 * Lower `for (const v of a)` over a core-dimension array (see the file header).
 *
 * @example
 * ```ts
 * lowerForOf(ctx, node, loopBody); // [for (let %i = 0; %i < a.length; %i++) { const v = a[%i]; ... }]
 * ```
 */
export function lowerForOf(ctx: StmtContext, node: acorn.ForOfStatement, loopBody: LowerStmt): S[] {
  const at = pos(ctx, node);
  if (node.await) return fail(ctx, 'NB1003', node);
  const left = node.left;
  if (left.type !== 'VariableDeclaration') return fail(ctx, 'NB1030', node, ['for...of without let or const']);
  if (left.kind === 'var') return fail(ctx, 'NB1026', left);
  if (left.kind !== 'let' && left.kind !== 'const') return fail(ctx, 'NB1030', left, [left.kind]);
  const decl = left.declarations[0]!;
  if (decl.id.type !== 'Identifier') return fail(ctx, 'NB1019', decl.id);
  const name = decl.id.name;
  // The iterable is evaluated with the loop variable in its temporal dead zone, as in JavaScript.
  ctx.scopes.push([name]);
  try {
    const right = node.right;
    const range = jitRange(ctx, right);
    if (range !== undefined) return countTo(ctx, node, range, name, left.kind === 'const', loopBody);
    checkJitIterable(ctx, right);
    let array: ArrayRef;
    let indices: E[] = [];
    if (right.type === 'MemberExpression') {
      const acc = arrayAccess(ctx, right);
      if (acc.length) return fail(ctx, 'NB1030', right, ['for...of over a number (.length)']);
      array = acc.array;
      indices = [...acc.indices];
    } else if (right.type === 'Identifier' && isTable(constantOf(ctx, right.name))) {
      array = tableOf(ctx, right.name, constantOf(ctx, right.name) as TypedArrayConstant);
    } else if (right.type === 'Identifier') {
      const b = ctx.scopes.lookup(right.name);
      if (b?.kind === 'scratch') array = scratchRef(b.id);
      else {
        const e = lowerExpr(ctx, right);
        if (e.kind === 'local') return fail(ctx, 'NB2015', right, [right.name]);
        if (e.kind !== 'param') return fail(ctx, 'NB1030', right, ['for...of over a constant']);
        array = paramRef(e.index);
      }
    } else {
      lowerExpr(ctx, right);
      return fail(ctx, 'NB1030', right, ['for...of over a computed value (only over a core-dimension array)']);
    }
    const out: S[] = [];
    // The row of `a[i]` is chosen once, as JavaScript evaluates the iterable once.
    indices = indices.map((e) => {
      if (e.kind === 'const') return e;
      const id = ctx.scopes.declare('%row', true, e.at);
      out.push({ kind: 'let', local: id, init: e, at: e.at });
      return local(id, e.at);
    });
    const i = ctx.scopes.declare('%i', false, at);
    const element: E = { kind: 'load', array, indices: [...indices, local(i, at)], at: pos(ctx, right), type: null };
    const v = ctx.scopes.declare(name, left.kind === 'const', pos(ctx, decl.id));
    const body = loopBody(ctx, node.body);
    out.push({
      kind: 'for', at,
      init: [{ kind: 'let', local: i, init: konst(0, at), at }],
      cond: compare('lt', local(i, at), { kind: 'length', array, axis: indices.length, at: pos(ctx, right), type: null }, at),
      update: [{ kind: 'assign', place: { kind: 'local', id: i }, value: { kind: 'binary', op: 'add', left: local(i, at), right: konst(1, at), at, type: null }, at }],
      body: [{ kind: 'let', local: v, init: element, at: pos(ctx, decl) }, ...body],
    });
    return out;
  } finally {
    ctx.scopes.pop();
  }
}

/**
 * `for (const i of nb.prange(start, stop))` (jit functions): `stop` is read once (a hidden
 * const unless it is a constant, a local, a parameter or a size), then
 * `for (let %i = start; %i < stop; %i++) { const i = %i; ... }`.
 */
function countTo(
  ctx: StmtContext, node: acorn.ForOfStatement, range: { start: E; stop: E }, name: string, isConst: boolean, loopBody: LowerStmt,
): S[] {
  const at = pos(ctx, node);
  const out: S[] = [];
  let stop = range.stop;
  if (stop.kind !== 'const' && stop.kind !== 'local' && stop.kind !== 'param' && stop.kind !== 'length') {
    const id = ctx.scopes.declare('%stop', true, stop.at);
    out.push({ kind: 'let', local: id, init: stop, at: stop.at });
    stop = local(id, stop.at);
  }
  const i = ctx.scopes.declare('%i', false, at);
  const decl = (node.left as acorn.VariableDeclaration).declarations[0]!;
  const v = ctx.scopes.declare(name, isConst, pos(ctx, decl.id));
  const body = loopBody(ctx, node.body);
  out.push({
    kind: 'for', at, prange: true,
    init: [{ kind: 'let', local: i, init: range.start, at }],
    cond: compare('lt', local(i, at), stop, at),
    update: [{ kind: 'assign', place: { kind: 'local', id: i }, value: { kind: 'binary', op: 'add', left: local(i, at), right: konst(1, at), at, type: null }, at }],
    body: [{ kind: 'let', local: v, init: local(i, at), at: pos(ctx, decl) }, ...body],
  });
  return out;
}
