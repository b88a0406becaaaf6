/**
 * Compiler limits and asc's optimisation level (src/compiler/ir/passes/limits.ts): what is
 * measured, when a kernel compiles at -O0, how the level reaches asc, and the SIMD row's
 * broadcast variants. The user-visible reproducers are in test/hostile/kernels.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileKernel } from '../../src/compiler/compile.js';
import { ascOptimizeLevel, kernelSize, OPTIMIZE_DEPTH_LIMIT, OPTIMIZE_NODE_LIMIT } from '../../src/compiler/ir/passes/limits.js';
import { simdBroadcasts, SIMD_BROADCAST_MAX_INPUTS } from '../../src/compiler/ir/passes/simd.js';
import { compileStencil } from '../../src/compiler/stencil.js';
import { ascFlagsFor, ascOptimizeDirective, ASC_FLAGS } from '../../src/compiler/toolchain/asc-flags.js';

const chain = (n: number) => `(x) => {\n  let s = x;\n${'  s = s * 1.0001 + 1;\n'.repeat(n)}  return s;\n}`;

describe('kernelSize', () => {
  it('counts statements and expressions, and the deepest expression', () => {
    const k = compileKernel('(x, y) => x * y + 1', 'f8(f8, f8)', { kind: 'scalar' });
    // return, add, mul, x, y, 1
    expect(kernelSize([k.ir.main])).toEqual({ nodes: 6, depth: 3 });
    expect(kernelSize([k.ir.main], [3]).nodes).toBe(18);
  });
});

describe('ascOptimizeLevel', () => {
  it('keeps -O3 for small kernels and drops to -O0 past the node or depth limit', () => {
    expect(ascOptimizeLevel({ nodes: OPTIMIZE_NODE_LIMIT, depth: OPTIMIZE_DEPTH_LIMIT })).toBe(3);
    expect(ascOptimizeLevel({ nodes: OPTIMIZE_NODE_LIMIT + 1, depth: 3 })).toBe(0);
    expect(ascOptimizeLevel({ nodes: 10, depth: OPTIMIZE_DEPTH_LIMIT + 1 })).toBe(0);
  });

  it('a small kernel\'s module has no directive and compiles with the default flags', () => {
    const k = compileKernel(chain(10), 'f8(f8)', { kind: 'scalar' });
    expect(k.asUnit.optimize).toBe(3);
    expect(k.asSource).not.toContain(ascOptimizeDirective(0));
    expect(ascFlagsFor(k.asSource)).toEqual([...ASC_FLAGS]);
  });

  it('a large kernel\'s module says -O0 in its header, and asc gets -O0 (the cache key follows the source)', () => {
    const k = compileKernel(chain(1000), 'f8(f8)', { kind: 'scalar' });
    expect(k.asUnit.optimize).toBe(0);
    expect(k.asSource.split('\n')[1]).toBe(ascOptimizeDirective(0));
    expect(ascFlagsFor(k.asSource)).toContain('-O0');
    expect(ascFlagsFor(k.asSource)).not.toContain('-O3');
    expect(k.key).not.toBe(compileKernel(chain(10), 'f8(f8)', { kind: 'scalar' }).key);
  });

  it('a deep expression compiles at -O0 too, and so does a large stencil', () => {
    const deep = `(x) => ${Array(OPTIMIZE_DEPTH_LIMIT + 5).fill('x').join(' + ')}`;
    expect(compileKernel(deep, 'f8(f8)', { kind: 'scalar' }).asUnit.optimize).toBe(0);
    const big = `(a) => {\n  let s = a(0);\n${'  s = s * 0.5 + a(1);\n'.repeat(400)}  return s;\n}`;
    expect(compileStencil(big, 'f8(f8)').asUnit.optimize).toBe(0);
    expect(compileStencil('(a) => a(-1) + a(1)', 'f8(f8)').asUnit.optimize).toBe(3);
  });

  it('only the directive in the first two lines counts', () => {
    expect(ascFlagsFor(`// t\n// x\n${ascOptimizeDirective(0)}\n`)).toEqual([...ASC_FLAGS]);
    expect(ascFlagsFor(`// t\n${ascOptimizeDirective(0)}\n`)[0]).toBe('-O0');
  });
});

describe('SIMD broadcast variants', () => {
  const sum = (n: number) => {
    const names = Array.from({ length: n }, (_, i) => `p${i}`);
    return compileKernel(`(${names.join(', ')}) => ${names.join(' + ')}`, `f8(${Array(n).fill('f8').join(', ')})`, { kind: 'scalar' });
  };
  it(`one per input up to ${SIMD_BROADCAST_MAX_INPUTS} inputs, none past (O(K^2) code otherwise)`, () => {
    const small = sum(SIMD_BROADCAST_MAX_INPUTS);
    expect(simdBroadcasts(small.ir)).toEqual([...Array(SIMD_BROADCAST_MAX_INPUTS).keys()]);
    // The contiguous loop and one per broadcast input: `v128.splat` appears once per broadcast.
    expect(small.asSource.match(/v128\.splat<f64>\(load/g)!.length).toBe(SIMD_BROADCAST_MAX_INPUTS);
    const large = sum(SIMD_BROADCAST_MAX_INPUTS + 1);
    expect(large.simd).toBe('float64');
    expect(simdBroadcasts(large.ir)).toEqual([]);
    expect(large.asSource).not.toMatch(/v128\.splat<f64>\(load/);
    expect(simdBroadcasts(sum(1).ir)).toEqual([]);
  });
});
