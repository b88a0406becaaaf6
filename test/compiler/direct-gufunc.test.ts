/**
 * guvectorize kernels in the direct Wasm emitter (src/compiler/emit/wasm gufunc-row.ts,
 * arrays.ts; issue 15): which gufunc kernels it takes, the module's exports (the bounds
 * globals only when a kernel checks an index, as asc's prelude exports them only then),
 * and the row entry `row(n, p0, s0, ..., core)` called directly on the heap against plain
 * JS: the contiguous copy of the loop and the strided one (a core stride other than the
 * element size, a negative one, a "()" operand declared as an array, a scalar input), n = 0,
 * core sizes 0..9 around the strict unroll's step of 4, and a bounds trap's globals.
 * (The kernel-language suites run on the direct rig too: gufunc, bounds-check,
 * control-flow, literal-types, fastmath, scratch.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileKernel, type CoreLayoutInput } from '../../src/compiler/index.js';
import { directEligible, emitDirectWasm } from '../../src/compiler/emit/wasm/emit-module.js';
import { Code, encodeModule, I32, I64 } from '../../src/compiler/emit/wasm/encode.js';
import { gufuncIneligible } from '../../src/compiler/emit/wasm/gufunc-row.js';
import { runGufuncWasm, WasmRig } from './harness.js';

const N1: CoreLayoutInput = { nin: 1, dims: ['n'], operands: [[0], [0]] };
const gu = (src: string, sig: string, core: CoreLayoutInput, extra: Record<string, unknown> = {}) =>
  compileKernel(src, sig, { kind: 'gufunc', core, prefix: 'g_', ...extra });

describe('which gufunc kernels the direct emitter takes', () => {
  it('array parameters, loads, stores, lengths, scalar inputs, loops and branches', () => {
    expect(directEligible(gu('(a, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i] * 2; }', 'void(f8[:], f8[:])', N1).ir)).toBe(true);
    expect(directEligible(gu('(a, s, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i] > s ? a[i] : s; }', 'void(i4[:], i4, i4[:])', { nin: 2, dims: ['n'], operands: [[0], [], [0]] }).ir)).toBe(true);
    expect(directEligible(gu('(a, out) => { out[0] = a[0][a[0].length - 1]; }', 'void(b1[:,:], b1[:])', { nin: 1, dims: ['m', 'n'], operands: [[0, 1], []] }).ir)).toBe(true);
  });

  it('(without the library) Math.exp and helpers with scratch arrays stay on asc; helpers, tables and scratch arrays are taken', () => {
    const why = (src: string, extra: Record<string, unknown> = {}, math = false) => gufuncIneligible(gu(src, 'void(f8[:], f8[:])', N1, extra).ir, math);
    expect(why('(a, out) => { out[0] = h(a[0]); }', { helpers: { h: '(v) => v + 1' } })).toBeNull();
    expect(why('(a, out) => { out[0] = w[1] * a[0]; }', { constants: { w: new Float64Array([1, 2]) } })).toBeNull();
    expect(why('(a, out) => { out[0] = h(a[0]); }', { helpers: { h: '(v) => { const t = new Float64Array(1); t[0] = v; return t[0]; }' } })).toBe('helper __h_h_0: a scratch statement');
    expect(why('(a, out) => { const b = new Float64Array(a.length); b[0] = a[0]; out[0] = b[0]; }')).toBeNull();
    expect(why('(a, out) => { out[0] = Math.exp(a[0]); }')).toMatch(/Math\.exp without the math library/);
    expect(why('(a, out) => { out[0] = Math.exp(a[0]); }', {}, true)).toBeNull();
    expect(WebAssembly.validate(emitDirectWasm([gu('(a, out) => { const b = new Float64Array(a.length); b[0] = a[0]; out[0] = b[0]; }', 'void(f8[:], f8[:])', N1)]))).toBe(true);
  });
});

describe('the module', () => {
  it('exports row, loop and memory; the bounds globals only with a checked index', () => {
    const names = (src: string) => WebAssembly.Module.exports(new WebAssembly.Module(emitDirectWasm([gu(src, 'void(f8[:], f8[:])', N1)]))).map((e) => `${e.name}:${e.kind}`).sort();
    expect(names('(a, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i]; }')).toEqual(['g_loop:function', 'g_row:function', 'memory:memory']);
    expect(names('(a, out) => { for (let i = 0; i < a.length; i++) out[i] = a[i + 1]; }'))
      .toEqual(['__nb_bindex:global', '__nb_bsite:global', '__nb_bsize:global', 'g_loop:function', 'g_row:function', 'memory:memory']);
  });

  it('encodeModule: mutable globals, zero at the start, exported', () => {
    const code = new Code().i32(7).globalSet(0).i64(-3n).globalSet(1).end();
    const bytes = encodeModule([{ params: [], results: [], locals: [], code, export: 'set' }], { min: 0, max: 65536, shared: true }, [],
      [{ type: I32, export: 'a' }, { type: I64, export: 'b' }]);
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }) } }).exports;
    const [a, b] = [e['a'] as WebAssembly.Global, e['b'] as WebAssembly.Global];
    expect([a.value, b.value]).toEqual([0, 0n]);
    (e['set'] as () => void)();
    expect([a.value, b.value]).toEqual([7, -3n]);
  });
});

describe('row(n, p0, s0, ..., core) on the heap, against plain JS', () => {
  // out[i] = a[i] * s + b[0] (b a "()" operand declared as an array; s a scalar input), and a running sum.
  const k = gu('(a, b, s, out) => { let acc = 0; for (let i = 0; i < a.length; i++) { acc += a[i]; out[i] = a[i] * s + b[0] + acc; } }',
    'void(f8[:], f8[:], f8, f8[:])', { nin: 3, dims: ['n'], operands: [[0], [], [], [0]] });

  it('core sizes 0..9, rows of any byte strides (contiguous, step 2, reversed), n = 0', async () => {
    const rig = await WasmRig.direct([k]);
    const row = rig.exports['g_row']!;
    fc.assert(fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(1, 2, -1), fc.constantFrom(1, 3), (size, rows, step, ostep) => {
      rig.reset();
      // Each operand's rows are `size * |step|` elements apart; a's elements `step` apart (reversed: from the row's end).
      const span = Math.max(size, 1) * 3;
      const pa = rig.alloc(rows * span * 8 + 64);
      const pb = rig.alloc(rows * 8);
      const ps = rig.alloc(rows * 8);
      const po = rig.alloc(rows * span * 8 + 64);
      const heap = new Float64Array(rig.memory.buffer);
      const a = (r: number, i: number) => Math.sin(r * 31 + i) * 3;
      const first = (r: number) => (pa + r * span * 8) / 8 + (step < 0 ? (size - 1) * -step : 0);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < size; i++) heap[first(r) + i * step] = a(r, i);
        heap[pb / 8 + r] = r - 0.5;
        heap[ps / 8 + r] = 2 + r;
      }
      const core = rig.alloc(4 * 8);
      rig.i32(core, [1, 0, 0, size, 8 * step, 8 * ostep]);
      row(rows, first(0) * 8, span * 8, pb, 8, ps, 8, po, span * 8, core);
      for (let r = 0; r < rows; r++) {
        let acc = 0;
        for (let i = 0; i < size; i++) {
          acc += a(r, i);
          expect(heap[(po + r * span * 8) / 8 + i * ostep]).toBe(a(r, i) * (2 + r) + (r - 0.5) + acc);
        }
      }
    }), { numRuns: 200 });
  });

  it('an early return from inside a loop, break and continue (first negative index, else -1), against plain JS', async () => {
    const first = gu('(a, o) => { for (let i = 0; i < a.length; i++) { if (a[i] === 0) continue; if (a[i] < 0) { o[0] = i; return; } if (a[i] > 100) break; } o[0] = -1; }',
      'void(f8[:], i4[:])', { nin: 1, dims: ['n'], operands: [[0], []] });
    const rig = await WasmRig.direct([first]);
    const rows = [[1, 0, -2, 3], [1, 2, 3, 4], [0, 0, 0, -1], [200, -1, 0, 0], [-5, 1, 1, 1]];
    const plain = (r: number[]) => { for (let i = 0; i < r.length; i++) { if (r[i] === 0) continue; if (r[i]! < 0) return i; if (r[i]! > 100) break; } return -1; };
    const got = runGufuncWasm(rig, first, [rows.length], [{ core: [4], values: rows.flat() }, { core: [1] }], [4]);
    expect(got[0]).toEqual(rows.map(plain));
  });

  it('a checked index out of range traps with the site, index and size in the globals', async () => {
    const shift = gu('(a, out) => {\n  for (let i = 0; i < a.length; i++) out[i] = a[i + 2];\n}', 'void(i4[:], i4[:])', N1);
    const rig = await WasmRig.direct([shift]);
    const pa = rig.alloc(64);
    const po = rig.alloc(64);
    const core = rig.alloc(32);
    rig.i32(core, [1, 0, 0, 5, 4, 4]);
    expect(() => rig.exports['g_row']!(1, pa, 0, po, 0, core)).toThrow(WebAssembly.RuntimeError);
    const g = rig.exports as unknown as Record<string, WebAssembly.Global>;
    expect([g['__nb_bsite']!.value, g['__nb_bindex']!.value, g['__nb_bsize']!.value]).toEqual([1, 5n, 5]);
    expect(shift.bounds[0]!.line).toBe(2);
  });
});
