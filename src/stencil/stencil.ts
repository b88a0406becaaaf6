/**
 * `nb.stencil(kernel, options)`: a kernel over relative neighbours, run at every point (or
 * every `stride`-th point) of N-d arrays, compiled by the kernel compiler
 * (src/compiler/stencil.ts) to one Wasm entry with an unchecked interior loop (in SIMD lanes
 * when the kernel has a lane form: `kernels[k].simd`) and a boundary loop that maps indices by
 * the boundary mode.
 *
 * Neighbour access: each kernel parameter is an accessor of one input array; `a(di, dj)`
 * reads the element at relative offset (di, dj) from the current point (one offset per axis;
 * `a(0, 0)` is the point itself). Offsets must be constant integers: literals, expressions
 * of literals (`-1 - 1`), or `const` names of literals; `a(i, 0)` with a loop variable is
 * KernelError NB2017. (JavaScript has no `a[i, j]`; a call reads naturally and keeps the
 * kernel valid JavaScript, so the kernel can also be run as plain JS with a closure.)
 *
 * Neighborhood: inferred from the offsets (per axis, the lowest and highest offset), or
 * declared with `neighborhood: [[-1, 1], [-1, 1]]`, which makes any read outside it a
 * KernelError NB2018 (as Numba's `neighborhood` documents, but checked).
 *
 * Boundaries: scipy.ndimage's modes — 'constant' (reads outside give `cval`), 'nearest',
 * 'reflect' (d c b a | a b c d | d c b a), 'mirror' (d c b | a b c d | c b a), 'wrap'
 * (periodic). Every output point is computed (Numba's stencil instead leaves a border of
 * `cval` where the neighbourhood does not fit).
 *
 * Output: `ceil(n_d / stride_d)` points per axis — centres 0, stride, 2*stride, ... (the
 * points `a[::s]` keeps). Dtype: the signature's result type; without one (a lazy stencil,
 * or `'(float64)'`), what the kernel returns, as lazy vectorize and Numba infer it (`0.25 *
 * (a(0, 1) + a(1, 0))` on int64 is float64). `out` (call option) receives
 * it (same shape; its dtype must be a same-kind cast of the result's); an `out` sharing
 * memory with an input is written through a temporary, as a stencil reads neighbours.
 *
 * Signatures: as vectorize, `'float64(float64)'` (one dtype per accessor) or a list: the
 * first signature every input casts to safely is used (inputs are cast when needed).
 * Without signatures the stencil is lazy: for inputs of dtypes d1..dn it compiles
 * `(T, ..., T)` with T = resultType(d1..dn), once per T. All inputs have the same shape,
 * whose length is the number of offsets the kernel passes.
 *
 * Helpers: `helpers: { name: fn }` as vectorize's (plain functions in the kernel language,
 * functions made by nb.vectorize, built-in ufuncs with a scalar form), compiled into the
 * stencil and typed per call on every target; a helper takes values (`clamp(a(0), 0, 1)`),
 * never an accessor. The returned function records its kernel (src/compiler/compile.ts
 * KERNEL_SOURCE), so a stencil passed as another kernel's helper is refused where it is
 * called (NB2013: a helper takes scalars).
 *
 * Targets: 'cpu' (Wasm on the calling thread); 'parallel' (the same Wasm, the output's
 * outermost axis cut into row blocks on the worker pool above a size crossover,
 * src/parallel/stencil.ts: bit-identical to 'cpu'); 'gpu' (a WGSL compute shader per
 * signature, one invocation per output point, src/gpu/stencil.ts). A gpu stencil's call
 * returns a Promise: gpu array inputs (or a gpu `out`) give a gpu array, CPU inputs are
 * uploaded and the result read back. Gpu signatures take float32, int32, uint32 and bool
 * (another dtype is TargetError `E_GPU_DTYPE` when the stencil is made, or at the call for
 * a lazy stencil).
 */
