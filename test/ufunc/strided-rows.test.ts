/**
 * Binary ufuncs on every-other-element inputs (`a[::2] + b[::2]`) into a contiguous output:
 * the generated rows load two vectors per input and shuffle out the even lanes
 * (scripts/codegen/emit-loops.ts). Checked against the plain-JS reference for every dtype with
 * a SIMD loop, at row lengths around the vector width (the main loop stops one vector early so
 * that its second load stays inside the input; the scalar tail does the rest), with the
 * inputs at the start, in the middle and at the very end of their buffers.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as nb from '../../src/index.js';
import { type BinOp, type DT, type Val, binary, fromRaw, sameVal, show, toRaw, valueArb } from '../helpers/reference.js';

const OPS: BinOp[] = ['add', 'multiply', 'maximum', 'subtract', 'bitwiseAnd'];
const DTYPES: DT[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];
/** Whether NumPy has a loop for op on dtype d (the reference covers these). */
const hasLoop = (op: BinOp, d: DT) =>
  !(op === 'bitwiseAnd' && nb.DTYPES[d].kind === 'f') && !(op === 'subtract' && d === 'bool');

const caseArb = fc.record({
  op: fc.constantFrom(...OPS),
  d: fc.constantFrom(...DTYPES),
  n: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(63, 64, 65, 100)),
  start: fc.integer({ min: 0, max: 3 }),
  pad: fc.integer({ min: 0, max: 1 }),
}).filter(({ op, d }) => hasLoop(op, d))
  .chain((c) => fc.tuple(
    fc.array(valueArb(c.d), { minLength: c.n, maxLength: c.n }),
    fc.array(valueArb(c.d), { minLength: c.n, maxLength: c.n }),
  ).map(([xs, ys]) => ({ ...c, xs, ys })));

/** values at positions start, start + 2, ... of a buffer of 2n - 1 + start + pad elements. */
function everyOther(values: readonly Val[], d: DT, start: number, pad: number): nb.NDArray {
  const n = values.length;
  const buf = nb.zeros([start + 2 * n - 1 + pad], d);
  const data = buf.data as unknown as (number | bigint)[];
  values.forEach((v, i) => (data[buf.offset + start + 2 * i] = toRaw(v, d)));
  return buf.slice(`${start}::2`);
}

describe('binary ufuncs on a[::2] and b[::2]', () => {
  it('match the reference for every dtype, row length and offset', () => {
    fc.assert(
      fc.property(caseArb, ({ op, d, n, start, pad, xs, ys }) => {
        const x = everyOther(xs, d, start, pad);
        const y = everyOther(ys, d, start, pad);
        const r = (nb as unknown as Record<string, (a: nb.NDArray, b: nb.NDArray) => nb.NDArray>)[op]!(x, y);
        const data = r.data as unknown as ArrayLike<number | bigint>;
        for (let i = 0; i < n; i++) {
          const got = fromRaw(data[r.offset + i * r.strides[0]!]!, r.dtype);
          const want = binary(op, xs[i]!, ys[i]!, d);
          if (!sameVal(got, want)) throw new Error(`${op} ${d} n=${n} element ${i}: got ${show(got)}, want ${show(want)}`);
        }
        [x, y, r].forEach((a) => a.dispose());
      }),
      { seed: 5, numRuns: 400 },
    );
  });
});
