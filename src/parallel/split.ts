/**
 * Cutting an iteration plan into blocks for the pool (see execute.ts for the three cases),
 * and writing the blocks' plans into the heap in the layout the Wasm loops read. Pure
 * arithmetic on byte addresses and strides: nothing here runs a loop.
 */
import { runtime } from '../runtime/runtime.js';

/** A plan with byte addresses and byte strides (what the Wasm loops read). */
export interface BytePlan {
  shape: number[];
  bases: number[];
  strides: number[][];
  size: number;
}

/** The blocks of one plan: one shape and one set of bases per block, strides shared. */
export interface Blocks {
  strides: number[][];
  shapes: number[][];
  bases: number[][];
}

const ALIGN_ELEMENTS = 64;

function cut(ext: number, r: number, j: number): number {
  const x = Math.floor((j * ext) / r);
  if (j === r || ext < ALIGN_ELEMENTS * r) return x;
  return Math.min(ext, Math.round(x / ALIGN_ELEMENTS) * ALIGN_ELEMENTS);
}

/** Case 1 and 3: contiguous ranges of the first dim k whose outer product reaches `target`. */
export function splitOuter(p: BytePlan, target: number): Blocks {
  const nd = p.shape.length;
  let k = 0;
  let outer = 1;
  while (k < nd - 1 && outer * p.shape[k]! < target) outer *= p.shape[k++]!;
  const ext = p.shape[k]!;
  const r = Math.max(1, Math.min(ext, Math.ceil(target / outer)));
  const tail = p.shape.slice(k + 1);
  const out: Blocks = { strides: p.strides.map((st) => st.slice(k)), shapes: [], bases: [] };
  const idx = new Array<number>(k).fill(0);
  for (let o = 0; o < outer; o++) {
    const off = p.bases.map((b, q) => {
      let a = b;
      for (let i = 0; i < k; i++) a += idx[i]! * p.strides[q]![i]!;
      return a;
    });
    for (let j = 0; j < r; j++) {
      const lo = cut(ext, r, j);
      const hi = cut(ext, r, j + 1);
      if (hi <= lo) continue;
      out.shapes.push([hi - lo, ...tail]);
      out.bases.push(off.map((a, q) => a + lo * p.strides[q]![k]!));
    }
    for (let i = k - 1; i >= 0; i--) {
      if (++idx[i]! < p.shape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** Case 2: ranges of dim `d`, every other dim whole. */
export function splitDim(p: BytePlan, d: number, r: number): Blocks {
  const ext = p.shape[d]!;
  const out: Blocks = { strides: p.strides, shapes: [], bases: [] };
  for (let j = 0; j < r; j++) {
    const lo = cut(ext, r, j);
    const hi = cut(ext, r, j + 1);
    if (hi <= lo) continue;
    const shape = [...p.shape];
    shape[d] = hi - lo;
    out.shapes.push(shape);
    out.bases.push(p.bases.map((b, q) => b + lo * p.strides[q]![d]!));
  }
  return out;
}

/** Write the blocks' plans into one heap block; returns [address, stride]. Slot nblocks is spare. */
export function writePlans(b: Blocks, frees: number[]): [number, number] {
  const nd = b.strides[0]!.length;
  const nops = b.strides.length;
  const words = 1 + nd + nops * (1 + nd);
  const stride = (words * 4 + 15) & ~15;
  const n = b.shapes.length;
  const { heap, memory } = runtime();
  const ptr = heap.alloc(stride * (n + 1));
  frees.push(ptr);
  const w = new Int32Array(memory.buffer, ptr, (stride * (n + 1)) / 4);
  for (let j = 0; j < n; j++) {
    let at = (j * stride) / 4;
    w[at++] = nd;
    for (const x of b.shapes[j]!) w[at++] = x;
    for (let q = 0; q < nops; q++) {
      w[at++] = b.bases[j]![q]!;
      for (const x of b.strides[q]!) w[at++] = x;
    }
  }
  return [ptr, stride];
}