import { assertCanCast, canCast } from '../dtype/casting.js';
import type { DType } from '../dtype/dtypes.js';
import { resultType } from '../dtype/promotion.js';
import { BOUNDARY_MODES, compileStencil, type BoundaryMode, type CompiledStencil, type Neighborhood } from '../compiler/stencil.js';
import { linkAssemblyScript } from '../compiler/emit/assemblyscript/emit-module.js';
import { parseKernelSignature } from '../compiler/signature.js';
import { copyLayout } from '../ndarray/copy.js';
import { asarray, empty, type ArrayLikeInput } from '../ndarray/creation.js';
import { isNDArray, NDArray } from '../ndarray/ndarray.js';
import { overlaps, stage, type Operand } from '../ndarray/operand.js';
import { DTypeError, ShapeError } from '../util/errors.js';
import { kernelTarget, type StencilRunner } from '../vectorize/kernel-targets.js';
import { boundsErrors, catchTraps, withBoundsTraps } from '../vectorize/trap.js';
import { CONSTANTS_OPTION, frozenConstants, HELPERS_OPTION, TARGET_OPTION, TIER_OPTION } from '../vectorize/options.js';
import { defaultTier, tierProperties, Tiers } from '../vectorize/tier.js';
import type { Tier, TierOption } from '../vectorize/tier-setting.js';
import type { KernelConstants } from '../compiler/constants.js';
import { attachKernelSource } from '../compiler/compile.js';
import { jsStencilRunner } from './js-tier.js';
import { checkOptionValues, isBoolean, isString, oneOf, type OptionRule, type OptionRules } from '../util/options.js';

export type { BoundaryMode, Neighborhood } from '../compiler/stencil.js';

/** Options of {@link stencil}. */
export interface StencilOptions {
  /** `'float64(float64)'` or a list (eager, tried in order); omitted: lazy (see the file header). */
  signature?: string | readonly string[];
  /** Alias of `signature`. */
  signatures?: string | readonly string[];
  /** Boundary mode (default 'constant'). */
  mode?: BoundaryMode;
  /** The value outside the array in 'constant' mode (default 0). */
  cval?: number | bigint | boolean;
  /** `[[low, high], ...]` per axis: the offsets the kernel may read (checked). Default: inferred. */
  neighborhood?: Neighborhood;
  /** Output stride: one for every axis or one per axis (default 1). `2` downsamples by 2. */
  stride?: number | readonly number[];
  /**
   * 'cpu' (default), 'parallel' (row blocks on the worker pool) or 'gpu' (WebGPU; calls
   * return Promises: with a literal `target: 'gpu'` the stencil is typed {@link GpuStencil}).
   */
  target?: 'cpu' | 'parallel' | 'gpu';
  /** Keep compiled modules on disk (as vectorize's `cache`). */
  cache?: boolean;
  /** The stencil's name in messages (default: the kernel's name). */
  name?: string;
  /** Recorded in the IR and cache key; no transformation uses it yet. */
  fastmath?: boolean;
  /**
   * As vectorize's and guvectorize's `boundscheck` (default true), for the kernel's reads of
   * table constants (`lut[i]`); its neighbour reads need no checks: their offsets are
   * constants inside the neighborhood and reads past the edges follow `mode`, so no
   * neighbour access ever leaves the array.
   */
  boundscheck?: boolean;
  /**
   * Values the kernel reads by name, frozen when `nb.stencil` is called (as vectorize's
   * `constants`); an integer constant may be a neighbour offset: `a(-R)`, `a(R)`.
   *
   * @example
   * ```ts
   * const R = 2, w = 0.5;
   * const s = nb.stencil((a: any) => w * (a(-R) + a(R)), { constants: { R, w }, mode: 'wrap' });
   * s(nb.array([1, 2, 3, 4, 5], 'float64')).toArray(); // [3.5, 4.5, 3, 1.5, 2.5]
   * ```
   */
  constants?: KernelConstants;
  /**
   * Functions the kernel calls by these names, as vectorize's `helpers` (plain JS functions
   * in the kernel language, functions made by `nb.vectorize`, built-in ufuncs with a scalar
   * form; compiled into the stencil, typed per call, on every target). Helpers take values,
   * not accessors: `clamp01(a(0, 1))`, not `clamp01(a)`.
   */
  helpers?: Readonly<Record<string, (...args: never[]) => unknown>>;
  /**
   * Where a new signature runs first on the cpu and parallel targets (default
   * `nb.config().tier`, 'auto'), as vectorize's `tier`: 'auto' runs the same stencil
   * compiled to JS at once while its Wasm compiles in the background, then Wasm (see
   * `.ready` and `.tier`); 'wasm' makes the factory (eager) or the call that needs a
   * signature (lazy) wait for the Wasm; 'js' never compiles to Wasm.
   */
  tier?: TierOption;
}

