/**
 * Types read from Numba-style signature strings (issue 18 item 2), so that `tsc` checks a
 * kernel against its signature and types the compiled function's result:
 *
 * ```ts
 * const f = nb.vectorize('float64(float64, float64)')((x, y) => x * y + 1); // x, y: number
 * f(a, b);                                      // NDArray<'float64'>
 * nb.vectorize('f8(f8, f8)')((x: number) => x); // error: the kernel takes 1 parameter, the signature 2
 * nb.vectorize('f8(f8)')((s: string) => 1);     // error: number is not assignable to string
 * ```
 *
 * Steps, all at the type level, mirroring src/compiler/signature.ts's grammar:
 *   1. split a signature `result(args)` at its parentheses, trim the blanks;
 *   2. split the arguments at the commas outside brackets (`float64[:, :]` is one argument);
 *   3. map each dtype name or alias (`float64`, `f8`, `boolean`, ...) to its dtype and each
 *      argument to the type the kernel's parameter has: a scalar is `number` (`boolean` for
 *      bool; int64/uint64 too are written with numbers in the kernel language), a 1-d array
 *      its dtype's TypedArray (int64/uint64: {@link Int64Elements}), an n-d array an array of
 *      rows;
 *   4. for a list of signatures, each parameter is the union over the signatures (the kernel
 *      must accept them all) and the result the union of the result dtypes; the signatures
 *      must agree on the number of arguments.
 * A signature the types cannot read (a typo in a dtype name, a string that is not a
 * literal) gives the loose, unchecked types; the run-time parser then reports it (NB5001).
 * Type tests: test/package/types.test.ts.
 */
import type { DType, TypedArrayOf } from '../dtype/dtypes.js';
import type { AliasMap } from '../ndarray/ndarray.js';

type Blank = ' ' | '\t' | '\n' | '\r';

/** `S` without leading and trailing blanks. */
export type Trim<S extends string> = S extends `${Blank}${infer R}` ? Trim<R> : S extends `${infer R}${Blank}` ? Trim<R> : S;

/** Every dtype spelling a signature accepts (src/dtype/dtypes.ts's names and aliases). */
type SignatureDTypeNames = { [K in DType]: K } & AliasMap & { boolean: 'bool'; bool_: 'bool' };

/** The dtype a signature spells `S` (`'f8'` → `'float64'`); `never` for an unknown name. */
export type SignatureDType<S extends string> = Trim<S> extends infer T extends keyof SignatureDTypeNames ? SignatureDTypeNames[T] : never;

/** Split `S` at the commas outside `[...]` (step 2). */
type SplitArgs<S extends string, Acc extends string[] = [], Pending extends string = ''> =
  S extends `${infer H},${infer R}`
    ? `${Pending}${H}` extends `${string}[${infer Inside}`
      ? Inside extends `${string}]${string}` ? SplitArgs<R, [...Acc, `${Pending}${H}`]> : SplitArgs<R, Acc, `${Pending}${H},`>
      : SplitArgs<R, [...Acc, `${Pending}${H}`]>
    : Trim<`${Pending}${S}`> extends '' ? Acc : [...Acc, `${Pending}${S}`];

/** The number of dims of an array argument's `[:, :]` part (its commas plus one). */
type DimCount<S extends string, N extends unknown[] = [unknown]> = S extends `${string},${infer R}` ? DimCount<R, [...N, unknown]> : N;

/**
 * The elements of an int64/uint64 core array inside a kernel: the kernel language writes
 * 64-bit integers with plain numbers (`s += a[i]`, `out[0] = 0`), so a kernel sees them as
 * numbers, not as the `bigint`s the array's storage holds.
 */
export interface Int64Elements {
  [index: number]: number;
  readonly length: number;
}

/** A kernel's parameter for a scalar of dtype `D`. */
export type KernelScalar<D extends DType> = D extends 'bool' ? boolean : number;

/** A kernel's parameter for a 1-d core array of dtype `D`. */
export type KernelRow<D extends DType> = D extends 'int64' | 'uint64' ? Int64Elements : TypedArrayOf[D];

type Nest<T, N extends unknown[]> = N extends [unknown, ...infer R] ? (R extends [] ? T : Nest<T, R>[]) : T;

/** One parsed argument: its dtype and the kernel's parameter type. */
interface Arg<D extends DType, P> {
  dtype: D;
  param: P;
}

/** Parse one argument (step 3); `never` when its dtype is unknown. */
type ParseArg<S extends string> =
  Trim<S> extends `${infer Name}[${infer Dims}]`
    ? SignatureDType<Name> extends infer D extends DType ? ([D] extends [never] ? never : Arg<D, Nest<KernelRow<D>, DimCount<Dims>>>) : never
    : SignatureDType<S> extends infer D extends DType ? ([D] extends [never] ? never : Arg<D, KernelScalar<D>>) : never;

type ParseArgs<L extends string[], Acc extends unknown[] = []> =
  L extends [infer H extends string, ...infer R extends string[]]
    ? ParseArg<H> extends infer A ? ([A] extends [never] ? never : ParseArgs<R, [...Acc, A]>) : never
    : Acc;

