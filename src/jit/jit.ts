/**
 * `nb.jit`: Numba's `@njit` — a whole JS function over NDArrays, TypedArrays and scalars,
 * compiled to Wasm per argument-type tuple and called synchronously on the calling thread.
 *
 * Forms: `nb.jit(fn)`, `nb.jit(options)(fn)`, `nb.jit(signatures, options?)(fn)`, and each of
 * them as a TC39 decorator on a static method (`@nb.jit static f(a) {...}`,
 * `@nb.jit({ fastmath: true }) static g(...)`).
 *
 * Steps of a call (lazy: no signatures):
 *   1. type the arguments (specialize.ts `argType`: dtype, ndim and unit inner stride of an
 *      NDArray; TypedArray dtype; number → int64 or float64, bigint → int64, boolean → bool);
 *   2. look the tuple up among the specialisations; on a miss compile it: the front end
 *      (src/compiler/jit.ts) now, then its tiers (src/vectorize/tier.ts, as vectorize's): with
 *      `tier: 'auto'` (the default) the JS the front end emitted from the same IR runs at
 *      once (js-tier.ts) while the Wasm compiles in the background compiler worker, and the
 *      specialisation's entry is swapped for the Wasm one when it lands (a compile-cache
 *      hit, memory or disk with `cache: true`, is Wasm at once); `'wasm'` blocks until the
 *      module is in place; `'js'` never compiles to Wasm;
 *   3. run it (call.ts): NDArrays in the heap in place, TypedArrays through heap copies; the
 *      same arguments for both tiers.
 * Eager (signatures given): every signature compiles at the factory call; a call runs the
 * first signature its arguments fit (specialize.ts `fitsParam`), and arguments that fit none
 * are DTypeError `E_DTYPE_NO_LOOP`, as Numba's explicit signatures disable compiling more.
 *
 * A function the compiler rejects is a KernelError (line, column, code frame) at its first
 * call (lazy) or at the factory call (eager). With `fallback: 'js'` it runs as the plain JS
 * function it is instead, with one console warning per jit function naming the diagnostic,
 * the construct and its line (Numba's object mode); so do arguments with no jit type.
 */
import { compileJit, jitTypeText, type CompiledJit, type JitArgType, type KernelConstants } from '../compiler/index.js';
import { DTypeError, KernelError, ValueError } from '../util/errors.js';
import { checkOptionValues, isBoolean, isString, oneOf, type OptionRules } from '../util/options.js';
import { CONSTANTS_OPTION, frozenConstants, SCRATCH_OPTION, TIER_OPTION } from '../vectorize/options.js';
import { defaultTier, tierProperties, Tiers } from '../vectorize/tier.js';
import type { Tier, TierOption } from '../vectorize/tier-setting.js';
import { JitAllocHost } from './alloc-host.js';
import { jsJitRun } from './js-tier.js';
import { arenaBytes, withArena } from '../vectorize/arena.js';
import { attachKernelSource } from '../compiler/compile.js';
import { callJit, type JitEntry } from './call.js';
import { prangeHost, type PrangeHost } from '../parallel/jit.js';
import { isNDArray, type NDArray } from '../ndarray/ndarray.js';
import { isHeapStorage, type HeapStorage } from '../ndarray/storage.js';
import { argsKey, argType, matchesTypes, eagerSignature, fitsParam, typesKey } from './specialize.js';

/** The function a jit decorator takes (a plain JS function over NDArrays, TypedArrays and scalars). */
export type JitKernel = (...args: never[]) => unknown;

