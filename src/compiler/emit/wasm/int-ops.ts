/**
 * Integer division and power for the general scalar path (function.ts): `%`, truncating and
 * floor division with the prelude's meaning (prelude.ts __imod, __truncdiv, __floordiv),
 * written without a trap, and `ipow_<t>`, the module's function for `**` on an integer dtype
 * (__ipow).
 */
import type { DType } from '../../../dtype/dtypes.js';
import type { Expr } from '../../ir/nodes.js';
import { is64, isSigned } from '../../ir/types.js';
import type { Code, ValType } from './encode.js';
import type { BodyWriter } from './body-writer.js';
import { intOps, OP, pushConst, signedOp, valType, wrap } from './values.js';

/**
 * Integer `%`, truncating and floor division (prelude.ts __imod, __truncdiv, __floordiv):
 * by 0 the result is 0, signed by -1 it is `0 - a` (wrapped: MIN stays MIN), else the
 * Wasm division (floor: one less when the remainder is nonzero and the signs differ).
 * The divisor is guarded (1 in those cases) so that nothing traps, and `select` picks.
 */
export function division(w: BodyWriter, op: 'mod' | 'truncdiv' | 'floordiv', left: Expr<DType>, right: Expr<DType>, t: DType): void {
  const c = w.c;
  const ops = intOps(t);
  const signed = isSigned(t);
  w.expr(left);
  const a = w.stash(t);
  // A constant divisor other than 0 (and, signed, -1) needs no guard: the Wasm division
  // gives the result, and the engine strength-reduces division by a constant.
  const k = right.kind === 'const' ? BigInt(right.value as number | bigint) : null;
  if (k !== null && k !== 0n && !(signed && k === -1n)) {
    const div = () => { c.get(a); w.expr(right); };
    if (op === 'mod') { div(); c.op(signedOp(ops.rem, t)); return; }
    div(); c.op(signedOp(ops.div, t));
    if (op === 'floordiv' && signed) {
      div(); c.op(ops.rem[0]); pushConst(c, t, 0); c.op(ops.ne);
      c.get(a); pushConst(c, t, 0); c.op(k < 0n ? ops.gt[0] : ops.lt[0]); // (a ^ k) < 0: a's sign is not k's
      c.op(0x71);
      if (is64(t)) c.op(OP.i64ExtendI32U);
      c.op(ops.sub);
    }
    return;
  }
  w.expr(right);
  const b = w.stash(t);
  const isZero = () => c.get(b).op(ops.eqz);
  // The guarded divisor: 1 where b is 0 (and, signed, -1: b + 1 <=u 1), else b.
  const safe = () => {
    pushConst(c, t, 1); c.get(b);
    if (signed && op !== 'mod') { c.get(b); pushConst(c, t, 1); c.op(ops.add); pushConst(c, t, 1); c.op(ops.le[1]); } else isZero();
    c.op(OP.select);
  };
  if (op === 'mod') { c.get(a); safe(); c.op(signedOp(ops.rem, t)); return; } // a % 1 = 0; MIN % -1 = 0 (rem never traps on it)
  pushConst(c, t, 0); // the result by 0
  if (signed) { pushConst(c, t, 0); c.get(a); c.op(ops.sub); } // the result by -1
  c.get(a); safe(); c.op(signedOp(ops.div, t));
  if (op === 'floordiv' && signed) {
    // q - (a % b != 0 && (a ^ b) < 0)
    c.get(a); safe(); c.op(ops.rem[0]);
    pushConst(c, t, 0); c.op(ops.ne);
    c.get(a).get(b).op(ops.xor); pushConst(c, t, 0); c.op(ops.lt[0]);
    c.op(0x71);
    if (is64(t)) c.op(OP.i64ExtendI32U);
    c.op(ops.sub);
  }
  if (signed) { c.get(b); pushConst(c, t, -1); c.op(ops.eq).op(OP.select); }
  isZero(); c.op(OP.select);
  wrap(c, t);
}

/**
 * `ipow_<t>(a, b)`: the integer power of dtype `t` (prelude.ts __ipow): by squaring,
 * wrapping after each product; signed with b < 0, trunc(1 / a^-b): 1 for a = 1, ±1 for
 * a = -1 (by b's parity), else 0.
 */
export function ipowFunction(t: DType, c: Code): { params: ValType[]; results: ValType[]; locals: ValType[] } {
  const vt = valType(t);
  const ops = intOps(t);
  const [a, b, r, base, e] = [0, 1, 2, 3, 4];
  const odd = (v: number) => { c.get(v); pushConst(c, t, 1); c.op(ops.and); if (is64(t)) c.op(OP.i32WrapI64); };
  if (isSigned(t)) {
    c.get(b); pushConst(c, t, 0); c.op(ops.lt[0]).if();
    pushConst(c, t, 1);
    pushConst(c, t, -1); pushConst(c, t, 1); odd(b); c.op(OP.select);
    pushConst(c, t, 0); c.get(a); pushConst(c, t, -1); c.op(ops.eq).op(OP.select);
    c.get(a); pushConst(c, t, 1); c.op(ops.eq).op(OP.select);
    c.return().end();
  }
  pushConst(c, t, 1); c.set(r);
  c.get(a).set(base).get(b).set(e);
  c.block().loop().get(e).op(ops.eqz).brIf(1);
  odd(e); c.if().get(r).get(base).op(ops.mul); wrap(c, t); c.set(r).end();
  c.get(base).get(base).op(ops.mul); wrap(c, t); c.set(base);
  c.get(e); pushConst(c, t, 1); c.op(signedOp(ops.shr, t)).set(e);
  c.br(0).end().end();
  c.get(r).end();
  return { params: [vt, vt], results: [vt], locals: [vt, vt, vt] };
}
