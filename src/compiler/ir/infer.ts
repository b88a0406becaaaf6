/**
 * Type inference: untyped IR + a signature → typed IR with explicit casts (run once per
 * signature; emitters only spell what this decides).
 *
 * Steps:
 *   1. parameters take the signature's types (scalars, or arrays with their core dims);
 *   2. local types are found by a fixpoint: every `let` and assignment contributes the type
 *      of its value, and a local's type is the join (NumPy promotion) of its contributions,
 *      re-typed until nothing changes (types only widen, so this ends);
 *   3. the body is typed once more with the final local types, producing the typed IR;
 *   4. helper calls are typed by specialising the helper on its argument types (one typed
 *      function per distinct argument-type tuple; recursion is rejected).
 *
 * The kernel language's arithmetic (DESIGN.md: "a kernel means what it means in JavaScript,
 * evaluated with the signature's types"):
 *   - Literals are weak (NEP 50) and their kind follows the source text (Numba's rule): `1.0`,
 *     `.5`, `1e3` are weak floats, `1` a weak int (ir/weak.ts). `x + 1` has x's type,
 *     `x + 1.0` is float64 for an integer x. With + - * and bitwise operators a
 *     weak integer takes the other operand's type, wrapped (exactly JavaScript's result
 *     wrapped to the width); in exact operations (comparisons, /, %, ?:, min/max) a literal
 *     that does not fit widens the type value-based (`uint8 < 300` compares in uint16).
 *     A weak float with an integer operand gives float64; with float32, float32.
 *     Literal-only expressions are folded with JavaScript's meaning (`1 << 40` is 256).
 *   - Typed operands promote as NumPy does (int32 + uint32 → int64, int64 + uint64 →
 *     float64, int16 + float32 → float32, int32 + float32 → float64).
 *   - Integer + - * and unary minus wrap at the type's width (int8 127 + 1 is -128; int64
 *     and uint64 are exact 64-bit). bool operands of arithmetic are int32 (true + true = 2).
 *   - `/` is true division: float32 when it computes in float32, otherwise float64
 *     (integers are converted exactly first, as JavaScript does for int32).
 *   - `Math.floor(a / b)` and `Math.trunc(a / b)` with integer operands compile to integer
 *     floor / truncating division in the operands' promoted type (exact beyond 2^53,
 *     wrapping int8 -128 / -1 to -128 as NumPy does); division by zero gives 0.
 *   - `%` keeps JavaScript's sign (the dividend's); integer `% 0` gives 0 (NumPy's integer
 *     remainder; JavaScript would give NaN, which no integer holds). Float `%` is fmod.
 *   - `**` / Math.pow: integers power by squaring with wrapping; a negative exponent gives
 *     trunc(1 / x^|e|) (1, ±1 for x = -1, else 0; 0 ** -1 is 0). A weak exponent keeps the
 *     base's type (`x ** 2`); a negative or fractional literal exponent makes it float64.
 *   - Bitwise & | ^ ~ compute at the type's width (bool & bool is bool). Shifts on types up
 *     to 32 bits are JavaScript's int32 shifts (count mod 32), then wrapped to the type; on
 *     64-bit types the count is taken mod 64. `>>>` gives the unsigned value of the bit
 *     pattern: uint32 for types up to 32 bits (JavaScript's result), uint64 for 64-bit.
 *   - Comparisons give bool. `&&`/`||` need bool operands, except in conditions, where any
 *     value is read with JavaScript's truthiness (0, -0 and NaN are false).
 *   - Math functions: see ir/intrinsics.ts (floats: float32 stays float32; integer
 *     arguments compute in float64; Math.round is JavaScript's halves-up).
 *   - Casts (to a local, an output, an array element, a return) are NumPy's unsafe casts
 *     (src/dtype/convert-scalar.ts): a float into an integer truncates toward zero
 *     (-7 / 2 → -3), NaN/±inf/out-of-range give x86's values; integers wrap.
 * Locals:
 *   - a local's type is the join of everything assigned to it: `let s = 0; s += a[i]` is
 *     float64 for a float64 `a`, int64 for int8 `a` (Numba's rule: a literal-initialised
 *     local is int64 (`let s = 0`) or float64 (`let f = 1.0`), widening with what is
 *     assigned later, so `let f = 1.0; f *= i` stays float64 as in JavaScript); later assignments
 *     are cast to that type (never lossy: the type already holds them);
 *   - `const k = <literal expression>` is an alias of the weak literal (`x * k` keeps x's type);
 *   - a counting loop `for (let i = 0; i < n; i++)` whose bound is int32 (`a.length`) and
 *     whose counter is assigned nowhere else gets an int32 counter (it cannot overflow);
 *   - scratch arrays (`const buf = new Float64Array(n)`): n is any integer expression; a
 *     store converts as JavaScript's TypedArray store does (see scratchStore: ints wrap, a
 *     float into an integer element is ToInt32 then wraps), and the gpu target's Float64Array
 *     holds float32 (its literal locals are 32-bit too);
 *   - scalar parameters may be reassigned with a value of the same kind (NumPy same_kind
 *     cast); a float into an integer parameter is NB2005.
 */
