/**
 * `vectorize(..., { target: 'gpu' })` and `guvectorize(..., { target: 'gpu' })`: the same
 * kernels compiled to WGSL compute shaders (API.md: gpu ufuncs are awaited).
 *
 * A call returns a Promise. With any gpu array among the operands (inputs or `out`) the
 * result is a gpu array (nothing is read back: calls chain on the device); with only CPU
 * arrays and JS scalars the inputs are uploaded, the kernel runs, and the result is read
 * back into a heap array (or into a CPU `out`).
 *
 * A kernel with bounds checks (`boundscheck`, the default, where the compiler could not
 * prove an index into a core array or a table constant in range) binds an error flag; the call reads it back after the
 * kernel (so such a call waits for the GPU) and throws IndexError `E_KERNEL_BOUNDS` with
 * the kernel's line and column, as the cpu target does; a failing store writes nothing.
 *
 * Signatures are checked against the gpu dtype policy when the kernel is made: a float64
 * (or 64-bit or 8/16-bit integer) operand is a TargetError `E_GPU_DTYPE`; a kernel that
 * computes in float64 inside (e.g. `int32 / int32`) is a KernelError NB6001 at that
 * construct. Lazy kernels compile per `resultType` of the inputs, as on the cpu target.
 */
import { broadcastShapes } from '../broadcast/broadcast-shapes.js';
import { formatShape } from '../ndarray/layout.js';
import { compileKernel, parseKernelSignature, validateTarget, type CompiledKernel, type KernelConstants } from '../compiler/index.js';
import { canCast, normalizeCasting, type Casting } from '../dtype/casting.js';
import type { DType, Scalar } from '../dtype/dtypes.js';
import { resultType } from '../dtype/promotion.js';
import { copyLayout } from '../ndarray/copy.js';
import { NDArray } from '../ndarray/ndarray.js';
import { inputFits, type InputKind } from '../ufunc/dispatch.js';
import { defineUfuncAttributes } from '../ufunc/attributes.js';
import { classify, splitArgs } from '../ufunc/call.js';
import type { UfuncInput } from '../ufunc/types.js';
import { operandOf } from '../ufunc/execute.js';
import { bindCoreSizes, coreLayout, parseGufuncSignature, type GufuncSignature } from '../ufunc/gufunc-signature.js';
import { DTypeError, ShapeError, TargetError } from '../util/errors.js';
import { gpuCopy, gpuElementwise, gpuEmpty, gpuInputs, inputsAsOfNow } from './call.js';
import { BoundsTrap, kernelBoundsError } from '../compiler/bounds.js';
import { checkGpuErrors, currentGpu, gpuDevice, type GpuContext } from './device.js';
import { destroyAfterFlush, flushGpu } from './queue.js';
import { runGpuKernel } from './dispatch.js';
import { MAXC } from './shaders.js';
import { checkGpuDType, isGpuArray, type GpuStorage } from './storage.js';
import { deliver } from './readback.js';

/** The `.identity` attribute an identity option gives (see src/vectorize/options.ts identityOption). */
const identityValue = (v: GpuKernelOptions['identity']): Scalar | null => (v === 'reorderable' || v === undefined ? null : v);

/** Options the gpu factories take (a subset of VectorizeOptions). */
export interface GpuKernelOptions {
  /** NumPy's/Numba's forms; 'reorderable' has no identity value (`.identity` null). */
  readonly identity?: Scalar | null | 'reorderable';
  readonly fastmath?: boolean;
  /** Checked indexing (gufunc arrays, table constants; default true): a failure sets an error flag the call reads back. */
  readonly boundscheck?: boolean;
  /** Functions the kernel calls by name (see VectorizeOptions.helpers). */
  readonly helpers?: Readonly<Record<string, (...args: never[]) => unknown>>;
  /** Values the kernel reads by name, frozen by the factory (see VectorizeOptions.constants). */
  readonly constants?: KernelConstants;
}

/** An input's kind as the host call protocol classifies it (weak scalars stay weak). */
const kindOf = (x: unknown): InputKind => classify(x as UfuncInput).kind;

const fits = (k: InputKind, d: DType) => (k === 'weak-int' || k === 'weak-float' ? inputFits(k, d, 'safe') : canCast(k, d, 'safe'));

