/**
 * Bounds checks (`boundscheck: true`, the default): every index of every element access of
 * a gufunc kernel (`a[i]`, `a[i][j]`, reads and writes), and of every read of a constant
 * table (`t[i]`, in any kernel and its helpers; a table's size is its length, a constant),
 * must lie in `[0, size of that axis)`.
 * This pass decides which indices need a run-time check and numbers them as sites
 * ({@link BoundsSite}: the array, the axis, read or write, the line and column); the
 * emitters print a check at each site and leave the others alone. An index the pass can
 * prove in range gets no check, so the usual loops cost nothing (measured: rowdot (1e5, 32)
 * compiles to the same module checked and unchecked; see docs/guide/07-kernel-language.md).
 *
 * What it proves (sound, deliberately simple): an index of the form `x + k` (x an integer
 * local, k a constant; also `x`, `x - k`, with widening casts) is in range when
 *   - below: the lowest value x can hold, plus k, is >= 0. Lower bounds come from
 *     (a) every definition of x in the function (step 1), and (b) conditions in scope;
 *   - above: a condition in scope says `x + s < size` of the same core dim (or a constant
 *     size no larger than a frozen dim's) with k <= s.
 * Conditions in scope ("facts") come from a `for`/`while` condition inside its body (not a
 * `do`/`while`'s: its body runs once before the test), an
 * `if` condition in its branches (negated in `else`), an `if (...) continue/break/return`
 * for the statements after it, and `let y = x + k` (y never reassigned) for y after it; `&&` (and the negation of `||`) contribute every conjunct;
 * recognised comparisons are `x < B`, `x <= B`, `x > C`, `x >= C` either way round, where B
 * is a core size (`a.length`, `a[0].length`, a local never reassigned that holds one),
 * a core size minus a constant, or a constant. A fact about x holds in a region only if the
 * region assigns x nowhere. A constant index c is in range when 0 <= c and c is below a
 * frozen or `()` axis's size, or below a size that a fact in scope shows is larger.
 *
 * Steps:
 *   1. lower bounds of the integer locals, by a fixpoint over their definitions: a constant
 *      gives its value, a core size 0, another local its bound, and a counting loop's update
 *      `x = x + c` (c >= 1) keeps x's bound when the loop's condition bounds x by a core size
 *      (or a constant) so that x + c cannot overflow, or when c is 1 and the condition is
 *      `x < E` compared in x's own type (x + 1 <= E then fits: `i < n` with a scalar n);
 *      any other definition: no bound;
 *   2. walk the statements with the facts in scope, give every load and store its `checks`
 *      (a site number, or null when proven), and collect the sites.
 * Scratch arrays (`const buf = new Float64Array(n)`, in any function) are checked the same
 * way against their length: `buf.length` is a size like a core dim's, and a scratch array
 * allocated with a constant or a core size (`new Float64Array(a.length)`) has that size.
 * Stencil kernels use it for their table reads only: their accessors' offsets are constants
 * inside a neighborhood the boundary modes handle (src/compiler/stencil.ts).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { codeFrame, lineColumn } from '../../frontend/diagnostics.js';
import type { ArrayRef, BoundsSite, CoreInfo, Expr, IRFunction, IRProgram, IndexChecks, Stmt, TableConst } from '../nodes.js';
import { arrayInfo, forEachStmt } from '../nodes.js';
import { bitsOf, isIntType, isSigned, isUnsigned } from '../types.js';

type E = Expr<DType>;
type S = Stmt<DType>;

const INT32_MAX = 2 ** 31 - 1;

/**
 * The size of an array axis: a core dim (`dim`, and `frozen` when its size is fixed by the
 * layout), a constant, or the length of scratch array `scratch` (its `scratch` statement's).
 */
type AxisSize = { readonly dim: number; readonly frozen?: number } | { readonly size: number } | { readonly scratch: number };