import { canCast } from '../../dtype/casting.js';
import { DTYPES, type DType } from '../../dtype/dtypes.js';
import { kernelError, type DiagnosticCode } from '../frontend/diagnostics.js';
import { as, cast, condition, expr, typeOf, typed, type ExprInfer, type TV } from './infer-expr.js';
import { findCounters, type Counter } from './loop-counters.js';
import { forEachStmt, helperKey, paramIndex, type ArrayRef, type CoreInfo, type Expr, type HelperArrayArg, type IRFunction, type Local, type Param, type Stmt, type TableConst } from './nodes.js';
import { fitsInt, is64, isFloatType, isIntType, promote } from './types.js';
import { defaultType, exactType, setNarrowDefaults, weakNumber, type Weak } from './weak.js';

type U = Expr<null>;
type T = Expr<DType>;

/** The signature's type of one parameter. */
export interface ParamSpec {
  readonly scalar?: DType;
  readonly array?: NonNullable<Param['array']>;
  /** A helper parameter bound to a literal argument (read as the weak literal). */
  readonly literal?: Weak;
}

/** What to infer: the kernel, its parameter types and output, and the helpers it may call. */
export interface InferRequest {
  /** 'jit': nb.jit functions (src/compiler/jit.ts): arrays in, a scalar (returns 'infer' or a dtype) or nothing ('void') out. */
  readonly kind: 'scalar' | 'gufunc' | 'jit';
  readonly main: IRFunction<null>;
  readonly params: readonly ParamSpec[];
  /** The output dtype of a scalar kernel ('infer': the join of its returns, as helpers); 'void' for gufunc kernels. */
  readonly returns: DType | 'void' | 'infer';
  /** Lowered helpers by name. */
  readonly helpers: ReadonlyMap<string, IRFunction<null>>;
  /**
   * The gpu target's 32-bit locals (WGSL has no f64/i64): a literal-initialised local is
   * int32 / float32 instead of int64 / float64, and `let s = 0; s += f32` stays float32.
   */
  readonly narrowLocals?: boolean;
  /** The constant tables the kernel and helpers read (their `table` references index it). */
  readonly tables?: readonly TableConst[];
}

/** Set for the duration of one inferProgram call (inference is synchronous). */
let narrow = false;

/** The type a local initialised with literal w starts with. */
function localDefault(w: Weak): DType {
  if (narrow) {
    if (w.wk === 'float') return 'float32';
    if (fitsInt(w.value, 'int32')) return 'int32';
  }
  return defaultType(w);
}

/** A scratch array's element dtype: the gpu target's float32 for a Float64Array (as its locals). */
const scratchType = (t: DType): DType => (narrow && t === 'float64' ? 'float32' : t);

/** Thrown (and caught) while a local's type is not known yet during the fixpoint. */
class Pending extends Error {}

/**
 * Infer types for a kernel and the helper specialisations it calls.
 *
 * @throws KernelError (NB2xxx) for operations the types do not allow.
 * @example
 * ```ts
 * const { main } = inferProgram({ kind: 'scalar', main: untyped, params: [{ scalar: 'int8' }], returns: 'int8', helpers: new Map() });
 * ```
 */
