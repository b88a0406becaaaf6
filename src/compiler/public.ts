/**
 * The kernel compiler's public catalogue: every diagnostic code a kernel can raise.
 */
import { DIAGNOSTICS } from './frontend/diagnostics.js';

/**
 * Every `KernelError` code with its message template (the catalogue of errors for kernels).
 *
 * @example
 * ```ts
 * Object.keys(nb.KERNEL_DIAGNOSTICS).length; // the number of kernel diagnostics
 * ```
 */
export const KERNEL_DIAGNOSTICS = DIAGNOSTICS;