/** Two sizes known to be equal (the same core dim, or the same scratch array's length). */
function sameSize(a: AxisSize, b: AxisSize): boolean {
  if ('dim' in a && 'dim' in b) return a.dim === b.dim;
  return 'scratch' in a && 'scratch' in b && a.scratch === b.scratch;
}

/** `x + slack < bound`. */
interface Upper { readonly bound: AxisSize; readonly slack: number }

/** What holds about one local in a region. */
interface LocalFacts { readonly lo?: number; readonly up: readonly Upper[] }

type Env = ReadonlyMap<number, LocalFacts>;

/** A fact a condition gives: a lower bound or an upper bound of local `id`. */
type Fact = { readonly id: number; readonly lo: number } | { readonly id: number; readonly up: Upper };

/**
 * The size of axis `axis` of array `array` (what emitters compare a checked index with).
 *
 * @example
 * ```ts
 * axisSize({ nin: 1, dims: ['n', '3'], operands: [[0, 1], []] }, paramRef(0), 1); // { dim: 1, frozen: 3 }
 * axisSize({ nin: 1, dims: ['n'], operands: [[0], []] }, paramRef(1), 0);          // { size: 1 } (a "()" operand)
 * ```
 */
export function axisSize(core: CoreInfo | undefined, array: ArrayRef, axis: number, tables: readonly TableConst[] = []): AxisSize {
  if (array.kind === 'scratch') return { scratch: array.id };
  // A table's length is a compile-time constant.
  if (array.kind === 'table') return { size: tables[array.table]!.values.length };
  const dims = core!.operands[array.index]!;
  // A "()" core operand declared as a 1-d array is a one-element view.
  if (dims.length === 0) return { size: 1 };
  const d = dims[axis]!;
  const name = core!.dims[d]!;
  return /^\d+$/.test(name) ? { dim: d, frozen: Number(name) } : { dim: d };
}

/** Casts that keep every value (an integer type into a wider one that holds all of its values). */
function exactWiden(from: DType, to: DType): boolean {
  if (!isIntType(from) || !isIntType(to)) return false;
  if (isSigned(from)) return isSigned(to) && bitsOf(to) >= bitsOf(from);
  return isUnsigned(to) ? bitsOf(to) >= bitsOf(from) : bitsOf(to) > bitsOf(from);
}

function strip(e: E): E {
  while (e.kind === 'cast' && exactWiden(e.arg.type, e.type)) e = e.arg;
  return e;
}

/** A constant integer (number) or null. */
function constInt(e: E): number | null {
  e = strip(e);
  if (e.kind !== 'const' || !isIntType(e.type)) return null;
  const v = Number(e.value);
  return Number.isSafeInteger(v) ? v : null;
}

/** Locals assigned or declared anywhere in the statements. */
function assignedIn(body: readonly S[]): Set<number> {
  const out = new Set<number>();
  forEachStmt(body, (s) => {
    if (s.kind === 'let') out.add(s.local);
    if (s.kind === 'assign' && s.place.kind === 'local') out.add(s.place.id);
  });
  return out;
}

function without(env: Env, ids: ReadonlySet<number>): Env {
  if (ids.size === 0) return env;
  let out: Map<number, LocalFacts> | null = null;
  for (const id of env.keys()) {
    if (!ids.has(id)) continue;
    out ??= new Map(env);
    out.delete(id);
  }
  return out ?? env;
}

function withFacts(env: Env, facts: readonly Fact[], dropped: ReadonlySet<number>): Env {
  const out = new Map(env);
  for (const f of facts) {
    if (dropped.has(f.id)) continue;
    const old = out.get(f.id) ?? { up: [] };
    out.set(f.id, 'lo' in f
      ? { ...old, lo: Math.max(old.lo ?? -Infinity, f.lo) }
      : { ...old, up: [...old.up, f.up] });
  }
  return out;
}

const isExit = (s: S | undefined): boolean => s !== undefined && (s.kind === 'break' || s.kind === 'continue' || s.kind === 'return');

