/**
 * The types of built-in ufunc calls (issue 18 item 2): a call whose result dtype is known
 * from its arguments' types is typed with it; any other call is `NDArray<DType>`.
 *
 * ```ts
 * nb.add(f32, f32);        // NDArray<'float32'>
 * nb.divide(i32, i32);     // NDArray<'float64'>   (true division)
 * nb.sqrt(i32);            // NDArray<'float64'>;  nb.sqrt(i8): NDArray<'float32'> (no float16)
 * nb.less(f32, 0.5);       // NDArray<'bool'>
 * nb.add(i32, 2);          // NDArray<'int32'>     (a weak JS integer, NEP 50)
 * nb.add(i32, 2.5);        // NDArray<'float64'>   (a weak JS float)
 * nb.add(i32, f32);        // NDArray<DType>       (mixed dtypes: not typed)
 * nb.add(x, y, { out: o }) // the type of o
 * ```
 * Steps, at the type level:
 *   1. options: `out` given as an NDArray (or a tuple of them) is the result; a literal
 *      `dtype` is the (single) output's dtype; a `signature`, a `dtype` that is not a
 *      literal, an `out` that may be missing: `DType`;
 *   2. each input is classified: `NDArray<D>` of one dtype D is an array of D, a boolean is
 *      a bool array (NumPy 2: booleans are strong), a bigint a weak integer, a number
 *      literal a weak integer or float by how it is written (`2`, `2.5`, `1e-3`), a `number`
 *      either; anything else (nested arrays, TypedArrays, `NDArray<DType>`) is unknown;
 *   3. when every array is of one dtype D, there is at least one (a call of scalars alone
 *      takes them as strong), and nothing is unknown, the result is the generated answer
 *      for D (src/builtins/generated/result-types.ts: `same`, `int` or `float` as the
 *      scalars are; both when a number may be either, if they agree); else `DType`.
 * Each interface has a second, loose signature (any arguments, `NDArray<DType>`) for calls the
 * first does not describe: spread arguments, or a wrong count (run-time E_VALUE_ARGCOUNT).
 * The answers are the dispatcher's own (scripts/codegen/emit-result-types.ts runs
 * `resolveLoop` over the table); test/types/ufunc-results.test.ts checks them against calls.
 */
import type { DType, DTypeLike } from '../dtype/dtypes.js';
import type { CanonicalDType, NDArray } from '../ndarray/ndarray.js';
import type { UfuncAttributes, UfuncInput, UfuncOptions } from '../ufunc/types.js';
import type { BuiltinResultTypes } from './generated/result-types.js';

/** The name of a built-in ufunc with generated result types. */
export type BuiltinName = keyof BuiltinResultTypes;

type Outs = readonly DType[] | null;
type Maps = { [D in DType]: Outs };

/** D itself when D is exactly one dtype, else never. */
type Single<D> = [D] extends [never] ? never : { [K in DType]: [D] extends [K] ? K : never }[DType];

/** A number literal written with a fraction or a negative exponent: a weak float. */
type IsFloatLiteral<N extends number> = `${N}` extends `${string}.${string}` | `${string}e-${string}` ? true : false;

/** Step 2, distributed over a union input. */
type Classify<X> =
  X extends NDArray<infer D> ? ([Single<D>] extends [never] ? { unknown: true } : { array: D; ndarray: true })
  : X extends boolean ? { array: 'bool' }
  : X extends bigint ? { weak: 'int' }
  : X extends number ? (number extends X ? { weak: 'int' | 'float' } : { weak: IsFloatLiteral<X> extends true ? 'float' : 'int' })
  : { unknown: true };

/** The values of field K across the classified inputs C (never where none has it). */
type Field<C, K extends string> = C extends { [P in K]: infer V } ? V : never;

/** Both answers when they agree, else null. */
type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? A : null) : null;

/** Step 3: the outputs for inputs `Ins`, or null when not known. */
type FromInputs<M, Ins extends readonly unknown[]> = Classify<Ins[number]> extends infer C
  ? [Field<C, 'unknown'>] extends [never]
    ? [Field<C, 'weak'>] extends [never] ? ByDType<M, Single<Field<C, 'array'>>, never>
    : [Field<C, 'ndarray'>] extends [never] ? null // scalars alone are strong: not typed
    : ByDType<M, Single<Field<C, 'array'>>, Field<C, 'weak'>>
    : null
  : null;

