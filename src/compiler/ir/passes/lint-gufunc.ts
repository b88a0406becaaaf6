/**
 * Lints of gufunc kernels (on the untyped IR, with the layout's core dims).
 *
 * Steps:
 *   1. an output parameter assigned as a whole (`out = ...`) is NB4002, an error: it
 *      rebinds the name and writes nothing (the classic Numba guvectorize mistake);
 *   2. an output that no statement stores to is NB4001 (a warning);
 *   3. a named core dimension that no `.length` reads is NB4003 (a warning): the kernel
 *      probably hard-codes a size or forgot a loop. Frozen dims (`(3)`) are exempt.
 * Warnings are returned; `strict` compiles turn them into errors.
 */
import { diagnostic, kernelError, type KernelDiagnostic } from '../../frontend/diagnostics.js';
import { forEachExpr, forEachStmt, type CoreInfo, type IRFunction } from '../nodes.js';

/**
 * @returns the warnings.
 * @throws KernelError NB4002 on a rebound output.
 * @example
 * ```ts
 * lintGufunc(lowered, { nin: 1, dims: ['n'], operands: [[0], []] }); // [] or warnings
 * ```
 */
export function lintGufunc(fn: IRFunction<null>, core: CoreInfo): KernelDiagnostic[] {
  const warnings: KernelDiagnostic[] = [];
  const written = new Set<number>();
  forEachStmt(fn.body, (s) => {
    if (s.kind === 'assign' && s.place.kind === 'param' && s.place.index >= core.nin) {
      throw kernelError('NB4002', fn.source, s.at, [fn.params[s.place.index]!.name]);
    }
    if (s.kind === 'store' && s.array.kind === 'param') written.add(s.array.index);
  });
  for (let k = core.nin; k < fn.params.length; k++) {
    if (!written.has(k)) warnings.push(diagnostic('NB4001', fn.source, fn.params[k]!.at, [fn.params[k]!.name]));
  }
  const used = new Set<number>();
  forEachExpr(fn.body, (e) => {
    if (e.kind !== 'length' || e.array.kind !== 'param') return;
    const d = core.operands[e.array.index]?.[e.axis];
    if (d !== undefined) used.add(d);
  });
  core.dims.forEach((name, d) => {
    if (used.has(d) || /^\d+$/.test(name)) return;
    // Point at the first parameter that has the dim.
    const k = core.operands.findIndex((o) => o.includes(d));
    warnings.push(diagnostic('NB4003', fn.source, fn.params[Math.max(0, k)]?.at ?? 0, [name]));
  });
  return warnings;
}
