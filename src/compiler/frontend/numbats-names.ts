/**
 * How a kernel calls numbats' own scalar functions. The compiler sees only the kernel's
 * source text, never the module it came from, so these names are recognised by their shape:
 *
 *   1. `<ns>.math.<f>(...)`   nb.math's f (src/math/), for any identifier <ns> that is free in
 *                             the kernel (not a parameter or local) and not a JavaScript or
 *                             host global (GLOBALS: `Math`, `console`, ...) — the user's name
 *                             for the numbats namespace (`nb`, `numbats`, `import_numbats`);
 *   2. `<ns>.<u>(...)`        the built-in ufunc u on scalars, <ns> free as in 1; and
 *      `<ns>.<f>(...)`        nb.math's f, for `import { math } from 'numbats'` (`math.erf(x)`);
 *   3. `<f>(...)`             a bare imported name (`import { erf, hypot } from 'numbats'`):
 *                             a free identifier that is an nb.math function or a built-in
 *                             ufunc, and neither a parameter, a local, a helper
 *                             (options.helpers wins) nor the kernel's own name; also as
 *                             compilers rewrite such a call, `(0, <ns>.<f>)(...)`
 *                             (TypeScript's and esbuild's CommonJS output, Vite's SSR).
 * A built-in ufunc compiles to the intrinsic with the same meaning on scalars (UFUNC_SCALARS:
 * `nb.hypot(x, y)` is `Math.hypot(x, y)`, `nb.arctan2` is `Math.atan2`, `nb.deg2rad` is
 * `nb.math.deg2rad`); one without a scalar form here is NB1017, naming it. An nb.math name
 * that does not exist is NB1017 too. Any other callee is not numbats' (undefined: the caller
 * goes on with Math.*, helpers and its own errors).
 */
import type * as acorn from 'acorn';
import { UFUNC_TABLE } from '../../builtins/ufunc-table.js';
import { MATH_FUNCTION_NAMES } from '../../math/index.js';

/**
 * Built-in ufuncs → the intrinsic that computes them on scalars with NumPy's meaning (the float
 * loops' IEEE results, signed zeros and NaN included). Left out on purpose: sign, maximum,
 * minimum, fmax, fmin (NumPy orders or signs zeros unlike Math.sign/min/max), power (C's pow
 * and Math.pow differ at pow(1, NaN) and pow(-1, ±Infinity)), rint (ties to even), and the
 * functions with no intrinsic (exp2, logaddexp, isinf, spacing, ...).
 */
export const UFUNC_SCALARS: Readonly<Record<string, string>> = {
  sqrt: 'sqrt', cbrt: 'cbrt', exp: 'exp', expm1: 'expm1', log: 'log', log2: 'log2', log10: 'log10', log1p: 'log1p',
  sin: 'sin', cos: 'cos', tan: 'tan', arcsin: 'asin', arccos: 'acos', arctan: 'atan', arctan2: 'atan2', hypot: 'hypot',
  sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', arcsinh: 'asinh', arccosh: 'acosh', arctanh: 'atanh',
  floor: 'floor', ceil: 'ceil', trunc: 'trunc', absolute: 'abs', fabs: 'abs',
  isnan: 'isNaN', isfinite: 'isFinite', deg2rad: 'deg2rad', radians: 'deg2rad', rad2deg: 'rad2deg', degrees: 'rad2deg',
  copysign: 'copysign', nextafter: 'nextafter', ldexp: 'ldexp',
};

/** What to write instead, for the ufuncs that are kernel-language operators. */
const OPERATOR: Readonly<Record<string, string>> = {
  add: 'a + b', subtract: 'a - b', multiply: 'a * b', divide: 'a / b', negative: '-a', positive: '+a',
  equal: 'a === b', notEqual: 'a !== b', less: 'a < b', lessEqual: 'a <= b', greater: 'a > b', greaterEqual: 'a >= b',
  logicalAnd: 'a && b', logicalOr: 'a || b', logicalNot: '!a', bitwiseAnd: 'a & b', bitwiseOr: 'a | b',
  bitwiseXor: 'a ^ b', invert: '~a', leftShift: 'a << b', rightShift: 'a >> b', square: 'a * a',
};

const UFUNCS: ReadonlySet<string> = new Set(Object.keys(UFUNC_TABLE));

