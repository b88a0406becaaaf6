/**
 * Base64 text to bytes, for the prebuilt Wasm modules embedded in ./generated/ (the built-in
 * module, the math library).
 */

/**
 * The bytes `base64` encodes (a new array each call). atob, not Node's Buffer, so that
 * browsers decode the same way.
 *
 * @example
 * ```ts
 * base64Bytes('AGFzbQ=='); // Uint8Array [0, 97, 115, 109] ('\0asm')
 * ```
 */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
