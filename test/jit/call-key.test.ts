// The per-call fast paths of nb.jit (src/jit/specialize.ts argsKey, matchesTypes) agree with
// the full typing (argType + typesKey) on every kind of argument.
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { argsKey, argType, matchesTypes, typesKey } from '../../src/jit/specialize.js';
import type { JitArgType } from '../../src/compiler/index.js';

const values: unknown[] = [
  nb.zeros([3, 3]), nb.zeros([3, 3]).T, nb.zeros([4, 4], 'uint8').slice('::2', '::-1'), nb.zeros([5], 'int32'),
  nb.zeros([1, 1], 'float32'), nb.zeros([2, 1]).T, nb.array(5), nb.asarray(new Float64Array(4)),
  new Float64Array(2), new Int32Array(3), new Uint8Array(1), new BigInt64Array(1),
  0, 3, -7, 2.5, NaN, Infinity, 2 ** 53, -(2 ** 60), 1n, -5n, 2n ** 63n, true, false,
];
const noType: unknown[] = ['s', {}, [1, 2], null, undefined, 2n ** 65n, new DataView(new ArrayBuffer(4)), () => 1];

describe('nb.jit call keys', () => {
  it('argsKey is typesKey of argType for typed values, undefined otherwise', () => {
    for (const x of values) {
      const t = argType(x) as JitArgType;
      expect('reason' in t).toBe(false);
      expect(argsKey([x])).toBe(typesKey([t]));
    }
    for (const x of noType) expect(argsKey([x])).toBeUndefined();
    expect(argsKey([values[0], 2, true])).toBe(typesKey([values[0], 2, true].map((x) => argType(x) as JitArgType)));
    expect(argsKey([])).toBe('');
  });

  it('matchesTypes(args, types) is key equality', () => {
    const typed = values.map((x) => argType(x) as JitArgType);
    for (const [i, x] of values.entries()) {
      for (const [j, t] of typed.entries()) {
        expect(matchesTypes([x], [t]), `${i} vs ${j}`).toBe(typesKey([argType(x) as JitArgType]) === typesKey([t]));
      }
      for (const y of noType) expect(matchesTypes([y], [typed[i]!])).toBe(false);
    }
    expect(matchesTypes([values[0]], [])).toBe(false);
  });

  it('a jit function called with alternating types runs the right specialisation each time', () => {
    const f = nb.jit((a: nb.NDArray, k: number) => (a.get(0, 0) as number) + k);
    const a = nb.array([[1.5, 2], [3, 4]]);
    const b = nb.array([[7, 8], [9, 10]], { dtype: 'int32' });
    for (let r = 0; r < 3; r++) {
      expect(f(a, 2)).toBe(3.5);
      expect(f(a.T, 0.25)).toBe(1.75);
      expect(f(b, 1)).toBe(8);
      expect((f as (a: nb.NDArray, k: unknown) => unknown)(b.T, 1n)).toBe(8n);
    }
    expect(f.signatures).toHaveLength(4);
  });
});
