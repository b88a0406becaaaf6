/**
 * `npm run docs` builds the API reference cleanly: typedoc.json treats warnings as errors
 * (a public type that names an unexported one, a broken link or anchor in a guide page), and
 * such a warning once went unnoticed for a whole session because nothing ran typedoc. This
 * runs it without writing files (`--emit none`) and requires exit 0 and no warning lines.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the API reference (typedoc)', () => {
  it('builds with no warning or error', () => {
    const bin = join(dirname(createRequire(`${root}package.json`).resolve('typedoc/package.json')), 'bin', 'typedoc');
    const r = spawnSync(process.execPath, [bin, '--emit', 'none'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    const out = `${r.stdout}${r.stderr}`;
    expect(out).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  }, 300_000);
});
