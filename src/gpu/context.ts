/**
 * The GPU context type, apart from device.ts (which opens it) so that the command queue
 * (queue.ts) can name it without importing the device code that calls the queue.
 */
import type { GpuDeviceType, GpuErrorType } from '../util/platform-types.js';

/** The device and what numbats knows about it. */
export interface GpuContext {
  readonly device: GpuDeviceType;
  readonly adapterInfo: { vendor: string; architecture: string; device: string; description: string };
  readonly limits: {
    readonly maxStorageBufferBindingSize: number;
    readonly maxBufferSize: number;
    readonly maxComputeWorkgroupsPerDimension: number;
    readonly maxStorageBuffersPerShaderStage: number;
    readonly minStorageBufferOffsetAlignment: number;
  };
  readonly features: ReadonlySet<string>;
  /** Increments with every new device: arrays remember the generation they live in. */
  readonly generation: number;
  /** Set when the device is lost (with the reason). */
  lost: string | null;
  /** Error scopes of pipeline creations not yet checked ({@link checkGpuErrors}). */
  readonly errors: Promise<GpuErrorType | null>[];
  /** Errors the device reported outside scopes (the `uncapturederror` event), not yet thrown. */
  readonly errorLog: { message: string; oom: boolean }[];
}
