/**
 * Typed IR function → AssemblyScript function text. Only spelling: every type decision and
 * conversion is already explicit in the IR.
 *
 * Steps:
 *   1. the signature: scalar parameters as their AS types; array parameters (gufunc
 *      kernels) as a base pointer plus one byte stride per declared dim
 *      (`a: usize, __a_s0: usize, ...`), then the core sizes `__n0: i32, ...`;
 *   2. statements one to one (let/assign/store/if/for/while/break/continue/return);
 *      a non-void function that may fall off its end gets `unreachable()`;
 *   3. expressions: operators on equal operand types, casts as `<T>x` except the ones with
 *      NumPy semantics AS does not have (float → int via `__f2i_*`, x → bool as `x != 0`;
 *      JavaScript's ToInt32, the IR's `toint32`, via `__toi32`),
 *      intrinsics through ir/intrinsics.ts, integer division/remainder/power through the
 *      prelude (prelude.ts), loads/stores as `load<T>(base + <usize>i * stride ...)`
 *      (bool elements are bytes, read as `!= 0`), or through the pointer that
 *      ir/passes/pointer-walk.ts assigned them (`load<T>(__w0)`), the loops that declare
 *      those pointers starting and advancing them with their counters; an index with a
 *      bounds-check site (ir/passes/bounds-check.ts) through the prelude's `__bc`; a
 *      constant table's element as `load<T>(__t<k>_<name> + (<usize>i << log2(size)))`
 *      from its static data ({@link tableData}).
 */
import { printStructured } from '../structured.js';
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS } from '../../ir/intrinsics.js';
import { helperCallArgs } from '../helper-args.js';
import { arrayInfo, coreOf, type ArrayRef, type ConstValue, type Expr, type IndexChecks, type IRFunction, type IRProgram, type Stmt, type TableConst, type WalkedAccess } from '../../ir/nodes.js';
import { axisSize } from '../../ir/passes/bounds-check.js';
import { allocates } from '../../ir/passes/scratch.js';
import { DTYPES } from '../../../dtype/dtypes.js';

/** The arena mark a function that allocates scratch arrays restores on its way out. */
const MARK = '__mark';
import { asType, bitsOf, is64, isBool, isFloatType, isIntType } from '../../ir/types.js';

type T = Expr<DType>;

/** Names the function is emitted with and calls (module prefix applied). */
export interface AsNames {
  /** Prefix of every top-level name of this kernel (`''`, or `'k3_'` in linked modules). */
  readonly prefix: string;
}

/** Stride parameter name of array parameter `name`, dim k. */
export const strideName = (param: string, k: number): string => `__${param}_s${k}`;
/** Size parameter name of core dim d. */
export const sizeName = (d: number): string => `__n${d}`;
/** The host's allocator for `ndim`-d jit allocations (ir/nodes.ts AllocStmt): `(site, sizes as f64...) → address`. */
export const allocImport = (prefix: string, ndim: number): string => `${prefix}jit_alloc${ndim}`;

/**
 * The AS declaration of {@link allocImport} for `ndim` (a module declares one per rank it allocates).
 *
 * @example
 * ```ts
 * allocImportDecl('j_', 2); // '@external("env", "j_jit_alloc2") declare function j_jit_alloc2(site: i32, n0: f64, n1: f64): usize;' (with a ts-ignore line)
 * ```
 */
export function allocImportDecl(prefix: string, ndim: number): string {
  const name = allocImport(prefix, ndim);
  const sizes = Array.from({ length: ndim }, (_, k) => `, n${k}: f64`).join('');
  return `// @ts-ignore: decorator\n@external("env", "${name}")\ndeclare function ${name}(site: i32${sizes}): usize;`;
}

/** Length variable of scratch array `name` (an i32). */
export const scratchLength = (name: string): string => `__${name}_n`;
/** log2 of an element size (scratch addresses are `base + (i << shift)`). */
const SHIFT: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 };
/** Bytes of an element, by AS type. */
export const ELEMENT_BYTES: Readonly<Record<string, number>> = { bool: 1, i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, i64: 8, u64: 8, f32: 4, f64: 8 };

