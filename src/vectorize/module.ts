/**
 * Turning compiled kernels into one instantiated Wasm module on the shared heap: link,
 * reserve a heap block for the module's static data (kept for the process lifetime),
 * compile at that memoryBase through the cache, instantiate on `runtime().memory`.
 */
import { linkKernels, type CompiledKernel } from '../compiler/index.js';
import { runtime } from '../runtime/runtime.js';
import { compileCached, type CachedCompile, type CacheSource } from './cache.js';

/** First guess of a module's static data size (AS's Math tables are ~2-9 KiB). */
const FIRST_BLOCK = 16 * 1024;

export interface KernelModule {
  readonly exports: Record<string, unknown>;
  /** The compiled module (the parallel target posts it to its workers). */
  readonly module: WebAssembly.Module;
  readonly from: CacheSource;
  readonly compileMs: number;
  /** The reserved block [start, end), or null when the module has no static data. */
  readonly block: { start: number; end: number } | null;
  /** The cache entry it came from when that goes to any base (kernel-cache.ts stores it by the kernel's inputs), else null. */
  readonly portable: CachedCompile['portable'];
}

/**
 * Link, compile (cached) and instantiate kernels (distinct prefixes) as one module.
 *
 * @example
 * ```ts
 * const { exports } = instantiateKernels([k], { disk: false });
 * (exports['k0_loop'] as (plan: number) => void)(plan);
 * ```
 */
export function instantiateKernels(kernels: readonly CompiledKernel[], options: { disk?: boolean; target?: string } = {}): KernelModule {
  return instantiateSource(linkKernels(kernels), { ...options, boundscheck: kernels.every((k) => k.boundscheck) });
}

/**
 * Compile (cached) and instantiate a linked AS module source (what instantiateKernels does
 * after linking; stencils link their own units).
 *
 * @example
 * ```ts
 * const { exports } = instantiateSource(linkAssemblyScript([stencil.asUnit]));
 * ```
 */
export function instantiateSource(
  source: string, options: { disk?: boolean; target?: string; boundscheck?: boolean; imports?: Readonly<Record<string, unknown>> } = {},
): KernelModule {
  return instantiateAt((base, fresh) => compileCached(source, { memoryBase: base, disk: options.disk ?? false, target: options.target ?? 'cpu', boundscheck: options.boundscheck ?? true, fresh }), options.imports);
}

/**
 * Reserve a heap block, get the module for static data there (`compileAt(base, fresh)`:
 * `fresh` after a cached module failed to link, so compile again), and instantiate it on
 * `runtime().memory`; a bigger block when its static data does not fit. What
 * instantiateSource does with the compile cache; kernel-cache.ts with an entry found by the
 * kernel's inputs.
 *
 * @example
 * ```ts
 * const { exports } = instantiateAt((base, fresh) => compileCached(source, { memoryBase: base, fresh }));
 * ```
 */
export function instantiateAt(
  compileAt: (memoryBase: number, fresh: boolean) => CachedCompile, imports: Readonly<Record<string, unknown>> = {},
): KernelModule {
  const { heap, memory } = runtime();
  let size = FIRST_BLOCK;
  let fresh = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    const start = heap.alloc(size);
    // 64-byte aligned: relocated entries (cache.ts) keep the low bits of their canonical base.
    const base = (start + 63) & ~63;
    let r: CachedCompile;
    try {
      r = compileAt(base, fresh);
    } catch (e) {
      heap.free(start); // a failed compile keeps no block
      throw e;
    }
    const sd = r.staticData;
    if (sd === null || (sd.start >= start && sd.end <= start + size)) {
      let instance: WebAssembly.Instance;
      try {
        // (host functions the module imports: nb.jit's prange loops, src/parallel/jit.ts)
        instance = new WebAssembly.Instance(r.module, { env: { ...imports, memory } });
      } catch (e) {
        heap.free(start);
        // A cached module that does not link (an entry from another build or a stale layout):
        // never a crash; compile it again, once, and replace the entries.
        if (r.from === 'compiled' || fresh) throw e;
        fresh = true;
        continue;
      }
      // No static data: the block is not needed. Otherwise it stays reserved for good.
      if (sd === null) heap.free(start);
      return {
        exports: instance.exports as Record<string, unknown>, module: r.module, from: r.from, compileMs: r.compileMs,
        block: sd === null ? null : { start, end: start + size }, portable: r.portable,
      };
    }
    heap.free(start);
    size = Math.max(size * 2, sd.end - sd.start + 128);
  }
  throw new Error('instantiateKernels: could not place the module static data');
}
