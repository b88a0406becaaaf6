/**
 * Public types of ufunc calls.
 */
import type { Casting } from '../dtype/casting.js';
import type { DTypeLike, Scalar } from '../dtype/dtypes.js';
import type { ArrayLikeInput } from '../ndarray/creation.js';
import type { NDArray } from '../ndarray/ndarray.js';

/** A ufunc operand: an NDArray, nested JS arrays, a TypedArray, or a JS scalar (weak). */
export type UfuncInput = ArrayLikeInput;

/** Keyword options of a ufunc call (NumPy's `out=`, `where=`, `casting=`, `dtype=`, `signature=`). */
export interface UfuncOptions {
  /** Where to write the result(s): one array per output (null: allocate); exactly the broadcast shape. */
  out?: NDArray | null | readonly (NDArray | null)[];
  /** Compute only where true; elsewhere `out` keeps its values (new outputs hold 0 there). */
  where?: ArrayLikeInput;
  /** Rule for casting inputs to the loop and the loop's results to `out` (default `'same_kind'`). */
  casting?: Casting;
  /** The output dtype: picks the loop whose output has this dtype. */
  dtype?: DTypeLike;
  /** Fix loop dtypes: `'float32,float32->float32'`, or one entry per operand (null = free). */
  signature?: string | readonly (DTypeLike | null)[];
}

/** Attributes shared by every ufunc (NumPy's names). */
export interface UfuncAttributes {
  /** NumPy's name of the ufunc (`'floor_divide'` for `nb.floorDivide`). */
  readonly name: string;
  readonly nin: number;
  readonly nout: number;
  /** nin + nout. */
  readonly nargs: number;
  /** Number of inner loops. */
  readonly ntypes: number;
  /** The loops' dtype signatures, in dispatch order, e.g. `'float64,float64->float64'`. */
  readonly types: readonly string[];
  /** Value of an empty reduction, or null when there is none. */
  readonly identity: Scalar | null;
  /** Core-dimension signature of a gufunc (`'(n),(n)->()'`); null for elementwise ufuncs. */
  readonly signature: string | null;
}

/** A ufunc with one output: `nb.add(x1, x2, options?)`. */
export interface Ufunc extends UfuncAttributes {
  (...args: Array<UfuncInput | UfuncOptions>): NDArray;
}

/** A ufunc with two outputs (`divmod`, `modf`, `frexp`): returns both. */
export interface Ufunc2 extends UfuncAttributes {
  (...args: Array<UfuncInput | UfuncOptions>): [NDArray, NDArray];
}

/** Scalars accepted as weak operands. */
export type WeakScalar = number | bigint;
