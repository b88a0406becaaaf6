/**
 * Issue 8: use after dispose always throws MemoryError `E_MEMORY_DISPOSED`, through every
 * door: element access, views, copies, ufunc inputs / out / where, methods, for the array
 * and every view of it. (The memory run, memory-run.test.ts, does this at random too.)
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';

const disposed = expect.objectContaining({ name: 'MemoryError', code: 'E_MEMORY_DISPOSED' });

function doors(x: nb.NDArray): Array<[string, () => unknown]> {
  const z = () => nb.zeros(x.shape, x.dtype);
  return [
    ['get', () => x.get(...x.shape.map(() => 0))],
    ['toArray', () => x.toArray()],
    ['data', () => x.data],
    ['slice', () => x.slice('...')],
    ['reshape', () => x.reshape([-1])],
    ['transpose', () => x.T],
    ['astype', () => x.astype('int32')],
    ['copy', () => x.copy()],
    ['toString', () => x.toString()],
    ['ufunc input', () => nb.add(x, 1)],
    ['ufunc second input', () => nb.multiply(z(), x)],
    ['ufunc out', () => nb.negative(z(), { out: x })],
    ['ufunc where', () => nb.add(z(), 1, { where: x })],
    ['reduce', () => nb.add.reduce(x, { axis: 0 })],
    ['accumulate', () => nb.add.accumulate(x, { axis: 0 })],
    ['outer', () => nb.add.outer(x, nb.ones([2]))],
    ['broadcastTo', () => nb.broadcastTo(x, [2, ...x.shape]).toArray()],
    ['matmul', () => nb.matmul(x, nb.ones([x.shape[x.shape.length - 1]!, 1], x.dtype))],
  ];
}

describe('use after dispose', () => {
  for (const [name] of doors(nb.zeros([3]))) {
    it(`${name} of a disposed array, or of a view of it, throws E_MEMORY_DISPOSED`, () => {
      const a = nb.arange(6, undefined, undefined, 'float64').reshape([3, 2]).T.copy().T; // (3,2) view of a (2,3)
      const mask = nb.array([[true, false], [true, true], [false, true]]);
      const v = a.slice('::-1');
      a.dispose();
      const [, fn] = doors(name === 'ufunc where' ? (mask.dispose(), mask) : a).find(([n]) => n === name)!;
      expect(fn).toThrowError(disposed);
      if (name !== 'ufunc where') expect(doors(v).find(([n]) => n === name)![1]).toThrowError(disposed);
    });
  }

  // KNOWN BUG (src/ufunc/execute.ts and the gufunc/method runners, not this agent's files):
  // a loop over zero elements returns before staging its operands, and staging is where
  // the disposed check is, so a disposed array of size 0 passes silently through ufuncs.
  // Fix: check `storage.disposed` of every operand before the `plan.size === 0` early return.
  for (const name of ['ufunc input', 'ufunc out', 'reduce'] as const) {
    it(`${name} of a disposed array of size 0 throws E_MEMORY_DISPOSED`, () => {
      const a = nb.zeros([0, 2]);
      a.dispose();
      expect(doors(a).find(([n]) => n === name)![1]).toThrowError(disposed);
    });
  }

  it('dispose is idempotent, and disposing a view disposes the array', () => {
    const a = nb.ones([4]);
    const v = a.slice('1:');
    v.dispose();
    expect(a.disposed).toBe(true);
    expect(() => a.get(0)).toThrowError(disposed);
    a.dispose();
    v.dispose();
  });
});
