/**
 * Array parameters of a gufunc kernel in the direct emitter: element loads and stores,
 * core sizes (`a.length`), and the bounds checks, with the meaning the AS emitter gives the
 * same IR (../assemblyscript/emit-function.ts `address`/`checked`, prelude.ts `__bc`).
 *
 * An array parameter is a base pointer and one byte stride per declared dim (where the
 * row function keeps them: gufunc-row.ts); element `a[i][j]` is at
 * `base + i * stride0 + j * stride1` in u32 arithmetic (asc's usize: an i64 index is
 * wrapped to its low 32 bits, a small one is its i32), read and written in the array's
 * dtype (values.ts: a bool is a byte read as `!= 0`, stored as 0 or 1).
 *
 * A scratch array (scratch.ts) is its base address and length in locals, one dimension of
 * stride the element size (AS: `base + (<usize>i << shift)`).
 *
 * A checked index (ir/passes/bounds-check.ts put a site in the access's `checks`) outside
 * [0, size) stores site + 1, the index (as an i64: an i32 index sign-extended) and the size
 * in the module's globals `__nb_bsite`, `__nb_bindex`, `__nb_bsize` and traps, exactly as
 * the prelude's `__bc` / `__bc64` do, so that the host raises the same IndexError
 * E_KERNEL_BOUNDS (src/compiler/bounds.ts readBoundsTrap; parallel workers: trapText).
 */
import { DTYPES, type DType } from '../../../dtype/dtypes.js';
import { arrayInfo, coreOf, type Expr, type IRProgram, type LengthExpr, type LoadExpr, type StoreStmt } from '../../ir/nodes.js';
import { axisSize } from '../../ir/passes/bounds-check.js';
import { is64, isBool } from '../../ir/types.js';
import { tableLayout } from './tables.js';
import { I32, I64, type Code, type WasmGlobal } from './encode.js';
import type { ArrayAccess, BodyWriter } from './body-writer.js';
import { isSmall, loadValue, OP, storeValue } from './values.js';

/** The bounds-check globals (prelude.ts `__nb_bsite`...), global indices 0, 1, 2 of a module that checks. */
export const BOUNDS_GLOBALS: readonly WasmGlobal[] = [
  { type: I32, export: '__nb_bsite' },
  { type: I64, export: '__nb_bindex' },
  { type: I32, export: '__nb_bsize' },
];
const [BSITE, BINDEX, BSIZE] = [0, 1, 2];

const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_GE_U = 0x4f;
const I32_SHL = 0x74;
const I64_GE_U = 0x5a;

/** Where the row function keeps an array parameter's pointer and strides, and the core sizes. */
export interface ArrayPlaces {
  /** Push the base pointer of array parameter `k`. */
  readonly base: (k: number) => void;
  /** Push the byte stride of array parameter `k` along its declared dim `j`. */
  readonly stride: (k: number, j: number) => void;
  /** Push the size of core dim `d` (an i32). */
  readonly size: (d: number) => void;
  /** The byte stride of array parameter `k` along dim `j` when it is a known constant (the contiguous loop's last dim), else null. */
  readonly constStride: (k: number, j: number) => number | null;
  /** The kernel's scratch arrays' base and length locals (scratch.ts ScratchFrame); absent: none. */
  readonly scratch?: {
    base(c: Code, id: number): void;
    length(c: Code, id: number): void;
    itemSize(id: number): number;
  };
}

/**
 * `x + c` (int32, c a constant in [1, 4096]): the form of the strict unroll's copies
 * `a[i_u + 1]`, ... (passes/fastmath.ts unrollStrict), whose `c * stride` goes into the
 * access's constant offset where the stride is a constant, as asc -O3 folds the pointer
 * walks' offsets (no add per access).
 */
function plusConstant(e: Expr<DType>): { x: Expr<DType>; c: number } | null {
  if (e.kind !== 'binary' || e.op !== 'add' || e.type !== 'int32' || e.right.kind !== 'const') return null;
  const c = Number(e.right.value);
  return Number.isInteger(c) && c >= 1 && c <= 4096 ? { x: e.left, c } : null;
}

/**
 * The element access of program `p`'s main function and helpers: its array parameters (a
 * gufunc kernel's), their pointers and sizes in `at` (null: a scalar kernel, which has
 * none), its scratch arrays (a gufunc kernel's: `at.scratch`), and its constant tables
 * (loads and `.length`), table k at `tables` + its offset in tables.ts tableLayout (null:
 * no tables).
 *
 * @example
 * ```ts
 * const body = new KernelBody(p.main, { ...frame, arrays: arrayAccess(p, places, tableBase) });
 * ```
 */
