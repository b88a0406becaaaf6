/**
 * Generalized ufuncs (NumPy's gufuncs: `matmul`, `vecdot`; later `guvectorize` kernels):
 * the call protocol, shared by every gufunc.
 *
 * `g(x1, x2, { out, casting, dtype, signature, axes, axis, keepdims })`:
 *   1. split inputs and options (`where` is refused, as in NumPy); classify inputs (arrays
 *      or weak JS scalars);
 *   2. pick the loop (dispatch.ts, 'uniform' resolver: resultType of the inputs, weak
 *      scalars included, as NumPy's matmul/vecdot type resolver); then, as NumPy orders its
 *      checks: input and output castability under `casting`, weak scalars to 0-d arrays of
 *      the loop dtype (an int that does not fit raises), core dims;
 *   3. core dims (gufunc-signature.ts): optional dims missing from short operands are
 *      dropped (matmul's 1-D operands), `axes`/`axis` move core dims last (views, no
 *      copies), every operand's trailing dims bind the signature's dims (ShapeError
 *      `E_SHAPE_CORE` naming the dim, operand and sizes);
 *   4. the leading (loop, "batch") dims broadcast; `out` must have exactly the loop shape
 *      followed by its core dims;
 *   5. one Wasm call runs the kernel over all loop dims: the plan holds the loop dims
 *      (simplified: size-1 dims dropped, mergeable dims merged) as the outer dims, and a
 *      core block holds the core dims' sizes and every operand's core byte strides, so the
 *      kernel reads any layout (transposed and negative-stride views need no copies);
 *   6. inputs that overlap an output are copied first (a kernel reads its inputs while it
 *      writes its outputs, so even exact aliasing is unsafe); an output of another dtype
 *      than the loop's is computed into a temporary and cast into `out`.
 * The kernel runner and the loops come from the gufunc's spec, so built-in kernels
 * (src/builtins/gufuncs.ts) and compiled ones share this file.
 */
import { flagOption } from '../util/options.js';
import { assertCanCast, normalizeCasting, type Casting } from '../dtype/casting.js';
import { DTYPES, type DType, type Scalar } from '../dtype/dtypes.js';
import { checkWeakIntFits } from '../dtype/promotion.js';
import { broadcastShapes, broadcastStrides } from '../broadcast/broadcast-shapes.js';
import { formatShape, normalizeAxis } from '../ndarray/layout.js';
import { simplifyPlan } from '../ndarray/iteration-plan.js';
import type { LoopRecord } from './loop-record.js';
import { copyLayout } from '../ndarray/copy.js';
import { empty, full } from '../ndarray/creation.js';
import { isNDArray, NDArray } from '../ndarray/ndarray.js';
import { overlaps, stage, writePlan, type HeapView, type Operand } from '../ndarray/operand.js';
import { runtime, SCRATCH_BYTES } from '../runtime/runtime.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { classify, fixedSignature, outList, scalarOperand, splitArgs } from './call.js';
import { resolveLoop, type UfuncDispatch, type InputKind } from './dispatch.js';
import { checkAlive } from './execute.js';
import { defineUfuncAttributes } from './attributes.js';
import {
  bindCoreSizes, coreLayout, parseGufuncSignature, type CoreLayout, type GufuncSignature,
} from './gufunc-signature.js';
import type { UfuncAttributes, UfuncInput, UfuncOptions } from './types.js';

/** One inner loop of a gufunc: its kernel id and dtypes. */
export interface GufuncLoop {
  /** Kernel id passed to the spec's runner. */
  readonly id: number;
  /** `'float64,float64->float64'`. */
  readonly types: string;
  readonly ins: readonly DType[];
  readonly outs: readonly DType[];
}

