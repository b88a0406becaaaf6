/**
 * matmul, signature (n?,k),(k,m?)->(n?,m?). Core block: [3, work, workBytes, N, K, M,
 * A stride n, A stride k, B stride k, B stride m, C stride n, C stride m] (bytes; a missing
 * optional dim has size 1 and stride 0). C never overlaps A or B (the caller copies
 * overlapping inputs first).
 *
 * Paths, first that applies:
 *   1. float, a workspace was given, N >= 4 and M >= 4: packed, register-blocked kernel
 *      (GotoBLAS structure): B is packed in blocks of KC rows x NC columns into panels of
 *      NR columns (contiguous, zero-padded), then 4 x NR tiles of C are computed with
 *      2 x 4 SIMD accumulators per tile over KC steps (A read in place with any strides).
 *      Any layout of A, B and C runs at the same speed (transposed views need no copies);
 *   2. float, B rows and C rows contiguous and at least one SIMD vector wide: i-k-j with
 *      SIMD over j (C row += a[i,k] * B row);
 *   3. integer or bool, B rows and C rows contiguous, M >= 8: scalar i-k-j (streams rows);
 *   4. otherwise (small or strided): one dot product per element of C, SIMD for floats when
 *      A rows and B columns are contiguous (A @ B.T).
 * Integers wrap at their width; bool is "any a[i,k] && b[k,j]" (NumPy's BOOL_matmul).
 * Floats sum in k order per accumulator; rounding may differ from NumPy's BLAS in the last
 * bits, as BLAS implementations differ from each other.
 */
import { dot } from './dot';
import { coreSize, coreStride, coreWork, coreWorkBytes } from './walk';

/** Rows of B (the k extent) packed per block. */
const KC: i32 = 256;

@inline function imin(a: i32, b: i32): i32 { return a < b ? a : b; }
@inline function mul(i: i32, stride: usize): usize { return <usize>i * stride; }

// ---------------------------------------------------------------------------------------------
// Generic scalar i-k-j (any strides).