/** Options of one stencil call. */
export interface StencilCallOptions {
  /** Where to write the result (shape `ceil(n_d / stride_d)`). */
  out?: NDArray;
}

/** A compiled stencil: call it with one array per accessor (and optionally `{ out }`). */
export interface Stencil {
  (...args: (NDArray | ArrayLikeInput | StencilCallOptions)[]): NDArray;
  /** The stencil's name. */
  readonly name: string;
  /** The compiled stencils (typed IR, AS source), one per signature compiled so far. */
  readonly kernels: readonly CompiledStencil[];
  /**
   * A Promise that settles when every signature compiled so far runs on the Wasm tier
   * (API.md's `.ready` of compiled functions): a new signature first runs as JS (the same
   * stencil compiled to JS from the same IR, the same results) while its Wasm compiles in
   * the background. It rejects with the compile's error when a background compile failed
   * (the calls keep running on the JS tier).
   */
  readonly ready: Promise<void>;
  /** Where calls run now: `'wasm'` when every signature so far is on the Wasm tier, else `'js'`. */
  readonly tier: Tier;
}

/** A stencil made with `target: 'gpu'`: as {@link Stencil}, but a call returns a Promise. */
export interface GpuStencil {
  (...args: (NDArray | ArrayLikeInput | StencilCallOptions)[]): Promise<NDArray>;
  readonly name: string;
  readonly kernels: readonly CompiledStencil[];
}

interface Built {
  readonly compiled: CompiledStencil;
  /**
   * The entry's arguments and the output shape (null on the gpu target): the JS tier's
   * until the Wasm module lands (src/vectorize/tier.ts), then the Wasm's.
   */
  run: StencilRunner | null;
}

const posInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
const signatures: OptionRule = {
  accepts: "a signature string like 'float64(float64)' or a list of them",
  test: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
};

/** The keys `nb.stencil` accepts and their values (issue 19 item 11: anything else is E_VALUE_OPTION). */
const STENCIL_OPTIONS: OptionRules = {
  signature: signatures,
  signatures,
  mode: oneOf(BOUNDARY_MODES),
  cval: { accepts: 'a number, bigint or boolean', test: (v) => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' },
  neighborhood: {
    accepts: 'one [low, high] pair of integers (low <= 0 <= high is typical, low <= high required) per axis, e.g. [[-1, 1], [-1, 1]]',
    test: (v) => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]) && r[0] <= r[1]),
  },
  stride: {
    accepts: 'a positive integer (every axis) or one positive integer per axis, e.g. 2 or [1, 2]',
    test: (v) => posInt(v) || (Array.isArray(v) && v.length > 0 && v.every(posInt)),
  },
  target: TARGET_OPTION,
  cache: isBoolean,
  name: isString,
  fastmath: isBoolean,
  boundscheck: isBoolean,
  constants: CONSTANTS_OPTION,
  helpers: HELPERS_OPTION,
  tier: TIER_OPTION,
};

/** The keys of a stencil call's options. */
const CALL_OPTIONS: OptionRules = {
  out: { accepts: 'an NDArray of the output shape', test: (v) => isNDArray(v) },
};

