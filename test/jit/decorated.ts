import { jit } from '../../src/jit/jit.js';
import type { NDArray } from '../../src/ndarray/ndarray.js';

export class Stats {
  @jit
  static total(a: NDArray) {
    let s = 0.0;
    for (let i = 0; i < a.shape[0]; i++) s += a.get(i) as number;
    return s;
  }

  @jit({ boundscheck: false })
  static dot(a: Float64Array, b: Float64Array) {
    let s = 0.0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    return s;
  }

  @jit('i8(i8, i8)')
  static add(x: number, y: number) {
    return x + y;
  }
}
