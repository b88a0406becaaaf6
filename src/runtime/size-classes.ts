/**
 * Size classes of the heap allocator.
 *
 * Requests are rounded up to a class size so that a freed block serves any later request
 * of the same class. Classes are 16-byte steps up to 1 KiB (64 classes), then 8 classes
 * per power of two up to 4 GiB, so rounding wastes at most 12.5% of a large block (plus
 * the 1-2 MiB skew of classes from 16 MiB: {@link classSize}).
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
  const c = SMALL_CLASSES + (e - 10) * (1 << SUBCLASS_BITS) + (sub - 1);
  // A skewed class below may hold it already (81 MiB: the 80 MiB class, 82 MiB long).
  return c > 0 && classSize(c - 1) >= s ? c - 1 : c;
}

/**
 * Classes of 16 MiB and more are longer than the power-of-two steps make them: by 1 MiB up
 * to 32 MiB (sizes then odd in MiB), by 2 MiB above (steps of 4 MiB and more: sizes then 2
 * MiB more than a multiple of 4 MiB).
 * Why: blocks of one class sit at multiples of the class size from one another, and the plain
 * sizes are multiples of 2 MiB or more, so two 80 MiB arrays one block apart were 160 MiB
 * apart; on this project's machines a loop that reads one array and writes another whose
 * distance is within ~1 MiB of a multiple of 32 MiB runs 15-25% slower (exp over 1e7
 * float64: 1.35 ns/element at 96, 128 or 160 MiB, 1.17 at 88, 112, 144, 162 MiB;
 * bench/README.md, exp fourth pass). With the skew, k blocks of one class are a multiple
 * of 32 MiB apart only for k a multiple of 16, and otherwise at least 1 MiB from one.
 * It costs at most 2 MiB per block (6% at 16 MiB, 2.5% at 80 MiB).
 */
const MIB = 2 ** 20;

/** Size in bytes of class `c`. */
export function classSize(c: number): number {
  if (c < SMALL_CLASSES) return (c + 1) * ALIGN;
  const k = c - SMALL_CLASSES;
  const e = 10 + (k >> SUBCLASS_BITS);
  const sub = (k & ((1 << SUBCLASS_BITS) - 1)) + 1;
  const base = 2 ** e + sub * 2 ** (e - SUBCLASS_BITS);
  if (base < 16 * MIB) return base;
  return base + (base <= 32 * MIB ? MIB : 2 * MIB);
}

/** Index of the largest class whose size is <= `bytes` (bytes >= ALIGN). */
export function floorClass(bytes: number): number {
  // (a skewed class can be longer than `bytes` even below ceilClass: step down until it fits)
  let c = ceilClass(bytes);
  while (c > 0 && classSize(c) > bytes) c--;
  return c;
}
