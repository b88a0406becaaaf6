/**
 * Typed IR → WGSL functions (the 'gpu' target). Like the AS emitter it only spells: every
 * type decision and cast is already explicit in the IR (ir/infer.ts), Math functions are
 * spelled by the intrinsics table (ir/intrinsics.ts), and what WGSL does not have the
 * kernel language's way is a call into the prelude (prelude.ts).
 *
 * Types: bool, int32 (i32), uint32 (u32), float32 (f32). The program has passed
 * `validateTarget(program, 'gpu')` (ir/passes/validate-target.ts), which reports any other
 * type (a float64 intermediate such as `int32 / int32`, an int64) as a KernelError NB6001
 * at the construct that makes it; the printer meets none.
 *
 * Names: WGSL reserves identifiers starting with `__` and has many keywords, so parameters
 * are spelled `p_<name>`, locals `v_<name>`, helpers `h_<name>`, core sizes `n_<d>`.
 * Scalar parameters are immutable in WGSL; a kernel that assigns one gets a `var` copy.
 *
 * Arrays (gufunc kernels): element `a[i][j]` of array parameter k is
 * `b<k>[o_<name> + i * s_<name>_0 + j * s_<name>_1]`, where b<k> is the module-scope
 * storage binding of operand k and o/s are the operand's element offset and strides (i32
 * function parameters). Bool elements are stored as u32 0/1 on the device.
 *
 * Constant tables (options.constants' typed arrays, ir/nodes.ts TableConst): element `t[i]`
 * of table k is `nbt<k>[i]`, a read-only storage binding the shader declares after the
 * operands, the meta buffer and the error flag (src/gpu/shaders.ts); the gpu target uploads
 * each table once per compiled kernel (src/gpu/dispatch.ts). Their dtypes are 32-bit
 * (validateTarget: a Float64Array table is NB6001, pass a Float32Array).
 *
 * Bounds checks (ir/passes/bounds-check.ts): a checked index of a load is `nb_bc_i32(i, n,
 * site)` (i when in range; else it records the failure in the `nberr` binding the shader
 * declares (src/gpu/shaders.ts) and reads element 0 instead); inside a `select` value, which
 * WGSL evaluates even when not taken, `nb_bcg_i32(..., taken)` records only when taken; a
 * store with a checked index runs only when `nb_ok_i32(i, n, site)` holds for each, so
 * nothing is written outside.
 */
import { printStructured } from '../structured.js';
import type { DType } from '../../../dtype/dtypes.js';
import { INTRINSICS, type WgslHelperCall } from '../../ir/intrinsics.js';
import { arrayInfo, forEachExpr, forEachStmt, type ArrayRef, type ConstValue, type Expr, type IndexChecks, type IRFunction, type IRProgram, type Stmt } from '../../ir/nodes.js';
import { axisSize } from '../../ir/passes/bounds-check.js';
import { isBool, isFloatType } from '../../ir/types.js';

type T = Expr<DType>;

/** The WGSL type of a dtype, or null when WGSL has none. */
export function wgslType(t: DType): 'bool' | 'i32' | 'u32' | 'f32' | null {
  switch (t) {
    case 'bool': return 'bool';
    case 'int32': return 'i32';
    case 'uint32': return 'u32';
    case 'float32': return 'f32';
    default: return null;
  }
}

/** The WGSL name of scratch array `id` of `fn` (`w_<name>`: p_, v_, s_, o_, n_ are taken). */
const scratchName = (fn: IRFunction<DType>, id: number): string => `w_${fn.scratch![id]!.emitName}`;

/** The length of scratch array `id`: a constant on the gpu target (validateTarget's NB6002). */
function scratchLength(fn: IRFunction<DType>, id: number): number {
  let n: number | undefined;
  forEachStmt(fn.body, (s) => { if (s.kind === 'scratch' && s.id === id && s.length.kind === 'const') n = Number(s.length.value); });
  if (n === undefined) throw new Error(`WGSL emitter: scratch array ${id} has no constant length; validateTarget(program, 'gpu') must run before emission`);
  return n;
}

