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
 * Three NumPy 2 rules need the inputs' values, not only their kinds, so they live here:
 *   - a call whose inputs are all JS scalars treats them as strong (`np.sqrt(2)` is
 *     float64, typed as `np.asarray(2)`: int64), not as weak scalars;
 *   - a comparison with a weak integer outside the array dtype's range compares exactly
 *     (`int8 < 300` is true) instead of raising: a loop where the value fits is used, or
 *     the float64 loop with the value as ±Infinity when no integer dtype holds it;
 *   - the logical ufuncs truth-test inputs that their exact loops do not take (through the
 *     bool loop, whatever the casting rule), as NumPy's logical promoter does.
 * A loop that reports an error by trapping (LoopRow.traps: integer power with a negative
 * exponent) raises that error as a ValueError.
 */
import { whereMask } from './where.js';
import { assertCanCast, normalizeCasting, type Casting } from '../dtype/casting.js';
import { DTYPES, normalizeDType, type DType } from '../dtype/dtypes.js';
import { checkWeakIntFits } from '../dtype/promotion.js';
import { broadcastShapes } from '../broadcast/broadcast-shapes.js';
import { formatShape } from '../ndarray/layout.js';
import { copyLayout } from '../ndarray/copy.js';
import { asarray, empty, full, zeros } from '../ndarray/creation.js';
import { NDArray } from '../ndarray/ndarray.js';
import { ShapeError, ValueError } from '../util/errors.js';
import type { LoopRecord } from './loop-record.js';
import { canCast } from '../dtype/casting.js';
import { inputFits, resolveLoop, type UfuncDispatch, type FixedSignature, type InputKind } from './dispatch.js';
import { copyWhere, operandOf, runLoop } from './execute.js';
import type { UfuncInput, UfuncOptions } from './types.js';
import { deviceTargetOf } from './targets.js';

const OPTION_KEYS = new Set(['out', 'where', 'casting', 'dtype', 'signature']);

