/**
 * ESTree expressions → untyped IR expressions (the expression half of lowering).
 *
 * Steps for each expression node:
 *   1. literals: numbers, bigints and booleans become constants (strings, null, regexps are
 *      rejected); a number written with a decimal point or an exponent (`1.0`, `.5`, `1e3`:
 *      acorn's `raw` text) is marked `float`, so that its type follows the source text as in
 *      Numba (ir/weak.ts); `Infinity`, `NaN`, `Math.PI`, `Number.EPSILON`... become constants;
 *   2. names resolve to a local, a parameter, a constant of `options.constants` (a `const`
 *      node: compiler/constants.ts), or an error: a closure variable (NB1010), a use in
 *      the temporal dead zone (NB2011), `this`/`arguments` (NB1011), a constant called,
 *      assigned, or (a scalar) indexed, or (a table) read as a value (NB2021). Scopes come first, as in JavaScript: a parameter or
 *      local named `Math`, `Number`, `isNaN`, `Infinity`, ... is that binding, never the
 *      global (`(Math) => Math.PI` is NB1037, not 3.14159), and a parameter or local
 *      shadows a constant of the same name;
 *   3. operators map one to one to IR ops (JavaScript's meaning is kept; types come later);
 *   4. calls resolve to an intrinsic (`Math.sin`; numbats' `nb.math.erf`, `nb.hypot` and bare
 *      imported names, numbats-names.ts), a helper (`options.helpers`), or
 *      `__name(f, "f")` (esbuild's keepNames wrapper, which is transparent); anything else
 *      is NB1016/NB1017;
 *   5. member chains `a[i][j]`, `a.length`, `a[i].length` on a parameter, `buf[i]`,
 *      `buf.length` on a scratch array, and `t[i]`, `t.length` on a table constant
 *      (compiler/constants.ts), become load/length nodes; every other property access is
 *      NB1031; a scratch array's bare name is NB2022 (it is no value).
 * Anything that is not an expression of the kernel language has a coded diagnostic.
 */
import type * as acorn from 'acorn';
import { constantExpr, isTable, type ConstantValue, type KernelConstants, type KernelTables, type TypedArrayConstant } from '../constants.js';
import { CONSTANTS, lookupCallable } from '../ir/intrinsics.js';
import { paramRef, SCRATCH_CTORS, scratchRef, tableRef, type ArrayRef, type BinaryOp, type CompareOp, type Expr } from '../ir/nodes.js';
import { kernelError, type DiagnosticCode, type SourceText } from './diagnostics.js';
import { resolveNumbatsCallee } from './numbats-names.js';
import type { Scopes } from './scope.js';

type E = Expr<null>;

/** What expression lowering needs to know about its surroundings. */
export interface ExprContext {
  readonly source: SourceText;
  /** Subtract from acorn offsets. */
  readonly shift: number;
  readonly scopes: Scopes;
  /** Names callable as helpers. */
  readonly helpers: ReadonlySet<string>;
  /** The function's own name (a call to it is recursion). */
  readonly selfName: string | null;
  /**
   * Stencil kernels: parameters are neighbour accessors, read only by a call with one
   * relative offset per axis (`a(-1, 0)`), lowered to a `load` whose indices are the offsets.
   */
  readonly accessors?: boolean;
  /** `options.constants` (checked and frozen: compiler/constants.ts). */
  readonly constants?: KernelConstants;
  /** The program's tables (typed-array constants), numbered as lowering meets them. */
  readonly tables?: KernelTables;
  /**
   * jit functions (src/compiler/jit.ts): how each parameter is passed, and the lowering of
   * the NDArray/TypedArray API (frontend/jit-members.ts, installed by lower.ts).
   */
  readonly jit?: JitHooks;
}

const BINARY: Readonly<Record<string, BinaryOp>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '**': 'pow',
  '&': 'band', '|': 'bor', '^': 'bxor', '<<': 'shl', '>>': 'shr', '>>>': 'ushr',
};
const COMPARE: Readonly<Record<string, CompareOp>> = {
  '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '===': 'eq', '!=': 'ne', '!==': 'ne',
};

