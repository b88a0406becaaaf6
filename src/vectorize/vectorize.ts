/**
 * `nb.vectorize(signatures?, options?)(kernel)`: a JS scalar kernel compiled to Wasm loops
 * and wrapped as a NumPy ufunc (createUfunc: call protocol, fast path, methods).
 *
 * Eager (signatures given): every signature compiles at creation (synchronously, through
 * the compile cache), into ONE linked module whose static data sits in a heap block kept
 * for the process lifetime; the loops keep the given order and dispatch searches them in
 * that order (the first loop all inputs cast to safely, even when a later loop matches the
 * inputs exactly), as NumPy does for a user ufunc's loop list and Numba for its signatures.
 *
 * Lazy (no signatures): compiled on first use. Rule: for inputs of dtypes d1..dn (JS
 * numbers as NEP 50 weak scalars) the loop is `T,...,T->T` with T = resultType(d1..dn);
 * dispatch is NumPy's 'uniform' resolver (exact loop, else the loop for resultType). So a
 * call compiles exactly the loop it then uses, and the loop chosen for any inputs does not
 * depend on which calls came first (unlike Numba, whose lazy dispatch depends on history).
 * The output dtype is what the kernel returns for inputs of T, inferred as Numba infers it
 * (the signature is compiled without a result type, `'(T, T)'`): a comparison gives bool,
 * `x / 2` on integers float64, `x + 1` T. Each lazily compiled dtype is its own module.
 *
 * The returned ufunc records its kernel and helpers (src/compiler/compile.ts KERNEL_SOURCE),
 * so that passed in another kernel's options.helpers it is compiled into that kernel.
 */
import { type DType } from '../dtype/dtypes.js';
import { resultType } from '../dtype/promotion.js';
import { registerLoop, type LoopExec, type LoopRecord } from '../ufunc/loop-record.js';
import { parseKernelSignature, type CompiledKernel } from '../compiler/index.js';
import { attachKernelSource } from '../compiler/compile.js';
import { classify, fixedSignature } from '../ufunc/call.js';
import { weakStandIn, type InputKind } from '../ufunc/dispatch.js';
import { defineUfuncAttributes } from '../ufunc/attributes.js';
import { createUfunc } from '../ufunc/ufunc.js';
import type { Ufunc, UfuncAttributes, UfuncInput, UfuncOptions } from '../ufunc/types.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { jsLoopExec } from './js-tier.js';
import { defaultTier, setExec, tierProperties, Tiers } from './tier.js';
import type { Tier } from './tier-setting.js';
import { tieredKernels, type LoadedModule } from './tiered-kernels.js';
import { callAsyncOn, kernelTarget, type KernelTarget } from './kernel-targets.js';
import { applyKernelFactory, frozenConstants, identityOption, VECTORIZE_OPTIONS, type VectorizeOptions } from './options.js';
import { checkOptionValues } from '../util/options.js';
import { boundsErrors, catchTraps, withBoundsTraps } from './trap.js';
import { arenaBytes, arenaSetter, withArena } from './arena.js';
import type { CheckArity, KernelResult, SignatureInfo } from './signature-types.js';

export type { VectorizeOptions } from './options.js';

/** A kernel factory: `vectorize(...)` applied to a kernel (or used as a method decorator). */
export interface VectorizeDecorator {
  /** As a TC39 method decorator: the ufunc replaces the method (typed as both). */
  <F extends (...args: never[]) => unknown>(kernel: F, context: { readonly kind: string; readonly name?: string | symbol; readonly static?: boolean }): F & Ufunc & VectorizedExtras;
  <F extends (...args: never[]) => unknown>(kernel: F): Ufunc & VectorizedExtras;
}

/**
 * A ufunc compiled for the 'gpu' target: called like a ufunc, but the call returns a
 * Promise of the result (a gpu array when any operand is one, else a heap array).
 */
export interface GpuUfunc extends UfuncAttributes {
  (...args: unknown[]): Promise<NDArray>;
  /** The same as calling it. */
  callAsync(...args: unknown[]): Promise<NDArray>;
  readonly target: 'gpu';
}