/**
 * Globals that are never the numbats namespace, though their methods share ufunc names
 * (`console.log` is not `nb.log`, `Atomics.add` not `nb.add`).
 */
export const GLOBALS: ReadonlySet<string> = new Set([
  'Math', 'Number', 'console', 'Atomics', 'JSON', 'Object', 'Reflect', 'Array', 'String', 'BigInt', 'Boolean', 'Symbol',
  'Date', 'Promise', 'Intl', 'WebAssembly', 'globalThis', 'window', 'self', 'document', 'navigator', 'process',
  'performance', 'crypto', 'Buffer',
]);
const MATH: ReadonlySet<string> = new Set(MATH_FUNCTION_NAMES);

/** The outcome: an intrinsic's canonical name, or why the numbats name has no kernel form. */
export type NumbatsCallee = { readonly intrinsic: string } | { readonly unsupported: string; readonly at: acorn.Node } | undefined;

/**
 * Resolve a call's callee to a numbats scalar function.
 *
 * @param isFree - whether an identifier is free in the kernel at the call (not a parameter or
 *   local in scope, not a helper, not the kernel's own name).
 * @example
 * ```ts
 * resolveNumbatsCallee(parseExpr('nb.math.erf'), () => true); // { intrinsic: 'erf' }
 * resolveNumbatsCallee(parseExpr('np.arctan2'), () => true); // { intrinsic: 'atan2' }
 * resolveNumbatsCallee(parseExpr('nb.add'), () => true); // { unsupported: 'nb.add (a built-in ufunc ...; write a + b)' }
 * ```
 */
export function resolveNumbatsCallee(callee: acorn.Node, isFree: (name: string) => boolean): NumbatsCallee {
  // nb.math's names come first: nb.math.deg2rad and the ufunc nb.deg2rad are the same function.
  const ns = (node: acorn.Node): string | null => {
    if (node.type !== 'Identifier') return null;
    const name = (node as acorn.Identifier).name;
    return !GLOBALS.has(name) && isFree(name) ? name : null;
  };
  const prop = (m: acorn.MemberExpression): string | null => (!m.computed && !m.optional && m.property.type === 'Identifier' ? m.property.name : null);
  let fn: string;
  let spelled: string;
  let math: boolean | null = null;
  // `(0, ns.f)(x)`: how compilers call an imported binding without a `this`.
  if (callee.type === 'SequenceExpression') {
    const seq = (callee as acorn.SequenceExpression).expressions;
    if (seq.length !== 2 || seq[0]!.type !== 'Literal' || (seq[0] as acorn.Literal).value !== 0 || seq[1]!.type !== 'MemberExpression') return undefined;
    const inner = resolveNumbatsCallee(seq[1]!, isFree);
    return inner !== undefined && 'unsupported' in inner ? { ...inner, at: callee } : inner;
  }
  if (callee.type === 'Identifier') {
    fn = (callee as acorn.Identifier).name;
    if (!isFree(fn)) return undefined;
    math = MATH.has(fn) ? true : UFUNCS.has(fn) ? false : null;
    if (math === null) return undefined;
    spelled = fn;
  } else if (callee.type === 'MemberExpression') {
    const m = callee as acorn.MemberExpression;
    const p = prop(m);
    if (p === null) return undefined;
    fn = p;
    const base = m.object;
    const outer = ns(base);
    if (outer !== null) {
      math = MATH.has(fn) ? true : UFUNCS.has(fn) ? false : null;
      if (math === null) return undefined;
      spelled = `${outer}.${fn}`;
    } else if (base.type === 'MemberExpression' && prop(base as acorn.MemberExpression) === 'math') {
      const root = ns((base as acorn.MemberExpression).object);
      if (root === null) return undefined;
      math = true;
      spelled = `${root}.math.${fn}`;
      if (!MATH.has(fn)) return { unsupported: `${spelled} (nb.math has ${[...MATH].join(', ')})`, at: callee };
    } else {
      return undefined;
    }
  } else {
    return undefined;
  }
  if (math) return { intrinsic: fn };
  const intrinsic = UFUNC_SCALARS[fn];
  if (intrinsic !== undefined) return { intrinsic };
  const op = OPERATOR[fn];
  return { unsupported: `${spelled} (a built-in ufunc with no scalar form in kernels${op ? `; write ${op}` : ''})`, at: callee };
}
