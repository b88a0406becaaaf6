import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const f64 = (xs: number[]) => nb.array(xs, { dtype: 'float64' });

describe('the ufunc call protocol', () => {
  it('broadcasts inputs against each other and against out', () => {
    const out = nb.zeros([2, 3]);
    nb.add(f64([1, 2, 3]), 10, { out });
    expect(out.toArray()).toEqual([[11, 12, 13], [11, 12, 13]]);
  });

  it('returns out itself when given, and a new array otherwise', () => {
    const a = f64([1, 2]);
    const out = nb.empty([2]);
    expect(nb.add(a, a, { out })).toBe(out);
    expect(nb.add(a, a)).not.toBe(a);
  });

  it('where leaves masked-out elements of out untouched; new outputs hold 0 there', () => {
    const out = f64([-1, -1, -1, -1]);
    nb.multiply(f64([1, 2, 3, 4]), 10, { out, where: [true, false, true, false] });
    expect(out.toArray()).toEqual([10, -1, 30, -1]);
    expect(nb.multiply(f64([1, 2]), 10, { where: nb.array([false, true]) }).toArray()).toEqual([0, 20]);
    const o2 = nb.zeros([2, 2]);
    nb.add(nb.ones([2, 2]), 1, { out: o2, where: nb.array([[true], [false]]) }); // mask broadcast
    expect(o2.toArray()).toEqual([[2, 2], [0, 0]]);
  });

  it('is correct when an input is the output (elementwise in place)', () => {
    const a = f64([1, 2, 3]);
    nb.add(a, a, { out: a });
    expect(a.toArray()).toEqual([2, 4, 6]);
  });

  it('reads old values when out overlaps an input at an offset (a[1:] = a[:-1] + 1)', () => {
    const a = nb.arange(6, undefined, undefined, 'float64');
    nb.add(a.slice(':-1'), 100, { out: a.slice('1:') });
    expect(a.toArray()).toEqual([0, 100, 101, 102, 103, 104]);
    const b = nb.arange(6, undefined, undefined, 'int32');
    nb.negative(b.slice('::-1'), { out: b });
    expect(b.toArray()).toEqual([-5, -4, -3, -2, -1, 0]);
  });

  it('casts the result into an out of another dtype under same_kind', () => {
    const out = nb.zeros([2], 'float32');
    nb.add(f64([0.5, 1.5]), 1, { out });
    expect(out.toArray()).toEqual([1.5, 2.5]);
    const i8 = nb.zeros([2], 'int8');
    nb.add(nb.array([100, 27]), 100, { out: i8 }); // int64 -> int8 is same_kind: wraps
    expect(i8.toArray()).toEqual([-56, 127]);
  });

  it('dtype= and signature= pick the loop', () => {
    const r = nb.add(nb.array([1, 2], { dtype: 'int8' }), nb.array([3, 4], { dtype: 'int8' }), { dtype: 'float32' });
    expect(r.dtype).toBe('float32');
    expect(nb.add(f64([1.5]), f64([1]), { signature: 'float32,float32->float32', casting: 'same_kind' }).dtype).toBe('float32');
    expect(nb.add(nb.array([1]), 2, { signature: [null, null, 'float64'] }).dtype).toBe('float64');
  });

  it('writes through to js-storage outputs and reads js-storage inputs', () => {
    const ta = new Float64Array([1, 2, 3]);
    const out = new Float64Array(3);
    nb.multiply(nb.asarray(ta), 2, { out: nb.asarray(out) });
    expect([...out]).toEqual([2, 4, 6]);
  });

  it('handles 0-d and empty operands', () => {
    expect(nb.add(nb.array(2.5), 1).toArray()).toBe(3.5);
    expect(nb.add(2, 3).item()).toBe(5n);
    expect(nb.add(nb.zeros([0, 3]), 1).shape).toEqual([0, 3]);
  });

  it('returns both outputs of divmod and fills a list of outs', () => {
    const q = nb.empty([2]);
    const r = nb.empty([2]);
    const res = nb.divmod(f64([7, -7]), 2, { out: [q, r] });
    expect(res[0]).toBe(q);
    expect(res[1]).toBe(r);
    expect(q.toArray()).toEqual([3, -4]);
    expect(r.toArray()).toEqual([1, 1]);
  });
});

