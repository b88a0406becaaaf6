/**
 * Every loop of the built-in table, numbered (the records' shape is src/ufunc/loop-record.ts). The generator emits a Wasm switch over these
 * ids and the runtime calls `ufunc(id, plan)` with them, so both sides enumerate the table
 * here, in one order: table order, then each row's loop order.
 */
import type { LoopRecord } from '../ufunc/loop-record.js';
import { parseTypes, type LoopRow } from './loop-types.js';
import { UFUNC_TABLE, type UfuncName } from './ufunc-table.js';

/** A loop of the built-in table: its record and the table row it came from. */
export interface BuiltinLoop extends LoopRecord {
  readonly ufunc: UfuncName;
  readonly row: LoopRow;
}

function build(): { all: BuiltinLoop[]; byUfunc: Map<UfuncName, BuiltinLoop[]> } {
  const all: BuiltinLoop[] = [];
  const byUfunc = new Map<UfuncName, BuiltinLoop[]>();
  for (const name of Object.keys(UFUNC_TABLE) as UfuncName[]) {
    const list: BuiltinLoop[] = [];
    for (const row of UFUNC_TABLE[name].loops as LoopRow[]) {
      const { ins, outs } = parseTypes(row.types);
      const rec: BuiltinLoop = { id: all.length, ufunc: name, types: row.types, ins, outs, row };
      all.push(rec);
      list.push(rec);
    }
    byUfunc.set(name, list);
  }
  return { all, byUfunc };
}

const registry = build();

/** All loops, by id. */
export const ALL_LOOPS: readonly BuiltinLoop[] = registry.all;

/**
 * The loops of one built-in ufunc, in dispatch order.
 *
 * @example
 * ```ts
 * loopsOf('add').map((l) => l.types); // ['bool,bool->bool', 'int8,int8->int8', ...]
 * ```
 */
export function loopsOf(name: UfuncName): readonly BuiltinLoop[] {
  return registry.byUfunc.get(name)!;
}
