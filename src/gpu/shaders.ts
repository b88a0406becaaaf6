/**
 * Compute shaders around a compiled kernel (STYLE.md section 11: one shader per kernel,
 * signature and layout class; shapes and strides are data, never baked in).
 *
 * Bindings: operand k (inputs, then outputs) is `b<k>` (inputs `read` unless the call
 * aliases them with an output, then `read_write`), and the last binding is `nbmeta`, an
 * `array<i32>` with the dispatch's geometry:
 *
 *   nbmeta[0] n: elements (loop iterations) in this dispatch
 *   nbmeta[1] base: flat index of the first one in the whole iteration (for unravelling)
 *   nbmeta[2] ndim: loop dims (<= MAXD), nbmeta[3] unused
 *   nbmeta[4 ..]: loop shape (MAXD), core sizes (MAXC), then per operand: element offset,
 *   MAXD loop strides, MAXC core strides (elements; core strides only for gufunc arrays).
 *
 * A kernel with bounds checks (src/compiler/ir/passes/bounds-check.ts) also binds, after
 * nbmeta, `nberr`: four u32 words, zero until a check fails; then [site + 1, index bits,
 * size] of the first failure (the WGSL prelude's `nb_bfail`). Then come the constant
 * tables the kernel reads (`nbt<k>`, read-only storage; dispatch.ts uploads them once per
 * compiled kernel).
 *
 * Layout class: per operand, `flat` (its element is `offset + i`: C-contiguous in the
 * iteration, the common case and the only one allowed for arrays split into chunks) or
 * strided (`offset + sum(coord[d] * stride[d])`, with coords unravelled from base + i).
 * Invocation i = gid.x + gid.y * (num_workgroups.x * WG): a 2-D grid past 65,535 workgroups.
 */
import type { DType } from '../dtype/dtypes.js';
import type { CompiledKernel } from '../compiler/index.js';
import { emitWgslFunctions, tableBindings, wgslStorageType, wgslType } from '../compiler/emit/wgsl/emit-function.js';
import { preludeFor } from '../compiler/emit/wgsl/prelude.js';

export const WG = 256;
export const MAXD = 8;
export const MAXC = 4;
/** i32 slots of meta before the per-operand records. */
export const META_HEAD = 4 + MAXD + MAXC;
/** i32 slots per operand record. */
export const META_OPERAND = 1 + MAXD + MAXC;

/** What a shader variant depends on besides the kernel. */
export interface LayoutClass {
  /** Per operand: addressed as offset + i. */
  readonly flat: readonly boolean[];
  /** Per input: bound read_write because it aliases an output buffer. */
  readonly aliased: readonly boolean[];
  /**
   * Every operand flat with an offset divisible by 4: invocations move vec4s (four
   * elements; measured on an H200: 1.7x the bandwidth of one element per invocation).
   */
  readonly vec4?: boolean;
}

export const layoutKey = (l: LayoutClass): string =>
  `${l.flat.map((f) => (f ? 'f' : 's')).join('')}|${l.aliased.map((a) => (a ? 'a' : 'r')).join('')}${l.vec4 ? '|v4' : ''}`;

function bindings(dtypes: readonly DType[], nin: number, layout: LayoutClass): string[] {
  const lines = dtypes.map((d, k) => {
    const access = k >= nin || layout.aliased[k] ? 'read_write' : 'read';
    const t = wgslStorageType(d);
    return `@group(0) @binding(${k}) var<storage, ${access}> b${k}: array<${layout.vec4 ? `vec4<${t}>` : t}>;`;
  });
  lines.push(`@group(0) @binding(${dtypes.length}) var<storage, read> nbmeta: array<i32>;`);
  return lines;
}

/**
 * The bindings after nbmeta: the error flag `nberr` of a kernel with bounds checks, then
 * the constant tables it reads (read-only; dispatch.ts binds them in this order).
 */
function extraBindings(k: CompiledKernel): string[] {
  const n = k.operands.length;
  const flag = k.bounds.length > 0 ? [`@group(0) @binding(${n + 1}) var<storage, read_write> nberr: array<atomic<u32>, 4>;`] : [];
  return [...flag, ...tableBindings(k.ir, n + 1 + flag.length)];
}

/** WGSL statements computing `idx<k>` (i32) for each operand, for flat index `i` (u32). */
function indexCode(nops: number, layout: LayoutClass, withCore: boolean): string[] {
  const out: string[] = [];
  const anyStrided = layout.flat.some((f) => !f);
  for (let k = 0; k < nops; k++) out.push(`  var idx${k}: i32 = nbmeta[${META_HEAD + k * META_OPERAND}]${layout.flat[k] ? ' + i32(i)' : ''};`);
  if (anyStrided) {
    out.push('  var rem: u32 = u32(nbmeta[1]) + i;');
    out.push('  for (var d: i32 = nbmeta[2] - 1; d >= 0; d = d - 1) {');
    out.push('    let ext = u32(nbmeta[4 + d]);');
    out.push('    let c = i32(rem % ext);');
    out.push('    rem = rem / ext;');
    for (let k = 0; k < nops; k++) if (!layout.flat[k]) out.push(`    idx${k} = idx${k} + c * nbmeta[${META_HEAD + k * META_OPERAND + 1} + d];`);
    out.push('  }');
  }
  void withCore;
  return out;
}