/** `vectorize(..., { target: 'gpu' })` applied to a kernel (or used as a method decorator). */
export interface GpuVectorizeDecorator {
  <F extends (...args: never[]) => unknown>(kernel: F, context: { readonly kind: string; readonly name?: string | symbol; readonly static?: boolean }): GpuUfunc;
  <F extends (...args: never[]) => unknown>(kernel: F): GpuUfunc;
}

/** A TC39 method decorator's context, as far as the kernel factories read it. */
type DecoratorContext = { readonly kind: string; readonly name?: string | symbol; readonly static?: boolean };

/**
 * `vectorize(signatures)` applied to a kernel, typed from literal signature strings
 * (signature-types.ts): the kernel's parameters are the signatures' (unannotated ones take
 * them), it takes exactly as many as there are inputs, and the call's result has the
 * signatures' result dtype.
 */
export interface SignatureVectorizeDecorator<P extends unknown[], O extends DType> {
  <F extends (...args: P) => KernelResult>(kernel: F & CheckArity<F, P['length']>, context: DecoratorContext): F & VectorizedUfunc<O>;
  <F extends (...args: P) => KernelResult>(kernel: F & CheckArity<F, P['length']>): VectorizedUfunc<O>;
}

/** A ufunc compiled by `vectorize` whose calls return arrays of dtype `O`. */
export interface VectorizedUfunc<O extends DType = DType> extends UfuncAttributes, VectorizedExtras {
  (...args: Array<UfuncInput | UfuncOptions>): NDArray<O>;
  callAsync(...args: unknown[]): Promise<NDArray<O>>;
}

/** The decorator `vectorize(signatures)` returns: typed when the signatures can be read at compile time. */
export type VectorizeDecoratorFor<S> = [SignatureInfo<S>] extends [never]
  ? VectorizeDecorator
  : SignatureVectorizeDecorator<SignatureInfo<S>['params'], SignatureInfo<S>['result']>;

/** What compiled ufuncs add to a ufunc. */
export interface VectorizedExtras {
  /**
   * The call as a Promise. Target 'parallel': the loop runs on the worker pool while the
   * event loop stays free (inputs must not change until it settles; disposing them, or
   * `out`, is safe: their memory is kept until it settles); 'cpu': the call runs on this
   * thread at once, and the promise is settled with its result.
   */
  callAsync(...args: unknown[]): Promise<unknown>;
  /** @internal The compiled kernels (typed IR, AS and JS sources), for debugging. */
  readonly kernels: readonly CompiledKernel[];
  /**
   * A Promise that settles when every specialisation compiled so far runs on the Wasm tier
   * (guide 09, "Tiers"); it rejects with the compile's error when a background compile
   * failed (the calls keep running on the JS tier).
   */
  readonly ready: Promise<void>;
  /** Where calls run now: `'wasm'` when every specialisation so far is on the Wasm tier, else `'js'`. */
  readonly tier: Tier;
}

function signatureList(signatures: string | readonly string[] | undefined): string[] | null {
  if (signatures === undefined || signatures === null) return null;
  const list = typeof signatures === 'string' ? [signatures] : [...signatures];
  if (list.length === 0) return null;
  for (const s of list) if (typeof s !== 'string') throw new TypeError('vectorize: signatures must be strings like \'float64(float64, float64)\'');
  return list;
}

/**
 * Compile kernels for signatures (the front end, now: kernel errors are thrown here) and
 * make their loop records; their entries are the JS tier's until the module, compiled per
 * `tiers` (tier.ts), replaces them in place.
 */
