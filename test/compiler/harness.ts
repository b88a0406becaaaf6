/**
 * Test harness for compiled kernels: run the same inputs through the JS reference
 * (`jsFunction`) and through the Wasm module (compiled AS) and compare.
 *
 * Wasm runs on a private shared memory per module (so kernels' static data at asc's default
 * base never meets the runtime heap): operands are laid out by a bump allocator from 1 MiB,
 * plans and core blocks are written in the loop ABI (emit-module.ts's header), and outputs
 * are read back as JS values (number / bigint / boolean).
 */
import { DTYPES, type AnyTypedArray, type DType } from '../../src/dtype/dtypes.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { linkKernels, type CompiledKernel } from '../../src/compiler/compile.js';
import type { JsOperand } from '../../src/compiler/emit/js/emit-module.js';
import { emitDirectWasm } from '../../src/compiler/emit/wasm/emit-module.js';
import { tableLayout, writeTables } from '../../src/compiler/emit/wasm/tables.js';
import { MATH_MODULE } from '../../src/compiler/emit/wasm/math-imports.js';
import { mathLibrarySource } from '../../src/compiler/emit/assemblyscript/math-library.js';

export type Value = number | bigint | boolean;

/** A TypedArray of dtype t holding `values` (bool as 0/1 bytes). */
export function typedArray(t: DType, values: readonly Value[]): AnyTypedArray {
  const a = new DTYPES[t].TypedArray(values.length);
  values.forEach((v, i) => {
    (a as unknown as Value[])[i] = t === 'bool' ? (v ? 1 : 0) : DTYPES[t].isBigInt ? BigInt(v as bigint) : Number(v);
  });
  return a;
}

/** Read element i of a typed array as the dtype's JS value. */
export function readValue(t: DType, a: AnyTypedArray, i: number): Value {
  const v = (a as unknown as Value[])[i]!;
  return t === 'bool' ? v !== 0 : v;
}

/** A Wasm module instantiated on its own shared memory, with a bump allocator. */
export class WasmRig {
  private next = 1 << 20;
  constructor(readonly exports: Record<string, (...args: number[]) => void>, readonly memory: WebAssembly.Memory) {}

  static async create(source: string): Promise<WasmRig> {
    const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
    const { module } = await compileAssemblyScript(source);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    return new WasmRig(instance.exports as Record<string, (...args: number[]) => void>, memory);
  }

  /** Link kernels into one module and instantiate it. */
  static async of(kernels: readonly CompiledKernel[]): Promise<WasmRig> {
    return WasmRig.create(linkKernels(kernels));
  }

  /**
   * The direct emitter's module of `kernels` (each eligible: emit-module.ts directEligible),
   * with the ABI of {@link of}'s; its `nbmath` imports, if any, from {@link testMathLibrary}.
   */
  static async direct(kernels: readonly CompiledKernel[]): Promise<WasmRig> {
    const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
    // Constant tables: written below the rig's allocations (from 1 MiB), their address baked in.
    let at = 1 << 16;
    const placed = kernels.map((k) => {
      const tables = k.ir.tables ?? [];
      if (tables.length === 0) return k;
      writeTables(new Uint8Array(memory.buffer), at, tables);
      const tableBase = at;
      at += tableLayout(tables).bytes;
      if (at > 1 << 20) throw new Error('WasmRig.direct: tables over 960 KiB');
      return { ir: k.ir, entries: k.entries, tableBase };
    });
    const module = new WebAssembly.Module(emitDirectWasm(placed));
    const imports: WebAssembly.Imports = { env: { memory } };
    if (WebAssembly.Module.imports(module).some((i) => i.module === MATH_MODULE)) imports[MATH_MODULE] = await testMathLibrary();
    const instance = new WebAssembly.Instance(module, imports);
    return new WasmRig(instance.exports as Record<string, (...args: number[]) => void>, memory);
  }

  reset(): void {
    this.next = 1 << 20;
  }

  alloc(bytes: number): number {
    const p = this.next;
    this.next += Math.ceil(Math.max(bytes, 1) / 16) * 16 + 16;
    if (this.next > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((this.next - this.memory.buffer.byteLength) / 65536) + 1);
    return p;
  }

