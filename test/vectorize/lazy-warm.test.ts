/**
 * A lazy vectorize (no signatures: its first call picks the types) starts the compiler worker
 * only when a specialisation needs asc (src/vectorize/tier.ts, Tiers' onDemand): a kernel the
 * direct emitter takes never starts it; one that needs asc (here: a scratch array) starts it
 * at its first call and still reaches the Wasm tier. Fresh processes, so that no other test's
 * compile has started the worker already.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function run(lines: readonly string[]): unknown {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', [
    "import * as nb from './src/index.ts';",
    "import { compilerWorkersSpawned } from './src/vectorize/compile-sync.ts';",
    ...lines,
  ].join('\n')], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('lazy vectorize starts the compiler only when a specialisation needs it', () => {
  it('a direct kernel: created, called on two dtypes, ready, and no compiler worker', () => {
    expect(run([
      'const f = nb.vectorize()((x, y) => x * y + 1);',
      'await new Promise((r) => setTimeout(r, 50));',
      'const spawnedAfterCreation = compilerWorkersSpawned();',
      "const a = f(nb.array([1.5, 2]), 3).toArray(); const b = f(nb.array([1.5], { dtype: 'float32' }), nb.array([2], { dtype: 'float32' })).toArray();",
      'await f.ready;',
      'await new Promise((r) => setTimeout(r, 50));',
      'console.log(JSON.stringify([spawnedAfterCreation, a, b, f.tier, compilerWorkersSpawned()]));',
    ])).toEqual([0, [5.5, 7], [4], 'wasm', 0]);
  });

  it('a kernel that needs asc (a scratch array): the worker starts at the first call, and .ready brings the Wasm tier', () => {
    expect(run([
      'const f = nb.vectorize()((x) => { const coef = new Float64Array(3); coef[0] = 1; coef[1] = 2; coef[2] = 3; return coef[0] + x * (coef[1] + x * coef[2]); });',
      'await new Promise((r) => setTimeout(r, 50));',
      'const spawnedAfterCreation = compilerWorkersSpawned();',
      'const first = f(nb.array([0, 1, 2])).toArray();',
      'await f.ready;',
      'console.log(JSON.stringify([spawnedAfterCreation, first, f.tier, f(nb.array([-1])).toArray(), compilerWorkersSpawned()]));',
      'process.exit(0);',
    ])).toEqual([0, [1, 6, 17], 'wasm', [2], 1]);
  });
});
