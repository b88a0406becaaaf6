import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasGpu } from '../gpu/harness.js';

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

describe.skipIf(!hasGpu)('gpu example', () => {
  it('examples/gpu.ts', () => {
    const out = run('examples/gpu.ts');
    expect(out).toContain('2x + 1 = [ 1, 1.5, 2, 2.5, 3 ]');
    expect(out).toContain("gauss on the GPU: gpu [ '1.0000', '0.9394', '0.7788', '0.5698', '0.3679' ]");
    expect(out).toContain('rowdot = [ 3, 12 ]');
    expect(out).toContain('sqrt via pinned upload and zero-copy readback = [ 1, 1.4142135381698608, 1.7320507764816284, 2 ]');
    expect(out).toContain('float64 on the gpu: E_GPU_DTYPE');
  });
});
