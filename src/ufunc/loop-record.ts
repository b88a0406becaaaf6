/**
 * Loop records: NumPy's ArrayMethod reduced to what the ufunc machinery needs. The built-in
 * table numbers its loops (src/builtins/loop-registry.ts); kernels compiled at run time
 * (vectorize, guvectorize) register theirs here with their own executors. The ufunc layer
 * reads records and never asks where they came from.
 */
import type { DType } from '../dtype/dtypes.js';

/** How a contiguous row is reduced into one value (reduce's inner loop). */
export type ReduceKind = 'pairwise' | 'simd' | 'sequential';

/**
 * An error a loop reports by trapping (`unreachable()` in its body): NumPy raises from
 * inside the loop (integer power with a negative exponent), Wasm cannot, so the call turns
 * the trap into a ValueError with this code and message.
 */
export interface LoopTrap {
  code: string;
  message: string;
}

/** What the call paths read of a loop's row (the built-in table's rows carry more). */
export interface LoopTraits {
  /** `'float64,float64->float64'`: input dtypes, `->`, output dtypes. */
  readonly types: string;
  /** How `reduce` runs a contiguous row (binary loops whose inputs and output share a type). */
  readonly reduce?: ReduceKind | undefined;
  /** Set when the body may trap to report an error (see LoopTrap). */
  readonly traps?: LoopTrap | undefined;
}

/** A numbered loop. */
export interface LoopRecord {
  /** Index passed to the Wasm `ufunc` export (built-ins), or a registered id (kernels). */
  readonly id: number;
  readonly ufunc: string;
  readonly types: string;
  readonly ins: readonly DType[];
  readonly outs: readonly DType[];
  readonly row: LoopTraits;
  /**
   * A loop that is not in the built-in module (vectorize kernels): runs its own code.
   * `loop(plan)` takes a plan as `writePlan` writes it; `row(n, p0, s0, ..., pK, sK)` is the
   * contiguous 1-d fast path (byte strides). Built-in loops have none.
   */
  readonly exec?: LoopExec;
}

/** The executor of a loop compiled outside the built-in module. */
export interface LoopExec {
  /**
   * `ordered`: the plan reads what it writes (accumulate's out[i] = op(out[i-1], a[i])), so
   * its elements must be visited in order on this thread, never split into blocks.
   */
  loop(plan: number, ordered?: boolean): void;
  row?: (...args: number[]) => void;
}

/** Ids of loops registered with {@link registerLoop} start here (above every built-in id). */
export const CUSTOM_LOOP_BASE = 1 << 24;
const customLoops = new Map<number, LoopRecord>();
let nextCustomId = CUSTOM_LOOP_BASE;

/**
 * Register a loop with its own executor: returns the record with a fresh id, which
 * `runLoop(id, ...)` (src/ufunc/execute.ts) then runs with `exec.loop`.
 *
 * @example
 * ```ts
 * const rec = registerLoop({ ufunc: 'f', types: 'float64->float64', ins: ['float64'], outs: ['float64'], row, exec });
 * ```
 */
export function registerLoop(rec: Omit<LoopRecord, 'id'> & { exec: LoopExec }): LoopRecord {
  const full: LoopRecord = { ...rec, id: nextCustomId++ };
  customLoops.set(full.id, full);
  return full;
}

/**
 * The registered loop with this id, or undefined (built-in ids).
 *
 * @example
 * ```ts
 * customLoop(rec.id) === rec; // true
 * ```
 */
export function customLoop(id: number): LoopRecord | undefined {
  return id >= CUSTOM_LOOP_BASE ? customLoops.get(id) : undefined;
}