/** Keyword options of a gufunc call: the ufunc options (but `where`) plus NumPy's axes options. */
export interface GufuncOptions extends Omit<UfuncOptions, 'where'> {
  /**
   * Per operand (inputs, then outputs; outputs without core dims may be left out), the axes
   * holding its core dims, in signature order; an integer for an operand with one core dim.
   * Default: the last axes. `matmul(a, b, { axes: [[0, 1], [0, 1], [0, 1]] })`.
   */
  axes?: readonly (number | readonly number[])[];
  /** For gufuncs whose operands have one shared core dim or none (vecdot): its axis. */
  axis?: number;
  /** Keep the reduced core dims in the outputs as size-1 dims (signatures like `(n),(n)->()`). */
  keepdims?: boolean;
}

/** A gufunc with one output: `nb.matmul(a, b, options?)`. */
export interface Gufunc extends UfuncAttributes {
  (...args: Array<UfuncInput | GufuncOptions>): NDArray;
}

/** A gufunc with several outputs: returns one array per output. */
export interface GufuncN extends UfuncAttributes {
  (...args: Array<UfuncInput | GufuncOptions>): NDArray[];
}

/** What a gufunc is made from. */
export interface GufuncSpec {
  /** NumPy's name (error messages start with it). */
  name: string;
  nin: number;
  nout: number;
  /** Core signature, e.g. `'(n?,k),(k,m?)->(n?,m?)'` (gufunc-signature.ts grammar). */
  signature: string;
  /** Loops in dispatch order. */
  loops: readonly GufuncLoop[];
  /**
   * Run `loop`'s kernel over a gufunc plan (address `plan`) with a core block (address
   * `core`); layouts in asm/index.ts's header. Called once per gufunc call.
   */
  run(loop: GufuncLoop, plan: number, core: number): void;
  /** Bytes of scratch the kernel wants for these core sizes (by distinct dim); 0 or absent: none. */
  workspace?(loop: GufuncLoop, sizes: readonly number[]): number;
  /** Sizes of (output-only) core dims fixed by the gufunc itself, by dim name. */
  knownSizes?: Readonly<Record<string, number>>;
  /** Loop resolver (default 'uniform', as NumPy's matmul/vecdot); guvectorize uses 'declared' (its signatures in order). */
  resolver?: 'uniform' | 'linear' | 'declared';
  /** The `.identity` attribute (default null); NumPy's methods refuse gufuncs whatever it is. */
  identity?: Scalar | null;
  /**
   * With no outputs (`nout` 0, Numba's layout `'(x,y),(x,y),(x,y)'`): the inputs the kernel
   * writes in place. Each must be an NDArray of its loop dtype, writeable and not broadcast
   * along the loop dims (E_VALUE_INPLACE otherwise: a cast copy or a repeated element would
   * take the writes); the call returns undefined.
   */
  inPlace?: readonly number[];
}

const OPTION_KEYS = new Set(['out', 'casting', 'dtype', 'signature', 'axes', 'axis', 'keepdims']);

/** A gufunc prepared for calls: its spec, parsed signature and dispatch record. */
interface PreparedGufunc {
  spec: GufuncSpec;
  sig: GufuncSignature;
  dispatch: UfuncDispatch;
}

function splitGufuncArgs(t: PreparedGufunc, args: readonly unknown[]): [UfuncInput[], GufuncOptions] {
  return splitArgs<GufuncOptions>(t.spec.name, t.spec.nin, args, OPTION_KEYS, (k) => {
    if (k === 'where') {
      throw new ValueError('E_VALUE_OPTION', `ufunc '${t.spec.name}' is a generalized ufunc (signature ${t.sig.text}): where= is not supported (as in NumPy)`);
    }
  });
}


/**
 * Per operand, the axes holding its core dims (normalized, in signature order), or null for
 * "the trailing ones", from `axes=` / `axis=`.
 */
