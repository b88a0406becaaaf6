/**
 * The one WebGPU device of the process (DESIGN.md decision 8).
 *
 * - The WebGPU entry point comes from the platform seam (platform/gpu.node.ts: the optional
 *   `webgpu` package, Dawn for Node, loaded on first use; gpu.browser.ts: `navigator.gpu`);
 *   its absence is a TargetError `E_GPU_UNAVAILABLE` that says how to get it.
 * - The device is asked for the adapter's maximum limits (bigger bindings, more storage
 *   buffers per stage) and for `shader-f16` / `timestamp-query` when the adapter has them.
 * - A lost device (driver reset, `destroy()`, a test's `loseDevice`) is noticed through
 *   `device.lost`; the next {@link gpuDevice} call makes a new device. Arrays that lived on
 *   the lost device are gone: using them is a TargetError `E_GPU_DEVICE_LOST`.
 * - No adapter (no GPU and no software Vulkan driver such as lavapipe) is a TargetError
 *   `E_GPU_UNAVAILABLE` with the fixes.
 */
import { webgpu } from '../platform/gpu.node.js';
import { TargetError } from '../util/errors.js';
import type { GpuContext } from './context.js';
import { flushGpu } from './queue.js';

export type { GpuContext } from './context.js';

let current: GpuContext | null = null;
let pending: Promise<GpuContext> | null = null;
let generation = 0;

/** Test hook: pretend no adapter exists (to test the error path on machines with one). */
let forceNoAdapter = false;

const NO_ADAPTER =
  'no WebGPU adapter was found. On a machine with a GPU, install its Vulkan driver (NVIDIA: the driver ' +
  'with its Vulkan ICD, plus libvulkan1); without a GPU, install Mesa\'s lavapipe (bash scripts/install-lavapipe.sh, ' +
  'Mesa >= 23) and set XDG_RUNTIME_DIR; or use target \'cpu\' / \'parallel\'';

async function open(): Promise<GpuContext> {
  const gpu = await webgpu();
  const adapter = forceNoAdapter ? null : await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new TargetError('E_GPU_UNAVAILABLE', NO_ADAPTER);
  const wanted = ['shader-f16', 'timestamp-query'].filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const al = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
    maxBufferSize: al.maxBufferSize,
    maxStorageBuffersPerShaderStage: al.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupsPerDimension: al.maxComputeWorkgroupsPerDimension,
    maxComputeInvocationsPerWorkgroup: al.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: al.maxComputeWorkgroupSizeX,
  };
  const device = await adapter.requestDevice({ requiredFeatures: wanted, requiredLimits });
  const info = adapter.info;
  const ctx: GpuContext = {
    device,
    adapterInfo: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description },
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      minStorageBufferOffsetAlignment: device.limits.minStorageBufferOffsetAlignment,
    },
    features: new Set([...device.features]),
    generation: ++generation,
    lost: null,
    errors: [],
    errorLog: [],
  };
  // Every call's own error scope would cost a promise per call; queued work reports
  // through this event instead, and the next await of a gpu call throws it.
  device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    ctx.errorLog.push({ message: err.message, oom: typeof GPUOutOfMemoryError !== 'undefined' && err instanceof GPUOutOfMemoryError });
  });
  void device.lost.then((l) => {
    ctx.lost = l.message || l.reason || 'device lost';
    if (current === ctx) current = null;
  });
  return ctx;
}

/**
 * The process's GPU device, made on first use (and again after a lost device).
 *
 * @throws TargetError `E_GPU_UNAVAILABLE` when `webgpu` is not installed or no adapter exists.
 * @example
 * ```ts
 * const { device, adapterInfo } = await gpuDevice();
 * ```
 */
export async function gpuDevice(): Promise<GpuContext> {
  if (current && current.lost === null) return current;
  current = null;
  pending ??= open().then(
    (c) => { current = c; pending = null; return c; },
    (e) => { pending = null; throw e; },
  );
  return pending;
}

/**
 * Run `f` inside validation and out-of-memory error scopes (pipeline creation: once per
 * kernel and layout class); the scopes' results are kept on the context and reported by
 * {@link checkGpuErrors} (WebGPU reports errors asynchronously, so a synchronous call's
 * mistake surfaces at the next await).
 *
 * @example
 * ```ts
 * scoped(ctx, () => ctx.device.createComputePipeline(desc));
 * ```
 */