export function inferProgram(req: InferRequest): { main: IRFunction<DType>; helpers: IRFunction<DType>[] } {
  narrow = req.narrowLocals ?? false;
  setNarrowDefaults(narrow);
  try {
    const program = new ProgramInfer(req.helpers, req.tables ?? []);
    const main = new FunctionInfer(req.main, req.params, req.kind === 'gufunc' ? 'void' : req.returns, req.kind, program).run(req.main.name);
    return { main, helpers: program.done };
  } finally {
    narrow = false;
    setNarrowDefaults(false);
  }
}

/** Helper specialisations shared by the whole program. */
class ProgramInfer {
  readonly done: IRFunction<DType>[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly active = new Set<string>();
  constructor(readonly helpers: ReadonlyMap<string, IRFunction<null>>, readonly tables: readonly TableConst[]) {}

  specialize(name: string, args: readonly TV[], at: number, caller: FunctionInfer, arrays: readonly HelperArrayArg[] = []): T {
    const fn = this.helpers.get(helperKey(name, arrays))!;
    const count = args.length + arrays.length;
    if (count !== fn.params.length) {
      caller.fail('NB2013', at, [name, `takes ${fn.params.length} argument(s), got ${count}`]);
    }
    // A literal argument to a parameter the helper never assigns stays a weak literal in the
    // specialisation (so clamp(x, 0, 1) keeps x's type); other arguments are typed. An array
    // passed whole (jit) is an array parameter with the caller's dtype and ndim, whose sizes
    // are the helper's own core dims (one per axis, in parameter order).
    const assigned = new Set<number>();
    forEachStmt(fn.body, (s) => { if (s.kind === 'assign' && s.place.kind === 'param') assigned.add(s.place.index); });
    const dims: string[] = [];
    const operands: number[][] = [];
    let next = 0;
    const specs: ParamSpec[] = fn.params.map((q, i) => {
      const arr = arrays.find((r) => r.position === i);
      if (arr !== undefined) {
        const { dtype, ndim } = caller.arrayParam(arr.array, at);
        const coreDims = Array.from({ length: ndim }, (_, k) => dims.push(`${q.name}.shape[${k}]`) - 1);
        operands.push(coreDims);
        const negative = arr.api === 'ndarray' || (arr.api === 'array' && ndim !== 1);
        return { array: { dtype, ndim, isOutput: false, coreDims, ...(negative ? { negative } : {}) } };
      }
      operands.push([]);
      const a = args[next++]!;
      return a.kind === 'weak' && !assigned.has(i) ? { literal: a.w } : { scalar: typeOf(a) };
    });
    const core: CoreInfo | undefined = arrays.length > 0 ? { nin: fn.params.length, dims, operands } : undefined;
    const specText = (p: ParamSpec): string => (p.literal ? `${p.literal.wk}:${String(p.literal.value)}`
      : p.array ? `${p.array.dtype}[${p.array.ndim}${p.array.negative ? '' : 't'}]` : p.scalar!);
    const key = `${helperKey(name, arrays)}(${specs.map(specText).join(',')})`;
    if (this.active.has(name)) caller.fail('NB2014', at, [name]);
    let index = this.byKey.get(key);
    if (index === undefined) {
      this.active.add(name);
      try {
        const typedFn = new FunctionInfer(fn, specs, 'infer', 'helper', this).run('');
        index = this.done.length;
        this.done.push({ ...typedFn, name: `__h_${fn.name}_${index}`, ...(core ? { core } : {}) });
        this.byKey.set(key, index);
      } finally {
        this.active.delete(name);
      }
    }
    const h = this.done[index]!;
    const scalars = specs.filter((p) => !p.array);
    const passed = args.flatMap((a, i) => (scalars[i]!.literal ? [] : [as(a, scalars[i]!.scalar!)]));
    return { kind: 'helper', name, index, args: passed, type: h.returns as DType, at, ...(arrays.length > 0 ? { arrays } : {}) };
  }
}

class FunctionInfer implements ExprInfer {
  private readonly types: (DType | undefined)[];
  private readonly initWeakInt: boolean[];
  private readonly aliases = new Map<number, Weak>();
  /** While collecting: locals whose only contributions so far are literals read as that literal. */
  private readonly literalOnly = new Map<number, Weak>();
  private readonly strongSeen = new Set<number>();
  private readonly counters = new Map<number, Counter>();
  private collecting = true;
  private readLiterals = true;
  private changed = false;
  private returnType: DType | undefined;
  private strongReturn: DType | undefined;
  private readonly weakReturns: Weak[] = [];