  /** A view of `n` elements of dtype t at address p. */
  view(t: DType, p: number, n: number): AnyTypedArray {
    return new DTYPES[t].TypedArray(this.memory.buffer, p, n);
  }

  i32(p: number, words: readonly number[]): void {
    new Int32Array(this.memory.buffer, p, words.length).set(words);
  }
}

let mathLibrary: Promise<WebAssembly.Exports> | null = null;

/**
 * The math library (compiler/emit/assemblyscript/math-library.ts) compiled by asc here, on
 * its own memory (its static data must not land on a rig's), once per test file.
 */
export function testMathLibrary(): Promise<WebAssembly.Exports> {
  mathLibrary ??= (async () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
    const { module } = await compileAssemblyScript(mathLibrarySource());
    return (await WebAssembly.instantiate(module, { env: { memory } })).exports;
  })();
  return mathLibrary;
}

/** A strided N-d layout of an operand: element strides (may be 0 or negative) and an offset. */
export interface Layout {
  readonly strides: readonly number[];
  readonly offset: number;
  /** Elements to allocate. */
  readonly size: number;
}

/** C-contiguous layout of a shape. */
export function contiguous(shape: readonly number[]): Layout {
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]!; }
  return { strides, offset: 0, size: s };
}

/** Reverse, step-2 and broadcast layouts for testing the strided paths. */
export function strided(shape: readonly number[], kind: 'reversed' | 'step2' | 'broadcast'): Layout {
  const c = contiguous(shape);
  if (kind === 'broadcast') return { strides: shape.map(() => 0), offset: 0, size: 1 };
  if (kind === 'step2') return { strides: c.strides.map((s) => s * 2), offset: 0, size: c.size * 2 };
  // reversed innermost dim
  const last = shape.length - 1;
  const strides = c.strides.slice();
  strides[last] = -strides[last]!;
  return { strides, offset: shape[last]! - 1, size: c.size };
}

/** Logical elements of a layout in C order, from a flat value list (values[i] for element i). */
function place(t: DType, shape: readonly number[], layout: Layout, values: readonly Value[], data: AnyTypedArray): void {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = layout.offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      off += (rem % shape[d]!) * layout.strides[d]!;
      rem = Math.floor(rem / shape[d]!);
    }
    (data as unknown as Value[])[off] = t === 'bool' ? (values[i] ? 1 : 0) : DTYPES[t].isBigInt ? BigInt(values[i] as bigint) : Number(values[i]);
  }
}

function gather(t: DType, shape: readonly number[], layout: Layout, data: AnyTypedArray): Value[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const out: Value[] = [];
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = layout.offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      off += (rem % shape[d]!) * layout.strides[d]!;
      rem = Math.floor(rem / shape[d]!);
    }
    out.push(readValue(t, data, off));
  }
  return out;
}

/**
 * Run a scalar kernel elementwise with the JS reference over `shape`.
 * `inputs[k]` are the logical values of input k (C order); layouts default to contiguous.
 */
export function runJs(k: CompiledKernel, shape: readonly number[], inputs: readonly (readonly Value[])[], layouts?: readonly Layout[]): Value[] {
  const ops: JsOperand[] = [];
  const outLayout = contiguous(shape);
  k.operands.forEach((t, i) => {
    const layout = i < k.nin ? layouts?.[i] ?? contiguous(shape) : outLayout;
    const data = new DTYPES[t].TypedArray(layout.size);
    if (i < k.nin) place(t, shape, layout, inputs[i]!, data);
    ops.push({ data, offset: layout.offset, strides: layout.strides });
  });
  k.jsFunction(shape, ops);
  return gather(k.operands[k.nin]!, shape, outLayout, ops[k.nin]!.data);
}

/**
 * Run a scalar kernel over `shape` in Wasm through `<prefix>loop(plan)` (or one `row` call for
 * 1-d shapes when `viaRow`).
 */
