/**
 * Loop versioning: checks hoisted out of innermost counting loops, for the AssemblyScript
 * emitter (issue 14: jit directAssign's `imgNew.set(i, j, img.get(i * d, j * d))` paid four
 * bounds checks and two negative-index selects per pixel).
 *
 * An index that is affine in the loop's counter c, `c * k + b` with k and b invariant in the
 * loop, is monotonic in c: when its values at the first and the last counter value are both
 * in [0, size), so are all the values between. So the loop becomes
 * `if (guard) { loop without those checks } else { loop as it was }`, where the guard tests
 * the extremes once, before the loop.
 *
 * Steps, in the kernel (not its helpers: see {@link versionLoops}), per innermost `for`
 * (a body without loops):
 *   1. a counting loop: `for (let c = S; c < E (or <=); c = c + k)` (or the counter declared
 *      before), c int32 or int64, k a positive constant, c assigned nowhere in the body, S
 *      and E invariant: built of constants, sizes, and parameters and locals the body does
 *      not assign, with + - * and integer casts (no loads, so evaluating them first means
 *      the same as evaluating them in the loop);
 *   2. every index of an array parameter's load or store in the body that has a bounds check
 *      or a negative-index wrap (passes/negative-index.ts's `x < 0 ? x + size : x`) and
 *      whose `x` is `[cast] c [* K] [± B]` or invariant (K, B invariant) gets the condition
 *      `0 <= x(first) < size && 0 <= x(last) < size`, x evaluated in int64 at first = S and
 *      last = E - 1 (E for <=); the loop's values lie between them;
 *   3. no overflow: the guard also requires S, E, K and B within ±2^30, so every x(c) is
 *      exact in int64, and x's int32 nodes within int32 at both ends (monotonic, so in
 *      between too); then the IR's arithmetic, wrapping in its types, is exact math;
 *   4. the fast copy drops those indices' checks and wraps (the index is x). Loops over fewer
 *      than {@link MIN_TRIPS} counter values (empty ones included) take the checked copy:
 *      the guard would cost more than the checks it saves.
 * Only innermost loops without helper calls are versioned (the guard runs once per row of a
 * 2-D walk; a helper would be inlined twice), and only when some index gains. Other emitters read the program before this pass.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { forEachExpr, forEachStmt, makesArrays, mapChildren, mapStmt, type ArrayRef, type Expr, type ForStmt, type IndexChecks, type IRFunction, type IRProgram, type Stmt } from '../nodes.js';
import { isIntType } from '../types.js';

type E = Expr<DType>;
type S = Stmt<DType>;

const LIMIT = 2n ** 30n;
const SIGNED = new Set<DType>(['int32', 'int64']);
/** Loops over fewer counter values keep their checks (step 4). */
export const MIN_TRIPS = 8;

const i64c = (v: bigint, at: number): E => ({ kind: 'const', value: v, type: 'int64', at });
const toI64 = (e: E): E => (e.type === 'int64' ? e : { kind: 'cast', arg: e, type: 'int64', at: e.at });
const cmp = (op: 'le' | 'lt', left: E, right: E): E => ({ kind: 'compare', op, left, right, operand: 'int64', type: 'bool', at: left.at });
const and = (list: E[]): E => list.reduce((l, r) => ({ kind: 'logical', op: 'and', left: l, right: r, type: 'bool', at: l.at }));
const bin = (op: 'add' | 'sub' | 'mul', left: E, right: E): E => ({ kind: 'binary', op, left, right, type: 'int64', at: left.at });
/** `-2^30 <= v <= 2^30` for an int64 expression. */
const small = (v: E): E => and([cmp('le', i64c(-LIMIT, v.at), v), cmp('le', v, i64c(LIMIT, v.at))]);

/** Structural equality of two expressions (IR nodes are trees of plain data). */
const same = (a: E, b: E): boolean => JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) === JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

/** Step 1's loop: counter, first value, the bound and whether it is inclusive. */
interface Counting { counter: number; type: DType; first: E; end: E; inclusive: boolean }

function countingLoop(s: ForStmt<DType>, invariant: (e: E) => boolean): Counting | null {
  const upd = s.update[0];
  if (s.init.length > 1 || s.update.length !== 1 || upd?.kind !== 'assign' || upd.place.kind !== 'local') return null;
  const c = upd.place.id;
  const v = upd.value;
  const isC = (e: E) => e.kind === 'local' && e.id === c;
  if (!(SIGNED.has(v.type) && v.kind === 'binary' && v.op === 'add' && isC(v.left) && v.right.kind === 'const' && BigInt(v.right.value as number | bigint) > 0n)) return null;
  const init = s.init[0];
  let first: E;
  if (init === undefined) first = { kind: 'local', id: c, type: v.type, at: s.at };
  else if (init.kind === 'let' && init.local === c && invariant(init.init)) first = init.init;
  else return null;
  const cond = s.cond;
  if (cond?.kind !== 'compare' || (cond.op !== 'lt' && cond.op !== 'le') || !isC(cond.left) || !invariant(cond.right)) return null;
  return { counter: c, type: v.type, first, end: cond.right, inclusive: cond.op === 'le' };
}

