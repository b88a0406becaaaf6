/**
 * Type promotion: which dtype an operation on mixed dtypes and JS scalars computes in.
 *
 * The rules are NumPy 2's (NEP 50), checked against NumPy for every pair in
 * `test/fixtures/promotion.json` and `test/fixtures/result-type-weak.json`:
 *
 * 1. `promoteTypes(a, b)` is NumPy's lattice, derived here from kind and size rather than
 *    typed out as an 11×11 table (see {@link promoteTypes}).
 * 2. `resultType(...args)` runs NumPy's own multi-operand algorithm
 *    (`PyArray_PromoteDTypeSequence` with its `__common_dtype__` rules), because several
 *    dtypes do not promote as a left fold of `promoteTypes` (int8, uint16, float32 gives
 *    float32). The effect, in words: strong operands (dtypes, arrays, and JS booleans, which
 *    NumPy 2 treats as `np.bool`) decide the result; *weak* scalars (JS integers and bigints
 *    act as Python ints, other numbers as Python floats) may raise its kind but never its
 *    size: `int8 + 2` is `int8`, `float32 + 2.5` is `float32`, `int8 + 2.5` and `bool + 2`
 *    take the default type of the scalar's kind (`float64`, `int64`).
 * 3. Whether a weak integer *fits* is not part of promotion: NumPy 2's `result_type(int8,
 *    300)` is `int8`, and the operation itself raises. Callers that run an operation call
 *    {@link checkWeakIntFits} with the result dtype, as NumPy does.
 */
import { DTYPES, DTYPE_NAMES, normalizeDType, type DType, type DTypeLike, type Scalar } from './dtypes.js';
import { DTypeError, ValueError } from '../util/errors.js';

/** Anything that carries a dtype, such as an NDArray. It promotes as a strong (array) dtype. */
export interface DTypeHolder {
  readonly dtype: DType;
}

/** One argument to {@link resultType}: a dtype or alias, a dtype holder, or a weak JS scalar. */
export type ResultTypeArg = DTypeLike | DTypeHolder | Scalar;

/** The kind a weak scalar promotes as: Python bool, int or float. */
export type WeakScalarKind = 'b' | 'i' | 'f';

// Signed integer of each size: an unsigned and a signed integer meet in a signed type twice
// the unsigned one's size (uint8 + int8 -> int16), which is why int64 + uint64 has no
// integer home and NumPy goes to float64.
const SIGNED_OF_SIZE: Readonly<Record<number, DType>> = { 1: 'int8', 2: 'int16', 4: 'int32', 8: 'int64' };

/**
 * NumPy's `np.promote_types`: the smallest dtype both `a` and `b` cast to safely.
 *
 * The lattice, in words: bool is below everything; within a kind the larger size wins; a
 * signed and an unsigned integer meet in the signed integer twice the unsigned size (or
 * the signed one if it is already larger), and past 64 bits in float64; an integer meets a
 * float in float32 only when the integer has at most 16 bits (float32's 24-bit mantissa
 * holds it exactly), otherwise in float64.
 *
 * @throws DTypeError (`E_DTYPE_UNKNOWN`) for an unknown dtype.
 * @example
 * ```ts
 * nb.promoteTypes('int8', 'uint8');    // 'int16'
 * nb.promoteTypes('int64', 'uint64');  // 'float64'
 * nb.promoteTypes('float32', 'int16'); // 'float32'
 * nb.promoteTypes('float32', 'int32'); // 'float64'
 * ```
 */
export function promoteTypes(a: DTypeLike, b: DTypeLike): DType {
  const x = DTYPES[normalizeDType(a)];
  const y = DTYPES[normalizeDType(b)];
  if (x.name === y.name) return x.name;
  if (x.kind === 'b') return y.name;
  if (y.kind === 'b') return x.name;
  if (x.kind === y.kind) return x.itemSize >= y.itemSize ? x.name : y.name;
  if (x.kind === 'f' || y.kind === 'f') {
    const [f, int] = x.kind === 'f' ? [x, y] : [y, x];
    return f.itemSize >= 8 || int.itemSize > 2 ? 'float64' : 'float32';
  }
  const [s, u] = x.kind === 'i' ? [x, y] : [y, x];
  if (s.itemSize > u.itemSize) return s.name;
  return SIGNED_OF_SIZE[u.itemSize * 2] ?? 'float64';
}