/**
 * How a jit parameter is passed: an NDArray of `ndim` dims, a TypedArray (1-D), an array of
 * an explicit signature (`f8[:]`: read with either API when 1-D), or a scalar.
 */
export type JitParamKind =
  | { readonly kind: 'ndarray'; readonly ndim: number;
    /** A dynamic allocation's hidden parameter (frontend/jit-alloc.ts): named only in the block that declares it. */
    readonly dynamic?: boolean }
  | { readonly kind: 'typed' }
  | { readonly kind: 'array'; readonly ndim: number }
  | { readonly kind: 'scalar' };

/** A dynamic allocation's declaration, for the lowering (jit-members.ts jitAllocDeclaration). */
export interface JitDynamicAlloc {
  /** The hidden parameter it makes, and its index in the allocations. */
  readonly param: number;
  readonly allocation: number;
  readonly fill: 'empty' | 'zeros' | 'ones' | 'full';
  readonly shape: acorn.Expression;
  readonly value: acorn.Expression | null;
}

/** The jit lowering hooks (frontend/jit-members.ts): undefined means "not a jit construct". */
export interface JitHooks {
  readonly params: readonly JitParamKind[];
  /** The dynamic allocations' declarations, by call node (frontend/jit-alloc.ts). */
  readonly allocs: ReadonlyMap<acorn.Node, JitDynamicAlloc>;
  member(ctx: ExprContext, node: acorn.MemberExpression): E | undefined;
  call(ctx: ExprContext, node: acorn.CallExpression): E | undefined;
}

/** The binary op of a compound assignment operator (`+=` → add), or undefined. */
export function compoundOp(operator: string): BinaryOp | undefined {
  return BINARY[operator.slice(0, -1)];
}

export function fail(ctx: ExprContext, code: DiagnosticCode, node: acorn.Node | number, args: (string | number)[] = []): never {
  const at = typeof node === 'number' ? node : node.start - ctx.shift;
  throw kernelError(code, ctx.source, at, args);
}

/** Offset of a node in the original text. */
export const pos = (ctx: ExprContext, node: acorn.Node): number => node.start - ctx.shift;

/** `Math.sin` → 'Math.sin' for a non-computed member chain of identifiers, else null. */
export function dottedName(node: acorn.Node): string | null {
  if (node.type === 'Identifier') return (node as acorn.Identifier).name;
  if (node.type === 'MemberExpression') {
    const m = node as acorn.MemberExpression;
    if (m.computed || m.property.type !== 'Identifier') return null;
    const base = dottedName(m.object);
    return base === null ? null : `${base}.${m.property.name}`;
  }
  return null;
}

/**
 * The constant a free name reads (`options.constants`), or undefined: only when no
 * parameter or local of that name is in scope (the kernel's own names shadow constants).
 */
export function constantOf(ctx: ExprContext, name: string): ConstantValue | undefined {
  const c = ctx.constants;
  if (c === undefined || !Object.prototype.hasOwnProperty.call(c, name) || ctx.scopes.lookup(name) !== null) return undefined;
  return c[name];
}

/** The root identifier of a dotted name (`'Math'` of `'Math.sin'`). */
const rootOf = (dotted: string): string => {
  const dot = dotted.indexOf('.');
  return dot < 0 ? dotted : dotted.slice(0, dot);
};

/**
 * A name the kernel language gives a global meaning (`Math.PI`, `Math.sin`, `isNaN`) whose
 * root is bound in the kernel (a parameter or local of that name): NB2011 in the temporal
 * dead zone, else NB1037. Returns when the root is unbound (the global is meant).
 */
function checkNotShadowed(ctx: ExprContext, dotted: string, node: acorn.Node, use = dotted): void {
  const root = rootOf(dotted);
  const b = ctx.scopes.lookup(root);
  if (b === null) return;
  if (b.kind === 'pending') fail(ctx, 'NB2011', node, [root, 'is used before its declaration']);
  fail(ctx, 'NB1037', node, [root, b.kind === 'param' ? 'parameter' : 'local variable', use]);
}

/** A member chain `p[i][j]` / `p[i].length` on parameter p, split into its parts. */
export interface ArrayAccess {
  readonly array: ArrayRef;
  readonly indices: readonly E[];
  readonly length: boolean;
}

