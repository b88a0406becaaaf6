/**
 * Platform seam: the WebGPU entry point (`GPU`) on Node, from the optional `webgpu` package
 * (Dawn for Node, ~130 MB), imported on first use only. The browser twin (gpu.browser.ts)
 * returns `navigator.gpu`.
 *
 * The object `create()` returns is kept in a module variable for the process's whole life:
 * Dawn crashes the process when it is collected while its device lives.
 */
import { TargetError } from '../util/errors.js';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** What create() returned: referenced for as long as the process may use the device. */
let gpuRoot: GPU | null = null;

async function loadDawn(): Promise<DawnModule> {
  let dawn: DawnModule;
  try {
    const name = 'webgpu';
    dawn = (await import(name)) as DawnModule;
  } catch (e) {
    throw new TargetError(
      'E_GPU_UNAVAILABLE',
      "the 'gpu' target needs the optional package 'webgpu' (Dawn for Node): run `npm install webgpu@0.6.2` " +
        `(it could not be loaded: ${(e as Error).message})`,
    );
  }
  // GPUBufferUsage, GPUMapMode, ... as globals, as in a browser.
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  return dawn;
}

/**
 * The WebGPU entry point (made once).
 *
 * @throws TargetError `E_GPU_UNAVAILABLE` when the `webgpu` package cannot be loaded.
 * @example
 * ```ts
 * const adapter = await (await webgpu()).requestAdapter();
 * ```
 */
export async function webgpu(): Promise<GPU> {
  if (gpuRoot !== null) return gpuRoot;
  const d = await loadDawn();
  // Dawn's Vulkan loader (lavapipe) wants a runtime directory.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = '/tmp';
  gpuRoot ??= d.create([]);
  return gpuRoot;
}
