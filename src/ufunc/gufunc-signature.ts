/**
 * Core signatures of generalized ufuncs (NumPy's gufunc "layout", Numba's guvectorize
 * layout): parsing, and binding core dimensions to operand shapes.
 *
 * Grammar (NumPy's `_parse_signature`; whitespace is allowed between any two tokens):
 * ```text
 * signature ::= operands "->" operands
 * operands  ::= operand ("," operand)*
 * operand   ::= "(" [dim ("," dim)*] ")"          -- "()" is a scalar operand
 * dim       ::= (name | size) ["?"]               -- "?" directly after the dim
 * name      ::= [A-Za-z_][A-Za-z0-9_]*            -- a named dim, e.g. "n"
 * size      ::= [0-9]+ (> 0, < 2^31)              -- a frozen dim of that size, e.g. "3"
 * ```
 * With `expect.nout === 0` the signature may also be only operands without "->" (Numba's
 * guvectorize layout with no outputs, `'(x,y),(x,y),(x,y)'`: its kernel writes an argument
 * in place); its `text` is then written without the arrow, as Numba's `signature` shows it.
 * A name may repeat (in one operand too: `(m,m)->()`); every use of a name is the same
 * dimension, so a "?" (optional dim, NumPy's matmul `(n?,k),(k,m?)->(n?,m?)`) must be on
 * all of its uses or none. A dim that appears only in outputs is an *output-only* dim: its
 * size must come from a given `out` array (or the caller's `known` sizes).
 *
 * Binding (NumPy's `_validate_num_dims` + `_get_coredim_sizes`, in that order):
 *   1. an operand with fewer dims than its core dims drops its optional dims, first one
 *      first, until it has enough; a dropped dim is *missing* everywhere (size 1, and absent
 *      from every operand's shape: matmul's 1-D operands);
 *   2. the trailing dims of each operand are its core dims; equal names must have equal
 *      sizes (and frozen dims their size);
 *   3. every output dim must then have a size.
 * Errors are ShapeErrors with NumPy's wording (plus the dim's name): `E_SHAPE_CORE_NDIM`,
 * `E_SHAPE_CORE`, `E_SHAPE_CORE_UNSPECIFIED`. Signature syntax errors are ValueErrors
 * (`E_VALUE_SIGNATURE`) with the 0-based position of the problem, as NumPy reports it.
 */
import { ShapeError, ValueError } from '../util/errors.js';

/** One distinct core dimension of a signature. */
export interface CoreDim {
  /** The name as written (`'n'`), or the frozen size in decimal (`'3'`). */
  readonly name: string;
  /** Size of a frozen dim, null for a named dim. */
  readonly frozen: number | null;
  /** Marked `?`: may be missing (then size 1 and absent from the operands' shapes). */
  readonly optional: boolean;
  /** Appears in no input: its size must come from an output array (or a known size). */
  readonly outputOnly: boolean;
}

/** A parsed core signature. */
export interface GufuncSignature {
  /** The signature without whitespace, e.g. `'(n?,k),(k,m?)->(n?,m?)'`. */
  readonly text: string;
  readonly nin: number;
  readonly nout: number;
  /** Distinct core dims, in order of first appearance. */
  readonly dims: readonly CoreDim[];
  /** Per operand (inputs, then outputs): its core dims as indices into `dims`. */
  readonly operands: readonly (readonly number[])[];
  /** Some dim is optional. */
  readonly hasOptional: boolean;
  /** Some dim is output-only (and not frozen). */
  readonly hasOutputOnly: boolean;
}

/** A signature syntax error: a ValueError that also carries the 0-based position. */
export type SignatureError = ValueError & { readonly position: number };