/** Compile for the gpu: policy check of the operands (E_GPU_DTYPE first), then the IR against the target (NB6001 now, not at a call). */
function compileForGpu(fn: (...args: never[]) => unknown, sig: string, name: string, extra: Parameters<typeof compileKernel>[2], from: Pick<GpuKernelOptions, 'helpers' | 'constants'>): CompiledKernel {
  const { helpers, constants } = from;
  const k = compileKernel(fn, sig, { ...extra, ...(helpers ? { helpers } : {}), ...(constants ? { constants } : {}), target: 'gpu' });
  k.operands.forEach((d) => checkGpuDType(d, `kernel '${name}' signature '${sig}'`));
  validateTarget(k.ir, 'gpu');
  return k;
}

function attributes(f: object, a: { name: string; nin: number; nout: number; types: () => readonly string[]; identity: Scalar | null; signature: string | null; kernels: () => readonly CompiledKernel[] }): void {
  defineUfuncAttributes(f, { name: a.name, nin: a.nin, nout: a.nout, types: a.types, identity: a.identity, signature: a.signature, label: '(gpu)' });
  Object.defineProperties(f, {
    target: { value: 'gpu', enumerable: true },
    kernels: { get: a.kernels },
    callAsync: { value: (...args: unknown[]) => (f as (...x: unknown[]) => Promise<unknown>)(...args) },
  });
}

/**
 * A gpu ufunc from a scalar kernel: eager signatures (linear search, as the cpu target) or
 * lazy (null: compiled per resultType of the inputs).
 *
 * @example
 * ```ts
 * const f = gpuVectorize((x: number, y: number) => x * y + 1, ['float32(float32, float32)'], 'fma1', {});
 * await f(nb.ones([4], 'float32'), 2);
 * ```
 */
export function gpuVectorize(fn: (...args: never[]) => unknown, sigs: readonly string[] | null, name: string, options: GpuKernelOptions) {
  // Bounds checks (table reads, scratch indices): a failure sets the error flag the
  // elementwise shader binds, which the call reads back (boundsFlag).
  const scalar = { kind: 'scalar', name, fastmath: options.fastmath ?? false, boundscheck: options.boundscheck ?? true } as const;
  const kernels: CompiledKernel[] = (sigs ?? []).map((s) => compileForGpu(fn, s, name, scalar, options));
  const nin = sigs ? parseKernelSignature(sigs[0]!).args.length : fn.length;
  const lazy = new Map<DType, CompiledKernel>();
  const pick = (kinds: InputKind[]): CompiledKernel => {
    if (sigs) {
      const k = kernels.find((c) => kinds.every((x, j) => fits(x, c.operands[j]!)));
      if (!k) throw new DTypeError('E_DTYPE_NO_LOOP', `gpu ufunc '${name}' has no signature for inputs (${kinds.join(', ')}) under safe casting (signatures: ${sigs.join('; ')})`);
      return k;
    }
    const t = resultType(...kinds.map((x) => (x === 'weak-int' ? 0 : x === 'weak-float' ? 0.5 : x)));
    checkGpuDType(t, `gpu ufunc '${name}' (inputs resolve to ${t})`);
    let k = lazy.get(t);
    if (!k) {
      k = compileForGpu(fn, `(${Array(nin).fill(t).join(',')})`, name, scalar, options);
      lazy.set(t, k);
      kernels.push(k);
    }
    return k;
  };
  const call = async (...args: unknown[]): Promise<NDArray> => {
    const [inputs, opts] = splitArgs(name, nin, args);
    if (opts.where !== undefined && opts.where !== true) throw new TargetError('E_GPU_NO_KERNEL', `where= is not supported on the gpu target (ufunc '${name}')`);
    const casting: Casting = normalizeCasting(opts.casting ?? 'same_kind');
    const out = (Array.isArray(opts.out) ? opts.out[0] : opts.out) ?? null;
    const k = pick(inputs.map(kindOf));
    // With the device open, the kernel is queued before the first await, so calls made in
    // one JS task share one submit (measured on an H200: 1.66 TB/s with a submit per call,
    // 3.6 TB/s for 20 calls in one submit).
    const snaps: NDArray[] = [];
    let r: NDArray;
    let onDevice: boolean;
    try {
      const now = inputsAsOfNow(inputs, snaps);
      const ctx = currentGpu() ?? (await gpuDevice());
      onDevice = inputs.some(isGpuArray) || isGpuArray(out);
      const gpuOut = out && isGpuArray(out) ? out : null;
      // Bounds checks (a table read not proven in range): a zeroed flag, read back after the kernel.
      const flag = k.bounds.length > 0 ? ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }) : undefined;
      try {
        r = gpuElementwise(ctx, k, now, gpuOut, casting, name, flag);
        await checkGpuErrors(ctx);
        const trap = flag === undefined ? null : await boundsFlag(ctx, flag);
        if (trap !== null) {
          if (r !== gpuOut) r.dispose();
          throw kernelBoundsError(name, k.bounds, trap);
        }
      } finally {
        if (flag !== undefined) destroyAfterFlush(ctx, [flag]);
      }
    } finally {
      for (const c of snaps) c.dispose();
    }
    if (onDevice) return r;
    return deliver(r, out as NDArray | null);
  };
  const f = (...args: unknown[]) => call(...args);
  attributes(f, { name, nin, nout: 1, types: () => kernels.map((k) => `${k.operands.slice(0, k.nin).join(',')}->${k.operands[k.nin]}`), identity: identityValue(options.identity), signature: null, kernels: () => kernels });
  return f;
}

