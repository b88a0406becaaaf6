/**
 * compileJit: a whole JS function over NDArrays, TypedArrays and scalars (`nb.jit`, src/jit)
 * + the types of one call's arguments → typed IR, an AssemblyScript unit with one exported
 * entry, and the JS reference, on the same front end, IR, inference, passes and emitters as
 * compileKernel.
 *
 * Steps:
 *   1. parse the function and its helpers; lower with the jit hooks (frontend/jit-members.ts):
 *      each parameter is an NDArray of some ndim, a TypedArray, or a scalar, and `a.shape[k]`,
 *      `a.get(...)`, `a.set(...)`, `t[i]`, `nb.prange` become IR;
 *   2. give every axis of every array parameter its own dim (the program's `core`: NDArray
 *      `a` of ndim 2 has dims `a.shape[0]`, `a.shape[1]`; TypedArray `t` has `t.length`), so
 *      each size is a `length` node and the gufunc machinery (bounds checks, emitters' size
 *      parameters) applies unchanged;
 *   3. the result: the declared one (explicit signature), else 'void' when no `return` has a
 *      value, else the join of the returned values (every path must return then: NB3001);
 *   4. infer (kind 'jit'), fold (fastmath), wrap negative NDArray indices as NDArray.get does
 *      (passes/negative-index.ts), add the bounds checks, validate;
 *   5. emit the AS unit: helpers, the function (inlined) and the entry
 *      `<prefix>jit(a, a_s0, a_s1, ..., x, ..., n0, n1, ...)` (per array parameter its
 *      address and byte strides, per scalar its value, then every dim's size), which passes a
 *      constant stride for the last axis of arrays specialised as contiguous (`f8[:, ::1]`);
 *      and the JS reference, whose `kernel` takes (data, element offset, element strides)
 *      per array instead.
 */
import { createHash } from '../platform/hash.node.js';
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { linkAssemblyScript, type AsUnit } from './emit/assemblyscript/emit-module.js';
import { allocImportDecl, AsFunctionEmitter, strideName, sizeName, tableData } from './emit/assemblyscript/emit-function.js';
import { emitJs, instantiateJs, type JsJitAllocator } from './emit/js/emit-module.js';
import { helperTable, lowerHelper, rejectHelperCalls, type HelperMap } from './compile.js';
import { kernelConstants, KernelTables, type KernelConstants } from './constants.js';
import { kernelError } from './frontend/diagnostics.js';
import type { JitParamKind } from './frontend/lower-expr.js';
import { lowerFunction } from './frontend/lower.js';
import { parseKernel } from './frontend/parse.js';
import { checkGuesses, jitAllocations, type JitAllocation } from './frontend/jit-alloc.js';
import { checkVoidCalls } from './frontend/jit-void.js';
import { JitRetype } from './frontend/jit-ufunc.js';
import type { TupleSlot } from './frontend/jit-tuple.js';
import { inferProgram, type ParamSpec } from './ir/infer.js';
import { forEachExpr, forEachStmt, helperKey, type BoundsSite, type CoreInfo, type IRFunction, type IRProgram, type ScratchSite } from './ir/nodes.js';
import { boundsChecks } from './ir/passes/bounds-check.js';
import { checkReturns } from './ir/passes/check-returns.js';
import { fastmath } from './ir/passes/fastmath.js';
import { foldConstants } from './ir/passes/fold-constants.js';
import { ascOptimizeLevel, checkOperands, kernelSize } from './ir/passes/limits.js';
import { negativeIndices } from './ir/passes/negative-index.js';
import { pointerWalks } from './ir/passes/pointer-walk.js';
import { scratchSites } from './ir/passes/scratch.js';
import { validateProgram } from './ir/passes/validate.js';
import { printProgram } from './ir/print.js';
import { asType } from './ir/types.js';
import { ASC_FLAGS } from './toolchain/asc.js';
import type { JitArgType } from './jit-types.js';
import { prangeEmitter, prangeLoops, stripPrange, type PrangeInfo } from './jit-prange.js';

export type { JitArgType } from './jit-types.js';