  constructor(
    private readonly fn: IRFunction<null>,
    private readonly params: readonly ParamSpec[],
    private readonly returns: DType | 'void' | 'infer',
    private readonly mode: 'scalar' | 'gufunc' | 'helper' | 'jit',
    private readonly program: ProgramInfer,
  ) {
    this.types = fn.locals.map(() => undefined);
    this.initWeakInt = fn.locals.map(() => false);
    findCounters(fn.body, this.counters);
  }

  fail(code: DiagnosticCode, at: number, args: (string | number)[] = []): never {
    throw kernelError(code, this.fn.source, at, args);
  }

  run(name: string): IRFunction<DType> {
    // Phase 1 reads literal-only locals as literals (see local()); phase 2 re-types with
    // every local typed, so the final pass below sees exactly the contributions it makes.
    for (const literals of [true, false]) {
      this.readLiterals = literals;
      // A const that phase 1 found to be a literal may hold a literal-only local's value
      // (`const k = i % 3` with `let i = 0; ... i++`): phase 2 decides again.
      this.aliases.clear();
      for (let iter = 0; iter < 64; iter++) {
        this.changed = false;
        this.block(this.fn.body);
        if (!this.changed) break;
      }
    }
    this.collecting = false;
    const body = this.block(this.fn.body);
    const locals: Local<DType>[] = this.fn.locals.map((l) => ({
      ...l, type: this.aliases.has(l.id) ? localDefault(this.aliases.get(l.id)!) : this.types[l.id] ?? (narrow ? 'int32' : 'int64'),
    }));
    const params: Param[] = this.fn.params.map((p, i) => ({ ...p, ...this.params[i] }));
    const returns = this.returns === 'infer' ? this.returnType ?? 'int64' : this.returns;
    const scratch = this.fn.scratch?.map((a) => ({ ...a, dtype: scratchType(a.dtype) }));
    const tables = this.program.tables;
    return { name, source: this.fn.source, params, locals, body, returns, ...(scratch ? { scratch } : {}), ...(tables.length > 0 ? { tables } : {}) };
  }

  // ---- expression hooks ------------------------------------------------------------------

  param(index: number, at: number): TV {
    const spec = this.params[index]!;
    if (spec.literal) return { kind: 'weak', w: spec.literal, at };
    if (spec.array) this.fail('NB2006', at, [this.fn.params[index]!.name]);
    return typed({ kind: 'param', index, type: spec.scalar!, at });
  }

  local(id: number, at: number): TV {
    const alias = this.aliases.get(id);
    if (alias) return { kind: 'weak', w: alias, at };
    // While types are collected, a local that so far holds only a literal reads as that
    // (weak) literal, so that `let s = 0; s += x` contributes x's type, not int64 + x's.
    const lit = this.readLiterals ? this.literalOnly.get(id) : undefined;
    if (lit) return { kind: 'weak', w: lit, at };
    const t = this.types[id];
    if (t === undefined) throw new Pending();
    return typed({ kind: 'local', id, type: t, at });
  }

  /**
   * The array a reference names: its element dtype, dimensions, name in the source (for
   * messages), whether it is a "()" core operand seen as a one-element array, whether it is
   * a scratch array, and a constant table's length (a read-only 1-d array of its typed
   * array's dtype).
   */
  private arrayOf(ref: ArrayRef, at: number): { dtype: DType; ndim: number; name: string; single: boolean; scratch: boolean; length?: number } {
    if (ref.kind === 'table') {
      const t = this.program.tables[ref.table]!;
      return { dtype: t.dtype, ndim: 1, name: t.name, single: false, scratch: false, length: t.values.length };
    }
    if (ref.kind === 'scratch') {
      const a = this.fn.scratch![ref.id]!;
      return { dtype: scratchType(a.dtype), ndim: 1, name: a.name, single: false, scratch: true };
    }
    const spec = this.params[ref.index]!;
    const name = this.fn.params[ref.index]!.name;
    if (!spec.array) this.fail('NB2015', at, [name]);
    return { dtype: spec.array.dtype, ndim: spec.array.ndim, name, single: spec.array.coreDims.length === 0, scratch: false };
  }

