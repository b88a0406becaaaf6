/**
 * `ufunc.at(a, indices, b?)`: unbuffered in-place `a[indices] = op(a[indices], b)`, NumPy's
 * semantics: an element indexed several times is updated once per occurrence, in order
 * (`add.at(a, [0, 0], 1)` adds 2); `b` broadcasts to the indexed shape; values are cast
 * with 'unsafe' casting (the loop is the one a call `op(a, b)` would pick, its result is
 * cast back into `a`'s dtype).
 *
 * Indices (NumPy's indexing of the first axes):
 *   - a number: one index on axis 0;
 *   - an integer (or bool) NDArray, TypedArray or nested JS number list: an index array on
 *     axis 0 (any shape; a bool array selects where true);
 *   - a tuple, written as a JS array holding at least one NDArray, TypedArray, slice string
 *     (`':'`, `'1:3'`, `'::2'`) or `null` entry: one entry per leading axis; numbers in it
 *     are scalar indices, arrays (NDArrays, TypedArrays, number lists) index arrays that
 *     broadcast together, as in NumPy (`[nb.array([0, 1]), nb.array([2, 2])]`).
 *     (A plain nested number list is one index array, as in NumPy, not a tuple.)
 *
 * How it runs: the indexed elements' positions are computed in JS (result order, C order);
 * positions are grouped in rounds of distinct elements (the k-th occurrence of each element
 * in round k); each round is gathered, computed with ONE runLoop and scattered back, so
 * unique indices cost one Wasm call and repeated ones stay sequential. An element indexed
 * more than HEAVY times (same dtypes throughout) is instead folded in one runLoop over its
 * values in order, keeping the number of calls small for `add.at(a, zeros(n), x)`.
 */
import { broadcastShapes, broadcastStrides } from '../../broadcast/broadcast-shapes.js';
import { DTYPES, type DType } from '../../dtype/dtypes.js';
import { copyLayout } from '../../ndarray/copy.js';
import { asarray, empty, full, type ArrayLikeInput } from '../../ndarray/creation.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { normalizeIndex, sliceLayout } from '../../ndarray/views.js';
import { DTypeError, IndexError, ValueError } from '../../util/errors.js';
import { classify } from '../call.js';
import { resolveLoop } from '../dispatch.js';
import { operandOf, runLoop } from '../execute.js';
import type { UfuncInput } from '../types.js';
import { viewOf, type MethodUfunc } from './common.js';

/** One entry of an index tuple: a scalar index, an index array, or a slice string. */
export type AtIndexItem = number | string | null | NDArray | ArrayBufferView | readonly ArrayLikeInput[];

/** The `indices` of `ufunc.at`. */
export type AtIndices = number | NDArray | ArrayBufferView | readonly (AtIndexItem | ArrayLikeInput)[];

/** Elements indexed more often than this are folded in one loop call each. */
const HEAVY = 16;

type Component =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; spec: string }
  | { kind: 'array'; values: Float64Array; shape: number[] };

const isView = (x: unknown): x is ArrayBufferView => ArrayBuffer.isView(x) && !(x instanceof DataView);

/** An index array as float64 values in C order, bool arrays expanded to one array per axis. */
function arrayComponents(x: ArrayLikeInput): Component[] {
  let arr = asarray(x);
  if (arr.size === 0 && DTYPES[arr.dtype].kind === 'f' && !(x instanceof NDArray)) arr = arr.astype('int64');
  const kind = DTYPES[arr.dtype].kind;
  if (kind === 'f') {
    throw new IndexError('E_INDEX_SPEC', `arrays used as indices must be of integer (or boolean) type, got ${arr.dtype}`);
  }
  if (kind === 'b') {
    // NumPy: a bool index is its nonzero() (one integer array per dimension of the mask).
    const m = arr.astype('uint8');
    const flat = m.data as Uint8Array;
    const hits: number[] = [];
    for (let i = 0; i < flat.length; i++) if (flat[i] !== 0) hits.push(i);
    const strides = m.strides;
    const comps = arr.shape.map((_, d) => ({
      kind: 'array' as const,
      values: Float64Array.from(hits, (h) => Math.floor(h / strides[d]!) % arr.shape[d]!),
      shape: [hits.length],
    }));
    m.dispose();
    return comps;
  }
  const f = arr.astype('float64');
  const values = (f.data as Float64Array).slice();
  f.dispose();
  return [{ kind: 'array', values, shape: arr.shape.slice() }];
}