/** The answer for arrays of dtype D (never: mixed or none) with weak scalars of kinds W. */
type ByDType<M, D, W> =
  [D] extends [never] ? null
  : D extends DType
    ? [W] extends [never] ? Lookup<M, 'same', D>
    : [W] extends ['int'] ? Lookup<M, 'int', D>
    : [W] extends ['float'] ? Lookup<M, 'float', D>
    : Agree<Lookup<M, 'int', D>, Lookup<M, 'float', D>>
    : null;

type Lookup<M, K extends string, D extends DType> = M extends { [P in K]: infer T extends Maps } ? T[D] : null;

/** Whether option K may be given (present, and not only null/undefined). */
type Given<O, K extends string> = K extends keyof O ? (O extends { [P in K]?: infer V } ? ([V] extends [null | undefined] ? false : true) : true) : false;

/** Step 1, then 3: the output dtypes of a call with inputs `Ins` and options `O` (null: unknown). */
type CallOuts<M, Nout extends number, Ins extends readonly unknown[], O> =
  Given<O, 'out'> extends true ? (O extends { out: infer T } ? OutOf<T, Nout> : null)
  : Given<O, 'signature'> extends true ? null
  : Given<O, 'dtype'> extends true ? (Nout extends 1 ? (O extends { dtype: infer T extends DTypeLike } ? [CanonicalDType<T>] : null) : null)
  : FromInputs<M, Ins>;

/** The dtypes of `out` when every output is given as an NDArray of one dtype. */
type OutOf<T, Nout extends number> =
  [T] extends [NDArray<infer D>] ? (Nout extends 1 ? [D] : null)
  : [T] extends [readonly [NDArray<infer A>]] ? (Nout extends 1 ? [A] : null)
  : [T] extends [readonly [NDArray<infer A>, NDArray<infer B>]] ? (Nout extends 2 ? [A, B] : null)
  : null;

type At<O, I extends number> = O extends readonly DType[] ? (O[I] extends DType ? O[I] : DType) : DType;

/** The result of a one-output call. */
export type Result1<N extends BuiltinName, Ins extends readonly unknown[], O> =
  CallOuts<BuiltinResultTypes[N], 1, Ins, O> extends infer R ? NDArray<At<R, 0>> : never;

/** The result of a two-output call. */
export type Result2<N extends BuiltinName, Ins extends readonly unknown[], O> =
  CallOuts<BuiltinResultTypes[N], 2, Ins, O> extends infer R ? [NDArray<At<R, 0>>, NDArray<At<R, 1>>] : never;

/** Options with nothing given (the default of the options' type parameter). */
type NoOptions = Record<never, never>;

/** A built-in ufunc of one input and one output (`nb.sqrt`). */
export interface BuiltinUfunc1<N extends BuiltinName> extends UfuncAttributes {
  <X extends UfuncInput, const O extends UfuncOptions = NoOptions>(x: X, options?: O): Result1<N, [X], O>;
  (...args: Array<UfuncInput | UfuncOptions>): NDArray;
}

/** A built-in ufunc of two inputs and one output (`nb.add`). */
export interface BuiltinUfunc2<N extends BuiltinName> extends UfuncAttributes {
  <X extends UfuncInput, Y extends UfuncInput, const O extends UfuncOptions = NoOptions>(x: X, y: Y, options?: O): Result1<N, [X, Y], O>;
  (...args: Array<UfuncInput | UfuncOptions>): NDArray;
}

/** A built-in ufunc of one input and two outputs (`nb.modf`, `nb.frexp`). */
export interface BuiltinUfunc1x2<N extends BuiltinName> extends UfuncAttributes {
  <X extends UfuncInput, const O extends UfuncOptions = NoOptions>(x: X, options?: O): Result2<N, [X], O>;
  (...args: Array<UfuncInput | UfuncOptions>): [NDArray, NDArray];
}

/** A built-in ufunc of two inputs and two outputs (`nb.divmod`). */
export interface BuiltinUfunc2x2<N extends BuiltinName> extends UfuncAttributes {
  <X extends UfuncInput, Y extends UfuncInput, const O extends UfuncOptions = NoOptions>(x: X, y: Y, options?: O): Result2<N, [X, Y], O>;
  (...args: Array<UfuncInput | UfuncOptions>): [NDArray, NDArray];
}