@inline
function matmulScalar<T>(
  N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, bm: usize,
  c: usize, cn: usize, cm: usize, isBool: bool,
): void {
  for (let i = 0; i < N; i++) {
    const ci = c + mul(i, cn);
    let cp = ci;
    for (let j = 0; j < M; j++) { store<T>(cp, <T>0); cp += cm; }
    let ap = a + mul(i, an);
    let bp = b;
    for (let k = 0; k < K; k++) {
      const x = load<T>(ap);
      if (isBool) {
        if (<u8>x != 0) {
          cp = ci;
          let bq = bp;
          for (let j = 0; j < M; j++) {
            if (load<u8>(bq) != 0) store<u8>(cp, 1);
            cp += cm; bq += bm;
          }
        }
      } else if (isFloat<T>() || x != <T>0) {
        cp = ci;
        let bq = bp;
        for (let j = 0; j < M; j++) {
          store<T>(cp, load<T>(cp) + x * load<T>(bq));
          cp += cm; bq += bm;
        }
      }
      ap += ak; bp += bk;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Float i-k-j with SIMD over contiguous rows of B and C (bm == cm == sizeof<T>).

@inline
function matmulRowsF64(N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, c: usize, cn: usize): void {
  for (let i = 0; i < N; i++) {
    const ci = c + mul(i, cn);
    memory.fill(ci, 0, <usize>M << 3);
    let ap = a + mul(i, an);
    let bp = b;
    for (let k = 0; k < K; k++) {
      const x = load<f64>(ap);
      const xv = f64x2.splat(x);
      let cp = ci;
      let bq = bp;
      let j = 0;
      for (; j + 4 <= M; j += 4) {
        v128.store(cp, f64x2.add(v128.load(cp), f64x2.mul(xv, v128.load(bq))));
        v128.store(cp, f64x2.add(v128.load(cp, 16), f64x2.mul(xv, v128.load(bq, 16))), 16);
        cp += 32; bq += 32;
      }
      for (; j < M; j++) { store<f64>(cp, load<f64>(cp) + x * load<f64>(bq)); cp += 8; bq += 8; }
      ap += ak; bp += bk;
    }
  }
}

@inline
function matmulRowsF32(N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, c: usize, cn: usize): void {
  for (let i = 0; i < N; i++) {
    const ci = c + mul(i, cn);
    memory.fill(ci, 0, <usize>M << 2);
    let ap = a + mul(i, an);
    let bp = b;
    for (let k = 0; k < K; k++) {
      const x = load<f32>(ap);
      const xv = f32x4.splat(x);
      let cp = ci;
      let bq = bp;
      let j = 0;
      for (; j + 8 <= M; j += 8) {
        v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(xv, v128.load(bq))));
        v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(xv, v128.load(bq, 16))), 16);
        cp += 32; bq += 32;
      }
      for (; j < M; j++) { store<f32>(cp, load<f32>(cp) + x * load<f32>(bq)); cp += 4; bq += 4; }
      ap += ak; bp += bk;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Packed kernel, f64: NR = 4 columns (2 x f64x2) per panel, tiles of 4 rows x 4 columns.

/** Pack B[0..kc, 0..nc) (byte strides bk, bm) into panels of 4 columns: panel p at w + p*kc*32. */
function packF64(kc: i32, nc: i32, b: usize, bk: usize, bm: usize, w: usize): void {
  for (let jr = 0; jr < nc; jr += 4) {
    const nr = imin(4, nc - jr);
    let bp = b + mul(jr, bm);
    if (nr == 4 && bm == 8) {
      for (let k = 0; k < kc; k++) {
        v128.store(w, v128.load(bp));
        v128.store(w, v128.load(bp, 16), 16);
        bp += bk; w += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        store<f64>(w, load<f64>(bp));
        store<f64>(w, nr > 1 ? load<f64>(bp + bm) : 0, 8);
        store<f64>(w, nr > 2 ? load<f64>(bp + (bm << 1)) : 0, 16);
        store<f64>(w, nr > 3 ? load<f64>(bp + bm * 3) : 0, 24);
        bp += bk; w += 32;
      }
    }
  }
}

/** Write (or add, when !first) one tile row x0|x1 of 4 values, nr of them valid, at c (stride cm). */
@inline
function putRowF64(c: usize, cm: usize, nr: i32, first: bool, x0: v128, x1: v128): void {
  if (nr == 4 && cm == 8) {
    if (first) {
      v128.store(c, x0);
      v128.store(c, x1, 16);
    } else {
      v128.store(c, f64x2.add(v128.load(c), x0));
      v128.store(c, f64x2.add(v128.load(c, 16), x1), 16);
    }
    return;
  }
  const base: f64 = 0;
  store<f64>(c, (first ? base : load<f64>(c)) + f64x2.extract_lane(x0, 0));
  if (nr > 1) { const p = c + cm; store<f64>(p, (first ? base : load<f64>(p)) + f64x2.extract_lane(x0, 1)); }
  if (nr > 2) { const p = c + (cm << 1); store<f64>(p, (first ? base : load<f64>(p)) + f64x2.extract_lane(x1, 0)); }
  if (nr > 3) { const p = c + cm * 3; store<f64>(p, (first ? base : load<f64>(p)) + f64x2.extract_lane(x1, 1)); }
}

/** C[0..4, 0..nr) (+)= A[0..4, 0..kc) * panel; a: A's tile start (strides an, ak). */
function tile4F64(kc: i32, a: usize, an: usize, ak: usize, bp: usize, c: usize, cn: usize, cm: usize, nr: i32, first: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let a0 = a;
  let a1 = a + an;
  let a2 = a1 + an;
  let a3 = a2 + an;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load64_splat(a0);
    c00 = f64x2.add(c00, f64x2.mul(x, b0)); c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(a1);
    c10 = f64x2.add(c10, f64x2.mul(x, b0)); c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(a2);
    c20 = f64x2.add(c20, f64x2.mul(x, b0)); c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(a3);
    c30 = f64x2.add(c30, f64x2.mul(x, b0)); c31 = f64x2.add(c31, f64x2.mul(x, b1));
    a0 += ak; a1 += ak; a2 += ak; a3 += ak;
    bp += 32;
  }
  putRowF64(c, cm, nr, first, c00, c01);
  putRowF64(c + cn, cm, nr, first, c10, c11);
  putRowF64(c + (cn << 1), cm, nr, first, c20, c21);
  putRowF64(c + cn * 3, cm, nr, first, c30, c31);
}

/** One row of C: C[0, 0..nr) (+)= A[0, 0..kc) * panel. */
function tile1F64(kc: i32, a: usize, ak: usize, bp: usize, c: usize, cm: usize, nr: i32, first: bool): void {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const x = v128.load64_splat(a);
    c0 = f64x2.add(c0, f64x2.mul(x, v128.load(bp)));
    c1 = f64x2.add(c1, f64x2.mul(x, v128.load(bp, 16)));
    a += ak; bp += 32;
  }
  putRowF64(c, cm, nr, first, c0, c1);
}

