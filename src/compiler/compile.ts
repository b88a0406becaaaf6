/**
 * compileKernel: a JS function + a signature → typed IR, AssemblyScript source and a JS
 * reference implementation (DESIGN.md's pipeline, up to the emitters).
 *
 * Steps:
 *   1. parse the signature (signature.ts) and the kernel's `fn.toString()` (frontend/parse.ts);
 *   2. check and freeze `options.constants` (constants.ts); gather the helpers
 *      (options.helpers and the helpers of the compiled functions among them:
 *      {@link helperTable}), lower the kernel and every helper to the untyped IR
 *      (frontend/lower.ts, {@link lowerHelpers}: free names read the constants; the typed
 *      arrays among them become the program's tables, numbered as met), check the
 *      compiler limits (operands, size: passes/limits.ts), the parameter count and the
 *      layout against the signature, check that scalar kernels and helpers return on every
 *      path, and lint gufunc kernels (passes/lint-gufunc.ts);
 *   3. infer types (ir/infer.ts), fold constants, with `fastmath` reassociate float
 *      accumulation loops (passes/fastmath.ts), with `boundscheck` (the default) give every
 *      element index not proven in range a check site (passes/bounds-check.ts), validate
 *      the typed IR;
 *   4. decide the SIMD path (passes/simd.ts), the pointer walks (passes/pointer-walk.ts)
 *      and asc's optimisation level (passes/limits.ts: -O0 for large kernels), emit the AS
 *      unit and module source from them, emit and instantiate the JS reference.
 * A device target checks the typed IR against what it supports itself, after its own
 * operand policy (src/gpu runs passes/validate-target.ts before it emits WGSL).
 * Compiling the AS source to Wasm is a separate, asynchronous step
 * ({@link compileKernelWasm}, toolchain/asc.ts), so that callers can cache by `key` first.
 */
import { createHash } from '../platform/hash.node.js';
import type { DType } from '../dtype/dtypes.js';
import { emitAssemblyScript, linkAssemblyScript, type AsUnit } from './emit/assemblyscript/emit-module.js';
import { emitJs, instantiateJs, type JsKernelModule } from './emit/js/emit-module.js';
import * as BUILTIN_UFUNCS from '../builtins/generated/exports.js';
import { math as NB_MATH } from '../math/index.js';
import { kernelConstants, KernelTables, type KernelConstants } from './constants.js';
import { kernelError, toError, type KernelDiagnostic, type SourceText } from './frontend/diagnostics.js';
import { resolveNumbatsCallee } from './frontend/numbats-names.js';
import { voidHelper } from './frontend/jit-void.js';
import { lowerFunction } from './frontend/lower.js';
import type { JitParamKind } from './frontend/lower-expr.js';
import { parseKernel } from './frontend/parse.js';
import { inferProgram, type ParamSpec } from './ir/infer.js';
import { forEachExpr, type BoundsSite, type CoreInfo, type IRFunction, type IRProgram, type ScratchSite } from './ir/nodes.js';
import { scratchSites } from './ir/passes/scratch.js';
import { boundsChecks } from './ir/passes/bounds-check.js';
import { checkReturns } from './ir/passes/check-returns.js';
import { fastmath, unrollStrict } from './ir/passes/fastmath.js';
import { foldConstants } from './ir/passes/fold-constants.js';
import { lintGufunc } from './ir/passes/lint-gufunc.js';
import { pointerWalks } from './ir/passes/pointer-walk.js';
import { ascOptimizeLevel, checkOperands, kernelSize } from './ir/passes/limits.js';
import { simdBroadcasts, simdType } from './ir/passes/simd.js';
import { validateProgram } from './ir/passes/validate.js';
import { printProgram } from './ir/print.js';
import type { KernelTarget } from './ir/target-support.js';
import { parseKernelSignature, type KernelSignature } from './signature.js';
import { ASC_FLAGS, compileAssemblyScript, type AscOptions, type WasmCompileResult } from './toolchain/asc.js';

