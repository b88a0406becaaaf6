import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` runs `prepare` (= `npm run build`), so the package entry of package.json's
// `exports` map must exist and load: this is what a user's `import * as nb from 'numbats'` gets.
describe('the built package', () => {
  it('is importable by its name and runs a ufunc from dist/', () => {
    expect(existsSync(new URL('../dist/src/index.js', import.meta.url))).toBe(true);
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "import * as nb from 'numbats'; console.log(String(nb.add(nb.array([1, 2]), 1)));"],
      { cwd: new URL('..', import.meta.url), encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('array([2, 3])');
  });
});
