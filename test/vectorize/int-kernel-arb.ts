/**
 * Random integer kernels for the direct emitter's general scalar path (issue 15), with a
 * reference evaluation written here from NumPy's and JavaScript's rules (not from any
 * numbats code): parameters of integer dtypes (a mix: int8 ... int64 with uint8 ... uint32,
 * or unsigned up to uint64, so that no promotion leaves the integers), a local, `if`/`else`,
 * a bounded loop, and a return cast to the output dtype (an integer, bool or float64).
 *
 * Typing (NEP 50): a binary operation or comparison computes in the promotion of its
 * operands' dtypes (the smallest dtype holding both), a small literal takes the other
 * operand's dtype; `c ? a : b` has the promotion of its arms; an assignment converts to the
 * local's dtype, the return to the output's (unsafe casts: modulo the width; to bool `!= 0`;
 * to float64 the nearest double). Operations: + - * wrap; `%`, Math.floor(a / b),
 * Math.trunc(a / b) give 0 for a divisor 0 (MIN / -1 wraps to MIN); `**` is the power
 * modulo the width, a negative exponent trunc(1 / a^-b); & | ^ ~ and unary minus; << and >>
 * of dtypes up to 32 bits are JavaScript's int32 operations (count mod 32) converted back,
 * of 64-bit dtypes the 64-bit ones (count mod 64, >> arithmetic for int64, logical for uint64).
 */
import fc from 'fast-check';

export type IntType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';
export type OutType = IntType | 'bool' | 'float64';

const BITS: Record<IntType, number> = { int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64 };
const SIGNED = (t: IntType) => !t.startsWith('u');

/** Modulo the width of `t`, in its signedness. */
export function wrapTo(t: IntType, v: bigint): bigint {
  return SIGNED(t) ? BigInt.asIntN(BITS[t], v) : BigInt.asUintN(BITS[t], v);
}

/** NumPy's promotion of two integer dtypes (never two that need float64: see the mixes). */
export function promote(a: IntType, b: IntType): IntType {
  if (a === b) return a;
  if (SIGNED(a) === SIGNED(b)) return BITS[a] >= BITS[b] ? a : b;
  const [s, u] = SIGNED(a) ? [a, b] : [b, a];
  const bits = Math.max(BITS[s], 2 * BITS[u]);
  return ({ 8: 'int8', 16: 'int16', 32: 'int32', 64: 'int64' } as const)[bits as 8 | 16 | 32 | 64];
}

export type Expr =
  | { k: 'p'; i: number } | { k: 'a' } | { k: 'lit'; v: number }
  | { k: 'neg' | 'not'; e: Expr }
  | { k: 'bin'; op: BinOp; l: Expr; r: Expr }
  | { k: 'sel'; c: Cond; t: Expr; f: Expr };
export type BinOp = '+' | '-' | '*' | '&' | '|' | '^' | '%' | 'floor' | 'trunc' | '**' | '<<' | '>>';
export interface Cond { readonly op: '<' | '<=' | '>' | '>=' | '===' | '!=='; readonly l: Expr; readonly r: Expr }

/** `(params) => { let a = init; if (c) a = t; else a = f; for (i < n) a = a op e; return ret; }` */
export interface IntProgram {
  readonly params: readonly IntType[];
  readonly out: OutType;
  readonly init: Expr;
  readonly cond: Cond;
  readonly then: Expr;
  readonly else: Expr;
  readonly loops: number;
  readonly step: { readonly op: BinOp; readonly e: Expr };
  readonly ret: Expr;
}

const OPS: BinOp[] = ['+', '-', '*', '&', '|', '^', '%', 'floor', 'trunc', '**', '<<', '>>'];
const CMPS: Cond['op'][] = ['<', '<=', '>', '>=', '===', '!=='];

/** Expressions over `n` parameters (and the local `a` when `local`); literals only as right operands. */
function exprArb(n: number, local: boolean): fc.Arbitrary<Expr> {
  const leaf = fc.oneof(
    fc.integer({ min: 0, max: n - 1 }).map((i): Expr => ({ k: 'p', i })),
    ...(local ? [fc.constant<Expr>({ k: 'a' })] : []),
  );
  const depth = { depthSize: 'small', maxDepth: 3, depthIdentifier: 'int-expr' } as const;
  return fc.letrec<{ e: Expr; c: Cond }>((tie) => ({
    e: fc.oneof(depth,
      leaf,
      tie('e').map((e): Expr => ({ k: 'neg', e })),
      tie('e').map((e): Expr => ({ k: 'not', e })),
      fc.record({ op: fc.constantFrom(...OPS), l: tie('e'), r: fc.oneof(tie('e'), fc.integer({ min: 0, max: 7 }).map((v): Expr => ({ k: 'lit', v }))) })
        .map((r): Expr => ({ k: 'bin', ...r })),
      fc.record({ c: tie('c'), t: tie('e'), f: tie('e') }).map((r): Expr => ({ k: 'sel', ...r })),
    ),
    c: fc.record({ op: fc.constantFrom(...CMPS), l: tie('e'), r: tie('e') }),
  })).e;
}

