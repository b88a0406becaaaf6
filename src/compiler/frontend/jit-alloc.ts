/**
 * Allocation in jit functions (`nb.empty/zeros/ones/full`), as a two-phase call: each
 * allocation becomes a hidden NDArray parameter of the compiled function that the caller
 * (src/jit/call.ts) allocates before the call, and the function's `return out` hands back
 * that array.
 *
 * Steps (on the parsed function, before lowering):
 *   1. a top-level `const out = <ns>.empty(shape, dtype?)` (`zeros`, `ones`; `full(shape,
 *      value, dtype)`) of the function body is an allocation when its shape (and fill value)
 *      reads only parameters the function never assigns, literals, `Math` and `a.shape`: it runs
 *      once per call and its size is known from the arguments, so phase 1 evaluates those
 *      expressions as JavaScript on the call's arguments (the same values plain JS computes);
 *   2. the declaration is removed and `out` appended to the parameters (an NDArray of the
 *      given dtype, default float64, with as many dims as the shape: the length of a shape
 *      literal `[m, n]`, the ndim of `a` for `a.shape`, 1 for a number), so `out.set`,
 *      `out.get`, `out.shape[k]` and passing `out` to helpers are the ordinary jit forms;
 *   3. `return out` becomes `return;` and the allocation is the function's result (every
 *      valued return must return the same allocation);
 *   4. any other such `const` declaration (in a loop or a branch, a shape that reads locals
 *      or assigned parameters) is a *dynamic* allocation: it gets a hidden parameter too, but
 *      the declaration stays where it is, lowered (jit-members.ts jitAllocDeclaration) to an
 *      `alloc` statement that makes the array when it runs (ir/nodes.ts AllocStmt, the host's
 *      allocator src/jit/alloc-host.ts), its name bound to the parameter in that block only;
 *      `return out` of it as in step 3 (the host hands back the array the site made last).
 *      A call of those functions that is not such a declaration is NB1042;
 *   5. built-in ufuncs on arrays (frontend/jit-ufunc.ts): a top-level `const r = nb.add(a, x)`
 *      and any `return nb.add(a, x)` are allocations too (dtype from NumPy's loop, shape the
 *      broadcast of the array operands' shapes, computed in phase 1), filled by a loop in
 *      place of the call; such a call anywhere else is NB1042.
 */
import type * as acorn from 'acorn';
import { DTYPES, type DType } from '../../dtype/dtypes.js';
import { kernelError } from './diagnostics.js';
import type { JitArgType } from '../jit-types.js';
import type { JitDynamicAlloc, JitParamKind } from './lower-expr.js';
import type { ParsedKernel } from './parse.js';
import { boundNames, checkScalarGuesses, UfuncCalls, JitRetype, type ScalarKind, type UfuncExpansion } from './jit-ufunc.js';
import { jitTuples, tupleTypes, type TupleGuess, type TupleSlot } from './jit-tuple.js';
import type { IRFunction } from '../ir/nodes.js';

/** One allocation: how phase 1 makes its array. */
export interface JitAllocation {
  /** The name in the source (the hidden parameter's). */
  readonly name: string;
  readonly fill: 'empty' | 'zeros' | 'ones' | 'full';
  readonly dtype: DType;
  readonly ndim: number;
  /** The shape expression's source (a JS expression of the parameters). */
  readonly shape: string;
  /** `full`'s value expression's source. */
  readonly value?: string;
  /**
   * A ufunc's result (frontend/jit-ufunc.ts): the names of its array operands (parameters or
   * earlier allocations); its shape is their broadcast (then `shape` is only for messages).
   */
  readonly broadcast?: readonly string[];
  /**
   * Made by the function itself where the declaration stands (a shape phase 1 cannot compute:
   * it reads locals, or the declaration is in a loop or a branch): an `alloc` statement
   * (ir/nodes.ts AllocStmt) calling the host's allocator (src/jit/alloc-host.ts).
   */
  readonly dynamic?: boolean;
  /** The call's offset in the source (a bad size's error gives its line and column); absent for ufunc results and tuple slots. */
  readonly at?: number;
}

