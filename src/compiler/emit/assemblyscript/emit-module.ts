/**
 * A typed program → an AssemblyScript module: the kernel, its helpers, and the loop entries
 * in the same shapes and ABI as the built-in loops (scripts/codegen/emit-loops.ts,
 * asm/ufunc/walk.ts, asm/gufunc/walk.ts).
 *
 * Loop-variable convention (as in the built-ins): operand k (inputs first, then outputs)
 * has pointer p<k> and byte stride s<k> along the row; n is the row length.
 *
 * Scalar kernels (nin inputs, 1 output) export
 *   row(n, p0, s0, ..., p<nin>, s<nin>)   one row: a contiguous SIMD main loop when the body
 *                                        allows (ir/passes/simd.ts), also with one input
 *                                        broadcast (stride 0) for the inputs simdBroadcasts
 *                                        lists, then the strided scalar loop;
 *   loop(plan)                           the N-d entry: plan = [ndim, shape..., per operand
 *                                        ptr, byte strides...], innermost dim last; outer
 *                                        dims are walked by recursion (no scratch memory).
 * gufunc kernels export
 *   row(n, p0, s0, ..., pK, sK, core)    n core calls; operand k's core block at pk + i*sk;
 *   loop(plan, core)                     the N-d entry over the loop dims.
 *   core = [D, work, workBytes, size[0..D), then per operand (inputs first) the byte strides
 *   of its core dims in signature order] (asm/gufunc/walk.ts's block). The kernel function
 *   takes per array parameter its base pointer and byte strides, then the D core sizes.
 * Constant tables (options.constants' typed arrays) come first, as static data segments
 * (emit-function.ts's tableData): the module's static data, placed where the runtime
 * reserved a heap block for it (src/vectorize/module.ts), in every instance alike.
 * Every top-level name carries the unit's prefix, so several kernels link into one module
 * ({@link linkAssemblyScript}); the prelude is shared.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../../ir/intrinsics.js';
import type { Expr, IRProgram } from '../../ir/nodes.js';
import { asType, isBool } from '../../ir/types.js';
import { asConst, AsFunctionEmitter, tableData } from './emit-function.js';
import { preludeFor } from './prelude.js';
import { reduceTileSource, tileChunk } from './reduce-tile.js';
import { ascOptimizeDirective } from '../../toolchain/asc-flags.js';
import type { AscOptimizeLevel } from '../../ir/passes/limits.js';

/** One kernel's AS code, before linking. */
export interface AsUnit {
  /** Prefix of its exported names (`row` → `<prefix>row`). */
  readonly prefix: string;
  /** The kernel, helpers and entries (no prelude). */
  readonly code: string;
  /**
   * asc's optimisation level for this unit (ir/passes/limits.ts; default 3). A module is
   * compiled at the lowest level of its units, stated in its first lines
   * ({@link linkAssemblyScript}, read by toolchain/asc.ts's `ascFlagsFor`).
   */
  readonly optimize?: AscOptimizeLevel;
}

const SIZE: Readonly<Record<string, number>> = { bool: 1, i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, i64: 8, u64: 8, f32: 4, f64: 8 };

const loadOp = (t: DType, p: string) => (isBool(t) ? `(load<u8>(${p}) != 0)` : `load<${asType(t)}>(${p})`);
const storeOp = (t: DType, p: string, v: string) => (isBool(t) ? `store<u8>(${p}, <u8>${v});` : `store<${asType(t)}>(${p}, ${v});`);

/** The v128 kernel: the scalar body with lanes (only for kernels simdType() accepts). */
function simdKernel(p: IRProgram, t: DType, prefix: string): string {
  const fn = p.main;
  const lane = asType(t);
  const ex = (e: Expr<DType>): string => {
    switch (e.kind) {
      case 'const': return `v128.splat<${lane}>(${asConst(e.value, t)})`;
      case 'param': return fn.params[e.index]!.emitName;
      case 'local': return fn.locals[e.id]!.emitName;
      case 'unary': return `v128.neg<${lane}>(${ex(e.arg)})`;
      case 'binary': return `v128.${e.op}<${lane}>(${ex(e.left)}, ${ex(e.right)})`;
      case 'call': return INTRINSICS.get(e.fn)!.simd!(t, e.args.map(ex));
      default: throw new Error(`not SIMD-able: ${e.kind}`);
    }
  };
  const lines = ['// @ts-ignore: decorator', '@inline', `function ${prefix}vkernel(${fn.params.map((q) => `${q.emitName}: v128`).join(', ')}): v128 {`];
  for (const s of fn.body) {
    if (s.kind === 'let') lines.push(`  const ${fn.locals[s.local]!.emitName} = ${ex(s.init)};`);
    if (s.kind === 'return') lines.push(`  return ${ex(s.value!)};`);
  }
  lines.push('}');
  return lines.join('\n');
}

