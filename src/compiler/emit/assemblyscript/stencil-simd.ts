/**
 * The v128 version of a stencil kernel (issue 16 item 6): N output points of an interior row
 * at once, in the lane type ir/passes/stencil-lanes.ts chose, from the same typed IR as the
 * scalar kernel. compiler/stencil.ts calls it on the interior of rows whose innermost axis is
 * unit-stride (every input, and the output) and falls back to the scalar kernel elsewhere.
 *
 * Steps:
 *   1. a read `a(d0, ..., dk)` of element type T becomes a gather of the N lanes' elements
 *      at `p + d0 * s0 + ... + (dk + l * S) * size(T)`, l = 0..N-1 (S: the innermost output
 *      stride): one 16-byte load when S = 1, else one or two loads and an `i8x16.shuffle`
 *      that packs every S-th element; then integer elements are widened to the lane
 *      (`extend_low`, T's signedness);
 *   2. operations as lane operations (`i16x8.add`, `f64x2.mul`, shifts by constants, ...):
 *      the pass proved they give the scalar kernel's values;
 *   3. the result is stored to the N outputs: float and same-size lanes as they are,
 *      narrower integer outputs as the lanes' low bytes (`v128.and` then `narrow_*_u`, exact
 *      on masked values), which is the scalar kernel's truncating cast.
 * A gather reads {@link vectorReach} elements from the first lane's centre on the innermost
 * axis; the row walk runs the vector loop only where that stays inside the row.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { DTYPES } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../../ir/intrinsics.js';
import { forEachExpr, type Expr, type IRFunction, type LoadExpr } from '../../ir/nodes.js';
import { gatherBytes, laneBytes, type StencilLanes } from '../../ir/passes/stencil-lanes.js';
import { bitsOf, isSigned } from '../../ir/types.js';
import { asConst, strideName } from './emit-function.js';

type T = Expr<DType>;

const V128: Readonly<Record<StencilLanes['lane'], string>> = { int16: 'i16x8', int32: 'i32x4', float32: 'f32x4', float64: 'f64x2' };

const offsets = (e: LoadExpr<DType>): number[] => e.indices.map((i) => Number((i as { value: number | bigint }).value));

/**
 * Elements past the first lane's centre that the gathers read on the innermost axis: the
 * vector at output o reads input elements below `o * stride + reach`.
 *
 * @example
 * ```ts
 * vectorReach(mean2x2.ir.main, { lane: 'int16', count: 8 }, 2); // 17: a(0, 1)'s 16 bytes from offset 1
 * ```
 */
export function vectorReach(fn: IRFunction<DType>, lanes: StencilLanes, stride: number): number {
  let reach = 0;
  forEachExpr(fn.body, (e) => {
    if (e.kind !== 'load') return;
    const t = DTYPES[e.type].itemSize;
    reach = Math.max(reach, offsets(e)[e.indices.length - 1]! + gatherBytes(t, stride, lanes.count) / t);
  });
  return reach;
}

/** The N lanes of a read (step 1). */
function gather(fn: IRFunction<DType>, e: LoadExpr<DType>, lanes: StencilLanes, stride: number): string {
  const p = fn.params[(e.array as { index: number }).index]!;
  const offs = offsets(e);
  const D = offs.length;
  const t = DTYPES[e.type].itemSize;
  const base = [p.emitName, ...offs.slice(0, D - 1).flatMap((o, d) => (o === 0 ? [] : [`<usize>(${o}) * ${strideName(p.emitName, d)}`]))].join(' + ');
  const byte = offs[D - 1]! * t;
  // A negative offset moves the pointer; a non-negative one is the load's immediate offset.
  const ptr = byte < 0 ? `(${base} - ${-byte})` : base;
  const imm = (k: number) => Math.max(byte, 0) + k;
  const load = (k: number) => `v128.load(${ptr}, ${imm(k)})`;
  const G = gatherBytes(t, stride, lanes.count);
  let v: string;
  if (stride === 1) v = load(0);
  else {
    const idx = Array.from({ length: 16 }, (_, j) => (j < lanes.count * t ? Math.floor(j / t) * stride * t + (j % t) : 0));
    v = `i8x16.shuffle(${load(0)}, ${G === 32 ? load(16) : 'v128.splat<i8>(0)'}, ${idx.join(', ')})`;
  }
  const w = laneBytes(lanes.lane);
  const su = isSigned(e.type) ? 's' : 'u';
  if (t === 1 && w >= 2) v = `i16x8.extend_low_i8x16_${su}(${v})`;
  if (t <= 2 && w === 4) v = `i32x4.extend_low_i16x8_${su}(${v})`;
  return v;
}