/** The WGSL type of a dtype validateTarget has let through. */
function wgslTypeOf(t: DType): 'bool' | 'i32' | 'u32' | 'f32' {
  const w = wgslType(t);
  if (w === null) throw new Error(`WGSL emitter: a ${t} value; validateTarget(program, 'gpu') must run before emission`);
  return w;
}

/** The WGSL name of the storage binding of constant table `k` (src/gpu/shaders.ts declares it). */
export const wgslTableName = (k: number): string => `nbt${k}`;

/**
 * The tables a program reads (by number, ascending): the ones its shaders declare and its
 * calls bind. A table read only through `t.length` (a constant) is not among them.
 *
 * @example
 * ```ts
 * tablesRead(k.ir); // [0]
 * ```
 */
export function tablesRead(program: IRProgram): number[] {
  const used = new Set<number>();
  for (const fn of [program.main, ...program.helpers]) forEachExpr(fn.body, (e) => { if (e.kind === 'load' && e.array.kind === 'table') used.add(e.array.table); });
  return [...used].sort((a, b) => a - b);
}

/**
 * The declarations of the storage bindings of the tables a program reads, numbered from
 * `first` in {@link tablesRead}'s order (the order the gpu target binds their buffers).
 *
 * @example
 * ```ts
 * tableBindings(k.ir, 3); // ['@group(0) @binding(3) var<storage, read> nbt0: array<f32>;']
 * ```
 */
export function tableBindings(program: IRProgram, first: number): string[] {
  return tablesRead(program).map((t, j) => {
    const dtype = program.tables![t]!.dtype;
    return `@group(0) @binding(${first + j}) var<storage, read> ${wgslTableName(t)}: array<${wgslStorageType(dtype) ?? dtype}>; // ${program.tables![t]!.name}`;
  });
}

/** The WGSL storage element type of an array dtype (bool is a u32 0/1). */
export function wgslStorageType(t: DType): 'i32' | 'u32' | 'f32' | null {
  const w = wgslType(t);
  return w === 'bool' ? 'u32' : w;
}

/**
 * A float32 literal. NaN and infinities go through their bits at run time
 * (`nb_f32bits`, prelude.ts): WGSL has no such literals, and `bitcast<f32>(0x7fc00000u)`
 * is a const-expression that shader creation rejects ("value nan cannot be represented").
 */
function f32Literal(x: number): string {
  if (Number.isNaN(x)) return 'nb_f32bits(0x7fc00000u)';
  if (x === Infinity) return 'nb_f32bits(0x7f800000u)';
  if (x === -Infinity) return 'nb_f32bits(0xff800000u)';
  // Through the bits: a shader compiler may fold the constant -0.0f to +0 (lavapipe did).
  if (Object.is(x, -0)) return 'nb_f32bits(0x80000000u)';
  const v = Math.fround(x);
  if (v !== 0 && Math.abs(v) < 1.1754943508222875e-38) {
    // A subnormal: spelled by its bits at run time, as WGSL const-eval may flush a literal.
    const b = new Uint32Array(new Float32Array([v]).buffer)[0]!;
    return `nb_f32bits(0x${b.toString(16)}u)`;
  }
  let s = String(v);
  if (!/[.eE]/.test(s)) s += '.0';
  return v < 0 ? `(${s}f)` : `${s}f`;
}

/** A constant of type t. */
export function wgslConst(value: ConstValue, t: DType): string {
  if (isBool(t)) return value ? 'true' : 'false';
  if (t === 'float32') return f32Literal(Number(value));
  const v = Number(value);
  if (t === 'int32') return v === -2147483648 ? 'bitcast<i32>(0x80000000u)' : v < 0 ? `(${v}i)` : `${v}i`;
  return `${v >>> 0}u`;
}

