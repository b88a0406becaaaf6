/**
 * Bounds-check failures, from where a target notices one to the IndexError the call throws.
 *
 * Every target reports the same three numbers: the site (an index into the kernel's
 * `bounds`, ir/passes/bounds-check.ts), the index and the size of the axis.
 *   - Wasm (cpu, and the calling thread of a parallel call): the prelude's `__bc` stores
 *     site + 1, index and size in the module's exported globals `__nb_bsite`,
 *     `__nb_bindex`, `__nb_bsize` and traps; {@link readBoundsTrap} reads them after the
 *     RuntimeError (globals are per instance, so per thread).
 *   - parallel workers: the worker reads its instance's globals the same way and reports
 *     them in the call's trap message ({@link boundsMessage}); pool.ts parses it back
 *     ({@link parseBoundsMessage}).
 *   - the JS reference emitter: `rt.bc` throws the {@link BoundsTrap} itself.
 *   - WGSL (gpu): the first failing invocation writes site + 1, index and size into an
 *     error-flag buffer that the call reads back.
 * The factory that knows the kernel then turns the BoundsTrap into the IndexError
 * `E_KERNEL_BOUNDS` with the site's line, column and code frame ({@link kernelBoundsError}).
 */
import type { DType } from '../dtype/dtypes.js';
import { IndexError } from '../util/errors.js';
import type { BoundsSite } from './ir/nodes.js';

/** A failed bounds check, before it is matched to its kernel's sites. */
export class BoundsTrap extends Error {
  constructor(
    /** The site number (into the kernel's `bounds`). */
    readonly site: number,
    /** The index as the target held it (reinterpreted by the site's index dtype later). */
    readonly index: bigint,
    readonly size: number,
  ) {
    super(`bounds check ${site} failed: index ${index}, size ${size}`);
    this.name = 'BoundsTrap';
  }
}

/** The prefix of a worker's trap message that carries a bounds failure. */
const MESSAGE = 'numbats-bounds:';

/**
 * The trap message of a bounds failure (what a parallel worker writes).
 *
 * @example
 * ```ts
 * boundsMessage(3, 5n, 4); // 'numbats-bounds:3:5:4'
 * ```
 */
export function boundsMessage(site: number, index: bigint, size: number): string {
  return `${MESSAGE}${site}:${index}:${size}`;
}

/**
 * A worker's trap message as a BoundsTrap, or null when it is another trap.
 *
 * @example
 * ```ts
 * parseBoundsMessage('numbats-bounds:3:5:4')?.site; // 3
 * ```
 */
export function parseBoundsMessage(msg: string): BoundsTrap | null {
  const m = /^numbats-bounds:(\d+):(-?\d+):(-?\d+)/.exec(msg);
  return m === null ? null : new BoundsTrap(Number(m[1]), BigInt(m[2]!), Number(m[3]));
}

/** The exported globals of a module with bounds checks. */
interface BoundsGlobals {
  readonly __nb_bsite?: WebAssembly.Global;
  readonly __nb_bindex?: WebAssembly.Global;
  readonly __nb_bsize?: WebAssembly.Global;
}

/**
 * After a trap of an instance's code: the bounds failure it recorded (the record is
 * cleared), or null when the trap was something else.
 *
 * @example
 * ```ts
 * try { run(plan, core); } catch (e) { throw readBoundsTrap(exports) ?? e; }
 * ```
 */
export function readBoundsTrap(exports: object): BoundsTrap | null {
  const g = exports as BoundsGlobals;
  const site = g.__nb_bsite;
  if (site === undefined || site.value === 0) return null;
  const trap = new BoundsTrap((site.value as number) - 1, BigInt(g.__nb_bindex!.value as bigint), g.__nb_bsize!.value as number);
  site.value = 0;
  return trap;
}

/** The index value as the kernel's source means it (the targets pass 32-bit indices sign-extended). */
function indexValue(raw: bigint, t: DType): bigint {
  if (t === 'uint64') return BigInt.asUintN(64, raw);
  if (t === 'int64') return BigInt.asIntN(64, raw);
  return t.startsWith('uint') ? BigInt.asUintN(32, raw) : BigInt.asIntN(32, raw);
}

/**
 * The IndexError `E_KERNEL_BOUNDS` of a failed check of kernel `name` with sites `sites`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof BoundsTrap) throw kernelBoundsError('f', k.bounds, e); }
 * // IndexError: kernel 'f': index 4 is out of bounds for axis 0 of 'o' with size 4 (a write, line 3, column 5) ...
 * ```
 */
export function kernelBoundsError(name: string, sites: readonly BoundsSite[], trap: BoundsTrap): IndexError {
  const s = sites[trap.site];
  if (s === undefined) return new IndexError('E_KERNEL_BOUNDS', `kernel '${name}': an index is out of bounds (check ${trap.site}, index ${trap.index}, size ${trap.size})`);
  return new IndexError(
    'E_KERNEL_BOUNDS',
    `kernel '${name}': index ${indexValue(trap.index, s.indexType)} is out of bounds for axis ${s.axis} of '${s.array}' with size ${trap.size} ` +
      `(a ${s.write ? 'write' : 'read'}, line ${s.line}, column ${s.column}); nothing was ${s.write ? 'written' : 'read'} outside the array, ` +
      `and the call's outputs are incomplete\n${s.frame}`,
  );
}
