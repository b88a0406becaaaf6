/**
 * ESTree → untyped IR: statements and the function itself (expressions: lower-expr.ts).
 *
 * Steps:
 *   0. the kernel may nest at most MAX_NESTING levels deep (NB7003, frontend/nesting.ts);
 *   1. parameters must be plain names (NB1005); the arrow body `x => e` becomes `return e`;
 *   2. each block opens a scope whose let/const names are pending until declared;
 *      `let`/`const` need an initializer (NB2011), `var` is rejected (NB1026);
 *   3. statements map to IR statements: assignments and `++`/`--` (statements only) become
 *      assign/store with the compound operator spelled out (`s += x` → `s = s + x`),
 *      `if`/`for`/`while`/`do`-`while`/`break`/`continue`/`return` stay structured; `a, b`
 *      sequences are split at statement level (for-loop updates); expression statements
 *      with no effect are checked and dropped (`'use strict'`, esbuild's `__name(f, "f")`); a jit
 *      helper call given arrays is kept (it may write them);
 *   4. `switch` and `for...of` become structured IR (frontend/control-flow.ts): an if/else chain,
 *      or a one-pass do/while for fallthrough; a counting loop over a core dimension;
 *   5. `const buf = new Float64Array(n)` (any TypedArray constructor but Uint8ClampedArray,
 *      one integer length) declares a scratch array: a `scratch` statement; `new` anywhere
 *      else, a list or another array as the argument, and rebinding the name are errors;
 *   6. everything else (for-in, try, labels, nested functions, ...) is a coded KernelError
 *      at the construct.
 * `break` and `continue` jump to the innermost loop, or out of a lowered switch
 * (control-flow.ts's jump targets).
 * The result is an IRFunction<null>: names resolved to parameters and unique locals, no
 * types yet.
 */
import type * as acorn from 'acorn';
import { SCRATCH_CTORS, type ArrayRef, type Expr, type IRFunction, type Place, type Stmt } from '../ir/nodes.js';
import { isTable, type KernelConstants, type KernelTables } from '../constants.js';
import { arrayAccess, compoundOp, constantOf, fail, lowerExpr, pos, type ExprContext, type JitDynamicAlloc, type JitParamKind } from './lower-expr.js';
import { jitAllocDeclaration, jitHooks, jitShapeDeclaration, jitStatement } from './jit-members.js';
import { breakStmt, continueStmt, declaredNames, inLoop, lowerForOf, lowerSwitch, type StmtContext } from './control-flow.js';
import { checkNesting } from './nesting.js';
import type { ParsedKernel } from './parse.js';
import { Scopes } from './scope.js';

type S = Stmt<null>;
type E = Expr<null>;

/** Options of {@link lowerFunction}. */
export interface LowerOptions {
  /** Name the emitters give the function. */
  readonly emitName: string;
  /** Names callable as helpers. */
  readonly helpers: ReadonlySet<string>;
  /** Stencil kernels: parameters are neighbour accessors (`a(-1, 0)`), see lower-expr.ts. */
  readonly accessors?: boolean;
  /** `options.constants`, checked and frozen (compiler/constants.ts): free names read them. */
  readonly constants?: KernelConstants;
  /**
   * The program's tables: the kernel and its helpers share one list, so that a table has one
   * number in the whole program (required when `constants` holds typed arrays).
   */
  readonly tables?: KernelTables;
  /** jit functions (src/compiler/jit.ts): how each parameter is passed (frontend/jit-members.ts). */
  readonly jit?: readonly JitParamKind[];
  /** jit functions: the allocations the function makes itself (frontend/jit-alloc.ts). */
  readonly jitAllocs?: ReadonlyMap<acorn.Node, JitDynamicAlloc>;
}

/**
 * Lower a parsed kernel to the untyped IR.
 *
 * @example
 * ```ts
 * const ir = lowerFunction(parseKernel('(x) => x + 1', 'inc'), { emitName: 'kernel', helpers: new Set() });
 * ir.body[0].kind; // 'return'
 * ```
 */