/** An affine index `[cast] c [* K] [± B]` (or an invariant one): its parts. */
interface Affine { scale: E | null; counter: boolean; offset: E | null; negOffset: boolean; nodes: E[] }

function affine(x: E, counter: number, invariant: (e: E) => boolean): Affine | null {
  if (invariant(x)) return { scale: null, counter: false, offset: x, negOffset: false, nodes: [] };
  // Every node of x is int32 or int64 (signed: the guard's int64 values are theirs, step 3).
  if (!SIGNED.has(x.type)) return null;
  const isCounter = (e: E): boolean => (e.kind === 'local' && e.id === counter) || (e.kind === 'cast' && e.type === 'int64' && e.arg.type === 'int32' && isCounter(e.arg));
  const term = (e: E): { scale: E | null; nodes: E[] } | null => {
    if (isCounter(e)) return { scale: null, nodes: [e] };
    if (e.kind === 'binary' && e.op === 'mul') {
      if (isCounter(e.left) && invariant(e.right)) return { scale: e.right, nodes: [e.left, e] };
      if (isCounter(e.right) && invariant(e.left)) return { scale: e.left, nodes: [e.right, e] };
    }
    return null;
  };
  const t = term(x);
  if (t) return { scale: t.scale, counter: true, offset: null, negOffset: false, nodes: t.nodes };
  if (x.kind === 'binary' && (x.op === 'add' || x.op === 'sub')) {
    const l = term(x.left);
    if (l && invariant(x.right)) return { scale: l.scale, counter: true, offset: x.right, negOffset: x.op === 'sub', nodes: [...l.nodes, x] };
    const r = x.op === 'add' ? term(x.right) : null;
    if (r && invariant(x.left)) return { scale: r.scale, counter: true, offset: x.left, negOffset: false, nodes: [...r.nodes, x] };
  }
  return null;
}

/** The value of an affine index at counter value `c` (int64), and its int32 nodes' values there. */
function at(a: Affine, c: E): { value: E; narrow: E[] } {
  const t = a.counter ? (a.scale ? bin('mul', c, toI64(a.scale)) : c) : null;
  const off = a.offset ? toI64(a.offset) : null;
  const value = t === null ? off! : off === null ? t : bin(a.negOffset ? 'sub' : 'add', t, off);
  // The int32 nodes of x (the counter, c * K, c * K ± B): their values, to be kept in int32.
  const narrow = a.nodes.filter((n) => n.type === 'int32').map((n) => (n.kind === 'binary' && n.op !== 'mul' ? value : n.kind === 'binary' ? t! : c));
  return { value, narrow };
}

/** The `x` of a negative-index wrap `x < 0 ? x + size : x`, or null. */
function unwrap(i: E): E | null {
  if (i.kind !== 'select' || i.cond.kind !== 'compare' || i.cond.op !== 'lt') return null;
  const x = i.else;
  return same(i.cond.left, x) && i.cond.right.kind === 'const' && BigInt(i.cond.right.value as number | bigint) === 0n ? x : null;
}

