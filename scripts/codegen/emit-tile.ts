/**
 * The reduce tile `t_<id>` of a built-in binary SIMD loop (asm/ufunc/walk.ts's walk3r calls
 * it); the template, its steps and measurements are src/compiler/emit/assemblyscript/
 * reduce-tile.ts's (compiled kernels get the same tile).
 */
import type { BuiltinLoop as LoopRecord } from '../../src/builtins/loop-registry.js';
import { AS_TYPE, type AsType } from '../../src/builtins/loop-types.js';
import { reduceTileSource, tileChunk } from '../../src/compiler/emit/assemblyscript/reduce-tile.js';

export { TILE_ROWS } from '../../src/compiler/emit/assemblyscript/reduce-tile.js';

/** Whether loop `l` gets a reduce tile: a SIMD binary loop whose operands share one type. */
export function hasTile(l: LoopRecord): boolean {
  const t = AS_TYPE[l.outs[0]!];
  return l.row.simd !== undefined && l.row.reduce !== undefined && l.ins.length === 2 && l.outs.length === 1 &&
    l.ins.every((d) => AS_TYPE[d] === t);
}

/**
 * The tile function of loop `l` (hasTile(l) must hold). `size` is the element size in bytes;
 * `load`/`store` print a scalar load/store of type t (bool normalised), as the row's tail does.
 */
export function emitTile(
  l: LoopRecord, size: number, load: (t: AsType, p: string) => string, store: (t: AsType, p: string, v: string) => string,
): string {
  const t = AS_TYPE[l.outs[0]!];
  return reduceTileSource({
    name: `t_${l.id}`,
    size,
    vec: (va, vb) => `v_${l.id}(${va}, ${vb})`,
    scalar: (acc, x) => `k_${l.id}(${acc}, ${x})`,
    load: (p) => load(t, p),
    store: (p, v) => store(t, p, v),
    chunk: tileChunk(l.row.simd!),
  });
}
