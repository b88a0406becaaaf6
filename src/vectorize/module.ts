/**
 * Turning compiled kernels into one instantiated Wasm module on the shared heap: link,
 * reserve a heap block for the module's static data (kept for the process lifetime),
 * compile at that memoryBase through the cache, instantiate on `runtime().memory`.
 *
 * Two drivers run the same steps ({@link placeModule}, a generator that yields each
 * compile the cache cannot answer): {@link instantiateSource} compiles those blocking;
 * {@link startInstantiate} answers at once from the cache when it can, and otherwise
 * compiles them in the background (the tiered kernels' Wasm tier, tier.ts), the heap block
 * staying reserved meanwhile.
 */
import { linkKernels, type CompiledKernel } from '../compiler/index.js';
import { runtime } from '../runtime/runtime.js';
import { compileCached, type CachedCompile, type CacheSource } from './cache.js';
import { NeedCompile, prefetchCompile, probeCompiles } from './compile-sync.js';

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
  /**
   * Its code holds addresses of this process's heap (a direct module's constant tables,
   * vectorize/tiered-kernels.ts): kernel-cache.ts remembers it in memory only, never on disk.
   */
  readonly local?: true;
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
export function instantiateSource(source: string, options: ModuleOptions = {}): KernelModule {
  return instantiateAt(sourceCompiler(source, options), options.imports);
}

/** Options of the instantiate functions. */
export interface ModuleOptions {
  readonly disk?: boolean;
  readonly target?: string;
  readonly boundscheck?: boolean;
  /** Host functions the module imports beside `env.memory` (nb.jit's prange loops, src/parallel/jit.ts). */
  readonly imports?: Readonly<Record<string, unknown>>;
}

/** The module for static data at `memoryBase` (`fresh`: a cached one did not link, compile again). */
export type CompileAt = (memoryBase: number, fresh: boolean) => CachedCompile;

function sourceCompiler(source: string, options: ModuleOptions): CompileAt {
  return (base, fresh) => compileCached(source, { memoryBase: base, disk: options.disk ?? false, target: options.target ?? 'cpu', boundscheck: options.boundscheck ?? true, fresh });
}

/**
 * Reserve a heap block, get the module for static data there (`compileAt`), and instantiate
 * it on `runtime().memory`; a bigger block when its static data does not fit. What
 * instantiateSource does with the compile cache; kernel-cache.ts with an entry found by the
 * kernel's inputs. Blocking: a compile the cache cannot answer runs now. `blockBytes`: the
 * first block's size, for a caller that knows the static data's (0: none, no block is
 * reserved and the base is 0; a module that has static data after all gets a block).
 *
 * @example
 * ```ts
 * const { exports } = instantiateAt((base, fresh) => compileCached(source, { memoryBase: base, fresh }));
 * ```
 */
export function instantiateAt(compileAt: CompileAt, imports: Readonly<Record<string, unknown>> = {}, blockBytes = FIRST_BLOCK): KernelModule {
  const step = placeModule(compileAt, imports, false, blockBytes).next();
  if (!step.done) throw new Error('instantiateAt: a blocking compile asked for a background one');
  return step.value;
}

/**
 * A cache answer at once (`now`), or the module compiled in the background (`later`).
 *
 * @example
 * ```ts
 * const s = startInstantiate(linkKernels(ks), { target: 'cpu' });
 * const mod = s.now ?? await s.later;
 * ```
 */
export function startInstantiate(source: string, options: ModuleOptions = {}): { now: KernelModule; later?: undefined } | { now?: undefined; later: Promise<KernelModule> } {
  const g = placeModule(sourceCompiler(source, options), options.imports ?? {}, true);
  const first = g.next();
  if (first.done) return { now: first.value };
  return { later: finishInBackground(g, first.value) };
}

async function finishInBackground(g: Generator<NeedCompile, KernelModule, void>, need: NeedCompile): Promise<KernelModule> {
  const discards: Array<() => void> = [];
  try {
    for (;;) {
      try {
        discards.push(await prefetchCompile(need));
      } catch (e) {
        g.throw(e); // frees the reserved block, then throws e
      }
      const step = g.next();
      if (step.done) return step.value;
      need = step.value;
    }
  } finally {
    for (const d of discards) d();
  }
}

/** `compile()`, with probe mode's NeedCompile yielded to the driver (see the header). */
function* probed(compile: () => CachedCompile, probe: boolean): Generator<NeedCompile, CachedCompile, void> {
  for (;;) {
    if (!probe) return compile();
    let need: NeedCompile;
    try {
      return probeCompiles(compile);
    } catch (e) {
      if (!(e instanceof NeedCompile)) throw e;
      need = e;
    }
    yield need;
  }
}

function* placeModule(
  compileAt: CompileAt, imports: Readonly<Record<string, unknown>>, probe: boolean, blockBytes = FIRST_BLOCK,
): Generator<NeedCompile, KernelModule, void> {
  const { heap, memory } = runtime();
  let size = blockBytes;
  let fresh = false;
  // No block of size 0 (a module known to have no static data): nothing to reserve or free.
  const free = (start: number): void => {
    if (size > 0) heap.free(start);
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const start = size > 0 ? heap.alloc(size) : 0;
    // 64-byte aligned: relocated entries (cache.ts) keep the low bits of their canonical base.
    const base = (start + 63) & ~63;
    let r: CachedCompile;
    try {
      r = yield* probed(() => compileAt(base, fresh), probe);
    } catch (e) {
      free(start); // a failed compile keeps no block
      throw e;
    }
    const sd = r.staticData;
    if (sd === null || (sd.start >= start && sd.end <= start + size)) {
      let instance: WebAssembly.Instance;
      try {
        // (host functions the module imports: nb.jit's prange loops, src/parallel/jit.ts)
        instance = new WebAssembly.Instance(r.module, { env: { ...imports, memory } });
      } catch (e) {
        free(start);
        // A cached module that does not link (an entry from another build or a stale layout):
        // never a crash; compile it again, once, and replace the entries.
        if (r.from === 'compiled' || fresh) throw e;
        fresh = true;
        continue;
      }
      // No static data: the block is not needed. Otherwise it stays reserved for good.
      if (sd === null) free(start);
      return {
        exports: instance.exports as Record<string, unknown>, module: r.module, from: r.from, compileMs: r.compileMs,
        block: sd === null ? null : { start, end: start + size }, portable: r.portable,
      };
    }
    free(start);
    size = Math.max(size * 2, sd.end - sd.start + 128);
  }
  throw new Error('instantiateKernels: could not place the module static data');
}
