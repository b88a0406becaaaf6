/**
 * `fastmath: true`: reassociation of float accumulation loops, on the typed IR, so that
 * every emitter (AssemblyScript, the JS reference, WGSL) prints the same transformed
 * program and the JS oracle stays exact for it.
 *
 * What a Numba user gets from `fastmath=True` in a reduction is LLVM's `reassoc`: the
 * chain `s += a[i] * b[i]` (one add latency, ~4 cycles, per element) is split into
 * independent partial sums. This pass does the same at the source level:
 *
 * ```
 * for (let i = a; i < n; i++) { ...; s += E; ... }
 * ```
 * becomes
 * ```
 * let s_fm0 = 0, s_fm1 = 0, s_fm2 = 0, s_fm3 = 0;    // per accumulator, K partials
 * let i_fm = a;
 * for (; i_fm < n - 3; i_fm = i_fm + 4) {             // the body K times, i := i_fm + k,
 *   ...; s_fm0 += E[i_fm]; ...; s_fm1 += E[i_fm + 1]; ...    // s := s_fm<k>
 * }
 * s = s + ((s_fm0 + s_fm1) + (s_fm2 + s_fm3));       // pairwise
 * for (let i = i_fm; i < n; i++) { ...; s += E; ... } // the original loop: the remainder
 * ```
 *
 * Steps, per function, bottom-up over every statement list:
 *   1. a candidate is a `for` with init `let i: int32 = a`, update `i = i + 1` and
 *      condition `i < B` (or `B > i`), whose body holds no loop, `break`, `continue` or
 *      `return`, and never assigns `i`; `B` must be loop-invariant and cheap: constants,
 *      parameters, lengths, locals and integer arithmetic of them, none assigned in the body;
 *   2. an accumulator is a float local declared outside the loop whose only occurrence in
 *      the body is one assignment `s = s + E`, `s = E + s`, `s = s - E`, `s = s * E` or
 *      `s = E * s` (anywhere in the body's `if`s), with E not reading s; a loop without one
 *      is left alone (so are integer accumulators, `while` loops and loops that read s);
 *   3. K = 4 when any accumulator is float64, else 8 (float32: half the latency chain per
 *      lane width); a loop whose K copies would exceed {@link MAX_NODES} nodes is
 *      not unrolled;
 *   4. the rewrite above: partials start at 0 (products: 1), `-=` partials are added at
 *      the end (they hold minus their sums), products are combined by `*`; the main loop's
 *      bound is `B - (K-1)`, guarded against int32 wrap-around when B may be near -2^31
 *      (lengths and constants need no guard); locals declared in the body get a fresh local
 *      per copy.
 * Everything else in the body keeps its order (copies run in sequence), so stores, other
 * locals and integer work are unchanged; only the accumulators' rounding differs (the
 * pairwise combination, not ±0 of an empty partial: `-0 + 0` is `+0`, the `nsz` of fast-math).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { forEachChild, mapChildren, type BinaryOp, type Expr, type ForStmt, type IRFunction, type Local, type Stmt } from '../nodes.js';
import { isFloatType } from '../types.js';

type T = Expr<DType>;
type S = Stmt<DType>;

/** Largest unrolled main-loop body (statement and expression nodes, all K copies). */
export const MAX_NODES = 512;

const INT32_MIN = -(2 ** 31);

interface Acc {
  readonly id: number;
  readonly op: 'add' | 'sub' | 'mul';
  readonly type: DType;
}

/** Expression-tree node count of a statement list. */
function size(stmts: readonly S[]): number {
  let n = 0;
  const ex = (e: T): void => {
    n++;
    forEachChild(e, ex);
  };
  const st = (ss: readonly S[]): void => {
    for (const s of ss) {
      n++;
      switch (s.kind) {
        case 'let': ex(s.init); break;
        case 'assign': ex(s.value); break;
        case 'store': s.indices.forEach(ex); ex(s.value); break;
        case 'if': ex(s.cond); st(s.then); st(s.else); break;
        case 'return': if (s.value) ex(s.value); break;
        default: n += 1000; break;
      }
    }
  };
  st(stmts);
  return n;
}

/** Does e read local `id`? */
function reads(e: T, id: number): boolean {
  switch (e.kind) {
    case 'local': return e.id === id;
    case 'unary': case 'cast': return reads(e.arg, id);
    case 'binary': case 'compare': case 'logical': return reads(e.left, id) || reads(e.right, id);
    case 'select': return reads(e.cond, id) || reads(e.then, id) || reads(e.else, id);
    case 'call': case 'helper': return e.args.some((a) => reads(a, id));
    case 'load': return e.indices.some((a) => reads(a, id));
    default: return false;
  }
}

