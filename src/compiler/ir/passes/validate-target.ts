/**
 * The target-validation pass: reject, before any of the target's emitters runs, a typed
 * program the target cannot run (ir/target-support.ts says what each target supports).
 * Emitters then only print: they never meet a dtype or an intrinsic their target lacks.
 *
 * Steps, helpers first and then the kernel (the order the emitters print them), each
 * function in source order:
 *   0. every table read: a table of a dtype the target lacks names the table and the typed
 *      array to pass instead (before the values it makes are reported);
 *   1. every runtime parameter's dtype (an array parameter's element dtype), then the result's;
 *   2. every statement: a `let`'s local, a scratch array's element dtype and (gpu) its
 *      length, which must be a constant (NB6002), then the expressions it holds;
 *   3. every expression, outer before inner: its dtype (a compare also its operand dtype;
 *      a load is 'an element', a table read names the table and the typed array to pass
 *      instead), and for an intrinsic call a spelling of each kind the target's emitters print.
 * The first construct outside the target's limits raises its KernelError (NB6001 on the
 * gpu target), at that construct's line and column.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { kernelError } from '../../frontend/diagnostics.js';
import { INTRINSICS, intrinsicSpelling } from '../intrinsics.js';
import { forEachExpr, type Expr, type IRFunction, type IRProgram, type Stmt } from '../nodes.js';
import { MAX_GPU_SCRATCH, TARGET_SUPPORT, type KernelTarget, type TargetSupport } from '../target-support.js';
import { isFloatType, isSigned } from '../types.js';

type E = Expr<DType>;

function validateFunction(fn: IRFunction<DType>, support: TargetSupport): void {
  const limits = support.limits;
  const type = (t: DType, at: number, what: string): void => {
    if (limits && !limits.dtypes.has(t)) throw kernelError(limits.code, fn.source, at, [`${what} of type ${t}`, limits.why(t)]);
  };
  // A table the target cannot hold names the typed array to pass instead.
  const table = (k: number, at: number): void => {
    const t = fn.tables![k]!;
    if (!limits || limits.dtypes.has(t.dtype)) return;
    const instead = isFloatType(t.dtype) ? 'Float32Array' : isSigned(t.dtype) ? 'Int32Array' : 'Uint32Array';
    throw kernelError(limits.code, fn.source, at, [`table '${t.name}' of type ${t.dtype}`, `its elements have no WGSL type; pass the table as a ${instead}`]);
  };
  const call = (e: Extract<E, { kind: 'call' }>): void => {
    const row = INTRINSICS.get(e.fn)!;
    const missing = support.spellings.find((s) => row[s] === undefined);
    if (missing !== undefined && limits) throw kernelError(limits.code, fn.source, e.at, [intrinsicSpelling(e.fn), `it has no ${missing} spelling`]);
    if (missing !== undefined) throw new Error(`intrinsic '${e.fn}' has no '${missing}' spelling`);
  };
  const expr = (e: E): void => {
    switch (e.kind) {
      case 'length': return;
      case 'load':
        if (e.array.kind === 'table') table(e.array.table, e.at);
        else type(e.type, e.at, 'an element');
        e.indices.forEach(expr);
        return;
      default: type(e.type, e.at, 'a value');
    }
    switch (e.kind) {
      case 'unary': case 'cast': expr(e.arg); break;
      case 'compare': type(e.operand, e.at, 'an operand'); expr(e.left); expr(e.right); break;
      case 'binary': case 'logical': expr(e.left); expr(e.right); break;
      case 'select': expr(e.cond); expr(e.then); expr(e.else); break;
      case 'call': call(e); e.args.forEach(expr); break;
      case 'helper': e.args.forEach(expr); break;
      default: break;
    }
  };
  const stmts = (body: readonly Stmt<DType>[]): void => {
    for (const s of body) {
      switch (s.kind) {
        case 'let': {
          const l = fn.locals[s.local]!;
          type(l.type, l.at, `'${l.name}'`);
          expr(s.init);
          break;
        }
        case 'assign': expr(s.value); break;
        case 'store': s.indices.forEach(expr); expr(s.value); break;
        case 'alloc': s.shape.forEach(expr); if (s.value) expr(s.value); break;
        case 'if': expr(s.cond); stmts(s.then); stmts(s.else); break;
        case 'while': expr(s.cond); stmts(s.body); break;
        case 'for': stmts(s.init); if (s.cond) expr(s.cond); stmts(s.update); stmts(s.body); break;
        case 'return': if (s.value) expr(s.value); break;
        case 'scratch': {
          const a = fn.scratch![s.id]!;
          type(a.dtype, a.at, `scratch array '${a.name}' (new ${a.ctor})`);
          // WGSL's function-scope arrays have a size fixed at compile time (a private array).
          if (support.fixedScratch && s.length.kind !== 'const') {
            throw kernelError('NB6002', fn.source, s.length.at, [a.name, `its length must be known when the kernel compiles (a literal, or a const of literals), as WGSL's arrays have a fixed size; got an expression`]);
          }
          if (support.fixedScratch && s.length.kind === 'const' && !(Number(s.length.value) >= 0 && Number(s.length.value) <= MAX_GPU_SCRATCH)) {
            throw kernelError('NB6002', fn.source, s.length.at, [a.name, `its length must be in 0..${MAX_GPU_SCRATCH} (a private array of each invocation), got ${String(s.length.value)}`]);
          }
          expr(s.length);
          break;
        }
        default: break;
      }
    }
  };
  // Tables first: a float64 table makes float64 values around it, and the fix is the table's.
  forEachExpr(fn.body, (e) => { if (e.kind === 'load' && e.array.kind === 'table') table(e.array.table, e.at); });
  for (const p of fn.params) {
    if (p.literal) continue;
    if (p.array) type(p.array.dtype, p.at, `array '${p.name}'`);
    else type(p.scalar!, p.at, `parameter '${p.name}'`);
  }
  if (fn.returns !== 'void') type(fn.returns, fn.params[0]?.at ?? 0, 'the result');
  stmts(fn.body);
}

/**
 * Check that `target` can run `program`.
 *
 * @throws KernelError (NB6001 on the gpu target) at the first construct the target lacks.
 * @example
 * ```ts
 * const k = compileKernel((a: number, b: number) => a / b, 'i4(i4, i4)', { kind: 'scalar', target: 'gpu' });
 * validateTarget(k.ir, 'gpu'); // KernelError NB6001: a value of type float64 cannot run on the 'gpu' target ...
 * ```
 */
export function validateTarget(program: IRProgram, target: KernelTarget): void {
  const support = TARGET_SUPPORT[target];
  for (const h of program.helpers) validateFunction(h, support);
  validateFunction(program.main, support);
}
