/**
 * The reduce tile `t_<id>` of a binary SIMD loop (asm/ufunc/walk.ts's walk3r calls it):
 * `res[j] = op(res[j], a[i, j])` for i < m, j < n, with res one contiguous row and a's rows
 * contiguous and `sa` bytes apart — an outer reduction such as `add.reduce(A, { axis: 0 })`.
 *
 * Steps, per panel of ROWS rows of a:
 *   1. columns in chunks of 8 vectors: load the chunk of res into 8 v128 registers, fold the
 *      panel's rows into them (one load and one op per vector and row), store the chunk;
 *   2. the remaining whole vectors one at a time, then the remaining columns scalar.
 * Each res element still sees a's rows in order (op(op(res, a[0]), a[1]) ...), so results
 * are those of the row-at-a-time walk, bit for bit (NumPy's order for float sums along a
 * leading axis). Loops with a TileFold (src/builtins/loop-types.ts: maximum and minimum on
 * floats) fold the chunks with its cheaper op and guard, and fold a panel's chunk again with
 * the exact op when the guard fires. What changes is the traffic: res is loaded and stored once per chunk and
 * panel rather than once per row, so the loop streams a alone.
 * Panels: ROWS rows are ROWS concurrent sequential streams (hardware prefetchers follow a
 * few dozen), while a whole-height column walk would jump a full row per load.
 * Measured (2000x2000 float64 axis=0, this machine; see bench/README.md): see the table there.
 */
import type { BuiltinLoop as LoopRecord } from '../../src/builtins/loop-registry.js';
import { AS_TYPE, type AsType } from '../../src/builtins/loop-types.js';

/** Rows per panel (see the header). */
export const TILE_ROWS = 16;
/** Vectors per column chunk: 8 accumulators leave registers for the loads. */
const CHUNK = 8;

/** Whether loop `l` gets a reduce tile: a SIMD binary loop whose operands share one type. */
export function hasTile(l: LoopRecord): boolean {
  const t = AS_TYPE[l.outs[0]!];
  return l.row.simd !== undefined && l.row.reduce !== undefined && l.ins.length === 2 && l.outs.length === 1 &&
    l.ins.every((d) => AS_TYPE[d] === t);
}

/**
 * The tile function of loop `l` (hasTile(l) must hold). `size` is the element size in bytes;
 * `load`/`store` print a scalar load/store of type t (bool normalised), as the row's tail does.
 */
export function emitTile(
  l: LoopRecord, size: number, load: (t: AsType, p: string) => string, store: (t: AsType, p: string, v: string) => string,
): string {
  const t = AS_TYPE[l.outs[0]!];
  const L = 16 / size;
  const v = `v_${l.id}`;
  const regs = Array.from({ length: CHUNK }, (_, k) => k);
  const off = (k: number) => (k === 0 ? '' : `, ${16 * k}`);
  const loadChunk = `${regs.map((k) => `v${k} = v128.load(q${off(k)})`).join('; ')};`;
  // The panel's rows folded into the chunk with fold(va, vb) (an expression of va and vb),
  // plus `extra` per input vector; `ind` is the indentation of the loop.
  const panel = (ind: string, fold: (va: string, vb: string) => string, extra: (vb: string, k: number) => string = () => '') =>
    `for (let i = 0; i < rows; i++) {
${regs.map((k) => `${ind}  { const a = v128.load(p${off(k)}); v${k} = ${fold(`v${k}`, 'a')};${extra('a', k)} }`).join('\n')}
${ind}  p += sa;
${ind}}`;
  const exact = (va: string, vb: string) => `${v}(${va}, ${vb})`;
  const f = l.row.tile;
  // TileFold: the cheap op, with G running guards (several, so that no chain of dependent
  // operations is long); when the guard fires, the panel again with the exact op.
  const G = 4;
  const sub = (e: string, va: string, vb: string, g = '') => e.replace(/\bva\b/g, va).replace(/\bvb\b/g, vb).replace(/\bg\b/g, g);
  const chunk = f === undefined
    ? `let ${regs.map((k) => `v${k} = v128.load(q${off(k)})`).join(', ')};
      ${panel('      ', exact)}`
    : `let ${regs.map((k) => `v${k} = v128.load(q${off(k)})`).join(', ')};
      let ${Array.from({ length: G }, (_, k) => `g${k} = ${sub(f.guard, '', `v${k + G}`, `v${k}`)}`).join(', ')};
      ${panel('      ', (va, vb) => sub(f.op, va, vb), (vb, k) => ` g${k % G} = ${sub(f.guard, '', vb, `g${k % G}`)};`)}
      const g = ${sub(f.guard, '', sub(f.guard, '', 'g3', 'g2'), sub(f.guard, '', 'g1', 'g0'))};
      if (${sub(f.bad, '', '', 'g')}) {
        ${loadChunk}
        p = base + <usize>j * ${size};
        ${panel('        ', exact)}
      }`;
  return `export function t_${l.id}(m: i32, n: i32, pr: usize, pa: usize, sa: usize): void {
  for (let r = 0; r < m; r += ${TILE_ROWS}) {
    const rows = min(${TILE_ROWS}, m - r);
    const base = pa + <usize>r * sa;
    let j = 0;
    for (; j + ${CHUNK * L} <= n; j += ${CHUNK * L}) {
      const q = pr + <usize>j * ${size};
      let p = base + <usize>j * ${size};
      ${chunk}
      ${regs.map((k) => `v128.store(q, v${k}${off(k)});`).join(' ')}
    }
    for (; j + ${L} <= n; j += ${L}) {
      const q = pr + <usize>j * ${size};
      let p = base + <usize>j * ${size};
      let v0 = v128.load(q);
      for (let i = 0; i < rows; i++) { v0 = ${v}(v0, v128.load(p)); p += sa; }
      v128.store(q, v0);
    }
    for (; j < n; j++) {
      const q = pr + <usize>j * ${size};
      let p = base + <usize>j * ${size};
      let acc = ${load(t, 'q')};
      for (let i = 0; i < rows; i++) { acc = k_${l.id}(acc, ${load(t, 'p')}); p += sa; }
      ${store(t, 'q', 'acc')}
    }
  }
}
`;
}