class BoundsPass {
  /** Step 1's lower bounds (a local absent: none). */
  private readonly lows = new Map<number, number>();
  /** Locals that hold a core size for their whole life (`const n = a.length`). */
  private readonly sizeAliases = new Map<number, { bound: AxisSize; slack: number }>();
  /** Per local: 1 when its only definition is its `let` (more otherwise). */
  private readonly defs = new Map<number, number>();
  /** Scratch arrays whose length is a constant or a core size (`new Float64Array(a.length)`): that size. */
  private readonly scratchSizes = new Map<number, AxisSize>();

  constructor(
    private readonly fn: IRFunction<DType>,
    private readonly core: CoreInfo | undefined,
    private readonly tables: readonly TableConst[],
    /** The program's sites (shared by its functions: one numbering). */
    readonly sites: BoundsSite[],
  ) {
    this.findAliases();
    forEachStmt(fn.body, (s) => {
      if (s.kind !== 'scratch') return;
      const b = this.bound(s.length);
      if (b !== null && b.slack === 0) this.scratchSizes.set(s.id, b.bound);
    });
    this.lowerBounds();
  }

  /** The size of an axis, a scratch array's length replaced by the size it was allocated with when known. */
  private size(array: ArrayRef, axis: number): AxisSize {
    const s = axisSize(this.core, array, axis, this.tables);
    return 'scratch' in s ? this.scratchSizes.get(s.scratch) ?? s : s;
  }

  // ---- sizes and conditions ----------------------------------------------------------------

  /** `B` as `size - slack` (a core size, minus a constant) or a constant, or null. */
  private bound(e: E): { bound: AxisSize; slack: number } | null {
    e = strip(e);
    const c = constInt(e);
    if (c !== null) return { bound: { size: c }, slack: 0 };
    if (e.kind === 'length') return { bound: this.size(e.array, e.axis), slack: 0 };
    if (e.kind === 'local') return this.sizeAliases.get(e.id) ?? null;
    // size - c: no wrap-around (a size is in [0, 2^31), c >= 0), in int32 or int64.
    if (e.kind === 'binary' && e.op === 'sub' && (e.type === 'int32' || e.type === 'int64')) {
      const k = constInt(e.right);
      const b = this.bound(e.left);
      if (k !== null && k >= 0 && k <= INT32_MAX && b !== null && !('size' in b.bound)) return { bound: b.bound, slack: b.slack + k };
    }
    return null;
  }

  /** Locals whose only definition is a `let` of a core size (or size - c), never assigned. */
  private findAliases(): void {
    const defs = this.defs;
    forEachStmt(this.fn.body, (s) => {
      if (s.kind === 'let') defs.set(s.local, (defs.get(s.local) ?? 0) + 1);
      if (s.kind === 'assign' && s.place.kind === 'local') defs.set(s.place.id, (defs.get(s.place.id) ?? 0) + 2);
    });
    forEachStmt(this.fn.body, (s) => {
      if (s.kind !== 'let' || defs.get(s.local) !== 1 || !isIntType(this.fn.locals[s.local]!.type)) return;
      const b = this.bound(s.init);
      if (b !== null && !('size' in b.bound)) this.sizeAliases.set(s.local, b);
    });
  }

