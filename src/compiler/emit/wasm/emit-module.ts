/**
 * The direct Wasm emitter (issue 15): typed IR → a Wasm binary, without asc or Binaryen,
 * for straight-line float kernels (see {@link directLane}): arithmetic, the intrinsics with
 * one instruction, comparisons, `?:`, `&&`, `||` and `!`. Their Wasm is trivial to write
 * down: every operation is one instruction, scalar and SIMD (lanes.ts), so the module costs
 * well under a millisecond to make, where asc's first compile in a process costs hundreds
 * (docs/notes/asc-compile-cost.md), and it gives the same bits as asc's module of the same
 * kernel. Kernels with a comparison get a SIMD path here where asc's module runs them scalar
 * (ir/passes/simd.ts does not take them): per lane the same instructions, so the same bits.
 * Every other scalar kernel without arrays or scratch arrays ({@link directEligible}) takes
 * the general scalar path (scalar-row.ts, function.ts: statements, every dtype, casts, the
 * math library's functions as `nbmath` imports, helper calls inlined, constant tables read
 * at an address baked in: tables.ts), with the same ABI.
 * guvectorize kernels take it too (gufunc-row.ts,
 * arrays.ts: array parameters, loads and stores, core sizes, bounds checks; scratch.ts:
 * scratch arrays, `__nb_arena` and the scratch failure globals), with the AS
 * unit's gufunc entries `<prefix>row(n, p0, s0, ..., core)` and `<prefix>loop(plan, core)`;
 * a module with a checked index exports the bounds globals `__nb_bsite`, `__nb_bindex`,
 * `__nb_bsize` as asc's does.
 *
 * The module has the ABI of the AS scalar unit (../assemblyscript/emit-module.ts; operand k
 * has pointer p<k> and byte stride s<k>, inputs first, the output last, K = nin):
 *   `<prefix>row(n, p0, s0, ..., pK, sK)`: the contiguous SIMD loops when every stride is
 *     the element size and no input partially overlaps the output (`apart`), then one per
 *     input of broadcastInputs() with that input's stride 0 (`disjoint`: it does not lie in
 *     the output row), each two vectors an iteration then one; then the scalar strided loop
 *     for what is left;
 *   `<prefix>loop(plan)`: the N-d walk of the plan (ndim, shape, per operand its pointer and
 *     byte strides; walk() there), outer dims by recursion through `<prefix>dims`; ndim > 32
 *     traps, a dim <= 0 returns, ndim 0 is one element.
 * It imports `env.memory` (shared, 0 to 65536 pages, as asc's modules declare it:
 * toolchain/asc-flags.ts) and, when a kernel calls them, the math library's functions from
 * `nbmath` (math-imports.ts), and has no static data, so it instantiates anywhere on the
 * heap (a kernel with constant tables reads them at the address it was given,
 * {@link DirectKernel.tableBase}: that module only works on that memory), and the parallel
 * target's workers instantiate it on the same memory. Several kernels
 * (a multi-signature vectorize) link into one module, each under its own entry names.
 *
 * Good code, as asc -O3 makes it: the kernel inlined in each loop, pointers bumped (no index
 * arithmetic), each input read once per element into a local, SIMD constants made once per
 * row into locals (v128.const) before the loops.
 */
import type { DType } from '../../../dtype/dtypes.js';
import { castConst } from '../../ir/infer-expr.js';
import { forEachExpr, mapChildren, mapStmt, type CompareOp, type ConstExpr, type Expr, type IRProgram } from '../../ir/nodes.js';
import { broadcastInputs, straightLineFloat } from '../../ir/passes/simd.js';
import { isFloatType } from '../../ir/types.js';
import { Code, encodeModule, I32, V128, type WasmFunction, type WasmImport } from './encode.js';
import { bump, countedLoop, dimsFunction, loopFunction, rowParams } from './entries.js';
import { libraryCall } from './calls.js';
import type { Callees } from './body-writer.js';
import { ipowFunction } from './int-ops.js';
import { LANES, MASK_OPS, type Instruction, type Lane } from './lanes.js';
import { MATH_MODULE, type MathImport } from './math-imports.js';
import { programFunctions, scalarIneligible, scalarRowFunction } from './scalar-row.js';
import { valType } from './values.js';
import { BOUNDS_GLOBALS } from './arrays.js';
import { gufuncIneligible, gufuncRowFunction } from './gufunc-row.js';
import { arenaFunction, hasScratch, scratchGlobals } from './scratch.js';