/** Options of `nb.jit` (API.md "Kernel factories"). */
export interface JitOptions {
  /**
   * 'cpu' (default): compiled to Wasm, run on the calling thread, `nb.prange` an ordinary
   * loop. 'parallel': each outermost `for (const i of nb.prange(n))` is split into blocks run
   * on the worker pool (the call still returns when it is done), with `+=`, `-=`, `*=`,
   * `Math.min` and `Math.max` reductions into locals declared before the loop combined in a
   * fixed order (src/compiler/jit-prange.ts).
   */
  target?: 'cpu' | 'parallel';
  /**
   * Functions the jit function calls by these names: plain JS functions in the kernel
   * language, or other jit functions (their source is compiled into the caller, not called
   * through JS). Helpers take and return scalars (arrays: not yet).
   */
  helpers?: Readonly<Record<string, JitKernel>>;
  /** Values read by name, frozen at the factory call (as vectorize's `constants`). */
  constants?: KernelConstants;
  /** Keep compiled modules on disk (`$NUMBATS_CACHE_DIR` or `node_modules/.cache/numbats`). */
  cache?: boolean;
  /** Numba's `fastmath=True`: float accumulation loops reassociated (see vectorize). */
  fastmath?: boolean;
  /**
   * Check every index (default true): an index outside its array (after a negative NDArray
   * index counts from the end) is IndexError `E_KERNEL_BOUNDS` with the line and column.
   */
  boundscheck?: boolean;
  /** 'js': a function that cannot be compiled runs as plain JS, with one warning. */
  fallback?: 'js';
  /**
   * Bytes of scratch memory for the function's scratch arrays (`new Float64Array(n)` in it),
   * as vectorize's `scratchBytes` (default 1 MiB): lent from the heap for each call.
   */
  scratchBytes?: number;
  /** The name in messages (default: the function's name). */
  name?: string;
  /**
   * Where a new specialisation runs first (default `nb.config().tier`, 'auto'), as
   * vectorize's `tier`: 'auto' runs the same function compiled to JS at once while its Wasm
   * compiles in the background, then Wasm (see `.ready` and `.tier`); 'wasm' makes the
   * call that needs a specialisation (or the factory, for explicit signatures) wait for the
   * Wasm; 'js' never compiles to Wasm.
   */
  tier?: TierOption;
}

/** What `f.inspect(...args)` gives: the specialisation those arguments select. */
export interface JitInspection {
  /** Its signature, `'float64(float64[:,::1])'`. */
  readonly signature: string;
  /** The typed IR (src/compiler/ir/print.ts's text). */
  readonly ir: string;
  /** The AssemblyScript module compiled to Wasm. */
  readonly assemblyScript: string;
}

/** One specialisation: compiled, or running as plain JS (`fallback: 'js'`). */
export interface JitSpecialization {
  readonly signature: string;
  /** True when it runs as plain JS (the compiler rejected it: `error`). */
  readonly fallback: boolean;
  readonly error?: KernelError;
}

/** What a jit function adds to the function it compiles (`F`). */
export interface JitExtras<F extends JitKernel = JitKernel> {
  /**
   * The typed IR and AssemblyScript of the specialisation `args` select (compiled now if it
   * was not; the function does not run).
   */
  inspect(...args: unknown[]): JitInspection;
  /** Signatures of the compiled specialisations, in the order they were compiled. */
  readonly signatures: readonly string[];
  /** Every specialisation, fallbacks included. */
  readonly specializations: readonly JitSpecialization[];
  /** The original function (Numba's `py_func`): plain JS. */
  readonly pyFunc: F;
  /**
   * A Promise that settles when every specialisation compiled so far runs on the Wasm tier
   * (API.md's `.ready` of compiled functions): a new specialisation first runs as JS (the
   * same function compiled to JS from the same IR, the same results) while its Wasm
   * compiles in the background. It rejects with the compile's error when a background
   * compile failed (the calls keep running on the JS tier).
   */
  readonly ready: Promise<void>;
  /** Where calls run now: `'wasm'` when every specialisation so far is on the Wasm tier, else `'js'`. */
  readonly tier: Tier;
  /**
   * The call as a Promise (as compiled ufuncs' `callAsync`): settled with the result, or
   * rejected with the error the call would throw. On 'parallel', a function with prange loops
   * runs entirely on the worker pool and the event loop stays free meanwhile (changing its
   * arrays before the promise settles is a data race); other calls run at once.
   */
  callAsync(...args: Parameters<F>): Promise<ReturnType<F>>;
}

/** A jit-compiled function: callable as the original, plus {@link JitExtras}. */
export type JitFunction<F extends JitKernel = JitKernel> = F & JitExtras<F>;

/** `nb.jit(options)` / `nb.jit(signatures, options)`: applied to a function or as a decorator. */
export interface JitDecorator {
  <F extends JitKernel>(fn: F, context: { readonly kind: string; readonly name?: string | symbol; readonly static?: boolean }): JitFunction<F>;
  <F extends JitKernel>(fn: F): JitFunction<F>;
}

const JIT_OPTIONS: OptionRules = {
  target: oneOf(['cpu', 'parallel']),
  helpers: {
    accepts: 'an object mapping names to functions (plain or nb.jit functions)',
    test: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((f) => typeof f === 'function'),
  },
  constants: CONSTANTS_OPTION,
  cache: isBoolean,
  fastmath: isBoolean,
  boundscheck: isBoolean,
  fallback: oneOf(['js']),
  name: isString,
  scratchBytes: SCRATCH_OPTION,
  tier: TIER_OPTION,
};