/** What {@link jitAllocations} found and rewrote. */
export interface JitAllocations {
  readonly allocations: JitAllocation[];
  /** The parameter kinds, the hidden ones (one per allocation) appended. */
  readonly kinds: JitParamKind[];
  /** The allocation the function returns (an index), or null. */
  readonly result: number | null;
  /** Element helpers of the ufunc calls (name → kernel source), for the function's helpers. */
  readonly helpers: Readonly<Record<string, string>>;
  /** The ufuncs' scalar operands bound to locals, with the kinds they were compiled as (see jit-ufunc.ts). */
  readonly scalars: readonly { readonly local: string; readonly kind: ScalarKind }[];
  /** A function that returns an array literal: its positions (frontend/jit-tuple.ts), else null. */
  readonly tuple: readonly TupleSlot[] | null;
  /** The tuple's scalar positions and the dtypes they were compiled as. */
  readonly tupleGuesses: readonly TupleGuess[];
  /** The dynamic allocations, by their call node (for the lowering). */
  readonly dynamic: ReadonlyMap<acorn.Node, JitDynamicAlloc>;
}

/**
 * After inference: throws JitRetype (frontend/jit-ufunc.ts) when a ufunc operand's kind or a
 * returned tuple's scalar type differs from what the function was compiled with.
 *
 * @example
 * ```ts
 * checkGuesses(alloc, typed.main); // compileJit compiles again on JitRetype
 * ```
 */
export function checkGuesses(alloc: JitAllocations, main: IRFunction<DType>): void {
  let learned = new Map<string, string>();
  try {
    checkScalarGuesses(alloc.scalars, main);
  } catch (e) {
    if (!(e instanceof JitRetype)) throw e;
    learned = new Map(e.kinds);
  }
  const tuple = tupleTypes(alloc.tupleGuesses, main);
  if (learned.size === 0 && tuple === null) return;
  for (const s of alloc.scalars) if (!learned.has(s.local)) learned.set(s.local, s.kind);
  for (const g of alloc.tupleGuesses) learned.set(g.name, tuple?.get(g.name) ?? g.dtype);
  throw new JitRetype(learned);
}

const FILLS = new Set(['empty', 'zeros', 'ones', 'full']);

type AnyNode = acorn.Node & Record<string, unknown>;

/** Every node under `n` (nested functions included: the lowering rejects those anyway). */
function walk(n: unknown, f: (node: AnyNode, parent: AnyNode | null) => void, parent: AnyNode | null = null): void {
  if (n === null || typeof n !== 'object') return;
  if (Array.isArray(n)) { for (const x of n) walk(x, f, parent); return; }
  const node = n as AnyNode;
  if (typeof node.type !== 'string') return;
  f(node, parent);
  for (const [k, v] of Object.entries(node)) if (k !== 'type' && k !== 'start' && k !== 'end') walk(v, f, node);
}

/** `<free name>.empty(...)` and the like: the function's name, or null. */
function allocCallee(node: AnyNode, params: ReadonlySet<string>): string | null {
  if (node.type !== 'CallExpression') return null;
  const c = (node as unknown as acorn.CallExpression).callee;
  if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier' || c.object.type !== 'Identifier') return null;
  if (params.has(c.object.name) || !FILLS.has(c.property.name)) return null;
  return c.property.name;
}

/**
 * Find the allocations of a jit function and rewrite the parsed function in place (see the
 * file header); returns them with the kinds of the hidden parameters, and whether the
 * function returns an allocation (its index).
 *
 * @param args - the types of the call's arguments (array dtypes for ufunc calls).
 * @param helperNames - the function's helpers (a helper named like a ufunc is the helper).
 * @param guesses - scalar ufunc operand kinds learned by a previous compile (jit-ufunc.ts).
 * @throws KernelError NB1042 for an allocation the two-phase call cannot make, NB5003 for a
 *   function that returns an allocation on some paths and a value on others.
 * @example
 * ```ts
 * const parsed = parseKernel(text, name);
 * const { allocations, result } = jitAllocations(parsed, args, kinds, new Set()); // before lowerFunction(parsed, ...)
 * ```
 */