export function runWasm(
  rig: WasmRig, k: CompiledKernel, shape: readonly number[], inputs: readonly (readonly Value[])[],
  layouts?: readonly Layout[], viaRow = false,
): Value[] {
  rig.reset();
  const outLayout = contiguous(shape);
  const ptrs: number[] = [];
  const lays: Layout[] = [];
  k.operands.forEach((t, i) => {
    const layout = i < k.nin ? layouts?.[i] ?? contiguous(shape) : outLayout;
    const size = DTYPES[t].itemSize;
    const p = rig.alloc(layout.size * size);
    if (i < k.nin) place(t, shape, layout, inputs[i]!, rig.view(t, p, layout.size));
    ptrs.push(p + layout.offset * size);
    lays.push(layout);
  });
  const sizes = k.operands.map((t) => DTYPES[t].itemSize);
  if (viaRow && shape.length === 1) {
    const args = [shape[0]!];
    ptrs.forEach((p, i) => args.push(p, lays[i]!.strides[0]! * sizes[i]!));
    rig.exports[k.entries.row]!(...args);
  } else {
    const plan = rig.alloc(4 * (1 + shape.length + ptrs.length * (1 + shape.length)));
    const words = [shape.length, ...shape];
    ptrs.forEach((p, i) => words.push(p, ...lays[i]!.strides.map((s) => s * sizes[i]!)));
    rig.i32(plan, words);
    rig.exports[k.entries.loop]!(plan);
  }
  const outT = k.operands[k.nin]!;
  const outBase = ptrs[k.nin]!;
  return gather(outT, shape, outLayout, rig.view(outT, outBase, outLayout.size));
}

/** Distance in units in the last place between two floats of a type (0 for equal, NaN == NaN). */
export function ulps(t: 'float32' | 'float64', a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  if (t === 'float64') {
    const f = new Float64Array([a, b]);
    const i = new BigInt64Array(f.buffer);
    const ord = (x: bigint) => (x < 0n ? -(x & 0x7fffffffffffffffn) : x);
    const d = ord(i[0]!) - ord(i[1]!);
    return Number(d < 0n ? -d : d);
  }
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  const ord = (x: number) => (x < 0 ? -(x & 0x7fffffff) : x);
  return Math.abs(ord(i[0]!) - ord(i[1]!));
}

/**
 * Compare two result lists: integers and bools exactly; floats bit-exactly (NaN == NaN,
 * -0 != +0) or within `maxUlps`. Returns a description of the first mismatch, or null.
 */
export function mismatch(t: DType, a: readonly Value[], b: readonly Value[], maxUlps = 0): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (t === 'float32' || t === 'float64') {
      const d = ulps(t, x as number, y as number);
      if (d > maxUlps) return `element ${i}: ${String(x)} vs ${String(y)} (${d} ulps)`;
    } else if (x !== y) return `element ${i}: ${String(x)} vs ${String(y)}`;
  }
  return null;
}

/** Interesting values of each dtype (edges, signs, zeros, NaN/inf) for elementwise tests. */
export function sampleValues(t: DType): Value[] {
  switch (t) {
    case 'bool': return [false, true, true, false, true, false, false, true];
    case 'int8': return [0, 1, -1, 127, -128, 5, -7, 100, -100, 64, 3, -2];
    case 'uint8': return [0, 1, 255, 128, 7, 200, 3, 64, 127, 2, 10, 99];
    case 'int16': return [0, 1, -1, 32767, -32768, 300, -7, 1000, -1000, 12345, 3, -2];
    case 'uint16': return [0, 1, 65535, 32768, 7, 300, 3, 1000, 12345, 2, 10, 99];
    case 'int32': return [0, 1, -1, 2147483647, -2147483648, 5, -7, 100000, -100000, 65536, 3, -2];
    case 'uint32': return [0, 1, 4294967295, 2147483648, 7, 100000, 3, 65536, 3000000000, 2, 10, 99];
    case 'int64': return [0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n, 5n, -7n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 65536n, 3n, -2n];
    case 'uint64': return [0n, 1n, 18446744073709551615n, 9223372036854775808n, 7n, 2n ** 53n + 1n, 3n, 65536n, 3000000000n, 2n, 10n, 99n];
    case 'float32': return [0, -0, 1, -1, 0.5, -2.5, 3.25, Math.fround(1e30), Math.fround(-7.75), NaN, Infinity, -Infinity, Math.fround(0.1), 1.5, 100.5, Math.fround(1e-40)];
    case 'float64': return [0, -0, 1, -1, 0.5, -2.5, 3.25, 1e300, -7.75, NaN, Infinity, -Infinity, 0.1, 1.5, 100.5, 5e-324];
  }
}

