/**
 * The Wasm instructions of the direct emitter's two lane types: per IR operation (unary
 * `neg`, binary `add` `sub` `mul` `div`, and the intrinsics with a SIMD spelling) its scalar
 * opcode and its SIMD one (the number after the 0xfd prefix), and the lane's loads, stores
 * and splat. Each operation is ONE instruction in both forms, IEEE-exact per lane (WebAssembly
 * 2.0, 4.3.3 and 4.4.3: `fNN.min/max` and `fNNxM.min/max` return NaN when either operand is
 * NaN and order -0 < +0, as Math.min/max do; no pmin/pmax), so the scalar and SIMD loops of
 * the module, and asc's module of the same kernel, give the same bits.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { F32, F64, type ValType } from './encode.js';

/** One lane type's instructions. */
export interface Lane {
  readonly type: ValType;
  /** Bytes per element, and its log2 (the memory accesses' alignment hint). */
  readonly size: number;
  readonly align: number;
  readonly load: number;
  readonly store: number;
  /** The SIMD splat (scalar → every lane). */
  readonly splat: number;
  /** Scalar opcode and SIMD number of each operation, by its IR name. */
  readonly ops: Readonly<Record<string, Instruction>>;
  /** The same for each comparison (IR CompareOp), which gives a bool. */
  readonly compare: Readonly<Record<string, Instruction>>;
}

/** One operation's scalar opcode and SIMD number. */
export interface Instruction { readonly scalar: number; readonly simd: number }

const ops = <K extends string>(rows: Record<K, [number, number]>): Record<K, Instruction> =>
  Object.fromEntries(Object.entries<[number, number]>(rows).map(([k, [scalar, simd]]) => [k, { scalar, simd }])) as Record<K, Instruction>;

/**
 * The operations on bools, the same for both lane types: `not` (i32.eqz / v128.not), `and`,
 * `or` (i32.and, i32.or of 0/1 values / v128.and, v128.or of masks) and `select`
 * (`select` / `v128.bitselect`: both take then, else, condition from the stack).
 */
export const MASK_OPS: Readonly<Record<'not' | 'and' | 'or' | 'select', Instruction>> = ops({
  not: [0x45, 0x4d], and: [0x71, 0x4e], or: [0x72, 0x50], select: [0x1b, 0x52],
});

/** The float lane types, by dtype. */
export const LANES: Readonly<Partial<Record<DType, Lane>>> = {
  float64: {
    type: F64, size: 8, align: 3, load: 0x2b, store: 0x39, splat: 0x14,
    ops: ops({
      neg: [0x9a, 0xed], add: [0xa0, 0xf0], sub: [0xa1, 0xf1], mul: [0xa2, 0xf2], div: [0xa3, 0xf3],
      sqrt: [0x9f, 0xef], abs: [0x99, 0xec], min: [0xa4, 0xf4], max: [0xa5, 0xf5],
      ceil: [0x9b, 0x74], floor: [0x9c, 0x75], trunc: [0x9d, 0x7a],
    }),
    compare: ops({ eq: [0x61, 0x47], ne: [0x62, 0x48], lt: [0x63, 0x49], gt: [0x64, 0x4a], le: [0x65, 0x4b], ge: [0x66, 0x4c] }),
  },
  float32: {
    type: F32, size: 4, align: 2, load: 0x2a, store: 0x38, splat: 0x13,
    ops: ops({
      neg: [0x8c, 0xe1], add: [0x92, 0xe4], sub: [0x93, 0xe5], mul: [0x94, 0xe6], div: [0x95, 0xe7],
      sqrt: [0x91, 0xe3], abs: [0x8b, 0xe0], min: [0x96, 0xe8], max: [0x97, 0xe9],
      ceil: [0x8d, 0x67], floor: [0x8e, 0x68], trunc: [0x8f, 0x69],
    }),
    compare: ops({ eq: [0x5b, 0x41], ne: [0x5c, 0x42], lt: [0x5d, 0x43], gt: [0x5e, 0x44], le: [0x5f, 0x45], ge: [0x60, 0x46] }),
  },
};
