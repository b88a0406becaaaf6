/**
 * Compiler limits and asc's optimisation level (issue 19 item 7): what a kernel may be, and
 * how hard Binaryen may work on it.
 *
 * Steps (compile.ts and stencil.ts run them after lowering; the nesting limit NB7003 was
 * checked before lowering, frontend/nesting.ts):
 *   1. operands: parameters, plus the result of a scalar or stencil kernel, at most
 *      {@link MAX_KERNEL_OPERANDS} (NB7001, at the first parameter past the limit);
 *   2. size: IR nodes (statements and expressions) of the kernel and its helpers, at most
 *      {@link MAX_KERNEL_NODES} (NB7002, at the statement that crosses the limit);
 *   3. the optimisation level ({@link ascOptimizeLevel}): -O3, or -O0 for a kernel past
 *      {@link OPTIMIZE_NODE_LIMIT} weighted nodes or {@link OPTIMIZE_DEPTH_LIMIT} deep.
 *
 * Why step 3. Our own phases are linear in kernel size (scripts/compile-time.ts: parse to
 * AS source takes 0.1-0.3 s for 4,000 statements), but Binaryen's -O3 pipeline is not:
 * once simplify-locals sinks a chain of single-use locals (`s = s * 1.0001 + 1` repeated)
 * into one expression thousands of levels deep, optimize-instructions, local-cse,
 * precompute-propagate and simplify-locals itself each cost O(depth^2). Measured with
 * Binaryen 131 (asc 0.28) on this project's 2-vCPU machine, asc in the compiler worker:
 * 500 statements 3.1 s, 1,000 5.3 s, 2,000 13.7 s, 4,000 84 s, 20,000 never finished;
 * run pass by pass on 2,000 statements, optimize-instructions took 10.4 s of 21.6 s. With
 * -O0 (Binaryen's optimizer off) asc is linear: 4,000 statements 0.3 s, 20,000 0.6 s
 * (front end included: 0.6 s and 1.8 s). V8 compiles the module with its own optimizing
 * tier either way: 500-statement chains, if/else ladders and straight-line SIMD kernels ran
 * at the same ns/element at -O0 and -O3, within this machine's noise; a loop whose body
 * holds 300 statements ran 1.6x slower at -O0 (10 against 6 us/element: Binaryen's
 * local-cse and code size), for 1.1 s of compile time instead of 3.8 s. At the limit
 * (2,000 nodes: a 330-statement chain) -O3 takes 1.3 s. Small kernels (almost all) keep
 * -O3.
 * The level travels in the linked AS source's first line (emit/assemblyscript/emit-module.ts),
 * so the compile cache keys on it; toolchain/asc.ts turns it into the asc flag.
 */
import { forEachChild, type IRFunction, type Stmt, type Expr } from '../nodes.js';
import { kernelError } from '../../frontend/diagnostics.js';

/** Operands of one kernel (inputs and outputs): NumPy 2's NPY_MAXARGS, as Numba's ufuncs. */
export const MAX_KERNEL_OPERANDS = 64;

/**
 * IR nodes of a kernel and its helpers (each copy counted). At -O0 compile time stays
 * linear, so the limit only bounds the wait: 80,000 statements of `s = s * 1.0001 + 1`
 * (480,000 nodes) took 3.9 s in the front end and 1.1 s in asc; a kernel that size is
 * generated code that a loop would say better.
 */
export const MAX_KERNEL_NODES = 500_000;

/** Weighted IR nodes past which asc compiles with -O0 (see the file header). */
export const OPTIMIZE_NODE_LIMIT = 2_000;

/** Expression depth past which asc compiles with -O0 (a 1,000-term sum took 7 s at -O3). */
export const OPTIMIZE_DEPTH_LIMIT = 200;

/** asc's optimisation level for a unit. */
export type AscOptimizeLevel = 0 | 3;

