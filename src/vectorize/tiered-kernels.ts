/**
 * Where a vectorize/guvectorize specialisation's kernels and module come from, joining the
 * two ways to skip work (issue 15): the compile cache keyed by the kernel's inputs
 * (kernel-cache.ts: a hit runs no front end and no asc, and goes straight to the Wasm tier)
 * and tiers (tier.ts: on a miss the front end runs now, the JS tier answers at once and the
 * Wasm compiles in the background). A module that lands is remembered by the kernel's
 * inputs, so the next factory of the same kernel (this process; others with `cache: true`)
 * hits.
 *
 * A third way, after a miss, for the scalar kernels the direct emitter takes
 * (compiler/emit/wasm: every kernel of the group eligible, tier 'auto' or 'wasm'): their
 * module is written from the IR in well under a millisecond, compiled and instantiated now,
 * and the Wasm tier is in place at once, with no compiler worker and no asc. With
 * `cache: true` such a module (unless it imports the math library) is remembered by the kernel's inputs like a compiled one (in
 * memory and on disk: it has no static data, so its entry goes to any base), so that the next
 * process hits and skips the front end too (~4 ms of a cold process's factory, where the
 * lookup and instantiation of a hit cost well under 1 ms); without it, nothing is hashed or
 * written (the kernel's inputs are hashed only for the cache).
 */
import { linkKernels, type CompiledKernel } from '../compiler/index.js';
import { directEligible, emitDirectWasm, type DirectKernel } from '../compiler/emit/wasm/emit-module.js';
import { tableLayout, writeTables } from '../compiler/emit/wasm/tables.js';
import { MATH_MODULE } from '../compiler/emit/wasm/math-imports.js';
import { usesMathLibrary } from '../compiler/emit/wasm/scalar-row.js';
import { mathLibraryExports } from '../runtime/math-library.js';
import { runtime } from '../runtime/runtime.js';
import { compileUnits, findKernelModule, rememberKernelModule, type KernelUnit } from './kernel-cache.js';
import type { KernelModule } from './module.js';
import type { Tiers } from './tier.js';

/** What the Wasm tier reads of a module. */
export type LoadedModule = Pick<KernelModule, 'exports' | 'module'>;

/**
 * Chrome before 114 (2023) refuses `new WebAssembly.Module` of more than 4 KiB on a
 * browser's main thread: in browsers a bigger direct module (a 4-input kernel for two
 * signatures: 5.4 KB) goes the asc way, through the compiler worker, to stay safe there
 * (Node has no such limit).
 */
const SYNC_COMPILE_LIMIT = 4096;

const onNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

const direct = { enabled: true };

/**
 * @internal Whether eligible kernels get the direct Wasm module (default true); tests set
 * false to send them through asc as before.
 */
export function setDirectWasm(enabled: boolean): void {
  direct.enabled = enabled;
}

/**
 * The direct module of `kernels`, instantiated on the runtime's memory, with the math
 * library's exports as `nbmath` when a kernel calls one of its functions; null when some
 * kernel is not eligible (compiler/emit/wasm/emit-module.ts directEligible; a kernel that
 * calls the math library is eligible only when this thread has it: runtime/math-library.ts),
 * the module is too big to compile here synchronously, or the engine refuses it.
 * `optimize`: asc's module of the group is better and should replace it (Tiers.optimize):
 * it inlines the library's functions (1.15-1.3x faster on Math-heavy kernels), or it has the
 * reduce tile a unit asks for (vectorize with an `identity`: leading-axis reductions with
 * column chunks in registers; the direct module reduces row by row, in the same order, so
 * the same bits). `auto` false (tier 'wasm': the best code, blocking) makes such groups not
 * eligible.
 */
