/**
 * The shape of one row of the built-in ufunc table (NumPy's `Ufunc(...)` in
 * generate_umath.py, as typed data).
 */
import type { Scalar } from '../dtype/dtypes.js';
import type { LoopRow } from './loop-types.js';

/**
 * How a ufunc picks its loop (NumPy's type resolvers; see src/ufunc/dispatch.ts):
 *  - `linear`: NumPy's default: the first loop, in table order, that every input casts to
 *    safely (a weak JS integer fits any integer or float loop, a weak float any float loop);
 *  - `uniform`: NumPy's SimpleUniformOperation: all operands take resultType(inputs), and
 *    the loop of exactly that type runs (add, subtract, maximum, bitwise ops, ...);
 *  - `comparison`: inputs as `uniform`, the output is bool (less, equal, ...); a weak
 *    integer outside the array's range is compared exactly, as NumPy 2 does (int8 < 300 is
 *    true everywhere, not an error);
 *  - `logical`: NumPy's logical-ufunc promoter: inputs that match a loop exactly use it,
 *    anything else is tested for truth through the bool loop (logical_and/or/xor);
 *  - `trueDivide`: integer and bool inputs use the float64 loop, others as `uniform`.
 * Every kind first takes a loop whose inputs match the (strong) input dtypes exactly, as
 * NumPy's dispatcher does before it promotes (`int64 < uint64` uses 'int64,uint64->bool').
 */
export type ResolverKind = 'linear' | 'uniform' | 'comparison' | 'logical' | 'trueDivide';

export interface UfuncRow {
  /** NumPy's name (`floor_divide`); the table key is numbats' camelCase name. */
  numpy: string;
  nin: 1 | 2;
  nout: 1 | 2;
  /** Value of an empty reduction, or null when there is none (NumPy's `identity`). */
  identity: Scalar | null;
  /**
   * True when reducing over several axes at once is allowed (NumPy: a reorderable ufunc,
   * e.g. add, multiply, maximum; false for subtract, divide, power..., and for every ufunc
   * that cannot reduce at all: unary ones, two outputs, mixed input types).
   */
  reorderable: boolean;
  /** One-line description, shown in the API docs. */
  doc: string;
  /** A TSDoc example body: code lines, results as comments. */
  example: string;
  /** Defaults to `linear`. */
  resolver?: ResolverKind;
  /** Inner loops in NumPy's order: dispatch takes the first one the inputs fit. */
  loops: LoopRow[];
}
