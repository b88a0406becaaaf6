/** Options of vectorize/guvectorize and the checks they share. */
import type { Scalar } from '../dtype/dtypes.js';
import { isBoolean, isString, type OptionRule, type OptionRules } from '../util/options.js';

/** Options of `nb.vectorize` / `nb.guvectorize` (API.md "Kernel factories"). */
export interface VectorizeOptions {
  /**
   * 'cpu' (default); 'parallel': the same compiled loops on every core through a worker pool
   * above a measured crossover (src/parallel; `nb.config({ parallel })`, `nb.shutdown()`).
   */
  target?: 'cpu' | 'parallel' | 'gpu';
  /**
   * The ufunc's identity, in NumPy's and Numba's forms: a number, bigint or boolean (the value
   * of an empty reduction; the ufunc is reorderable, so `reduce` takes several axes);
   * `'reorderable'` (reorderable, but no identity value: `.identity` is null); `null` or
   * omitted (neither). See {@link identityOption}.
   */
  identity?: Scalar | null | 'reorderable';
  /** Keep compiled modules on disk (`$NUMBATS_CACHE_DIR` or `node_modules/.cache/numbats`). */
  cache?: boolean;
  /**
   * Numba's `fastmath=True`: float accumulation loops (`for (let i = a; i < n; i++) s += E`,
   * also `-=` and `*=`) are reassociated into independent partial sums combined pairwise at
   * the end (src/compiler/ir/passes/fastmath.ts), as LLVM's `reassoc` does for Numba. Results
   * may differ from the strict ones in the last bits; integer work is unchanged.
   */
  fastmath?: boolean;
  /** The ufunc's name (default: the kernel function's name). */
  name?: string;
  /**
   * Check every element access of a gufunc kernel (default true): an index outside its core
   * dimension (`a[-1]`, `a[a.length]`) throws IndexError `E_KERNEL_BOUNDS` with the kernel's
   * line and column, and nothing is read or written outside the array. Indices the compiler
   * proves in range (a counter from 0 below `a.length`) are not checked. `false` removes
   * every check. Scalar (vectorize) kernels index nothing, so it changes nothing there.
   */
  boundscheck?: boolean;
  /**
   * Functions the kernel calls by these names: plain JS functions written in the kernel
   * language, compiled with the kernel into the same module and typed per call site's
   * argument types (one helper serves an int32 and a float64 signature, each with its own
   * types); helpers may call each other. Direct or mutual recursion is a KernelError.
   * The compile cache keys on the generated source, so a changed helper recompiles.
   */
  helpers?: Readonly<Record<string, (...args: never[]) => unknown>>;
}

/**
 * Options of `nb.guvectorize`. `identity` is the gufunc's `.identity`; the ufunc methods
 * use it only when the layout is elementwise (`'(),()->()'`), as in NumPy and Numba.
 */
export type GuvectorizeOptions = VectorizeOptions & {
  /** Turn the kernel lints (output never written, ...) into KernelErrors. */
  strict?: boolean;
};

/**
 * The target option: any name (an unknown name is TargetError `E_TARGET_UNAVAILABLE` from
 * the target registry, which knows the targets loaded).
 */
export const TARGET_OPTION: OptionRule = { accepts: "a target name: 'cpu', 'parallel' or 'gpu'", test: (v) => typeof v === 'string' };

/** `helpers`: a plain object whose values are functions. */
const HELPERS_OPTION: OptionRule = {
  accepts: 'an object mapping names to functions, e.g. { clamp01: (x) => Math.min(1, Math.max(0, x)) }',
  test: (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((f) => typeof f === 'function'),
};

/**
 * `identity`: NumPy's identity forms (a number, bigint, boolean or null) and Numba's
 * `'reorderable'`; any other string (Numba rejects `'none'` too) is E_VALUE_OPTION.
 */
const IDENTITY_OPTION: OptionRule = {
  accepts: "a number, bigint, boolean, null or 'reorderable'",
  test: (v) => v === null || v === 'reorderable' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean',
};

/**
 * The identity value and reorderability an `identity` option means (Numba's
 * `parse_identity`): a value is both; `'reorderable'` is reorderable without a value
 * (NumPy's `PyUFunc_ReorderableNone`); null/undefined is neither (`PyUFunc_None`).
 *
 * @example
 * ```ts
 * identityOption(0);             // { identity: 0, reorderable: true }
 * identityOption('reorderable'); // { identity: null, reorderable: true }
 * identityOption(undefined);     // { identity: null, reorderable: false }
 * ```
 */
export function identityOption(v: Scalar | null | 'reorderable' | undefined): { identity: Scalar | null; reorderable: boolean } {
  if (v === 'reorderable') return { identity: null, reorderable: true };
  if (v === undefined || v === null) return { identity: null, reorderable: false };
  return { identity: v, reorderable: true };
}

/** The keys vectorize accepts and their values (issue 19 item 11: anything else is E_VALUE_OPTION). */
export const VECTORIZE_OPTIONS: OptionRules = {
  target: TARGET_OPTION,
  identity: IDENTITY_OPTION,
  cache: isBoolean,
  fastmath: isBoolean,
  name: isString,
  boundscheck: isBoolean,
  helpers: HELPERS_OPTION,
};

/** The keys guvectorize accepts and their values. */
export const GUVECTORIZE_OPTIONS: OptionRules = {
  target: TARGET_OPTION,
  identity: IDENTITY_OPTION,
  cache: isBoolean,
  fastmath: isBoolean,
  name: isString,
  strict: isBoolean,
  boundscheck: isBoolean,
  helpers: HELPERS_OPTION,
};

/** A TC39 decorator context, as far as it is used. */
export interface DecoratorContext {
  kind: string;
  name?: string | symbol;
  static?: boolean;
}

/**
 * Apply a factory to a kernel: plain call `f(kernel)` or TC39 method decorator
 * `(value, context)` with `context.kind === 'method'` (the ufunc replaces the method).
 */
export function applyKernelFactory<R>(make: (fn: (...args: never[]) => unknown, name: string | undefined) => R, fn: unknown, context: unknown): R {
  if (typeof fn !== 'function') throw new TypeError('vectorize: the kernel must be a function');
  if (context !== undefined) {
    const c = context as DecoratorContext;
    if (typeof c !== 'object' || c === null || c.kind !== 'method') {
      throw new TypeError(`vectorize: as a decorator it applies to (static) methods, not to a ${String(c?.kind)}`);
    }
    return make(fn as (...args: never[]) => unknown, typeof c.name === 'string' ? c.name : undefined);
  }
  return make(fn as (...args: never[]) => unknown, undefined);
}