/** Why kernel `p` is outside the general path (scalar-row.ts, or gufunc-row.ts for a guvectorize kernel), or null. */
const ineligible = (p: IRProgram, mathLibrary: boolean): string | null =>
  (p.kind === 'gufunc' ? gufuncIneligible : scalarIneligible)(p, mathLibrary);

/** What the emitter reads of a compiled kernel. */
export interface DirectKernel {
  readonly ir: IRProgram;
  /** Exported entry names (`<prefix>row`, `<prefix>loop`). */
  readonly entries: { readonly row: string; readonly loop: string };
  /**
   * A kernel with constant tables: the address of its tables' block in the memory the module
   * will run on, where tables.ts writeTables put them (the loads read them there).
   */
  readonly tableBase?: number;
}

// i32 and memory opcodes used below (binary format 5.4).
const I32_EQZ = 0x45;
const I32_EQ = 0x46;
const I32_LE_U = 0x4d;
const I32_ADD = 0x6a;
const I32_OR = 0x72;
const I32_SHL = 0x74;
const V128_LOAD = 0x00;
const V128_STORE = 0x0b;
const V128_CONST = 0x0c;

/**
 * The lane type when kernel `p` can go to the direct emitter, else null: a scalar kernel
 * whose every operand and result have one float type, straight-line (`const` lets, then a
 * return: ir/passes/simd.ts straightLineFloat), whose float operations the lane table has
 * (lanes.ts: + - * /, unary minus, sqrt abs min max floor ceil trunc), with comparisons of
 * that float type, `?:` of it, `&&` `||` `!` on bools (JavaScript truthiness of a float
 * too), `Number.isNaN` and `Number.isFinite`, and whose constants are numbers or bools. `reduceTile`: the unit asks for asc's
 * reduce tile (vectorize with an `identity`), which this emitter does not make.
 *
 * @example
 * ```ts
 * directLane(compileKernel((x, y) => x * y + 1, 'f8(f8,f8)', { kind: 'scalar' }).ir); // 'float64'
 * directLane(compileKernel((x) => x > 0 ? x : 0.01 * x, 'f4(f4)', { kind: 'scalar' }).ir); // 'float32'
 * ```
 */
export function directLane(p: IRProgram, options: { readonly reduceTile?: boolean } = {}): DType | null {
  return options.reduceTile === true ? null : directForm(p)?.type ?? null;
}

/**
 * `e` as the emitter writes it (bottom-up):
 *   - `truthy(x)` (JavaScript truthiness of a float: neither ±0 nor NaN) is `abs(x) > 0`,
 *     `isFinite(x)` is `abs(x) < Infinity` and `isNaN(x)` is `!(abs(x) <= Infinity)`: one
 *     comparison each (any comparison with NaN is false), x read once;
 *   - a cast of `c ? a : b` is `c ? cast(a) : cast(b)`, and a float cast of a constant is
 *     the converted constant (of an integer, when exact): the front end types `c ? 1 : 0`
 *     (two weak ints) as int64, and `c ? 0.5 : 0.1` as float64, and casts it to the
 *     kernel's float type, which here becomes a select of two constants of that type.
 * Anything else is left as it is (and a cast left over is not eligible).
 */
