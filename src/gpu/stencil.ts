/**
 * `nb.stencil(kernel, { target: 'gpu' })` calls: one compute shader per compiled stencil
 * (src/compiler/emit/wgsl/stencil.ts: kernel, signature, mode, cval and stride baked in),
 * one invocation per output point, dispatched on the pending command encoder like the
 * other gpu kernels (queue.ts: cached meta buffers and bind groups, one submit per task).
 *
 * Operands follow gpu vectorize (kernel-factories.ts): gpu array inputs (or a gpu `out`)
 * give a gpu result and nothing is read back; CPU inputs are uploaded (cast to the
 * signature's dtypes), the stencil runs, and the result is read back into a heap array (or
 * a CPU `out`). A gpu `out` of another dtype, or one sharing a buffer with an input (a
 * stencil reads neighbours, and WebGPU refuses a buffer bound both read and written), gets
 * the result through a temporary. Arrays split over several GPU buffers (bigger than
 * maxStorageBufferBindingSize) are TargetError `E_GPU_LIMIT`. A kernel that reads a
 * table constant binds its buffer (uploaded once, dispatch.ts's tableBuffers); a table read
 * at an index not proven in range is checked: the call reads the error flag back and
 * throws IndexError `E_KERNEL_BOUNDS`, as the cpu target does.
 */
import type { CompiledStencil } from '../compiler/stencil.js';
import { validateTarget } from '../compiler/index.js';
import { STENCIL_WG, stencilMetaLength, stencilShader } from '../compiler/emit/wgsl/stencil.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { TargetError } from '../util/errors.js';
import { gpuEmpty, gpuKernel, gpuOperand, inputsAsOfNow } from './call.js';
import { checkGpuErrors, currentGpu, gpuDevice, scoped, type GpuContext } from './device.js';
import { runGpuKernel, tableBuffers } from './dispatch.js';
import { boundsFlag } from './kernel-factories.js';
import { destroyAfterFlush } from './queue.js';
import { kernelBoundsError } from '../compiler/bounds.js';
import { bindGroup, metaBuffer, pendingEncoder } from './queue.js';
import { checkGpuDType, gpuStorageOf, isGpuArray } from './storage.js';
import { deliver } from './readback.js';

/** On the GPU (a plain boolean: not a type guard, which would narrow NDArray to never). */

const shaders = new WeakMap<CompiledStencil, string>();
const pipelines = new WeakMap<GpuContext, Map<string, GPUComputePipeline>>();

/**
 * The WGSL of a stencil compiled for the gpu (made once per compiled stencil).
 *
 * @example
 * ```ts
 * const code = gpuStencilSource(compileStencil(k, 'float32(float32)', { target: 'gpu' }));
 * ```
 */
export function gpuStencilSource(c: CompiledStencil): string {
  let code = shaders.get(c);
  if (code === undefined) {
    code = stencilShader(c);
    shaders.set(c, code);
  }
  return code;
}

/**
 * Check a compiled stencil against the gpu target when the stencil is made: its operand
 * dtypes (TargetError `E_GPU_DTYPE`), then its IR against the target (KernelError NB6001
 * now, not at a call).
 *
 * @example
 * ```ts
 * checkGpuStencil(compileStencil(k, 'float64(float64)', { target: 'gpu' }), 'blur'); // throws E_GPU_DTYPE
 * ```
 */
export function checkGpuStencil(c: CompiledStencil, name: string): void {
  c.operands.forEach((d) => checkGpuDType(d, `stencil '${name}' signature '${c.signature.text}'`));
  validateTarget(c.ir, 'gpu');
}

function pipelineFor(ctx: GpuContext, c: CompiledStencil): GPUComputePipeline {
  let cache = pipelines.get(ctx);
  if (!cache) pipelines.set(ctx, (cache = new Map()));
  const code = gpuStencilSource(c);
  let p = cache.get(code);
  if (p) return p;
  p = scoped(ctx, () => {
    const module = ctx.device.createShaderModule({ code, label: `stencil ${c.name}` });
    return ctx.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: `stencil ${c.name}` });
  });
  cache.set(code, p);
  return p;
}

/** Most points per dispatch (the shader unravels `base + i` in u32). */
const PIECE = 1 << 30;

/**
 * Queue the stencil over gpu inputs (of the signature's dtypes, shape `shape`) into the
 * gpu array `out` (shape `oshape`, the result dtype, no buffer shared with an input).
 *
 * @throws TargetError `E_GPU_LIMIT` for an operand split over several GPU buffers.
 * @example
 * ```ts
 * dispatchGpuStencil(ctx, c, [g], gout, g.shape, gout.shape);
 * ```
 */
