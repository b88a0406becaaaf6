/**
 * The general scalar path of the direct emitter: a scalar kernel's body (statements and
 * expressions of any dtype) as Wasm instructions, with the meaning the AS emitter gives the
 * same IR (../assemblyscript/emit-function.ts `expr`/`asCast`, prelude.ts), so that the
 * module stores the bits asc's module of the same kernel stores.
 *
 * Values are in the canonical form of values.ts (small integers always wrapped). The body
 * is written inline where the row loop calls it (scalar-row.ts): a `block` leaving the
 * result, `return` a `br` to it with the value. Statements map one to one onto structured
 * Wasm: `if` onto `if`/`else`; `while`, `for` and `do`/`while` onto
 * `block $break { [test] loop $top { block $continue { body } [update] [test] br_if $top } }`;
 * `break`/`continue` onto `br` to their labels. A function that may fall off its end traps
 * (`unreachable`), as the AS emitter's does.
 *
 * Eager evaluation: no expression here traps or has an effect. Integer division and
 * remainder divide by a guarded divisor (1 where the result is defined without dividing:
 * by 0, and signed by -1, whose MIN / -1 would trap) and pick the defined result with
 * `select`; float → integer casts use the saturating truncation and `select` x86's value
 * where it is out of range; the math library's functions are pure (math-imports.ts) and
 * the integer power a loop that ends. So `?:`, `&&` and `||` may evaluate both operands:
 * they do (`select`, `i32.and/or`: no branch) when the operands are cheap ({@link cheap});
 * otherwise a real `if` saves the cost of the arm not taken.
 */
import type { DType } from '../../../dtype/dtypes.js';
import type { Expr, IRFunction, Stmt } from '../../ir/nodes.js';
import { forEachChild } from '../../ir/nodes.js';
import { bitsOf, is64, isBool, isFloatType, isSigned, isUnsigned } from '../../ir/types.js';
import type { Code, ValType } from './encode.js';
import { LANES } from './lanes.js';
import { mathImport, type MathImport } from './math-imports.js';
import { intOps, isSmall, pushConst, signedOp, valType, wrap } from './values.js';

/** The functions a body calls: the library's imports and the module's own helpers, by function index. */
export interface Callees {
  /** The function index of library import `m` (math-imports.ts). */
  readonly math: (m: MathImport) => number;
  /** The function index of the integer power of dtype `t` ({@link ipowFunction}). */
  readonly ipow: (t: DType) => number;
}

/** Where a body's values live: locals handed out by the caller. */
export interface Frame {
  readonly code: Code;
  /** The local of parameter `index` (its element, loaded by the caller). */
  readonly param: (index: number) => number;
  /** The local of IR local `id`. */
  readonly local: (id: number) => number;
  /** A new scratch local of type `t`. */
  readonly temp: (t: ValType) => number;
  readonly callees: Callees;
}

const F64_CONST_OPS = { sub: 0xa1, mul: 0xa2, trunc: 0x9d, ge: 0x66, gt: 0x64, lt: 0x63 } as const;
const SELECT = 0x1b;
const I32_WRAP_I64 = 0xa7;
const I64_EXTEND_I32_S = 0xac;
const I64_EXTEND_I32_U = 0xad;
const F64_PROMOTE_F32 = 0xbb;
const F32_DEMOTE_F64 = 0xb6;
/** `fNN.convert_iMM_{s,u}`, by target (f32/f64), source width (32/64), signedness. */
const CONVERT = { float32: { 32: [0xb2, 0xb3], 64: [0xb4, 0xb5] }, float64: { 32: [0xb7, 0xb8], 64: [0xb9, 0xba] } } as const;
const TWO31 = 2147483648;
const TWO63 = 9223372036854775808;

