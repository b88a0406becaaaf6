/**
 * numbats' prebuilt Wasm module: copy / cast / fill loops over the shared heap.
 *
 * Built by scripts/build-asm.mjs (asc -O3, SIMD, shared imported memory; the module imports
 * nothing but `env.memory`) and loaded by src/runtime/builtin-module.ts.
 *
 * ABI (all pointers are byte addresses in the imported memory, all ints are i32):
 *   dtype codes   0 bool, 1 int8, 2 uint8, 3 int16, 4 uint16, 5 int32, 6 uint32, 7 int64,
 *                 8 uint64, 9 float32, 10 float64 (DTYPES[d].code in src/dtype/dtypes.ts).
 *   copy plan     [ndim, shape[0..ndim), srcPtr, srcByteStrides[0..ndim),
 *                  dstPtr, dstByteStrides[0..ndim)]
 *   fill plan     [ndim, shape[0..ndim), dstPtr, dstByteStrides[0..ndim)]
 *   Strides are in BYTES (unlike NDArray strides, which are in elements), may be negative or
 *   0, and are added with u32 wraparound. ndim is 0..32 (anything else traps); ndim - 1 is
 *   the innermost dimension.
 *   Conversions are NumPy's astype(unsafe) on x86-64 (see convert.ts).
 *   Source and destination must not overlap, except a same-dtype copy of identical or
 *   contiguous-to-contiguous ranges (memory.copy is a memmove).
 *   gufunc plan   the ufunc plan over the loop (batch) dims only: [ndim, shape[0..ndim), then
 *                 per operand (inputs, then outputs) ptr, byteStrides[0..ndim)]; ptr is the
 *                 operand's first core element. ndim 0: one core call.
 *   gufunc core   [D, work, workBytes, size[0..D), then per operand (inputs, then outputs)
 *                 the byte strides of its core dims in signature order] (i32 words, 4-byte
 *                 aligned). D: distinct core dims, in order of first appearance in the
 *                 signature (matmul (n?,k),(k,m?)->(n?,m?): n, k, m; strides A n k, B k m,
 *                 C n m; vecdot (n),(n)->(): n; strides x1 n, x2 n). A missing optional dim
 *                 has size 1 and stride 0. work: a 16-byte aligned scratch block of workBytes
 *                 bytes that the kernel may use (0, 0 when none), e.g. matmul's packed panels.
 *                 Outputs never overlap inputs (the caller copies overlapping inputs first).
 */
import { dispatchCopy, dispatchCopyContiguous, dispatchFill } from './dispatch';
import { ufuncLoop, ufuncRow2 as ufuncRow2Dispatch, ufuncRow3 as ufuncRow3Dispatch } from './loops/generated/index';
import { copyWherePlan } from './where';
import { gufuncKernel } from './gufunc/index';

/** End of the module's static data: the JS heap allocator hands out memory above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Copy every element of an N-d plan from src to dst, converting srcType -> dstType. */
export function copy(srcType: i32, dstType: i32, plan: usize): void {
  dispatchCopy(srcType, dstType, plan);
}

/** Convert n contiguous elements from src (srcType) to dst (dstType): the 1-D fast path. */
export function copyContiguous(srcType: i32, dstType: i32, src: usize, dst: usize, n: usize): void {
  dispatchCopyContiguous(srcType, dstType, src, dst, n);
}

/** Set every element of an N-d plan to the one dstType element stored at value. */
export function fill(dstType: i32, plan: usize, value: usize): void {
  dispatchFill(dstType, plan, value);
}

/**
 * Zero n bytes at ptr (memory.fill). TypedArray.prototype.fill on a SharedArrayBuffer is
 * ~8x slower in V8 (measured 143 vs 17 us per MiB), so zeroing goes through Wasm.
 */
export function zeroBytes(ptr: usize, n: usize): void {
  memory.fill(ptr, 0, n);
}

/** Run built-in ufunc loop `id` (src/builtins/loop-registry.ts) over an N-d ufunc plan. */
export function ufunc(id: i32, plan: usize): void {
  ufuncLoop(id, plan);
}

/** Masked copy for `where=`: plan [ndim, shape, src, mask, dst]; elements of `size` bytes. */
export function copyWhere(size: i32, plan: usize): void {
  copyWherePlan(size, plan);
}

/** One 2-operand row of loop `id` (n elements, byte strides): the fast path for 1-d calls. */
export function ufuncRow2(id: i32, n: i32, p0: usize, s0: usize, p1: usize, s1: usize): void {
  ufuncRow2Dispatch(id, n, p0, s0, p1, s1);
}

/** One 3-operand row of loop `id` (n elements, byte strides): the fast path for 1-d calls. */
export function ufuncRow3(id: i32, n: i32, p0: usize, s0: usize, p1: usize, s1: usize, p2: usize, s2: usize): void {
  ufuncRow3Dispatch(id, n, p0, s0, p1, s1, p2, s2);
}

/**
 * Run built-in gufunc kernel `kernelId` (asm/gufunc/index.ts: 16 * op + dtype code, op 0
 * matmul, 1 vecdot) over a gufunc plan of the loop dims, with the core block at `core`.
 */
export function gufunc(kernelId: i32, plan: usize, core: usize): void {
  gufuncKernel(kernelId, plan, core);
}