/**
 * The kind a JS scalar promotes as under NEP 50: a boolean is a Python bool, a bigint or a
 * number with an integral value is a Python int, any other number (fractional, NaN,
 * ±Infinity) is a Python float.
 *
 * NOTE: JS has one number type, so `2.0` is the integer 2 here, unlike Python's `2.0`.
 *
 * @example
 * ```ts
 * weakScalarKind(2);    // 'i'
 * weakScalarKind(2n);   // 'i'
 * weakScalarKind(2.5);  // 'f'
 * weakScalarKind(NaN);  // 'f'
 * weakScalarKind(true); // 'b'
 * ```
 */
export function weakScalarKind(x: Scalar): WeakScalarKind {
  if (typeof x === 'boolean') return 'b';
  if (typeof x === 'bigint') return 'i';
  if (typeof x === 'number') return Number.isInteger(x) ? 'i' : 'f';
  throw new DTypeError('E_DTYPE_UNKNOWN', `expected a JS number, bigint or boolean, got ${describe(x)}`);
}

/**
 * NumPy 2's `np.result_type`: the dtype an operation on all `args` computes in.
 *
 * - dtypes, aliases and dtype holders (NDArrays) are strong; JS booleans are strong `bool`
 *   (as Python's `True` is `np.bool` in NumPy 2).
 * - JS integers and bigints are weak Python ints, other numbers weak Python floats (see
 *   `weakScalarKind`). A weak scalar lifts the result to its kind's default type only
 *   when every strong operand is of a lower kind (`bool + 1` is `int64`, `int8 + 2.5` is
 *   `float64`) and is otherwise absorbed (`uint8 + 300` is `uint8`, `float32 + 2.5` is
 *   `float32`).
 * - Only weak scalars: the default type of the highest kind (`int64`, `float64`). A lone
 *   integer is typed by its value as `np.asarray` would: `2n ** 63n` alone is `uint64`.
 * - Several strong dtypes are *not* a left fold of {@link promoteTypes}: NumPy lets the
 *   most general operand promote each of the others (`resultType('int8', 'uint16',
 *   'float32')` is `float32`, though int8 + uint16 is int32 and int32 + float32 is
 *   float64). This follows NumPy's algorithm step for step, so argument order never matters
 *   where it does not in NumPy.
 *
 * Out-of-range weak integers: like NumPy 2's `result_type`, this does *not* check that a
 * weak integer fits (`resultType('int8', 300)` is `'int8'`); an operation that uses the
 * value must call `checkWeakIntFits`, which throws as NumPy 2's `int8_array + 300`
 * does. The one exception is a lone integer outside int64 ∪ uint64, for which NumPy
 * answers `object`: numbats has no object dtype, so that throws `E_DTYPE_OVERFLOW`.
 *
 * @throws ValueError (`E_VALUE_NO_ARGS`) with no arguments; DTypeError (`E_DTYPE_UNKNOWN`)
 *   for an argument that is not a dtype, dtype holder or JS scalar.
 * @example
 * ```ts
 * nb.resultType('int8', 2);          // 'int8'
 * nb.resultType('int8', 2.5);        // 'float64'
 * nb.resultType('float32', 2.5);     // 'float32'
 * nb.resultType('bool', 1);          // 'int64'
 * nb.resultType(nb.zeros([2], 'uint8'), 'int8'); // 'int16'
 * nb.resultType(1, 2.5);             // 'float64'
 * ```
 */