const ENTRY_HEAD = [
  `@compute @workgroup_size(${WG})`,
  'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
  `  let i: u32 = gid.x + gid.y * nwg.x * ${WG}u;`,
  '  if (i >= u32(nbmeta[0])) { return; }',
];

/**
 * The shader of a scalar (vectorize) kernel: out[idx] = kernel(in0[idx0], ...).
 *
 * @example
 * ```ts
 * elementwiseShader(k, { flat: [true, true, true], aliased: [false, false] });
 * ```
 */
export function elementwiseShader(k: CompiledKernel, layout: LayoutClass): string {
  const { source, used } = emitWgslFunctions(k.ir);
  const nops = k.operands.length;
  if (layout.vec4) return vec4Shader(k, layout, source, used);
  const read = (d: DType, j: number) => (wgslType(d) === 'bool' ? `(b${j}[idx${j}] != 0u)` : `b${j}[idx${j}]`);
  const args = k.operands.slice(0, k.nin).map((d, j) => read(d, j));
  const out = k.operands[k.nin]!;
  const call = `kernel(${args.join(', ')})`;
  const store = wgslType(out) === 'bool' ? `select(0u, 1u, ${call})` : call;
  return [
    ...bindings(k.operands, k.nin, layout), ...extraBindings(k), '',
    preludeFor(used), '', source, '',
    ...ENTRY_HEAD,
    ...indexCode(nops, layout, false),
    `  b${k.nin}[idx${k.nin}] = ${store};`,
    '}', '',
  ].join('\n');
}

/** The vec4 variant: invocation i handles elements 4i .. 4i+3 of every (flat) operand. */
function vec4Shader(k: CompiledKernel, layout: LayoutClass, source: string, used: ReadonlySet<string>): string {
  const lanes = ['x', 'y', 'z', 'w'];
  const lane = (d: DType, j: number, l: string) => (wgslType(d) === 'bool' ? `(v${j}.${l} != 0u)` : `v${j}.${l}`);
  const out = k.operands[k.nin]!;
  const per = lanes.map((l) => {
    const call = `kernel(${k.operands.slice(0, k.nin).map((d, j) => lane(d, j, l)).join(', ')})`;
    return wgslType(out) === 'bool' ? `select(0u, 1u, ${call})` : call;
  });
  return [
    ...bindings(k.operands, k.nin, layout), ...extraBindings(k), '',
    preludeFor(used), '', source, '',
    ...ENTRY_HEAD,
    ...k.operands.slice(0, k.nin).map((_, j) => `  let v${j} = b${j}[nbmeta[${META_HEAD + j * META_OPERAND}] + i32(i)];`),
    `  b${k.nin}[nbmeta[${META_HEAD + k.nin * META_OPERAND}] + i32(i)] = vec4<${wgslStorageType(out)}>(${per.join(', ')});`,
    '}', '',
  ].join('\n');
}

/**
 * The shader of a gufunc (guvectorize) kernel: one invocation per loop element calls
 * kernel(o_a, s_a_0, ..., n_0, ...) with each array's element offset and core strides;
 * scalar `()` operands are read at their offset.
 *
 * @example
 * ```ts
 * gufuncShader(k, { flat: [false, false, false], aliased: [false, false] });
 * ```
 */
export function gufuncShader(k: CompiledKernel, layout: LayoutClass): string {
  const { source, used } = emitWgslFunctions(k.ir);
  const fn = k.ir.main;
  const core = k.ir.core!;
  const args: string[] = [];
  fn.params.forEach((p, j) => {
    const rec = META_HEAD + j * META_OPERAND;
    if (p.array) {
      args.push(`idx${j}`);
      for (let d = 0; d < p.array.ndim; d++) args.push(`nbmeta[${rec + 1 + MAXD + d}]`);
    } else {
      const v = `b${j}[idx${j}]`;
      args.push(wgslType(p.scalar!) === 'bool' ? `(${v} != 0u)` : v);
    }
  });
  core.dims.forEach((_, d) => args.push(`nbmeta[${4 + MAXD + d}]`));
  // Bounds checks: the error flag, bound after nbmeta (src/gpu/kernel-factories.ts reads it back).
  return [
    ...bindings(k.operands, k.nin, layout), ...extraBindings(k), '',
    preludeFor(used), '', source, '',
    ...ENTRY_HEAD,
    ...indexCode(k.operands.length, layout, true),
    `  kernel(${args.join(', ')});`,
    '}', '',
  ].join('\n');
}
