import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` runs `prepare` (= `npm run build`), so the package entry of package.json's
// `exports` map must exist and load: this is what a user's `import * as nb from 'numbats'` gets
// on Node, the bundled dist/numbats.node.js (scripts/build-node.mjs; test/package/bundle.test.ts
// runs a fresh build of it through kernels, workers and the disk cache).
describe('the built package', () => {
  it('is importable by its name, resolves to the Node bundle and runs a ufunc', () => {
    expect(existsSync(new URL('../dist/numbats.node.js', import.meta.url))).toBe(true);
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "import * as nb from 'numbats'; console.log(import.meta.resolve('numbats')); console.log(String(nb.add(nb.array([1, 2]), 1)));"],
      { cwd: new URL('..', import.meta.url), encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const [entry, result] = r.stdout.trim().split('\n');
    expect(entry).toBe(new URL('../dist/numbats.node.js', import.meta.url).href);
    expect(result).toBe('array([2, 3])');
  });
});
