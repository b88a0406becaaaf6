/**
 * The kernel IR: structured (no CFG: every emitted language has if/for/while), one node type
 * per construct, shared by the untyped IR (what lowering produces, `T = null`) and the typed
 * IR (after inference, `T = DType`).
 *
 * Invariants of the typed IR (checked by passes/validate.ts):
 *   - every expression has a dtype; operands of unary/binary ops have the node's type,
 *     compare operands have `operand`'s type, conditions are bool; every conversion is an
 *     explicit `cast` node (emitters never convert implicitly);
 *   - `floordiv`/`truncdiv`/`mod` on integers define division by zero as 0 (see infer.ts);
 *   - shifts appear only on int32/uint32/int64/uint64 (smaller types are widened first);
 *   - bitwise operators and shifts never see a float: a float operand is converted by
 *     `toint32` (JavaScript's ToInt32) first;
 *   - weak literals are gone: every `const` carries a concrete dtype and a value of that
 *     dtype's JS representation (boolean, number, or bigint for 64-bit integers).
 * Positions (`at`) are offsets into the source text of the function the node came from.
 */
import type { DType } from '../../dtype/dtypes.js';
import type { SourceText } from '../frontend/diagnostics.js';

/**
 * Unary operations. `truthy` is JavaScript's truthiness (a bool); `toint32` is JavaScript's
 * ToInt32 of a float (what `x | 0` does): NaN and ±Infinity give 0, anything else its
 * truncation modulo 2^32, as an int32 (its argument is float32 or float64).
 */
export type UnaryOp = 'neg' | 'pos' | 'not' | 'bitnot' | 'truthy' | 'toint32';
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow' | 'floordiv' | 'truncdiv'
  | 'band' | 'bor' | 'bxor' | 'shl' | 'shr' | 'ushr';
export type CompareOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
export type LogicalOp = 'and' | 'or';

/** A scalar constant: a JS number/bigint/boolean (untyped), or the dtype's JS value (typed). */
export type ConstValue = number | bigint | boolean;

interface Base<T> {
  /** Offset of the construct in its function's source text. */
  readonly at: number;
  readonly type: T;
}

export interface ConstExpr<T> extends Base<T> {
  readonly kind: 'const'; readonly value: ConstValue;
  /**
   * Untyped IR only: the literal was written as a float (a decimal point or an exponent:
   * `1.0`, `.5`, `1e3`), so it is a weak float even when its value is integral (ir/weak.ts).
   */
  readonly float?: boolean;
}
export interface ParamExpr<T> extends Base<T> { readonly kind: 'param'; readonly index: number }
export interface LocalExpr<T> extends Base<T> { readonly kind: 'local'; readonly id: number }
export interface UnaryExpr<T> extends Base<T> { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr<T> }
export interface BinaryExpr<T> extends Base<T> {
  readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr<T>; readonly right: Expr<T>;
}
export interface CompareExpr<T> extends Base<T> {
  readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr<T>; readonly right: Expr<T>;
  /** The type both operands are compared in (typed IR). */
  readonly operand: T;
}
export interface LogicalExpr<T> extends Base<T> {
  readonly kind: 'logical'; readonly op: LogicalOp; readonly left: Expr<T>; readonly right: Expr<T>;
}
export interface SelectExpr<T> extends Base<T> {
  readonly kind: 'select'; readonly cond: Expr<T>; readonly then: Expr<T>; readonly else: Expr<T>;
}
/** Conversion to `type` with NumPy's unsafe-cast semantics (src/dtype/convert-scalar.ts). */
export interface CastExpr<T> extends Base<T> {
  readonly kind: 'cast'; readonly arg: Expr<T>;
  /**
   * Untyped IR only: a conversion the compiler itself wrote (a jit ufunc call's operands
   * brought to its loop's dtypes, frontend/jit-ufunc.ts); the source language has no casts.
   */
  readonly to?: DType;
}
/** A call of an intrinsic (ir/intrinsics.ts): `Math.sin`, ... */
export interface CallExpr<T> extends Base<T> { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr<T>[] }
/** A call of a helper kernel: by name (untyped) or index into the program's helpers (typed). */
export interface HelperCallExpr<T> extends Base<T> {
  readonly kind: 'helper'; readonly name: string; readonly index: number;
  /** The scalar arguments, in order (typed: without those bound to literals). */
  readonly args: readonly Expr<T>[];
  /**
   * jit functions (src/compiler/jit.ts): the array parameters of the caller passed whole, by
   * the helper's parameter position (absent: none; `args` holds the other positions).
   */
  readonly arrays?: readonly HelperArrayArg[];
}