/**
 * Float intrinsics the library has (math-imports.ts) but that are a few exact instructions,
 * written inline ({@link KernelBody} floatInline) with AS's meaning: `round` (prelude.ts
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

/**
 * Is `e` cheap enough to evaluate whether or not it is needed: at most 8 nodes, each one
 * instruction of small latency (leaves, + - * of integers and floats, bitwise operations and
 * shifts, comparisons, logic, integer casts and conversions to float)? Then `?:` is a
 * `select` and `&&`/`||` an `i32.and/or` (no branch); otherwise a real `if` evaluates one
 * arm (collatz's `x % 2 ? 3 * x + 1 : (x / 2) | 0`, int32, 1e5: eager 1.23x asc's time,
 * branching 1.02x).
 */
function cheap(e: Expr<DType>): boolean {
  let nodes = 0;
  const ok = (x: Expr<DType>): boolean => {
    if (++nodes > 8) return false;
    let children = true;
    forEachChild(x, (y) => { children &&= ok(y); });
    if (!children) return false;
    switch (x.kind) {
      case 'const': case 'param': case 'local': case 'compare': case 'logical': case 'select': return true;
      case 'unary': return x.op !== 'toint32';
      case 'binary': return ['add', 'sub', 'mul', 'band', 'bor', 'bxor', 'shl', 'shr', 'ushr'].includes(x.op);
      case 'cast': return !isFloatType(x.arg.type);
      default: return false;
    }
  };
  return ok(e);
}

/** The body of function `fn` in a frame: {@link KernelBody.emit}. */
export class KernelBody {
  /** Enclosing labels, innermost last: what `br` reaches from here. */
  private readonly labels: ('return' | 'break' | 'top' | 'continue' | 'if')[] = [];
  private readonly c: Code;
  /** Whether returned values may be raw ({@link emit}). */
  private rawReturn = false;

  constructor(private readonly fn: IRFunction<DType>, private readonly f: Frame) {
    this.c = f.code;
  }

  /**
   * Push the function's result: a block of its body leaving the returned value (`raw`:
   * a small integer may have bits above its width, for a store that writes its low bytes).
   */
  emit(raw = false): void {
    const body = this.fn.body;
    const result = this.fn.returns;
    if (result === 'void') throw new Error('direct Wasm: a scalar kernel returns a value');
    this.rawReturn = raw;
    this.c.blockOf(valType(result));
    this.labels.push('return');
    const last = body[body.length - 1];
    // A final `return` leaves its value at the block's end (no branch needed).
    body.slice(0, last?.kind === 'return' ? -1 : body.length).forEach((s) => this.stmt(s));
    if (last?.kind === 'return') this.expr(last.value!, raw);
    else this.c.unreachable();
    this.labels.pop();
    this.c.end();
  }

  private depth(label: 'return' | 'break' | 'continue' | 'top'): number {
    const at = this.labels.lastIndexOf(label);
    if (at < 0) throw new Error(`direct Wasm: ${label} outside its construct`);
    return this.labels.length - 1 - at;
  }

  private block(b: readonly Stmt<DType>[]): void {
    for (const s of b) this.stmt(s);
  }

  private nested(label: 'break' | 'top' | 'continue' | 'if', body: () => void): void {
    this.labels.push(label);
    body();
    this.labels.pop();
  }

  private stmt(s: Stmt<DType>): void {
    const c = this.c;
    switch (s.kind) {
      case 'let': this.expr(s.init); c.set(this.f.local(s.local)); return;
      case 'assign':
        this.expr(s.value);
        c.set(s.place.kind === 'local' ? this.f.local(s.place.id) : this.f.param(s.place.index));
        return;
      case 'if':
        this.expr(s.cond);
        c.if();
        this.nested('if', () => {
          this.block(s.then);
          if (s.else.length > 0) { c.else(); this.block(s.else); }
        });
        c.end();
        return;
      case 'while': return this.loop([], s.doWhile === true ? null : s.cond, s.body, [], s.doWhile === true ? s.cond : null);
      case 'for': return this.loop(s.init, s.cond, s.body, s.update, null);
      case 'break': c.br(this.depth('break')); return;
      case 'continue': c.br(this.depth('continue')); return;
      case 'return': this.expr(s.value!, this.rawReturn); c.br(this.depth('return')); return;
      default: throw new Error(`direct Wasm: not an eligible statement: ${s.kind}`);
    }
  }

