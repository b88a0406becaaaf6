/**
 * Kernel source → ESTree (acorn), for every form `fn.toString()` can return.
 *
 * Steps:
 *   1. take `fn.toString()` as the source text (all diagnostics point into this text);
 *      reject native/bound functions (`[native code]`) and classes;
 *   2. blank out what cannot parse as an expression but does not change meaning, keeping
 *      every offset: a leading `static ` (method text from some transpilers) and the `#`
 *      of a private method name become spaces;
 *   3. parse `(` text `)` as one expression: arrow functions, function expressions and
 *      `function name() {}` declarations all parse so;
 *   4. otherwise parse `({` text `})`: method shorthand `f(x) { ... }` (what a class's
 *      static method, and so a decorated method, prints as);
 *   5. return the function node and the wrapper length to subtract from acorn's offsets.
 * esbuild/vitest output needs nothing here: it reformats the text (tabs, `2.0` → `2`) but
 * keeps these forms; `__name(...)` calls that `keepNames` inserts are dropped by lower.ts.
 */
import type * as acorn from 'acorn';
import { loadAcorn } from '../../platform/acorn.node.js';
import { kernelError, type SourceText } from './diagnostics.js';
import { MAX_NESTING } from './nesting.js';

/** An ESTree function node as acorn types it. */
export type FunctionNode = acorn.ArrowFunctionExpression | acorn.FunctionExpression | acorn.FunctionDeclaration;

/** A parsed kernel: its function node and the source positions are measured in. */
export interface ParsedKernel {
  readonly source: SourceText;
  readonly fn: FunctionNode;
  /** Subtract from acorn offsets to get offsets into `source.text`. */
  readonly shift: number;
}

const OPTIONS: acorn.Options = { ecmaVersion: 'latest', sourceType: 'script' };

/** acorn, loaded on the first parse (src/platform/acorn.node.ts says why). */
const acornParse = (text: string, options: acorn.Options): acorn.Program => loadAcorn().parse(text, options);

function tryParse(text: string, open: string, close: string): { node: acorn.Expression; error: null } | { node: null; error: SyntaxError & { pos?: number } } {
  const wrapped = open + text + close;
  try {
    const program = acornParse(wrapped, OPTIONS);
    const stmt = program.body.length === 1 ? program.body[0] : undefined;
    if (stmt && stmt.type === 'ExpressionStatement') return { node: stmt.expression, error: null };
    return { node: null, error: Object.assign(new SyntaxError('not a single expression'), { pos: open.length }) };
  } catch (e) {
    return { node: null, error: e as SyntaxError & { pos?: number } };
  }
}

/**
 * Parse a kernel function's source text.
 *
 * @param name - the kernel's name for messages.
 * @throws KernelError NB1001 (syntax), NB1002 (not a function), NB1003 (async), NB1004 (generator),
 *   NB7003 (nested too deeply for the parser).
 * @example
 * ```ts
 * const { fn } = parseKernel(((x: number) => x + 1).toString(), 'inc');
 * fn.type; // 'ArrowFunctionExpression'
 * ```
 */
export function parseKernel(text: string, name: string): ParsedKernel {
  const source: SourceText = { text, name };
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) throw kernelError('NB1002', source, 0, ['a native or bound function (its source is not available)']);
  if (/^\s*class\b/.test(text)) throw kernelError('NB1002', source, text.search(/\S/), ['a class']);
  // Offsets are preserved: blanked characters become spaces of the same length.
  const blanked = text.replace(/^(\s*)static(\s+)/, (_, a: string, b: string) => a + ' '.repeat(6) + b)
    .replace(/^(\s*(?:async\s+)?\*?\s*)#/, (_, a: string) => `${a} `);

  const asExpression = tryParse(blanked, '(', ')');
  if (asExpression.node) return fromNode(asExpression.node, source, 1);
  const asMethod = tryParse(blanked, '({', '})');
  if (asMethod.node && asMethod.node.type === 'ObjectExpression' && asMethod.node.properties.length === 1) {
    const prop = asMethod.node.properties[0]!;
    if (prop.type === 'Property' && prop.method && prop.value.type === 'FunctionExpression') {
      return checkFunction(prop.value, source, 2, prop.start - 2);
    }
    if (prop.type === 'Property' && (prop.kind === 'get' || prop.kind === 'set')) {
      throw kernelError('NB1002', source, 0, [`a ${prop.kind}ter`]);
    }
  }
  const err = asExpression.error!;
  const pos = Math.max(0, Math.min(text.length, (err.pos ?? 1) - 1));
  // acorn runs out of stack on deeply nested source ("Not enough stack space"): that is the
  // nesting limit (frontend/nesting.ts), not a syntax error.
  if (/stack space|call stack/i.test(String(err.message))) throw kernelError('NB7003', source, pos, [MAX_NESTING]);
  throw kernelError('NB1001', source, pos, [String(err.message).replace(/\s*\(\d+:\d+\)\s*$/, '')]);
}

function fromNode(node: acorn.Expression, source: SourceText, shift: number): ParsedKernel {
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') return checkFunction(node, source, shift);
  const what = node.type === 'ClassExpression' ? 'a class' : `an expression (${node.type})`;
  throw kernelError('NB1002', source, node.start - shift, [what]);
}

function checkFunction(fn: FunctionNode, source: SourceText, shift: number, at = fn.start - shift): ParsedKernel {
  if (fn.async) throw kernelError('NB1003', source, at);
  if (fn.generator) throw kernelError('NB1004', source, at);
  return { source, fn, shift };
}