/**
 * A compiled specialisation: its entry (and prange host on 'parallel') are the tier's in
 * place now, swapped for the Wasm ones when the module lands (between calls: a call reads
 * them once).
 */
interface CompiledSpec {
  readonly kind: 'compiled';
  readonly signature: string;
  readonly kernel: CompiledJit;
  readonly types: readonly JitArgType[];
  entry: JitEntry;
  host: PrangeHost | undefined;
}

type Spec =
  | CompiledSpec
  | { readonly kind: 'fallback'; readonly signature: string; readonly error: KernelError; readonly types: readonly JitArgType[] };

function build(fn: JitKernel, name: string, sigs: readonly string[] | null, options: JitOptions): JitFunction {
  // (the warm compiler: asc loads in its worker now, overlapping the caller's work before the first call)
  const tiers = new Tiers(name, options.tier ?? defaultTier());
  // A jit function among the helpers is compiled in by its source (KERNEL_SOURCE, with its own helpers and constants).
  const helpers = options.helpers ?? {};
  const arena = arenaBytes(options.scratchBytes);
  const specs = new Map<string, Spec>();
  /** The lazy specialisation the last call selected. */
  let last: Spec | undefined;
  const order: Spec[] = [];
  let warned = false;
  const nparams = fn.length;

  const compile = (types: readonly JitArgType[], returns: CompiledJit['returns'] | 'infer', key: string): Spec => {
    let spec: Spec;
    try {
      const parallel = options.target === 'parallel';
      const k = compileJit(fn, types, {
        returns, helpers, name, prefix: 'j_', fastmath: options.fastmath ?? false, boundscheck: options.boundscheck ?? true,
        ...(options.constants ? { constants: options.constants } : {}), ...(parallel ? { parallel } : {}),
      });
      // prange loops on 'parallel': the host's import, and the call's prange area (src/parallel/jit.ts).
      const host = k.prange === null ? undefined : prangeHost(k);
      // Allocations the function makes itself: the host's allocator (src/jit/alloc-host.ts),
      // for both tiers (the JS reference calls its JS face).
      const allocs = k.allocations.some((a) => a.dynamic) ? new JitAllocHost(k, 'j_') : undefined;
      if (allocs) k.jsSetAllocator(allocs.js);
      const imports = host || allocs ? { imports: { ...host?.imports, ...allocs?.imports } } : {};
      const withAllocs = allocs ? { allocs } : {};
      const c: CompiledSpec = { kind: 'compiled', signature: k.signature, kernel: k, types, entry: undefined as unknown as JitEntry, host: undefined };
      tiers.add({
        source: k.asSource,
        module: { disk: options.cache ?? false, target: 'cpu', boundscheck: k.boundscheck, ...imports },
        // The JS tier: prange loops run on this thread, in order.
        js: () => { c.entry = { kernel: k, run: jsJitRun(k), exports: {}, arenaBytes: arena, ...withAllocs }; },
        wasm: ({ exports, module }) => {
          // Scratch arrays: an arena lent for each call (src/vectorize/arena.ts).
          const inner = withArena(exports[k.entry] as (...a: unknown[]) => unknown, exports, arena);
          c.entry = { kernel: k, run: host ? host.attach(module, exports, inner, arena) : inner, exports, arenaBytes: arena, ...withAllocs };
          c.host = host;
        },
      });
      spec = c;
    } catch (e) {
      if (!(e instanceof KernelError) || options.fallback !== 'js') throw e;
      spec = { kind: 'fallback', signature: `(${types.map(jitTypeText).join(', ')})`, error: e, types };
    }
    specs.set(key, spec);
    order.push(spec);
    return spec;
  };

  const warnOnce = (why: string) => {
    if (warned) return;
    warned = true;
    console.warn(`numbats nb.jit '${name}': ${why}; running it as plain JavaScript (fallback: 'js')`);
  };
  // The message's first line without its code, name and position: "'new' is not supported in kernels".
  const what = (e: KernelError) => e.message.split('\n')[0]!.replace(/ \(line \d+, column \d+\)$/, '').replace(/^NB\d+: /, '').replace(`${name}: `, '');
  const warnKernel = (e: KernelError) => warnOnce(`${e.code} at line ${e.line}, column ${e.column}: ${what(e)}`);

  const eager = sigs?.map((s) => {
    const { args, returns } = eagerSignature(s);
    if (args.length !== nparams) throw new TypeError(`nb.jit: signature '${s}' has ${args.length} parameter(s) but '${name}' takes ${nparams}`);
    return { args, spec: compile(args, returns, `eager:${s}`) };
  });

  /** The specialisation `args` select (compiled now if needed), or a reason to run plain JS. */
  const select = (args: readonly unknown[]): Spec | { readonly reason: string } => {
    if (args.length !== nparams) throw new ValueError('E_VALUE_ARGCOUNT', `nb.jit '${name}' takes ${nparams} argument(s), got ${args.length}`);
    if (eager) {
      const hit = eager.find((e) => e.args.every((t, i) => fitsParam(args[i], t)));
      if (hit) return hit.spec;
      const got = args.map((x) => { const t = argType(x); return 'reason' in t ? t.reason : jitTypeText(t); });
      throw new DTypeError('E_DTYPE_NO_LOOP', `nb.jit '${name}': no signature matches the arguments (${got.join(', ')}); its signatures: ${sigs!.join(', ')}`);
    }
    // The common cases: the types of the last call (checked without making anything), or
    // types seen before (their key made without building the types).
    if (last !== undefined && matchesTypes(args, last.types)) return last;
    const fast = argsKey(args);
    const hit = fast === undefined ? undefined : specs.get(fast);
    if (hit !== undefined) return (last = hit);
    const types: JitArgType[] = [];
    for (const [i, x] of args.entries()) {
      const t = argType(x);
      if ('reason' in t) {
        const reason = `argument ${i + 1} is ${t.reason}; jit functions take NDArrays, TypedArrays, numbers, bigints and booleans`;
        if (options.fallback === 'js') return { reason };
        throw new ValueError('E_VALUE_JIT_ARGUMENT', `nb.jit '${name}': ${reason}`);
      }
      types.push(t);
    }
    const key = typesKey(types);
    return (last = specs.get(key) ?? compile(types, 'infer', key));
  };

  const f = function (this: unknown, ...args: unknown[]): unknown {
    const s = select(args);
    if ('reason' in s) {
      warnOnce(s.reason);
      return fn.apply(this, args as never[]);
    }
    if (s.kind === 'fallback') {
      warnKernel(s.error);
      return fn.apply(this, args as never[]);
    }
    return callJit(s.entry, args);
  };
  Object.defineProperties(f, {
    name: { value: name },
    length: { value: nparams },
    pyFunc: { value: fn },
    ...tierProperties(tiers),
    callAsync: {
      value: (...args: unknown[]): Promise<unknown> => {
        try {
          const s = select(args);
          // prange loops on 'parallel': the whole call on the pool (src/parallel/jit-async.ts),
          // the heap arrays it reads kept alive until it settles. Otherwise the call runs now.
          if ('reason' in s || s.kind !== 'compiled' || s.host === undefined) return Promise.resolve(f(...args));
          const pinned: HeapStorage[] = [];
          for (const x of args) {
            const st = isNDArray(x) ? (x as NDArray).storage : undefined;
            if (st !== undefined && isHeapStorage(st) && !st.disposed) { st.pin(); pinned.push(st); }
          }
          const unpin = () => { for (const st of pinned) st.unpin(); };
          let p: Promise<unknown>;
          try {
            p = callJit(s.entry, args, s.host.runAsync) as Promise<unknown>;
          } catch (e) {
            unpin();
            throw e;
          }
          return p.finally(unpin);
        } catch (e) {
          return Promise.reject(e);
        }
      },
    },
    inspect: {
      value: (...args: unknown[]): JitInspection => {
        const s = select(args);
        if ('reason' in s) throw new ValueError('E_VALUE_JIT_ARGUMENT', `nb.jit '${name}': ${s.reason}`);
        if (s.kind === 'fallback') throw s.error;
        const k = s.kernel;
        return { signature: k.signature, ir: k.irText, assemblyScript: k.asSource };
      },
    },
    signatures: { get: () => Object.freeze(order.filter((s) => s.kind === 'compiled').map((s) => s.signature)) },
    specializations: {
      get: () => Object.freeze(order.map((s) => Object.freeze(s.kind === 'compiled'
        ? { signature: s.signature, fallback: false }
        : { signature: s.signature, fallback: true, error: s.error }))),
    },
  });
  // Passed in another kernel's or jit function's helpers, its source is compiled into that one.
  attachKernelSource(f, { kind: 'scalar', fn, helpers, ...(options.constants ? { constants: options.constants } : {}) });
  return f as unknown as JitFunction;
}