/**
 * Core dims of a gufunc kernel. `GufuncSignature` from src/ufunc/gufunc-signature.ts fits
 * (its `dims` are records with a `name`).
 */
export interface CoreLayoutInput {
  readonly nin: number;
  readonly dims: readonly (string | { readonly name: string })[];
  /** Per parameter (inputs, then outputs): its core dims as indices into `dims`. */
  readonly operands: readonly (readonly number[])[];
}

export interface CompileKernelOptions {
  /** 'scalar' (vectorize: scalars in, one scalar out) or 'gufunc' (guvectorize: arrays, outputs written). */
  readonly kind: 'scalar' | 'gufunc';
  /**
   * Numba's `fastmath=True`: float accumulation loops are reassociated into K independent
   * partial sums (ir/passes/fastmath.ts), in the IR, so every emitter prints the same program.
   */
  readonly fastmath?: boolean;
  /**
   * 'gpu': literal-initialised locals are 32-bit (int32/float32), as WGSL has no 64-bit
   * types (infer.ts `narrowLocals`); the JS and AS emitters print the same typed IR.
   */
  readonly target?: KernelTarget;
  /**
   * Functions the kernel may call by name; compiled (specialised per argument types) with it:
   * plain functions in the kernel language (or their source), functions made by nb.vectorize
   * (their kernels and helpers, see {@link KERNEL_SOURCE}), built-in ufuncs with a scalar
   * form, nb.math and Math functions (the helpers section below).
   */
  readonly helpers?: HelperMap;
  /**
   * Values the kernel (and its helpers) read by name, frozen now (compiler/constants.ts):
   * numbers, bigints and booleans become constants typed by the literal rule (an integral
   * number below 2^53 a weak int, any other number a weak float, a bigint a weak int, a
   * boolean a bool); a parameter or local of the same name shadows a constant. Typed arrays
   * are read-only 1-d lookup tables (`t[i]`, `t.length`, `for (const v of t)`), copied now,
   * their elements of the array's dtype, their length a compile-time constant, their indices
   * bounds-checked like arrays'. Values and table contents are printed into the generated
   * source, so `key` (and the compile cache) differ whenever a constant the kernel reads differs.
   */
  readonly constants?: KernelConstants;
  /** gufunc kernels: the layout's core dims (required). */
  readonly core?: CoreLayoutInput;
  /** The kernel's name for messages (default: fn.name or 'kernel'). */
  readonly name?: string;
  /** Prefix of the AS unit's top-level names (default ''), for linking several kernels into one module. */
  readonly prefix?: string;
  /**
   * Emit the reduce tile for `reduce` along a leading axis (emit-module.ts `reduceTile`:
   * binary scalar kernels whose operands share the SIMD lane type; default false, as it adds
   * compile time): vectorize sets it for ufuncs with an identity.
   */
  readonly reduceTile?: boolean;
  /** Turn lint warnings into errors. */
  readonly strict?: boolean;
  /**
   * Check every element index not proven in range (default true; passes/bounds-check.ts):
   * an index outside its axis stops the kernel before the access, and the target reports
   * the site ({@link CompiledKernel.bounds}; src/compiler/bounds.ts). false: no checks.
   */
  readonly boundscheck?: boolean;
}