/** Reads of each local in a statement list (conditions, values, indices). */
function countReads(stmts: readonly S[], into: Map<number, number>): void {
  const ex = (e: T): void => {
    switch (e.kind) {
      case 'local': into.set(e.id, (into.get(e.id) ?? 0) + 1); break;
      case 'unary': case 'cast': ex(e.arg); break;
      case 'binary': case 'compare': case 'logical': ex(e.left); ex(e.right); break;
      case 'select': ex(e.cond); ex(e.then); ex(e.else); break;
      case 'call': case 'helper': e.args.forEach(ex); break;
      case 'load': e.indices.forEach(ex); break;
      default: break;
    }
  };
  for (const s of stmts) {
    switch (s.kind) {
      case 'let': ex(s.init); break;
      case 'assign': ex(s.value); break;
      case 'store': s.indices.forEach(ex); ex(s.value); break;
      case 'if': ex(s.cond); countReads(s.then, into); countReads(s.else, into); break;
      case 'while': ex(s.cond); countReads(s.body, into); break;
      case 'for': countReads(s.init, into); if (s.cond) ex(s.cond); countReads(s.update, into); countReads(s.body, into); break;
      case 'return': if (s.value) ex(s.value); break;
      case 'scratch': ex(s.length); break;
      case 'alloc': s.shape.forEach(ex); if (s.value) ex(s.value); break;
      default: break;
    }
  }
}

/** The body's shape: no loops/jumps, and what it declares and assigns. */
interface BodyFacts {
  readonly declared: Set<number>;
  readonly assignedLocals: Map<number, Extract<S, { kind: 'assign' }>[]>;
  readonly assignedParams: Set<number>;
}

function bodyFacts(body: readonly S[]): BodyFacts | null {
  const facts: BodyFacts = { declared: new Set(), assignedLocals: new Map(), assignedParams: new Set() };
  const walk = (ss: readonly S[]): boolean => {
    for (const s of ss) {
      switch (s.kind) {
        case 'let': facts.declared.add(s.local); break;
        case 'assign':
          if (s.place.kind === 'param') facts.assignedParams.add(s.place.index);
          else {
            const list = facts.assignedLocals.get(s.place.id) ?? [];
            list.push(s);
            facts.assignedLocals.set(s.place.id, list);
          }
          break;
        case 'store': break;
        case 'if': if (!walk(s.then) || !walk(s.else)) return false; break;
        default: return false; // for, while, break, continue, return
      }
    }
    return true;
  };
  return walk(body) ? facts : null;
}

/** B is loop-invariant and cheap to evaluate twice: constants, parameters, lengths, locals, integer ops. */
function invariant(e: T, counter: number, facts: BodyFacts): boolean {
  switch (e.kind) {
    case 'const': case 'length': return true;
    case 'param': return !facts.assignedParams.has(e.index);
    case 'local': return e.id !== counter && !facts.assignedLocals.has(e.id) && !facts.declared.has(e.id);
    case 'unary': return e.op === 'neg' && invariant(e.arg, counter, facts);
    case 'cast': return invariant(e.arg, counter, facts);
    case 'binary': return ['add', 'sub', 'mul', 'band', 'bor', 'shl', 'shr'].includes(e.op) && invariant(e.left, counter, facts) && invariant(e.right, counter, facts);
    default: return false;
  }
}

/** The accumulation form of an assignment to s: `s op E` / `E op s` (op commutative). */
function accumulation(s: Extract<S, { kind: 'assign' }>, id: number): { op: Acc['op'] } | null {
  const v = s.value;
  if (v.kind !== 'binary' || (v.op !== 'add' && v.op !== 'sub' && v.op !== 'mul')) return null;
  const isS = (x: T) => x.kind === 'local' && x.id === id;
  if (isS(v.left) && !reads(v.right, id)) return { op: v.op };
  if (v.op !== 'sub' && isS(v.right) && !reads(v.left, id)) return { op: v.op };
  return null;
}

class Rewriter {
  readonly locals: Local<DType>[];
  private readonly names: Set<string>;

  /**
   * @param strict - unroll only (see {@link unrollStrict}): no partial sums, every candidate
   *   loop (an accumulator is not required), K = {@link STRICT_K}.
   */
  constructor(private readonly fn: IRFunction<DType>, private readonly strict = false) {
    this.locals = [...fn.locals];
    this.names = new Set([...fn.locals.map((l) => l.emitName), ...fn.params.map((p) => p.emitName)]);
  }

