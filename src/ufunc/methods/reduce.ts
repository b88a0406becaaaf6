/**
 * `ufunc.reduce(a, { axis, keepdims, initial, where, dtype, out })`, NumPy's semantics.
 *
 * How it runs (one Wasm call in the common case):
 *   1. the accumulator `res` has the input's shape with the reduced axes kept as size 1, so
 *      that broadcast to the input's shape it has stride 0 on them;
 *   2. `res` starts as `initial`, else the ufunc's identity, else (no identity: maximum,
 *      subtract, ...) the first slice along the reduced axis, the rest being reduced;
 *   3. one `runLoop` with ins [res, a], outs [res] ordered by the input's strides: a reduced
 *      axis with a large stride stays outer (contiguous SIMD rows `res[j] = op(res[j], a[i, j])`,
 *      NumPy's outer reduction), a reduced innermost axis gives the row reduce path
 *      (NumPy's pairwise sum for float add, four SIMD accumulators for other reorderable ops).
 * NumPy-exact float sums: NumPy sums each row of its iteration pairwise, so numbats makes
 * sure its rows are the same: a reduced inner axis that is not contiguous (`a[::2]`,
 * `a[::-1]`) is first copied into a contiguous array in the same element order (NumPy's
 * pairwise sum takes strides), and when the input needs a cast NumPy sums each 8192-element
 * buffer pairwise and the buffers in sequence, which is done here too.
 * A broadcast input (stride 0 along the reduced inner row, `broadcastTo(x, [1e8])`) is never
 * materialised: every element of such a row is one value, and its pairwise sum is computed
 * from the value and the row length in O(log n) additions, in NumPy's order
 * ({@link pairwiseSumOfConstant}); other loops walk the stride-0 row in place.
 * `where=`: masked-out elements are replaced by the identity (or, for maximum/minimum/fmax/
 * fmin, by `initial`), which changes no result; other ufuncs without an identity reduce one
 * slice at a time under the mask, and so do compiled (vectorize) ufuncs: their identity
 * need not be a true one (Numba's tests give `add` identity 1; NumPy then starts from it
 * once and skips masked elements, so `[1, 2, 3]` under `[T, F, T]` reduces to 5, not 6). NumPy sums each run of unmasked elements pairwise, so a
 * masked float sum may differ from NumPy's in the last bits.
 * A reduced leading axis (`axis=0` of a C-order array) reaches Wasm as a 2-d plan whose rows
 * all fold into one accumulator row: the loop's reduce tile (asm/ufunc/walk.ts's walk3r,
 * scripts/codegen/emit-tile.ts) keeps column chunks of res in registers over panels of 16
 * rows, in the same order of additions as the row-at-a-time walk.
 * Measured (2 vCPU Zen 4, Node 20, machine shared with other jobs; median of 21, ms):
 * add.reduce of 1e7 float64 4.8-7.5 (NumPy 2.4.6 5.9-6.2); 2000x2000 float64 axis=0
 * 1.37-1.44 (NumPy 1.08-1.13) before the tile, axis=1 1.14-1.16 (NumPy 1.15-1.24). With the
 * tile, on a machine at load 20-25 (bench/README.md, issue 16): axis=0 best of 75 calls
 * 0.46 ns/element (before 0.66, NumPy 0.44). int32 -> int64 sums
 * of 1e7 by blocks: 11 ms (a whole-array cast first: 17 ms; NumPy 3.0), bound by the
 * int32 -> int64 conversion loop.
 */
import { checkAlive } from '../execute.js';
import { whereMask } from '../where.js';
import { flagOption } from '../../util/options.js';
import { broadcastStrides } from '../../broadcast/broadcast-shapes.js';
import { broadcastTo } from '../../broadcast/broadcast-to.js';
import { simplifyPlan, type IterationPlan } from '../../ndarray/iteration-plan.js';
import type { DTypeLike, Scalar } from '../../dtype/dtypes.js';
import type { LoopRecord } from '../loop-record.js';
import { fillLayout } from '../../ndarray/copy.js';
import { asarray, empty, type ArrayLikeInput } from '../../ndarray/creation.js';
import { toStorage } from '../../ndarray/element.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { overlaps } from '../../ndarray/operand.js';
import { ValueError } from '../../util/errors.js';
import { copyWhere, operandOf, runLoop } from '../execute.js';
import type { UfuncInput } from '../types.js';
import { normalizeAxes, type AxisOption } from './axes.js';
import {
  checkOptions, checkOut, copyInto, copyK, deliverResult, emptyOrdered, identityOf, kOrder, requireBinary, resolveReduceLoop,
  viewOf, type MethodUfunc,
} from './common.js';

