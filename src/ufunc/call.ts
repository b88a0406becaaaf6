/**
 * The ufunc call protocol (`nb.add(x1, x2, { out, where, casting, dtype, signature })`):
 *   1. split inputs from the options object; classify inputs (array dtype or weak scalar);
 *   2. pick the loop (dispatch.ts);
 *   3. bring inputs to the loop's dtypes: weak scalars become 0-d arrays (an integer that
 *      does not fit is an error, as in NumPy 2), arrays are cast under `casting`;
 *   4. broadcast inputs with the given outputs; outputs must have the broadcast shape;
 *   5. run the loop (execute.ts) straight into `out` when its dtype is the loop's and there
 *      is no mask; otherwise into a temporary that is then cast and/or copied where `where`
 *      is true.
 */
import { assertCanCast, normalizeCasting, type Casting } from '../dtype/casting.js';
import { DTYPES, normalizeDType, type DType } from '../dtype/dtypes.js';
import { checkWeakIntFits } from '../dtype/promotion.js';
import { broadcastShapes, formatShape } from '../broadcast/broadcast-shapes.js';
import { copyLayout } from '../ndarray/copy.js';
import { asarray, empty, full, zeros } from '../ndarray/creation.js';
import { NDArray } from '../ndarray/ndarray.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { resolveLoop, type DispatchTarget, type FixedSignature, type InputKind } from './dispatch.js';
import { copyWhere, operandOf, runLoop } from './execute.js';
import type { UfuncInput, UfuncOptions } from './types.js';

const OPTION_KEYS = new Set(['out', 'where', 'casting', 'dtype', 'signature']);

