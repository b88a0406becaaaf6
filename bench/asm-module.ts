/**
 * Compiles an AssemblyScript source that imports numbats' asm/ files (by paths relative to
 * the repository root) into a WebAssembly.Module, with the flags of the prebuilt module
 * (SIMD, shared imported memory, stub runtime): the by-hand math benches (bench/math-simd.ts,
 * bench/exp-variants.ts) time asm/ kernels through it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `src` compiled at -O3 as the file `entry` (a name for asc's messages). */
export async function compileAsmBench(src: string, entry: string): Promise<WebAssembly.Module> {
  const outputs = new Map<string, Uint8Array | string>();
  let diagnostics = '';
  const { error } = await asc.main(
    [entry, '--baseDir', root, '--outFile', 'bench.wasm',
      '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--enable', 'simd', '--enable', 'threads',
      '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'],
    {
      readFile: (name: string, baseDir: string) => {
        if (name === entry) return src;
        try {
          return readFileSync(join(baseDir, name), 'utf8');
        } catch {
          return null;
        }
      },
      writeFile: (name: string, contents: Uint8Array | string) => {
        outputs.set(name, contents);
      },
      listFiles: () => [],
      stdout: { write: (s: string) => ((diagnostics += s), true) },
      stderr: { write: (s: string) => ((diagnostics += s), true) },
    } as unknown as Parameters<typeof asc.main>[1],
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${diagnostics}`);
  return new WebAssembly.Module(outputs.get('bench.wasm') as Uint8Array<ArrayBuffer>);
}