  /**
   * A value stored into a scratch array, converted as JavaScript's TypedArray store does:
   * integers wrap, float32 rounds, a float into an integer element is ToInt32 (`x | 0`:
   * NaN and ±Infinity give 0, then modulo 2^32) and then wraps. BigInt64Array and
   * BigUint64Array take integers only (JavaScript throws a TypeError for a Number).
   */
  private scratchStore(v: TV, t: DType, name: string, at: number): T {
    const isF = v.kind === 'weak' ? v.w.wk === 'float' : isFloatType(v.e.type);
    if (is64(t) && isIntType(t) && isF) this.fail('NB2022', at, [name, `is a ${t === 'int64' ? 'BigInt64Array' : 'BigUint64Array'}: it stores integers only (JavaScript throws a TypeError for a Number)`]);
    if (!isF || !isIntType(t) || is64(t)) return as(v, t);
    if (v.kind === 'weak') {
      const ta = new DTYPES[t].TypedArray(1) as unknown as number[];
      ta[0] = Number(v.w.value);
      return { kind: 'const', value: ta[0]!, type: t, at: v.at };
    }
    const i32: T = { kind: 'unary', op: 'toint32', arg: v.e, type: 'int32', at: v.e.at };
    return cast(i32, t);
  }

  load(array: ArrayRef, indices: readonly U[], at: number): T {
    const a = this.arrayOf(array, at);
    if (indices.length !== a.ndim) this.fail('NB2007', at, [a.name, a.ndim, indices.length]);
    return { kind: 'load', array, indices: indices.map((i) => this.index(i)), type: a.dtype, at };
  }

  private index(u: U): T {
    const v = expr(this, u);
    if (v.kind === 'weak') {
      if (v.w.wk === 'float') this.fail('NB2002', v.at, [`the float ${Number.isInteger(v.w.value) ? v.w.value.toFixed(1) : v.w.value}`]);
      return as(v, fitsInt(v.w.value, 'int32') ? 'int32' : 'int64');
    }
    if (!isIntType(v.e.type)) this.fail('NB2002', v.e.at, [v.e.type]);
    return v.e;
  }

  length(array: ArrayRef, axis: number, at: number): T {
    const a = this.arrayOf(array, at);
    if (axis >= a.ndim) this.fail('NB2007', at, [a.name, a.ndim, axis + 1]);
    // A table's length is a compile-time constant.
    if (a.length !== undefined) return { kind: 'const', value: a.length, type: 'int32', at };
    // A "()" core operand declared as a 1-d array is a one-element view.
    if (a.single) return { kind: 'const', value: 1, type: 'int32', at };
    return { kind: 'length', array, axis, type: 'int32', at };
  }

  helper(name: string, args: readonly TV[], at: number, arrays?: readonly HelperArrayArg[]): T {
    return this.program.specialize(name, args, at, this, arrays);
  }

  /** The dtype and ndim of array parameter `ref` (an array passed whole to a helper). */
  arrayParam(ref: ArrayRef, at: number): { dtype: DType; ndim: number } {
    const spec = this.params[paramIndex(ref)]!;
    if (!spec.array) this.fail('NB2015', at, [this.fn.params[paramIndex(ref)]!.name]);
    return { dtype: spec.array.dtype, ndim: spec.array.ndim };
  }

  // ---- statements --------------------------------------------------------------------------

  private block(stmts: readonly Stmt<null>[]): Stmt<DType>[] {
    const out: Stmt<DType>[] = [];
    for (const s of stmts) {
      if (!this.collecting) {
        out.push(...this.stmt(s));
        continue;
      }
      try {
        out.push(...this.stmt(s));
      } catch {
        // While local types are still widening an error may be an artefact: the final pass reports.
      }
    }
    return out;
  }