function signatureList(o: StencilOptions): string[] | null {
  const s = o.signature ?? o.signatures;
  if (s === undefined || s === null) return null;
  const list = typeof s === 'string' ? [s] : [...s];
  for (const x of list) if (typeof x !== 'string') throw new TypeError("stencil: signatures must be strings like 'float64(float64)'");
  return list.length ? list : null;
}

const isCallOptions = (x: unknown): x is StencilCallOptions =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !isNDArray(x) && !ArrayBuffer.isView(x);

/**
 * Compile a stencil kernel.
 *
 * @param kernel - a function of one accessor per input array; `a(di, dj)` reads the
 *   neighbour at constant relative offset (di, dj). The kernel language is vectorize's.
 * @param options - signature(s), boundary `mode` and `cval`, `neighborhood`, `stride`, target,
 *   `helpers` (functions the kernel calls by name, as vectorize's; they take values, not accessors).
 * @throws KernelError for kernels outside the kernel language, NB2017 for offsets that are
 *   not constant integers, NB2018 for reads outside a declared neighborhood, NB2019 for an
 *   accessor used other than as a call; TargetError `E_GPU_DTYPE` for a 'gpu' signature
 *   outside float32, int32, uint32 and bool.
 * @example
 * ```ts
 * const blur = nb.stencil((a: any) => 0.25 * (a(-1, 0) + a(1, 0) + a(0, -1) + a(0, 1)), { mode: 'reflect' });
 * blur(nb.ones([4, 5])).toArray(); // all 1
 * const mean2x2 = nb.stencil((a: any) => (a(0, 0) + a(0, 1) + a(1, 0) + a(1, 1)) / 4, { signature: 'uint8(uint8)', stride: 2, mode: 'nearest' });
 * mean2x2(nb.zeros([4, 6], 'uint8')).shape; // [2, 3]
 * const g = nb.stencil((a: any) => a(-1) + a(1), { signature: 'float32(float32)', mode: 'wrap', target: 'gpu' });
 * (await g(nb.ones([8], 'float32'))).toArray(); // all 2
 * ```
 */
export function stencil(kernel: (...args: never[]) => unknown, options: StencilOptions & { target: 'gpu' }): GpuStencil;
/**
 * A stencil on the 'cpu' (default) or 'parallel' target: calls are synchronous.
 *
 * @example
 * ```ts
 * const blur = nb.stencil((a: any) => (a(-1) + a(0) + a(1)) / 3, { mode: 'nearest' });
 * blur(nb.array([3, 6, 9, 12])).toArray(); // [4, 6, 9, 11]
 * ```
 */
