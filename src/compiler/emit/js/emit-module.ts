/**
 * Typed IR → JavaScript: the reference emitter (the oracle of the differential tests, and a
 * fallback). Same structure as the AS module, on TypedArrays with element strides.
 *
 * Steps:
 *   1. each function (helpers, then the kernel) is spelled with emit/js/spell.ts, the one
 *      definition of every operation's meaning; array parameters become (data, offset,
 *      element strides...) and core sizes `__n<d>`; an index with a bounds-check site
 *      (ir/passes/bounds-check.ts) goes through `rt.bc`, which throws the site's BoundsTrap;
 *      a constant table is a typed array the source declares first (`tableDecl`);
 *   2. entries are appended: for scalar kernels `row(n, d0, o0, s0, ..., dK, oK, sK)` and
 *      `loop(shape, operands)`; for gufunc kernels `loop(shape, operands, coreSizes)`, where
 *      an operand's strides are its loop-dim strides followed by its core-dim strides; jit
 *      functions (src/compiler/jit.ts) have none: `kernel` is called directly;
 *   3. the source is wrapped as the body of `new Function('rt', source)` returning
 *      `{ kernel, row, loop }`; `rt` is emit/js/runtime.ts.
 * Values: booleans for bool, numbers up to 32 bits and floats, bigints for 64-bit integers;
 * bool elements are bytes (read `!== 0`, written 1/0).
 */
import { printStructured } from '../structured.js';
import { DTYPES, type AnyTypedArray, type DType } from '../../../dtype/dtypes.js';
import { helperCallArgs } from '../helper-args.js';
import { PRANGE_BLOCKS, type PrangeReduction } from '../../jit-prange.js';
import { arrayInfo, coreOf, type ArrayRef, type ForStmt, type Expr, type IndexChecks, type IRFunction, type IRProgram, type Stmt, type TableConst } from '../../ir/nodes.js';
import { axisSize } from '../../ir/passes/bounds-check.js';
import { is64, isBool } from '../../ir/types.js';
import { JS_RUNTIME } from './runtime.js';
import { spellBinary, spellCall, spellCast, spellCompare, spellConst, spellLogical, spellSelect, spellUnary } from './spell.js';

type T = Expr<DType>;

/** One operand of a JS loop: a TypedArray, the element offset, element strides per dim. */
export interface JsOperand {
  readonly data: AnyTypedArray;
  readonly offset: number;
  /** Loop-dim strides, then (gufunc kernels) the operand's core-dim strides. */
  readonly strides: readonly number[];
}

/** What the JS source evaluates to. */
export interface JsKernelModule {
  /** The scalar kernel (scalar kernels: JS values of the input dtypes → the output dtype's value). */
  readonly kernel: (...args: unknown[]) => unknown;
  /** Run the kernel over an N-d iteration (all operands share `shape`; inputs first, then outputs). */
  readonly loop: (shape: readonly number[], operands: readonly JsOperand[], coreSizes?: readonly number[]) => void;
  /**
   * jit functions (absent for other kernels): the allocator their allocations (ir/nodes.ts
   * AllocStmt) call from now on (src/jit/alloc-host.ts records heap arrays with it); `null`
   * restores the default, plain TypedArrays (`rt.jitAlloc`).
   */
  readonly setAllocator?: (allocate: JsJitAllocator | null) => void;
}

/**
 * What a jit allocation in the JS reference calls: site (the allocation's index), dtype,
 * the sizes as numbers (checked by the allocator, as nb.empty checks them) and the fill
 * (`full` asks for 'empty' and fills itself) → the elements, C order, offset 0.
 */
export type JsJitAllocator = (site: number, dtype: DType, shape: readonly number[], fill: 'empty' | 'zeros' | 'ones') => AnyTypedArray;

/** The JS names of array parameter `p`'s element stride along axis k and its element offset. */
export const strideName = (p: string, k: number) => `__${p}_s${k}`;
export const offsetName = (p: string) => `__${p}_o`;

/**
 * The JS spelling of a program's functions (a stencil's JS tier, emit/js/stencil.ts,
 * overrides how its accessors' loads are spelled).
 *
 * @example
 * ```ts
 * const text = new JsEmitter(program).function(program.main);
 * ```
 */