function syntaxError(text: string, position: number, what: string): SignatureError {
  const caret = `${' '.repeat(position + 1)}^`;
  const err = new ValueError(
    'E_VALUE_SIGNATURE',
    `invalid gufunc signature: ${what} at position ${position} in "${text}"\n "${text}"\n ${caret}`,
  );
  return Object.assign(err, { position });
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isNameStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

const parsed = new Map<string, GufuncSignature>();

/**
 * Parse a core signature. With `expect`, the number of inputs and/or outputs must match.
 *
 * @throws ValueError (`E_VALUE_SIGNATURE`) with the 0-based `position` of the problem.
 * @example
 * ```ts
 * const sig = parseGufuncSignature('(n?,k),(k,m?)->(n?,m?)');
 * sig.dims.map((d) => d.name);   // ['n', 'k', 'm']
 * sig.operands;                  // [[0, 1], [1, 2], [0, 2]]
 * parseGufuncSignature('(i),(i)->(j)').dims[1]!.outputOnly; // true
 * ```
 */
export function parseGufuncSignature(text: string, expect: { nin?: number; nout?: number } = {}): GufuncSignature {
  if (typeof text !== 'string') {
    throw new ValueError('E_VALUE_SIGNATURE', `a gufunc signature must be a string like '(m,n),(n,p)->(m,p)', got ${typeof text}`);
  }
  // A signature without outputs parses only when they are expected (not cached: without
  // the expectation the same text is an error).
  if (expect.nout === 0 && !text.includes('->')) return parse(text, expect);
  let sig = parsed.get(text);
  if (sig === undefined) {
    sig = parse(text, expect);
    if (parsed.size < 256) parsed.set(text, sig);
  }
  if ((expect.nin !== undefined && expect.nin !== sig.nin) || (expect.nout !== undefined && expect.nout !== sig.nout)) {
    // Re-parse with the expectation: the error then points where NumPy's does.
    return parse(text, expect);
  }
  return sig;
}

function parse(text: string, expect: { nin?: number; nout?: number }): GufuncSignature {
  let i = 0;
  const skip = () => {
    while (isSpace(text[i])) i++;
  };
  const names = new Map<string, number>();
  const dims: { name: string; frozen: number | null; optional: boolean; inInput: boolean }[] = [];
  const operands: number[][] = [];
  let nin: number;

  const parseOperand = (isInput: boolean) => {
    skip();
    if (isInput && i >= text.length) throw syntaxError(text, i, 'incomplete signature: not all arguments found');
    if (text[i] !== '(') throw syntaxError(text, i, "expect '('");
    i++;
    const ops: number[] = [];
    skip();
    if (text[i] === ')') {
      i++;
      operands.push(ops);
      return;
    }
    for (;;) {
      skip();
      const start = i;
      let name: string;
      let frozen: number | null = null;
      if (isNameStart(text[i])) {
        while (isNameChar(text[i])) i++;
        name = text.slice(start, i);
      } else if (isDigit(text[i])) {
        while (isDigit(text[i])) i++;
        const digits = text.slice(start, i);
        const value = Number(digits);
        if (isNameChar(text[i]) || !(value > 0) || value > 0x7fffffff) {
          throw syntaxError(text, start, 'expect dimension name or non-zero frozen size');
        }
        frozen = value;
        name = String(value);
      } else {
        throw syntaxError(text, start, 'expect dimension name or non-zero frozen size');
      }
      const optional = text[i] === '?';
      if (optional) i++;
      let index = names.get(name);
      if (index === undefined) {
        index = dims.length;
        names.set(name, index);
        dims.push({ name, frozen, optional, inInput: isInput });
      } else {
        const d = dims[index]!;
        if (d.optional && !optional) throw syntaxError(text, start, '? must be used, name already seen with ?');
        if (!d.optional && optional) throw syntaxError(text, start, '? cannot be used, name already seen without ?');
        if (isInput) d.inInput = true;
      }
      ops.push(index);
      skip();
      if (text[i] === ')') {
        i++;
        break;
      }
      if (text[i] !== ',') throw syntaxError(text, i, "expect ',' or ')'");
      i++;
      skip();
      if (text[i] === ')') throw syntaxError(text, i, "',' must not be followed by ')'");
    }
    operands.push(ops);
  };

  // Inputs.
  let arrow = true;
  for (;;) {
    parseOperand(true);
    skip();
    if (i >= text.length && expect.nout === 0 && (expect.nin === undefined || operands.length === expect.nin)) {
      arrow = false;
      break;
    }
    if (i >= text.length) throw syntaxError(text, i, 'incomplete signature: not all arguments found');
    if (expect.nin !== undefined && operands.length === expect.nin) {
      if (text.startsWith('->', i)) break;
      throw syntaxError(text, i, "expect '->'");
    }
    if (expect.nin === undefined && text.startsWith('->', i)) break;
    if (text[i] !== ',') throw syntaxError(text, i, expect.nin === undefined ? "expect ',' or '->'" : "expect ','");
    i++;
  }
  nin = operands.length;
  i += 2;
  // Outputs.
  while (arrow) {
    parseOperand(false);
    skip();
    const nout = operands.length - nin;
    if (i >= text.length) {
      if (expect.nout !== undefined && nout < expect.nout) throw syntaxError(text, i, 'incomplete signature: not all arguments found');
      break;
    }
    if (expect.nout !== undefined && nout === expect.nout) throw syntaxError(text, i, "expect '('");
    if (text[i] !== ',') throw syntaxError(text, i, "expect ',' or the end of the signature");
    i++;
    skip();
    if (i >= text.length) throw syntaxError(text, i, "expect '('");
  }

  const coreDims: CoreDim[] = dims.map((d) => Object.freeze({
    name: d.name, frozen: d.frozen, optional: d.optional, outputOnly: !d.inInput,
  }));
  const canonical = (ops: number[][]) =>
    ops.map((o) => `(${o.map((k) => `${dims[k]!.name}${dims[k]!.optional ? '?' : ''}`).join(',')})`).join(',');
  return Object.freeze({
    text: arrow ? `${canonical(operands.slice(0, nin))}->${canonical(operands.slice(nin))}` : canonical(operands),
    nin,
    nout: operands.length - nin,
    dims: Object.freeze(coreDims),
    operands: Object.freeze(operands.map((o) => Object.freeze(o))),
    hasOptional: coreDims.some((d) => d.optional),
    hasOutputOnly: coreDims.some((d) => d.outputOnly && d.frozen === null),
  });
}

/** Which optional dims are missing, and how many core dims each operand then has. */
export interface CoreLayout {
  /** Per distinct dim: dropped (a missing optional dim). */
  readonly missing: readonly boolean[];
  /** Per operand: its number of core dims without the missing ones. */
  readonly coreNdim: readonly number[];
}

/** What the error messages call the gufunc and the operands. */
interface Naming {
  /** Name of the gufunc (NumPy prefixes its messages with it). */
  name: string;
  sig: GufuncSignature;
}

const operandName = (sig: GufuncSignature, k: number) => (k < sig.nin ? `Input operand ${k}` : `Output operand ${k - sig.nin}`);

/**
 * Step 1 of binding: drop optional dims of operands that have too few dims.
 *
 * @param ndims - per operand (inputs, then outputs), its number of dims; null for an output
 *   that is not given.
 * @throws ShapeError (`E_SHAPE_CORE_NDIM`) when an operand has too few dims even so.
 * @example
 * ```ts
 * const sig = parseGufuncSignature('(n?,k),(k,m?)->(n?,m?)');
 * coreLayout('matmul', sig, [1, 2, null]); // { missing: [true, false, false], coreNdim: [1, 2, 1] }
 * ```
 */
export function coreLayout(name: string, sig: GufuncSignature, ndims: readonly (number | null)[]): CoreLayout {
  const ops = sig.operands;
  const nd = sig.dims.length;
  const missing: boolean[] = [];
  const canIgnore: boolean[] = [];
  for (let d = 0; d < nd; d++) {
    missing.push(false);
    canIgnore.push(sig.dims[d]!.optional);
  }
  const coreNdim: number[] = [];
  for (let k = 0; k < ops.length; k++) coreNdim.push(ops[k]!.length);
  if (!sig.hasOptional) {
    for (let k = 0; k < ops.length; k++) {
      const ndim = ndims[k];
      if (ndim !== null && ndim !== undefined && ndim < coreNdim[k]!) tooFew(name, sig, k, ndim, coreNdim[k]!);
    }
    return { missing, coreNdim };
  }
  for (let k = 0; k < ops.length; k++) {
    const ndim = ndims[k];
    if (ndim === null || ndim === undefined || ndim >= coreNdim[k]!) continue;
    const own = ops[k]!;
    for (let j = 0; j < own.length; j++) {
      const d = own[j]!;
      if (!canIgnore[d]) continue;
      missing[d] = true;
      canIgnore[d] = false;
      for (let q = 0; q < ops.length; q++) {
        const o = ops[q]!;
        for (let x = 0; x < o.length; x++) if (o[x] === d) coreNdim[q]!--;
      }
      if (ndim === coreNdim[k]) break;
    }
    if (ndim < coreNdim[k]!) tooFew(name, sig, k, ndim, coreNdim[k]!);
  }
  return { missing, coreNdim };
}

function tooFew(name: string, sig: GufuncSignature, k: number, ndim: number, need: number): never {
  throw new ShapeError(
    'E_SHAPE_CORE_NDIM',
    `${name}: ${operandName(sig, k)} does not have enough dimensions (has ${ndim}, gufunc core with ` +
      `signature ${sig.text} requires ${need})`,
  );
}

/**
 * Step 2 and 3 of binding: the size of every core dim from the operands' trailing dims.
 *
 * @param shapes - per operand, its shape with the core dims last (after any `axes=`
 *   remapping); null for an output that is not given.
 * @param known - sizes fixed by the caller (e.g. output-only dims of a guvectorize kernel),
 *   by dim name; they are checked like another operand's.
 * @returns per distinct dim, its size (1 for a missing dim).
 * @throws ShapeError (`E_SHAPE_CORE`) on a size mismatch, (`E_SHAPE_CORE_UNSPECIFIED`) when
 *   an output dim has no size (an output-only dim without `out`).
 * @example
 * ```ts
 * const sig = parseGufuncSignature('(n?,k),(k,m?)->(n?,m?)');
 * const layout = coreLayout('matmul', sig, [2, 2, null]);
 * bindCoreSizes('matmul', sig, layout, [[2, 3], [3, 4], null]); // [2, 3, 4]
 * ```
 */
export function bindCoreSizes(
  name: string, sig: GufuncSignature, layout: CoreLayout, shapes: readonly (readonly number[] | null)[],
  known?: Readonly<Record<string, number>>,
): number[] {
  const ops = sig.operands;
  const nd = sig.dims.length;
  const sizes: number[] = [];
  for (let d = 0; d < nd; d++) sizes.push(sig.dims[d]!.frozen ?? -1);
  for (let k = 0; k < ops.length; k++) {
    const shape = shapes[k];
    if (shape === null || shape === undefined) continue;
    const start = shape.length - layout.coreNdim[k]!;
    const own = ops[k]!;
    let delta = 0;
    for (let idim = 0; idim < own.length; idim++) {
      const d = own[idim]!;
      let size: number;
      if (layout.missing[d]) {
        size = 1;
        delta++;
      } else size = shape[start + idim - delta]!;
      if (sizes[d]! < 0) sizes[d] = size;
      else if (size !== sizes[d]) mismatch({ name, sig }, k, idim - delta, d, size, sizes[d]!);
    }
  }
  if (known !== undefined) {
    for (const [dimName, size] of Object.entries(known)) {
      const d = sig.dims.findIndex((x) => x.name === dimName);
      if (d < 0) throw new ValueError('E_VALUE_SIGNATURE', `${name}: no core dimension '${dimName}' in signature ${sig.text}`);
      if (sizes[d]! < 0) sizes[d] = size;
      else if (sizes[d] !== size) {
        throw new ShapeError(
          'E_SHAPE_CORE',
          `${name}: core dimension '${dimName}' of signature ${sig.text} is ${sizes[d]} in the operands but ${size} was requested`,
        );
      }
    }
  }
  for (let k = sig.nin; k < ops.length; k++) {
    const own = ops[k]!;
    for (let idim = 0; idim < own.length; idim++) {
      const d = own[idim]!;
      if (sizes[d]! >= 0) continue;
      throw new ShapeError(
        'E_SHAPE_CORE_UNSPECIFIED',
        `${name}: Output operand ${k - sig.nin} has core dimension ${idim} ('${sig.dims[d]!.name}') unspecified, with gufunc ` +
          `signature ${sig.text}: '${sig.dims[d]!.name}' appears in no input, so its size must come from an out= array`,
      );
    }
  }
  for (let d = 0; d < nd; d++) if (layout.missing[d]) sizes[d] = 1;
  return sizes;
}

function mismatch(n: Naming, k: number, idim: number, d: number, size: number, bound: number): never {
  const dim = n.sig.dims[d]!;
  throw new ShapeError(
    'E_SHAPE_CORE',
    `${n.name}: ${operandName(n.sig, k)} has a mismatch in its core dimension ${idim} ('${dim.name}'), with gufunc ` +
      `signature ${n.sig.text} (size ${size} is different from ${bound})`,
  );
}
