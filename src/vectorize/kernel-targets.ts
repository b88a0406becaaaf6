/**
 * The kernel-factory target registry: what `target: 'cpu' | 'parallel' | 'gpu'` means to
 * vectorize, guvectorize and stencil, decided in one place ({@link kernelTarget}). The
 * targets register here when they load (src/parallel and src/gpu; 'cpu' below), as in
 * Numba's `target_registry`; the factories never import a target.
 *
 * Two kinds of target:
 *  - host targets ('cpu', 'parallel') get the kernel compiled to Wasm by the factory and
 *    only wrap its entries (`wrapLoop`, `wrapGufunc`, `wrapStencil`) and say how
 *    `callAsync` runs (Numba's ParallelUFuncBuilder overrides only `build()` the same way);
 *  - device targets ('gpu') compile and call the kernel themselves (`vectorize`,
 *    `guvectorize`, `stencil`); their calls return Promises.
 */
import type { CompiledStencil } from '../compiler/stencil.js';
import type { DType } from '../dtype/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { LoopExec } from '../ufunc/loop-record.js';
import { TargetError } from '../util/errors.js';
import type { GuvectorizeOptions, VectorizeOptions } from './options.js';

/** A kernel function as the factories receive it. */
export type KernelFn = (...args: never[]) => unknown;

/** Runs a compiled stencil given its entry's arguments and the output shape. */
export type StencilRunner = (args: readonly number[], oshape: readonly number[]) => void;

/** A gufunc kernel's loop entry: the plan of the loop dims and the core block. */
export type GufuncRun = (plan: number, core: number) => void;

/** The stencil hooks of a device target. */
export interface DeviceStencil {
  /** Check a compiled stencil can run there (throws the target's error). */
  check(c: CompiledStencil, name: string): void;
  /** Check a lazy stencil's resolved dtype can run there. */
  checkDType(dtype: DType, what: string): void;
  /** Run one call (resolves to the output). */
  call(c: CompiledStencil, inputs: readonly NDArray[], out: NDArray | undefined, oshape: readonly number[]): Promise<NDArray>;
}

/** One target of the kernel factories. */
export interface KernelTarget {
  readonly name: string;
  /**
   * The capabilities the kernel compiler checks kernels against (src/compiler): 'cpu' for
   * Wasm, 'gpu' for WGSL (32-bit literal locals, no float64).
   */
  readonly compiler: 'cpu' | 'gpu';
  /**
   * Host targets: wrap a vectorize loop's entries (`bind` receives the registered loop id).
   * `arena`: bytes of scratch arena each thread that runs the module needs per call (0: the
   * module allocates no scratch arrays; `loop` and `row` already lend the calling thread its
   * own, src/vectorize/arena.ts).
   */
  wrapLoop?(module: WebAssembly.Module, entry: string, loop: (plan: number) => void, row: ((...a: number[]) => void) | undefined, nin: number, arena: number): { exec: LoopExec; bind(id: number): void };
  /** Host targets: wrap a guvectorize loop entry (`arena` as for wrapLoop). */
  wrapGufunc?(module: WebAssembly.Module, entry: string, run: GufuncRun, nops: number, arena: number): GufuncRun;
  /** Host targets: the runner of a compiled stencil (`whole`: its entry; `plan`: its block entry). */
  wrapStencil?(c: CompiledStencil, module: WebAssembly.Module, whole: (...args: number[]) => void, plan: (plan: number) => void): StencilRunner;
  /** Host targets: `f.callAsync(...args)` for a synchronous call `call`. */
  callAsync?(call: (...args: unknown[]) => unknown, args: readonly unknown[]): Promise<unknown>;
  /** Device targets: the whole vectorize factory (`sigs` null: lazy). */
  vectorize?(fn: KernelFn, sigs: readonly string[] | null, name: string, options: VectorizeOptions): unknown;
  /** Device targets: the whole guvectorize factory. */
  guvectorize?(fn: KernelFn, sigs: readonly string[], layout: string, name: string, options: GuvectorizeOptions): unknown;
  /** Device targets: the stencil hooks. */
  readonly stencil?: DeviceStencil;
}

const registry = new Map<string, KernelTarget>();

/**
 * Register a kernel-factory target (a later one of the same name replaces it).
 *
 * @example
 * ```ts
 * registerKernelTarget({ name: 'parallel', wrapLoop, wrapGufunc, wrapStencil, callAsync });
 * ```
 */
export function registerKernelTarget(t: KernelTarget): void {
  registry.set(t.name, t);
}

/**
 * The target named by a factory's `target` option (default 'cpu').
 *
 * @throws TargetError `E_TARGET_UNAVAILABLE` for a name no loaded target registered.
 * @example
 * ```ts
 * const t = kernelTarget(options.target);
 * ```
 */
export function kernelTarget(name: string | undefined): KernelTarget {
  const t = registry.get(name ?? 'cpu');
  if (t === undefined) {
    const names = [...registry.keys()].map((n) => `'${n}'`);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names.join('');
    throw new TargetError('E_TARGET_UNAVAILABLE', `unknown target '${String(name)}' (expected ${list})`);
  }
  return t;
}

/**
 * callAsync on the calling thread: the call runs now, in a settled promise. It blocks the
 * thread wherever it runs, and running it now means it sees its arguments as they are when
 * it is made (as the parallel and gpu targets' calls do): an array disposed or changed
 * after `callAsync` returns cannot affect it.
 */
function callNow(call: (...args: unknown[]) => unknown, args: readonly unknown[]): Promise<unknown> {
  try {
    return Promise.resolve(call(...args));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * `f.callAsync(...args)` of a host-target kernel: the target's own, or the call run now.
 *
 * @example
 * ```ts
 * Object.defineProperty(f, 'callAsync', { value: (...a: unknown[]) => callAsyncOn(t, f, a) });
 * ```
 */
export function callAsyncOn(t: KernelTarget, call: (...args: unknown[]) => unknown, args: readonly unknown[]): Promise<unknown> {
  return (t.callAsync ?? callNow)(call, args);
}

// The calling thread: the compiled entries run as they are.
registerKernelTarget({ name: 'cpu', compiler: 'cpu' });