export class JsEmitter {
  /** `prange`: a 'parallel' jit program's outermost prange loops (jit-prange.ts prangeLoops), run as the Wasm tier's blocks. */
  constructor(private readonly p: IRProgram, private readonly prange?: ReadonlyMap<ForStmt<DType>, readonly PrangeReduction[]>) {}

  params(fn: IRFunction<DType>): string {
    const out: string[] = [];
    for (const q of fn.params) {
      if (q.literal) continue;
      if (q.array) {
        out.push(q.emitName, offsetName(q.emitName));
        for (let k = 0; k < q.array.ndim; k++) out.push(strideName(q.emitName, k));
      } else out.push(q.emitName);
    }
    const core = fn === this.p.main ? this.p.core : fn.core;
    if (core) core.dims.forEach((_, d) => out.push(`__n${d}`));
    return out.join(', ');
  }

  /** An element of an array: `a[offset]`; an index with a bounds-check site goes through `rt.bc`. */
  private element(fn: IRFunction<DType>, array: ArrayRef, indices: readonly T[], checks: IndexChecks | undefined): string {
    if (array.kind === 'scratch') {
      // A scratch array is a TypedArray of its own (rt.scratch): indexed directly.
      const name = fn.scratch![array.id]!.emitName;
      const i = indices[0]!;
      const site = checks?.[0];
      const v = this.expr(fn, i);
      const at = site == null ? (is64(i.type) ? `Number(${v})` : v) : `rt.${is64(i.type) ? 'bc64' : 'bc'}(${v}, ${name}.length, ${site})`;
      return `${name}[${at}]`;
    }
    const index = (i: T, k: number): string => {
      const site = checks?.[k];
      const v = this.expr(fn, i);
      if (site == null) return is64(i.type) ? `Number(${v})` : v;
      const size = axisSize(coreOf(this.p, fn), array, k, this.p.tables);
      return `rt.${is64(i.type) ? 'bc64' : 'bc'}(${v}, ${'size' in size ? size.size : 'dim' in size ? `__n${size.dim}` : 0}, ${site})`;
    };
    // A constant table: the typed array the module declares (tableDecl).
    if (array.kind === 'table') return `${this.p.tables![array.table]!.emitName}[${index(indices[0]!, 0)}]`;
    const q = fn.params[array.index]!;
    const terms = indices.map((i, k) => `${index(i, k)} * ${strideName(q.emitName, k)}`);
    return `${q.emitName}[${[offsetName(q.emitName), ...terms].join(' + ')}]`;
  }

  expr(fn: IRFunction<DType>, e: T): string {
    const x = (a: T) => this.expr(fn, a);
    switch (e.kind) {
      case 'const': return spellConst(e.value, e.type);
      case 'param': return fn.params[e.index]!.emitName;
      case 'local': return fn.locals[e.id]!.emitName;
      case 'unary': return spellUnary(e.op, e.type, e.arg.type, x(e.arg));
      case 'binary': return spellBinary(e.op, e.type, x(e.left), x(e.right));
      case 'compare': return spellCompare(e.op, x(e.left), x(e.right));
      case 'logical': return spellLogical(e.op, x(e.left), x(e.right));
      case 'select': return spellSelect(x(e.cond), x(e.then), x(e.else));
      case 'cast': return spellCast(e.arg.type, e.type, x(e.arg));
      case 'call': return spellCall(e.fn, e.args[0]!.type, e.type, e.args.map(x));
      case 'helper': return `${this.p.helpers[e.index]!.name}(${helperCallArgs(this.p, fn, e, x, strideName, offsetName).join(', ')})`;
      case 'load': {
        const v = this.element(fn, e.array, e.indices, e.checks);
        return isBool(e.type) ? `(${v} !== 0)` : v;
      }
      case 'length': {
        if (e.array.kind === 'scratch') return `${fn.scratch![e.array.id]!.emitName}.length`;
        const size = axisSize(coreOf(this.p, fn), e.array, e.axis, this.p.tables);
        return 'size' in size ? String(size.size) : 'dim' in size ? `__n${size.dim}` : '0';
      }
    }
  }

