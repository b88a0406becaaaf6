/**
 * Issue 16 item 1: the compiler worker ends itself when idle (compiler-worker.node.ts,
 * IDLE_MS: 30 s), giving back its memory. A compile after that starts a new worker
 * transparently; no request is lost when one is posted just as the worker ends (the race is
 * run on purpose with a 0 ms delay); compiles in a burst share one worker; a worker only
 * warmed up waits for its first kernel; the main thread keeps Binaryen's compiled module for
 * the next worker; and a program that compiled a kernel exits without waiting for the worker.
 * Delays are set short here through setCompilerIdleMs.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { compileSync, compilerWorkersSpawned, setCompilerIdleMs, warmCompiler } from '../../src/vectorize/compile-sync.js';
import { nodeCompilerWorker } from '../../src/compiler/toolchain/compiler-worker.node.js';

/** A module whose export `f` returns `v`: each compile's bytes are checked by running them. */
const source = (v: number) => `export function f(): i32 { return ${v}; }`;
const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }); // toolchain/asc-flags.ts: imported, shared
const run = async (binary: Uint8Array): Promise<number> => {
  const { instance } = await WebAssembly.instantiate(binary as Uint8Array<ArrayBuffer>, { env: { memory } });
  return (instance.exports.f as () => number)();
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A background compile, the process held alive meanwhile (as `.ready` does). */
async function compileAsync(v: number): Promise<number> {
  const release = nodeCompilerWorker.hold();
  try {
    return await run((await nodeCompilerWorker.compile({ source: source(v), flags: ['-O3'] })).binary);
  } finally {
    release();
  }
}

afterEach(() => setCompilerIdleMs(undefined));
afterAll(() => nodeCompilerWorker.stop());

describe('compiler worker idle exit', () => {
  it('ends when idle, and the next compile (blocking) starts a new worker and works', async () => {
    setCompilerIdleMs(30);
    expect(await run(compileSync(source(11)).binary)).toBe(11);
    const spawned = compilerWorkersSpawned();
    // The worker ends 30 ms after its last answer; a compile after that needs a new one.
    await sleep(400);
    expect(await run(compileSync(source(12)).binary)).toBe(12);
    expect(compilerWorkersSpawned()).toBe(spawned + 1);
  });

  it('the next compile after an idle exit may be a background one too', async () => {
    setCompilerIdleMs(30);
    expect(await compileAsync(21)).toBe(21);
    const spawned = compilerWorkersSpawned();
    await sleep(400);
    expect(await compileAsync(22)).toBe(22);
    expect(compilerWorkersSpawned()).toBe(spawned + 1);
  });

  it('a worker only warmed up (nothing compiled yet) does not end: it waits for the first kernel', async () => {
    await nodeCompilerWorker.stop();
    setCompilerIdleMs(30);
    warmCompiler();
    const spawned = compilerWorkersSpawned();
    // Long enough for asc to load (0.2-1.5 s here) and then 30 ms of idleness.
    await sleep(3000);
    expect(await run(compileSync(source(40)).binary)).toBe(40);
    expect(compilerWorkersSpawned()).toBe(spawned);
  });

  it("the main thread keeps Binaryen's compiled module, so that a restarted worker reuses its code", async () => {
    setCompilerIdleMs(30);
    expect(await run(compileSync(source(50)).binary)).toBe(50);
    expect(nodeCompilerWorker.keepsCompiledBinaryen?.()).toBe(true);
    await sleep(400); // the worker ends; the module stays
    expect(await compileAsync(51)).toBe(51);
    expect(nodeCompilerWorker.keepsCompiledBinaryen?.()).toBe(true);
  });

  it('compiles one after another within the delay share one worker', async () => {
    setCompilerIdleMs(60_000);
    compileSync(source(30));
    const spawned = compilerWorkersSpawned();
    for (let i = 1; i <= 4; i++) {
      await sleep(20);
      expect(await run(compileSync(source(30 + i)).binary)).toBe(30 + i);
    }
    expect(await compileAsync(35)).toBe(35);
    expect(compilerWorkersSpawned()).toBe(spawned);
  });

  it('no request is lost when it is posted as the worker ends (0 ms delay: every answer races the exit)', async () => {
    setCompilerIdleMs(0);
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => { rejections.push(e); };
    process.on('unhandledRejection', onRejection);
    try {
      const spawned = compilerWorkersSpawned();
      const release = nodeCompilerWorker.hold();
      try {
        // Each compile is posted 0-2 ms after the previous answer, background and blocking
        // ones mixed: it lands on a worker that is idle, ending or gone.
        const values: number[] = [];
        const results: Promise<number>[] = [];
        for (let i = 0; i < 8; i++) {
          const v = 100 + i;
          values.push(v);
          if (i % 4 === 3) results.push(run(compileSync(source(v)).binary));
          else results.push(run((await nodeCompilerWorker.compile({ source: source(v), flags: ['-O3'] })).binary));
          await sleep(i % 3);
        }
        expect(await Promise.all(results)).toEqual(values);
        expect(compilerWorkersSpawned()).toBeGreaterThan(spawned); // the workers did end between compiles
      } finally {
        release();
      }
      await sleep(100);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('a program that compiled a kernel exits on its own (the worker neither keeps it alive nor must end first)', () => {
    // A delay of 10 minutes: were the worker to hold the process, the child would hang
    // until spawnSync's guard killed it (status null).
    const program = [
      "import * as nb from './src/index.ts';",
      "import { setCompilerIdleMs } from './src/vectorize/compile-sync.ts';",
      'setCompilerIdleMs(600_000);',
      "nb.config({ tier: 'wasm' });",
      // (a scratch array: compiled by the worker; a kernel the direct emitter takes, helper
      // calls included, would not start it)
      "const f = nb.vectorize('f8(f8)', { helpers: { plus: (v) => v + 0.25 } })((x) => { const t = new Float64Array(1); t[0] = x; if (x > 1) return plus(t[0] * 3); return plus(t[0]); });",
      'console.log(JSON.stringify(f(nb.array([1, 2])).toArray()));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([1 + 0.25, 2 * 3 + 0.25]);
  });
});
