/**
 * The 'gpu' target: arrays that live on the GPU, built-in ufuncs and compiled kernels on
 * them, and the fast transfer paths. Run: `npx tsx examples/gpu.ts` (needs a WebGPU
 * adapter: a GPU with its Vulkan driver, or Mesa's lavapipe: `bash scripts/install-lavapipe.sh`).
 */
import * as nb from '../src/index.js';

if (!(await nb.gpuAvailable())) {
  console.log('no WebGPU adapter here: see scripts/install-lavapipe.sh');
  process.exit(0);
}
const info = await nb.gpuInfo();
console.log(`adapter: ${info.adapter.vendor} ${info.adapter.description}`.trim());

// 1. Move arrays to the GPU; built-in ufuncs on gpu arrays queue work and return gpu arrays.
const x = await nb.toGpu(nb.linspace(0, 1, 5, { dtype: 'float32' }));
const y = nb.add(nb.multiply(x, 2), 1); // two kernels, no transfer in between
console.log('2x + 1 =', (await nb.toCpu(y)).toArray());

// 2. A kernel of your own, compiled to WGSL. Calls return Promises; with a gpu operand the
//    result stays on the GPU, with CPU operands it comes back as a normal array.
const gauss = nb.vectorize(['float32(float32)'], { target: 'gpu' })((v: number) => Math.exp(-v * v));
const g = (await gauss(x)) as nb.NDArray;
console.log('gauss on the GPU:', g.storageKind, ((await g.toCpu()).toArray() as number[]).map((v) => v.toFixed(4)));
console.log('gauss from the CPU:', ((await gauss(nb.array([0, 1], { dtype: 'float32' }))) as nb.NDArray).toArray());

// 3. A gufunc: row-wise dot products, batched.
const rowdot = nb.guvectorize(['void(float32[:], float32[:], float32[:])'], '(n),(n)->()', { target: 'gpu' })(
  (a: Float32Array, b: Float32Array, out: Float32Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    out[0] = s;
  });
const m = nb.arange(6, { dtype: 'float32' }).reshape([2, 3]);
console.log('rowdot =', ((await rowdot(m, nb.ones([3], 'float32'))) as nb.NDArray).toArray());

// 4. The fast transfer paths: pinned host memory for uploads, zero-copy readback.
const pinned = await nb.emptyPinned([4], 'float32');
(pinned.data as Float32Array).set([1, 2, 3, 4]);
const onGpu = await nb.toGpu(pinned);
const view = await nb.toCpu(nb.sqrt(onGpu), { copy: false });
console.log('sqrt via pinned upload and zero-copy readback =', view.toArray());
view.dispose();

// 5. float64 has no WGSL type: a clear error, not a silent downcast.
try {
  nb.vectorize(['float64(float64)'], { target: 'gpu' })((v: number) => v);
} catch (e) {
  console.log('float64 on the gpu:', (e as nb.NumbatsError).code);
}
await nb.gpuShutdown();
