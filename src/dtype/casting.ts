/**
 * Casting rules: which dtype conversions each NumPy casting mode allows.
 *
 * Equal to `np.can_cast` for every pair of numbats dtypes and every mode (checked against
 * `test/fixtures/casting.json`). The modes, from strictest to loosest:
 *
 * - `'no'` and `'equiv'`: only the identical dtype. They differ in NumPy only by byte order,
 *   and numbats stores native byte order only.
 * - `'safe'`: every value of `from` is representable in `to`; exactly the pairs where
 *   promoting the two gives `to` (so it is derived from {@link promoteTypes}).
 * - `'same_kind'`: safe, or a cast down within a kind or to a higher kind in the order
 *   bool < unsigned < signed < float (int64 → int8 and uint16 → int8 are allowed,
 *   int8 → uint8 and float64 → int64 are not).
 * - `'unsafe'`: anything.
 */
import { DTYPES, normalizeDType, type DTypeKind, type DTypeLike } from './dtypes.js';
import { isDTypeHolder, promoteTypes, type DTypeHolder } from './promotion.js';
import { CastingError } from '../util/errors.js';

/** A NumPy casting mode. */
export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe';

/**
 * The casting modes, strictest first.
 *
 * @example
 * ```ts
 * nb.CASTING_MODES.filter((m) => nb.canCast('float64', 'int32', m)); // ['unsafe']
 * ```
 */
export const CASTING_MODES: readonly Casting[] = ['no', 'equiv', 'safe', 'same_kind', 'unsafe'];

// 'same_kind' lets a value move to the same or a later kind in this order. Unsigned comes
// before signed because every unsigned kind value has a signed kind home (given the size).
const SAME_KIND_RANK: Readonly<Record<DTypeKind, number>> = { b: 0, u: 1, i: 2, f: 3 };

/**
 * Check a casting mode name.
 *
 * @throws CastingError (`E_CAST_MODE`) for anything but `'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe'`.
 * @example
 * ```ts
 * normalizeCasting('same_kind'); // 'same_kind'
 * normalizeCasting('sometimes'); // throws CastingError
 * ```
 */
export function normalizeCasting(casting: unknown): Casting {
  if (typeof casting === 'string' && (CASTING_MODES as readonly string[]).includes(casting)) return casting as Casting;
  throw new CastingError(
    'E_CAST_MODE',
    `casting must be one of ${CASTING_MODES.map((m) => `'${m}'`).join(', ')} (got ${JSON.stringify(casting) ?? String(casting)})`,
  );
}

/**
 * NumPy's `np.can_cast(from, to, casting)` for dtypes (or arrays, by their dtype).
 *
 * Scalars are not accepted, as in NumPy 2 (whether a value fits is a question about the
 * value: see `checkWeakIntFits`).
 *
 * @throws DTypeError (`E_DTYPE_UNKNOWN`) for an unknown dtype; CastingError (`E_CAST_MODE`)
 *   for an unknown mode.
 * @example
 * ```ts
 * nb.canCast('int32', 'float64');              // true
 * nb.canCast('float64', 'int32');              // false
 * nb.canCast('int64', 'int8', 'same_kind');    // true
 * nb.canCast('float64', 'int8', 'unsafe');     // true
 * nb.canCast('uint8', 'int8', 'same_kind');    // true
 * ```
 */
export function canCast(from: DTypeLike | DTypeHolder, to: DTypeLike, casting: Casting = 'safe'): boolean {
  const f = DTYPES[normalizeDType(isDTypeHolder(from) ? from.dtype : from)];
  const t = DTYPES[normalizeDType(to)];
  switch (normalizeCasting(casting)) {
    case 'no':
    case 'equiv':
      return f.name === t.name;
    case 'safe':
      return promoteTypes(f.name, t.name) === t.name;
    case 'same_kind':
      return promoteTypes(f.name, t.name) === t.name || SAME_KIND_RANK[f.kind] <= SAME_KIND_RANK[t.kind];
    case 'unsafe':
      return true;
  }
}

/**
 * Throw unless `from` can be cast to `to` under `casting`.
 *
 * @param what - what the cast is for, appended to the message (e.g. `"output 'out' of add"`).
 * @throws CastingError (`E_CAST_RULE`): "Cannot cast array data from float64 to int32
 *   according to the rule 'safe' (for ...)", NumPy's wording.
 * @example
 * ```ts
 * assertCanCast('float64', 'int32', 'safe', 'astype'); // throws CastingError
 * assertCanCast('int32', 'float64', 'safe', 'astype'); // ok
 * ```
 */
export function assertCanCast(from: DTypeLike | DTypeHolder, to: DTypeLike, casting: Casting, what: string): void {
  if (canCast(from, to, casting)) return;
  const f = normalizeDType(isDTypeHolder(from) ? from.dtype : from);
  const t = normalizeDType(to);
  const looser = CASTING_MODES.slice(CASTING_MODES.indexOf(casting) + 1).find((m) => canCast(f, t, m));
  throw new CastingError(
    'E_CAST_RULE',
    `Cannot cast array data from ${f} to ${t} according to the rule '${casting}'` +
      (what ? ` (for ${what})` : '') +
      (looser ? `; pass casting: '${looser}' to allow it` : ''),
  );
}
