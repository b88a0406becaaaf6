/** Assertion helpers for the typed errors. */
import { KernelError } from '../../src/util/errors.js';

/** The KernelError `f` throws; any other throw is rethrown, and no throw fails the test. */
export function kernelErrorOf(f: () => unknown): KernelError {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelError) return e;
    throw e;
  }
  throw new Error('expected a KernelError');
}