export function lowerFunction(parsed: ParsedKernel, options: LowerOptions): IRFunction<null> {
  // Before any recursive walk: every later phase recurses as deep as the kernel nests.
  checkNesting(parsed);
  const { fn, source, shift } = parsed;
  const paramNames = fn.params.map((p) => {
    if (p.type === 'Identifier') return p.name;
    const code = p.type === 'ObjectPattern' || p.type === 'ArrayPattern' ? 'NB1019' : 'NB1005';
    throw failAt(parsed, code, p);
  });
  // (a dynamic allocation's hidden parameter is named only in its block: jitAllocDeclaration)
  const scopes = new Scopes(paramNames, new Set(paramNames.flatMap((_, i) => (options.jit?.[i]?.kind === 'ndarray' && options.jit[i].dynamic ? [i] : []))));
  const selfName = fn.id?.name ?? null;
  const ctx: StmtContext = { source, shift, scopes, helpers: options.helpers, selfName, accessors: options.accessors ?? false, jumps: [],
    ...(options.constants ? { constants: options.constants } : {}), ...(options.tables ? { tables: options.tables } : {}),
    ...(options.jit ? { jit: jitHooks(options.jit, options.jitAllocs) } : {}) };
  let body: S[];
  if (fn.body.type === 'BlockStatement') {
    body = block(ctx, fn.body.body);
  } else {
    scopes.push();
    body = [{ kind: 'return', value: lowerExpr(ctx, fn.body), at: pos(ctx, fn.body) }];
    scopes.pop();
  }
  return {
    name: options.emitName,
    source,
    params: paramNames.map((name, i) => ({ name, emitName: scopes.paramEmitNames[i]!, at: fn.params[i]!.start - shift })),
    locals: scopes.locals,
    body,
    returns: null,
    ...(scopes.scratch.length > 0 ? { scratch: scopes.scratch } : {}),
  };
}

function failAt(parsed: ParsedKernel, code: 'NB1005' | 'NB1019', node: acorn.Node): never {
  return fail({ source: parsed.source, shift: parsed.shift } as ExprContext, code, node);
}

function block(ctx: StmtContext, stmts: readonly acorn.Node[]): S[] {
  ctx.scopes.push(declaredNames(stmts));
  const out: S[] = [];
  for (const s of stmts) out.push(...statement(ctx, s));
  ctx.scopes.pop();
  return out;
}

/** A statement in a position that is its own block (if/loop bodies without braces). */
function nested(ctx: StmtContext, node: acorn.Node): S[] {
  return node.type === 'BlockStatement' ? block(ctx, (node as acorn.BlockStatement).body) : block(ctx, [node]);
}

/** A loop body: `break` and `continue` in it belong to the loop. */
const loopBody = (ctx: StmtContext, node: acorn.Node): S[] => inLoop(ctx, () => nested(ctx, node));

function statement(ctx: StmtContext, node: acorn.Node): S[] {
  const at = pos(ctx, node);
  switch (node.type) {
    case 'BlockStatement': return block(ctx, (node as acorn.BlockStatement).body);
    case 'EmptyStatement': return [];
    case 'VariableDeclaration': return declaration(ctx, node as acorn.VariableDeclaration);
    case 'ExpressionStatement': {
      const e = node as acorn.ExpressionStatement;
      if (e.directive !== undefined) return [];
      return effect(ctx, e.expression);
    }
    case 'IfStatement': {
      const s = node as acorn.IfStatement;
      return [{
        kind: 'if', cond: lowerExpr(ctx, s.test), then: nested(ctx, s.consequent),
        else: s.alternate ? nested(ctx, s.alternate) : [], at,
      }];
    }
    case 'ForStatement': return forStatement(ctx, node as acorn.ForStatement);
    case 'WhileStatement': {
      const s = node as acorn.WhileStatement;
      return [{ kind: 'while', cond: lowerExpr(ctx, s.test), body: loopBody(ctx, s.body), at }];
    }
    case 'DoWhileStatement': {
      const s = node as acorn.DoWhileStatement;
      const body = loopBody(ctx, s.body);
      return [{ kind: 'while', cond: lowerExpr(ctx, s.test), body, at, doWhile: true }];
    }
    case 'BreakStatement': case 'ContinueStatement': {
      const s = node as acorn.BreakStatement;
      if (s.label) return fail(ctx, 'NB1021', node);
      return node.type === 'BreakStatement' ? breakStmt(ctx, at) : continueStmt(ctx, at);
    }
    case 'ReturnStatement': {
      const s = node as acorn.ReturnStatement;
      return [{ kind: 'return', value: s.argument ? lowerExpr(ctx, s.argument) : null, at }];
    }
    case 'LabeledStatement': return fail(ctx, 'NB1021', node);
    case 'TryStatement': return fail(ctx, 'NB1020', node, ['try']);
    case 'ThrowStatement': return fail(ctx, 'NB1020', node, ['throw']);
    case 'SwitchStatement': return lowerSwitch(ctx, node as acorn.SwitchStatement, statement);
    case 'ForInStatement': return fail(ctx, 'NB1030', node, ['for...in']);
    case 'ForOfStatement': return lowerForOf(ctx, node as acorn.ForOfStatement, loopBody);
    case 'WithStatement': return fail(ctx, 'NB1030', node, ['with']);
    case 'DebuggerStatement': return fail(ctx, 'NB1030', node, ['debugger']);
    case 'FunctionDeclaration': case 'ClassDeclaration': return fail(ctx, 'NB1025', node);
    default: return fail(ctx, 'NB1030', node, [node.type]);
  }
}