/**
 * NB7001 when a kernel has more than {@link MAX_KERNEL_OPERANDS} operands.
 *
 * @param result - 1 when the kernel's result is an operand (scalar and stencil kernels).
 * @example
 * ```ts
 * checkOperands(main, 1); // scalar kernel: at most 63 parameters
 * ```
 */
export function checkOperands<T>(fn: IRFunction<T>, result: 0 | 1): void {
  const operands = fn.params.length + result;
  if (operands <= MAX_KERNEL_OPERANDS) return;
  const first = fn.params[MAX_KERNEL_OPERANDS - result]!;
  throw kernelError('NB7001', fn.source, first.at, [operands, MAX_KERNEL_OPERANDS]);
}

/** Size of a set of functions. */
export interface KernelSize {
  /** Statements and expressions. */
  readonly nodes: number;
  /** The deepest expression (a leaf is 1). */
  readonly depth: number;
}

/** Nodes and depth of one expression (recursion is bounded: frontend/nesting.ts). */
function exprSize<T>(e: Expr<T>): KernelSize {
  let nodes = 1;
  let depth = 0;
  const add = (x: Expr<T>) => {
    const s = exprSize(x);
    nodes += s.nodes;
    depth = Math.max(depth, s.depth);
  };
  forEachChild(e, add);
  return { nodes, depth: depth + 1 };
}

/** The expressions a statement holds directly (not those of nested statements). */
function ownExprs<T>(s: Stmt<T>): Expr<T>[] {
  switch (s.kind) {
    case 'let': return [s.init];
    case 'assign': return [s.value];
    case 'store': return [...s.indices, s.value];
    case 'if': case 'while': return [s.cond];
    case 'for': return s.cond ? [s.cond] : [];
    case 'return': return s.value ? [s.value] : [];
    case 'scratch': return [s.length];
    case 'alloc': return s.value ? [...s.shape, s.value] : [...s.shape];
    default: return [];
  }
}

/**
 * Measure functions; NB7002 at the statement where the running count passes
 * {@link MAX_KERNEL_NODES}.
 *
 * @param weights - how many copies of each function the emitted module holds (default 1).
 * @example
 * ```ts
 * kernelSize([main, ...helpers]); // { nodes: 12, depth: 4 }
 * ```
 */
export function kernelSize<T>(fns: readonly IRFunction<T>[], weights: readonly number[] = []): KernelSize {
  let nodes = 0;
  let depth = 0;
  fns.forEach((fn, k) => {
    const w = weights[k] ?? 1;
    const visit = (body: readonly Stmt<T>[]) => {
      for (const s of body) {
        nodes += w;
        for (const e of ownExprs(s)) {
          const z = exprSize(e);
          nodes += w * z.nodes;
          depth = Math.max(depth, z.depth);
        }
        if (nodes > MAX_KERNEL_NODES) throw kernelError('NB7002', fn.source, s.at, [nodes, MAX_KERNEL_NODES]);
        if (s.kind === 'if') { visit(s.then); visit(s.else); }
        if (s.kind === 'for') { visit(s.init); visit(s.update); visit(s.body); }
        if (s.kind === 'while') visit(s.body);
      }
    };
    visit(fn.body);
  });
  return { nodes, depth };
}

/**
 * -O3, or -O0 for a kernel whose emitted size (each function weighted by its copies in the
 * module) is past {@link OPTIMIZE_NODE_LIMIT} or whose expressions nest past
 * {@link OPTIMIZE_DEPTH_LIMIT}.
 *
 * @example
 * ```ts
 * ascOptimizeLevel({ nodes: 40, depth: 5 });     // 3
 * ascOptimizeLevel({ nodes: 24000, depth: 4 });  // 0
 * ```
 */
export function ascOptimizeLevel(size: KernelSize): AscOptimizeLevel {
  return size.nodes > OPTIMIZE_NODE_LIMIT || size.depth > OPTIMIZE_DEPTH_LIMIT ? 0 : 3;
}
