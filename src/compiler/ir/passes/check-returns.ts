/**
 * Control-flow check: every path of a scalar kernel (or helper) ends in `return value`.
 *
 * Steps (on the untyped IR, structured, so no CFG is needed):
 *   1. a statement list returns when one of its statements does;
 *   2. `return` returns; `if` returns when both branches do;
 *   3. `while (true)` / `for (;;)` (a constant-true or missing condition) with no `break`
 *      of its own never falls through, so it counts as returning; so does a `do`/`while`
 *      whose body returns with no `break` or `continue` of its own;
 *   4. anything else may fall through: NB3001, pointed at the function's closing brace.
 * JavaScript would return `undefined` there (NaN in a numeric output); kernels reject it.
 */
import { kernelError } from '../../frontend/diagnostics.js';
import type { Expr, IRFunction, Stmt } from '../nodes.js';

type S = Stmt<null>;

const alwaysTrue = (c: Expr<null> | null): boolean =>
  c === null || (c.kind === 'const' && (c.value === true || (typeof c.value !== 'boolean' && Number(c.value) !== 0 && !Number.isNaN(Number(c.value)))));

/** True when the loop body has a `break` (or `continue`) that jumps in this loop (not a nested one). */
function breaks(body: readonly S[], kind: 'break' | 'continue' = 'break'): boolean {
  return body.some((s) => s.kind === kind || (s.kind === 'if' && (breaks(s.then, kind) || breaks(s.else, kind))));
}

function returns(stmts: readonly S[]): boolean {
  return stmts.some((s) => {
    switch (s.kind) {
      case 'return': return true;
      case 'if': return returns(s.then) && returns(s.else);
      // do/while: also when its body, run at least once, returns without a break or a
      // continue (which goes to the condition) before.
      case 'while': return (alwaysTrue(s.cond) && !breaks(s.body)) || (s.doWhile === true && returns(s.body) && !breaks(s.body) && !breaks(s.body, 'continue'));
      case 'for': return alwaysTrue(s.cond) && !breaks(s.body);
      default: return false;
    }
  });
}

/**
 * @throws KernelError NB3001 when some path of `fn` falls off its end.
 * @example
 * ```ts
 * checkReturns(lowered); // throws for (x) => { if (x > 0) return 1; }
 * ```
 */
export function checkReturns(fn: IRFunction<null>): void {
  if (returns(fn.body)) return;
  const end = fn.source.text.lastIndexOf('}');
  throw kernelError('NB3001', fn.source, end >= 0 ? end : 0);
}