/**
 * An array passed whole to a helper (jit functions: `getDownSampleValue(img, i, j, win)`):
 * the helper's parameter `position` is the caller's array `array`, read through the API
 * `api` (an NDArray, a TypedArray, or an array of an explicit signature) with `ndim` dims.
 * The helper is lowered and typed once per tuple of such arguments ({@link helperKey}).
 */
export interface HelperArrayArg {
  readonly position: number;
  readonly array: ArrayRef;
  readonly api: 'ndarray' | 'typed' | 'array';
  readonly ndim: number;
}

/** The name a helper is lowered under for the array arguments of a call (`name` when none). */
export function helperKey(name: string, arrays: readonly HelperArrayArg[] | undefined): string {
  if (arrays === undefined || arrays.length === 0) return name;
  return `${name}(${arrays.map((a) => `${a.position}:${a.api}${a.ndim}`).join(',')})`;
}
/**
 * A pointer walk (passes/pointer-walk.ts, for the AssemblyScript emitter): pointer `id`
 * equals the address of `array[counter]` throughout the body of the counting loop that
 * declares it, advancing by `step` elements with the counter.
 */
export interface PointerWalk { readonly id: number; readonly array: ArrayRef; readonly counter: number; readonly step: number }

/** An element access at `[counter + offset]` of an array a pointer walks: read through pointer `id`. */
export interface WalkedAccess { readonly id: number; readonly offset: number }

/**
 * Set by passes/bounds-check.ts: per index of an element access, the bounds-check site
 * (an index into {@link IRProgram.bounds}) that checks `0 <= index < size of that axis`,
 * or null where the pass proved the index in range (no check).
 */
export type IndexChecks = readonly (number | null)[];

/**
 * Which array an element access reaches: an array parameter (a gufunc's core-dimension
 * operand, or a stencil's neighbourhood), or a scratch array the function allocates
 * (`const buf = new Float64Array(n)`: {@link ScratchArray}, declared by a `scratch`
 * statement). Each kind names its field differently (`index` is a parameter's only, `id` a
 * scratch array's), so that adding a kind makes the type checker point at every site that
 * reads a parameter's fields and must decide what the new kind does there.
 */
export type ArrayRef =
  | { readonly kind: 'param'; readonly index: number }
  /** A scratch array of the function ({@link IRFunction.scratch}[id]). */
  | { readonly kind: 'scratch'; readonly id: number }
  /** A constant table ({@link IRProgram.tables}[table]): read-only, 1-d, of a known length. */
  | { readonly kind: 'table'; readonly table: number };

/** The reference to array parameter `index`. */
export const paramRef = (index: number): ArrayRef => ({ kind: 'param', index });

/** The reference to scratch array `id` of the function. */
export const scratchRef = (id: number): ArrayRef => ({ kind: 'scratch', id });

/** The parameter index of a reference that names an array parameter (stencils, which have no scratch arrays). */
export function paramIndex(ref: ArrayRef): number {
  if (ref.kind !== 'param') throw new Error(`internal: array ${arrayKey(ref)} is not a parameter`);
  return ref.index;
}

/** The reference to constant table `table` (an index into the program's tables). */
export const tableRef = (table: number): ArrayRef => ({ kind: 'table', table });

/** A stable text key of an array reference (maps and sets of arrays). */
export function arrayKey(ref: ArrayRef): string {
  switch (ref.kind) {
    case 'param': return `param:${ref.index}`;
    case 'scratch': return `scratch:${ref.id}`;
    case 'table': return `table:${ref.table}`;
  }
}

/**
 * The TypedArray constructors a kernel may allocate scratch arrays with, and their element
 * dtypes (a `Uint8Array` also serves as a bool table: stores of bools give 1/0, as in JS).
 * `Uint8ClampedArray` is not among them (its stores round and clamp: NB1038).
 */
export const SCRATCH_CTORS: Readonly<Record<string, DType>> = {
  Int8Array: 'int8', Uint8Array: 'uint8', Int16Array: 'int16', Uint16Array: 'uint16',
  Int32Array: 'int32', Uint32Array: 'uint32', Float32Array: 'float32', Float64Array: 'float64',
  BigInt64Array: 'int64', BigUint64Array: 'uint64',
};