function buildLoops(fn: (...args: never[]) => unknown, sigs: readonly string[], name: string, options: VectorizeOptions, target: KernelTarget, tiers: Tiers): { loops: LoopRecord[]; kernels: readonly CompiledKernel[] } {
  // Prefixes only need to be distinct within one module; stable ones keep cache keys stable.
  const tag = 'v';
  // A kernel-cache hit (by the kernel's inputs) runs no front end and goes straight to Wasm.
  const tiered = tieredKernels(fn, sigs.map((s, i) => ({
    signature: s,
    options: {
      kind: 'scalar', prefix: `${tag}${i}_`, fastmath: options.fastmath ?? false, name, boundscheck: options.boundscheck ?? true,
      // A ufunc with an identity (or 'reorderable') is one meant for reduce: its module gets
      // the reduce tile for leading-axis reductions (compile.ts reduceTile).
      ...(options.identity !== undefined && options.identity !== null ? { reduceTile: true } : {}),
      ...(options.helpers ? { helpers: options.helpers } : {}), ...(options.constants ? { constants: options.constants } : {}),
    },
  })), { disk: options.cache ?? false, target: options.target ?? 'cpu' }, tiers);
  const { kernels } = tiered;
  const execs: LoopExec[] = kernels.map(() => ({ loop: () => { throw new Error(`vectorize '${name}': loop called before it was built`); } }));
  const loops = kernels.map((k, i) => {
    const ins = k.operands.slice(0, k.nin);
    const outs = k.operands.slice(k.nin);
    const types = `${ins.join(',')}->${outs.join(',')}`;
    return registerLoop({ ufunc: name, types, ins, outs, row: { types }, exec: execs[i]! });
  });
  tiered.add({
    js: () => kernels.forEach((k, i) => {
      const js = jsLoopExec(k);
      const traps = k.bounds.length > 0 || k.scratch.length > 0;
      setExec(execs[i]!, traps ? { loop: boundsErrors(js.loop, k), row: boundsErrors(js.row, k) } : js);
    }),
    wasm: (m) => kernels.forEach((k, i) => setExec(execs[i]!, wasmLoopExec(k, m, name, options, target, loops[i]!.id))),
  });
  return { loops, kernels };
}

/** The Wasm tier's entries of kernel `k` in module `m` (the target's own around them). */
function wasmLoopExec(k: CompiledKernel, m: LoadedModule, name: string, options: VectorizeOptions, target: KernelTarget, id: number): LoopExec {
  const { exports, module } = m;
  // Scratch arrays: an arena lent per call (arena.ts); their failures and failed bounds
  // checks come back as traps with a record (trap.ts), raised as the kernel's errors.
  const arena = arenaSetter(exports) === undefined ? 0 : arenaBytes(options.scratchBytes);
  const traps = k.bounds.length > 0 || k.scratch.length > 0;
  const lend = <A extends number[]>(f: (...a: A) => void) => {
    const g = withArena(f, exports, arena);
    return traps ? withBoundsTraps(g, exports) : g;
  };
  const raise = <A extends unknown[]>(f: (...a: A) => void) => (traps ? boundsErrors(f, k, arena) : f);
  const loopFn = lend(exports[k.entries.loop] as (plan: number) => void);
  const rawRow = exports[k.entries.row] as ((...args: number[]) => void) | undefined;
  const rowFn = rawRow && lend(rawRow);
  if (target.wrapLoop !== undefined) {
    // The target's own executor around the same loops (parallel: blocks on the worker pool).
    const wrapped = target.wrapLoop(module, k.entries.loop, loopFn, rowFn, k.nin, arena);
    wrapped.bind(id);
    return { ...wrapped.exec, loop: raise(wrapped.exec.loop), ...(wrapped.exec.row ? { row: raise(wrapped.exec.row) } : {}) };
  }
  // cpu: a trap (an index outside an array) becomes a TargetError (trap.ts).
  const loop = raise(catchTraps(loopFn, 'vectorize', name));
  const row = rowFn && raise(catchTraps(rowFn, 'vectorize', name));
  return { loop, ...(row ? { row } : {}) };
}

function withExtras<T extends object>(f: T, call: (...args: unknown[]) => unknown, kernels: () => readonly CompiledKernel[], target: KernelTarget, tiers: Tiers): T & VectorizedExtras {
  Object.defineProperties(f, {
    callAsync: { value: (...args: unknown[]) => callAsyncOn(target, call, args) },
    kernels: { get: kernels, enumerable: false },
    ...tierProperties(tiers),
  });
  return f as T & VectorizedExtras;
}

