/**
 * vecdot, signature (n),(n)->(): out = sum over the core dim of x1 * x2 (NumPy 2's
 * np.vecdot for real dtypes). Core block: [1, work, workBytes, n, x1 stride, x2 stride].
 */
import { dot } from './dot';
import { coreSize, coreStride } from './walk';

@inline
function vecdotRow<T>(
  count: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize, isBool: bool,
): void {
  const n = coreSize(core, 0);
  const a = coreStride(core, 0);
  const b = coreStride(core, 1);
  for (let i = 0; i < count; i++) {
    store<T>(p2, dot<T>(p0, a, p1, b, n, isBool));
    p0 += s0; p1 += s1; p2 += s2;
  }
}

export function vecdotBool(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<u8>(n, p0, s0, p1, s1, p2, s2, core, true); }
export function vecdotI8(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<i8>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotU8(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<u8>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotI16(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<i16>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotU16(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<u16>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotI32(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<i32>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotU32(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<u32>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotI64(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<i64>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotU64(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<u64>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotF32(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<f32>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function vecdotF64(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { vecdotRow<f64>(n, p0, s0, p1, s1, p2, s2, core, false); }
