/**
 * The reduce tile of a binary SIMD loop: the built-in loops' `t_<id>` (scripts/codegen/
 * emit-tile.ts; asm/ufunc/walk.ts's walk3r calls it) and a compiled kernel's `<prefix>tile`
 * (emit-module.ts; its walk calls it): `res[j] = op(res[j], a[i, j])` for i < m, j < n, with
 * res one contiguous row and a's rows contiguous and `sa` bytes apart — an outer reduction
 * such as `add.reduce(A, { axis: 0 })`.
 *
 * Steps, per panel of TILE_ROWS rows of a:
 *   1. columns in chunks of `chunk` vectors (8, or 6 for a fold of several instructions: see
 *      {@link tileChunk}): load the chunk of res into as many v128 registers, fold the
 *      panel's rows into them (one load and one fold per vector and row), store the chunk;
 *   2. the remaining whole vectors one at a time, then the remaining columns scalar.
 * Each res element still sees a's rows in order (op(op(res, a[0]), a[1]) ...), so results
 * are those of the row-at-a-time walk, bit for bit (NumPy's order for float sums along a
 * leading axis). What changes is the traffic: res is loaded and stored once per chunk and
 * panel rather than once per row, so the loop streams a alone.
 * Panels: TILE_ROWS rows are as many concurrent sequential streams (hardware prefetchers
 * follow a few dozen), while a whole-height column walk would jump a full row per load.
 * Measured (2000x2000 float64 axis=0, this machine): see bench/README.md.
 */
/** What a tile is made of (AssemblyScript expressions and statements as text). */
export interface TileSpec {
  /** The function's name; its signature is (m: i32, n: i32, pr: usize, pa: usize, sa: usize). */
  name: string;
  /** Element size in bytes (lanes per vector: 16 / size). */
  size: number;
  /** The exact v128 fold of an accumulator va and a row's vector vb. */
  vec: (va: string, vb: string) => string;
  /** The scalar fold of acc and x, for the columns after the last whole vector. */
  scalar: (acc: string, x: string) => string;
  /** A scalar load expression at p, and a store statement of v at p. */
  load: (p: string) => string;
  store: (p: string, v: string) => string;
  /** Vectors per column chunk (default 8; {@link tileChunk} picks it from the fold's text). */
  chunk?: number;
}

/** Rows per panel (see the header). */
export const TILE_ROWS = 16;
/**
 * Vectors per column chunk for a v128 fold written as `fold` (AssemblyScript text): 8 for a
 * single SIMD instruction (add, mul, and, i32x4.max_s...), 6 for a fold of several.
 * Why: V8 (x64, 16 xmm registers, one kept as scratch) hoists the chunk's loads of a row
 * ahead of the folds, so a chunk holds its accumulators and its loaded vectors at once; a
 * one-instruction fold overwrites the loaded vector in place, but NumPy's NaN-propagating
 * maximum (`bitselect(va, pmax(vb, va), ne(va, va))`: pmax, a compare and a three-instruction
 * select, two temporaries) then spilled two vectors to the stack per row at 8 (V8's
 * --print-wasm-code). Measured (2000x2000 float64 axis 0, bench/tile-chunk-measure.ts, one
 * process, CPU medians): maximum at 8 vectors 1.20-1.24x add's time, at 5, 6 or 7 vectors
 * 0.98-1.05x; add itself the same at 6 and 8.
 *
 * @example
 * ```ts
 * tileChunk('f64x2.add(va, vb)'); // 8
 * tileChunk('v128.bitselect(va, v128.pmax<f64>(vb, va), v128.ne<f64>(va, va))'); // 6
 * ```
 */
export function tileChunk(fold: string): number {
  const ops = fold.match(/\b(?:v128|[if](?:8|16|32|64)x\d+)\.\w+/g)?.length ?? 0;
  return ops > 1 ? 6 : 8;
}

/**
 * The tile function's source.
 *
 * @example
 * ```ts
 * reduceTileSource({ name: 't_7', size: 8, vec: (a, b) => `f64x2.add(${a}, ${b})`, scalar: (a, x) => `${a} + ${x}`,
 *   load: (p) => `load<f64>(${p})`, store: (p, v) => `store<f64>(${p}, ${v});` });
 * ```
 */
export function reduceTileSource(spec: TileSpec): string {
  const { name, size, vec } = spec;
  const L = 16 / size;
  const width = spec.chunk ?? 8;
  const regs = Array.from({ length: width }, (_, k) => k);
  const off = (k: number) => (k === 0 ? '' : `, ${16 * k}`);
  // The panel's rows folded into the chunk, one load and one fold per vector.
  const chunk = `let ${regs.map((k) => `v${k} = v128.load(q${off(k)})`).join(', ')};
      for (let i = 0; i < rows; i++) {
${regs.map((k) => `        { const a = v128.load(p${off(k)}); v${k} = ${vec(`v${k}`, 'a')}; }`).join('\n')}
        p += sa;
      }`;
  return `export function ${name}(m: i32, n: i32, pr: usize, pa: usize, sa: usize): void {
  for (let r = 0; r < m; r += ${TILE_ROWS}) {
    const rows = min(${TILE_ROWS}, m - r);
    const base = pa + <usize>r * sa;
    let j = 0;
    for (; j + ${width * L} <= n; j += ${width * L}) {
      const q = pr + <usize>j * ${size};
      let p = base + <usize>j * ${size};
      ${chunk}
      ${regs.map((k) => `v128.store(q, v${k}${off(k)});`).join(' ')}
    }
    for (; j + ${L} <= n; j += ${L}) {
      const q = pr + <usize>j * ${size};
      let p = base + <usize>j * ${size};
      let v0 = v128.load(q);
      for (let i = 0; i < rows; i++) { v0 = ${vec('v0', 'v128.load(p)')}; p += sa; }
      v128.store(q, v0);
    }
    for (; j < n; j++) {
      const q = pr + <usize>j * ${size};
      let p = base + <usize>j * ${size};
      let acc = ${spec.load('q')};
      for (let i = 0; i < rows; i++) { acc = ${spec.scalar('acc', spec.load('p'))}; p += sa; }
      ${spec.store('q', 'acc')}
    }
  }
}
`;
}
