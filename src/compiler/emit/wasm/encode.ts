/**
 * A small WebAssembly binary encoder: LEB128 numbers, a code buffer with the few
 * instruction shapes the direct emitter writes, and a module of types, one imported memory,
 * functions and exports (the sections in the order the binary format requires).
 * Nothing here knows about kernels (emit-module.ts does); no Binaryen, no validation beyond
 * what the engine does when the module is compiled.
 */

/** Value types (binary format 5.3.1). */
export type ValType = 0x7f | 0x7e | 0x7d | 0x7c | 0x7b;
export const I32: ValType = 0x7f;
export const I64: ValType = 0x7e;
export const F32: ValType = 0x7d;
export const F64: ValType = 0x7c;
export const V128: ValType = 0x7b;

/**
 * The unsigned LEB128 bytes of `n` (an integer in [0, 2^32): indices, sizes, counts).
 *
 * @example
 * ```ts
 * unsignedLeb128(624485); // [0xe5, 0x8e, 0x26]
 * ```
 */
export function unsignedLeb128(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`unsignedLeb128: ${n} is not a u32`);
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * The signed LEB128 bytes of `n` (an integer in [-2^31, 2^31): `i32.const` immediates).
 *
 * @example
 * ```ts
 * signedLeb128(-123456); // [0xc0, 0xbb, 0x78]
 * ```
 */
export function signedLeb128(n: number): number[] {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError(`signedLeb128: ${n} is not an i32`);
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7; // arithmetic: the sign is kept
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/**
 * The signed LEB128 bytes of 64-bit integer `n` (`i64.const` immediates; a bigint is taken
 * modulo 2^64, as a two's-complement int64).
 *
 * @example
 * ```ts
 * signedLeb128Big(-1n); // [0x7f]
 * ```
 */
export function signedLeb128Big(n: bigint): number[] {
  let v = BigInt.asIntN(64, n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n; // arithmetic: the sign is kept
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const name = (s: string): number[] => { const b = utf8(s); return [...unsignedLeb128(b.length), ...b]; };
const vec = (items: readonly number[][]): number[] => [...unsignedLeb128(items.length), ...items.flat()];

/** Instruction bytes of one function body, appended in order. */
export class Code {
  readonly bytes: number[] = [];

  /** Raw bytes (an opcode and its immediates). */
  op(...b: number[]): this { this.bytes.push(...b); return this; }
  /** A SIMD instruction (prefix 0xfd, then its number as LEB128). */
  simd(n: number, ...imm: number[]): this { return this.op(0xfd, ...unsignedLeb128(n), ...imm); }
  /** A SIMD memory access (`v128.load`, `v128.store`): align as log2 bytes. */
  simdMem(n: number, align: number, offset: number): this { return this.simd(n, ...unsignedLeb128(align), ...unsignedLeb128(offset)); }
  get(i: number): this { return this.op(0x20, ...unsignedLeb128(i)); }
  set(i: number): this { return this.op(0x21, ...unsignedLeb128(i)); }
  i32(n: number): this { return this.op(0x41, ...signedLeb128(n)); }
  i64(n: bigint): this { return this.op(0x42, ...signedLeb128Big(n)); }
  tee(i: number): this { return this.op(0x22, ...unsignedLeb128(i)); }
  /** A saturating float → integer truncation (`0xfc n`: 2 i32.trunc_sat_f64_s, 3 ..._u, 6 i64..._s, 7 ..._u). */
  sat(n: number): this { return this.op(0xfc, n); }
  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.op(0x43, ...b);
  }
  f64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.op(0x44, ...b);
  }
  /** A memory access: `opcode align offset` (align as log2 bytes). */
  mem(opcode: number, align: number, offset = 0): this { return this.op(opcode, ...unsignedLeb128(align), ...unsignedLeb128(offset)); }
  call(f: number): this { return this.op(0x10, ...unsignedLeb128(f)); }
  /** `block`, `loop` and `if` without results; `end` closes each. */
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  /** `if` whose arms leave one i32. */
  ifI32(): this { return this.op(0x04, I32); }
  /** `block` and `if` leaving one value of type `t`. */
  blockOf(t: ValType): this { return this.op(0x02, t); }
  ifOf(t: ValType): this { return this.op(0x04, t); }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, ...unsignedLeb128(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...unsignedLeb128(depth)); }
  return(): this { return this.op(0x0f); }
  globalGet(i: number): this { return this.op(0x23, ...unsignedLeb128(i)); }
  globalSet(i: number): this { return this.op(0x24, ...unsignedLeb128(i)); }
  unreachable(): this { return this.op(0x00); }
}

