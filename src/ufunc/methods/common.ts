/**
 * What the ufunc methods share: the ufunc description they run on, argument checks,
 * NumPy's loop resolution for reduce-like methods, and layout helpers.
 */
import type { LoopRecord } from '../loop-record.js';
import { convertScalar } from '../../dtype/convert-scalar.js';
import { DTYPES, normalizeDType, type DType, type DTypeLike, type Scalar } from '../../dtype/dtypes.js';
import { formatShape } from '../../ndarray/layout.js';
import { copyLayout } from '../../ndarray/copy.js';
import { empty } from '../../ndarray/creation.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { DTypeError, ShapeError, ValueError } from '../../util/errors.js';
import { resolveLoop, type UfuncDispatch } from '../dispatch.js';
import { operandOf } from '../execute.js';

/** The ufunc a method runs on (the spec `createUfunc` was given). */
export interface MethodUfunc extends UfuncDispatch {
  readonly nout: number;
  readonly identity: Scalar | null;
  readonly reorderable: boolean;
}

/** NumPy's names of the methods, for messages and codes. */
export type MethodName = 'reduce' | 'accumulate' | 'reduceat' | 'outer' | 'at';

/**
 * Reject a method the ufunc cannot run: reduce-like methods need a binary ufunc with one
 * output (NumPy's wording).
 *
 * @throws ValueError `E_VALUE_REDUCE` / `E_VALUE_ACCUMULATE` / `E_VALUE_REDUCEAT`.
 */
export function requireBinary(t: MethodUfunc, method: 'reduce' | 'accumulate' | 'reduceat'): void {
  const code = `E_VALUE_${method.toUpperCase()}`;
  if (t.nin !== 2) throw new ValueError(code, `${method} only supported for binary functions (ufunc '${t.name}' has ${t.nin} input${t.nin === 1 ? '' : 's'})`);
  if (t.nout !== 1) throw new ValueError(code, `${method} only supported for functions returning a single value (ufunc '${t.name}' has ${t.nout} outputs)`);
}

/**
 * Check the keys of an options object.
 *
 * @throws ValueError `E_VALUE_OPTION` naming an unknown key.
 */
export function checkOptions(name: string, method: MethodName, opts: object, allowed: readonly string[]): void {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts) || opts instanceof NDArray) {
    throw new ValueError('E_VALUE_OPTION', `${name}.${method} takes an options object as its last argument`);
  }
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) {
      throw new ValueError('E_VALUE_OPTION', `${name}.${method} got an unknown option '${k}' (options: ${allowed.join(', ')})`);
    }
  }
}

/**
 * The `out` option of a method: a writeable NDArray of exactly `shape`, or undefined.
 *
 * @throws ValueError `E_VALUE_OUT` / `E_VALUE_READONLY`; ShapeError `E_SHAPE_OUT`.
 */
export function checkOut(name: string, method: MethodName, out: unknown, shape: readonly number[]): NDArray | undefined {
  if (out === undefined || out === null) return undefined;
  const o = Array.isArray(out) && out.length === 1 ? (out[0] as unknown) : out;
  if (!(o instanceof NDArray)) throw new ValueError('E_VALUE_OUT', `out of ${name}.${method} must be an NDArray`);
  if (!o.writeable) throw new ValueError('E_VALUE_READONLY', `out of ${name}.${method} is read-only (a broadcast view)`);
  if (o.shape.length !== shape.length || o.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      'E_SHAPE_OUT',
      `out of ${name}.${method} has shape ${formatShape(o.shape)}, but the result has shape ${formatShape(shape)}`,
    );
  }
  return o;
}

/** NumPy's logical ufuncs: their reductions cast any input to bool (NumPy's logical promoter). */
const LOGICAL = new Set(['logical_and', 'logical_or', 'logical_xor']);

/**
 * The loop a reduce-like method runs (NumPy's `reducelike_promote_and_resolve`):
 *   1. `dtype=` fixes the accumulator (first input and output); without it and without
 *      `out`, `add` and `multiply` reduce bool and integers narrower than 64 bits in int64
 *      (uint64 for unsigned): NumPy's "at least a long for add and multiply";
 *   2. otherwise the ufunc's own resolution for (out or input, input) picks the loop; a loop
 *      whose output differs from its first input (comparisons) is retried with the first
 *      input fixed to that output dtype (the other input must then cast safely, except for
 *      the logical ufuncs, which take anything as bool);
 *   3. the first input and the output must have one dtype (for accumulate and reduceat
 *      the second input too), else a DTypeError.
 * Casting into the loop is 'unsafe' (NumPy uses unsafe casting for reductions).
 *
 * @throws DTypeError `E_DTYPE_NO_LOOP` or `E_DTYPE_REDUCE_LOOP`.
 */