/** Steps 2-4 for one innermost loop: the versioned statement, or null when nothing gains. */
function versionLoop(fn: IRFunction<DType>, s: ForStmt<DType>): S | null {
  // (a guard before the loop would read the sizes of the array before its allocation)
  if (makesArrays(s.body)) return null;
  // What the loop assigns: its body's variables and the counter (its update).
  const assigned = new Set<string>();
  forEachStmt([...s.body, ...s.update], (b) => {
    if (b.kind === 'let') assigned.add(`l${b.local}`);
    if (b.kind === 'assign') assigned.add(b.place.kind === 'local' ? `l${b.place.id}` : `p${b.place.index}`);
  });
  const invariant = (e: E): boolean => {
    switch (e.kind) {
      case 'const': return isIntType(e.type) && e.type !== 'uint64';
      case 'length': return e.array.kind === 'param';
      case 'param': return isIntType(e.type) && e.type !== 'uint64' && !assigned.has(`p${e.index}`);
      case 'local': return isIntType(e.type) && e.type !== 'uint64' && !assigned.has(`l${e.id}`);
      case 'cast': return isIntType(e.type) && e.type !== 'uint64' && isIntType(e.arg.type) && invariant(e.arg);
      case 'binary': return isIntType(e.type) && e.type !== 'uint64' && (e.op === 'add' || e.op === 'sub' || e.op === 'mul') && invariant(e.left) && invariant(e.right);
      default: return false;
    }
  };
  const loop = countingLoop(s, invariant);
  if (loop === null) return null;
  const first = toI64(loop.first);
  const last = loop.inclusive ? toI64(loop.end) : bin('sub', toI64(loop.end), i64c(1n, s.at));
  const guards: E[] = [];
  const leaves = new Map<string, E>();
  const leaf = (e: E) => leaves.set(JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)), toI64(e));
  /** The fast index for index k of an access, or null (kept as it is). */
  const fast = (array: ArrayRef, axis: number, index: E, check: number | null): E | null => {
    if (array.kind !== 'param') return null;
    const inner = unwrap(index);
    if (inner === null && check === null) return null;
    const x = inner ?? index;
    const a = affine(x, loop.counter, invariant);
    if (a === null) return null;
    if (a.scale) leaf(a.scale);
    if (a.offset) leaf(a.offset);
    const size = toI64({ kind: 'length', array, axis, type: 'int32', at: index.at });
    for (const c of a.counter ? [first, last] : [first]) {
      const { value, narrow } = at(a, c);
      guards.push(cmp('le', i64c(0n, s.at), value), cmp('lt', value, size));
      for (const n of narrow) guards.push(cmp('le', i64c(-(2n ** 31n), s.at), n), cmp('le', n, i64c(2n ** 31n - 1n, s.at)));
    }
    return x;
  };
  let gains = false;
  const indices = (array: ArrayRef, list: readonly E[], checks: IndexChecks | undefined) => {
    const out = list.map((ix, k) => fast(array, k, ix, checks?.[k] ?? null));
    if (out.every((x) => x === null)) return null;
    gains = true;
    return {
      indices: list.map((ix, k) => out[k] ?? ix),
      ...(checks ? { checks: checks.map((c, k) => (out[k] === null ? c : null)) } : {}),
    };
  };
  const expr = (e: E): E => {
    const x = mapChildren(e, expr);
    if (x.kind !== 'load') return x;
    const r = indices(x.array, x.indices, x.checks);
    return r === null ? x : { ...x, ...r };
  };
  const stmt = (b: S): S => {
    const m = mapStmt(b, expr, (list) => list.map(stmt));
    if (m.kind !== 'store') return m;
    const r = indices(m.array, m.indices, m.checks);
    return r === null ? m : { ...m, ...r };
  };
  const body = s.body.map(stmt);
  if (!gains) return null;
  leaf(loop.end);
  const bounded = [first, ...leaves.values()].map(small);
  // Short loops keep their checks: the guard costs about as much as checking a few
  // iterations (measured: localMean's 2-iteration helper loops ran 1.5x slower with it), so
  // it starts with one compare that sends loops of fewer than MIN_TRIPS counter values to
  // the checked copy (empty loops included). Any extra conjunct keeps the guard sound.
  const long = cmp('le', bin('add', first, i64c(BigInt(MIN_TRIPS - 1), s.at)), last);
  return { kind: 'if', at: s.at, cond: and([long, ...bounded, ...guards]), then: [{ ...s, body }], else: [s] };
}

function versionFunction(fn: IRFunction<DType>): IRFunction<DType> {
  const hasLoop = (b: readonly S[]) => {
    let found = false;
    forEachStmt(b, (x) => { if (x.kind === 'for' || x.kind === 'while') found = true; });
    return found;
  };
  // A helper call would be inlined into both copies, doubling the code for what is mostly
  // the helper's own work: loops that call helpers are left alone.
  const callsHelper = (b: readonly S[]) => {
    let found = false;
    forEachExpr(b, (x) => { if (x.kind === 'helper') found = true; });
    return found;
  };
  const stmt = (s: S): S => {
    // A prange loop is one block entry on 'parallel' (emit/prange): copying it would make two.
    if (s.kind === 'for' && s.prange !== true && !hasLoop(s.body) && !callsHelper(s.body)) return versionLoop(fn, s) ?? s;
    return mapStmt(s, (e) => e, (list) => list.map(stmt));
  };
  return { ...fn, body: fn.body.map(stmt) };
}

/**
 * The program with its innermost counting loops versioned (see the file header).
 *
 * @example
 * ```ts
 * // for (let j = 0; j < w; j++) out.set(i, j, img.get(i * d, j * d)) becomes
 * // if (<the four indices in range at j = 0 and j = w - 1>) { the loop unchecked } else { the loop }
 * versionLoops(ir);
 * ```
 */
export function versionLoops(p: IRProgram): IRProgram {
  // Helpers are left alone: they run per element of their caller, so their loops are short
  // (measured in CPU time: the seed's localMean went from 160 to 246 ms with its helper's
  // 2-iteration loops versioned, even with the MIN_TRIPS test failing at once).
  return { ...p, main: versionFunction(p.main) };
}

