/**
 * Intrinsic calls of the general scalar path (function.ts): the float ones with one
 * instruction (lanes.ts), a few exact instruction sequences, the integer forms inline, and
 * every other float function a call of the math library's import (math-imports.ts).
 */
import type { DType } from '../../../dtype/dtypes.js';
import type { Expr } from '../../ir/nodes.js';
import { is64, isFloatType, isUnsigned } from '../../ir/types.js';
import type { BodyWriter } from './body-writer.js';
import { LANES } from './lanes.js';
import { mathImport, type MathImport } from './math-imports.js';
import { intOps, OP, pushConst, signedOp, wrap } from './values.js';

/**
 * Float intrinsics the library has (math-imports.ts) but that are a few exact instructions,
 * written inline (floatInline below) with AS's meaning: `round` (prelude.ts
 * __round_*: floor, +1 from a half up, the sign of zero kept), `sign` (AS's Math.sign:
 * `x > 0 ? 1 : x < 0 ? -1 : x`, NaN and ±0 themselves) and `copysign` (`fNN.copysign`).
 * So kernels using them need no library.
 */
export const FLOAT_INLINE: ReadonlySet<string> = new Set(['round', 'sign', 'copysign']);

/** The library function a call or a float `%` / `**` goes through, or null when it is written inline. */
export function libraryCall(e: Expr<DType>): MathImport | null {
  if (e.kind === 'call') return isFloatType(e.type) && !FLOAT_INLINE.has(e.fn) ? mathImport(e.fn, e.type) : null;
  if (e.kind === 'binary' && isFloatType(e.type) && (e.op === 'mod' || e.op === 'pow')) return mathImport(e.op, e.type);
  return null;
}

/** Push the value of intrinsic call `e`. */
export function callIntrinsic(w: BodyWriter, e: Extract<Expr<DType>, { kind: 'call' }>): void {
  const c = w.c;
  const t = e.type;
  const args = e.args;
  const lib = libraryCall(e);
  if (lib !== null) { args.forEach((a) => w.expr(a)); c.call(w.callees.math(lib)); return; }
  if ((e.fn === 'isNaN' || e.fn === 'isFinite') && isFloatType(args[0]!.type)) {
    // isFinite(x): abs(x) < Infinity; isNaN(x): !(abs(x) <= Infinity) (NaN compares false).
    const a = args[0]!.type;
    const l = LANES[a]!;
    w.expr(args[0]!); c.op(l.ops['abs']!.scalar); pushConst(c, a, Infinity);
    if (e.fn === 'isFinite') c.op(l.compare['lt']!.scalar); else c.op(l.compare['le']!.scalar).op(0x45);
    return;
  }
  if (isFloatType(t) && FLOAT_INLINE.has(e.fn)) return floatInline(w, e.fn, args, t);
  if (isFloatType(t)) {
    const l = LANES[t]!;
    if (e.fn === 'clamp') { w.expr(args[0]!); w.expr(args[1]!); c.op(l.ops['max']!.scalar); w.expr(args[2]!); c.op(l.ops['min']!.scalar); return; }
    const op = l.ops[e.fn];
    if (op === undefined) throw new Error(`direct Wasm: ${e.fn} on ${t}`);
    // min/max of several arguments fold left, as the AS and JS emitters do.
    w.expr(args[0]!);
    if (args.length === 1 && (e.fn === 'min' || e.fn === 'max')) return;
    if (args.length === 1) { c.op(op.scalar); return; }
    for (const a of args.slice(1)) { w.expr(a); c.op(op.scalar); }
    return;
  }
  const ops = intOps(t);
  switch (e.fn) {
    case 'abs': {
      w.expr(args[0]!);
      if (isUnsigned(t)) return;
      // x < 0 ? 0 - x : x, wrapped (abs(int8 -128) is -128, abs(INT32_MIN) INT32_MIN).
      const x = w.stash(t);
      pushConst(c, t, 0); c.get(x).op(ops.sub); c.get(x); c.get(x); pushConst(c, t, 0); c.op(ops.lt[0]).op(OP.select);
      return wrap(c, t);
    }
    case 'sign': {
      // (x > 0) - (x < 0) (0 - 0 for unsigned x < 0), as an i32, then in t.
      w.expr(args[0]!);
      const x = w.stash(t);
      c.get(x); pushConst(c, t, 0); c.op(signedOp(ops.gt, t));
      c.get(x); pushConst(c, t, 0); c.op(signedOp(ops.lt, t));
      c.op(0x6b); // i32.sub
      if (is64(t)) c.op(OP.i64ExtendI32S);
      return wrap(c, t);
    }
    case 'min': case 'max': return minmax(w, e.fn, args.map((a) => () => w.expr(a)), t);
    case 'clamp': {
      const [x, lo, hi] = args.map((a) => () => w.expr(a));
      return minmax(w, 'min', [() => minmax(w, 'max', [x!, lo!], t), hi!], t);
    }
    case 'imul': w.expr(args[0]!); w.expr(args[1]!); c.op(0x6c); return; // i32.mul
    case 'clz32': w.expr(args[0]!); c.op(0x67); return; // i32.clz
    default: throw new Error(`direct Wasm: ${e.fn} on ${t}`);
  }
}

/** `round`, `sign` or `copysign` of float type `t` ({@link FLOAT_INLINE}). */
function floatInline(w: BodyWriter, fn: string, args: readonly Expr<DType>[], t: DType): void {
  const c = w.c;
  const l = LANES[t]!.ops;
  const cmp = LANES[t]!.compare;
  const copysign = t === 'float64' ? 0xa6 : 0x98;
  w.expr(args[0]!);
  if (fn === 'copysign') { w.expr(args[1]!); c.op(copysign); return; }
  const x = w.stash(t);
  if (fn === 'sign') {
    // select(1, select(-1, x, x < 0), x > 0)
    pushConst(c, t, 1); pushConst(c, t, -1); c.get(x); c.get(x); pushConst(c, t, 0); c.op(cmp['lt']!.scalar).op(OP.select);
    c.get(x); pushConst(c, t, 0); c.op(cmp['gt']!.scalar).op(OP.select);
    return;
  }
  // r = floor(x); if (x - r >= 0.5) r += 1; r == 0 ? copysign(0, x) : r
  c.get(x).op(l['floor']!.scalar);
  const r = w.stash(t);
  c.get(r); pushConst(c, t, 1); c.op(l['add']!.scalar); c.get(r);
  c.get(x).get(r).op(l['sub']!.scalar); pushConst(c, t, 0.5); c.op(cmp['ge']!.scalar).op(OP.select);
  const q = w.stash(t);
  pushConst(c, t, 0); c.get(x).op(copysign); c.get(q); c.get(q); pushConst(c, t, 0); c.op(cmp['eq']!.scalar).op(OP.select);
}

/** min/max of integers (each operand pushed by a function) folded left: `a < b ? a : b` (max: `a > b`), as AS's min<T>/max<T>. */
function minmax(w: BodyWriter, fn: 'min' | 'max', args: readonly (() => void)[], t: DType): void {
  const c = w.c;
  const ops = intOps(t);
  args[0]!();
  let acc = w.stash(t);
  for (const a of args.slice(1)) {
    a();
    const b = w.stash(t);
    c.get(acc).get(b).get(acc).get(b).op(signedOp(fn === 'min' ? ops.lt : ops.gt, t)).op(OP.select);
    acc = w.stash(t);
  }
  c.get(acc);
}