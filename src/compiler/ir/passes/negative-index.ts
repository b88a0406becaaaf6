/**
 * Negative indices of jit functions' NDArrays: `a.get(-1)` is the last element, as
 * NDArray.get/set read it (src/ndarray/views.ts normalizeIndex: an index below 0 counts
 * from the end). TypedArrays are not wrapped: `t[-1]` is undefined in JavaScript, and in a
 * jit function an out-of-range index (the bounds checks' IndexError).
 *
 * Steps, for every index of every load and store of an array parameter marked `negative`
 * (an NDArray of the jit function or of a helper it passes one to):
 *   1. an index that cannot be negative is kept: an unsigned one, a constant >= 0, a size,
 *      or `x + k` (x an integer local, k a constant, widening casts allowed) whose lowest
 *      value by its definitions (passes/bounds-check.ts {@link localLowerBounds}) plus k is
 *      >= 0: loop counters from 0, so the usual loops pay nothing and their accesses stay
 *      provably in range;
 *   2. a negative constant c becomes `size + c`;
 *   3. any other index i becomes `i < 0 ? i + size : i` (computed in int32, or int64 for
 *      64-bit indices); the bounds checks then check the result (a wrapped index still
 *      below 0, or one past the end, is the IndexError `E_KERNEL_BOUNDS`).
 * Runs after inference and folding, before the bounds checks. IR expressions have no side
 * effects, so reading the index twice means the same as reading it once.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { coreOf, mapChildren, mapStmt, type ArrayRef, type Expr, type IRFunction, type IRProgram, type Stmt } from '../nodes.js';
import { bitsOf, isIntType, isSigned } from '../types.js';
import { localLowerBounds } from './bounds-check.js';

type E = Expr<DType>;
type S = Stmt<DType>;

/** The lowest value of an index by its form, or -Infinity. */
function lowest(e: E, lows: ReadonlyMap<number, number>): number {
  while (e.kind === 'cast' && isIntType(e.arg.type) && isIntType(e.type) && bitsOf(e.type) >= bitsOf(e.arg.type)) e = e.arg;
  if (!isSigned(e.type)) return isIntType(e.type) ? 0 : -Infinity;
  switch (e.kind) {
    case 'const': return Number(e.value);
    case 'length': return 0;
    case 'local': return lows.get(e.id) ?? -Infinity;
    case 'binary': {
      if (e.op !== 'add' && e.op !== 'sub') return -Infinity;
      const l = lowest(e.left, lows);
      if (e.right.kind !== 'const') return e.op === 'add' ? l + lowest(e.right, lows) : -Infinity;
      return l + (e.op === 'add' ? 1 : -1) * Number(e.right.value);
    }
    default: return -Infinity;
  }
}

function wrapIndex(i: E, array: ArrayRef, axis: number, lows: ReadonlyMap<number, number>): E {
  if (!isSigned(i.type) || lowest(i, lows) >= 0) return i;
  const t: DType = bitsOf(i.type) === 64 ? 'int64' : 'int32';
  const at = i.at;
  const x: E = i.type === t ? i : { kind: 'cast', arg: i, type: t, at };
  const len: E = { kind: 'length', array, axis, type: 'int32', at };
  const size: E = t === 'int32' ? len : { kind: 'cast', arg: len, type: t, at };
  const plus: E = { kind: 'binary', op: 'add', left: x, right: size, type: t, at };
  if (x.kind === 'const') return plus;
  const zero: E = { kind: 'const', value: t === 'int64' ? 0n : 0, type: t, at };
  return { kind: 'select', cond: { kind: 'compare', op: 'lt', left: x, right: zero, operand: t, type: 'bool', at }, then: plus, else: x, type: t, at };
}

/**
 * The program with the indices of its NDArray parameters (`array.negative`, in the function
 * and in helpers that take arrays) wrapped as NDArray.get does.
 *
 * @example
 * ```ts
 * const p = negativeIndices(ir); // a.get(-1) reads a.get(n - 1)
 * ```
 */
export function negativeIndices(p: IRProgram): IRProgram {
  const wrap = (fn: IRFunction<DType>): IRFunction<DType> => {
    const core = coreOf(p, fn);
    if (core === undefined || !fn.params.some((q) => q.array?.negative)) return fn;
    const lows = localLowerBounds(fn, core);
    const wraps = (array: ArrayRef): boolean => array.kind === 'param' && fn.params[array.index]!.array?.negative === true;
    const indices = (array: ArrayRef, xs: readonly E[]): E[] => xs.map((i, k) => (wraps(array) ? wrapIndex(expr(i), array, k, lows) : expr(i)));
    const expr = (e: E): E => (e.kind === 'load' ? { ...e, indices: indices(e.array, e.indices) } : mapChildren(e, expr));
    const stmts = (b: readonly S[]): S[] => b.map((s) => (s.kind === 'store'
      ? { ...s, indices: indices(s.array, s.indices), value: expr(s.value) }
      : mapStmt(s, expr, stmts)));
    return { ...fn, body: stmts(fn.body) };
  };
  return { ...p, main: wrap(p.main), helpers: p.helpers.map(wrap) };
}