const MIXES: IntType[][] = [['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64'], ['uint8', 'uint16', 'uint32', 'uint64']];

export const intProgramArb: fc.Arbitrary<IntProgram> = fc.tuple(fc.constantFrom(...MIXES), fc.integer({ min: 1, max: 3 }))
  .chain(([mix, n]) => fc.record({
    params: fc.array(fc.constantFrom(...mix), { minLength: n, maxLength: n }),
    out: fc.constantFrom<OutType>(...mix, 'bool', 'float64'),
    init: exprArb(n, false),
    cond: fc.record({ op: fc.constantFrom(...CMPS), l: exprArb(n, true), r: exprArb(n, false) }),
    then: exprArb(n, true),
    else: exprArb(n, true),
    loops: fc.integer({ min: 0, max: 3 }),
    step: fc.record({ op: fc.constantFrom(...OPS), e: exprArb(n, true) }),
    ret: exprArb(n, true),
  }));

const spell = (op: BinOp, l: string, r: string) =>
  op === 'floor' ? `Math.floor(${l} / ${r})` : op === 'trunc' ? `Math.trunc(${l} / ${r})` : `(${l} ${op} ${r})`;

function exprSource(e: Expr): string {
  switch (e.k) {
    case 'p': return `x${e.i}`;
    case 'a': return 'a';
    case 'lit': return String(e.v);
    case 'neg': return `(-${exprSource(e.e)})`;
    case 'not': return `(~${exprSource(e.e)})`;
    case 'bin': return spell(e.op, exprSource(e.l), exprSource(e.r));
    case 'sel': return `(${condSource(e.c)} ? ${exprSource(e.t)} : ${exprSource(e.f)})`;
  }
}
const condSource = (c: Cond) => `(${exprSource(c.l)} ${c.op} ${exprSource(c.r)})`;

/** The kernel's source. */
export function intSource(p: IntProgram): string {
  return `(${p.params.map((_, i) => `x${i}`).join(', ')}) => { let a = ${exprSource(p.init)}; `
    + `if ${condSource(p.cond)} { a = ${exprSource(p.then)}; } else { a = ${exprSource(p.else)}; } `
    + `for (let i = 0; i < ${p.loops}; i++) { a = ${spell(p.step.op, 'a', exprSource(p.step.e))}; } `
    + `return ${exprSource(p.ret)}; }`;
}

/** The signature string (`i2(u1, i8)`-style names are not needed: dtype names work). */
export const intSignature = (p: IntProgram) => `${p.out}(${p.params.join(', ')})`;

/** A typed value. */
interface V { readonly t: IntType | null; readonly v: bigint }

function binary(op: BinOp, t: IntType, a: bigint, b: bigint): bigint {
  const bits = BigInt(BITS[t]);
  switch (op) {
    case '+': return wrapTo(t, a + b);
    case '-': return wrapTo(t, a - b);
    case '*': return wrapTo(t, a * b);
    case '&': return wrapTo(t, a & b);
    case '|': return wrapTo(t, a | b);
    case '^': return wrapTo(t, a ^ b);
    case '%': return b === 0n ? 0n : a % b;
    case 'trunc': return b === 0n ? 0n : wrapTo(t, a / b);
    case 'floor': {
      if (b === 0n) return 0n;
      const q = a / b;
      return wrapTo(t, a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q);
    }
    case '**': {
      if (b < 0n) return a === 1n ? 1n : a === -1n ? (b % 2n === 0n ? 1n : -1n) : 0n;
      let r = 1n;
      let base = BigInt.asUintN(64, a);
      let e = b;
      while (e > 0n) { if (e & 1n) r = BigInt.asUintN(64, r * base); base = BigInt.asUintN(64, base * base); e >>= 1n; }
      return wrapTo(t, r);
    }
    case '<<': case '>>': {
      if (bits === 64n) {
        const n = BigInt.asUintN(6, b);
        return op === '<<' ? wrapTo(t, a << n) : a >> n; // (uint64 a >= 0: logical)
      }
      const x = Number(BigInt.asIntN(32, a));
      const n = Number(BigInt.asUintN(5, b));
      return wrapTo(t, BigInt(op === '<<' ? x << n : x >> n));
    }
  }
}

