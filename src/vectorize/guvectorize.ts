/**
 * `nb.guvectorize(signatures, layout, options?)(kernel)`: a JS kernel over core-dimension
 * arrays, compiled to Wasm and wrapped as a NumPy gufunc (src/ufunc/gufunc.ts: core-dim
 * binding, batch broadcasting, `out` validation, casting).
 *
 * - `signatures`: `'void(float64[:,:], float64[:,:], float64[:,:])'` or a list; scalar
 *   parameters (layout `()`) as `float64` (or `float64[:]`, as Numba accepts);
 * - `layout`: `'(m,n),(n,p)->(m,p)'`; frozen dims `(3)`, optional `(n?)`, output-only dims
 *   (sized from `out`, which is then required);
 * - the kernel writes its outputs (the last parameter(s)), as in Numba; it returns nothing;
 * - all signatures are compiled at creation into one module; dispatch searches them in the
 *   given order, the first all inputs cast to safely (as NumPy and Numba do for a user
 *   ufunc's loops), so a JS number feeds an integer or float scalar parameter;
 * - compiler lints (an output never written, an output parameter rebound, a core dim never
 *   used) are console warnings (`console.warn`, once per kernel) by default, KernelErrors
 *   with `{ strict: true }`; unsupported syntax is always a KernelError;
 * - indexing is checked (`boundscheck: true`, the default): an index outside its core
 *   dimension throws IndexError `E_KERNEL_BOUNDS` with the kernel's line and column before
 *   the access, on every target; indices the compiler proves in range (a loop counter from
 *   0 below `a.length`, ...) are not checked (src/compiler/ir/passes/bounds-check.ts).
 *
 * Numba's special layouts:
 * - only scalar core dims (`'(),()->()'`): an elementwise ufunc, as in NumPy and Numba
 *   (`signature` is null; `where=`, `reduce`, `accumulate`, `reduceat`, `outer` and `at`
 *   work, with `identity` as vectorize's). Its loops are the gufunc entries, run with an
 *   all-zero core block (no core sizes, no workspace);
 * - no outputs (`'(x,y),(x,y),(x,y)'`, no "->"): the kernel writes arguments in place; the
 *   call returns undefined. The written arguments (the parameters the kernel stores into)
 *   must be NDArrays of the loop's dtype (E_VALUE_INPLACE: a cast copy would lose the
 *   writes, as Numba silently does);
 * - `identity` on any other layout is only the `.identity` attribute: NumPy refuses the
 *   ufunc methods on gufuncs with core dims.
 */
import { registerLoop, type LoopRecord } from '../ufunc/loop-record.js';
import { parseKernelSignature, type CompiledKernel } from '../compiler/index.js';
import { attachKernelSource } from '../compiler/compile.js';
import { createGufunc, type Gufunc, type GufuncLoop } from '../ufunc/gufunc.js';
import type { UfuncAttributes } from '../ufunc/types.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { parseGufuncSignature } from '../ufunc/gufunc-signature.js';
import { jsGufuncRun } from './js-tier.js';
import { defaultTier, tierProperties, Tiers } from './tier.js';
import type { Tier } from './tier-setting.js';
import { tieredKernels } from './tiered-kernels.js';
import { callAsyncOn, kernelTarget, type GufuncRun } from './kernel-targets.js';
import { applyKernelFactory, frozenConstants, GUVECTORIZE_OPTIONS, identityOption, type GuvectorizeOptions } from './options.js';
import { createUfunc } from '../ufunc/ufunc.js';
import { runtime } from '../runtime/runtime.js';
import { forEachStmt, type IRFunction } from '../compiler/ir/nodes.js';
import type { DType } from '../dtype/dtypes.js';
import { checkOptionValues } from '../util/options.js';
import { boundsErrors, catchTraps, withBoundsTraps } from './trap.js';
import { arenaBytes, arenaSetter, withArena } from './arena.js';
import type { CheckArity, GufuncOutputDType, LayoutOutputs, SignatureInfo } from './signature-types.js';
import type { UfuncInput } from '../ufunc/types.js';
import type { GufuncOptions } from '../ufunc/gufunc.js';

export type { GuvectorizeOptions } from './options.js';