  private simple(fn: IRFunction<DType>, s: Stmt<DType>): string {
    if (s.kind === 'let') return `${fn.locals[s.local]!.emitName} = ${this.expr(fn, s.init)}`;
    if (s.kind === 'assign') {
      const name = s.place.kind === 'local' ? fn.locals[s.place.id]!.emitName : fn.params[s.place.index]!.emitName;
      return `${name} = ${this.expr(fn, s.value)}`;
    }
    throw new Error(`not a simple statement: ${s.kind}`);
  }

  /**
   * A jit allocation (ir/nodes.ts AllocStmt): the module's allocator (`__nb_alloc`, see
   * {@link JsKernelModule.setAllocator}) checks the sizes and returns the elements (a
   * TypedArray, zero/one-filled as asked); the array parameter's data, offset, sizes and C
   * strides are set from them, and `full` fills in its value.
   */
  private alloc(fn: IRFunction<DType>, s: Extract<Stmt<DType>, { kind: 'alloc' }>, ind: string, out: string[]): void {
    if (s.array.kind !== 'param') throw new Error('internal: a jit allocation makes an array parameter');
    const q = fn.params[s.array.index]!;
    const a = q.array!;
    const dims = coreOf(this.p, fn)!.operands[s.array.index]!;
    const v = (k: number) => `__al${s.site}_${k}`;
    out.push(`${ind}{`);
    s.shape.forEach((e, k) => out.push(`${ind}  const ${v(k)} = ${this.expr(fn, e)};`));
    out.push(`${ind}  ${q.emitName} = __nb_alloc(${s.site}, '${a.dtype}', [${s.shape.map((_, k) => v(k)).join(', ')}], '${s.fill === 'full' ? 'empty' : s.fill}');`);
    out.push(`${ind}  ${offsetName(q.emitName)} = 0;`);
    dims.forEach((d, k) => out.push(`${ind}  __n${d} = ${v(k)};`));
    let stride = '1';
    for (let k = dims.length - 1; k >= 0; k--) {
      out.push(`${ind}  ${strideName(q.emitName, k)} = ${stride};`);
      stride = `${strideName(q.emitName, k)} * __n${dims[k]!}`;
    }
    if (s.value !== null) {
      const x = this.expr(fn, s.value);
      out.push(`${ind}  ${q.emitName}.fill(${isBool(a.dtype) ? `(${x} ? 1 : 0)` : x});`);
    }
    out.push(`${ind}}`);
  }

  stmts(fn: IRFunction<DType>, stmts: readonly Stmt<DType>[], ind: string, out: string[]): void {
    const shared = { expr: (e: T) => this.expr(fn, e), block: (b: readonly Stmt<DType>[], i: string) => this.stmts(fn, b, i, out) };
    for (const s of stmts) {
      if (printStructured(s, ind, out, shared)) continue;
      switch (s.kind) {
        case 'let': out.push(`${ind}let ${this.simple(fn, s)};`); break;
        case 'assign': out.push(`${ind}${this.simple(fn, s)};`); break;
        case 'scratch': {
          // JavaScript's own `new Float64Array(n)` (rt.scratch: a negative n is the site's ScratchTrap).
          const a = fn.scratch![s.id]!;
          out.push(`${ind}const ${a.emitName} = rt.scratch(${DTYPES[a.dtype].TypedArray.name}, ${this.expr(fn, s.length)}, ${s.site ?? 0});`);
          break;
        }
        case 'alloc': this.alloc(fn, s, ind, out); break;
        case 'store': {
          const t = arrayInfo(fn, s.array).dtype;
          const v = this.expr(fn, s.value);
          out.push(`${ind}${this.element(fn, s.array, s.indices, s.checks)} = ${isBool(t) ? `(${v} ? 1 : 0)` : v};`);
          break;
        }
        case 'for': {
          const reductions = fn === this.p.main ? this.prange?.get(s) : undefined;
          if (reductions !== undefined) {
            this.prangeBlocks(fn, s, reductions, ind, out);
            break;
          }
          const lets = s.init.filter((x) => x.kind === 'let');
          const init = lets.length === s.init.length && lets.length > 0
            ? `let ${lets.map((l) => this.simple(fn, l)).join(', ')}`
            : s.init.map((x) => this.simple(fn, x)).join(', ');
          out.push(`${ind}for (${init}; ${s.cond ? this.expr(fn, s.cond) : ''}; ${s.update.map((x) => this.simple(fn, x)).join(', ')}) {`);
          this.stmts(fn, s.body, `${ind}  `, out);
          out.push(`${ind}}`);
          break;
        }
        default: break;
      }
    }
  }

