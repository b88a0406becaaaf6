/**
 * Masked copy for ufunc `where=`: dst[i] = src[i] where mask[i] is true, else dst[i] is left
 * untouched. Plan: [ndim, shape, srcPtr, srcStrides, maskPtr, maskStrides, dstPtr, dstStrides]
 * (byte strides; the mask is bool bytes). src and dst have the same dtype, so the copy moves
 * raw elements of `size` bytes.
 */
import { walk3 } from './ufunc/walk';

function row1(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize): void {
  for (let i = 0; i < n; i++) { if (load<u8>(p1)) store<u8>(p2, load<u8>(p0)); p0 += s0; p1 += s1; p2 += s2; }
}
function row2(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize): void {
  for (let i = 0; i < n; i++) { if (load<u8>(p1)) store<u16>(p2, load<u16>(p0)); p0 += s0; p1 += s1; p2 += s2; }
}
function row4(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize): void {
  for (let i = 0; i < n; i++) { if (load<u8>(p1)) store<u32>(p2, load<u32>(p0)); p0 += s0; p1 += s1; p2 += s2; }
}
function row8(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize): void {
  for (let i = 0; i < n; i++) { if (load<u8>(p1)) store<u64>(p2, load<u64>(p0)); p0 += s0; p1 += s1; p2 += s2; }
}

/** Copy elements of `size` bytes (1, 2, 4 or 8) where the mask is set. */
export function copyWherePlan(size: i32, plan: usize): void {
  if (size == 1) walk3(plan, row1);
  else if (size == 2) walk3(plan, row2);
  else if (size == 4) walk3(plan, row4);
  else walk3(plan, row8);
}