/** The result of {@link compileKernel}. */
export interface CompiledKernel {
  readonly name: string;
  readonly kind: 'scalar' | 'gufunc';
  readonly signature: KernelSignature;
  /** The typed IR (target-neutral: the AS unit prints it with passes/pointer-walk.ts's walks). */
  readonly ir: IRProgram;
  /** `printProgram(ir)`: the stable text dump. */
  readonly irText: string;
  /** Lane type of the contiguous SIMD path, or null when the row has none. */
  readonly simd: DType | null;
  /** The AS unit (for {@link linkAssemblyScript}) and the complete module source. */
  readonly asUnit: AsUnit;
  readonly asSource: string;
  /** The JS reference: source (body of `new Function('rt', ...)`), N-d loop, and scalar kernel. */
  readonly jsSource: string;
  readonly jsFunction: JsKernelModule['loop'];
  readonly jsKernel: JsKernelModule['kernel'];
  /** Lint warnings (gufunc kernels). */
  readonly warnings: readonly KernelDiagnostic[];
  /** The bounds-check sites the emitted code reports (`ir.bounds`; empty: no checks). */
  readonly bounds: readonly BoundsSite[];
  /**
   * The scratch allocation sites (`ir.scratch`; empty: the kernel allocates no scratch array,
   * and its module has no arena). Hosts give a module with sites an arena per call.
   */
  readonly scratch: readonly ScratchSite[];
  /** Whether it was compiled with bounds checks (`boundscheck`, default true). */
  readonly boundscheck: boolean;
  /** Operand dtypes in ABI order (inputs, then outputs) and the number of inputs. */
  readonly operands: readonly DType[];
  readonly nin: number;
  /** Exported entry names in the module (`<prefix>row`, `<prefix>loop`). */
  readonly entries: { readonly row: string; readonly loop: string };
  /** SHA-256 of the AS source and the asc flags: a compile-cache key (add the asc/numbats versions). */
  readonly key: string;
}

const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

// ---- helpers (options.helpers) ------------------------------------------------------------
//
// A helper is any of:
//   - a plain JS function (or its source text) in the kernel language;
//   - a function numbats compiled from a kernel (nb.vectorize, lazy or eager, on any target):
//     the factories record its kernel and its own helpers under {@link KERNEL_SOURCE}, and the
//     kernel is compiled into the caller like a plain helper (typed per call: its signatures
//     and options do not apply), never called through JS; its helpers come along, merged
//     into one namespace per kernel (the same name for two different functions is NB2013);
//   - a built-in ufunc with a scalar form (`nb.hypot`: the intrinsic a kernel's own
//     `nb.hypot(x, y)` compiles to, numbats-names.ts), an nb.math function, or a Math function;
//   - a gufunc or a stencil: NB2013 where the kernel calls it (a helper takes scalars and
//     returns one; a gufunc takes core arrays, a stencil neighbour accessors).

/** A helper as options.helpers gives it: a function, or a function's source text. */
export type HelperValue = ((...args: never[]) => unknown) | string;

/** options.helpers: the functions a kernel calls, by the names it calls them. */
export type HelperMap = Readonly<Record<string, HelperValue>>;

/**
 * The property under which vectorize, guvectorize and stencil record the kernel of the
 * functions they return (a {@link KernelSourceRecord}; non-enumerable), so that such a
 * function passed in another kernel's options.helpers is compiled into that kernel.
 */
export const KERNEL_SOURCE: unique symbol = Symbol.for('numbats.kernelSource');

/** What {@link KERNEL_SOURCE} holds. */
export interface KernelSourceRecord {
  /** What the kernel is: 'scalar' (vectorize), 'gufunc' (guvectorize) or 'stencil'. */
  readonly kind: 'scalar' | 'gufunc' | 'stencil';
  /** The kernel, as the factory got it. */
  readonly fn: HelperValue;
  /** The factory's options.helpers (a snapshot). */
  readonly helpers: HelperMap;
  /** The factory's options.constants (frozen): the kernel and its own helpers read these where it is a helper. */
  readonly constants?: KernelConstants;
}

/**
 * Record `fn`'s kernel on the function a factory returns (see {@link KERNEL_SOURCE}).
 *
 * @example
 * ```ts
 * attachKernelSource(ufunc, { kind: 'scalar', fn: kernel, helpers: options.helpers ?? {} });
 * ```
 */
export function attachKernelSource<F extends object>(f: F, record: KernelSourceRecord): F {
  Object.defineProperty(f, KERNEL_SOURCE, { value: Object.freeze({ ...record, helpers: Object.freeze({ ...record.helpers }) }) });
  return f;
}