/**
 * The v128 kernel `<prefix>vkernel`, with the scalar kernel's parameters (a base pointer and
 * byte strides per accessor, the pointer at the first lane's centre).
 *
 * @example
 * ```ts
 * vectorKernel(s.ir.main, { lane: 'int16', count: 8 }, 2, 's0_'); // 'function s0_vkernel(a: usize, ...): v128 { ... }'
 * ```
 */
export function vectorKernel(fn: IRFunction<DType>, lanes: StencilLanes, stride: number, prefix: string): string {
  const L = V128[lanes.lane];
  const isFloat = lanes.lane.startsWith('float');
  const ex = (e: T): string => {
    switch (e.kind) {
      case 'const': return isFloat ? `${L}.splat(${asConst(e.value, e.type)})` : `${L}.splat(${Number(e.value)})`;
      case 'local': return fn.locals[e.id]!.emitName;
      case 'load': return gather(fn, e, lanes, stride);
      case 'cast': return ex(e.arg);
      case 'unary': return e.op === 'pos' ? ex(e.arg) : `${L}.neg(${ex(e.arg)})`;
      case 'call': return INTRINSICS.get(e.fn)!.simd!(e.type, e.args.map(ex));
      case 'binary': {
        const a = ex(e.left);
        switch (e.op) {
          case 'band': return `v128.and(${a}, ${ex(e.right)})`;
          case 'bor': return `v128.or(${a}, ${ex(e.right)})`;
          case 'bxor': return `v128.xor(${a}, ${ex(e.right)})`;
          case 'shl': case 'shr': case 'ushr': {
            // The count the IR uses (masked by its type's width); the pass kept it below 16,
            // and every lane value non-negative for `>>>`, so an arithmetic shift is exact.
            const k = BigInt((e.right as { value: number | bigint }).value) & BigInt(bitsOf(e.type) - 1);
            return `${L}.${e.op === 'shl' ? 'shl' : 'shr_s'}(${a}, ${k})`;
          }
          default: return `${L}.${e.op}(${a}, ${ex(e.right)})`;
        }
      }
      default: throw new Error(`internal: stencil lane form of '${e.kind}'`);
    }
  };
  const params = fn.params.map((p) => [`${p.emitName}: usize`, ...(p.array ? [...Array(p.array.ndim).keys()].map((d) => `${strideName(p.emitName, d)}: usize`) : [])].join(', '));
  const lines = ['// @ts-ignore: decorator', '@inline', `function ${prefix}vkernel(${params.join(', ')}): v128 {`];
  const out = fn.returns as DType;
  for (const s of fn.body) {
    if (s.kind === 'let') lines.push(`  let ${fn.locals[s.local]!.emitName}: v128 = ${ex(s.init)};`);
    else if (s.kind === 'assign' && s.place.kind === 'local') lines.push(`  ${fn.locals[s.place.id]!.emitName} = ${ex(s.value)};`);
    else if (s.kind === 'return' && s.value) {
      // The cast to the output dtype is the store's narrowing (step 3).
      const v = s.value.kind === 'cast' && s.value.type === out && !isFloat ? s.value.arg : s.value;
      lines.push(`  return ${ex(v)};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * The statement storing the N lanes of `value` to consecutive outputs of dtype `out` at `addr`
 * (step 3).
 *
 * @example
 * ```ts
 * vectorStore({ lane: 'int16', count: 8 }, 'uint8', 'qo', 'v');
 * // '{ const __m = v128.and(v, i16x8.splat(255)); v128.store64_lane(qo, i8x16.narrow_i16x8_u(__m, __m), 0); }'
 * ```
 */
export function vectorStore(lanes: StencilLanes, out: DType, addr: string, value: string): string {
  const w = laneBytes(lanes.lane);
  const o = DTYPES[out].itemSize;
  if (o === w) return `v128.store(${addr}, ${value});`;
  const mask = `const __m = v128.and(${value}, ${V128[lanes.lane]}.splat(${2 ** (8 * o) - 1}));`;
  if (w === 2) return `{ ${mask} v128.store64_lane(${addr}, i8x16.narrow_i16x8_u(__m, __m), 0); }`;
  if (o === 2) return `{ ${mask} v128.store64_lane(${addr}, i16x8.narrow_i32x4_u(__m, __m), 0); }`;
  return `{ ${mask} const __h = i16x8.narrow_i32x4_u(__m, __m); v128.store32_lane(${addr}, i8x16.narrow_i16x8_u(__h, __h), 0); }`;
}
