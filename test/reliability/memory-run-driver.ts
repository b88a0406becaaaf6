/**
 * The memory-safety run (issue 8): a long sequence of mixed array operations driven by a
 * seeded PRNG, with the allocator in debug mode (heap.ts), checked against a plain-JS
 * shadow model.
 *
 * Operations: creation (every dtype, 0-size to multi-MiB arrays that force the heap to
 * grow), views (slice with integers / steps / negative steps / new axes, transpose,
 * reshape, broadcastTo), ufuncs (with `out=` views of any pool array, `where=` masks,
 * overlapping in-place outputs), reductions, astype, element writes, disposal (explicit,
 * `using`-style, `nb.scope` with returned arrays, dropped references collected by the GC),
 * and calls that must fail (bad broadcast, bad out, casting) — each failure must leave no
 * block behind. Use of a disposed array (or any view of it) must always throw MemoryError
 * `E_MEMORY_DISPOSED`.
 *
 * The shadow model keeps, per storage (a "base"), the element values in plain JS and, per
 * array, its own index map into the base (composed from the view operations, independent
 * of the library's strides), so every read checks layout and memory contents together.
 *
 * Checks: `checkHeap` (allocator invariants, every array block live with its size, every
 * reachable view inside its block and buffer) every `checkEvery` operations, with the
 * number of heap blocks no array owns equal to its value at the start (no staging block
 * leaked); every live array verified in full after each heap growth; a sample verified
 * every `verifyEvery` operations; at the end, after dropping everything and collecting,
 * live bytes back at the baseline.
 */
import * as nb from '../../src/index.js';
import { collectGarbage } from '../../src/runtime/gc-hooks.js';
import { setHeapDebug } from '../../src/runtime/heap.js';
import { checkHeap, sweep } from '../../src/runtime/lifetime.js';
import { runtime } from '../../src/runtime/runtime.js';
import {
  ALL_DTYPES, type BinOp, type DT, type UnOp, type Val, binary, broadcastShape, castVal, indices, kindOf, loopDtype,
  outDtype, sameVal, show, toLoop, unary,
} from '../helpers/reference.js';

export interface MemoryRunOptions {
  ops: number;
  seed: number;
  /** checkHeap every this many operations. */
  checkEvery?: number;
  /** Verify a sample of live arrays every this many operations. */
  verifyEvery?: number;
  /** Yield to the event loop (FinalizationRegistry callbacks run) about every this many operations. */
  yieldEvery?: number;
  /** Full allocator check every this many alloc/free calls (debug mode's own; default 20,000). */
  allocatorCheckEvery?: number;
  /** Operations run before the baseline is taken (not counted; default min(3000, ops)). */
  warmup?: number;
  /** Print progress lines. */
  log?: (line: string) => void;
}

export interface MemoryRunReport {
  ops: number;
  opCounts: Record<string, number>;
  /** checkHeap calls made by the run, and full allocator checks in all (including debug mode's own). */
  heapChecks: number;
  allocatorChecks: number;
  /** Array verifications against the shadow model, and elements compared. */
  arraysVerified: number;
  elementsVerified: number;
  /** Use-after-dispose attempts, all of which threw E_MEMORY_DISPOSED. */
  useAfterDispose: number;
  /** Calls that were meant to fail and did, with a typed error. */
  expectedErrors: number;
  heapGrows: number;
  /** Growths after which every live array was verified in full. */
  growthsVerified: number;
  heapBytes: number;
  pressureEvents: number;
  forcedCollections: number;
  /** liveBytes at the start and after everything was dropped and collected. */
  baselineLiveBytes: number;
  finalLiveBytes: number;
  ms: number;
}

// ---- PRNG (sfc32) -----------------------------------------------------------------------

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 4294967296) * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

// ---- shadow model ----------------------------------------------------------------------

/** The values of one storage, in plain JS: dense, or sparse with a fill (undefined: unknown, as after `empty`). */
class Base {
  readonly entries = new Set<Entry>();
  disposed = false;
  constructor(
    readonly dtype: DT,
    readonly size: number,
    private readonly dense: (Val | undefined)[] | null,
    private readonly sparse: Map<number, Val> | null,
    private readonly fill: Val | undefined,
  ) {}
  static dense(dtype: DT, values: (Val | undefined)[]): Base {
    return new Base(dtype, values.length, values, null, undefined);
  }
  static sparse(dtype: DT, size: number, fill: Val | undefined): Base {
    return new Base(dtype, size, null, new Map(), fill);
  }
  get isDense(): boolean {
    return this.dense !== null;
  }
  private known = false;
  /** True when no element is unknown (dense bases only). */
  allKnown(): boolean {
    if (!this.known && this.dense !== null) this.known = !this.dense.includes(undefined);
    return this.known;
  }
  get(i: number): Val | undefined {
    if (this.dense !== null) return this.dense[i];
    return this.sparse!.has(i) ? this.sparse!.get(i) : this.fill;
  }
  set(i: number, v: Val): void {
    if (this.dense !== null) this.dense[i] = v;
    else this.sparse!.set(i, v);
  }
}

