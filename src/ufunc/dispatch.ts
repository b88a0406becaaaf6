/**
 * Loop selection: which inner loop of a ufunc runs for given operand dtypes (NumPy's
 * promotion + "find the ArrayMethod", dispatching.cpp). Steps:
 *   1. describe each input as a strong dtype or a weak scalar kind (JS integer/bigint:
 *      Python int; other number: Python float; booleans are strong bool, as in NumPy 2);
 *   2. with `signature=`/`dtype=`: among the loops matching every fixed position, as NumPy:
 *      with outputs fixed, the first the inputs cast to safely, else under `casting` (a loop
 *      that matches but needs a looser rule is a CastingError, E_CAST_RULE); with only
 *      inputs fixed, the first whose free inputs cast safely (fixed ones are cast under
 *      `casting` by the caller);
 *   3. otherwise a loop for exactly the (strong) input dtypes if there is one, else the
 *      ufunc's resolver (`ResolverKind` below); weak scalars in the default linear
 *      search follow NumPy's `should_use_min_scalar_weak_literals` (see fitsLinear);
 *   4. the answer is cached per ufunc by the input description, so a hot call path is one
 *      Map lookup (results never depend on call order).
 * numbats has no float16: where NumPy's first match is a float16 loop, the next loop in
 * NumPy's order (float32) is taken, e.g. `sqrt(int8)` is float32 (NumPy: float16).
 */
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { assertCanCast, canCast, type Casting } from '../dtype/casting.js';
import { resultType } from '../dtype/promotion.js';
import type { LoopRecord } from './loop-record.js';
import { DTypeError } from '../util/errors.js';

/**
 * How a ufunc picks its loop (NumPy's type resolvers):
 *  - `linear`: NumPy's default: the first loop, in table order, that every input casts to
 *    safely (a weak JS integer fits any integer or float loop, a weak float any float loop);
 *  - `uniform`: NumPy's SimpleUniformOperation: all operands take resultType(inputs), and
 *    the loop of exactly that type runs (add, subtract, maximum, bitwise ops, ...);
 *  - `comparison`: inputs as `uniform`, the output is bool (less, equal, ...); a weak
 *    integer outside the array's range is compared exactly, as NumPy 2 does (int8 < 300 is
 *    true everywhere, not an error);
 *  - `logical`: NumPy's logical-ufunc promoter: inputs that match a loop exactly use it,
 *    anything else is tested for truth through the bool loop (logical_and/or/xor);
 *  - `trueDivide`: integer and bool inputs use the float64 loop, others as `uniform`;
 *  - `declared`: the user's signatures of vectorize/guvectorize, searched in the declared
 *    order, the first loop all inputs cast to safely (as `linear`), with NO exact-match
 *    step first: NumPy registers a user ufunc's loops only through its legacy type
 *    resolver, and Numba's ufuncs are such, so `['f8(f8,f8)', 'i4(i4,i4)']` called with
 *    int32 arrays runs the float64 loop in both.
 * Every other kind first takes a loop whose inputs match the (strong) input dtypes exactly,
 * as NumPy's dispatcher does before it promotes (`int64 < uint64` uses 'int64,uint64->bool').
 */
export type ResolverKind = 'linear' | 'declared' | 'uniform' | 'comparison' | 'logical' | 'trueDivide';

/** An input as dispatch sees it: a strong dtype, or a weak JS scalar's kind. */
export type InputKind = DType | 'weak-int' | 'weak-float';

/** Fixed loop dtypes (`signature=`), null where free; covers inputs then outputs. */
export type FixedSignature = readonly (DType | null)[];