function coreAxes(
  t: PreparedGufunc, layout: CoreLayout, ndims: readonly (number | null)[], opts: GufuncOptions,
): (number[] | null)[] {
  const { sig } = t;
  const { name } = t.spec;
  const nargs = sig.nin + sig.nout;
  const keep = flagOption(opts.keepdims, `ufunc '${name}'`, 'keepdims');
  // With keepdims an output's kept dims sit where the inputs' core dims are.
  const countOf = (k: number) => (keep && k >= sig.nin ? layout.coreNdim[0]! : layout.coreNdim[k]!);
  if (opts.axes !== undefined && opts.axes !== null) {
    if (opts.axis !== undefined && opts.axis !== null) {
      throw new ValueError('E_VALUE_AXES', `ufunc '${name}': cannot specify both 'axis' and 'axes'`);
    }
    if (!Array.isArray(opts.axes)) throw new ValueError('E_VALUE_AXES', `ufunc '${name}': axes= must be a list with one entry per operand`);
    const outputsScalar = sig.operands.slice(sig.nin).every((o) => o.length === 0) && !keep;
    if (opts.axes.length !== nargs && !(outputsScalar && opts.axes.length === sig.nin)) {
      throw new ValueError(
        'E_VALUE_AXES',
        `ufunc '${name}': axes= should be a list with an entry for all ${nargs} arguments` +
          (outputsScalar ? ` (or its ${sig.nin} inputs)` : '') + `, got ${opts.axes.length}`,
      );
    }
    return ndims.map((ndim, k) => {
      const entry = opts.axes![k];
      const count = countOf(k);
      if (entry === undefined) return count === 0 ? [] : null;
      const list = typeof entry === 'number' ? [entry] : Array.isArray(entry) ? [...entry] : undefined;
      if (list === undefined || list.some((a) => !Number.isInteger(a))) {
        throw new ValueError('E_VALUE_AXES', `ufunc '${name}': axes[${k}] must be an integer or a list of integers`);
      }
      if (typeof entry === 'number' && count !== 1) {
        throw new ValueError('E_VALUE_AXES', `ufunc '${name}': axes[${k}] is an integer but operand ${k} has ${count} core dimensions`);
      }
      if (list.length !== count) {
        throw new ValueError(
          'E_VALUE_AXES', `ufunc '${name}': axes[${k}] should have ${count} entries (the operand's core dimensions), got ${list.length}`,
        );
      }
      if (ndim === null) return list; // normalized once the output's ndim is known
      const norm = list.map((a) => normalizeAxis(a, ndim));
      if (new Set(norm).size !== norm.length) throw new ValueError('E_VALUE_AXES', `ufunc '${name}': axes[${k}] repeats an axis`);
      return norm;
    });
  }
  if (opts.axis !== undefined && opts.axis !== null) {
    const axis = opts.axis;
    if (!Number.isInteger(axis)) throw new ValueError('E_VALUE_AXES', `ufunc '${name}': axis= must be an integer`);
    const used = sig.operands.flat();
    const oneDim = sig.operands.every((o) => o.length <= 1) && new Set(used).size === 1;
    if (!oneDim) {
      throw new ValueError(
        'E_VALUE_AXES',
        `ufunc '${name}': axis= needs a signature whose operands have one shared core dimension or none; ` +
          `${sig.text} does not (use axes=)`,
      );
    }
    return ndims.map((ndim, k) => {
      if (countOf(k) === 0) return [];
      return ndim === null ? [axis] : [normalizeAxis(axis, ndim)];
    });
  }
  return ndims.map(() => null);
}

/** View of `a` with `axes` moved to the end, in that order. */
function coreLast(a: NDArray, axes: readonly number[] | null): NDArray {
  if (axes === null || axes.length === 0) return a;
  const rest = [...a.shape.keys()].filter((d) => !axes.includes(d));
  const perm = [...rest, ...axes];
  return perm.every((p, i) => p === i) ? a : a.transpose(perm);
}

/** The inverse of coreLast for an array of `ndim` dims whose last axes.length dims go to `axes`. */
function coreBack(a: NDArray, axes: readonly number[]): NDArray {
  const ndim = a.ndim;
  const norm = axes.map((x) => normalizeAxis(x, ndim));
  const rest = [...Array(ndim).keys()].filter((d) => !norm.includes(d));
  const perm = Array<number>(ndim);
  // Result axis norm[j] is a's axis (ndim - axes.length + j); the other result axes take a's leading axes in order.
  norm.forEach((d, j) => (perm[d] = ndim - norm.length + j));
  rest.forEach((d, j) => (perm[d] = j));
  return perm.every((p, i) => p === i) ? a : a.transpose(perm);
}

