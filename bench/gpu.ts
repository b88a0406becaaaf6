/**
 * `npm run bench:gpu`: the 'gpu' target's benchmark (issue 6). Prints the adapter, then GB/s
 * for:
 *   1. a device-resident elementwise float32 kernel on 1e8 elements (`a * b + 1`: 12 bytes
 *      per element), through numbats (a built-in ufunc chain `add(multiply(a, b), 1)` with
 *      out=, and a vectorize'd gpu kernel with out=) and, as the ceiling, a raw WGSL kernel
 *      timed with timestamp queries when the adapter has them;
 *   2. upload (`nb.toGpu`) and readback (`nb.toCpu`) of 1e8 float32 (400 MB), plus the raw
 *      transfer paths Dawn offers (writeBuffer, mappedAtCreation, one or several staging
 *      buffers) so the fastest can be chosen;
 *   3. a vectorize kernel end to end: CPU arrays in, CPU array out (upload + kernel +
 *      readback), against the same kernel on the cpu target.
 * Medians of repeated runs. Writes gpu-bench.json to $OUT when that is set.
 * Environment: NB_GPU_N (elements, default 1e8), NB_GPU_REPS (default 7).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nb from '../src/index.js';
import { wasmReady, type Tiered } from './harness.js';
import { gpuDevice, type GpuContext } from '../src/gpu/device.js';
import { setGpuVec4 } from '../src/gpu/dispatch.js';
import { flushGpu } from '../src/gpu/queue.js';
import { setGpuCopyMethod } from '../src/gpu/staging.js';
import { setGpuUploadMethod } from '../src/gpu/upload.js';

const N = Number(process.env.NB_GPU_N ?? 1e8);
const REPS = Number(process.env.NB_GPU_REPS ?? 7);
const results: Record<string, number | string> = {};
const log = (k: string, v: number | string, unit = '') => {
  results[k] = v;
  console.log(`${k.padEnd(58)} ${typeof v === 'number' ? v.toFixed(2) : v} ${unit}`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

async function done(ctx: GpuContext): Promise<void> {
  flushGpu(ctx);
  await ctx.device.queue.onSubmittedWorkDone();
}

/** Median ms of `fn` (awaited), after one warm-up. */
async function timeMs(fn: () => Promise<unknown> | unknown, reps = REPS): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = now();
    await fn();
    t.push(now() - s);
  }
  return median(t);
}

const gbs = (bytes: number, ms: number) => bytes / (ms / 1e3) / 1e9;

/** The raw `c = a * b + 1` pipeline over three buffers (scalar or vec4 elements) and its grid. */
function rawPipeline(ctx: GpuContext, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, n: number, vec4: boolean) {
  const d = ctx.device;
  const t = vec4 ? 'vec4<f32>' : 'f32';
  const code = `@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<${t}>;
@group(0) @binding(2) var<storage, read_write> c: array<${t}>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) w: vec3<u32>) {
  let i = g.x + g.y * w.x * 256u;
  if (i < arrayLength(&c)) { c[i] = a[i] * b[i] + 1.0; }
}`;
  const p = d.createComputePipeline({ layout: 'auto', compute: { module: d.createShaderModule({ code }), entryPoint: 'main' } });
  const bg = d.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [a, b, c].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const groups = Math.ceil((vec4 ? n / 4 : n) / 256);
  const x = Math.min(groups, ctx.limits.maxComputeWorkgroupsPerDimension);
  return { p, bg, x, y: Math.ceil(groups / x) };
}

/** Wall ms of 20 dispatches submitted back to back (the GPU never idles between them). */
async function rawBackToBack(ctx: GpuContext, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, n: number, vec4: boolean): Promise<number> {
  const d = ctx.device;
  const { p, bg, x, y } = rawPipeline(ctx, a, b, c, n, vec4);
  return timeMs(async () => {
    for (let i = 0; i < 20; i++) {
      const enc = d.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(p);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(x, y);
      pass.end();
      d.queue.submit([enc.finish()]);
    }
    await done(ctx);
  }, 3);
}

