/**
 * Tiered compilation of kernels (issue 15 item 1): a new specialisation first runs as JS
 * (js-tier.ts: the same typed IR through the JS emitter, in the same loop entries), while
 * its Wasm compiles on the compiler worker in the background (module.ts startInstantiate);
 * when the module is in place its loops replace the JS ones, in the same loop records, so
 * every later call (and every ufunc method) runs Wasm.
 *
 * The `tier` option of vectorize/guvectorize/jit/stencil, default `nb.config().tier` ('auto'):
 *   - 'auto': a module the compile cache already holds by the kernel's inputs (memory, or
 *     disk with `cache: true`: tiered-kernels.ts) is used at once; otherwise the JS tier
 *     runs until the Wasm lands (a module found by its AS source alone, in memory, lands
 *     once the caller's current job is done: see add());
 *   - 'wasm': the factory (lazy: the call that needs a specialisation) blocks until the
 *     Wasm is in place (the behaviour before tiers);
 *   - 'js': the JS tier only, nothing is compiled to Wasm (debugging; no compiler needed).
 * `f.ready` is a Promise that settles when every specialisation compiled so far is on the
 * Wasm tier (rejects with the compile's error when a background compile failed: the JS
 * tier then stays in use, and one warning says so); awaiting it keeps the process alive
 * until then, while an unawaited background compile never does (but with `cache: true` a
 * program waits for its modules to be written). `f.tier` says where the
 * calls run now: 'wasm' when every specialisation so far is on Wasm, else 'js'.
 * Kernel language errors are found by the front end before any tier, synchronously.
 *
 * A direct module (compiler/emit/wasm: written from the IR, no asc) is the Wasm tier at once.
 * One that calls the math library across instances (`Math.exp`, ...) runs Math-heavy kernels
 * 1.15-1.3x asc -O3's time (asc inlines the functions): under 'auto', asc's module of the
 * same group is compiled in the background and replaces it ({@link Tiers.optimize}; the same
 * AS functions, so the same bits, and the swap may fall between any two calls). `.ready`
 * does not wait for that; under 'wasm' such groups go to asc directly (the best code, blocking).
 *
 * Why 'auto' is the default (bench/first-call.ts, bench/README.md): on the shared 2-vCPU
 * machine a fresh process got `x*y+1`'s first result 6-9x sooner than with 'wasm' (the
 * factory no longer waits for asc's load and compile); the JS tier runs `x*y+1` at ~5
 * ns/element against Wasm's ~0.5, a stopgap until `.ready`.
 */
import { keepAliveUntil, warmCompiler } from './compile-sync.js';
import { startInstantiate, instantiateSource, type KernelModule, type ModuleOptions } from './module.js';
import type { LoopExec } from '../ufunc/loop-record.js';
import type { TierOption } from './tier-setting.js';

export { defaultTier, setDefaultTier, TIER_VALUES, type Tier, type TierOption } from './tier-setting.js';

/**
 * Make `dst` run `src`'s entries (the loop record keeps `dst`: swapping in place costs the
 * calls nothing).
 *
 * @example
 * ```ts
 * setExec(exec, wasmExec);
 * ```
 */
export function setExec(dst: LoopExec, src: LoopExec): void {
  dst.loop = src.loop;
  if (src.row !== undefined) dst.row = src.row;
  else delete dst.row;
}

/** One group of specialisations compiled into one module (eager: all signatures; lazy: one dtype). */
export interface TierGroup {
  /** The linked AS source and how to compile it. */
  readonly source: string;
  readonly module: ModuleOptions;
  /** Put the JS tier in place. */
  js(): void;
  /** Put the Wasm tier in place from its module. */
  wasm(m: KernelModule): void;
}

/**
 * The tier state of one compiled function (vectorize, guvectorize, nb.jit, nb.stencil): its
 * groups in flight, `ready` and `tier`.
 *
 * @example
 * ```ts
 * const tiers = new Tiers('f', 'auto');
 * tiers.add({ source, module: { target: 'cpu' }, js: putJs, wasm: putWasm });
 * await tiers.ready();
 * ```
 */
export class Tiers {
  private readonly all: Promise<void>[] = [];
  private onJs = 0;
  private warned = false;
  private readonly optimizing: Promise<void>[] = [];

  /**
   * @param onDemand - start the compiler only when a group needs it ({@link add}), not now:
   *   for factories that make their specialisations now (signatures given: vectorize,
   *   guvectorize), so whether anything must compile is known at once, and a compile-cache
   *   hit never starts it (issue 15: a hit's first result within 5 ms of the import; the
   *   worker's start is ~4 ms of this thread and more of another); and for lazy vectorize,
   *   whose specialisations are mostly direct modules (compiler/emit/wasm/: no compiler at
   *   all; the worker would hold ~90 MiB and a core for nothing), so its first call that
   *   needs asc starts it. Otherwise (nb.jit, nb.stencil: always asc) the compiler warms now,
   *   while the caller goes on to its first call.
   */
  constructor(private readonly name: string, readonly mode: TierOption, onDemand = false) {
    // The warm compiler: the worker and asc load while the caller goes on (the worker's
    // start once the caller's current job is done, as the compile request in add()).
    if (onDemand) return;
    if (mode === 'auto') queueMicrotask(warmCompiler);
    else if (mode === 'wasm') warmCompiler();
  }

