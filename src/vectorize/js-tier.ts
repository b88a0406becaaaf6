/**
 * The JS tier of a compiled kernel: the same typed IR through the JS emitter
 * (src/compiler/emit/js, `k.jsFunction`), run by the same loop entries as the Wasm tier, so
 * that the ufunc machinery (broadcasting, strides, out/where, the methods, gufunc core dims)
 * cannot tell the tiers apart: a loop gets the plan that `writePlan` wrote into the heap
 * (and a gufunc its core block, asm/index.ts's layouts), reads it here, and runs the JS
 * kernel over the heap itself through typed-array views of the shared memory.
 *
 * Scalar kernels run the emitted scalar function in generated row loops (rowFor); gufunc
 * kernels run the emitter's own N-d loop.
 * Results: integer and IEEE arithmetic are exact (the JS emitter is the compiler's oracle,
 * checked bit for bit against the Wasm by the differential fuzzer, test/fuzz); nb.math's
 * functions are the same code on both tiers (src/math: the same bits); `Math.exp`, `sin`
 * and the other transcendentals are V8's here and AssemblyScript's on the Wasm tier, which
 * differ by at most 1 ulp now and then (test/fuzz/libm.ts measures it).
 * Errors: a failed bounds check or scratch allocation throws the same BoundsTrap /
 * ScratchTrap (emit/js/runtime.ts), turned into the same IndexError by the caller
 * (trap.ts boundsErrors). A scratch arena limit does not apply here (JS allocates).
 */
import { DTYPES, type AnyTypedArray, type DType } from '../dtype/dtypes.js';
import { runtime } from '../runtime/runtime.js';
import type { CompiledKernel, JsOperand } from '../compiler/index.js';
import type { LoopExec } from '../ufunc/loop-record.js';
import type { GufuncRun } from './kernel-targets.js';

/** Whole-heap views per dtype, made again when the heap has grown. */
let viewBytes = -1;
let views: Partial<Record<DType, AnyTypedArray>> = {};

/**
 * A view of the whole heap as elements of dtype `d` (kept until the heap grows): the JS
 * tiers read and write operands through it at element offset `byteAddress / itemSize`.
 *
 * @example
 * ```ts
 * const f64 = heapView('float64') as Float64Array; f64[ptr / 8] = 1;
 * ```
 */
export function heapView(d: DType): AnyTypedArray {
  const buffer = runtime().memory.buffer;
  if (buffer.byteLength !== viewBytes) {
    views = {};
    viewBytes = buffer.byteLength;
  }
  const View = DTYPES[d].TypedArray as unknown as new (b: ArrayBufferLike) => AnyTypedArray;
  return (views[d] ??= new View(buffer));
}

/** A plan as writePlan wrote it: the loop shape, then per operand its byte base and byte strides. */
interface Plan {
  readonly shape: number[];
  readonly bases: number[];
  readonly strides: number[][];
}

function readPlan(plan: number, nops: number): Plan {
  const w = heapView('int32') as Int32Array;
  let p = plan >>> 2;
  const nd = w[p++]!;
  const shape: number[] = [];
  for (let d = 0; d < nd; d++) shape.push(w[p++]!);
  const bases: number[] = [];
  const strides: number[][] = [];
  for (let k = 0; k < nops; k++) {
    bases.push(w[p++]! >>> 0);
    const s: number[] = [];
    for (let d = 0; d < nd; d++) s.push(w[p++]!);
    strides.push(s);
  }
  return { shape, bases, strides };
}

/** Operand k of a kernel over the heap: byte base and byte strides in elements. */
function operand(d: DType, base: number, byteStrides: readonly number[]): JsOperand {
  const size = DTYPES[d].itemSize;
  return { data: heapView(d), offset: base / size, strides: byteStrides.map((s) => s / size) };
}

/** A row of a scalar kernel: `n` elements from element offsets `o` by element strides `s`. */
type Row = (kernel: (...a: unknown[]) => unknown, views: readonly AnyTypedArray[], n: number, o: readonly number[], s: readonly number[]) => void;

/**
 * The row loop of a kernel with operands of these dtypes: straight-line JS that V8
 * optimises (the emitter's own N-d `loop` calls a closure per element: measured ~15x
 * slower), made per kernel so that its call of the kernel stays monomorphic (~2x).
 */