function directExpr(e: Expr<DType>): Expr<DType> {
  const r = mapChildren(e, directExpr);
  const at = r.at;
  // `abs(x) op bound`, in x's float type.
  const absIs = (x: Expr<DType>, op: CompareOp, bound: number): Expr<DType> => ({
    kind: 'compare', op, left: { kind: 'call', fn: 'abs', args: [x], type: x.type, at },
    right: { kind: 'const', value: bound, type: x.type, at }, operand: x.type, type: 'bool', at,
  });
  if (r.kind === 'unary' && r.op === 'truthy' && isFloatType(r.arg.type)) return absIs(r.arg, 'gt', 0);
  if (r.kind === 'call' && r.args.length === 1 && isFloatType(r.args[0]!.type)) {
    if (r.fn === 'isFinite') return absIs(r.args[0]!, 'lt', Infinity);
    if (r.fn === 'isNaN') return { kind: 'unary', op: 'not', arg: absIs(r.args[0]!, 'le', Infinity), type: 'bool', at };
  }
  if (r.kind === 'cast' && r.arg.kind === 'select') {
    const arm = (x: Expr<DType>) => directExpr({ kind: 'cast', arg: x, type: r.type, at: x.at });
    return { ...r.arg, then: arm(r.arg.then), else: arm(r.arg.else), type: r.type };
  }
  if (r.kind === 'cast' && r.arg.kind === 'const' && isFloatType(r.type)) {
    const k = r.arg.value;
    const v = castConst(k, r.arg.type, r.type) as number;
    // A float is rounded once, as the cast's instruction rounds it; an integer only when
    // exact (it comes back), so that no rounding of asc's converter can disagree.
    const exact = isFloatType(r.arg.type) || typeof k === 'boolean' || (Number.isFinite(v) && BigInt(v) === BigInt(k));
    if (exact) return { kind: 'const', value: v, type: r.type, at };
  }
  return r;
}

/** Kernel `p` in the emitter's form ({@link directExpr}), its lane type and lane; null when not eligible. */
function directForm(p: IRProgram): { readonly ir: IRProgram; readonly type: DType; readonly lane: Lane } | null {
  if ((p.tables?.length ?? 0) > 0) return null;
  const ir: IRProgram = { ...p, main: { ...p.main, body: p.main.body.map((s) => mapStmt(s, directExpr, (b) => [...b])) } };
  const ok = (e: Expr<DType>, t: DType): boolean => {
    const lane = LANES[t];
    if (lane === undefined) return false;
    const all = (...xs: Expr<DType>[]) => xs.every((x) => ok(x, t));
    // (The IR's invariants give the operands' types: those of the node, bools for `not`,
    // `&&`, `||` and a select's condition, `operand` for a comparison.)
    switch (e.kind) {
      case 'const': return e.type === 'bool' || (e.type === t && typeof e.value === 'number');
      case 'param': return true; // (straightLineFloat: every parameter has type t)
      case 'local': return e.type === t || e.type === 'bool';
      case 'unary': return (e.op === 'not' || (e.type === t && e.op in lane.ops)) && all(e.arg);
      case 'binary': return e.type === t && e.op in lane.ops && all(e.left, e.right);
      case 'call': return e.type === t && e.fn in lane.ops && e.args.length > 0 && all(...e.args);
      case 'compare': return e.operand === t && e.op in lane.compare && all(e.left, e.right);
      case 'logical': return all(e.left, e.right);
      case 'select': return e.type === t && all(e.cond, e.then, e.else);
      default: return false;
    }
  };
  const t = straightLineFloat(ir, ok);
  return t === null ? null : { ir, type: t, lane: LANES[t]! };
}

/** Where an expression's leaves live while one loop's body is written. */
interface Leaves {
  /** The local holding input k's element (or vector). */
  readonly param: (k: number) => number;
  /** The local of IR local `id`. */
  readonly local: (id: number) => number;
  /** Push a constant. */
  readonly constant: (c: Code, k: ConstExpr<DType>) => void;
}

