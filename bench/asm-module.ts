/**
 * Compiles an AssemblyScript source that imports numbats' asm/ files (by paths relative to
 * the repository root) into a WebAssembly.Module, with the flags of the prebuilt module
 * (SIMD, shared imported memory, stub runtime): the by-hand benches (bench/math-simd.ts,
 * bench/exp-variants.ts, bench/stream.ts, bench/tile-chunk-measure.ts) time asm/ kernels
 * through it, and test/math/simd-math.test.ts checks them; {@link interleavedMedians} times
 * the benches' variants round by round.
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

/**
 * Time `count` variants round by round (`run(k)` runs variant k once): 10 warm-up rounds,
 * then `rounds` rounds, each variant once per round, so that all see the same machine load.
 * Returns each variant's wall and CPU (process.cpuUsage, all threads) medians in ns per
 * element of `elements`.
 */
export function interleavedMedians(count: number, run: (k: number) => void, rounds: number, elements: number): Array<{ wall: number; cpu: number }> {
  const wall = Array.from({ length: count }, () => [] as number[]);
  const cpu = Array.from({ length: count }, () => [] as number[]);
  for (let i = 0; i < 10; i++) for (let k = 0; k < count; k++) run(k);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < count; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      run(k);
      wall[k]!.push(((performance.now() - t0) * 1e6) / elements);
      const c = process.cpuUsage(c0);
      cpu[k]!.push(((c.user + c.system) * 1e3) / elements);
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  return wall.map((w, k) => ({ wall: median(w), cpu: median(cpu[k]!) }));
}