/** Options of `ufunc.reduce`. */
export interface ReduceOptions {
  /** Axis or axes to reduce (default 0; `null`: all). Several axes need a reorderable ufunc. */
  axis?: AxisOption;
  /** Keep the reduced axes as size-1 dimensions. */
  keepdims?: boolean;
  /** Starting value (replaces the identity; `null`: start from the first element). */
  initial?: Scalar | null;
  /** Reduce only where true (broadcast to the input); needs an identity or `initial`. */
  where?: ArrayLikeInput;
  /** Dtype of the accumulator and result. */
  dtype?: DTypeLike | null;
  /** Where to write the result (its shape: the result's). */
  out?: NDArray | null | readonly (NDArray | null)[];
}

const KEYS = ['axis', 'keepdims', 'initial', 'where', 'dtype', 'out'] as const;

/** Ufuncs without identity for which op(x, x) == x: masked elements can be replaced by `initial`. */
const IDEMPOTENT = new Set(['maximum', 'minimum', 'fmax', 'fmin']);

/** NumPy's ufunc buffer size (elements): buffered (cast) float sums are pairwise per block. */
export const NUMPY_BUFSIZE = 8192;

/** Block of a cast reduction for other loops (elements): converted blocks stay in L2. */
const CAST_BLOCK = 32768;

/**
 * Reduce `a` along `axis` with a binary ufunc.
 *
 * @throws ValueError (`E_VALUE_REDUCE` for a unary ufunc or one with two outputs,
 *   `E_VALUE_REORDERABLE`, `E_VALUE_EMPTY_REDUCTION`, `E_VALUE_WHERE_INITIAL`), ShapeError
 *   (`E_SHAPE_AXIS`, `E_SHAPE_AXIS_REPEATED`, `E_SHAPE_OUT`), DTypeError (no loop).
 * @example
 * ```ts
 * nb.add.reduce(nb.arange(6).reshape([2, 3]), { axis: 1 }).toArray(); // [3n, 12n]
 * ```
 */
