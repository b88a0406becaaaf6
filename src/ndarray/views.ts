/**
 * View arithmetic: slicing, transposition and copy-free reshapes, as pure functions from
 * one layout (shape, strides, offset — all in elements) to another. No data moves here.
 */
import { IndexError, ShapeError } from '../util/errors.js';
import { cStrides, checkShape, formatShape, sizeOf } from './layout.js';

export interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

/** A layout that is only read (an NDArray is one). */
export interface LayoutSource {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * One index spec of `slice()`: an integer (selects and drops the axis), a slice string
 * `'start:stop:step'` (any part optional, negatives count from the end), `':'`, `'...'`
 * (all remaining axes), or `null` (a new axis of length 1).
 */
export type SliceSpec = number | string | null;

interface ParsedSlice {
  readonly start: number | undefined;
  readonly stop: number | undefined;
  readonly step: number;
}

const SLICE_RE = /^\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?)?$/;

/**
 * Parsed slice strings, by text: programs use a few specs again and again, and the regular
 * expression costs several times the rest of a slice. Cleared when full (bounded).
 */
const parsedSpecs = new Map<string, ParsedSlice | number>();
const PARSED_SPECS_MAX = 256;

function parseSliceString(spec: string): ParsedSlice | number {
  let p = parsedSpecs.get(spec);
  if (p === undefined) {
    p = parseSliceText(spec);
    if (parsedSpecs.size >= PARSED_SPECS_MAX) parsedSpecs.clear();
    parsedSpecs.set(spec, p);
  }
  return p;
}

function parseSliceText(spec: string): ParsedSlice | number {
  const m = SLICE_RE.exec(spec);
  if (m === null || spec.trim() === '') {
    throw new IndexError(
      'E_INDEX_SPEC',
      `invalid slice ${JSON.stringify(spec)}; expected an integer, 'start:stop:step' (parts optional), '...' or null`,
    );
  }
  if (!spec.includes(':')) return Number(m[1]);
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const step = num(m[3]) ?? 1;
  if (step === 0) throw new IndexError('E_INDEX_SPEC', `slice step cannot be zero in ${JSON.stringify(spec)}`);
  return { start: num(m[1]), stop: num(m[2]), step };
}

/**
 * A start or stop of Python's slice.indices(). Module-level, as the other helpers of the
 * slice path: a closure made per call costs more than the slice itself where the code is
 * run through esbuild's keepNames (tsx, vitest), which names each new closure.
 */
function clampBound(v: number | undefined, dflt: number, len: number, step: number): number {
  if (v === undefined) return dflt;
  if (v < 0) {
    v += len;
    if (v < 0) v = step < 0 ? -1 : 0;
  } else if (v >= len) v = step < 0 ? len - 1 : len;
  return v;
}

