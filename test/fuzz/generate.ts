/**
 * Seeded random generator of scalar kernel SOURCE TEXT in the kernel language (DESIGN.md
 * "The kernel language (v1)"), for the differential fuzzer (test/fuzz/kernels.test.ts and
 * scripts/fuzz-kernels.ts).
 *
 * A generated kernel has 1-3 parameters, a Numba-style signature drawn from
 * int8/uint8/int16/int32/uint32/int64/float32/float64 (all one type, or a mixed tuple), and a
 * body of local let/const, if/else, small bounded for and do/while loops, switches (with
 * fallthrough), early returns and a final return, over depth-limited expressions (bitwise
 * operators on floats too: ToInt32). A small fraction is deliberately invalid (a
 * closure variable, a string, `new`, an object literal) and must be rejected with KernelError.
 */

/** mulberry32: a small, fast 32-bit seeded PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FuzzType = 'int8' | 'uint8' | 'int16' | 'int32' | 'uint32' | 'int64' | 'float32' | 'float64';
export const FUZZ_TYPES: readonly FuzzType[] = ['int8', 'uint8', 'int16', 'int32', 'uint32', 'int64', 'float32', 'float64'];
export const isFloat = (t: FuzzType): boolean => t === 'float32' || t === 'float64';

export interface GeneratedKernel {
  /** Kernel source text (an arrow function). */
  readonly source: string;
  /** Numba-style signature, e.g. 'int32(int32, int32)'. */
  readonly signature: string;
  readonly params: readonly FuzzType[];
  readonly returns: FuzzType;
  /** An invalid construct was injected: compileKernel must throw KernelError. */
  readonly invalid: boolean;
  /** Uses exp/sin/cos/log/atan/** (V8's libm and the Wasm's differ: libm.ts). */
  readonly transcendental: boolean;
  /** Computes an integer-typed value from a transcendental's result (`(Math.exp(e) | 0) + x`). */
  readonly intAfterTranscendental: boolean;
  /** float64 throughout (parameters and result): the source means what plain JavaScript says. */
  readonly plain: boolean;
}

class Gen {
  transcendental = false;
  private locals: string[] = [];
  private nextLocal = 0;
  constructor(
    private readonly r: () => number,
    private readonly names: readonly string[],
    private readonly intOnly: boolean,
    /**
     * Steer around the constructs of known, unfixed bugs (regressions.test.ts `it.fails`
     * tests). None stand at present; a new finding adds its workaround under this flag.
     */
    readonly avoidKnownBugs: boolean,
    /** What the kernel may contain (gpu bodies: no transcendentals; gufunc bodies: no `return`). */
    private readonly allow: { transcendentals: boolean; returns: boolean; gpu?: 'float32' | 'int32' | 'uint32' } = { transcendentals: true, returns: true },
  ) {}

  /** Set when an integer-typed value is computed from a transcendental (`(Math.exp(e) | 0)`). */
  intAfterTranscendental = false;

  /** Does the expression read a parameter or local (is it not a weak literal-only expression)? */
  typed(e: string): boolean { return /\b([xyz]|v\d+)\b/.test(e); }

  /**
   * A binary operation. (Known bugs 1 and 2, a literal-only LEFT operand typed by asc from
   * the enclosing cast, are fixed: literal-only left operands are generated as is.)
   */
  bin(a: string, op: string, b: string): string {
    return `(${a} ${op} ${b})`;
  }