/** Options of {@link compileJit}. */
export interface CompileJitOptions {
  /** The result type: a dtype (explicit signature), 'void', or 'infer' (default). */
  readonly returns?: DType | 'void' | 'infer';
  readonly helpers?: HelperMap;
  readonly constants?: KernelConstants;
  readonly name?: string;
  readonly prefix?: string;
  readonly fastmath?: boolean;
  readonly boundscheck?: boolean;
  /** The 'parallel' target: outermost `nb.prange` loops run on the worker pool (jit-prange.ts). */
  readonly parallel?: boolean;
}

/** The result of {@link compileJit}. */
export interface CompiledJit {
  readonly name: string;
  /** The specialisation as a signature: `'float64(float64[:,::1], int64)'`. */
  readonly signature: string;
  /** The argument types: the call's, then one NDArray per allocation (the hidden parameters the caller allocates). */
  readonly args: readonly JitArgType[];
  /** The function's allocations (`const out = nb.empty(shape, dtype)`), made by the caller before the call (frontend/jit-alloc.ts). */
  readonly allocations: readonly JitAllocation[];
  /** The allocation the function returns (an index into `allocations`), or null (`returns` is its result). */
  readonly resultAllocation: number | null;
  /** A function that returns an array literal: what each position is (frontend/jit-tuple.ts); null otherwise. */
  readonly tuple: readonly TupleSlot[] | null;
  readonly ir: IRProgram;
  readonly irText: string;
  /** The result dtype, or 'void'. */
  readonly returns: DType | 'void';
  readonly asUnit: AsUnit;
  readonly asSource: string;
  readonly jsSource: string;
  /** The JS reference: per array (data, element offset, element strides...), per scalar its value, then the sizes. */
  readonly jsFunction: (...args: unknown[]) => unknown;
  /**
   * Sets the allocator `jsFunction`'s allocations call (emit/js setAllocator; src/jit/alloc-host.ts
   * `JitAllocHost.js` records heap arrays); each dynamic allocation's hidden parameter is passed
   * as (null, 0, 0...) with sizes 0.
   */
  readonly jsSetAllocator: (allocate: JsJitAllocator | null) => void;
  /** The exported entry (`<prefix>jit`). */
  readonly entry: string;
  /** Per parameter: does the function write its elements (TypedArray copies are copied back then)? */
  readonly written: readonly boolean[];
  /** Does the source (or a constant) hold a bigint literal (src/jit: int64 results are then bigints)? */
  readonly bigintLiterals: boolean;
  readonly bounds: readonly BoundsSite[];
  /** The scratch allocation sites (`new Float64Array(n)` in it or its helpers; empty: none). */
  readonly scratch: readonly ScratchSite[];
  readonly boundscheck: boolean;
  /** 'parallel' with prange loops: what the host needs to run them (jit-prange.ts); else null. */
  readonly prange: PrangeInfo | null;
  readonly key: string;
}

const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

const isArray = (a: JitArgType): a is Exclude<JitArgType, { kind: 'scalar' }> => a.kind !== 'scalar';
const ndimOf = (a: JitArgType): number => (a.kind === 'ndarray' || a.kind === 'array' ? a.ndim : a.kind === 'typed' ? 1 : 0);
/** Is the last axis's stride known to be one element (TypedArrays always)? */
const unitInner = (a: JitArgType): boolean => a.kind === 'typed' || ((a.kind === 'ndarray' || a.kind === 'array') && a.contiguous && a.ndim > 0);

/**
 * A jit argument type as signature text: `float64[:,::1]` (an NDArray whose last axis has
 * unit stride), `float64[:,:]` (any strides), `Float64Array`, `int64`.
 *
 * @example
 * ```ts
 * jitTypeText({ kind: 'ndarray', dtype: 'float64', ndim: 2, contiguous: true }); // 'float64[:,::1]'
 * ```
 */
export function jitTypeText(a: JitArgType): string {
  switch (a.kind) {
    case 'scalar': return a.dtype;
    case 'typed': return DTYPES[a.dtype].TypedArray.name;
    default: {
      if (a.ndim === 0) return `${a.dtype}[]`;
      const dims = Array<string>(a.ndim).fill(':');
      if (a.contiguous) dims[a.ndim - 1] = '::1';
      return `${a.dtype}[${dims.join(',')}]`;
    }
  }
}