export function jitAllocations(
  parsed: ParsedKernel, args: readonly JitArgType[], kinds: readonly JitParamKind[], helperNames: ReadonlySet<string>,
  guesses: ReadonlyMap<string, string> = new Map(),
): JitAllocations {
  const { fn, source, shift } = parsed;
  const at = (n: acorn.Node) => n.start - shift;
  const text = (n: acorn.Node) => source.text.slice(n.start - shift, n.end - shift);
  const names = fn.params.map((p) => (p.type === 'Identifier' ? p.name : ''));
  const params = new Set(names.filter((n) => n !== ''));
  const allocations: JitAllocation[] = [];
  const hidden: JitParamKind[] = [];
  const dynamic = new Map<acorn.Node, JitDynamicAlloc>();
  const calls = new UfuncCalls(source, shift, boundNames(fn as unknown as AnyNode), helperNames, guesses as ReadonlyMap<string, ScalarKind>);
  let tuple: { slots: TupleSlot[]; guesses: TupleGuess[] } | null = null;
  args.forEach((a, k) => {
    if (a.kind === 'scalar' || names[k] === '') return;
    calls.addArray(names[k]!, a.kind === 'typed' ? { dtype: a.dtype, ndim: 1, api: 'typed' } : { dtype: a.dtype, ndim: a.ndim, api: 'ndarray' });
  });
  const done = (result: number | null): JitAllocations => ({
    allocations, kinds: [...kinds, ...hidden], result, helpers: calls.helpers, scalars: calls.scalars, tuple: tuple?.slots ?? null, tupleGuesses: tuple?.guesses ?? [], dynamic,
  });
  // A ufunc result: an allocation (nested results first) and the statements that fill it.
  const addHidden = (name: string, ndim: number, node: acorn.Node) => {
    (fn.params as acorn.Pattern[]).push({ type: 'Identifier', name, start: node.start, end: node.end } as acorn.Identifier);
    hidden.push({ kind: 'ndarray', ndim });
  };
  const expanded = (e: UfuncExpansion, node: acorn.Node): acorn.Statement[] => {
    const inner = e.nested.flatMap((n) => expanded(n, node));
    const { name, dtype, ndim, operands } = e.result;
    allocations.push({ name, fill: 'empty', dtype, ndim, shape: `broadcast(${operands.join(', ')})`, broadcast: operands });
    addHidden(name, ndim, node);
    return [...inner, ...e.statements];
  };
  // `(a) => nb.sqrt(a)`, `(a) => [nb.sqrt(a), 1]`: a body of one returned ufunc call or array literal.
  if (fn.body.type !== 'BlockStatement' && (calls.isArrayValued(fn.body) || fn.body.type === 'ArrayExpression')) {
    const body = fn.body as acorn.Expression;
    (fn as { body: acorn.Node }).body = { type: 'BlockStatement', body: [{ type: 'ReturnStatement', argument: body, start: body.start, end: body.end }], start: body.start, end: body.end } as acorn.BlockStatement;
    (fn as { expression: boolean }).expression = false;
  }
  if (fn.body.type !== 'BlockStatement') {
    walk(fn.body, (n) => {
      if (allocCallee(n, params) !== null) throw kernelError('NB1042', source, at(n), [`${text(n)} as the function's value`, 'declare it (const out = nb.empty(...)) and return it']);
      if (n.type === 'CallExpression' && calls.isArrayValued(n)) throw kernelError('NB1042', source, at(n), [text(n), 'a ufunc call on arrays is the function\'s value only when it is the whole body, or returned: return nb.add(...)']);
    });
    return done(null);
  }
  // Parameters the function assigns: a shape may not read them (phase 1 sees the arguments).
  const assigned = new Set<string>();
  walk(fn.body, (n) => {
    const target = n.type === 'AssignmentExpression' ? (n as unknown as acorn.AssignmentExpression).left
      : n.type === 'UpdateExpression' ? (n as unknown as acorn.UpdateExpression).argument : null;
    if (target?.type === 'Identifier') assigned.add(target.name);
  });
  // One allocation `const name = <ns>.<fill>(shape, [value,] dtype)`: its parts, checked.
  const parse = (st: acorn.VariableDeclaration, d: acorn.VariableDeclarator, fill: string) => {
    const call = d.init as acorn.CallExpression;
    const name = (d.id as acorn.Identifier).name;
    const why = (node: acorn.Node, reason: string): never => { throw kernelError('NB1042', source, at(node), [`${text(call)}`, reason]); };
    if (st.kind !== 'const') why(st, `declare the array with const (${name} is the array for the whole call)`);
    const args = call.arguments;
    if (args.some((a) => a.type === 'SpreadElement')) why(call, 'spread arguments');
    const [shapeNode, second, third] = args as acorn.Expression[];
    if (shapeNode === undefined) why(call, 'give the shape');
    const valueNode = fill === 'full' ? second : undefined;
    const dtypeNode = fill === 'full' ? third : second;
    if (fill === 'full' && valueNode === undefined) why(call, 'give full a value');
    if (args.length > (fill === 'full' ? 3 : 2)) why(args[args.length - 1]!, 'too many arguments');
    let dtype: DType = 'float64';
    if (dtypeNode !== undefined) {
      const v = dtypeNode.type === 'Literal' ? (dtypeNode as acorn.Literal).value : null;
      if (typeof v !== 'string' || !(v in DTYPES)) why(dtypeNode, "the dtype must be a string literal naming a dtype ('float64', 'int32', ...)");
      dtype = v as DType;
    } else if (fill === 'full') why(call, "give full a dtype (nb.full(shape, value, 'float64')): the compiled function's types are fixed before the call");
    if (allocations.some((a) => a.name === name)) why(d.id, `'${name}' names another allocation too: give each allocation its own name`);
    // ndim: a shape literal's length, the ndim of an array for a.shape, else 1.
    let ndim = 1;
    if (shapeNode!.type === 'ArrayExpression') {
      const els = (shapeNode as acorn.ArrayExpression).elements;
      if (els.some((e) => e === null || e.type === 'SpreadElement')) why(shapeNode!, 'write the shape as [m, n, ...] without holes or spreads');
      ndim = els.length;
    } else if (shapeNode!.type === 'MemberExpression') {
      const m = shapeNode as acorn.MemberExpression;
      const of = m.object.type === 'Identifier' ? m.object.name : '';
      const k = names.indexOf(of);
      const kind = k >= 0 ? kinds[k] : undefined;
      const alloc = allocations.find((a) => a.name === of);
      if (!m.computed && m.property.type === 'Identifier' && m.property.name === 'shape') {
        if (kind !== undefined && (kind.kind === 'ndarray' || kind.kind === 'array')) ndim = kind.ndim;
        else if (alloc !== undefined) ndim = alloc.ndim;
      }
    }
    // Phase 1 makes it when its shape and value read only parameters the function never
    // assigns, literals, Math and a.shape; otherwise the function does, where it stands.
    let phase1 = true;
    for (const node of [shapeNode!, ...(valueNode ? [valueNode] : [])]) {
      walk(node, (n, parent) => {
        if (n.type !== 'Identifier') return;
        if (parent?.type === 'MemberExpression' && (parent as unknown as acorn.MemberExpression).property === (n as unknown as acorn.Node) && !(parent as unknown as acorn.MemberExpression).computed) return;
        const id = (n as unknown as acorn.Identifier).name;
        if (id !== 'Math' && (!params.has(id) || assigned.has(id))) phase1 = false;
      });
    }
    return { call, name, dtype, ndim, shapeNode: shapeNode!, valueNode, fill: fill as JitAllocation['fill'], phase1 };
  };
  const rewritten = new Set<acorn.Node>();
  const body = (fn.body as acorn.BlockStatement).body;
  for (let s = 0; s < body.length; s++) {
    const st = body[s]!;
    if (st.type !== 'VariableDeclaration' || st.declarations.length !== 1) continue;
    const d = st.declarations[0]!;
    if (d.id.type !== 'Identifier' || d.init == null) continue;
    const init = d.init as unknown as AnyNode;
    if (calls.isArrayValued(d.init) && d.init.type === 'CallExpression') {
      if (st.kind !== 'const') throw kernelError('NB1042', source, at(st), [text(st), `declare the ufunc's result with const (${d.id.name} is that array for the whole call)`]);
      const statements = expanded(calls.expand(d.init, d.id.name), d.id);
      body.splice(s, 1, ...statements);
      s += statements.length - 1;
      continue;
    }
    const fill = allocCallee(init, params);
    if (fill === null) continue;
    const a = parse(st, d, fill);
    if (!a.phase1) continue;
    allocations.push({ name: a.name, fill: a.fill, dtype: a.dtype, ndim: a.ndim, shape: text(a.shapeNode), ...(a.valueNode ? { value: text(a.valueNode) } : {}), at: at(a.call) });
    calls.addArray(a.name, { dtype: a.dtype, ndim: a.ndim, api: 'ndarray' });
    // The declaration goes; the name becomes a parameter (at the declarator, for messages).
    addHidden(a.name, a.ndim, d.id);
    body.splice(s, 1);
    s--;
    rewritten.add(a.call);
  }
  // The others, at any depth: made by the function itself (an `alloc` statement, lowered by
  // jitAllocDeclaration in jit-members.ts), into a hidden parameter bound in the declaring block.
  walk(fn.body, (n) => {
    if (n.type !== 'VariableDeclaration') return;
    const st = n as unknown as acorn.VariableDeclaration;
    const d = st.declarations[0]!;
    if (st.declarations.length !== 1 || d.id.type !== 'Identifier' || d.init == null) return;
    const fill = allocCallee(d.init as unknown as AnyNode, params);
    if (fill === null || rewritten.has(d.init)) return;
    const a = parse(st, d, fill);
    const index = allocations.length;
    allocations.push({ name: a.name, fill: a.fill, dtype: a.dtype, ndim: a.ndim, shape: text(a.shapeNode), ...(a.valueNode ? { value: text(a.valueNode) } : {}), dynamic: true, at: at(a.call) });
    (fn.params as acorn.Pattern[]).push({ type: 'Identifier', name: a.name, start: d.id.start, end: d.id.end } as acorn.Identifier);
    hidden.push({ kind: 'ndarray', ndim: a.ndim, dynamic: true });
    dynamic.set(a.call, { param: kinds.length + index, allocation: index, fill: a.fill, shape: a.shapeNode, value: a.valueNode ?? null });
    rewritten.add(a.call);
  });
  // `return nb.add(a, x)` anywhere: the loop, then `return <its result>`.
  walk(fn.body, (n) => {
    if (n.type !== 'ReturnStatement') return;
    const r = n as unknown as acorn.ReturnStatement;
    if (r.argument == null || r.argument.type !== 'CallExpression' || !calls.isArrayValued(r.argument)) return;
    const e = calls.expand(r.argument, null);
    const statements = expanded(e, r.argument);
    const ret = { type: 'ReturnStatement', argument: { type: 'Identifier', name: e.result.name, start: r.argument.start, end: r.argument.end }, start: r.start, end: r.end };
    Object.assign(n, { type: 'BlockStatement', body: [...statements, ret] });
    delete (n as Record<string, unknown>).argument;
  });
  // `return [s, r]`: positions of arrays, arguments and scalars (frontend/jit-tuple.ts).
  const returns: acorn.ReturnStatement[] = [];
  walk(fn.body, (n) => { if (n.type === 'ReturnStatement' && (n as unknown as acorn.ReturnStatement).argument != null) returns.push(n as unknown as acorn.ReturnStatement); });
  tuple = jitTuples({
    source, shift, guesses,
    allocationOf: (name) => { const k = allocations.findIndex((a) => a.name === name); return k >= 0 ? k : undefined; },
    paramOf: (name) => { const k = names.indexOf(name); return k >= 0 && args[k]!.kind !== 'scalar' ? k : undefined; },
    addScalar: (name, dtype, node) => {
      allocations.push({ name, fill: 'empty', dtype, ndim: 1, shape: '1' });
      calls.addArray(name, { dtype, ndim: 1, api: 'ndarray' });
      addHidden(name, 1, node);
      return allocations.length - 1;
    },
    expandUfunc: (node) => {
      if (node.type !== 'CallExpression' || !calls.isArrayValued(node)) return null;
      const e = calls.expand(node, null);
      return { name: e.result.name, statements: expanded(e, node) };
    },
  }, returns);
  // Any other allocation cannot be made before the call; nor can any other ufunc call on arrays.
  walk(fn.body, (n) => {
    // `const [p, q] = h(x)`: helpers return one scalar (jit-tuple.ts is about the function's own result).
    if (n.type === 'VariableDeclarator' && (n.id as acorn.Node).type === 'ArrayPattern' && (n.init as acorn.Node | null)?.type === 'CallExpression') {
      const callee = (n.init as unknown as acorn.CallExpression).callee;
      if (callee.type === 'Identifier' && helperNames.has(callee.name)) {
        throw kernelError('NB1042', source, at(n), [`${text(n)} (a helper's array literal)`, `a helper returns one scalar (or nothing): pass it an array to write (${callee.name}(out, ...), then out.get(0), out.get(1)), or call one helper per value`]);
      }
    }
    if (n.type === 'CallExpression' && calls.isArrayValued(n)) {
      throw kernelError('NB1042', source, at(n), [text(n), 'a ufunc call on arrays is allowed as a top-level const r = nb.add(...) of the function body or as return nb.add(...); name the result and read it with r.get(...)']);
    }
    if (allocCallee(n, params) === null || rewritten.has(n)) return;
    throw kernelError('NB1042', source, at(n), [text(n), 'jit functions allocate with const out = nb.empty(shape, dtype) (also zeros, ones, full): name the array, then pass or return it']);
  });
  // return out → return; (the allocation is the result).
  const byName = new Map(allocations.map((a, k) => [a.name, k]));
  let result: number | null = null;
  let valued: acorn.Node | null = null;
  walk(fn.body, (n) => {
    if (n.type !== 'ReturnStatement') return;
    const r = n as unknown as acorn.ReturnStatement;
    if (r.argument == null) return;
    const k = r.argument.type === 'Identifier' ? byName.get(r.argument.name) : undefined;
    if (k === undefined) { valued = r; return; }
    if (result !== null && result !== k) throw kernelError('NB5003', source, at(r), ['a jit function returns one array: it returns two different allocations']);
    result = k;
    r.argument = null;
  });
  if (result !== null && valued !== null) throw kernelError('NB5003', source, at(valued), ['a jit function that returns an array it allocates returns it on every path (not a value here)']);
  return done(result);
}