/** Emit WGSL for the functions of one program. */
export class WgslFunctionEmitter {
  /** Prelude helpers the emitted code calls (collected while emitting). */
  readonly used = new Set<string>();
  /** Inside a `select` value: when that value is the one taken (null: always). */
  private guard: string | null = null;

  constructor(
    private readonly program: IRProgram,
    /** Binding variable of array parameter k of the main kernel (`b0`, ...). */
    private readonly binding: (param: number) => string = (k) => `b${k}`,
  ) {}

  private paramName(fn: IRFunction<DType>, k: number): string {
    return `p_${fn.params[k]!.emitName}`;
  }

  private localName(fn: IRFunction<DType>, id: number): string {
    return `v_${fn.locals[id]!.emitName}`;
  }

  /** Names of the scalar parameters a function assigns (they get a var copy). */
  private assignedParams(fn: IRFunction<DType>): Set<number> {
    const s = new Set<number>();
    const walk = (b: readonly Stmt<DType>[]) => {
      for (const x of b) {
        if (x.kind === 'assign' && x.place.kind === 'param') s.add(x.place.index);
        if (x.kind === 'if') { walk(x.then); walk(x.else); }
        if (x.kind === 'for') { walk(x.init); walk(x.update); walk(x.body); }
        if (x.kind === 'while') walk(x.body);
      }
    };
    walk(fn.body);
    return s;
  }

  /** A whole function definition. */
  function(fn: IRFunction<DType>): string {
    const assigned = this.assignedParams(fn);
    const params: string[] = [];
    const copies: string[] = [];
    fn.params.forEach((p, k) => {
      if (p.literal) return;
      const name = this.paramName(fn, k);
      if (p.array) {
        params.push(`o_${p.emitName}: i32`);
        for (let d = 0; d < p.array.ndim; d++) params.push(`s_${p.emitName}_${d}: i32`);
        return;
      }
      const t = wgslTypeOf(p.scalar!);
      if (assigned.has(k)) {
        params.push(`a_${p.emitName}: ${t}`);
        copies.push(`  var ${name}: ${t} = a_${p.emitName};`);
      } else params.push(`${name}: ${t}`);
    });
    if (fn === this.program.main && this.program.core) this.program.core.dims.forEach((_, d) => params.push(`n_${d}: i32`));
    const ret = fn.returns === 'void' ? '' : ` -> ${wgslTypeOf(fn.returns)}`;
    const lines = [`fn ${this.fnName(fn)}(${params.join(', ')})${ret} {`, ...copies];
    this.stmts(fn, fn.body, '  ', lines);
    const last = fn.body[fn.body.length - 1];
    // WGSL wants every path of a non-void function to end in return; the IR has checked
    // that the kernel's do (NB3001), so this one is never reached.
    if (fn.returns !== 'void' && last?.kind !== 'return') lines.push(`  return ${wgslConst(0, fn.returns)};`);
    lines.push('}');
    return lines.join('\n');
  }

  /** The WGSL name of a function of the program. */
  fnName(fn: IRFunction<DType>): string {
    return fn === this.program.main ? 'kernel' : `h_${fn.name}`;
  }