  /** The facts that hold when `cond` evaluates to `truth`. */
  private facts(cond: E, truth: boolean): Fact[] {
    if (cond.kind === 'logical') {
      if ((cond.op === 'and') === truth) return [...this.facts(cond.left, truth), ...this.facts(cond.right, truth)];
      return [];
    }
    if (cond.kind === 'unary' && cond.op === 'not') return this.facts(cond.arg, !truth);
    if (cond.kind !== 'compare' || !isIntType(cond.operand)) return [];
    const NEG = { lt: 'ge', le: 'gt', gt: 'le', ge: 'lt', eq: 'ne', ne: 'eq' } as const;
    const FLIP = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le', eq: 'eq', ne: 'ne' } as const;
    const op0 = truth ? cond.op : NEG[cond.op];
    const out: Fact[] = [];
    const side = (x: E, op: keyof typeof FLIP, other: E) => {
      x = strip(x);
      if (x.kind !== 'local' || !isIntType(x.type)) return;
      const id = x.id;
      if (op === 'lt' || op === 'le') {
        const b = this.bound(other);
        if (b !== null) out.push({ id, up: { bound: b.bound, slack: b.slack + (op === 'le' ? -1 : 0) } });
      } else if (op === 'gt' || op === 'ge') {
        const c = constInt(other);
        if (c !== null) out.push({ id, lo: op === 'gt' ? c + 1 : c });
      }
    };
    side(cond.left, op0, cond.right);
    side(cond.right, FLIP[op0], cond.left);
    return out;
  }

  // ---- step 1: lower bounds ------------------------------------------------------------------

  /**
   * The `for` updates that keep their counter's lower bound: `x = x + c` (c >= 1) of an
   * int32/int64 counter the body never assigns, under a condition `x + s < B` such that
   * x + c cannot overflow (c <= s + 1 for a core size B; checked for a constant B).
   */
  private monotoneUpdates(): Set<S> {
    const ok = new Set<S>();
    forEachStmt(this.fn.body, (s) => {
      if (s.kind !== 'for' || s.cond === null) return;
      const inBody = assignedIn(s.body);
      for (const u of s.update) {
        if (u.kind !== 'assign' || u.place.kind !== 'local') continue;
        const id = u.place.id;
        if (s.update.filter((x) => x.kind === 'assign' && x.place.kind === 'local' && x.place.id === id).length !== 1) continue;
        const t = this.fn.locals[id]!.type;
        if ((t !== 'int32' && t !== 'int64') || inBody.has(id)) continue;
        const v = u.value;
        if (v.kind !== 'binary' || v.op !== 'add') continue;
        const isX = (e: E) => e.kind === 'local' && e.id === id;
        const c = isX(v.left) ? constInt(v.right) : isX(v.right) ? constInt(v.left) : null;
        if (c === null || c < 1) continue;
        // x < E compared in x's own type: x + 1 <= E cannot pass the type's largest value.
        if (c === 1 && this.belowSameType(s.cond, id, t)) { ok.add(u); continue; }
        const safe = this.facts(s.cond, true).some((f) => {
          if (f.id !== id || !('up' in f)) return false;
          const { bound, slack } = f.up;
          if ('size' in bound) return bound.size - 1 - slack + c <= (t === 'int32' ? INT32_MAX : Number.MAX_SAFE_INTEGER);
          return c <= slack + 1;
        });
        if (safe) ok.add(u);
      }
    });
    return ok;
  }

  /** Does `cond` (or a conjunct of it) say `x < E` with the comparison made in x's type `t`? */
  private belowSameType(cond: E, id: number, t: DType): boolean {
    if (cond.kind === 'logical') return cond.op === 'and' && (this.belowSameType(cond.left, id, t) || this.belowSameType(cond.right, id, t));
    if (cond.kind !== 'compare' || cond.operand !== t) return false;
    const isX = (e: E) => e.kind === 'local' && e.id === id;
    return (cond.op === 'lt' && isX(cond.left)) || (cond.op === 'gt' && isX(cond.right));
  }

  /** Step 1's lower bounds (by definitions alone), for {@link localLowerBounds}. */
  get lowerBoundsByDefinition(): ReadonlyMap<number, number> {
    return this.lows;
  }

