/**
 * Pointer walks: strength reduction of counting loops for the AssemblyScript emitter.
 * A loop `for (let i = e; ...; i = i + k)` (or `for (; ...)` over a counter declared
 * before, as fastmath's loops are) whose body never assigns i gets, for every 1-D array
 * read or written at `[i]` or `[i + c]` in its body, a pointer that starts at
 * `a + i * stride` and steps by `k * stride` with i; those accesses then read through the
 * pointer and need no multiply (measured on rowdot (1e5, 32): the address arithmetic was
 * ~15% of the row loop).
 *
 * Steps, helpers first and then the kernel (one numbering of pointers for the program):
 *   1. per `for`, outer loops first: is it a counting loop over an int32 counter with a
 *      constant step in (0, 64], its counter assigned nowhere in its body? Then each 1-D
 *      array accessed in the body at `[counter + c]` (c a constant in [0, 64)) gets a
 *      {@link PointerWalk} on the loop (`walks`);
 *   2. every access in the loop's body (nested loops included) at `[counter + c]` of a
 *      walked array is annotated `walk: { id, offset: c }`. The loop's own init, condition
 *      and update run before the pointers exist and keep their indexed accesses.
 * The pass only annotates: indices stay, so the program means the same to every reader,
 * and emitters other than AssemblyScript ignore the annotations.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { versionLoops } from './loop-versioning.js';
import { arrayKey, forEachExpr, makesArrays, mapChildren, mapStmt, type ArrayRef, forEachStmt, type Expr, type ForStmt, type IRFunction, type IRProgram, type PointerWalk, type Stmt } from '../nodes.js';

type E = Expr<DType>;
type S = Stmt<DType>;

/** A small non-negative int32 constant (an unrolled body's `+ c`, a loop's step), or null. */
function smallConst(e: E, lo: number, hi: number): number | null {
  return e.kind === 'const' && typeof e.value === 'number' && Number.isInteger(e.value) && e.value >= lo && e.value <= hi ? e.value : null;
}

/** `i` or `i + c` (either order) on an int32 local i: the local and c. */
function counterOffset(e: E): { id: number; k: number } | null {
  if (e.kind === 'local' && e.type === 'int32') return { id: e.id, k: 0 };
  if (e.kind === 'binary' && e.op === 'add' && e.type === 'int32') {
    const [l, r] = [e.left, e.right];
    if (l.kind === 'local' && smallConst(r, 0, 63) !== null) return { id: l.id, k: smallConst(r, 0, 63)! };
    if (r.kind === 'local' && smallConst(l, 0, 63) !== null) return { id: r.id, k: smallConst(l, 0, 63)! };
  }
  return null;
}

/** The counter of a counting loop with its step, or null. */
function countingLoop(s: ForStmt<DType>): { counter: number; step: number } | null {
  const first = s.init[0];
  const upd = s.update[0];
  if (s.init.length > 1 || (first !== undefined && first.kind !== 'let') || s.update.length !== 1 || upd?.kind !== 'assign') return null;
  if (upd.place.kind !== 'local') return null;
  const c = upd.place.id;
  if (first !== undefined && first.kind === 'let' && first.local !== c) return null;
  const v = upd.value;
  const isC = (e: E) => e.kind === 'local' && e.id === c;
  const step = v.kind === 'binary' && v.op === 'add' && v.type === 'int32'
    ? (isC(v.left) ? smallConst(v.right, 1, 64) : isC(v.right) ? smallConst(v.left, 1, 64) : null)
    : null;
  if (step === null) return null;
  let assigned = false;
  forEachStmt(s.body, (b) => {
    if ((b.kind === 'assign' && b.place.kind === 'local' && b.place.id === c) || (b.kind === 'let' && b.local === c)) assigned = true;
  });
  return assigned ? null : { counter: c, step };
}

/**
 * The arrays a counting loop walks: 1-D array parameters (strided: what a walk saves is the
 * stride multiply) its body accesses at `[counter + c]`, in first-access order.
 */
function walkedArrays(fn: IRFunction<DType>, s: ForStmt<DType>, counter: number): ArrayRef[] {
  const arrays = new Map<string, ArrayRef>();
  // (a pointer started before the body would outlive an allocation in it)
  if (makesArrays(s.body)) return [];
  const visit = (array: ArrayRef, indices: readonly E[]) => {
    const at = indices.length === 1 ? counterOffset(indices[0]!) : null;
    if (at !== null && at.id === counter && array.kind === 'param' && fn.params[array.index]?.array?.ndim === 1) arrays.set(arrayKey(array), array);
  };
  forEachExpr(s.body, (e) => { if (e.kind === 'load') visit(e.array, e.indices); });
  forEachStmt(s.body, (b) => { if (b.kind === 'store') visit(b.array, b.indices); });
  return [...arrays.values()];
}

/** One function with its walks, numbering pointers from `next()`. */
function walkFunction(fn: IRFunction<DType>, next: () => number): IRFunction<DType> {
  /** Pointers in scope: `array:counter` → pointer id. */
  const live = new Map<string, number>();
  const via = (array: ArrayRef, indices: readonly E[]) => {
    const at = indices.length === 1 ? counterOffset(indices[0]!) : null;
    const id = at === null ? undefined : live.get(`${arrayKey(array)}@${at.id}`);
    return id === undefined ? {} : { walk: { id, offset: at!.k } };
  };
  const expr = (e: E): E => {
    const x = mapChildren(e, expr);
    return x.kind === 'load' && e.kind === 'load' ? { ...x, ...via(e.array, e.indices) } : x;
  };
  const stmts = (b: readonly S[]): S[] => b.map(stmt);
  const stmt = (s: S): S => {
    if (s.kind === 'store') return { ...mapStmt(s, expr, stmts), ...via(s.array, s.indices) };
    if (s.kind !== 'for') return mapStmt(s, expr, stmts);
    const head = { init: stmts(s.init), cond: s.cond && expr(s.cond), update: stmts(s.update) };
    const loop = countingLoop(s);
    const walks: PointerWalk[] = loop === null ? [] : walkedArrays(fn, s, loop.counter).map((array) => ({ id: next(), array, counter: loop.counter, step: loop.step }));
    for (const w of walks) live.set(`${arrayKey(w.array)}@${w.counter}`, w.id);
    const body = stmts(s.body);
    for (const w of walks) live.delete(`${arrayKey(w.array)}@${w.counter}`);
    return { ...s, ...head, body, ...(walks.length ? { walks } : {}) };
  };
  return { ...fn, body: stmts(fn.body) };
}

/**
 * The program with its pointer walks (what the AssemblyScript emitter prints).
 *
 * @example
 * ```ts
 * const k = compileKernel(rowdot, 'void(f8[:], f8[:], f8[:])', { kind: 'gufunc', core });
 * pointerWalks(k.ir).main.body; // the loop over i carries walks of a and b; a[i], b[i] read through them
 * ```
 */
export function pointerWalks(p: IRProgram): IRProgram {
  // Innermost loops first get a copy without the checks they can prove once (loop-versioning.ts).
  p = versionLoops(p);
  let n = 0;
  const next = () => n++;
  const helpers = p.helpers.map((h) => walkFunction(h, next));
  return { ...p, helpers, main: walkFunction(p.main, next) };
}
