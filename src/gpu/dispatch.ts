/**
 * Running a compiled kernel on the GPU over gpu-storage operands: the iteration plan,
 * the split into dispatches, pipelines cached per (kernel, layout class), and the meta
 * buffer of each dispatch (shaders.ts describes it).
 *
 * Steps of {@link runGpuKernel}:
 *   1. view every operand with broadcast strides and simplify the loop nest as the cpu
 *      target does (drop size-1 dims, merge contiguous ones, order by the first output);
 *   2. classify each operand flat (offset + i) or strided; an array split into chunks
 *      must be flat (TargetError `E_GPU_LIMIT` otherwise: copy it contiguous first);
 *   3. cut the iteration [0, n) at every chunk boundary of every chunked operand, and
 *      into pieces of at most 2^31 invocations; per piece, bind each operand's buffer,
 *      write meta, dispatch a 2-D grid of 256-wide workgroups;
 *      (then the error flag and the constant tables' buffers, uploaded once per kernel);
 *   4. all pieces are encoded into one command buffer and submitted: results stay on the
 *      GPU and later calls queue behind them, so chains of calls never wait.
 */
import { broadcastStrides } from '../broadcast/broadcast-shapes.js';
import { simplifyPlan } from '../ndarray/iteration-plan.js';
import type { CompiledKernel } from '../compiler/index.js';
import { tablesRead } from '../compiler/emit/wgsl/emit-function.js';
import type { IRProgram } from '../compiler/ir/nodes.js';
import { cStrides } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { TargetError } from '../util/errors.js';
import { scoped, type GpuContext } from './device.js';
import { bindGroup, metaBuffer, pendingEncoder } from './queue.js';
import { elementwiseShader, gufuncShader, layoutKey, MAXD, META_HEAD, META_OPERAND, WG, type LayoutClass } from './shaders.js';
import { gpuStorageOf, type GpuStorage } from './storage.js';

const pipelines = new WeakMap<GpuContext, Map<string, GPUComputePipeline>>();

/** Number of pipelines compiled so far (for tests of the cache). */
export let pipelinesCompiled = 0;

function pipelineFor(ctx: GpuContext, k: CompiledKernel, layout: LayoutClass): GPUComputePipeline {
  let cache = pipelines.get(ctx);
  if (!cache) pipelines.set(ctx, (cache = new Map()));
  const key = `${k.key}|${k.kind}|${layoutKey(layout)}`;
  let p = cache.get(key);
  if (p) return p;
  const code = k.kind === 'scalar' ? elementwiseShader(k, layout) : gufuncShader(k, layout);
  p = scoped(ctx, () => {
    const module = ctx.device.createShaderModule({ code, label: k.name });
    return ctx.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: k.name });
  });
  pipelinesCompiled++;
  cache.set(key, p);
  return p;
}

/** The WGSL a call would use (debugging and tests). */
export function shaderSource(k: CompiledKernel, layout: LayoutClass): string {
  return k.kind === 'scalar' ? elementwiseShader(k, layout) : gufuncShader(k, layout);
}

interface PlannedOperand {
  readonly storage: GpuStorage;
  readonly offset: number;
  readonly strides: readonly number[];
  readonly flat: boolean;
}

/** Loop-dim strides of `a` viewed with `shape` (broadcast). */
function viewStrides(a: NDArray, shape: readonly number[]): number[] {
  return broadcastStrides(a.shape, a.strides, shape);
}

/**
 * Run kernel `k` over gpu operands (inputs then outputs, already of the kernel's dtypes).
 * `shape` is the loop shape; for gufunc kernels `core` gives the core sizes and each
 * operand's core strides (elements), and operands are passed as views of their loop dims
 * only (the core dims dropped from shape and strides).
 *
 * @throws TargetError `E_GPU_LIMIT` for a chunked operand that is not contiguous, or more
 *   than 8 loop dims after simplification.
 * @example
 * ```ts
 * runGpuKernel(ctx, k, [a, b], [out], out.shape);
 * ```
 */
