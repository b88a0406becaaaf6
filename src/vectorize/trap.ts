/**
 * Wasm traps of compiled kernels on the cpu target, as typed errors (issue 19 item 8): a
 * kernel that indexes outside its arrays (`o[1e9] = ...` in a gufunc) makes the Wasm engine
 * trap with a bare `WebAssembly.RuntimeError`; the call paths see a `TargetError` with code
 * `E_TARGET_KERNEL_TRAP` instead, as on the parallel target (src/parallel/run.ts), saying
 * that the outputs are incomplete and how to find the fault.
 */
import { TargetError } from '../util/errors.js';

/** `e` as the typed error of a kernel trap when it is one; otherwise `e` itself. */
export function kernelTrap(e: unknown, factory: string, name: string): unknown {
  if (!(e instanceof WebAssembly.RuntimeError)) return e;
  return new TargetError(
    'E_TARGET_KERNEL_TRAP',
    `the ${factory} kernel '${name}' trapped on the cpu target (${e.message}); the call's outputs are incomplete ` +
      '(elements before the trap are written, the others are not). The usual cause is an index outside an array: ' +
      'check every index against the lengths of the core dimensions (x.length), or call the kernel function ' +
      'itself as plain JS on a small input to find the line',
  );
}

/**
 * `fn` with its traps turned into {@link kernelTrap} errors.
 *
 * @example
 * ```ts
 * const run = catchTraps(exports.g0_loop as GufuncRun, 'guvectorize', 'f');
 * ```
 */
export function catchTraps<A extends unknown[]>(fn: (...args: A) => void, factory: string, name: string): (...args: A) => void {
  return (...args: A): void => {
    try {
      fn(...args);
    } catch (e) {
      throw kernelTrap(e, factory, name);
    }
  };
}