  /**
   * `init; block $break { if (!test) br $break; loop $top { block $continue { body }
   * update; if (test) br $top } }`: a `for`/`while` tests before the first pass and after
   * each (the loop rotated, as Binaryen's -O3 leaves asc's loops; no change measured on
   * collatz, int32, 1e5: 1.02x asc's time either way), a `do`/`while` (`after`) after each
   * pass only; without a test, `br $top`.
   */
  private loop(init: readonly Stmt<DType>[], test: Expr<DType> | null, body: readonly Stmt<DType>[], update: readonly Stmt<DType>[], after: Expr<DType> | null): void {
    const c = this.c;
    this.block(init);
    c.block();
    this.nested('break', () => {
      if (test !== null) { this.expr(test); c.op(0x45).brIf(this.depth('break')); } // i32.eqz
      c.loop();
      this.nested('top', () => {
        c.block();
        this.nested('continue', () => this.block(body));
        c.end();
        this.block(update);
        const again = test ?? after;
        if (again !== null) { this.expr(again); c.brIf(this.depth('top')); } else c.br(this.depth('top'));
      });
      c.end();
    });
    c.end();
  }

  /**
   * Push `e`'s value: in canonical form, or with `raw` (a caller that reads only the low bits
   * of a small integer: a store of the element, a narrowing cast, + - * & | ^ ~ and unary
   * minus of the same dtype) maybe with any bits above its width, as asc computes small
   * integers (wrapped where a value is read whole). Saves a wrap per operation.
   */
  expr(e: Expr<DType>, raw = false): void {
    const c = this.c;
    switch (e.kind) {
      case 'const': return pushConst(c, e.type, e.value);
      case 'param': c.get(this.f.param(e.index)); return;
      case 'local': c.get(this.f.local(e.id)); return;
      case 'unary': return this.unary(e.op, e.arg, e.type, raw);
      case 'binary': return this.binary(e, raw);
      case 'compare': return this.compare(e.op, e.left, e.right, e.operand);
      case 'logical': {
        const and = e.op === 'and';
        this.expr(e.left);
        if (cheap(e.right)) { this.expr(e.right); c.op(and ? 0x71 : 0x72); return; }
        c.ifI32();
        if (and) { this.expr(e.right); c.else().i32(0); } else { c.i32(1).else(); this.expr(e.right); }
        c.end();
        return;
      }
      case 'select':
        if (cheap(e.then) && cheap(e.else)) { this.expr(e.then, raw); this.expr(e.else, raw); this.expr(e.cond); c.op(SELECT); return; }
        this.expr(e.cond);
        c.ifOf(valType(e.type));
        this.expr(e.then, raw);
        c.else();
        this.expr(e.else, raw);
        c.end();
        return;
      case 'cast': {
        // To a small dtype from one at least as wide held in an i32: only the low bits count.
        const from = e.arg.type;
        const narrowing = isSmall(e.type) && !isBool(from) && !isFloatType(from) && !is64(from) && bitsOf(from) >= bitsOf(e.type);
        this.expr(e.arg, narrowing);
        if (narrowing && raw) return;
        return this.cast(from, e.type);
      }
      case 'call': return this.call(e);
      default: throw new Error(`direct Wasm: not an eligible expression: ${e.kind}`);
    }
  }

  /** Stash the value on the stack in a new local, and return it. */
  private stash(t: DType): number {
    const l = this.f.temp(valType(t));
    this.c.set(l);
    return l;
  }