function directModule(kernels: readonly CompiledKernel[], units: readonly KernelUnit[], auto: boolean): { module: KernelModule; optimize: boolean } | null {
  const tile = units.some((u) => u.options.reduceTile === true);
  if (!direct.enabled || (tile && !auto)) return null;
  // (The library is looked up, and so instantiated, only for a kernel that calls it.)
  const nbmath = auto && kernels.some((k) => usesMathLibrary(k.ir)) ? mathLibraryExports() : null;
  if (kernels.some((k) => !directEligible(k.ir, { mathLibrary: nbmath !== null }))) return null;
  const tables = placeTables(kernels);
  const bytes = emitDirectWasm(tables?.kernels ?? kernels);
  if (bytes.length > SYNC_COMPILE_LIMIT && !onNode) { tables?.free(); return null; }
  try {
    const module = new WebAssembly.Module(bytes);
    const imports: WebAssembly.Imports = { env: { memory: runtime().memory } };
    if (nbmath !== null) imports[MATH_MODULE] = nbmath;
    const instance = new WebAssembly.Instance(module, imports);
    return {
      module: {
        exports: instance.exports as Record<string, unknown>, module, from: 'compiled', compileMs: 0,
        // No static data and no relocation sites: the same bytes go to any base; but a
        // module with tables has the address of their block (kept for the process's life)
        // inside: the kernel cache keeps it in memory only (`local`), never on disk.
        block: tables?.block ?? null,
        portable: { bytes, relocs: null, onDisk: false },
        ...(tables !== null ? { local: true as const } : {}),
      },
      optimize: nbmath !== null || tile,
    };
  } catch {
    tables?.free();
    // An engine that refuses it (none known: asc's modules use the same SIMD instructions)
    // gets the asc way, whose failures are reported as before.
    return null;
  }
}

/**
 * The constant tables of `kernels` (compiler/emit/wasm/tables.ts), written into one heap
 * block reserved for the module's life (the process's, as asc's modules' static data
 * blocks), with each kernel's tables' address; null when no kernel has tables.
 */
function placeTables(kernels: readonly CompiledKernel[]): { kernels: DirectKernel[]; block: { start: number; end: number }; free(): void } | null {
  const sizes = kernels.map((k) => tableLayout(k.ir.tables ?? []).bytes);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const { heap, memory } = runtime();
  const start = heap.alloc(total + 15);
  let at = (start + 15) & ~15;
  const placed = kernels.map((k, i): DirectKernel => {
    if (sizes[i] === 0) return k;
    writeTables(new Uint8Array(memory.buffer), at, k.ir.tables!);
    const tableBase = at;
    at += sizes[i]!;
    return { ir: k.ir, entries: k.entries, tableBase };
  });
  return { kernels: placed, block: { start, end: start + total + 15 }, free: () => heap.free(start) };
}

/** The kernels of a specialisation, and how its loops get their tiers. */
export interface TieredKernels {
  readonly kernels: readonly CompiledKernel[];
  /** Put the loops' tiers in place: Wasm at once on a hit or a direct module, else per the function's `tiers`. */
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
      const now = tiers.mode === 'js' ? null : directModule(kernels, units, tiers.mode === 'auto');
      const asc = {
        get source() { return linkKernels(kernels); },
        module: { ...options, boundscheck: kernels.every((k) => k.boundscheck) },
        wasm: (m: KernelModule) => {
          rememberKernelModule(fn, units, options, kernels, m);
          g.wasm(m);
        },
      };
      if (now !== null) {
        // A module that asc's replaces in the background (Tiers.optimize; directModule says
        // when) is not remembered: the one that replaces it is (a hit then gets the better
        // module; and the cache's loader, kernel-cache.ts and module.ts, instantiates an
        // entry with `env` only, not the math library).
        if (options.disk && !now.optimize) rememberKernelModule(fn, units, options, kernels, now.module);
        g.wasm(now.module);
        if (now.optimize) tiers.optimize(asc);
        return;
      }
      tiers.add({ ...asc, source: asc.source, js: () => g.js() });
    },
  };
}
