/**
 * The argument list of a helper call, shared by the AssemblyScript and JS emitters: the
 * scalar arguments, and for each array passed whole (jit functions, {@link HelperArrayArg})
 * the caller's pointer (JS: its data and element offset) and strides in the helper's
 * parameter position, then the sizes of those arrays' axes in position order (the helper's
 * own core dims, ir/infer.ts `ProgramInfer.specialize`).
 */
import type { DType } from '../../dtype/dtypes.js';
import { paramIndex, type Expr, type HelperCallExpr, type IRFunction, type IRProgram } from '../ir/nodes.js';

/**
 * The printed arguments of helper call `e` in function `fn`.
 *
 * @example
 * ```ts
 * helperCallArgs(p, fn, call, (a) => this.expr(fn, a), strideName); // ['img', '__img_s0', '__img_s1', 'i', '__n0', '__n1']
 * ```
 */
export function helperCallArgs(
  p: IRProgram, fn: IRFunction<DType>, e: HelperCallExpr<DType>, x: (a: Expr<DType>) => string,
  stride: (param: string, k: number) => string, offset?: (param: string) => string,
): string[] {
  const arrays = [...(e.arrays ?? [])].sort((a, b) => a.position - b.position);
  if (arrays.length === 0) return e.args.map(x);
  const h = p.helpers[e.index]!;
  const out: string[] = [];
  let next = 0;
  h.params.forEach((q, k) => {
    if (q.literal) return;
    const a = arrays.find((r) => r.position === k);
    if (a === undefined) {
      out.push(x(e.args[next++]!));
      return;
    }
    const c = fn.params[paramIndex(a.array)]!;
    out.push(c.emitName);
    if (offset) out.push(offset(c.emitName));
    for (let j = 0; j < a.ndim; j++) out.push(stride(c.emitName, j));
  });
  for (const a of arrays) {
    for (let j = 0; j < a.ndim; j++) out.push(x({ kind: 'length', array: a.array, axis: j, type: 'int32', at: e.at }));
  }
  return out;
}