  private unary(op: string, arg: Expr<DType>, t: DType, raw: boolean): void {
    const c = this.c;
    const float = isFloatType(t);
    const done = () => { if (!raw) wrap(c, t); };
    switch (op) {
      case 'pos': return this.expr(arg, raw);
      case 'not': this.expr(arg); c.op(0x45); return;
      case 'neg':
        if (float) { this.expr(arg); c.op(LANES[t]!.ops['neg']!.scalar); return; }
        pushConst(c, t, 0); this.expr(arg, true); c.op(intOps(t).sub); return done();
      case 'bitnot': this.expr(arg, true); pushConst(c, t, -1); c.op(intOps(t).xor); return done();
      case 'truthy': {
        const a = arg.type;
        this.expr(arg);
        if (isBool(a)) return;
        // A float is truthy unless ±0 or NaN: abs(x) > 0 (AS: x != 0 && x == x).
        if (isFloatType(a)) { const l = LANES[a]!; c.op(l.ops['abs']!.scalar); pushConst(c, a, 0); c.op(l.compare['gt']!.scalar); return; }
        c.op(intOps(a).eqz).op(0x45);
        return;
      }
      case 'toint32': {
        this.expr(arg);
        if (arg.type === 'float32') c.op(F64_PROMOTE_F32);
        // JavaScript's ToInt32 (prelude.ts __toi32: trunc(x) mod 2^32, NaN and ±inf 0). In
        // (-2^31, 2^31), the common case, the truncation; else r = x - trunc(x * 2^-32) * 2^32,
        // fmod(x, 2^32) exactly (the bits of x below 2^32), whose truncation wrapped to 32
        // bits is __toi32's value (NaN and ±inf make r NaN, whose saturating truncation is 0).
        const x = this.stash('float64');
        c.get(x).op(0x99).f64(TWO31).op(F64_CONST_OPS.lt).ifI32(); // f64.abs
        c.get(x).sat(2).else();
        c.get(x).get(x).f64(2 ** -32).op(F64_CONST_OPS.mul).op(F64_CONST_OPS.trunc).f64(2 ** 32).op(F64_CONST_OPS.mul).op(F64_CONST_OPS.sub);
        c.sat(6).op(I32_WRAP_I64).end();
        return;
      }
      default: throw new Error(`direct Wasm: unary ${op}`);
    }
  }

  private binary(e: Extract<Expr<DType>, { kind: 'binary' }>, raw: boolean): void {
    const c = this.c;
    const t = e.type;
    const lib = libraryCall(e);
    if (lib !== null) { this.expr(e.left); this.expr(e.right); c.call(this.f.callees.math(lib)); return; }
    if (isFloatType(t)) {
      const op = LANES[t]!.ops[e.op];
      if (op === undefined) throw new Error(`direct Wasm: float ${e.op}`);
      this.expr(e.left); this.expr(e.right); c.op(op.scalar);
      return;
    }
    const ops = intOps(t);
    // (+ - * & | ^: the low bits of the result are those of the operands' low bits)
    const low = () => { this.expr(e.left, true); this.expr(e.right, true); };
    switch (e.op) {
      case 'add': case 'sub': case 'mul':
        low(); c.op(ops[e.op]); if (!raw) wrap(c, t); return;
      case 'band': case 'bor': case 'bxor':
        low(); c.op(ops[e.op === 'band' ? 'and' : e.op === 'bor' ? 'or' : 'xor']); if (!raw) wrap(c, t); return;
      // Counts modulo the width, as Wasm's shifts take them (and JavaScript's, and AS's).
      case 'shl': this.expr(e.left); this.expr(e.right); c.op(ops.shl); return wrap(c, t);
      case 'shr': this.expr(e.left); this.expr(e.right); c.op(signedOp(ops.shr, t)); return;
      case 'ushr': this.expr(e.left); this.expr(e.right); c.op(ops.shr[1]); return;
      case 'pow': this.expr(e.left); this.expr(e.right); c.call(this.f.callees.ipow(t)); return;
      case 'mod': case 'truncdiv': case 'floordiv': return this.division(e.op, e.left, e.right, t);
      default: throw new Error(`direct Wasm: integer ${e.op}`);
    }
  }

