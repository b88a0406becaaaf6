/**
 * Loads numbats' prebuilt Wasm module (asm/, built by `npm run build:asm`) and instantiates
 * it on a heap memory.
 *
 * The module bytes come from ./builtin-bytes.ts (embedded as base64; the Node bundle reads
 * them from a file beside it). The `WebAssembly.Module` is compiled once and
 * cached; each thread instantiates it (synchronously) on the one shared heap memory.
 *
 * ABI of the exports (see also asm/index.ts):
 * - Pointers are byte addresses in the heap memory, passed as numbers; an address at or above
 *   2^31 may be passed as is (JS-to-i32 conversion wraps it; the module treats it as u32).
 * - Dtype codes are `DTYPES[d].code`: 0 bool, 1 int8, 2 uint8, 3 int16, 4 uint16, 5 int32,
 *   6 uint32, 7 int64, 8 uint64, 9 float32, 10 float64.
 * - A plan is an Int32Array in the heap, at a 4-byte aligned address:
 *   copy: `[ndim, shape[0..ndim), srcPtr, srcByteStrides[0..ndim), dstPtr, dstByteStrides[0..ndim)]`;
 *   fill: `[ndim, shape[0..ndim), dstPtr, dstByteStrides[0..ndim)]`.
 *   Strides are in BYTES (NDArray strides are in elements: multiply by the item size), may
 *   be negative or 0, and wrap as u32. 0 ≤ ndim ≤ 32 (otherwise the call traps with a
 *   `WebAssembly.RuntimeError`); the last dimension is the innermost, and rows whose inner
 *   strides equal the item sizes take the SIMD path. The caller's planner should merge
 *   mergeable dimensions first, so that rows are long.
 * - Conversions are NumPy's `astype(..., casting='unsafe')` on x86-64, including NaN and
 *   out-of-range float -> integer (see src/dtype/convert-scalar.ts for the table).
 * - The module keeps no state in memory: concurrent calls from workers on disjoint data are safe.
 */
import { MemoryError } from '../util/errors.js';
import { builtinWasmBytes } from './builtin-bytes.js';
import { BUILTIN_WASM_SHA256 } from './generated/builtin-wasm.js';

/** The exports of the prebuilt module. All numbers are i32 (pointers as unsigned byte addresses). */
export interface BuiltinExports {
  /** End of the module's static data; the heap allocator must hand out memory above it. */
  heapBase(): number;
  /**
   * Copy every element of an N-d plan (see the module header) from src to dst, converting
   * from dtype code `srcType` to `dstType` with NumPy's unsafe-cast semantics.
   */
  copy(srcType: number, dstType: number, plan: number): void;
  /** Convert `n` contiguous elements from `src` (dtype code `srcType`) to `dst` (`dstType`). */
  copyContiguous(srcType: number, dstType: number, src: number, dst: number, n: number): void;
  /**
   * Set every element of a fill plan to the one `dstType` element stored at address `value`
   * (already converted, e.g. by `convertScalar`).
   */
  fill(dstType: number, plan: number, value: number): void;
  /** Zero `n` bytes at `ptr` (memory.fill: far faster than TypedArray.fill on shared memory). */
  zeroBytes(ptr: number, n: number): void;
  /** Run built-in ufunc loop `id` (src/builtins/loop-registry.ts) over an N-d plan of nin + nout operands. */
  ufunc(id: number, plan: number): void;
  /** One row of a 2-operand loop: n elements at byte strides s0, s1 (no plan: the 1-d fast path). */
  ufuncRow2(id: number, n: number, p0: number, s0: number, p1: number, s1: number): void;
  /** One row of a 3-operand loop (binary, or unary with two outputs). */
  ufuncRow3(id: number, n: number, p0: number, s0: number, p1: number, s1: number, p2: number, s2: number): void;
  /** Masked copy (`where=`): plan [ndim, shape, src, mask, dst], elements of `size` bytes. */
  copyWhere(size: number, plan: number): void;
  /**
   * Run built-in gufunc kernel `kernelId` (16 * op + dtype code; op 0 matmul, 1 vecdot) over
   * a plan of the loop dims, with a core block `[D, work, workBytes, sizes[D], core byte
   * strides per operand]` at `core` (layouts in asm/index.ts).
   */
  gufunc(kernelId: number, plan: number, core: number): void;
}

/** SHA-256 (hex) of the embedded module: use it in cache keys that depend on the built-ins. */
export const BUILTIN_MODULE_SHA256: string = BUILTIN_WASM_SHA256;

let cachedModule: WebAssembly.Module | undefined;

/**
 * The compiled built-in module, compiled from the embedded bytes on first use and cached.
 * Post it to workers rather than recompiling it there.
 *
 * @example
 * ```ts
 * const module = loadBuiltinModule();
 * WebAssembly.Module.exports(module).map((e) => e.name); // ['heapBase', 'copy', 'copyContiguous', 'fill', ...]
 * ```
 */
export function loadBuiltinModule(): WebAssembly.Module {
  cachedModule ??= new WebAssembly.Module(builtinWasmBytes());
  return cachedModule;
}

/**
 * Instantiate the built-in module on a heap memory (synchronously).
 *
 * @param memory - a shared `WebAssembly.Memory` (the module imports it as `env.memory`,
 *   declared shared with a maximum of 65536 pages, so the memory's maximum must be given).
 * @param module - a module to instantiate instead of the cached one (e.g. one a worker received).
 * @throws MemoryError (`E_MEMORY_NOT_SHARED`) when the memory is not shared.
 * @example
 * ```ts
 * const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
 * const wasm = instantiateBuiltins(memory);
 * wasm.heapBase(); // e.g. 1024
 * ```
 */
export function instantiateBuiltins(
  memory: WebAssembly.Memory,
  module: WebAssembly.Module = loadBuiltinModule(),
): BuiltinExports {
  // Not `instanceof SharedArrayBuffer`: a browser page without cross-origin isolation has
  // shared Wasm memory but no SharedArrayBuffer global.
  if (Object.prototype.toString.call(memory.buffer) !== '[object SharedArrayBuffer]') {
    throw new MemoryError(
      'E_MEMORY_NOT_SHARED',
      'the built-in Wasm module needs a shared WebAssembly.Memory ' +
        '(new WebAssembly.Memory({ initial, maximum, shared: true }))',
    );
  }
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as BuiltinExports;
}
