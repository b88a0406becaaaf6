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
  loops: readonly LoopRecord[];
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
  const dispatch = { ...spec };
  const f = (...args: unknown[]) => tryFastCall(dispatch, args) ?? callUfunc(dispatch, args);
  const types = Object.freeze(spec.loops.map((l) => l.types));
  defineUfuncAttributes(f, { name: spec.name, nin: spec.nin, nout: spec.nout, types, identity: spec.identity, signature: null });
  // reduce, accumulate, reduceat, outer, at (src/ufunc/methods/).
  attachMethods(f, dispatch);
  return f as unknown as Ufunc | Ufunc2;
}
