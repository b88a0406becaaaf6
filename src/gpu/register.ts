/**
 * The gpu target registers itself into the layers below it when src/gpu loads (nothing
 * there imports src/gpu): the 'gpu' device in the ndarray layer's device registry (moves,
 * casts and the repr of gpu arrays), the ufunc target that runs calls with gpu operands,
 * and the kernel-factory target (vectorize, guvectorize and stencil compiled to WGSL).
 * Loading this costs no GPU: the `webgpu` package is opened on the first gpu operation.
 */
import type { DType } from '../dtype/dtypes.js';
import { devices, type NDArray } from '../ndarray/ndarray.js';
import { registerUfuncTarget } from '../ufunc/targets.js';
import { registerKernelTarget } from '../vectorize/kernel-targets.js';
import { callOnGpu } from './builtins.js';
import { gpuCast } from './call.js';
import { gpuGuvectorize, gpuVectorize } from './kernel-factories.js';
import { toCpu } from './readback.js';
import { checkGpuStencil, gpuStencilCall } from './stencil.js';
import { checkGpuDType, gpuStorageOf } from './storage.js';
import { toGpu } from './upload.js';

function repr(a: NDArray): string {
  gpuStorageOf(a).check();
  return `array(<on the GPU: read with await a.toCpu()>, shape=(${a.shape.join(', ')}${a.ndim === 1 ? ',' : ''}), dtype=${a.dtype})`;
}

function astype(a: NDArray, to: DType): NDArray {
  const s = gpuStorageOf(a);
  s.check();
  checkGpuDType(to, 'astype of a gpu array');
  return gpuCast(s.ctx, a, to);
}

devices.register({ name: 'gpu', toDevice: toGpu, toHost: toCpu, astype, repr });
registerUfuncTarget({ name: 'gpu', device: 'gpu', callUfunc: callOnGpu });
registerKernelTarget({
  name: 'gpu',
  compiler: 'gpu',
  vectorize: gpuVectorize,
  guvectorize: gpuGuvectorize,
  stencil: { check: checkGpuStencil, checkDType: checkGpuDType, call: gpuStencilCall },
});