function scalarRow(p: IRProgram, simd: DType | null, broadcasts: readonly number[], prefix: string): string {
  const fn = p.main;
  const ins = fn.params.map((q) => q.scalar!);
  const out = fn.returns as DType;
  const K = ins.length;
  const ops = [...ins.keys(), K];
  const params = ops.map((k) => `p${k}: usize, s${k}: usize`).join(', ');
  const lines = [`export function ${prefix}row(n: i32, ${params}): void {`, '  let i = 0;'];
  if (simd !== null) {
    const S = SIZE[asType(simd)]!;
    const L = 16 / S;
    const lane = asType(simd);
    // SIMD reads a whole vector before writing it: inputs must not partially overlap the output.
    const apart = (k: number) => `(p${k} == p${K} || p${k} + <usize>(n * ${S}) <= p${K} || p${K} + <usize>(n * ${S}) <= p${k})`;
    const disjoint = (k: number) => `(p${k} + ${S} <= p${K} || p${K} + <usize>(n * ${S}) <= p${k})`;
    const variants: number[] = [-1, ...broadcasts];
    const branches = variants.map((b) => {
      const cond = [`s${K} == ${S}`, ...ins.map((_, k) => (k === b ? `s${k} == 0 && ${disjoint(k)}` : `s${k} == ${S} && ${apart(k)}`))].join(' && ');
      const splat = b >= 0 ? `    const v${b} = v128.splat<${lane}>(load<${lane}>(p${b}));\n` : '';
      const args = (off: number) => ins.map((_, k) => (k === b ? `v${k}` : off ? `v128.load(p${k}, ${off})` : `v128.load(p${k})`)).join(', ');
      const bump = (by: number) => [...ins.keys()].filter((k) => k !== b).map((k) => `p${k} += ${by}; `).join('') + `p${K} += ${by};`;
      // Two vectors an iteration (measured: x*y+1 on 1e7 float64 ~5% faster than one), then one.
      const two = `    for (; i + ${2 * L} <= n; i += ${2 * L}) { v128.store(p${K}, ${prefix}vkernel(${args(0)})); v128.store(p${K}, ${prefix}vkernel(${args(16)}), 16); ${bump(32)} }\n`;
      return `if (${cond}) {\n${splat}${two}    for (; i + ${L} <= n; i += ${L}) { v128.store(p${K}, ${prefix}vkernel(${args(0)})); ${bump(16)} }\n  }`;
    });
    lines.push(`  ${branches.join(' else ')}`);
  }
  const call = `${prefix}kernel(${ins.map((t, k) => loadOp(t, `p${k}`)).join(', ')})`;
  lines.push(`  for (; i < n; i++) { ${storeOp(out, `p${K}`, call)} ${ops.map((k) => `p${k} += s${k};`).join(' ')} }`, '}');
  return lines.join('\n');
}

/**
 * The reduce tile of a binary kernel whose operands share the SIMD lane type (reduce-tile.ts):
 * `res = f(res, a)` along a leading axis (`f.reduce(A, { axis: 0 })`, res and in0 the same
 * row with stride 0 along the rows) folds column chunks held in registers over panels of
 * rows, as the built-in loops do, instead of loading and storing res once per row. The same
 * order of operations per element, so the same bits. Null when the kernel has no such tile.
 */
function reduceTile(p: IRProgram, simd: DType | null, prefix: string): { code: string; size: number } | null {
  const fn = p.main;
  if (p.kind !== 'scalar' || simd === null || fn.params.length !== 2) return null;
  if (!fn.params.every((q) => q.scalar === simd) || fn.returns !== simd) return null;
  const size = SIZE[asType(simd)]!;
  const code = reduceTileSource({
    name: `${prefix}tile`,
    size,
    vec: (va, vb) => `${prefix}vkernel(${va}, ${vb})`,
    scalar: (acc, x) => `${prefix}kernel(${acc}, ${x})`,
    load: (q) => loadOp(simd, q),
    store: (q, v) => storeOp(simd, q, v),
    chunk: tileChunk(simdKernel(p, simd, prefix)),
  });
  // True when the `bytes`-long row at pr overlaps none of the m rows at pa + i * sa (sa may be negative).
  const apart = `function ${prefix}rowsApart(pr: usize, pa: usize, sa: usize, m: i32, bytes: usize): bool {
  const last = pa + <usize>(m - 1) * sa;
  const lo = <isize>sa < 0 ? last : pa;
  const hi = (<isize>sa < 0 ? pa : last) + bytes;
  return pr + bytes <= lo || hi <= pr;
}`;
  return { code: `${code}
${apart}`, size };
}