/** Split a member chain on a parameter; fails with a diagnostic on anything else. */
export function arrayAccess(ctx: ExprContext, node: acorn.MemberExpression): ArrayAccess {
  // jit: `a.shape[0]` and the like are values, not places (assignments, for...of reach here).
  if (ctx.jit?.member(ctx, node) !== undefined) {
    fail(ctx, 'NB1042', node, [`'${ctx.source.text.slice(node.start - ctx.shift, node.end - ctx.shift)}' here`, 'an array\'s sizes are read-only values']);
  }
  // Report a base that is no kernel expression (this, [..], new, ...) before its properties.
  let root: acorn.Node = node;
  while (root.type === 'MemberExpression') root = (root as acorn.MemberExpression).object;
  if (root.type !== 'Identifier') lowerExpr(ctx, root);
  const indices: acorn.Expression[] = [];
  let length = false;
  let cur: acorn.Node = node;
  if (!node.computed) {
    if (node.property.type === 'Identifier' && node.property.name === 'length') {
      length = true;
      cur = node.object;
    } else {
      const prop = node.property.type === 'Identifier' ? node.property.name : '#private';
      fail(ctx, 'NB1031', node.property, [`.${prop}`]);
    }
  }
  while (cur.type === 'MemberExpression') {
    const m = cur as acorn.MemberExpression;
    if (m.optional) fail(ctx, 'NB1029', m, ['?.']);
    if (!m.computed) {
      const prop = m.property.type === 'Identifier' ? m.property.name : '#private';
      fail(ctx, 'NB1031', m.property, [`.${prop}`]);
    }
    indices.unshift(m.property as acorn.Expression);
    cur = m.object;
  }
  if (cur.type !== 'Identifier') {
    // Report what the base is (this, [..], new, a call) when it is not a kernel expression.
    lowerExpr(ctx, cur);
    fail(ctx, 'NB1031', cur, ['on a computed value (only parameters are arrays)']);
  }
  const name = (cur as acorn.Identifier).name;
  const b = ctx.scopes.lookup(name);
  // A table constant is a read-only 1-d array; a scalar constant is a value: indexing or
  // measuring it is NB2021.
  const k = constantOf(ctx, name);
  if (isTable(k)) return { array: tableOf(ctx, name, k), indices: indices.map((i) => lowerExpr(ctx, i)), length };
  if (k !== undefined) fail(ctx, 'NB2021', cur, [name, `is a ${typeof k}, not an array: it cannot be indexed or measured`]);
  if (b === null || b.kind === 'pending') {
    if (name === 'Math' || name === 'Number') fail(ctx, 'NB1031', node, [`${name}[...]`]);
    identifier(ctx, cur as acorn.Identifier);
    fail(ctx, 'NB1010', cur, [name]);
  }
  if (b.kind === 'local') fail(ctx, 'NB2015', cur, [name]);
  if (b.kind === 'scratch') return { array: scratchRef(b.id), indices: indices.map((i) => lowerExpr(ctx, i)), length };
  if (ctx.accessors) fail(ctx, 'NB2019', node, [name, `read neighbours by calling it with one relative offset per axis, ${name}(-1, 0), not ${length ? 'with .length' : 'by indexing'}`]);
  return { array: paramRef(b.index), indices: indices.map((i) => lowerExpr(ctx, i)), length };
}

/** The reference to table constant `name` (its number in the program's tables). */
export function tableOf(ctx: ExprContext, name: string, value: TypedArrayConstant): ArrayRef {
  if (ctx.tables === undefined) throw new Error(`internal: table constant '${name}' lowered without a table list`);
  return tableRef(ctx.tables.ref(name, value));
}

/** What a constant is, for messages: 'a number', 'a table (Float64Array)'. */
export function constantKind(k: ConstantValue): string {
  return isTable(k) ? `a table (${Object.prototype.toString.call(k).slice(8, -1)})` : `a ${typeof k}`;
}

