/** Options of vectorize/guvectorize and the checks they share. */
import { kernelConstants, type KernelConstants } from '../compiler/index.js';
import type { Scalar } from '../dtype/dtypes.js';
import { isBoolean, isString, type OptionRule, type OptionRules } from '../util/options.js';
import { MAX_SCRATCH_BYTES } from './arena.js';
import { TIER_VALUES, type TierOption } from './tier-setting.js';

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
   * omitted (neither). See `identityOption` (src/vectorize/options.ts).
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
   * Functions the kernel calls by these names, compiled with the kernel into the same module
   * and typed per call site's argument types (one helper serves an int32 and a float64
   * signature, each with its own types); helpers may call each other. Direct or mutual
   * recursion is a KernelError (NB2014). A helper is a plain JS function written in the
   * kernel language, or:
   * - a function made by `nb.vectorize` (eager or lazy, any target): its kernel is compiled
   *   into this one like a plain helper (retyped per call: its own signatures and options do
   *   not apply; it is never called through JS), and its own helpers come along, in one
   *   namespace with these (one name for two different functions is KernelError NB2013);
   * - a built-in ufunc with a scalar form (`nb.hypot`, as `nb.hypot(x, y)` in a kernel), an
   *   `nb.math` function or a `Math` function.
   * A gufunc (`nb.guvectorize`) or a stencil takes arrays, and a helper takes scalars:
   * calling one is KernelError NB2013.
   * The compile cache keys on the generated source, so a changed helper recompiles.
   */
  helpers?: Readonly<Record<string, (...args: never[]) => unknown>>;
  /**
   * Values the kernel (and its helpers) reads by name, frozen when the factory is called, as
   * Numba freezes globals: numbers, bigints, booleans, and typed arrays (read-only 1-d
   * lookup tables: `lut[i]`, `lut.length`, `for (const v of lut)`; elements of the array's
   * dtype; indices bounds-checked; on the gpu, 32-bit arrays only: pass a Float32Array for
   * float64 values). The values are copied then: changing the object later changes nothing. A
   * kernel's own parameter or local of the same name shadows a constant. Types follow the
   * literal rule: an integer-valued number below 2^53 is a weak int (as the literal `2`),
   * any other number (`0.5`, `-0`, `NaN`, `Infinity`, integers from 2^53 on) a weak float,
   * a bigint a weak int, a boolean a bool. Each value is compiled into the module, so
   * different constants never share a cached module.
   *
   * @example
   * ```ts
   * const scale = 2.5, offset = 1;
   * const f = nb.vectorize('f8(f8)', { constants: { scale, offset } })((x: number) => x * scale + offset);
   * f(nb.array([0, 2])).toArray(); // [1, 6]
   * ```
   */
  constants?: KernelConstants;
  /**
   * Bytes of scratch memory per thread for the kernel's scratch arrays (`const buf = new
   * Float64Array(n)` inside it; cpu and parallel targets), default 1 MiB (1048576), at most
   * 1 GiB: lent from the heap for each call and given back after it (src/vectorize/arena.ts).
   * A kernel that asks for more at once throws MemoryError `E_KERNEL_SCRATCH`.
   */
  scratchBytes?: number;
  /**
   * Where a new specialisation runs first (cpu and parallel targets; default
   * `nb.config().tier`, 'auto'): 'auto' runs it on the JS tier (the same kernel compiled
   * to JS, the same results) while its Wasm compiles in the background, then on Wasm (see
   * `.ready` and `.tier`); 'wasm' waits for the Wasm (the factory, or a lazy ufunc's first
   * call of a dtype, blocks until it is compiled); 'js' never compiles to Wasm.
   */
  tier?: TierOption;
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

/** `helpers`: a plain object whose values are functions (vectorize, guvectorize, stencil). */
export const HELPERS_OPTION: OptionRule = {
  accepts: 'an object mapping names to functions, e.g. { clamp01: (x) => Math.min(1, Math.max(0, x)) }',
  test: (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((f) => typeof f === 'function'),
};

/**
 * `constants`: a plain object (each key and value is checked, with a TypeError naming the
 * key, by {@link frozenConstants}).
 */
export const CONSTANTS_OPTION: OptionRule = {
  accepts: 'an object mapping names to numbers, bigints, booleans or typed arrays (read-only tables), e.g. { scale: 2.5, n: 3, lut: new Float64Array([0, 0.5, 1]) }',
  test: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v),
};

/**
 * The options with `constants` checked and copied into a frozen record (compiler/constants.ts),
 * so that a kernel compiled later (lazy signatures) sees the values of the factory call.
 *
 * @throws TypeError naming the key of a bad constant (name or value), or one that is also a helper.
 * @example
 * ```ts
 * options = frozenConstants('nb.vectorize', options);
 * ```
 */
export function frozenConstants<O extends { constants?: KernelConstants; helpers?: object }>(where: string, options: O): O {
  if (options.constants === undefined) return options;
  return { ...options, constants: kernelConstants(where, options.constants, Object.keys(options.helpers ?? {})) };
}

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

/** `scratchBytes`: an integer number of bytes, 0 to 1 GiB. */
export const SCRATCH_OPTION: OptionRule = {
  accepts: 'an integer number of bytes from 0 to 1073741824 (1 GiB)',
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SCRATCH_BYTES,
};

/** `tier`: 'auto', 'wasm' or 'js'. */
export const TIER_OPTION: OptionRule = {
  accepts: "'auto', 'wasm' or 'js'",
  test: (v) => (TIER_VALUES as readonly unknown[]).includes(v),
};

/** The keys vectorize accepts and their values (issue 19 item 11: anything else is E_VALUE_OPTION). */
export const VECTORIZE_OPTIONS: OptionRules = {
  target: TARGET_OPTION,
  identity: IDENTITY_OPTION,
  cache: isBoolean,
  fastmath: isBoolean,
  name: isString,
  boundscheck: isBoolean,
  helpers: HELPERS_OPTION,
  constants: CONSTANTS_OPTION,
  scratchBytes: SCRATCH_OPTION,
  tier: TIER_OPTION,
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
  constants: CONSTANTS_OPTION,
  scratchBytes: SCRATCH_OPTION,
  tier: TIER_OPTION,
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