/**
 * The N-d walk over a plan, calling `<prefix>row` per innermost row (`core` passed through for
 * gufuncs); with `tileSize`, the two innermost dims of a reduce plan go to `<prefix>tile`
 * ({@link reduceTile}; the checks of asm/ufunc/walk.ts's walk3r).
 */
function walk(nops: number, prefix: string, gufunc: boolean, tileSize?: number): string {
  const ks = [...Array(nops).keys()];
  const extra = gufunc ? ', core: usize' : '';
  const pass = gufunc ? ', core' : '';
  const rowArgs = (n: string, s: (k: number) => string) => `${n}, ${ks.map((k) => `p${k}, ${s(k)}`).join(', ')}${pass}`;
  const inner = (k: number) => `<usize>load<i32>(ops + ${k === 0 ? '' : `${k} * w + `}4 + (<usize>(d + 1) << 2)) == ${tileSize}`;
  const tile = tileSize === undefined ? [] : [
    '  if (d == ndim - 2 && s0 == 0 && s2 == 0 && p0 == p2) {',
    '    const n1 = load<i32>(shape + (<usize>(d + 1) << 2));',
    `    if (${[0, 1, 2].map(inner).join(' && ')} && ${prefix}rowsApart(p2, p1, s1, n, <usize>n1 * ${tileSize})) { ${prefix}tile(n, n1, p2, p1, s1); return; }`,
    '  }',
  ];
  return [
    `function ${prefix}dims(d: i32, ndim: i32, shape: usize, ops: usize, w: usize, ${ks.map((k) => `p${k}: usize`).join(', ')}${extra}): void {`,
    '  const n = load<i32>(shape + (<usize>d << 2));',
    ...ks.map((k) => `  const s${k} = <usize>load<i32>(ops + ${k === 0 ? '' : `${k} * w + `}4 + (<usize>d << 2));`),
    `  if (d == ndim - 1) { ${prefix}row(${rowArgs('n', (k) => `s${k}`)}); return; }`,
    ...tile,
    '  for (let i = 0; i < n; i++) {',
    `    ${prefix}dims(d + 1, ndim, shape, ops, w, ${ks.map((k) => `p${k}`).join(', ')}${pass});`,
    `    ${ks.map((k) => `p${k} += s${k};`).join(' ')}`,
    '  }',
    '}',
    '',
    `export function ${prefix}loop(plan: usize${extra}): void {`,
    '  const ndim = load<i32>(plan);',
    '  if (<u32>ndim > 32) unreachable();',
    '  const shape = plan + 4;',
    '  const ops = shape + (<usize>ndim << 2);',
    '  const w = (<usize>ndim + 1) << 2;',
    ...ks.map((k) => `  const p${k} = <usize>load<u32>(ops${k === 0 ? '' : ` + ${k} * w`});`),
    `  if (ndim == 0) { ${prefix}row(${rowArgs('1', () => '0')}); return; }`,
    '  for (let d = 0; d < ndim; d++) if (load<i32>(shape + (<usize>d << 2)) <= 0) return;',
    `  ${prefix}dims(0, ndim, shape, ops, w, ${ks.map((k) => `p${k}`).join(', ')}${pass});`,
    '}',
  ].join('\n');
}

/**
 * The row of a gufunc: the kernel (inlined) once per core row. Where some array's last core
 * dim is walked (its stride a runtime value), the loop comes twice: first for the common case
 * of every such stride being the element size (contiguous core rows, `if` tested once per
 * row of rows), where the kernel gets the sizes as constants, so that asc folds the pointer
 * steps and the strict unroll's copies (passes/fastmath.ts unrollStrict) into constant
 * offsets; then for any strides. Measured on guvectorize rowdot (1e5, 32) float64, the loops
 * on one memory (bench/gufunc-loop-measure.ts, CPU medians of three runs): the unroll alone
 * 0.91-0.97x the one-element loop's time, with this copy 0.85-0.93x, a two-stream f64x2 dot of
 * the same arrays (the read bandwidth) 0.71-0.85x (bench/README.md, third pass).
 */
