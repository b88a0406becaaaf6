/**
 * Built-in ufunc calls with gpu arrays (`nb.add(g1, g2)`, `nb.sin(g, { out: g })`): the
 * loop is resolved exactly as on the cpu (NumPy's rules, weak scalars, `dtype=`,
 * `signature=`, casting), then its kernel from builtin-kernels.ts runs on the GPU. The call
 * is synchronous and returns a gpu array: the work is queued, and the next call on the
 * result queues behind it. `where=` and multi-output ufuncs (divmod, modf, frexp) are not
 * on the GPU: TargetError `E_GPU_NO_KERNEL`.
 */
import type { DType } from '../dtype/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { resolveCall } from '../ufunc/call.js';
import type { UfuncDispatch } from '../ufunc/dispatch.js';
import { TargetError } from '../util/errors.js';
import { builtinGpuSource } from './builtin-kernels.js';
import { gpuElementwise, gpuKernel } from './call.js';
import { deviceOf, GPU_DTYPES, isGpuArray } from './storage.js';

/**
 * A ufunc call with a gpu operand (the gpu target's `callUfunc`): the loop is chosen by the
 * host protocol's own front half (resolveCall), then run by its gpu kernel.
 *
 * @example
 * ```ts
 * const r = callOnGpu(addDispatch, [g, 1]);
 * ```
 */
export function callOnGpu(t: UfuncDispatch & { nout: number }, args: readonly unknown[]): NDArray {
  const { opts, casting, classified, outs, loop } = resolveCall(t, args);
  if (t.nout !== 1) throw new TargetError('E_GPU_NO_KERNEL', `ufunc '${t.name}' has ${t.nout} outputs: it does not run on the gpu target yet; read the arrays back with nb.toCpu first`);
  if (opts.where !== undefined && opts.where !== true) {
    throw new TargetError('E_GPU_NO_KERNEL', `where= is not supported for gpu arrays (ufunc '${t.name}'); compute on the GPU and select with a kernel, or read back with nb.toCpu`);
  }
  const out = outs[0] ?? null;
  const inputs = classified.map((c) => c.array ?? c.scalar!);
  const ctx = deviceOf([...inputs, out].filter(isGpuArray).map((a) => a.storage));
  if (ctx === null) throw new TargetError('E_GPU_DEVICE_LOST', 'the GPU device of these arrays is gone');
  const dts: DType[] = [...loop.ins, ...loop.outs];
  const bad = dts.find((d) => !GPU_DTYPES.has(d));
  if (bad !== undefined) {
    throw new TargetError(
      'E_GPU_DTYPE',
      `ufunc '${t.name}' resolves to the loop ${loop.types} for these inputs, and ${bad} is not a gpu dtype (float32, int32, uint32, bool); ` +
        `cast the inputs first (g.astype('float32') casts on the GPU), or pass dtype: 'float32'`,
    );
  }
  const source = builtinGpuSource(t.name, loop.ins[0]!);
  if (source === null) {
    throw new TargetError('E_GPU_NO_KERNEL', `ufunc '${t.name}' has no gpu kernel for the loop ${loop.types}; read the arrays back with nb.toCpu, or write it with nb.vectorize(..., { target: 'gpu' })`);
  }
  const k = gpuKernel(source, `${loop.outs[0]}(${loop.ins.join(', ')})`, t.name);
  return gpuElementwise(ctx, k, inputs, out, casting, t.name);
}