type IndexMap = (idx: readonly number[]) => number;

/** A live array of the pool: the NDArray, its base and its own map from index to base position. */
interface Entry {
  arr: nb.NDArray;
  /** shape.join(',') (set by addEntry). */
  key?: string;
  base: Base;
  shape: number[];
  map: IndexMap;
  writeable: boolean;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function cMap(shape: readonly number[]): IndexMap {
  const n = shape.length;
  const st = new Array<number>(n);
  let s = 1;
  for (let i = n - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i]!;
  }
  if (n === 0) return () => 0;
  if (n === 1) return (idx) => idx[0]!;
  return (idx) => {
    let k = 0;
    for (let i = 0; i < n; i++) k += idx[i]! * st[i]!;
    return k;
  };
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

/** An NDArray element as a reference value. */
function readVal(a: nb.NDArray, idx: readonly number[]): Val {
  const v = a.get(...idx) as unknown;
  const k = kindOf(a.dtype);
  if (k === 'b') return v as boolean;
  if (k === 'f') return v as number;
  return BigInt(v as number | bigint);
}

/** A reference value in the form `set` and `nb.full` accept. */
function toScalar(v: Val, d: DT): number | bigint | boolean {
  const k = kindOf(d);
  if (k === 'b' || k === 'f') return v;
  return nb.DTYPES[d].isBigInt ? (v as bigint) : Number(v as bigint);
}

class Mismatch extends Error {}

// ---- the run ---------------------------------------------------------------------------

const BIN_OPS: BinOp[] = ['add', 'subtract', 'multiply', 'maximum', 'minimum', 'less', 'bitwiseAnd', 'floorDivide', 'remainder', 'logicalOr'];
const UN_OPS: UnOp[] = ['negative', 'absolute', 'sqrt'];
const REDUCE_OPS = ['add', 'maximum', 'minimum'] as const;
const POOL_MAX = 240;
const GRAVE_MAX = 48;
const BIG_LIVE_MAX = 3;

const ufunc = (op: string) => (nb as unknown as Record<string, (...a: unknown[]) => nb.NDArray>)[op]!;
type Reduce = (a: nb.NDArray, o: { axis: number }) => nb.NDArray;
const reducer = (op: string) => (nb as unknown as Record<string, { reduce: Reduce }>)[op]!.reduce;

/**
 * Run the memory-safety sequence; throws on the first disagreement, with the seed and the
 * operation number in the message.
 */
export async function memoryRun(options: MemoryRunOptions): Promise<MemoryRunReport> {
  const { ops, seed } = options;
  const checkEvery = options.checkEvery ?? 10_000;
  const verifyEvery = options.verifyEvery ?? 200;
  const yieldEvery = options.yieldEvery ?? 5_000;
  const log = options.log ?? (() => {});
  const rng = new Rng(seed);
  // Debug mode: per-call checks and poisoning; the full check also every 20,000 alloc/free.
  const previousDebug = setHeapDebug({ enabled: true, checkEvery: options.allocatorCheckEvery ?? 20_000 });
  const { heap } = runtime();
  const started = performance.now();

  // The baseline is taken after a warm-up (first calls may reserve blocks for good).
  let baseline = heap.stats();
  let baselineOther = 0;
  let heapChecks = 0;

  const pool: Entry[] = [];
  const grave: Entry[] = [];
  let poolEpoch = 0; // entries made so far (scopes find theirs by it)
  const born = new WeakMap<Entry, number>();
  const scopeStack: Base[][] = [];
  const counts: Record<string, number> = {};
  let arraysVerified = 0;
  let elementsVerified = 0;
  let useAfterDispose = 0;
  let expectedErrors = 0;
  let op = 0;
  let current = '';
  let lastGrows = heap.stats().grows;
  let growthsSeen = 0;
  const growEvery = Math.max(1000, Math.floor(ops / 12));

  const count = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1;
    current = name;
  };
  const fail = (msg: string): never => {
    throw new Mismatch(`memory run (seed ${seed}) op ${op} [${current}]: ${msg}`);
  };

  // ---- pool bookkeeping ----
  let bigEntries = 0;
  const bigLive = () => bigEntries;
  const addEntry = (e: Entry): Entry => {
    e.key = e.shape.join(',');
    born.set(e, poolEpoch++);
    e.base.entries.add(e);
    if (!e.base.isDense) bigEntries++;
    pool.push(e);
    return e;
  };
  const newBase = (base: Base): Base => {
    scopeStack[scopeStack.length - 1]?.push(base);
    return base;
  };
  const removeEntry = (e: Entry) => {
    const i = pool.indexOf(e);
    if (i >= 0) {
      pool[i] = pool[pool.length - 1]!;
      pool.pop();
      if (!e.base.isDense) bigEntries--;
    }
    e.base.entries.delete(e);
  };
  /** The base was disposed: all its arrays leave the pool for the graveyard. */
  const buryBase = (base: Base) => {
    base.disposed = true;
    for (const e of [...base.entries]) {
      removeEntry(e);
      grave.push(e);
    }
    while (grave.length > GRAVE_MAX) grave.splice(rng.int(grave.length), 1);
  };
  const fresh = (arr: nb.NDArray, base: Base, shape: number[]): Entry => {
    if (arr.shape.length !== shape.length || arr.shape.some((n, i) => n !== shape[i])) {
      fail(`made an array of shape ${JSON.stringify(arr.shape)}, expected ${JSON.stringify(shape)}`);
    }
    return addEntry({ arr, base: newBase(base), shape, map: cMap(shape), writeable: true });
  };

