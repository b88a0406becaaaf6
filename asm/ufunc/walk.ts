/**
 * Walking an N-d ufunc plan and handing each innermost row to a generated row function.
 *
 * A ufunc plan is the copy plan with more operands (see asm/index.ts): [ndim, shape,
 * then per operand (inputs first, then outputs) ptr and byte strides]. Rows are the last
 * dimension; outer dimensions are walked by recursion (index counters on the Wasm stack,
 * no scratch memory, so worker threads never share state). One indirect call per row:
 * the planner merges dimensions, so rows are as long as the layout allows.
 *
 * Loop-variable convention: p<k> is operand k's pointer, s<k> its byte stride along the
 * row; operands are numbered inputs first.
 */
import { at, planIsEmpty, planNdim, planOperand, planShape } from '../plan';

/** Row of a 1-in 1-out loop. */
export type Row2 = (n: i32, p0: usize, s0: usize, p1: usize, s1: usize) => void;
/** Row of a 2-in 1-out (or 1-in 2-out) loop. */
export type Row3 = (n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize) => void;
/** Row of a 2-in 2-out loop. */
export type Row4 = (n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize, p3: usize, s3: usize) => void;

// Operand k's strides start one word after its pointer.
@inline function ptr(plan: usize, k: i32): usize { return <usize>load<u32>(planOperand(plan, k)); }
@inline function strides(plan: usize, k: i32): usize { return planOperand(plan, k) + 4; }

export function walk2(plan: usize, row: Row2): void {
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  if (ndim == 0) { row(1, ptr(plan, 0), 0, ptr(plan, 1), 0); return; }
  if (planIsEmpty(shape, ndim)) return;
  dims2(0, ndim, shape, strides(plan, 0), strides(plan, 1), ptr(plan, 0), ptr(plan, 1), row);
}

function dims2(d: i32, ndim: i32, shape: usize, t0: usize, t1: usize, p0: usize, p1: usize, row: Row2): void {
  const n = at(shape, d);
  const s0 = <usize>at(t0, d);
  const s1 = <usize>at(t1, d);
  if (d == ndim - 1) { row(n, p0, s0, p1, s1); return; }
  for (let i = 0; i < n; i++) {
    dims2(d + 1, ndim, shape, t0, t1, p0, p1, row);
    p0 += s0; p1 += s1;
  }
}

export function walk3(plan: usize, row: Row3): void {
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  if (ndim == 0) { row(1, ptr(plan, 0), 0, ptr(plan, 1), 0, ptr(plan, 2), 0); return; }
  if (planIsEmpty(shape, ndim)) return;
  dims3(0, ndim, shape, strides(plan, 0), strides(plan, 1), strides(plan, 2), ptr(plan, 0), ptr(plan, 1), ptr(plan, 2), row);
}

function dims3(
  d: i32, ndim: i32, shape: usize, t0: usize, t1: usize, t2: usize, p0: usize, p1: usize, p2: usize, row: Row3,
): void {
  const n = at(shape, d);
  const s0 = <usize>at(t0, d);
  const s1 = <usize>at(t1, d);
  const s2 = <usize>at(t2, d);
  if (d == ndim - 1) { row(n, p0, s0, p1, s1, p2, s2); return; }
  for (let i = 0; i < n; i++) {
    dims3(d + 1, ndim, shape, t0, t1, t2, p0, p1, p2, row);
    p0 += s0; p1 += s1; p2 += s2;
  }
}

/**
 * Tile of an outer reduction: `res[j] = op(res[j], a[i, j])` for i < m, j < n, res and the
 * rows of a contiguous, a's rows `sa` bytes apart (see scripts/codegen/emit-tile.ts).
 */
export type Tile = (m: i32, n: i32, pr: usize, pa: usize, sa: usize) => void;

/**
 * walk3 for a loop that has a reduce tile: the two innermost dims of an outer reduction
 * (in0 and out the same contiguous row, stride 0 along the dim above, in1 contiguous rows;
 * `add.reduce(A, { axis: 0 })`) go to `tile` in one call, which keeps a block of res in
 * registers across rows instead of loading and storing res once per row (NumPy's way).
 * `size` is the element size in bytes.
 */
export function walk3r(plan: usize, row: Row3, tile: Tile, size: usize): void {
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  if (ndim < 2) { walk3(plan, row); return; }
  if (planIsEmpty(shape, ndim)) return;
  dims3r(0, ndim, shape, strides(plan, 0), strides(plan, 1), strides(plan, 2), ptr(plan, 0), ptr(plan, 1), ptr(plan, 2), row, tile, size);
}

function dims3r(
  d: i32, ndim: i32, shape: usize, t0: usize, t1: usize, t2: usize, p0: usize, p1: usize, p2: usize, row: Row3, tile: Tile, size: usize,
): void {
  const m = at(shape, d);
  if (d == ndim - 2) {
    const n = at(shape, d + 1);
    if (at(t0, d) == 0 && at(t2, d) == 0 && p0 == p2 && <usize>at(t0, d + 1) == size && <usize>at(t2, d + 1) == size &&
      <usize>at(t1, d + 1) == size && rowsApart(p2, p1, <usize>at(t1, d), m, <usize>n * size)) {
      tile(m, n, p2, p1, <usize>at(t1, d));
      return;
    }
    dims3(d, ndim, shape, t0, t1, t2, p0, p1, p2, row);
    return;
  }
  const s0 = <usize>at(t0, d);
  const s1 = <usize>at(t1, d);
  const s2 = <usize>at(t2, d);
  for (let i = 0; i < m; i++) {
    dims3r(d + 1, ndim, shape, t0, t1, t2, p0, p1, p2, row, tile, size);
    p0 += s0; p1 += s1; p2 += s2;
  }
}

/** True when the `bytes`-long row at pr overlaps none of the m rows at pa + i * sa (sa may be negative). */
function rowsApart(pr: usize, pa: usize, sa: usize, m: i32, bytes: usize): bool {
  const last = pa + <usize>(m - 1) * sa;
  const lo = <isize>sa < 0 ? last : pa;
  const hi = (<isize>sa < 0 ? pa : last) + bytes;
  return pr + bytes <= lo || hi <= pr;
}

export function walk4(plan: usize, row: Row4): void {
  const ndim = planNdim(plan);
  const shape = planShape(plan);
  if (ndim == 0) { row(1, ptr(plan, 0), 0, ptr(plan, 1), 0, ptr(plan, 2), 0, ptr(plan, 3), 0); return; }
  if (planIsEmpty(shape, ndim)) return;
  dims4(0, ndim, shape, strides(plan, 0), strides(plan, 1), strides(plan, 2), strides(plan, 3),
    ptr(plan, 0), ptr(plan, 1), ptr(plan, 2), ptr(plan, 3), row);
}

function dims4(
  d: i32, ndim: i32, shape: usize, t0: usize, t1: usize, t2: usize, t3: usize,
  p0: usize, p1: usize, p2: usize, p3: usize, row: Row4,
): void {
  const n = at(shape, d);
  const s0 = <usize>at(t0, d);
  const s1 = <usize>at(t1, d);
  const s2 = <usize>at(t2, d);
  const s3 = <usize>at(t3, d);
  if (d == ndim - 1) { row(n, p0, s0, p1, s1, p2, s2, p3, s3); return; }
  for (let i = 0; i < n; i++) {
    dims4(d + 1, ndim, shape, t0, t1, t2, t3, p0, p1, p2, p3, row);
    p0 += s0; p1 += s1; p2 += s2; p3 += s3;
  }
}
