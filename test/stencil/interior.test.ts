/**
 * The stencil's interior/border split and its SIMD interior (issue 16 item 6), property-tested
 * against the plain-JS reference (test/helpers/stencil-reference.ts): random shapes (smaller
 * than the neighbourhood, odd, long rows that reach the vector loop), random data over the
 * whole dtype range, contiguous and strided inputs (which take the scalar interior), strided
 * `out`, output strides, every boundary mode. Each kernel states whether it has a v128 form
 * (ir/passes/stencil-lanes.ts): the ones that do are checked to get one, so the properties
 * cover the vector loop, and the ones that must not (a value that wraps) to get none.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { reference } from '../helpers/stencil-reference.js';
import { useSuiteTier } from '../helpers/suite-tier.js';

// The Wasm tier here; test/stencil/js-tier-suites.test.ts runs this file again on the JS tier.
useSuiteTier();

/* eslint-disable @typescript-eslint/no-explicit-any */
type Acc = (...o: number[]) => number;
type Mode = nb.BoundaryMode;

interface Case {
  what: string;
  kernel: (a: any) => number;
  signature: string;
  ndim: number;
  /** Two (mode, stride) configurations; between them the cases cover every mode. */
  configs: [Mode, number[]][];
  /** The expected lane type of the SIMD interior, or null (no v128 form). */
  lanes: string | null;
  /** The kernel's value as the output dtype stores it, from the plain-JS value. */
  cast: (v: number) => number;
  /** The reference kernel, when the kernel run as JS is not exact (float32 rounding). */
  ref?: (a: Acc) => number;
}

const u8 = (v: number) => v & 0xff;
const i16 = (v: number) => (v << 16) >> 16;
const u16 = (v: number) => v & 0xffff;
const i32 = (v: number) => v | 0;
const same = (v: number) => v;
const f = Math.fround;

const CASES: Case[] = [
  {
    what: '2x2 mean, uint8 (int16 lanes)', ndim: 2, signature: 'uint8(uint8)', lanes: 'int16', cast: u8,
    kernel: (a) => { let s = 2; s += a(0, 0); s += a(0, 1); s += a(1, 0); s += a(1, 1); return s >> 2; },
    configs: [['nearest', [2, 2]], ['constant', [1, 1]]],
  },
  {
    what: 'int16 in, int32 out: negative offsets, * and << (int32 lanes)', ndim: 2, signature: 'int32(int16)', lanes: 'int32', cast: i32,
    // (an int16 `a(1, -2) << 2` would stay int16 and wrap, as NumPy's does: shift an int64 local)
    kernel: (a) => { const t = a(-1, 0); let s = 0; s += t; s = s * 3; s -= a(0, 1); let u = 0; u += a(1, -2); s += u << 2; s += a(0, 0) >> 1; return s; },
    configs: [['reflect', [1, 1]], ['wrap', [2, 3]]],
  },
  {
    what: 'uint8 difference to int16, output stride 3 (two-vector gather)', ndim: 1, signature: 'int16(uint8)', lanes: 'int16', cast: i16,
    kernel: (a) => { let d = 0; d += a(1); d -= a(-1); return d; },
    configs: [['mirror', [3]], ['constant', [1]]],
  },
  {
    what: 'uint8 3-D with & and ^', ndim: 3, signature: 'uint8(uint8)', lanes: 'int16', cast: u8,
    kernel: (a) => { let s = 0; s += a(0, 0, 0) & a(0, 1, -1); s += a(1, 0, 0) ^ a(0, 0, 1); return s >> 1; },
    configs: [['wrap', [1, 1, 1]], ['nearest', [1, 2, 2]]],
  },
  {
    what: 'uint16 mean to uint16 (int32 lanes)', ndim: 2, signature: 'uint16(uint16)', lanes: 'int32', cast: u16,
    kernel: (a) => { let s = 1; s += a(-1, 0); s += a(1, 1); return s >> 1; },
    configs: [['reflect', [1, 2]], ['mirror', [1, 1]]],
  },
  {
    what: 'float64 cross, output stride 2 along rows', ndim: 2, signature: 'float64(float64)', lanes: 'float64', cast: same,
    kernel: (a) => 0.25 * (a(-1, 0) + a(1, 0) + a(0, -1) + a(0, 1)) - a(0, 0),
    configs: [['constant', [1, 2]], ['reflect', [2, 1]]],
  },
  {
    what: 'float32 1-D', ndim: 1, signature: 'float32(float32)', lanes: 'float32', cast: same,
    kernel: (a) => a(-2) * 0.5 + a(1),
    ref: (a) => f(f(a(-2) * 0.5) + a(1)),
    configs: [['wrap', [1]], ['nearest', [2]]],
  },
  {
    what: 'a uint8 sum that wraps (no v128 form)', ndim: 2, signature: 'uint8(uint8)', lanes: null, cast: u8,
    kernel: (a) => a(0, 0) + a(0, 1),
    configs: [['mirror', [1, 1]], ['constant', [2, 2]]],
  },
  {
    what: 'an int32 sum past int32 (no v128 form)', ndim: 1, signature: 'int32(int32)', lanes: null, cast: i32,
    kernel: (a) => { let s = 0; s += a(0); s += a(1); return s; },
    configs: [['reflect', [1]], ['wrap', [2]]],
  },
];