export function stencil(kernel: (...args: never[]) => unknown, options?: StencilOptions): Stencil;
export function stencil(kernel: (...args: never[]) => unknown, options: StencilOptions = {}): Stencil | GpuStencil {
  if (typeof kernel !== 'function') throw new TypeError('stencil: the kernel must be a function');
  checkOptionValues('nb.stencil', options, STENCIL_OPTIONS);
  options = frozenConstants('nb.stencil', options);
  const target = kernelTarget(options.target);
  // A device target (gpu) runs the compiled stencil itself; host targets run its Wasm.
  const device = target.stencil;
  const name = options.name ?? (kernel.name || 'stencil');
  // Host targets: the tiers of the Wasm (the warm compiler: asc loads in its worker now, while the caller goes on).
  const tiers = device === undefined ? new Tiers(name, options.tier ?? defaultTier()) : undefined;
  const sigs = signatureList(options);
  const compileOpts = { mode: options.mode, cval: options.cval, neighborhood: options.neighborhood, stride: options.stride, name, fastmath: options.fastmath, target: target.compiler,
    boundscheck: options.boundscheck ?? true,
    ...(options.constants ? { constants: options.constants } : {}),
    ...(options.helpers ? { helpers: options.helpers } : {}) };
  const build = (list: readonly string[]): Built[] => {
    const compiled = list.map((s, i) => compileStencil(kernel, s, { ...compileOpts, prefix: `s${i}_` }));
    if (device !== undefined) {
      for (const c of compiled) device.check(c, name);
      return compiled.map((c) => ({ compiled: c, run: null }));
    }
    const built: Built[] = compiled.map((c) => ({ compiled: c, run: null }));
    // A failed bounds check of a table read: a BoundsTrap, then IndexError E_KERNEL_BOUNDS (trap.ts).
    const raise = (c: CompiledStencil, run: StencilRunner) => (c.bounds.length > 0 ? boundsErrors(run, c) : run);
    tiers!.add({
      // The Wasm is the same for every host target (one compile-cache entry for all).
      source: linkAssemblyScript(compiled.map((c) => c.asUnit), `${name}: stencil`),
      module: { disk: options.cache ?? false, target: 'cpu' },
      // The JS tier runs on the calling thread (the parallel target's row blocks are the Wasm's).
      js: () => { for (const b of built) b.run = raise(b.compiled, jsStencilRunner(b.compiled)); },
      wasm: ({ exports, module }) => {
        for (const b of built) {
          const c = b.compiled;
          const checked = c.bounds.length > 0;
          const wholeEntry = exports[c.entry] as (...args: number[]) => void;
          const planEntry = exports[c.planEntry] as (plan: number) => void;
          const whole = checked ? withBoundsTraps(wholeEntry, exports) : wholeEntry;
          const plan = checked ? withBoundsTraps(planEntry, exports) : planEntry;
          // cpu: a trap becomes a TargetError (src/vectorize/trap.ts).
          b.run = raise(c, target.wrapStencil?.(c, module, whole, plan) ?? catchTraps((args: readonly number[]) => whole(...args), 'stencil', name));
        }
      },
    });
    return built;
  };
  const eager = sigs === null ? null : build(sigs);
  const lazy = new Map<DType, Built>();
  const kernels: CompiledStencil[] = eager ? eager.map((b) => b.compiled) : [];
  const nin = sigs ? parseKernelSignature(sigs[0]!).args.length : kernel.length;
  if (nin < 1) throw new TypeError(`stencil: kernel '${name}' must declare its accessor parameters`);

  const choose = (dtypes: readonly DType[]): Built => {
    if (eager) {
      const hit = eager.find((b) => b.compiled.operands.slice(0, b.compiled.nin).every((t, k) => canCast(dtypes[k]!, t, 'safe')));
      if (!hit) {
        throw new DTypeError('E_DTYPE_NO_LOOP', `stencil '${name}': no signature matches inputs (${dtypes.join(', ')}); signatures: ${eager.map((b) => b.compiled.signature.text).join(', ')}`);
      }
      return hit;
    }
    const t = resultType(...dtypes);
    device?.checkDType(t, `stencil '${name}' (inputs resolve to ${t})`);
    let b = lazy.get(t);
    if (!b) {
      b = build([`(${Array(nin).fill(t).join(', ')})`])[0]!; // no result type: the kernel's (as lazy vectorize)
      lazy.set(t, b);
      kernels.push(b.compiled);
    }
    return b;
  };

  const call = (...raw: (NDArray | ArrayLikeInput | StencilCallOptions)[]): NDArray | Promise<NDArray> => {
    let opts: StencilCallOptions = {};
    if (raw.length === nin + 1 && isCallOptions(raw[nin])) {
      opts = raw.pop() as StencilCallOptions;
      checkOptionValues(`stencil '${name}'`, opts, CALL_OPTIONS);
    }
    if (raw.length !== nin) throw new TypeError(`stencil '${name}' takes ${nin} array(s), got ${raw.length}`);
    let inputs = raw.map((x) => (isNDArray(x) ? x : asarray(x as ArrayLikeInput)));
    const shape = inputs[0]!.shape;
    for (const a of inputs) {
      if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError('E_SHAPE_MISMATCH', `stencil '${name}': all inputs must have the same shape, got ${inputs.map((x) => `(${x.shape.join(',')})`).join(' and ')}`);
      }
    }
    const b = choose(inputs.map((a) => a.dtype));
    const c = b.compiled;
    if (shape.length !== c.ndim) {
      throw new ShapeError('E_SHAPE_NDIM', `stencil '${name}' reads ${c.ndim}-d neighbours (a(${Array(c.ndim).fill('0').join(', ')})) but got a ${shape.length}-d array`);
    }
    if (device !== undefined) {
      const oshape = shape.map((n, d) => Math.ceil(n / c.stride[d]!));
      const out = opts.out;
      if (out !== undefined) checkOut(name, out, oshape, c.operands[c.nin]!);
      return device.call(c, inputs, out, oshape);
    }
    const temps: NDArray[] = [];
    inputs = inputs.map((a, k) => {
      if (a.dtype === c.operands[k]) return a;
      const t = a.astype(c.operands[k]!);
      temps.push(t);
      return t;
    });
    const outDType = c.operands[c.nin]!;
    const oshape = shape.map((n, d) => Math.ceil(n / c.stride[d]!));
    let out = opts.out;
    let result: NDArray;
    if (out !== undefined) {
      checkOut(name, out, oshape, outDType);
      const shared = inputs.some((a) => overlaps(operand(a), operand(out!)));
      result = out.dtype === outDType && !shared ? out : empty(oshape, outDType);
    } else {
      out = result = empty(oshape, outDType);
    }
    try {
      if (oshape.every((m) => m > 0)) run(b, inputs, result, shape, oshape);
      if (result !== out) {
        copyLayout(operand(result), operand(out));
        temps.push(result);
      }
    } finally {
      for (const t of temps) t.dispose();
    }
    return out;
  };
  // A device call's every error is a rejected Promise (not a synchronous throw).
  const f = device !== undefined
    ? (...raw: (NDArray | ArrayLikeInput | StencilCallOptions)[]) => {
        try {
          return call(...raw);
        } catch (e) {
          return Promise.reject(e);
        }
      }
    : call;
  Object.defineProperties(f, {
    name: { value: name },
    kernels: { get: () => kernels as readonly CompiledStencil[], enumerable: false },
    ...(tiers !== undefined ? tierProperties(tiers) : { ready: { get: () => Promise.resolve(), enumerable: false } }),
  });
  // Passed in a kernel's options.helpers, a stencil is refused where it is called (NB2013).
  attachKernelSource(f, { kind: 'stencil', fn: kernel, helpers: options.helpers ?? {}, ...(options.constants ? { constants: options.constants } : {}) });
  return f as unknown as Stencil | GpuStencil;
}

