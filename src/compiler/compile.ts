/**
 * compileKernel: a JS function + a signature → typed IR, AssemblyScript source and a JS
 * reference implementation (DESIGN.md's pipeline, up to the emitters).
 *
 * Steps:
 *   1. parse the signature (signature.ts) and the kernel's `fn.toString()` (frontend/parse.ts);
 *   2. check and freeze `options.constants` (constants.ts); lower the kernel and every
 *      helper to the untyped IR (frontend/lower.ts: free names read the constants; the
 *      typed arrays among them become the program's tables, numbered as met), check the
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
import { createHash } from 'node:crypto';
import type { DType } from '../dtype/dtypes.js';
import { emitAssemblyScript, linkAssemblyScript, type AsUnit } from './emit/assemblyscript/emit-module.js';
import { emitJs, instantiateJs, type JsKernelModule } from './emit/js/emit-module.js';
import { kernelConstants, KernelTables, type KernelConstants } from './constants.js';
import { kernelError, toError, type KernelDiagnostic } from './frontend/diagnostics.js';
import { lowerFunction } from './frontend/lower.js';
import { parseKernel } from './frontend/parse.js';
import { inferProgram, type ParamSpec } from './ir/infer.js';
import type { BoundsSite, CoreInfo, IRFunction, IRProgram } from './ir/nodes.js';
import { boundsChecks } from './ir/passes/bounds-check.js';
import { checkReturns } from './ir/passes/check-returns.js';
import { fastmath } from './ir/passes/fastmath.js';
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
  /** Functions the kernel may call by name; compiled (specialised per argument types) with it. */
  readonly helpers?: Readonly<Record<string, ((...args: never[]) => unknown) | string>>;
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
  if (sig.returns !== 'void') throw kernelError('NB5003', fn.source, at0, [`a gufunc kernel writes its outputs: its signature returns void ('${sig.text}')`]);
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
  const helperFns = options.helpers ?? {};
  const helperNames = new Set(Object.keys(helperFns));
  const constants = kernelConstants('compileKernel', options.constants, helperNames);
  // Typed-array constants the kernel and its helpers read: one numbering for the program.
  const tables = new KernelTables();
  const lowering = { helpers: helperNames, ...(constants ? { constants, tables } : {}) };
  const main = lowerFunction(parseKernel(text, name), { emitName: 'kernel', ...lowering });
  const helpers = new Map<string, IRFunction<null>>();
  for (const [h, f] of Object.entries(helperFns)) {
    if (typeof f !== 'function' && typeof f !== 'string') throw new TypeError(`compileKernel: helper '${h}' is not a function`);
    const lowered = lowerFunction(parseKernel(typeof f === 'string' ? f : Function.prototype.toString.call(f), h), { emitName: sanitize(h), ...lowering });
    checkReturns(lowered);
    helpers.set(h, lowered);
  }
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
  const simd = simdType(ir);
  const broadcasts = simdBroadcasts(ir);
  // The module holds the kernel once in the scalar loop and twice per SIMD loop variant.
  const copies = 1 + (simd === null ? 0 : 2 * (1 + broadcasts.length));
  const optimize = ascOptimizeLevel(kernelSize([ir.main, ...ir.helpers], [copies]));
  const prefix = options.prefix ?? '';
  const asUnit = emitAssemblyScript(pointerWalks(ir), { prefix, simd, broadcasts, optimize });
  const asSource = linkAssemblyScript([asUnit], `${name}: ${sig.text}`);
  const jsSource = emitJs(ir);
  const js = instantiateJs(jsSource);
  // A signature without a result type (`'(f8, f8)'`, lazy vectorize) outputs what the kernel returns.
  const operands = options.kind === 'scalar' ? [...sig.args.map((a) => a.dtype), ir.main.returns as DType] : sig.args.map((a) => a.dtype);
  return {
    name, kind: options.kind, signature: sig, ir, irText: printProgram(ir), simd, asUnit, asSource, jsSource,
    jsFunction: js.loop, jsKernel: js.kernel, warnings, bounds: ir.bounds ?? [], boundscheck,
    operands, nin: options.kind === 'scalar' ? sig.args.length : core!.nin,
    entries: { row: `${prefix}row`, loop: `${prefix}loop` },
    key: createHash('sha256').update(asSource).update('\0').update(ASC_FLAGS.join(' ')).update(ir.fastmath ? '\0fastmath' : '')
      .update(boundscheck ? '' : '\0noboundscheck').digest('hex'),
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