export function resultType(...args: ResultTypeArg[]): DType {
  if (args.length === 0) {
    throw new ValueError('E_VALUE_NO_ARGS', 'resultType() needs at least one dtype, array or scalar');
  }
  // NumPy's np.result_type lists dtype arguments before arrays and scalars; keep that order.
  const dtypes: PromotionDType[] = [];
  const operands: PromotionDType[] = [];
  for (const arg of args) {
    if (typeof arg === 'string') dtypes.push(normalizeDType(arg));
    else if (typeof arg === 'boolean') operands.push('bool');
    else if (typeof arg === 'number' || typeof arg === 'bigint') operands.push(weakScalarKind(arg) === 'i' ? PY_INT : PY_FLOAT);
    else if (isDTypeHolder(arg)) operands.push(normalizeDType(arg.dtype));
    else {
      throw new DTypeError(
        'E_DTYPE_UNKNOWN',
        `resultType() cannot take ${describe(arg)}: expected a dtype name, an array (anything ` +
          `with a .dtype) or a JS number, bigint or boolean`,
      );
    }
  }
  // One operand: its own dtype, with no promotion (np.asarray(2**63) is uint64).
  if (args.length === 1) {
    const only = args[0];
    if ((typeof only === 'number' || typeof only === 'bigint') && weakScalarKind(only) === 'i') return dtypeOfLoneInt(only);
  }
  const common = promoteSequence([...dtypes, ...operands]);
  // Only Python scalars: the abstract type's default (NumPy's intp, float64).
  return common === PY_INT ? 'int64' : common === PY_FLOAT ? 'float64' : common;
}

// The abstract DTypes NumPy gives Python ints and floats while promoting; they never
// survive into a result.
const PY_INT = 'python int';
const PY_FLOAT = 'python float';
type PromotionDType = DType | typeof PY_INT | typeof PY_FLOAT;

/**
 * NumPy's `__common_dtype__(cls, other)`; `undefined` is its NotImplemented ("ask the other
 * one"). Concrete dtypes defer to a larger type number (numbats' `code` has NumPy's order),
 * absorb Python ints when integer or float and Python floats when float; the abstract ones
 * only know bool and integers (plus Python int, for Python float).
 */
function commonDType(cls: PromotionDType, other: PromotionDType): PromotionDType | undefined {
  if (cls === PY_INT) return other === 'bool' ? 'int64' : undefined;
  if (cls === PY_FLOAT) {
    if (other === PY_INT) return PY_FLOAT;
    return other !== PY_FLOAT && DTYPES[other].kind !== 'f' ? 'float64' : undefined;
  }
  const kind = DTYPES[cls].kind;
  if (other === PY_FLOAT) return kind === 'f' ? cls : undefined;
  if (other === PY_INT) return kind === 'b' ? undefined : cls;
  return DTYPES[other].code > DTYPES[cls].code ? undefined : promoteTypes(cls, other);
}

/** NumPy's `PyArray_CommonDType`: ask `a`, then `b`. */
function commonDTypeOfPair(a: PromotionDType, b: PromotionDType): PromotionDType {
  if (a === b) return a;
  const common = commonDType(a, b) ?? commonDType(b, a);
  if (common === undefined) throw noCommonDType(a, b);
  return common;
}

/**
 * NumPy's `PyArray_PromoteDTypeSequence`. First a pairwise tournament (first against last,
 * second against second-to-last, ... then again on the front half) moves the "most
 * knowledgeable" dtype to the front, dropping operands that cannot change the result; then
 * that main dtype promotes each remaining operand and the results are combined pairwise.
 */
function promoteSequence(input: readonly PromotionDType[]): PromotionDType {
  if (input.length === 1) return input[0]!;
  const dt: (PromotionDType | undefined)[] = [...input];
  let last: PromotionDType | undefined;
  for (let length = dt.length; ; length -= Math.floor(length / 2)) {
    const half = Math.floor(length / 2);
    for (let low = 0; low < half; low++) {
      const high = length - 1 - low;
      const [a, b] = [dt[low]!, dt[high]!];
      last = a === b ? a : commonDType(a, b);
      if (last === undefined) [dt[low], dt[high]] = [b, a]; // the other one knows more
      else if (last === a) dt[high] = undefined; // b cannot change the result
    }
    if (length === 2) break;
  }
  const main = dt[0]!;
  let result = last; // the final pair's promotion, unless it was NotImplemented
  for (let i = last === undefined ? 1 : 2; i < dt.length; i++) {
    const other = dt[i];
    if (other === undefined) continue;
    const promoted = commonDType(main, other);
    if (promoted === undefined) throw noCommonDType(main, other);
    result = result === undefined ? promoted : commonDTypeOfPair(result, promoted);
  }
  return result!;
}

function noCommonDType(a: PromotionDType, b: PromotionDType): DTypeError {
  // Unreachable with numbats' dtypes (every pair has a common dtype); kept for new dtypes.
  return new DTypeError('E_DTYPE_PROMOTION', `${a} and ${b} have no common dtype`);
}