export function reduce(t: MethodUfunc, a: UfuncInput, opts: ReduceOptions = {}): NDArray {
  requireBinary(t, 'reduce');
  checkOptions(t.name, 'reduce', opts, KEYS);
  const arr = asarray(a);
  const axes = normalizeAxes(opts.axis, arr.ndim);
  const reduced = arr.shape.map((_, i) => axes.includes(i));
  const kshape = arr.shape.map((d, i) => (reduced[i] ? 1 : d));
  const keepdims = flagOption(opts.keepdims, `${t.name}.reduce`, 'keepdims');
  const finalShape = keepdims ? kshape : arr.shape.filter((_, i) => !reduced[i]);
  const out = checkOut(t.name, 'reduce', opts.out, finalShape);
  const loop = resolveReduceLoop(t, arr.dtype, out, opts.dtype, 'reduce');
  checkAlive(out ? [arr, out] : [arr]); // an empty reduction touches no memory: check here
  if (axes.length > 1 && !t.reorderable) {
    throw new ValueError(
      'E_VALUE_REORDERABLE',
      `reduction operation '${t.name}' is not reorderable, so at most one axis may be specified`,
    );
  }
  const dt = loop.outs[0]!;
  const inDt = loop.ins[1]!;
  const start: Scalar | undefined =
    opts.initial === undefined ? identityOf(t, dt) : opts.initial === null ? undefined : opts.initial;
  let mask: NDArray | undefined;
  if (opts.where !== undefined && opts.where !== true) {
    if (start === undefined) {
      throw new ValueError(
        'E_VALUE_WHERE_INITIAL',
        `reduction operation '${t.name}' does not have an identity, so to use a where mask one has to specify 'initial'`,
      );
    }
    mask = broadcastTo(whereMask(opts.where, `${t.name}.reduce`, true)!, arr.shape);
  }
  if (start === undefined && axes.some((ax) => arr.shape[ax] === 0)) {
    throw new ValueError('E_VALUE_EMPTY_REDUCTION', `zero-size array to reduction operation ${t.name} which has no identity`);
  }

  const temps: NDArray[] = [];
  const temp = (x: NDArray): NDArray => (temps.push(x), x);
  const direct =
    out !== undefined && out.dtype === dt && out.storage.kind === 'wasm' &&
    !overlaps(operandOf(out, out.shape), operandOf(arr, arr.shape));
  let res: NDArray;
  if (direct) {
    // out viewed with the reduced axes as size-1 dims (any stride: they broadcast).
    let k = 0;
    res = keepdims ? out : viewOf(out, kshape, kshape.map((_, i) => (reduced[i] ? 0 : out.strides[k++]!)));
  } else res = empty(kshape, dt);
  try {
    return deliverResult(res, out, direct, () => {
      if (start !== undefined) {
        const raw = toStorage(start, dt);
        // A small fresh accumulator is filled from JS (no fill plan, no scratch value block).
        if (!direct && res.size <= 4096) (res.data as unknown as { fill(v: number | bigint): void }).fill(raw);
        else fillLayout(operandOf(res, kshape), raw);
      }
      if (arr.size > 0) {
        let input = arr;
        const cast = arr.dtype !== inDt;
        let done = false;
        if (start === undefined) {
          // NumPy: copy the first element along the reduced axes, reduce the rest (one axis),
          // or everything again (several axes: only idempotent ufuncs lack an identity there).
          copyInto(arr.slice(...arr.shape.map((_, i) => (reduced[i] ? '0:1' : ':'))), res);
          if (axes.length === 0) done = true;
          else if (axes.length === 1) input = input.slice(...arr.shape.map((_, i) => (reduced[i] ? '1:' : ':')));
          else if (loop.exec !== undefined || !IDEMPOTENT.has(t.name)) {
            // Several axes, no identity, not idempotent (a 'reorderable' compiled ufunc, or
            // initial: null): the block without its first element, as disjoint slabs
            // (axis r1 from 1; r1 = 0 and r2 from 1; ...), each reduced into res.
            const sorted = [...axes].sort((x, y) => x - y);
            sorted.forEach((ax, j) => {
              const slab = arr.slice(...arr.shape.map((_, i) => (i === ax ? '1:' : sorted.slice(0, j).includes(i) ? '0:1' : ':')));
              if (slab.size > 0) runReduce(loop, res, slab, cast, temp);
            });
            done = true;
          }
        }
        if (!done && mask !== undefined) {
          if (cast) input = temp(copyK(input, inDt));
          // A built-in's identity is a true one; a compiled ufunc's identity may not be (loop.exec).
          if (loop.exec === undefined && (t.identity != null || IDEMPOTENT.has(t.name))) {
            const fill = t.identity != null ? identityOf(t, inDt)! : start!;
            const filled = temp(emptyOrdered(input.shape, kOrder(input.shape, input.strides), inDt));
            fillLayout(operandOf(filled, filled.shape), toStorage(fill, inDt));
            copyWhere(input, mask, filled, input.shape);
            input = filled;
          } else {
            maskedSlices(loop, res, input, mask, reduced, temp);
            done = true;
          }
        }
        if (!done) runReduce(loop, res, input, cast && mask === undefined, temp, t.identity != null ? toStorage(identityOf(t, dt)!, dt) : undefined);
      }
      return keepdims || direct ? res : res.reshape(finalShape);
    });
  } finally {
    for (const x of temps) x.dispose();
  }
}

/**
 * `res = op(res, input)` (res broadcast to input's shape) as reduce runs it: for reduceat's
 * segments of an input broadcast along the axis. With `cast`, input is converted by blocks.
 */
export function reduceInto(loop: LoopRecord, res: NDArray, input: NDArray, cast: boolean): void {
  const temps: NDArray[] = [];
  try {
    runReduce(loop, res, input, cast, (x) => (temps.push(x), x));
  } finally {
    for (const x of temps) x.dispose();
  }
}

