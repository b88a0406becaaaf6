import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = (file: string) => execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('vectorize examples', () => {
  it('examples/vectorize-basic.ts', () => {
    const out = run('examples/vectorize-basic.ts');
    expect(out).toContain('fma1([1,2,3], 10) = [ 11, 21, 31 ]');
    expect(out).toContain('int8 wraps: fma1(127, 1) = [ -128 ]');
    expect(out).toContain('plus.reduce([1,2,3,4]) = 10');
    expect(out).toContain('plus.accumulate([1,2,3,4]) = [ 1, 3, 6, 10 ]');
    expect(out).toContain("gauss([0, 0.5, 1]) = [ '1.000000', '0.683462', '0.198766' ]");
  });

  it('examples/guvectorize-rowdot.ts', () => {
    const out = run('examples/guvectorize-rowdot.ts');
    expect(out).toContain('signature: (n),(n)->()');
    expect(out).toContain('rowdot(a, b) = [ 7, 16 ]');
    expect(out).toContain('rowdot(a, a) into out = [ 14, 77 ]');
  });
});