const inputDType = (c: Case) => c.signature.slice(c.signature.indexOf('(') + 1, -1) as nb.DType;
const outDType = (c: Case) => c.signature.slice(0, c.signature.indexOf('(')) as nb.DType;

/** Random values over a dtype's whole range (floats: eighths in ±1000, exact in float32). */
function values(dtype: nb.DType, n: number): fc.Arbitrary<number[]> {
  const ranges: Partial<Record<nb.DType, [number, number]>> = {
    uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535], int32: [-(2 ** 31), 2 ** 31 - 1],
  };
  const r = ranges[dtype];
  const one = r ? fc.integer({ min: r[0], max: r[1] }) : fc.integer({ min: -8000, max: 8000 }).map((v) => v / 8);
  return fc.array(one, { minLength: n, maxLength: n });
}

/** Shape, layout and data for one run; long innermost axes reach the vector loop. */
const inputs = (c: Case) => fc.record({
  shape: fc.tuple(...Array.from({ length: c.ndim }, (_, d) => fc.integer({ min: 1, max: d === c.ndim - 1 ? 70 : c.ndim === 3 ? 5 : 9 }))),
  layout: fc.constantFrom('contiguous', 'strided', 'out-strided'),
}).chain(({ shape, layout }) => values(inputDType(c), shape.reduce((a, b) => a * b, 1)).map((data) => ({ shape, layout, data })));

describe('stencil interior/border split and SIMD interior against a plain-JS reference', () => {
  for (const c of CASES) {
    for (const [mode, stride] of c.configs) {
      it(`${c.what}: ${mode}, stride ${JSON.stringify(stride)}`, () => {
        const cval = outDType(c).startsWith('float') ? 1.5 : 7;
        const st = nb.stencil(c.kernel, { signature: c.signature, mode, cval, stride });
        const ref = c.ref ?? c.kernel;
        let compiled = false;
        fc.assert(fc.property(inputs(c), ({ shape, layout, data }) => {
          const dtype = inputDType(c);
          let a = nb.array(data, { dtype }).reshape(shape);
          const temps = [a];
          if (layout === 'strided') {
            // The same values at every second element of the innermost axis of a bigger array.
            const W = shape[shape.length - 1]!;
            const big = nb.zeros([...shape.slice(0, -1), 2 * W], dtype);
            const bd = big.data as unknown as number[];
            data.forEach((v, k) => { bd[Math.floor(k / W) * 2 * W + 2 * (k % W)] = v; });
            temps.push(big);
            a = big.slice(...shape.map((_, d) => (d === shape.length - 1 ? '::2' : ':')));
          }
          const want = reference((acc) => c.cast(ref(acc)), [data], shape, { mode, cval, stride });
          let got: nb.NDArray;
          if (layout === 'out-strided') {
            const big = nb.zeros([...want.shape.slice(0, -1), 2 * want.shape[want.shape.length - 1]!], outDType(c));
            got = big.slice(...want.shape.map((_, d) => (d === want.shape.length - 1 ? '::2' : ':')));
            st(a, { out: got });
            temps.push(big);
          } else {
            got = st(a);
            temps.push(got);
          }
          if (!compiled) {
            compiled = true;
            expect(st.kernels[0]!.simd?.lane ?? null).toBe(c.lanes);
          }
          expect(got.shape).toEqual(want.shape);
          const flat = (got.toArray() as unknown[]).flat(3).map(Number);
          expect(flat).toEqual(want.data);
          for (const t of temps) t.dispose();
        }), { numRuns: 30 });
      });
    }
  }
});