  private stmt(s: Stmt<null>): Stmt<DType>[] {
    switch (s.kind) {
      case 'let': {
        const local = this.fn.locals[s.local]!;
        const v = expr(this, s.init);
        if (local.isConst && v.kind === 'weak') {
          const old = this.aliases.get(s.local);
          if (old?.wk !== v.w.wk || old.value !== v.w.value) {
            this.aliases.set(s.local, v.w);
            this.changed = true;
          }
          return [];
        }
        // No longer a literal (what it reads is typed now): a local again.
        if (this.aliases.delete(s.local)) this.changed = true;
        this.contribute(s.local, v, true);
        return [{ kind: 'let', local: s.local, init: as(v, this.localType(s.local)), at: s.at }];
      }
      case 'assign': {
        if (s.place.kind === 'param' && this.params[s.place.index]!.array) return [{ kind: 'assign', place: s.place, value: this.toParam(s.place.index, { kind: 'weak', w: { wk: 'int', value: 0n }, at: s.at }, s.at), at: s.at }];
        const v = expr(this, s.value);
        if (s.place.kind === 'local') {
          this.contribute(s.place.id, v, false);
          return [{ kind: 'assign', place: s.place, value: as(v, this.localType(s.place.id)), at: s.at }];
        }
        return [{ kind: 'assign', place: s.place, value: this.toParam(s.place.index, v, s.at), at: s.at }];
      }
      case 'store': {
        if (s.array.kind === 'table') throw new Error('internal: a store into a table (lowering rejects it)');
        const a = this.arrayOf(s.array, s.at);
        if (s.indices.length !== a.ndim) this.fail('NB2007', s.at, [a.name, a.ndim, s.indices.length]);
        const indices = s.indices.map((i) => this.index(i));
        const v = expr(this, s.value);
        const value = a.scratch ? this.scratchStore(v, a.dtype, a.name, s.at) : as(v, a.dtype);
        return [{ kind: 'store', array: s.array, indices, value, at: s.at }];
      }
      case 'scratch': {
        const a = this.fn.scratch![s.id]!;
        const v = expr(this, s.length);
        const bad = (got: string) => this.fail('NB2022', s.length.at, [a.name, `needs an integer length, got ${got}: convert a float as JavaScript does, new ${a.ctor}(n | 0)`]);
        let length: T;
        if (v.kind === 'weak') {
          const n = weakNumber(v.w);
          if (!Number.isInteger(n)) bad(`the float ${n}`);
          length = as({ kind: 'weak', w: { wk: 'int', value: BigInt(n) }, at: v.at }, fitsInt(BigInt(n), 'int32') ? 'int32' : 'int64');
        } else {
          if (!isIntType(v.e.type)) bad(v.e.type);
          length = v.e;
        }
        return [{ kind: 'scratch', id: s.id, length, at: s.at }];
      }
      case 'alloc': {
        // (jit: the sizes as the host takes them, float64, which checks them as nb.empty does;
        // full's value in the array's dtype, by the unsafe cast a store makes)
        const a = this.arrayOf(s.array, s.at);
        const shape = s.shape.map((e) => as(expr(this, e), 'float64'));
        return [{ kind: 'alloc', array: s.array, shape, fill: s.fill, value: s.value && as(expr(this, s.value), a.dtype), site: s.site, at: s.at }];
      }
      case 'if':
        return [{ kind: 'if', cond: condition(this, s.cond), then: this.block(s.then), else: this.block(s.else), at: s.at }];
      case 'while': {
        const cond = condition(this, s.cond);
        return [{ kind: 'while', cond, body: this.block(s.body), at: s.at, ...(s.doWhile ? { doWhile: true } : {}) }];
      }
      case 'for': {
        const init = this.block(s.init);
        const cond = s.cond ? condition(this, s.cond) : null;
        const body = this.block(s.body);
        const update = this.block(s.update);
        return [{ kind: 'for', init, cond, update, body, at: s.at, ...(s.prange ? { prange: true } : {}) }];
      }
      case 'break': case 'continue': return [s];
      case 'return': return [this.ret(s)];
    }
  }

  private ret(s: Extract<Stmt<null>, { kind: 'return' }>): Stmt<DType> {
    if (this.mode === 'gufunc' || (this.mode === 'jit' && this.returns === 'void')) {
      if (s.value) this.fail('NB2008', s.value.at, ['a gufunc kernel returns nothing: write its outputs (out[i] = ...) instead']);
      return { kind: 'return', value: null, at: s.at };
    }
    if (!s.value && this.mode === 'jit') this.fail('NB2008', s.at, ['a jit function that returns a value must return one on every path (here it would return undefined)']);
    if (!s.value) this.fail('NB2008', s.at, [`a ${this.mode === 'helper' ? 'helper' : 'scalar kernel'} must return a value`]);
    const v = expr(this, s.value);
    if (this.returns === 'infer') {
      // A helper returns the join of its typed return values; literals adopt that type
      // when they fit it (so `return 0` next to `return x` keeps x's type).
      if (v.kind === 'weak') this.weakReturns.push(v.w);
      else this.strongReturn = this.strongReturn === undefined ? v.e.type : promote(this.strongReturn, v.e.type);
      let t = this.strongReturn;
      for (const w of this.weakReturns) t = t === undefined ? defaultType(w) : this.joinWeak(t, w, false);
      if (t !== this.returnType) {
        this.returnType = t;
        this.changed = true;
      }
      return { kind: 'return', value: as(v, this.returnType!), at: s.at };
    }
    return { kind: 'return', value: as(v, this.returns as DType), at: s.at };
  }

