/**
 * Calling a compiled jit specialisation: JS arguments → the Wasm entry's arguments → the
 * JS result.
 *
 * Steps of a call:
 *   1. per array parameter, an address, byte strides and sizes:
 *      - an NDArray in the heap (`wasm` storage, views included) is passed in place: the
 *        address of its element (0, ..., 0) (`offset`), its strides in bytes (negative ones
 *        too: address arithmetic is modulo 2^32), its shape;
 *      - a TypedArray, or an NDArray wrapping one (`js` storage), is copied into a temporary
 *        heap block (C order) and passed as contiguous; after the call (also one that
 *        throws) the block is copied back when the function writes that parameter (the IR
 *        knows: `written`), then freed;
 *      writing to a read-only NDArray (a broadcast view) is ValueError `E_VALUE_READONLY`;
 *      the allocations (`callJit`): phase 1's are made here first; a dynamic one (made by the
 *      function through alloc-host.ts) is passed as address 0 with sizes 0, and its array is
 *      the one the host recorded, taken after the call;
 *   2. per scalar parameter its value as Wasm takes it: a BigInt for int64/uint64, 1/0 for
 *      bool, a number otherwise;
 *   3. the entry runs; a failed bounds check is IndexError `E_KERNEL_BOUNDS` with the line
 *      and column (src/compiler/bounds.ts), any other trap TargetError `E_TARGET_KERNEL_TRAP`;
 *   4. the result as a JS value: a boolean for bool, a number for other types up to 32 bits
 *      and floats (uint32 read unsigned), and for int64/uint64 a bigint when the call's
 *      arguments hold 64-bit integers (int64 arrays, bigints) or the source a bigint literal,
 *      else a number (what the same function run as plain JS computes with numbers).
 */
