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

/** What `f` throws, whatever its class (its code, position and message); no throw fails the test. */
export function errorOf(f: () => unknown): { code?: string; line?: number; column?: number; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; line?: number; column?: number; message: string };
  }
  throw new Error('expected an error');
}
