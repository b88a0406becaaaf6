/**
 * A stable text dump of the typed IR, for golden tests and debugging (`kernel.irText`).
 *
 * Format: one header line per function (`func name(params) -> type`), then its statements
 * indented by two spaces per block. Expressions are s-expressions with the computed type
 * after a colon: `(add:int8 x 1:int8)`, `(cast int32->float64 i)`, `(lt:int32 i n)` (the
 * type of a comparison is its operands'). Names are the emitters' names. Nothing in the
 * output depends on object identity or iteration order of maps, so dumps are reproducible.
 */
import type { DType } from '../../dtype/dtypes.js';
import { arrayInfo, type Expr, type IRFunction, type IRProgram, type Stmt } from './nodes.js';

type T = Expr<DType>;

function constText(e: Extract<T, { kind: 'const' }>): string {
  const v = e.value;
  const s = typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v);
  return `${s}:${e.type}`;
}

/** An index with its bounds-check site (passes/bounds-check.ts): `(check#2 i)`. */
const checked = (index: string, site: number | null | undefined): string => (site == null ? index : `(check#${site} ${index})`);

export function printExpr(fn: IRFunction<DType>, e: T): string {
  const p = (x: T) => printExpr(fn, x);
  switch (e.kind) {
    case 'const': return constText(e);
    case 'param': return fn.params[e.index]!.emitName;
    case 'local': return fn.locals[e.id]!.emitName;
    case 'unary': return `(${e.op}:${e.type} ${p(e.arg)})`;
    case 'binary': return `(${e.op}:${e.type} ${p(e.left)} ${p(e.right)})`;
    case 'compare': return `(${e.op}:${e.operand} ${p(e.left)} ${p(e.right)})`;
    case 'logical': return `(${e.op} ${p(e.left)} ${p(e.right)})`;
    case 'select': return `(select:${e.type} ${p(e.cond)} ${p(e.then)} ${p(e.else)})`;
    case 'cast': return `(cast ${e.arg.type}->${e.type} ${p(e.arg)})`;
    case 'call': return `(call:${e.type} ${e.fn}${e.args.map((a) => ` ${p(a)}`).join('')})`;
    case 'helper': return `(helper:${e.type} #${e.index} ${e.name}${e.args.map((a) => ` ${p(a)}`).join('')})`;
    case 'load': return `(load:${e.type} ${arrayInfo(fn, e.array).emitName}${e.indices.map((i, k) => ` ${checked(p(i), e.checks?.[k])}`).join('')})`;
    case 'length': return `(length ${arrayInfo(fn, e.array).emitName} ${e.axis})`;
  }
}

function inline(fn: IRFunction<DType>, s: Stmt<DType>): string {
  const p = (x: T) => printExpr(fn, x);
  switch (s.kind) {
    case 'let': return `let ${fn.locals[s.local]!.emitName}: ${fn.locals[s.local]!.type} = ${p(s.init)}`;
    case 'assign':
      return `${s.place.kind === 'local' ? fn.locals[s.place.id]!.emitName : fn.params[s.place.index]!.emitName} = ${p(s.value)}`;
    case 'store': return `${arrayInfo(fn, s.array).emitName}[${s.indices.map((i, k) => checked(p(i), s.checks?.[k])).join(', ')}] = ${p(s.value)}`;
    case 'break': return 'break';
    case 'continue': return 'continue';
    case 'return': return s.value ? `return ${p(s.value)}` : 'return';
    case 'scratch': {
      const a = fn.scratch![s.id]!;
      return `scratch ${a.emitName}: ${a.dtype}[${p(s.length)}]${s.site === undefined ? '' : ` site#${s.site}`}`;
    }
    case 'alloc': {
      const a = arrayInfo(fn, s.array);
      return `alloc ${a.emitName}: ${s.fill} ${a.dtype}[${s.shape.map(p).join(', ')}]${s.value ? ` = ${p(s.value)}` : ''} site#${s.site}`;
    }
    default: return `<${s.kind}>`;
  }
}

function printStmts(fn: IRFunction<DType>, stmts: readonly Stmt<DType>[], indent: string, out: string[]): void {
  for (const s of stmts) {
    switch (s.kind) {
      case 'if':
        out.push(`${indent}if ${printExpr(fn, s.cond)}`);
        printStmts(fn, s.then, `${indent}  `, out);
        if (s.else.length) {
          out.push(`${indent}else`);
          printStmts(fn, s.else, `${indent}  `, out);
        }
        break;
      case 'while':
        if (s.doWhile) {
          out.push(`${indent}do`);
          printStmts(fn, s.body, `${indent}  `, out);
          out.push(`${indent}while ${printExpr(fn, s.cond)}`);
          break;
        }
        out.push(`${indent}while ${printExpr(fn, s.cond)}`);
        printStmts(fn, s.body, `${indent}  `, out);
        break;
      case 'for': {
        const init = s.init.map((x) => inline(fn, x)).join(', ');
        const update = s.update.map((x) => inline(fn, x)).join(', ');
        out.push(`${indent}for (${init}; ${s.cond ? printExpr(fn, s.cond) : ''}; ${update})`);
        printStmts(fn, s.body, `${indent}  `, out);
        break;
      }
      default: out.push(indent + inline(fn, s));
    }
  }
}

/** One function's dump. */
export function printFunction(fn: IRFunction<DType>): string {
  const params = fn.params.map((p) => {
    if (p.literal) return `${p.emitName} = ${String(p.literal.value)} (literal)`;
    if (p.array) return `${p.emitName}: ${p.array.dtype}[${Array(p.array.ndim).fill(':').join(',')}]${p.array.isOutput ? ' out' : ''}`;
    return `${p.emitName}: ${p.scalar}`;
  });
  const out = [`func ${fn.name}(${params.join(', ')}) -> ${fn.returns}`];
  printStmts(fn, fn.body, '  ', out);
  return out.join('\n');
}

/**
 * The whole program: kind, core dims (gufunc), constant tables (dtype, length, the first
 * values), the kernel, then its helpers.
 *
 * @example
 * ```ts
 * printProgram(compileKernel((x) => x + 1, 'f8(f8)', { kind: 'scalar' }).ir);
 * // 'program scalar\nfunc kernel(x: float64) -> float64\n  return (add:float64 x 1:float64)\n'
 * ```
 */
export function printProgram(p: IRProgram): string {
  const head = [`program ${p.kind}${p.fastmath ? ' fastmath' : ''}`];
  if (p.core) {
    const ops = p.core.operands.map((o) => `(${o.map((d) => p.core!.dims[d]).join(',')})`);
    head.push(`core ${ops.slice(0, p.core.nin).join(',')}->${ops.slice(p.core.nin).join(',')}`);
  }
  for (const t of p.tables ?? []) {
    const shown = Array.from(t.values as ArrayLike<number | bigint>).slice(0, 8).map((v) => (Object.is(v, -0) ? '-0' : String(v)));
    head.push(`table ${t.emitName}: ${t.dtype}[${t.values.length}] = [${shown.join(', ')}${t.values.length > 8 ? ', ...' : ''}]`);
  }
  return [...head, printFunction(p.main), ...p.helpers.map(printFunction)].join('\n') + '\n';
}