  private fresh(base: Local<DType>, suffix: string, type: DType = base.type): number {
    let name = `${base.emitName}_${suffix}`;
    for (let k = 2; this.names.has(name); k++) name = `${base.emitName}_${suffix}_${k}`;
    this.names.add(name);
    const id = this.locals.length;
    this.locals.push({ id, name: base.name, emitName: name, at: base.at, isConst: base.isConst, type });
    return id;
  }

  stmts(ss: readonly S[]): S[] {
    const out: S[] = [];
    for (const s of ss) {
      switch (s.kind) {
        case 'if': out.push({ ...s, then: this.stmts(s.then), else: this.stmts(s.else) }); break;
        case 'while': out.push({ ...s, body: this.stmts(s.body) }); break;
        case 'for': {
          const done = this.reassociate(s);
          if (done) out.push(...done);
          else out.push({ ...s, body: this.stmts(s.body) });
          break;
        }
        default: out.push(s);
      }
    }
    return out;
  }

  /** The rewrite of one candidate loop, or null when it is not one. */
  private reassociate(s: ForStmt<DType>): S[] | null {
    const [init] = s.init;
    const [update] = s.update;
    // A prange loop stays one loop: the parallel target splits it (src/compiler/jit-prange.ts).
    if (s.prange) return null;
    if (s.init.length !== 1 || s.update.length !== 1 || init!.kind !== 'let' || update!.kind !== 'assign' || !s.cond) return null;
    const c = init!.local;
    if (this.locals[c]!.type !== 'int32') return null;
    const u = update!.value;
    if (update!.place.kind !== 'local' || update!.place.id !== c) return null;
    if (u.kind !== 'binary' || u.op !== 'add' || u.left.kind !== 'local' || u.left.id !== c || u.right.kind !== 'const' || u.right.value !== 1) return null;
    const cond = s.cond;
    if (cond.kind !== 'compare' || cond.operand !== 'int32') return null;
    let bound: T;
    if (cond.op === 'lt' && cond.left.kind === 'local' && cond.left.id === c) bound = cond.right;
    else if (cond.op === 'gt' && cond.right.kind === 'local' && cond.right.id === c) bound = cond.left;
    else return null;
    const facts = bodyFacts(s.body);
    if (!facts || facts.assignedLocals.has(c) || !invariant(bound, c, facts)) return null;
    const readCount = new Map<number, number>();
    countReads(s.body, readCount);
    const accs: Acc[] = [];
    for (const [id, writes] of this.strict ? [] : facts.assignedLocals) {
      const t = this.locals[id]!.type;
      if (facts.declared.has(id) || !isFloatType(t) || writes.length !== 1) continue;
      const form = accumulation(writes[0]!, id);
      if (form && readCount.get(id) === 1) accs.push({ id, op: form.op, type: t });
    }
    if (accs.length === 0 && !this.strict) return null;
    const K = this.strict ? STRICT_K : accs.some((a) => a.type === 'float64') ? 4 : 8;
    if (size(s.body) * K > MAX_NODES) return null;

    const at = s.at;
    const i32 = (value: number): T => ({ kind: 'const', value, type: 'int32', at });
    const local = (id: number): T => ({ kind: 'local', id, type: this.locals[id]!.type, at });
    const bin = (op: BinaryOp, left: T, right: T): T => ({ kind: 'binary', op, left, right, type: left.type, at });
    const out: S[] = [];
    // Partials.
    const partials = new Map<number, number[]>();
    for (const a of accs) {
      const ids: number[] = [];
      for (let k = 0; k < K; k++) {
        const id = this.fresh(this.locals[a.id]!, `fm${k}`);
        ids.push(id);
        out.push({ kind: 'let', at, local: id, init: { kind: 'const', value: a.op === 'mul' ? 1 : 0, type: a.type, at } });
      }
      partials.set(a.id, ids);
    }
    // The main loop's counter and bound.
    const j = this.fresh(this.locals[c]!, this.strict ? 'u' : 'fm');
    out.push({ kind: 'let', at, local: j, init: init!.init });
    const m = K - 1;
    let limit: T;
    if (bound.kind === 'length') limit = bin('sub', bound, i32(m));
    else if (bound.kind === 'const') limit = i32(Math.max(Number(bound.value) - m, INT32_MIN));
    else {
      limit = {
        kind: 'select', type: 'int32', at,
        cond: { kind: 'compare', op: 'gt', operand: 'int32', type: 'bool', left: bound, right: i32(INT32_MIN + m), at },
        then: bin('sub', bound, i32(m)), else: i32(INT32_MIN),
      };
    }
    const body: S[] = [];
    for (let k = 0; k < K; k++) {
      const rename = new Map<number, number>();
      if (k > 0) for (const d of facts.declared) rename.set(d, this.fresh(this.locals[d]!, `u${k}`));
      for (const a of accs) rename.set(a.id, partials.get(a.id)![k]!);
      const counter: T = k === 0 ? local(j) : bin('add', local(j), i32(k));
      body.push(...copyStmts(s.body, rename, c, counter));
    }
    out.push({
      kind: 'for', at, init: [],
      cond: { kind: 'compare', op: 'lt', operand: 'int32', type: 'bool', left: local(j), right: limit, at },
      update: [{ kind: 'assign', at, place: { kind: 'local', id: j }, value: bin('add', local(j), i32(K)) }],
      body,
    });
    // Combine pairwise, then add to (multiply into) s.
    for (const a of accs) {
      const op: BinaryOp = a.op === 'mul' ? 'mul' : 'add';
      let level = partials.get(a.id)!.map(local);
      while (level.length > 1) {
        const next: T[] = [];
        for (let k = 0; k < level.length; k += 2) next.push(bin(op, level[k]!, level[k + 1]!));
        level = next;
      }
      out.push({ kind: 'assign', at, place: { kind: 'local', id: a.id }, value: bin(op, local(a.id), level[0]!) });
    }
    // The remainder: the original loop, counting on from the main loop's counter.
    out.push({ ...s, init: [{ ...init!, init: local(j) }] });
    return out;
  }
}