  /**
   * Integer `%`, truncating and floor division (prelude.ts __imod, __truncdiv, __floordiv):
   * by 0 the result is 0, signed by -1 it is `0 - a` (wrapped: MIN stays MIN), else the
   * Wasm division (floor: one less when the remainder is nonzero and the signs differ).
   * The divisor is guarded (1 in those cases) so that nothing traps, and `select` picks.
   */
  private division(op: 'mod' | 'truncdiv' | 'floordiv', left: Expr<DType>, right: Expr<DType>, t: DType): void {
    const c = this.c;
    const ops = intOps(t);
    const signed = isSigned(t);
    this.expr(left);
    const a = this.stash(t);
    // A constant divisor other than 0 (and, signed, -1) needs no guard: the Wasm division
    // gives the result, and the engine strength-reduces division by a constant.
    const k = right.kind === 'const' ? BigInt(right.value as number | bigint) : null;
    if (k !== null && k !== 0n && !(signed && k === -1n)) {
      const div = () => { c.get(a); this.expr(right); };
      if (op === 'mod') { div(); c.op(signedOp(ops.rem, t)); return; }
      div(); c.op(signedOp(ops.div, t));
      if (op === 'floordiv' && signed) {
        div(); c.op(ops.rem[0]); pushConst(c, t, 0); c.op(ops.ne);
        c.get(a); pushConst(c, t, 0); c.op(k < 0n ? ops.gt[0] : ops.lt[0]); // (a ^ k) < 0: a's sign is not k's
        c.op(0x71);
        if (is64(t)) c.op(I64_EXTEND_I32_U);
        c.op(ops.sub);
      }
      return;
    }
    this.expr(right);
    const b = this.stash(t);
    const isZero = () => c.get(b).op(ops.eqz);
    // The guarded divisor: 1 where b is 0 (and, signed, -1: b + 1 <=u 1), else b.
    const safe = () => {
      pushConst(c, t, 1); c.get(b);
      if (signed && op !== 'mod') { c.get(b); pushConst(c, t, 1); c.op(ops.add); pushConst(c, t, 1); c.op(ops.le[1]); } else isZero();
      c.op(SELECT);
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
      if (is64(t)) c.op(I64_EXTEND_I32_U);
      c.op(ops.sub);
    }
    if (signed) { c.get(b); pushConst(c, t, -1); c.op(ops.eq).op(SELECT); }
    isZero(); c.op(SELECT);
    wrap(c, t);
  }

  private compare(op: 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne', left: Expr<DType>, right: Expr<DType>, t: DType): void {
    this.expr(left);
    this.expr(right);
    if (isFloatType(t)) { this.c.op(LANES[t]!.compare[op]!.scalar); return; }
    const ops = intOps(t);
    this.c.op(op === 'eq' || op === 'ne' ? ops[op] : signedOp(ops[op], t));
  }

  /** Convert the value on the stack from `from` to `to` (emit-function.ts asCast's meaning). */
  cast(from: DType, to: DType): void {
    const c = this.c;
    if (from === to) return;
    if (isBool(to)) {
      if (isFloatType(from)) { pushConst(c, from, 0); c.op(LANES[from]!.compare['ne']!.scalar); } // NaN is true
      else c.op(intOps(from).eqz).op(0x45);
      return;
    }
    if (isFloatType(from) && isFloatType(to)) { c.op(to === 'float64' ? F64_PROMOTE_F32 : F32_DEMOTE_F64); return; }
    if (isFloatType(to)) {
      // One rounding, as asc's `<f32>x` / `<f64>x`; a bool is 0 or 1.
      const pair = CONVERT[to as 'float32' | 'float64'][is64(from) ? 64 : 32];
      c.op(isSigned(from) ? pair[0] : pair[1]);
      return;
    }
    if (isFloatType(from)) return this.floatToInt(from, to);
    // Integer (or bool) to integer: the value modulo the target's width, read in its signedness.
    if (is64(to)) { if (!is64(from)) c.op(isSigned(from) ? I64_EXTEND_I32_S : I64_EXTEND_I32_U); return; }
    if (is64(from)) c.op(I32_WRAP_I64);
    wrap(c, to);
  }

