/**
 * The shape of one row of the built-in ufunc table (NumPy's `Ufunc(...)` in
 * generate_umath.py, as typed data).
 */
import type { Scalar } from '../dtype/dtypes.js';
import type { LoopRow } from './loop-types.js';
import type { ResolverKind } from '../ufunc/dispatch.js';


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
  /** How the ufunc picks its loop (src/ufunc/dispatch.ts); defaults to `linear`. */
  resolver?: ResolverKind;
  /** Inner loops in NumPy's order: dispatch takes the first one the inputs fit. */
  loops: LoopRow[];
}
