/**
 * Platform seam: a plain byte copy between shared and unshared memory. V8's
 * TypedArray.prototype.set copies into or out of shared memory word by word (relaxed atomics);
 * Node's Buffer#copy is a memmove. The browser twin has only `set`.
 */

/**
 * Copy `src` into `dst` (same length).
 *
 * @example
 * ```ts
 * memmove(mapped, heapBytes);
 * ```
 */
export function memmove(dst: Uint8Array, src: Uint8Array): void {
  Buffer.from(src.buffer, src.byteOffset, src.byteLength).copy(Buffer.from(dst.buffer, dst.byteOffset, dst.byteLength));
}
