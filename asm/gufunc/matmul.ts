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
// Floats (T = f32 or f64), one generic for both: L = 16 / sizeof<T> lanes per vector; a panel
// and a tile row are NR = 2 L columns (two vectors): 4 for f64, 8 for f32.

@inline function lanes<T>(): i32 { return 16 / sizeof<T>(); }

/** A vector of the element at p in every lane (one load-splat instruction). */
@inline
function splatLoad<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(p);
  return v128.load32_splat(p);
}

/** i-k-j with SIMD over contiguous rows of B and C (bm == cm == sizeof<T>). */
@inline
function matmulRows<T>(N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, c: usize, cn: usize): void {
  const NR = 2 * lanes<T>();
  for (let i = 0; i < N; i++) {
    const ci = c + mul(i, cn);
    memory.fill(ci, 0, <usize>M * sizeof<T>());
    let ap = a + mul(i, an);
    let bp = b;
    for (let k = 0; k < K; k++) {
      const x = load<T>(ap);
      const xv = v128.splat<T>(x);
      let cp = ci;
      let bq = bp;
      let j = 0;
      for (; j + NR <= M; j += NR) {
        v128.store(cp, v128.add<T>(v128.load(cp), v128.mul<T>(xv, v128.load(bq))));
        v128.store(cp, v128.add<T>(v128.load(cp, 16), v128.mul<T>(xv, v128.load(bq, 16))), 16);
        cp += 32; bq += 32;
      }
      for (; j < M; j++) { store<T>(cp, load<T>(cp) + x * load<T>(bq)); cp += sizeof<T>(); bq += sizeof<T>(); }
      ap += ak; bp += bk;
    }
  }
}

/** Pack B[0..kc, 0..nc) (byte strides bk, bm) into zero-padded panels of NR columns: panel p at w + p*kc*32. */
function pack<T>(kc: i32, nc: i32, b: usize, bk: usize, bm: usize, w: usize): void {
  const NR = 2 * lanes<T>();
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = imin(NR, nc - jr);
    let bp = b + mul(jr, bm);
    if (nr == NR && bm == sizeof<T>()) {
      for (let k = 0; k < kc; k++) {
        v128.store(w, v128.load(bp));
        v128.store(w, v128.load(bp, 16), 16);
        bp += bk; w += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        let q = bp;
        for (let j = 0; j < NR; j++) {
          store<T>(w + <usize>j * sizeof<T>(), j < nr ? load<T>(q) : <T>0);
          q += bm;
        }
        bp += bk; w += 32;
      }
    }
  }
}

@inline
function putLane<T>(p: usize, first: bool, x: T): void {
  const base: T = <T>0;
  store<T>(p, (first ? base : load<T>(p)) + x);
}

/** Write (or add, when !first) one tile row x0|x1 of NR values, nr of them valid, at c (stride cm). */
@inline
function putRow<T>(c: usize, cm: usize, nr: i32, first: bool, x0: v128, x1: v128): void {
  if (nr == 2 * lanes<T>() && cm == sizeof<T>()) {
    if (first) {
      v128.store(c, x0);
      v128.store(c, x1, 16);
    } else {
      v128.store(c, v128.add<T>(v128.load(c), x0));
      v128.store(c, v128.add<T>(v128.load(c, 16), x1), 16);
    }
    return;
  }
  // A partial or strided row: lane by lane (lane indices must be constants).
  putLane<T>(c, first, v128.extract_lane<T>(x0, 0));
  if (nr > 1) putLane<T>(c + cm, first, v128.extract_lane<T>(x0, 1));
  if (sizeof<T>() == 8) {
    if (nr > 2) putLane<T>(c + (cm << 1), first, v128.extract_lane<T>(x1, 0));
    if (nr > 3) putLane<T>(c + cm * 3, first, v128.extract_lane<T>(x1, 1));
  } else {
    if (nr > 2) putLane<T>(c + (cm << 1), first, v128.extract_lane<T>(x0, 2));
    if (nr > 3) putLane<T>(c + cm * 3, first, v128.extract_lane<T>(x0, 3));
    if (nr > 4) putLane<T>(c + (cm << 2), first, v128.extract_lane<T>(x1, 0));
    if (nr > 5) putLane<T>(c + cm * 5, first, v128.extract_lane<T>(x1, 1));
    if (nr > 6) putLane<T>(c + cm * 6, first, v128.extract_lane<T>(x1, 2));
    if (nr > 7) putLane<T>(c + cm * 7, first, v128.extract_lane<T>(x1, 3));
  }
}