/** One name of a kernel's helper namespace: source text to compile, or why it cannot be called. */
type HelperEntry =
  | {
    readonly text: (names: ReadonlySet<string>) => string; readonly same: string;
    readonly nested?: { readonly helpers: HelperMap; readonly source: SourceText };
    /** The constants of the compiled function it came from (or that brought it), over the kernel's own. */
    readonly constants?: KernelConstants;
  }
  | { readonly reject: string; readonly same: string };

const isUfuncLike = (f: object): boolean =>
  ['nin', 'nout', 'types', 'signature'].every((k) => Object.prototype.hasOwnProperty.call(f, k));

/** Built-in ufuncs, nb.math's and Math's functions, by the object (built on first use). */
let knownFunctions: Map<unknown, { readonly ns: 'ufunc' | 'math' | 'Math'; readonly key: string; readonly nin: number }> | undefined;
function knownFunction(f: unknown) {
  if (knownFunctions === undefined) {
    knownFunctions = new Map();
    for (const [key, u] of Object.entries(BUILTIN_UFUNCS)) knownFunctions.set(u, { ns: 'ufunc', key, nin: (u as { nin: number }).nin });
    for (const [key, g] of Object.entries(NB_MATH)) knownFunctions.set(g, { ns: 'math', key, nin: g.length });
    for (const key of Object.getOwnPropertyNames(Math)) {
      const g = (Math as unknown as Record<string, unknown>)[key];
      if (typeof g === 'function') knownFunctions.set(g, { ns: 'Math', key, nin: g.length });
    }
  }
  return knownFunctions.get(f);
}

/** A name for numbats' namespace in generated helper source that no helper takes. */
const freeNamespace = (names: ReadonlySet<string>): string => {
  let ns = '__numbats';
  while (names.has(ns)) ns += '_';
  return ns;
};

/** The entry of one helper value; `inherited`: the constants of the compiled function that brought it. */
function helperEntry(h: string, f: unknown, inherited?: KernelConstants): HelperEntry {
  const entry = helperEntryOf(h, f);
  const constants = 'text' in entry ? entry.constants ?? inherited : undefined;
  return constants === undefined ? entry : { ...entry, constants };
}

function helperEntryOf(h: string, f: unknown): HelperEntry {
  if (typeof f === 'string') return { text: () => f, same: f };
  if (typeof f !== 'function') throw new TypeError(`compileKernel: helper '${h}' is not a function`);
  const record = (f as { [KERNEL_SOURCE]?: KernelSourceRecord })[KERNEL_SOURCE];
  if (record !== undefined) {
    if (record.kind === 'gufunc') {
      return {
        reject: 'is a gufunc (nb.guvectorize): its parameters are core arrays and it writes its outputs, but a helper ' +
          'takes scalars and returns a value; pass the scalar part of its kernel as a plain function helper instead',
        same: `gufunc:${String(record.fn)}`,
      };
    }
    if (record.kind === 'stencil') {
      return {
        reject: 'is a stencil (nb.stencil): its parameters are neighbour accessors over whole arrays, but a helper ' +
          'takes scalars and returns a value; pass the per-point arithmetic as a plain function helper instead',
        same: `stencil:${String(record.fn)}`,
      };
    }
    const text = typeof record.fn === 'string' ? record.fn : Function.prototype.toString.call(record.fn);
    return {
      text: () => text, same: text, nested: { helpers: record.helpers, source: { text, name: h } },
      ...(record.constants !== undefined ? { constants: record.constants } : {}),
    };
  }
  const known = knownFunction(f);
  if (known !== undefined) {
    const params = Array.from({ length: known.nin }, (_, i) => `x${i}`).join(', ');
    if (known.ns === 'Math') return { text: () => `(${params}) => Math.${known.key}(${params})`, same: `Math.${known.key}` };
    if (known.ns === 'math') return { text: (names) => `(${params}) => ${freeNamespace(names)}.math.${known.key}(${params})`, same: `nb.math.${known.key}` };
    const why = ufuncWithoutScalarForm(known.key);
    if (why !== null) return { reject: why, same: `nb.${known.key}` };
    return { text: (names) => `(${params}) => ${freeNamespace(names)}.${known.key}(${params})`, same: `nb.${known.key}` };
  }
  if (isUfuncLike(f)) {
    return {
      reject: `is a ufunc with no kernel source numbats knows (not made by nb.vectorize, and not a built-in ufunc with a scalar form): pass a plain function in the kernel language instead`,
      same: `ufunc:${String((f as { name?: unknown }).name)}`,
    };
  }
  const text = Function.prototype.toString.call(f);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) {
    return { reject: 'is a native function (no JavaScript source to compile): pass a plain function in the kernel language instead', same: text };
  }
  return { text: () => text, same: text };
}

