/**
 * examples/kernels.ts (the second half of `npm run demo`) runs end to end in a fresh process:
 * every kernel's values are checked inside the script against plain JS (it exits non-zero
 * and prints WRONG VALUES otherwise); here its output must name each kernel with both
 * timings, and the gpu line is there or says why not.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/kernels.ts', () => {
  it('prints each kernel with its time to the first result and to .ready, values checked', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/kernels.ts'], { cwd: root, encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).not.toContain('WRONG VALUES');
    for (const label of ['vectorize x*y+1', 'guvectorize rowdot', "'parallel' (2e6)"]) {
      const line = out.split('\n').find((l) => l.includes(label));
      expect(line, label).toMatch(/first result +[\d.]+ ms \((js|wasm) tier\) +\.ready +[\d.]+ ms +values checked/);
    }
    expect(out).toMatch(/'gpu' \(1024 float32\) +first result +[\d.]+ ms \(WGSL\) +values checked|'gpu': no WebGPU adapter here/);
  });
});