  // ---- values ----
  const randVal = (d: DT): Val => {
    const k = kindOf(d);
    if (k === 'b') return rng.chance(0.5);
    if (k === 'f') {
      const r = rng.int(20);
      const x = r === 0 ? -0 : r === 1 ? NaN : r === 2 ? Infinity * (rng.chance(0.5) ? 1 : -1) : r < 6 ? (rng.int(2001) - 1000) / 8 : rng.int(41) - 20;
      return castVal(x, d);
    }
    const bits = nb.DTYPES[d].itemSize * 8;
    if (rng.chance(0.15)) {
      // extremes
      const lo = k === 'u' ? 0n : -(1n << BigInt(bits - 1));
      const hi = k === 'u' ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
      return rng.chance(0.5) ? lo : hi;
    }
    return castVal(BigInt(rng.int(41) - (k === 'u' ? 0 : 20)), d);
  };
  const randShape = (maxSize: number): number[] => {
    const nd = rng.pick([0, 1, 1, 1, 2, 2, 2, 3, 3, 4]);
    const shape: number[] = [];
    let size = 1;
    for (let i = 0; i < nd; i++) {
      const n = rng.chance(0.06) ? 0 : rng.chance(0.2) ? 1 : rng.range(1, 6);
      shape.push(n);
      size *= Math.max(1, n);
    }
    if (size > maxSize) return [rng.range(0, maxSize)];
    return shape;
  };
  const smallMax = () => (rng.chance(0.7) ? 16 : rng.chance(0.85) ? 256 : 4096);

  // ---- verification ----
  const verifyEntry = (e: Entry, full: boolean) => {
    if (e.arr.disposed) fail(`array is disposed but its base is not (shape ${e.shape})`);
    const n = sizeOf(e.shape);
    arraysVerified++;
    if (n === 0) return;
    const check = (idx: number[]) => {
      const want = e.base.get(e.map(idx));
      if (want === undefined) return;
      const got = readVal(e.arr, idx);
      elementsVerified++;
      if (!sameVal(got, want)) fail(`${e.arr.dtype} array ${JSON.stringify(e.shape)} at [${idx}]: got ${show(got)}, shadow ${show(want)}`);
    };
    if (full && n <= 4096) for (const idx of indices(e.shape)) check(idx);
    else for (let k = 0; k < (full ? 64 : 12); k++) check(unravel(rng.int(n), e.shape));
  };
  const verifyAll = () => {
    for (const e of pool) verifyEntry(e, true);
  };
  const accountingCheck = () => {
    heapChecks++;
    let acc;
    try {
      acc = checkHeap(heap);
    } catch (err) {
      fail(`heap check: ${(err as Error).message}`);
    }
    if (acc!.otherBytes !== baselineOther) {
      fail(`${acc!.otherBytes - baselineOther} bytes in blocks no array owns (a staging or temporary block leaked?)`);
    }
    growthCheck();
  };