/**
 * Read a call's bounds-check flag (shaders.ts's `nberr`) after its kernel: the first
 * failure as a BoundsTrap, or null when every check passed.
 */
export async function boundsFlag(ctx: GpuContext, flag: GPUBuffer): Promise<BoundsTrap | null> {
  const staging = ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = ctx.device.createCommandEncoder();
  enc.copyBufferToBuffer(flag, 0, staging, 0, 16);
  flushGpu(ctx);
  ctx.device.queue.submit([enc.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    const [site, index, size] = new Uint32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return site === 0 ? null : new BoundsTrap(site! - 1, BigInt(index!), size!);
  } catch (e) {
    if (ctx.lost !== null) throw new TargetError('E_GPU_DEVICE_LOST', `the GPU device was lost during the call (${ctx.lost})`);
    throw e;
  } finally {
    staging.destroy();
  }
}

/** Per operand: a view of its loop dims (for the dispatcher) and its core strides. */
function splitOperand(a: NDArray, coreNdim: number, coreDims: readonly number[], missing: readonly boolean[]): { view: NDArray; strides: number[] } {
  const loopNd = a.ndim - coreNdim;
  const view = new NDArray(a.storage, a.shape.slice(0, loopNd), a.strides.slice(0, loopNd), a.offset, a.writeable);
  const trailing = a.strides.slice(loopNd);
  const strides: number[] = [];
  let j = 0;
  for (const d of coreDims) strides.push(missing[d] ? 0 : trailing[j++]!);
  return { view, strides };
}

/**
 * A gpu gufunc from a core-array kernel (guvectorize's layout grammar, `out` required for
 * output-only dims).
 *
 * @example
 * ```ts
 * const rowdot = gpuGuvectorize(kernel, ['void(float32[:], float32[:], float32[:])'], '(n),(n)->()', 'rowdot', {});
 * await rowdot(a, b);
 * ```
 */
export function gpuGuvectorize(fn: (...args: never[]) => unknown, sigs: readonly string[], layout: string, name: string, options: GpuKernelOptions & { strict?: boolean }) {
  const sig: GufuncSignature = parseGufuncSignature(layout);
  if (sig.dims.length > MAXC) throw new TargetError('E_GPU_LIMIT', `the gpu target handles up to ${MAXC} distinct core dims, layout '${layout}' has ${sig.dims.length}`);
  const kernels = sigs.map((s) => compileForGpu(fn, s, name, {
    kind: 'gufunc', core: sig, name, fastmath: options.fastmath ?? false, strict: options.strict ?? false, boundscheck: options.boundscheck ?? true,
  }, options));
  const call = async (...args: unknown[]): Promise<NDArray | NDArray[]> => {
    const [inputs, opts] = splitArgs(name, sig.nin, args);
    const casting: Casting = normalizeCasting(opts.casting ?? 'same_kind');
    const outsGiven: (NDArray | null)[] = opts.out === undefined || opts.out === null ? Array(sig.nout).fill(null) : (opts.out instanceof NDArray ? [opts.out] : [...(opts.out as NDArray[])]);
    if (outsGiven.length !== sig.nout) throw new ShapeError('E_SHAPE_OUT', `gufunc '${name}' has ${sig.nout} output(s); out= gave ${outsGiven.length}`);
    const kinds = inputs.map(kindOf);
    const k = kernels.find((c) => kinds.every((x, j) => fits(x, c.operands[j]!)));
    if (!k) throw new DTypeError('E_DTYPE_NO_LOOP', `gpu gufunc '${name}' has no signature for inputs (${kinds.join(', ')}) under safe casting`);
    const temps: NDArray[] = [];
    const onDevice = inputs.some(isGpuArray) || outsGiven.some((o) => o !== null && isGpuArray(o));
    try {
      const now = inputsAsOfNow(inputs, temps);
      const ctx = currentGpu() ?? (await gpuDevice());
      const ins = gpuInputs(ctx, k, now, casting, `gufunc '${name}'`, temps);
      const cl = coreLayout(name, sig, [...ins.map((a) => a.ndim), ...outsGiven.map((o) => (o ? o.ndim : null))]);
      const sizes = bindCoreSizes(name, sig, cl, [...ins.map((a) => a.shape), ...outsGiven.map((o) => (o ? o.shape : null))]);
      const loopShape = broadcastShapes(...ins.map((a, j) => a.shape.slice(0, a.ndim - cl.coreNdim[j]!)));
      const outs = outsGiven.map((o, q) => {
        const j = sig.nin + q;
        const coreShape = sig.operands[j]!.filter((d) => !cl.missing[d]).map((d) => sizes[d]!);
        const want = [...loopShape, ...coreShape];
        if (o) {
          if (o.shape.length !== want.length || o.shape.some((d, i) => d !== want[i])) {
            throw new ShapeError('E_SHAPE_OUT', `gufunc '${name}': out[${q}] has shape ${formatShape(o.shape)}, expected ${formatShape(want)} (loop dims then core dims)`);
          }
          if (o.dtype !== k.operands[j]) throw new TargetError('E_GPU_DTYPE', `gufunc '${name}': out[${q}] must have dtype ${k.operands[j]} on the gpu target, got ${o.dtype}`);
          if (isGpuArray(o)) return o;
        }
        const t = gpuEmpty(ctx, want, k.operands[j]!);
        temps.push(t);
        return t;
      });
      // A kernel reads its inputs while writing its outputs: inputs sharing an output's buffer are copied.
      const safeIns = ins.map((a) => {
        if (!outs.some((o) => o.storage === a.storage)) return a;
        const c = gpuCopy(a);
        temps.push(c);
        return c;
      });
      const parts = [...safeIns, ...outs].map((a, j) => splitOperand(a, cl.coreNdim[j]!, sig.operands[j]!, cl.missing));
      // Bounds checks: a zeroed flag buffer per call, read back after the kernel (boundsFlag).
      const flag = k.bounds.length > 0 ? ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }) : undefined;
      try {
        runGpuKernel(ctx, k, parts.slice(0, sig.nin).map((p) => p.view), parts.slice(sig.nin).map((p) => p.view), loopShape, {
          sizes: sizes.map((s) => Math.max(s, 0)), strides: parts.map((p) => p.strides), ...(flag ? { flag } : {}),
        });
        await checkGpuErrors(ctx);
        const trap = flag === undefined ? null : await boundsFlag(ctx, flag);
        if (trap !== null) throw kernelBoundsError(name, k.bounds, trap);
      } finally {
        if (flag !== undefined) destroyAfterFlush(ctx, [flag]);
      }
      const results = await Promise.all(outs.map(async (o, q) => {
        const given = outsGiven[q] ?? null;
        const idx = temps.indexOf(o);
        if (idx >= 0) temps.splice(idx, 1);
        return onDevice ? o : deliver(o, given);
      }));
      return sig.nout === 1 ? results[0]! : results;
    } finally {
      for (const t of temps) t.dispose();
    }
  };
  const f = (...args: unknown[]) => call(...args);
  attributes(f, { name, nin: sig.nin, nout: sig.nout, types: () => kernels.map((k) => `${k.operands.slice(0, sig.nin).join(',')}->${k.operands.slice(sig.nin).join(',')}`), identity: identityValue(options.identity), signature: layout, kernels: () => kernels });
  return f;
}

export type { GpuStorage };
