/**
 * N-d strided fill: replicate one element (already converted to the destination dtype by
 * the caller) over every element a plan describes. Only the element's width matters, so
 * the loops are instantiated for u8, u16, u32 and u64 and copy bits.
 *
 * Same walk as copy.ts (recursion over the outer dimensions, loops over the last two);
 * contiguous rows use memory.fill (1 byte) or 16-byte v128 stores of a splatted value.
 */
import { at, planIsEmpty, planNdim, planOperand, planShape } from './plan';

/** Fill every element of the plan's single operand with the T at address value. */
export function fillPlan<T>(plan: usize, value: usize): void {
  const v = load<T>(value);
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  const dstOp = planOperand(plan, 0);
  const dst = <usize>load<u32>(dstOp);
  if (ndim == 0) {
    store<T>(dst, v);
    return;
  }
  if (planIsEmpty(shape, ndim)) return;
  fillDims<T>(0, ndim, shape, dstOp + 4, dst, v);
}

function fillDims<T>(d: i32, ndim: i32, shape: usize, strides: usize, dst: usize, v: T): void {
  const last = ndim - 1;
  if (d < last - 1) {
    const n = at(shape, d);
    const s = <usize>at(strides, d);
    for (let i = 0; i < n; i++) {
      fillDims<T>(d + 1, ndim, shape, strides, dst, v);
      dst += s;
    }
    return;
  }
  const n = <usize>at(shape, last);
  const s = <usize>at(strides, last);
  let m = 1;
  let rowS: usize = 0;
  if (d < last) {
    m = at(shape, d);
    rowS = <usize>at(strides, d);
  }
  if (s == sizeof<T>()) {
    for (let j = 0; j < m; j++) {
      fillRowContiguous<T>(dst, n, v);
      dst += rowS;
    }
  } else {
    for (let j = 0; j < m; j++) {
      let p = dst;
      for (let i: usize = 0; i < n; i++) {
        store<T>(p, v);
        p += s;
      }
      dst += rowS;
    }
  }
}

/** Fill n contiguous elements of width sizeof<T>() starting at dst. */
function fillRowContiguous<T>(dst: usize, n: usize, v: T): void {
  if (sizeof<T>() == 1) {
    memory.fill(dst, <u8>v, n);
    return;
  }
  // Byte counts rather than end pointers: a row may end exactly at the 4 GiB top of memory.
  const splat = v128.splat<T>(v);
  const bytes = n << alignof<T>();
  const bytes64 = bytes & ~(<usize>63);
  let i: usize = 0;
  for (; i < bytes64; i += 64) {
    const p = dst + i;
    v128.store(p, splat);
    v128.store(p, splat, 16);
    v128.store(p, splat, 32);
    v128.store(p, splat, 48);
  }
  for (; i < bytes; i += sizeof<T>()) store<T>(dst + i, v);
}
