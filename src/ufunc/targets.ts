/**
 * The target registry of the ufunc layer (Numba's target registry is the model): the
 * targets (src/parallel, src/gpu) register here when they load, and the call paths ask the
 * registry; nothing in the core imports a target. A target may
 *
 *   - own a device (`device`): a ufunc call with an operand whose storage lives there
 *     (`storage.device`) is handed whole to the target's `callUfunc` (the gpu target);
 *   - take loops from the host paths: `runLoop` is offered every planned loop (runLoop in
 *     execute.ts) and `runRow` every contiguous 1-d row of a built-in loop on the fast path
 *     with at least `rowMin` elements (the parallel target). A target returns false to
 *     decline, and the caller then runs the loop on the calling thread.
 *
 * The fast path reads `rowGate.min` (the smallest `rowMin`) before it offers anything, so
 * a program that never enables parallel built-ins pays one comparison per call.
 */
import type { NDArray } from '../ndarray/ndarray.js';
import type { IterationPlan } from '../ndarray/iteration-plan.js';
import type { Operand } from '../ndarray/operand.js';
import type { UfuncDispatch } from './dispatch.js';

/** A planned loop call, as runLoop offers it. */
export interface PlannedLoop {
  readonly loopId: number;
  readonly ins: readonly NDArray[];
  readonly outs: readonly NDArray[];
  readonly inOps: readonly Operand[];
  readonly outOps: readonly Operand[];
  readonly plan: IterationPlan;
  /** See RunOptions in execute.ts. */
  readonly allowOverlap?: boolean | undefined;
  readonly identity?: number | bigint | undefined;
}

/** What a target can do for the ufunc layer (every member optional but `name`). */
export interface UfuncTarget {
  readonly name: string;
  /** The device whose arrays this target computes on (matches `storage.device`). */
  readonly device?: string;
  /** Run a whole ufunc call that has an operand on `device`. */
  callUfunc?(u: UfuncDispatch & { nout: number }, args: readonly unknown[]): unknown;
  /** Run a planned loop and return true, or return false to leave it to the caller. */
  runLoop?(call: PlannedLoop): boolean;
  /**
   * Run a contiguous row of built-in loop `loopId` (`args`: byte address and byte stride of
   * each input, then the output) and return true, or return false.
   */
  runRow?(loopId: number, n: number, args: readonly number[], nin: number): boolean;
  /** Rows shorter than this are not offered to `runRow` (read at every {@link refreshRowGate}). */
  readonly rowMin?: number;
}

const targets: UfuncTarget[] = [];
const byDevice = new Map<string, UfuncTarget>();

/** The smallest row any target takes (Infinity: none); the fast path compares with it. */
export const rowGate = { min: Infinity };

/**
 * Register a target (a later one of the same name replaces it).
 *
 * @example
 * ```ts
 * registerUfuncTarget({ name: 'gpu', device: 'gpu', callUfunc: callOnGpu });
 * ```
 */
export function registerUfuncTarget(t: UfuncTarget): void {
  const at = targets.findIndex((x) => x.name === t.name);
  if (at >= 0) targets.splice(at, 1);
  targets.push(t);
  if (t.device !== undefined) byDevice.set(t.device, t);
  refreshRowGate();
}

/**
 * Recompute {@link rowGate} (a target calls it when its `rowMin` changes).
 *
 * @example
 * ```ts
 * refreshRowGate();
 * ```
 */
export function refreshRowGate(): void {
  let min = Infinity;
  for (const t of targets) if (t.runRow !== undefined) min = Math.min(min, t.rowMin ?? 0);
  rowGate.min = min;
}

function deviceOfOperand(x: unknown): string | undefined {
  if (x === null || typeof x !== 'object') return undefined;
  return (x as { storage?: { device?: string } }).storage?.device;
}

/**
 * The target that owns a device one of the arguments (or the `out` option) lives on, or
 * undefined for a host call.
 *
 * @example
 * ```ts
 * const t = deviceTargetOf(args);
 * if (t) return t.callUfunc!(u, args);
 * ```
 */
export function deviceTargetOf(args: readonly unknown[]): UfuncTarget | undefined {
  if (byDevice.size === 0) return undefined;
  for (const a of args) {
    let d = deviceOfOperand(a);
    if (d === undefined && a !== null && typeof a === 'object' && 'out' in a) {
      const out = (a as { out?: unknown }).out;
      for (const o of Array.isArray(out) ? out : [out]) d ??= deviceOfOperand(o);
    }
    if (d !== undefined) return byDevice.get(d);
  }
  return undefined;
}

/**
 * Offer a planned loop to the targets; true when one ran it.
 *
 * @example
 * ```ts
 * if (offerLoop({ loopId, ins, outs, inOps, outOps, plan })) return;
 * ```
 */
export function offerLoop(call: PlannedLoop): boolean {
  for (const t of targets) if (t.runLoop !== undefined && t.runLoop(call)) return true;
  return false;
}

/**
 * Offer a contiguous row of a built-in loop to the targets; true when one ran it. Callers
 * check `n >= rowGate.min` first.
 *
 * @example
 * ```ts
 * if (n >= rowGate.min && offerRow(loop.id, n, [pa, sa, po, so], 1)) return o;
 * ```
 */
export function offerRow(loopId: number, n: number, args: readonly number[], nin: number): boolean {
  for (const t of targets) if (t.runRow !== undefined && n >= (t.rowMin ?? 0) && t.runRow(loopId, n, args, nin)) return true;
  return false;
}