export function runGpuKernel(
  ctx: GpuContext, k: CompiledKernel, ins: readonly NDArray[], outs: readonly NDArray[], shape: readonly number[],
  core?: Core,
): void {
  const all = [...ins, ...outs];
  const loopStrides = all.map((a) => viewStrides(a, shape));
  const plan = simplifyPlan(shape, loopStrides, ins.length);
  if (plan.size === 0) return;
  if (plan.shape.length > MAXD) throw new TargetError('E_GPU_LIMIT', `the gpu target handles up to ${MAXD} loop dimensions after merging, got ${plan.shape.length}`);
  const c = cStrides(plan.shape);
  const ops: PlannedOperand[] = all.map((a, j) => {
    const storage = gpuStorageOf(a);
    const strides = plan.strides[j]!;
    const flat = strides.every((s, d) => s === c[d] || plan.shape[d] === 1);
    if (storage.buffers.length > 1 && !flat) {
      throw new TargetError(
        'E_GPU_LIMIT',
        `operand ${j} is split over ${storage.buffers.length} GPU buffers (bigger than maxStorageBufferBindingSize) and is not contiguous in this call; make it contiguous first (nb.add(a, 0) or a copy on the CPU)`,
      );
    }
    return { storage, offset: a.offset, strides, flat };
  });
  const aliased = ins.map((a) => outs.some((o) => o.storage === a.storage));
  const layout: LayoutClass = { flat: ops.map((o) => o.flat), aliased };
  // Cut points: chunk boundaries of chunked flat operands, and 2^30-invocation pieces.
  const cuts = new Set<number>([0, plan.size]);
  for (const o of ops) {
    if (o.storage.buffers.length === 1) continue;
    const ce = o.storage.chunkElems;
    for (let b = Math.ceil((o.offset + 1) / ce) * ce; b - o.offset < plan.size; b += ce) cuts.add(b - o.offset);
  }
  for (let p = 1 << 30; p < plan.size; p += 1 << 30) cuts.add(p);
  const points = [...cuts].sort((x, y) => x - y);

  const tables = tableBuffers(ctx, k.ir, k.key);
  const pipeline = pipelineFor(ctx, k, layout);
  // Scalar kernels over flat, 16-byte aligned operands: a vec4 pipeline for the body and
  // the scalar one for the (< 4 element) tail of each piece.
  const vec = k.kind === 'scalar' && ops.every((o) => o.flat && o.offset % 4 === 0) && !vec4Off;
  const vecPipeline = vec ? pipelineFor(ctx, k, { ...layout, vec4: true }) : null;
  encode(ctx, pipeline, vecPipeline, ops, plan, points, tables, core);
}

const tableCache = new WeakMap<GpuContext, Map<string, GPUBuffer[]>>();

/**
 * The storage buffers of the constant tables a program reads (emit/wgsl's tablesRead order),
 * created and uploaded once per device and compiled program (`key` covers the contents:
 * the generated source holds them), then bound by every call after nbmeta and the flag.
 *
 * @example
 * ```ts
 * const bufs = tableBuffers(ctx, k.ir, k.key); // [] when the kernel reads no table
 * ```
 */
export function tableBuffers(ctx: GpuContext, ir: IRProgram, key: string): GPUBuffer[] {
  const read = tablesRead(ir);
  if (read.length === 0) return [];
  let cache = tableCache.get(ctx);
  if (!cache) tableCache.set(ctx, (cache = new Map()));
  let bufs = cache.get(key);
  if (bufs) return bufs;
  bufs = read.map((t) => {
    const values = ir.tables![t]!.values as unknown as ArrayBufferView;
    // Storage buffers hold at least one element and a multiple of 4 bytes (32-bit elements here).
    const buffer = ctx.device.createBuffer({ size: Math.max(4, values.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, label: `table ${ir.tables![t]!.name}` });
    if (values.byteLength > 0) ctx.device.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, values.byteLength);
    return buffer;
  });
  cache.set(key, bufs);
  return bufs;
}

