/** Options of vectorize/guvectorize and the checks they share. */
import type { Scalar } from '../dtype/dtypes.js';
import { isBoolean, isString, type OptionRule, type OptionRules } from '../util/options.js';
import { MAX_SCRATCH_BYTES } from './arena.js';

/** Options of `nb.vectorize` / `nb.guvectorize` (API.md "Kernel factories"). */
export interface VectorizeOptions {
  /**
   * 'cpu' (default); 'parallel': the same compiled loops on every core through a worker pool
   * above a measured crossover (src/parallel; `nb.config({ parallel })`, `nb.shutdown()`).
   */
  target?: 'cpu' | 'parallel' | 'gpu';
  /** The ufunc's identity (enables reductions of empty arrays; makes it reorderable). */
  identity?: Scalar | null;
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
  /**
   * Bytes of scratch memory per thread for the kernel's scratch arrays (`const buf = new
   * Float64Array(n)` inside it; cpu and parallel targets), default 1 MiB (1048576), at most
   * 1 GiB: lent from the heap for each call and given back after it (src/vectorize/arena.ts).
   * A kernel that asks for more at once throws MemoryError `E_KERNEL_SCRATCH`.
   */
  scratchBytes?: number;
}

/** Options of `nb.guvectorize` (identity is not used by gufuncs). */
export type GuvectorizeOptions = Omit<VectorizeOptions, 'identity'> & {
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

/** `scratchBytes`: an integer number of bytes, 0 to 1 GiB. */
const SCRATCH_OPTION: OptionRule = {
  accepts: 'an integer number of bytes from 0 to 1073741824 (1 GiB)',
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SCRATCH_BYTES,
};

/** The keys vectorize accepts and their values (issue 19 item 11: anything else is E_VALUE_OPTION). */
export const VECTORIZE_OPTIONS: OptionRules = {
  target: TARGET_OPTION,
  identity: {
    accepts: 'a number, bigint, boolean or null',
    test: (v) => v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean',
  },
  cache: isBoolean,
  fastmath: isBoolean,
  name: isString,
  boundscheck: isBoolean,
  helpers: HELPERS_OPTION,
  scratchBytes: SCRATCH_OPTION,
};

/** The keys guvectorize accepts and their values. */
export const GUVECTORIZE_OPTIONS: OptionRules = {
  target: TARGET_OPTION,
  cache: isBoolean,
  fastmath: isBoolean,
  name: isString,
  strict: isBoolean,
  boundscheck: isBoolean,
  helpers: HELPERS_OPTION,
  scratchBytes: SCRATCH_OPTION,
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
