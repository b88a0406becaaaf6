/**
 * The parts of a direct module's entries that do not depend on the kernel: local
 * numbering, the counted loop and pointer bumps of a row, and the N-d entry
 * `<prefix>loop(plan)` with its recursion `dims` (the ABI of emit-module.ts's header), shared
 * by the SIMD row of straight-line float kernels (emit-module.ts) and the general scalar
 * row (scalar-row.ts).
 */
import { Code, I32, type ValType, type WasmFunction } from './encode.js';

// i32 and memory opcodes used below (binary format 5.4).
const I32_LOAD = 0x28;
const I32_EQZ = 0x45;
const I32_EQ = 0x46;
const I32_GT_U = 0x4b;
const I32_LE_S = 0x4c;
const I32_GE_S = 0x4e;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_SHL = 0x74;

/** Local indices handed out in order after a function's params. */
export class Locals {
  readonly types: ValType[] = [];
  constructor(private readonly first: number) {}
  add(t: ValType): number {
    this.types.push(t);
    return this.first + this.types.length - 1;
  }
}

/**
 * The row entry's parameters for `nops` operands (inputs, then the output):
 * `(n, p0, s0, ..., p<nops-1>, s<nops-1>)`, n the row length, operand k's pointer and byte
 * stride; `extra` more i32 parameters after them (a gufunc's core block). Locals come after.
 */
export function rowParams(nops: number, extra = 0): {
  readonly ops: readonly number[]; readonly n: number; readonly ptr: (k: number) => number; readonly stride: (k: number) => number;
  readonly params: ValType[]; readonly locals: Locals;
} {
  const ops = [...Array(nops).keys()];
  const params: ValType[] = [I32, ...ops.flatMap((): ValType[] => [I32, I32]), ...Array<ValType>(extra).fill(I32)];
  return { ops, n: 0, ptr: (k) => 1 + 2 * k, stride: (k) => 2 + 2 * k, params, locals: new Locals(params.length) };
}

/** `p += by` for each pointer local of `ptrs`. */
export function bump(c: Code, ptrs: readonly number[], by: (i: number) => void): void {
  ptrs.forEach((p, i) => { c.get(p); by(i); c.op(I32_ADD).set(p); });
}

/** `loop { if (i + step <= n) { body; i += step; continue } }`: asc -O3's shape of a counted loop. */
export function countedLoop(c: Code, i: number, n: number, step: number, body: () => void): void {
  c.loop().get(i).i32(step).op(I32_ADD).get(n).op(I32_LE_S).if();
  body();
  c.get(i).i32(step).op(I32_ADD).set(i).br(1).end().end();
}

/**
 * `dims(d, ndim, shape, ops, w, p0..pK)`: dim d of the plan; the innermost calls the row
 * (asm/ufunc/walk.ts's recursion, as the AS unit's walk()). `core`: a gufunc's, which take
 * the core block last and pass it on to the row (asm/gufunc/walk.ts).
 */
export function dimsFunction(nops: number, row: number, self: number, core = false): WasmFunction {
  const [d, ndim, shape, opsAt, w] = [0, 1, 2, 3, 4];
  const ptr = (k: number) => 5 + k;
  const ks = [...Array(nops).keys()];
  const params: ValType[] = [I32, I32, I32, I32, I32, ...ks.map((): ValType => I32), ...(core ? [I32] : [])];
  const coreAt = 5 + nops;
  const L = new Locals(params.length);
  const n = L.add(I32);
  const s = ks.map(() => L.add(I32));
  const i = L.add(I32);
  const c = new Code();
  const dOffset = () => c.get(d).i32(2).op(I32_SHL);
  c.get(shape); dOffset(); c.op(I32_ADD).mem(I32_LOAD, 2).set(n);
  // s_k = ops[k * w + 4 + 4d]: operand k's byte stride along dim d.
  for (const k of ks) {
    c.get(opsAt);
    if (k > 0) c.get(w).i32(k).op(I32_MUL).op(I32_ADD);
    dOffset(); c.op(I32_ADD).mem(I32_LOAD, 2, 4).set(s[k]!);
  }
  c.get(d).get(ndim).i32(1).op(I32_SUB).op(I32_EQ).if();
  c.get(n); for (const k of ks) c.get(ptr(k)).get(s[k]!);
  if (core) c.get(coreAt);
  c.call(row).return().end();
  c.block().loop().get(i).get(n).op(I32_GE_S).brIf(1);
  c.get(d).i32(1).op(I32_ADD).get(ndim).get(shape).get(opsAt).get(w);
  for (const k of ks) c.get(ptr(k));
  if (core) c.get(coreAt);
  c.call(self);
  bump(c, ks.map(ptr), (k) => c.get(s[k]!));
  c.get(i).i32(1).op(I32_ADD).set(i).br(0).end().end();
  c.end();
  return { params, results: [], locals: L.types, code: c };
}

/** `loop(plan)` (a gufunc's: `loop(plan, core)`): the N-d entry (see the file header). */
export function loopFunction(nops: number, row: number, dims: number, name: string, core = false): WasmFunction {
  const plan = 0;
  const coreAt = 1;
  const ks = [...Array(nops).keys()];
  const L = new Locals(core ? 2 : 1);
  const [ndim, shape, opsAt, w, d] = [L.add(I32), L.add(I32), L.add(I32), L.add(I32), L.add(I32)];
  const p = ks.map(() => L.add(I32));
  const c = new Code();
  c.get(plan).mem(I32_LOAD, 2).set(ndim);
  c.get(ndim).i32(32).op(I32_GT_U).if().unreachable().end();
  c.get(plan).i32(4).op(I32_ADD).set(shape);
  c.get(shape).get(ndim).i32(2).op(I32_SHL).op(I32_ADD).set(opsAt);
  c.get(ndim).i32(1).op(I32_ADD).i32(2).op(I32_SHL).set(w);
  for (const k of ks) {
    c.get(opsAt);
    if (k > 0) c.get(w).i32(k).op(I32_MUL).op(I32_ADD);
    c.mem(I32_LOAD, 2).set(p[k]!);
  }
  c.get(ndim).op(I32_EQZ).if().i32(1);
  for (const k of ks) c.get(p[k]!).i32(0);
  if (core) c.get(coreAt);
  c.call(row).return().end();
  // Any dim <= 0: nothing to do.
  c.block().loop().get(d).get(ndim).op(I32_GE_S).brIf(1);
  c.get(shape).get(d).i32(2).op(I32_SHL).op(I32_ADD).mem(I32_LOAD, 2).i32(0).op(I32_LE_S).if().return().end();
  c.get(d).i32(1).op(I32_ADD).set(d).br(0).end().end();
  c.i32(0).get(ndim).get(shape).get(opsAt).get(w);
  for (const k of ks) c.get(p[k]!);
  if (core) c.get(coreAt);
  c.call(dims).end();
  return { params: core ? [I32, I32] : [I32], results: [], locals: L.types, code: c, export: name };
}