function eager(fn: (...args: never[]) => unknown, sigs: string[], name: string, options: VectorizeOptions, target: KernelTarget): Ufunc & VectorizedExtras {
  const nin = parseKernelSignature(sigs[0]!).args.length;
  for (const s of sigs) {
    if (parseKernelSignature(s).args.length !== nin) throw new TypeError(`vectorize: signature '${s}' does not take ${nin} argument(s) as '${sigs[0]}' does`);
  }
  const tiers = new Tiers(name, options.tier ?? defaultTier(), true);
  const { loops, kernels } = buildLoops(fn, sigs, name, options, target, tiers);
  const { identity, reorderable } = identityOption(options.identity);
  const u = createUfunc({ name, nin, nout: 1, identity, reorderable, resolver: 'declared', loops }) as unknown as Ufunc;
  return withExtras(u, u as unknown as (...a: unknown[]) => unknown, () => kernels, target, tiers);
}

const METHODS = ['reduce', 'accumulate', 'reduceat', 'outer', 'at'] as const;

function lazy(fn: (...args: never[]) => unknown, name: string, options: VectorizeOptions, target: KernelTarget): Ufunc & VectorizedExtras {
  const nin = fn.length;
  if (nin < 1) throw new TypeError(`vectorize: lazy kernel '${name}' must declare its parameters (fn.length is 0)`);
  const { identity, reorderable } = identityOption(options.identity);
  // The compiler starts when a specialisation needs asc, not at creation (Tiers' onDemand).
  const tiers = new Tiers(name, options.tier ?? defaultTier(), true);
  const loops: LoopRecord[] = [];
  const kernels: CompiledKernel[] = [];
  const have = new Set<DType>();
  const make = () => createUfunc({ name, nin, nout: 1, identity, reorderable, resolver: 'uniform', loops: [...loops] }) as unknown as Record<string, (...a: unknown[]) => unknown> & ((...a: unknown[]) => unknown);
  let inner = make();
  const ensureType = (t: DType) => {
    if (have.has(t)) return;
    const sig = `(${Array(nin).fill(t).join(',')})`;
    const built = buildLoops(fn, [sig], name, options, target, tiers);
    have.add(t);
    loops.push(...built.loops);
    kernels.push(...built.kernels);
    inner = make();
  };
  const ensure = (inputs: readonly unknown[], opts: unknown) => {
    const o = (opts && typeof opts === 'object' && !Array.isArray(opts) && Object.getPrototypeOf(opts) === Object.prototype ? opts : {}) as UfuncOptions;
    const fixed = fixedSignature(nin, 1, o);
    const fixedIn = fixed?.slice(0, nin).filter((d): d is DType => d != null) ?? [];
    if (fixedIn.length > 0) ensureType(resultType(...fixedIn));
    else if (fixed && fixed[nin]) ensureType(fixed[nin]!);
    else ensureType(resultType(...inputs.map((x) => weakStandIn(classify(x as never).kind))));
  };
  const call = (...args: unknown[]) => {
    ensure(args.slice(0, nin), args[nin]);
    return inner(...args);
  };
  const f = (...args: unknown[]) => call(...args);
  defineUfuncAttributes(f, { name, nin, nout: 1, types: () => Object.freeze(loops.map((l) => l.types)), identity, signature: null });
  for (const m of METHODS) {
    Object.defineProperty(f, m, {
      value: (...args: unknown[]) => {
        const [a, b] = args;
        if (m === 'outer') ensure([a, b], args[2]);
        else if (m === 'at') {
          // A binary at() without values compiles nothing: the method raises NumPy's
          // "second operand needed for ufunc" (at.ts).
          if (nin === 1) ensure([a], undefined);
          else if (args[2] !== undefined) ensure([a, args[2]], undefined);
        }
        else {
          const o = (m === 'reduceat' ? args[2] : args[1]) as { dtype?: DType } | undefined;
          const d = classify(a as never).kind;
          ensureType(o?.dtype ?? resultType(weakStandIn(d)));
        }
        return inner[m]!(...args);
      },
    });
  }
  return withExtras(f, call, () => kernels, target, tiers) as unknown as Ufunc & VectorizedExtras;
}