  private lowerBounds(): void {
    const monotone = this.monotoneUpdates();
    const defs: { id: number; value: E | null }[] = [];
    forEachStmt(this.fn.body, (s) => {
      if (s.kind === 'let') defs.push({ id: s.local, value: s.init });
      if (s.kind === 'assign' && s.place.kind === 'local') defs.push({ id: s.place.id, value: monotone.has(s) ? null : s.value });
    });
    const lo = new Map<number, number>();
    this.fn.locals.forEach((l) => { if (isIntType(l.type)) lo.set(l.id, Infinity); });
    const valueOf = (e: E): number => {
      e = strip(e);
      const c = constInt(e);
      if (c !== null) return c;
      if (e.kind === 'length') return 0;
      if (e.kind === 'local') return lo.get(e.id) ?? -Infinity;
      return -Infinity;
    };
    // Values only fall, to constants of the program or -Infinity: a few rounds settle them.
    for (let round = 0, changed = true; changed; round++) {
      if (round > this.fn.locals.length + 2) { lo.clear(); break; }
      changed = false;
      for (const d of defs) {
        if (!lo.has(d.id) || d.value === null) continue;
        const v = Math.min(lo.get(d.id)!, valueOf(d.value));
        if (v !== lo.get(d.id)) { lo.set(d.id, v); changed = true; }
      }
    }
    for (const [id, v] of lo) if (v > -Infinity && v < Infinity) this.lows.set(id, v);
  }

  // ---- step 2: the accesses ------------------------------------------------------------------

  /** Lowest value local `id` holds here. */
  private low(env: Env, id: number): number {
    const t = this.fn.locals[id]!.type;
    return Math.max(this.lows.get(id) ?? -Infinity, env.get(id)?.lo ?? -Infinity, isUnsigned(t) ? 0 : -Infinity);
  }

  /** `x + k` (a local plus a constant, with no wrap-around in its type when in range) or null. */
  private linear(e: E): { id: number; k: number } | null {
    e = strip(e);
    if (e.kind === 'local' && isIntType(e.type)) return { id: e.id, k: 0 };
    if (e.kind === 'binary' && (e.op === 'add' || e.op === 'sub') && (e.type === 'int32' || e.type === 'int64')) {
      const l = strip(e.left);
      const r = strip(e.right);
      const cr = constInt(r);
      if (l.kind === 'local' && isIntType(l.type) && cr !== null) return { id: l.id, k: e.op === 'add' ? cr : -cr };
      const cl = constInt(l);
      if (e.op === 'add' && r.kind === 'local' && isIntType(r.type) && cl !== null) return { id: r.id, k: cl };
    }
    return null;
  }

  /** Is `index` in [0, size of axis `axis` of `array`) wherever this access runs? */
  private proven(env: Env, array: ArrayRef, axis: number, index: E): boolean {
    const size = this.size(array, axis);
    const fixed = 'size' in size ? size.size : 'dim' in size ? size.frozen : undefined;
    const c = constInt(index);
    if (c !== null) {
      if (c < 0) return false;
      if (fixed !== undefined) return c < fixed;
      if ('size' in size) return false;
      // A fact `y + s < size` with y >= l shows size > l + s.
      for (const [id, f] of env) {
        const l = this.low(env, id);
        if (f.up.some((u) => sameSize(u.bound, size) && c <= l + u.slack)) return true;
      }
      return false;
    }
    const lin = this.linear(index);
    if (lin === null || this.low(env, lin.id) + lin.k < 0) return false;
    return (env.get(lin.id)?.up ?? []).some((u) => {
      if (!('size' in u.bound) && !('size' in size)) return sameSize(u.bound, size) && lin.k <= u.slack;
      // x <= N - 1 - s, so x + k <= N - 1 - s + k.
      return 'size' in u.bound && fixed !== undefined && u.bound.size - u.slack + lin.k <= fixed;
    });
  }

