/**
 * N-d strided copy with conversion, one generic instantiated per (S, D) type pair.
 *
 * Steps:
 *   1. read ndim, shape and the two operands (src, dst) from the plan;
 *   2. 0-d: convert one element; any zero-length dimension: nothing to do;
 *   3. walk the outer dimensions (all but the last two) by recursion, one level per
 *      dimension: the recursion keeps the index counters on the Wasm value stack, so the
 *      walk needs no scratch memory and concurrent calls from worker threads never share
 *      state;
 *   4. run the last two dimensions as a loop of rows: the contiguous row loop (byte copy or
 *      SIMD) when both inner strides equal the item sizes, else the strided scalar loop.
 * The caller's planner is expected to have merged mergeable dimensions and dropped size-1
 * ones, so rows are as long as the layout allows.
 */
import { convert, loadElement } from './convert';
import { at, planIsEmpty, planNdim, planOperand, planShape } from './plan';
import { copyRowContiguous, copyRowEvens, copyRowStrided, isByteCopy, isRawBits } from './rows';

/** Copy-convert every element described by plan (see index.ts for the layout). */
export function copyPlan<S, D>(plan: usize): void {
  // Pairs that are byte copies share the unsigned instantiation of their width.
  if (isByteCopy<S, D>() && !(isRawBits<S>() && isRawBits<D>())) {
    if (sizeof<S>() == 1) copyPlan<u8, u8>(plan);
    else if (sizeof<S>() == 2) copyPlan<u16, u16>(plan);
    else if (sizeof<S>() == 4) copyPlan<u32, u32>(plan);
    else copyPlan<u64, u64>(plan);
    return;
  }
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  const srcOp = planOperand(plan, 0);
  const dstOp = planOperand(plan, 1);
  const src = <usize>load<u32>(srcOp);
  const dst = <usize>load<u32>(dstOp);
  if (ndim == 0) {
    if (isByteCopy<S, D>()) store<D>(dst, load<D>(src));
    else store<D>(dst, convert<S, D>(loadElement<S>(src)));
    return;
  }
  if (planIsEmpty(shape, ndim)) return;
  copyDims<S, D>(0, ndim, shape, srcOp + 4, dstOp + 4, src, dst);
}

/** Copy the sub-array starting at dimension d (src, dst point at its first element). */
function copyDims<S, D>(d: i32, ndim: i32, shape: usize, srcStrides: usize, dstStrides: usize, src: usize, dst: usize): void {
  const last = ndim - 1;
  if (d < last - 1) {
    const n = at(shape, d);
    const ss = <usize>at(srcStrides, d);
    const ds = <usize>at(dstStrides, d);
    for (let i = 0; i < n; i++) {
      copyDims<S, D>(d + 1, ndim, shape, srcStrides, dstStrides, src, dst);
      src += ss;
      dst += ds;
    }
    return;
  }
  // The last one or two dimensions: m rows of n elements.
  const n = <usize>at(shape, last);
  const ss = <usize>at(srcStrides, last);
  const ds = <usize>at(dstStrides, last);
  let m = 1;
  let rowSs: usize = 0;
  let rowDs: usize = 0;
  if (d < last) {
    m = at(shape, d);
    rowSs = <usize>at(srcStrides, d);
    rowDs = <usize>at(dstStrides, d);
  }
  if (ss == sizeof<S>() && ds == sizeof<D>()) {
    for (let j = 0; j < m; j++) {
      copyRowContiguous<S, D>(src, dst, n);
      src += rowSs;
      dst += rowDs;
    }
  } else if (isByteCopy<S, D>() && sizeof<S>() <= 4 && ss == 2 * sizeof<S>() && ds == sizeof<D>()) {
    // Every second element (a `::2` view): SIMD even-lane gathers, then the strided tail.
    for (let j = 0; j < m; j++) {
      const k = copyRowEvens<S>(src, dst, n);
      copyRowStrided<S, D>(src + k * ss, ss, dst + k * ds, ds, n - k);
      src += rowSs;
      dst += rowDs;
    }
  } else {
    for (let j = 0; j < m; j++) {
      copyRowStrided<S, D>(src, ss, dst, ds, n);
      src += rowSs;
      dst += rowDs;
    }
  }
}
