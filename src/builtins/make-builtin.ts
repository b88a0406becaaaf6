/**
 * A built-in ufunc from its table row (used by the generated exports).
 */
import { createUfunc } from '../ufunc/ufunc.js';
import { loopsOf } from './loop-registry.js';
import { UFUNC_TABLE, type UfuncName } from './ufunc-table.js';
import type { UfuncRow } from './ufunc-row.js';
import type { BuiltinUfunc1, BuiltinUfunc1x2, BuiltinUfunc2, BuiltinUfunc2x2 } from './typed-ufunc.js';

type Row<N extends UfuncName> = (typeof UFUNC_TABLE)[N];

/** The type of built-in `N`'s ufunc, its calls typed by its result dtypes (typed-ufunc.ts). */
export type UfuncOf<N extends UfuncName> = Row<N>['nin'] extends 1
  ? Row<N>['nout'] extends 2 ? BuiltinUfunc1x2<N> : BuiltinUfunc1<N>
  : Row<N>['nout'] extends 2 ? BuiltinUfunc2x2<N> : BuiltinUfunc2<N>;

/**
 * The ufunc object of built-in `name`.
 *
 * @example
 * ```ts
 * const add = makeBuiltin('add');
 * ```
 */
export function makeBuiltin<N extends UfuncName>(name: N): UfuncOf<N> {
  const row: UfuncRow = UFUNC_TABLE[name];
  return createUfunc({
    name: row.numpy, nin: row.nin, nout: row.nout, identity: row.identity, reorderable: row.reorderable,
    // Loop records are made on the ufunc's first use: import parses none of the table.
    resolver: row.resolver ?? 'linear', loops: () => loopsOf(name),
  }) as unknown as UfuncOf<N>;
}
