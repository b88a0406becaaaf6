/**
 * A compiled stencil (src/compiler/stencil.ts) → one WGSL compute shader (the 'gpu' target
 * of `nb.stencil`). One shader per (kernel, signature, mode, cval, stride): those are baked
 * in; shapes, strides and offsets are data (the meta buffer), as for the other gpu kernels.
 *
 * Invocation i computes output point `base + i` (C order over the output shape `m`): its
 * centre is `c_d = o_d * stride_d`, kept in private variables `nb_c<d>` (and the input
 * shape in `nb_n<d>`), and the kernel is the stencil IR's main function spelled by
 * {@link WgslFunctionEmitter}, each accessor an (offset, strides) pair of i32 parameters.
 * A neighbour read `a(d0, d1, ...)` becomes `b<k>[o_a + j0 * s_a_0 + j1 * s_a_1 ...]` with
 * `j_d = nb_map_<mode>(c_d + d_d, n_d)` (axes whose offset is 0 are not mapped); in
 * 'constant' mode the index is clamped (`nb_map_nearest`: never an out-of-range load) and
 * the value is `select(cval, load, inside)`, inside meaning every offset index is in range.
 *
 * Bindings: inputs `b0..b<K-1>` (read), the output `b<K>` (read_write), then `nbmeta`:
 *
 *   nbmeta[0] n: points in this dispatch; nbmeta[1] base: flat index of the first one
 *   nbmeta[2 .. 2+D): the input shape n; nbmeta[2+D .. 2+2D): the output shape m
 *   then per operand (inputs, then the output): element offset, D element strides
 *
 * then, when the kernel reads a table at an index not proven in range, the error flag
 * `nberr` (as gufunc shaders'), then the constant tables the kernel reads (`nbt<k>`,
 * read-only; emit-function.ts's tableBindings).
 *
 * The mappings are scipy.ndimage's (as the Wasm code's `__map`; WGSL reserves `__`).
 */
import type { DType } from '../../../dtype/dtypes.js';
import { cvalWeak, offsetsOf, type BoundaryMode, type CompiledStencil } from '../../stencil.js';
import { paramIndex, type Expr, type IRFunction, type LoadExpr } from '../../ir/nodes.js';
import { materialize } from '../../ir/weak.js';
import { tableBindings, WgslFunctionEmitter, wgslConst, wgslStorageType, wgslType } from './emit-function.js';
import { preludeFor } from './prelude.js';

/** Invocations per workgroup of stencil shaders. */
export const STENCIL_WG = 256;

/** The index mapping of a mode (constant: the clamp used for its guarded loads), in WGSL. */
const MAPS: Readonly<Record<Exclude<BoundaryMode, 'constant'>, string>> = {
  nearest: 'fn nb_map_nearest(j: i32, n: i32) -> i32 { return clamp(j, 0i, n - 1i); }',
  wrap: 'fn nb_map_wrap(j: i32, n: i32) -> i32 { let r = j % n; return select(r, r + n, r < 0i); }',
  reflect: `fn nb_map_reflect(j: i32, n: i32) -> i32 {
  let p = n * 2i;
  var r = j % p;
  if (r < 0i) { r = r + p; }
  return select(p - 1i - r, r, r < n);
}`,
  mirror: `fn nb_map_mirror(j: i32, n: i32) -> i32 {
  if (n == 1i) { return 0i; }
  let p = n * 2i - 2i;
  var r = j % p;
  if (r < 0i) { r = r + p; }
  return select(p - r, r, r < n);
}`,
};

/** The kernel with neighbour loads at mapped indices. */
class StencilWgslEmitter extends WgslFunctionEmitter {
  constructor(private readonly stencil: CompiledStencil) {
    super(stencil.ir);
  }

  override expr(fn: IRFunction<DType>, e: Expr<DType>): string {
    // Table reads are the base emitter's (their bindings follow nbmeta: stencilShader).
    return e.kind === 'load' && e.array.kind === 'param' ? this.load(fn, e, e.array.index) : super.expr(fn, e);
  }

  private load(fn: IRFunction<DType>, e: LoadExpr<DType>, k: number): string {
    const p = fn.params[k]!;
    const t = e.type;
    const mode = this.stencil.mode;
    const offs = offsetsOf(e);
    const map = mode === 'constant' ? 'nb_map_nearest' : `nb_map_${mode}`;
    const idx = offs.map((o, d) => (o === 0 ? `nb_c${d}` : `(nb_c${d} ${o < 0 ? '-' : '+'} ${Math.abs(o)}i)`));
    const mapped = idx.map((j, d) => (offs[d] === 0 ? j : `${map}(${j}, nb_n${d})`));
    const addr = [`o_${p.emitName}`, ...mapped.map((j, d) => `${j} * s_${p.emitName}_${d}`)].join(' + ');
    const raw = `b${k}[${addr}]`;
    const v = wgslType(t) === 'bool' ? `(${raw} != 0u)` : raw;
    if (mode !== 'constant') return v;
    const inside = idx.flatMap((j, d) => (offs[d] === 0 ? [] : [`u32(${j}) < u32(nb_n${d})`]));
    if (inside.length === 0) return v;
    const c = wgslConst(materialize(cvalWeak(this.stencil.cval), t), t);
    if (c.startsWith('nb_f32bits(')) this.used.add('nb_f32bits');
    return `select(${c}, ${v}, ${inside.join(' && ')})`;
  }
}

