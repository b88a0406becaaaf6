/**
 * Whether a scalar kernel may run the contiguous SIMD path (DESIGN.md decision 3).
 *
 * Steps: a kernel qualifies when
 *   1. every parameter and the output have one float type (all float32 or all float64);
 *   2. its body is straight-line: `let`/`const` of locals assigned nowhere else, then one
 *      `return` (no branches, loops, parameter reassignment or helper calls);
 *   3. every expression is a parameter, a local, a constant, unary minus, + - * /, or an
 *      intrinsic with a SIMD spelling (sqrt, abs, min, max, floor, ceil, trunc), all of
 *      that one float type (so no casts).
 * Those operations are IEEE-exact per lane (Wasm SIMD's f64x2.min/max propagate NaN and
 * order -0 < +0 as Math.min/max do), so the SIMD path gives bit-identical results.
 * Besides the all-contiguous loop, the row has one loop per input broadcast (stride 0) —
 * for kernels of at most {@link SIMD_BROADCAST_MAX_INPUTS} inputs ({@link simdBroadcasts}):
 * each variant tests every operand, so K inputs cost O(K^2) code, and at 60 inputs asc
 * took 320 s on the row (issue 19 item 7).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../intrinsics.js';
import type { Expr, IRProgram } from '../nodes.js';
import { isFloatType } from '../types.js';

/**
 * The lane type of the SIMD path, or null when the kernel does not qualify.
 *
 * @example
 * ```ts
 * simdType(compileKernel((x, y) => x * y + 1, 'f8(f8,f8)', { kind: 'scalar' }).ir); // 'float64'
 * ```
 */
export function simdType(p: IRProgram): DType | null {
  const ok = (e: Expr<DType>, t: DType): boolean => {
    if (e.type !== t) return false;
    switch (e.kind) {
      case 'const': case 'param': case 'local': return true;
      case 'unary': return e.op === 'neg' && ok(e.arg, t);
      case 'binary': return ['add', 'sub', 'mul', 'div'].includes(e.op) && ok(e.left, t) && ok(e.right, t);
      case 'call': return INTRINSICS.get(e.fn)?.simd !== undefined && e.args.every((a) => ok(a, t));
      default: return false;
    }
  };
  return straightLineFloat(p, ok);
}

/**
 * Steps 1 and 2 of {@link simdType}, with step 3 left to `accepts`: the float type of a
 * scalar kernel whose every parameter and result have that one float type and whose body is
 * `let`s then one `return`, each expression accepted by `accepts(e, type)`; else null.
 * (The direct Wasm emitter, compiler/emit/wasm, accepts more expressions than simdType.)
 *
 * @example
 * ```ts
 * straightLineFloat(compileKernel((x) => x > 0 ? x : 0, 'f8(f8)', { kind: 'scalar' }).ir, () => true); // 'float64'
 * ```
 */
export function straightLineFloat(p: IRProgram, accepts: (e: Expr<DType>, t: DType) => boolean): DType | null {
  if (p.kind !== 'scalar' || p.helpers.length > 0) return null;
  const fn = p.main;
  const t = fn.returns;
  if (t === 'void' || !isFloatType(t)) return null;
  if (fn.params.some((q) => q.scalar !== t)) return null;
  const body = fn.body;
  if (body.length === 0 || body[body.length - 1]!.kind !== 'return') return null;
  for (let k = 0; k < body.length; k++) {
    const s = body[k]!;
    if (s.kind === 'let' && k < body.length - 1 && accepts(s.init, t)) continue;
    if (s.kind === 'return' && k === body.length - 1 && s.value && accepts(s.value, t)) continue;
    return null;
  }
  return t;
}

/** Kernels with more inputs get no broadcast variants (see the file header). */
export const SIMD_BROADCAST_MAX_INPUTS = 4;

/**
 * The inputs that get a broadcast (stride-0) SIMD variant of the row: each input of a
 * SIMD kernel with 2 to {@link SIMD_BROADCAST_MAX_INPUTS} inputs, else none.
 *
 * @example
 * ```ts
 * simdBroadcasts(compileKernel((x, y) => x * y + 1, 'f8(f8,f8)', { kind: 'scalar' }).ir); // [0, 1]
 * ```
 */
export function simdBroadcasts(p: IRProgram): number[] {
  return simdType(p) !== null ? broadcastInputs(p.main.params.length) : [];
}

/**
 * The inputs of a kernel of `nin` inputs that get a broadcast variant of its SIMD row: each,
 * for 2 to {@link SIMD_BROADCAST_MAX_INPUTS} inputs, else none.
 *
 * @example
 * ```ts
 * broadcastInputs(3); // [0, 1, 2]
 * ```
 */
export function broadcastInputs(nin: number): number[] {
  return nin > 1 && nin <= SIMD_BROADCAST_MAX_INPUTS ? [...Array(nin).keys()] : [];
}