function declaration(ctx: ExprContext, node: acorn.VariableDeclaration): S[] {
  if (node.kind === 'var') return fail(ctx, 'NB1026', node);
  if (node.kind !== 'let' && node.kind !== 'const') return fail(ctx, 'NB1030', node, [node.kind]);
  const out: S[] = [];
  for (const d of node.declarations) {
    // jit: const [m, n] = a.shape
    const shape = jitShapeDeclaration(ctx, d, (name, at) => ctx.scopes.declare(name, node.kind === 'const', at));
    if (shape !== undefined) { out.push(...shape); continue; }
    if (d.id.type !== 'Identifier') return fail(ctx, 'NB1019', d.id);
    if (!d.init) return fail(ctx, 'NB2011', d, [d.id.name, 'is declared without a value: kernels need `let x = value` (the value gives its type)']);
    if (d.init.type === 'NewExpression') {
      out.push(scratchDeclaration(ctx, d.id, d.init));
      continue;
    }
    // jit: const row = nb.empty([n], 'float64') made where it stands
    const alloc = jitAllocDeclaration(ctx, d);
    if (alloc !== undefined) { out.push(alloc); continue; }
    const init = lowerExpr(ctx, d.init);
    const id = ctx.scopes.declare(d.id.name, node.kind === 'const', pos(ctx, d.id));
    out.push({ kind: 'let', local: id, init, at: pos(ctx, d) });
  }
  return out;
}

/**
 * `const buf = new Float64Array(n)` (or `let`): a scratch array (ir/nodes.ts ScratchArray).
 * The length is lowered before the name is bound, as JavaScript evaluates it.
 */
function scratchDeclaration(ctx: ExprContext, id: acorn.Identifier, init: acorn.NewExpression): S {
  const ctor = init.callee.type === 'Identifier' ? init.callee.name : null;
  const dtype = ctor === null ? undefined : SCRATCH_CTORS[ctor];
  if (ctor === null || dtype === undefined || ctx.scopes.lookup(ctor) !== null) {
    if (ctor === 'Uint8ClampedArray') return fail(ctx, 'NB1038', init, ['new Uint8ClampedArray (its stores round and clamp) is not supported']);
    return fail(ctx, 'NB1015', init);
  }
  if (init.arguments.length !== 1) return fail(ctx, 'NB1038', init, [`new ${ctor}() takes one length here, got ${init.arguments.length} arguments`]);
  const arg = init.arguments[0]!;
  if (arg.type === 'ArrayExpression') return fail(ctx, 'NB1038', arg, [`new ${ctor}([...]) from a list is not supported`]);
  if (arg.type === 'SpreadElement') return fail(ctx, 'NB1018', arg);
  if (arg.type === 'Identifier' && ctx.scopes.lookup(arg.name)?.kind === 'scratch') {
    return fail(ctx, 'NB1038', arg, [`new ${ctor}(${arg.name}) copying another array is not supported`]);
  }
  const length = lowerExpr(ctx, arg);
  const sid = ctx.scopes.declareScratch(id.name, ctor, dtype, pos(ctx, id));
  return { kind: 'scratch', id: sid, length, at: pos(ctx, init) };
}

/** An expression used as a statement: assignments, updates, sequences; others are checked and dropped. */
function effect(ctx: ExprContext, e: acorn.Expression): S[] {
  switch (e.type) {
    case 'AssignmentExpression': return [assignment(ctx, e)];
    case 'UpdateExpression': return [update(ctx, e)];
    case 'SequenceExpression': return e.expressions.flatMap((x) => effect(ctx, x));
    case 'CallExpression': {
      // esbuild's keepNames emits `__name(f, "f");` statements after function declarations.
      if (e.callee.type === 'Identifier' && e.callee.name === '__name' && ctx.scopes.lookup('__name') === null) return [];
      // jit: a.set(i, j, v)
      const store = jitStatement(ctx, e);
      if (store !== undefined) return store;
      const call = lowerExpr(ctx, e);
      // jit: a helper given arrays may write them, so its call is kept (its value unused).
      if (call.kind === 'helper' && call.arrays !== undefined) {
        const at = pos(ctx, e);
        return [{ kind: 'let', local: ctx.scopes.declare('__nb_call', false, at), init: call, at }];
      }
      return [];
    }
    default:
      lowerExpr(ctx, e);
      return [];
  }
}

