/**
 * Where a vectorize/guvectorize specialisation's kernels and module come from, joining the
 * two ways to skip work (issue 15): the compile cache keyed by the kernel's inputs
 * (kernel-cache.ts: a hit runs no front end and no asc, and goes straight to the Wasm tier)
 * and tiers (tier.ts: on a miss the front end runs now, the JS tier answers at once and the
 * Wasm compiles in the background). A module that lands is remembered by the kernel's
 * inputs, so the next factory of the same kernel (this process; others with `cache: true`)
 * hits.
 */
import { linkKernels, type CompiledKernel } from '../compiler/index.js';
import { compileUnits, findKernelModule, rememberKernelModule, type KernelUnit } from './kernel-cache.js';
import type { KernelModule } from './module.js';
import type { Tiers } from './tier.js';

/** What the Wasm tier reads of a module. */
export type LoadedModule = Pick<KernelModule, 'exports' | 'module'>;

/** The kernels of a specialisation, and how its loops get their tiers. */
export interface TieredKernels {
  readonly kernels: readonly CompiledKernel[];
  /** Put the loops' tiers in place: Wasm at once on a hit, else per the function's `tiers`. */
  add(g: { js(): void; wasm(m: LoadedModule): void }): void;
}

/**
 * The kernels of `units` of kernel `fn`: a kernel-cache hit's (the tier 'js' never looks:
 * it runs the JS reference, which needs the front end), else the front end's.
 *
 * @example
 * ```ts
 * const t = tieredKernels(fn, units, { disk: false, target: 'cpu' }, tiers);
 * registerLoopsFor(t.kernels);
 * t.add({ js: putJs, wasm: putWasm });
 * ```
 */
export function tieredKernels(
  fn: (...args: never[]) => unknown, units: readonly KernelUnit[], options: { readonly disk: boolean; readonly target: string }, tiers: Tiers,
): TieredKernels {
  const hit = tiers.mode === 'js' ? null : findKernelModule(fn, units, options);
  const kernels = hit !== null ? hit.kernels : compileUnits(fn, units);
  return {
    kernels,
    add(g) {
      if (hit !== null) return g.wasm(hit);
      tiers.add({
        get source() { return linkKernels(kernels); },
        module: { ...options, boundscheck: kernels.every((k) => k.boundscheck) },
        js: () => g.js(),
        wasm: (m) => {
          rememberKernelModule(fn, units, options, kernels, m);
          g.wasm(m);
        },
      });
    },
  };
}
