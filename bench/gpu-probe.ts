/**
 * A probe of what limits an elementwise WGSL kernel on the GPU (used once to explain the
 * numbers in bench/README.md): the same buffers, several bodies, one or 20 submits.
 */
import { gpuDevice } from '../src/gpu/device.js';

const N = Number(process.env.NB_GPU_N ?? 1e8);
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function main(): Promise<void> {
  const ctx = await gpuDevice();
  const d = ctx.device;
  const mk = (fill: number) => {
    const b = d.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, mappedAtCreation: true });
    new Float32Array(b.getMappedRange()).fill(fill);
    b.unmap();
    return b;
  };
  const a = mk(0.5), b = mk(2), c = mk(0);
  const bodies: Record<string, string> = {
    'c=a*b': 'c[i] = a[i] * b[i];',
    'c=a+b': 'c[i] = a[i] + b[i];',
    'c=a*b+1': 'c[i] = a[i] * b[i] + 1.0;',
    'c=fma(a,b,1)': 'c[i] = fma(a[i], b[i], vec4<f32>(1.0));',
    'c=a*b+b': 'c[i] = a[i] * b[i] + b[i];',
  };
  for (const [name, body] of Object.entries(bodies)) {
    const code = `@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) w: vec3<u32>) {
  let i = g.x + g.y * w.x * 256u;
  if (i < ${N / 4}u) { ${body} }
}`;
    const p = d.createComputePipeline({ layout: 'auto', compute: { module: d.createShaderModule({ code }), entryPoint: 'main' } });
    const bg = d.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [a, b, c].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const groups = Math.ceil(N / 4 / 256);
    const x = Math.min(groups, 65535);
    const run = async (submits: number, perSubmit: number) => {
      const t = now();
      for (let s = 0; s < submits; s++) {
        const enc = d.createCommandEncoder();
        for (let k = 0; k < perSubmit; k++) {
          const pass = enc.beginComputePass();
          pass.setPipeline(p);
          pass.setBindGroup(0, bg);
          pass.dispatchWorkgroups(x, Math.ceil(groups / x));
          pass.end();
        }
        d.queue.submit([enc.finish()]);
      }
      await d.queue.onSubmittedWorkDone();
      return now() - t;
    };
    await run(2, 2);
    const tb = (ms: number) => ((12 * N * 20) / (ms / 1e3) / 1e12).toFixed(2);
    const one = Math.min(await run(1, 20), await run(1, 20));
    const many = Math.min(await run(20, 1), await run(20, 1));
    console.log(`${name.padEnd(14)} 20 passes in 1 submit: ${tb(one)} TB/s   20 submits: ${tb(many)} TB/s`);
  }
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