/**
 * Push expression `e` (scalar or SIMD per `simd`); every operation is one instruction.
 *
 * `?:`, `&&` and `||` evaluate every operand (Wasm's `select` and `v128.bitselect` take
 * both values; `i32.and/or` and `v128.and/or` both bools), where JavaScript evaluates only
 * what it needs. That is the same only because nothing in the subset has an effect or can
 * trap: float arithmetic never traps, and there are no loads, integer divisions, helper
 * calls or stores in an expression. Keep the subset so: an operation that can trap or has
 * an effect would need real branches here (and the SIMD path would need to leave it).
 */
function expr(c: Code, e: Expr<DType>, lane: Lane, simd: boolean, leaves: Leaves): void {
  const emit = (o: Instruction) => {
    if (simd) c.simd(o.simd);
    else c.op(o.scalar);
  };
  const op = (name: string) => emit(lane.ops[name]!);
  const go = (x: Expr<DType>) => expr(c, x, lane, simd, leaves);
  switch (e.kind) {
    case 'const': return leaves.constant(c, e);
    case 'param': c.get(leaves.param(e.index)); return;
    case 'local': c.get(leaves.local(e.id)); return;
    case 'unary': go(e.arg); return e.op === 'not' ? emit(MASK_OPS.not) : op(e.op);
    case 'binary': go(e.left); go(e.right); return op(e.op);
    case 'compare': go(e.left); go(e.right); return emit(lane.compare[e.op]!);
    case 'logical': go(e.left); go(e.right); return emit(MASK_OPS[e.op]);
    // (select and bitselect both take then, else, condition)
    case 'select': go(e.then); go(e.else); go(e.cond); return emit(MASK_OPS.select);
    case 'call':
      // min/max of several arguments fold left, as the AS and JS emitters do; of one, it is that one.
      go(e.args[0]!);
      if (e.args.length === 1 && (e.fn === 'min' || e.fn === 'max')) return;
      if (e.args.length === 1) return op(e.fn);
      for (const a of e.args.slice(1)) { go(a); op(e.fn); }
      return;
    default: throw new Error(`direct Wasm: not an eligible operation: ${e.kind}`);
  }
}

/**
 * A constant's key: a float's lane bits (so that -0 and +0, and NaN payloads, stay apart),
 * a bool's value.
 */
function constKey(k: ConstExpr<DType>, lane: Lane): string {
  if (typeof k.value === 'boolean') return String(k.value);
  const dv = new DataView(new ArrayBuffer(8));
  if (lane.size === 4) { dv.setFloat32(0, k.value as number, true); return String(dv.getUint32(0, true)); }
  dv.setFloat64(0, k.value as number, true);
  return String(dv.getBigUint64(0, true));
}

/** The 16 bytes of a vector with constant `k` in every lane: a float splat, a bool's mask (all ones or zeros). */
function splatBytes(k: ConstExpr<DType>, lane: Lane): number[] {
  const b = new Uint8Array(16);
  if (typeof k.value === 'boolean') return [...b.fill(k.value ? 0xff : 0)];
  const dv = new DataView(b.buffer);
  for (let o = 0; o < 16; o += lane.size) {
    if (lane.size === 4) dv.setFloat32(o, k.value as number, true);
    else dv.setFloat64(o, k.value as number, true);
  }
  return [...b];
}

/** Push constant `k` in the scalar loop: a float of the lane's type, a bool as i32 0 or 1. */
function scalarConst(c: Code, k: ConstExpr<DType>, lane: Lane): void {
  if (typeof k.value === 'boolean') c.i32(k.value ? 1 : 0);
  else if (lane.size === 4) c.f32(k.value as number);
  else c.f64(k.value as number);
}

/** Every distinct constant of the kernel (by {@link constKey}), in order of first use. */
function constants(p: IRProgram, lane: Lane): Map<string, ConstExpr<DType>> {
  const seen = new Map<string, ConstExpr<DType>>();
  forEachExpr(p.main.body, (e) => { if (e.kind === 'const' && !seen.has(constKey(e, lane))) seen.set(constKey(e, lane), e); });
  return seen;
}

