/**
 * Conversions of the general scalar path (function.ts) with the AS emitter's meaning
 * (../assemblyscript/emit-function.ts asCast, prelude.ts __f2i_*, __toi32): NumPy's unsafe
 * casts between all dtypes, float → integer as x86 does it, and JavaScript's ToInt32.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { is64, isBool, isFloatType, isSigned } from '../../ir/types.js';
import type { BodyWriter } from './body-writer.js';
import { LANES } from './lanes.js';
import { intOps, OP, pushConst, wrap } from './values.js';

/** `fNN.convert_iMM_{s,u}`, by target (f32/f64), source width (32/64), signedness. */
const CONVERT = { float32: { 32: [0xb2, 0xb3], 64: [0xb4, 0xb5] }, float64: { 32: [0xb7, 0xb8], 64: [0xb9, 0xba] } } as const;
const TWO31 = 2147483648;
const TWO63 = 9223372036854775808;

/** Convert the value on the stack from `from` to `to` (emit-function.ts asCast's meaning). */
export function castValue(w: BodyWriter, from: DType, to: DType): void {
  const c = w.c;
  if (from === to) return;
  if (isBool(to)) {
    if (isFloatType(from)) { pushConst(c, from, 0); c.op(LANES[from]!.compare['ne']!.scalar); } // NaN is true
    else c.op(intOps(from).eqz).op(0x45);
    return;
  }
  if (isFloatType(from) && isFloatType(to)) { c.op(to === 'float64' ? OP.f64PromoteF32 : OP.f32DemoteF64); return; }
  if (isFloatType(to)) {
    // One rounding, as asc's `<f32>x` / `<f64>x`; a bool is 0 or 1.
    const pair = CONVERT[to as 'float32' | 'float64'][is64(from) ? 64 : 32];
    c.op(isSigned(from) ? pair[0] : pair[1]);
    return;
  }
  if (isFloatType(from)) return floatToInt(w, from, to);
  // Integer (or bool) to integer: the value modulo the target's width, read in its signedness.
  if (is64(to)) { if (!is64(from)) c.op(isSigned(from) ? OP.i64ExtendI32S : OP.i64ExtendI32U); return; }
  if (is64(from)) c.op(OP.i32WrapI64);
  wrap(c, to);
}

/**
 * NumPy's float → integer cast as x86 does it (prelude.ts __f2i_*): truncation; NaN or
 * out of int32's range gives INT32_MIN for the types up to int32 (then wrapped), of
 * int64's range INT64_MIN for uint32 (its low 32 bits) and int64; uint64 from 2^63 up is
 * cvt64(x - 2^63) ^ INT64_MIN.
 */
function floatToInt(w: BodyWriter, from: DType, to: DType): void {
  const c = w.c;
  if (from === 'float32') c.op(OP.f64PromoteF32);
  const x = w.stash('float64');
  // cvt(v): select(trunc_sat(v), MIN, lo < v < hi) (lo: > -2^31 - 1 for 32 bits, >= -2^63 for 64).
  const cvt = (v: number, wide: boolean) => {
    c.get(v).sat(wide ? 6 : 2);
    if (wide) c.i64(-(2n ** 63n)); else c.i32(-TWO31);
    c.get(v).f64(wide ? -TWO63 : -TWO31 - 1).op(wide ? OP.f64Ge : OP.f64Gt);
    c.get(v).f64(wide ? TWO63 : TWO31).op(OP.f64Lt).op(0x71).op(OP.select);
  };
  if (to === 'uint64') {
    c.get(x).f64(TWO63).op(OP.f64Sub);
    const y = w.stash('float64');
    cvt(y, true); c.i64(-(2n ** 63n)).op(0x85); // i64.xor
    cvt(x, true);
    c.get(x).f64(TWO63).op(OP.f64Ge).op(OP.select);
    return;
  }
  if (to === 'int64' || to === 'uint32') { cvt(x, true); if (to === 'uint32') c.op(OP.i32WrapI64); return; }
  cvt(x, false);
  wrap(c, to);
}

/**
 * JavaScript's ToInt32 of the float of dtype `from` on the stack (the IR's `toint32`;
 * prelude.ts __toi32: trunc(x) mod 2^32, NaN and ±inf 0). In (-2^31, 2^31), the common
 * case, the truncation; else r = x - trunc(x * 2^-32) * 2^32, fmod(x, 2^32) exactly (the
 * bits of x below 2^32), whose truncation wrapped to 32 bits is __toi32's value (NaN and
 * ±inf make r NaN, whose saturating truncation is 0).
 */
export function toInt32(w: BodyWriter, from: DType): void {
  const c = w.c;
  if (from === 'float32') c.op(OP.f64PromoteF32);
  const x = w.stash('float64');
  c.get(x).op(OP.f64Abs).f64(TWO31).op(OP.f64Lt).ifI32();
  c.get(x).sat(2).else();
  c.get(x).get(x).f64(2 ** -32).op(OP.f64Mul).op(OP.f64Trunc).f64(2 ** 32).op(OP.f64Mul).op(OP.f64Sub);
  c.sat(6).op(OP.i32WrapI64).end();
}
