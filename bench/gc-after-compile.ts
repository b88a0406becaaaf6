/**
 * How long a forced collection (the heap's, gc-hooks.ts collectGarbage: a full Mark-Compact)
 * takes in the seconds after a kernel compile (bench/README.md, heap growth, third pass).
 * One fresh process per run: it compiles a vectorize kernel, waits for its Wasm, then forces
 * a collection every 80 ms for 3 s and prints the median per window.
 *
 *   npx tsx bench/gc-after-compile.ts [first|second|restart|stopped] [runs=3]
 *     first:   after the process's first kernel (a fresh compiler worker's first compile)
 *     second:  after a second kernel, compiled 3 s after the first
 *     restart: the same, the worker having ended in between (idle delay set to 100 ms)
 *     stopped: after the first kernel and `await stopCompilerWorker()` (prints how long that took)
 * A/B: run it in each checkout, alternately. No assertions: a measurement tool.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const EDGES = [500, 1000, 1500, 2000, 3000];

async function child(scenario: string): Promise<string> {
  const nb = await import('../src/index.js');
  const { collectGarbage } = await import('../src/runtime/gc-hooks.js');
  const { setCompilerIdleMs, stopCompilerWorker } = await import('../src/vectorize/compile-sync.js');
  if (scenario === 'restart') setCompilerIdleMs(100);
  const { wasmReady } = await import('./harness.js');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const make = (c: number) => nb.vectorize('f8(f8)')(new Function('a', `return Math.exp(-a * a) * Math.cos(a) + ${c}`) as (a: number) => number);
  let t = performance.now();
  await wasmReady(make(0.25));
  let note = `compile ${(performance.now() - t).toFixed(0)} ms`;
  if (scenario === 'second' || scenario === 'restart') {
    await sleep(3000);
    t = performance.now();
    await wasmReady(make(0.5));
    note = `${scenario} compile ${(performance.now() - t).toFixed(0)} ms`;
  } else if (scenario === 'stopped') {
    t = performance.now();
    await stopCompilerWorker();
    note += `, stop ${(performance.now() - t).toFixed(0)} ms`;
  }
  const t0 = performance.now();
  const windows: number[][] = EDGES.map(() => []);
  while (performance.now() - t0 < EDGES[EDGES.length - 1]!) {
    const at = performance.now() - t0;
    const s = performance.now();
    collectGarbage();
    windows[EDGES.findIndex((e) => at < e)]!.push(performance.now() - s);
    await sleep(80);
  }
  const med = (xs: number[]) => (xs.length === 0 ? '-' : [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0));
  return `${scenario}: ${note}; forced collection median (ms) by window after it: ${EDGES.map((e, i) => `<${e / 1000}s ${med(windows[i]!)}`).join(', ')}`;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(await child(args[1]!));
    process.exit(0);
  }
  const scenario = args[0] ?? 'first';
  if (!['first', 'second', 'restart', 'stopped'].includes(scenario)) throw new Error(`unknown scenario ${scenario}: first, second, restart or stopped`);
  const runs = Number(args[1] ?? 3);
  const self = fileURLToPath(import.meta.url);
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', scenario], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gc-after-compile child failed:\n${r.stderr}`);
    console.log(r.stdout.trim());
  }
}
