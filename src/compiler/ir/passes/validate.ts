/**
 * Validation of the typed IR's invariants (ir/nodes.ts's header), run after inference and
 * folding. A failure is a compiler bug, not a user error, so it throws a plain Error that
 * names the node; tests run it on every kernel they compile.
 *
 * Steps: check every statement (types of lets, assignments, stores, returns, conditions)
 * and every expression (operands carry the node's type; compare operands its `operand`
 * type; shifts only on int32/uint32/int64/uint64; indices are integers; constants hold
 * their type's JS representation).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { arrayInfo, type Expr, type IRFunction, type IRProgram, type Stmt } from '../nodes.js';
import { is64, isBool, isFloatType, isIntType } from '../types.js';

type T = Expr<DType>;

function bad(fn: IRFunction<DType>, what: string, at: number): never {
  throw new Error(`internal compiler error: invalid typed IR in ${fn.name} at offset ${at}: ${what}`);
}

function checkExpr(fn: IRFunction<DType>, e: T): void {
  const want = (x: T, t: DType, what: string) => {
    if (x.type !== t) bad(fn, `${what}: ${x.type}, expected ${t}`, x.at);
    checkExpr(fn, x);
  };
  switch (e.kind) {
    case 'const': {
      const ok = isBool(e.type) ? typeof e.value === 'boolean' : is64(e.type) ? typeof e.value === 'bigint' : typeof e.value === 'number';
      if (!ok) bad(fn, `constant ${String(e.value)} is not a ${e.type} value`, e.at);
      break;
    }
    case 'param': {
      const p = fn.params[e.index];
      if (!p || p.scalar !== e.type) bad(fn, `parameter ${e.index} read as ${e.type}`, e.at);
      break;
    }
    case 'local':
      if (fn.locals[e.id]?.type !== e.type) bad(fn, `local ${e.id} read as ${e.type}`, e.at);
      break;
    case 'unary':
      if (e.op === 'not') want(e.arg, 'bool', 'operand of !');
      else if (e.op === 'truthy') checkExpr(fn, e.arg);
      else if (e.op === 'toint32') {
        if (e.type !== 'int32' || !isFloatType(e.arg.type)) bad(fn, `toint32 from ${e.arg.type} to ${e.type}`, e.at);
        checkExpr(fn, e.arg);
      }
      else want(e.arg, e.type, `operand of ${e.op}`);
      break;
    case 'binary':
      want(e.left, e.type, `left of ${e.op}`);
      want(e.right, e.type, `right of ${e.op}`);
      if ((e.op === 'shl' || e.op === 'shr') && !['int32', 'int64', 'uint64'].includes(e.type)) bad(fn, `${e.op} on ${e.type}`, e.at);
      if (e.op === 'ushr' && e.type !== 'uint32' && e.type !== 'uint64') bad(fn, `ushr on ${e.type}`, e.at);
      if (e.op === 'div' && !isFloatType(e.type)) bad(fn, `div on ${e.type}`, e.at);
      if ((e.op === 'floordiv' || e.op === 'truncdiv') && !isIntType(e.type)) bad(fn, `${e.op} on ${e.type}`, e.at);
      break;
    case 'compare':
      want(e.left, e.operand, 'left of compare');
      want(e.right, e.operand, 'right of compare');
      if (e.type !== 'bool') bad(fn, 'compare not bool', e.at);
      break;
    case 'logical':
      want(e.left, 'bool', 'left of logical');
      want(e.right, 'bool', 'right of logical');
      break;
    case 'select':
      want(e.cond, 'bool', 'condition of ?:');
      want(e.then, e.type, 'then of ?:');
      want(e.else, e.type, 'else of ?:');
      break;
    case 'cast': checkExpr(fn, e.arg); break;
    case 'call': case 'helper': e.args.forEach((a) => checkExpr(fn, a)); break;
    case 'load':
      e.indices.forEach((i) => { if (!isIntType(i.type)) bad(fn, `index of type ${i.type}`, i.at); checkExpr(fn, i); });
      if (arrayInfo(fn, e.array).dtype !== e.type) bad(fn, `load of ${e.type}`, e.at);
      if (e.array.kind === 'table' && e.indices.length !== 1) bad(fn, 'a table indexed with more than one index', e.at);
      break;
    case 'length': if (e.type !== 'int32') bad(fn, 'length not int32', e.at); break;
  }
}

function checkStmts(fn: IRFunction<DType>, stmts: readonly Stmt<DType>[]): void {
  const want = (x: T, t: DType, what: string) => {
    if (x.type !== t) bad(fn, `${what}: ${x.type}, expected ${t}`, x.at);
    checkExpr(fn, x);
  };
  for (const s of stmts) {
    switch (s.kind) {
      case 'let': want(s.init, fn.locals[s.local]!.type, 'let'); break;
      case 'assign':
        want(s.value, s.place.kind === 'local' ? fn.locals[s.place.id]!.type : fn.params[s.place.index]!.scalar!, 'assignment');
        break;
      case 'store':
        if (s.array.kind === 'table') bad(fn, `store into table '${arrayInfo(fn, s.array).name}' (tables are read-only)`, s.at);
        s.indices.forEach((i) => { if (!isIntType(i.type)) bad(fn, `index of type ${i.type}`, i.at); checkExpr(fn, i); });
        want(s.value, arrayInfo(fn, s.array).dtype, 'store');
        break;
      case 'scratch':
        if (!fn.scratch?.[s.id]) bad(fn, `scratch array ${s.id} not declared`, s.at);
        if (!isIntType(s.length.type)) bad(fn, `scratch length of type ${s.length.type}`, s.at);
        checkExpr(fn, s.length);
        break;
      case 'alloc': {
        const a = arrayInfo(fn, s.array);
        s.shape.forEach((e) => want(e, 'float64', 'allocation size'));
        if (s.shape.length !== a.ndim) bad(fn, `allocation of '${a.name}' with ${s.shape.length} sizes for ${a.ndim} dims`, s.at);
        if ((s.value !== null) !== (s.fill === 'full')) bad(fn, `allocation of '${a.name}': a value only for full`, s.at);
        if (s.value) want(s.value, a.dtype, 'allocation value');
        break;
      }
      case 'if': want(s.cond, 'bool', 'if condition'); checkStmts(fn, s.then); checkStmts(fn, s.else); break;
      case 'while': want(s.cond, 'bool', 'while condition'); checkStmts(fn, s.body); break;
      case 'for':
        checkStmts(fn, s.init);
        if (s.cond) want(s.cond, 'bool', 'for condition');
        checkStmts(fn, s.update);
        checkStmts(fn, s.body);
        break;
      case 'return':
        if (fn.returns === 'void') { if (s.value) bad(fn, 'value returned from void', s.at); }
        else if (!s.value) bad(fn, 'missing return value', s.at);
        else want(s.value, fn.returns, 'return');
        break;
      default: break;
    }
  }
}

/**
 * Check a typed program; throws an internal Error on the first violation.
 *
 * @example
 * ```ts
 * validateProgram(program); // nothing when the IR is well-formed
 * ```
 */
export function validateProgram(p: IRProgram): void {
  for (const fn of [p.main, ...p.helpers]) checkStmts(fn, fn.body);
}
