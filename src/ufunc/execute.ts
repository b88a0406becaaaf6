/**
 * Running one chosen loop over operands that already have the loop's dtypes and a common
 * (broadcast) shape: the "iteration plan" step of DESIGN.md's pipeline.
 *
 * Steps:
 *   1. inputs are viewed with broadcast strides (stride 0 on broadcast dims);
 *   2. an input that overlaps an output without being exactly the same elements is copied
 *      first (`a[1:] = a[:-1] + 1`-like calls read old values, as in NumPy); exact aliasing
 *      (`add(a, a, { out: a })`) is safe for elementwise loops and runs in place;
 *   3. operands are made addressable in the heap (js storage is staged);
 *   4. the loop nest is simplified (ordered by the first output's strides) and written as a
 *      plan; one call into Wasm runs the whole N-d iteration.
 */
import { broadcastStrides } from '../broadcast/broadcast-shapes.js';
import { simplifyPlan, type IterationPlan } from '../ndarray/iteration-plan.js';
import { DTYPES } from '../dtype/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { checkPlanRange, overlaps, PLAN_INT_MAX, sameLayout, stage, writePlan, type HeapView, type Operand } from '../ndarray/operand.js';
import { runtime } from '../runtime/runtime.js';
import { throwDisposed } from '../runtime/lifetime.js';
import { customLoop } from './loop-record.js';
import { offerLoop } from './targets.js';

/** Throw E_MEMORY_DISPOSED when any array was disposed. */
export function checkAlive(arrays: readonly NDArray[]): void {
  for (const a of arrays) if (a.storage.disposed) throwDisposed();
}

/** Operand of `a` viewed with the given shape (broadcast when `broadcast`). */
export function operandOf(a: NDArray, shape: readonly number[]): Operand {
  return {
    storage: a.storage,
    shape: [...shape],
    strides: broadcastStrides(a.shape, a.strides, shape),
    offset: a.offset,
  };
}

/** Options of {@link runLoop} for the ufunc methods. */
export interface RunOptions {
  /**
   * Operand whose strides order the loop nest (default: the first output). Reductions order
   * by the input, so that a reduced axis with the larger input stride stays outer.
   */
  orderBy?: number;
  /**
   * Run even though an input partially overlaps an output, reading values the loop has just
   * written (accumulate's out[i] = op(out[i-1], a[i])). Elements are visited in increasing
   * index order along every dim, and SIMD row paths only run on non-overlapping rows.
   */
  allowOverlap?: boolean;
  /**
   * The identity of the loop's output dtype (storage value), given by reductions of ufuncs
   * that have one: lets the parallel target reduce to one element through partial results.
   */
  identity?: number | bigint;
}

/**
 * Run Wasm loop `loopId` with `ins` (already of the loop's input dtypes) writing `outs`
 * (of the loop's output dtypes, each exactly `shape`).
 *
 * @example
 * ```ts
 * runLoop(loop.id, [a, b], [out], out.shape);
 * ```
 */
export function runLoop(
  loopId: number, ins: readonly NDArray[], outs: readonly NDArray[], shape: readonly number[],
  options: RunOptions = {},
): void {
  const outOps = outs.map((o) => operandOf(o, shape));
  const inOps = ins.map((a) => operandOf(a, shape));
  const plan = simplifyPlan(shape, [...inOps, ...outOps].map((o) => o.strides), options.orderBy ?? ins.length);
  // Nothing to touch, but a disposed operand is still an error (staging checks it otherwise).
  if (plan.size === 0) return checkAlive([...ins, ...outs]);
  const sizes = [...ins, ...outs].map((a) => DTYPES[a.dtype].itemSize);
  // An outermost dim longer than a plan's int32 words (only broadcast views reach that) is
  // run in consecutive parts, on this thread: the elements are visited in the same order.
  const parts = outerParts(plan);
  checkPlanRange(parts[0]!.plan, sizes);
  // A registered target may take the loop (the parallel target: parallel kernels, or
  // built-ins after nb.config({ parallel: true })).
  if (parts.length === 1 && offerLoop({ loopId, ins, outs, inOps, outOps, plan, allowOverlap: options.allowOverlap, identity: options.identity })) return;
  const views: HeapView[] = [];
  try {
    for (const op of inOps) {
      const copyFirst = !options.allowOverlap && outOps.some((o) => overlaps(op, o) && !sameLayout(op, o));
      views.push(stage(op, copyFirst));
    }
    for (const op of outOps) views.push(stage(op, false));
    const custom = customLoop(loopId);
    for (const part of parts) {
      const planPtr = writePlan(part.plan, views.map((v, k) => (part.start === 0 ? v.base : v.base + part.start * plan.strides[k]![0]! * sizes[k]!)), sizes);
      if (custom !== undefined) custom.exec!.loop(planPtr, options.allowOverlap === true);
      else runtime().loops.ufunc(loopId, planPtr);
    }
  } finally {
    views.forEach((v, k) => v.release(k >= ins.length));
  }
}

/**
 * The plan cut along its outermost dim into parts that a plan's int32 words can hold (one
 * part, the plan itself, in the usual case). Parts start at index `start` of that dim.
 */
function outerParts(plan: IterationPlan): { start: number; plan: IterationPlan }[] {
  const n = plan.shape[0];
  if (n === undefined || n <= PLAN_INT_MAX) return [{ start: 0, plan }];
  const inner = plan.size / n;
  const parts: { start: number; plan: IterationPlan }[] = [];
  for (let start = 0; start < n; start += PLAN_PART) {
    const len = Math.min(PLAN_PART, n - start);
    parts.push({ start, plan: { shape: [len, ...plan.shape.slice(1)], strides: plan.strides, size: len * inner } });
  }
  return parts;
}

/** Length of the parts of an outermost dim too long for a plan (a multiple of 8 and of 128). */
const PLAN_PART = 2 ** 30;

/**
 * Copy `src` into `dst` where `mask` (bool, broadcast to `shape`) is true; `src` and `dst`
 * have the same dtype and shape.
 */
export function copyWhere(src: NDArray, mask: NDArray, dst: NDArray, shape: readonly number[]): void {
  const ops = [operandOf(src, shape), operandOf(mask, shape), operandOf(dst, shape)];
  const plan = simplifyPlan(shape, ops.map((o) => o.strides), 2);
  if (plan.size === 0) return checkAlive([src, mask, dst]);
  const views: HeapView[] = [];
  try {
    ops.forEach((op, k) => views.push(stage(op, k < 2 && overlaps(op, ops[2]!) && !sameLayout(op, ops[2]!))));
    const size = DTYPES[dst.dtype].itemSize;
    runtime().loops.copyWhere(size, writePlan(plan, views.map((v) => v.base), [size, 1, size]));
  } finally {
    views.forEach((v, k) => v.release(k === 2));
  }
}