/**
 * One element (scalar) or one vector (SIMD) of the kernel: read the inputs not in
 * `preloaded` at their pointers (+ `offset`), the lets into their locals, the result
 * stored at the output pointer.
 */
function kernelBody(c: Code, p: IRProgram, lane: Lane, simd: boolean, at: {
  readonly ptr: (k: number) => number; readonly value: (k: number) => number; readonly local: (id: number) => number;
  readonly preloaded: number; readonly offset: number; readonly constant: Leaves['constant'];
}): void {
  const fn = p.main;
  const K = fn.params.length;
  const leaves: Leaves = { param: at.value, local: at.local, constant: at.constant };
  for (let k = 0; k < K; k++) {
    if (k === at.preloaded) continue;
    c.get(at.ptr(k));
    if (simd) c.simdMem(V128_LOAD, 4, at.offset);
    else c.mem(lane.load, lane.align, at.offset);
    c.set(at.value(k));
  }
  for (const s of fn.body) {
    if (s.kind !== 'let') continue;
    expr(c, s.init, lane, simd, leaves);
    c.set(at.local(s.local));
  }
  c.get(at.ptr(K));
  const ret = fn.body[fn.body.length - 1]!;
  if (ret.kind !== 'return') throw new Error('direct Wasm: the kernel does not end in a return');
  expr(c, ret.value!, lane, simd, leaves);
  if (simd) c.simdMem(V128_STORE, 4, at.offset);
  else c.mem(lane.store, lane.align, at.offset);
}

/** Push `tests[0] && tests[1] && ...` (i32 0 or 1), each test run only when those before hold. */
function andThen(c: Code, tests: readonly (() => void)[]): void {
  tests[0]!();
  if (tests.length === 1) return;
  c.ifI32();
  andThen(c, tests.slice(1));
  c.else().i32(0).end();
}

