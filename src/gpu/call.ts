/**
 * Calling compiled kernels on the GPU with NumPy's call protocol, for the 'gpu' target of
 * vectorize/guvectorize and for the built-in ufuncs on gpu arrays.
 *
 * Operands: gpu arrays are used where they are; CPU arrays (and JS scalars, as 0-d arrays
 * broadcast with stride 0) are uploaded for the call. Inputs of another dtype than the
 * kernel's are cast on the GPU (a compiled identity kernel, NumPy's unsafe cast
 * semantics, after the casting rule was checked). Outputs: `out` must be a gpu array of
 * the broadcast shape (ShapeError otherwise); an `out` of another dtype gets the result
 * through a cast; without `out` a new gpu array is made. Results stay on the GPU.
 */
import { broadcastShapes } from '../broadcast/broadcast-shapes.js';
import { cStrides, formatShape } from '../ndarray/layout.js';
import { compileKernel, validateTarget, type CompiledKernel } from '../compiler/index.js';
import { assertCanCast, type Casting } from '../dtype/casting.js';
import type { DType } from '../dtype/dtypes.js';
import { asarray, full } from '../ndarray/creation.js';
import { NDArray } from '../ndarray/ndarray.js';
import { ShapeError, TargetError } from '../util/errors.js';
import { currentGpu, type GpuContext } from './device.js';
import { runGpuKernel } from './dispatch.js';
import { allocateGpu, checkGpuDType, gpuStorageOf, isGpuArray } from './storage.js';
import { uploadSync } from './upload.js';

/** A new gpu array of `shape` and `dtype`. */
export function gpuEmpty(ctx: GpuContext, shape: readonly number[], dtype: DType): NDArray {
  let n = 1;
  for (const d of shape) n *= d;
  return new NDArray(allocateGpu(ctx, dtype, n), shape, cStrides(shape), 0);
}

/**
 * A gpu call's inputs as they are now, for a call that may await the device before it
 * uploads them. With the device open (`currentGpu()`) the call awaits nothing before its
 * uploads, so they are returned as they are; before the first gpu use the device's opening
 * is awaited, so host arrays among them are copied now (into `snapshots`, for the caller
 * to dispose): the call uploads what they held when it was made, whatever is done to them
 * meanwhile (changed, disposed). Call it before the first await.
 *
 * @example
 * ```ts
 * const now = inputsAsOfNow(inputs, snaps);
 * const ctx = currentGpu() ?? (await gpuDevice()); // no await when the device is open
 * ```
 */
export function inputsAsOfNow<T>(inputs: readonly T[], snapshots: NDArray[]): T[] {
  if (currentGpu() !== null) return [...inputs];
  return inputs.map((x) => {
    if (!(x instanceof NDArray) || isGpuArray(x)) return x;
    const c = x.copy();
    snapshots.push(c);
    return c as T;
  });
}

/** Compiled kernels by source and signature (the built-in table and casts reuse them). */
const compiled = new Map<string, CompiledKernel>();

/**
 * Compile (once) a kernel-language source for a signature, for the gpu target.
 *
 * @example
 * ```ts
 * const k = gpuKernel('(a, b) => a + b', 'float32(float32, float32)');
 * ```
 */
export function gpuKernel(source: string, signature: string, name = 'kernel'): CompiledKernel {
  const key = `${name}\0${signature}\0${source}`;
  let k = compiled.get(key);
  if (!k) {
    k = compileKernel(source, signature, { kind: 'scalar', name, target: 'gpu' });
    validateTarget(k.ir, 'gpu');
    compiled.set(key, k);
  }
  return k;
}

/** `a` cast to `dtype` on the GPU (unsafe cast semantics; a new contiguous gpu array). */
export function gpuCast(ctx: GpuContext, a: NDArray, dtype: DType): NDArray {
  checkGpuDType(dtype, 'gpu cast');
  const k = gpuKernel('(x) => x', `${dtype}(${a.dtype})`, 'cast');
  const out = gpuEmpty(ctx, a.shape, dtype);
  runGpuKernel(ctx, k, [a], [out], a.shape);
  return out;
}

/**
 * A contiguous copy of a gpu array (or view), on the GPU.
 *
 * @example
 * ```ts
 * const c = gpuCopy(g.T);
 * ```
 */
export function gpuCopy(a: NDArray): NDArray {
  const ctx = gpuStorageOf(a).ctx;
  return gpuCast(ctx, a, a.dtype);
}

