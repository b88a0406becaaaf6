/**
 * Kernel diagnostics: one table of stable codes with message templates, and the code frame.
 *
 * Steps when a phase rejects a construct:
 *   1. it calls {@link kernelError} with a code from {@link DIAGNOSTICS}, the source the
 *      construct came from, its offset in that source, and the template's arguments;
 *   2. the offset becomes a 1-based line and column of the text `fn.toString()` returned
 *      (the *original* text: wrappers added for parsing are already subtracted);
 *   3. a 3-line frame is cut from that text: the line before (when there is one), the
 *      offending line, and a caret under the column (tabs are kept so the caret lines up).
 * Warnings (lints) use the same records with `severity: 'warning'`; `strict` compiles turn
 * them into errors.
 *
 * Codes are stable: tests assert codes, never wording. Ranges:
 *   NB1xxx front end (syntax the kernel language does not have; NB104x: jit functions' arrays),
 *   NB2xxx types (operators and operands, indices, assignments),
 *   NB3xxx control flow,
 *   NB4xxx gufunc lints,
 *   NB5xxx signatures,
 *   NB6xxx target limits (what a target cannot express, e.g. float64 on 'gpu'),
 *   NB7xxx compiler limits (operand count, kernel size, nesting depth: ir/passes/limits.ts,
 *          frontend/nesting.ts).
 */
import { KernelError } from '../../util/errors.js';

