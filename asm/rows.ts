/**
 * One row (the innermost dimension) of a copy-with-conversion: the contiguous loop (byte
 * copy, or 4-lane SIMD main loop plus scalar tail) and the strided scalar loop.
 *
 * Pointers are byte addresses in the shared heap; strides are in bytes and may be negative
 * or 0. Pointer arithmetic is usize (u32) and wraps, so a negative stride added as usize
 * moves backwards.
 */
import { convert, loadElement } from './convert';
import { hasSimdStep, simdStep4 } from './simd-convert';

/**
 * True when S -> D is a plain byte copy: the same type, or integers of one width that differ
 * only in signedness (NumPy's wraparound is then the identity on the bits). bool -> bool
 * copies raw bytes too, as NumPy does; bool <-> uint8 is not a copy (non-zero -> 1).
 */
@inline
export function isByteCopy<S, D>(): bool {
  return sizeof<S>() == sizeof<D>() &&
    isBoolean<S>() == isBoolean<D>() &&
    isFloat<S>() == isFloat<D>();
}

/** True for u8, u16, u32, u64: the types byte copies are instantiated with. */
@inline
export function isRawBits<T>(): bool {
  return isInteger<T>() && !isSigned<T>() && !isBoolean<T>();
}

/** Convert n contiguous elements: src holds S's, dst receives D's. */
export function copyRowContiguous<S, D>(src: usize, dst: usize, n: usize): void {
  if (isByteCopy<S, D>()) {
    memory.copy(dst, src, n << alignof<S>());
    return;
  }
  let i: usize = 0;
  if (hasSimdStep<S, D>()) {
    // Two 4-lane steps per iteration: the loop overhead is then small next to the work.
    const end8 = n & ~(<usize>7);
    for (; i < end8; i += 8) {
      simdStep4<S, D>(src, dst);
      simdStep4<S, D>(src + (4 << alignof<S>()), dst + (4 << alignof<D>()));
      src += 8 << alignof<S>();
      dst += 8 << alignof<D>();
    }
    if (n - i >= 4) {
      simdStep4<S, D>(src, dst);
      src += 4 << alignof<S>();
      dst += 4 << alignof<D>();
      i += 4;
    }
  }
  for (; i < n; i++) {
    store<D>(dst, convert<S, D>(loadElement<S>(src)));
    src += sizeof<S>();
    dst += sizeof<D>();
  }
}

/** Convert n elements src, src + srcStride, ... into dst, dst + dstStride, ... (byte strides). */
@inline
export function copyRowStrided<S, D>(src: usize, srcStride: usize, dst: usize, dstStride: usize, n: usize): void {
  for (let i: usize = 0; i < n; i++) {
    if (isByteCopy<S, D>()) store<D>(dst, load<D>(src));
    else store<D>(dst, convert<S, D>(loadElement<S>(src)));
    src += srcStride;
    dst += dstStride;
  }
}

/**
 * dst[i] = src[2 i] for a byte copy of 1-, 2- or 4-byte elements (a `::2` view made
 * contiguous: image downsampling): two vectors in, their even lanes out. Returns how many
 * elements it did; the caller finishes the row with the strided loop. The last vector
 * reads one element past the last even one, so it stops 17 (8, 4) elements early and
 * never reads beyond the row's last needed byte.
 */
export function copyRowEvens<T>(src: usize, dst: usize, n: usize): usize {
  const lanes: usize = 16 / sizeof<T>();
  let i: usize = 0;
  if (n < lanes + 1) return 0;
  const end = n - lanes - 1;
  for (; i <= end; i += lanes) {
    const a = v128.load(src);
    const b = v128.load(src, 16);
    if (sizeof<T>() == 1) v128.store(dst, v128.shuffle<u8>(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
    else if (sizeof<T>() == 2) v128.store(dst, v128.shuffle<u16>(a, b, 0, 2, 4, 6, 8, 10, 12, 14));
    else v128.store(dst, v128.shuffle<u32>(a, b, 0, 2, 4, 6));
    src += 32;
    dst += 16;
  }
  return i;
}