/** Bring one input to the GPU with dtype `want` (uploading, casting). Returns [array, temporary?]. */
export function gpuOperand(ctx: GpuContext, x: unknown, want: DType, casting: Casting, what: string): [NDArray, boolean] {
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') {
    const host = full([], want === 'bool' ? Boolean(x) : typeof x === 'bigint' ? Number(x) : (x as number), want);
    try {
      return [uploadSync(ctx, host), true];
    } finally {
      host.dispose();
    }
  }
  let a = x instanceof NDArray ? x : asarray(x as never);
  if (a.dtype !== want) assertCanCast(a.dtype, want, casting, what);
  let temp = false;
  if (!isGpuArray(a)) {
    if (a.dtype !== want) {
      const c = a.astype(want);
      a = uploadSync(ctx, c);
      c.dispose();
    } else a = uploadSync(ctx, a);
    return [a, true];
  }
  gpuStorageOf(a).check();
  if (gpuStorageOf(a).ctx !== ctx) throw new TargetError('E_GPU_DEVICE_LOST', `${what} lives on a GPU device that was lost; upload it again`);
  if (a.dtype !== want) {
    a = gpuCast(ctx, a, want);
    temp = true;
  }
  return [a, temp];
}

/**
 * The inputs of kernel `k` as gpu arrays of its operand dtypes; the uploads and casts made
 * here are pushed on `temps` for the caller to free.
 *
 * @example
 * ```ts
 * const ins = gpuInputs(ctx, k, [a, 2], 'same_kind', "ufunc 'f'", temps);
 * ```
 */
export function gpuInputs(
  ctx: GpuContext, k: CompiledKernel, inputs: readonly unknown[], casting: Casting, what: string, temps: NDArray[],
): NDArray[] {
  return inputs.map((x, j) => {
    const [a, temp] = gpuOperand(ctx, x, k.operands[j]!, casting, `${what} input ${j}`);
    if (temp) temps.push(a);
    return a;
  });
}

/**
 * Run a scalar kernel elementwise with broadcasting into `out` (a gpu array) or a new one.
 * `flag`: the call's zeroed error-flag buffer, for a kernel with bounds checks.
 *
 * @example
 * ```ts
 * const r = gpuElementwise(ctx, k, [ga, 2], null, 'same_kind', 'add');
 * ```
 */
export function gpuElementwise(
  ctx: GpuContext, k: CompiledKernel, inputs: readonly unknown[], out: NDArray | null, casting: Casting, name: string, flag?: GPUBuffer,
): NDArray {
  const temps: NDArray[] = [];
  try {
    const ins = gpuInputs(ctx, k, inputs, casting, `ufunc '${name}'`, temps);
    const outDtype = k.operands[k.nin]!;
    // out may drive broadcasting (NumPy); one that the inputs cannot broadcast to is E_SHAPE_OUT below.
    const inShape = broadcastShapes(...ins.map((a) => a.shape));
    let shape = inShape;
    if (out) {
      try { shape = broadcastShapes(inShape, out.shape); } catch { shape = inShape; }
    }
    if (out) {
      if (!isGpuArray(out)) throw new TargetError('E_GPU_RESIDENT', `out= of a gpu call must be a gpu array (nb.toGpu(out) first, or read the result back with toCpu)`);
      if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError('E_SHAPE_OUT', `non-broadcastable output operand with shape ${formatShape(out.shape)} doesn't match the broadcast shape ${formatShape(shape)}`);
      }
      if (!out.writeable) throw new TargetError('E_GPU_LIMIT', 'out= is a read-only view');
      assertCanCast(outDtype, out.dtype, casting, `ufunc '${name}' output 0`);
      gpuStorageOf(out).check();
    }
    const target = out && out.dtype === outDtype ? out : gpuEmpty(ctx, shape, outDtype);
    // An input that shares the output's buffer with another layout is read from a copy.
    // WebGPU refuses one buffer bound twice when a binding is writable (even an exact
    // in-place `nb.add(g, 1, { out: g })`), so every input sharing it is read from a copy.
    const safeIns = ins.map((a) => {
      if (a.storage !== target.storage) return a;
      const c = gpuCopy(a);
      temps.push(c);
      return c;
    });
    // A kernel with bounds checks (a table read) binds the call's error flag.
    runGpuKernel(ctx, k, safeIns, [target], shape, flag ? { sizes: [], strides: [], flag } : undefined);
    if (out && target !== out) {
      const castK = gpuKernel('(x) => x', `${out.dtype}(${target.dtype})`, 'cast');
      runGpuKernel(ctx, castK, [target], [out], shape);
      temps.push(target);
      return out;
    }
    return target;
  } finally {
    for (const t of temps) t.dispose();
  }
}
