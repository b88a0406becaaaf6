/**
 * `nb.stencil(kernel, { target: 'parallel' })`: the output's outermost axis (rows; in 1-D,
 * points) cut into contiguous blocks run on the worker pool (pool.ts), each block by the
 * stencil's `stencil_plan` entry (src/compiler/stencil.ts) over its range [r0, r1) of
 * output indices along axis 0. Every point is computed by the same Wasm code as on the
 * calling thread, so results are bit-identical to the 'cpu' target's for any block count.
 *
 * Crossover (as execute.ts for vectorize): the stencil's cost per output point is measured
 * on its calling-thread runs (EWMA; a first guess from the number of neighbour reads); a
 * call goes to the pool when it has at least `minElements` output points and makes at
 * least two blocks of `blockMs` (nb.config({ parallel })). Otherwise it runs here.
 */
import type { CompiledStencil } from '../compiler/stencil.js';
import { forEachExpr } from '../compiler/ir/nodes.js';
import { runtime } from '../runtime/runtime.js';
import { parallelSettings } from './config.js';
import { newModuleId } from './execute.js';
import { asTrap } from './run.js';
import { runJobSync, type Job } from './pool.js';
import type { StencilRunner } from '../vectorize/kernel-targets.js';


/**
 * The runner of a stencil compiled for the parallel target.
 *
 * @param module - the compiled module (posted to the workers once, cached there by id)
 * @param whole - the `stencil` entry (whole calls on this thread)
 * @param plan - the `stencil_plan` entry (one block: arguments and [r0, r1) at a plan address)
 * @example
 * ```ts
 * const run = parallelStencil(c, module, exports[c.entry], exports[c.planEntry]);
 * run([p0, s0_0, po, so_0, n0, m0], [m0]);
 * ```
 */
export function parallelStencil(
  c: CompiledStencil, module: WebAssembly.Module, whole: (...args: number[]) => void, plan: (plan: number) => void,
): StencilRunner {
  const moduleId = newModuleId();
  let reads = 0;
  forEachExpr(c.ir.main.body, (e) => { if (e.kind === 'load') reads++; });
  const guess = 1 + reads;
  let ns: number | undefined;
  const local = (p: number) => {
    try {
      plan(p);
    } catch (e) {
      throw asTrap(e);
    }
  };
  return (args, oshape) => {
    const s = parallelSettings();
    const rows = oshape[0]!;
    let points = 1;
    for (const m of oshape) points *= m;
    const blocks = Math.min(4 * s.threads, rows, Math.floor(((ns ?? guess) * points) / (s.blockMs * 1e6)));
    if (s.threads < 2 || points < s.minElements || blocks < 2) {
      const t0 = performance.now();
      try {
        whole(...args);
      } catch (e) {
        throw asTrap(e);
      }
      const t = ((performance.now() - t0) * 1e6) / Math.max(1, points);
      ns = ns === undefined ? t : 0.7 * ns + 0.3 * t;
      return;
    }
    const words = args.length + 2;
    const stride = (words * 4 + 15) & ~15;
    const { heap, memory } = runtime();
    const ptr = heap.alloc(stride * blocks);
    const w = new Int32Array(memory.buffer, ptr, (stride * blocks) / 4);
    for (let j = 0; j < blocks; j++) {
      const at = (j * stride) / 4;
      // Addresses and byte strides as i32 words (the entry reads them back as usize).
      for (let q = 0; q < args.length; q++) w[at + q] = args[q]!;
      w[at + args.length] = Math.floor((j * rows) / blocks);
      w[at + args.length + 1] = Math.floor(((j + 1) * rows) / blocks);
    }
    const job: Job = { local, remote: { kind: 1, moduleId, module, fn: c.planEntry }, plans: ptr, planStride: stride, nblocks: blocks, frees: [ptr] };
    runJobSync(job);
  };
}