/** What loop dispatch needs of a ufunc: its name, arity, loops and resolver. */
export interface UfuncDispatch {
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
export const weakStandIn = (k: InputKind): DType | number => (k === 'weak-int' ? 0 : k === 'weak-float' ? 0.5 : k);

function noLoop(t: UfuncDispatch, kinds: readonly InputKind[], detail: string): never {
  const shown = kinds.map((k) => (k === 'weak-int' ? 'JS integer' : k === 'weak-float' ? 'JS float' : k)).join(', ');
  throw new DTypeError(
    'E_DTYPE_NO_LOOP',
    `ufunc '${t.name}' is not supported for the input types (${shown}): ${detail}. ` +
      `Its loops are ${t.loops.map((l) => l.types).join('; ')}`,
  );
}

/** The CastingError for the first input that `loop` takes only under a looser rule than `casting`. */
function castError(t: UfuncDispatch, kinds: readonly InputKind[], loop: LoopRecord, casting: Casting): never {
  kinds.forEach((k, i) => {
    if (inputFits(k, loop.ins[i]!, casting)) return;
    // A weak scalar is cast as its default dtype is (a JS float as float64).
    const from = k === 'weak-int' ? 'int64' : k === 'weak-float' ? 'float64' : k;
    assertCanCast(from, loop.ins[i]!, casting, `ufunc '${t.name}' input ${i}`);
  });
  noLoop(t, kinds, `the inputs cannot be cast to the requested signature with casting '${casting}'`);
}

function byResolver(t: UfuncDispatch, kinds: readonly InputKind[]): LoopRecord | undefined {
  // NumPy's dispatcher first looks for a loop registered for exactly the operand DTypes
  // (weak scalars never match one); only then does the resolver promote.
  const exact = t.resolver === 'declared' ? undefined : t.loops.find((l) => l.ins.every((d, i) => d === kinds[i]));
  if (exact !== undefined) return exact;
  const uniform = (common: DType) => t.loops.find((l) => l.ins.every((d) => d === common));
  switch (t.resolver) {
    case 'uniform':
    case 'comparison':
      return uniform(resultType(...kinds.map(weakStandIn)));
    case 'logical':
      // NumPy's logical-ufunc promoter: anything without an exact loop is truth-tested
      // through the bool loop (call.ts casts those inputs to bool whatever their kind).
      return uniform('bool');
    case 'trueDivide': {
      const integral = kinds.every((k) => k === 'weak-int' || (k !== 'weak-float' && DTYPES[k].kind !== 'f'));
      return integral ? uniform('float64') : uniform(resultType(...kinds.map(weakStandIn)));
    }
    case 'linear':
    case 'declared':
      return t.loops.find((l) => l.ins.every((d, i) => fitsLinear(kinds, i, d)));
  }
}

/** NumPy's simplified kind order for weak-scalar decisions: bool 0, integers 1, floats 2. */
function kindRank(k: InputKind): number {
  if (k === 'weak-int') return 1;
  if (k === 'weak-float') return 2;
  const kind = DTYPES[k].kind;
  return kind === 'b' ? 0 : kind === 'f' ? 2 : 1;
}

/**
 * Can input `i` feed a loop input of dtype `d` in NumPy's legacy linear search (the
 * default type resolver, `should_use_min_scalar_weak_literals`)? Weak scalars fit any
 * loop of their kind or higher (a JS integer any integer or float loop) only while some
 * array input is of at least the weak scalars' highest kind; otherwise they take part as
 * their default dtypes, int64 and float64: `fmod(boolArray, 2)` is int64 and
 * `arctan2(int8Array, 2.5)` float64, but `arctan2(int8Array, 2)` stays in the small float
 * loops and `ldexp(float32Array, 3)` uses 'float32,int32->float32'.
 */
function fitsLinear(kinds: readonly InputKind[], i: number, d: DType): boolean {
  const k = kinds[i]!;
  if (k !== 'weak-int' && k !== 'weak-float') return canCast(k, d, 'safe');
  const strong = kinds.filter((x) => x !== 'weak-int' && x !== 'weak-float');
  const weakRank = Math.max(...kinds.filter((x) => x === 'weak-int' || x === 'weak-float').map(kindRank));
  if (strong.length > 0 && Math.max(...strong.map(kindRank)) >= weakRank) return inputFits(k, d, 'safe');
  return canCast(k === 'weak-int' ? 'int64' : 'float64', d, 'safe');
}

const caches = new WeakMap<UfuncDispatch, Map<string | number, LoopRecord>>();

/** A number for up to 4 input kinds (the common, hot case), else a string: no string per call. */
function kindsKey(kinds: readonly InputKind[]): string | number {
  if (kinds.length > 4) return kinds.join(',');
  let key = 1;
  for (const k of kinds) key = key * 16 + (k === 'weak-int' ? 11 : k === 'weak-float' ? 12 : DTYPES[k].code);
  return key;
}

/**
 * The loop for inputs of `kinds`, optionally with fixed dtypes.
 *
 * @throws DTypeError (`E_DTYPE_NO_LOOP`) when no loop fits.
 * @example
 * ```ts
 * resolveLoop(addDispatch, ['int8', 'weak-int'], undefined, 'same_kind').types; // 'int8,int8->int8'
 * ```
 */
export function resolveLoop(
  t: UfuncDispatch, kinds: readonly InputKind[], fixed: FixedSignature | undefined, casting: Casting,
): LoopRecord {
  let cache = caches.get(t);
  if (cache === undefined) caches.set(t, (cache = new Map()));
  const key = fixed === undefined ? kindsKey(kinds) : `${kinds.join(',')}|${fixed.join(',')}|${casting}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let loop: LoopRecord | undefined;
  if (fixed !== undefined) {
    const matches = t.loops.filter((l) => [...l.ins, ...l.outs].every((d, i) => fixed[i] == null || fixed[i] === d));
    if (matches.length === 0) noLoop(t, kinds, `no loop has the requested signature (${fixed.map((d) => d ?? '*').join(', ')})`);
    if (fixed.slice(t.nin).every((d) => d == null)) {
      // Only inputs fixed (NumPy's type-tuple search): the free inputs must cast safely (the
      // logical ufuncs truth-test anything: under `casting`); the fixed ones are cast under
      // `casting` by the caller, which raises CastingError.
      const free = (i: number, d: DType) =>
        t.resolver === 'logical' ? inputFits(kinds[i]!, d, casting) : fitsLinear(kinds, i, d);
      loop = matches.find((l) => l.ins.every((d, i) => fixed[i] != null || free(i, d)));
      if (loop === undefined) noLoop(t, kinds, 'the free inputs cannot be cast safely to a loop with the requested signature');
    } else {
      // Outputs fixed (`dtype=`, full signatures): the first matching loop the inputs fit
      // safely, else under `casting`; a loop that matches but takes the inputs only under a
      // looser rule is a casting error (NumPy: "Cannot cast ufunc 'add' input 0 from float64
      // to int32 with casting rule 'same_kind'").
      loop =
        matches.find((l) => l.ins.every((d, i) => fitsLinear(kinds, i, d))) ??
        matches.find((l) => l.ins.every((d, i) => inputFits(kinds[i]!, d, casting)));
      if (loop === undefined) castError(t, kinds, matches[0]!, casting);
    }
  } else {
    loop = byResolver(t, kinds);
    if (loop === undefined) noLoop(t, kinds, 'no loop accepts these inputs under safe casting');
  }
  cache.set(key, loop);
  return loop;
}