/** One function of a module: its type's params and results, extra locals and body. */
export interface WasmFunction {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** The locals after the params, in order. */
  readonly locals: readonly ValType[];
  readonly code: Code;
  /** Exported under this name, when set. */
  readonly export?: string;
}

/** A function a module imports (before its own functions in the function index space). */
export interface WasmImport {
  readonly module: string;
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** A mutable global of the module, zero at the start (i32 or i64), exported under `export` when set. */
export interface WasmGlobal {
  readonly type: ValType; // I32 or I64 only
  readonly export?: string;
}

/** Locals as the code section wants them: runs of one type, `count type`. */
function localRuns(locals: readonly ValType[]): number[][] {
  const runs: number[][] = [];
  let k = 0;
  while (k < locals.length) {
    let j = k;
    while (j < locals.length && locals[j] === locals[k]) j++;
    runs.push([...unsignedLeb128(j - k), locals[k]!]);
    k = j;
  }
  return runs;
}

const section = (id: number, body: number[]): number[] => [id, ...unsignedLeb128(body.length), ...body];

/**
 * A module of `functions` importing one memory as `env.memory` (shared when `shared`, with
 * the given page limits) and `imports` (functions: indices 0 .. imports.length - 1, the
 * module's own functions after them) and exporting the memory again as `memory` (as asc's
 * modules do), with the functions that have an `export` name, and `globals` (mutable,
 * zero at the start, each exported that has an `export` name).
 *
 * @example
 * ```ts
 * const code = new Code().get(0).get(1).op(0x6a).end(); // i32.add
 * const bytes = encodeModule([{ params: [I32, I32], results: [I32], locals: [], code, export: 'add' }], { min: 0, max: 65536, shared: true });
 * WebAssembly.validate(bytes); // true
 * ```
 */
export function encodeModule(
  functions: readonly WasmFunction[], memory: { min: number; max: number; shared: boolean }, imported: readonly WasmImport[] = [],
  globals: readonly WasmGlobal[] = [],
): Uint8Array<ArrayBuffer> {
  // Function types, each once.
  const types: number[][] = [];
  const typeIndex = new Map<string, number>();
  const typeOf = (f: { readonly params: readonly ValType[]; readonly results: readonly ValType[] }) => {
    const t = [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))];
    const key = t.join(',');
    if (!typeIndex.has(key)) { typeIndex.set(key, types.length); types.push(t); }
    return typeIndex.get(key)!;
  };
  const importTypes = imported.map(typeOf);
  const functionTypes = functions.map(typeOf);
  const limits = [memory.shared ? 0x03 : 0x01, ...unsignedLeb128(memory.min), ...unsignedLeb128(memory.max)];
  const imports = vec([
    [...name('env'), ...name('memory'), 0x02, ...limits],
    ...imported.map((f, i) => [...name(f.module), ...name(f.name), 0x00, ...unsignedLeb128(importTypes[i]!)]),
  ]);
  const exports = vec([
    ...functions.flatMap((f, i) => (f.export === undefined ? [] : [[...name(f.export), 0x00, ...unsignedLeb128(imported.length + i)]])),
    [...name('memory'), 0x02, 0x00],
    ...globals.flatMap((g, i) => (g.export === undefined ? [] : [[...name(g.export), 0x03, ...unsignedLeb128(i)]])),
  ]);
  const bodies = vec(functions.map((f) => {
    const body = [...vec(localRuns(f.locals)), ...f.code.bytes];
    return [...unsignedLeb128(body.length), ...body];
  }));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(functionTypes.map((t) => unsignedLeb128(t)))),
    // (mutable, initialised by `i32.const 0` / `i64.const 0`, `end`)
    ...(globals.length === 0 ? [] : section(6, vec(globals.map((g) => [g.type, 0x01, g.type === I32 ? 0x41 : 0x42, 0x00, 0x0b])))),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}
