/**
 * The nesting limit (NB7003), checked on the ESTree before any recursive phase.
 *
 * Every later phase walks the kernel recursively: lowering, inference, the passes, the
 * three emitters, and past them asc's parser and Binaryen. A kernel nested deeper than the
 * JavaScript stack allows would end in a RangeError from the middle of the compiler (or a
 * crash of the compiler worker), so the depth is bounded here, once, by an iterative walk.
 *
 * Steps:
 *   1. walk the function node with an explicit stack, counting the depth of every ESTree
 *      node (a statement in a block in an if is 3 deep; `a + b + c` is a binary inside a
 *      binary, 2 deep);
 *   2. the first node (in source order) deeper than {@link MAX_NESTING} is NB7003, at
 *      that node.
 * acorn itself gives up on some shapes first (about 650 nested parentheses): parse.ts
 * reports that as NB7003 too.
 *
 * The limit: 500 levels. Measured (Node 20, main thread's default stack, in a vitest
 * worker): the front end and emitters handled a 4,000-term `x + x + ...` chain only up to
 * about 3,000 levels; 500 leaves room for callers deep in their own stack and for asc.
 * Hand-written kernels nest a few dozen levels; generated ones can split long expressions
 * with `const` locals or loops.
 */
import type * as acorn from 'acorn';
import { kernelError, type SourceText } from './diagnostics.js';

/** The deepest nesting of ESTree nodes a kernel may have (NB7003). */
export const MAX_NESTING = 500;

/**
 * Throw NB7003 at the first node nested deeper than {@link MAX_NESTING}.
 *
 * @example
 * ```ts
 * checkNesting(parseKernel('(x) => x + 1', 'k')); // fine
 * ```
 */
export function checkNesting(parsed: { readonly fn: acorn.Node; readonly source: SourceText; readonly shift: number }): void {
  const stack: [acorn.Node, number][] = [[parsed.fn, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_NESTING) throw kernelError('NB7003', parsed.source, node.start - parsed.shift, [MAX_NESTING]);
    // Children are the fields that hold nodes (objects with a string `type`); pushed in
    // reverse, so that nodes are visited in source order and the error is the first one.
    const children: acorn.Node[] = [];
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) children.push(c);
      } else if (isNode(v)) {
        children.push(v);
      }
    }
    for (let k = children.length - 1; k >= 0; k--) stack.push([children[k]!, depth + 1]);
  }
}

function isNode(v: unknown): v is acorn.Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}