/** The dtype of `e` with the local of dtype `local` (null: a literal, weak). */
function typeOf(p: IntProgram, e: Expr, local: IntType): IntType | null {
  const ty = (x: Expr) => typeOf(p, x, local);
  switch (e.k) {
    case 'p': return p.params[e.i]!;
    case 'a': return local;
    case 'lit': return null;
    case 'neg': case 'not': return ty(e.e);
    case 'bin': { const [l, r] = [ty(e.l)!, ty(e.r)]; return r === null ? l : promote(l, r); }
    case 'sel': return promote(ty(e.t)!, ty(e.f)!);
  }
}

/**
 * The local's dtype: the join (promotion) of every value assigned to it, found by widening
 * until nothing changes (the compiler's rule: ir/infer.ts, local types by a fixpoint).
 */
export function localType(p: IntProgram): IntType {
  let t = typeOf(p, p.init, 'uint8')!; // (init does not read the local)
  for (;;) {
    const step = typeOf(p, { k: 'bin', op: p.step.op, l: { k: 'a' }, r: p.step.e }, t)!;
    const next = [typeOf(p, p.then, t)!, typeOf(p, p.else, t)!, step].reduce(promote, t);
    if (next === t) return t;
    t = next;
  }
}

/** The program's result on `xs` (the output dtype's JS value: bigint, number or boolean). */
export function intEvaluate(p: IntProgram, xs: readonly bigint[]): bigint | number | boolean {
  let a: V = { t: null, v: 0n };
  const ev = (e: Expr): V => {
    switch (e.k) {
      case 'p': return { t: p.params[e.i]!, v: xs[e.i]! };
      case 'a': return a;
      case 'lit': return { t: null, v: BigInt(e.v) };
      case 'neg': { const x = ev(e.e); return { t: x.t, v: wrapTo(x.t!, -x.v) }; }
      case 'not': { const x = ev(e.e); return { t: x.t, v: wrapTo(x.t!, ~x.v) }; }
      case 'bin': return bin(e.op, ev(e.l), ev(e.r));
      case 'sel': {
        const [x, y] = [ev(e.t), ev(e.f)];
        const t = promote(x.t!, y.t!);
        return { t, v: cond(e.c) ? x.v : y.v }; // (values of the narrower dtype fit the promotion)
      }
    }
  };
  const bin = (op: BinOp, x: V, y: V): V => {
    const t = y.t === null ? x.t! : promote(x.t!, y.t);
    return { t, v: binary(op, t, x.v, y.v) };
  };
  const cond = (c: Cond): boolean => {
    const [x, y] = [ev(c.l), ev(c.r)];
    switch (c.op) {
      case '<': return x.v < y.v;
      case '<=': return x.v <= y.v;
      case '>': return x.v > y.v;
      case '>=': return x.v >= y.v;
      case '===': return x.v === y.v;
      case '!==': return x.v !== y.v;
    }
  };
  const local = localType(p);
  a = { t: local, v: ev(p.init).v };
  const assign = (x: V) => { a = { t: local, v: wrapTo(local, x.v) }; };
  assign(cond(p.cond) ? ev(p.then) : ev(p.else));
  for (let i = 0; i < p.loops; i++) assign(bin(p.step.op, a, ev(p.step.e)));
  const r = ev(p.ret);
  if (p.out === 'bool') return r.v !== 0n;
  if (p.out === 'float64') return Number(r.v);
  const w = wrapTo(p.out, r.v);
  return BITS[p.out] === 64 ? w : Number(w);
}

/** Arbitrary values of dtype `t` (edges, small, any), as bigints. */
export function intValueArb(t: IntType): fc.Arbitrary<bigint> {
  const bits = BITS[t];
  const [min, max] = SIGNED(t) ? [-(2n ** BigInt(bits - 1)), 2n ** BigInt(bits - 1) - 1n] : [0n, 2n ** BigInt(bits) - 1n];
  return fc.oneof(fc.constantFrom(min, max, 0n, 1n, ...(SIGNED(t) ? [-1n, min + 1n] : [max - 1n])), fc.bigInt({ min, max }), fc.bigInt({ min: SIGNED(t) ? -9n : 0n, max: 9n }));
}