/** Where an assignment writes: a local/parameter, or an array element. */
type LValue = { kind: 'var'; place: Place; read: E } | { kind: 'elem'; array: ArrayRef; indices: readonly E[]; read: E };

function lvalue(ctx: ExprContext, node: acorn.Node): LValue {
  const at = pos(ctx, node);
  if (node.type === 'Identifier') {
    const name = (node as acorn.Identifier).name;
    const b = ctx.scopes.lookup(name);
    const k = b === null ? constantOf(ctx, name) : undefined;
    if (isTable(k)) return fail(ctx, 'NB2021', node, [name, 'is a read-only table: it cannot be assigned']);
    if (k !== undefined) return fail(ctx, 'NB2021', node, [name, `is read-only (a constant): copy it into a local, let k = ${name}`]);
    if (b === null) return fail(ctx, 'NB1010', node, [name]);
    if (b.kind === 'pending') return fail(ctx, 'NB2011', node, [name, 'is used before its declaration']);
    if (b.kind === 'scratch') return fail(ctx, 'NB2022', node, [name, 'cannot be rebound (write its elements: buf[i] = ...)']);
    if (b.kind === 'local') {
      if (b.isConst) return fail(ctx, 'NB2010', node, [name]);
      return { kind: 'var', place: { kind: 'local', id: b.id }, read: { kind: 'local', id: b.id, at, type: null } };
    }
    return { kind: 'var', place: { kind: 'param', index: b.index }, read: { kind: 'param', index: b.index, at, type: null } };
  }
  if (node.type === 'MemberExpression') {
    const acc = arrayAccess(ctx, node as acorn.MemberExpression);
    if (acc.array.kind === 'table') {
      const name = ctx.tables!.list[acc.array.table]!.name;
      return fail(ctx, 'NB2021', node, [name, 'is a read-only table (options.constants): write results to an output, or copy the values into a local first']);
    }
    if (acc.length) return fail(ctx, 'NB2016', node, ['.length', acc.array.kind === 'scratch' ? "a scratch array's length is fixed" : 'core dimensions are read-only']);
    return { kind: 'elem', array: acc.array, indices: acc.indices, read: { kind: 'load', array: acc.array, indices: acc.indices, at, type: null } };
  }
  if (node.type === 'ObjectPattern' || node.type === 'ArrayPattern') return fail(ctx, 'NB1019', node);
  return fail(ctx, 'NB1031', node, ['as an assignment target']);
}

function write(p: LValue, value: E, at: number): S {
  return p.kind === 'var'
    ? { kind: 'assign', place: p.place, value, at }
    : { kind: 'store', array: p.array, indices: p.indices, value, at };
}

function assignment(ctx: ExprContext, node: acorn.AssignmentExpression): S {
  const at = pos(ctx, node);
  if (node.operator === '&&=' || node.operator === '||=' || node.operator === '??=') return fail(ctx, 'NB1029', node, [node.operator]);
  const p = lvalue(ctx, node.left);
  const rhs = lowerExpr(ctx, node.right);
  if (node.operator === '=') return write(p, rhs, at);
  const op = compoundOp(node.operator);
  if (op === undefined) return fail(ctx, 'NB1029', node, [node.operator]);
  return write(p, { kind: 'binary', op, left: p.read, right: rhs, at, type: null }, at);
}

function update(ctx: ExprContext, node: acorn.UpdateExpression): S {
  const at = pos(ctx, node);
  const p = lvalue(ctx, node.argument);
  const one: E = { kind: 'const', value: 1, at, type: null };
  return write(p, { kind: 'binary', op: node.operator === '++' ? 'add' : 'sub', left: p.read, right: one, at, type: null }, at);
}

function forStatement(ctx: StmtContext, node: acorn.ForStatement): S[] {
  const at = pos(ctx, node);
  ctx.scopes.push(node.init?.type === 'VariableDeclaration' ? declaredNames([node.init]) : []);
  let init: S[] = [];
  const alloc = node.init?.type === 'VariableDeclaration' ? node.init.declarations.find((d) => d.init?.type === 'NewExpression') : undefined;
  if (alloc) return fail(ctx, 'NB1038', alloc.init!, ["a scratch array declared in a for loop's head"]);
  if (node.init?.type === 'VariableDeclaration') init = declaration(ctx, node.init);
  else if (node.init) init = effect(ctx, node.init);
  const cond = node.test ? lowerExpr(ctx, node.test) : null;
  const update = node.update ? effect(ctx, node.update) : [];
  const body = loopBody(ctx, node.body);
  ctx.scopes.pop();
  return [{ kind: 'for', init, cond, update, body, at }];
}