  /** A value assigned to a scalar parameter: a same-kind cast at most. */
  private toParam(index: number, v: TV, at: number): T {
    const spec = this.params[index]!;
    const name = this.fn.params[index]!.name;
    if (spec.array) {
      const isOutput = spec.array.isOutput;
      this.fail(isOutput ? 'NB4002' : 'NB2016', at, isOutput ? [name] : [name, 'array parameters cannot be rebound']);
    }
    const p = spec.scalar!;
    if (v.kind === 'weak') {
      if (v.w.wk === 'int' && isIntType(p) && !fitsInt(v.w.value, p)) this.fail('NB2003', v.at, [String(v.w.value), p]);
      if (v.w.wk === 'float' && !isFloatType(p)) this.fail('NB2005', at, ['a float', name, p]);
      return as(v, p);
    }
    if (!canCast(v.e.type, p, 'same_kind')) this.fail('NB2005', at, [v.e.type, name, p]);
    return cast(v.e, p);
  }

  private localType(id: number): DType {
    const t = this.types[id];
    if (t === undefined) throw new Pending();
    return t;
  }

  /** The type a weak value contributes to a local whose type so far is `cur`. */
  private joinWeak(cur: DType | undefined, w: Weak, isInit: boolean): DType {
    // gpu: once a literal-initialised local is float32, its literal initialiser keeps it so.
    if (cur === undefined || (isInit && !(narrow && isFloatType(cur)))) return localDefault(w);
    if (w.wk === 'float') return isFloatType(cur) ? cur : narrow ? 'float32' : 'float64';
    return fitsInt(w.value, cur) || isFloatType(cur) ? cur : exactType(w, cur, promote);
  }

  private contribute(id: number, v: TV, isInit: boolean): void {
    const cur = this.types[id];
    const hadStrong = this.strongSeen.has(id);
    let t: DType;
    if (isInit && this.counters.has(id) && this.isInt32Counter(this.counters.get(id)!)) t = 'int32';
    else if (v.kind === 'weak') {
      t = this.joinWeak(cur, v.w, isInit);
      if (isInit && v.w.wk === 'int') this.initWeakInt[id] = true;
      if (isInit && this.readLiterals && !this.strongSeen.has(id)) this.literalOnly.set(id, v.w);
    } else {
      t = v.e.type;
      this.literalOnly.delete(id);
      this.strongSeen.add(id);
    }
    let next = cur === undefined ? t : promote(cur, t);
    // A literal-initialised integer local meeting uint64 stays uint64 (not float64).
    if (this.initWeakInt[id] && ((cur === 'int64' && t === 'uint64') || (cur === 'uint64' && t === 'int64' && v.kind === 'weak'))) next = 'uint64';
    // gpu: a literal-initialised int32 local that meets float32 (and no other typed value) is float32.
    // (and uint32 likewise: `let s = 0; s += u32` stays uint32 rather than int64).
    if (narrow && this.initWeakInt[id] && !hadStrong && cur === 'int32' && (t === 'float32' || t === 'uint32')) next = t;
    if (next !== cur) {
      this.types[id] = next;
      this.changed = true;
    }
  }

  private isInt32Counter(c: Counter): boolean {
    const small = (v: TV, literalOnly: boolean): boolean => {
      if (v.kind === 'weak') return v.w.wk === 'int' && v.w.value > -(2n ** 31n) && v.w.value < 2n ** 31n - 1n;
      return !literalOnly && ['int8', 'uint8', 'int16', 'uint16', 'int32'].includes(v.e.type);
    };
    try {
      return small(expr(this, c.init), false) && small(expr(this, c.bound), c.literalBound);
    } catch {
      return false;
    }
  }
}
