/**
 * Building ufunc objects: a callable with NumPy's attributes (name, nin, nout, nargs,
 * ntypes, types, identity, signature) and methods.
 */
import type { Scalar } from '../dtype/dtypes.js';
import type { LoopRecord } from './loop-record.js';
import type { ResolverKind } from './dispatch.js';
import { callUfunc } from './call.js';
import { tryFastCall } from './fast-path.js';
import { attachMethods } from './methods/index.js';
import { defineUfuncAttributes } from './attributes.js';
import type { Ufunc, Ufunc2 } from './types.js';

export type { ReduceOptions, AccumulateOptions, AtIndices, AtIndexItem, AxisOption } from './methods/index.js';

/** What a ufunc is made from. */
export interface UfuncSpec {
  name: string;
  nin: number;
  nout: number;
  identity: Scalar | null;
  reorderable: boolean;
  resolver: ResolverKind;
  /** The loops, or a function that makes them when the ufunc is first used (the built-ins). */
  loops: readonly LoopRecord[] | (() => readonly LoopRecord[]);
}

/** What dispatch reads: `spec` with its loops made on first read where they are lazy. */
function dispatchOf(spec: UfuncSpec): Omit<UfuncSpec, 'loops'> & { readonly loops: readonly LoopRecord[] } {
  const { loops, ...rest } = spec;
  if (typeof loops !== 'function') return { ...rest, loops };
  let made: readonly LoopRecord[] | undefined;
  return { ...rest, get loops() { return (made ??= loops()); } };
}

/**
 * A callable ufunc for `spec`.
 *
 * @example
 * ```ts
 * const add = createUfunc({ name: 'add', nin: 2, nout: 1, identity: 0, reorderable: true, resolver: 'uniform', loops });
 * add(nb.array([1, 2]), 3);
 * ```
 */
export function createUfunc(spec: UfuncSpec): Ufunc | Ufunc2 {
  const dispatch = dispatchOf(spec);
  const f = (...args: unknown[]) => tryFastCall(dispatch, args) ?? callUfunc(dispatch, args);
  let typeList: readonly string[] | undefined;
  const types = typeof spec.loops === 'function'
    ? () => (typeList ??= Object.freeze(dispatch.loops.map((l) => l.types)))
    : Object.freeze(spec.loops.map((l) => l.types));
  defineUfuncAttributes(f, { name: spec.name, nin: spec.nin, nout: spec.nout, types, identity: spec.identity, signature: null });
  // reduce, accumulate, reduceat, outer, at (src/ufunc/methods/).
  attachMethods(f, dispatch);
  return f as unknown as Ufunc | Ufunc2;
}
