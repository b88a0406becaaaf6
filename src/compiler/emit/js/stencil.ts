/**
 * A stencil's JS tier (src/stencil/stencil.ts runs it while the Wasm compiles): the same
 * typed IR as the AS unit (src/compiler/stencil.ts), spelled by the JS emitter, as one
 * function `stencil(d0, o0, s0_0.., ..., dO, oO, sO_0.., n0.., m0..)` over TypedArray
 * views (element offsets and strides) that computes every output point.
 *
 * Each point runs the boundary form of the kernel (the AS unit's `kernel_bd`): an accessor
 * read `a(di, dj)` at centre (i, j) reads element (i + di, j + dj), with each index
 * outside its axis mapped by the boundary mode with the AS unit's own formulas ('constant':
 * the cval, materialized to the input dtype, as the AS unit does). The AS unit's interior
 * loop reads the same elements without the mapping (an interior index needs none), so both
 * tiers compute every point from the same values by the same IR: the same results.
 */
import type { DType } from '../../../dtype/dtypes.js';
import type { IRFunction, IRProgram, Expr } from '../../ir/nodes.js';
import { isBool } from '../../ir/types.js';
import { materialize, type Weak } from '../../ir/weak.js';
import { JsEmitter, offsetName, strideName, tableDecl } from './emit-module.js';
import { JS_RUNTIME } from './runtime.js';
import { spellConst } from './spell.js';

/** What {@link emitStencilJs} needs of a compiled stencil. */
export interface StencilJsInput {
  readonly ir: IRProgram;
  readonly ndim: number;
  readonly stride: readonly number[];
  readonly mode: 'constant' | 'nearest' | 'reflect' | 'mirror' | 'wrap';
  /** The cval as a weak constant (compiler/stencil.ts cvalWeak). */
  readonly cval: Weak;
}

/** The boundary modes' index maps: the AS unit's (compiler/stencil.ts mapFunction), in JS. */
const MAP: Readonly<Record<Exclude<StencilJsInput['mode'], 'constant'>, string>> = {
  nearest: 'return j < 0 ? 0 : j >= n ? n - 1 : j;',
  wrap: 'const r = j % n; return r < 0 ? r + n : r;',
  reflect: 'const p = n * 2; let r = j % p; if (r < 0) r += p; return r < n ? r : p - 1 - r;',
  mirror: 'if (n === 1) return 0; const p = n * 2 - 2; let r = j % p; if (r < 0) r += p; return r < n ? r : p - r;',
};

/** The kernel with accessor reads at mapped absolute indices (centre `__i<d>`, axis sizes `__N<d>`). */
class BoundaryJs extends JsEmitter {
  constructor(program: IRProgram, private readonly s: StencilJsInput) {
    super(program);
  }

  override params(fn: IRFunction<DType>): string {
    const axes = [...Array(this.s.ndim).keys()];
    return [super.params(fn), ...axes.map((d) => `__i${d}`), ...axes.map((d) => `__N${d}`)].join(', ');
  }

  override expr(fn: IRFunction<DType>, e: Expr<DType>): string {
    if (e.kind !== 'load' || e.array.kind !== 'param') return super.expr(fn, e);
    const p = fn.params[e.array.index]!.emitName;
    const offs = e.indices.map((i) => Number((i as { value: number | bigint }).value));
    const idx = offs.map((o, d) => (o === 0 ? `__i${d}` : `(__i${d} + ${o})`));
    const mapped = this.s.mode === 'constant' ? idx : idx.map((j, d) => (offs[d] === 0 ? j : `__map(${j}, __N${d})`));
    const at = [offsetName(p), ...mapped.map((j, d) => `${j} * ${strideName(p, d)}`)].join(' + ');
    const load = isBool(e.type) ? `(${p}[${at}] !== 0)` : `${p}[${at}]`;
    if (this.s.mode !== 'constant') return load;
    const inside = idx.flatMap((j, d) => (offs[d] === 0 ? [] : [`(${j} >= 0 && ${j} < __N${d})`]));
    if (inside.length === 0) return load;
    return `(${inside.join(' && ')} ? ${load} : ${spellConst(materialize(this.s.cval, e.type), e.type)})`;
  }
}

/**
 * The JS source of a stencil's whole-array entry (the body of `new Function('rt', source)`,
 * returning `{ stencil }`).
 *
 * @example
 * ```ts
 * const run = instantiateStencilJs(emitStencilJs({ ir, ndim: 1, stride: [1], mode: 'wrap', cval: cvalWeak(0) }));
 * ```
 */
export function emitStencilJs(s: StencilJsInput): string {
  const p = s.ir;
  const em = new BoundaryJs(p, s);
  const D = s.ndim;
  const ds = [...Array(D).keys()];
  const K = p.main.params.length;
  const out = p.main.returns as DType;
  const ops = [...[...Array(K).keys()].map((k) => `a${k}`), 'out'];
  const args = [...ops.flatMap((o) => [o, `${o}_o`, ...ds.map((d) => `${o}_s${d}`)]), ...ds.map((d) => `n${d}`), ...ds.map((d) => `m${d}`)];
  const L = [`function stencil(${args.join(', ')}) {`];
  let ind = '  ';
  for (const d of ds) {
    L.push(`${ind}for (let o${d} = 0; o${d} < m${d}; o${d}++) {`);
    ind += '  ';
    L.push(`${ind}const i${d} = o${d} * ${s.stride[d]};`);
  }
  const call = `${p.main.name}(${[...ops.slice(0, K).flatMap((o) => [o, `${o}_o`, ...ds.map((d) => `${o}_s${d}`)]), ...ds.map((d) => `i${d}`), ...ds.map((d) => `n${d}`)].join(', ')})`;
  const v = isBool(out) ? `(${call} ? 1 : 0)` : call;
  L.push(`${ind}out[${['out_o', ...ds.map((d) => `o${d} * out_s${d}`)].join(' + ')}] = ${v};`);
  for (let d = D - 1; d >= 0; d--) {
    ind = ind.slice(2);
    L.push(`${ind}}`);
  }
  L.push('}');
  const parts = ['"use strict";', ...(p.tables ?? []).map(tableDecl), ...p.helpers.map((h) => em.function(h)), em.function(p.main)];
  if (s.mode !== 'constant') parts.push(`function __map(j, n) { ${MAP[s.mode]} }`);
  parts.push(L.join('\n'), 'return { stencil };');
  return parts.join('\n\n') + '\n';
}

/** The entry a stencil's JS source defines: per operand (view, element offset, element strides...), then n..., m.... */
export type StencilJsEntry = (...args: unknown[]) => void;

/**
 * Evaluate {@link emitStencilJs}'s source.
 *
 * @example
 * ```ts
 * const stencil = instantiateStencilJs(source);
 * ```
 */
export function instantiateStencilJs(source: string): StencilJsEntry {
  return (new Function('rt', source)(JS_RUNTIME) as { stencil: StencilJsEntry }).stencil;
}
