/**
 * The attributes every ufunc-like callable carries, as NumPy's ufunc objects do: name, nin,
 * nout, nargs, ntypes, types, identity, signature, and how it prints in the Node REPL.
 * Built-in ufuncs, gufuncs, compiled (vectorize/guvectorize) ufuncs and gpu ufuncs all get
 * them here, so they cannot drift apart.
 */
import type { Scalar } from '../dtype/dtypes.js';

/** What {@link defineUfuncAttributes} writes. */
export interface UfuncAttributeSpec {
  name: string;
  nin: number;
  nout: number;
  /** The loop type strings ('f8,f8->f8' style); a function when loops are added later (lazy kernels). */
  types: readonly string[] | (() => readonly string[]);
  identity: Scalar | null;
  /** The gufunc core signature, or null for an elementwise ufunc. */
  signature: string | null;
  /** Shown after the name when printed, e.g. '(gpu)'. */
  label?: string;
}

/**
 * Defines NumPy's ufunc attributes on `f` (read-only, enumerable as NumPy's are listed).
 *
 * @example
 * ```ts
 * const f = defineUfuncAttributes(() => 0, { name: 'zero', nin: 1, nout: 1, types: ['f8->f8'], identity: null, signature: null });
 * f.nargs; // 2
 * ```
 */
export function defineUfuncAttributes<F extends object>(f: F, a: UfuncAttributeSpec): F & { nargs: number } {
  const types = a.types;
  const typeList = typeof types === 'function' ? types : () => types;
  const shown = `<ufunc '${a.name}'${a.label ? ` ${a.label}` : ''}>`;
  Object.defineProperties(f, {
    name: { value: a.name },
    nin: { value: a.nin, enumerable: true },
    nout: { value: a.nout, enumerable: true },
    nargs: { value: a.nin + a.nout, enumerable: true },
    ntypes: typeof types === 'function' ? { get: () => types().length, enumerable: true } : { value: types.length, enumerable: true },
    types: typeof types === 'function' ? { get: typeList, enumerable: true } : { value: types, enumerable: true },
    identity: { value: a.identity, enumerable: true },
    signature: { value: a.signature, enumerable: true },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => shown },
  });
  return f as F & { nargs: number };
}