/** A guvectorize'd kernel: a gufunc plus its compiled kernels. */
export type GuvectorizedGufunc = Gufunc & {
  /** With several outputs the call returns an array of NDArrays (see GufuncN). */
  /** @internal The compiled kernels (typed IR, AS and JS sources), for debugging. */
  readonly kernels: readonly CompiledKernel[];
  callAsync(...args: unknown[]): Promise<unknown>;
  /** A Promise that settles when every signature runs on the Wasm tier (see VectorizedExtras.ready). */
  readonly ready: Promise<void>;
  /** Where the calls run now: 'wasm' or 'js' (see VectorizedExtras.tier). */
  readonly tier: Tier;
};

/** A gufunc compiled by `guvectorize` with one output, of dtype `O`. */
export interface TypedGuvectorizedGufunc<O extends DType> extends UfuncAttributes {
  (...args: Array<UfuncInput | GufuncOptions>): NDArray<O>;
  callAsync(...args: unknown[]): Promise<NDArray<O>>;
  /** @internal The compiled kernels (typed IR, AS and JS sources), for debugging. */
  readonly kernels: readonly CompiledKernel[];
  /** A Promise that settles when every signature runs on the Wasm tier (see VectorizedExtras.ready). */
  readonly ready: Promise<void>;
  /** Where the calls run now: 'wasm' or 'js' (see VectorizedExtras.tier). */
  readonly tier: Tier;
}

/**
 * `guvectorize(signatures, layout)` applied to a kernel, typed from literal signature strings
 * (signature-types.ts): the kernel takes one parameter per argument of the signature (inputs,
 * then outputs), of the signature's types; with one output, calls return its dtype.
 */
export type GuvectorizeDecoratorFor<S, L extends string> = [SignatureInfo<S>] extends [never]
  ? (kernel: unknown, context?: unknown) => GuvectorizedGufunc
  : <F extends (...args: SignatureInfo<S>['params']) => unknown>(
      kernel: F & CheckArity<F, SignatureInfo<S>['params']['length']>,
      context?: unknown,
    ) => LayoutOutputs<L> extends 1 ? TypedGuvectorizedGufunc<GufuncOutputDType<S, L>> : GuvectorizedGufunc;

/**
 * A gufunc compiled for the 'gpu' target: the call returns a Promise of the output (an
 * array of outputs when there are several).
 */
export interface GpuGufunc extends UfuncAttributes {
  (...args: unknown[]): Promise<NDArray | NDArray[]>;
  /** The same as calling it. */
  callAsync(...args: unknown[]): Promise<NDArray | NDArray[]>;
  readonly target: 'gpu';
}

/**
 * A core-array kernel compiled for the 'gpu' target (WGSL); calls return Promises.
 *
 * @example
 * ```ts
 * // requires: gpu
 * const rowsum = nb.guvectorize('void(f4[:], f4[:])', '(n)->()', { target: 'gpu' })((a: Float32Array, out: Float32Array) => {
 *   let s = 0;
 *   for (let i = 0; i < a.length; i++) s += a[i];
 *   out[0] = s;
 * });
 * (await rowsum(nb.ones([2, 3], 'float32')) as nb.NDArray).toArray(); // [3, 3]
 * ```
 */
export function guvectorize(signatures: string | readonly string[], layout: string, options: GuvectorizeOptions & { target: 'gpu' }): (kernel: unknown, context?: unknown) => GpuGufunc;
/**
 * Compile a core-array kernel into a gufunc.
 *
 * @throws KernelError (unsupported syntax; lints under `strict`); ValueError
 *   `E_VALUE_SIGNATURE` for a bad layout; TargetError for an unknown target, and on target
 *   'parallel' `E_TARGET_KERNEL_TRAP` when the kernel traps; at a call, IndexError
 *   `E_KERNEL_BOUNDS` when the kernel indexes outside a core array (unless `boundscheck: false`).
 * @example
 * ```ts
 * const rowdot = nb.guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')(
 *   (a: Float64Array, b: Float64Array, out: Float64Array) => {
 *     let s = 0;
 *     for (let i = 0; i < a.length; i++) s += a[i] * b[i];
 *     out[0] = s;
 *   });
 * rowdot(nb.ones([4, 3]), nb.ones([3])).toArray(); // [3, 3, 3, 3]
 * ```
 */