let maxGroupsX = Infinity;

/** @internal Test hook: cap workgroups per grid row (exercises the 2-D grid on small arrays). */
export function setGpuMaxGroupsX(n: number | null): void {
  maxGroupsX = n ?? Infinity;
}

/** @internal Test hook: never use the vec4 pipelines (to test the scalar path on flat arrays). */
export function setGpuVec4(on: boolean): void {
  vec4Off = !on;
}
let vec4Off = false;

/**
 * The core of a gufunc call: core sizes, each operand's core strides, and the error-flag
 * buffer of a kernel with bounds checks (bound after the meta buffer; shaders.ts). A scalar
 * kernel with bounds checks (a table read) passes no sizes or strides, only the flag.
 */
type Core = { sizes: readonly number[]; strides: readonly (readonly number[])[]; flag?: GPUBuffer };

function encode(
  ctx: GpuContext, pipeline: GPUComputePipeline, vecPipeline: GPUComputePipeline | null, ops: readonly PlannedOperand[],
  plan: { shape: number[]; size: number }, points: readonly number[], tables: readonly GPUBuffer[], core?: Core,
): void {
  const pass = pendingEncoder(ctx).beginComputePass();
  for (let q = 0; q + 1 < points.length; q++) {
    const start = points[q]!;
    const n = points[q + 1]! - start;
    if (vecPipeline === null) {
      dispatch(ctx, pass, pipeline, ops, plan, start, n, 1, tables, core);
      continue;
    }
    const body = n - (n % 4);
    if (body > 0) dispatch(ctx, pass, vecPipeline, ops, plan, start, body, 4, tables, core);
    if (n % 4) dispatch(ctx, pass, pipeline, ops, plan, start + body, n % 4, 1, tables, core);
  }
  pass.end();
}

/** One dispatch over elements [start, start + n) of the plan; `unit` elements per invocation. */
function dispatch(
  ctx: GpuContext, pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, ops: readonly PlannedOperand[],
  plan: { shape: number[]; size: number }, start: number, n: number, unit: 1 | 4, tables: readonly GPUBuffer[], core: Core | undefined,
): void {
  const meta = new Int32Array(META_HEAD + ops.length * META_OPERAND);
  meta[0] = n / unit;
  meta[1] = start;
  meta[2] = plan.shape.length;
  plan.shape.forEach((e, d) => (meta[4 + d] = e));
  core?.sizes.forEach((e, d) => (meta[4 + MAXD + d] = e));
  const buffers: GPUBuffer[] = [];
  ops.forEach((o, j) => {
    const rec = META_HEAD + j * META_OPERAND;
    let chunk = 0;
    let offset = o.offset;
    if (o.flat) {
      const first = o.offset + start;
      chunk = Math.floor(first / o.storage.chunkElems);
      offset = first - chunk * o.storage.chunkElems;
    }
    meta[rec] = offset / unit;
    o.strides.forEach((s, d) => (meta[rec + 1 + d] = s));
    core?.strides[j]?.forEach((s, d) => (meta[rec + 1 + MAXD + d] = s));
    buffers.push(o.storage.buffers[chunk]!);
  });
  buffers.push(metaBuffer(ctx, meta));
  if (core?.flag !== undefined) buffers.push(core.flag);
  buffers.push(...tables);
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup(ctx, pipeline, buffers));
  const groups = Math.ceil(n / unit / WG);
  // Past the per-dimension limit (65,535 workgroups on most adapters) the grid is 2-D;
  // shaders number invocations gid.x + gid.y * (num_workgroups.x * WG).
  const x = Math.min(groups, ctx.limits.maxComputeWorkgroupsPerDimension, maxGroupsX);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
}
