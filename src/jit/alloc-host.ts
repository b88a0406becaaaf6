/**
 * The host's allocator of a jit specialisation whose function allocates where phase 1 cannot
 * (a shape read from locals, an allocation in a loop or a branch: frontend/jit-alloc.ts,
 * ir/nodes.ts AllocStmt). The compiled function calls `env.<prefix>jit_alloc<ndim>(site,
 * sizes...)`; the JS reference calls the allocator its module is given (emit/js
 * `setAllocator`). Either way:
 *   1. the array is nb.empty/zeros/ones of the sizes and the allocation's dtype (`full`'s
 *      value is stored by the function itself), so the sizes are checked as nb.empty checks
 *      them, and a bad one is nb.empty's error (ValueError `E_VALUE_NEGATIVE_DIM`, ...), its
 *      message naming the function and the allocation's line and column, with a code frame;
 *   2. each allocation site keeps the array it made last: when the site runs again (a loop),
 *      the previous array is out of scope in the function (a `const` of that block, which no
 *      other name can hold), so it is disposed at once and a loop's memory stays bounded;
 *   3. after the call (src/jit/call.ts), the sites that are the result (or tuple positions)
 *      hand their array to the caller and every other array is disposed; when the call
 *      throws (a bounds trap, a bad size) all of them are disposed.
 * A call cannot start inside another call of the same specialisation on this thread (Wasm
 * never calls back into user code), so one record per specialisation serves its calls.
 */
import type { CompiledJit } from '../compiler/index.js';
import { codeFrame, lineColumn } from '../compiler/frontend/diagnostics.js';
import type { JsJitAllocator } from '../compiler/emit/js/emit-module.js';
import { empty, ones, zeros } from '../ndarray/creation.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { HeapStorage } from '../ndarray/storage.js';
import { NumbatsError, ValueError } from '../util/errors.js';

/** Sizes of a jit array are int32 in the compiled code. */
const MAX_DIM = 2 ** 31 - 1;

/**
 * nb.empty's error `e` for allocation `site` of `k` as the same error class and code, its
 * message naming the function, the allocation and its line and column, with a code frame
 * (other errors, and allocations without a place in the source, as they are).
 *
 * @example
 * ```ts
 * throw allocationError(k, 0, e); // ValueError E_VALUE_NEGATIVE_DIM: nb.jit 'f': empty([n]) for 'out' (line 3, column 15): negative dimensions ...
 * ```
 */
export function allocationError(k: CompiledJit, site: number, e: unknown): unknown {
  const a = k.allocations[site];
  if (!(e instanceof NumbatsError) || a?.at === undefined) return e;
  const text = k.ir.main.source.text;
  const { line, column } = lineColumn(text, a.at);
  const Ctor = e.constructor as new (code: string, message: string) => NumbatsError;
  return new Ctor(e.code, `nb.jit '${k.name}': ${a.fill}(${a.shape}) for '${a.name}' (line ${line}, column ${column}): ${e.message}\n${codeFrame(text, line, column)}`);
}

/** The allocator of one specialisation (see the file header). */
export class JitAllocHost {
  /** Per allocation: the array its site made last in the call in progress, or null. */
  private readonly latest: (NDArray | null)[];
  /** The Wasm imports (`<prefix>jit_alloc<ndim>`: every rank the function allocates). */
  readonly imports: Readonly<Record<string, (site: number, ...sizes: number[]) => number>>;

  constructor(private readonly k: CompiledJit, prefix: string) {
    this.latest = k.allocations.map(() => null);
    const imports: Record<string, (site: number, ...sizes: number[]) => number> = {};
    for (const a of k.allocations) {
      if (a.dynamic) imports[`${prefix}jit_alloc${a.ndim}`] = (site, ...sizes) => (this.make(site, sizes).storage as HeapStorage).ptr;
    }
    this.imports = imports;
  }

  /** The JS reference's allocator (emit/js setAllocator): the same arrays, their elements. */
  readonly js: JsJitAllocator = (site, _dtype, shape) => this.make(site, shape).data;

  /** Allocation `site` of shape `sizes`: made, recorded, the site's previous array disposed. */
  private make(site: number, sizes: readonly number[]): NDArray {
    const a = this.k.allocations[site]!;
    let made: NDArray;
    try {
      const big = sizes.find((n) => n > MAX_DIM);
      if (big !== undefined) throw new ValueError('E_VALUE_TOO_BIG', `array is too big: a size of ${big} along one axis is past ${MAX_DIM}, the most a jit array has`);
      const shape = [...sizes];
      made = a.fill === 'zeros' ? zeros(shape, a.dtype) : a.fill === 'ones' ? ones(shape, a.dtype) : empty(shape, a.dtype);
    } catch (e) {
      throw allocationError(this.k, site, e);
    }
    this.latest[site]?.dispose();
    this.latest[site] = made;
    return made;
  }

  /** Start a call: no arrays yet. */
  begin(): void {
    this.latest.fill(null);
  }

  /**
   * End a call: the arrays of the sites `keep` selects (the result), by allocation index;
   * every other array is disposed. After a throw, `keep` selects none.
   */
  finish(keep: (allocation: number) => boolean): (NDArray | null)[] {
    const out = this.latest.map((x, i) => {
      if (x !== null && !keep(i)) { x.dispose(); return null; }
      return x;
    });
    this.latest.fill(null);
    return out;
  }
}
