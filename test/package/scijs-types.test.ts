import ndarray from 'ndarray';
import { describe, expectTypeOf, it } from 'vitest';
import * as nb from '../../src/index.js';

// numbats declares the scijs array type itself (src/interop/scijs-types.ts) so that its
// published .d.ts need no @types/ndarray (issue 18). These compile-time checks (`npm run
// typecheck`) keep it interchangeable with @types/ndarray's NdArray in both directions.
describe('scijs types declared by numbats', () => {
  it('toNdarray() passes where @types/ndarray is expected; its arrays pass to fromNdarray', () => {
    const s = nb.zeros([2], 'float32').toNdarray();
    expectTypeOf(s).toExtend<ndarray.NdArray<Float32Array>>();
    expectTypeOf(s.data).toEqualTypeOf<Float32Array>();
    expectTypeOf(nb.zeros([2]).toNdarray()).toExtend<ndarray.NdArray>();
    expectTypeOf<ndarray.NdArray<Float64Array>>().toExtend<Parameters<typeof nb.fromNdarray>[0]>();
    expectTypeOf<ndarray.NdArray<number[]>>().toExtend<Parameters<typeof nb.fromNdarray>[0]>();
    nb.fromNdarray(ndarray(new Float64Array(4), [2, 2])).dispose();
  });
});