  /** The element of an access; a load's index with a bounds-check site goes through `nb_bc_*` (prelude.ts). */
  private element(fn: IRFunction<DType>, array: ArrayRef, indices: readonly T[], checks?: IndexChecks): string {
    if (array.kind === 'scratch') {
      // A scratch array: a function-scope private array, indexed directly.
      const i = indices[0]!;
      const site = checks?.[0];
      const t = wgslTypeOf(i.type);
      const v = site == null ? this.expr(fn, i)
        : this.guard === null ? this.call(`nb_bc_${t}`, [this.expr(fn, i), this.size(fn, array, 0), `${site}u`])
        : this.call(`nb_bcg_${t}`, [this.expr(fn, i), this.size(fn, array, 0), `${site}u`, this.guard]);
      return `${scratchName(fn, array.id)}[${v}]`;
    }
    // Offsets and strides are i32: an unchecked uint32 index (any integer type may index) is
    // converted; the checks return an i32.
    const index = (i: T, d: number): string => {
      const site = checks?.[d];
      const t = wgslTypeOf(i.type);
      return site == null ? (t === 'u32' ? `i32(${this.expr(fn, i)})` : this.expr(fn, i))
        : this.guard === null ? this.call(`nb_bc_${t}`, [this.expr(fn, i), this.size(fn, array, d), `${site}u`])
        : this.call(`nb_bcg_${t}`, [this.expr(fn, i), this.size(fn, array, d), `${site}u`, this.guard]);
    };
    // A constant table: its read-only storage binding (src/gpu/shaders.ts declares it).
    if (array.kind === 'table') return `${wgslTableName(array.table)}[${index(indices[0]!, 0)}]`;
    const p = fn.params[array.index]!;
    const terms = indices.map((i, d) => `${index(i, d)} * s_${p.emitName}_${d}`);
    return `${this.binding(array.index)}[${[`o_${p.emitName}`, ...terms].join(' + ')}]`;
  }

  /** The size of axis `axis` of array `array` (an i32). */
  private size(fn: IRFunction<DType>, array: ArrayRef, axis: number): string {
    const size = axisSize(this.program.core, array, axis, this.program.tables);
    return 'size' in size ? `${size.size}i` : 'dim' in size ? `n_${size.dim}` : `${scratchLength(fn, size.scratch)}i`;
  }

  /** A call of prelude helper `name`, which the shader then includes. */
  private readonly call: WgslHelperCall = (name, args) => {
    this.used.add(name);
    return `${name}(${args.join(', ')})`;
  };

  expr(fn: IRFunction<DType>, e: T): string {
    const x = (a: T) => this.expr(fn, a);
    switch (e.kind) {
      case 'const': {
        const c = wgslConst(e.value, e.type);
        if (c.startsWith('nb_f32bits(')) this.used.add('nb_f32bits');
        return c;
      }
      case 'param': return this.paramName(fn, e.index);
      case 'local': return this.localName(fn, e.id);
      case 'unary':
        switch (e.op) {
          case 'neg': return e.type === 'uint32' ? `(0u - ${x(e.arg)})` : `(-${x(e.arg)})`;
          case 'pos': return x(e.arg);
          case 'not': return `(!${x(e.arg)})`;
          case 'bitnot': return `(~${x(e.arg)})`;
          case 'truthy':
            if (isFloatType(e.arg.type)) return this.call('nb_truthy', [x(e.arg)]);
            return isBool(e.arg.type) ? x(e.arg) : `(${x(e.arg)} != ${wgslConst(0, e.arg.type)})`;
          case 'toint32': return this.call('nb_toi32', [x(e.arg)]);
        }
        break;
      case 'binary': return this.binary(fn, e);
      case 'compare': {
        const op = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' }[e.op];
        // NaN != x is true in JavaScript; lavapipe's compiler gives false: test the bits too.
        if (e.op === 'ne' && isFloatType(e.operand)) {
          const l = x(e.left);
          const r = x(e.right);
          return `(${l} != ${r} || ${this.call('nb_isnan', [l])} || ${this.call('nb_isnan', [r])})`;
        }
        return `(${x(e.left)} ${op} ${x(e.right)})`;
      }
      case 'logical': return `(${x(e.left)} ${e.op === 'and' ? '&&' : '||'} ${x(e.right)})`;
      case 'select': {
        // WGSL's select evaluates both values: a checked load in a branch JavaScript would
        // not take must not report (`guard`: when the branch is the one taken).
        const c = x(e.cond);
        const outer = this.guard;
        const both = (g: string) => (outer === null ? g : `(${outer} && ${g})`);
        this.guard = both(c);
        const t = x(e.then);
        this.guard = both(`!${c}`);
        const f = x(e.else);
        this.guard = outer;
        return `select(${f}, ${t}, ${c})`;
      }
      case 'cast': return this.cast(fn, e.arg, e.type);
      case 'call': return INTRINSICS.get(e.fn)!.wgsl!({ t: e.args[0]!.type, r: e.type }, e.args.map(x), this.call);
      case 'helper': return `h_${this.program.helpers[e.index]!.name}(${e.args.map(x).join(', ')})`;
      case 'load': {
        const v = this.element(fn, e.array, e.indices, e.checks);
        return isBool(e.type) ? `(${v} != 0u)` : v;
      }
      case 'length': return this.size(fn, e.array, e.axis);
    }
    throw new Error(`unreachable: ${(e as T).kind}`);
  }