  /**
   * NumPy's float → integer cast as x86 does it (prelude.ts __f2i_*): truncation; NaN or
   * out of int32's range gives INT32_MIN for the types up to int32 (then wrapped), of
   * int64's range INT64_MIN for uint32 (its low 32 bits) and int64; uint64 from 2^63 up is
   * cvt64(x - 2^63) ^ INT64_MIN.
   */
  private floatToInt(from: DType, to: DType): void {
    const c = this.c;
    if (from === 'float32') c.op(F64_PROMOTE_F32);
    const x = this.stash('float64');
    // cvt(v): select(trunc_sat(v), MIN, lo < v < hi) (lo: > -2^31 - 1 for 32 bits, >= -2^63 for 64).
    const cvt = (v: number, wide: boolean) => {
      c.get(v).sat(wide ? 6 : 2);
      if (wide) c.i64(-(2n ** 63n)); else c.i32(-TWO31);
      c.get(v).f64(wide ? -TWO63 : -TWO31 - 1).op(wide ? F64_CONST_OPS.ge : F64_CONST_OPS.gt);
      c.get(v).f64(wide ? TWO63 : TWO31).op(F64_CONST_OPS.lt).op(0x71).op(SELECT);
    };
    if (to === 'uint64') {
      c.get(x).f64(TWO63).op(F64_CONST_OPS.sub);
      const y = this.stash('float64');
      cvt(y, true); c.i64(-(2n ** 63n)).op(0x85); // i64.xor
      cvt(x, true);
      c.get(x).f64(TWO63).op(F64_CONST_OPS.ge).op(SELECT);
      return;
    }
    if (to === 'int64' || to === 'uint32') { cvt(x, true); if (to === 'uint32') c.op(I32_WRAP_I64); return; }
    cvt(x, false);
    wrap(c, to);
  }

  private call(e: Extract<Expr<DType>, { kind: 'call' }>): void {
    const c = this.c;
    const t = e.type;
    const args = e.args;
    const lib = libraryCall(e);
    if (lib !== null) { args.forEach((a) => this.expr(a)); c.call(this.f.callees.math(lib)); return; }
    if ((e.fn === 'isNaN' || e.fn === 'isFinite') && isFloatType(args[0]!.type)) {
      // isFinite(x): abs(x) < Infinity; isNaN(x): !(abs(x) <= Infinity) (NaN compares false).
      const a = args[0]!.type;
      const l = LANES[a]!;
      this.expr(args[0]!); c.op(l.ops['abs']!.scalar); pushConst(c, a, Infinity);
      if (e.fn === 'isFinite') c.op(l.compare['lt']!.scalar); else c.op(l.compare['le']!.scalar).op(0x45);
      return;
    }
    if (isFloatType(t) && FLOAT_INLINE.has(e.fn)) return this.floatInline(e.fn, args, t);
    if (isFloatType(t)) {
      const l = LANES[t]!;
      if (e.fn === 'clamp') { this.expr(args[0]!); this.expr(args[1]!); c.op(l.ops['max']!.scalar); this.expr(args[2]!); c.op(l.ops['min']!.scalar); return; }
      const op = l.ops[e.fn];
      if (op === undefined) throw new Error(`direct Wasm: ${e.fn} on ${t}`);
      // min/max of several arguments fold left, as the AS and JS emitters do.
      this.expr(args[0]!);
      if (args.length === 1 && (e.fn === 'min' || e.fn === 'max')) return;
      if (args.length === 1) { c.op(op.scalar); return; }
      for (const a of args.slice(1)) { this.expr(a); c.op(op.scalar); }
      return;
    }
    const ops = intOps(t);
    switch (e.fn) {
      case 'abs': {
        this.expr(args[0]!);
        if (isUnsigned(t)) return;
        // x < 0 ? 0 - x : x, wrapped (abs(int8 -128) is -128, abs(INT32_MIN) INT32_MIN).
        const x = this.stash(t);
        pushConst(c, t, 0); c.get(x).op(ops.sub); c.get(x); c.get(x); pushConst(c, t, 0); c.op(ops.lt[0]).op(SELECT);
        return wrap(c, t);
      }
      case 'sign': {
        // (x > 0) - (x < 0) (0 - 0 for unsigned x < 0), as an i32, then in t.
        this.expr(args[0]!);
        const x = this.stash(t);
        c.get(x); pushConst(c, t, 0); c.op(signedOp(ops.gt, t));
        c.get(x); pushConst(c, t, 0); c.op(signedOp(ops.lt, t));
        c.op(0x6b); // i32.sub
        if (is64(t)) c.op(I64_EXTEND_I32_S);
        return wrap(c, t);
      }
      case 'min': case 'max': return this.minmax(e.fn, args.map((a) => () => this.expr(a)), t);
      case 'clamp': {
        const [x, lo, hi] = args.map((a) => () => this.expr(a));
        return this.minmax('min', [() => this.minmax('max', [x!, lo!], t), hi!], t);
      }
      case 'imul': this.expr(args[0]!); this.expr(args[1]!); c.op(0x6c); return; // i32.mul
      case 'clz32': this.expr(args[0]!); c.op(0x67); return; // i32.clz
      default: throw new Error(`direct Wasm: ${e.fn} on ${t}`);
    }
  }