/** `n` values of dtype t cycling through sampleValues, rotated by `shift` (so inputs differ). */
export function values(t: DType, n: number, shift = 0): Value[] {
  const s = sampleValues(t);
  return Array.from({ length: n }, (_, i) => s[(i * 7 + shift * 3) % s.length]!);
}

/** Values in a range that keeps float transcendental inputs meaningful. */
export function moderate(t: DType, n: number, shift = 0): Value[] {
  return Array.from({ length: n }, (_, i) => {
    const x = Math.sin(i * 1.7 + shift) * 3 + (i % 5) * 0.25;
    return t === 'float32' ? Math.fround(x) : x;
  });
}

/** One gufunc operand: its core shape and (inputs) values in C order over loop + core dims. */
export interface GuOperand {
  readonly core: readonly number[];
  readonly values?: readonly Value[];
  /** Reverse the core dims' stride order (a transposed core block) to test strides. */
  readonly transposed?: boolean;
}

function guLayout(loop: readonly number[], op: GuOperand): Layout {
  const shape = [...loop, ...op.core];
  if (!op.transposed || op.core.length < 2) return contiguous(shape);
  // Core dims stored in reverse order (Fortran-like core block), loop dims outermost.
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = loop.length; d < shape.length; d++) { strides[d] = s; s *= shape[d]!; }
  for (let d = loop.length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]!; }
  return { strides, offset: 0, size: s };
}

/** Run a gufunc kernel with the JS reference; returns each output's values in C order. */
export function runGufuncJs(k: CompiledKernel, loop: readonly number[], ops: readonly GuOperand[], coreSizes: readonly number[]): Value[][] {
  const jsOps: JsOperand[] = [];
  const lays: Layout[] = [];
  k.operands.forEach((t, i) => {
    const op = ops[i]!;
    const layout = guLayout(loop, op);
    const data = new DTYPES[t].TypedArray(layout.size);
    if (op.values) place(t, [...loop, ...op.core], layout, op.values, data);
    jsOps.push({ data, offset: layout.offset, strides: layout.strides });
    lays.push(layout);
  });
  k.jsFunction(loop, jsOps, coreSizes);
  return k.operands.slice(k.nin).map((t, j) => gather(t, [...loop, ...ops[k.nin + j]!.core], lays[k.nin + j]!, jsOps[k.nin + j]!.data));
}

/** Run a gufunc kernel in Wasm through `<prefix>loop(plan, core)`. */
export function runGufuncWasm(rig: WasmRig, k: CompiledKernel, loop: readonly number[], ops: readonly GuOperand[], coreSizes: readonly number[]): Value[][] {
  rig.reset();
  const ptrs: number[] = [];
  const lays: Layout[] = [];
  k.operands.forEach((t, i) => {
    const op = ops[i]!;
    const layout = guLayout(loop, op);
    const p = rig.alloc(layout.size * DTYPES[t].itemSize);
    rig.view(t, p, layout.size).fill((DTYPES[t].isBigInt ? 0n : 0) as never);
    if (op.values) place(t, [...loop, ...op.core], layout, op.values, rig.view(t, p, layout.size));
    ptrs.push(p);
    lays.push(layout);
  });
  const size = (i: number) => DTYPES[k.operands[i]!].itemSize;
  const nd = loop.length;
  const planWords = [nd, ...loop];
  ptrs.forEach((p, i) => planWords.push(p, ...lays[i]!.strides.slice(0, nd).map((s) => s * size(i))));
  const coreWords = [coreSizes.length, 0, 0, ...coreSizes];
  lays.forEach((l, i) => coreWords.push(...l.strides.slice(nd).map((s) => s * size(i))));
  const plan = rig.alloc(planWords.length * 4);
  const core = rig.alloc(coreWords.length * 4);
  rig.i32(plan, planWords);
  rig.i32(core, coreWords);
  rig.exports[k.entries.loop]!(plan, core);
  return k.operands.slice(k.nin).map((t, j) => {
    const i = k.nin + j;
    return gather(t, [...loop, ...ops[i]!.core], lays[i]!, rig.view(t, ptrs[i]!, lays[i]!.size));
  });
}