  const expectThrow = (what: string, fn: () => unknown, code: string, cls: new (...a: never[]) => Error) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof cls) || (err as nb.NumbatsError).code !== code) {
        fail(`${what}: expected ${cls.name} ${code}, got ${(err as Error)?.constructor?.name} ${(err as nb.NumbatsError).code}: ${(err as Error).message}`);
      }
      return;
    }
    fail(`${what}: expected ${cls.name} ${code}, but it did not throw`);
  };

  // ---- operations ----
  const create = () => {
    const d = rng.pick(ALL_DTYPES);
    const r = rng.int(10);
    if (r === 0 && bigLive() < BIG_LIVE_MAX) {
      // A multi-MiB array: forces the heap to grow (and, with garbage, to collect).
      count('create-big');
      const n = Math.floor(rng.range(1, 6) * 2 ** 20 / nb.DTYPES[d].itemSize) + rng.int(64);
      const kind = rng.int(3);
      const fill = kind === 0 ? undefined : kind === 1 ? castVal(0, d) : randVal(d);
      const arr = kind === 0 ? nb.empty([n], d) : kind === 1 ? nb.zeros([n], d) : nb.full([n], toScalar(fill!, d) as never, d);
      const e = fresh(arr, Base.sparse(d, n, fill), [n]);
      for (let k = 0; k < 8; k++) writeElement(e);
      return;
    }
    const shape = randShape(smallMax());
    const n = sizeOf(shape);
    if (r <= 3) {
      count('create-array');
      const vals = Array.from({ length: n }, () => randVal(d));
      // nested input
      const nest = (axis: number, k: number): unknown => {
        if (axis === shape.length) return toScalar(vals[k]!, d);
        const st = sizeOf(shape.slice(axis + 1));
        return Array.from({ length: shape[axis]! }, (_, i) => nest(axis + 1, k + i * st));
      };
      const arr = shape.length === 0 ? nb.array(toScalar(vals[0]!, d) as never, { dtype: d })
        : n === 0 ? nb.array([], { dtype: d }).reshape(shape) : nb.array(nest(0, 0) as never, { dtype: d });
      fresh(arr, Base.dense(d, vals), shape);
    } else if (r <= 5) {
      count('create-zeros');
      const ones = rng.chance(0.5);
      const arr = ones ? nb.ones(shape, d) : nb.zeros(shape, d);
      fresh(arr, Base.dense(d, Array.from({ length: n }, () => castVal(ones ? 1 : 0, d))), shape);
    } else if (r <= 7) {
      count('create-full');
      const v = randVal(d);
      fresh(nb.full(shape, toScalar(v, d) as never, d), Base.dense(d, Array.from({ length: n }, () => v)), shape);
    } else {
      count('create-empty');
      const e = fresh(nb.empty(shape, d), Base.dense(d, new Array(n).fill(undefined)), shape);
      for (let k = 0; k < Math.min(n, 4); k++) writeElement(e);
    }
  };

  function writeElement(e: Entry) {
    const n = sizeOf(e.shape);
    if (n === 0 || !e.writeable) return;
    const idx = unravel(rng.int(n), e.shape);
    const v = randVal(e.base.dtype);
    e.arr.set(...idx, toScalar(v, e.base.dtype) as never);
    e.base.set(e.map(idx), v);
  }

  const pickEntry = (pred?: (e: Entry) => boolean): Entry | undefined => {
    if (pool.length === 0) return undefined;
    if (pred === undefined) return rng.pick(pool);
    for (let t = 0; t < 12; t++) {
      const e = rng.pick(pool);
      if (pred(e)) return e;
    }
    return undefined;
  };

  const view = () => {
    const e = pickEntry();
    if (e === undefined) return create();
    const r = rng.int(4);
    if (r === 0) {
      count('view-slice');
      const specs: (number | string | null)[] = [];
      const parentIdx: Array<(v: readonly number[]) => number> = [];
      const shape: number[] = [];
      let vi = 0;
      for (let ax = 0; ax < e.shape.length; ax++) {
        if (rng.chance(0.15)) {
          specs.push(null);
          shape.push(1);
          vi++;
        }
        const n = e.shape[ax]!;
        const kind = rng.int(4);
        if (kind === 0 && n > 0) {
          const k = rng.int(n);
          specs.push(rng.chance(0.5) ? k : k - n);
          parentIdx.push(() => k);
        } else if (kind === 1 && n > 0) {
          const step = -rng.range(1, 3);
          const start = n - 1 - rng.int(n);
          specs.push(`${start}::${step}`);
          const my = vi++;
          shape.push(Math.floor(start / -step) + 1);
          parentIdx.push((v) => start + v[my]! * step);
        } else if (kind === 2) {
          const step = rng.range(1, 3);
          const start = rng.range(0, n);
          const stop = rng.range(start, n);
          specs.push(`${start}:${stop}:${step}`);
          const my = vi++;
          shape.push(Math.ceil((stop - start) / step));
          parentIdx.push((v) => start + v[my]! * step);
        } else {
          specs.push(':');
          const my = vi++;
          shape.push(n);
          parentIdx.push((v) => v[my]!);
        }
      }
      if (rng.chance(0.15)) {
        specs.push(null);
        shape.push(1);
      }
      const pm = e.map;
      const map: IndexMap = (v) => pm(parentIdx.map((f) => f(v)));
      const arr = e.arr.slice(...(specs as never[]));
      if (JSON.stringify(arr.shape) !== JSON.stringify(shape)) fail(`slice ${JSON.stringify(specs)} of ${JSON.stringify(e.shape)} gave shape ${JSON.stringify(arr.shape)}, expected ${JSON.stringify(shape)}`);
      addEntry({ arr, base: e.base, shape, map, writeable: e.writeable });
    } else if (r === 1) {
      count('view-transpose');
      const nd = e.shape.length;
      const perm = Array.from({ length: nd }, (_, i) => i);
      for (let i = nd - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const useT = rng.chance(0.3);
      const p = useT ? [...perm.keys()].reverse() : perm;
      const arr = useT ? e.arr.T : e.arr.transpose(perm);
      const shape = p.map((i) => e.shape[i]!);
      if (JSON.stringify(arr.shape) !== JSON.stringify(shape)) fail('transpose shape');
      const pm = e.map;
      addEntry({
        arr, base: e.base, shape, writeable: e.writeable,
        map: (v) => {
          const u = new Array<number>(nd);
          for (let i = 0; i < nd; i++) u[p[i]!] = v[i]!;
          return pm(u);
        },
      });
    } else if (r === 2) {
      count('view-reshape');
      const n = sizeOf(e.shape);
      // a random shape of the same size
      const shape: number[] = [];
      let left = n;
      const nd = rng.range(0, 3);
      for (let i = 0; i < nd && left > 1; i++) {
        const divs = [];
        for (let q = 1; q <= left; q++) if (left % q === 0) divs.push(q);
        const q = rng.pick(divs);
        shape.push(q);
        left /= q;
      }
      if (left !== 1 || n === 0 || rng.chance(0.3)) shape.push(left);
      if (n === 0 && rng.chance(0.5)) shape.unshift(rng.range(1, 3));
      const spec = shape.length > 0 && rng.chance(0.3) && n > 0 ? shape.map((s, i) => (i === 0 ? -1 : s)) : shape;
      if (rng.chance(0.03)) {
        count('error-reshape');
        expectThrow('reshape to another size', () => e.arr.reshape([n + 1]), 'E_SHAPE_RESHAPE', nb.ShapeError);
        expectedErrors++;
        return;
      }
      const arr = e.arr.reshape(spec);
      if (JSON.stringify(arr.shape) !== JSON.stringify(shape)) fail(`reshape ${JSON.stringify(spec)} gave ${JSON.stringify(arr.shape)}`);
      if (e.arr.heapBlock !== undefined && arr.heapBlock === e.arr.heapBlock) {
        const pm = e.map;
        const ps = e.shape;
        const cm = cMap(shape);
        addEntry({ arr, base: e.base, shape, writeable: e.writeable, map: (v) => pm(unravel(cm(v), ps)) });
      } else {
        // a copy: C order of the parent
        const vals = [...indices(e.shape)].map((idx) => e.base.get(e.map(idx)));
        fresh(arr, Base.dense(e.base.dtype, vals), shape);
      }
    } else {
      count('view-broadcastTo');
      const lead = rng.range(0, 2);
      const shape = [...Array.from({ length: lead }, () => rng.range(0, 3)), ...e.shape.map((s) => (s === 1 ? rng.range(0, 3) : s))];
      const arr = nb.broadcastTo(e.arr, shape);
      const pm = e.map;
      const es = e.shape;
      addEntry({ arr, base: e.base, shape, writeable: false, map: (v) => pm(es.map((s, i) => (s === 1 ? 0 : v[lead + i]!))) });
    }
  };

  /** An operand for a ufunc with result shape compatible with `shape`: a pool array, a new array, or a weak scalar. */
  const operandFor = (shape: readonly number[]): Entry | number | null => {
    if (rng.chance(0.15)) return rng.int(4);
    const e = pickEntry((x) => x.base.isDense && broadcastShape(x.shape, shape) !== null && sizeOf(x.shape) <= 4096);
    return e ?? null;
  };
  const valueAt = (o: Entry | number, bshape: readonly number[], idx: readonly number[]): Val => {
    if (typeof o === 'number') return o;
    const off = bshape.length - o.shape.length;
    return o.base.get(o.map(o.shape.map((n, i) => (n === 1 ? 0 : idx[off + i]!))))!;
  };
  const known = (o: Entry | number): boolean => typeof o === 'number' || o.base.allKnown();

  const callUfunc = () => {
    const a = pickEntry((x) => x.base.isDense && sizeOf(x.shape) <= 4096);
    if (a === undefined) return create();
    const unaryOp = rng.chance(0.25);
    const opName = unaryOp ? rng.pick(UN_OPS) : rng.pick(BIN_OPS);
    const b = unaryOp ? null : operandFor(a.shape);
    if (!unaryOp && b === null) {
      // nothing compatible: a broadcast error, which must leave the heap as it was
      const bad = pickEntry((x) => broadcastShape(x.shape, a.shape) === null);
      if (bad === undefined) return;
      count('error-broadcast');
      expectThrow('bad broadcast', () => nb.add(a.arr, bad.arr), 'E_SHAPE_BROADCAST', nb.ShapeError);
      expectedErrors++;
      return;
    }
    const operands: (Entry | number)[] = unaryOp ? [a] : rng.chance(0.5) ? [a, b!] : [b!, a];
    const bshape = broadcastShape(...operands.map((o) => (typeof o === 'number' ? [] : o.shape)))!;
    const bkey = bshape.join(',');
    if (!operands.every((o) => known(o))) return view();
    const opDtypes = operands.map((o) => (typeof o === 'number' ? o : o.base.dtype));
    const loop = loopDtype(opName, opDtypes);
    const args = operands.map((o) => (typeof o === 'number' ? o : o.arr));
    if (loop === null) {
      count('error-no-loop');
      expectThrow(`${opName} without a loop`, () => ufunc(opName)(...args), 'E_DTYPE_NO_LOOP', nb.DTypeError);
      expectedErrors++;
      return;
    }
    const od = outDtype(opName, loop);
    // out=: none, a new array, or a writeable pool array (any view) of the broadcast shape
    let out: Entry | null = null;
    const r = rng.int(10);
    if (r < 3) {
      out = pickEntry((x) => x.writeable && x.base.isDense && x.key === bkey) ?? null;
    } else if (r < 5) {
      const d = rng.pick(ALL_DTYPES);
      out = fresh(nb.zeros(bshape, d), Base.dense(d, new Array(sizeOf(bshape)).fill(castVal(0, d))), [...bshape]);
    }
    if (out !== null && !nb.canCast(od, out.base.dtype, 'same_kind')) {
      count('error-cast-out');
      expectThrow(`${opName} into ${out.base.dtype}`, () => ufunc(opName)(...args, { out: out!.arr }), 'E_CAST_RULE', nb.CastingError);
      expectedErrors++;
      return;
    }
    if (out !== null && bshape.length > 0 && bshape[0] !== 1 && rng.chance(0.05)) {
      // out without the leading dimension: the inputs do not broadcast to it
      count('error-out-shape');
      const ws = bshape.slice(1);
      const wrong = fresh(nb.zeros(ws, out.base.dtype), Base.dense(out.base.dtype, new Array(sizeOf(ws)).fill(castVal(0, out.base.dtype))), ws);
      expectThrow('out of the wrong shape', () => ufunc(opName)(...args, { out: wrong.arr }), 'E_SHAPE_OUT', nb.ShapeError);
      expectedErrors++;
      return;
    }
    // where=: none, or a bool mask broadcasting to bshape
    let mask: Entry | null = null;
    if (rng.chance(0.3)) {
      const mshape = bshape.map((s) => (rng.chance(0.3) ? 1 : s)).slice(rng.int(bshape.length + 1));
      const vals = Array.from({ length: sizeOf(mshape) }, () => rng.chance(0.6));
      mask = fresh(nb.array(vals, { dtype: 'bool' }).reshape(mshape), Base.dense('bool', vals), mshape);
    }
    // reference results, all computed before any write (NumPy's semantics for overlap)
    const results: [number[], Val][] = [];
    for (const idx of indices(bshape)) {
      if (mask !== null && !(valueAt(mask, bshape, idx) as boolean)) continue;
      let v: Val;
      if (unaryOp) v = unary(opName as UnOp, toLoop(valueAt(a, bshape, idx), loop as DT), loop as DT);
      else {
        const x = operands[0]!;
        const y = operands[1]!;
        const cx = typeof x === 'number' ? weak(x, loop) : toLoop(valueAt(x, bshape, idx), loop);
        const cy = typeof y === 'number' ? weak(y, loop) : toLoop(valueAt(y, bshape, idx), loop);
        v = binary(opName as BinOp, cx, cy, loop);
      }
      results.push([idx, v]);
    }
    count(`ufunc${out ? '-out' : ''}${mask ? '-where' : ''}`);
    const opts: Record<string, unknown> = {};
    if (out) opts.out = out.arr;
    if (mask) opts.where = mask.arr;
    const res = ufunc(opName)(...args, ...(out || mask ? [opts] : []));
    if (out) {
      if (res !== out.arr) fail('ufunc with out= did not return out');
      for (const [idx, v] of results) out.base.set(out.map(idx), castVal(v, out.base.dtype));
      if (sizeOf(bshape) <= 64) verifyEntry(out, true);
    } else {
      if (res.dtype !== od) fail(`${opName}(${opDtypes}) gave ${res.dtype}, expected ${od}`);
      const vals = new Array<Val>(sizeOf(bshape)).fill(castVal(0, od));
      const cm = cMap(bshape);
      for (const [idx, v] of results) vals[cm(idx)] = v;
      const e = fresh(res, Base.dense(od, vals), [...bshape]);
      if (sizeOf(bshape) <= 64) verifyEntry(e, true);
    }
  };

  const reduce = () => {
    const a = pickEntry((x) => x.base.isDense && x.shape.length > 0 && sizeOf(x.shape) <= 4096 && known(x) && kindOf(x.base.dtype) !== 'b');
    if (a === undefined) return create();
    const opName = rng.pick(REDUCE_OPS);
    const axis = rng.int(a.shape.length);
    const rshape = a.shape.filter((_, i) => i !== axis);
    if (a.shape[axis] === 0 && opName !== 'add') {
      count('error-empty-reduce');
      expectThrow('empty reduction', () => reducer(opName)(a.arr, { axis: rng.chance(0.5) ? axis : axis - a.shape.length }), 'E_VALUE_EMPTY_REDUCTION', nb.ValueError);
      expectedErrors++;
      return;
    }
    count(`reduce-${opName}`);
    const res = reducer(opName)(a.arr, { axis });
    if (JSON.stringify(res.shape) !== JSON.stringify(rshape)) fail(`reduce shape ${JSON.stringify(res.shape)}, expected ${JSON.stringify(rshape)}`);
    const rd = res.dtype as DT;
    const vals: Val[] = [];
    for (const ridx of indices(rshape)) {
      let acc: Val | undefined;
      let absSum = 0;
      for (let k = 0; k < a.shape[axis]!; k++) {
        const idx = [...ridx.slice(0, axis), k, ...ridx.slice(axis)];
        const x = castVal(a.base.get(a.map(idx))!, rd);
        if (typeof x === 'number') absSum += Math.abs(x);
        acc = acc === undefined ? x : binary(opName, acc, x, rd);
      }
      acc ??= castVal(0, rd);
      const got = readVal(res, ridx);
      elementsVerified++;
      const tol = rd === 'float32' ? 1e-5 : 1e-12;
      const ok = sameVal(got, acc) ||
        (typeof got === 'number' && typeof acc === 'number' && opName === 'add' && Number.isFinite(absSum) && Math.abs(got - acc) <= tol * absSum);
      if (!ok) fail(`${opName}.reduce axis ${axis} of ${a.base.dtype} ${JSON.stringify(a.shape)} at [${ridx}]: got ${show(got)}, want ${show(acc)}`);
      vals.push(got); // adopt (pairwise float sums differ from the sequential reference within tol)
    }
    arraysVerified++;
    fresh(res, Base.dense(rd, vals), rshape);
  };

  const astype = () => {
    const a = pickEntry((x) => x.base.isDense && sizeOf(x.shape) <= 4096 && known(x));
    if (a === undefined) return create();
    let d = rng.pick(ALL_DTYPES);
    const vals = [...indices(a.shape)].map((idx) => a.base.get(a.map(idx))!);
    if (kindOf(a.base.dtype) === 'f' && (kindOf(d) === 'i' || kindOf(d) === 'u') && vals.some((v) => !Number.isFinite(v as number) || Math.abs(v as number) >= 2 ** 31)) d = 'float64';
    count('astype');
    const res = a.arr.astype(d);
    if (res.dtype !== d) fail('astype dtype');
    const e = fresh(res, Base.dense(d, vals.map((v) => castVal(v, d))), [...a.shape]);
    if (vals.length <= 64) verifyEntry(e, true);
  };

  /** An array just larger than the room left at the top: the heap must grow (or collect). */
  const grow = () => {
    const st = heap.stats();
    if (st.heapBytes > 320 * 2 ** 20) return create();
    count('grow');
    const n = st.heapBytes - st.top + rng.range(1, 4) * 2 ** 20;
    const e = fresh(nb.empty([n], 'uint8'), Base.sparse('uint8', n, undefined), [n]);
    for (let k = 0; k < 8; k++) writeElement(e);
    growthCheck();
  };
  const growthCheck = () => {
    const g = heap.stats().grows;
    if (g !== lastGrows) {
      lastGrows = g;
      growthsSeen++;
      verifyAll(); // every live array, including those made before the memory grew
    }
  };

  const write = () => {
    const e = pickEntry((x) => x.writeable);
    if (e === undefined) return create();
    count('set');
    writeElement(e);
  };

  const dispose = () => {
    const e = pickEntry();
    if (e === undefined) return;
    const base = e.base;
    if (e.arr.heapBlock === undefined) return;
    if (rng.chance(0.3)) {
      count('dispose-using');
      {
        using x = e.arr;
        void x;
      }
    } else {
      count('dispose');
      e.arr.dispose();
      if (rng.chance(0.2)) e.arr.dispose(); // idempotent
    }
    buryBase(base);
    if (!e.arr.disposed) fail('dispose() left the array alive');
  };

  const drop = () => {
    const e = pickEntry();
    if (e === undefined) return;
    count('drop');
    removeEntry(e);
  };

  const useDisposed = () => {
    if (grave.length === 0) return dispose();
    const e = rng.pick(grave);
    count('use-after-dispose');
    const attempts: Array<[string, () => unknown]> = [
      ['get', () => e.arr.get(...e.shape.map(() => 0))],
      ['set', () => e.arr.set(...e.shape.map(() => 0), 1 as never)],
      ['toArray', () => e.arr.toArray()],
      ['data', () => e.arr.data],
      ['slice', () => e.arr.slice(':')],
      ['reshape', () => e.arr.reshape([-1])],
      ['transpose', () => e.arr.T],
      ['astype', () => e.arr.astype('float64')],
      ['copy', () => e.arr.copy()],
      ['toString', () => e.arr.toString()],
    ];
    // Size-0 arrays included: a loop over nothing still checks its operands (fixed bug,
    // test/reliability/use-after-dispose.test.ts).
    attempts.push(['ufunc input', () => nb.add(e.arr, 1)]);
    // (out= must also be writeable: a read-only view fails with E_VALUE_READONLY first)
    if (e.writeable) attempts.push(
      ['ufunc out', () => {
        const z = nb.zeros(e.shape, e.base.dtype);
        return nb.maximum(z, z, { out: e.arr });
      }],
    );
    if (e.base.dtype === 'bool') attempts.push(['ufunc where', () => nb.add(nb.zeros(e.shape), 1, { where: e.arr })]);
    if (e.shape.length > 0) attempts.push(['reduce', () => nb.maximum.reduce(e.arr, { axis: 0 })]);
    const [what, fn] = rng.pick(attempts);
    expectThrow(`${what} of a disposed array`, fn, 'E_MEMORY_DISPOSED', nb.MemoryError);
    useAfterDispose++;
  };

  const inScope = (depth: number) => {
    count('scope');
    const mine: Base[] = [];
    scopeStack.push(mine);
    const since = poolEpoch;
    const throwing = rng.chance(0.1);
    let kept: Entry[] = [];
    try {
      const result = nb.scope(() => {
        const k = rng.range(1, 6);
        for (let i = 0; i < k; i++) step(depth + 1);
        const made = pool.filter((e) => born.get(e)! >= since);
        if (throwing) throw new Error('scope-abort');
        kept = made.filter(() => rng.chance(0.3));
        return rng.chance(0.5) ? kept.map((e) => e.arr) : { list: kept.map((e) => e.arr), n: kept.length };
      });
      void result;
    } catch (err) {
      if ((err as Error).message !== 'scope-abort') throw err;
    } finally {
      scopeStack.pop();
    }
    const keepBases = new Set(kept.map((e) => e.base));
    for (const b of mine) {
      if (keepBases.has(b)) scopeStack[scopeStack.length - 1]?.push(b);
      else if (!b.disposed) {
        const es = [...b.entries];
        buryBase(b);
        for (const e of es) if (!e.arr.disposed) fail('scope left a temporary alive');
      }
    }
    for (const e of kept) if (e.arr.disposed) fail('scope disposed an array it returned');
  };

  function step(depth: number) {
    op++;
    const r = rng.int(100);
    if (r < 22) create();
    else if (r < 40) view();
    else if (r < 60) callUfunc();
    else if (r < 66) reduce();
    else if (r < 71) astype();
    else if (r < 78) write();
    else if (r < 84) dispose();
    else if (r < 90) drop();
    else if (r < 95) useDisposed();
    else if (r < 97 && depth < 2) inScope(depth);
    else {
      const e = pickEntry();
      if (e) {
        count('verify');
        verifyEntry(e, false);
      }
    }
    // keep the pool bounded: drop or dispose at random
    while (pool.length > POOL_MAX) {
      const e = rng.pick(pool);
      if (rng.chance(0.5) && e.arr.heapBlock !== undefined) {
        e.arr.dispose();
        buryBase(e.base);
      } else removeEntry(e);
    }
  }

  // Warm-up, not counted: then drop everything and take the baseline.
  const warmup = options.warmup ?? Math.min(3000, ops);
  while (op < warmup) step(0);
  pool.length = 0;
  grave.length = 0;
  await settle();
  baseline = heap.stats();
  baselineOther = checkHeap(heap).otherBytes;
  heapChecks = 1;
  lastGrows = baseline.grows;
  for (const k of Object.keys(counts)) delete counts[k];
  arraysVerified = elementsVerified = useAfterDispose = expectedErrors = 0;
  op = 0;

  let nextYield = yieldEvery;
  let nextCheck = checkEvery;
  let nextLog = Math.max(1, Math.floor(ops / 10));
  while (op < ops) {
    if (op % growEvery === growEvery >> 1) grow();
    step(0);
    if (op % verifyEvery === 0) for (let k = 0; k < 4; k++) if (pool.length > 0) verifyEntry(rng.pick(pool), true);
    if (op >= nextCheck) {
      nextCheck += checkEvery;
      accountingCheck();
    }
    if (op >= nextYield) {
      nextYield = op + rng.range(1, 2 * yieldEvery);
      await new Promise((r) => setImmediate(r));
    }
    if (op >= nextLog) {
      nextLog += Math.max(1, Math.floor(ops / 10));
      const s = heap.stats();
      log(`  ${op} ops, ${pool.length} live arrays, heap ${(s.heapBytes / 2 ** 20).toFixed(0)} MiB, live ${(s.liveBytes / 2 ** 20).toFixed(1)} MiB, ${s.liveBlocks} blocks, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  verifyAll();
  accountingCheck();

  // Drop everything; once collected, the heap must be back to its baseline.
  pool.length = 0;
  grave.length = 0;
  await settle(() => heap.stats().liveBytes === baseline.liveBytes);
  const end = heap.stats();
  heapChecks++;
  checkHeap(heap);
  const allocatorChecks = heap.invariantChecks;
  setHeapDebug(previousDebug);
  const st = nb.heapStats();
  return {
    ops: op, opCounts: counts, heapChecks, allocatorChecks, arraysVerified, elementsVerified, useAfterDispose, expectedErrors,
    heapGrows: end.grows - baseline.grows, growthsVerified: growthsSeen, heapBytes: end.heapBytes, pressureEvents: st.pressureEvents, forcedCollections: st.forcedCollections,
    baselineLiveBytes: baseline.liveBytes, finalLiveBytes: end.liveBytes, ms: performance.now() - started,
  };
}

function weak(s: number, loop: DT | 'mixed64'): Val {
  if (loop === 'mixed64') return BigInt(s);
  const k = kindOf(loop);
  if (k === 'b') return s !== 0;
  if (k === 'f') return castVal(s, loop);
  return BigInt(s);
}

/**
 * Collect garbage and let FinalizationRegistry callbacks run, until `done` holds (or, by
 * default, live bytes stop changing), for at most ~3 s.
 */
async function settle(done?: () => boolean): Promise<void> {
  const { heap } = runtime();
  let last = -1;
  for (let i = 0; i < 30; i++) {
    collectGarbage();
    sweep();
    await new Promise((r) => setTimeout(r, i < 3 ? 0 : 100));
    sweep();
    const live = heap.stats().liveBytes;
    if (i >= 1 && (done ? done() : live === last)) return;
    last = live;
  }
}