/** The row function of one kernel (see the file header). */
function rowFunction(p: IRProgram, lane: Lane, name: string): WasmFunction {
  const fn = p.main;
  const K = fn.params.length;
  const { ops, n, ptr, stride, params, locals: L } = rowParams(K + 1);
  const i = L.add(I32);
  const bytes = L.add(I32);
  // Each let's local: a float, or a bool (an i32 in the scalar loop, a mask in the SIMD ones).
  const lets = fn.body.flatMap((s) => (s.kind === 'let' ? [{ id: s.local, scalar: s.init.type === 'bool' ? I32 : lane.type }] : []));
  const scalar = { values: ops.slice(0, K).map(() => L.add(lane.type)), lets: new Map(lets.map((l) => [l.id, L.add(l.scalar)])) };
  const vector = { values: ops.slice(0, K).map(() => L.add(V128)), lets: new Map(lets.map((l) => [l.id, L.add(V128)])) };
  const consts = constants(p, lane);
  const vconst = new Map([...consts.keys()].map((key) => [key, L.add(V128)]));
  const S = lane.size;
  const c = new Code();

  // bytes = n * S: the row's extent, for the overlap tests (u32 arithmetic, as asc's usize).
  c.get(n).i32(lane.align).op(I32_SHL).set(bytes);
  const le = (a: () => void, b: () => void) => { a(); b(); c.op(I32_LE_U); };
  const plus = (k: number, by: () => void) => () => { c.get(ptr(k)); by(); c.op(I32_ADD); };
  const strideIs = (k: number, v: number) => { c.get(stride(k)); if (v === 0) c.op(I32_EQZ); else c.i32(v).op(I32_EQ); };
  // Input k is the output or lies wholly apart from its row: SIMD reads a vector before writing one.
  const apart = (k: number) => {
    c.get(ptr(k)).get(ptr(K)).op(I32_EQ);
    le(plus(k, () => c.get(bytes)), () => c.get(ptr(K))); c.op(I32_OR);
    le(plus(K, () => c.get(bytes)), () => c.get(ptr(k))); c.op(I32_OR);
  };
  // Broadcast input k's one element lies outside the output row.
  const disjoint = (k: number) => {
    le(plus(k, () => c.i32(S)), () => c.get(ptr(K)));
    le(plus(K, () => c.get(bytes)), () => c.get(ptr(k))); c.op(I32_OR);
  };
  const ins = ops.slice(0, K);
  const variants = [-1, ...broadcastInputs(K)];
  variants.forEach((b, v) => {
    if (v > 0) c.else();
    // The strides first, then the overlap tests, each only when the ones before hold (as
    // asc's `&&`): evaluated all at once, the tests' temporaries pushed n and the memory
    // base out of registers in the loops below (V8, x*y+1 on 1e5 float64: 14% slower).
    andThen(c, [
      () => strideIs(K, S),
      ...ins.map((k) => () => strideIs(k, k === b ? 0 : S)),
      ...ins.map((k) => () => (k === b ? disjoint(k) : apart(k))),
    ]);
    c.if();
    for (const [key, k] of consts) c.simd(V128_CONST, ...splatBytes(k, lane)).set(vconst.get(key)!);
    if (b >= 0) c.get(ptr(b)).mem(lane.load, lane.align).simd(lane.splat).set(vector.values[b]!);
    const moving = ops.filter((k) => k !== b).map(ptr);
    const at = (offset: number) => ({
      ptr, value: (k: number) => vector.values[k]!, local: (id: number) => vector.lets.get(id)!, preloaded: b, offset,
      constant: (cc: Code, k: ConstExpr<DType>) => { cc.get(vconst.get(constKey(k, lane))!); },
    });
    // Two vectors an iteration (x*y+1 on 1e7 float64: ~5% faster than one, emit-module.ts), then one.
    countedLoop(c, i, n, 32 / S, () => {
      kernelBody(c, p, lane, true, at(0));
      kernelBody(c, p, lane, true, at(16));
      bump(c, moving, () => c.i32(32));
    });
    countedLoop(c, i, n, 16 / S, () => {
      kernelBody(c, p, lane, true, at(0));
      bump(c, moving, () => c.i32(16));
    });
  });
  variants.forEach(() => c.end());
  // The strided scalar loop: what the SIMD loops left, or the whole row.
  countedLoop(c, i, n, 1, () => {
    kernelBody(c, p, lane, false, {
      ptr, value: (k) => scalar.values[k]!, local: (id) => scalar.lets.get(id)!, preloaded: -1, offset: 0,
      constant: (cc, k) => scalarConst(cc, k, lane),
    });
    bump(c, ops.map(ptr), (k) => c.get(stride(k)));
  });
  c.end();
  return { params, results: [], locals: L.types, code: c, export: name };
}

/**
 * Can kernel `p` go to the direct emitter? The straight-line float kernels of
 * {@link directLane} (SIMD rows), and every other scalar kernel the general path takes
 * (scalar-row.ts scalarIneligible: statements, all dtypes, casts, inline intrinsics, and
 * the math library's functions when `mathLibrary`), and the gufunc kernels it takes
 * (gufunc-row.ts gufuncIneligible). `reduceTile`: the unit asks for asc's
 * reduce tile (vectorize with an `identity`), which this emitter does not make (the
 * runtime then runs the direct module until asc's replaces it: src/vectorize/tiered-kernels.ts).
 *
 * @example
 * ```ts
 * directEligible(compileKernel((x) => (x > 0 ? x * 2 : -x), 'i4(i4)', { kind: 'scalar' }).ir); // true
 * directEligible(compileKernel((x) => Math.exp(x), 'f8(f8)', { kind: 'scalar' }).ir, { mathLibrary: false }); // false
 * ```
 */
