/**
 * Scalar helpers with NumPy's semantics, used by the loop bodies of the built-in ufunc
 * table (src/builtins/ufunc-table.ts). Generic over the loop's AS type; `@inline` so each
 * instantiation folds into its loop.
 */

/** np.maximum for floats: NaN in either argument gives NaN; max(-0, +0) as NumPy (first wins on ties). */
@inline export function maxNaN<T>(a: T, b: T): T {
  return a != a ? a : b != b ? b : a >= b ? a : b;
}

/** np.minimum for floats: NaN propagates. */
@inline export function minNaN<T>(a: T, b: T): T {
  return a != a ? a : b != b ? b : a <= b ? a : b;
}

/** np.floor_divide for integers: floor of the quotient; x // 0 is 0 and MIN // -1 wraps to MIN (NumPy 2). */
@inline export function floorDivInt<T>(a: T, b: T): T {
  if (b == <T>0) return <T>0;
  if (isSigned<T>()) {
    if (b == <T>-1) return <T>(<T>0 - a); // wraps for MIN, avoids the trapping division
    const q = a / b;
    return (a % b != <T>0) && ((a < <T>0) != (b < <T>0)) ? <T>(q - <T>1) : q;
  }
  return a / b;
}

/** np.remainder for integers: the result has the sign of the divisor; x % 0 is 0. */
@inline export function modInt<T>(a: T, b: T): T {
  if (b == <T>0) return <T>0;
  if (isSigned<T>()) {
    if (b == <T>-1) return <T>0;
    const r = a % b;
    return r != <T>0 && ((r < <T>0) != (b < <T>0)) ? <T>(r + b) : r;
  }
  return a % b;
}

/** np.fmod for integers: C's remainder (sign of the dividend); x fmod 0 is 0. */
@inline export function fmodInt<T>(a: T, b: T): T {
  if (b == <T>0) return <T>0;
  if (isSigned<T>() && b == <T>-1) return <T>0;
  return a % b;
}

/**
 * NumPy's npy_divmod for floats, split in its two results (a loop computing both calls both;
 * the shared fmod is cheap next to a memory access).
 */
@inline function floatMod<T>(a: T, b: T): T {
  let mod = <T>(a % b); // C fmod: the sign of a
  if (mod != <T>0) {
    if ((b < <T>0) != (mod < <T>0)) mod += b;
  } else {
    mod = copysign<T>(<T>0, b);
  }
  return mod;
}

/** np.floor_divide for floats (x // 0 is ±inf or nan, as a / b). */
@inline export function floorDivFloat<T>(a: T, b: T): T {
  if (b == <T>0) return a / b;
  const mod = <T>(a % b);
  let div = (a - mod) / b;
  if (mod != <T>0 && (b < <T>0) != (mod < <T>0)) div -= <T>1;
  if (div == <T>0) return copysign<T>(<T>0, a / b);
  let floordiv = floor<T>(div);
  if (div - floordiv > <T>0.5) floordiv += <T>1;
  return floordiv;
}

/** np.remainder for floats: the sign of the divisor; x % 0 is nan. */
@inline export function modFloat<T>(a: T, b: T): T {
  if (b == <T>0) return <T>(a % b);
  return floatMod<T>(a, b);
}
