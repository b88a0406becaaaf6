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
import { IndexError, MemoryError, ValueError } from '../util/errors.js';
import type { BoundsSite, ScratchSite } from './ir/nodes.js';

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

/**
 * A failed scratch allocation (`new Float64Array(n)` in a kernel), before it is matched to its
 * kernel's sites: the length asked for, and the arena bytes that were left (-1: the length
 * is negative, whatever the arena holds).
 */
export class ScratchTrap extends Error {
  constructor(
    /** The site number (into the kernel's `scratch`). */
    readonly site: number,
    readonly length: bigint,
    readonly left: number,
  ) {
    super(`scratch allocation ${site} failed: length ${length}, ${left} bytes left`);
    this.name = 'ScratchTrap';
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

/** The exported globals of a module with bounds checks (and scratch arrays). */
interface BoundsGlobals {
  readonly __nb_bsite?: WebAssembly.Global;
  readonly __nb_bindex?: WebAssembly.Global;
  readonly __nb_bsize?: WebAssembly.Global;
  readonly __nb_ssite?: WebAssembly.Global;
  readonly __nb_slen?: WebAssembly.Global;
  readonly __nb_sleft?: WebAssembly.Global;
}

/** The prefix of a worker's trap message that carries a failed scratch allocation. */
const SCRATCH_MESSAGE = 'numbats-scratch:';

/**
 * After a trap of an instance's code: the failed scratch allocation it recorded (cleared),
 * or null.
 *
 * @example
 * ```ts
 * try { run(plan, core); } catch (e) { throw readScratchTrap(exports) ?? readBoundsTrap(exports) ?? e; }
 * ```
 */
export function readScratchTrap(exports: object): ScratchTrap | null {
  const g = exports as BoundsGlobals;
  const site = g.__nb_ssite;
  if (site === undefined || site.value === 0) return null;
  const len = BigInt(g.__nb_slen!.value as bigint);
  const trap = new ScratchTrap((site.value as number) - 1, len, len < 0n ? -1 : g.__nb_sleft!.value as number);
  site.value = 0;
  return trap;
}

/**
 * The trap message of a failed scratch allocation (what a parallel worker writes), and back.
 *
 * @example
 * ```ts
 * parseScratchMessage(scratchMessage(0, 10n, 8))?.length; // 10n
 * ```
 */
export function scratchMessage(site: number, length: bigint, left: number): string {
  return `${SCRATCH_MESSAGE}${site}:${length}:${left}`;
}

/** A worker's trap message as a ScratchTrap, or null when it is another trap. */
export function parseScratchMessage(msg: string): ScratchTrap | null {
  const m = /^numbats-scratch:(\d+):(-?\d+):(-?\d+)/.exec(msg);
  return m === null ? null : new ScratchTrap(Number(m[1]), BigInt(m[2]!), Number(m[3]));
}

/**
 * The error of a failed scratch allocation of kernel `name` (sites `sites`, an arena of
 * `arenaBytes` per thread): ValueError `E_KERNEL_SCRATCH_LENGTH` for a negative length
 * (JavaScript's RangeError), MemoryError `E_KERNEL_SCRATCH` for more than the arena holds.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ScratchTrap) throw kernelScratchError('median', k.scratch, e, 1 << 20); }
 * ```
 */
export function kernelScratchError(name: string, sites: readonly ScratchSite[], trap: ScratchTrap, arenaBytes: number): ValueError | MemoryError {
  const s = sites[trap.site];
  const where = s === undefined ? '' : ` (line ${s.line}, column ${s.column})\n${s.frame}`;
  const what = s === undefined ? 'a scratch array' : `new ${s.ctor}(${trap.length}) for '${s.array}'`;
  if (trap.length < 0n || trap.left < 0) {
    return new ValueError('E_KERNEL_SCRATCH_LENGTH', `kernel '${name}': ${what}: invalid length ${trap.length} (JavaScript throws a RangeError for a negative length); the call's outputs are incomplete${where}`);
  }
  const bytes = s === undefined ? '' : ` (${BigInt(s.itemSize) * trap.length} bytes)`;
  return new MemoryError(
    'E_KERNEL_SCRATCH',
    `kernel '${name}': ${what}${bytes} does not fit its scratch arena: ${trap.left} of ${arenaBytes} bytes were left. ` +
      `Raise the kernel's scratchBytes option (the arena per thread, default 1 MiB, at most 1 GiB); the call's outputs are incomplete${where}`,
  );
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