  /** `round`, `sign` or `copysign` of float type `t` ({@link FLOAT_INLINE}). */
  private floatInline(fn: string, args: readonly Expr<DType>[], t: DType): void {
    const c = this.c;
    const l = LANES[t]!.ops;
    const cmp = LANES[t]!.compare;
    const copysign = t === 'float64' ? 0xa6 : 0x98;
    this.expr(args[0]!);
    if (fn === 'copysign') { this.expr(args[1]!); c.op(copysign); return; }
    const x = this.stash(t);
    if (fn === 'sign') {
      // select(1, select(-1, x, x < 0), x > 0)
      pushConst(c, t, 1); pushConst(c, t, -1); c.get(x); c.get(x); pushConst(c, t, 0); c.op(cmp['lt']!.scalar).op(SELECT);
      c.get(x); pushConst(c, t, 0); c.op(cmp['gt']!.scalar).op(SELECT);
      return;
    }
    // r = floor(x); if (x - r >= 0.5) r += 1; r == 0 ? copysign(0, x) : r
    c.get(x).op(l['floor']!.scalar);
    const r = this.stash(t);
    c.get(r); pushConst(c, t, 1); c.op(l['add']!.scalar); c.get(r);
    c.get(x).get(r).op(l['sub']!.scalar); pushConst(c, t, 0.5); c.op(cmp['ge']!.scalar).op(SELECT);
    const q = this.stash(t);
    pushConst(c, t, 0); c.get(x).op(copysign); c.get(q); c.get(q); pushConst(c, t, 0); c.op(cmp['eq']!.scalar).op(SELECT);
  }

  /** min/max of integers (each operand pushed by a function) folded left: `a < b ? a : b` (max: `a > b`), as AS's min<T>/max<T>. */
  private minmax(fn: 'min' | 'max', args: readonly (() => void)[], t: DType): void {
    const c = this.c;
    const ops = intOps(t);
    args[0]!();
    let acc = this.stash(t);
    for (const a of args.slice(1)) {
      a();
      const b = this.stash(t);
      c.get(acc).get(b).get(acc).get(b).op(signedOp(fn === 'min' ? ops.lt : ops.gt, t)).op(SELECT);
      acc = this.stash(t);
    }
    c.get(acc);
  }
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
  const odd = (v: number) => { c.get(v); pushConst(c, t, 1); c.op(ops.and); if (is64(t)) c.op(I32_WRAP_I64); };
  if (isSigned(t)) {
    c.get(b); pushConst(c, t, 0); c.op(ops.lt[0]).if();
    pushConst(c, t, 1);
    pushConst(c, t, -1); pushConst(c, t, 1); odd(b); c.op(SELECT);
    pushConst(c, t, 0); c.get(a); pushConst(c, t, -1); c.op(ops.eq).op(SELECT);
    c.get(a); pushConst(c, t, 1); c.op(ops.eq).op(SELECT);
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