/**
 * The WGSL shader of a stencil compiled for the gpu (`compileStencil(..., { target: 'gpu' })`)
 * whose IR has passed `validateTarget(s.ir, 'gpu')` (ir/passes/validate-target.ts).
 *
 * @example
 * ```ts
 * const s = compileStencil((a: any) => a(-1) + a(1), 'float32(float32)', { mode: 'wrap', target: 'gpu' });
 * validateTarget(s.ir, 'gpu');
 * stencilShader(s); // "... fn nb_map_wrap ... fn kernel(o_a: i32, s_a_0: i32) -> f32 ... fn main ..."
 * ```
 */
export function stencilShader(s: CompiledStencil): string {
  const em = new StencilWgslEmitter(s);
  const fns = [...s.ir.helpers.map((h) => em.function(h)), em.function(s.ir.main)].join('\n\n');
  const D = s.ndim;
  const K = s.nin;
  const ds = [...Array(D).keys()];
  const lines: string[] = [];
  s.operands.forEach((t, k) => {
    lines.push(`@group(0) @binding(${k}) var<storage, ${k < K ? 'read' : 'read_write'}> b${k}: array<${wgslStorageType(t)}>;`);
  });
  lines.push(`@group(0) @binding(${K + 1}) var<storage, read> nbmeta: array<i32>;`);
  // Bounds checks of table reads: the error flag (src/gpu/stencil.ts reads it back), then the tables.
  const flag = s.bounds.length > 0 ? [`@group(0) @binding(${K + 2}) var<storage, read_write> nberr: array<atomic<u32>, 4>;`] : [];
  lines.push(...flag, ...tableBindings(s.ir, K + 2 + flag.length));
  for (const d of ds) lines.push(`var<private> nb_c${d}: i32;`, `var<private> nb_n${d}: i32;`);
  lines.push('', MAPS[s.mode === 'constant' ? 'nearest' : s.mode], '');
  const prelude = preludeFor(em.used);
  if (prelude) lines.push(prelude, '');
  lines.push(fns, '');
  const rec = (k: number) => 2 + 2 * D + k * (1 + D);
  const args: string[] = [];
  s.ir.main.params.forEach((p, k) => {
    if (!p.array) return;
    args.push(`nbmeta[${rec(k)}]`, ...ds.map((d) => `nbmeta[${rec(k) + 1 + d}]`));
  });
  const out = s.operands[K]!;
  const call = `kernel(${args.join(', ')})`;
  lines.push(
    `@compute @workgroup_size(${STENCIL_WG})`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {',
    `  let i: u32 = gid.x + gid.y * nwg.x * ${STENCIL_WG}u;`,
    '  if (i >= u32(nbmeta[0])) { return; }',
    // Every input is used statically, so the 'auto' layout keeps its binding even when
    // the kernel never reads that accessor.
    ...[...Array(K).keys()].map((k) => `  _ = arrayLength(&b${k});`),
    '  var rem: u32 = u32(nbmeta[1]) + i;',
  );
  for (let d = D - 1; d >= 0; d--) {
    lines.push(`  let m${d} = u32(nbmeta[${2 + D + d}]);`);
    lines.push(`  let o${d} = i32(rem % m${d});`);
    if (d > 0) lines.push(`  rem = rem / m${d};`);
    lines.push(`  nb_c${d} = o${d} * ${s.stride[d]}i;`);
    lines.push(`  nb_n${d} = nbmeta[${2 + d}];`);
  }
  const oaddr = [`nbmeta[${rec(K)}]`, ...ds.map((d) => `o${d} * nbmeta[${rec(K) + 1 + d}]`)].join(' + ');
  lines.push(`  b${K}[${oaddr}] = ${wgslType(out) === 'bool' ? `select(0u, 1u, ${call})` : call};`, '}', '');
  return lines.join('\n');
}

/** i32 slots of a stencil dispatch's meta for `nin` inputs of `ndim` axes. */
export function stencilMetaLength(nin: number, ndim: number): number {
  return 2 + 2 * ndim + (nin + 1) * (1 + ndim);
}