/** Lower one expression. */
export function lowerExpr(ctx: ExprContext, node: acorn.Node): E {
  const at = pos(ctx, node);
  switch (node.type) {
    case 'Literal': return literal(ctx, node as acorn.Literal);
    case 'Identifier': return identifier(ctx, node as acorn.Identifier);
    case 'ThisExpression': return fail(ctx, 'NB1011', node, ['this']);
    case 'Super': return fail(ctx, 'NB1011', node, ['super']);
    case 'MetaProperty': return fail(ctx, 'NB1011', node, ['new.target / import.meta']);
    case 'ImportExpression': return fail(ctx, 'NB1011', node, ['import()']);
    case 'TemplateLiteral': case 'TaggedTemplateExpression': return fail(ctx, 'NB1014', node);
    case 'ObjectExpression': return fail(ctx, 'NB1012', node);
    case 'ArrayExpression': return fail(ctx, 'NB1013', node);
    case 'NewExpression': {
      const callee = (node as acorn.NewExpression).callee;
      if (callee.type === 'Identifier' && (SCRATCH_CTORS[callee.name] !== undefined || callee.name === 'Uint8ClampedArray')) {
        return fail(ctx, 'NB1038', node, [`new ${callee.name}(...) inside an expression`]);
      }
      return fail(ctx, 'NB1015', node);
    }
    case 'SpreadElement': return fail(ctx, 'NB1018', node);
    case 'AwaitExpression': return fail(ctx, 'NB1003', node);
    case 'YieldExpression': return fail(ctx, 'NB1004', node);
    case 'ChainExpression': return fail(ctx, 'NB1029', node, ['?.']);
    case 'SequenceExpression': return fail(ctx, 'NB1029', node, [',']);
    case 'ArrowFunctionExpression': case 'FunctionExpression': case 'ClassExpression': return fail(ctx, 'NB1025', node);
    case 'AssignmentExpression': return fail(ctx, 'NB1028', node, ['assignment']);
    case 'UpdateExpression': return fail(ctx, 'NB1028', node, [(node as acorn.UpdateExpression).operator]);
    case 'UnaryExpression': {
      const u = node as acorn.UnaryExpression;
      const op = ({ '-': 'neg', '+': 'pos', '!': 'not', '~': 'bitnot' } as const)[u.operator as '-' | '+' | '!' | '~'];
      if (op === undefined) return fail(ctx, 'NB1029', node, [u.operator]);
      return { kind: 'unary', op, arg: lowerExpr(ctx, u.argument), at, type: null };
    }
    case 'BinaryExpression': {
      const b = node as acorn.BinaryExpression;
      if (b.left.type === 'PrivateIdentifier') return fail(ctx, 'NB1029', node, ['#x in']);
      const cmp = COMPARE[b.operator];
      const left = lowerExpr(ctx, b.left);
      const right = lowerExpr(ctx, b.right);
      if (cmp) return { kind: 'compare', op: cmp, left, right, operand: null, at, type: null };
      const op = BINARY[b.operator];
      if (op === undefined) return fail(ctx, 'NB1029', node, [b.operator]);
      return { kind: 'binary', op, left, right, at, type: null };
    }
    case 'LogicalExpression': {
      const l = node as acorn.LogicalExpression;
      if (l.operator === '??') return fail(ctx, 'NB1029', node, ['??']);
      return {
        kind: 'logical', op: l.operator === '&&' ? 'and' : 'or', left: lowerExpr(ctx, l.left), right: lowerExpr(ctx, l.right), at, type: null,
      };
    }
    case 'ConditionalExpression': {
      const c = node as acorn.ConditionalExpression;
      return {
        kind: 'select', cond: lowerExpr(ctx, c.test), then: lowerExpr(ctx, c.consequent), else: lowerExpr(ctx, c.alternate), at, type: null,
      };
    }
    case 'CallExpression': return call(ctx, node as acorn.CallExpression);
    case 'MemberExpression': return member(ctx, node as acorn.MemberExpression);
    default: return fail(ctx, 'NB1036', node, [node.type]);
  }
}

/**
 * True when a number literal's source text is a float's: a decimal point or an exponent
 * (`1.0`, `.5`, `1e3`, `2E-1`), but not a hex/binary/octal integer (`0x1e` has an `e`).
 */