function parseIndices(indices: unknown): Component[] {
  if (typeof indices === 'number' || typeof indices === 'bigint') return [{ kind: 'int', value: Number(indices) }];
  if (typeof indices === 'string') return [{ kind: 'slice', spec: indices }];
  if (indices instanceof NDArray || isView(indices)) return arrayComponents(indices as ArrayLikeInput);
  if (Array.isArray(indices)) {
    const tuple = indices.some((x) => x instanceof NDArray || isView(x) || typeof x === 'string' || x === null);
    if (!tuple) return arrayComponents(indices as ArrayLikeInput);
    return indices.flatMap((x): Component[] => {
      if (typeof x === 'number' || typeof x === 'bigint') return [{ kind: 'int', value: Number(x) }];
      if (typeof x === 'string' || x === null) return [{ kind: 'slice', spec: x ?? ':' }];
      return arrayComponents(x as ArrayLikeInput);
    });
  }
  throw new IndexError(
    'E_INDEX_SPEC',
    `ufunc.at indices must be a number, an integer array or a tuple (JS array) of them, got ${String(indices)}`,
  );
}

/**
 * Positions (element indices into `a.data`) of the indexed elements in C order of the
 * indexed shape, and that shape (NumPy's advanced/basic indexing rules).
 */
function indexPositions(a: NDArray, comps: Component[]): { shape: number[]; pos: Float64Array } {
  if (comps.length > a.ndim) {
    throw new IndexError('E_INDEX_SPEC', `too many indices: the array is ${a.ndim}-dimensional, but ${comps.length} were indexed`);
  }
  const all: Component[] = [...comps, ...Array.from({ length: a.ndim - comps.length }, () => ({ kind: 'slice', spec: ':' }) as Component)];
  const hasArray = all.some((c) => c.kind === 'array');
  type Group = { len: number; stride: number } | { adv: true };
  let base = a.offset;
  const basicBefore: Group[] = [];
  const basicAfter: Group[] = [];
  const advPositions: number[] = [];
  const adv: { values: Float64Array; shape: number[]; axis: number }[] = [];
  all.forEach((c, axis) => {
    const len = a.shape[axis]!;
    const stride = a.strides[axis]!;
    if (c.kind === 'slice') {
      const l = sliceLayout({ shape: [len], strides: [stride], offset: 0 }, [c.spec]);
      base += l.offset;
      (advPositions.length === 0 ? basicBefore : basicAfter).push({ len: l.shape[0]!, stride: l.strides[0]! });
    } else if (c.kind === 'int' && !hasArray) {
      base += normalizeIndex(c.value, len, axis) * stride;
    } else {
      advPositions.push(axis);
      const values = c.kind === 'int' ? Float64Array.of(c.value) : c.values;
      adv.push({ values, shape: c.kind === 'int' ? [] : c.shape, axis });
    }
  });
  // Advanced indices broadcast together; their dims go in place when adjacent, else first.
  const bshape = broadcastShapes(...adv.map((x) => x.shape));
  const adjacent = advPositions.every((p, k) => k === 0 || p === advPositions[k - 1]! + 1);
  const groups: Group[] = [];
  if (adv.length > 0) {
    if (adjacent) groups.push(...basicBefore, { adv: true }, ...basicAfter);
    else groups.push({ adv: true }, ...basicBefore, ...basicAfter);
  } else groups.push(...basicBefore);
  // Offsets contributed by the advanced indices, over bshape in C order.
  let advOff = new Float64Array(1);
  if (adv.length > 0) {
    let size = 1;
    for (const d of bshape) size *= d;
    advOff = new Float64Array(size);
    for (const x of adv) {
      const len = a.shape[x.axis]!;
      const stride = a.strides[x.axis]!;
      if (x.values.length === size) {
        // Not broadcast (the common case): element j of the index is element j of bshape.
        const v = x.values;
        for (let j = 0; j < size; j++) {
          let i = v[j]!;
          if (i < 0) i += len;
          if (!(i >= 0 && i < len)) {
            throw new IndexError('E_INDEX_RANGE', `index ${v[j]} is out of bounds for axis ${x.axis} with size ${len}`);
          }
          advOff[j]! += i * stride;
        }
        continue;
      }
      const bs = broadcastStrides(x.shape, x.shape.length === 0 ? [] : cStridesOf(x.shape), bshape);
      const idx = new Array<number>(bshape.length).fill(0);
      let k = 0;
      for (let j = 0; j < size; j++) {
        let v = x.values[k]!;
        if (v < 0) v += len;
        if (!(v >= 0 && v < len)) {
          throw new IndexError('E_INDEX_RANGE', `index ${x.values[k]} is out of bounds for axis ${x.axis} with size ${len}`);
        }
        advOff[j]! += v * stride;
        for (let d = bshape.length - 1; d >= 0; d--) {
          k += bs[d]!;
          if (++idx[d]! < bshape[d]!) break;
          k -= bs[d]! * bshape[d]!;
          idx[d] = 0;
        }
      }
    }
  }
  if (groups.length === 1 && 'adv' in groups[0]!) {
    for (let j = 0; j < advOff.length; j++) advOff[j]! += base;
    return { shape: bshape, pos: advOff };
  }
  const shape: number[] = [];
  let pos = Float64Array.of(base);
  for (const g of groups) {
    const add = 'adv' in g ? advOff : Float64Array.from({ length: g.len }, (_, i) => i * g.stride);
    if ('adv' in g) shape.push(...bshape);
    else shape.push(g.len);
    const next = new Float64Array(pos.length * add.length);
    let w = 0;
    for (let i = 0; i < pos.length; i++) {
      const p = pos[i]!;
      for (let j = 0; j < add.length; j++) next[w++] = p + add[j]!;
    }
    pos = next;
  }
  return { shape, pos };
}

function cStridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Dense ids of the distinct positions (in order of first occurrence), and how many times each occurs. */
function occurrences(pos: Float64Array, lo: number, hi: number): { id: Int32Array; count: Int32Array; distinct: number } {
  const n = pos.length;
  const id = new Int32Array(n);
  const count = new Int32Array(n);
  let distinct = 0;
  const span = hi - lo + 1;
  if (span <= 4 * n + 65536) {
    const slot = new Int32Array(span).fill(-1);
    for (let j = 0; j < n; j++) {
      const k = pos[j]! - lo;
      let s = slot[k]!;
      if (s < 0) slot[k] = s = distinct++;
      count[s]!++;
      id[j] = s;
    }
  } else {
    const slot = new Map<number, number>();
    for (let j = 0; j < n; j++) {
      let s = slot.get(pos[j]!);
      if (s === undefined) slot.set(pos[j]!, (s = distinct++));
      count[s]!++;
      id[j] = s;
    }
  }
  return { id, count: count.subarray(0, distinct), distinct };
}

type Raw = { [i: number]: number | bigint; length: number };

/**
 * An integer scalar of `at` in the loop's integer (or bool) dtype. NumPy 2.4's `at` does
 * not apply the weak-scalar overflow check of a ufunc call: the value is converted through
 * a C integer and wraps (`np.add.at(int8_array, [0], 300)` adds 44); only a value outside
 * int64 and uint64 is an error (NumPy: "Python int too large to convert to C long").
 *
 * @throws DTypeError `E_DTYPE_OVERFLOW`.
 */
