/**
 * The signatures of a Wasm module's exported functions, read from its binary (type, import,
 * function and export sections): `WebAssembly.Module.exports` names them but gives no types
 * (the type-reflection proposal is not in Node 20).
 */

/** Value types by their binary code. */
const VALTYPE: Readonly<Record<number, string>> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

export interface WasmSignature {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

/**
 * Exported function name -> its signature, e.g. `exp_f64` -> `{ params: ['f64'], results: ['f64'] }`.
 *
 * @example
 * ```ts
 * exportedSignatures(bytes).get('ldexp_f64'); // { params: ['f64', 'i32'], results: ['f64'] }
 * ```
 */
export function exportedSignatures(bytes: Uint8Array): Map<string, WasmSignature> {
  let at = 8; // magic and version
  const u32 = (): number => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++]!;
      r |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return r >>> 0;
      shift += 7;
    }
  };
  const name = (): string => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const types: WasmSignature[] = [];
  const functionTypes: number[] = []; // imported functions first, then the module's own
  const exported: [string, number][] = [];
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = u32();
    const end = at + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        if (bytes[at++] !== 0x60) throw new Error('not a function type');
        const params = Array.from({ length: u32() }, () => VALTYPE[bytes[at++]!]!);
        const results = Array.from({ length: u32() }, () => VALTYPE[bytes[at++]!]!);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++]!;
        if (kind === 0) functionTypes.push(u32());
        else throw new Error('exportedSignatures: only function imports are read');
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) functionTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const field = name();
        const kind = bytes[at++]!;
        const index = u32();
        if (kind === 0) exported.push([field, index]);
      }
    }
    at = end;
  }
  return new Map(exported.map(([field, index]) => [field, types[functionTypes[index]!]!]));
}