/**
 * A scratch array of a function: one-dimensional, zero-filled when its `scratch` statement
 * runs, alive until the end of the block that declares it (it cannot be rebound, passed to
 * a helper or returned, so nothing outlives that block). Ids index {@link IRFunction.scratch}.
 */
export interface ScratchArray {
  readonly id: number;
  /** The name in the kernel's source. */
  readonly name: string;
  /** The name emitters print. */
  readonly emitName: string;
  /** The constructor written in the source (`Float64Array`). */
  readonly ctor: string;
  /** Its element dtype (the constructor's; the gpu target narrows float64 to float32, ir/infer.ts). */
  readonly dtype: DType;
  readonly at: number;
}

/**
 * A typed-array constant of `options.constants` that the program reads: a read-only 1-d
 * lookup table (compiler/constants.ts). Emitters place `values` in the module (AS: a data
 * segment; JS: a typed array literal; WGSL: a read-only storage buffer the gpu target
 * uploads once per compiled kernel), so the generated source covers the contents.
 */
export interface TableConst {
  /** The constant's name in `options.constants` (messages). */
  readonly name: string;
  /** The name emitters print (unique, starts with `__`: never a user name). */
  readonly emitName: string;
  /** Element dtype, from the typed array's kind (Float64Array → float64, ...). */
  readonly dtype: DType;
  /** The frozen copy of the values. */
  readonly values: ArrayLike<number | bigint>;
}

/** What any pass may ask of a typed array reference: its names and its element layout. */
export interface ArrayInfo {
  /** The name in the kernel's source (messages). */
  readonly name: string;
  /** The name emitters print. */
  readonly emitName: string;
  readonly dtype: DType;
  readonly ndim: number;
}

/** The {@link ArrayInfo} of `ref` in typed function `fn`. */
export function arrayInfo(fn: IRFunction<DType>, ref: ArrayRef): ArrayInfo {
  switch (ref.kind) {
    case 'param': {
      const p = fn.params[ref.index]!;
      if (!p.array) throw new Error(`internal: parameter '${p.name}' is not an array`);
      return { name: p.name, emitName: p.emitName, dtype: p.array.dtype, ndim: p.array.ndim };
    }
    case 'scratch': {
      const a = fn.scratch?.[ref.id];
      if (!a) throw new Error(`internal: no scratch array ${ref.id}`);
      return { name: a.name, emitName: a.emitName, dtype: a.dtype, ndim: 1 };
    }
    case 'table': {
      const t = fn.tables?.[ref.table];
      if (!t) throw new Error(`internal: ${fn.name} reads table ${ref.table}, which it does not have`);
      return { name: t.name, emitName: t.emitName, dtype: t.dtype, ndim: 1 };
    }
  }
}

/** `a[i]`, `a[i][j]`: one element of array `array`. */
export interface LoadExpr<T> extends Base<T> {
  readonly kind: 'load'; readonly array: ArrayRef; readonly indices: readonly Expr<T>[];
  /** Set by passes/pointer-walk.ts: the address is a walked pointer (the indices still say which element). */
  readonly walk?: WalkedAccess;
  /** Set by passes/bounds-check.ts: the checks of the indices (absent: none). */
  readonly checks?: IndexChecks;
}
/** `a.length` (axis 0), `a[i].length` (axis 1): a core dimension's size (int32). */
export interface LengthExpr<T> extends Base<T> { readonly kind: 'length'; readonly array: ArrayRef; readonly axis: number }

export type Expr<T> =
  | ConstExpr<T> | ParamExpr<T> | LocalExpr<T> | UnaryExpr<T> | BinaryExpr<T> | CompareExpr<T>
  | LogicalExpr<T> | SelectExpr<T> | CastExpr<T> | CallExpr<T> | HelperCallExpr<T> | LoadExpr<T> | LengthExpr<T>;

/** The variable an assignment writes (its place): a local or a scalar parameter. */
export type Place = { readonly kind: 'local'; readonly id: number } | { readonly kind: 'param'; readonly index: number };