/** `out`'s checks: an NDArray of the result shape, writeable, a same-kind cast of the result. */
function checkOut(name: string, out: unknown, oshape: readonly number[], outDType: DType): asserts out is NDArray {
  if (!isNDArray(out)) throw new TypeError(`stencil '${name}': out must be an NDArray`);
  if (out.shape.length !== oshape.length || out.shape.some((d, i) => d !== oshape[i])) {
    throw new ShapeError('E_SHAPE_OUT', `stencil '${name}': out has shape (${out.shape.join(',')}) but the result has (${oshape.join(',')})`);
  }
  if (!out.writeable) throw new TypeError(`stencil '${name}': out is read-only`);
  assertCanCast(outDType, out.dtype, 'same_kind', `stencil '${name}' out`);
}

const operand = (a: NDArray): Operand => ({ storage: a.storage, ...a.layout });

/** Stage the operands in the heap and call the entry. */
function run(b: Built, inputs: readonly NDArray[], out: NDArray, shape: readonly number[], oshape: readonly number[]): void {
  const views = inputs.map((a) => stage(operand(a), false));
  const ov = stage(operand(out), false);
  try {
    const args: number[] = [];
    inputs.forEach((a, k) => {
      args.push(views[k]!.base, ...a.strides.map((s) => s * a.itemsize));
    });
    args.push(ov.base, ...out.strides.map((s) => s * out.itemsize));
    args.push(...shape, ...oshape);
    b.run!(args, oshape);
  } finally {
    for (const v of views) v.release(false);
    ov.release(true);
  }
}
