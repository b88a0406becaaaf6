/**
 * Argument typing for nb.jit: which specialisation a call selects (lazy), and which explicit
 * signature it matches (eager).
 *
 * The type of an argument (Numba's typeof, with JS values):
 *   - an NDArray: its dtype, its ndim, and whether its last axis has unit stride (or at most
 *     one element): `float64[:,::1]`, else `float64[:,:]` (transposes, `::2` slices);
 *   - a TypedArray: a 1-D array of its element dtype (`Float64Array`, `Int32Array`, ...);
 *   - a JS number: int64 when it is an integer below 2^53 in magnitude (as Numba types a
 *     Python int), else float64 (`3.5`, NaN, ±Infinity, and integers JavaScript has already
 *     rounded); so `f(a, 2)` and `f(a, 2.5)` are two specialisations, and a float64 is forced
 *     by passing a float or by computing with a float literal inside;
 *   - a bigint: int64 (uint64 above int64's range); a boolean: bool.
 * Anything else (strings, objects, plain JS arrays, GPU arrays) has no jit type:
 * {@link argType} returns a reason instead, which the caller turns into ValueError
 * `E_VALUE_JIT_ARGUMENT` (or, with `fallback: 'js'`, a plain-JS run).
 */
import { parseKernelSignature, type JitArgType } from '../compiler/index.js';
import { DTYPES, dtypeOfTypedArray, type DType } from '../dtype/dtypes.js';
import { isNDArray, type NDArray } from '../ndarray/ndarray.js';

/** Does integer v fit dtype t? */
function fitsInt(v: bigint, t: DType): boolean {
  const { min, max } = DTYPES[t];
  return v >= BigInt(min) && v <= BigInt(max);
}
const isFloatType = (t: DType) => DTYPES[t].kind === 'f';
const isIntType = (t: DType) => DTYPES[t].kind === 'i' || DTYPES[t].kind === 'u';

/** Integers JavaScript holds exactly. */
const SAFE = 2 ** 53;

/** Does the last axis have unit stride (or hold at most one element)? */
export function innerContiguous(a: NDArray): boolean {
  const n = a.ndim;
  return n > 0 && (a.shape[n - 1]! <= 1 || a.strides[n - 1] === 1);
}

/**
 * The jit type of one argument, or `{ reason }` when the value has none.
 *
 * @example
 * ```ts
 * argType(nb.zeros([2, 3]));  // { kind: 'ndarray', dtype: 'float64', ndim: 2, contiguous: true }
 * argType(3);                 // { kind: 'scalar', dtype: 'int64' }
 * argType(3.5);               // { kind: 'scalar', dtype: 'float64' }
 * ```
 */
export function argType(x: unknown): JitArgType | { readonly reason: string } {
  if (isNDArray(x)) {
    if (x.storage.device !== undefined) return { reason: `an NDArray on the '${x.storage.device}' device (jit functions run on the cpu: move it with nb.toCpu first)` };
    return { kind: 'ndarray', dtype: x.dtype, ndim: x.ndim, contiguous: innerContiguous(x) };
  }
  if (ArrayBuffer.isView(x)) {
    const dtype = dtypeOfTypedArray(x);
    if (dtype === undefined || x instanceof DataView) return { reason: `a ${x.constructor.name} (jit functions take the TypedArrays of numbats' dtypes)` };
    return { kind: 'typed', dtype };
  }
  switch (typeof x) {
    case 'number': return { kind: 'scalar', dtype: Number.isInteger(x) && Math.abs(x) < SAFE ? 'int64' : 'float64' };
    case 'bigint':
      if (fitsInt(x, 'int64')) return { kind: 'scalar', dtype: 'int64' };
      if (fitsInt(x, 'uint64')) return { kind: 'scalar', dtype: 'uint64' };
      return { reason: `the bigint ${x}, which no 64-bit integer holds` };
    case 'boolean': return { kind: 'scalar', dtype: 'bool' };
    default: {
      const what = x === null ? 'null' : Array.isArray(x) ? 'a JS array (pass nb.array(...) or a TypedArray)' : typeof x === 'object' ? 'an object' : `a ${typeof x}`;
      return { reason: what };
    }
  }
}

/**
 * The cache key of a tuple of argument types (the specialisation's signature text).
 *
 * @example
 * ```ts
 * typesKey([{ kind: 'scalar', dtype: 'int64' }]); // 'int64'
 * ```
 */
export function typesKey(types: readonly JitArgType[]): string {
  return types.map((t) => (t.kind === 'typed' ? `${t.dtype}/typed` : t.kind === 'scalar' ? t.dtype : `${t.dtype}/${t.ndim}/${t.contiguous ? 'C' : 'A'}`)).join(',');
}

