/**
 * The target-validation pass (ir/passes/validate-target.ts) and the table it reads
 * (ir/target-support.ts): what the gpu target rejects, at which line and column (NB6001,
 * no GPU needed), what every target accepts, and that every intrinsic has each spelling
 * the targets' emitters print.
 */
import { describe, expect, test } from 'vitest';
import { compileKernel, type CompileKernelOptions } from '../../src/compiler/compile.js';
import { emitWgslFunctions } from '../../src/compiler/emit/wgsl/emit-function.js';
import { preludeFor } from '../../src/compiler/emit/wgsl/prelude.js';
import type { DType } from '../../src/dtype/dtypes.js';
import { INTRINSICS, intrinsicSpelling, type Intrinsic } from '../../src/compiler/ir/intrinsics.js';
import { validateTarget } from '../../src/compiler/ir/passes/validate-target.js';
import { TARGET_SUPPORT, type KernelTarget } from '../../src/compiler/ir/target-support.js';
import { KernelError } from '../../src/util/errors.js';
import { kernelErrorOf } from '../helpers/errors.js';

const gpu = (src: string, sig: string, options: Partial<CompileKernelOptions> = {}) =>
  compileKernel(src, sig, { kind: 'scalar', target: 'gpu', ...options } as CompileKernelOptions);

const errorOf = kernelErrorOf;

interface Rejection {
  readonly what: string;
  readonly src: string;
  readonly sig: string;
  readonly options?: Partial<CompileKernelOptions>;
  /** 1-based line and column, and the construct the message names. */
  readonly at: readonly [number, number];
  readonly names: string;
}

const g1 = { kind: 'gufunc', core: { nin: 1, dims: ['n'], operands: [[0], [0]] } } as const;

const REJECTIONS: Rejection[] = [
  { what: 'int32 / int32 (a float64 value)', src: '(a, b) => a / b', sig: 'i4(i4, i4)', at: [1, 11], names: 'a value of type float64' },
  { what: 'a float64 parameter', src: '(x) => x + 1', sig: 'f8(f8)', at: [1, 2], names: "parameter 'x' of type float64" },
  { what: 'a float64 result', src: '(x) => x', sig: 'f8(f4)', at: [1, 2], names: 'the result of type float64' },
  { what: 'a float64 array', src: '(a, o) => {\n  o[0] = a[0];\n}', sig: 'void(f8[:], f4[:])', options: g1, at: [1, 2], names: "array 'a' of type float64" },
  {
    what: 'an int64 local (an int32 literal joined with uint32)',
    src: '(a) => {\n  let s = 0;\n  for (let i = 0; i < 5; i++) {\n    s += a;\n  }\n  return s;\n}',
    sig: 'u4(u4)', at: [2, 7], names: "'s' of type int64",
  },
  { what: 'a select with a float64 branch', src: '(a, b) => {\n  return a > b ? a : b / 2;\n}', sig: 'i4(i4, i4)', at: [2, 10], names: 'a value of type float64' },
  { what: 'a float64 compare operand', src: '(a, b) => (a < b / 2 ? 1 : 0)', sig: 'i4(i4, i4)', at: [1, 12], names: 'an operand of type float64' },
  { what: 'a Math function of an integer', src: '(a) => {\n  const r = Math.sqrt(a);\n  return a;\n}', sig: 'i4(i4)', at: [2, 9], names: "'r' of type float64" },
  { what: 'an int64 parameter', src: '(a) => 1', sig: 'i4(i8)', at: [1, 2], names: "parameter 'a' of type int64" },
];