export interface LetStmt<T> { readonly kind: 'let'; readonly at: number; readonly local: number; readonly init: Expr<T> }
export interface AssignStmt<T> { readonly kind: 'assign'; readonly at: number; readonly place: Place; readonly value: Expr<T> }
export interface StoreStmt<T> {
  readonly kind: 'store'; readonly at: number; readonly array: ArrayRef; readonly indices: readonly Expr<T>[]; readonly value: Expr<T>;
  /** As LoadExpr's. */
  readonly walk?: WalkedAccess;
  /** As LoadExpr's. */
  readonly checks?: IndexChecks;
}
export interface IfStmt<T> {
  readonly kind: 'if'; readonly at: number; readonly cond: Expr<T>; readonly then: readonly Stmt<T>[]; readonly else: readonly Stmt<T>[];
}
export interface ForStmt<T> {
  readonly kind: 'for'; readonly at: number; readonly init: readonly Stmt<T>[]; readonly cond: Expr<T> | null;
  readonly update: readonly Stmt<T>[]; readonly body: readonly Stmt<T>[];
  /** Set by passes/pointer-walk.ts: the pointers this loop starts with its counter and advances with it. */
  readonly walks?: readonly PointerWalk[];
  /** jit functions: the loop is `for (const i of nb.prange(...))` (split over the pool on 'parallel': src/compiler/jit-prange.ts). */
  readonly prange?: boolean;
}
export interface WhileStmt<T> {
  readonly kind: 'while'; readonly at: number; readonly cond: Expr<T>; readonly body: readonly Stmt<T>[];
  /**
   * `do { body } while (cond)`: the condition is tested after each pass, so the body runs at
   * least once, and `continue` goes to the test. Passes that only visit the condition and
   * the body treat both forms alike; printers and control-flow checks read this.
   */
  readonly doWhile?: boolean;
}
/**
 * `const buf = new Float64Array(length)`: allocates scratch array `id` (zero-filled) each
 * time it runs. `length` is an integer expression (a constant on the gpu target); a negative
 * length, or one past the target's scratch memory, stops the kernel with the site's error.
 */
export interface ScratchStmt<T> {
  readonly kind: 'scratch'; readonly at: number; readonly id: number; readonly length: Expr<T>;
  /** Set by passes/scratch.ts: the allocation site (an index into {@link IRProgram.scratch}). */
  readonly site?: number;
}
/**
 * jit functions (frontend/jit-alloc.ts): `const out = nb.empty(shape, dtype)` (also zeros,
 * ones, full) whose shape the caller cannot compute before the call (it reads locals, or runs
 * in a loop or a branch). Each time it runs it makes array parameter `array` (a hidden,
 * C-contiguous NDArray parameter) a new heap array of that shape: the host's allocator
 * (`env.<prefix>jit_alloc<ndim>(site, sizes...)`, src/jit/alloc-host.ts) checks the sizes as
 * nb.empty does, allocates and records the block (freed after the call unless it is the
 * result), and the function sets the parameter's address, strides and sizes; `full` then
 * stores `value` (already of the array's dtype) in every element. Typed: each size is a
 * float64 (what the host takes: integral values are checked there, as nb.empty checks them).
 */
export interface AllocStmt<T> {
  readonly kind: 'alloc'; readonly at: number; readonly array: ArrayRef; readonly shape: readonly Expr<T>[];
  readonly fill: 'empty' | 'zeros' | 'ones' | 'full';
  readonly value: Expr<T> | null;
  /** The allocation's index (CompiledJit.allocations): the host's site. */
  readonly site: number;
}
export interface BreakStmt { readonly kind: 'break'; readonly at: number }
export interface ContinueStmt { readonly kind: 'continue'; readonly at: number }
export interface ReturnStmt<T> { readonly kind: 'return'; readonly at: number; readonly value: Expr<T> | null }

export type Stmt<T> =
  | LetStmt<T> | AssignStmt<T> | StoreStmt<T> | IfStmt<T> | ForStmt<T> | WhileStmt<T> | ScratchStmt<T> | AllocStmt<T>
  | BreakStmt | ContinueStmt | ReturnStmt<T>;

/** A parameter: its source name, the name emitters print, and (typed) its type. */
export interface Param {
  readonly name: string;
  readonly emitName: string;
  readonly at: number;
  /** Scalar dtype, or an array type (gufunc kernels). Unset in the untyped IR. */
  readonly scalar?: DType;
  readonly array?: {
    readonly dtype: DType; readonly ndim: number; readonly isOutput: boolean; readonly coreDims: readonly number[];
    /** jit NDArrays: an index below 0 counts from the end, as NDArray.get (passes/negative-index.ts). */
    readonly negative?: boolean;
  };
  /**
   * Helpers only: the parameter was passed a literal (and is never assigned), so the
   * specialisation reads it as that weak literal — it is not a runtime parameter at all.
   */
  readonly literal?: { readonly wk: 'int'; readonly value: bigint } | { readonly wk: 'float'; readonly value: number };
}