function gufuncRow(p: IRProgram, prefix: string, contiguous: boolean): string {
  const fn = p.main;
  const core = p.core!;
  const K = fn.params.length;
  const D = core.dims.length;
  const ks = [...Array(K).keys()];
  const lines = [`export function ${prefix}row(n: i32, ${ks.map((k) => `p${k}: usize, s${k}: usize`).join(', ')}, core: usize): void {`];
  core.dims.forEach((name, d) => lines.push(`  const n${d} = load<i32>(core, ${12 + 4 * d}); // ${name}`));
  // Argument lists of the general and the contiguous call; the strides tested for the latter.
  const args: string[] = [];
  const dense: string[] = [];
  const unit: string[] = [];
  let word = 0;
  fn.params.forEach((q, k) => {
    const dims = core.operands[k]!;
    if (q.array) {
      args.push(`p${k}`);
      dense.push(`p${k}`);
      if (dims.length === q.array.ndim) {
        dims.forEach((_, j) => {
          const c = `c${k}_${j}`;
          lines.push(`  const ${c} = <usize>load<i32>(core, ${12 + 4 * (D + word + j)});`);
          args.push(c);
          const last = j === dims.length - 1;
          if (last) unit.push(`${c} == ${SIZE[asType(q.array!.dtype)]}`);
          dense.push(last ? `${SIZE[asType(q.array!.dtype)]}` : c);
        });
      } else for (let j = 0; j < q.array.ndim; j++) { args.push('0'); dense.push('0'); }
    } else { args.push(loadOp(q.scalar!, `p${k}`)); dense.push(loadOp(q.scalar!, `p${k}`)); }
    word += dims.length;
  });
  core.dims.forEach((_, d) => { args.push(`n${d}`); dense.push(`n${d}`); });
  const loop = (a: string[], ind: string) => [
    `${ind}for (let i = 0; i < n; i++) {`,
    `${ind}  ${prefix}kernel(${a.join(', ')});`,
    `${ind}  ${ks.map((k) => `p${k} += s${k};`).join(' ')}`,
    `${ind}}`,
  ];
  if (contiguous && unit.length > 0) lines.push(`  if (${unit.join(' && ')}) {`, ...loop(dense, '    '), '    return;', '  }');
  lines.push(...loop(args, '  '), '}');
  return lines.join('\n');
}

/**
 * Emit one kernel's AS unit.
 *
 * @param simd - the SIMD lane type (ir/passes/simd.ts), or null for no SIMD path.
 * @param reduceTile - also emit the reduce tile where the kernel allows one ({@link reduceTile}).
 * @param contiguousRows - a gufunc row also gets its loop for contiguous core rows ({@link gufuncRow}).
 * @example
 * ```ts
 * const unit = emitAssemblyScript(program, { prefix: '', simd: 'float64' });
 * ```
 */
export function emitAssemblyScript(
  p: IRProgram, options: {
    prefix: string; simd: DType | null; broadcasts?: readonly number[]; optimize?: AscOptimizeLevel; reduceTile?: boolean; contiguousRows?: boolean;
  },
): AsUnit {
  const { prefix, simd } = options;
  const em = new AsFunctionEmitter(p, { prefix });
  const parts: string[] = [];
  // Constant tables: static data segments, read by the kernel and its helpers.
  if (p.tables?.length) parts.push(p.tables.map((t) => tableData(prefix, t)).join('\n'));
  for (const h of p.helpers) parts.push(em.function(h));
  if (p.kind === 'scalar') {
    parts.push(em.function(p.main, ['@inline']));
    if (simd !== null) parts.push(simdKernel(p, simd, prefix));
    parts.push(scalarRow(p, simd, simd === null ? [] : options.broadcasts ?? [], prefix));
    const tile = options.reduceTile === true ? reduceTile(p, simd, prefix) : null;
    if (tile !== null) parts.push(tile.code);
    parts.push(walk(p.main.params.length + 1, prefix, false, tile?.size));
  } else {
    // Inlined into the row loop: a call per core row (1e5 rows of 32 for rowdot) cost
    // ~5 ns each, a quarter of the run time.
    parts.push(em.function(p.main, ['@inline']));
    parts.push(gufuncRow(p, prefix, options.contiguousRows === true));
    parts.push(walk(p.main.params.length, prefix, true));
  }
  return { prefix, code: parts.join('\n\n'), optimize: options.optimize ?? 3 };
}

/**
 * Link units into one module source: header, the prelude they need, then each unit.
 *
 * @throws Error when two units share a prefix.
 * @example
 * ```ts
 * linkAssemblyScript([a.asUnit, b.asUnit]); // one module exporting a's and b's row/loop
 * ```
 */
export function linkAssemblyScript(units: readonly AsUnit[], title = 'numbats kernel'): string {
  const prefixes = new Set(units.map((u) => u.prefix));
  if (prefixes.size !== units.length) throw new Error('linkAssemblyScript: duplicate unit prefixes');
  const body = units.map((u) => u.code).join('\n\n');
  const prelude = preludeFor(body);
  const level = Math.min(3, ...units.map((u) => u.optimize ?? 3));
  const header = `// ${title}: generated by src/compiler (numbats) — do not edit.` + (level < 3 ? `\n${ascOptimizeDirective(level)}` : '');
  return [header, prelude, body].filter((s) => s !== '').join('\n\n') + '\n';
}