describe('validateTarget: the gpu target rejects what WGSL lacks (NB6001, line and column)', () => {
  test.each(REJECTIONS)('$what', (c) => {
    const k = gpu(c.src, c.sig, c.options);
    const e = errorOf(() => validateTarget(k.ir, 'gpu'));
    expect([e.code, e.line, e.column]).toEqual(['NB6001', ...c.at]);
    expect(e.message).toContain(c.names);
    expect(e.message).toContain("cannot run on the 'gpu' target");
  });

  test('float64 explains JavaScript double arithmetic; other types say WGSL has none', () => {
    expect(errorOf(() => validateTarget(gpu('(a, b) => a / b', 'i4(i4, i4)').ir, 'gpu')).message).toMatch(/computes in float64 here .* Math\.fround/);
    expect(errorOf(() => validateTarget(gpu('(a) => 1', 'i4(i8)').ir, 'gpu')).message).toContain('int64 has no WGSL type');
  });

  test('helpers are checked first, and the error points into the helper', () => {
    const k = gpu('(x) => {\n  return half(x) | 0;\n}', 'i4(i4)', { helpers: { half: '(v) => {\n  const h = v / 2;\n  return v;\n}' } });
    const e = errorOf(() => validateTarget(k.ir, 'gpu'));
    expect([e.code, e.line, e.column]).toEqual(['NB6001', 2, 9]);
    expect(e.message).toContain('half');
  });

  test('the cpu and parallel targets run the same programs', () => {
    for (const c of REJECTIONS) {
      const k = compileKernel(c.src, c.sig, { kind: 'scalar', ...c.options } as CompileKernelOptions);
      for (const t of ['cpu', 'parallel'] as const) expect(() => validateTarget(k.ir, t)).not.toThrow();
    }
  });

  test('gpu kernels in float32, int32, uint32 and bool pass', () => {
    const ok: [string, string][] = [
      ['(x, y) => Math.hypot(x, y) + Math.pow(x, y) % 3', 'f4(f4, f4)'],
      ['(a, b) => Math.floor(a / b) + Math.abs(a) + Math.sign(b)', 'i4(i4, i4)'],
      ['(a, b) => Math.min(a, b) + Math.max(b, 1)', 'u4(u4, u4)'],
      ['(a) => Math.clz32(a) + Math.imul(a, 3)', 'i4(i4)'],
      ['(a, b) => a && !b', 'b1(b1, b1)'],
    ];
    for (const [src, sig] of ok) expect(() => validateTarget(gpu(src, sig).ir, 'gpu')).not.toThrow();
  });

  test('a call of an intrinsic without the target\'s spelling is NB6001 at the call', () => {
    const k = gpu('(x) => {\n  return Math.sin(x);\n}', 'f4(f4)');
    const sin = INTRINSICS.get('sin')!;
    const table = INTRINSICS as Map<string, Intrinsic>;
    table.set('sin', { ...sin, wgsl: undefined });
    try {
      const e = errorOf(() => validateTarget(k.ir, 'gpu'));
      expect([e.code, e.line, e.column]).toEqual(['NB6001', 2, 10]);
      expect(e.message).toContain('Math.sin');
    } finally {
      table.set('sin', sin);
    }
  });
});

/** Argument types each rule's spelling is asked for, per target (within the target's dtypes). */
function argTypes(row: Intrinsic, target: KernelTarget): DType[] {
  const limits = TARGET_SUPPORT[target].limits?.dtypes;
  const fit = (ts: DType[]) => ts.filter((t) => !limits || limits.has(t));
  switch (row.rule) {
    case 'float1': case 'float2': case 'predicate': case 'ldexp': return fit(['float32', 'float64']);
    case 'same': case 'minmax': return fit(['float32', 'float64', 'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64']);
    case 'int32': return ['int32'];
    case 'fround': return fit(['float64', 'float32']);
  }
}

describe('the intrinsics table: a spelling for each target', () => {
  const targets = Object.keys(TARGET_SUPPORT) as KernelTarget[];
  const rows = [...INTRINSICS.values()];

  test.each(targets)('%s: every intrinsic has every spelling its emitters print', (target) => {
    for (const row of rows) {
      for (const spelling of TARGET_SUPPORT[target].spellings) {
        const spell = row[spelling];
        expect(spell, `${row.name}.${spelling}`).toBeTypeOf('function');
        const n = typeof row.arity === 'number' ? row.arity : row.arity[0] + 1;
        const args = Array.from({ length: n }, (_, k) => `x${k}`);
        for (const t of argTypes(row, target)) {
          const r: DType = row.rule === 'predicate' ? 'bool' : row.rule === 'fround' ? 'float32' : t;
          const text = spell!({ t, r }, args, (h, a) => `${h}(${a.join(', ')})`);
          expect(text, `${row.name}.${spelling} on ${t}`).toMatch(/\S/);
          // Every argument is used (in an order of the spelling's choosing).
          for (const a of args) expect(text, `${row.name}.${spelling} on ${t}`).toContain(a);
        }
      }
    }
  });

  test('every WGSL spelling calls only helpers the prelude has', () => {
    for (const row of rows) {
      for (const t of argTypes(row, 'gpu')) {
        const used = new Set<string>();
        const n = typeof row.arity === 'number' ? row.arity : row.arity[0] + 1;
        const r: DType = row.rule === 'predicate' ? 'bool' : row.rule === 'fround' ? 'float32' : t;
        row.wgsl!({ t, r }, Array.from({ length: n }, (_, k) => `x${k}`), (h, a) => { used.add(h); return `${h}(${a.join(', ')})`; });
        expect(() => preludeFor(used), `${row.name} on ${t}`).not.toThrow();
      }
    }
  });

  test('a gpu kernel of each float intrinsic validates and prints its WGSL call', () => {
    for (const row of rows.filter((r) => r.rule === 'float1' || r.rule === 'float2')) {
      const fn = intrinsicSpelling(row.name);
      const src = row.arity === 1 ? `(x) => ${fn}(x)` : `(x, y) => ${fn}(x, y)`;
      const k = gpu(src, row.arity === 1 ? 'f4(f4)' : 'f4(f4, f4)');
      validateTarget(k.ir, 'gpu');
      const { source, used } = emitWgslFunctions(k.ir);
      // nb.math's deg2rad / rad2deg are a product with NumPy's float32 constant, not a call.
      if (row.name === 'deg2rad' || row.name === 'rad2deg') expect(source, row.name).toMatch(/ \* [0-9.]+f\)/);
      else expect(source, row.name).toMatch(new RegExp(`\\b(nb_)?${row.name}f?\\(`));
      expect(() => preludeFor(used)).not.toThrow();
    }
  });
});