export function resolveReduceLoop(
  t: MethodUfunc, input: DType, out: NDArray | undefined, dtype: DTypeLike | null | undefined,
  method: 'reduce' | 'accumulate' | 'reduceat',
): LoopRecord {
  let otype = dtype === undefined || dtype === null ? undefined : normalizeDType(dtype);
  if (otype === undefined && out === undefined && (t.name === 'add' || t.name === 'multiply')) {
    const info = DTYPES[input];
    if (info.kind === 'b') otype = 'int64';
    else if (info.kind !== 'f' && info.itemSize < 8) otype = info.kind === 'u' ? 'uint64' : 'int64';
  }
  let loop: LoopRecord;
  if (otype !== undefined) {
    // NumPy's uniform resolvers let dtype= fix every operand; the default (linear) type-tuple
    // search fixes the accumulator and needs the other input to cast safely.
    const fixed = t.resolver === 'linear' || t.resolver === 'declared' ? [otype, null, otype] : [otype, otype, otype];
    loop = resolveLoop(t, [otype, input], fixed, 'unsafe');
  } else {
    loop = resolveLoop(t, [out?.dtype ?? input, input], undefined, 'unsafe');
    if (loop.ins[0] !== loop.outs[0]) {
      const o = loop.outs[0]!;
      loop = resolveLoop(t, [o, input], LOGICAL.has(t.name) ? [o, o, o] : [o, null, null], 'unsafe');
    }
  }
  if (loop.ins[0] !== loop.outs[0] || (method !== 'reduce' && loop.ins[1] !== loop.outs[0])) {
    throw new DTypeError(
      'E_DTYPE_REDUCE_LOOP',
      `the resolved dtypes are not compatible with ${t.name}.${method} (loop ${loop.types}): ` +
        `the accumulator must be the loop's first input and its output`,
    );
  }
  return loop;
}

/** The ufunc's identity as a value of `dtype` (NumPy: -1 is all ones for unsigned types). */
export function identityOf(t: MethodUfunc, dtype: DType): Scalar | undefined {
  return t.identity === null || t.identity === undefined ? undefined : convertScalar(t.identity, dtype);
}

/** Axes ordered as NumPy's K order: largest |stride| first, ties in C order. */
export function kOrder(shape: readonly number[], strides: readonly number[]): number[] {
  return [...shape.keys()].sort((a, b) => Math.abs(strides[b]!) - Math.abs(strides[a]!) || a - b);
}

/**
 * A new contiguous array of `shape` whose memory order follows `order` (outermost first):
 * element [i, j, ...] keeps its logical index, strides are positive.
 */
export function emptyOrdered(shape: readonly number[], order: readonly number[], dtype: DType): NDArray {
  const base = empty(order.map((a) => shape[a]!), dtype);
  const inverse = new Array<number>(order.length);
  order.forEach((a, k) => (inverse[a] = k));
  return base.transpose(inverse);
}

/**
 * A contiguous copy of `a` converted to `dtype`, keeping the memory order of `a`'s axes
 * (NumPy's K order) but the logical order of elements along each axis, so that reductions
 * visit the elements as NumPy's iterator does.
 */
export function copyK(a: NDArray, dtype: DType): NDArray {
  const res = emptyOrdered(a.shape, kOrder(a.shape, a.strides), dtype);
  copyLayout(operandOf(a, a.shape), operandOf(res, res.shape));
  return res;
}

/** Slice specs selecting `spec` on `axis` and everything on the other axes of an ndim-array. */
export function onAxis(ndim: number, axis: number, spec: string | number): (string | number)[] {
  const specs: (string | number)[] = Array<string>(ndim).fill(':');
  specs[axis] = spec;
  return specs;
}

/** A view of `a` with the given shape and strides (no checks; callers build valid layouts). */
export function viewOf(a: NDArray, shape: readonly number[], strides: readonly number[], offset = a.offset): NDArray {
  return new NDArray(a.storage, shape, strides, offset);
}

/** Copy (with NumPy's unsafe cast) `src` into `dst` of the same shape. */
export function copyInto(src: NDArray, dst: NDArray): void {
  copyLayout(operandOf(src, dst.shape), operandOf(dst, dst.shape));
}

/**
 * The common ending of reduce, accumulate and reduceat. `fill` computes into `res`, which is
 * `out` itself when the method may write there directly (`direct`), else a fresh array; it may
 * return a view of `res` in the promised shape (reduce without keepdims). The fresh result is
 * returned, or copied into `out` and freed; a throw frees it too, so nothing leaks.
 */
export function deliverResult(res: NDArray, out: NDArray | undefined, direct: boolean, fill: () => NDArray | void): NDArray {
  let result: NDArray;
  try {
    result = fill() ?? res;
  } catch (e) {
    if (!direct) res.dispose();
    throw e;
  }
  if (direct) return out!;
  if (out === undefined) return result;
  try {
    copyInto(result, out);
  } finally {
    res.dispose();
  }
  return out;
}