function wrapInteger(x: number | bigint, dtype: DType): number | bigint | boolean {
  const info = DTYPES[dtype];
  const big = BigInt(x);
  if (big < -(2n ** 63n) || big >= 2n ** 64n) {
    throw new DTypeError(
      'E_DTYPE_OVERFLOW',
      `integer ${x} is too large for ufunc.at (NumPy: "Python int too large to convert to C long"); ` +
        'pass a value within the int64 or uint64 range',
    );
  }
  if (info.kind === 'b') return big !== 0n;
  const bits = info.itemSize * 8;
  const wrapped = info.kind === 'u' ? BigInt.asUintN(bits, big) : BigInt.asIntN(bits, big);
  return bits === 64 ? wrapped : Number(wrapped);
}

/**
 * Apply the ufunc at the indexed elements of `a`, in place.
 *
 * @throws ValueError (`E_VALUE_AT` for a missing or extra `b`, `E_VALUE_READONLY`),
 *   IndexError (`E_INDEX_RANGE`, `E_INDEX_SPEC`), ShapeError (b does not broadcast).
 * @example
 * ```ts
 * const a = nb.array([1, 2, 3, 4]);
 * nb.add.at(a, [0, 1, 2, 2], 1); // a: [2n, 3n, 5n, 4n]
 * ```
 */
export function at(t: MethodUfunc, a: NDArray, indices: AtIndices, b?: UfuncInput): void {
  if (!(a instanceof NDArray)) throw new ValueError('E_VALUE_AT', `${t.name}.at needs an NDArray as its first argument (it is updated in place)`);
  if (!a.writeable) throw new ValueError('E_VALUE_READONLY', `${t.name}.at: the array is read-only (a broadcast view)`);
  if (t.nout !== 1) throw new ValueError('E_VALUE_AT', `${t.name}.at only supports ufuncs with a single output`);
  if (t.nin === 1 && b !== undefined) throw new ValueError('E_VALUE_AT', `second operand provided when ufunc is unary (${t.name}.at)`);
  if (t.nin === 2 && b === undefined) throw new ValueError('E_VALUE_AT', `second operand needed for ufunc (${t.name}.at)`);
  if (t.nin > 2) throw new ValueError('E_VALUE_AT', `${t.name}.at only supports unary and binary ufuncs`);

  const { shape, pos } = indexPositions(a, parseIndices(indices));
  const binary = t.nin === 2;
  const bc = binary ? classify(b!) : undefined;
  const loop = resolveLoop(t, binary ? [a.dtype, bc!.kind] : [a.dtype], undefined, 'unsafe');
  const n = pos.length;
  // b in the loop's dtype, broadcast to the indexed shape, C order (a copy: b may alias a).
  let bFlat: NDArray | undefined;
  const temps: NDArray[] = [];
  try {
    if (binary) {
      const want = loop.ins[1]!;
      let bArr: NDArray;
      if (bc!.array === undefined) {
        const x = bc!.scalar!;
        const integral = typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x));
        const v = DTYPES[want].kind === 'f' ? Number(x) : integral ? wrapInteger(x as number | bigint, want) : x;
        bArr = full([], v, want);
        temps.push(bArr);
      } else bArr = bc!.array;
      bFlat = empty(shape, want);
      temps.push(bFlat);
      copyLayout(operandOf(bArr, shape), operandOf(bFlat, shape));
    }
    if (n === 0) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < n; j++) {
      if (pos[j]! < lo) lo = pos[j]!;
      if (pos[j]! > hi) hi = pos[j]!;
    }
    const { id, count, distinct } = occurrences(pos, lo, hi);
    const same = binary && loop.ins[0] === a.dtype && loop.outs[0] === a.dtype;
    const heavy = same && count.some((c) => c > HEAVY);
    if (distinct === n) {
      round(loop.id, loop.ins[0]!, loop.outs[0]!, a, pos, null, bFlat);
      return;
    }
    // Rounds: the k-th occurrence of each (non-heavy) element goes to round k.
    const rank = new Int32Array(distinct);
    const rounds: number[][] = [];
    const heavyPos = new Map<number, number[]>();
    for (let j = 0; j < n; j++) {
      const s = id[j]!;
      if (heavy && count[s]! > HEAVY) {
        let list = heavyPos.get(s);
        if (list === undefined) heavyPos.set(s, (list = []));
        list.push(j);
        continue;
      }
      const r = rank[s]!++;
      (rounds[r] ??= []).push(j);
    }
    for (const r of rounds) round(loop.id, loop.ins[0]!, loop.outs[0]!, a, pos, Int32Array.from(r), bFlat);
    if (heavyPos.size > 0) {
      let longest = 0;
      for (const list of heavyPos.values()) longest = Math.max(longest, list.length);
      const acc = empty([1], a.dtype);
      const buf = empty([2 * longest], bFlat!.dtype);
      temps.push(acc, buf);
      for (const list of heavyPos.values()) fold(loop.id, a, pos[list[0]!]!, list, bFlat!, acc, buf);
    }
  } finally {
    for (const x of temps) x.dispose();
  }
}