function rowFor(operands: readonly DType[]): Row {
  const bool = operands.map((d) => d === 'bool');
  const K = operands.length - 1;
  const ks = [...Array(operands.length).keys()];
  const read = (at: (k: number) => string) => ks.slice(0, K).map((k) => (bool[k] ? `(d${k}[${at(k)}] !== 0)` : `d${k}[${at(k)}]`)).join(', ');
  const store = (at: string) => `d${K}[${at}] = ${bool[K] ? '(r ? 1 : 0)' : 'r'};`;
  const body = [
    ...ks.map((k) => `const d${k} = v[${k}], s${k} = s[${k}]; let o${k} = o[${k}];`),
    // Contiguous rows index from i (measured ~2.5x faster than stepping every offset).
    `if (${ks.map((k) => `s${k} === 1`).join(' && ')}) {`,
    `  for (let i = 0; i < n; i++) { const r = kernel(${read((k) => `o${k} + i`)}); ${store(`o${K} + i`)} }`,
    '  return;',
    '}',
    'for (let i = 0; i < n; i++) {',
    `  const r = kernel(${read((k) => `o${k}`)});`,
    `  ${store(`o${K}`)}`,
    `  ${ks.map((k) => `o${k} += s${k};`).join(' ')}`,
    '}',
  ].join('\n');
  return new Function('kernel', 'v', 'n', 'o', 's', body) as Row;
}

/** Run `row` over an N-d iteration: the innermost dim as rows, an odometer over the others. */
function runRows(row: Row, kernel: (...a: unknown[]) => unknown, views: readonly AnyTypedArray[], shape: readonly number[], offsets: readonly number[], strides: readonly (readonly number[])[]): void {
  const nd = shape.length;
  for (const n of shape) if (n <= 0) return;
  if (nd === 0) return row(kernel, views, 1, offsets, offsets.map(() => 0));
  const inner = shape[nd - 1]!;
  const rowStrides = strides.map((s) => s[nd - 1]!);
  const at = [...offsets];
  const idx = new Array<number>(nd - 1).fill(0);
  for (;;) {
    row(kernel, views, inner, at, rowStrides);
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < at.length; k++) at[k]! += strides[k]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < at.length; k++) at[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * The JS tier's loop entries of a scalar (vectorize) kernel: `loop(plan)` and the fast
 * path's `row(n, p0, s0, ..., pK, sK)` (byte addresses and strides), as the Wasm module's.
 *
 * @example
 * ```ts
 * const exec = jsLoopExec(k); // then registerLoop({ ..., exec })
 * ```
 */
export function jsLoopExec(k: CompiledKernel): LoopExec & { row: (...a: number[]) => void } {
  const ops = k.operands;
  const sizes = ops.map((d) => DTYPES[d].itemSize);
  const kernel = k.jsKernel;
  const row = rowFor(ops);
  const views = () => ops.map(heapView);
  return {
    loop: (plan: number) => {
      const { shape, bases, strides } = readPlan(plan, ops.length);
      runRows(row, kernel, views(), shape, bases.map((b, i) => b / sizes[i]!), strides.map((s, i) => s.map((x) => x / sizes[i]!)));
    },
    row: (n: number, ...ps: number[]) => {
      row(kernel, views(), n, ops.map((_, i) => ps[2 * i]! / sizes[i]!), ops.map((_, i) => ps[2 * i + 1]! / sizes[i]!));
    },
  };
}

/**
 * The JS tier's entry of a gufunc kernel: `(plan, core)` with asm/index.ts's gufunc plan
 * (loop dims) and core block (`[D, work, workBytes, size[0..D), per operand the byte
 * strides of its core dims]`); `coreDims[k]`: operand k's number of core dims.
 *
 * @example
 * ```ts
 * const run = jsGufuncRun(k, sig.operands.map((o) => o.length));
 * ```
 */
export function jsGufuncRun(k: CompiledKernel, coreDims: readonly number[]): GufuncRun {
  const ops = k.operands;
  const run = k.jsFunction;
  return (plan: number, core: number) => {
    const { shape, bases, strides } = readPlan(plan, ops.length);
    const w = heapView('int32') as Int32Array;
    let c = core >>> 2;
    const D = w[c]!;
    c += 3;
    const sizes: number[] = [];
    for (let d = 0; d < D; d++) sizes.push(w[c++]!);
    const operands = ops.map((d, i) => {
      const s = [...strides[i]!];
      for (let j = 0; j < coreDims[i]!; j++) s.push(w[c++]!);
      return operand(d, bases[i]!, s);
    });
    run(shape, operands, sizes);
  };
}
