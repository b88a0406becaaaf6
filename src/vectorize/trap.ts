/**
 * Wasm traps of compiled kernels on the cpu target, as typed errors (issue 19 item 8): a
 * kernel that indexes outside its arrays (`o[1e9] = ...` in a gufunc) makes the Wasm engine
 * trap with a bare `WebAssembly.RuntimeError`; the call paths see a `TargetError` with code
 * `E_TARGET_KERNEL_TRAP` instead, as on the parallel target (src/parallel/run.ts), saying
 * that the outputs are incomplete and how to find the fault.
 *
 * A failed bounds check (`boundscheck`, the default) traps too, after recording its site in
 * the module's globals: {@link withBoundsTraps} turns that trap into a BoundsTrap on the
 * thread that ran it (parallel workers report it in their trap message, src/parallel/pool.ts),
 * and {@link boundsErrors} turns a BoundsTrap into the kernel's IndexError `E_KERNEL_BOUNDS`.
 * A failed scratch allocation (a negative length, or more than the kernel's arena holds,
 * src/vectorize/arena.ts) is reported the same way, as a ScratchTrap, and becomes
 * `E_KERNEL_SCRATCH_LENGTH` / `E_KERNEL_SCRATCH`.
 */
import { BoundsTrap, kernelBoundsError, kernelScratchError, readBoundsTrap, readScratchTrap, ScratchTrap } from '../compiler/bounds.js';
import type { BoundsSite, ScratchSite } from '../compiler/ir/nodes.js';
import { TargetError } from '../util/errors.js';

/** `e` as the typed error of a kernel trap when it is one; otherwise `e` itself. */
export function kernelTrap(e: unknown, factory: string, name: string): unknown {
  if (!(e instanceof WebAssembly.RuntimeError)) return e;
  return new TargetError(
    'E_TARGET_KERNEL_TRAP',
    `the ${factory} kernel '${name}' trapped on the cpu target (${e.message}); the call's outputs are incomplete ` +
      '(elements before the trap are written, the others are not). The usual cause is an index outside an array ' +
      'in a kernel compiled with boundscheck: false: compile it with the checks (the default) to get the line, ' +
      'or check every index against the lengths of the core dimensions (x.length)',
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

/**
 * `run` (an entry of the instance whose exports are `exports`) with a failed bounds check
 * thrown as a {@link BoundsTrap} instead of the bare RuntimeError (other traps unchanged).
 *
 * @example
 * ```ts
 * const gu0 = withBoundsTraps(exports.g0_loop as GufuncRun, exports);
 * ```
 */
export function withBoundsTraps<A extends unknown[]>(run: (...args: A) => void, exports: object): (...args: A) => void {
  return (...args: A): void => {
    try {
      run(...args);
    } catch (e) {
      throw (e instanceof WebAssembly.RuntimeError ? readBoundsTrap(exports) ?? readScratchTrap(exports) : null) ?? e;
    }
  };
}

/**
 * `run` with a {@link BoundsTrap} of kernel `k` thrown as its IndexError `E_KERNEL_BOUNDS`
 * (the site's line, column and code frame), and a ScratchTrap as its scratch error; `run`'s
 * result is passed on (nb.jit's JS tier returns the function's value).
 *
 * @example
 * ```ts
 * const gu = boundsErrors(target.wrapGufunc(...), k);
 * ```
 */
export function boundsErrors<A extends unknown[], R>(
  run: (...args: A) => R,
  k: { readonly name: string; readonly bounds: readonly BoundsSite[]; readonly scratch?: readonly ScratchSite[] },
  arenaBytes = 0,
): (...args: A) => R {
  return (...args: A): R => {
    try {
      return run(...args);
    } catch (e) {
      if (e instanceof ScratchTrap) throw kernelScratchError(k.name, k.scratch ?? [], e, arenaBytes);
      throw e instanceof BoundsTrap ? kernelBoundsError(k.name, k.bounds, e) : e;
    }
  };
}
