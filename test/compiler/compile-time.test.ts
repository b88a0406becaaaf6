/**
 * Compile time, measured and printed (no assertions on time): cold = the first compile in
 * this process (loading asc + compiling), warm = later compiles of other small kernels;
 * the front end (parse → IR → AS/JS source) is timed separately.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, test } from 'vitest';
import { compileKernel } from '../../src/compiler/compile.js';
import { ascLoadTime, compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KERNELS: [string, any, string][] = [
  ['x*y+1', (x: any, y: any) => x * y + 1, 'f8(f8, f8)'],
  ['exp(-x*x)*cos(x)', (x: any) => Math.exp(-x * x) * Math.cos(x), 'f8(f8)'],
  ['int floor div', (a: any, b: any) => Math.floor(a / b) + a % b, 'i4(i4, i4)'],
  ['clamp to u8', (x: any) => Math.min(Math.max(Math.round(x), 0), 255), 'u1(f4)'],
  ['sin f4', (x: any) => Math.sin(x) * 2, 'f4(f4)'],
  ['int64 poly', '(x) => x * x * 3n + x - 7n', 'i8(i8)'],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('compile time', () => {
  test('cold and warm compiles (printed)', async () => {
    const front: number[] = [];
    const compiled = KERNELS.map(([name, fn, sig], i) => {
      const t0 = performance.now();
      const k = compileKernel(fn, sig, { kind: 'scalar', name, prefix: i === 0 ? '' : `k${i}_` });
      front.push(performance.now() - t0);
      return k;
    });
    const coldStart = performance.now();
    const cold = await compileAssemblyScript(compiled[0]!.asSource);
    const coldTotal = performance.now() - coldStart;
    const warm: number[] = [];
    for (const k of compiled.slice(1)) {
      const t0 = performance.now();
      await compileAssemblyScript(k.asSource);
      warm.push(performance.now() - t0);
    }
    // A second round: the same kernels again (asc's own JIT is warm by now).
    const warm2: number[] = [];
    for (const k of compiled) {
      const t0 = performance.now();
      await compileAssemblyScript(k.asSource);
      warm2.push(performance.now() - t0);
    }
    const lines = [
      'kernel compile times (this machine):',
      `  front end (parse → typed IR → AS + JS source), per kernel: median ${median(front).toFixed(1)} ms, first ${front[0]!.toFixed(1)} ms`,
      `  cold: ${coldTotal.toFixed(0)} ms for ${KERNELS[0]![0]} = waiting for asc to load ${cold.loadMs.toFixed(0)} ms ` +
        `(the import itself: ${ascLoadTime().toFixed(0)} ms) + asc compile ${cold.compileMs.toFixed(0)} ms + module compile and checks`,
      `  warm, first round: ${KERNELS.slice(1).map(([n], i) => `${n} ${warm[i]!.toFixed(0)} ms`).join(', ')}`,
      `  warm, second round: median ${median(warm2).toFixed(0)} ms (min ${Math.min(...warm2).toFixed(0)}, max ${Math.max(...warm2).toFixed(0)})`,
    ];
    console.log(lines.join('\n'));
    expect(cold.exports).toContain('row');
  }, 120_000);
});
