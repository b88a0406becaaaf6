/**
 * Constant folding on the typed IR.
 *
 * Steps, bottom-up over every expression:
 *   1. an operation (unary, binary, compare, cast, intrinsic call) whose operands are all
 *      constants is evaluated by running its JS reference spelling (emit/js/spell.ts) —
 *      the very code the JS emitter prints — so a folded value always equals the oracle's;
 *   2. `c ? a : b` with a constant condition becomes the chosen branch; `true && x` → x,
 *      `false && x` → false (and the `||` duals);
 *   3. `if` with a constant condition keeps only the taken branch.
 * Loads, lengths, parameters, locals and helper calls are never folded.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { JS_RUNTIME } from '../../emit/js/runtime.js';
import { spellBinary, spellCall, spellCast, spellCompare, spellConst, spellUnary } from '../../emit/js/spell.js';
import type { ConstValue, Expr, IRFunction, Stmt } from '../nodes.js';

type T = Expr<DType>;

const evaluators = new Map<string, () => unknown>();

function evaluate(code: string): unknown {
  let f = evaluators.get(code);
  if (!f) {
    f = new Function('rt', `"use strict"; return () => ${code};`)(JS_RUNTIME) as () => unknown;
    evaluators.set(code, f);
  }
  return f();
}

const isConst = (e: T): e is Extract<T, { kind: 'const' }> => e.kind === 'const';
const lit = (e: T) => spellConst((e as Extract<T, { kind: 'const' }>).value, e.type);
const make = (value: unknown, type: DType, at: number): T => ({ kind: 'const', value: value as ConstValue, type, at });

function foldExpr(e: T): T {
  switch (e.kind) {
    case 'unary': {
      const arg = foldExpr(e.arg);
      if (isConst(arg)) return make(evaluate(spellUnary(e.op, e.type, arg.type, lit(arg))), e.type, e.at);
      return { ...e, arg };
    }
    case 'cast': {
      const arg = foldExpr(e.arg);
      if (isConst(arg)) return make(evaluate(spellCast(arg.type, e.type, lit(arg))), e.type, e.at);
      return { ...e, arg };
    }
    case 'binary': {
      const left = foldExpr(e.left);
      const right = foldExpr(e.right);
      if (isConst(left) && isConst(right)) return make(evaluate(spellBinary(e.op, e.type, lit(left), lit(right))), e.type, e.at);
      return { ...e, left, right };
    }
    case 'compare': {
      const left = foldExpr(e.left);
      const right = foldExpr(e.right);
      if (isConst(left) && isConst(right)) return make(evaluate(spellCompare(e.op, lit(left), lit(right))), 'bool', e.at);
      return { ...e, left, right };
    }
    case 'logical': {
      const left = foldExpr(e.left);
      const right = foldExpr(e.right);
      if (isConst(left)) {
        const stop = e.op === 'and' ? !left.value : Boolean(left.value);
        return stop ? left : right;
      }
      return { ...e, left, right };
    }
    case 'select': {
      const cond = foldExpr(e.cond);
      if (isConst(cond)) return foldExpr(cond.value ? e.then : e.else);
      return { ...e, cond, then: foldExpr(e.then), else: foldExpr(e.else) };
    }
    case 'call': {
      const args = e.args.map(foldExpr);
      if (args.every(isConst)) return make(evaluate(spellCall(e.fn, args[0]!.type, e.type, args.map(lit))), e.type, e.at);
      return { ...e, args };
    }
    case 'helper': return { ...e, args: e.args.map(foldExpr) };
    case 'load': return { ...e, indices: e.indices.map(foldExpr) };
    default: return e;
  }
}

function foldStmts(stmts: readonly Stmt<DType>[]): Stmt<DType>[] {
  const out: Stmt<DType>[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case 'let': out.push({ ...s, init: foldExpr(s.init) }); break;
      case 'assign': out.push({ ...s, value: foldExpr(s.value) }); break;
      case 'store': out.push({ ...s, indices: s.indices.map(foldExpr), value: foldExpr(s.value) }); break;
      case 'return': out.push({ ...s, value: s.value ? foldExpr(s.value) : null }); break;
      case 'scratch': out.push({ ...s, length: foldExpr(s.length) }); break;
      case 'alloc': out.push({ ...s, shape: s.shape.map(foldExpr), value: s.value && foldExpr(s.value) }); break;
      case 'if': {
        const cond = foldExpr(s.cond);
        if (cond.kind === 'const') out.push(...foldStmts(cond.value ? s.then : s.else));
        else out.push({ ...s, cond, then: foldStmts(s.then), else: foldStmts(s.else) });
        break;
      }
      case 'while': out.push({ ...s, cond: foldExpr(s.cond), body: foldStmts(s.body) }); break;
      case 'for':
        out.push({ ...s, init: foldStmts(s.init), cond: s.cond ? foldExpr(s.cond) : null, update: foldStmts(s.update), body: foldStmts(s.body) });
        break;
      default: out.push(s);
    }
  }
  return out;
}

/**
 * Fold the constants of a typed function.
 *
 * @example
 * ```ts
 * foldConstants(fn).body; // `cast<float64>(2:int32)` is now `2:float64`
 * ```
 */
export function foldConstants(fn: IRFunction<DType>): IRFunction<DType> {
  return { ...fn, body: foldStmts(fn.body) };
}