export function directEligible(p: IRProgram, options: { readonly reduceTile?: boolean; readonly mathLibrary?: boolean } = {}): boolean {
  if (options.reduceTile === true) return false;
  return directForm(p) !== null || ineligible(p, options.mathLibrary === true) === null;
}

/**
 * The Wasm binary of one module holding `kernels` (each {@link directEligible}), their
 * entries exported under their names. Kernels that call the math library import its
 * functions from `nbmath` (math-imports.ts), each once, before the module's own functions;
 * the integer powers they use are functions of the module, after the kernels' entries.
 *
 * @throws Error when a kernel is not eligible.
 * @example
 * ```ts
 * const k = compileKernel((x, y) => x * y + 1, 'f8(f8,f8)', { kind: 'scalar', prefix: 'v0_' });
 * const bytes = emitDirectWasm([k]);
 * new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.v0_row;
 * ```
 */
export function emitDirectWasm(kernels: readonly DirectKernel[]): Uint8Array<ArrayBuffer> {
  const forms = kernels.map((k) => directForm(k.ir));
  const imports: WasmImport[] = [];
  const importAt = new Map<string, number>();
  const math = (m: MathImport): number => {
    if (!importAt.has(m.name)) {
      importAt.set(m.name, imports.length);
      imports.push({ module: MATH_MODULE, name: m.name, params: m.params.map(valType), results: [valType(m.result)] });
    }
    return importAt.get(m.name)!;
  };
  // The imports come first in the function index space: collect them before any index is used.
  kernels.forEach((k, i) => {
    if (forms[i] !== null) return;
    const why = ineligible(k.ir, true);
    if (why !== null) throw new Error(`emitDirectWasm: a kernel outside the direct subset (${why})`);
    if ((k.ir.tables?.length ?? 0) > 0 && k.tableBase === undefined) throw new Error('emitDirectWasm: a kernel with constant tables needs their address (tableBase)');
    for (const f of programFunctions(k.ir)) forEachExpr(f.body, (e) => { const m = libraryCall(e); if (m !== null) math(m); });
  });
  const first = imports.length + 3 * kernels.length; // the integer powers' indices
  const powers: DType[] = [];
  const callees: Callees = {
    math: (m) => importAt.get(m.name)!,
    ipow: (t) => { if (!powers.includes(t)) powers.push(t); return first + powers.indexOf(t); },
  };
  // A kernel with bounds checks exports the prelude's globals (arrays.ts), as asc's module
  // does; one with scratch arrays the arena's after them, and `__nb_arena` (scratch.ts).
  const checks = kernels.some((k) => (k.ir.bounds?.length ?? 0) > 0);
  const arena = kernels.some((k) => hasScratch(k.ir.main));
  const globals = [...(checks ? BOUNDS_GLOBALS : []), ...(arena ? scratchGlobals() : [])];
  const arenaAt = checks ? BOUNDS_GLOBALS.length : 0;
  const functions: WasmFunction[] = [];
  kernels.forEach((k, i) => {
    const d = forms[i]!;
    const row = imports.length + functions.length;
    // (a gufunc's operands are its parameters; its entries take the core block last)
    const gufunc = k.ir.kind === 'gufunc';
    const nops = k.ir.main.params.length + (gufunc ? 0 : 1);
    functions.push(
      gufunc ? gufuncRowFunction(k.ir, k.entries.row, callees, arenaAt, k.tableBase ?? null)
        : d === null ? scalarRowFunction(k.ir, k.entries.row, callees, k.tableBase ?? null) : rowFunction(d.ir, d.lane, k.entries.row),
      dimsFunction(nops, row, row + 1, gufunc), loopFunction(nops, row, row + 1, k.entries.loop, gufunc),
    );
  });
  for (const t of powers) {
    const code = new Code();
    functions.push({ ...ipowFunction(t, code), code });
  }
  if (arena) functions.push(arenaFunction(arenaAt));
  return encodeModule(functions, { min: 0, max: 65536, shared: true }, imports, globals);
}
