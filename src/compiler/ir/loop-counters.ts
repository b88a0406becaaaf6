/**
 * Counting loops whose counter can be int32: `for (let i = a; i < b; i++)` (or `i > b; i--`,
 * and `<=` / `>=` against a literal bound) whose counter no other statement assigns.
 *
 * Steps: count the assignments to every local; for each `for` with one `let` in its init,
 * one `i = i ± 1` update and a comparison of `i` with a bound in its condition, record the
 * counter with its initializer and bound. infer.ts then gives the counter int32 when the
 * initializer and the bound are int32-sized: the counter stays within [init, bound] (± 1),
 * so it cannot overflow, and int32 indexing is what the targets do best.
 */
import type { Expr, Stmt } from './nodes.js';

type U = Expr<null>;

/** A `for (let i = init; i < bound; i++)` counter candidate. */
export interface Counter {
  readonly init: U;
  readonly bound: U;
  /** The bound must be a literal (<= / >= loops). */
  readonly literalBound: boolean;
}

/** Find `for (let i = a; i < b; i++)`-shaped loops whose counter is assigned nowhere else. */
export function findCounters(body: readonly Stmt<null>[], out: Map<number, Counter>): void {
  const assigned = new Map<number, number>();
  const visit = (stmts: readonly Stmt<null>[]) => {
    for (const s of stmts) {
      if (s.kind === 'assign' && s.place.kind === 'local') assigned.set(s.place.id, (assigned.get(s.place.id) ?? 0) + 1);
      if (s.kind === 'if') { visit(s.then); visit(s.else); }
      if (s.kind === 'while') visit(s.body);
      if (s.kind === 'for') { visit(s.init); visit(s.update); visit(s.body); }
    }
  };
  visit(body);
  const scan = (stmts: readonly Stmt<null>[]) => {
    for (const s of stmts) {
      if (s.kind === 'if') { scan(s.then); scan(s.else); }
      if (s.kind === 'while') scan(s.body);
      if (s.kind !== 'for') continue;
      scan(s.body);
      const [init] = s.init;
      const [update] = s.update;
      if (s.init.length !== 1 || s.update.length !== 1 || init!.kind !== 'let' || update!.kind !== 'assign' || !s.cond) continue;
      const id = init!.local;
      if (update!.place.kind !== 'local' || update!.place.id !== id || assigned.get(id) !== 1) continue;
      const u = update!.value;
      if (u.kind !== 'binary' || (u.op !== 'add' && u.op !== 'sub') || u.left.kind !== 'local' || u.left.id !== id) continue;
      if (u.right.kind !== 'const' || u.right.value !== 1) continue;
      const c = s.cond;
      if (c.kind !== 'compare') continue;
      const flip = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', eq: 'eq', ne: 'ne' } as const;
      let op = c.op;
      let bound: U;
      if (c.left.kind === 'local' && c.left.id === id) bound = c.right;
      else if (c.right.kind === 'local' && c.right.id === id) { bound = c.left; op = flip[op]; }
      else continue;
      const up = u.op === 'add';
      if ((up && op === 'lt') || (!up && op === 'gt')) out.set(id, { init: init!.init, bound, literalBound: false });
      else if ((up && op === 'le') || (!up && op === 'ge')) out.set(id, { init: init!.init, bound, literalBound: true });
    }
  };
  scan(body);
}