/** Apply the factory to a function, or as a TC39 method decorator. */
function apply(make: (fn: JitKernel, ctxName: string | undefined) => JitFunction, fn: unknown, context: unknown): JitFunction {
  if (typeof fn !== 'function') throw new TypeError('nb.jit: the function to compile must be a function');
  if (context === undefined) return make(fn as JitKernel, undefined);
  const c = context as { kind?: unknown; name?: unknown };
  if (typeof c !== 'object' || c === null || c.kind !== 'method') {
    throw new TypeError(`nb.jit: as a decorator it applies to (static) methods, not to a ${String(c?.kind)}`);
  }
  return make(fn as JitKernel, typeof c.name === 'string' ? c.name : undefined);
}

function factory(sigs: readonly string[] | null, options: JitOptions): JitDecorator {
  checkOptionValues('nb.jit', options, JIT_OPTIONS);
  const opts = frozenConstants('nb.jit', options);
  return ((fn: unknown, context?: unknown) =>
    apply((f, ctxName) => build(f, opts.name ?? ctxName ?? (f.name || 'jit'), sigs, opts), fn, context)) as JitDecorator;
}

/**
 * Compile a function with Numba's `@njit` semantics: lazily, one specialisation per
 * argument-type tuple (`nb.jit(fn)`, `nb.jit(options)(fn)`), or eagerly for explicit
 * signatures (`nb.jit('f8(f8[:,:])')(fn)`); also a decorator on static methods.
 *
 * @throws KernelError (eager signatures, or at the first call) for what the compiler does not
 *   have, unless `fallback: 'js'`; ValueError `E_VALUE_OPTION` for a bad option.
 * @example
 * ```ts
 * const sum2d = nb.jit((a: nb.NDArray) => {
 *   const [m, n] = a.shape;
 *   let s = 0.0;
 *   for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) s += a.get(i, j) as number;
 *   return s;
 * });
 * console.log(sum2d(nb.ones([3, 4])), sum2d.signatures); // 12 [ 'float64(float64[:,::1])' ]
 * const scale = nb.jit({ boundscheck: false })((t: Float64Array, k: number) => { for (let i = 0; i < t.length; i++) t[i] *= k; });
 * const t = new Float64Array([1, 2]);
 * scale(t, 3);
 * console.log(t); // Float64Array(2) [ 3, 6 ]
 * ```
 */
