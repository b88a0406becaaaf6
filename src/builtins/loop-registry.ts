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

/** The first loop id of each ufunc (table order), and the number of loops in all. */
let firstIds: { byUfunc: Map<UfuncName, number>; names: UfuncName[]; total: number } | undefined;
/** Each ufunc's loop records, made when the ufunc is first used (`import` parses no types). */
const records = new Map<UfuncName, BuiltinLoop[]>();

function numbering(): NonNullable<typeof firstIds> {
  if (firstIds === undefined) {
    const names = Object.keys(UFUNC_TABLE) as UfuncName[];
    const byUfunc = new Map<UfuncName, number>();
    let total = 0;
    for (const name of names) {
      byUfunc.set(name, total);
      total += UFUNC_TABLE[name].loops.length;
    }
    firstIds = { byUfunc, names, total };
  }
  return firstIds;
}

/**
 * The loops of one built-in ufunc, in dispatch order.
 *
 * @example
 * ```ts
 * loopsOf('add').map((l) => l.types); // ['bool,bool->bool', 'int8,int8->int8', ...]
 * ```
 */
export function loopsOf(name: UfuncName): readonly BuiltinLoop[] {
  let list = records.get(name);
  if (list === undefined) {
    const first = numbering().byUfunc.get(name)!;
    list = (UFUNC_TABLE[name].loops as LoopRow[]).map((row, k) => {
      const { ins, outs } = parseTypes(row.types);
      return { id: first + k, ufunc: name, types: row.types, ins, outs, row };
    });
    records.set(name, list);
  }
  return list;
}

/**
 * The loop with id `id`, or undefined when no built-in loop has it.
 *
 * @example
 * ```ts
 * loopById(0)?.types; // 'bool,bool->bool' (add's first loop)
 * ```
 */
export function loopById(id: number): BuiltinLoop | undefined {
  const { byUfunc, names, total } = numbering();
  if (!Number.isInteger(id) || id < 0 || id >= total) return undefined;
  let name = names[0]!;
  for (const n of names) {
    if (byUfunc.get(n)! > id) break;
    name = n;
  }
  return loopsOf(name)[id - byUfunc.get(name)!];
}

/**
 * All loops, by id (the generator's Wasm switch).
 *
 * @example
 * ```ts
 * allLoops().length; // every loop of the table
 * ```
 */
export function allLoops(): readonly BuiltinLoop[] {
  return numbering().names.flatMap((n) => loopsOf(n));
}
