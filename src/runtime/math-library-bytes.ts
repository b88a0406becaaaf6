/**
 * The math library's bytes (src/runtime/math-library.ts), embedded as base64 in
 * ./generated/nbmath-wasm.ts (scripts/build-asm.mjs), so that loading needs no file system.
 * The Node bundle (scripts/build-node.mjs) replaces this file, as it does builtin-bytes.ts:
 * it reads the same bytes from `numbats-math.wasm` beside itself when a kernel first needs
 * the library (no base64 for V8 to compile at every import).
 */
import { base64Bytes } from './base64.js';
import { MATH_WASM_BASE64 } from './generated/nbmath-wasm.js';

/**
 * The library's module bytes (a new copy each call).
 *
 * @example
 * ```ts
 * new WebAssembly.Module(mathLibraryBytes());
 * ```
 */
export function mathLibraryBytes(): Uint8Array<ArrayBuffer> {
  return base64Bytes(MATH_WASM_BASE64);
}
