/**
 * A built-in ufunc from its table row (used by the generated exports).
 */
import type { Ufunc, Ufunc2 } from '../ufunc/types.js';
import { createUfunc } from '../ufunc/ufunc.js';
import { loopsOf } from './loop-registry.js';
import { UFUNC_TABLE, type UfuncName } from './ufunc-table.js';
import type { UfuncRow } from './ufunc-row.js';

type UfuncOf<N extends UfuncName> = (typeof UFUNC_TABLE)[N]['nout'] extends 2 ? Ufunc2 : Ufunc;

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
    resolver: row.resolver ?? 'linear', loops: loopsOf(name),
  }) as UfuncOf<N>;
}
