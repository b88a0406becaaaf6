/**
 * Helpers of jit functions that return nothing (`fill(out, i, v)` called as a statement,
 * writing an array it was given). The IR has no call statement, so such a helper is lowered
 * as one that returns 0 on every path (`return;` → `return 0;`, and one at the end), and its
 * calls are kept as the statement `let __nb_call = h(...)` lowering already makes of a helper
 * call given arrays (frontend/lower.ts); any use of its value (JavaScript would see
 * `undefined`) is NB1042 at the call.
 */
import type { Expr, IRFunction, Stmt } from '../ir/nodes.js';
import { forEachExpr, forEachStmt, helperKey, mapStmt } from '../ir/nodes.js';
import { kernelError } from './diagnostics.js';

type S = Stmt<null>;

/** The helpers lowered as void (by object: the same helper text lowers once per array-argument tuple). */
const VOID = new WeakSet<IRFunction<null>>();

/**
 * `fn` rewritten to return 0 where it returns nothing, or `fn` itself when some `return`
 * has a value (the ordinary helper rules apply then).
 *
 * @example
 * ```ts
 * const lowered = voidHelper(lowerFunction(parsed, { emitName, helpers, jit })); // before checkReturns
 * ```
 */
export function voidHelper(fn: IRFunction<null>): IRFunction<null> {
  let valued = false;
  forEachStmt(fn.body, (s) => { if (s.kind === 'return' && s.value !== null) valued = true; });
  if (valued) return fn;
  const zero = (at: number): Expr<null> => ({ kind: 'const', value: 0, at, type: null });
  const block = (b: readonly S[]): S[] => b.map((s) => (s.kind === 'return' ? { ...s, value: zero(s.at) } : mapStmt(s, (e) => e, block)));
  const end = Math.max(0, fn.source.text.lastIndexOf('}'));
  const out: IRFunction<null> = { ...fn, body: [...block(fn.body), { kind: 'return', value: zero(end), at: end }] };
  VOID.add(out);
  return out;
}

/**
 * @throws KernelError NB1042 where `fns` use the value of a void helper (anything but the
 *   call statement `h(...)`).
 * @example
 * ```ts
 * checkVoidCalls([main, ...helpers.values()], helpers);
 * ```
 */
export function checkVoidCalls(fns: readonly IRFunction<null>[], helpers: ReadonlyMap<string, IRFunction<null>>): void {
  for (const fn of fns) {
    const statements = new Set<Expr<null>>();
    forEachStmt(fn.body, (s) => {
      if (s.kind === 'let' && s.init.kind === 'helper' && fn.locals[s.local]?.name === '__nb_call') statements.add(s.init);
    });
    forEachExpr(fn.body, (e) => {
      if (e.kind !== 'helper' || statements.has(e)) return;
      const h = helpers.get(helperKey(e.name, e.arrays));
      if (h === undefined || !VOID.has(h)) return;
      throw kernelError('NB1042', fn.source, e.at, [`the value of ${e.name}(...)`, `'${e.name}' returns nothing (JavaScript would read undefined): call it as a statement, ${e.name}(...);`]);
    });
  }
}
