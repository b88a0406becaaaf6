/**
 * The statements whose spelling the three emitters (AssemblyScript, WGSL, JS) share: the
 * C-like `if`/`else`, `while`, `do`/`while`, `break`, `continue` and `return`. Each emitter
 * prints its own declarations, assignments, stores and `for` loops (WGSL's `for` and
 * `do`/`while` differ), and hands these to {@link printStructured}.
 */
import type { DType } from '../../dtype/dtypes.js';
import type { Expr, Stmt } from '../ir/nodes.js';

/** How an emitter spells an expression and a nested block. */
export interface StructuredPrinter {
  expr(e: Expr<DType>): string;
  block(body: readonly Stmt<DType>[], ind: string): void;
}

/**
 * Print `s` if it is one of the shared statements; false when the emitter must print it.
 *
 * @example
 * ```ts
 * if (printStructured(s, ind, out, { expr: (e) => this.expr(fn, e), block: (b, i) => this.stmts(fn, b, i, out) })) continue;
 * ```
 */
export function printStructured(s: Stmt<DType>, ind: string, out: string[], p: StructuredPrinter): boolean {
  switch (s.kind) {
    case 'if':
      out.push(`${ind}if (${p.expr(s.cond)}) {`);
      p.block(s.then, `${ind}  `);
      if (s.else.length) {
        out.push(`${ind}} else {`);
        p.block(s.else, `${ind}  `);
      }
      out.push(`${ind}}`);
      return true;
    case 'while':
      if (s.doWhile) {
        out.push(`${ind}do {`);
        p.block(s.body, `${ind}  `);
        out.push(`${ind}} while (${p.expr(s.cond)});`);
        return true;
      }
      out.push(`${ind}while (${p.expr(s.cond)}) {`);
      p.block(s.body, `${ind}  `);
      out.push(`${ind}}`);
      return true;
    case 'break': out.push(`${ind}break;`); return true;
    case 'continue': out.push(`${ind}continue;`); return true;
    case 'return': out.push(s.value ? `${ind}return ${p.expr(s.value)};` : `${ind}return;`); return true;
    default: return false;
  }
}