  private checks(env: Env, array: ArrayRef, indices: readonly E[], at: number, write: boolean): IndexChecks | undefined {
    let any = false;
    // Without core dims (scalar kernels, helpers, stencils) only tables are arrays to check:
    // a stencil's accessors read at constant offsets its boundary mode handles.
    if (array.kind === 'param' && this.core === undefined) return undefined;
    const out = indices.map((idx, axis) => {
      if (this.proven(env, array, axis, idx)) return null;
      any = true;
      const { line, column } = lineColumn(this.fn.source.text, at);
      this.sites.push({
        array: arrayInfo(this.fn, array).name, axis, write, indexType: idx.type, line, column, frame: codeFrame(this.fn.source.text, line, column),
      });
      return this.sites.length - 1;
    });
    return any ? out : undefined;
  }

  expr(env: Env, e: E): E {
    const x = (a: E) => this.expr(env, a);
    switch (e.kind) {
      case 'unary': case 'cast': return { ...e, arg: x(e.arg) };
      case 'binary': case 'compare': case 'logical': return { ...e, left: x(e.left), right: x(e.right) };
      case 'select': return { ...e, cond: x(e.cond), then: x(e.then), else: x(e.else) };
      case 'call': case 'helper': return { ...e, args: e.args.map(x) };
      case 'load': {
        const indices = e.indices.map(x);
        const checks = this.checks(env, e.array, e.indices, e.at, false);
        return { ...e, indices, ...(checks ? { checks } : {}) };
      }
      default: return e;
    }
  }

  /**
   * What `let y = x + k` tells about y when y is never reassigned: x's bounds shifted by k,
   * provided x + k cannot wrap around: computed in int64, or k > 0 under a fact
   * `x + s < size` with k <= s + 1 (so x + k <= size < 2^31), or k < 0 with x's lowest
   * value + k >= -2^31.
   */
  private derived(env: Env, y: number, init: E): Fact[] {
    const lin = this.linear(init);
    if (lin === null || this.defs.get(y) !== 1) return [];
    const ups = env.get(lin.id)?.up ?? [];
    const lo = this.low(env, lin.id);
    const noWrap = strip(init).type === 'int64' || lin.k === 0 ||
      (lin.k > 0 ? ups.some((u) => !('size' in u.bound) && lin.k <= u.slack + 1) : lo + lin.k >= -(2 ** 31));
    if (!noWrap) return [];
    const out: Fact[] = ups.map((u) => ({ id: y, up: { bound: u.bound, slack: u.slack - lin.k } }));
    if (lo > -Infinity) out.push({ id: y, lo: lo + lin.k });
    return out;
  }

  block(env: Env, body: readonly S[]): S[] {
    const out: S[] = [];
    for (let n = 0; n < body.length; n++) {
      const s = body[n]!;
      env = without(env, assignedIn([s]));
      out.push(this.stmt(env, s));
      if (s.kind === 'let') env = withFacts(env, this.derived(env, s.local, s.init), new Set());
      // `if (cond) { ...; continue; }` (no else): the rest of the block runs only when cond is false.
      if (s.kind === 'if') {
        const rest = assignedIn(body.slice(n + 1));
        if (isExit(s.then[s.then.length - 1]) && s.else.length === 0) env = withFacts(env, this.facts(s.cond, false), rest);
        else if (isExit(s.else[s.else.length - 1]) && s.then.length === 0) env = withFacts(env, this.facts(s.cond, true), rest);
      }
    }
    return out;
  }

