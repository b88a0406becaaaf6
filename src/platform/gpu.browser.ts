/**
 * Platform seam, browser side of gpu.node.ts: the browser's own WebGPU, `navigator.gpu`.
 */
import { TargetError } from '../util/errors.js';

/**
 * `navigator.gpu`.
 *
 * @throws TargetError `E_GPU_UNAVAILABLE` when this browser (or page: WebGPU needs a secure
 *   context, https or localhost) has no WebGPU.
 */
export async function webgpu(): Promise<GPU> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu === undefined) {
    throw new TargetError(
      'E_GPU_UNAVAILABLE',
      "the 'gpu' target needs WebGPU (navigator.gpu), which this browser or page does not offer: use a browser with " +
        "WebGPU on an https:// or localhost page, or target 'cpu' / 'parallel'",
    );
  }
  return gpu;
}