/**
 * The AS declaration of a table's data (a constant table, ir/nodes.ts TableConst): its
 * bytes (little-endian, Wasm's order) in a static data segment, 16-byte aligned. The bytes
 * are in the source, so the compile-cache key covers the contents.
 *
 * @example
 * ```ts
 * tableData('', { name: 'lut', emitName: '__t0_lut', dtype: 'int32', values: new Int32Array([1, 2]) });
 * // 'const __t0_lut: usize = memory.data<u8>([0x01,0x00,0x00,0x00,0x02,0x00,0x00,0x00], 16); // lut: int32[2]'
 * ```
 */
export function tableData(prefix: string, t: TableConst): string {
  const v = t.values as ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  const bytes = [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)].map((b) => `0x${b.toString(16).padStart(2, '0')}`);
  // An empty table still has an address (every index into it fails its bounds check).
  const list = bytes.length === 0 ? '0x00' : bytes.join(',');
  return `const ${prefix}${t.emitName}: usize = memory.data<u8>([${list}], 16); // ${t.name}: ${t.dtype}[${t.values.length}]`;
}

/** Name of pointer-walk pointer `id` (ir/passes/pointer-walk.ts). */
const walkName = (id: number): string => `__w${id}`;

/** An f64 literal that AS reads as f64 (`2.0`, `1e+21`, `NaN`, `-0.0`). */
function f64Literal(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A constant of type t. */
export function asConst(value: ConstValue, t: DType): string {
  if (isBool(t)) return value ? 'true' : 'false';
  if (t === 'float64') {
    const s = f64Literal(Number(value));
    return s.startsWith('-') ? `(${s})` : s;
  }
  if (t === 'float32') return `<f32>(${f64Literal(Number(value))})`;
  const v = BigInt(value as number | bigint);
  if (t === 'int32' && v === -(2n ** 31n)) return 'i32.MIN_VALUE';
  if (t === 'int64' && v === -(2n ** 63n)) return 'i64.MIN_VALUE';
  const lit = v < 0n ? `(${v})` : String(v);
  return t === 'int32' ? lit : `<${asType(t)}>${lit}`;
}

/** The exact wrap of an i32 value to an 8/16-bit type (mask, or sign extension by shifts). */
const SMALL_WRAP: Partial<Record<DType, (a: string) => string>> = {
  uint8: (a) => `(${a}) & 0xFF`,
  uint16: (a) => `(${a}) & 0xFFFF`,
  int8: (a) => `((${a}) << 24) >> 24`,
  int16: (a) => `((${a}) << 16) >> 16`,
};

/** Spell a cast from `from` to `to`. */
export function asCast(from: DType, to: DType, a: string): string {
  if (from === to) return a;
  if (isBool(to)) return `(${a} != ${asConst(0, from)})`;
  if (isBool(from)) return `<${asType(to)}><i32>${a}`;
  if (isFloatType(from) && isIntType(to)) return `__f2i_${asType(to)}(${from === 'float32' ? `<f64>${a}` : a})`;
  // 32-bit → 8/16-bit: wrap explicitly. asc wraps small integers lazily, by a flow analysis
  // that is wrong for some operands: it takes `<u8>(v << 26)` as wrapped (a count >= 24
  // "clears the garbage bits") although bits 8..31 then hold v's low bits (fuzzer finding).
  if ((from === 'int32' || from === 'uint32') && SMALL_WRAP[to]) return `<${asType(to)}>(${SMALL_WRAP[to]!(a)})`;
  return `<${asType(to)}>(${a})`;
}

/** Emit AS for the functions of one program. */
export class AsFunctionEmitter {
  /** Loop marks of the arena handed out so far (`__m0`, ...). */
  private marks = 0;
  /** A loop mark the next printed block (the loop's body) starts by restoring. */
  private resetNext: string | null = null;
  constructor(
    private readonly program: IRProgram,
    private readonly names: AsNames,
  ) {}

  private helperName(index: number): string {
    return this.names.prefix + this.program.helpers[index]!.name;
  }

  /** The emitted name of a function of the program. */
  fnName(fn: IRFunction<DType>): string {
    return this.names.prefix + fn.name;
  }

  /** The parameter list of a function. */
  params(fn: IRFunction<DType>): string {
    const out: string[] = [];
    for (const p of fn.params) {
      if (p.literal) continue;
      if (p.array) {
        out.push(`${p.emitName}: usize`);
        for (let k = 0; k < p.array.ndim; k++) out.push(`${strideName(p.emitName, k)}: usize`);
      } else out.push(`${p.emitName}: ${asType(p.scalar!)}`);
    }
    const core = fn === this.program.main ? this.program.core : fn.core;
    if (core) core.dims.forEach((_, d) => out.push(`${sizeName(d)}: i32`));
    return out.join(', ');
  }

  /** A whole function definition. */
  function(fn: IRFunction<DType>, decorators: readonly string[] = []): string {
    const ret = fn.returns === 'void' ? 'void' : asType(fn.returns);
    const lines: string[] = [];
    for (const d of decorators) lines.push('// @ts-ignore: decorator', d);
    lines.push(`function ${this.fnName(fn)}(${this.params(fn)}): ${ret} {`);
    // Scratch arrays: the arena's bump pointer is restored on every way out (each return,
    // and the end), so a call allocates nothing that outlives it (prelude.ts `__nb_arena`).
    const arena = allocates(fn.body);
    if (arena) lines.push(`  const ${MARK}: usize = __nb_arena_sp;`);
    this.stmts(fn, fn.body, '  ', lines);
    const last = fn.body[fn.body.length - 1];
    if (arena && last?.kind !== 'return') lines.push(`  __nb_arena_sp = ${MARK};`);
    if (fn.returns !== 'void' && last?.kind !== 'return') lines.push('  unreachable();');
    lines.push('}');
    return lines.join('\n');
  }

  /**
   * The address of an element: through its walked pointer when the pointer-walk pass gave it
   * one. An index with a bounds-check site (passes/bounds-check.ts) goes through the
   * prelude's `__bc` (`__bcz`, which adds 0, next to a walked pointer): an index outside
   * [0, size) records the site and traps before the address is used.
   */
  private address(fn: IRFunction<DType>, access: { array: ArrayRef; indices: readonly T[]; walk?: WalkedAccess; checks?: IndexChecks }): string {
    if (access.array.kind === 'scratch') {
      // A scratch array: its base pointer plus the index times the element size.
      const a = fn.scratch![access.array.id]!;
      const site = access.checks?.[0];
      const i = access.indices[0]!;
      const shift = SHIFT[DTYPES[a.dtype].itemSize]!;
      const idx = site == null ? `<usize>(${this.expr(fn, i)})` : `<usize>(${this.checked(fn, access.array, 0, i, site, false)})`;
      return shift === 0 ? `${a.emitName} + ${idx}` : `${a.emitName} + (${idx} << ${shift})`;
    }
    if (access.array.kind === 'table') {
      // A table's data segment (emit-module.ts's tableData), its elements packed.
      const t = this.program.tables![access.array.table]!;
      const i = access.indices[0]!;
      const site = access.checks?.[0];
      const v = site == null ? this.expr(fn, i) : this.checked(fn, access.array, 0, i, site, false);
      return `${this.names.prefix}${t.emitName} + (<usize>(${v}) << ${Math.log2(ELEMENT_BYTES[asType(t.dtype)]!)})`;
    }
    const p = fn.params[access.array.index]!;
    const w = access.walk;
    if (w) {
      const at = w.offset === 0 ? walkName(w.id) : `${walkName(w.id)} + ${w.offset} * ${strideName(p.emitName, 0)}`;
      const site = access.checks?.[0];
      return site == null ? at : `${at} + ${this.checked(fn, access.array, 0, access.indices[0]!, site, true)}`;
    }
    return [p.emitName, ...access.indices.map((i, k) => {
      const site = access.checks?.[k];
      return `<usize>(${site == null ? this.expr(fn, i) : this.checked(fn, access.array, k, i, site, false)}) * ${strideName(p.emitName, k)}`;
    })].join(' + ');
  }

  /** A checked index: `__bc(i, size, site)` (the index) or, with `zero`, `__bcz(...)` (0 as usize). */
  private checked(fn: IRFunction<DType>, array: ArrayRef, axis: number, i: T, site: number, zero: boolean): string {
    const size = axisSize(coreOf(this.program, fn), array, axis, this.program.tables);
    const n = 'size' in size ? String(size.size) : 'dim' in size ? sizeName(size.dim) : scratchLength(fn.scratch![size.scratch]!.emitName);
    const v = this.expr(fn, i);
    if (is64(i.type)) return `${zero ? '__bcz64' : '__bc64'}(${v}, ${n}, ${site})`;
    return `${zero ? '__bcz' : '__bc'}(${i.type === 'int32' ? v : `<i32>(${v})`}, ${n}, ${site})`;
  }

  /**
   * An expression whose AS type does not depend on its context. asc types a bare literal
   * (`1`, `2.0`) and a ternary from the contextual type: inside `<i64>(1 + x)` the `1` is an
   * i64 and the addition is done in i64 (found by the fuzzer: `1 + x` on int32 returned as
   * int64 did not wrap; `<i8>(1 << <i32>x)` failed with AS200). Operands that set the type of
   * an operation (left operands, unary/call/select operands) are printed with their IR type.
   */
  operand(fn: IRFunction<DType>, e: T): string {
    const s = this.expr(fn, e);
    if ((e.kind === 'const' && (e.type === 'int32' || e.type === 'float64')) || e.kind === 'select') return `<${asType(e.type)}>${s}`;
    return s;
  }

  expr(fn: IRFunction<DType>, e: T): string {
    const x = (a: T) => this.expr(fn, a);
    const o = (a: T) => this.operand(fn, a);
    switch (e.kind) {
      case 'const': return asConst(e.value, e.type);
      case 'param': return fn.params[e.index]!.emitName;
      case 'local': return fn.locals[e.id]!.emitName;
      case 'unary':
        switch (e.op) {
          case 'neg': return `(-${o(e.arg)})`;
          case 'pos': return o(e.arg);
          case 'not': return `(!${x(e.arg)})`;
          case 'bitnot': return `(~${o(e.arg)})`;
          case 'truthy':
            return isFloatType(e.arg.type) ? `__truthy_${asType(e.arg.type)}(${x(e.arg)})` : `(${x(e.arg)} != ${asConst(0, e.arg.type)})`;
          case 'toint32': return `__toi32(${e.arg.type === 'float32' ? `<f64>${x(e.arg)}` : x(e.arg)})`;
        }
        break;
      case 'binary': {
        const a = o(e.left);
        // A constant shift count is printed modulo the width (Wasm's and JavaScript's
        // meaning): asc's flow analysis reads `<i8>(x << 38)` as wrapped (a count >= 24
        // clears an i8's garbage bits) although Wasm shifts by 38 mod 32 = 6 (fuzzer finding).
        const shift = e.op === 'shl' || e.op === 'shr' || e.op === 'ushr';
        const b = shift && e.right.kind === 'const'
          ? asConst(BigInt.asUintN(64, BigInt(e.right.value as number | bigint)) % BigInt(bitsOf(e.type)), e.right.type)
          : x(e.right);
        const t = asType(e.type);
        const f = isFloatType(e.type);
        switch (e.op) {
          case 'add': return `(${a} + ${b})`;
          case 'sub': return `(${a} - ${b})`;
          case 'mul': return `(${a} * ${b})`;
          case 'div': return `(${a} / ${b})`;
          case 'mod': return f ? `(${a} % ${b})` : `__imod<${t}>(${a}, ${b})`;
          case 'pow': return f ? INTRINSICS.get('pow')!.as({ t: e.type, r: e.type }, [a, b]) : `__ipow<${t}>(${a}, ${b})`;
          case 'floordiv': return `__floordiv<${t}>(${a}, ${b})`;
          case 'truncdiv': return `__truncdiv<${t}>(${a}, ${b})`;
          // asc's flow analysis takes `a & b` of i8/i16 as wrapped when ONE operand is, which
          // is false for a sign-extended negative operand (-1 & -512 keeps -512's garbage
          // bits): AND the operands as (wrapped) i32s and narrow the result.
          case 'band': return e.type === 'int8' || e.type === 'int16' ? `<${t}>(<i32>${a} & <i32>${o(e.right)})` : `(${a} & ${b})`;
          case 'bor': return `(${a} | ${b})`;
          case 'bxor': return `(${a} ^ ${b})`;
          case 'shl': return `(${a} << ${b})`;
          case 'shr': return `(${a} >> ${b})`;
          case 'ushr': return `(${a} >>> ${b})`;
        }
        break;
      }
      case 'compare': {
        const op = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' }[e.op];
        // The left operand is parenthesised: asc reads `x < (y | 1)` as the start of type
        // arguments `x<...>` and fails to parse (found by the fuzzer, test/fuzz).
        return `((${o(e.left)}) ${op} ${x(e.right)})`;
      }
      case 'logical': return `(${x(e.left)} ${e.op === 'and' ? '&&' : '||'} ${x(e.right)})`;
      // Branches are parenthesised: asc parses `c ? <i32>(x) : (y | 1)` as a generic arrow
      // function `<i32>(x): (y | 1) => ...` and fails (fuzzer finding).
      case 'select': return `(${x(e.cond)} ? (${o(e.then)}) : (${o(e.else)}))`;
      case 'cast': return asCast(e.arg.type, e.type, x(e.arg));
      case 'call': return INTRINSICS.get(e.fn)!.as({ t: e.args[0]!.type, r: e.type }, e.args.map(o));
      case 'helper': return `${this.helperName(e.index)}(${helperCallArgs(this.program, fn, e, x, strideName).join(', ')})`;
      case 'load': {
        const addr = this.address(fn, e);
        return isBool(e.type) ? `(load<u8>(${addr}) != 0)` : `load<${asType(e.type)}>(${addr})`;
      }
      case 'length': {
        const size = axisSize(coreOf(this.program, fn), e.array, e.axis, this.program.tables);
        return 'size' in size ? String(size.size) : 'dim' in size ? sizeName(size.dim) : scratchLength(fn.scratch![size.scratch]!.emitName);
      }
    }
    throw new Error(`unreachable: ${(e as T).kind}`);
  }

  private simple(fn: IRFunction<DType>, s: Stmt<DType>): string {
    switch (s.kind) {
      case 'let': {
        const l = fn.locals[s.local]!;
        return `let ${l.emitName}: ${asType(l.type)} = ${this.expr(fn, s.init)}`;
      }
      case 'assign': {
        const name = s.place.kind === 'local' ? fn.locals[s.place.id]!.emitName : fn.params[s.place.index]!.emitName;
        return `${name} = ${this.expr(fn, s.value)}`;
      }
      default: throw new Error(`not a simple statement: ${s.kind}`);
    }
  }

  /**
   * A jit allocation (ir/nodes.ts AllocStmt): the host's allocator checks the sizes and
   * returns the block; the array parameter's address, sizes and C strides are set from them,
   * and `full` stores its value in every element.
   */
  private alloc(fn: IRFunction<DType>, s: Extract<Stmt<DType>, { kind: 'alloc' }>, ind: string, out: string[]): void {
    if (s.array.kind !== 'param') throw new Error('internal: a jit allocation makes an array parameter');
    const q = fn.params[s.array.index]!;
    const a = q.array!;
    const item = DTYPES[a.dtype].itemSize;
    const dims = coreOf(this.program, fn)!.operands[s.array.index]!;
    const v = (k: number) => `__al${s.site}_${k}`;
    out.push(`${ind}{`);
    s.shape.forEach((e, k) => out.push(`${ind}  const ${v(k)}: f64 = ${this.expr(fn, e)};`));
    out.push(`${ind}  ${q.emitName} = ${allocImport(this.names.prefix, s.shape.length)}(${[s.site, ...s.shape.map((_, k) => v(k))].join(', ')});`);
    dims.forEach((d, k) => out.push(`${ind}  ${sizeName(d)} = <i32>${v(k)};`));
    let stride = `<usize>${item}`;
    for (let k = dims.length - 1; k >= 0; k--) {
      out.push(`${ind}  ${strideName(q.emitName, k)} = ${stride};`);
      stride = `${strideName(q.emitName, k)} * <usize>${sizeName(dims[k]!)}`;
    }
    if (s.value !== null) {
      // (stride is now the byte count)
      const t = isBool(a.dtype) ? 'u8' : asType(a.dtype);
      out.push(`${ind}  const __al${s.site}_v: ${t} = ${isBool(a.dtype) ? `<u8>(${this.expr(fn, s.value)})` : this.expr(fn, s.value)};`);
      out.push(`${ind}  for (let __al${s.site}_p: usize = ${q.emitName}, __al${s.site}_e: usize = ${q.emitName} + ${dims.length === 0 ? `<usize>${item}` : stride}; __al${s.site}_p < __al${s.site}_e; __al${s.site}_p += ${item}) store<${t}>(__al${s.site}_p, __al${s.site}_v);`);
    }
    out.push(`${ind}}`);
  }

  stmts(fn: IRFunction<DType>, stmts: readonly Stmt<DType>[], ind: string, out: string[]): void {
    const shared = { expr: (e: T) => this.expr(fn, e), block: (b: readonly Stmt<DType>[], i: string) => this.stmts(fn, b, i, out) };
    const arena = fn.scratch !== undefined && allocates(fn.body);
    if (this.resetNext !== null) {
      out.push(`${ind}__nb_arena_sp = ${this.resetNext};`);
      this.resetNext = null;
    }
    for (const s of stmts) {
      if (arena && s.kind === 'return') out.push(`${ind}__nb_arena_sp = ${MARK};`);
      // A loop that allocates: each pass starts with the arena as it was before the loop
      // (the previous pass's scratch arrays are out of scope), so memory stays bounded.
      if (arena && (s.kind === 'while' || s.kind === 'for') && allocates(s.body)) {
        const m = `__m${this.marks++}`;
        out.push(`${ind}const ${m}: usize = __nb_arena_sp;`);
        this.resetNext = m;
      }
      if (printStructured(s, ind, out, shared)) continue;
      switch (s.kind) {
        case 'let': case 'assign': out.push(`${ind}${this.simple(fn, s)};`); break;
        case 'scratch': {
          // The length is checked against the arena (a negative one, or one past what is
          // left, records the site and traps), then the array is carved out and zero-filled.
          const a = fn.scratch![s.id]!;
          const shift = SHIFT[DTYPES[a.dtype].itemSize]!;
          const t = s.length.type;
          const v = this.expr(fn, s.length);
          const n64 = t === 'int64' ? v : t === 'uint64' ? `<i64>min<u64>(${v}, <u64>i64.MAX_VALUE)` : `<i64>(${v})`;
          out.push(`${ind}let ${scratchLength(a.emitName)}: i32 = __nb_scratch_len(${n64}, ${shift}, ${s.site ?? 0});`);
          out.push(`${ind}let ${a.emitName}: usize = __nb_scratch_alloc(${scratchLength(a.emitName)}, ${shift});`);
          break;
        }
        case 'alloc': this.alloc(fn, s, ind, out); break;
        case 'store': {
          const t = arrayInfo(fn, s.array).dtype;
          const addr = this.address(fn, s);
          const v = this.expr(fn, s.value);
          out.push(isBool(t) ? `${ind}store<u8>(${addr}, <u8>${v});` : `${ind}store<${asType(t)}>(${addr}, ${v});`);
          break;
        }
        case 'for': {
          // A declaration list (`let a: i32 = 0, b: f64 = 1.0`) or a comma list of assignments.
          const lets = s.init.filter((x) => x.kind === 'let');
          let init = lets.length === s.init.length && lets.length > 0
            ? `let ${lets.map((l) => this.simple(fn, l).slice(4)).join(', ')}`
            : s.init.map((x) => this.simple(fn, x)).join(', ');
          let update = s.update.map((x) => this.simple(fn, x)).join(', ');
          // Pointer walks (ir/passes/pointer-walk.ts) start with the counter: in the for's
          // declaration list, or (no init) in a block around the loop.
          const walks = (s.walks ?? []).map((w) => {
            if (w.array.kind !== 'param') throw new Error('internal: pointer walks walk array parameters only');
            const base = fn.params[w.array.index]!.emitName;
            const stride = strideName(base, 0);
            const start = `${base} + <usize>(${fn.locals[w.counter]!.emitName}) * ${stride}`;
            return { name: walkName(w.id), start, step: w.step === 1 ? stride : `${w.step} * ${stride}` };
          });
          const outer = walks.length > 0 && s.init.length === 0;
          if (outer) out.push(`${ind}{`, ...walks.map((w) => `${ind}  let ${w.name}: usize = ${w.start};`));
          for (const w of walks) {
            if (!outer) init += `, ${w.name}: usize = ${w.start}`;
            update += `, ${w.name} = ${w.name} + ${w.step}`;
          }
          const li = outer ? `${ind}  ` : ind;
          out.push(`${li}for (${init}; ${s.cond ? this.expr(fn, s.cond) : ''}; ${update}) {`);
          this.stmts(fn, s.body, `${li}  `, out);
          out.push(`${li}}`);
          if (outer) out.push(`${ind}}`);
          break;
        }
        default: break;
      }
    }
  }
}
