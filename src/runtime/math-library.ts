/**
 * numbats' math library at run time: the functions of compiler/emit/wasm/math-imports.ts
 * (`exp_f64`, `pow_f32`, ...), built by asc -O3 from compiler/emit/assemblyscript/math-library.ts's
 * source (scripts/build-asm.mjs), as the import object `nbmath` of the direct modules that
 * call them.
 *
 * Nothing is loaded until a kernel needs the library: the module is compiled on the first
 * {@link mathLibraryModule} (a 44 KB module: ~1 ms here, bench/README.md "The math library")
 * and instantiated once per thread. Its memory is its own, declared by the module and never
 * shared: it holds only the library's static data (the exp / log / pow tables, rem_pio2's
 * bits of 2/pi), which on the heap memory would overwrite the allocator's blocks. The
 * functions take and return scalars, so no instance ever reads the heap. The pool's workers
 * get the compiled module with a task whose kernel module imports it (parallel/pool.ts) and
 * instantiate it once each (parallel/worker-source.ts).
 */
import { mathLibraryBytes } from './math-library-bytes.js';

/**
 * The import module name the library is provided under (compiler/emit/wasm/math-imports.ts
 * `MATH_MODULE`; the runtime cannot import the compiler layer, a test checks they agree).
 */
export const MATH_LIBRARY_MODULE = 'nbmath';

/** The library's exports by name: float functions of one or two numbers (`ldexp_*`: a float and an i32). */
export type MathLibraryExports = Readonly<Record<string, (...args: number[]) => number>>;

let compiled: WebAssembly.Module | undefined;
let here: MathLibraryExports | undefined;

/**
 * The compiled library (compiled on first use, once per process). Post it to workers rather
 * than recompiling it there.
 *
 * @example
 * ```ts
 * WebAssembly.Module.exports(mathLibraryModule()).some((e) => e.name === 'exp_f64'); // true
 * ```
 */
export function mathLibraryModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(mathLibraryBytes());
  return compiled;
}

/**
 * Instantiate the library (no imports: its memory is its own). Each call makes a new
 * instance; a thread keeps one ({@link mathLibraryExports}).
 *
 * @param module - a compiled library to instantiate instead of this thread's (one a worker received)
 * @example
 * ```ts
 * instantiateMathLibrary().pow_f64(2, 10); // 1024
 * ```
 */
export function instantiateMathLibrary(module: WebAssembly.Module = mathLibraryModule()): MathLibraryExports {
  return new WebAssembly.Instance(module, {}).exports as unknown as MathLibraryExports;
}

/**
 * The library's exports on this thread (instantiated on first use): the `nbmath` import
 * object of a direct module.
 *
 * @example
 * ```ts
 * const instance = new WebAssembly.Instance(kernelModule, { env: { memory }, nbmath: mathLibraryExports() });
 * mathLibraryExports().exp_f64(1); // Math.E
 * ```
 */
export function mathLibraryExports(): MathLibraryExports {
  here ??= instantiateMathLibrary();
  return here;
}

/**
 * True when `module` imports from the library (a direct module calling `nbmath.*`).
 *
 * @example
 * ```ts
 * importsMathLibrary(kernelModule); // true when it calls e.g. nbmath.exp_f64
 * ```
 */
export function importsMathLibrary(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.module === MATH_LIBRARY_MODULE);
}
