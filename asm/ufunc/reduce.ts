/**
 * Reduction helpers for the generated loops.
 *
 * pairwiseSum is NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src,
 * re-derived): blocks of up to 128 elements are summed with 8 interleaved accumulators
 * r[0..7] (r[j] takes elements i + j), combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7));
 * longer rows are split in halves (a multiple of 8) recursively. Error grows as O(log n)
 * rather than O(n), and the 8 accumulators break the add-latency chain (one running sum is
 * stuck at 0.83 ns/element; DESIGN.md decision 4). Here r[0..7] live in v128 registers:
 * lane l of vector k is r[k * lanes + l], so the order of additions — and therefore the
 * result, bit for bit — is NumPy's.
 */

const BLOCK: i32 = 128;

/** Sum of n contiguous T's (f32 or f64) at p, in NumPy's pairwise order. */
export function pairwiseSum<T>(p: usize, n: i32): T {
  if (n < 8) {
    let res: T = <T>0;
    // NumPy starts from -0.0 so that a sum of -0.0 values keeps its sign.
    res = <T>-0.0;
    for (let i = 0; i < n; i++) res += load<T>(p + (<usize>i) * sizeof<T>());
    return res;
  }
  if (n <= BLOCK) {
    let res: T;
    if (sizeof<T>() == 8) {
      let v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
      let i = 8;
      for (; i < n - (n % 8); i += 8) {
        const q = p + (<usize>i << 3);
        v0 = f64x2.add(v0, v128.load(q));
        v1 = f64x2.add(v1, v128.load(q, 16));
        v2 = f64x2.add(v2, v128.load(q, 32));
        v3 = f64x2.add(v3, v128.load(q, 48));
      }
      const r = ((f64x2.extract_lane(v0, 0) + f64x2.extract_lane(v0, 1)) + (f64x2.extract_lane(v1, 0) + f64x2.extract_lane(v1, 1))) +
        ((f64x2.extract_lane(v2, 0) + f64x2.extract_lane(v2, 1)) + (f64x2.extract_lane(v3, 0) + f64x2.extract_lane(v3, 1)));
      res = <T>r;
      for (; i < n; i++) res += load<T>(p + (<usize>i << 3));
    } else {
      let v0 = v128.load(p), v1 = v128.load(p, 16);
      let i = 8;
      for (; i < n - (n % 8); i += 8) {
        const q = p + (<usize>i << 2);
        v0 = f32x4.add(v0, v128.load(q));
        v1 = f32x4.add(v1, v128.load(q, 16));
      }
      const r = ((f32x4.extract_lane(v0, 0) + f32x4.extract_lane(v0, 1)) + (f32x4.extract_lane(v0, 2) + f32x4.extract_lane(v0, 3))) +
        ((f32x4.extract_lane(v1, 0) + f32x4.extract_lane(v1, 1)) + (f32x4.extract_lane(v1, 2) + f32x4.extract_lane(v1, 3)));
      res = <T>r;
      for (; i < n; i++) res += load<T>(p + (<usize>i << 2));
    }
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseSum<T>(p, n2) + pairwiseSum<T>(p + (<usize>n2) * sizeof<T>(), n - n2);
}
