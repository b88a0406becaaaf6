/**
 * The 'gpu' target (DESIGN.md decisions 8 and 9): WebGPU through Dawn (`webgpu`, an
 * optional peer dependency loaded on first use).
 *
 * - Arrays move with `await nb.toGpu(a)` / `await nb.toCpu(g)` (or `a.toGpu()`,
 *   `g.toCpu()`); a gpu array has `storageKind === 'gpu'` and stays on the device between
 *   calls. Reading its elements from JS (`get`, `toArray`, ...) is a TargetError
 *   `E_GPU_RESIDENT` that says to read it back first.
 * - Built-in ufuncs take gpu arrays (synchronous; the result is a gpu array).
 * - `vectorize`/`guvectorize` with `{ target: 'gpu' }` compile the kernel to WGSL; calls
 *   return Promises.
 * - dtypes: float32, int32, uint32, bool (TargetError `E_GPU_DTYPE` for others).
 */
export { toGpu, emptyPinned } from './upload.js';
export { toCpu, type ToCpuOptions } from './readback.js';
export { gpuInfo, gpuAvailable, gpuShutdown } from './device.js';
import './register.js';