export function isFloatLiteral(raw: string): boolean {
  if (/^0[xXbBoO]/.test(raw)) return false;
  if (raw.includes('.')) return true;
  // An exponent literal is a float only when its value is not an integer (`1e-3`): build
  // tools (esbuild under tsx/vite/vitest, terser) reprint integer literals in exponent form
  // (`400000000` becomes `4e8`), so an integer-valued `4e8` must keep meaning what the
  // user's `400000000` meant. `1.0` still means float, but those tools print it as `1`:
  // write `Math.fround`-free float accumulators as `let f = 0.5 * 2` or give the signature.
  return /[eE]/.test(raw) && !Number.isInteger(Number(raw.replace(/_/g, '')));
}

function literal(ctx: ExprContext, node: acorn.Literal): E {
  const at = pos(ctx, node);
  const v = node.value;
  if (typeof v === 'number') return { kind: 'const', value: v, at, type: null, ...(isFloatLiteral(node.raw ?? '') ? { float: true } : {}) };
  if (typeof v === 'boolean') return { kind: 'const', value: v, at, type: null };
  if (typeof v === 'bigint') return { kind: 'const', value: v, at, type: null };
  if ('bigint' in node && typeof node.bigint === 'string') return { kind: 'const', value: BigInt(node.bigint), at, type: null };
  if (typeof v === 'string') return fail(ctx, 'NB1014', node);
  if (v === null && !('regex' in node && node.regex)) return fail(ctx, 'NB1036', node, ['null']);
  return fail(ctx, 'NB1036', node, ['a regular expression']);
}

/** Why a scratch array's name cannot stand for a value (NB2022). */
export const SCRATCH_VALUE = 'is an array: it can only be indexed (buf[i]), measured (buf.length) or iterated (for...of), ' +
  'not passed to a helper, returned or used as a value';

function identifier(ctx: ExprContext, node: acorn.Identifier): E {
  const at = pos(ctx, node);
  const b = ctx.scopes.lookup(node.name);
  if (b?.kind === 'local') return { kind: 'local', id: b.id, at, type: null };
  if (b?.kind === 'param') {
    if (ctx.accessors) fail(ctx, 'NB2019', node, [node.name, `is a neighbour accessor, not a value: read the centre as ${node.name}(0, ...) and neighbours as ${node.name}(-1, ...)`]);
    return { kind: 'param', index: b.index, at, type: null };
  }
  if (b?.kind === 'pending') return fail(ctx, 'NB2011', node, [node.name, 'is used before its declaration']);
  if (b?.kind === 'scratch') return fail(ctx, 'NB2022', node, [node.name, SCRATCH_VALUE]);
  const k = constantOf(ctx, node.name);
  if (k !== undefined) {
    return constantExpr(k, at) ?? fail(ctx, 'NB2021', node, [node.name, `is ${constantKind(k)}, not a value: read its elements, ${node.name}[i], or its length, ${node.name}.length`]);
  }
  const c = CONSTANTS.get(node.name);
  if (c !== undefined) return { kind: 'const', value: c, at, type: null };
  if (node.name === 'undefined') return fail(ctx, 'NB1036', node, ['undefined']);
  if (node.name === 'arguments') return fail(ctx, 'NB1011', node, ['arguments']);
  if (ctx.helpers.has(node.name)) return fail(ctx, 'NB2013', node, [node.name, 'a helper can only be called']);
  if (node.name === 'Math' || node.name === 'Number') return fail(ctx, 'NB1031', node, [node.name]);
  return fail(ctx, 'NB1010', node, [node.name]);
}

