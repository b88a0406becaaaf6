/**
 * The general scalar path of the direct emitter: a scalar kernel's body (statements and
 * expressions of any dtype) as Wasm instructions, with the meaning the AS emitter gives the
 * same IR (../assemblyscript/emit-function.ts `expr`/`asCast`, prelude.ts), so that the
 * module stores the bits asc's module of the same kernel stores.
 *
 * Values are in the canonical form of values.ts, except that a small integer may carry
 * bits above its width where its reader only needs its low bits (`raw` in
 * {@link KernelBody.expr}), as asc's small integers do. The body
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
import { allocates } from '../../ir/passes/scratch.js';
import { bitsOf, is64, isBool, isFloatType } from '../../ir/types.js';
import type { Code } from './encode.js';
import { callIntrinsic, libraryCall } from './calls.js';
import { castValue, toInt32 } from './conversions.js';
import { division } from './int-ops.js';
import { LANES } from './lanes.js';
import type { ArrayAccess, BodyWriter, Callees, Frame } from './body-writer.js';
import { intOps, isSmall, OP, pushConst, signedOp, valType, wrap } from './values.js';

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
export class KernelBody implements BodyWriter {
  /** Enclosing labels, innermost last: what `br` reaches from here. */
  private readonly labels: ('return' | 'break' | 'top' | 'continue' | 'if')[] = [];
  readonly c: Code;
  /** Whether returned values may be raw ({@link emit}). */
  private rawReturn = false;

  constructor(private readonly fn: IRFunction<DType>, private readonly f: Frame) {
    this.c = f.code;
  }

  /**
   * Push the function's result: a block of its body leaving the returned value (`raw`:
   * a small integer may have bits above its width, for a store that writes its low bytes);
   * of a void function (a gufunc kernel), a block of its body leaving nothing.
   */
  emit(raw = false): void {
    const body = this.fn.body;
    const result = this.fn.returns;
    if (result === 'void') {
      // Scratch arrays: every way out (each `return` leaves this block) restores the arena.
      const mark = this.arenaMark(body);
      this.c.block();
      this.nested('return', () => this.block(body));
      this.c.end();
      if (mark !== null) this.f.scratch!.restore(this.c, mark);
      return;
    }
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

  /** The arena pointer saved in a local when `body` allocates scratch arrays (scratch.ts), else null. */
  private arenaMark(body: readonly Stmt<DType>[]): number | null {
    return this.f.scratch !== undefined && allocates(body) ? this.f.scratch.mark(this.c) : null;
  }

  private depth(label: 'return' | 'break' | 'continue' | 'top'): number {
    const at = this.labels.lastIndexOf(label);
    if (at < 0) throw new Error(`direct Wasm: ${label} outside its construct`);
    return this.labels.length - 1 - at;
  }

  private block(b: readonly Stmt<DType>[]): void {
    for (const s of b) this.stmt(s);
  }

  private nested(label: 'return' | 'break' | 'top' | 'continue' | 'if', body: () => void): void {
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
      case 'scratch':
        if (this.f.scratch === undefined) throw new Error('direct Wasm: a scratch array in a kernel without an arena');
        return this.f.scratch.alloc(this, s);
      case 'break': c.br(this.depth('break')); return;
      case 'continue': c.br(this.depth('continue')); return;
      case 'return': if (s.value !== null) this.expr(s.value, this.rawReturn); c.br(this.depth('return')); return;
      case 'store': return this.arrays.store(this, s);
      default: throw new Error(`direct Wasm: not an eligible statement: ${s.kind}`);
    }
  }

  /**
   * `init; block $break { if (!test) br $break; loop $top { block $continue { body }
   * update; if (test) br $top } }`: a `for`/`while` tests before the first pass and after
   * each (the loop rotated, as Binaryen's -O3 leaves asc's loops; no change measured on
   * collatz, int32, 1e5: 1.02x asc's time either way), a `do`/`while` (`after`) after each
   * pass only; without a test, `br $top`. A loop whose body allocates scratch arrays saves
   * the arena pointer before it and restores it at the start of each pass (the previous
   * pass's arrays are out of scope), as the AS emitter's `__m<k>` marks do.
   */
  private loop(init: readonly Stmt<DType>[], test: Expr<DType> | null, body: readonly Stmt<DType>[], update: readonly Stmt<DType>[], after: Expr<DType> | null): void {
    const c = this.c;
    const mark = this.arenaMark(body);
    this.block(init);
    c.block();
    this.nested('break', () => {
      if (test !== null) { this.expr(test); c.op(0x45).brIf(this.depth('break')); } // i32.eqz
      c.loop();
      this.nested('top', () => {
        c.block();
        if (mark !== null) this.f.scratch!.restore(c, mark);
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
        if (cheap(e.then) && cheap(e.else)) { this.expr(e.then, raw); this.expr(e.else, raw); this.expr(e.cond); c.op(OP.select); return; }
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
        return castValue(this, from, e.type);
      }
      case 'call': return callIntrinsic(this, e);
      case 'helper': return this.helper(e, raw);
      case 'load': return this.arrays.load(this, e);
      case 'length': return this.arrays.length(this, e);
    }
  }

  /**
   * A helper call, inlined as asc -O3 inlines small helpers: each argument (typed to its
   * parameter's dtype by ir/infer.ts) into a fresh local, then the helper's body as a block
   * leaving its result, its locals fresh too (a `return` a `br` to the block). Helpers do not
   * recurse (frontend NB2014), so inlining ends; a parameter bound to a literal is not passed
   * (the specialisation reads the literal), and arrays passed whole (jit) are not eligible
   * (scalar-row.ts helpersIneligible). A body call (`call` of a function of the module) measured
   * slower in a tight row than the inlined body: docs/notes/direct-wasm.md.
   */
  private helper(e: Extract<Expr<DType>, { kind: 'helper' }>, raw: boolean): void {
    const h = this.f.helpers[e.index]!;
    const passed = h.params.flatMap((q, k) => (q.literal === undefined ? [k] : []));
    for (const a of e.args) this.expr(a);
    // (the stack holds the arguments in order: pop them into their locals last to first)
    const at = new Map<number, number>();
    for (const k of [...passed].reverse()) at.set(k, this.stash(h.params[k]!.scalar!));
    const locals = h.locals.map((l) => this.f.temp(valType(l.type)));
    new KernelBody(h, {
      ...this.f,
      param: (k) => { const l = at.get(k); if (l === undefined) throw new Error(`direct Wasm: helper parameter ${k} bound to a literal`); return l; },
      local: (id) => locals[id]!,
    }).emit(raw);
  }

  get callees(): Callees {
    return this.f.callees;
  }

  private get arrays(): ArrayAccess {
    if (this.f.arrays === undefined) throw new Error('direct Wasm: an array access in a kernel without array parameters');
    return this.f.arrays;
  }

  /** Stash the value on the stack in a new local, and return it. */
  stash(t: DType): number {
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
      case 'toint32': this.expr(arg); return toInt32(this, arg.type);
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
      case 'mod': case 'truncdiv': case 'floordiv': return division(this, e.op, e.left, e.right, t);
      default: throw new Error(`direct Wasm: integer ${e.op}`);
    }
  }

  private compare(op: 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne', left: Expr<DType>, right: Expr<DType>, t: DType): void {
    this.expr(left);
    this.expr(right);
    if (isFloatType(t)) { this.c.op(LANES[t]!.compare[op]!.scalar); return; }
    const ops = intOps(t);
    this.c.op(op === 'eq' || op === 'ne' ? ops[op] : signedOp(ops[op], t));
  }

}