/** Why built-in ufunc `key` has no scalar form in kernels, or null when it has one. */
function ufuncWithoutScalarForm(key: string): string | null {
  const node = { type: 'MemberExpression', object: { type: 'Identifier', name: 'nb' }, property: { type: 'Identifier', name: key }, computed: false, optional: false };
  const r = resolveNumbatsCallee(node as unknown as Parameters<typeof resolveNumbatsCallee>[0], () => true);
  if (r !== undefined && 'intrinsic' in r) return null;
  return `is ${r !== undefined && 'unsupported' in r ? r.unsupported : `nb.${key} (a built-in ufunc with no scalar form in kernels)`}`;
}

/**
 * The helper namespace of a kernel: options.helpers, then the helpers each compiled function
 * among them brings (breadth first), by name.
 *
 * @throws KernelError NB2013 where a compiled helper brings a helper whose name another,
 *   different, helper already has.
 * @example
 * ```ts
 * const sq = nb.vectorize({ helpers: { inc } })((x) => inc(x) * inc(x));
 * [...helperTable({ sq }).keys()]; // ['sq', 'inc']
 * ```
 */
export function helperTable(helpers: HelperMap): ReadonlyMap<string, HelperEntry> {
  const table = new Map<string, HelperEntry>();
  const from = new Map<string, string>();
  type Via = { readonly name: string; readonly source: SourceText; readonly constants?: KernelConstants };
  let level: { readonly map: HelperMap; readonly via: Via | null }[] = [{ map: helpers, via: null }];
  for (let depth = 0; level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { map, via } of level) {
      if (depth > 64) throw kernelError('NB2013', via!.source, 0, [via!.name, 'compiled helpers nest more than 64 deep (a helpers object that contains itself?)']);
      for (const [h, f] of Object.entries(map)) {
        const entry = helperEntry(h, f, via?.constants);
        const prev = table.get(h);
        if (prev !== undefined) {
          if (prev.same === entry.same) continue;
          // options.helpers' own names are distinct keys: a clash comes from a compiled helper's helpers.
          throw kernelError('NB2013', via!.source, 0, [h, `'${via!.name}' (a compiled function passed as a helper) brings its own helper '${h}', ` +
            `a different function from the '${h}' ${from.get(h)!}: a kernel has one helper namespace, so rename one of them`]);
        }
        table.set(h, entry);
        from.set(h, via === null ? 'in options.helpers' : `that '${via.name}' brings`);
        if ('nested' in entry && entry.nested !== undefined) {
          next.push({ map: entry.nested.helpers, via: { name: h, source: entry.nested.source, ...(entry.constants ? { constants: entry.constants } : {}) } });
        }
      }
    }
    level = next;
  }
  return table;
}

/**
 * Lower every helper of `table` (checking that each returns on every path), after `callers`
 * (the kernel, lowered with the table's names); a call of a helper that cannot be called
 * (a gufunc, a stencil, ...) is NB2013 at that call.
 *
 * @example
 * ```ts
 * const table = helperTable(options.helpers ?? {});
 * const main = lowerFunction(parseKernel(text, name), { emitName: 'kernel', helpers: new Set(table.keys()) });
 * const helpers = lowerHelpers(table, {}, main); // by name, for inferProgram
 * ```
 */
