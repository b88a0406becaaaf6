/**
 * `compileAssemblyScript` for the kernel-language suites when they run in the browser
 * project (vitest.config.ts swaps it in for test/compiler/harness.ts): the same asc compile,
 * done by the browser compiler worker (a module Web Worker, compiler-worker.browser.ts)
 * instead of on the page's thread, which a browser may not block and where asc's Node crash
 * guard (process.exit) does not exist.
 */
import { compilerWorker } from '../../../src/compiler/toolchain/compiler-worker.browser.js';
import { ascFlagsFor, staticDataRange, type AscOptions, type WasmCompileResult } from '../../../src/compiler/toolchain/asc.js';

export async function compileAssemblyScript(source: string, options: AscOptions = {}): Promise<WasmCompileResult> {
  const { binary, compileMs } = await compilerWorker.compile({ source, flags: ascFlagsFor(source), memoryBase: options.memoryBase });
  const module = new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>);
  return {
    module, binary, wat: null, compileMs, loadMs: 0, staticData: staticDataRange(binary),
    exports: WebAssembly.Module.exports(module).map((e) => e.name),
  };
}
