/**
 * The vocabulary of the built-in ufunc table: loop records, and builders that turn a dtype
 * group plus an AssemblyScript body into loop records (NumPy's `TD(...)` entries, spelled
 * with full dtype names).
 *
 * A loop body is AssemblyScript source, because the built-ins need NumPy semantics (floor
 * division, Python-sign modulo, NaN-propagating maximum, integer division by zero = 0) and
 * SIMD forms that the JS-semantics kernel language of `vectorize` does not express.
 * Conventions for bodies (the generator wraps them into functions):
 *   - inputs are `a` (and `b`), already loaded as the loop's AS input types; bool inputs
 *     arrive as AS `bool`;
 *   - `scalar` is an expression of the output type (nout 1), or statements assigning `r0`
 *     and `r1` (nout 2);
 *   - `simd` is a v128 expression of `va` (and `vb`), present only when every operand has
 *     the same lane type, computing the same lanes as `scalar`.
 */
import type { DType } from '../dtype/dtypes.js';
import type { LoopTrap, ReduceKind } from '../ufunc/loop-record.js';


/** AssemblyScript type of each dtype inside loops. */
export const AS_TYPE = {
  bool: 'bool', int8: 'i8', uint8: 'u8', int16: 'i16', uint16: 'u16', int32: 'i32', uint32: 'u32',
  int64: 'i64', uint64: 'u64', float32: 'f32', float64: 'f64',
} as const satisfies Record<DType, string>;

export type AsType = (typeof AS_TYPE)[DType];

/** What a body template is told about its loop. */
export interface LoopTypes {
  /** AS types of the inputs and outputs. */
  ins: AsType[];
  outs: AsType[];
  /** dtypes of the inputs and outputs. */
  inDtypes: DType[];
  outDtypes: DType[];
}

export type { ReduceKind, LoopTrap } from '../ufunc/loop-record.js';

/** One inner loop of a ufunc: a dtype signature and its body. */
export interface LoopRow {
  /** `'float64,float64->float64'`: input dtypes, `->`, output dtypes. */
  types: string;
  scalar: string;
  simd?: string | undefined;
  /**
   * A kernel `f(src, dst, n)` that runs `simd` over n contiguous elements (n a multiple of
   * the lanes; src and dst the same or disjoint), for unary rows whose per-vector kernel is
   * cheaper with its constants kept in registers over a whole row (asm/math/exp.ts
   * exp64x2Rows).
   */
  rows?: string | undefined;
  /** How `reduce` runs a contiguous row (binary loops whose inputs and output share a type). */
  reduce?: ReduceKind | undefined;
  /** Set when the body may trap to report an error (see LoopTrap). */
  traps?: LoopTrap | undefined;
}

/** Integer dtypes in NumPy's loop order. */
export const SIGNED_INTS = ['int8', 'int16', 'int32', 'int64'] as const satisfies readonly DType[];
export const UNSIGNED_INTS = ['uint8', 'uint16', 'uint32', 'uint64'] as const satisfies readonly DType[];
/** NumPy's order: b B h H i I l L (signed before unsigned at each size). */
export const INTS = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as const satisfies readonly DType[];
export const FLOATS = ['float32', 'float64'] as const satisfies readonly DType[];
export const NUMERIC = [...INTS, ...FLOATS] as const satisfies readonly DType[];
export const ALL = ['bool', ...NUMERIC] as const satisfies readonly DType[];

/** Parse `'a,b->c'` into dtype lists. */
export function parseTypes(types: string): { ins: DType[]; outs: DType[] } {
  const [i, o] = types.split('->');
  return { ins: i!.split(',') as DType[], outs: o!.split(',') as DType[] };
}

export function loopTypes(types: string): LoopTypes {
  const { ins, outs } = parseTypes(types);
  return { ins: ins.map((d) => AS_TYPE[d]), outs: outs.map((d) => AS_TYPE[d]), inDtypes: ins, outDtypes: outs };
}

type Body = (t: LoopTypes) => string | undefined;

/** The bodies of a loop builder: one template per dtype of the group. */
export interface LoopBody {
  scalar: Body;
  simd?: Body;
  rows?: Body;
  reduce?: ReduceKind;
  traps?: LoopTrap;
}

