/**
 * Size classes of the heap allocator.
 *
 * Requests are rounded up to a class size so that a freed block serves any later request
 * of the same class. Classes are 16-byte steps up to 1 KiB (64 classes), then 8 classes
 * per power of two up to 4 GiB, so rounding wastes at most 12.5% of a large block.
 * Every class size is a multiple of 16, which keeps every block 16-byte aligned
 * (v128 loads and BigInt64Array views need at least 8).
 */

/** Alignment (and smallest block) in bytes. */
export const ALIGN = 16;
const SMALL_LIMIT = 1024;
const SMALL_CLASSES = SMALL_LIMIT / ALIGN; // 64
const SUBCLASS_BITS = 3; // 8 classes per power of two

/** Number of classes up to 4 GiB. */
export const CLASS_COUNT = SMALL_CLASSES + (32 - 10) * (1 << SUBCLASS_BITS);

/** Index of the smallest class whose size is >= `bytes`. */
export function ceilClass(bytes: number): number {
  const s = Math.max(ALIGN, bytes);
  if (s <= SMALL_LIMIT) return Math.ceil(s / ALIGN) - 1;
  const e = Math.floor(Math.log2(s - 1)); // 2^e < s <= 2^(e+1)
  const step = 2 ** (e - SUBCLASS_BITS);
  const sub = Math.ceil((s - 2 ** e) / step); // 1..8
  return SMALL_CLASSES + (e - 10) * (1 << SUBCLASS_BITS) + (sub - 1);
}

/** Size in bytes of class `c`. */
export function classSize(c: number): number {
  if (c < SMALL_CLASSES) return (c + 1) * ALIGN;
  const k = c - SMALL_CLASSES;
  const e = 10 + (k >> SUBCLASS_BITS);
  const sub = (k & ((1 << SUBCLASS_BITS) - 1)) + 1;
  return 2 ** e + sub * 2 ** (e - SUBCLASS_BITS);
}

/** Index of the largest class whose size is <= `bytes` (bytes >= ALIGN). */
export function floorClass(bytes: number): number {
  const c = ceilClass(bytes);
  return classSize(c) > bytes ? c - 1 : c;
}
