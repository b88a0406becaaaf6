/**
 * Integer scalar helpers with NumPy's semantics for the built-in ufunc table
 * (src/builtins/ufunc-table.ts): power, shifts, gcd/lcm, reciprocal. Generic over the
 * loop's AS integer type; `@inline` so each instantiation folds into its loop.
 *
 * NumPy's C code computes int8/int16 operations in `int` and truncates the result; wrapping
 * arithmetic in the narrow type gives the same bits, so the helpers work in T directly.
 */

/**
 * np.power for integers: square-and-multiply with wrapping products (NumPy's loop,
 * `out = in2 & 1 ? in1 : 1; in2 >>= 1; while (in2 > 0) { in1 *= in1; ... }`).
 * A negative exponent traps (`unreachable`): NumPy raises "Integers to negative integer
 * powers are not allowed.", and the call protocol turns the trap into that ValueError.
 */
@inline export function powInt<T>(a: T, b: T): T {
  if (isSigned<T>()) {
    if (b < <T>0) unreachable();
  }
  if (b == <T>0 || a == <T>1) return <T>1;
  let base = a;
  let e = b;
  let out: T = (e & <T>1) != <T>0 ? base : <T>1;
  e = <T>(e >> <T>1);
  while (e > <T>0) {
    base = <T>(base * base);
    if ((e & <T>1) != <T>0) out = <T>(out * base);
    e = <T>(e >> <T>1);
  }
  return out;
}

/** Bit width of T. */
@inline function bitsOf<T>(): u64 {
  return <u64>(sizeof<T>() * 8);
}

/**
 * np.left_shift: `a << b` while 0 <= b < width; 0 otherwise (a negative count is a huge
 * unsigned count in NumPy's `(size_t)b < width` test).
 */
@inline export function shlInt<T>(a: T, b: T): T {
  return <u64>b < bitsOf<T>() ? <T>(a << b) : <T>0;
}

/**
 * np.right_shift: arithmetic for signed T, logical for unsigned, while 0 <= b < width;
 * past the width the result is what shifting forever gives: -1 for a negative a, else 0.
 */
@inline export function shrInt<T>(a: T, b: T): T {
  if (<u64>b < bitsOf<T>()) return <T>(a >> b);
  if (isSigned<T>()) return a < <T>0 ? <T>-1 : <T>0;
  return <T>0;
}

/** |a| as an unsigned 64-bit value (|MIN| is 2^(width-1), as C's unsigned conversion of -MIN). */
@inline function absU64<T>(a: T): u64 {
  if (isSigned<T>()) {
    const w = <i64>a;
    return <u64>(w < 0 ? -w : w) & ((<u64>-1) >> (64 - bitsOf<T>()));
  }
  return <u64>a;
}

/** Euclid on unsigned values (NumPy's npy_gcdu: `while (a != 0) { c = a; a = b % a; b = c; }`). */
@inline function gcdU64(a: u64, b: u64): u64 {
  while (a != 0) {
    const c = a;
    a = b % a;
    b = c;
  }
  return b;
}

/** np.gcd: the gcd of |a| and |b| in unsigned arithmetic, cast back (gcd(MIN, 0) wraps to MIN). */
@inline export function gcdInt<T>(a: T, b: T): T {
  return <T>gcdU64(absU64<T>(a), absU64<T>(b));
}

/** np.lcm: |a| / gcd * |b| in unsigned arithmetic, wrapped to T; 0 when either is 0. */
@inline export function lcmInt<T>(a: T, b: T): T {
  const x = absU64<T>(a);
  const y = absU64<T>(b);
  const g = gcdU64(x, y);
  return g == 0 ? <T>0 : <T>((x / g) * y);
}

/**
 * np.reciprocal for integers: NumPy computes `1.0 / a` in double and converts back, so
 * 1 -> 1, -1 -> -1, other nonzero values -> 0, and 1 / 0 = inf converts as x86's cvttsd2si
 * does: INT_MIN for int32/int64, and the low bits of that (0) for the other types.
 */
@inline export function reciprocalInt<T>(a: T): T {
  if (a == <T>0) {
    if (isSigned<T>() && sizeof<T>() >= 4) return <T>(<i64>1 << (bitsOf<T>() - 1));
    return <T>0;
  }
  if (a == <T>1) return <T>1;
  if (isSigned<T>() && a == <T>-1) return <T>-1;
  return <T>0;
}

/** np.sign for integers: -1, 0 or 1 (0 or 1 for unsigned T). */
@inline export function signInt<T>(a: T): T {
  if (isSigned<T>()) return a > <T>0 ? <T>1 : a < <T>0 ? <T>-1 : <T>0;
  return a != <T>0 ? <T>1 : <T>0;
}

/** np.absolute for signed integers: wraps at MIN (abs(-128) is -128 in int8, as in NumPy). */
@inline export function absInt<T>(a: T): T {
  return a < <T>0 ? <T>(<T>0 - a) : a;
}