/** A parsed signature: the result (a dtype, `'void'`, or `'infer'` when omitted) and the arguments. */
export interface ParsedSignature {
  result: DType | 'void' | 'infer';
  args: Arg<DType, unknown>[];
}

/** Parse one signature string (steps 1-3); `never` when the types cannot read it. */
export type ParseSignature<S extends string> =
  Trim<S> extends `${infer R}(${infer A})`
    ? (Trim<R> extends '' ? 'infer' : Trim<R> extends 'void' ? 'void' : SignatureDType<R>) extends infer Result
      ? [Result] extends [never] ? never
        : ParseArgs<SplitArgs<A>> extends infer Args extends unknown[]
          ? [Args] extends [never] ? never : { result: Result; args: Args }
          : never
      : never
    : never;

type ParamsOf<Args> = { [K in keyof Args]: Args[K] extends Arg<DType, infer P> ? P : never };
type DTypesOf<Args> = { [K in keyof Args]: Args[K] extends Arg<infer D, unknown> ? D : never };

/** The parsed signatures of `S` (one or a list), or `never` if any cannot be read. */
type ParseAll<S> =
  S extends string ? [ParseSignature<S>] extends [never] ? never : [ParseSignature<S>]
  : S extends readonly [infer H, ...infer R]
    ? ParseAll<H> extends infer P extends unknown[] ? ([P] extends [never] ? never : ParseAll<R> extends infer Q extends unknown[] ? ([Q] extends [never] ? never : [...P, ...Q]) : never) : never
    : S extends readonly [] ? [] : never;

/** Per position, the union of the signatures' parameter types; `never` if the arities differ. */
type UnionParams<L extends unknown[], Acc extends unknown[] | null = null> =
  L extends [infer H extends { args: unknown[] }, ...infer R extends unknown[]]
    ? Acc extends unknown[]
      ? Acc['length'] extends H['args']['length'] ? UnionParams<R, { [K in keyof Acc]: Acc[K] | ParamsOf<H['args']>[K & keyof ParamsOf<H['args']>] }> : never
      : UnionParams<R, ParamsOf<H['args']>>
    : Acc extends unknown[] ? Acc : never;

/**
 * What the types know of signatures `S` (a string or a list): `params` (the kernel's
 * parameter types), `result` (the union of the result dtypes; `DType` where a signature
 * leaves it to inference), `args` (per signature, the argument dtypes). `never` when they
 * cannot be read.
 */
export type SignatureInfo<S> = ParseAll<S> extends infer L extends { result: unknown; args: unknown[] }[]
  ? [L] extends [never] ? never
    : L extends [] ? never
    : UnionParams<L> extends infer P extends unknown[]
      ? [P] extends [never] ? never
        : { params: P; result: L[number]['result'] extends infer R ? (R extends DType ? R : R extends 'infer' ? DType : never) : never; args: { [K in keyof L]: DTypesOf<L[K]['args']> } }
      : never
  : never;

/**
 * What a scalar kernel may return, as far as the types check it: anything. The kernel
 * language's values are numbers and booleans, but TypeScript types a built-in ufunc called
 * on scalars inside a kernel (`nb.hypot(x, y)`) as its host-side result, a 0-d NDArray.
 */
export type KernelResult = unknown;

/**
 * `unknown` when kernel `F` takes exactly `N` parameters, else a type no function matches,
 * whose name states the mismatch in tsc's message. (TypeScript lets a function with fewer
 * parameters stand for one with more; a kernel must read every input, and a gufunc kernel
 * must receive its output arrays.)
 */
export type CheckArity<F, N extends number> =
  F extends (...args: infer A) => unknown
    ? number extends A['length'] ? unknown
      : A['length'] extends N ? unknown
      : { 'kernel arity mismatch': `the kernel takes ${A['length']} parameters, the signature has ${N} arguments` }
    : unknown;

/** The number of outputs of a gufunc layout `'(m,n),(n)->(m),()'`: the groups after `->`. */
export type LayoutOutputs<L extends string, N extends unknown[] = []> =
  L extends `${string}->${infer Out}` ? LayoutOutputs<Out, N>
  : L extends `${string}(${infer R}` ? LayoutOutputs<R, [...N, unknown]>
  : N['length'];

/** The last `N` elements of tuple `T`. */
type LastN<T extends unknown[], N extends number, Acc extends unknown[] = []> =
  Acc['length'] extends N ? Acc : T extends [...infer R, infer L] ? LastN<R, N, [L, ...Acc]> : Acc;

/** The output dtypes of a gufunc with signatures `S` and layout `L`: its last `nout` arguments, per position, over the signatures. */
export type GufuncOutputDTypes<S, L extends string> =
  SignatureInfo<S> extends { args: infer A extends unknown[][] }
    ? { [K in keyof A]: LastN<A[K], LayoutOutputs<L>> }[number]
    : never;

type FirstDType<T> = T extends readonly [infer D extends DType, ...unknown[]] ? D : never;

/** The dtype of a one-output gufunc's output (the union over the signatures). */
export type GufuncOutputDType<S, L extends string> = FirstDType<GufuncOutputDTypes<S, L>>;