/**
 * `res = op(res, input)` over input's shape, ordered by the input's strides: one runLoop,
 * with NumPy's row structure for pairwise sums (see the module header). With `cast`, the
 * input (not yet in the loop's dtype) is converted block by block into a small buffer and
 * each block reduced, as NumPy's buffered iteration does: the converted copy stays in cache,
 * and float sums are pairwise per 8192-element block, as NumPy's are.
 */
function runReduce(
  loop: LoopRecord, res: NDArray, input: NDArray, cast: boolean, temp: (x: NDArray) => NDArray, identity?: number | bigint,
): void {
  const shape = input.shape;
  const pairwise = loop.row?.reduce === 'pairwise';
  const rs = broadcastStrides(res.shape, res.strides, shape);
  const planOf = (x: NDArray) => simplifyPlan(shape, [rs, x.strides, rs], 1);
  let plan = planOf(input);
  const inner = plan.shape.length - 1;
  if (cast) {
    const block = pairwise ? NUMPY_BUFSIZE : CAST_BLOCK;
    if (plan.size <= block) {
      runReduce(loop, res, temp(copyK(input, loop.ins[1]!)), false, temp, identity);
      return;
    }
    const r = viewOf(res, plan.shape, plan.strides[0]!, res.offset);
    const x = viewOf(input, plan.shape, plan.strides[1]!, input.offset);
    const buf = temp(empty([block], loop.ins[1]!));
    for (const specs of blocks(plan.shape, block)) {
      const xs = x.slice(...specs);
      const bv = buf.slice(`0:${xs.size}`).reshape(xs.shape);
      copyInto(xs, bv);
      const rb = r.slice(...specs);
      runLoop(loop.id, [rb, bv], [rb], xs.shape, { orderBy: 1 });
    }
    return;
  }
  // A broadcast row (stride 0): the sum of n copies of one value, without the copies.
  if (pairwise && inner >= 0 && plan.strides[0]![inner] === 0 && plan.strides[1]![inner] === 0 && constantRows(res, input, plan)) return;
  // NumPy sums a strided or reversed inner row pairwise: make it a contiguous row first.
  if (pairwise && inner >= 0 && plan.strides[0]![inner] === 0 && plan.strides[1]![inner] !== 1) {
    input = temp(copyK(input, input.dtype));
    plan = planOf(input);
  }
  // identity: the parallel target may then reduce through partials (src/parallel/run.ts),
  // each started from the identity: only built-in loops, whose identities are true ones. A
  // compiled ufunc's identity need not be (Numba's tests give add identity 1, and NumPy then
  // starts from it once): started in every partial, it would be counted once per block.
  runLoop(loop.id, [res, input], [res], shape, { orderBy: 1, ...(loop.exec === undefined ? { identity } : {}) });
}

/**
 * `res = res + pairwise(row)` for plan rows along which both `res` and `input` have stride 0
 * (a float sum over a broadcast axis), walking the outer dims of the plan in JS: one value
 * read and one written per row. False (nothing done) when an operand's elements are not
 * readable from JS (device storage).
 */
function constantRows(res: NDArray, input: NDArray, plan: IterationPlan): boolean {
  if (res.storage.kind === 'gpu' || input.storage.kind === 'gpu') return false;
  const r = res.data as Float64Array | Float32Array;
  const x = input.data as Float64Array | Float32Array;
  const round = r instanceof Float32Array ? Math.fround : (v: number) => v;
  const outer = plan.shape.length - 1;
  const n = plan.shape[outer]!;
  const [rs, xs] = [plan.strides[0]!, plan.strides[1]!];
  const index = new Array<number>(outer).fill(0);
  let ro = res.offset;
  let xo = input.offset;
  const memo = new Map<number, number>();
  for (let rows = plan.size / n; rows > 0; rows--) {
    memo.clear();
    r[ro] = round(r[ro]! + pairwiseSumOfConstant(x[xo]!, n, round, memo));
    for (let d = outer - 1; d >= 0; d--) {
      ro += rs[d]!;
      xo += xs[d]!;
      if (++index[d]! < plan.shape[d]!) break;
      ro -= rs[d]! * plan.shape[d]!;
      xo -= xs[d]! * plan.shape[d]!;
      index[d] = 0;
    }
  }
  return true;
}