  /** Compile a group: at once ('wasm', or a cache hit), or JS first and Wasm in the background. */
  add(g: TierGroup): void {
    if (this.mode === 'wasm') return g.wasm(instantiateSource(g.source, g.module));
    if (this.mode === 'js') {
      this.onJs++;
      return g.js();
    }
    // Without `cache: true` the Wasm side (the AS source, its cache key, the compile request)
    // starts once the caller's current job is done, so that the JS tier answers the first
    // call without waiting for it (issue 15: first result within 50 ms of the import); the
    // module can land only when the caller yields anyway (its reply is a message). With
    // `cache: true` a module on disk is looked up now, and used at once.
    const s = g.module.disk === true ? startInstantiate(g.source, g.module) : undefined;
    if (s?.now !== undefined) return g.wasm(s.now);
    // The compiler starts before the AS source is linked for the request (an eager
    // factory's first compile; idempotent).
    queueMicrotask(warmCompiler);
    g.js();
    this.onJs++;
    const module = s !== undefined ? s.later! : Promise.resolve().then(() => {
      const t = startInstantiate(g.source, g.module);
      return t.now ?? t.later;
    });
    const landed = module.then((m) => {
      g.wasm(m);
      this.onJs--;
    });
    // Nobody may read `.ready`: the failure is said once, and the JS tier stays.
    landed.catch((e: unknown) => {
      if (this.warned) return;
      this.warned = true;
      console.warn(`numbats: the Wasm compile of kernel '${this.name}' failed; its calls keep running on the JS tier (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    });
    this.all.push(landed);
    // `cache: true` asks for the module on disk: a short program waits for its compile to
    // be written (otherwise the cache would never fill for programs that end first).
    if (g.module.disk === true) keepAliveUntil(landed);
  }

  /**
   * Replace a group's direct module (already its Wasm tier) with asc -O3's, compiled in the
   * background ('auto'). `.ready` and `.tier` do not change (the group is on Wasm); a failed
   * compile keeps the direct module and is said once, as a failed Wasm compile is. With
   * `cache: true` a short program waits for the module to be written, as in {@link add}.
   */
  optimize(g: Omit<TierGroup, 'js'>): void {
    queueMicrotask(warmCompiler);
    const landed = Promise.resolve().then(() => {
      const t = startInstantiate(g.source, g.module);
      return t.now ?? t.later!;
    }).then((m) => g.wasm(m));
    landed.catch((e: unknown) => {
      if (this.warned) return;
      this.warned = true;
      console.warn(`numbats: the optimising Wasm compile of kernel '${this.name}' failed; its calls keep running on its first Wasm module (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    });
    this.optimizing.push(landed.catch(() => undefined));
    if (g.module.disk === true) keepAliveUntil(landed);
  }

  /** A Promise for every {@link optimize} so far having landed (or failed). */
  optimized(): Promise<void> {
    const p = Promise.all(this.optimizing).then(() => undefined);
    keepAliveUntil(p);
    return p;
  }

  /** Where calls run now. */
  get tier(): 'js' | 'wasm' {
    return this.onJs === 0 ? 'wasm' : 'js';
  }

  /** A Promise for every group added so far being on the Wasm tier. */
  ready(): Promise<void> {
    if (this.mode === 'js') return Promise.resolve();
    const p = Promise.all(this.all).then(() => undefined);
    keepAliveUntil(p);
    return p;
  }
}

/**
 * `ready` and `tier` of a compiled function (vectorize, guvectorize, jit, stencil), as
 * property descriptors over its {@link Tiers}.
 *
 * @example
 * ```ts
 * Object.defineProperties(f, tierProperties(tiers));
 * ```
 */
export function tierProperties(tiers: Tiers): PropertyDescriptorMap {
  return {
    ready: { get: () => tiers.ready(), enumerable: false },
    tier: { get: () => tiers.tier, enumerable: false },
    [OPTIMIZED]: { get: () => tiers.optimized(), enumerable: false },
  };
}

/**
 * @internal `f[OPTIMIZED]`: a Promise for the background asc modules of `f`'s direct groups
 * ({@link Tiers.optimize}) having landed, for benchmarks that time the final code and tests of
 * the swap. A registered symbol, so that a benchmark of the installed build reaches it too;
 * not part of the public API.
 */
export const OPTIMIZED: unique symbol = Symbol.for('numbats.optimized') as never;
