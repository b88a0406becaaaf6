/**
 * `nb.math`: scalar functions JavaScript's Math lacks, for plain JS and for kernels on every
 * target (a kernel calls them as `nb.math.erf(x)` through whatever name numbats was imported
 * as, or by a bare imported name: docs/guide/07-kernel-language.md).
 *
 * All are float64 functions of numbers (clamp also of bigints). Accuracy, measured against
 * 256-bit mpmath (scripts/math-functions-fixtures.py, test/math/functions.test.ts): erf 1.0
 * ulp, erfc 1.68, gamma 0.51, lgamma 1.53 (away from its zeros at negative x), sinc 1.24,
 * deg2rad 0.64 and rad2deg 0.79 (NumPy's formula, bit for bit), copysign, nextafter, ldexp and clamp
 * exact. Kernels on the cpu and parallel targets compute the same bits (float32 kernels
 * round the float64 result); the gpu target has float32 versions (see the guide for their
 * measured bounds).
 */
import { erf, erfc } from './erf.js';
import { clamp, copysign, deg2rad, ldexp, nextafter, rad2deg, sinc } from './elementary.js';
import { gamma, lgamma } from './gamma.js';

export { erf, erfc, gamma, lgamma, copysign, nextafter, ldexp, deg2rad, rad2deg, sinc, clamp };

/**
 * `nb.math`: erf, erfc, gamma, lgamma, copysign, nextafter, ldexp, deg2rad, rad2deg, sinc and
 * clamp, as plain JS functions (a frozen namespace); kernels call them as `nb.math.<name>(...)`.
 *
 * @example
 * ```ts
 * nb.math.erf(0.5); // 0.5204998778130465
 * nb.math.lgamma(100); // 359.13420536957545
 * const f = nb.vectorize('f8(f8)')((x: number) => nb.math.gamma(x + 1));
 * f(nb.array([4, 0.5])).toArray(); // [24, 0.886226925452758]
 * ```
 */
export const math = Object.freeze({ erf, erfc, gamma, lgamma, copysign, nextafter, ldexp, deg2rad, rad2deg, sinc, clamp });

/** The names of nb.math's functions (what a kernel may call as `nb.math.<name>`). */
export const MATH_FUNCTION_NAMES: readonly string[] = Object.freeze(Object.keys(math));
