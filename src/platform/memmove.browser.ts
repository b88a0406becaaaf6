/** Platform seam, browser side of memmove.node.ts: `TypedArray#set` (no Buffer in browsers). */

/** Copy `src` into `dst` (same length). */
export function memmove(dst: Uint8Array, src: Uint8Array): void {
  dst.set(src);
}
