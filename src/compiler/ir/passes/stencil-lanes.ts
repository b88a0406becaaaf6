/**
 * Whether a stencil kernel may run its interior rows in SIMD lanes (issue 16 item 6), and in
 * which lane type: the v128 version the AS emitter writes (emit/assemblyscript/stencil-simd.ts)
 * computes N output points at once, and must give the scalar kernel's results bit for bit.
 *
 * Steps: a kernel qualifies when
 *   1. its body is straight-line: `let`s and assignments of locals, then one `return` (no
 *      branches, loops, helper calls or table reads), every read an accessor call;
 *   2. either every value has one float type (float32 or float64: the inputs, the result and
 *      every operation; no casts), with neg, + - * / and intrinsics that have a SIMD spelling
 *      (IEEE-exact per lane, as passes/simd.ts argues for vectorize);
 *   3. or every value is an integer, and an interval analysis proves that no operation wraps
 *      in its own type (so the IR's result is the exact mathematical one) and that every
 *      value fits int16 (else int32): then computing in int16x8 (int32x4) lanes gives the
 *      same numbers. Allowed: constants, + - *, neg, shifts by a constant (below the lane's
 *      width), & | ^ of non-negative values, and casts that keep the value. The cast of the
 *      returned value to the output dtype may truncate: the store narrows each lane to its
 *      low bytes, which is what the cast does.
 * The 2x2 mean of uint8 pixels summed in an int64 local (`let s = 2; s += a(0, 0); ...;
 * return s >> 2`) has values in [0, 1022]: int16x8, 8 outputs per vector.
 *
 * The gather of a read along the innermost axis (output stride S, element size t, N lanes)
 * loads 16 bytes, or 32 for a shuffle of two vectors, so S * N * t <= 32 is required.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { DTYPES } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../intrinsics.js';
import type { Expr, IRFunction } from '../nodes.js';
import { bitsOf, intRange, isBool, isFloatType, isIntType } from '../types.js';

/** The lane type of a stencil's SIMD interior. */
export type StencilLane = 'int16' | 'int32' | 'float32' | 'float64';

/** The SIMD plan of a stencil's interior rows: lane type and lanes per v128. */
export interface StencilLanes {
  readonly lane: StencilLane;
  /** Output points per vector (16 / the lane's size). */
  readonly count: number;
}

interface Range { readonly lo: bigint; readonly hi: bigint }

const LANE_BYTES: Readonly<Record<StencilLane, number>> = { int16: 2, int32: 4, float32: 4, float64: 8 };

/** Bytes of a lane. */
export const laneBytes = (l: StencilLane): number => LANE_BYTES[l];

/** Bytes one gathered read loads from its first element: 16, or 32 when its S * N elements span more than one vector. */
export function gatherBytes(elementBytes: number, stride: number, count: number): 16 | 32 {
  return stride * count * elementBytes <= 16 || stride === 1 ? 16 : 32;
}

/**
 * The SIMD plan of a stencil kernel whose innermost output stride is `innerStride`, or null
 * when it does not qualify (see the file header).
 *
 * @example
 * ```ts
 * const s = compileStencil((a: any) => { let s = 2; s += a(0, 0); s += a(0, 1); s += a(1, 0); s += a(1, 1); return s >> 2; }, 'uint8(uint8)', { stride: 2 });
 * stencilLanes(s.ir.main, 2); // { lane: 'int16', count: 8 }
 * ```
 */
export function stencilLanes(fn: IRFunction<DType>, innerStride: number): StencilLanes | null {
  const out = fn.returns;
  if (out === 'void' || isBool(out)) return null;
  const body = fn.body;
  const last = body[body.length - 1];
  if (!last || last.kind !== 'return' || !last.value) return null;
  const loads: DType[] = [];
  let lane: StencilLane | null = null;
  if (isFloatType(out)) {
    if (!floatBody(fn, out, loads)) return null;
    lane = out === 'float32' ? 'float32' : 'float64';
  } else {
    const need = intBody(fn, out, loads);
    if (need === null) return null;
    lane = need <= 2 && DTYPES[out].itemSize <= 2 ? 'int16' : DTYPES[out].itemSize <= 4 ? 'int32' : null;
    if (lane === null) return null;
  }
  const count = 16 / LANE_BYTES[lane];
  if (loads.some((t) => innerStride * count * DTYPES[t].itemSize > 32)) return null;
  return { lane, count };
}

/** Step 2: the float form. Records the loads' dtypes. */
function floatBody(fn: IRFunction<DType>, t: DType, loads: DType[]): boolean {
  const ok = (e: Expr<DType>): boolean => {
    if (e.type !== t) return false;
    switch (e.kind) {
      case 'const': case 'local': return true;
      case 'load':
        if (e.array.kind !== 'param') return false;
        loads.push(e.type);
        return true;
      case 'unary': return (e.op === 'neg' || e.op === 'pos') && ok(e.arg);
      case 'binary': return ['add', 'sub', 'mul', 'div'].includes(e.op) && ok(e.left) && ok(e.right);
      case 'call': return INTRINSICS.get(e.fn)?.simd !== undefined && e.args.every(ok);
      default: return false;
    }
  };
  return fn.body.every((s, k) => {
    if (s.kind === 'let') return k < fn.body.length - 1 && ok(s.init);
    if (s.kind === 'assign') return k < fn.body.length - 1 && s.place.kind === 'local' && ok(s.value);
    return s.kind === 'return' && k === fn.body.length - 1 && s.value !== null && ok(s.value);
  });
}

