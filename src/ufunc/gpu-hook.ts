/**
 * The seam between the ufunc call protocol and the gpu target: when a ufunc is called with
 * an array in `gpu` storage (an input or `out`), the call goes to the handler the gpu
 * module registers when it makes its first gpu array. The ufunc code never imports the gpu
 * code, so programs that never use the GPU never load it (or the optional `webgpu`).
 */
import type { DispatchTarget } from './dispatch.js';

export type GpuUfuncHandler = (t: DispatchTarget & { nout: number }, args: readonly unknown[]) => unknown;

let handler: GpuUfuncHandler | null = null;

/** Register the gpu module's ufunc handler (src/gpu/builtins.ts). */
export function setGpuUfuncHandler(h: GpuUfuncHandler): void {
  handler = h;
}

/** True when any argument (or the `out` option) is an array in gpu storage. */
export function hasGpuOperand(args: readonly unknown[]): boolean {
  if (handler === null) return false;
  for (const a of args) {
    if (a === null || typeof a !== 'object') continue;
    const s = (a as { storage?: { kind?: string } }).storage;
    if (s?.kind === 'gpu') return true;
    const out = (a as { out?: unknown }).out;
    if (out !== undefined && out !== null) {
      const list = Array.isArray(out) ? out : [out];
      if (list.some((o) => (o as { storage?: { kind?: string } } | null)?.storage?.kind === 'gpu')) return true;
    }
  }
  return false;
}

/** Run a ufunc call on the GPU (only after {@link hasGpuOperand}). */
export function gpuUfuncCall(t: DispatchTarget & { nout: number }, args: readonly unknown[]): unknown {
  return handler!(t, args);
}