function same(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The first `n` entries of `a`. (NDArray shapes and strides are frozen arrays, whose
 * `slice()` V8 runs ~15x slower than a loop: measured 160 vs 11 ns.)
 */
function head(a: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(a[i]!);
  return out;
}

/** The resolved loop of a call, and its inputs as arrays (JS scalars made 0-d arrays of the loop's dtype). */
interface ResolvedCall {
  loop: GufuncLoop;
  given: NDArray[];
  /** The 0-d arrays made for scalar inputs, freed after the call. */
  scalars: NDArray[];
}

/** Loop resolution and the casting checks of every operand, as a ufunc call does them. */
function resolveGufuncCall(t: PreparedGufunc, inputs: readonly UfuncInput[], outs: readonly (NDArray | null)[], opts: GufuncOptions, casting: Casting): ResolvedCall {
  const { name, nin, nout } = t.spec;
  const classified = inputs.map(classify);
  const kinds: InputKind[] = [];
  for (const c of classified) kinds.push(c.kind);
  const loop = resolveLoop(t.dispatch, kinds, fixedSignature(nin, nout, opts), casting) as unknown as GufuncLoop;
  for (let i = 0; i < nin; i++) {
    const a = classified[i]!.array;
    if (a !== undefined && a.dtype !== loop.ins[i]) assertCanCast(a.dtype, loop.ins[i]!, casting, `ufunc '${name}' input ${i}`);
  }
  for (let k = 0; k < nout; k++) {
    const o = outs[k]!;
    if (o !== null && o.dtype !== loop.outs[k]) assertCanCast(loop.outs[k]!, o.dtype, casting, `ufunc '${name}' output ${k}`);
  }
  const scalars: NDArray[] = [];
  const given: NDArray[] = [];
  for (let i = 0; i < nin; i++) {
    const c = classified[i]!;
    if (c.array !== undefined) given.push(c.array);
    else {
      const x = scalarOperand(c.scalar!, loop.ins[i]!);
      scalars.push(x);
      given.push(x);
    }
  }
  return { loop, given, scalars };
}

/** keepdims=true needs inputs with equal numbers of core dims and scalar outputs (NumPy's rule). */
function checkKeepdims(t: PreparedGufunc): void {
  const { sig } = t;
  const { name, nin } = t.spec;
  const c0 = sig.operands[0]!.length;
  if (!sig.operands.slice(0, nin).every((o) => o.length === c0) || !sig.operands.slice(nin).every((o) => o.length === 0)) {
    throw new ValueError(
      'E_VALUE_KEEPDIMS',
      `ufunc '${name}': keepdims=true needs inputs with equal numbers of core dimensions and outputs without any; ` +
        `signature ${sig.text} has not`,
    );
  }
}

/** Where the core dims of every operand are, and the operands viewed with them last. */
interface CorePlacement {
  layout: CoreLayout;
  /** Per operand, the axes of its core dims (from axes=/axis=), or null when they are the trailing ones. */
  axes: (number[] | null)[] | null;
  ins: NDArray[];
  /** The given outputs viewed with their core dims last (under keepdims: without the kept size-1 dims). */
  outViews: (NDArray | null)[];
}

/**
 * Core dims: missing optional dims, axes=/axis=, and the operands viewed with core dims last.
 * Under keepdims outputs have no core dims, so their ndim never drops an optional dim.
 */
function placeCoreDims(t: PreparedGufunc, given: NDArray[], outs: readonly (NDArray | null)[], opts: GufuncOptions, keep: boolean): CorePlacement {
  const { name, nin } = t.spec;
  const ndims: (number | null)[] = [];
  for (const a of given) ndims.push(a.ndim);
  for (const o of outs) ndims.push(o === null ? null : o.ndim);
  const layout = coreLayout(name, t.sig, ndims);
  const hasAxes = (opts.axes !== undefined && opts.axes !== null) || (opts.axis !== undefined && opts.axis !== null);
  const axes = hasAxes ? coreAxes(t, layout, ndims, opts) : null;
  const ins = axes === null ? given : given.map((a, i) => coreLast(a, axes[i]!));
  const outViews = axes === null && !keep ? [...outs] : outs.map((o, k) => {
    if (o === null) return null;
    const v = coreLast(o, axes === null ? null : axes[nin + k]!);
    if (!keep) return v;
    const c = layout.coreNdim[0]!;
    let ok = v.ndim >= c;
    for (let d = v.ndim - c; ok && d < v.ndim; d++) ok = v.shape[d] === 1;
    if (!ok) {
      throw new ShapeError(
        'E_SHAPE_OUT',
        `${name}: with keepdims=true, out[${k}] must keep the ${c} reduced dimension${c === 1 ? '' : 's'} as size 1, got shape ${formatShape(o.shape)}`,
      );
    }
    return c === 0 ? v : v.slice(...Array<string>(v.ndim - c).fill(':'), ...Array<number>(c).fill(0));
  });
  return { layout, axes, ins, outViews };
}

/** The core sizes, the broadcast loop shape and each output's shape; a given out of another shape is E_SHAPE_OUT. */
function callShapes(t: PreparedGufunc, p: CorePlacement, outs: readonly (NDArray | null)[]): { sizes: number[]; loopShape: number[]; outShapes: number[][] } {
  const { spec, sig } = t;
  const { name, nin, nout } = spec;
  const { layout, ins, outViews } = p;
  const nargs = nin + nout;
  const shapes: (readonly number[] | null)[] = [];
  for (const a of ins) shapes.push(a.shape);
  for (const o of outViews) shapes.push(o === null ? null : o.shape);
  const sizes = bindCoreSizes(name, sig, layout, shapes, spec.knownSizes);
  const loopShapes: number[][] = [];
  for (let k = 0; k < nargs; k++) {
    const shape = shapes[k];
    if (shape !== null && shape !== undefined) loopShapes.push(head(shape, shape.length - layout.coreNdim[k]!));
  }
  const loopShape = broadcastShapes(...loopShapes);
  const outShapes: number[][] = [];
  for (let k = nin; k < nargs; k++) {
    const shape = [...loopShape];
    const own = sig.operands[k]!;
    for (let j = 0; j < own.length; j++) if (!layout.missing[own[j]!]) shape.push(sizes[own[j]!]!);
    outShapes.push(shape);
  }
  for (let k = 0; k < nout; k++) {
    const o = outViews[k]!;
    if (o !== null && !same(o.shape, outShapes[k]!)) {
      throw new ShapeError(
        'E_SHAPE_OUT',
        `${name}: out[${k}] has shape ${formatShape(outs[k]!.shape)}, but the result has shape ${formatShape(outShapes[k]!)} ` +
          `(loop dimensions ${formatShape(loopShape)}, then the core dimensions of signature ${sig.text})`,
      );
    }
  }
  return { sizes, loopShape, outShapes };
}

/**
 * Runs the kernel with operands in the loop's dtypes: inputs cast as needed, outputs the
 * loop writes (a given out of the loop's dtype directly, else a temporary cast into it
 * afterwards). Returns the fresh arrays made for outputs that were not given.
 */
function runCast(
  t: PreparedGufunc, loop: GufuncLoop, p: CorePlacement, shapes: { sizes: number[]; loopShape: number[]; outShapes: number[][] },
): (NDArray | null)[] {
  const { nin, nout } = t.spec;
  const { ins, outViews } = p;
  const castIns: NDArray[] = [];
  for (let i = 0; i < nin; i++) castIns.push(ins[i]!.dtype === loop.ins[i] ? ins[i]! : ins[i]!.astype(loop.ins[i]!));
  const fresh: (NDArray | null)[] = [];
  const written: NDArray[] = [];
  for (let k = 0; k < nout; k++) {
    const o = outViews[k]!;
    const f = o === null ? empty(shapes.outShapes[k]!, loop.outs[k]!) : null;
    fresh.push(f);
    written.push(f ?? (o!.dtype === loop.outs[k] ? o! : empty(o!.shape, loop.outs[k]!)));
  }
  try {
    runKernel(t, loop, castIns, written, shapes.loopShape, shapes.sizes, p.layout);
    for (let k = 0; k < nout; k++) {
      const o = outViews[k]!;
      if (o === null || written[k] === o) continue;
      const src = written[k]!.astype(o.dtype);
      copyLayout(operandFull(src), operandFull(o));
      src.dispose();
    }
  } catch (e) {
    for (const f of fresh) f?.dispose();
    throw e;
  } finally {
    for (let i = 0; i < nin; i++) if (castIns[i] !== ins[i]) castIns[i]!.dispose();
    for (let k = 0; k < nout; k++) if (written[k] !== outViews[k] && written[k] !== fresh[k]) written[k]!.dispose();
  }
  return fresh;
}

/** The results: given outs as they are; fresh ones reshaped for keepdims and moved back to their axes=. */
function results(t: PreparedGufunc, p: CorePlacement, outs: readonly (NDArray | null)[], fresh: readonly (NDArray | null)[], keep: boolean): NDArray[] {
  const { nin, nout } = t.spec;
  const { axes, layout } = p;
  const res: NDArray[] = [];
  for (let k = 0; k < nout; k++) {
    const o = outs[k]!;
    if (o !== null) {
      res.push(o);
      continue;
    }
    let r = fresh[k]!;
    const ax = axes === null ? null : axes[nin + k];
    if (keep) {
      const c = layout.coreNdim[0]!;
      r = r.reshape([...r.shape, ...Array<number>(c).fill(1)]);
      const back = ax ?? (axes === null ? null : axes[0]);
      if (back !== null && back !== undefined && c > 0) r = coreBack(r, back);
    } else if (ax !== null && ax !== undefined && ax.length > 0) {
      r = coreBack(r, ax);
    }
    res.push(r);
  }
  return res;
}

/**
 * Call a gufunc: resolve the loop, place the core dims, check the shapes, run, shape the results.
 *
 * @example
 * ```ts
 * callGufunc(prepared, [a, b, { out: c }]);
 * ```
 */
function callGufunc(t: PreparedGufunc, args: readonly unknown[]): NDArray | NDArray[] {
  const [inputs, opts] = splitGufuncArgs(t, args);
  const casting: Casting = normalizeCasting(opts.casting ?? 'same_kind');
  const outs = outList(t.spec.name, t.spec.nout, opts.out);
  const { loop, given, scalars } = resolveGufuncCall(t, inputs, outs, opts, casting);
  try {
    const keep = flagOption(opts.keepdims, `ufunc '${t.spec.name}'`, 'keepdims');
    if (keep) checkKeepdims(t);
    const placed = placeCoreDims(t, given, outs, opts, keep);
    const shapes = callShapes(t, placed, outs);
    if (t.spec.inPlace !== undefined) checkInPlace(t, inputs, loop, placed, shapes.loopShape);
    const fresh = runCast(t, loop, placed, shapes);
    const r = results(t, placed, outs, fresh, keep);
    if (t.spec.nout === 0) return undefined as unknown as NDArray;
    return t.spec.nout === 1 ? r[0]! : r;
  } finally {
    for (const x of scalars) x.dispose();
  }
}

/**
 * The operands a no-output gufunc writes in place must take the writes themselves: NDArrays
 * of the loop's dtype (a cast copy, a JS list or scalar would receive the results and lose
 * them, as NumPy and Numba silently do), writeable, and not broadcast along the loop dims
 * (every loop index would write the same elements).
 */
function checkInPlace(t: PreparedGufunc, inputs: readonly UfuncInput[], loop: GufuncLoop, p: CorePlacement, loopShape: readonly number[]): void {
  const { name } = t.spec;
  for (const k of t.spec.inPlace!) {
    const raw = inputs[k];
    const where = `ufunc '${name}' writes argument ${k} in place (layout ${t.sig.text} has no outputs)`;
    const alternative = `, or give the layout an output ('...->(...)') and use the array it returns`;
    if (!isNDArray(raw)) {
      throw new ValueError('E_VALUE_INPLACE', `${where}: pass an NDArray of dtype ${loop.ins[k]} there, not a JS value (the results would be lost)${alternative}`);
    }
    if (raw.dtype !== loop.ins[k]) {
      throw new ValueError(
        'E_VALUE_INPLACE',
        `${where}: it is ${raw.dtype} but the loop ${loop.types} writes ${loop.ins[k]}; a cast copy would take the results and lose them (Numba loses them silently): pass a ${loop.ins[k]} array${alternative}`,
      );
    }
    if (!raw.writeable) throw new ValueError('E_VALUE_INPLACE', `${where}: the array is read-only`);
    const a = p.ins[k]!;
    const lead = a.ndim - p.layout.coreNdim[k]!;
    if (lead !== loopShape.length || !same(head(a.shape, lead), loopShape)) {
      throw new ValueError(
        'E_VALUE_INPLACE',
        `${where}: its loop dimensions ${formatShape(head(a.shape, lead))} would be broadcast to ${formatShape(loopShape)}, so every result would be written over the same elements; give it the full loop shape`,
      );
    }
  }
}

function operandFull(a: NDArray): Operand {
  return { storage: a.storage, shape: [...a.shape], strides: [...a.strides], offset: a.offset };
}

/**
 * Run `loop`'s kernel once over all loop dims: operands (core dims last, of the loop's
 * dtypes) are staged in the heap, the plan of the loop dims and the core block are written
 * to the scratch block, and the spec's runner is called.
 */
function runKernel(
  t: PreparedGufunc, loop: GufuncLoop, ins: readonly NDArray[], outs: readonly NDArray[], loopShape: readonly number[],
  sizes: readonly number[], layout: CoreLayout,
): void {
  const { sig, spec } = t;
  const nin = ins.length;
  const ops = [...ins, ...outs];
  const nops = ops.length;
  // Element strides: loop dims broadcast to loopShape; core dims in signature order (0 when missing).
  const loopStrides: number[][] = [];
  const coreStrides: number[][] = [];
  const itemSizes: number[] = [];
  let coreWords = 3 + sizes.length;
  for (let k = 0; k < nops; k++) {
    const a = ops[k]!;
    const lead = a.ndim - layout.coreNdim[k]!;
    loopStrides.push(lead === loopShape.length && same(head(a.shape, lead), loopShape)
      ? head(a.strides, lead)
      : broadcastStrides(head(a.shape, lead), head(a.strides, lead), loopShape));
    const own = sig.operands[k]!;
    const cs: number[] = [];
    let axis = lead;
    for (let j = 0; j < own.length; j++) cs.push(layout.missing[own[j]!] ? 0 : a.strides[axis++]!);
    coreStrides.push(cs);
    coreWords += cs.length;
    itemSizes.push(DTYPES[a.dtype].itemSize);
  }
  const plan = simplifyPlan(loopShape, loopStrides, nin);
  if (plan.size === 0) return checkAlive(ops);
  const full = ops.map(operandFull);
  const { heap } = runtime();
  const views: HeapView[] = [];
  let work = 0;
  let coreBlock = 0;
  try {
    for (let k = 0; k < nops; k++) {
      let copyFirst = false;
      for (let q = nin; k < nin && q < nops && !copyFirst; q++) copyFirst = overlaps(full[k]!, full[q]!);
      views.push(stage(full[k]!, copyFirst));
    }
    const workBytes = spec.workspace === undefined ? 0 : Math.max(0, Math.ceil(spec.workspace(loop, sizes)));
    if (workBytes > 0) work = heap.alloc(workBytes);
    const ndim = plan.shape.length;
    const planBytes = 4 * (1 + ndim + nops * (1 + ndim));
    const coreAt = (planBytes + 15) & ~15;
    if (coreAt + 4 * coreWords > SCRATCH_BYTES) coreBlock = heap.alloc(4 * coreWords);
    const bases: number[] = [];
    for (const v of views) bases.push(v.base);
    const planPtr = writePlan(plan, bases, itemSizes);
    const corePtr = coreBlock !== 0 ? coreBlock : planPtr + coreAt;
    const words = new Int32Array(runtime().memory.buffer, corePtr, coreWords);
    let w = 0;
    words[w++] = sizes.length;
    words[w++] = work;
    words[w++] = work === 0 ? 0 : workBytes;
    for (const x of sizes) words[w++] = x;
    for (let k = 0; k < nops; k++) for (const x of coreStrides[k]!) words[w++] = x * itemSizes[k]!;
    spec.run(loop, planPtr, corePtr);
  } finally {
    // Outputs, and inputs a no-output kernel writes, are written back (js storage is staged).
    for (let k = 0; k < views.length; k++) views[k]!.release(k >= nin || (spec.inPlace?.includes(k) ?? false));
    if (work !== 0) heap.free(work);
    if (coreBlock !== 0) heap.free(coreBlock);
  }
}

/** A method NumPy refuses on gufuncs. */
function refused(name: string, method: string): () => never {
  return () => {
    throw new ValueError('E_VALUE_METHOD', `method ${method} is not allowed in ufunc with non-trivial signature (${name} is a generalized ufunc)`);
  };
}

/**
 * A callable gufunc for `spec`, with NumPy's attributes (`signature` is the core signature).
 * The ufunc methods (`reduce`, `accumulate`, `reduceat`, `outer`, `at`) throw, as NumPy's do
 * for gufuncs.
 *
 * @throws ValueError (`E_VALUE_SIGNATURE`) when the signature does not parse or does not
 *   have `nin` inputs and `nout` outputs.
 * @example
 * ```ts
 * const vecdot = createGufunc({
 *   name: 'vecdot', nin: 2, nout: 1, signature: '(n),(n)->()', loops,
 *   run: (loop, plan, core) => runtime().loops.gufunc(loop.id, plan, core),
 * });
 * vecdot(nb.ones([4, 3]), nb.ones([3])).shape; // [4]
 * ```
 */
export function createGufunc(spec: GufuncSpec): Gufunc | GufuncN {
  const sig = parseGufuncSignature(spec.signature, { nin: spec.nin, nout: spec.nout });
  if (spec.inPlace !== undefined && spec.nout !== 0) throw new TypeError(`createGufunc '${spec.name}': inPlace is for gufuncs without outputs`);
  const dispatch: UfuncDispatch = {
    name: spec.name,
    nin: spec.nin,
    // dispatch.ts reads only id, types, ins and outs of a loop record.
    loops: spec.loops as unknown as readonly LoopRecord[],
    resolver: spec.resolver ?? 'uniform',
  };
  const prepared: PreparedGufunc = { spec, sig, dispatch };
  const f = (...args: unknown[]) => callGufunc(prepared, args);
  const types = Object.freeze(spec.loops.map((l) => l.types));
  defineUfuncAttributes(f, { name: spec.name, nin: spec.nin, nout: spec.nout, types, identity: spec.identity ?? null, signature: sig.text });
  Object.defineProperties(f, {
    reduce: { value: refused(spec.name, 'reduce') },
    accumulate: { value: refused(spec.name, 'accumulate') },
    reduceat: { value: refused(spec.name, 'reduceat') },
    outer: { value: refused(spec.name, 'outer') },
    at: { value: refused(spec.name, 'at') },
  });
  return f as unknown as Gufunc | GufuncN;
}
