/**
 * The error classes numbats throws.
 *
 * Every error is a {@link NumbatsError} with a stable `code` string, so callers and tests
 * can branch on the code rather than on the wording of the message (which may improve).
 * Codes are grouped by class: `E_SHAPE_*`, `E_CAST_*`, `E_DTYPE_*`, `E_INDEX_*` (and
 * `E_KERNEL_BOUNDS`, an IndexError), `E_TARGET_*`, `E_MEMORY_*`, `E_VALUE_*`; a `KernelError` carries the kernel compiler's
 * diagnostic code `NBxxxx` (the catalogue is `nb.KERNEL_DIAGNOSTICS`, with the ranges in
 * src/compiler/frontend/diagnostics.ts).
 */

/**
 * Base class of every error numbats throws.
 *
 * @example
 * ```ts
 * try { nb.zeros([2, 3]).reshape([4]); }
 * catch (e) { if (e instanceof nb.NumbatsError) console.log(e.code); } // 'E_SHAPE_RESHAPE'
 * ```
 */
export class NumbatsError extends Error {
  /** A stable, machine-readable identifier of the failure. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    // The class's name as written (set on each prototype below): a minified build (dist/browser.js)
    // renames classes, so `new.target.name` would read e.g. 'O' there.
    this.name = (new.target.prototype as Error).name;
  }
}

/**
 * Shapes do not fit: broadcasting, reshape, `out` of the wrong shape, bad axes.
 *
 * @example
 * ```ts
 * nb.broadcastShapes([2, 3], [4]); // throws ShapeError (code 'E_SHAPE_BROADCAST')
 * ```
 */
export class ShapeError extends NumbatsError {}

/**
 * A cast that the requested casting rule forbids.
 *
 * @example
 * ```ts
 * nb.zeros([2]).astype('int32', { casting: 'safe' }); // throws CastingError
 * ```
 */
export class CastingError extends NumbatsError {}

/**
 * An unknown dtype, or a value that cannot be represented in the requested dtype.
 *
 * @example
 * ```ts
 * nb.zeros([2], 'float128' as any); // throws DTypeError (code 'E_DTYPE_UNKNOWN')
 * ```
 */
export class DTypeError extends NumbatsError {}

/**
 * An index or axis out of range, or a malformed index/slice specification; also a kernel
 * that indexes outside a core array (code `E_KERNEL_BOUNDS`, with the kernel's line and
 * column in the message: checked indexing, the `boundscheck` option of the kernel factories).
 *
 * @example
 * ```ts
 * nb.zeros([2]).get(5); // throws IndexError (code 'E_INDEX_RANGE')
 * const last = nb.guvectorize('void(f8[:], f8[:])', '(n)->()')((a: Float64Array, o: Float64Array) => { o[0] = a[a.length]!; });
 * last(nb.ones([3])); // throws IndexError (code 'E_KERNEL_BOUNDS'): index 3 is out of bounds for axis 0 of 'a' with size 3 ...
 * ```
 */
export class IndexError extends NumbatsError {}

/**
 * A kernel that numbats cannot compile. Carries the position in the kernel's source.
 *
 * @example
 * ```ts
 * try { nb.vectorize('f8(f8)')((x) => console.log(x)); }
 * catch (e) { if (e instanceof nb.KernelError) console.log(e.line, e.column); }
 * ```
 */
export class KernelError extends NumbatsError {
  /** 1-based line in the kernel's source text. */
  readonly line: number;
  /** 1-based column in the kernel's source text. */
  readonly column: number;
  /** A few lines of the kernel's source with a caret under the offending column. */
  readonly frame: string;
  constructor(code: string, message: string, line: number, column: number, frame: string) {
    super(code, `${message} (line ${line}, column ${column})\n${frame}`);
    this.line = line;
    this.column = column;
    this.frame = frame;
  }
}

/**
 * A target that cannot run: no GPU adapter, a worker that died, a lost device.
 *
 * @example
 * ```ts
 * // thrown, for example, when target 'gpu' is requested and no WebGPU adapter exists
 * ```
 */
export class TargetError extends NumbatsError {}

/**
 * The array heap cannot serve a request: the wasm32 4 GiB limit, use after `dispose()`, or
 * `nb.scope()` given an async callback (`E_MEMORY_SCOPE_ASYNC`).
 *
 * @example
 * ```ts
 * const a = nb.zeros([3]); a.dispose();
 * a.get(0); // throws MemoryError (code 'E_MEMORY_DISPOSED')
 * ```
 */
export class MemoryError extends NumbatsError {}

/**
 * A value argument that is not acceptable (a bad `num` for linspace, a non-scalar to `item()`, ...).
 *
 * @example
 * ```ts
 * nb.zeros([2]).item(); // throws ValueError (code 'E_VALUE_ITEM')
 * ```
 */
export class ValueError extends NumbatsError {}

// Each error class's name, spelled out (minifiers rename classes; see NumbatsError's constructor).
for (const [cls, name] of [
  [NumbatsError, 'NumbatsError'], [ShapeError, 'ShapeError'], [CastingError, 'CastingError'], [DTypeError, 'DTypeError'],
  [IndexError, 'IndexError'], [KernelError, 'KernelError'], [TargetError, 'TargetError'], [MemoryError, 'MemoryError'],
  [ValueError, 'ValueError'],
] as const) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}
