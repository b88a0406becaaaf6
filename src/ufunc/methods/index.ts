/**
 * The ufunc methods (NumPy's `reduce`, `accumulate`, `reduceat`, `outer`, `at`), attached
 * to every ufunc object by `createUfunc`. Each lives in its own file of this folder; this
 * one attaches them and declares them on the public ufunc types.
 */
import type { NDArray } from '../../ndarray/ndarray.js';
import type { UfuncInput, UfuncOptions } from '../types.js';
import { accumulate, type AccumulateOptions } from './accumulate.js';
import { at, type AtIndices } from './at.js';
import type { MethodUfunc } from './common.js';
import { outer } from './outer.js';
import { reduce, type ReduceOptions } from './reduce.js';
import { reduceat } from './reduceat.js';

export type { AccumulateOptions } from './accumulate.js';
export type { AtIndices, AtIndexItem } from './at.js';
export type { AxisOption } from './axes.js';
export type { MethodUfunc } from './common.js';
export type { ReduceOptions } from './reduce.js';

declare module '../types.js' {
  interface UfuncAttributes {
    /**
     * Reduce along `axis` (default 0; an array of axes or `null` for all, for reorderable
     * ufuncs), as NumPy's `ufunc.reduce`.
     *
     * @example
     * ```ts
     * nb.add.reduce(nb.array([[1, 2], [3, 4]]), { axis: 1 }).toArray(); // [3n, 7n]
     * ```
     */
    reduce(a: UfuncInput, options?: ReduceOptions): NDArray;
    /**
     * Running results along `axis` (NumPy's `ufunc.accumulate`).
     *
     * @example
     * ```ts
     * nb.multiply.accumulate(nb.array([2, 3, 5])).toArray(); // [2n, 6n, 30n]
     * ```
     */
    accumulate(a: UfuncInput, options?: AccumulateOptions): NDArray;
    /**
     * Reductions over the slices between consecutive `indices` (NumPy's `ufunc.reduceat`).
     *
     * @example
     * ```ts
     * nb.add.reduceat(nb.arange(8), [0, 4]).toArray(); // [6n, 22n]
     * ```
     */
    reduceat(a: UfuncInput, indices: UfuncInput, options?: AccumulateOptions): NDArray;
    /**
     * Unbuffered in-place operation at the indexed elements: repeated indices apply
     * repeatedly (NumPy's `ufunc.at`). `b` is required for binary ufuncs only.
     *
     * @example
     * ```ts
     * const a = nb.array([1, 2, 3]);
     * nb.add.at(a, [0, 0], 1); // a: [3n, 2n, 3n]
     * ```
     */
    at(a: NDArray, indices: AtIndices, b?: UfuncInput): void;
    /**
     * f(a[i...], b[j...]) for all pairs: shape a.shape + b.shape (NumPy's `ufunc.outer`);
     * returns what a call returns (both outputs for `divmod`, `modf`, `frexp`).
     *
     * @example
     * ```ts
     * nb.multiply.outer([1, 2], [3, 4, 5]).shape; // [2, 3]
     * ```
     */
    outer(a: UfuncInput, b: UfuncInput, options?: UfuncOptions): CallResult<this>;
  }
}

/** What calling a ufunc type returns (`NDArray`, or a tuple for two outputs). */
export type CallResult<F> = F extends (...args: never[]) => infer R ? R : NDArray | NDArray[];

/**
 * Define the methods on a ufunc callable `f` made from `t`.
 *
 * @example
 * ```ts
 * attachMethods(f, target);
 * ```
 */
export function attachMethods(f: (...args: unknown[]) => NDArray | NDArray[], t: MethodUfunc): void {
  const method = (value: unknown) => ({ value, writable: false, enumerable: false, configurable: false });
  Object.defineProperties(f, {
    reduce: method((a: UfuncInput, options?: ReduceOptions) => reduce(t, a, options)),
    accumulate: method((a: UfuncInput, options?: AccumulateOptions) => accumulate(t, a, options)),
    reduceat: method((a: UfuncInput, indices: UfuncInput, options?: AccumulateOptions) => reduceat(t, a, indices, options)),
    outer: method((a: UfuncInput, b: UfuncInput, options?: UfuncOptions) => outer(t, f, a, b, options)),
    at: method((a: NDArray, indices: AtIndices, b?: UfuncInput) => at(t, a, indices, b)),
  });
}