function paramKind(a: JitArgType): JitParamKind {
  switch (a.kind) {
    case 'ndarray': return { kind: 'ndarray', ndim: a.ndim };
    case 'array': return { kind: 'array', ndim: a.ndim };
    case 'typed': return { kind: 'typed' };
    case 'scalar': return { kind: 'scalar' };
  }
}

/**
 * The helpers `main` calls, lowered on demand: one lowering per tuple of array arguments
 * (`mean(img, i, j)` with `img` a 2-D NDArray lowers `mean` with the jit hooks of that tuple,
 * under {@link helperKey}), and the helpers those call, in turn.
 */
function lowerJitHelpers(
  table: ReturnType<typeof helperTable>, lowering: Parameters<typeof lowerHelper>[2], main: IRFunction<null>,
): Map<string, IRFunction<null>> {
  const helpers = new Map<string, IRFunction<null>>();
  const queue = [main];
  for (let fn = queue.pop(); fn !== undefined; fn = queue.pop()) {
    rejectHelperCalls(table, [fn]);
    forEachExpr(fn.body, (e) => {
      if (e.kind !== 'helper') return;
      const key = helperKey(e.name, e.arrays);
      const entry = table.get(e.name);
      if (helpers.has(key) || entry === undefined || !('text' in entry)) return;
      const count = e.args.length + (e.arrays?.length ?? 0);
      const kinds: JitParamKind[] = Array.from({ length: count }, () => ({ kind: 'scalar' }));
      for (const a of e.arrays ?? []) kinds[a.position] = a.api === 'typed' ? { kind: 'typed' } : { kind: a.api, ndim: a.ndim };
      const lowered = lowerHelper(table, e.name, lowering, kinds);
      helpers.set(key, lowered);
      queue.push(lowered);
    });
  }
  checkVoidCalls([main, ...helpers.values()], helpers);
  return helpers;
}

/** Per function of `p`, the array parameters it writes (stores, and arrays it passes to helpers that write them). */
function writtenParams(p: IRProgram): (fn: IRFunction<DType>) => ReadonlySet<number> {
  const memo = new Map<IRFunction<DType>, Set<number>>();
  const writes = (fn: IRFunction<DType>): Set<number> => {
    let out = memo.get(fn);
    if (out) return out;
    out = new Set();
    memo.set(fn, out);
    forEachStmt(fn.body, (s) => { if (s.kind === 'store' && s.array.kind === 'param') out!.add(s.array.index); });
    forEachExpr(fn.body, (e) => {
      if (e.kind !== 'helper') return;
      const inner = writes(p.helpers[e.index]!);
      for (const a of e.arrays ?? []) if (inner.has(a.position) && a.array.kind === 'param') out!.add(a.array.index);
    });
    return out;
  };
  return writes;
}

/** The AS entry: takes what the function takes and calls it (inlined), with constant inner strides where known. */
function entry(p: IRProgram, em: AsFunctionEmitter, args: readonly JitArgType[], prefix: string): string {
  const fn = p.main;
  const pass: string[] = [];
  fn.params.forEach((q, k) => {
    pass.push(q.emitName);
    const a = args[k]!;
    for (let j = 0; j < ndimOf(a) && isArray(a); j++) {
      const s = strideName(q.emitName, j);
      pass.push(j === ndimOf(a) - 1 && unitInner(a) ? `<usize>${DTYPES[a.dtype].itemSize}` : s);
    }
  });
  p.core!.dims.forEach((_, d) => pass.push(sizeName(d)));
  const ret = fn.returns === 'void' ? 'void' : asType(fn.returns);
  const call = `${em.fnName(fn)}(${pass.join(', ')})`;
  return [
    `export function ${prefix}jit(${em.params(fn)}): ${ret} {`,
    fn.returns === 'void' ? `  ${call};` : `  return ${call};`,
    '}',
  ].join('\n');
}

/**
 * Compile a jit function for one tuple of argument types.
 *
 * @throws KernelError (NBxxxx) for anything the kernel language (with jit's arrays) does not
 *   have, with the function's line, column and a code frame.
 * @example
 * ```ts
 * const k = compileJit((a: NDArray) => { let s = 0.0; for (let i = 0; i < a.shape[0]; i++) s += a.get(i); return s; },
 *   [{ kind: 'ndarray', dtype: 'float64', ndim: 1, contiguous: true }]);
 * k.signature; // 'float64(float64[::1])'
 * ```
 */