export function guvectorize<const S extends string | readonly string[], const L extends string>(signatures: S, layout: L, options?: GuvectorizeOptions): GuvectorizeDecoratorFor<S, L>;
export function guvectorize(signatures: string | readonly string[], layout: string, options?: GuvectorizeOptions): (kernel: unknown, context?: unknown) => GuvectorizedGufunc;
export function guvectorize(signatures: string | readonly string[], layout: string, options: GuvectorizeOptions = {}): (kernel: unknown, context?: unknown) => GuvectorizedGufunc | GpuGufunc {
  checkOptionValues('nb.guvectorize', options, GUVECTORIZE_OPTIONS);
  options = frozenConstants('nb.guvectorize', options);
  const target = kernelTarget(options.target);
  const sigs = typeof signatures === 'string' ? [signatures] : [...signatures];
  if (sigs.length === 0) throw new TypeError('guvectorize: at least one signature is required');
  const nargs = parseKernelSignature(sigs[0]!).args.length;
  // Numba's layout without outputs ('(x,y),(x,y),(x,y)': the kernel writes in place).
  const probe = typeof layout === 'string' && !layout.includes('->') ? parseGufuncSignature(layout, { nout: 0 }) : parseGufuncSignature(layout);
  if (probe.nin + probe.nout !== nargs) {
    throw new TypeError(`guvectorize: layout '${layout}' has ${probe.nin + probe.nout} operands but signature '${sigs[0]}' has ${nargs} parameters`);
  }
  const sig = probe;
  // Only scalar core dims: NumPy and Numba treat the gufunc as an elementwise ufunc.
  const elementwise = sig.nout > 0 && sig.operands.every((o) => o.length === 0);
  return (kernel: unknown, context?: unknown): GuvectorizedGufunc =>
    applyKernelFactory((fn, ctxName) => {
      const name = options.name ?? ctxName ?? (fn.name || 'kernel');
      // A device target (gpu) compiles and calls the kernel itself.
      // Passed in another kernel's options.helpers, a gufunc is refused where it is called (NB2013).
      const record = { kind: 'gufunc', fn, helpers: options.helpers ?? {}, ...(options.constants ? { constants: options.constants } : {}) } as const;
      if (target.guvectorize !== undefined) return attachKernelSource(target.guvectorize(fn, sigs, layout, name, options) as GuvectorizedGufunc, record);
      const tag = 'g'; // distinct within the module is enough; stable for the cache key
      // A kernel-cache hit (by the kernel's inputs) runs no front end and goes straight to Wasm.
      const tiers = new Tiers(name, options.tier ?? defaultTier(), true);
      const tiered = tieredKernels(fn, sigs.map((s, i) => ({
        signature: s,
        options: {
          kind: 'gufunc', core: sig, prefix: `${tag}${i}_`, name, fastmath: options.fastmath ?? false, strict: options.strict ?? false,
          boundscheck: options.boundscheck ?? true, ...(options.helpers ? { helpers: options.helpers } : {}),
          ...(options.constants ? { constants: options.constants } : {}),
        },
      })), { disk: options.cache ?? false, target: options.target ?? 'cpu' }, tiers);
      const { kernels } = tiered;
      const seen = new Set<string>();
      for (const k of kernels) {
        for (const w of k.warnings) {
          const text = `numbats guvectorize '${name}': ${w.code} (line ${w.line}, column ${w.column}): ${w.message}`;
          if (!seen.has(text)) { seen.add(text); console.warn(text); }
        }
      }
      const { identity, reorderable } = identityOption(options.identity);
      const zero = elementwise ? zeroCoreBlock() : () => 0;
      // Each loop's runner: the JS tier's until the module is in place (tier.ts); `serial`
      // runs on this thread (an ordered plan: accumulate), `run` where the target runs it.
      const runners = kernels.map(() => ({ run: NOT_BUILT as GufuncRun, serial: NOT_BUILT as GufuncRun }));
      const records: LoopRecord[] = [];
      const loops: GufuncLoop[] = kernels.map((k, i) => {
        const ins = k.operands.slice(0, sig.nin);
        const outs = k.operands.slice(sig.nin);
        const types = `${ins.join(',')}->${outs.join(',')}`;
        // Elementwise layouts are ufunc loops: a ufunc plan is a gufunc plan without core dims.
        const exec = elementwise
          ? { loop: (plan: number, ordered?: boolean) => (ordered ? runners[i]!.serial : runners[i]!.run)(plan, zero()) }
          : { loop: () => { throw new Error('gufunc loop called as a ufunc loop'); } };
        const rec = registerLoop({ ufunc: name, types, ins, outs, row: { types }, exec });
        records.push(rec);
        return { id: rec.id, types, ins, outs };
      });
      const coreDims = sig.operands.map((o) => o.length);
      tiered.add({
        js: () => kernels.forEach((k, i) => {
          const js = jsGufuncRun(k, coreDims);
          const run = k.bounds.length > 0 || k.scratch.length > 0 ? boundsErrors(js, k) : js;
          runners[i] = { run, serial: run };
        }),
        wasm: ({ exports, module }) => kernels.forEach((k, i) => {
          // Scratch arrays: an arena lent per call to each thread that runs the kernel (arena.ts).
          const arena = arenaSetter(exports) === undefined ? 0 : arenaBytes(options.scratchBytes);
          const entry = withArena(exports[k.entries.loop] as GufuncRun, exports, arena);
          // A failed bounds check (or scratch allocation): a BoundsTrap on whichever thread ran
          // the block, then the kernel's IndexError E_KERNEL_BOUNDS (trap.ts).
          const traps = k.bounds.length > 0 || k.scratch.length > 0;
          const gu0 = traps ? withBoundsTraps(entry, exports) : entry;
          // The target's own runner (parallel: the loop dims cut into blocks on the worker pool).
          // cpu: a trap (an index outside an array) becomes a TargetError (trap.ts).
          const serial = catchTraps(gu0, 'guvectorize', name);
          const run = target.wrapGufunc?.(module, k.entries.loop, gu0, sig.nin + sig.nout, arena) ?? serial;
          runners[i] = { run: traps ? boundsErrors(run, k, arena) : run, serial: traps ? boundsErrors(serial, k, arena) : serial };
        }),
      });
      const byId = new Map(records.map((rec, i) => [rec.id, i]));
      if (elementwise) {
        const u = createUfunc({ name, nin: sig.nin, nout: sig.nout, identity, reorderable, resolver: 'declared', loops: records });
        Object.defineProperties(u, {
          kernels: { value: kernels },
          callAsync: { value: (...args: unknown[]) => callAsyncOn(target, u as unknown as (...a: unknown[]) => unknown, args) },
          ...tierProperties(tiers),
        });
        return u as unknown as GuvectorizedGufunc;
      }
      const g = createGufunc({
        name, nin: sig.nin, nout: sig.nout, signature: sig.text, loops, resolver: 'declared', identity,
        ...(sig.nout === 0 ? { inPlace: writtenParams(kernels[0]!.ir.main) } : {}),
        run: (loop, plan, core) => runners[byId.get(loop.id)!]!.run(plan, core),
      });
      Object.defineProperties(g, {
        kernels: { value: kernels },
        callAsync: { value: (...args: unknown[]) => callAsyncOn(target, g as unknown as (...a: unknown[]) => unknown, args) },
        ...tierProperties(tiers),
      });
      return attachKernelSource(g as unknown as GuvectorizedGufunc, record);
    }, kernel, context);
}

/** A runner before its tier is in place (never called: tiers.add puts one in place at once). */
const NOT_BUILT: GufuncRun = () => {
  throw new Error('guvectorize: loop called before it was built');
};

/**
 * The core block of a layout without core dims (no sizes, no workspace: three zero words),
 * allocated once per gufunc on first use and kept for the process lifetime, as a kernel
 * module's static data is (it is 16 bytes).
 */
function zeroCoreBlock(): () => number {
  let at = 0;
  return () => {
    if (at === 0) {
      const { heap, memory } = runtime();
      at = heap.alloc(16);
      new Int32Array(memory.buffer, at, 4).fill(0);
    }
    return at;
  };
}

/** The parameters a gufunc kernel stores into (`a[i] = ...`), in order. */
function writtenParams(fn: IRFunction<DType>): number[] {
  const written = new Set<number>();
  forEachStmt(fn.body, (s) => {
    if (s.kind === 'store' && s.array.kind === 'param') written.add(s.array.index);
  });
  return [...written].sort((a, b) => a - b);
}
