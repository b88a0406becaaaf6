/**
 * The kernel compiler's surface for vectorize/guvectorize (DESIGN.md's pipeline and
 * "The kernel language (v1)"): compile a JS kernel for a Numba-style signature to typed IR,
 * AssemblyScript (loops in the built-ins' ABI) and a JS reference, then to Wasm.
 *
 * Wiring a compiled kernel into the ufunc machinery (steps):
 *   1. `compileKernel(fn, sig, { kind, prefix })` per signature (or per resolved dtype tuple
 *      for lazy vectorize); `k.operands`/`k.nin` give the loop's dtypes;
 *   2. `linkKernels([...])` for one module per ufunc, then `compileKernelWasm`/
 *      `compileAssemblyScript(source, { memoryBase })` with `memoryBase` inside a heap block
 *      you keep reserved for the module's `staticData` (else its data segments land at 1024,
 *      over the built-in module's static data); cache by `k.key` + memoryBase + versions;
 *   3. instantiate with `{ env: { memory: runtime().memory } }` (workers: the same module
 *      and memory; instantiation rewrites the same static data, which is harmless);
 *   4. call `<prefix>loop(plan)` with the plan `writePlan` (src/ndarray/operand.ts) writes,
 *      or `<prefix>row(n, p0, s0, ..., pK, sK)` for 1-d fast paths (byte strides);
 *      gufunc kernels: `<prefix>loop(plan, core)` with asm/gufunc/walk.ts's core block;
 *   5. `k.jsFunction(shape, operands, coreSizes?)` runs the same kernel on TypedArrays with
 *      element strides (js storage, or a no-Wasm fallback); `k.jsKernel(...)` is the scalar.
 *
 * @example
 * ```ts
 * import { compileKernel, compileKernelWasm } from './compiler/index.js';
 * const k = compileKernel((x: number) => Math.sqrt(x) + 1, 'f8(f8)', { kind: 'scalar' });
 * const { module } = await compileKernelWasm(k, { memoryBase });
 * ```
 */
export { compileKernel, compileKernelWasm, linkKernels } from './compile.js';
export type { CompiledKernel, CompileKernelOptions, CoreLayoutInput } from './compile.js';
export { parseKernelSignature } from './signature.js';
export { compileJit, jitTypeText } from './jit.js';
export type { CompiledJit, CompileJitOptions, JitArgType } from './jit.js';
export type { PrangeInfo, PrangeSite } from './jit-prange.js';
export { kernelConstants } from './constants.js';
export type { ConstantValue, KernelConstants, TypedArrayConstant } from './constants.js';
export { validateTarget } from './ir/passes/validate-target.js';
export type { KernelTarget } from './ir/target-support.js';
export type { KernelArg, KernelSignature } from './signature.js';
export { compileAssemblyScript, loadAsc, ascLoadTime, staticDataRange, AscCompileError, ASC_FLAGS, ascFlagsFor, isHostImport } from './toolchain/asc.js';
export type { AscOptions, WasmCompileResult } from './toolchain/asc.js';
export { DIAGNOSTICS } from './frontend/diagnostics.js';
export type { DiagnosticCode, KernelDiagnostic } from './frontend/diagnostics.js';
export type { JsOperand, JsKernelModule } from './emit/js/emit-module.js';
export type { IRProgram } from './ir/nodes.js';
export { printProgram } from './ir/print.js';
