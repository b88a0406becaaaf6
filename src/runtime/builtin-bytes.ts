/**
 * The prebuilt Wasm module's bytes, embedded as base64 in ./generated/builtin-wasm.ts, so
 * that loading needs no file system (Node and browsers alike). The Node bundle
 * (scripts/build-node.mjs) replaces this file: it reads the same bytes from
 * `numbats-builtin.wasm` beside itself (a 375 KB file read instead of ~490 KB of base64 for
 * V8 to compile at every import and decode at the first built-in call).
 */
import { base64Bytes } from './base64.js';
import { BUILTIN_WASM_BASE64 } from './generated/builtin-wasm.js';

/**
 * The module bytes (a new copy each call).
 *
 * @example
 * ```ts
 * new WebAssembly.Module(builtinWasmBytes());
 * ```
 */
export function builtinWasmBytes(): Uint8Array<ArrayBuffer> {
  return base64Bytes(BUILTIN_WASM_BASE64);
}
