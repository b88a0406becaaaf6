/**
 * The JS tier of a cpu/parallel stencil (API.md: a call made before the Wasm code is ready
 * runs the same kernel compiled to JS): the entry emitted from the same IR by
 * src/compiler/emit/js/stencil.ts, run on the calling thread over the heap itself, with the
 * Wasm entry's own arguments (byte addresses and byte strides of the staged operands, the
 * input and output shapes), so that stencil.ts's staging, `out` and casts are the same for
 * both tiers.
 */
import { cvalWeak, type CompiledStencil } from '../compiler/stencil.js';
import { emitStencilJs, instantiateStencilJs } from '../compiler/emit/js/stencil.js';
import { DTYPES } from '../dtype/dtypes.js';
import type { StencilRunner } from '../vectorize/kernel-targets.js';
import { heapView } from '../vectorize/js-tier.js';

/**
 * The JS tier's runner of compiled stencil `c` (the Wasm runner's arguments).
 *
 * @example
 * ```ts
 * const run = jsStencilRunner(c); // run(args, oshape) as the Wasm entry's runner
 * ```
 */
export function jsStencilRunner(c: CompiledStencil): StencilRunner {
  const entry = instantiateStencilJs(emitStencilJs({ ir: c.ir, ndim: c.ndim, stride: c.stride, mode: c.mode, cval: cvalWeak(c.cval) }));
  const D = c.ndim;
  return (args) => {
    const js: unknown[] = [];
    let a = 0;
    for (const d of c.operands) {
      const size = DTYPES[d].itemSize;
      js.push(heapView(d), args[a++]! / size);
      for (let j = 0; j < D; j++) js.push(args[a++]! / size);
    }
    for (; a < args.length; a++) js.push(args[a]);
    entry(...js);
  };
}
