/**
 * The host side of nb.jit's 'parallel' target: a compiled function calls the import
 * `<prefix>prange_run(site, blocks)` at each outermost `nb.prange` loop, after writing one
 * record per block into the call's prange area (src/compiler/jit-prange.ts). This file
 * provides that import and the area:
 *   - per call, a heap block of `areaBytes` is lent to the instance (`<prefix>prange_area`)
 *     and freed after the call, also when it throws (nothing stays allocated between calls);
 *   - `prange_run` runs the site's block entry `<prefix>prange<k>(record)` for each block:
 *     on the worker pool (pool.ts `runJobSync`: the calling thread takes part and blocks until
 *     every block is done; workers instantiate the module over the shared memory, as for
 *     parallel stencils), or all on the calling thread when the loop is too small to pay
 *     (the cost model below). The blocks are the same either way (their number depends on
 *     the iteration count only), so the results are too;
 *   - errors: a failed bounds check or scratch allocation in a block, on any thread, is the
 *     same IndexError / MemoryError (with the line and column) as on 'cpu'; another trap is
 *     TargetError `E_TARGET_KERNEL_TRAP`. They are thrown from the import, through the Wasm
 *     frames, to the caller.
 * `callAsync` runs the whole call on the pool instead (`runAsync`, jit-async.ts).
 * Cost model (as parallel stencils): ns per iteration of each loop, an EWMA of its runs on
 * the calling thread (and of pool runs, as wall time x threads); a loop goes to the pool
 * when it has at least two blocks and its estimate reaches two blocks of `blockMs`
 * (nb.config({ parallel })). Before any run, a guess of 1 us per iteration.
 */
import { BoundsTrap, kernelBoundsError, kernelScratchError, readBoundsTrap, readScratchTrap, ScratchTrap } from '../compiler/bounds.js';
import type { CompiledJit } from '../compiler/index.js';
import { runtime } from '../runtime/runtime.js';
import { kernelTrap } from '../vectorize/trap.js';
import { parallelSettings } from './config.js';
import { newModuleId } from './execute.js';
import { runJitAsync } from './jit-async.js';
import { runJobSync } from './pool.js';

/** Guess of ns per iteration before a loop has run. */
const GUESS_NS = 1000;

let poolRuns = 0;

/** @internal prange loops run on the pool so far (tests: the pool's path is taken). */
export function prangeRunsOnPool(): number {
  return poolRuns;
}

/** The host of one compiled specialisation: its imports, then `attach` once instantiated. */
export interface PrangeHost {
  /** The import object entries the module needs (`env.<prefix>prange_run`). */
  readonly imports: Readonly<Record<string, unknown>>;
  /** The entry `run` with the call's prange area lent around each call. */
  attach(module: WebAssembly.Module, exports: Record<string, unknown>, run: (...a: unknown[]) => unknown, arenaBytes: number): (...a: unknown[]) => unknown;
  /** The entry run on the pool with these Wasm arguments, the event loop free (jit-async.ts); after `attach`. */
  runAsync(wasmArgs: readonly unknown[]): Promise<unknown>;
}

/**
 * The host of a specialisation `k` compiled with prange loops (`k.prange` set).
 *
 * @example
 * ```ts
 * const host = prangeHost(k);
 * const m = instantiateSource(k.asSource, { imports: host.imports });
 * const run = host.attach(m.module, m.exports, m.exports[k.entry], arenaBytes);
 * ```
 */
export function prangeHost(k: CompiledJit): PrangeHost {
  const info = k.prange!;
  const ns: (number | undefined)[] = info.sites.map(() => undefined);
  let bound: { module: WebAssembly.Module; exports: Record<string, unknown>; moduleId: number; arena: number } | undefined;
  /** The area of the call in progress (a call cannot start inside another on this thread). */
  let area = 0;

  /** A trap of a block run here: its bounds or scratch record (read from this instance), else the trap. */
  const asTrapRecord = (e: unknown): unknown => {
    if (!(e instanceof WebAssembly.RuntimeError)) return e;
    return readBoundsTrap(bound!.exports) ?? readScratchTrap(bound!.exports) ?? e;
  };
  const asUserError = (e: unknown): unknown => {
    if (e instanceof BoundsTrap) return kernelBoundsError(k.name, k.bounds, e);
    if (e instanceof ScratchTrap) return kernelScratchError(k.name, k.scratch, e, bound!.arena);
    return kernelTrap(e, 'jit', k.name);
  };

  const run = (siteIndex: number, blocks: number): void => {
    const b = bound!;
    const site = info.sites[siteIndex]!;
    const block = b.exports[site.entry] as (record: number) => void;
    const s = parallelSettings();
    // The iteration count: from the first block's lo to the last one's hi.
    const view = new DataView(runtime().memory.buffer);
    const n = Number(view.getBigInt64(area + (blocks - 1) * site.recordBytes + 8, true) - view.getBigInt64(area, true));
    const pool = s.threads >= 2 && blocks >= 2 && (ns[siteIndex] ?? GUESS_NS) * n >= 2 * s.blockMs * 1e6;
    const t0 = performance.now();
    try {
      if (!pool) {
        for (let j = 0; j < blocks; j++) block(area + j * site.recordBytes);
      } else {
        poolRuns++;
        runJobSync({
          local: (plan) => {
            try {
              block(plan);
            } catch (e) {
              throw asTrapRecord(e);
            }
          },
          remote: { kind: 1, moduleId: b.moduleId, module: b.module, fn: site.entry, ...(b.arena > 0 ? { arena: b.arena } : {}) },
          plans: area, planStride: site.recordBytes, nblocks: blocks, frees: [],
        });
      }
    } catch (e) {
      // (a trap of a block run here unwinds as it is: callJit reads the instance's records)
      if (!pool) throw e;
      throw asUserError(e);
    }
    const per = ((performance.now() - t0) * 1e6 * (pool ? Math.min(s.threads, blocks) : 1)) / n;
    const old = ns[siteIndex];
    ns[siteIndex] = old === undefined ? per : 0.7 * old + 0.3 * per;
  };

  return {
    imports: { [info.runImport]: run },
    runAsync: (wasmArgs) => runJitAsync(k, bound!, wasmArgs, asUserError),
    attach(module, exports, entry, arenaBytes) {
      const setArea = exports[info.areaSetter] as (p: number) => void;
      // Workers get an arena per task only when the module allocates scratch arrays.
      bound = { module, exports, moduleId: newModuleId(), arena: typeof exports.__nb_arena === 'function' ? arenaBytes : 0 };
      return (...a: unknown[]): unknown => {
        const { heap } = runtime();
        const p = heap.alloc(info.areaBytes);
        const outer = area;
        area = p;
        setArea(p);
        try {
          return entry(...a);
        } finally {
          area = outer;
          heap.free(p);
        }
      };
    },
  };
}