export function scoped<R>(ctx: GpuContext, f: () => R): R {
  ctx.device.pushErrorScope('out-of-memory');
  ctx.device.pushErrorScope('validation');
  try {
    return f();
  } finally {
    ctx.errors.push(ctx.device.popErrorScope(), ctx.device.popErrorScope());
    if (ctx.errors.length > 256) {
      // Keep the list short: fold settled scopes into one pending check.
      const all = ctx.errors.splice(0);
      ctx.errors.push(Promise.all(all).then((es) => es.find((e) => e !== null) ?? null));
    }
  }
}

/**
 * Throw the first error that queued GPU work reported (TargetError `E_GPU_VALIDATION`,
 * `E_GPU_OUT_OF_MEMORY`, or `E_GPU_DEVICE_LOST`).
 *
 * @example
 * ```ts
 * await checkGpuErrors(ctx);
 * ```
 */
export async function checkGpuErrors(ctx: GpuContext): Promise<void> {
  const pending = ctx.errors.splice(0);
  const results = await Promise.all(pending.map((p) => p.catch((e: Error) => ({ message: e.message }) as GPUError)));
  if (ctx.lost !== null) throw new TargetError('E_GPU_DEVICE_LOST', `the GPU device was lost (${ctx.lost}); the next call opens a new one`);
  const err = results.find((e) => e !== null);
  const logged = ctx.errorLog.splice(0);
  const oom = err ? typeof GPUOutOfMemoryError !== 'undefined' && err instanceof GPUOutOfMemoryError : logged[0]?.oom ?? false;
  const message = err?.message ?? logged[0]?.message;
  if (message === undefined) return;
  throw new TargetError(oom ? 'E_GPU_OUT_OF_MEMORY' : 'E_GPU_VALIDATION', `the GPU rejected queued work: ${message}`);
}

/** The device if one is open and not lost (synchronous callers: built-ins on gpu arrays). */
export function currentGpu(): GpuContext | null {
  return current && current.lost === null ? current : null;
}

/**
 * Whether a WebGPU adapter can be opened here (never throws).
 *
 * @example
 * ```ts
 * if (await nb.gpuAvailable()) { ... }
 * ```
 */
export async function gpuAvailable(): Promise<boolean> {
  try {
    await gpuDevice();
    return true;
  } catch {
    return false;
  }
}

/**
 * Describe the GPU numbats uses: adapter, limits and features.
 *
 * @throws TargetError `E_GPU_UNAVAILABLE` as {@link gpuDevice}.
 * @example
 * ```ts
 * const info = await nb.gpuInfo();
 * console.log(info.adapter.description, info.limits.maxStorageBufferBindingSize);
 * ```
 */
export async function gpuInfo(): Promise<{ adapter: GpuContext['adapterInfo']; limits: GpuContext['limits']; features: string[] }> {
  const c = await gpuDevice();
  return { adapter: c.adapterInfo, limits: c.limits, features: [...c.features] };
}

/**
 * Destroy the device (its arrays are freed). The next GPU call opens a new one.
 *
 * @example
 * ```ts
 * await nb.gpuShutdown();
 * ```
 */
export async function gpuShutdown(): Promise<void> {
  const c = current ?? (pending ? await pending.catch(() => null) : null);
  current = null;
  if (c) {
    flushGpu(c);
    await c.device.queue.onSubmittedWorkDone();
    c.lost = 'the device was shut down (nb.gpuShutdown)';
    c.device.destroy();
  }
}

/** @internal Test hooks: lose the device as a driver reset would; hide the adapter. */
export const gpuTestHooks = {
  async loseDevice(): Promise<void> {
    const c = await gpuDevice();
    c.device.destroy();
    // device.lost resolves asynchronously; mark it now so the next call sees it.
    c.lost = 'device lost (test hook)';
    if (current === c) current = null;
  },
  setNoAdapter(v: boolean): void {
    forceNoAdapter = v;
    if (v) current = null;
  },
};