export function jit<F extends JitKernel>(fn: F, context?: { readonly kind: string; readonly name?: string | symbol; readonly static?: boolean }): JitFunction<F>;
/**
 * `nb.jit(options)`: the factory with options, applied to a function or used as a decorator.
 *
 * @example
 * ```ts
 * const first = nb.jit({ fallback: 'js' })((a: nb.NDArray) => a.get(0));
 * console.log(first(nb.array([7, 8], { dtype: 'int32' }))); // 7
 * ```
 */
export function jit(options?: JitOptions): JitDecorator;
/**
 * `nb.jit(signatures, options?)`: compiled now for each signature (Numba's explicit
 * signatures); calls run the first signature their arguments fit.
 *
 * @example
 * ```ts
 * const total = nb.jit('f8(f8[:])')((a: nb.NDArray) => {
 *   let s = 0.0;
 *   for (let i = 0; i < a.size; i++) s += a.get(i) as number;
 *   return s;
 * });
 * console.log(total(nb.array([1.5, 2.5])), total.signatures); // 4 [ 'float64(float64[:])' ]
 * ```
 */
export function jit(signatures: string | readonly string[], options?: JitOptions): JitDecorator;
export function jit(first?: JitKernel | JitOptions | string | readonly string[], second?: JitOptions | { readonly kind: string }): JitFunction | JitDecorator {
  if (typeof first === 'function') return factory(null, {})(first, second as never);
  if (typeof first === 'string' || Array.isArray(first)) {
    const sigs = typeof first === 'string' ? [first] : [...(first as readonly string[])];
    if (sigs.length === 0 || sigs.some((s) => typeof s !== 'string')) throw new TypeError("nb.jit: signatures are strings like 'f8(f8[:,:])'");
    return factory(sigs, (second ?? {}) as JitOptions);
  }
  return factory(null, (first ?? {}) as JitOptions);
}
