/**
 * The exact and nearly exact members of nb.math: copysign, nextafter, ldexp, clamp (exact),
 * deg2rad and rad2deg (NumPy's formulas, bit for bit), and sinc (sin(pi x)/(pi x) through an
 * exact reduction). Each is written once more, operation for operation, in the kernels'
 * AssemblyScript (src/compiler/emit/assemblyscript/math-prelude.ts).
 */
import { DTypeError } from '../util/errors.js';
import { fromWords, highWord, lowWord, pow2 } from './bits.js';
import { PI_HI, PI_LO, SIN_POLY, dd, sinpi, twoProd } from './libm.js';

const [S1, S2, S3, S4, S5, S6] = SIN_POLY;
const DEG2RAD = Math.PI / 180;
const RAD2DEG = 180 / Math.PI;

/**
 * x with the sign of y (C's and NumPy's copysign): the sign bit of y, so -0 and a NaN with
 * its sign bit set count as negative. Exact.
 *
 * @example
 * ```ts
 * nb.math.copysign(3, -0); // -3
 * nb.math.copysign(-2, 1); // 2
 * ```
 */
export function copysign(x: number, y: number): number {
  const sx = highWord(x) < 0;
  const sy = highWord(y) < 0;
  return sx === sy ? x : -x;
}

/**
 * The next float64 after x in the direction of y (C's and NumPy's nextafter): y when x == y,
 * NaN when either is NaN, ±5e-324 (the smallest subnormal) from zero. Exact.
 *
 * @example
 * ```ts
 * nb.math.nextafter(1, 2); // 1.0000000000000002
 * nb.math.nextafter(0, -1); // -5e-324
 * ```
 */
export function nextafter(x: number, y: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 5e-324 : -5e-324;
  let hi = highWord(x);
  let lo = lowWord(x);
  // Away from zero when |y| > |x| on x's side, else toward it: the bits of |x| step by one.
  if ((x > 0) === (y > x)) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi += 1;
  } else {
    if (lo === 0) hi -= 1;
    lo = (lo - 1) >>> 0;
  }
  return fromWords(hi, lo);
}

/**
 * x * 2^n rounded once (C's and NumPy's ldexp; musl's scalbn steps): exact unless the
 * result overflows or is subnormal. `n` must be an integer (NumPy's ldexp takes integer
 * exponents only); exponents beyond int32 act as int32's ends, as NumPy's int64 loop does.
 *
 * @throws DTypeError (`E_DTYPE_NO_LOOP`) when n is not an integer.
 * @example
 * ```ts
 * nb.math.ldexp(0.75, 4); // 12
 * nb.math.ldexp(1, -1074); // 5e-324
 * ```
 */
export function ldexp(x: number, n: number): number {
  if (!Number.isInteger(n)) {
    throw new DTypeError('E_DTYPE_NO_LOOP', `nb.math.ldexp: the exponent must be an integer, got ${n} (NumPy's ldexp has integer exponents only)`);
  }
  let k = n > 2147483647 ? 2147483647 : n < -2147483648 ? -2147483648 : n;
  let y = x;
  if (k > 1023) {
    y *= pow2(1023);
    k -= 1023;
    if (k > 1023) {
      y *= pow2(1023);
      k -= 1023;
      if (k > 1023) k = 1023;
    }
  } else if (k < -1022) {
    // Scale by 2^-969 (2^-1022 * 2^53) so that the last step alone rounds into the subnormals.
    y *= pow2(-969);
    k += 969;
    if (k < -1022) {
      y *= pow2(-969);
      k += 969;
      if (k < -1022) k = -1022;
    }
  }
  return y * pow2(k);
}

/**
 * Degrees to radians as NumPy computes it, x * (pi / 180) with the constant rounded first
 * (the bits of nb.deg2rad's float64 loop); measured within 0.64 ulp of x * pi / 180.
 *
 * @example
 * ```ts
 * nb.math.deg2rad(180); // 3.141592653589793
 * ```
 */
export function deg2rad(x: number): number {
  return x * DEG2RAD;
}

/**
 * Radians to degrees as NumPy computes it, x * (180 / pi) with the constant rounded first
 * (the bits of nb.rad2deg's float64 loop); measured within 0.79 ulp of x * 180 / pi.
 *
 * @example
 * ```ts
 * nb.math.rad2deg(Math.PI / 2); // 90
 * ```
 */
export function rad2deg(x: number): number {
  return x * RAD2DEG;
}

/**
 * The normalized sinc function, sin(pi x)/(pi x), 1 at 0 (NumPy's np.sinc).
 *
 * Method: |x| < 1/4: 1 + z (S1 + z r(z)), z = (pi x)^2, with fdlibm's sine polynomial;
 * otherwise sin(pi x) with the reduction modulo 2 done exactly (so exactly 0 at every
 * nonzero integer, where NumPy's sin(pi*x)/(pi*x) gives about 1e-17), divided by pi x held as
 * a double-double. Measured against 256-bit mpmath on the 2,441 inputs of
 * test/fixtures/math-functions.json: max error 1.24 ulp (asserted <= 1.5). sinc(±Infinity) is
 * NaN, as NumPy's.
 *
 * @example
 * ```ts
 * nb.math.sinc(0); // 1
 * nb.math.sinc(0.5); // 0.6366197723675814
 * nb.math.sinc(3); // 0
 * ```
 */
export function sinc(x: number): number {
  const a = Math.abs(x);
  if (a < 0.25) {
    const y = PI_HI * a;
    const z = y * y;
    const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
    return 1 + z * (S1 + z * r);
  }
  if (!(a < 4503599627370496)) return a === Infinity || x !== x ? NaN : 0;
  const s = sinpi(a);
  // s / (pi a) with pi a = ph + pl: q0, its remainder s - q0 (ph + pl), one correction.
  const ph = twoProd(PI_HI, a);
  const pl = dd.lo + PI_LO * a;
  const q0 = s / ph;
  const p = twoProd(q0, ph);
  const rem = ((s - p) - dd.lo) - q0 * pl;
  return q0 + rem / ph;
}

/**
 * x limited to [lo, hi]: Math.min(Math.max(x, lo), hi), so NaN in any argument gives NaN,
 * -0 < +0, and lo > hi gives hi (as NumPy's np.clip). Exact. Numbers or bigints (all three
 * of one kind).
 *
 * @example
 * ```ts
 * nb.math.clamp(7, 0, 5); // 5
 * nb.math.clamp(-1.5, 0, 5); // 0
 * nb.math.clamp(3n, 0n, 2n); // 2n
 * ```
 */
export function clamp<T extends number | bigint>(x: T, lo: T, hi: T): T {
  if (typeof x === 'bigint' || typeof lo === 'bigint' || typeof hi === 'bigint') {
    const m = (x as bigint) > (lo as bigint) ? x : lo;
    return (m < hi ? m : hi);
  }
  return Math.min(Math.max(x as number, lo as number), hi as number) as T;
}

const F32 = new Float32Array(1);
const U32F = new Uint32Array(F32.buffer);

/**
 * nextafter on float32 values (the step of a float32 ulp), as NumPy's float32 loop: for
 * float32 kernels' JS tier (the Wasm tier has the same function in its prelude).
 *
 * @example
 * ```ts
 * nextafterFloat32(1, 2); // 1.0000001192092896
 * ```
 */
export function nextafterFloat32(x: number, y: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 1.401298464324817e-45 : -1.401298464324817e-45;
  F32[0] = x;
  U32F[0] = (x > 0) === (y > x) ? U32F[0]! + 1 : U32F[0]! - 1;
  return F32[0]!;
}
