/**
 * The kernel compiler's surface for vectorize/guvectorize (DESIGN.md's pipeline and
 * "The kernel language (v1)"): compile a JS kernel for a Numba-style signature to typed IR,
 * AssemblyScript (loops in the built-ins' ABI) and a JS reference, then to Wasm.
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
export type { KernelArg, KernelSignature } from './signature.js';
export { compileAssemblyScript, loadAsc, ascLoadTime, staticDataRange, AscCompileError, ASC_FLAGS } from './toolchain/asc.js';
export type { AscOptions, WasmCompileResult } from './toolchain/asc.js';
export { DIAGNOSTICS } from './frontend/diagnostics.js';
export type { DiagnosticCode, KernelDiagnostic } from './frontend/diagnostics.js';
export type { JsOperand, JsKernelModule } from './emit/js/emit-module.js';
export type { IRProgram } from './ir/nodes.js';
export { printProgram } from './ir/print.js';