describe('the fast path gives the general path\'s results', () => {
  // `where: true` is a no-op that sends the call down the general path (call.ts).
  const general = { where: true } as const;
  it('for an array and a JS scalar on either side', () => {
    const xi = nb.arange(20, undefined, undefined, 'int8');
    const xf = nb.linspace(-1, 1, 20, { dtype: 'float32' });
    for (const [f, a, s] of [
      [nb.subtract, xi, 100], [nb.subtract, xf, 2.5], [nb.multiply, xi, -3], [nb.power, xf, 2],
      [nb.maximum, xf, 0], [nb.less, xi, 7], [nb.floorDivide, xi, -3], [nb.add, xi, 2n],
    ] as const) {
      expect(f(a, s).toArray(), `${f.name}(a, ${s})`).toEqual(f(a, s, general).toArray());
      expect(f(s, a).toArray(), `${f.name}(${s}, a)`).toEqual(f(s, a, general).toArray());
    }
  });
  it('leaves out-of-range integers to the general path (errors and exact comparisons)', () => {
    const xi = nb.arange(4, undefined, undefined, 'int8');
    expect(() => nb.add(xi, 300)).toThrowError(expect.objectContaining({ code: 'E_DTYPE_OVERFLOW' }));
    expect(nb.less(xi, 300).toArray()).toEqual([true, true, true, true]);
    expect(nb.add(xi, 2.5).dtype).toBe('float64');
  });
});

describe('bad ufunc calls throw typed errors', () => {
  const a = f64([1, 2, 3]);
  it('a wrong number of inputs', () => {
    expect(() => (nb.add as unknown as (...x: unknown[]) => unknown)(a)).toThrowError(expect.objectContaining({ code: 'E_VALUE_ARGCOUNT' }));
    expect(() => (nb.sqrt as unknown as (...x: unknown[]) => unknown)(a, a)).toThrow(nb.ValueError);
  });
  it('an unknown option', () => {
    expect(() => nb.add(a, a, { outt: a } as never)).toThrowError(expect.objectContaining({ code: 'E_VALUE_OPTION' }));
  });
  it('out of the wrong shape', () => {
    // As NumPy: a size that cannot broadcast at all is a broadcast error...
    expect(() => nb.add(a, a, { out: nb.zeros([2]) })).toThrowError(expect.objectContaining({ code: 'E_SHAPE_BROADCAST', name: 'ShapeError' }));
    // ...and an out that would have to be broadcast is refused.
    expect(() => nb.add(a, a, { out: nb.zeros([1]) })).toThrowError(expect.objectContaining({ code: 'E_SHAPE_OUT' }));
    expect(() => nb.divmod(a, 2, { out: nb.zeros([3]) })).toThrowError(expect.objectContaining({ code: 'E_VALUE_OUT' }));
  });
  it('an out dtype the casting rule forbids names the rule and the dtypes', () => {
    const bad = () => nb.add(a, a, { out: nb.zeros([3], 'int32') });
    expect(bad).toThrowError(expect.objectContaining({ code: 'E_CAST_RULE', name: 'CastingError' }));
    expect(bad).toThrow(/float64.*int32.*same_kind/);
    expect(() => nb.add(a, a, { out: nb.zeros([3], 'int32'), casting: 'unsafe' })).not.toThrow();
    expect(() => nb.add(a, a, { out: nb.zeros([3], 'float32'), casting: 'safe' })).toThrow(/safe/);
  });
  it('an input the casting rule forbids for the requested loop', () => {
    expect(() => nb.add(a, a, { dtype: 'int32' })).toThrow(nb.NumbatsError);
  });
  it('a where of an incompatible shape', () => {
    expect(() => nb.add(a, a, { where: [true, false] })).toThrowError(expect.objectContaining({ code: 'E_SHAPE_BROADCAST' }));
  });
  it('incompatible input shapes', () => {
    expect(() => nb.add(a, f64([1, 2]))).toThrowError(expect.objectContaining({ code: 'E_SHAPE_BROADCAST' }));
  });
  it('a read-only (broadcast) out', () => {
    expect(() => nb.add(a, a, { out: nb.broadcastTo(f64([0]), [3]) })).toThrowError(expect.objectContaining({ code: 'E_VALUE_READONLY' }));
  });
  it('a type no loop accepts', () => {
    expect(() => nb.bitwiseAnd(a, a)).toThrowError(expect.objectContaining({ code: 'E_DTYPE_NO_LOOP' }));
  });
  it('a JS integer that does not fit the array dtype', () => {
    expect(() => nb.add(nb.array([1], { dtype: 'uint8' }), -1)).toThrowError(expect.objectContaining({ code: 'E_DTYPE_OVERFLOW' }));
  });
  it('a disposed operand', () => {
    const d = f64([1]);
    d.dispose();
    expect(() => nb.add(d, 1)).toThrowError(expect.objectContaining({ code: 'E_MEMORY_DISPOSED' }));
    expect(() => nb.add(f64([1]), f64([1]), { out: d })).toThrowError(expect.objectContaining({ code: 'E_MEMORY_DISPOSED' }));
  });
});