/** True for the trailing options object (a plain object, not an array or NDArray). */
export function isOptions(x: unknown): x is UfuncOptions {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** Split `[...inputs, options?]`. */
export function splitArgs<O extends object = UfuncOptions>(
  name: string, nin: number, args: readonly unknown[], keys: ReadonlySet<string> = OPTION_KEYS,
  refuse?: (key: string) => void,
): [UfuncInput[], O] {
  const last = args[args.length - 1];
  const opts = (isOptions(last) ? last : {}) as O;
  const inputs = (isOptions(last) ? args.slice(0, -1) : [...args]) as UfuncInput[];
  for (const k of Object.keys(opts)) {
    refuse?.(k);
    if (!keys.has(k)) {
      throw new ValueError('E_VALUE_OPTION', `ufunc '${name}' got an unknown option '${k}' (options: ${[...keys].join(', ')})`);
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

/** The `out` option as one entry per output (shared with gufunc.ts). */
export function outList(name: string, nout: number, out: UfuncOptions['out']): (NDArray | null)[] {
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
export function scalarOperand(x: number | bigint, dtype: DType): NDArray {
  if (dtype === 'bool') return full([], x !== 0 && x !== 0n, 'bool'); // logical ufuncs: truth value
  if (DTYPES[dtype].kind !== 'f' && (typeof x === 'bigint' || Number.isInteger(x))) checkWeakIntFits(x, dtype);
  return full([], DTYPES[dtype].kind === 'f' ? Number(x) : x, dtype);
}

type Classified = ReturnType<typeof classify>;

/** True when weak integer `x` is a value of integer dtype `d`. */
function intFits(x: number | bigint, d: DType): boolean {
  const v = BigInt(x);
  return v >= BigInt(DTYPES[d].min) && v <= BigInt(DTYPES[d].max);
}

/**
 * A comparison whose weak integer does not fit the chosen loop's integer dtype: the first
 * loop that takes the strong inputs safely and holds the value (int8 < 300: int16;
 * int64 < 2**63: 'int64,uint64->bool'). A value outside int64 ∪ uint64 compares like
 * ±Infinity with every integer, so it becomes a weak float of that sign.
 */
function widenComparison(t: UfuncDispatch, classified: Classified[], loop: LoopRecord): LoopRecord {
  const misfit = classified.some(
    (c, i) => c.array === undefined && c.kind === 'weak-int' && DTYPES[loop.ins[i]!].kind !== 'f' && !intFits(c.scalar!, loop.ins[i]!),
  );
  if (!misfit) return loop;
  for (const c of classified) {
    if (c.kind !== 'weak-int' || c.array !== undefined) continue;
    const v = BigInt(c.scalar!);
    if (v > BigInt(DTYPES.uint64.max) || v < BigInt(DTYPES.int64.min)) {
      c.kind = 'weak-float';
      c.scalar = v > 0n ? Infinity : -Infinity;
    }
  }
  const wider = t.loops.find((l) =>
    l.ins.every((d, i) => {
      const c = classified[i]!;
      if (c.array !== undefined) return canCast(c.array.dtype, d, 'safe');
      return inputFits(c.kind, d, 'safe') && (c.kind !== 'weak-int' || DTYPES[d].kind === 'f' || intFits(c.scalar!, d));
    }),
  );
  return wider ?? loop;
}

/** Run the loop; a trap of a loop that reports errors by trapping becomes its ValueError. */
function runChecked(loop: LoopRecord, ins: NDArray[], outs: NDArray[], shape: number[]): void {
  if (loop.row.traps === undefined) return runLoop(loop.id, ins, outs, shape);
  try {
    runLoop(loop.id, ins, outs, shape);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw new ValueError(loop.row.traps.code, loop.row.traps.message);
    throw e;
  }
}

/** A ufunc call with its loop chosen: steps 1 and 2 of the protocol (see the file header). */
export interface ResolvedCall {
  readonly inputs: readonly UfuncInput[];
  readonly opts: UfuncOptions;
  readonly casting: Casting;
  /** Each input's kind, with the array it became (weak scalars stay JS values). */
  readonly classified: readonly Classified[];
  readonly outs: readonly (NDArray | null)[];
  readonly fixed: FixedSignature | undefined;
  readonly loop: LoopRecord;
}

/**
 * Steps 1 and 2 of a ufunc call (split the options, classify the inputs, choose the loop),
 * shared by the host path below and the targets that run calls on a device.
 *
 * @example
 * ```ts
 * const { loop, casting, outs } = resolveCall(u, [a, 2, { out }]);
 * ```
 */
export function resolveCall(t: UfuncDispatch & { nout: number }, args: readonly unknown[]): ResolvedCall {
  const [inputs, opts] = splitArgs(t.name, t.nin, args);
  const casting: Casting = normalizeCasting(opts.casting ?? 'same_kind');
  // Only JS scalars: strong, typed as np.asarray types them (NumPy: weak only next to arrays).
  const allScalars = inputs.every((x) => typeof x === 'number' || typeof x === 'bigint');
  const classified: Classified[] = inputs.map((x) => {
    if (!allScalars) return classify(x);
    const array = asarray(x);
    return { kind: array.dtype, array };
  });
  const outs = outList(t.name, t.nout, opts.out);
  const fixed = fixedSignature(t.nin, t.nout, opts);
  let loop = resolveLoop(t, classified.map((c) => c.kind), fixed, casting);
  if (t.resolver === 'comparison' && fixed === undefined) loop = widenComparison(t, classified, loop);
  return { inputs, opts, casting, classified, outs, fixed, loop };
}

/**
 * Call an elementwise ufunc.
 *
 * @example
 * ```ts
 * callUfunc(addDispatch, [a, b, { out: c }]);
 * ```
 */
export function callUfunc(t: UfuncDispatch & { nout: number }, args: readonly unknown[]): NDArray | NDArray[] {
  // An operand on a device (a gpu array): the target that owns the device runs the call.
  const device = deviceTargetOf(args);
  if (device?.callUfunc !== undefined) return device.callUfunc(t, args) as NDArray | NDArray[];
  const { opts, casting, classified, outs, fixed, loop } = resolveCall(t, args);
  // The logical promoter's bool loop truth-tests its inputs: no casting rule applies.
  const truthTest = t.resolver === 'logical' && fixed === undefined;

  const ins = classified.map((c, i) => {
    const want = loop.ins[i]!;
    if (c.array === undefined) {
      // A weak scalar of a higher kind than the loop's (a float into an integer loop, as
      // `dtype=` can ask for) is cast as its default dtype is: by the casting rule.
      const asDtype = c.kind === 'weak-float' ? 'float64' : 'int64';
      if (!(truthTest && want === 'bool') && DTYPES[want].kind !== 'f' && (c.kind === 'weak-float' || want === 'bool')) {
        assertCanCast(asDtype, want, casting, `ufunc '${t.name}' input ${i}`);
      }
      return scalarOperand(c.scalar!, want);
    }
    if (c.array.dtype === want) return c.array;
    if (!(truthTest && want === 'bool')) assertCanCast(c.array.dtype, want, casting, `ufunc '${t.name}' input ${i}`);
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
  const mask = whereMask(opts.where, `ufunc '${t.name}'`, false);
  if (mask !== undefined) operandOf(mask, shape); // throws ShapeError if the mask does not broadcast
  const targets = loop.outs.map((d, k) => {
    const o = outs[k];
    return o !== null && o !== undefined && o.dtype === d && mask === undefined ? o : empty(shape, d);
  });
  runChecked(loop, ins, targets, shape);
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