const I16: Range = { lo: -(2n ** 15n), hi: 2n ** 15n - 1n };
const I32: Range = { lo: -(2n ** 31n), hi: 2n ** 31n - 1n };
const within = (r: Range, o: Range) => r.lo >= o.lo && r.hi <= o.hi;
const typeRange = (t: DType): Range => { const { min, max } = intRange(t); return { lo: min, hi: max }; };
const bitLength = (v: bigint) => v.toString(2).length;

/**
 * Step 3: the integer form. Returns the bytes of the narrowest lane (2 or 4) every value fits,
 * or null. Records the loads' dtypes.
 */
function intBody(fn: IRFunction<DType>, out: DType, loads: DType[]): number | null {
  const env = new Map<number, Range>();
  let widest: Range = { lo: 0n, hi: 0n };
  const seen = (r: Range): Range => {
    widest = { lo: r.lo < widest.lo ? r.lo : widest.lo, hi: r.hi > widest.hi ? r.hi : widest.hi };
    return r;
  };
  /** The exact range of `e`, or null when it is not a lane operation or may wrap in its type. */
  const range = (e: Expr<DType>): Range | null => {
    if (!isIntType(e.type)) return null;
    const r = rangeOf(e);
    return r !== null && within(r, typeRange(e.type)) ? seen(r) : null;
  };
  const rangeOf = (e: Expr<DType>): Range | null => {
    switch (e.kind) {
      case 'const': { const v = BigInt(e.value as number | bigint); return { lo: v, hi: v }; }
      case 'local': return env.get(e.id) ?? null;
      case 'load':
        if (e.array.kind !== 'param') return null;
        loads.push(e.type);
        return typeRange(e.type);
      case 'cast': return range(e.arg);
      case 'unary': {
        const a = range(e.arg);
        if (a === null) return null;
        return e.op === 'pos' ? a : e.op === 'neg' ? { lo: -a.hi, hi: -a.lo } : null;
      }
      case 'binary': return binaryRange(e.op, e.left, e.right, bitsOf(e.type));
      default: return null;
    }
  };
  const binaryRange = (op: string, l: Expr<DType>, r: Expr<DType>, bits: number): Range | null => {
    const a = range(l);
    if (a === null) return null;
    if (op === 'shl' || op === 'shr' || op === 'ushr') {
      // A constant count below 16 (the narrowest lane masks counts by 15), as the IR masks it.
      if (r.kind !== 'const') return null;
      const k = BigInt(r.value as number | bigint) & BigInt(bits - 1);
      if (k >= 16n) return null;
      if (op === 'shl') return { lo: a.lo << k, hi: a.hi << k };
      if (op === 'ushr' && a.lo < 0n) return null;
      return { lo: a.lo >> k, hi: a.hi >> k };
    }
    const b = range(r);
    if (b === null) return null;
    switch (op) {
      case 'add': return { lo: a.lo + b.lo, hi: a.hi + b.hi };
      case 'sub': return { lo: a.lo - b.hi, hi: a.hi - b.lo };
      case 'mul': {
        const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
        return { lo: p.reduce((x, y) => (y < x ? y : x)), hi: p.reduce((x, y) => (y > x ? y : x)) };
      }
      case 'band': case 'bor': case 'bxor':
        if (a.lo < 0n || b.lo < 0n) return null;
        if (op === 'band') return { lo: 0n, hi: a.hi < b.hi ? a.hi : b.hi };
        return { lo: 0n, hi: (1n << BigInt(bitLength(a.hi > b.hi ? a.hi : b.hi))) - 1n };
      default: return null;
    }
  };
  const n = fn.body.length;
  for (let k = 0; k < n; k++) {
    const s = fn.body[k]!;
    if (s.kind === 'let' && k < n - 1) {
      const r = range(s.init);
      if (r === null) return null;
      env.set(s.local, r);
    } else if (s.kind === 'assign' && k < n - 1 && s.place.kind === 'local') {
      const r = range(s.value);
      if (r === null) return null;
      env.set(s.place.id, r);
    } else if (s.kind === 'return' && k === n - 1 && s.value) {
      // The store truncates to the output's bytes, as the cast to the output dtype does.
      const v = s.value.kind === 'cast' && s.value.type === out && isIntType(s.value.arg.type) ? s.value.arg : s.value;
      if (range(v) === null) return null;
    } else {
      return null;
    }
  }
  return within(widest, I16) ? 2 : within(widest, I32) ? 4 : null;
}
