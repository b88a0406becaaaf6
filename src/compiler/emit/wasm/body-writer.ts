/**
 * The interfaces between a kernel body's writer (function.ts) and the files that write parts
 * of it (calls.ts, conversions.ts, int-ops.ts, arrays.ts) or call it (scalar-row.ts,
 * gufunc-row.ts): in a file of their own, so that those files import no writer and no
 * import circle forms.
 */
import type { DType } from '../../../dtype/dtypes.js';
import type { Expr, IRFunction, LengthExpr, LoadExpr, ScratchStmt, StoreStmt } from '../../ir/nodes.js';
import type { Code, ValType } from './encode.js';
import type { MathImport } from './math-imports.js';

/** The functions a body calls: the library's imports and the module's own helpers, by function index. */
export interface Callees {
  /** The function index of library import `m` (math-imports.ts). */
  readonly math: (m: MathImport) => number;
  /** The function index of the integer power of dtype `t` (int-ops.ts ipowFunction). */
  readonly ipow: (t: DType) => number;
}

/** Where a body's values live: locals handed out by the caller. */
export interface Frame {
  readonly code: Code;
  /** The local of parameter `index` (its element, loaded by the caller). */
  readonly param: (index: number) => number;
  /** The local of IR local `id`. */
  readonly local: (id: number) => number;
  /** A new scratch local of type `t`. */
  readonly temp: (t: ValType) => number;
  readonly callees: Callees;
  /** The program's helpers (IRProgram.helpers), whose bodies a helper call inlines (function.ts). */
  readonly helpers: readonly IRFunction<DType>[];
  /** A gufunc kernel's array parameters (arrays.ts); absent: a scalar kernel, which has none. */
  readonly arrays?: ArrayAccess;
  /** A gufunc kernel's scratch arrays (scratch.ts); absent: it has none. */
  readonly scratch?: ScratchHooks;
}

/** Scratch arrays (scratch.ts): allocation, and the arena pointer saved and restored. */
export interface ScratchHooks {
  /** Check `s`'s length against the arena, then carve the array out and zero-fill it. */
  alloc(b: BodyWriter, s: ScratchStmt<DType>): void;
  /** Save the arena pointer in a new local, and return the local. */
  mark(c: Code): number;
  /** Restore the arena pointer saved by {@link mark} in local `m`. */
  restore(c: Code, m: number): void;
}

/** Element access of array parameters: loads, stores and sizes (arrays.ts). */
export interface ArrayAccess {
  load(b: BodyWriter, e: LoadExpr<DType>): void;
  length(b: BodyWriter, e: LengthExpr<DType>): void;
  store(b: BodyWriter, s: StoreStmt<DType>): void;
}

/** What the expression writers of the other files (conversions.ts, int-ops.ts, calls.ts) use of a body. */
export interface BodyWriter {
  readonly c: Code;
  /** Push `e`'s value (KernelBody.expr in function.ts). */
  expr(e: Expr<DType>, raw?: boolean): void;
  /** Pop the value on the stack into a new local of dtype `t`'s type, and return it. */
  stash(t: DType): number;
  readonly callees: Callees;
}