/**
 * Do `args` have exactly the jit types `types` (`typesKey(args.map(argType)) ===
 * typesKey(types)`)? The check of a lazy jit function's last specialisation, with no strings
 * or objects made.
 *
 * @example
 * ```ts
 * matchesTypes([nb.zeros([2, 2])], [{ kind: 'ndarray', dtype: 'float64', ndim: 2, contiguous: true }]); // true
 * ```
 */
export function matchesTypes(args: readonly unknown[], types: readonly JitArgType[]): boolean {
  if (args.length !== types.length) return false;
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    const t = types[i]!;
    switch (t.kind) {
      case 'ndarray':
        if (!isNDArray(x) || x.dtype !== t.dtype || x.ndim !== t.ndim || innerContiguous(x) !== t.contiguous || x.storage.device !== undefined) return false;
        break;
      case 'scalar':
        if (typeof x === 'number') {
          if ((Number.isInteger(x) && Math.abs(x) < SAFE ? 'int64' : 'float64') !== t.dtype) return false;
        } else if (typeof x === 'boolean') {
          if (t.dtype !== 'bool') return false;
        } else if (typeof x === 'bigint') {
          const a = argType(x);
          if ('reason' in a || a.dtype !== t.dtype) return false;
        } else {
          return false;
        }
        break;
      case 'typed':
        if (!ArrayBuffer.isView(x) || x instanceof DataView || dtypeOfTypedArray(x) !== t.dtype) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * `typesKey(args.map(argType))` without building the types (the per-call lookup of a lazy jit
 * function), or undefined when an argument has no jit type (the caller then takes the slow
 * path, which says why).
 *
 * @example
 * ```ts
 * argsKey([nb.zeros([3, 3]), 2]); // 'float64/2/C,int64'
 * ```
 */
export function argsKey(args: readonly unknown[]): string | undefined {
  let key = '';
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    let k: string;
    if (isNDArray(x)) {
      if (x.storage.device !== undefined) return undefined;
      k = `${x.dtype}/${x.ndim}/${innerContiguous(x) ? 'C' : 'A'}`;
    } else if (typeof x === 'number') {
      k = Number.isInteger(x) && Math.abs(x) < SAFE ? 'int64' : 'float64';
    } else if (typeof x === 'boolean') {
      k = 'bool';
    } else {
      const t = argType(x);
      if ('reason' in t) return undefined;
      k = typesKey([t]);
    }
    key = i === 0 ? k : `${key},${k}`;
  }
  return key;
}

/**
 * An explicit signature (`'f8(f8[:,:], i8)'`) as argument types and a result.
 *
 * @example
 * ```ts
 * eagerSignature('f8(f8[:,::1])'); // { args: [{ kind: 'array', dtype: 'float64', ndim: 2, contiguous: true }], returns: 'float64' }
 * ```
 */
export function eagerSignature(text: string): { readonly args: readonly JitArgType[]; readonly returns: DType | 'void' | 'infer' } {
  const sig = parseKernelSignature(text);
  return {
    returns: sig.returns,
    args: sig.args.map((a): JitArgType => (a.ndim === 0
      ? { kind: 'scalar', dtype: a.dtype }
      : { kind: 'array', dtype: a.dtype, ndim: a.ndim, contiguous: a.contiguous[a.ndim - 1] === true })),
  };
}

/**
 * Does argument `x` fit parameter type `t` of an explicit signature? Arrays: the same dtype
 * and ndim (a TypedArray for a 1-D array), unit inner stride where the signature says `::1`.
 * Scalars: a number or bigint that the dtype holds (integers: an integer in range; floats: any
 * number), a boolean for bool.
 *
 * @example
 * ```ts
 * fitsParam(nb.zeros([2, 2]), { kind: 'array', dtype: 'float64', ndim: 2, contiguous: false }); // true
 * ```
 */
export function fitsParam(x: unknown, t: JitArgType): boolean {
  if (t.kind === 'scalar') {
    if (t.dtype === 'bool') return typeof x === 'boolean';
    if (isFloatType(t.dtype)) return typeof x === 'number';
    if (!isIntType(t.dtype)) return false;
    if (typeof x === 'number') return Number.isInteger(x) && Math.abs(x) < SAFE && fitsInt(BigInt(x), t.dtype);
    return typeof x === 'bigint' && fitsInt(x, t.dtype);
  }
  const a = argType(x);
  if ('reason' in a || a.kind === 'scalar' || a.dtype !== t.dtype) return false;
  const ndim = t.kind === 'typed' ? 1 : t.ndim;
  if (a.kind === 'typed') return ndim === 1;
  if (a.ndim !== ndim) return false;
  return !(t.kind !== 'typed' && t.contiguous && !a.contiguous);
}