  /**
   * A prange loop as the Wasm tier's blocks, in order (jit-prange.ts): the same iterations
   * and the same reduction order, so float reductions give the same bits.
   */
  private prangeBlocks(fn: IRFunction<DType>, s: ForStmt<DType>, reductions: readonly PrangeReduction[], ind: string, out: string[]): void {
    const init = s.init[0] as Extract<Stmt<DType>, { kind: 'let' }>;
    const stop = (s.cond as Extract<T, { kind: 'compare' }>).right;
    const counter = fn.locals[init.local]!;
    const num = (e: T) => (is64(e.type) ? `Number(${this.expr(fn, e)})` : this.expr(fn, e));
    const bound = (j: string) => (is64(counter.type) ? `BigInt(__nb_s + Math.floor(__nb_c * ${j} / __nb_b))` : `__nb_s + Math.floor(__nb_c * ${j} / __nb_b)`);
    const locals = [...fn.locals];
    const saved = reductions.map((r) => {
      const l = fn.locals[r.id]!;
      locals.push({ ...l, id: locals.length, name: `${l.name}'`, emitName: `__nb_p_${l.emitName}`, isConst: true });
      return locals[locals.length - 1]!;
    });
    const view: IRFunction<DType> = { ...fn, locals };
    const [i1, i2] = [`${ind}  `, `${ind}    `];
    out.push(`${ind}{ // prange loop: the Wasm tier's blocks, in order, on this thread`);
    out.push(`${i1}const __nb_s = ${num(init.init)}, __nb_c = ${num(stop)} - __nb_s, __nb_b = Math.min(__nb_c, ${PRANGE_BLOCKS});`);
    out.push(`${i1}for (let __nb_j = 0; __nb_j < __nb_b; __nb_j++) {`);
    reductions.forEach((r, j) => {
      const l = fn.locals[r.id]!;
      out.push(`${i2}const ${saved[j]!.emitName} = ${l.emitName}; ${l.emitName} = ${spellConst(r.identity, l.type)};`);
    });
    const c = counter.emitName;
    out.push(`${i2}for (let ${c} = ${bound('__nb_j')}, __nb_hi = ${bound('(__nb_j + 1)')}; ${c} < __nb_hi; ${s.update.map((x) => this.simple(fn, x)).join(', ')}) {`);
    this.stmts(fn, s.body, `${i2}  `, out);
    out.push(`${i2}}`);
    reductions.forEach((r, j) => {
      const l = fn.locals[r.id]!;
      const local = (x: typeof l): T => ({ kind: 'local', id: x.id, type: x.type, at: x.at });
      out.push(`${i2}${l.emitName} = ${this.expr(view, r.combine(local(saved[j]!), local(l)))};`);
    });
    out.push(`${i1}}`);
    out.push(`${ind}}`);
  }

  function(fn: IRFunction<DType>): string {
    const lines = [`function ${fn.name}(${this.params(fn)}) {`];
    this.stmts(fn, fn.body, '  ', lines);
    lines.push('}');
    return lines.join('\n');
  }
}

/** A JS number as source text that reads back as the same value (`-0`, `NaN`, `Infinity`). */
const numberText = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

/**
 * A constant table's declaration: a typed array of its dtype holding its values, so the
 * source is self-contained (`const __t0_lut = new Float64Array([0.5, 1]);`).
 *
 * @example
 * ```ts
 * const lines = (program.tables ?? []).map(tableDecl);
 * ```
 */
export function tableDecl(t: TableConst): string {
  const ctor = TYPED_ARRAY[t.dtype]!;
  const values = Array.from(t.values as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? `${v}n` : numberText(v)));
  return `const ${t.emitName} = new ${ctor}([${values.join(', ')}]); // ${t.name}`;
}