async function rawKernel(ctx: GpuContext, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, n: number, vec4: boolean): Promise<{ wallMs: number; gpuMs: number | null }> {
  const d = ctx.device;
  const { p, bg, x, y } = rawPipeline(ctx, a, b, c, n, vec4);
  const hasTs = ctx.features.has('timestamp-query');
  const qs = hasTs ? d.createQuerySet({ type: 'timestamp', count: 2 }) : null;
  const resolve = hasTs ? d.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : null;
  const read = hasTs ? d.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }) : null;
  const once = async (): Promise<number | null> => {
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass(qs ? { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
    pass.setPipeline(p);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    if (qs && resolve && read) {
      enc.resolveQuerySet(qs, 0, 2, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
    }
    d.queue.submit([enc.finish()]);
    if (!read) return null;
    await read.mapAsync(GPUMapMode.READ);
    const t = new BigUint64Array(read.getMappedRange().slice(0));
    read.unmap();
    return Number(t[1]! - t[0]!) / 1e6;
  };
  const gpu: number[] = [];
  await once();
  const wall = await timeMs(async () => {
    const g = await once();
    if (g !== null) gpu.push(g);
  });
  return { wallMs: wall, gpuMs: gpu.length ? median(gpu) : null };
}

async function main(): Promise<void> {
  const t0 = now();
  const ctx = await gpuDevice();
  const info = await nb.gpuInfo();
  log('adapter', `${info.adapter.vendor} ${info.adapter.architecture} ${info.adapter.device} ${info.adapter.description}`.trim());
  log('maxStorageBufferBindingSize', String(info.limits.maxStorageBufferBindingSize));
  log('maxBufferSize', String(info.limits.maxBufferSize));
  log('features', info.features.join(' '));
  log('elements', N);
  log('device open (ms)', now() - t0, 'ms');

  const bytes = N * 4;
  const host = nb.linspace(0, 1, N, { dtype: 'float32' });
  const hostB = nb.full([N], 2, 'float32');

  // ---- 2. transfers --------------------------------------------------------------------
  let ga: nb.NDArray | null = null;
  for (const [upload, copy] of [['writeBuffer', 'set'], ['writeBuffer', 'buffer'], ['staging', 'set'], ['staging', 'buffer']] as const) {
    setGpuUploadMethod(upload);
    setGpuCopyMethod(copy);
    const up = await timeMs(async () => {
      ga?.dispose();
      ga = await nb.toGpu(host);
      await done(ctx);
    });
    log(`upload nb.toGpu (${upload}, copy by ${copy}) (GB/s)`, gbs(bytes, up), 'GB/s');
  }
  for (const copy of ['set', 'buffer'] as const) {
    setGpuCopyMethod(copy);
    const down = await timeMs(async () => (await nb.toCpu(ga!)).dispose());
    log(`readback nb.toCpu (copy by ${copy}) (GB/s)`, gbs(bytes, down), 'GB/s');
  }
  setGpuUploadMethod('staging');
  setGpuCopyMethod('buffer');
  const zc = await timeMs(async () => (await nb.toCpu(ga!, { copy: false })).dispose());
  log('readback nb.toCpu(g, { copy: false }) zero-copy (GB/s)', gbs(bytes, zc), 'GB/s');
  const jsHost = nb.asarray(new Float32Array(N).fill(1.5));
  const upJs = await timeMs(async () => {
    (await nb.toGpu(jsHost)).dispose();
    await done(ctx);
  });
  log(`upload nb.toGpu from js storage (a plain Float32Array) (GB/s)`, gbs(bytes, upJs), 'GB/s');
  const pinned = await nb.emptyPinned([N], 'float32');
  (pinned.data as Float32Array).fill(0.25);
  const upPinned = await timeMs(async () => {
    (await nb.toGpu(pinned)).dispose();
    await done(ctx);
  });
  log('upload nb.toGpu of an nb.emptyPinned array (no CPU copy) (GB/s)', gbs(bytes, upPinned), 'GB/s');
  pinned.dispose();

  // Raw paths, to pick the fastest one.
  const d = ctx.device;
  const heapBytes = new Uint8Array(host.data.buffer, host.data.byteOffset, bytes);
  const plain = new Uint8Array(bytes);
  plain.set(heapBytes);
  const store = d.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const wb = await timeMs(async () => {
    d.queue.writeBuffer(store, 0, plain);
    await done(ctx);
  });
  log('raw upload writeBuffer from non-shared memory (GB/s)', gbs(bytes, wb), 'GB/s');
  const wbc = await timeMs(async () => {
    const tmp = new Uint8Array(bytes);
    tmp.set(heapBytes);
    d.queue.writeBuffer(store, 0, tmp);
    await done(ctx);
  });
  log('raw upload copy-to-nonshared + writeBuffer (GB/s)', gbs(bytes, wbc), 'GB/s');
  const mac = await timeMs(async () => {
    const b = d.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
    new Uint8Array(b.getMappedRange()).set(heapBytes);
    b.unmap();
    await done(ctx);
    b.destroy();
  });
  log('raw upload mappedAtCreation storage buffer (GB/s)', gbs(bytes, mac), 'GB/s');
  const staging = d.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC });
  const sw = await timeMs(async () => {
    await staging.mapAsync(GPUMapMode.WRITE);
    new Uint8Array(staging.getMappedRange()).set(heapBytes);
    staging.unmap();
    const enc = d.createCommandEncoder();
    enc.copyBufferToBuffer(staging, 0, store, 0, bytes);
    d.queue.submit([enc.finish()]);
    await done(ctx);
  });
  log('raw upload reused MAP_WRITE staging + copy (GB/s)', gbs(bytes, sw), 'GB/s');
  const rstage = d.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const rb1 = await timeMs(async () => {
    const enc = d.createCommandEncoder();
    enc.copyBufferToBuffer(store, 0, rstage, 0, bytes);
    d.queue.submit([enc.finish()]);
    await rstage.mapAsync(GPUMapMode.READ);
    heapBytes.set(new Uint8Array(rstage.getMappedRange()));
    rstage.unmap();
  });
  log('raw readback one reused MAP_READ staging (GB/s)', gbs(bytes, rb1), 'GB/s');
  const rbMapOnly = await timeMs(async () => {
    const enc = d.createCommandEncoder();
    enc.copyBufferToBuffer(store, 0, rstage, 0, bytes);
    d.queue.submit([enc.finish()]);
    await rstage.mapAsync(GPUMapMode.READ);
    rstage.getMappedRange();
    rstage.unmap();
  });
  log('raw readback copy+map without the memcpy (GB/s)', gbs(bytes, rbMapOnly), 'GB/s');
  {
    const enc = d.createCommandEncoder();
    enc.copyBufferToBuffer(store, 0, rstage, 0, bytes);
    d.queue.submit([enc.finish()]);
    await rstage.mapAsync(GPUMapMode.READ);
    const m = new Uint8Array(rstage.getMappedRange());
    const t1 = await timeMs(() => heapBytes.set(m));
    const t2 = await timeMs(() => Buffer.from(m.buffer, 0, bytes).copy(Buffer.from(heapBytes.buffer, heapBytes.byteOffset, bytes)));
    const t3 = await timeMs(() => plain.set(m));
    const t4 = await timeMs(() => plain.set(heapBytes));
    log('memcpy mapped -> heap (SAB) by TypedArray.set (GB/s)', gbs(bytes, t1), 'GB/s');
    log('memcpy mapped -> heap (SAB) by Buffer#copy (GB/s)', gbs(bytes, t2), 'GB/s');
    log('memcpy mapped -> non-shared by TypedArray.set (GB/s)', gbs(bytes, t3), 'GB/s');
    log('memcpy heap (SAB) -> non-shared by TypedArray.set (GB/s)', gbs(bytes, t4), 'GB/s');
    rstage.unmap();
  }
  staging.destroy();
  rstage.destroy();

  // ---- 1. device-resident elementwise ----------------------------------------------------
  const gb = await nb.toGpu(hostB);
  const gc = await nb.toGpu(nb.zeros([N], 'float32'));
  const s = (ga as unknown as nb.NDArray);
  // The GPU leaves its low-power state only under sustained load (measured: the first
  // ~0.5 s of kernels after the transfers ran at under half the bandwidth): warm it up.
  const warmEnd = now() + 1500;
  while (now() < warmEnd) {
    for (let i = 0; i < 10; i++) nb.add(s, gb, { out: gc });
    await done(ctx);
  }
  for (const vec4 of [false, true]) {
    const bb = await rawBackToBack(ctx, (s.storage as never as { buffers: GPUBuffer[] }).buffers[0]!, (gb.storage as never as { buffers: GPUBuffer[] }).buffers[0]!, (gc.storage as never as { buffers: GPUBuffer[] }).buffers[0]!, N, vec4);
    log(`raw WGSL a*b+1 ${vec4 ? 'vec4' : 'scalar'} 20 back-to-back (TB/s)`, gbs(3 * bytes * 20, bb) / 1e3, 'TB/s');
    const r = await rawKernel(ctx, (s.storage as never as { buffers: GPUBuffer[] }).buffers[0]!, (gb.storage as never as { buffers: GPUBuffer[] }).buffers[0]!, (gc.storage as never as { buffers: GPUBuffer[] }).buffers[0]!, N, vec4);
    log(`raw WGSL a*b+1 ${vec4 ? 'vec4' : 'scalar'} wall (TB/s)`, gbs(3 * bytes, r.wallMs) / 1e3, 'TB/s');
    if (r.gpuMs !== null) log(`raw WGSL a*b+1 ${vec4 ? 'vec4' : 'scalar'} timestamps (TB/s)`, gbs(3 * bytes, r.gpuMs) / 1e3, 'TB/s');
  }
  const fma = nb.vectorize(['float32(float32, float32)'], { target: 'gpu' })((x: number, y: number) => x * y + 1) as unknown as (...a: unknown[]) => Promise<nb.NDArray>;
  await fma(s, gb, { out: gc });
  const K = 20;
  const vz = await timeMs(async () => {
    for (let i = 0; i < K; i++) await fma(s, gb, { out: gc });
    await done(ctx);
  }, 3);
  log('numbats vectorize gpu a*b+1 out=, device-resident (TB/s)', gbs(3 * bytes * K, vz) / 1e3, 'TB/s');
  let jsv = 0;
  const vzq = await timeMs(async () => {
    const t = now();
    const ps: Promise<unknown>[] = [];
    for (let i = 0; i < K; i++) ps.push(fma(s, gb, { out: gc }));
    jsv = (now() - t) / K;
    await Promise.all(ps);
    await done(ctx);
  }, 3);
  log('numbats vectorize gpu a*b+1, 20 calls in flight (TB/s)', gbs(3 * bytes * K, vzq) / 1e3, 'TB/s');
  log('  JS time per vectorize gpu call (us)', jsv * 1e3, 'us');
  for (const v4 of [false, true]) {
    setGpuVec4(v4);
    const bi = await timeMs(async () => {
      for (let i = 0; i < K; i++) nb.add(s, gb, { out: gc });
      await done(ctx);
    }, 3);
    log(`numbats built-in add(a, b, out=) gpu, ${v4 ? 'vec4' : 'scalar'} (TB/s)`, gbs(3 * bytes * K, bi) / 1e3, 'TB/s');
    let js = 0;
    const tt = await timeMs(async () => {
      const t = now();
      for (let i = 0; i < K; i++) nb.multiply(s, gb, { out: gc });
      js = (now() - t) / K;
      await done(ctx);
    }, 3);
    log(`numbats built-in multiply out= ${v4 ? 'vec4' : 'scalar'} (TB/s)`, gbs(3 * bytes * K, tt) / 1e3, 'TB/s');
    log(`  JS time per built-in gpu call (us)`, js * 1e3, 'us');
  }
  setGpuVec4(true);
  nb.add(s, gb, { out: gc });
  const check = await nb.toCpu(nb.subtract(gc, nb.add(s, gb)));
  let maxErr = 0;
  for (let i = 0; i < N; i += 9973) maxErr = Math.max(maxErr, Math.abs(check.data[i] as number));
  log('check add: max |gpu - gpu| sample', maxErr);

  // ---- 3. end to end -----------------------------------------------------------------------
  const n2 = Math.min(N, 1e7);
  const x = nb.linspace(-2, 2, n2, { dtype: 'float32' });
  const y = nb.full([n2], 3, 'float32');
  const cpuF = nb.vectorize(['float32(float32, float32)'])((p: number, q: number) => Math.exp(-p * p) * Math.cos(q)) as unknown as (...a: unknown[]) => nb.NDArray;
  const gpuF = nb.vectorize(['float32(float32, float32)'], { target: 'gpu' })((p: number, q: number) => Math.exp(-p * p) * Math.cos(q)) as unknown as (...a: unknown[]) => Promise<nb.NDArray>;
  await wasmReady(cpuF as unknown as Tiered); // the cpu side on its Wasm tier, not the JS tier that runs while it compiles
  const e2e = await timeMs(async () => (await gpuF(x, y)).dispose());
  const cpuT = await timeMs(() => cpuF(x, y).dispose());
  log(`vectorize exp(-x*x)*cos(y) f32 ${n2} end to end gpu (ms)`, e2e, 'ms');
  log(`same kernel, cpu target (ms)`, cpuT, 'ms');
  log('end to end effective (GB/s, 12 bytes/element)', gbs(12 * n2, e2e), 'GB/s');
  const a1 = await gpuF(x, y);
  const a2 = cpuF(x, y);
  let rel = 0;
  for (let i = 0; i < n2; i += 997) rel = Math.max(rel, Math.abs((a1.data[i] as number) - (a2.data[i] as number)) / Math.max(1e-30, Math.abs(a2.data[i] as number)));
  log('end to end max relative difference gpu vs cpu (sampled)', rel);
  log('total (s)', (now() - t0) / 1e3, 's');

  if (process.env.OUT) {
    mkdirSync(process.env.OUT, { recursive: true });
    writeFileSync(`${process.env.OUT}/gpu-bench.json`, JSON.stringify(results, null, 2));
  }
  await nb.gpuShutdown();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