export function dispatchGpuStencil(
  ctx: GpuContext, c: CompiledStencil, ins: readonly NDArray[], out: NDArray, shape: readonly number[], oshape: readonly number[], flag?: GPUBuffer,
): void {
  let total = 1;
  for (const m of oshape) total *= m;
  if (total === 0) return;
  const ops = [...ins, out];
  for (const a of ops) {
    const st = gpuStorageOf(a);
    if (st.buffers.length > 1) {
      throw new TargetError('E_GPU_LIMIT', `stencil '${c.name}': an operand is split over ${st.buffers.length} GPU buffers (bigger than maxStorageBufferBindingSize); gpu stencils need each array in one buffer`);
    }
  }
  const D = c.ndim;
  const pipeline = pipelineFor(ctx, c);
  const pass = pendingEncoder(ctx).beginComputePass();
  for (let start = 0; start < total; start += PIECE) {
    const n = Math.min(PIECE, total - start);
    const meta = new Int32Array(stencilMetaLength(c.nin, D));
    meta[0] = n;
    meta[1] = start;
    shape.forEach((e, d) => (meta[2 + d] = e));
    oshape.forEach((e, d) => (meta[2 + D + d] = e));
    ops.forEach((a, k) => {
      const rec = 2 + 2 * D + k * (1 + D);
      meta[rec] = a.offset;
      a.strides.forEach((s, d) => (meta[rec + 1 + d] = s));
    });
    const buffers = ops.map((a) => gpuStorageOf(a).buffers[0]!);
    buffers.push(metaBuffer(ctx, meta));
    if (flag !== undefined) buffers.push(flag);
    buffers.push(...tableBuffers(ctx, c.ir, c.key));
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(ctx, pipeline, buffers));
    const groups = Math.ceil(n / STENCIL_WG);
    const x = Math.min(groups, ctx.limits.maxComputeWorkgroupsPerDimension);
    pass.dispatchWorkgroups(x, Math.ceil(groups / x));
  }
  pass.end();
}

/**
 * One gpu stencil call (after the common checks of src/stencil/stencil.ts: shapes, the
 * chosen signature, `out`'s shape and casting). Resolves to a gpu array when an input or
 * `out` is one, else to a CPU array (or the CPU `out`).
 *
 * @throws TargetError `E_GPU_RESIDENT` for a CPU `out` with gpu inputs (as gpu ufuncs),
 *   `E_GPU_LIMIT`, and the device's errors (checkGpuErrors).
 * @example
 * ```ts
 * const r = await gpuStencilCall(c, [a], undefined, [4, 5]);
 * ```
 */
export async function gpuStencilCall(c: CompiledStencil, inputs: readonly NDArray[], out: NDArray | undefined, oshape: readonly number[]): Promise<NDArray> {
  const onDevice = inputs.some(isGpuArray) || (out !== undefined && isGpuArray(out));
  if (out !== undefined && onDevice && !isGpuArray(out)) {
    throw new TargetError('E_GPU_RESIDENT', `stencil '${c.name}': out= of a call on gpu arrays must be a gpu array (nb.toGpu(out) first, or read the result back with toCpu)`);
  }
  const temps: NDArray[] = [];
  let result: NDArray;
  try {
    const now = inputsAsOfNow(inputs, temps);
    const ctx = currentGpu() ?? (await gpuDevice());
    const ins = now.map((x, k) => {
      const [g, temp] = gpuOperand(ctx, x, c.operands[k]!, 'safe', `stencil '${c.name}' input ${k}`);
      if (temp) temps.push(g);
      return g;
    });
    const outDType = c.operands[c.nin]!;
    const gout = out !== undefined && isGpuArray(out) ? out : null;
    if (gout) gpuStorageOf(gout).check();
    const direct = gout !== null && gout.dtype === outDType && !ins.some((a) => a.storage === gout.storage);
    const target = direct ? gout : gpuEmpty(ctx, oshape, outDType);
    if (!direct) temps.push(target);
    // Table reads with bounds checks: a zeroed flag per call, read back after the kernel.
    const flag = c.bounds.length > 0 ? ctx.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }) : undefined;
    try {
      dispatchGpuStencil(ctx, c, ins, target, ins[0]!.shape, oshape, flag);
      const trap = flag === undefined ? null : await boundsFlag(ctx, flag);
      if (trap !== null) throw kernelBoundsError(c.name, c.bounds, trap);
    } finally {
      if (flag !== undefined) destroyAfterFlush(ctx, [flag]);
    }
    if (gout !== null && target !== gout) {
      const cast = gpuKernel('(x) => x', `${gout.dtype}(${outDType})`, 'cast');
      runGpuKernel(ctx, cast, [target], [gout], oshape);
    }
    await checkGpuErrors(ctx);
    result = gout ?? target;
    const i = temps.indexOf(result);
    if (i >= 0) temps.splice(i, 1);
  } finally {
    for (const t of temps) t.dispose();
  }
  if (onDevice) return result;
  return deliver(result, out ?? null);
}