export function compileJit(fn: ((...args: never[]) => unknown) | string, userArgs: readonly JitArgType[], options: CompileJitOptions = {}): CompiledJit {
  // A ufunc's scalar operand compiles as a weak float until inference says it is an integer
  // or a bool (frontend/jit-ufunc.ts): then once more with what it learned.
  let guesses: ReadonlyMap<string, string> = new Map();
  for (let attempt = 0; ; attempt++) {
    try {
      return compileJitWith(fn, userArgs, options, guesses);
    } catch (e) {
      if (!(e instanceof JitRetype) || attempt >= 3) throw e;
      guesses = e.kinds;
    }
  }
}

function compileJitWith(
  fn: ((...args: never[]) => unknown) | string, userArgs: readonly JitArgType[], options: CompileJitOptions, guesses: ReadonlyMap<string, string>,
): CompiledJit {
  const name = options.name ?? ((typeof fn === 'function' && fn.name) || 'jit');
  const text = typeof fn === 'string' ? fn : Function.prototype.toString.call(fn);
  // Helpers as compileKernel's (plain functions, compiled numbats functions with their own
  // helpers and constants, built-ins); typed-array constants: one table list for the program.
  let table = helperTable(options.helpers ?? {});
  const constants = kernelConstants('nb.jit', options.constants, new Set(table.keys()));
  const tables = new KernelTables();
  // Allocations (`const out = nb.empty(shape, dtype)`): hidden NDArray parameters the caller
  // allocates before the call (frontend/jit-alloc.ts); `return out` returns that array.
  const parsed = parseKernel(text, name);
  const alloc = jitAllocations(parsed, userArgs, userArgs.map(paramKind), new Set(table.keys()), guesses);
  if (Object.keys(alloc.helpers).length > 0) table = helperTable({ ...options.helpers, ...alloc.helpers });
  const args: readonly JitArgType[] = [...userArgs, ...alloc.allocations.map((a): JitArgType => ({ kind: 'ndarray', dtype: a.dtype, ndim: a.ndim, contiguous: true }))];
  const kinds = alloc.kinds;
  const main = lowerFunction(parsed, {
    emitName: 'kernel', helpers: new Set(table.keys()), jit: kinds, jitAllocs: alloc.dynamic, tables, ...(constants ? { constants } : {}),
  });
  const helpers = lowerJitHelpers(table, { tables, ...(constants ? { constants } : {}) }, main);
  const at0 = main.params[0]?.at ?? 0;
  if (main.params.length !== args.length) throw kernelError('NB2012', main.source, at0, [main.params.length, args.length]);
  // Every array axis its own dim; scalars none.
  const dims: string[] = [];
  const operands = args.map((a, k) => {
    const p = main.params[k]!.name;
    if (a.kind === 'typed') return [dims.push(`${p}.length`) - 1];
    return Array.from({ length: ndimOf(a) }, (_, j) => dims.push(`${p}.shape[${j}]`) - 1);
  });
  const core: CoreInfo = { nin: args.length, dims, operands };
  checkOperands(main, 0);
  kernelSize([main, ...helpers.values()]);
  let valued = false;
  forEachStmt(main.body, (s) => { if (s.kind === 'return' && s.value !== null) valued = true; });
  const declared = options.returns ?? 'infer';
  if (declared === 'void' && valued) throw kernelError('NB5003', main.source, at0, ['the signature returns void but the function returns a value']);
  if (declared !== 'void' && declared !== 'infer' && !valued) throw kernelError('NB5003', main.source, at0, [`the signature returns ${declared} but the function returns nothing`]);
  if ((alloc.result !== null || alloc.tuple !== null) && declared !== 'infer') {
    throw kernelError('NB5003', main.source, at0, [`the signature returns ${declared} but the function returns ${alloc.tuple !== null ? 'an array literal' : 'an array it allocates'}`]);
  }
  const returns = declared === 'infer' ? (valued ? 'infer' : 'void') : declared;
  if (returns !== 'void' || alloc.result !== null || alloc.tuple !== null) checkReturns(main);
  const wraps = (k: number): boolean => kinds[k]!.kind === 'ndarray' || (kinds[k]!.kind === 'array' && ndimOf(args[k]!) !== 1);
  const params: ParamSpec[] = args.map((a, k) => (isArray(a)
    ? { array: { dtype: a.dtype, ndim: ndimOf(a), isOutput: false, coreDims: operands[k]!, ...(wraps(k) ? { negative: true } : {}) } }
    : { scalar: a.dtype }));
  const inferred = inferProgram({ kind: 'jit', main, params, returns, helpers, tables: tables.list });
  // On 'cpu' a prange loop is an ordinary loop; so is one in a helper on 'parallel'.
  const typed = { ...inferred, main: options.parallel ? inferred.main : stripPrange(inferred.main), helpers: inferred.helpers.map(stripPrange) };
  checkGuesses(alloc, typed.main);
  const fm = options.fastmath ?? false;
  const fold = (f: IRFunction<DType>) => (fm ? fastmath(foldConstants(f)) : foldConstants(f));
  const boundscheck = options.boundscheck ?? true;
  const wrapped = negativeIndices(
    { kind: 'jit', main: fold(typed.main), helpers: typed.helpers.map(fold), core, fastmath: fm, ...(tables.list.length > 0 ? { tables: tables.list } : {}) },
  );
  const checked = boundsChecks(wrapped, boundscheck);
  validateProgram(checked);
  // (after the bounds pass, so that the sites number the statements the emitters print)
  const ir = scratchSites(checked);
  const prefix = options.prefix ?? '';
  const walked = pointerWalks(ir);
  const pr = options.parallel ? prangeEmitter(walked, { prefix }, (k) => unitInner(args[k]!)) : null;
  const em = pr?.emitter ?? new AsFunctionEmitter(walked, { prefix });
  // The host's allocator, one import per rank allocated (ir/nodes.ts AllocStmt).
  const ranks = new Set<number>();
  forEachStmt(walked.main.body, (s) => { if (s.kind === 'alloc') ranks.add(s.shape.length); });
  const code = [...[...ranks].map((r) => allocImportDecl(prefix, r)), ...(walked.tables ?? []).map((t) => tableData(prefix, t)), ...walked.helpers.map((h) => em.function(h)), em.function(walked.main, ['@inline']), entry(walked, em, args, prefix), ...(pr ? [pr.code()] : [])].join('\n\n');
  const asUnit: AsUnit = { prefix, code, optimize: ascOptimizeLevel(kernelSize([ir.main, ...ir.helpers])) };
  const result = ir.main.returns;
  const slotText = (s: TupleSlot) => (s.kind === 'arg' ? jitTypeText(userArgs[s.index]!) : s.kind === 'scalar' ? s.dtype : jitTypeText(args[userArgs.length + s.allocation]!));
  const resultText = alloc.tuple !== null ? `[${alloc.tuple.map(slotText).join(', ')}]`
    : alloc.result === null ? result : jitTypeText(args[userArgs.length + alloc.result]!);
  const signature = `${resultText}(${userArgs.map(jitTypeText).join(', ')})`;
  const asSource = linkAssemblyScript([asUnit], `${name}: ${signature}`);
  // (on 'parallel', prange loops run as the Wasm tier's blocks, in order: the same reduction bits)
  const jsSource = emitJs(ir, options.parallel && pr !== null ? prangeLoops(ir) : undefined);
  const js = instantiateJs(jsSource);
  const writes = writtenParams(ir);
  const written = args.map((_, k) => writes(ir.main).has(k));
  let bigintLiterals = Object.values(constants ?? {}).some((v) => typeof v === 'bigint');
  for (const f of [main, ...helpers.values()]) forEachExpr(f.body, (e) => { if (e.kind === 'const' && typeof e.value === 'bigint') bigintLiterals = true; });
  return {
    name, signature, args, allocations: alloc.allocations, resultAllocation: alloc.result, tuple: alloc.tuple, ir, irText: printProgram(ir), returns: result, asUnit, asSource, jsSource,
    jsFunction: js.kernel, jsSetAllocator: js.setAllocator!, entry: `${prefix}jit`, written, bigintLiterals,
    bounds: ir.bounds ?? [], scratch: ir.scratch ?? [], boundscheck, prange: pr?.info ?? null,
    key: createHash('sha256').update(asSource).update('\0').update(ASC_FLAGS.join(' ')).update(fm ? '\0fastmath' : '')
      .update(boundscheck ? '' : '\0noboundscheck').digest('hex'),
  };
}