  private binary(fn: IRFunction<DType>, e: Extract<T, { kind: 'binary' }>): string {
    const a = this.expr(fn, e.left);
    const b = this.expr(fn, e.right);
    const t = e.type;
    const f = isFloatType(t);
    const it = t === 'uint32' ? 'u32' : 'i32';
    switch (e.op) {
      case 'add': return isBool(t) ? `(${a} || ${b})` : `(${a} + ${b})`;
      case 'sub': return `(${a} - ${b})`;
      case 'mul': return isBool(t) ? `(${a} && ${b})` : `(${a} * ${b})`;
      case 'div': return `(${a} / ${b})`;
      case 'mod': return f ? this.call('nb_fmodf', [a, b]) : this.call(`nb_mod_${it}`, [a, b]);
      case 'pow': return f ? INTRINSICS.get('pow')!.wgsl!({ t, r: t }, [a, b], this.call) : this.call(`nb_ipow_${it}`, [a, b]);
      case 'floordiv': return this.call(`nb_floordiv_${it}`, [a, b]);
      case 'truncdiv': return this.call(`nb_truncdiv_${it}`, [a, b]);
      case 'band': return isBool(t) ? `(${a} && ${b})` : `(${a} & ${b})`;
      case 'bor': return isBool(t) ? `(${a} || ${b})` : `(${a} | ${b})`;
      case 'bxor': return isBool(t) ? `(${a} != ${b})` : `(${a} ^ ${b})`;
      // WGSL takes the shift count as u32 and uses its low 5 bits, as JavaScript does.
      case 'shl': return `(${a} << (u32(${b}) & 31u))`;
      case 'shr': case 'ushr': return `(${a} >> (u32(${b}) & 31u))`;
    }
  }

  /** A conversion from e's type to `to` (NumPy's unsafe cast). */
  private cast(fn: IRFunction<DType>, arg: T, to: DType): string {
    const from = arg.type;
    const a = this.expr(fn, arg);
    if (from === to) return a;
    // float -> bool from the bits: NaN is true, ±0 false (a shader compiler may fold NaN != 0 to false).
    if (isBool(to)) return isFloatType(from) ? `((bitcast<u32>(${a}) & 0x7fffffffu) != 0u)` : `(${a} != ${wgslConst(0, from)})`;
    if (isBool(from)) return `select(${wgslConst(0, to)}, ${wgslConst(1, to)}, ${a})`;
    if (from === 'float32') return to === 'int32' ? this.call('nb_f2i', [a]) : this.call('nb_f2u', [a]);
    // i32 <-> u32 reinterpret the bits (a wrap); integer -> f32 rounds.
    return `${wgslTypeOf(to)}(${a})`;
  }

  private simple(fn: IRFunction<DType>, s: Stmt<DType>): string {
    if (s.kind === 'let') {
      const l = fn.locals[s.local]!;
      return `var ${this.localName(fn, s.local)}: ${wgslTypeOf(l.type)} = ${this.expr(fn, s.init)}`;
    }
    if (s.kind === 'assign') {
      const name = s.place.kind === 'local' ? this.localName(fn, s.place.id) : this.paramName(fn, s.place.index);
      return `${name} = ${this.expr(fn, s.value)}`;
    }
    throw new Error(`not a simple statement: ${s.kind}`);
  }