/**
 * Loops whose `nin` inputs and `nout` outputs all have one dtype, for each dtype of `group`.
 *
 * @example
 * ```ts
 * same(FLOATS, 2, 1, { scalar: () => 'a + b', simd: (t) => `v128.add<${t.ins[0]}>(va, vb)`, reduce: 'pairwise' });
 * ```
 */
export function same(group: readonly DType[], nin: number, nout: number, body: LoopBody): LoopRow[] {
  return group.map((d) => typed(`${Array(nin).fill(d).join(',')}->${Array(nout).fill(d).join(',')}`, body));
}

/**
 * Loops with inputs of one dtype and outputs of another fixed dtype (comparisons: `->bool`).
 *
 * @example
 * ```ts
 * toType(NUMERIC, 2, 'bool', { scalar: () => 'a < b' });
 * ```
 */
export function toType(group: readonly DType[], nin: number, out: DType, body: LoopBody): LoopRow[] {
  return group.map((d) => typed(`${Array(nin).fill(d).join(',')}->${out}`, body));
}

/**
 * A table loop whose AS bodies are made from their templates when first read. Only the
 * generator (scripts/generate.ts) reads them: the built-in loops are already compiled into
 * the prebuilt Wasm module, so `import 'numbats'` runs none of the table's templates.
 */
class TemplateLoop implements LoopRow {
  readonly reduce: ReduceKind | undefined;
  declare traps?: LoopTrap;
  private made: { scalar: string; simd: string | undefined; rows: string | undefined } | undefined;

  constructor(readonly types: string, private readonly body: LoopBody) {
    this.reduce = body.reduce;
    if (body.traps !== undefined) this.traps = body.traps;
  }

  private bodies(): { scalar: string; simd: string | undefined; rows: string | undefined } {
    if (this.made === undefined) {
      const t = loopTypes(this.types);
      this.made = { scalar: this.body.scalar(t)!, simd: this.body.simd?.(t), rows: this.body.rows?.(t) };
    }
    return this.made;
  }

  get scalar(): string {
    return this.bodies().scalar;
  }

  get simd(): string | undefined {
    return this.bodies().simd;
  }

  get rows(): string | undefined {
    return this.bodies().rows;
  }
}

/** One loop with explicit types. */
export function typed(types: string, body: LoopBody): LoopRow {
  return new TemplateLoop(types, body);
}

// Body templates used across the table. `t.ins[0]` is the AS type of the first input, which
// is also the v128 lane type of same-type loops.

/** `v128.<op><T>(va, vb)`. */
export const vop = (op: string) => (t: LoopTypes): string => `v128.${op}<${t.ins[0]}>(va, vb)`;
/** `v128.<op><T>(va)`. */
export const vop1 = (op: string) => (t: LoopTypes): string => `v128.${op}<${t.ins[0]}>(va)`;
/** A generic helper or builtin called with the loop's type: `f<T>(a)`. */
export const fn1 = (f: string) => (t: LoopTypes): string => `${f}<${t.ins[0]}>(a)`;
/** `f<T>(a, b)`. */
export const fn2 = (f: string) => (t: LoopTypes): string => `${f}<${t.ins[0]}>(a, b)`;
/** AssemblyScript's libm: `Math.f(a)` for float64 loops, `Mathf.f(a)` for float32. */
export const math1 = (f: string) => (t: LoopTypes): string => `${t.ins[0] === 'f64' ? 'Math' : 'Mathf'}.${f}(a)`;
/** `Math.f(a, b)` / `Mathf.f(a, b)`. */
export const math2 = (f: string) => (t: LoopTypes): string => `${t.ins[0] === 'f64' ? 'Math' : 'Mathf'}.${f}(a, b)`;
/** True for loops whose first input has 1-byte lanes (bool, int8, uint8). */
export const byteLanes = (t: LoopTypes): boolean => t.ins[0] === 'bool' || t.ins[0] === 'i8' || t.ins[0] === 'u8';
/** The v128 lane type of an AS type (bool lanes are bytes). */
export const laneOf = (t: string): string => (t === 'bool' ? 'u8' : t);