function matmulPackedF64(
  N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, bm: usize,
  c: usize, cn: usize, cm: usize, work: usize, workBytes: usize,
): void {
  const kcMax = imin(K, KC);
  const ncMax = <i32>(workBytes / (<usize>kcMax << 3)) & ~3;
  for (let jc = 0; jc < M; jc += ncMax) {
    const nc = imin(ncMax, M - jc);
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = imin(kcMax, K - pc);
      const first = pc == 0;
      packF64(kc, nc, b + mul(pc, bk) + mul(jc, bm), bk, bm, work);
      const a0 = a + mul(pc, ak);
      const c0 = c + mul(jc, cm);
      let i = 0;
      for (; i + 4 <= N; i += 4) {
        const ai = a0 + mul(i, an);
        const ci = c0 + mul(i, cn);
        for (let jr = 0; jr < nc; jr += 4) {
          tile4F64(kc, ai, an, ak, work + (<usize>(jr * kc) << 3), ci + mul(jr, cm), cn, cm, imin(4, nc - jr), first);
        }
      }
      for (; i < N; i++) {
        const ai = a0 + mul(i, an);
        const ci = c0 + mul(i, cn);
        for (let jr = 0; jr < nc; jr += 4) {
          tile1F64(kc, ai, ak, work + (<usize>(jr * kc) << 3), ci + mul(jr, cm), cm, imin(4, nc - jr), first);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Packed kernel, f32: NR = 8 columns (2 x f32x4) per panel, tiles of 4 rows x 8 columns.

function packF32(kc: i32, nc: i32, b: usize, bk: usize, bm: usize, w: usize): void {
  for (let jr = 0; jr < nc; jr += 8) {
    const nr = imin(8, nc - jr);
    let bp = b + mul(jr, bm);
    if (nr == 8 && bm == 4) {
      for (let k = 0; k < kc; k++) {
        v128.store(w, v128.load(bp));
        v128.store(w, v128.load(bp, 16), 16);
        bp += bk; w += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        let q = bp;
        for (let j = 0; j < 8; j++) {
          store<f32>(w + (<usize>j << 2), j < nr ? load<f32>(q) : 0);
          q += bm;
        }
        bp += bk; w += 32;
      }
    }
  }
}

@inline
function putRowF32(c: usize, cm: usize, nr: i32, first: bool, x0: v128, x1: v128): void {
  if (nr == 8 && cm == 4) {
    if (first) {
      v128.store(c, x0);
      v128.store(c, x1, 16);
    } else {
      v128.store(c, f32x4.add(v128.load(c), x0));
      v128.store(c, f32x4.add(v128.load(c, 16), x1), 16);
    }
    return;
  }
  putLaneF32(c, first, f32x4.extract_lane(x0, 0));
  if (nr > 1) putLaneF32(c + cm, first, f32x4.extract_lane(x0, 1));
  if (nr > 2) putLaneF32(c + (cm << 1), first, f32x4.extract_lane(x0, 2));
  if (nr > 3) putLaneF32(c + cm * 3, first, f32x4.extract_lane(x0, 3));
  if (nr > 4) putLaneF32(c + (cm << 2), first, f32x4.extract_lane(x1, 0));
  if (nr > 5) putLaneF32(c + cm * 5, first, f32x4.extract_lane(x1, 1));
  if (nr > 6) putLaneF32(c + cm * 6, first, f32x4.extract_lane(x1, 2));
  if (nr > 7) putLaneF32(c + cm * 7, first, f32x4.extract_lane(x1, 3));
}

@inline
function putLaneF32(p: usize, first: bool, x: f32): void {
  const base: f32 = 0;
  store<f32>(p, (first ? base : load<f32>(p)) + x);
}

function tile4F32(kc: i32, a: usize, an: usize, ak: usize, bp: usize, c: usize, cn: usize, cm: usize, nr: i32, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a;
  let a1 = a + an;
  let a2 = a1 + an;
  let a3 = a2 + an;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += ak; a1 += ak; a2 += ak; a3 += ak;
    bp += 32;
  }
  putRowF32(c, cm, nr, first, c00, c01);
  putRowF32(c + cn, cm, nr, first, c10, c11);
  putRowF32(c + (cn << 1), cm, nr, first, c20, c21);
  putRowF32(c + cn * 3, cm, nr, first, c30, c31);
}

function tile1F32(kc: i32, a: usize, ak: usize, bp: usize, c: usize, cm: usize, nr: i32, first: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(bp)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(bp, 16)));
    a += ak; bp += 32;
  }
  putRowF32(c, cm, nr, first, c0, c1);
}