/**
 * The sum of `n` copies of `c` in the order of NumPy's pairwise summation (the Wasm
 * `pairwiseSum` of asm/ufunc/reduce.ts, bit for bit): rows under 8 summed in sequence from
 * -0.0; up to 128, eight accumulators (each `c` added n/8 times) combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the n % 8 tail; longer rows split in halves
 * (a multiple of 8). Equal accumulators make each level one value, so with `memo` (keyed by
 * length) the work is O(log n). `round` rounds every addition to the dtype (Math.fround for
 * float32: the double sum of two floats rounded once is the float sum).
 *
 * @example
 * ```ts
 * pairwiseSumOfConstant(0.1, 1e6, (v) => v, new Map()); // 100000.00000000003, as NumPy
 * ```
 */
export function pairwiseSumOfConstant(c: number, n: number, round: (v: number) => number, memo: Map<number, number>): number {
  const known = memo.get(n);
  if (known !== undefined) return known;
  let res: number;
  if (n < 8) {
    res = -0;
    for (let i = 0; i < n; i++) res = round(res + c);
  } else if (n <= 128) {
    let acc = c;
    for (let i = 1; i < Math.floor(n / 8); i++) acc = round(acc + c);
    const pair = round(acc + acc);
    const quad = round(pair + pair);
    res = round(quad + quad);
    for (let i = 0; i < n % 8; i++) res = round(res + c);
  } else {
    let n2 = Math.floor(n / 2);
    n2 -= n2 % 8;
    res = round(pairwiseSumOfConstant(c, n2, round, memo) + pairwiseSumOfConstant(c, n - n2, round, memo));
  }
  memo.set(n, res);
  return res;
}

/**
 * Slice specs cutting a loop nest of `shape` (outermost first) into blocks of at most
 * `size` elements, in iteration order: the innermost dims that fit stay whole, the next
 * dim is cut into runs, the outer dims are walked one index at a time.
 */
function* blocks(shape: readonly number[], size: number): Generator<string[]> {
  let innerSize = 1;
  let d = shape.length - 1;
  while (d >= 0 && innerSize * shape[d]! <= size) innerSize *= shape[d--]!;
  if (d < 0) {
    yield shape.map(() => ':');
    return;
  }
  const run = Math.max(1, Math.floor(size / innerSize));
  const index = new Array<number>(d).fill(0);
  let outerCount = 1;
  for (let k = 0; k < d; k++) outerCount *= shape[k]!;
  for (let o = 0; o < outerCount; o++) {
    const head = index.map((i) => `${i}:${i + 1}`);
    const tail = shape.slice(d + 1).map(() => ':');
    for (let s = 0; s < shape[d]!; s += run) yield [...head, `${s}:${Math.min(shape[d]!, s + run)}`, ...tail];
    for (let k = d - 1; k >= 0; k--) {
      if (++index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
}

/**
 * Masked reduction for ufuncs with neither identity nor idempotence (subtract with
 * `initial`): one slice of the reduced axes at a time, `res = where(mask, op(res, a[i]), res)`.
 */
function maskedSlices(
  loop: LoopRecord, res: NDArray, input: NDArray, mask: NDArray, reduced: readonly boolean[],
  temp: (x: NDArray) => NDArray,
): void {
  const step = temp(empty(res.shape, res.dtype));
  const axes = reduced.flatMap((r, i) => (r ? [i] : []));
  const index = axes.map(() => 0);
  const count = axes.reduce((p, ax) => p * input.shape[ax]!, 1);
  for (let k = 0; k < count; k++) {
    const specs = input.shape.map((_, i) => {
      const j = axes.indexOf(i);
      return j < 0 ? ':' : `${index[j]!}:${index[j]! + 1}`;
    });
    runLoop(loop.id, [res, input.slice(...specs)], [step], res.shape);
    copyWhere(step, mask.slice(...specs), res, res.shape);
    for (let j = axes.length - 1; j >= 0; j--) {
      if (++index[j]! < input.shape[axes[j]!]!) break;
      index[j] = 0;
    }
  }
}