  stmts(fn: IRFunction<DType>, stmts: readonly Stmt<DType>[], ind: string, out: string[]): void {
    const shared = { expr: (e: T) => this.expr(fn, e), block: (b: readonly Stmt<DType>[], i: string) => this.stmts(fn, b, i, out) };
    for (const s of stmts) {
      if (s.kind === 'while' && s.doWhile) {
        // WGSL has no do/while: a loop whose continuing block tests the condition (where
        // `continue` goes too, as in JavaScript).
        out.push(`${ind}loop {`);
        this.stmts(fn, s.body, `${ind}  `, out);
        out.push(`${ind}  continuing {`, `${ind}    break if !(${this.expr(fn, s.cond)});`, `${ind}  }`, `${ind}}`);
        continue;
      }
      if (printStructured(s, ind, out, shared)) continue;
      switch (s.kind) {
        case 'let': case 'assign': out.push(`${ind}${this.simple(fn, s)};`); break;
        case 'scratch': {
          // A private array, zero-filled by WGSL each time the declaration runs (as
          // JavaScript's new Float64Array(n)); WGSL has no empty array, so 0 takes 1.
          const a = fn.scratch![s.id]!;
          out.push(`${ind}var ${scratchName(fn, s.id)}: array<${wgslTypeOf(a.dtype)}, ${Math.max(1, scratchLength(fn, s.id))}>;`);
          break;
        }
        case 'store': {
          const t = arrayInfo(fn, s.array).dtype;
          const v = this.expr(fn, s.value);
          const ref = this.element(fn, s.array, s.indices);
          const assign = `${ref} = ${isBool(t) ? `select(0u, 1u, ${v})` : v};`;
          // Checked indices: the store happens only when every one is in range (a failing
          // check sets the error flag the call reads back, and nothing is written).
          const checks = s.checks;
          const ok = checks === undefined ? [] : s.indices.flatMap((i, d) => {
            const site = checks[d];
            return site == null ? [] : [this.call(`nb_ok_${wgslTypeOf(i.type)}`, [this.expr(fn, i), this.size(fn, s.array, d), `${site}u`])];
          });
          out.push(ok.length === 0 ? `${ind}${assign}` : `${ind}if (${ok.join(' && ')}) { ${assign} }`);
          break;
        }
        case 'for': {
          // WGSL's for takes one init and one update statement: a loop with a continuing
          // block keeps JavaScript's meaning (continue runs the update) for any number.
          out.push(`${ind}{`);
          for (const i of s.init) out.push(`${ind}  ${this.simple(fn, i)};`);
          out.push(`${ind}  loop {`);
          if (s.cond) out.push(`${ind}    if (!${this.expr(fn, s.cond)}) { break; }`);
          this.stmts(fn, s.body, `${ind}    `, out);
          if (s.update.length) {
            out.push(`${ind}    continuing {`);
            for (const u of s.update) out.push(`${ind}      ${this.simple(fn, u)};`);
            out.push(`${ind}    }`);
          }
          out.push(`${ind}  }`);
          out.push(`${ind}}`);
          break;
        }
        default: break;
      }
    }
  }
}

/**
 * The WGSL functions of a program: prelude helpers, then the helper kernels, then `kernel`.
 * Array parameters of the main kernel read and write the bindings `binding(k)`. The program
 * has passed `validateTarget(program, 'gpu')`.
 *
 * @example
 * ```ts
 * const k = compileKernel((x: number) => Math.hypot(x, 1), 'f4(f4)', { kind: 'scalar', target: 'gpu' });
 * validateTarget(k.ir, 'gpu');
 * emitWgslFunctions(k.ir); // "fn nb_hypotf(...) ... fn kernel(p_x: f32) -> f32 { ... }"
 * ```
 */
export function emitWgslFunctions(program: IRProgram, binding?: (param: number) => string): { source: string; used: ReadonlySet<string> } {
  const em = new WgslFunctionEmitter(program, binding);
  const fns = [...program.helpers.map((h) => em.function(h)), em.function(program.main)];
  return { source: fns.join('\n\n'), used: em.used };
}