export function arrayAccess(p: IRProgram, at: ArrayPlaces | null, tables: number | null = null): ArrayAccess {
  const fn = p.main;
  const core = coreOf(p, fn);
  const tableOffsets = tableLayout(p.tables ?? []).offsets;
  const places = (): ArrayPlaces => {
    if (at === null) throw new Error('direct Wasm: an array parameter in a scalar kernel');
    return at;
  };
  const scratchAt = () => {
    const s = places().scratch;
    if (s === undefined) throw new Error('direct Wasm: a scratch array without an arena');
    return s;
  };
  const pushSize = (b: BodyWriter, e: { readonly array: LoadExpr<DType>['array'] }, axis: number) => {
    const s = axisSize(core, e.array, axis, p.tables);
    if ('size' in s) b.c.i32(s.size);
    else if ('dim' in s) places().size(s.dim);
    else scratchAt().length(b.c, s.scratch);
  };
  /** Push index `i` of an access (checked at `site` when there is one) as a u32 offset count. */
  const index = (b: BodyWriter, access: { readonly array: LoadExpr<DType>['array'] }, axis: number, i: Expr<DType>, site: number | null | undefined) => {
    const c = b.c;
    const wide = is64(i.type);
    b.expr(i);
    if (site != null) {
      const v = b.stash(i.type);
      // `<u32>i >= <u32>n` (`<u64>` for a 64-bit index): record and trap.
      c.get(v);
      pushSize(b, access, axis);
      if (wide) c.op(OP.i64ExtendI32S);
      c.op(wide ? I64_GE_U : I32_GE_U).if();
      c.i32(site + 1).globalSet(BSITE);
      c.get(v);
      if (!wide) c.op(OP.i64ExtendI32S);
      c.globalSet(BINDEX);
      pushSize(b, access, axis);
      c.globalSet(BSIZE).unreachable().end();
      c.get(v);
    }
    if (wide) c.op(OP.i32WrapI64);
  };
  /**
   * Push the address of an element, base + Σ index_k * stride_k (u32), and return the
   * constant part left for the access's offset: an unchecked index `x + c` along a dim of
   * constant stride S adds c * S there ({@link plusConstant}; the address is inside the
   * array, so the sum does not wrap and the offset's unwrapped add is the same).
   */
  const address = (b: BodyWriter, access: LoadExpr<DType> | StoreStmt<DType>): number => {
    const r = access.array;
    if (r.kind === 'table') {
      // base + (<u32>i << log2(size)): the index shifted, the table's address the access's offset.
      if (tables === null) throw new Error('direct Wasm: a table access without the tables\' address');
      index(b, access, 0, access.indices[0]!, access.checks?.[0]);
      const shift = Math.log2(DTYPES[p.tables![r.table]!.dtype].itemSize);
      if (shift > 0) b.c.i32(shift).op(I32_SHL);
      return tables + tableOffsets[r.table]!;
    }
    // (a scratch array: one dim whose stride is its element size)
    const scratch = r.kind === 'scratch' ? scratchAt() : null;
    const at = places();
    let offset = 0;
    if (r.kind === 'scratch') scratch!.base(b.c, r.id);
    else at.base(r.index);
    access.indices.forEach((i, j) => {
      const site = access.checks?.[j];
      const S = r.kind === 'scratch' ? scratch!.itemSize(r.id) : at.constStride(r.index, j);
      const folded = site == null && S !== null ? plusConstant(i) : null;
      if (folded !== null) offset += folded.c * S!;
      index(b, access, j, folded?.x ?? i, site);
      if (r.kind === 'scratch') b.c.i32(S!);
      else at.stride(r.index, j);
      b.c.op(I32_MUL).op(I32_ADD);
    });
    return offset;
  };
  const dtype = (access: LoadExpr<DType> | StoreStmt<DType>): DType => {
    if (access.array.kind === 'table') {
      // (a bool load of a Uint8Array table reads a byte as `!= 0`, as the AS emitter's `load<u8> != 0`)
      const t = p.tables![access.array.table]!.dtype;
      return access.kind === 'load' && isBool(access.type) ? 'bool' : t;
    }
    return arrayInfo(fn, access.array).dtype;
  };
  return {
    load(b, e) {
      const offset = address(b, e);
      loadValue(b.c, dtype(e), offset);
    },
    length(b, e: LengthExpr<DType>) {
      pushSize(b, e, e.axis);
    },
    store(b, s) {
      // The address first, then the value, as AS's `store<T>(addr, v)` evaluates them (the
      // first failing bounds check is the one reported). A small integer's store writes its
      // low bytes: the value need not be wrapped first.
      const offset = address(b, s);
      const t = dtype(s);
      b.expr(s.value, isSmall(t));
      storeValue(b.c, t, offset);
    },
  };
}