/**
 * Throw if a weak integer (a JS integer or bigint used as a Python int) cannot be
 * represented in the dtype an operation computes in, as NumPy 2 raises
 * `OverflowError: Python integer 300 out of bounds for int8` for `np.int8(1) + 300`.
 *
 * Integer and bool dtypes need the value within their range; float dtypes need it finite
 * as a float64 (NumPy raises "int too large to convert to float" past about 1.8e308; a
 * value that only overflows float32 becomes ±Infinity with no error, as in NumPy).
 *
 * @throws DTypeError (`E_DTYPE_OVERFLOW`) naming the value, the dtype, its range and a dtype
 *   that would hold both; ValueError (`E_VALUE_NOT_INTEGER`) if `value` is not integral.
 * @example
 * ```ts
 * checkWeakIntFits(100, 'int8');   // ok
 * checkWeakIntFits(300, 'int8');   // throws: integer 300 out of bounds for int8 ...
 * checkWeakIntFits(-1n, 'uint64'); // throws
 * ```
 */
export function checkWeakIntFits(value: number | bigint, dtype: DTypeLike): void {
  const info = DTYPES[normalizeDType(dtype)];
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new ValueError('E_VALUE_NOT_INTEGER', `checkWeakIntFits() needs an integer, got ${value}`);
  }
  if (info.kind === 'f') {
    // Integral JS numbers are always finite; only a bigint can be too large for a double.
    if (typeof value === 'bigint' && !Number.isFinite(Number(value))) {
      throw new DTypeError(
        'E_DTYPE_OVERFLOW',
        `integer ${abbreviate(value)} is too large to convert to ${info.name} (as in NumPy: ` +
          `"int too large to convert to float"); no numbats dtype can hold it`,
      );
    }
    return;
  }
  const v = BigInt(value);
  if (v >= BigInt(info.min) && v <= BigInt(info.max)) return;
  const wider = DTYPE_NAMES.find(
    (d) => promoteTypes(info.name, d) === d && DTYPES[d].kind !== 'f' && v >= BigInt(DTYPES[d].min) && v <= BigInt(DTYPES[d].max),
  );
  const hint = wider !== undefined
    ? `cast the array first, e.g. a.astype('${wider}')`
    : `no integer dtype holds both; cast the array to float64 first (a.astype('float64'))`;
  throw new DTypeError(
    'E_DTYPE_OVERFLOW',
    `integer ${abbreviate(v)} out of bounds for ${info.name} (range ${info.min}..${info.max}): a JS ` +
      `integer combined with an array keeps the array's dtype and must fit it, as a Python int does ` +
      `in NumPy 2; ${hint}`,
  );
}

/**
 * True for an object with a string `dtype` property (an NDArray or anything like it).
 *
 * @example
 * ```ts
 * isDTypeHolder(nb.zeros([2]));        // true
 * isDTypeHolder({ dtype: 'int8' });    // true
 * isDTypeHolder('int8');               // false
 * ```
 */
export function isDTypeHolder(x: unknown): x is DTypeHolder {
  return typeof x === 'object' && x !== null && typeof (x as { dtype?: unknown }).dtype === 'string';
}

/** np.asarray(pythonInt).dtype: int64, else uint64, else NumPy's object (not in numbats). */
function dtypeOfLoneInt(x: number | bigint): DType {
  const v = BigInt(x);
  if (v >= BigInt(DTYPES.int64.min) && v <= BigInt(DTYPES.int64.max)) return 'int64';
  if (v >= 0n && v <= BigInt(DTYPES.uint64.max)) return 'uint64';
  throw new DTypeError(
    'E_DTYPE_OVERFLOW',
    `integer ${abbreviate(v)} fits neither int64 nor uint64 (NumPy would make an object ` +
      `array, and numbats has no object dtype); give the operation an explicit dtype such as 'float64'`,
  );
}

/** A long integer's digits shortened for an error message. */
function abbreviate(v: number | bigint): string {
  const s = String(v);
  return s.length <= 40 ? s : `${s.slice(0, 12)}...(${s.replace('-', '').length} digits)`;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return `an object without a dtype (${Object.prototype.toString.call(x)})`;
  return `${typeof x} ${String(x)}`;
}