function call(ctx: ExprContext, node: acorn.CallExpression): E {
  const at = pos(ctx, node);
  if (node.optional) return fail(ctx, 'NB1029', node, ['?.']);
  const spread = node.arguments.find((a) => a.type === 'SpreadElement');
  if (spread) return fail(ctx, 'NB1018', spread);
  const callee = node.callee;
  if (callee.type === 'Super') return fail(ctx, 'NB1011', callee, ['super']);
  const jit = ctx.jit?.call(ctx, node);
  if (jit !== undefined) return jit;
  const name = dottedName(callee);
  // esbuild's keepNames: __name(fn, "name") is fn (unless the kernel binds __name itself).
  if (name === '__name' && node.arguments.length === 2 && ctx.scopes.lookup('__name') === null) return lowerExpr(ctx, node.arguments[0]!);
  const calledConstant = name === null ? undefined : constantOf(ctx, rootOf(name));
  if (calledConstant !== undefined) {
    fail(ctx, 'NB2021', callee, [rootOf(name!), `is ${constantKind(calledConstant)}, not a function: pass functions in options.helpers`]);
  }
  if (name !== null && callee.type === 'Identifier') {
    const b = ctx.scopes.lookup(name);
    // A stencil accessor call a(di, dj): a load at relative offsets (checked constant later).
    if (b?.kind === 'param' && ctx.accessors) {
      return { kind: 'load', array: paramRef(b.index), indices: node.arguments.map((a) => lowerExpr(ctx, a)), at, type: null };
    }
    if (b === null && ctx.helpers.has(name)) {
      return { kind: 'helper', name, index: -1, args: node.arguments.map((a) => lowerExpr(ctx, a)), at, type: null };
    }
    if (b === null && name === ctx.selfName) return fail(ctx, 'NB2014', callee, [name]);
  }
  // numbats' scalar functions: nb.math.erf(x), nb.hypot(x, y), bare imported names (numbats-names.ts).
  const free = (n: string) => ctx.scopes.lookup(n) === null && !ctx.helpers.has(n) && n !== ctx.selfName && constantOf(ctx, n) === undefined;
  const numbats = resolveNumbatsCallee(callee, free);
  if (numbats !== undefined) {
    if ('unsupported' in numbats) return fail(ctx, 'NB1017', numbats.at, [numbats.unsupported]);
    return { kind: 'call', fn: numbats.intrinsic, args: node.arguments.map((a) => lowerExpr(ctx, a)), at, type: null };
  }
  if (name !== null) {
    const intrinsic = lookupCallable(name);
    if (intrinsic !== undefined || /^(Math|Number)\./.test(name)) checkNotShadowed(ctx, name, callee, `${name}(...)`);
    if (intrinsic !== undefined) {
      return { kind: 'call', fn: intrinsic, args: node.arguments.map((a) => lowerExpr(ctx, a)), at, type: null };
    }
    if (/^Math\.[A-Za-z0-9_]+$/.test(name)) return fail(ctx, 'NB1017', callee, [name]);
  }
  // A bare unknown name: say how to pass it (NB1016's second argument).
  const fix = callee.type === 'Identifier' ? ` (pass it as { helpers: { ${name} } })` : '';
  return fail(ctx, 'NB1016', callee, [name ?? ctx.source.text.slice(callee.start - ctx.shift, callee.end - ctx.shift), fix]);
}

function member(ctx: ExprContext, node: acorn.MemberExpression): E {
  const at = pos(ctx, node);
  if (node.optional) return fail(ctx, 'NB1029', node, ['?.']);
  const jit = ctx.jit?.member(ctx, node);
  if (jit !== undefined) return jit;
  const name = dottedName(node);
  const root = name === null ? null : rootOf(name);
  if (name !== null && (root === 'Math' || root === 'Number') && ctx.scopes.lookup(root) !== null) {
    // A parameter or local named Math/Number: `Math.PI` reads a property of that binding.
    // Known Math/Number members get NB1037; anything else (`Math.length` on an array
    // parameter named Math) is an ordinary member access.
    if (CONSTANTS.has(name) || lookupCallable(name) !== undefined) checkNotShadowed(ctx, name, node);
  } else if (name !== null && (root === 'Math' || root === 'Number')) {
    const c = CONSTANTS.get(name);
    if (c !== undefined) return { kind: 'const', value: c, at, type: null };
    if (lookupCallable(name) !== undefined) return fail(ctx, 'NB1031', node, [`${name} (as a value; call it)`]);
    return fail(ctx, 'NB1017', node, [name]);
  }
  const acc = arrayAccess(ctx, node);
  if (acc.length) {
    return { kind: 'length', array: acc.array, axis: acc.indices.length, at, type: null };
  }
  return { kind: 'load', array: acc.array, indices: acc.indices, at, type: null };
}
