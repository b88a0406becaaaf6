/**
 * Constant tables (`options.constants` typed arrays, IRProgram.tables) in the direct emitter:
 * where a kernel's tables lie in the shared heap. asc's module carries them as static data,
 * relocated to a block the runtime reserves; the direct module has no data segment: the
 * runtime reserves the block (src/vectorize/tiered-kernels.ts), writes the tables' bytes
 * there with {@link writeTables} and the emitter bakes each table's address into its loads
 * as a constant (arrays.ts), so such a module only works on that memory at that address: it
 * is not portable (no cache entry; the parallel target's workers share the memory and the
 * block, so the same module runs there).
 */
import type { TableConst } from '../../ir/nodes.js';

/** Table k's byte offset in a kernel's block, each table 16-byte aligned (as asc's `memory.data<u8>(..., 16)`); `bytes`: the block's size. */
export function tableLayout(tables: readonly TableConst[]): { readonly offsets: readonly number[]; readonly bytes: number } {
  let at = 0;
  const offsets = tables.map((t) => {
    const o = at;
    // (an empty table still gets an address of its own: every index into it fails its check)
    at += Math.ceil(Math.max(bytesOf(t).byteLength, 1) / 16) * 16;
    return o;
  });
  return { offsets, bytes: at };
}

/**
 * Write the tables' elements (little-endian, packed, as the typed arrays hold them) into
 * `heap` at `base` + their {@link tableLayout} offsets.
 *
 * @example
 * ```ts
 * const { bytes } = tableLayout(k.ir.tables ?? []);
 * const base = heap.alloc(bytes);
 * writeTables(new Uint8Array(memory.buffer), base, k.ir.tables ?? []);
 * ```
 */
export function writeTables(heap: Uint8Array, base: number, tables: readonly TableConst[]): void {
  const { offsets } = tableLayout(tables);
  tables.forEach((t, k) => heap.set(bytesOf(t), base + offsets[k]!));
}

function bytesOf(t: TableConst): Uint8Array {
  const v = t.values as ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