/**
 * Compile a scalar kernel into a ufunc.
 *
 * @param signatures - `'float64(float64, float64)'`, `'f8(f8,f8)'` or a list of them (eager;
 *   loops in this order); omitted: lazy (see the file header for the dtype rule).
 * @throws KernelError for kernels the kernel language does not have (with line, column and
 *   a code frame); TargetError `E_TARGET_UNAVAILABLE` for an unknown target; on target
 *   'parallel', `E_TARGET_KERNEL_TRAP` / `E_TARGET_WORKER_DIED` when a kernel traps or a worker dies.
 * @example
 * ```ts
 * const fma1 = nb.vectorize(['float32(float32, float32)', 'float64(float64, float64)'])((x: number, y: number) => x * y + 1);
 * fma1(nb.array([1, 2]), 3).toArray(); // [4, 7]
 * class K { @nb.vectorize('f8(f8)', { identity: 0 }) static sq(x: number) { return x * x; } }
 * const g = nb.vectorize('f8(f8)', { target: 'parallel' })((x: number) => Math.exp(-x * x) * Math.cos(x));
 * await g.callAsync(nb.linspace(0, 1, 1e7)); // every core, event loop free
 * ```
 */
/**
 * A kernel compiled for the 'gpu' target (WGSL through WebGPU): the calls return Promises.
 *
 * @example
 * ```ts
 * // requires: gpu
 * const f = nb.vectorize('float32(float32)', { target: 'gpu' })((x: number) => x * 2);
 * (await f(nb.ones([3], 'float32'))).toArray(); // [2, 2, 2]
 * ```
 */
export function vectorize(signatures: string | readonly string[] | null | undefined, options: VectorizeOptions & { target: 'gpu' }): GpuVectorizeDecorator;
export function vectorize(options: VectorizeOptions & { target: 'gpu' }): GpuVectorizeDecorator;
/**
 * Compile a scalar kernel into a ufunc (cpu or parallel target: synchronous calls).
 *
 * @example
 * ```ts
 * const sq = nb.vectorize('f8(f8)')((x: number) => x * x);
 * sq(nb.array([1, 2, 3])).toArray(); // [1, 4, 9]
 * ```
 */
export function vectorize<const S extends string | readonly string[]>(signatures: S, options?: VectorizeOptions): VectorizeDecoratorFor<S>;
export function vectorize(signatures?: string | readonly string[] | VectorizeOptions | null, options?: VectorizeOptions): VectorizeDecorator;
export function vectorize(signatures?: string | readonly string[] | VectorizeOptions | null, options: VectorizeOptions = {}): VectorizeDecorator | GpuVectorizeDecorator {
  // Numba's bare `@vectorize` has no counterpart: the kernel comes in the second call.
  if (typeof signatures === 'function') throw new TypeError('nb.vectorize(kernel): the kernel goes in a second call: nb.vectorize()(kernel) makes a lazy ufunc (its types from each call), nb.vectorize(\'f8(f8)\')(kernel) an eager one');
  if (signatures !== null && signatures !== undefined && typeof signatures === 'object' && !Array.isArray(signatures)) {
    // vectorize({ identity: 0 }): options only, lazy.
    options = signatures as VectorizeOptions;
    signatures = undefined;
  }
  checkOptionValues('nb.vectorize', options, VECTORIZE_OPTIONS);
  options = frozenConstants('nb.vectorize', options);
  const target = kernelTarget(options.target);
  const sigs = signatureList((signatures ?? undefined) as string | readonly string[] | undefined);
  return ((kernel: unknown, context?: unknown) =>
    applyKernelFactory((fn, ctxName) => {
      const name = options.name ?? ctxName ?? (fn.name || 'kernel');
      // A device target (gpu) compiles and calls the kernel itself.
      const made = target.vectorize !== undefined
        ? target.vectorize(fn, sigs, name, options) as Ufunc & VectorizedExtras
        : sigs === null ? lazy(fn, name, options, target) : eager(fn, sigs, name, options, target);
      // Passed in another kernel's options.helpers, this kernel is compiled into that one.
      return attachKernelSource(made, { kind: 'scalar', fn, helpers: options.helpers ?? {}, ...(options.constants ? { constants: options.constants } : {}) });
    }, kernel, context)) as VectorizeDecorator;
}