/** One entry of the diagnostics table. `{0}`, `{1}` are replaced by the arguments. */
export interface DiagnosticInfo {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** The table. Add a code here (never renumber) and a test in test/compiler/diagnostics.test.ts. */
export const DIAGNOSTICS = {
  NB1001: { severity: 'error', message: 'could not parse the kernel: {0}' },
  NB1002: { severity: 'error', message: 'a kernel must be a function (arrow, function expression or method), got {0}' },
  NB1003: { severity: 'error', message: 'async functions and await are not supported in kernels' },
  NB1004: { severity: 'error', message: 'generators (function*, yield) are not supported in kernels' },
  NB1005: { severity: 'error', message: 'kernel parameters must be plain names (no defaults, rest or destructuring)' },
  NB1010: {
    severity: 'error',
    message: "'{0}' is not defined in the kernel: kernels cannot read variables from outside (closures); " +
      'pass a value in the options as { constants: { {0} } }, a function as { helpers: { {0} } }',
  },
  NB1011: { severity: 'error', message: "'{0}' is not supported in kernels" },
  NB1012: { severity: 'error', message: 'object literals are not supported in kernels' },
  NB1013: { severity: 'error', message: 'array literals are not supported in kernels' },
  NB1014: { severity: 'error', message: 'strings and template literals are not supported in kernels' },
  NB1015: { severity: 'error', message: "'new' is not supported in kernels" },
  NB1016: {
    severity: 'error',
    message: "call to '{0}' is not supported: kernels may call Math functions, nb.math functions, built-in ufuncs and " +
      'the helpers passed in options.helpers{1}',
  },
  NB1017: { severity: 'error', message: '{0} is not supported in kernels' },
  NB1018: { severity: 'error', message: 'spread and rest (...) are not supported in kernels' },
  NB1019: { severity: 'error', message: 'destructuring is not supported in kernels' },
  NB1020: { severity: 'error', message: "'{0}' is not supported in kernels (there are no exceptions)" },
  NB1021: { severity: 'error', message: 'labeled statements are not supported in kernels' },
  NB1025: { severity: 'error', message: 'nested functions and classes are not supported in kernels; pass helpers in options.helpers' },
  NB1026: { severity: 'error', message: "'var' is not supported in kernels; use let or const" },
  NB1028: { severity: 'error', message: '{0} can only be used as a statement in kernels' },
  NB1029: { severity: 'error', message: "the operator '{0}' is not supported in kernels" },
  NB1030: { severity: 'error', message: "'{0}' statements are not supported in kernels" },
  NB1031: { severity: 'error', message: 'property access {0} is not supported: kernels read a.length, a[i] and Math/Number constants' },
  NB1036: { severity: 'error', message: '{0} is not supported in kernels' },
  NB1037: {
    severity: 'error',
    message: "'{0}' is a {1} of the kernel here and shadows the global {0}, so {2} does not mean the global's: rename the {1}",
  },
  NB1038: {
    severity: 'error',
    message: '{0}: a scratch array is declared as `const buf = new Float64Array(n)` (one integer length; any ' +
      'TypedArray constructor except Uint8ClampedArray)',
  },
  NB1040: { severity: 'error', message: "'{0}' is an NDArray here: {1}" },
  NB1041: { severity: 'error', message: "'{0}' is a TypedArray here: {1}" },
  NB1042: { severity: 'error', message: '{0} is not supported in jit functions: {1}' },
  NB2001: { severity: 'error', message: "the operator '{0}' is not defined for {1}" },
  NB2002: {
    severity: 'error',
    message: 'an array index must be an integer, got {0}: convert a float as JavaScript does, a[x | 0] ' +
      '(ToInt32; Math.floor and Math.trunc return floats)',
  },
  NB2003: { severity: 'error', message: 'the integer literal {0} does not fit {1}' },
  NB2004: { severity: 'error', message: "'{0}' needs boolean operands (comparisons) outside conditions, got {1}" },
  NB2005: { severity: 'error', message: "cannot assign {0} to parameter '{1}' of type {2} (a lossy cast); assign to a new local instead" },
  NB2006: { severity: 'error', message: "'{0}' is an array: it can only be indexed (a[i]) or measured (a.length)" },
  NB2007: { severity: 'error', message: "'{0}' has {1} core dimension(s) but is indexed with {2} index(es)" },
  NB2008: { severity: 'error', message: '{0}' },
  NB2009: { severity: 'error', message: '{0} takes {1} argument(s), got {2}' },
  NB2010: { severity: 'error', message: "cannot assign to const '{0}'" },
  NB2011: { severity: 'error', message: "'{0}' {1}" },
  NB2012: { severity: 'error', message: 'the kernel takes {0} parameter(s) but the signature has {1}' },
  NB2013: { severity: 'error', message: "helper '{0}': {1}" },
  NB2014: { severity: 'error', message: "recursive call to '{0}': kernels and helpers cannot recurse" },
  NB2015: { severity: 'error', message: "'{0}' is a scalar, not an array" },
  NB2016: { severity: 'error', message: "cannot write to '{0}': {1}" },
  NB2017: {
    severity: 'error',
    message: "the neighbour offsets of '{0}' must be constant integers (literals, or const names of literals): {1}",
  },
  NB2018: { severity: 'error', message: "'{0}' reads outside the declared neighborhood: offset {1} on axis {2}, neighborhood {3}" },
  NB2019: { severity: 'error', message: "stencil accessor '{0}': {1}" },
  NB2020: {
    severity: 'error',
    message: "'{0}' reads at offset {1} on axis {2}: stencil offsets must lie within ±{3} of the centre (index arithmetic is 32-bit)",
  },
  NB2021: { severity: 'error', message: "constant '{0}' (options.constants) {1}" },
  NB2022: { severity: 'error', message: "scratch array '{0}' {1}" },
  NB3001: { severity: 'error', message: 'not every path returns a value: a scalar kernel (or helper) must end each path with return' },
  NB3002: { severity: 'error', message: "this nb.prange loop cannot run on the 'parallel' target: {0}" },
  NB4001: { severity: 'warning', message: "output '{0}' is never written (a gufunc kernel writes its outputs: {0}[i] = ...)" },
  NB4002: {
    severity: 'error',
    message: "output '{0}' is rebound ({0} = ...) instead of written: assign its elements ({0}[i] = ...); " +
      'rebinding changes nothing outside the kernel',
  },
  NB4003: { severity: 'warning', message: "core dimension '{0}' is never used (no .length reads it)" },
  NB5001: { severity: 'error', message: 'invalid kernel signature: {0}' },
  NB5002: { severity: 'error', message: "parameter '{0}' is declared {1} in the signature but {2} by the layout" },
  NB5003: { severity: 'error', message: '{0}' },
  NB6001: { severity: 'error', message: "{0} cannot run on the 'gpu' target (WGSL has f32, i32, u32 and bool): {1}" },
  NB6002: { severity: 'error', message: "scratch array '{0}' cannot run on the 'gpu' target: {1}" },
  NB7001: {
    severity: 'error',
    message: 'the kernel has {0} operands (parameters, and the result of a scalar or stencil kernel); at most {1} are ' +
      "supported (NumPy's NPY_MAXARGS): pass related values as one array (guvectorize) instead",
  },
  NB7002: {
    severity: 'error',
    message: 'the kernel is too large to compile: {0} IR nodes by here, past the limit of {1}; ' +
      'write repeated code as a loop, or move parts into options.helpers',
  },
  NB7003: {
    severity: 'error',
    message: 'the kernel nests more than {0} levels deep here: split long expressions with local variables ' +
      '(const t = ...) or loops, or move parts into options.helpers',
  },
} as const satisfies Record<string, DiagnosticInfo>;

/** A diagnostic code. */
export type DiagnosticCode = keyof typeof DIAGNOSTICS;

/** Where a diagnostic points: the text the kernel (or helper) was parsed from. */
export interface SourceText {
  /** `fn.toString()`, exactly. Positions are offsets into it. */
  readonly text: string;
  /** The kernel's or helper's name, for messages. */
  readonly name: string;
}

/** A located diagnostic that did not stop compilation (a lint warning). */
export interface KernelDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** 1-based line and column in the source text. */
  readonly line: number;
  readonly column: number;
  readonly frame: string;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * The code frame: the previous line (if any), the offending line, and a caret line.
 *
 * @example
 * ```ts
 * codeFrame('(x) => {\n  return y;\n}', 2, 10);
 * // '  1 | (x) => {\n> 2 |   return y;\n    |          ^'
 * ```
 */
export function codeFrame(text: string, line: number, column: number): string {
  const lines = text.split('\n');
  const width = String(line).length;
  const gutter = (n: number | null, mark: string) => `${mark} ${n === null ? ' '.repeat(width) : String(n).padStart(width)} | `;
  const out: string[] = [];
  if (line >= 2) out.push(gutter(line - 1, ' ') + lines[line - 2]!.replace(/\s+$/, ''));
  const src = lines[line - 1] ?? '';
  out.push(gutter(line, '>') + src.replace(/\s+$/, ''));
  // Keep tabs under tabs so that the caret lines up however tabs are displayed.
  const pad = src.slice(0, column - 1).replace(/[^\t]/g, ' ');
  out.push(gutter(null, ' ') + pad + '^');
  return out.join('\n');
}

function format(code: DiagnosticCode, args: readonly (string | number)[]): string {
  return DIAGNOSTICS[code].message.replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

/** A located diagnostic record (used for warnings and to build errors). */
export function diagnostic(
  code: DiagnosticCode, source: SourceText, offset: number, args: readonly (string | number)[] = [],
): KernelDiagnostic {
  const { line, column } = lineColumn(source.text, offset);
  return {
    code, severity: DIAGNOSTICS[code].severity, message: format(code, args), line, column,
    frame: codeFrame(source.text, line, column),
  };
}

/**
 * A KernelError for `code` at `offset` of `source`. Its `code` is the NBxxxx code.
 *
 * @example
 * ```ts
 * throw kernelError('NB1010', source, node.start, ['scale']);
 * ```
 */
export function kernelError(
  code: DiagnosticCode, source: SourceText, offset: number, args: readonly (string | number)[] = [],
): KernelError {
  return toError(diagnostic(code, source, offset, args), source);
}

/** Turn a diagnostic record into the KernelError that reports it. */
export function toError(d: KernelDiagnostic, source: SourceText): KernelError {
  const where = source.name ? `${source.name}: ` : '';
  return new KernelError(d.code, `${d.code}: ${where}${d.message}`, d.line, d.column, d.frame);
}