export function lowerHelpers(
  table: ReadonlyMap<string, HelperEntry>, lowering: { readonly constants?: KernelConstants; readonly tables?: KernelTables }, ...callers: IRFunction<null>[]
): Map<string, IRFunction<null>> {
  const helpers = new Map<string, IRFunction<null>>();
  for (const [h, entry] of table) if ('text' in entry) helpers.set(h, lowerHelper(table, h, lowering));
  rejectHelperCalls(table, [...callers, ...helpers.values()]);
  return helpers;
}

/**
 * Lower helper `h` of `table` (checking that it returns on every path); `jit`: how each of
 * its parameters is passed (a jit helper that takes arrays, lowered with the jit hooks).
 */
export function lowerHelper(
  table: ReadonlyMap<string, HelperEntry>, h: string, lowering: { readonly constants?: KernelConstants; readonly tables?: KernelTables },
  jit?: readonly JitParamKind[],
): IRFunction<null> {
  const { constants, tables } = lowering;
  const entry = table.get(h)!;
  if (!('text' in entry)) throw new Error(`internal: helper '${h}' has no source`);
  const names = new Set(table.keys());
  // A compiled function's helper reads the constants it was made with (over the kernel's).
  const own = entry.constants === undefined ? constants : { ...constants, ...entry.constants };
  const lowered = lowerFunction(parseKernel(entry.text(names), h), {
    emitName: sanitize(h), helpers: names, ...(own ? { constants: own } : {}), ...(tables ? { tables } : {}), ...(jit ? { jit } : {}),
  });
  // jit helpers may return nothing (frontend/jit-void.ts).
  const checked = jit ? voidHelper(lowered) : lowered;
  checkReturns(checked);
  return checked;
}

/** NB2013 at the first call in `fns` of a helper that cannot be called (a gufunc, a stencil, ...). */
export function rejectHelperCalls(table: ReadonlyMap<string, HelperEntry>, fns: readonly IRFunction<null>[]): void {
  for (const fn of fns) {
    forEachExpr(fn.body, (e) => {
      if (e.kind !== 'helper') return;
      const entry = table.get(e.name);
      if (entry !== undefined && 'reject' in entry) throw kernelError('NB2013', fn.source, e.at, [e.name, entry.reject]);
    });
  }
}

function describe(a: { dtype: DType; ndim: number }): string {
  return a.ndim === 0 ? `a scalar ${a.dtype}` : `${a.dtype}[${Array(a.ndim).fill(':').join(',')}]`;
}

/** Parameter types from the signature (and layout), with NB2012 / NB5xxx checks. */
function paramSpecs(fn: IRFunction<null>, sig: KernelSignature, options: CompileKernelOptions, core: CoreInfo | undefined): ParamSpec[] {
  const at0 = fn.params[0]?.at ?? 0;
  if (fn.params.length !== sig.args.length) throw kernelError('NB2012', fn.source, at0, [fn.params.length, sig.args.length]);
  if (options.kind === 'scalar') {
    if (sig.returns === 'void') throw kernelError('NB5003', fn.source, at0, [`a scalar kernel needs a result type, not void ('${sig.text}')`]);
    sig.args.forEach((a, k) => {
      if (a.ndim > 0) throw kernelError('NB5002', fn.source, fn.params[k]!.at, [fn.params[k]!.name, describe(a), 'a scalar (vectorize)']);
    });
    return sig.args.map((a) => ({ scalar: a.dtype }));
  }
  // No result type ('(f8[:], f8[:])', Numba's spelling) means void here: a gufunc kernel returns nothing.
  if (sig.returns !== 'void' && sig.returns !== 'infer') {
    throw kernelError('NB5003', fn.source, at0, [`a gufunc kernel writes its outputs and returns nothing: write its signature as 'void(...)' or '(...)', not with result type ${sig.returns} ('${sig.text}')`]);
  }
  if (!core) throw new TypeError("compileKernel: kind 'gufunc' needs options.core (the layout's core dims)");
  if (core.operands.length !== sig.args.length) {
    throw kernelError('NB5003', fn.source, at0, [`the layout has ${core.operands.length} operand(s) but the signature ${sig.args.length}`]);
  }
  return sig.args.map((a, k) => {
    const dims = core.operands[k]!;
    const isOutput = k >= core.nin;
    const name = fn.params[k]!.name;
    const shape = `(${dims.map((d) => core.dims[d]).join(',')})`;
    const ok = a.ndim === dims.length || (dims.length === 0 && a.ndim === 1);
    if (!ok || (isOutput && a.ndim === 0)) {
      throw kernelError('NB5002', fn.source, fn.params[k]!.at, [name, describe(a), `${shape}${isOutput ? ' (an output: an array)' : ''}`]);
    }
    return a.ndim === 0 ? { scalar: a.dtype } : { array: { dtype: a.dtype, ndim: a.ndim, isOutput, coreDims: dims } };
  });
}

