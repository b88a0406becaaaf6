/**
 * Strided operands for the fuzzer: an NDArray whose LOGICAL elements (C order over `shape`)
 * are given values, laid out as a view of a larger or permuted base array. The element
 * positions are computed here, independently of numbats' layout code, so the references
 * read the logical values from `values` and never through numbats.
 *
 * - contiguous: nb.array of the values;
 * - transposed: a base of the reversed shape holding the values at reversed indices, viewed
 *   through `.transpose()` (needs 2 or more dims; else as stepped);
 * - stepped: along one axis, a base twice as long plus one, viewed through `'1::2'`;
 * - reversed: along one axis, the values in reverse order, viewed through `'::-1'`;
 * - broadcast: along one axis of length > 1, a base of length 1 viewed through
 *   nb.broadcastTo (stride 0); the values along that axis are made equal to its first
 *   (the returned `values` say so).
 */
import * as nb from '../../src/index.js';

type V = number | bigint;

export const VIEW_KINDS = ['contiguous', 'transposed', 'stepped', 'reversed', 'broadcast'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** C-order multi-index of flat index e in shape. */
function unravel(e: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) { idx[d] = e % shape[d]!; e = Math.floor(e / shape[d]!); }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  let e = 0;
  for (let d = 0; d < shape.length; d++) e = e * shape[d]! + idx[d]!;
  return e;
}

/** NumPy's broadcast of shapes (right-aligned; 1 stretches). Throws on incompatible shapes. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let d = 0; d < s.length; d++) {
      const o = nd - s.length + d;
      if (s[d] !== 1) {
        if (out[o] !== 1 && out[o] !== s[d]) throw new Error(`shapes ${JSON.stringify(shapes)} do not broadcast`);
        out[o] = s[d]!;
      }
    }
  }
  return out;
}

/** Flat index into an operand of shape `inShape` for flat index e of the broadcast shape `outShape`. */
export function logicalIndex(e: number, outShape: readonly number[], inShape: readonly number[]): number {
  const idx = unravel(e, outShape).slice(outShape.length - inShape.length).map((i, d) => (inShape[d] === 1 ? 0 : i));
  return ravel(idx, inShape);
}

/** Nested JS arrays of flat values over shape. */
export function nest(values: readonly V[], shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const step = sizeOf(shape.slice(1));
  return Array.from({ length: shape[0]! }, (_, i) => nest(values.slice(i * step, (i + 1) * step), shape.slice(1)));
}

export interface BuiltView {
  readonly array: nb.NDArray;
  /** The logical values (C order over the view's shape): the input, or for broadcast the stretched ones. */
  readonly values: readonly V[];
  readonly kind: ViewKind;
  dispose(): void;
}

/** An operand of dtype t, logical shape `shape`, holding `values`, laid out as `kind`. */
export function buildView(t: string, values: readonly V[], shape: readonly number[], kind: ViewKind, r: () => number): BuiltView {
  const make = (vals: readonly V[], s: readonly number[]) => nb.array(nest(vals, s) as number[], { dtype: t as 'float64' }) as nb.NDArray;
  const n = values.length;
  const axes = shape.map((_, d) => d);
  const pickAxis = (pred: (d: number) => boolean): number | undefined => {
    const ok = axes.filter(pred);
    return ok.length ? ok[Math.floor(r() * ok.length)] : undefined;
  };
  if (kind === 'transposed' && shape.length < 2) kind = 'stepped';
  if (kind === 'broadcast' && pickAxis((d) => shape[d]! > 1) === undefined) kind = 'reversed';
  if (shape.length === 0) kind = 'contiguous';
  const zero = (typeof values[0] === 'bigint' ? 0n : 0) as V;
  switch (kind) {
    case 'contiguous': {
      const a = make(values, shape);
      return { array: a, values, kind, dispose: () => a.dispose() };
    }
    case 'transposed': {
      const rev = [...shape].reverse();
      const b = new Array<V>(n);
      for (let e = 0; e < n; e++) b[ravel(unravel(e, shape).reverse(), rev)] = values[e]!;
      const base = make(b, rev);
      const a = base.transpose();
      return { array: a, values, kind, dispose: () => base.dispose() };
    }
    case 'stepped':
    case 'reversed': {
      const k = pickAxis(() => true)!;
      const bshape = [...shape];
      if (kind === 'stepped') bshape[k] = 2 * shape[k]! + 1;
      const b = new Array<V>(sizeOf(bshape)).fill(values[n - 1] ?? zero);
      for (let e = 0; e < n; e++) {
        const idx = unravel(e, shape);
        idx[k] = kind === 'stepped' ? 1 + 2 * idx[k]! : shape[k]! - 1 - idx[k]!;
        b[ravel(idx, bshape)] = values[e]!;
      }
      const base = make(b, bshape);
      const a = base.slice(...shape.map((_, d) => (d !== k ? ':' : kind === 'stepped' ? '1::2' : '::-1')));
      return { array: a, values, kind, dispose: () => base.dispose() };
    }
    case 'broadcast': {
      const k = pickAxis((d) => shape[d]! > 1)!;
      const bshape = [...shape];
      bshape[k] = 1;
      const b = new Array<V>(sizeOf(bshape));
      const stretched = new Array<V>(n);
      for (let e = 0; e < n; e++) {
        const idx = unravel(e, shape);
        idx[k] = 0;
        const first = values[ravel(idx, shape)]!;
        b[ravel(idx, bshape)] = first;
        stretched[e] = first;
      }
      const base = make(b, bshape);
      const a = nb.broadcastTo(base, shape) as nb.NDArray;
      return { array: a, values: stretched, kind, dispose: () => base.dispose() };
    }
  }
}