  private stmt(env: Env, s: S): S {
    switch (s.kind) {
      case 'let': return { ...s, init: this.expr(env, s.init) };
      case 'assign': return { ...s, value: this.expr(env, s.value) };
      case 'store': {
        const indices = s.indices.map((i) => this.expr(env, i));
        const checks = this.checks(env, s.array, s.indices, s.at, true);
        return { ...s, indices, value: this.expr(env, s.value), ...(checks ? { checks } : {}) };
      }
      case 'return': return s.value ? { ...s, value: this.expr(env, s.value) } : s;
      case 'if': {
        const cond = this.expr(env, s.cond);
        const then = this.block(withFacts(env, this.facts(s.cond, true), assignedIn(s.then)), s.then);
        const els = this.block(withFacts(env, this.facts(s.cond, false), assignedIn(s.else)), s.else);
        return { ...s, cond, then, else: els };
      }
      case 'while': {
        const inBody = assignedIn(s.body);
        const loop = without(env, inBody);
        // do/while: the body's first pass runs before the condition, which proves nothing there.
        const body = this.block(s.doWhile ? loop : withFacts(loop, this.facts(s.cond, true), inBody), s.body);
        return { ...s, cond: this.expr(loop, s.cond), body };
      }
      case 'for': {
        const init = this.block(env, s.init);
        const inLoop = assignedIn([...s.body, ...s.update]);
        const loop = without(without(env, assignedIn(s.init)), inLoop);
        const cond = s.cond && this.expr(loop, s.cond);
        const body = this.block(s.cond ? withFacts(loop, this.facts(s.cond, true), assignedIn(s.body)) : loop, s.body);
        const update = this.block(loop, s.update);
        return { ...s, init, cond, update, body };
      }
      case 'break': case 'continue': return s;
      // An allocation reads its length (no element); its array's accesses are checked where they are.
      case 'scratch': return { ...s, length: this.expr(env, s.length) };
      // A jit allocation gives its array new sizes: no fact about them holds across it (the
      // array's accesses come after it, in its block, where the facts are made afresh).
      case 'alloc': return { ...s, shape: s.shape.map((e) => this.expr(env, e)), value: s.value && this.expr(env, s.value) };
      default: {
        // A new statement kind must say here where its facts hold (or check every access under it).
        const unknown: never = s;
        throw new Error(`bounds-check pass: statement kind '${(unknown as S).kind}'`);
      }
    }
  }
}

/**
 * The program with its bounds checks: `checks` on every load and store of the kernel (and
 * every table read of its helpers) with an index not proven in range, and the sites in
 * `bounds`. Programs with no arrays (scalar kernels reading no table) and `enabled: false`
 * (`boundscheck: false`) get none.
 *
 * @example
 * ```ts
 * const p = boundsChecks(ir, true);
 * p.bounds; // [] for rowdot (i < a.length proves a[i] and b[i]; o[0] of a "()" output is in range)
 * ```
 */
export function boundsChecks(p: IRProgram, enabled: boolean): IRProgram {
  const tables = p.tables ?? [];
  if (!enabled) return { ...p, bounds: [] };
  const sites: BoundsSite[] = [];
  // Functions with arrays: a gufunc or jit kernel (its core arrays), any function with
  // scratch arrays, and any function when the program has tables (only their reads, in helpers).
  const check = (fn: IRFunction<DType>, core: CoreInfo | undefined): IRFunction<DType> => {
    if (core === undefined && !fn.scratch?.length && tables.length === 0) return fn;
    return { ...fn, body: new BoundsPass(fn, core, tables, sites).block(new Map(), fn.body) };
  };
  // (a jit helper that takes arrays has its own core: the sizes of its array parameters)
  const helpers = p.helpers.map((h) => check(h, h.core));
  const main = check(p.main, p.kind === 'gufunc' || p.kind === 'jit' ? p.core : undefined);
  return { ...p, main, helpers, bounds: sites };
}

/**
 * The lowest value each integer local of `fn` can hold, from its definitions alone (step 1
 * of the pass: a counter from 0 advanced by 1 under `i < n` is >= 0); locals without a
 * known bound are absent. jit's negative-index pass (passes/negative-index.ts) reads it to
 * leave indices that cannot be negative alone.
 *
 * @example
 * ```ts
 * localLowerBounds(ir.main, ir.core!).get(iLocalId); // 0 for `for (let i = 0; i < n; i++)`
 * ```
 */
export function localLowerBounds(fn: IRFunction<DType>, core: CoreInfo): ReadonlyMap<number, number> {
  return new BoundsPass(fn, core, [], []).lowerBoundsByDefinition;
}