/** Python's slice.indices(): clamp start/stop and count the elements. */
function adjustSlice(s: ParsedSlice, len: number): { start: number; count: number } {
  const { step } = s;
  const start = clampBound(s.start, step < 0 ? len - 1 : 0, len, step);
  const stop = clampBound(s.stop, step < 0 ? -1 : len, len, step);
  let count = 0;
  if (step < 0) {
    if (stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  return { start, count };
}

/**
 * Normalise an integer index into [0, len).
 *
 * @throws IndexError (`E_INDEX_RANGE`)
 */
export function normalizeIndex(i: number, len: number, axis: number): number {
  if (!Number.isInteger(i)) throw new IndexError('E_INDEX_SPEC', `index ${i} on axis ${axis} is not an integer`);
  const j = i < 0 ? i + len : i;
  if (j < 0 || j >= len) {
    throw new IndexError('E_INDEX_RANGE', `index ${i} is out of bounds for axis ${axis} with size ${len}`);
  }
  return j;
}

/**
 * The layout selected by `specs` (NumPy basic indexing).
 *
 * @example
 * ```ts
 * sliceLayout({ shape: [4], strides: [1], offset: 0 }, ['::-1']); // shape [4], strides [-1], offset 3
 * ```
 */
export function sliceLayout(src: LayoutSource, specs: readonly SliceSpec[]): Layout {
  const simple = simpleSliceLayout(src, specs);
  if (simple !== undefined) return simple;
  const parsed = specs.map((s) => (typeof s === 'string' ? (s.trim() === '...' ? '...' : parseSliceString(s)) : s));
  const ellipses = parsed.filter((p) => p === '...').length;
  if (ellipses > 1) throw new IndexError('E_INDEX_SPEC', "an index can only have a single ellipsis ('...')");
  const consumed = parsed.filter((p) => p !== null && p !== '...').length;
  if (consumed > src.shape.length) {
    throw new IndexError(
      'E_INDEX_SPEC',
      `too many indices: the array is ${src.shape.length}-dimensional, but ${consumed} were indexed`,
    );
  }
  // Expand the ellipsis (or the implicit trailing one) into full slices.
  const full: ParsedSlice = { start: undefined, stop: undefined, step: 1 };
  const fill = src.shape.length - consumed;
  const expanded: Array<ParsedSlice | number | null> = [];
  let filled = false;
  for (const p of parsed) {
    if (p === '...') {
      for (let k = 0; k < fill; k++) expanded.push(full);
      filled = true;
    } else expanded.push(p as ParsedSlice | number | null);
  }
  if (!filled) for (let k = 0; k < fill; k++) expanded.push(full);

  const shape: number[] = [];
  const strides: number[] = [];
  let offset = src.offset;
  let axis = 0;
  for (const p of expanded) {
    if (p === null) {
      shape.push(1);
      strides.push(0);
      continue;
    }
    if (typeof p !== 'number' && !isParsedSlice(p)) {
      // An object that is not a parsed slice ({} once gave shape [NaN]), a boolean, a bigint...
      throw new IndexError(
        'E_INDEX_SPEC',
        `invalid index ${showSpec(p)}; expected an integer, a slice string ('1:-1', '::2', ':'), '...' or null (a new axis)`,
      );
    }
    const len = src.shape[axis]!;
    const stride = src.strides[axis]!;
    if (typeof p === 'number') {
      offset += normalizeIndex(p, len, axis) * stride;
    } else {
      const { start, count } = adjustSlice(p, len);
      if (count > 0) offset += start * stride;
      shape.push(count);
      strides.push(stride * p.step);
    }
    axis++;
  }
  return { shape, strides, offset };
}

/**
 * {@link sliceLayout} for the common specs, integers and slice strings only (no `'...'`, no
 * `null`), in one pass; undefined for anything else, or any error, which the general path
 * then reports as it always does.
 */
function simpleSliceLayout(src: LayoutSource, specs: readonly SliceSpec[]): Layout | undefined {
  const ndim = src.shape.length;
  if (specs.length > ndim) return undefined;
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = src.offset;
  try {
    for (let axis = 0; axis < specs.length; axis++) {
      const spec = specs[axis];
      const p = typeof spec === 'string' && !spec.includes('.') ? parseSliceString(spec) : spec;
      const len = src.shape[axis]!;
      const stride = src.strides[axis]!;
      if (typeof p === 'number') {
        offset += normalizeIndex(p, len, axis) * stride;
      } else if (isParsedSlice(p)) {
        const { start, count } = adjustSlice(p, len);
        if (count > 0) offset += start * stride;
        shape.push(count);
        strides.push(stride * p.step);
      } else return undefined;
    }
  } catch {
    return undefined;
  }
  for (let axis = specs.length; axis < ndim; axis++) {
    shape.push(src.shape[axis]!);
    strides.push(src.strides[axis]!);
  }
  return { shape, strides, offset };
}

/** A slice as parseSliceString makes it: integer (or absent) start and stop, a non-zero integer step. */
const isBound = (v: unknown): boolean => v === undefined || Number.isInteger(v);

function isParsedSlice(p: unknown): p is ParsedSlice {
  if (typeof p !== 'object' || p === null) return false;
  const { start, stop, step } = p as Partial<ParsedSlice>;
  return isBound(start) && isBound(stop) && Number.isInteger(step) && step !== 0;
}

function showSpec(p: unknown): string {
  if (typeof p === 'bigint') return `${p}n`;
  try {
    return JSON.stringify(p) ?? String(p);
  } catch {
    return String(p);
  }
}

/**
 * Resolve a requested shape with at most one -1 against `size` elements.
 *
 * @throws ShapeError (`E_SHAPE_RESHAPE`)
 */
export function resolveReshape(size: number, from: readonly number[], requested: readonly number[] | number): number[] {
  const req = typeof requested === 'number' ? [requested] : [...requested];
  const unknown = req.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError('E_SHAPE_RESHAPE', 'can only specify one unknown dimension (-1) in reshape');
  const known = checkShape(req.map((d) => (d === -1 ? 1 : d)), 'new shape');
  const prod = sizeOf(known);
  if (unknown === 1) {
    if (prod === 0 || size % prod !== 0) {
      throw new ShapeError('E_SHAPE_RESHAPE', `cannot reshape array of size ${size} into shape ${formatShape(req)}`);
    }
    req[req.indexOf(-1)] = size / prod;
    return req;
  }
  if (prod !== size) {
    throw new ShapeError(
      'E_SHAPE_RESHAPE',
      `cannot reshape array of size ${size} (shape ${formatShape(from)}) into shape ${formatShape(req)}`,
    );
  }
  return known;
}

/**
 * Strides that view `src` as C-ordered `newShape` without copying, or null when the layout
 * forces a copy (NumPy's attempt_nocopy_reshape: each group of old dims that multiplies
 * to a group of new dims must itself be contiguous).
 */
export function reshapeStrides(src: Layout, newShape: readonly number[]): number[] | null {
  if (sizeOf(src.shape) === 0) return cStrides(newShape);
  const oldDims: number[] = [];
  const oldStr: number[] = [];
  src.shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStr.push(src.strides[i]!);
    }
  });
  const newStr = new Array<number>(newShape.length).fill(0);
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < newShape.length && oi < oldDims.length) {
    let np = newShape[ni]!;
    let op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= newShape[nj++]!;
      else op *= oldDims[oj++]!;
    }
    for (let ok = oi; ok < oj - 1; ok++) {
      if (oldStr[ok] !== oldDims[ok + 1]! * oldStr[ok + 1]!) return null;
    }
    newStr[nj - 1] = oldStr[oj - 1]!;
    for (let nk = nj - 1; nk > ni; nk--) newStr[nk - 1] = newStr[nk]! * newShape[nk]!;
    ni = nj++;
    oi = oj++;
  }
  const last = ni >= 1 ? newStr[ni - 1]! : 1;
  for (let nk = ni; nk < newShape.length; nk++) newStr[nk] = last;
  return newStr;
}

/**
 * Permute axes; `axes` defaults to reversing them.
 *
 * @throws ShapeError (`E_SHAPE_AXES`) unless `axes` is a permutation of 0..ndim-1 (negatives allowed).
 */
export function transposeLayout(src: Layout, axes?: readonly number[]): Layout {
  const n = src.shape.length;
  const perm = axes === undefined ? [...Array(n).keys()].reverse() : axes.map((a) => (a < 0 ? a + n : a));
  const seen = new Set(perm);
  if (perm.length !== n || seen.size !== n || perm.some((a) => !Number.isInteger(a) || a < 0 || a >= n)) {
    throw new ShapeError(
      'E_SHAPE_AXES',
      `axes [${(axes ?? []).join(', ')}] are not a permutation of the ${n} axes of the array`,
    );
  }
  return { shape: perm.map((a) => src.shape[a]!), strides: perm.map((a) => src.strides[a]!), offset: src.offset };
}