/** A copy of a loop body with locals renamed and the counter replaced by an expression. */
function copyStmts(ss: readonly S[], rename: ReadonlyMap<number, number>, counter: number, by: T): S[] {
  const id = (x: number) => rename.get(x) ?? x;
  const ex = (e: T): T => {
    if (e.kind !== 'local') return mapChildren(e, ex);
    return e.id === counter ? by : rename.has(e.id) ? { ...e, id: id(e.id) } : e;
  };
  return ss.map((s): S => {
    switch (s.kind) {
      case 'let': return { ...s, local: id(s.local), init: ex(s.init) };
      case 'assign': return { ...s, place: s.place.kind === 'local' ? { kind: 'local', id: id(s.place.id) } : s.place, value: ex(s.value) };
      case 'store': return { ...s, indices: s.indices.map(ex), value: ex(s.value) };
      case 'if': return { ...s, cond: ex(s.cond), then: copyStmts(s.then, rename, counter, by), else: copyStmts(s.else, rename, counter, by) };
      default: throw new Error(`fastmath: unexpected ${s.kind} in a loop body`);
    }
  });
}

/**
 * Apply fast-math rewrites to a typed function (run by compile.ts when `fastmath` is set).
 *
 * @example
 * ```ts
 * const k = compileKernel(dot, 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core, fastmath: true });
 * k.irText; // ... let s_fm0: float64 = 0:float64 ... for (; (lt:int32 i_fm (sub:int32 (length a 0) 3:int32)); ...
 * ```
 */
export function fastmath(fn: IRFunction<DType>): IRFunction<DType> {
  return rewrite(fn, false);
}

/** Copies of the body per step of a strictly unrolled loop ({@link unrollStrict}). */
export const STRICT_K = 4;

/**
 * Unroll without reassociation, for the AssemblyScript emitter (compile.ts applies it to the
 * program it prints; the JS reference and WGSL keep the loops as written): every loop that
 * fastmath's step 1 accepts becomes a main loop running the body {@link STRICT_K} times per
 * step (i := i_u + k, in order) and the original loop as the remainder, as fastmath's rewrite
 * with no accumulators. The same operations in the same order, so the same results bit for
 * bit (a serial chain `s += a[i] * b[i]` stays one chain); what changes is the loop overhead
 * per element: one counter update, compare, branch and V8 loop stack check per K elements,
 * and, through the pointer walks (passes/pointer-walk.ts), one pointer step per array per K
 * elements with the copies at constant offsets. Measured on guvectorize rowdot (1e5, 32)
 * float64: see gufuncRow in emit/assemblyscript/emit-module.ts.
 *
 * @example
 * ```ts
 * unrollStrict(k.ir.main); // for (; i_u < length - 3; i_u = i_u + 4) { s += a[i_u] * b[i_u]; ... s += a[i_u + 3] * ... }
 * ```
 */
export function unrollStrict(fn: IRFunction<DType>): IRFunction<DType> {
  return rewrite(fn, true);
}

function rewrite(fn: IRFunction<DType>, strict: boolean): IRFunction<DType> {
  const r = new Rewriter(fn, strict);
  const body = r.stmts(fn.body);
  if (r.locals.length === fn.locals.length) return fn;
  return { ...fn, body, locals: r.locals };
}
