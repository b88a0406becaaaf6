/**
 * Scratch arrays (`const t = new Float64Array(n)` in a gufunc kernel: IR `scratch`
 * statements, passes/scratch.ts) in the direct emitter, with the meaning and the ABI of the
 * AS emitter's (../assemblyscript/emit-function.ts `case 'scratch'`, prelude.ts
 * `__nb_arena_sp`, `__nb_scratch_len`, `__nb_scratch_alloc`):
 *   - the module's globals `sp` and `end` (not exported, as asc's `let`s are not), and the
 *     exported `__nb_ssite` (i32), `__nb_slen` (i64), `__nb_sleft` (i32), in that order
 *     after the bounds globals when there are some ({@link scratchGlobals});
 *   - the exported `__nb_arena(base, bytes)`: sp = base, end = base + bytes, ssite = 0, which
 *     the host calls before each call (src/vectorize/arena.ts; parallel workers too);
 *   - a `scratch` statement checks its length n (as an i64) against what is left: n < 0 or
 *     n > (end - sp) >> shift records site + 1, n and the bytes left and traps (the host
 *     raises E_KERNEL_SCRATCH from them: src/compiler/bounds.ts, worker-source.ts trapText);
 *     then carves [sp, sp + n << shift) out, zero-fills it and moves sp to the next multiple
 *     of 8;
 *   - the kernel's body restores sp on its way out (function.ts: after the body's block,
 *     which every `return` leaves), and a loop that allocates restores it at the start of
 *     each pass, so memory stays bounded ({@link ScratchFrame.mark}).
 * Element access (loads, stores, `t.length`, bounds checks against the length) is arrays.ts's,
 * with the base and length locals here.
 */
import { DTYPES, type DType } from '../../../dtype/dtypes.js';
import type { IRFunction, ScratchStmt } from '../../ir/nodes.js';
import { Code, I32, I64, type ValType, type WasmFunction, type WasmGlobal } from './encode.js';
import type { BodyWriter, ScratchHooks } from './body-writer.js';
import { OP } from './values.js';

const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_AND = 0x71;
const I32_OR = 0x72;
const I32_SHL = 0x74;
const I32_SHR_U = 0x76;
const I64_LT_S = 0x53;
const I64_GT_S = 0x55;
const I64_GE_S = 0x59;
/** `memory.fill` of memory 0 (bulk memory: `0xfc 11 0x00`). */
const MEMORY_FILL = [0xfc, 0x0b, 0x00];

// Offsets of the globals from the first of them.
const [SP, END, SSITE, SLEN, SLEFT] = [0, 1, 2, 3, 4];

/**
 * The arena's globals, in order: sp and end (not exported), `__nb_ssite`, `__nb_slen`,
 * `__nb_sleft` (exported, as asc's module exports them).
 *
 * @example
 * ```ts
 * const globals = [...BOUNDS_GLOBALS, ...scratchGlobals()]; // the first at index 3
 * ```
 */
export function scratchGlobals(): WasmGlobal[] {
  return [{ type: I32 }, { type: I32 }, { type: I32, export: '__nb_ssite' }, { type: I64, export: '__nb_slen' }, { type: I32, export: '__nb_sleft' }];
}

/**
 * The exported `__nb_arena(base, bytes)` of a module whose arena globals start at index
 * `first`: lends [base, base + bytes) for the next call and clears the failure site.
 *
 * @example
 * ```ts
 * functions.push(arenaFunction(3));
 * ```
 */
export function arenaFunction(first: number): WasmFunction {
  const c = new Code();
  c.get(0).globalSet(first + SP);
  c.get(0).get(1).op(I32_ADD).globalSet(first + END);
  c.i32(0).globalSet(first + SSITE);
  c.end();
  return { params: [I32, I32], results: [], locals: [], code: c, export: '__nb_arena' };
}

/** Does kernel function `fn` have scratch arrays? */
export const hasScratch = (fn: IRFunction<DType>): boolean => (fn.scratch?.length ?? 0) > 0;

/**
 * The scratch arrays of one kernel function in its row function: a base and a length local
 * per array (shared by the row's loops), the allocation and the arena's marks.
 */
export class ScratchFrame implements ScratchHooks {
  private readonly bases: number[];
  private readonly lengths: number[];

  /** `first`: index of the arena's first global; `temp`: a new local of the row function. */
  constructor(private readonly fn: IRFunction<DType>, private readonly first: number, private readonly temp: (t: ValType) => number) {
    this.bases = (fn.scratch ?? []).map(() => temp(I32));
    this.lengths = (fn.scratch ?? []).map(() => temp(I32));
  }

  /** Push scratch array `id`'s base address. */
  base(c: Code, id: number): void { c.get(this.bases[id]!); }
  /** Push scratch array `id`'s length (an i32). */
  length(c: Code, id: number): void { c.get(this.lengths[id]!); }
  /** Its element size in bytes. */
  itemSize(id: number): number { return DTYPES[this.fn.scratch![id]!.dtype].itemSize; }

  mark(c: Code): number {
    const m = this.temp(I32);
    c.globalGet(this.first + SP).set(m);
    return m;
  }

  restore(c: Code, m: number): void {
    c.get(m).globalSet(this.first + SP);
  }

  /** `__nb_scratch_len` then `__nb_scratch_alloc` (see the file header). */
  alloc(b: BodyWriter, s: ScratchStmt<DType>): void {
    const c = b.c;
    const g = this.first;
    const size = this.itemSize(s.id);
    const shift = Math.log2(size);
    // n as an i64: AS's `<i64>` of the length; a uint64 above i64's range is clamped to it.
    const t = s.length.type;
    b.expr(s.length);
    if (t === 'uint64') {
      const v = b.stash(t);
      c.get(v).i64(0x7fffffffffffffffn).get(v).i64(0n).op(I64_GE_S, OP.select);
    } else if (t !== 'int64') c.op(t === 'uint32' ? OP.i64ExtendI32U : OP.i64ExtendI32S);
    const n = b.stash('int64');
    const left = this.temp(I32);
    c.globalGet(g + END).globalGet(g + SP).op(I32_SUB).set(left);
    // n < 0 || n > <i64>(left >> shift): record and trap.
    c.get(n).i64(0n).op(I64_LT_S);
    c.get(n).get(left).i32(shift).op(I32_SHR_U, OP.i64ExtendI32U, I64_GT_S, I32_OR).if();
    c.i32((s.site ?? 0) + 1).globalSet(g + SSITE);
    c.get(n).globalSet(g + SLEN);
    c.get(left).globalSet(g + SLEFT);
    c.unreachable().end();
    const len = this.lengths[s.id]!;
    const base = this.bases[s.id]!;
    c.get(n).op(OP.i32WrapI64).set(len);
    c.globalGet(g + SP).set(base);
    // Zero-fill n << shift bytes, then sp = (p + bytes + 7) & ~7.
    c.get(base).i32(0).get(len).i32(shift).op(I32_SHL, ...MEMORY_FILL);
    c.get(base).get(len).i32(shift).op(I32_SHL, I32_ADD).i32(7).op(I32_ADD).i32(-8).op(I32_AND).globalSet(g + SP);
  }
}