/** One round of distinct positions: gather, one runLoop, scatter. `sel` null: all positions in order. */
function round(
  loopId: number, inDt: DType, outDt: DType, a: NDArray, pos: Float64Array, sel: Int32Array | null,
  bFlat: NDArray | undefined,
): void {
  const m = sel === null ? pos.length : sel.length;
  const vals = empty([m], a.dtype);
  const temps: NDArray[] = [vals];
  try {
    const src = a.data as unknown as Raw;
    const dst = vals.data as unknown as Raw;
    if (sel === null) for (let j = 0; j < m; j++) dst[j] = src[pos[j]!]!;
    else for (let j = 0; j < m; j++) dst[j] = src[pos[sel[j]!]!]!;
    const x = inDt === a.dtype ? vals : vals.astype(inDt);
    if (x !== vals) temps.push(x);
    const ins = [x];
    if (bFlat !== undefined) {
      if (sel === null) ins.push(bFlat.reshape([m]));
      else {
        const bs = empty([m], bFlat.dtype);
        temps.push(bs);
        const bsrc = bFlat.data as unknown as Raw;
        const bdst = bs.data as unknown as Raw;
        for (let j = 0; j < m; j++) bdst[j] = bsrc[sel[j]!]!;
        ins.push(bs);
      }
    }
    const y = outDt === x.dtype ? x : empty([m], outDt);
    if (y !== x) temps.push(y);
    runLoop(loopId, ins, [y], [m]);
    const z = outDt === a.dtype ? y : y.astype(a.dtype);
    if (z !== y) temps.push(z);
    const res = z.data as unknown as Raw;
    const target = a.data as unknown as Raw;
    if (sel === null) for (let j = 0; j < m; j++) target[pos[j]!] = res[j]!;
    else for (let j = 0; j < m; j++) target[pos[sel[j]!]!] = res[j]!;
  } finally {
    for (const v of temps) v.dispose();
  }
}

/**
 * All occurrences of one element, in order, in one runLoop: acc = op(acc, b[j]) for each
 * j. The values sit at stride 2 in `buf` so that the row runs its sequential scalar loop (a
 * contiguous row would take the pairwise/SIMD reduce path, which NumPy's `at` does not).
 */
function fold(loopId: number, a: NDArray, p: number, sel: readonly number[], bFlat: NDArray, acc: NDArray, buf: NDArray): void {
  const m = sel.length;
  (acc.data as unknown as Raw)[0] = (a.data as unknown as Raw)[p]!;
  const bsrc = bFlat.data as unknown as Raw;
  const bdst = buf.data as unknown as Raw;
  for (let j = 0; j < m; j++) bdst[2 * j] = bsrc[sel[j]!]!;
  runLoop(loopId, [acc, viewOf(buf, [m], [2])], [acc], [m]);
  (a.data as unknown as Raw)[p] = (acc.data as unknown as Raw)[0]!;
}
