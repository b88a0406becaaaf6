/**
 * The disk cache across processes: entries written by one program load in another with a
 * different allocation history (regression: a fresh process crashed with `LinkError: memory
 * import 0 is smaller than initial 417, got 256` on an entry written after the heap grew),
 * and two processes filling the same entries at once both work. A hit is checked by arming a
 * compiler fault before the kernels are made: any compile would throw; and a hit by the
 * kernels' inputs runs no front end either (kernelCacheStats), and starts no compiler worker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'numbats-cache-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A program: allocate `sizes` (elements), optionally forbid compiling, make and run three kernels. */
function program(sizes: number[], mustHit: boolean): string {
  return [
    "import * as nb from './src/index.ts';",
    "import { compilerWorkersSpawned, injectCompilerFault } from './src/vectorize/compile-sync.ts';",
    "import { kernelCacheStats } from './src/vectorize/kernel-cache.ts';",
    `const keep = ${JSON.stringify(sizes)}.map((n) => nb.zeros([n]));`,
    mustHit ? "injectCompilerFault('throw');" : '',
    "const plain = nb.vectorize('f8(f8)', { cache: true })((x) => x * 2 + 1);",
    // exp/cos/pow pull AS's Math tables in: static data, relocated on a hit.
    "const tables = nb.vectorize('f8(f8)', { cache: true })((x) => Math.exp(-x * x) * Math.cos(x) + Math.pow(2, x));",
    "const rows = nb.guvectorize(['void(f8[:], f8[:])'], '(n)->()', { cache: true })((a, out) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.log1p(a[i]); out[0] = s; });",
    'const xs = nb.array([0, 0.5, -1.25, 3]);',
    // After the factories' job (a compiler would have been warmed by now): how many workers started.
    'await Promise.all([plain.ready, tables.ready, rows.ready]);',
    "console.log(JSON.stringify([plain(xs).toArray(), tables(xs).toArray(), rows(nb.array([[1, 2], [3, 4]])).toArray(), keep.length, kernelCacheStats(), compilerWorkersSpawned()]));",
  ].join('\n');
}

const expected = JSON.stringify([
  [1, 2, -1.5, 7],
  [0, 0.5, -1.25, 3].map((x) => Math.exp(-x * x) * Math.cos(x) + Math.pow(2, x)),
  [Math.log1p(1) + Math.log1p(2), Math.log1p(3) + Math.log1p(4)],
]);

const env = { ...process.env, NUMBATS_CACHE_DIR: dir };

function run(src: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', src], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000, env });
}

function runAsync(src: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', src], { cwd: process.cwd(), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The printed results, numbers compared to 12 digits. */
function check(res: { status: number | null; stdout: string; stderr: string }, mustHit = false): void {
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  const got = JSON.parse(res.stdout.trim()) as [number[], number[], number[], number, { frontEnd: number; hits: number }, number];
  // Every kernel from an entry keyed by its inputs: no front end ran, and no compiler worker
  // started (issue 15: eager factories start it only when something must compile). (`plain`
  // is a straight-line float kernel: its entry holds the direct emitter's module.)
  if (mustHit) expect(got.slice(4)).toEqual([{ frontEnd: 0, hits: 3 }, 0]);
  const want = JSON.parse(expected) as number[][];
  for (let k = 0; k < 3; k++) (got[k] as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[k]![i]!, 12));
}

describe('disk cache across processes', () => {
  it('an entry written after the heap grew loads in a fresh process that allocated differently (regression: LinkError crash)', () => {
    // 3.5 M float64 = 28 MB: the heap grows past its initial 16 MiB before the kernels compile.
    check(run(program([3_500_000, 1000], false)));
    // A fresh heap (16 MiB), other arrays first: every kernel must come from the cache.
    check(run(program([17, 4096, 100_000], true)), true);
    // And a heap grown further, by other sizes.
    check(run(program([9_000_000, 3], true)), true);
  }, 240_000);

  it('two processes filling the same entries at once both work, and leave complete entries', async () => {
    rmSync(dir, { recursive: true, force: true });
    const [a, b] = await Promise.all([runAsync(program([10], false)), runAsync(program([200_000], false))]);
    check(a);
    check(b);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    check(run(program([5, 6, 7], true)), true);
  }, 240_000);
});
