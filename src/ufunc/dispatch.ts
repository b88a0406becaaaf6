/**
 * Loop selection: which inner loop of a ufunc runs for given operand dtypes (NumPy's
 * promotion + "find the ArrayMethod", dispatching.cpp). Steps:
 *   1. describe each input as a strong dtype or a weak scalar kind (JS integer/bigint:
 *      Python int; other number: Python float; booleans are strong bool, as in NumPy 2);
 *   2. with `signature=`/`dtype=`: the first loop matching every fixed position whose
 *      inputs the operands cast to under `casting`;
 *   3. otherwise the ufunc's resolver (ufunc-row.ts `ResolverKind`) picks the loop;
 *   4. the answer is cached per ufunc by the input description, so a hot call path is one
 *      Map lookup (results never depend on call order).
 * numbats has no float16: where NumPy's first match is a float16 loop, the next loop in
 * NumPy's order (float32) is taken, e.g. `sqrt(int8)` is float32 (NumPy: float16).
 */
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { canCast, type Casting } from '../dtype/casting.js';
import { resultType } from '../dtype/promotion.js';
import type { LoopRecord } from '../builtins/loop-registry.js';
import type { ResolverKind } from '../builtins/ufunc-row.js';
import { DTypeError } from '../util/errors.js';

/** An input as dispatch sees it: a strong dtype, or a weak JS scalar's kind. */
export type InputKind = DType | 'weak-int' | 'weak-float';

/** Fixed loop dtypes (`signature=`), null where free; covers inputs then outputs. */
export type FixedSignature = readonly (DType | null)[];

export interface DispatchTarget {
  readonly name: string;
  readonly nin: number;
  readonly loops: readonly LoopRecord[];
  readonly resolver: ResolverKind;
}

/** Can an input of this kind feed a loop input of dtype `to` under `casting`? */
export function inputFits(kind: InputKind, to: DType, casting: Casting): boolean {
  if (kind === 'weak-int') return DTYPES[to].kind !== 'b';
  if (kind === 'weak-float') return DTYPES[to].kind === 'f';
  return canCast(kind, to, casting);
}

/** A stand-in value per weak kind, for resultType (promotion of weak scalars ignores values). */
const stand = (k: InputKind): DType | number => (k === 'weak-int' ? 0 : k === 'weak-float' ? 0.5 : k);

function noLoop(t: DispatchTarget, kinds: readonly InputKind[], detail: string): never {
  const shown = kinds.map((k) => (k === 'weak-int' ? 'JS integer' : k === 'weak-float' ? 'JS float' : k)).join(', ');
  throw new DTypeError(
    'E_DTYPE_NO_LOOP',
    `ufunc '${t.name}' is not supported for the input types (${shown}): ${detail}. ` +
      `Its loops are ${t.loops.map((l) => l.types).join('; ')}`,
  );
}

function byResolver(t: DispatchTarget, kinds: readonly InputKind[]): LoopRecord | undefined {
  const uniform = (common: DType) => t.loops.find((l) => l.ins.every((d) => d === common));
  switch (t.resolver) {
    case 'uniform':
    case 'comparison':
      return uniform(resultType(...kinds.map(stand)));
    case 'trueDivide': {
      const integral = kinds.every((k) => k === 'weak-int' || (k !== 'weak-float' && DTYPES[k].kind !== 'f'));
      return integral ? uniform('float64') : uniform(resultType(...kinds.map(stand)));
    }
    case 'linear':
      return t.loops.find((l) => l.ins.every((d, i) => inputFits(kinds[i]!, d, 'safe')));
  }
}

const caches = new WeakMap<DispatchTarget, Map<string, LoopRecord>>();

/**
 * The loop for inputs of `kinds`, optionally with fixed dtypes.
 *
 * @throws DTypeError (`E_DTYPE_NO_LOOP`) when no loop fits.
 * @example
 * ```ts
 * resolveLoop(addTarget, ['int8', 'weak-int'], undefined, 'same_kind').types; // 'int8,int8->int8'
 * ```
 */
export function resolveLoop(
  t: DispatchTarget, kinds: readonly InputKind[], fixed: FixedSignature | undefined, casting: Casting,
): LoopRecord {
  let cache = caches.get(t);
  if (cache === undefined) caches.set(t, (cache = new Map()));
  const key = fixed === undefined ? kinds.join(',') : `${kinds.join(',')}|${fixed.join(',')}|${casting}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let loop: LoopRecord | undefined;
  if (fixed !== undefined) {
    const matches = t.loops.filter((l) => [...l.ins, ...l.outs].every((d, i) => fixed[i] == null || fixed[i] === d));
    if (matches.length === 0) noLoop(t, kinds, `no loop has the requested signature (${fixed.map((d) => d ?? '*').join(', ')})`);
    loop =
      matches.find((l) => l.ins.every((d, i) => inputFits(kinds[i]!, d, 'safe'))) ??
      matches.find((l) => l.ins.every((d, i) => inputFits(kinds[i]!, d, casting)));
    if (loop === undefined) {
      noLoop(t, kinds, `the inputs cannot be cast to the requested signature with casting '${casting}'`);
    }
  } else {
    loop = byResolver(t, kinds);
    if (loop === undefined) noLoop(t, kinds, 'no loop accepts these inputs under safe casting');
  }
  cache.set(key, loop);
  return loop;
}