/**
 * Compile a kernel for one signature.
 *
 * @param fn - the kernel: an arrow function, function expression, `function f() {}`, or a
 *   method (`static f(x) {...}` of a class); or its source text (what `fn.toString()` gives).
 * @param signature - Numba-style: `'float64(float64, float64)'`, `'void(f8[:], f8[:])'`.
 * @throws KernelError (NBxxxx codes, frontend/diagnostics.ts) for anything the kernel
 *   language does not have, with the kernel's line, column and a code frame.
 * @example
 * ```ts
 * const k = compileKernel((x: number, y: number) => x * y + 1, 'f8(f8, f8)', { kind: 'scalar' });
 * k.jsKernel(2, 3);  // 7
 * k.simd;            // 'float64'
 * const { module } = await compileKernelWasm(k);
 * ```
 */
export function compileKernel(
  fn: ((...args: never[]) => unknown) | string, signature: KernelSignature | string, options: CompileKernelOptions,
): CompiledKernel {
  const sig = typeof signature === 'string' ? parseKernelSignature(signature) : signature;
  const name = options.name ?? ((typeof fn === 'function' && fn.name) || 'kernel');
  const text = typeof fn === 'string' ? fn : Function.prototype.toString.call(fn);
  const table = helperTable(options.helpers ?? {});
  const constants = kernelConstants('compileKernel', options.constants, new Set(table.keys()));
  // Typed-array constants the kernel and its helpers read: one numbering for the program.
  const tables = new KernelTables();
  const main = lowerFunction(parseKernel(text, name), { emitName: 'kernel', helpers: new Set(table.keys()), tables, ...(constants ? { constants } : {}) });
  const helpers = lowerHelpers(table, { tables, ...(constants ? { constants } : {}) }, main);
  const core: CoreInfo | undefined = options.core && {
    nin: options.core.nin,
    dims: options.core.dims.map((d) => (typeof d === 'string' ? d : d.name)),
    operands: options.core.operands,
  };
  checkOperands(main, options.kind === 'scalar' ? 1 : 0);
  kernelSize([main, ...helpers.values()]);
  const params = paramSpecs(main, sig, options, core);
  let warnings: KernelDiagnostic[] = [];
  if (options.kind === 'scalar') checkReturns(main);
  else {
    warnings = lintGufunc(main, core!);
    if (options.strict && warnings.length) throw toError(warnings[0]!, main.source);
  }
  const typed = inferProgram({ kind: options.kind, main, params, returns: sig.returns, helpers, narrowLocals: options.target === 'gpu', tables: tables.list });
  const fm = options.fastmath ?? false;
  const fold = (f: IRFunction<DType>) => (fm ? fastmath(foldConstants(f)) : foldConstants(f));
  const boundscheck = options.boundscheck ?? true;
  const ir: IRProgram = boundsChecks({
    kind: options.kind,
    main: fold(typed.main),
    helpers: typed.helpers.map(fold),
    ...(core ? { core } : {}),
    fastmath: fm,
    ...(tables.list.length > 0 ? { tables: tables.list } : {}),
  }, boundscheck);
  validateProgram(ir);
  // (after the bounds pass, so that the sites number the statements the emitters print)
  const withSites = scratchSites(ir);
  const simd = simdType(ir);
  const broadcasts = simdBroadcasts(ir);
  // The module holds the kernel once in the scalar loop and twice per SIMD loop variant.
  const copies = 1 + (simd === null ? 0 : 2 * (1 + broadcasts.length));
  const optimize = ascOptimizeLevel(kernelSize([ir.main, ...ir.helpers], [copies]));
  const prefix = options.prefix ?? '';
  // The Wasm side (AS source and its key) and the IR's text are made when first read: the
  // JS tier's first call needs neither (issue 15), and the AS emitters throw no kernel errors.
  let wasmSide: { asUnit: AsUnit; asSource: string; key: string } | undefined;
  const wasm = () => {
    if (wasmSide === undefined) {
      // Leaner loops for the Wasm only: innermost loops unrolled without reassociation
      // (passes/fastmath.ts unrollStrict) and a gufunc's row loop twice, once for contiguous
      // core rows (emit-module.ts gufuncRow). Only while the module stays small enough for -O3:
      // the kernel's size is counted with those copies.
      // (fastmath's loops are unrolled already, and its remainder loops run at most 3 times.)
      const unroll = fm ? (f: IRFunction<DType>) => f : unrollStrict;
      const unrolled = { ...withSites, main: unroll(withSites.main), helpers: withSites.helpers.map(unroll) };
      const lean = optimize === 3 && ascOptimizeLevel(kernelSize([unrolled.main, ...unrolled.helpers], [2 * copies])) === 3;
      const asUnit = emitAssemblyScript(pointerWalks(lean ? unrolled : withSites), {
        prefix, simd, broadcasts, optimize, reduceTile: options.reduceTile ?? false, contiguousRows: lean,
      });
      const asSource = linkAssemblyScript([asUnit], `${name}: ${sig.text}`);
      const key = createHash('sha256').update(asSource).update('\0').update(ASC_FLAGS.join(' ')).update(ir.fastmath ? '\0fastmath' : '')
        .update(boundscheck ? '' : '\0noboundscheck').digest('hex');
      wasmSide = { asUnit, asSource, key };
    }
    return wasmSide;
  };
  let irText: string | undefined;
  const jsSource = emitJs(withSites);
  const js = instantiateJs(jsSource);
  // A signature without a result type (`'(f8, f8)'`, lazy vectorize) outputs what the kernel returns.
  const operands = options.kind === 'scalar' ? [...sig.args.map((a) => a.dtype), ir.main.returns as DType] : sig.args.map((a) => a.dtype);
  return {
    name, kind: options.kind, signature: sig, ir: withSites, scratch: withSites.scratch ?? [], simd, jsSource,
    get irText() { return (irText ??= printProgram(withSites)); },
    get asUnit() { return wasm().asUnit; },
    get asSource() { return wasm().asSource; },
    get key() { return wasm().key; },
    jsFunction: js.loop, jsKernel: js.kernel, warnings, bounds: ir.bounds ?? [], boundscheck,
    operands, nin: options.kind === 'scalar' ? sig.args.length : core!.nin,
    entries: { row: `${prefix}row`, loop: `${prefix}loop` },
  };
}

/**
 * Compile a kernel's AS module to Wasm (loads asc on first use).
 *
 * @example
 * ```ts
 * const { module, compileMs } = await compileKernelWasm(k, { memoryBase: 1 << 20 });
 * ```
 */
export function compileKernelWasm(kernel: CompiledKernel, options: AscOptions = {}): Promise<WasmCompileResult> {
  return compileAssemblyScript(kernel.asSource, options);
}

/**
 * Link several compiled kernels (distinct `prefix`es) into one AS module source.
 *
 * @example
 * ```ts
 * const src = linkKernels([compileKernel(f, 'f8(f8)', { kind: 'scalar', prefix: 'f8_' }), compileKernel(f, 'f4(f4)', { kind: 'scalar', prefix: 'f4_' })]);
 * ```
 */
export function linkKernels(kernels: readonly CompiledKernel[]): string {
  return linkAssemblyScript(kernels.map((k) => k.asUnit), kernels.map((k) => k.name).join(', '));
}