const TYPED_ARRAY: Partial<Record<DType, string>> = {
  float64: 'Float64Array', float32: 'Float32Array', int8: 'Int8Array', int16: 'Int16Array', int32: 'Int32Array',
  uint8: 'Uint8Array', uint16: 'Uint16Array', uint32: 'Uint32Array', int64: 'BigInt64Array', uint64: 'BigUint64Array',
};

/** Advance an N-d odometer over `shape` and call `body(offsets)` per element (JS source). */
const ODOMETER = `
function __walk(shape, ops, body) {
  const nd = shape.length;
  for (let d = 0; d < nd; d++) if (shape[d] <= 0) return;
  const idx = new Array(nd).fill(0);
  const off = ops.map((o) => o.offset);
  for (;;) {
    body(off);
    let d = nd - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < ops.length; k++) off[k] += ops[k].strides[d];
      if (idx[d] < shape[d]) break;
      for (let k = 0; k < ops.length; k++) off[k] -= ops[k].strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}`;

/**
 * Emit the JS source of a program (the body of `new Function('rt', source)`); `prange`: a
 * 'parallel' jit program's prange loops, run as the Wasm tier's blocks (jit-prange.ts).
 *
 * @example
 * ```ts
 * const mod = instantiateJs(emitJs(program)); mod.kernel(1.5);
 * ```
 */
export function emitJs(p: IRProgram, prange?: ReadonlyMap<ForStmt<DType>, readonly PrangeReduction[]>): string {
  const em = new JsEmitter(p, prange);
  const fn = p.main;
  // (jit functions: the allocator their allocations call, see setAllocator)
  const parts = ['"use strict";', ...(p.kind === 'jit' ? ['let __nb_alloc = rt.jitAlloc;'] : []), ...(p.tables ?? []).map(tableDecl), ...p.helpers.map((h) => em.function(h)), em.function(fn), ODOMETER.trim()];
  if (p.kind === 'scalar') {
    const ins = fn.params.map((q) => q.scalar!);
    const out = fn.returns as DType;
    const read = (t: DType, k: number) => (isBool(t) ? `(ops[${k}].data[o[${k}]] !== 0)` : `ops[${k}].data[o[${k}]]`);
    const call = `${fn.name}(${ins.map((t, k) => read(t, k)).join(', ')})`;
    const K = ins.length;
    parts.push([
      'function loop(shape, ops) {',
      `  __walk(shape, ops, (o) => { const v = ${call}; ops[${K}].data[o[${K}]] = ${isBool(out) ? 'v ? 1 : 0' : 'v'}; });`,
      '}',
    ].join('\n'));
  } else if (p.kind === 'jit') {
    // nb.jit: the function itself is the entry (`kernel`); src/jit calls it with its arrays'
    // (data, offset, element strides...) and scalars, then the sizes of every array axis.
    parts.push('function loop() {\n  throw new Error("a jit function has no loop entry: call kernel");\n}');
  } else {
    const core = p.core!;
    const args: string[] = [];
    fn.params.forEach((q, k) => {
      const dims = core.operands[k]!;
      if (q.array) {
        args.push(`ops[${k}].data`, `o[${k}]`);
        for (let j = 0; j < q.array.ndim; j++) args.push(dims.length === q.array.ndim ? `ops[${k}].strides[nd + ${j}]` : '0');
      } else args.push(isBool(q.scalar!) ? `(ops[${k}].data[o[${k}]] !== 0)` : `ops[${k}].data[o[${k}]]`);
    });
    core.dims.forEach((_, d) => args.push(`coreSizes[${d}]`));
    parts.push([
      'function loop(shape, ops, coreSizes) {',
      '  const nd = shape.length;',
      `  __walk(shape, ops, (o) => { ${fn.name}(${args.join(', ')}); });`,
      '}',
    ].join('\n'));
  }
  parts.push(p.kind === 'jit' ? `return { kernel: ${fn.name}, loop, setAllocator: (f) => { __nb_alloc = f ?? rt.jitAlloc; } };` : `return { kernel: ${fn.name}, loop };`);
  return parts.join('\n\n') + '\n';
}

/** Evaluate emitted JS source. */
export function instantiateJs(source: string): JsKernelModule {
  return new Function('rt', source)(JS_RUNTIME) as JsKernelModule;
}