/** A local variable (unique per declaration: shadowing is resolved by lowering). */
export interface Local<T> {
  readonly id: number;
  readonly name: string;
  readonly emitName: string;
  readonly at: number;
  readonly isConst: boolean;
  readonly type: T;
}

export interface IRFunction<T> {
  /** The name emitters give the function (`kernel`, `h_clamp_0`, ...). */
  readonly name: string;
  readonly source: SourceText;
  readonly params: readonly Param[];
  readonly locals: readonly Local<T>[];
  readonly body: readonly Stmt<T>[];
  /** Return type: a dtype, 'void' (gufunc kernels), or null (untyped). */
  readonly returns: T | 'void';
  /** The scratch arrays it allocates (`scratch` statements), by id; absent: none. */
  readonly scratch?: readonly ScratchArray[];
  /**
   * Typed IR: the program's constant tables ({@link IRProgram.tables}, the same list in
   * every function of a program), so that a function's table references resolve on their own.
   */
  readonly tables?: readonly TableConst[];
  /**
   * A jit helper that takes arrays: the sizes of its own array parameters, one dim per axis
   * (size parameters of the function itself; absent: the program's `core`, see {@link coreOf}).
   */
  readonly core?: CoreInfo;
}

/** The core dims a function's array parameters read their sizes from: its own, else the program's. */
export const coreOf = (p: IRProgram, fn: IRFunction<unknown>): CoreInfo | undefined => fn.core ?? p.core;

/** Core dimensions of a gufunc kernel (what src/ufunc/gufunc-signature.ts parses). */
export interface CoreInfo {
  /** Number of inputs; the remaining parameters are outputs. */
  readonly nin: number;
  /** Distinct core dims, by name (`'n'`, or a frozen size such as `'3'`). */
  readonly dims: readonly string[];
  /** Per parameter: its core dims as indices into `dims`. */
  readonly operands: readonly (readonly number[])[];
}

/**
 * A bounds-check site (passes/bounds-check.ts): one index of one element access of the
 * kernel that the compiler could not prove in range. Emitters check the index there and
 * report the site's number; the host turns it into the IndexError (src/compiler/bounds.ts).
 */
export interface BoundsSite {
  /** The array's name in the kernel's source (a parameter, or a constant table). */
  readonly array: string;
  /** Which index of the access (0 for `a[i]`, 1 for the `j` of `a[i][j]`). */
  readonly axis: number;
  /** A store (`a[i] = v`) or a load. */
  readonly write: boolean;
  /** The index's dtype (how the emitters pass its value back). */
  readonly indexType: DType;
  /** 1-based line and column of the access in the kernel's source, and its code frame. */
  readonly line: number;
  readonly column: number;
  readonly frame: string;
}

/**
 * A scratch allocation site (passes/scratch.ts): where a kernel allocates a scratch array,
 * for the error when the allocation fails (a negative length, or more than the target's
 * scratch memory holds: src/compiler/bounds.ts).
 */
export interface ScratchSite {
  /** The scratch array's name in the source, and its constructor. */
  readonly array: string;
  readonly ctor: string;
  /** Bytes per element. */
  readonly itemSize: number;
  readonly line: number;
  readonly column: number;
  readonly frame: string;
}

/** A typed program: the kernel, the helper specialisations it calls, and its kind. */
export interface IRProgram {
  /**
   * 'scalar' (vectorize), 'gufunc' (guvectorize), or 'jit' (nb.jit: a whole function over
   * arrays of any rank; `core` then gives every axis of every array parameter its own dim,
   * so `a.shape[k]` is a `length` node read from that dim's size, src/compiler/jit.ts).
   */
  readonly kind: 'scalar' | 'gufunc' | 'jit';
  readonly main: IRFunction<DType>;
  readonly helpers: readonly IRFunction<DType>[];
  /** gufunc kernels; jit functions (one dim per array axis). */
  readonly core?: CoreInfo;
  readonly fastmath: boolean;
  /**
   * The bounds-check sites, numbered as the `checks` of loads and stores refer to them
   * (passes/bounds-check.ts); absent or empty: the program checks nothing.
   */
  readonly bounds?: readonly BoundsSite[];
  /** The scratch allocation sites, numbered as the `site` of `scratch` statements (absent or empty: none). */
  readonly scratch?: readonly ScratchSite[];
  /**
   * The typed-array constants the kernel and its helpers read (`tableRef(k)` is entry k);
   * absent or empty: none.
   */
  readonly tables?: readonly TableConst[];
}

