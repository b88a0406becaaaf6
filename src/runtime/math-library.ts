/**
 * numbats' math library at run time: the functions of compiler/emit/wasm/math-imports.ts
 * (`exp_f64`, `pow_f32`, ...), built from compiler/emit/assemblyscript/math-library.ts's
 * source, as the import object `nbmath` of the direct modules that call them.
 *
 * Not built yet: {@link mathLibraryExports} returns null, and a kernel that calls one of
 * these functions goes to asc as before.
 */

/** The library's exports by name, or null while this thread has no library. */
export type MathLibraryExports = Readonly<Record<string, (...args: number[]) => number>>;

/**
 * The library's exports on this thread (instantiated on first use), or null when there is none.
 *
 * @example
 * ```ts
 * const lib = mathLibraryExports();
 * lib?.exp_f64(1); // Math.E
 * ```
 */
export function mathLibraryExports(): MathLibraryExports | null {
  return null;
}
