import { vectorize } from '../../src/vectorize/vectorize.js';

export class K {
  @vectorize('float64(float64)')
  static sq(x: number) {
    return x * x;
  }
}