import { BoundsTrap, kernelBoundsError, kernelScratchError, readBoundsTrap, readScratchTrap } from '../compiler/bounds.js';
import type { CompiledJit } from '../compiler/index.js';
import { DTYPES, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { isNDArray, type NDArray } from '../ndarray/ndarray.js';
import { empty, full, ones, zeros } from '../ndarray/creation.js';
import { broadcastShapes } from '../broadcast/broadcast-shapes.js';
import { isHeapStorage } from '../ndarray/storage.js';
import { runtime } from '../runtime/runtime.js';
import { ValueError } from '../util/errors.js';
import { kernelTrap } from '../vectorize/trap.js';
import { allocationError, type JitAllocHost } from './alloc-host.js';

/** A compiled specialisation, instantiated: its entry and the module's exports. */
export interface JitEntry {
  readonly kernel: CompiledJit;
  readonly run: (...args: unknown[]) => unknown;
  readonly exports: object;
  /** Bytes of the scratch arena lent for each call (messages). */
  readonly arenaBytes: number;
  /** The allocator of the allocations the function makes itself (alloc-host.ts); absent: none. */
  readonly allocs?: JitAllocHost;
}

/** A temporary heap copy of a non-heap array argument. */
interface Staged {
  readonly ptr: number;
  readonly source: AnyTypedArray;
  /** Element offset and strides of the source view, its shape. */
  readonly offset: number;
  readonly strides: readonly number[];
  readonly shape: readonly number[];
  readonly writeBack: boolean;
}

/** Visit the element offsets of a strided view in C order. */
function forEachOffset(shape: readonly number[], strides: readonly number[], offset: number, f: (off: number, k: number) => void): void {
  const nd = shape.length;
  if (shape.some((n) => n === 0)) return;
  const idx = new Array<number>(nd).fill(0);
  let off = offset;
  for (let k = 0; ; k++) {
    f(off, k);
    let d = nd - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

const heapView = (dtype: DType, ptr: number, length: number): AnyTypedArray =>
  new DTYPES[dtype].TypedArray(runtime().memory.buffer, ptr, length) as AnyTypedArray;

function stage(dtype: DType, source: AnyTypedArray, offset: number, strides: readonly number[], shape: readonly number[], writeBack: boolean): Staged {
  const size = shape.reduce((a, b) => a * b, 1);
  const ptr = runtime().heap.alloc(Math.max(size, 1) * DTYPES[dtype].itemSize);
  const view = heapView(dtype, ptr, size) as unknown as { [k: number]: number | bigint };
  const src = source as unknown as { [k: number]: number | bigint };
  forEachOffset(shape, strides, offset, (off, k) => { view[k] = src[off]!; });
  return { ptr, source, offset, strides, shape, writeBack };
}

function unstage(s: Staged, dtype: DType): void {
  if (s.writeBack) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const view = heapView(dtype, s.ptr, size) as unknown as { [k: number]: number | bigint };
    const dst = s.source as unknown as { [k: number]: number | bigint };
    forEachOffset(s.shape, s.strides, s.offset, (off, k) => { dst[off] = view[k]!; });
  }
  runtime().heap.free(s.ptr);
}

const cStrides = (shape: readonly number[]): number[] => {
  const out = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { out[d] = acc; acc *= shape[d]!; }
  return out;
};

/** A scalar argument as the Wasm entry takes a parameter of dtype `t`. */
function scalarArg(x: unknown, t: DType): unknown {
  if (t === 'int64' || t === 'uint64') return typeof x === 'bigint' ? x : BigInt(x as number);
  if (t === 'bool') return x ? 1 : 0;
  if (t === 'float32') return Math.fround(Number(x));
  return Number(x);
}

/** The Wasm result as the JS value (see the file header). */
function result(v: unknown, t: DType | 'void', bigints: boolean): unknown {
  switch (t) {
    case 'void': return undefined;
    case 'bool': return v !== 0;
    case 'uint32': return (v as number) >>> 0;
    case 'int64': return bigints ? v : Number(v as bigint);
    case 'uint64': return bigints ? BigInt.asUintN(64, v as bigint) : Number(BigInt.asUintN(64, v as bigint));
    default: return v;
  }
}

/** The entry's result `out` as the JS value (whether int64 results are bigints matters only for int64/uint64 results). */
function jsResult(k: CompiledJit, out: unknown, userArgs: readonly unknown[]): unknown {
  return k.returns === 'int64' || k.returns === 'uint64' ? result(out, k.returns, bigintResult(k, userArgs)) : result(out, k.returns, false);
}

/** Are int64 results bigints for this call (see the file header)? */
function bigintResult(k: CompiledJit, args: readonly unknown[]): boolean {
  // (the call's own arguments: not the hidden allocations after them)
  const own = k.args.length - k.allocations.length;
  return k.bigintLiterals || args.some((x) => typeof x === 'bigint') || k.args.some((t, i) => i < own && t.kind !== 'scalar' && (t.dtype === 'int64' || t.dtype === 'uint64'));
}

/**
 * Call a specialisation on `args` (already matched to its argument types).
 *
 * @throws IndexError `E_KERNEL_BOUNDS` (an index outside an array), TargetError
 *   `E_TARGET_KERNEL_TRAP` (another trap), ValueError `E_VALUE_READONLY` (a write to a
 *   read-only view).
 * @example
 * ```ts
 * callJit(entry, [nb.ones([2, 2])]); // 4
 * ```
 */
export function callJit(entry: JitEntry, userArgs: readonly unknown[], runAsync?: AsyncRun): unknown {
  const k = entry.kernel;
  if (k.allocations.length === 0) return callCompiled(entry, userArgs, userArgs, runAsync);
  const host = entry.allocs;
  // The host's allocator is on this thread: such a call runs here (a settled promise).
  if (host !== undefined && runAsync !== undefined) {
    try {
      return Promise.resolve(callJit(entry, userArgs));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  // Phase 1: the function's allocations, made here from the arguments (frontend/jit-alloc.ts);
  // the returned one is the result, the others are released after the call, and all of them
  // when the call throws. The function makes the dynamic ones (null here) through `host`.
  host?.begin();
  const fresh = allocate(k, userArgs);
  const args = fresh.length === 0 ? userArgs : [...userArgs, ...fresh];
  // The dynamic ones the result keeps join `fresh` (the host disposes the others) ...
  const collect = (ok: boolean) => host?.finish((i) => ok && kept(k, i)).forEach((a, i) => { if (a !== null) fresh[i] = a; });
  // ... and the phase-1 ones the result does not keep go, once the result is read.
  const release = (ok: boolean) => fresh.forEach((a, i) => { if (a !== null && (!ok || !kept(k, i))) a.dispose(); });
  const done = (v: unknown) => {
    collect(true);
    const r = pick(v);
    release(true);
    return r;
  };
  const pick = (out: unknown) => (k.tuple !== null ? tupleResult(k, fresh, userArgs) : k.resultAllocation === null ? out : fresh[k.resultAllocation]);
  let ok = false;
  let later = false;
  try {
    const out = callCompiled(entry, args, userArgs, runAsync);
    if (runAsync !== undefined) {
      later = true;
      return (out as Promise<unknown>).then(done, (e: unknown) => { collect(false); release(false); throw e; });
    }
    ok = true;
    return done(out);
  } finally {
    if (!later && !ok) { collect(false); release(false); }
  }
}

/**
 * Runs the entry elsewhere (nb.jit's callAsync on 'parallel', src/parallel/jit-async.ts) with
 * the Wasm arguments; its errors are already the call's typed errors.
 */
export type AsyncRun = (wasmArgs: readonly unknown[]) => Promise<unknown>;

/** Is allocation `i` part of the result (kept after the call)? */
function kept(k: CompiledJit, i: number): boolean {
  if (k.tuple !== null) return k.tuple.some((s) => s.kind === 'array' && s.allocation === i);
  return i === k.resultAllocation;
}

/**
 * A returned array literal as a JS array (frontend/jit-tuple.ts): the arrays it allocated,
 * the arguments it returned, and each scalar read from its one-element array and converted
 * as scalar results are (see the file header, step 4).
 */
function tupleResult(k: CompiledJit, fresh: readonly (NDArray | null)[], userArgs: readonly unknown[]): unknown[] {
  return k.tuple!.map((s) => {
    if (s.kind === 'array') return fresh[s.allocation];
    if (s.kind === 'arg') return userArgs[s.index];
    const v = fresh[s.allocation]!.get(0);
    if (s.dtype === 'bool') return v;
    return result(v, s.dtype, (s.dtype === 'int64' || s.dtype === 'uint64') && bigintResult(k, userArgs));
  });
}

/** The shape (and value) expressions of each allocation, as JS functions of the parameters. */
const evaluators = new WeakMap<CompiledJit, readonly { shape: (...a: unknown[]) => unknown; value?: (...a: unknown[]) => unknown }[]>();

function allocate(k: CompiledJit, args: readonly unknown[]): (NDArray | null)[] {
  if (k.allocations.length === 0) return [];
  const names = k.ir.main.params.map((p) => p.name);
  const nUser = k.args.length - k.allocations.length;
  let fns = evaluators.get(k);
  if (fns === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the function's own shape expressions, evaluated on its arguments as plain JS would
    const fnOf = (text: string) => new Function(...names.slice(0, nUser), `"use strict"; return (${text});`) as (...a: unknown[]) => unknown;
    fns = k.allocations.map((a) => (a.broadcast !== undefined ? { shape: () => undefined } : { shape: fnOf(a.shape), ...(a.value !== undefined ? { value: fnOf(a.value) } : {}) }));
    evaluators.set(k, fns);
  }
  const made: (NDArray | null)[] = [];
  // A ufunc's result: the broadcast of its operands' shapes (parameters or earlier allocations).
  const shapeOf = (name: string): readonly number[] => {
    const i = names.indexOf(name);
    const x = i < nUser ? args[i] : made[i - nUser]!;
    return isNDArray(x) ? (x as NDArray).shape : [(x as AnyTypedArray).length];
  };
  let site = 0;
  try {
    k.allocations.forEach((a, i) => {
      site = i;
      if (a.dynamic) { made.push(null); return; }
      // (nb.empty and the others check the sizes: integers >= 0, the heap's limit)
      const raw = a.broadcast !== undefined ? broadcastShapes(...a.broadcast.map(shapeOf)) : fns[i]!.shape(...args);
      const shape = typeof raw === 'number' ? [raw] : [...raw as readonly number[]];
      if (shape.length !== a.ndim) throw new Error(`internal: nb.jit '${k.name}': the shape of '${a.name}' has ${shape.length} dims, compiled for ${a.ndim}`);
      switch (a.fill) {
        case 'empty': made.push(empty(shape, a.dtype)); break;
        case 'zeros': made.push(zeros(shape, a.dtype)); break;
        case 'ones': made.push(ones(shape, a.dtype)); break;
        case 'full': made.push(full(shape, fns[i]!.value!(...args) as number, a.dtype)); break;
      }
    });
  } catch (e) {
    for (const x of made) x?.dispose();
    throw allocationError(k, site, e);
  }
  return made;
}

/** `run(...a)`, without the spread for short lists (a spread call costs ~40 ns in V8). */
function invoke(run: (...a: unknown[]) => unknown, a: readonly unknown[]): unknown {
  switch (a.length) {
    case 0: return run();
    case 1: return run(a[0]);
    case 2: return run(a[0], a[1]);
    case 3: return run(a[0], a[1], a[2]);
    case 4: return run(a[0], a[1], a[2], a[3]);
    case 5: return run(a[0], a[1], a[2], a[3], a[4]);
    case 6: return run(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7: return run(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case 8: return run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    default: return run(...a);
  }
}

/** Wasm arguments before the sizes: a scalar takes one, an array its address and one stride per axis. */
const headCounts = new WeakMap<CompiledJit, number>();
function headCount(k: CompiledJit): number {
  let n = headCounts.get(k);
  if (n === undefined) {
    n = 0;
    for (const t of k.args) n += t.kind === 'scalar' ? 1 : 1 + (t.kind === 'typed' ? 1 : t.ndim);
    headCounts.set(k, n);
  }
  return n;
}

// One Wasm argument list per call, filled in place: [address, byte strides... | scalar]
// per parameter, then the sizes of every array axis (no closures, spreads or per-argument
// arrays on the way: a 3x3 call is mostly this marshalling).
function callCompiled(entry: JitEntry, args: readonly unknown[], userArgs: readonly unknown[], runAsync?: AsyncRun): unknown {
  const k = entry.kernel;
  const types = k.args;
  const wasmArgs: unknown[] = [];
  let p = 0;
  let q = headCount(k);
  let staged: { s: Staged; dtype: DType }[] | undefined;
  try {
    for (let i = 0; i < types.length; i++) {
      const t = types[i]!;
      const x = args[i];
      if (t.kind === 'scalar') { wasmArgs[p++] = scalarArg(x, t.dtype); continue; }
      if (x === null) {
        // A dynamic allocation: the function sets its address, strides and sizes (alloc-host.ts).
        const nd = t.kind === 'typed' ? 1 : t.ndim;
        for (let d = 0; d <= nd; d++) wasmArgs[p++] = 0;
        for (let d = 0; d < nd; d++) wasmArgs[q++] = 0;
        continue;
      }
      const item = DTYPES[t.dtype].itemSize;
      const written = k.written[i]!;
      if (isNDArray(x)) {
        const a = x as NDArray;
        const data = a.data; // throws E_MEMORY_DISPOSED for a disposed array
        if (written && !a.writeable) throw new ValueError('E_VALUE_READONLY', `nb.jit '${k.name}' writes to argument ${i + 1}, a read-only view (broadcastTo): pass a copy`);
        const shape = a.shape;
        const storage = a.storage;
        if (isHeapStorage(storage)) {
          const strides = a.strides;
          wasmArgs[p++] = storage.ptr + a.offset * item;
          for (let d = 0; d < strides.length; d++) wasmArgs[p++] = strides[d]! * item;
        } else {
          const s = stage(t.dtype, data, a.offset, a.strides, shape, written);
          (staged ??= []).push({ s, dtype: t.dtype });
          wasmArgs[p++] = s.ptr;
          for (const c of cStrides(shape)) wasmArgs[p++] = c * item;
        }
        for (let d = 0; d < shape.length; d++) wasmArgs[q++] = shape[d];
      } else {
        const ta = x as AnyTypedArray;
        const s = stage(t.dtype, ta, 0, [1], [ta.length], written);
        (staged ??= []).push({ s, dtype: t.dtype });
        wasmArgs[p++] = s.ptr;
        wasmArgs[p++] = item;
        wasmArgs[q++] = ta.length;
      }
    }
    if (runAsync !== undefined) {
      // The copies live until the run settles (then copied back and freed, as below).
      const copies = staged;
      staged = undefined;
      const unstageAll = () => { if (copies !== undefined) for (const { s, dtype } of copies) unstage(s, dtype); };
      return runAsync(wasmArgs).then((out) => { unstageAll(); return jsResult(k, out, userArgs); }, (e: unknown) => { unstageAll(); throw e; });
    }
    let out: unknown;
    try {
      out = invoke(entry.run, wasmArgs);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      const trap = readBoundsTrap(entry.exports);
      if (trap instanceof BoundsTrap) throw kernelBoundsError(k.name, k.bounds, trap);
      // A scratch array larger than the arena, or of a negative length.
      const scratch = readScratchTrap(entry.exports);
      throw scratch !== null ? kernelScratchError(k.name, k.scratch, scratch, entry.arenaBytes) : kernelTrap(e, 'jit', k.name);
    }
    return jsResult(k, out, userArgs);
  } finally {
    if (staged !== undefined) for (const { s, dtype } of staged) unstage(s, dtype);
  }
}
