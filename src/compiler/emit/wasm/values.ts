/**
 * How the general scalar path of the direct emitter (function.ts) holds a value of each
 * dtype in Wasm, and reads and writes it in memory.
 *
 * Canonical form (every value on the stack or in a local is in it, always):
 *   - bool: an i32, 0 or 1;
 *   - int8 / int16: an i32 sign-extended from 8 / 16 bits; uint8 / uint16: an i32
 *     zero-extended; int32 / uint32: an i32 (its 32 bits);
 *   - int64 / uint64: an i64; float32: f32; float64: f64.
 * So a small integer is the exact value of its dtype, and an operation that can leave the
 * range (add, sub, mul, neg, bitnot, division's MIN / -1, a power, an abs, a narrowing
 * cast) is followed by {@link wrap} where its value is read whole (function.ts: a reader
 * that needs only the low bits, such as another add or the element's store, takes it
 * unwrapped); and, or, xor, the comparisons, division and remainder of values in range stay
 * in it. (AS wraps small integers lazily, by a flow analysis; the values it stores are the
 * same: the exact results modulo the width.)
 */
import type { DType } from '../../../dtype/dtypes.js';
import { is64, isSigned } from '../../ir/types.js';
import { F32, F64, I32, I64, type Code, type ValType } from './encode.js';

/** The Wasm value type of dtype `t`. */
export function valType(t: DType): ValType {
  if (t === 'float64') return F64;
  if (t === 'float32') return F32;
  return is64(t) ? I64 : I32;
}

/** Load and store opcodes and alignment (log2 bytes) of an element of each dtype. */
const MEMORY: Readonly<Record<DType, { readonly load: number; readonly store: number; readonly align: number }>> = {
  bool: { load: 0x2d, store: 0x3a, align: 0 }, // i32.load8_u, i32.store8
  int8: { load: 0x2c, store: 0x3a, align: 0 }, // i32.load8_s
  uint8: { load: 0x2d, store: 0x3a, align: 0 },
  int16: { load: 0x2e, store: 0x3b, align: 1 }, // i32.load16_s, i32.store16
  uint16: { load: 0x2f, store: 0x3b, align: 1 }, // i32.load16_u
  int32: { load: 0x28, store: 0x36, align: 2 },
  uint32: { load: 0x28, store: 0x36, align: 2 },
  int64: { load: 0x29, store: 0x37, align: 3 },
  uint64: { load: 0x29, store: 0x37, align: 3 },
  float32: { load: 0x2a, store: 0x38, align: 2 },
  float64: { load: 0x2b, store: 0x39, align: 3 },
};

/**
 * Load an element of dtype `t` from the address on the stack (+ `offset` bytes), in
 * canonical form: a bool is any nonzero byte (`load<u8>(p) != 0`, as the AS unit reads it).
 */
export function loadValue(c: Code, t: DType, offset = 0): void {
  const m = MEMORY[t];
  c.mem(m.load, m.align, offset);
  if (t === 'bool') c.i32(0).op(0x47); // i32.ne
}

/** Store the canonical value of dtype `t` (address, value on the stack; + `offset` bytes); a bool as the byte 0 or 1. */
export function storeValue(c: Code, t: DType, offset = 0): void {
  const m = MEMORY[t];
  c.mem(m.store, m.align, offset);
}

/** Bring an i32 holding any bits to the canonical form of 8/16-bit dtype `t`; nothing for other dtypes. */
export function wrap(c: Code, t: DType): void {
  switch (t) {
    case 'int8': c.op(0xc0); return; // i32.extend8_s
    case 'int16': c.op(0xc1); return; // i32.extend16_s
    case 'uint8': c.i32(0xff).op(0x71); return; // i32.and
    case 'uint16': c.i32(0xffff).op(0x71); return;
    default: return;
  }
}

/** Does dtype `t` need {@link wrap} after an operation that can leave its range? */
export const isSmall = (t: DType): boolean => t === 'int8' || t === 'uint8' || t === 'int16' || t === 'uint16';

/**
 * Integer opcodes by operation, i32 and i64 (binary format 5.4.7). `s`/`u` pairs are the
 * signed and unsigned forms; the caller picks by the dtype ({@link signedOp}).
 */
export const INT_OPS = {
  i32: {
    eqz: 0x45, eq: 0x46, ne: 0x47, lt: [0x48, 0x49], gt: [0x4a, 0x4b], le: [0x4c, 0x4d], ge: [0x4e, 0x4f],
    clz: 0x67, add: 0x6a, sub: 0x6b, mul: 0x6c, div: [0x6d, 0x6e], rem: [0x6f, 0x70],
    and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shr: [0x75, 0x76],
  },
  i64: {
    eqz: 0x50, eq: 0x51, ne: 0x52, lt: [0x53, 0x54], gt: [0x55, 0x56], le: [0x57, 0x58], ge: [0x59, 0x5a],
    clz: 0x79, add: 0x7c, sub: 0x7d, mul: 0x7e, div: [0x7f, 0x80], rem: [0x81, 0x82],
    and: 0x83, or: 0x84, xor: 0x85, shl: 0x86, shr: [0x87, 0x88],
  },
} as const;

/** The integer opcode table of dtype `t` (bool and the integers up to 32 bits: i32). */
export const intOps = (t: DType): (typeof INT_OPS)['i32'] | (typeof INT_OPS)['i64'] => (is64(t) ? INT_OPS.i64 : INT_OPS.i32);

/** The signed or unsigned form of a pair, by dtype `t` (bool compares unsigned). */
export const signedOp = (pair: readonly [number, number], t: DType): number => (isSigned(t) ? pair[0] : pair[1]);

/** Push the constant `v` of integer/bool dtype `t` (its canonical form), or of a float dtype. */
export function pushConst(c: Code, t: DType, v: number | bigint | boolean): void {
  if (t === 'float64') c.f64(Number(v));
  else if (t === 'float32') c.f32(Number(v));
  else if (is64(t)) c.i64(BigInt(v as number | bigint));
  else if (typeof v === 'boolean') c.i32(v ? 1 : 0);
  // uint32 above 2^31 - 1: the same 32 bits as an i32.const.
  else c.i32(Number(BigInt.asIntN(32, BigInt(v))));
}

/** Opcodes the general scalar path's writers share (binary format 5.4). */
export const OP = {
  select: 0x1b, i32And: 0x71, i32WrapI64: 0xa7, i64ExtendI32S: 0xac, i64ExtendI32U: 0xad, f64PromoteF32: 0xbb, f32DemoteF64: 0xb6,
  f64Abs: 0x99, f64Sub: 0xa1, f64Mul: 0xa2, f64Trunc: 0x9d, f64Ge: 0x66, f64Gt: 0x64, f64Lt: 0x63,
} as const;
