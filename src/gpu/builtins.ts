/**
 * Built-in ufunc calls with gpu arrays (`nb.add(g1, g2)`, `nb.sin(g, { out: g })`): the
 * loop is resolved exactly as on the cpu (NumPy's rules, weak scalars, `dtype=`,
 * `signature=`, casting), then its kernel from builtin-kernels.ts runs on the GPU. The call
 * is synchronous and returns a gpu array: the work is queued, and the next call on the
 * result queues behind it. `where=` and multi-output ufuncs (divmod, modf, frexp) are not
 * on the GPU: TargetError `E_GPU_NO_KERNEL`.
 */
import { normalizeCasting, type Casting } from '../dtype/casting.js';
import type { DType } from '../dtype/dtypes.js';
import { fixedSignature, splitArgs } from '../ufunc/call.js';
import { resolveLoop, type DispatchTarget, type InputKind } from '../ufunc/dispatch.js';
import { setGpuUfuncHandler } from '../ufunc/gpu-hook.js';
import type { UfuncOptions } from '../ufunc/types.js';
import { TargetError } from '../util/errors.js';
import { builtinGpuSource } from './builtin-kernels.js';
import { gpuElementwise, gpuKernel, isGpuArray } from './call.js';
import { deviceOf, GPU_DTYPES, type GpuStorage } from './storage.js';
import { NDArray } from '../ndarray/ndarray.js';
import { asarray } from '../ndarray/creation.js';

function kindOf(x: unknown): InputKind {
  if (typeof x === 'number') return Number.isInteger(x) ? 'weak-int' : 'weak-float';
  if (typeof x === 'bigint') return 'weak-int';
  if (x instanceof NDArray) return x.dtype;
  return asarray(x as never).dtype;
}

function callOnGpu(t: DispatchTarget & { nout: number }, args: readonly unknown[]): NDArray {
  const [inputs, opts] = splitArgs<UfuncOptions>(t.name, t.nin, args);
  if (t.nout !== 1) throw new TargetError('E_GPU_NO_KERNEL', `ufunc '${t.name}' has ${t.nout} outputs: it does not run on the gpu target yet; read the arrays back with nb.toCpu first`);
  if (opts.where !== undefined && opts.where !== true) {
    throw new TargetError('E_GPU_NO_KERNEL', `where= is not supported for gpu arrays (ufunc '${t.name}'); compute on the GPU and select with a kernel, or read back with nb.toCpu`);
  }
  const casting: Casting = normalizeCasting(opts.casting ?? 'same_kind');
  const out = (Array.isArray(opts.out) ? opts.out[0] : opts.out) ?? null;
  const gpuArrays = [...inputs, out].filter(isGpuArray);
  const ctx = deviceOf(gpuArrays.map((a) => a.storage as unknown as GpuStorage));
  if (ctx === null) throw new TargetError('E_GPU_DEVICE_LOST', 'the GPU device of these arrays is gone');
  const allScalars = inputs.every((x) => typeof x === 'number' || typeof x === 'bigint');
  const kinds = inputs.map((x) => (allScalars ? asarray(x as never).dtype : kindOf(x)));
  const loop = resolveLoop(t, kinds, fixedSignature(t.nin, 1, opts), casting);
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
  return gpuElementwise(ctx, k, inputs, out as NDArray | null, casting, t.name);
}

let installed = false;

/** Route ufunc calls with gpu arrays here (called when the first gpu array is made). */
export function installGpuBuiltins(): void {
  if (installed) return;
  installed = true;
  setGpuUfuncHandler(callOnGpu);
}