/** True for the trailing options object (a plain object, not an array or NDArray). */
export function isOptions(x: unknown): x is UfuncOptions {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** Split `[...inputs, options?]`. */
export function splitArgs(name: string, nin: number, args: readonly unknown[]): [UfuncInput[], UfuncOptions] {
  const last = args[args.length - 1];
  const opts = isOptions(last) ? last : {};
  const inputs = (isOptions(last) ? args.slice(0, -1) : args.slice()) as UfuncInput[];
  for (const k of Object.keys(opts)) {
    if (!OPTION_KEYS.has(k)) {
      throw new ValueError('E_VALUE_OPTION', `ufunc '${name}' got an unknown option '${k}' (options: ${[...OPTION_KEYS].join(', ')})`);
    }
  }
  if (inputs.length !== nin) {
    throw new ValueError(
      'E_VALUE_ARGCOUNT',
      `ufunc '${name}' takes ${nin} input${nin > 1 ? 's' : ''} (plus an options object), got ${inputs.length}`,
    );
  }
  return [inputs, opts];
}

/** Classify one input: a weak scalar stays a JS value; anything else becomes an NDArray. */
export function classify(x: UfuncInput): { kind: InputKind; array?: NDArray; scalar?: number | bigint } {
  if (typeof x === 'number') return { kind: Number.isInteger(x) ? 'weak-int' : 'weak-float', scalar: x };
  if (typeof x === 'bigint') return { kind: 'weak-int', scalar: x };
  const array = asarray(x);
  return { kind: array.dtype, array };
}

/** The fixed loop dtypes requested by `signature=` / `dtype=`, or undefined. */
export function fixedSignature(nin: number, nout: number, opts: UfuncOptions): FixedSignature | undefined {
  if (opts.signature !== undefined && opts.signature !== null) {
    let parts: (string | null)[];
    if (typeof opts.signature === 'string') {
      const [i, o] = opts.signature.split('->');
      if (o === undefined) throw new ValueError('E_VALUE_SIGNATURE', `signature '${opts.signature}' must look like 'float64,float64->float64'`);
      parts = [...i!.split(','), ...o.split(',')].map((s) => s.trim());
    } else parts = [...opts.signature];
    if (parts.length !== nin + nout) {
      throw new ValueError('E_VALUE_SIGNATURE', `signature must name ${nin + nout} dtypes (inputs then outputs), got ${parts.length}`);
    }
    return parts.map((p) => (p === null || p === undefined ? null : normalizeDType(p)));
  }
  if (opts.dtype !== undefined && opts.dtype !== null) {
    const d = normalizeDType(opts.dtype);
    return [...Array<null>(nin).fill(null), ...Array<DType>(nout).fill(d)];
  }
  return undefined;
}

/** The `out` option as one entry per output. */
function outList(name: string, nout: number, out: UfuncOptions['out']): (NDArray | null)[] {
  if (out === undefined || out === null) return Array<null>(nout).fill(null);
  const list = out instanceof NDArray ? [out] : [...out];
  if (list.length !== nout) {
    throw new ValueError('E_VALUE_OUT', `ufunc '${name}' has ${nout} output${nout > 1 ? 's' : ''}; out= gave ${list.length}`);
  }
  return list.map((o, k) => {
    if (o === null || o === undefined) return null;
    if (!(o instanceof NDArray)) throw new ValueError('E_VALUE_OUT', `out[${k}] of ufunc '${name}' must be an NDArray`);
    if (!o.writeable) throw new ValueError('E_VALUE_READONLY', `out[${k}] of ufunc '${name}' is read-only (a broadcast view)`);
    return o;
  });
}

/** A weak scalar as a 0-d array of the loop's dtype (NumPy 2: an integer must fit). */
function scalarOperand(x: number | bigint, dtype: DType): NDArray {
  if (DTYPES[dtype].kind !== 'f' && (typeof x === 'bigint' || Number.isInteger(x))) checkWeakIntFits(x, dtype);
  return full([], DTYPES[dtype].kind === 'f' ? Number(x) : x, dtype);
}

/**
 * Call an elementwise ufunc.
 *
 * @example
 * ```ts
 * callUfunc(addTarget, 1, [a, b, { out: c }]);
 * ```
 */
export function callUfunc(t: DispatchTarget & { nout: number }, args: readonly unknown[]): NDArray | NDArray[] {
  const [inputs, opts] = splitArgs(t.name, t.nin, args);
  const casting: Casting = normalizeCasting(opts.casting ?? 'same_kind');
  const classified = inputs.map(classify);
  const outs = outList(t.name, t.nout, opts.out);
  const loop = resolveLoop(t, classified.map((c) => c.kind), fixedSignature(t.nin, t.nout, opts), casting);

  const ins = classified.map((c, i) => {
    const want = loop.ins[i]!;
    if (c.array === undefined) return scalarOperand(c.scalar!, want);
    if (c.array.dtype === want) return c.array;
    assertCanCast(c.array.dtype, want, casting, `ufunc '${t.name}' input ${i}`);
    return c.array.astype(want);
  });
  const shape = broadcastShapes(...ins.map((a) => a.shape), ...outs.filter((o) => o !== null).map((o) => o!.shape));
  outs.forEach((o, k) => {
    if (o === null) return;
    if (o.shape.length !== shape.length || o.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(
        'E_SHAPE_OUT',
        `non-broadcastable output operand with shape ${formatShape(o.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
      );
    }
    assertCanCast(loop.outs[k]!, o.dtype, casting, `ufunc '${t.name}' output ${k}`);
  });
  let mask: NDArray | undefined;
  if (opts.where !== undefined && opts.where !== true) {
    const w = asarray(opts.where);
    mask = w.dtype === 'bool' ? w : w.astype('bool');
    operandOf(mask, shape); // throws ShapeError if the mask does not broadcast
  }
  const targets = loop.outs.map((d, k) => {
    const o = outs[k];
    return o !== null && o !== undefined && o.dtype === d && mask === undefined ? o : empty(shape, d);
  });
  runLoop(loop.id, ins, targets, shape);
  const results = targets.map((tgt, k) => {
    const o = outs[k] ?? null;
    if (tgt === o) return o;
    if (o === null) {
      if (mask === undefined) return tgt;
      const fresh = zeros(shape, tgt.dtype);
      copyWhere(tgt, mask, fresh, shape);
      tgt.dispose();
      return fresh;
    }
    const src = tgt.dtype === o.dtype ? tgt : tgt.astype(o.dtype);
    if (mask !== undefined) copyWhere(src, mask, o, shape);
    else copyLayout(operandOf(src, shape), operandOf(o, shape));
    if (src !== tgt) src.dispose();
    tgt.dispose();
    return o;
  });
  ins.forEach((a, i) => {
    if (a !== classified[i]!.array) a.dispose();
  });
  return t.nout === 1 ? results[0]! : results;
}