  int(n: number): number { return Math.floor(this.r() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.r() < p; }

  literal(): string {
    const k = this.int(10);
    if (k < 4) return String(this.int(10));
    if (k === 4) return `(-${1 + this.int(200)})`;
    if (k === 5) return this.pick(['127', '255', '32767', '65535', '2147483647', '4294967295', '100000', '(-2147483648)', '1000000007']);
    if (k === 6 && !this.intOnly) return this.pick(['0.5', '1.5', '(-2.25)', '3.75', '1e10', '(-0.125)', '1e-3']);
    if (k === 7) return String(1 + this.int(40));
    return String(this.int(4));
  }

  leaf(): string {
    const vars = [...this.names, ...this.locals];
    if (this.chance(0.7)) return this.pick(vars);
    return this.literal();
  }

  cmp(depth: number): string {
    const op = this.pick(['<', '<=', '>', '>=', '===', '!==']);
    const [a, b] = [this.expr(depth - 1), this.expr(depth - 1)];
    // (Bugs 1 and 5 are fixed: literal-only and `x < (y | 1)` comparisons are generated as is.)
    return `${a} ${op} ${b}`;
  }

  cond(depth: number): string {
    const k = this.int(6);
    if (k === 0 && depth > 1) return `(${this.cmp(depth - 1)}) ${this.pick(['&&', '||'])} (${this.cmp(depth - 1)})`;
    if (k === 1) return `!(${this.cmp(depth)})`;
    return this.cmp(depth);
  }

  expr(depth: number): string {
    if (depth <= 0 || this.chance(0.25)) return this.leaf();
    const k = this.int(20);
    if (k < 8) {
      // (gpu integer kernels: `/` is true division, a float64.)
      const ops = this.allow.gpu && this.intOnly ? ['+', '-', '*', '+', '-', '*', '%', '%'] : ['+', '-', '*', '+', '-', '*', '/', '%'];
      return this.bin(this.expr(depth - 1), this.pick(ops), this.expr(depth - 1));
    }
    if (k === 8 && !this.allow.transcendentals) return this.bin(this.expr(depth - 1), '*', this.expr(depth - 1));
    if (k === 8) {
      this.transcendental = true;
      return this.bin(this.expr(depth - 1), '**', this.chance(0.7) ? String(this.int(4)) : this.leaf());
    }
    if (k === 9) return `(${this.cond(depth - 1)} ? ${this.expr(depth - 1)} : ${this.expr(depth - 1)})`;
    if (k === 10) return `(-${this.expr(depth - 1)})`;
    if (k < 15 && this.intOnly) {
      if (k === 14) return `(~${this.expr(depth - 1)})`;
      // (Bugs 3 and 4 — Math.floor(int64 / uint64), `&` of unwrapped small signed values —
      // are fixed: every operator in every integer kernel.)
      const ops = ['&', '|', '^', '<<', '>>', '>>>'];
      const op = this.pick(ops);
      const rhs = op.length > 1 && op !== '>>>' && this.chance(0.5) ? String(this.int(40)) : this.expr(depth - 1);
      return this.bin(this.expr(depth - 1), op, rhs);
    }
    if (k < 13 && !this.intOnly) {
      // Bitwise operators on floats: JavaScript's ToInt32 / ToUint32 (issue 13). Their
      // int32/uint32 result goes straight back to float arithmetic (+ a parameter): further
      // integer operations on it would wrap at 32 bits (the typed meaning), where plain
      // JavaScript computes in doubles, and the all-float64 kernels are compared with it.
      const e = this.expr(depth - 1);
      const conv = this.pick([`(${e} | 0)`, `(${e} >>> 0)`, `(~~${e})`, `(${e} & ${this.int(256)})`, `(${e} << ${this.int(40)})`, `(${e} ^ ${this.leaf()})`]);
      // gpu (float32): the int32 result made float32 (float32 + int32 would be float64, which WGSL lacks).
      return this.allow.gpu ? `(Math.fround(${conv}) + ${this.pick(this.names)})` : `(${conv} + ${this.pick(this.names)})`;
    }
    if (k < 17) {
      // gpu integer kernels: Math functions of integers compute in float64 (JS): only these keep the type.
      const exact = this.allow.gpu && this.intOnly ? ['abs', 'min', 'max'] : ['abs', 'floor', 'ceil', 'trunc', 'round', 'sign', 'min', 'max', 'sqrt'];
      const f = this.pick(this.allow.transcendentals ? [...exact, ...TRANSCENDENTALS] : exact);
      if (f === 'min' || f === 'max') return `Math.${f}(${this.expr(depth - 1)}, ${this.expr(depth - 1)})`;
      if (TRANSCENDENTALS.includes(f)) this.transcendental = true;
      return `Math.${f}(${this.expr(depth - 1)})`;
    }
    if (k === 19 && this.allow.transcendentals && this.chance(0.6)) {
      // An integer-typed intermediate computed from a transcendental (issue 13 item 9): the
      // comparison must be exact here (libm.ts), not within a float tolerance.
      this.transcendental = true;
      this.intAfterTranscendental = true;
      const t = `Math.${this.pick(TRANSCENDENTALS)}(${this.expr(depth - 1)})`;
      const conv = this.pick([`(${t} | 0)`, `(${t} >>> 0)`, `(~~${t})`, `(${t} & ${this.int(256)})`]);
      return `(${conv} + ${this.intOnly ? this.expr(depth - 1) : this.pick(this.names)})`;
    }
    if (k === 17 && !(this.allow.gpu && this.intOnly)) return `Math.floor${this.bin(this.expr(depth - 1), '/', this.expr(depth - 1))}`;
    return this.bin(this.expr(depth - 1), this.pick(['+', '-', '*']), this.expr(depth - 1));
  }

  /** A fresh local name. */
  fresh(): string { return `v${this.nextLocal++}`; }

  stmts(depth: number, n: number, indent: string, out: string[]): void {
    for (let s = 0; s < n; s++) {
      const k = this.int(10);
      if (k < 4) {
        // A local initialised from an expression with a parameter in it (keeps float kernels
        // float64 throughout, so the plain-JS comparison holds).
        const name = this.fresh();
        out.push(`${indent}${this.chance(0.5) ? 'const' : 'let'} ${name} = ${this.pick(this.names)} + ${this.expr(2)};`);
        this.locals.push(name);
      } else if (k < 6 && depth > 0) {
        out.push(`${indent}if (${this.cond(2)}) {`);
        const saved = this.locals.length;
        this.stmts(depth - 1, 1 + this.int(2), indent + '  ', out);
        this.locals.length = saved;
        if (this.chance(0.5)) {
          out.push(`${indent}} else {`);
          this.stmts(depth - 1, 1 + this.int(2), indent + '  ', out);
          this.locals.length = saved;
        }
        out.push(`${indent}}`);
      } else if (k < 8) {
        const acc = this.fresh();
        const i = this.fresh();
        out.push(`${indent}let ${acc} = ${this.pick(this.names)};`);
        const bound = 1 + this.int(5);
        // (gpu uint32 kernels: the int32 counter with a uint32 would be int64, which WGSL lacks.)
        const counter = this.allow.gpu === 'uint32' ? String(bound) : this.allow.gpu === 'float32' ? `Math.fround(${i})` : i;
        if (this.allow.gpu !== 'uint32') this.locals.push(counter);
        const body = `${acc} = ${acc} ${this.pick(['+', '-'])} ${this.pick(this.names)} * ${counter}${this.chance(0.4) ? ` + ${this.expr(1)}` : ''};`;
        if (this.allow.gpu !== 'uint32') this.locals.pop();
        out.push(`${indent}for (let ${i} = 0; ${i} < ${bound}; ${i}++) ${this.chance(0.5) ? body : `{ ${body} }`}`);
        this.locals.push(acc);
      } else if (k === 8 && this.allow.returns) {
        out.push(`${indent}if (${this.cond(2)}) return ${this.expr(2)};`);
      } else if (k === 9 && depth > 0) {
        // switch (with fallthrough) or a bounded do/while (issue 13).
        const acc = this.fresh();
        out.push(`${indent}let ${acc} = ${this.pick(this.names)};`);
        const step = () => `${acc} = ${acc} ${this.pick(['+', '-', '*'])} ${this.expr(1)};`;
        if (this.chance(0.6)) {
          out.push(`${indent}switch ((${this.expr(1)}) & 3) {`);
          const labels = [0, 1, 2, 3].filter(() => this.chance(0.6)).map((v) => `case ${v}:`);
          if (this.chance(0.6)) labels.splice(this.int(labels.length + 1), 0, 'default:');
          for (const l of labels) out.push(`${indent}  ${l}${this.chance(0.2) ? '' : ` ${step()}${this.chance(0.6) ? ' break;' : ''}`}`);
          out.push(`${indent}}`);
        } else {
          const c = this.fresh();
          out.push(`${indent}let ${c} = 0;`, `${indent}do { ${step()} ${c}++; } while (${c} < ${1 + this.int(4)});`);
        }
        this.locals.push(acc);
      }
    }
  }
}

/** The transcendentals of generated kernels (libm.ts LIBM_FUNCS, with `**`). */
const TRANSCENDENTALS = ['exp', 'sin', 'cos', 'log', 'atan'];

/** Construct an invalid statement (a construct outside the kernel language). */
function invalidStatement(g: Gen, name: string): string {
  switch (g.int(5)) {
    case 0: return `const bad = ${name} + outerScale;`; // closure variable
    case 1: return `const bad = "abc";`; // string
    case 2: return `const bad = new Date(${name});`; // new
    case 3: return `const bad = { a: ${name} };`; // object literal
    default: return `const bad = ${name} + console.log(${name});`; // unknown call
  }
}

const MIXED: readonly (readonly [FuzzType, readonly FuzzType[]])[] = [
  ['float64', ['int32', 'float64']],
  ['float64', ['float32', 'int16']],
  ['int32', ['int8', 'int32']],
  ['int64', ['int32', 'uint32']],
  ['float32', ['float32', 'uint8']],
  ['uint8', ['uint8', 'int16']],
  ['int16', ['float64', 'int16']],
  ['float64', ['int64', 'float64', 'int8']],
];

/** Generate kernel number `index` of the stream with this seed (independent per index). */
export function generateKernel(
  seed: number, index: number, options: { invalidRate?: number; avoidKnownBugs?: boolean; plainRate?: number } = {},
): GeneratedKernel {
  const invalidRate = options.invalidRate ?? 0.04;
  const r = mulberry32((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  r();
  let params: FuzzType[];
  let returns: FuzzType;
  if (r() < (options.plainRate ?? 0.3)) {
    // float64 throughout: compared with the source run as plain JavaScript (run.ts).
    params = Array.from({ length: 1 + Math.floor(r() * 3) }, () => 'float64' as const);
    returns = 'float64';
  } else if (r() < 0.2) {
    const m = MIXED[Math.floor(r() * MIXED.length)]!;
    returns = m[0];
    params = [...m[1]];
  } else {
    const t = FUZZ_TYPES[Math.floor(r() * FUZZ_TYPES.length)]!;
    const n = 1 + Math.floor(r() * 3);
    params = Array.from({ length: n }, () => t);
    returns = t;
  }
  const names = params.map((_, i) => ['x', 'y', 'z'][i]!);
  const intOnly = params.every((t) => !isFloat(t)) && !isFloat(returns);
  const g = new Gen(r, names, intOnly, options.avoidKnownBugs ?? true);
  const body: string[] = [];
  const invalid = r() < invalidRate;
  g.stmts(2, g.int(4), '  ', body);
  if (invalid) body.splice(g.int(body.length + 1), 0, `  ${invalidStatement(g, names[0]!)}`);
  body.push(`  return ${g.expr(3)};`);
  const source = `(${names.join(', ')}) => {\n${body.join('\n')}\n}`;
  return {
    source,
    signature: `${returns}(${params.join(', ')})`,
    params,
    returns,
    invalid,
    transcendental: g.transcendental,
    intAfterTranscendental: g.intAfterTranscendental,
    plain: params.every((t) => t === 'float64') && returns === 'float64',
  };
}

/** The core-dim layout of a generated gufunc, as compileKernel's CoreLayoutInput takes it. */
export interface GufuncCore {
  readonly nin: number;
  readonly dims: readonly string[];
  /** Per parameter (inputs, then outputs): its core dims as indices into `dims`. */
  readonly operands: readonly (readonly number[])[];
}

export interface GeneratedGufunc {
  /** Kernel source text (an arrow function writing its output parameter). */
  readonly source: string;
  /** Numba-style signature, e.g. 'void(f8[:,:], f8[:])' (float64 throughout: plain-JS meaning). */
  readonly signature: string;
  /** NumPy layout, e.g. '(m,n)->(m)'. */
  readonly layout: string;
  readonly core: GufuncCore;
  /** Which template (for the stats). */
  readonly template: string;
  readonly transcendental: boolean;
  readonly intAfterTranscendental: boolean;
}

/**
 * Generate gufunc kernel number `index` of the seed's stream: one of five templates over
 * float64 core arrays (a reduction `(n)->()`, a map `(n)->(n)` with a running value, row
 * reductions `(m,n)->(m)` with `a[i][j]`, column accumulation `(m,n),(n)->(n)` that reads
 * its output back, and a transposing map `(m,n)->(n,m)`), with generated expressions and
 * statements (generate.ts Gen, no `return`) in the loop bodies. Every output element is
 * written (np.empty outputs are otherwise undefined). Accumulators start from a float
 * literal (`0.0`, not `0`): a local initialised with a weak int whose updates are all
 * integers is an int64 (Numba's typing, DESIGN.md), which wraps where plain JS does not (the
 * fuzzer's first gufunc finding: `let s = 1; ... s = s - ((~~Math.log(a[i]) + s) ** 7)`).
 */
export function generateGufunc(seed: number, index: number): GeneratedGufunc {
  const r = mulberry32((seed * 0x85ebca6b + index * 0xc2b2ae35 + 0x27d4eb2f) >>> 0);
  r();
  const template = ['reduce', 'map', 'rows', 'cols', 'transpose'][Math.floor(r() * 5)]!;
  const body: string[] = [];
  let gen: Gen | null = null;
  const g = (names: string[]): Gen => {
    const x = new Gen(r, names, false, true, { transcendentals: true, returns: false });
    if (gen) { x.transcendental = gen.transcendental; x.intAfterTranscendental = gen.intAfterTranscendental; }
    gen = x;
    return x;
  };
  const op = (x: Gen, s: string, e: string) => x.pick([`${s} + ${e}`, `${s} - ${e}`, `${s} * 0.5 + ${e}`, `Math.max(${s}, ${e})`, `Math.min(${s}, ${e})`]);
  let params: string[];
  let layout: string;
  let core: GufuncCore;
  let signature: string;
  const withB = r() < 0.4;
  const withW = !withB && r() < 0.4;
  switch (template) {
    case 'reduce': {
      params = ['a', ...(withB ? ['b'] : []), ...(withW ? ['w'] : []), 'out'];
      layout = `(n)${withB ? ',(n)' : ''}${withW ? ',()' : ''}->()`;
      core = { nin: params.length - 1, dims: ['n'], operands: [[0], ...(withB ? [[0]] : []), ...(withW ? [[]] : []), []] };
      const x = g(['a[i]', ...(withB ? ['b[i]'] : []), ...(withW ? ['w'] : []), 's']);
      body.push(`  let s = ${x.pick(['0.0', '1.0', '0.5', 'a[0]', '(-2.25)'])};`, '  for (let i = 0; i < a.length; i++) {');
      x.stmts(1, x.int(3), '    ', body);
      body.push(`    s = ${op(x, 's', x.expr(2))};`, '  }');
      const y = g(['s', 'a[0]', ...(withW ? ['w'] : [])]);
      body.push(`  out[0] = ${y.expr(2)};`);
      break;
    }
    case 'map': {
      params = ['a', ...(withB ? ['b'] : []), ...(withW ? ['w'] : []), 'out'];
      layout = `(n)${withB ? ',(n)' : ''}${withW ? ',()' : ''}->(n)`;
      core = { nin: params.length - 1, dims: ['n'], operands: [[0], ...(withB ? [[0]] : []), ...(withW ? [[]] : []), [0]] };
      const x = g(['a[i]', 'a[a.length - 1 - i]', ...(withB ? ['b[i]'] : []), ...(withW ? ['w'] : []), 's']);
      body.push(`  let s = ${x.pick(['0.0', '1.5', 'a[0]'])};`, '  for (let i = 0; i < a.length; i++) {');
      x.stmts(1, x.int(3), '    ', body);
      if (x.chance(0.6)) body.push(`    s = ${op(x, 's', x.expr(1))};`);
      body.push(`    out[i] = ${x.expr(2)};`, '  }');
      if (x.chance(0.4)) body.push(`  for (let i = 1; i < out.length; i++) out[i] = out[i] + out[i - 1] * ${x.pick(['0.5', '2', '(-1)'])};`);
      break;
    }
    case 'rows': {
      params = ['a', ...(withW ? ['w'] : []), 'out'];
      layout = `(m,n)${withW ? ',()' : ''}->(m)`;
      core = { nin: params.length - 1, dims: ['m', 'n'], operands: [[0, 1], ...(withW ? [[]] : []), [0]] };
      const x = g(['a[i][j]', 'a[a.length - 1 - i][j]', 'a[i][a[0].length - 1 - j]', ...(withW ? ['w'] : []), 's']);
      body.push('  for (let i = 0; i < a.length; i++) {', `    let s = ${x.pick(['0.0', '1.0', 'a[i][0]'])};`, '    for (let j = 0; j < a[0].length; j++) {');
      x.stmts(1, x.int(2), '      ', body);
      body.push(`      s = ${op(x, 's', x.expr(2))};`, '    }');
      const y = g(['s', 'a[i][0]', ...(withW ? ['w'] : [])]);
      body.push(`    out[i] = ${y.expr(1)};`, '  }');
      break;
    }
    case 'cols': {
      params = ['a', 'b', 'out'];
      layout = '(m,n),(n)->(n)';
      core = { nin: 2, dims: ['m', 'n'], operands: [[0, 1], [1], [1]] };
      const x = g(['out[j]', 'a[i][j]', 'b[j]']);
      body.push('  for (let j = 0; j < out.length; j++) out[j] = b[j];', '  for (let i = 0; i < a.length; i++) {', '    for (let j = 0; j < a[0].length; j++) {');
      x.stmts(1, x.int(2), '      ', body);
      body.push(`      out[j] = ${op(x, 'out[j]', x.expr(2))};`, '    }', '  }');
      break;
    }
    default: {
      params = ['a', 'out'];
      layout = '(m,n)->(n,m)';
      core = { nin: 1, dims: ['m', 'n'], operands: [[0, 1], [1, 0]] };
      const x = g(['a[i][j]', 'a[i][a[0].length - 1 - j]', 'a[a.length - 1 - i][j]']);
      body.push('  for (let i = 0; i < a.length; i++) {', '    for (let j = 0; j < a[0].length; j++) {');
      x.stmts(1, x.int(2), '      ', body);
      body.push(`      out[j][i] = ${x.expr(2)};`, '    }', '  }');
    }
  }
  const last = gen as unknown as Gen;
  // A `()` output is still an array (written as out[0]), as in Numba.
  const arrayType = (dims: readonly number[], i: number) => (dims.length === 0 ? (i < core.nin ? 'f8' : 'f8[:]') : `f8[${dims.map(() => ':').join(',')}]`);
  signature = `void(${core.operands.map(arrayType).join(', ')})`;
  return {
    source: `(${params.join(', ')}) => {\n${body.join('\n')}\n}`,
    signature, layout, core, template,
    transcendental: last.transcendental,
    intAfterTranscendental: last.intAfterTranscendental,
  };
}

/** The types of gpu kernels (WGSL has no 64-bit types). */
export type GpuFuzzType = 'float32' | 'int32' | 'uint32';

export interface GeneratedGpuKernel {
  /** The kernel returning the body's final expression E. */
  readonly source: string;
  readonly signature: string;
  readonly params: readonly GpuFuzzType[];
  readonly returns: GpuFuzzType;
  /**
   * float32 kernels, sometimes: the same body returning `Math.f(E)` (float32) and an
   * integer conversion of it (`(Math.f(E) | 0)` as int32, `(Math.f(E) >>> 0)` as uint32).
   */
  readonly tail: null | {
    readonly f: string;
    readonly fSource: string;
    readonly fSignature: string;
    readonly iSource: string;
    readonly iSignature: string;
    readonly iType: 'int32' | 'uint32';
  };
}

/**
 * Generate gpu kernel number `index`: float32, int32 or uint32 (one type), 1-2 parameters, a
 * body of the same statements and expressions as scalar kernels without transcendentals
 * (their GPU error is checked only where it can be bounded: the tail), and for some
 * float32 kernels a transcendental tail.
 */
export function generateGpuKernel(seed: number, index: number): GeneratedGpuKernel {
  const r = mulberry32((seed * 0x27d4eb2f + index * 0x165667b1 + 0x9e3779b9) >>> 0);
  r();
  const t: GpuFuzzType = r() < 0.6 ? 'float32' : r() < 0.5 ? 'int32' : 'uint32';
  const n = 1 + Math.floor(r() * 2);
  const params = Array.from({ length: n }, () => t);
  const names = params.map((_, i) => ['x', 'y'][i]!);
  const withTail = t === 'float32' && r() < 0.5;
  const g = new Gen(r, names, t !== 'float32', true, { transcendentals: false, returns: !withTail, gpu: t });
  const body: string[] = [];
  g.stmts(2, g.int(4), '  ', body);
  const e = g.expr(3);
  const src = (ret: string) => `(${names.join(', ')}) => {\n${[...body, `  return ${ret};`].join('\n')}\n}`;
  const sig = (ret: string) => `${ret}(${params.join(', ')})`;
  let tail: GeneratedGpuKernel['tail'] = null;
  if (withTail) {
    const f = g.pick(TRANSCENDENTALS);
    const iType = g.chance(0.6) ? 'int32' as const : 'uint32' as const;
    tail = {
      f, fSource: src(`Math.${f}(${e})`), fSignature: sig('float32'),
      iSource: src(`(Math.${f}(${e}) ${iType === 'int32' ? '| 0' : '>>> 0'})`), iSignature: sig(iType), iType,
    };
  }
  return { source: src(e), signature: sig(t), params, returns: t, tail };
}
