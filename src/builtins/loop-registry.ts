/**
 * Every loop of the built-in table, numbered. The generator emits a Wasm switch over these
 * ids and the runtime calls `ufunc(id, plan)` with them, so both sides enumerate the table
 * here, in one order: table order, then each row's loop order.
 */
import type { DType } from '../dtype/dtypes.js';
import { parseTypes, type LoopRow } from './loop-types.js';
import { UFUNC_TABLE, type UfuncName } from './ufunc-table.js';

/** A numbered loop: NumPy's ArrayMethod reduced to what numbats needs. */
export interface LoopRecord {
  /** Index passed to the Wasm `ufunc` export. */
  readonly id: number;
  readonly ufunc: UfuncName;
  readonly types: string;
  readonly ins: readonly DType[];
  readonly outs: readonly DType[];
  readonly row: LoopRow;
  /**
   * A loop that is not in the built-in module (vectorize kernels): runs its own code.
   * `loop(plan)` takes a plan as `writePlan` writes it; `row(n, p0, s0, ..., pK, sK)` is the
   * contiguous 1-d fast path (byte strides). Built-in loops have none.
   */
  readonly exec?: LoopExec;
}

/** The executor of a loop compiled outside the built-in module. */
export interface LoopExec {
  loop(plan: number): void;
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
export function registerLoop(rec: Omit<LoopRecord, 'id' | 'ufunc' | 'exec'> & { ufunc: string; exec: LoopExec }): LoopRecord {
  const full = { ...rec, id: nextCustomId++ } as unknown as LoopRecord;
  customLoops.set(full.id, full);
  return full;
}

/** The registered loop with this id, or undefined (built-in ids). */
export function customLoop(id: number): LoopRecord | undefined {
  return id >= CUSTOM_LOOP_BASE ? customLoops.get(id) : undefined;
}

function build(): { all: LoopRecord[]; byUfunc: Map<UfuncName, LoopRecord[]> } {
  const all: LoopRecord[] = [];
  const byUfunc = new Map<UfuncName, LoopRecord[]>();
  for (const name of Object.keys(UFUNC_TABLE) as UfuncName[]) {
    const list: LoopRecord[] = [];
    for (const row of UFUNC_TABLE[name].loops as LoopRow[]) {
      const { ins, outs } = parseTypes(row.types);
      const rec: LoopRecord = { id: all.length, ufunc: name, types: row.types, ins, outs, row };
      all.push(rec);
      list.push(rec);
    }
    byUfunc.set(name, list);
  }
  return { all, byUfunc };
}

const registry = build();

/** All loops, by id. */
export const ALL_LOOPS: readonly LoopRecord[] = registry.all;

/**
 * The loops of one built-in ufunc, in dispatch order.
 *
 * @example
 * ```ts
 * loopsOf('add').map((l) => l.types); // ['bool,bool->bool', 'int8,int8->int8', ...]
 * ```
 */
export function loopsOf(name: UfuncName): readonly LoopRecord[] {
  return registry.byUfunc.get(name)!;
}