function matmulPackedF32(
  N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, bm: usize,
  c: usize, cn: usize, cm: usize, work: usize, workBytes: usize,
): void {
  const kcMax = imin(K, KC);
  const ncMax = <i32>(workBytes / (<usize>kcMax << 2)) & ~7;
  for (let jc = 0; jc < M; jc += ncMax) {
    const nc = imin(ncMax, M - jc);
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = imin(kcMax, K - pc);
      const first = pc == 0;
      packF32(kc, nc, b + mul(pc, bk) + mul(jc, bm), bk, bm, work);
      const a0 = a + mul(pc, ak);
      const c0 = c + mul(jc, cm);
      let i = 0;
      for (; i + 4 <= N; i += 4) {
        const ai = a0 + mul(i, an);
        const ci = c0 + mul(i, cn);
        for (let jr = 0; jr < nc; jr += 8) {
          tile4F32(kc, ai, an, ak, work + (<usize>(jr * kc) << 2), ci + mul(jr, cm), cn, cm, imin(8, nc - jr), first);
        }
      }
      for (; i < N; i++) {
        const ai = a0 + mul(i, an);
        const ci = c0 + mul(i, cn);
        for (let jr = 0; jr < nc; jr += 8) {
          tile1F32(kc, ai, ak, work + (<usize>(jr * kc) << 2), ci + mul(jr, cm), cm, imin(8, nc - jr), first);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One core call, and the rows the walker calls.

@inline
function matmulCore<T>(
  N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, bm: usize,
  c: usize, cn: usize, cm: usize, work: usize, workBytes: usize, isBool: bool,
): void {
  if (N <= 0 || M <= 0) return;
  const size = <usize>sizeof<T>();
  const rows = bm == size && cm == size;
  if (isFloat<T>()) {
    const nr = sizeof<T>() == 8 ? 4 : 8;
    if (K > 0 && work != 0 && N >= 4 && M >= 4 && workBytes >= (<usize>imin(K, KC) * nr) * size) {
      if (sizeof<T>() == 8) matmulPackedF64(N, K, M, a, an, ak, b, bk, bm, c, cn, cm, work, workBytes);
      else matmulPackedF32(N, K, M, a, an, ak, b, bk, bm, c, cn, cm, work, workBytes);
      return;
    }
    if (rows && M >= nr) {
      if (sizeof<T>() == 8) matmulRowsF64(N, K, M, a, an, ak, b, bk, c, cn);
      else matmulRowsF32(N, K, M, a, an, ak, b, bk, c, cn);
      return;
    }
  } else if (rows && M >= 8) {
    // Integers and bool, contiguous rows: i-k-j streams B and C rows.
    matmulScalar<T>(N, K, M, a, an, ak, b, bk, bm, c, cn, cm, isBool);
    return;
  }
  // Small or strided: one dot per element of C (SIMD when A rows and B columns are contiguous).
  for (let i = 0; i < N; i++) {
    const ai = a + mul(i, an);
    let cp = c + mul(i, cn);
    let bp = b;
    for (let j = 0; j < M; j++) {
      store<T>(cp, dot<T>(ai, ak, bp, bk, K, isBool));
      cp += cm; bp += bm;
    }
  }
}

@inline
function matmulRow<T>(
  count: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize, isBool: bool,
): void {
  const N = coreSize(core, 0);
  const K = coreSize(core, 1);
  const M = coreSize(core, 2);
  const an = coreStride(core, 0), ak = coreStride(core, 1);
  const bk = coreStride(core, 2), bm = coreStride(core, 3);
  const cn = coreStride(core, 4), cm = coreStride(core, 5);
  const work = coreWork(core);
  const workBytes = coreWorkBytes(core);
  for (let i = 0; i < count; i++) {
    matmulCore<T>(N, K, M, p0, an, ak, p1, bk, bm, p2, cn, cm, work, workBytes, isBool);
    p0 += s0; p1 += s1; p2 += s2;
  }
}

export function matmulBool(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<u8>(n, p0, s0, p1, s1, p2, s2, core, true); }
export function matmulI8(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<i8>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulU8(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<u8>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulI16(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<i16>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulU16(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<u16>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulI32(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<i32>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulU32(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<u32>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulI64(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<i64>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulU64(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<u64>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulF32(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<f32>(n, p0, s0, p1, s1, p2, s2, core, false); }
export function matmulF64(n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, core: usize): void { matmulRow<f64>(n, p0, s0, p1, s1, p2, s2, core, false); }
