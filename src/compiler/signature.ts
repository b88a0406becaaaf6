/**
 * Numba-style kernel signatures: `'float64(float64, float64)'`, `'f8(f8,f8)'`,
 * `'void(float64[:,:], float64[:], float64[:])'`.
 *
 * Grammar (whitespace allowed between tokens): every spelling Numba's `vectorize` and
 * `guvectorize` accept (Numba evaluates the string: `'i4[:], i4'` is a tuple of argument
 * types, `'void(...)'` and `'none(...)'` a signature returning nothing):
 * ```text
 * signature ::= [result] "(" [args] ")"
 *             | arg "," [args]             -- no parentheses: a list of at least one comma
 * args      ::= arg ("," arg)* [","]        -- a trailing comma is allowed: '(float64,)'
 * result    ::= "void" | "none" | dtype    -- omitted: inferred from the kernel's returns
 *                                           (scalar kernels); a gufunc kernel returns nothing
 * arg       ::= dtype ["[" dim ("," dim)* "]"]
 * dim       ::= ":" | "::1"            -- "::1" marks a contiguous dim (accepted, recorded)
 * dtype     ::= any dtype name or alias of src/dtype/dtypes.ts (float64, f8, int32, i4,
 *               boolean, b1, ...)
 * ```
 * Steps: tokenize by hand (positions kept), resolve dtype names with normalizeDType, build
 * the record. Errors are KernelErrors NB5001 whose frame points into the signature text.
 * The gufunc layout string `'(m,n),(n)->(m)'` is a different grammar, parsed by
 * src/ufunc/gufunc-signature.ts; compileKernel takes its result as `options.core`.
 */
import { normalizeDType, type DType } from '../dtype/dtypes.js';
import { kernelError } from './frontend/diagnostics.js';

/** One parameter: a scalar (ndim 0) or an array with `ndim` core dims. */
export interface KernelArg {
  readonly dtype: DType;
  readonly ndim: number;
  /** Per dim, whether it was written `::1`. */
  readonly contiguous: readonly boolean[];
}

/** A parsed signature. */
export interface KernelSignature {
  /** As written. */
  readonly text: string;
  /** The output dtype of a scalar kernel, 'void' for gufunc kernels, 'infer' when omitted. */
  readonly returns: DType | 'void' | 'infer';
  readonly args: readonly KernelArg[];
}

/**
 * Parse a Numba-style signature.
 *
 * @throws KernelError NB5001 on a syntax error or an unknown dtype.
 * @example
 * ```ts
 * parseKernelSignature('f8(f8, i4)');        // { returns: 'float64', args: [{ dtype: 'float64', ndim: 0 }, { dtype: 'int32', ndim: 0 }] }
 * parseKernelSignature('void(f8[:,:], f8[:])'); // args[0].ndim === 2
 * parseKernelSignature('i4[:], i4, i4[:]');  // returns 'infer', 3 args (Numba's tuple spelling)
 * ```
 */
export function parseKernelSignature(text: string): KernelSignature {
  const source = { text, name: 'signature' };
  let i = 0;
  const err = (what: string, at = i): never => {
    throw kernelError('NB5001', source, at, [`${what} in '${text}'`]);
  };
  const skip = () => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const name = (): { name: string; at: number } => {
    skip();
    const at = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    if (i === at) err('expected a dtype name');
    return { name: text.slice(at, i), at };
  };
  const dtype = (n: { name: string; at: number }): DType => {
    try {
      return normalizeDType(n.name);
    } catch {
      return err(`unknown dtype '${n.name}'`, n.at);
    }
  };
  const expect = (c: string) => {
    skip();
    if (!text.startsWith(c, i)) err(`expected '${c}'`);
    i += c.length;
  };

  skip();
  let returns: DType | 'void' | 'infer' = 'infer';
  // Numba's tuple spelling: argument types without parentheses ('i4[:], i4[:]').
  let bare = false;
  if (text[i] !== '(') {
    const start = i;
    const r = name();
    skip();
    if (text[i] === '(') returns = r.name === 'void' || r.name === 'none' ? 'void' : dtype(r);
    else {
      bare = true;
      i = start;
    }
  }
  if (!bare) expect('(');
  const close = bare ? '' : ')';
  const args: KernelArg[] = [];
  let commas = 0;
  skip();
  if (text[i] !== ')') {
    for (;;) {
      skip();
      // A trailing comma: '(float64,)', 'float64,'.
      if (args.length > 0 && (bare ? i === text.length : text[i] === ')')) break;
      const d = dtype(name());
      const contiguous: boolean[] = [];
      skip();
      if (text[i] === '[') {
        i++;
        for (;;) {
          skip();
          if (text.startsWith('::1', i)) { contiguous.push(true); i += 3; }
          else if (text[i] === ':') { contiguous.push(false); i++; }
          else err("expected ':' or '::1'");
          skip();
          if (text[i] === ',') { i++; continue; }
          expect(']');
          break;
        }
      }
      args.push({ dtype: d, ndim: contiguous.length, contiguous });
      skip();
      if (text[i] === ',') { i++; commas++; continue; }
      break;
    }
  }
  if (bare && commas === 0) err("expected '(' (a signature is 'float64(float64)', '(float64,)' or a list of argument types with commas)");
  if (close) expect(close);
  skip();
  if (i !== text.length) err('unexpected text after the signature');
  return { text, returns, args };
}