/** C[0..4, 0..nr) (+)= A[0..4, 0..kc) * panel; a: A's tile start (strides an, ak). */
function tile4<T>(kc: i32, a: usize, an: usize, ak: usize, bp: usize, c: usize, cn: usize, cm: usize, nr: i32, first: bool): void {
  const z = v128.splat<T>(<T>0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  let a0 = a;
  let a1 = a + an;
  let a2 = a1 + an;
  let a3 = a2 + an;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = splatLoad<T>(a0);
    c00 = v128.add<T>(c00, v128.mul<T>(x, b0)); c01 = v128.add<T>(c01, v128.mul<T>(x, b1));
    x = splatLoad<T>(a1);
    c10 = v128.add<T>(c10, v128.mul<T>(x, b0)); c11 = v128.add<T>(c11, v128.mul<T>(x, b1));
    x = splatLoad<T>(a2);
    c20 = v128.add<T>(c20, v128.mul<T>(x, b0)); c21 = v128.add<T>(c21, v128.mul<T>(x, b1));
    x = splatLoad<T>(a3);
    c30 = v128.add<T>(c30, v128.mul<T>(x, b0)); c31 = v128.add<T>(c31, v128.mul<T>(x, b1));
    a0 += ak; a1 += ak; a2 += ak; a3 += ak;
    bp += 32;
  }
  putRow<T>(c, cm, nr, first, c00, c01);
  putRow<T>(c + cn, cm, nr, first, c10, c11);
  putRow<T>(c + (cn << 1), cm, nr, first, c20, c21);
  putRow<T>(c + cn * 3, cm, nr, first, c30, c31);
}

/** One row of C: C[0, 0..nr) (+)= A[0, 0..kc) * panel. */
function tile1<T>(kc: i32, a: usize, ak: usize, bp: usize, c: usize, cm: usize, nr: i32, first: bool): void {
  let c0 = v128.splat<T>(<T>0), c1 = v128.splat<T>(<T>0);
  for (let k = 0; k < kc; k++) {
    const x = splatLoad<T>(a);
    c0 = v128.add<T>(c0, v128.mul<T>(x, v128.load(bp)));
    c1 = v128.add<T>(c1, v128.mul<T>(x, v128.load(bp, 16)));
    a += ak; bp += 32;
  }
  putRow<T>(c, cm, nr, first, c0, c1);
}

/** The packed kernel (path 1 of matmul's header): B packed per KC x NC block, 4 x NR tiles. */
function matmulPacked<T>(
  N: i32, K: i32, M: i32, a: usize, an: usize, ak: usize, b: usize, bk: usize, bm: usize,
  c: usize, cn: usize, cm: usize, work: usize, workBytes: usize,
): void {
  const NR = 2 * lanes<T>();
  const kcMax = imin(K, KC);
  const ncMax = <i32>(workBytes / (<usize>kcMax * sizeof<T>())) & ~(NR - 1);
  for (let jc = 0; jc < M; jc += ncMax) {
    const nc = imin(ncMax, M - jc);
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = imin(kcMax, K - pc);
      const first = pc == 0;
      pack<T>(kc, nc, b + mul(pc, bk) + mul(jc, bm), bk, bm, work);
      const a0 = a + mul(pc, ak);
      const c0 = c + mul(jc, cm);
      let i = 0;
      for (; i + 4 <= N; i += 4) {
        const ai = a0 + mul(i, an);
        const ci = c0 + mul(i, cn);
        for (let jr = 0; jr < nc; jr += NR) {
          tile4<T>(kc, ai, an, ak, work + <usize>(jr * kc) * sizeof<T>(), ci + mul(jr, cm), cn, cm, imin(NR, nc - jr), first);
        }
      }
      for (; i < N; i++) {
        const ai = a0 + mul(i, an);
        const ci = c0 + mul(i, cn);
        for (let jr = 0; jr < nc; jr += NR) {
          tile1<T>(kc, ai, ak, work + <usize>(jr * kc) * sizeof<T>(), ci + mul(jr, cm), cm, imin(NR, nc - jr), first);
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
      matmulPacked<T>(N, K, M, a, an, ak, b, bk, bm, c, cn, cm, work, workBytes);
      return;
    }
    if (rows && M >= nr) {
      matmulRows<T>(N, K, M, a, an, ak, b, bk, c, cn);
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