/**
 * `e` with each direct operand replaced by `f(operand)` (the node itself when it has none):
 * forEachChild's rebuilding twin, for passes that rewrite some nodes and keep the rest.
 */
export function mapChildren<T>(e: Expr<T>, f: (child: Expr<T>) => Expr<T>): Expr<T> {
  switch (e.kind) {
    case 'unary': case 'cast': return { ...e, arg: f(e.arg) };
    case 'binary': case 'compare': case 'logical': return { ...e, left: f(e.left), right: f(e.right) };
    case 'select': return { ...e, cond: f(e.cond), then: f(e.then), else: f(e.else) };
    case 'call': case 'helper': return { ...e, args: e.args.map(f) };
    case 'load': return { ...e, indices: e.indices.map(f) };
    default: return e;
  }
}

/**
 * `s` with its expressions replaced by `expr(...)` and its nested blocks by `block(...)`
 * (a store's indices too, a scratch statement's length): the statement-level twin of
 * {@link mapChildren}, so that a rewriting pass lists only the nodes it changes.
 */
export function mapStmt<T>(s: Stmt<T>, expr: (e: Expr<T>) => Expr<T>, block: (b: readonly Stmt<T>[]) => Stmt<T>[]): Stmt<T> {
  switch (s.kind) {
    case 'let': return { ...s, init: expr(s.init) };
    case 'assign': return { ...s, value: expr(s.value) };
    case 'store': return { ...s, indices: s.indices.map(expr), value: expr(s.value) };
    case 'scratch': return { ...s, length: expr(s.length) };
    case 'alloc': return { ...s, shape: s.shape.map(expr), value: s.value && expr(s.value) };
    case 'if': return { ...s, cond: expr(s.cond), then: block(s.then), else: block(s.else) };
    case 'while': return { ...s, cond: expr(s.cond), body: block(s.body) };
    case 'for': return { ...s, init: block(s.init), cond: s.cond && expr(s.cond), update: block(s.update), body: block(s.body) };
    case 'return': return s.value ? { ...s, value: expr(s.value) } : s;
    default: return s;
  }
}

/** Calls `f` on each direct operand of `e` (the one place that knows which kinds have which). */
export function forEachChild<T>(e: Expr<T>, f: (child: Expr<T>) => void): void {
  switch (e.kind) {
    case 'unary': case 'cast': f(e.arg); break;
    case 'binary': case 'compare': case 'logical': f(e.left); f(e.right); break;
    case 'select': f(e.cond); f(e.then); f(e.else); break;
    case 'call': case 'helper': e.args.forEach(f); break;
    case 'load': e.indices.forEach(f); break;
    default: break;
  }
}

/** Visit every expression of a statement list (pre-order), including nested statements. */
export function forEachExpr<T>(body: readonly Stmt<T>[], f: (e: Expr<T>) => void): void {
  const expr = (e: Expr<T>): void => {
    f(e);
    forEachChild(e, expr);
  };
  forEachStmt(body, (s) => {
    switch (s.kind) {
      case 'let': expr(s.init); break;
      case 'assign': expr(s.value); break;
      case 'store': s.indices.forEach(expr); expr(s.value); break;
      case 'if': case 'while': expr(s.cond); break;
      case 'for': if (s.cond) expr(s.cond); break;
      case 'return': if (s.value) expr(s.value); break;
      case 'scratch': expr(s.length); break;
      case 'alloc': s.shape.forEach(expr); if (s.value) expr(s.value); break;
      default: break;
    }
  });
}

/**
 * Does the statement list make a jit allocation (an `alloc` statement, at any depth)? Passes
 * that hoist facts about an array's address or sizes out of a loop skip such loops: the
 * allocation gives the array new ones.
 */
export function makesArrays<T>(body: readonly Stmt<T>[]): boolean {
  let found = false;
  forEachStmt(body, (s) => { if (s.kind === 'alloc') found = true; });
  return found;
}

/** Visit every statement (pre-order), descending into blocks. */
export function forEachStmt<T>(body: readonly Stmt<T>[], f: (s: Stmt<T>) => void): void {
  for (const s of body) {
    f(s);
    switch (s.kind) {
      case 'if': forEachStmt(s.then, f); forEachStmt(s.else, f); break;
      case 'for': forEachStmt(s.init, f); forEachStmt(s.update, f); forEachStmt(s.body, f); break;
      case 'while': forEachStmt(s.body, f); break;
      default: break;
    }
  }
}
