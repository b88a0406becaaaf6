/**
 * Direct Wasm for straight-line float kernels (src/compiler/emit/wasm, issue 15), through
 * nb.vectorize: random eligible kernels (expression trees over 1-4 float32 or float64
 * parameters, float and bool lets, constants, neg + - * /, sqrt abs floor ceil trunc, min/max
 * of 1-3 arguments, `c ? a : b` with conditions of comparisons, truthiness, Number.isNaN and
 * isFinite, && || !) on random inputs (NaN, ±0, ±Infinity, subnormals, huge values) in every layout
 * the loops see (contiguous, strided, reversed, broadcast, 0-d, empty, `out=` the input itself
 * or overlapping it by one element) give the bits of a plain-JS evaluation of the same tree
 * (Math.fround after each float32 operation); such kernels are on the Wasm tier at once, with
 * `tier: 'auto'` and `'wasm'`, and start no compiler worker. The general scalar path: random
 * integer kernels (int-kernel-arb.ts: dtype mixes, every integer operation, ?:, if/else, a
 * loop, casts to the output) against a BigInt reference of NumPy's and JavaScript's rules,
 * and collatz, early returns, bool results end to end; helper calls and constant tables
 * too. Kernels with a scratch array, an identity (asc's reduce tile), or a math library call
 * while there is no library go to asc as before; the ufunc methods and the parallel target run the direct module.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { directEligible, directLane } from '../../src/compiler/emit/wasm/emit-module.js';
import { intEvaluate, intProgramArb, intSignature, intSource, intValueArb } from './int-kernel-arb.js';
import { setDirectWasm } from '../../src/vectorize/tiered-kernels.js';
import { kernelCacheStats } from '../../src/vectorize/kernel-cache.js';
import { poolStarted } from '../../src/parallel/pool.js';

type Kernel = ((...a: unknown[]) => nb.NDArray) & nb.Ufunc & { readonly tier: 'js' | 'wasm'; readonly ready: Promise<void>; callAsync(...a: unknown[]): Promise<unknown>; readonly kernels: readonly { readonly ir: never }[] };
const vectorize = (sigs: string | string[], src: string, options: nb.VectorizeOptions = {}) =>
  nb.vectorize(sigs, options)(new Function(`return ${src}`)() as (...a: number[]) => number) as unknown as Kernel;

afterEach(() => setDirectWasm(true));

// `cache: true` below writes its entries here, not under the working directory.
const cacheDir = mkdtempSync(join(tmpdir(), 'numbats-direct-cache-'));
process.env['NUMBATS_CACHE_DIR'] = cacheDir;
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

// ---- random kernels --------------------------------------------------------------------

type Node =
  | { k: 'p'; i: number } | { k: 'l'; i: number } | { k: 'c'; v: number } | { k: 'neg'; a: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; a: Node; b: Node }
  | { k: 'f1'; fn: 'sqrt' | 'abs' | 'floor' | 'ceil' | 'trunc'; a: Node }
  | { k: 'mm'; fn: 'min' | 'max'; args: Node[] }
  | { k: 'sel'; c: Cond; a: Node; b: Node };

/** A condition: a comparison, the truthiness of a float, Number.isNaN/isFinite, && || !, a bool local. */
type Cond =
  | { k: 'cmp'; op: CmpOp; a: Node; b: Node } | { k: 'truthy'; a: Node } | { k: 'pred'; fn: 'isNaN' | 'isFinite'; a: Node }
  | { k: 'and' | 'or'; a: Cond; b: Cond } | { k: 'not'; a: Cond } | { k: 'bl'; i: number };
type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | '===' | '!==';

const CONSTS = [0, 1, 2, 0.5, 0.1, 3.25, 1e300, 1e-310, 65504, 16777217, 1e-40];

/** Arbitrary float trees and conditions reading `params` inputs, `lets` float locals and `bools` bool locals. */
function treeArb(params: number, lets: number, bools: number): { node: fc.Arbitrary<Node>; cond: fc.Arbitrary<Cond> } {
  const leaf = fc.oneof(
    fc.integer({ min: 0, max: params - 1 }).map((i): Node => ({ k: 'p', i })),
    ...(lets > 0 ? [fc.integer({ min: 0, max: lets - 1 }).map((i): Node => ({ k: 'l', i }))] : []),
    fc.tuple(fc.constantFrom(...CONSTS), fc.boolean()).map(([v, neg]): Node => ({ k: 'c', v: neg ? -v : v })),
  );
  const depth = { depthSize: 'small', maxDepth: 4, withCrossShrink: true, depthIdentifier: 'tree' } as const;
  return fc.letrec<{ node: Node; cond: Cond }>((tie) => ({
    node: fc.oneof(depth,
      leaf,
      tie('node').map((a): Node => ({ k: 'neg', a })),
      fc.record({ op: fc.constantFrom('+', '-', '*', '/'), a: tie('node'), b: tie('node') }).map((r): Node => ({ k: 'bin', ...r } as Node)),
      fc.record({ fn: fc.constantFrom('sqrt', 'abs', 'floor', 'ceil', 'trunc'), a: tie('node') }).map((r): Node => ({ k: 'f1', ...r } as Node)),
      fc.record({ fn: fc.constantFrom('min', 'max'), args: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }).map((r): Node => ({ k: 'mm', ...r } as Node)),
      fc.record({ c: tie('cond'), a: tie('node'), b: tie('node') }).map((r): Node => ({ k: 'sel', ...r } as Node)),
    ),
    cond: fc.oneof(depth,
      fc.record({ op: fc.constantFrom<CmpOp>('<', '<=', '>', '>=', '==', '!=', '===', '!=='), a: tie('node'), b: tie('node') }).map((r): Cond => ({ k: 'cmp', ...r } as Cond)),
      tie('node').map((a): Cond => ({ k: 'truthy', a: a as Node })),
      fc.record({ fn: fc.constantFrom('isNaN', 'isFinite'), a: tie('node') }).map((r): Cond => ({ k: 'pred', ...r } as Cond)),
      fc.record({ k: fc.constantFrom('and', 'or'), a: tie('cond'), b: tie('cond') }).map((r) => r as Cond),
      tie('cond').map((a): Cond => ({ k: 'not', a: a as Cond })),
      ...(bools > 0 ? [fc.integer({ min: 0, max: bools - 1 }).map((i): Cond => ({ k: 'bl', i }))] : []),
    ),
  }));
}

/** Float lets `t<i>`, then bool lets `c<i>`, then the return. */
interface Program { readonly params: number; readonly lets: Node[]; readonly bools: Cond[]; readonly ret: Node }

const programArb: fc.Arbitrary<Program> = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))
  .chain(([params, nlets, nbools]) => fc.tuple(
    fc.tuple(...Array.from({ length: nlets }, (_, i) => treeArb(params, i, 0).node)),
    fc.tuple(...Array.from({ length: nbools }, (_, i) => treeArb(params, nlets, i).cond)),
    treeArb(params, nlets, nbools).node,
  ).map(([lets, bools, ret]) => {
    // Two literal arms make a float64 select (NEP 50: weak floats), not a float32 kernel's
    // type: such a select reads input 0 in its else arm instead.
    const inlined: Node[] = [];
    for (const l of lets as Node[]) inlined.push(inlineLiterals(typedSelects(l, inlined), inlined));
    const fixed = (lets as Node[]).map((l, i) => typedSelects(l, inlined.slice(0, i)));
    return { params, lets: fixed, bools: (bools as Cond[]).map((b) => typedCond(b, inlined)), ret: typedSelects(ret, inlined) };
  }));

/** `n` with each select of two literal-only arms (through the literal-only `lets`) given an input for its else arm. */
function typedSelects(n: Node, lets: readonly Node[]): Node {
  const go = (x: Node) => typedSelects(x, lets);
  switch (n.k) {
    case 'p': case 'l': case 'c': return n;
    case 'neg': case 'f1': return { ...n, a: go(n.a) };
    case 'bin': return { ...n, a: go(n.a), b: go(n.b) };
    case 'mm': return { ...n, args: n.args.map(go) };
    case 'sel': {
      const weakArms = literalOnly(inlineLiterals(n.a, lets)) && literalOnly(inlineLiterals(n.b, lets));
      return { ...n, c: typedCond(n.c, lets), a: go(n.a), b: weakArms ? { k: 'p', i: 0 } : go(n.b) };
    }
  }
}

function typedCond(c: Cond, lets: readonly Node[]): Cond {
  switch (c.k) {
    case 'cmp': return { ...c, a: typedSelects(c.a, lets), b: typedSelects(c.b, lets) };
    case 'truthy': case 'pred': return { ...c, a: typedSelects(c.a, lets) };
    case 'and': case 'or': return { ...c, a: typedCond(c.a, lets), b: typedCond(c.b, lets) };
    case 'not': return { ...c, a: typedCond(c.a, lets) };
    case 'bl': return c;
  }
}

/** A float literal (a weak float: `1.0`, not the weak int `1`). */
const literal = (v: number) => (Number.isInteger(v) && v < 1e21 ? `${v}.0` : String(v));

function source(n: Node): string {
  switch (n.k) {
    case 'p': return `x${n.i}`;
    case 'l': return `t${n.i}`;
    case 'c': return n.v < 0 || Object.is(n.v, -0) ? `(-${literal(-n.v)})` : literal(n.v);
    case 'neg': return `(-${source(n.a)})`;
    case 'bin': return `(${source(n.a)} ${n.op} ${source(n.b)})`;
    case 'f1': return `Math.${n.fn}(${source(n.a)})`;
    case 'mm': return `Math.${n.fn}(${n.args.map(source).join(', ')})`;
    case 'sel': return `(${condSource(n.c, true)} ? ${source(n.a)} : ${source(n.b)})`;
  }
}

/**
 * A condition's source. Where JavaScript takes it as a condition (`?:`, under `!`), a float
 * is written bare (`x0 ? ...`, `(x0 && x1 > 1.0) ? ...`); elsewhere (a bool let) as `!!x0`,
 * since && and || of floats there are floats.
 */
function condSource(c: Cond, condition: boolean): string {
  switch (c.k) {
    case 'cmp': return `(${source(c.a)} ${c.op} ${source(c.b)})`;
    case 'truthy': return condition ? `(${source(c.a)})` : `(!!${source(c.a)})`;
    case 'pred': return `Number.${c.fn}(${source(c.a)})`;
    case 'and': case 'or': return `(${condSource(c.a, condition)} ${c.k === 'and' ? '&&' : '||'} ${condSource(c.b, condition)})`;
    case 'not': return `(!${condSource(c.a, true)})`;
    case 'bl': return `c${c.i}`;
  }
}

const kernelSource = (p: Program) => `(${Array.from({ length: p.params }, (_, i) => `x${i}`).join(', ')}) => { ${
  p.lets.map((l, i) => `const t${i} = ${source(l)}; `).join('')}${
  p.bools.map((b, i) => `const c${i} = ${condSource(b, false)}; `).join('')}return ${source(p.ret)}; }`;

/** Whether a tree reads no parameter or local: literals only (a weak value). A select is typed (NEP 50: its arms' type). */
function literalOnly(n: Node): boolean {
  switch (n.k) {
    case 'p': case 'l': case 'sel': return false;
    case 'c': return true;
    case 'neg': case 'f1': return literalOnly(n.a);
    case 'bin': return literalOnly(n.a) && literalOnly(n.b);
    case 'mm': return n.args.every(literalOnly);
  }
}

/** `n` with each local whose value is literals only replaced by its tree (a weak value stays weak: NEP 50). */
function inlineLiterals(n: Node, lets: readonly Node[]): Node {
  const go = (x: Node) => inlineLiterals(x, lets);
  switch (n.k) {
    case 'l': return literalOnly(lets[n.i]!) ? lets[n.i]! : n;
    case 'p': case 'c': return n;
    case 'neg': case 'f1': return { ...n, a: go(n.a) };
    case 'bin': return { ...n, a: go(n.a), b: go(n.b) };
    case 'mm': return { ...n, args: n.args.map(go) };
    case 'sel': return { ...n, c: inlineCond(n.c, lets), a: go(n.a), b: go(n.b) };
  }
}

function inlineCond(c: Cond, lets: readonly Node[]): Cond {
  switch (c.k) {
    case 'cmp': return { ...c, a: inlineLiterals(c.a, lets), b: inlineLiterals(c.b, lets) };
    case 'truthy': case 'pred': return { ...c, a: inlineLiterals(c.a, lets) };
    case 'and': case 'or': return { ...c, a: inlineCond(c.a, lets), b: inlineCond(c.b, lets) };
    case 'not': return { ...c, a: inlineCond(c.a, lets) };
    case 'bl': return c;
  }
}

const compareJs = (op: CmpOp, a: number, b: number): boolean => {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': case '===': return a === b;
    case '!=': case '!==': return a !== b;
  }
};

/**
 * The tree evaluated in plain JS: float64 arithmetic, or float32 (rounded after each
 * operation). Literal-only parts, through the locals that hold them, are weak floats (NEP 50:
 * Python floats), computed in float64 and taking the kernel's type where they meet a typed
 * value; so two of them compare, and one is truthy, as float64s.
 */
function evaluate(p: Program, xs: readonly number[], f32: boolean): number {
  const r = f32 ? Math.fround : (v: number) => v;
  const lets: number[] = [];
  const bools: boolean[] = [];
  const inlined: Node[] = [];
  for (const l of p.lets) inlined.push(inlineLiterals(l, inlined));
  const weak = (n: Node) => evaluate({ params: 0, lets: [], bools: [], ret: n }, [], false);
  const ev = (n: Node): number => (f32 && literalOnly(n) ? r(weak(n)) : typed(n));
  const typed = (n: Node): number => {
    switch (n.k) {
      case 'p': return xs[n.i]!;
      case 'l': return lets[n.i]!;
      case 'c': return r(n.v);
      case 'neg': return -ev(n.a);
      case 'bin': {
        const a = ev(n.a);
        const b = ev(n.b);
        return r(n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : a / b);
      }
      case 'f1': return r(Math[n.fn](ev(n.a)));
      case 'mm': return n.args.map(ev).reduce((acc, v) => r(Math[n.fn](acc, v)));
      case 'sel': return cond(n.c) ? ev(n.a) : ev(n.b);
    }
  };
  const cond = (c: Cond): boolean => {
    switch (c.k) {
      case 'cmp': return literalOnly(c.a) && literalOnly(c.b) ? compareJs(c.op, weak(c.a), weak(c.b)) : compareJs(c.op, ev(c.a), ev(c.b));
      case 'truthy': { const v = literalOnly(c.a) ? weak(c.a) : ev(c.a); return v !== 0 && !Number.isNaN(v); }
      case 'pred': return Number[c.fn](literalOnly(c.a) ? weak(c.a) : ev(c.a));
      case 'and': return cond(c.a) && cond(c.b);
      case 'or': return cond(c.a) || cond(c.b);
      case 'not': return !cond(c.a);
      case 'bl': return bools[c.i]!;
    }
  };
  for (const l of inlined) lets.push(ev(l));
  for (const b of p.bools) bools.push(cond(inlineCond(b, inlined)));
  return ev(inlineLiterals(p.ret, inlined));
}

const SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e-310, 1e-40, -1e-45, 1e308, -1.7976931348623157e308, 3.4e38, -3.5e38, 1, -1, 0.5, 2.5, -2.5];
const valueArb = fc.oneof(fc.constantFrom(...SPECIAL), fc.double(), fc.double({ min: -100, max: 100, noNaN: true }));

const LAYOUTS = ['contiguous', 'strided', 'reversed', 'broadcast', '0-d', 'empty', 'out=input', 'out overlaps input'] as const;

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe('random eligible kernels give the bits of a plain-JS evaluation', () => {
  it('float32 and float64, 1-4 inputs, every layout', () => {
    fc.assert(fc.property(
      programArb, fc.constantFrom('float32', 'float64'), fc.constantFrom(...LAYOUTS), fc.integer({ min: 1, max: 37 }),
      fc.array(valueArb, { minLength: 4 * 40, maxLength: 4 * 40 }), fc.integer({ min: 0, max: 3 }),
      (prog, dtype, chosen, len, pool, which) => {
        // (one input broadcast against nothing is a 1-element call)
        const layout = chosen === 'broadcast' && prog.params === 1 ? 'contiguous' : chosen;
        const f32 = dtype === 'float32';
        const t = f32 ? 'f4' : 'f8';
        const f = vectorize(`${t}(${Array(prog.params).fill(t).join(',')})`, kernelSource(prog));
        expect(directLane(f.kernels[0]!.ir)).toBe(dtype);
        expect(f.tier).toBe('wasm');
        const n = layout === 'empty' ? 0 : layout === '0-d' ? 1 : len;
        const k0 = which % prog.params;
        const vals = Array.from({ length: prog.params }, (_, k) =>
          Array.from({ length: n }, (_, i) => (f32 ? Math.fround(pool[k * 40 + i]!) : pool[k * 40 + i]!)));
        if (layout === 'broadcast') vals[k0] = vals[k0]!.map(() => vals[k0]![0]!);
        const want = Array.from({ length: n }, (_, i) => evaluate(prog, vals.map((v) => v[i]!), f32));
        const arr = (v: number[]) => nb.array(v, { dtype });
        let inputs: nb.NDArray[];
        let out: nb.NDArray | undefined;
        let base: nb.NDArray | undefined;
        switch (layout) {
          case 'strided': inputs = vals.map((v) => arr(v.flatMap((x) => [x, 7])).slice('::2')); break;
          case 'reversed': inputs = vals.map((v) => arr([...v].reverse()).slice('::-1')); break;
          case 'broadcast': inputs = vals.map((v, k) => (k === k0 ? arr([v[0]!]) : arr(v))); break;
          case '0-d': inputs = vals.map((v) => nb.array(v[0]! as never, { dtype })); break;
          case 'out=input': inputs = vals.map(arr); out = inputs[k0]; break;
          case 'out overlaps input':
            // Input k0 and the output share one buffer, one element apart (either way round).
            base = arr(which % 2 === 0 ? [...vals[k0]!, 9] : [9, ...vals[k0]!]);
            inputs = vals.map((v, k) => (k !== k0 ? arr(v) : which % 2 === 0 ? base!.slice(`0:${n}`) : base!.slice(`1:${n + 1}`)));
            out = which % 2 === 0 ? base.slice(`1:${n + 1}`) : base.slice(`0:${n}`);
            break;
          default: inputs = vals.map(arr);
        }
        const r = out === undefined ? f(...inputs) : f(...inputs, { out });
        expect(r.shape).toEqual(layout === '0-d' ? [] : [n]);
        const got = Array.from(r.copy().data as Float64Array | Float32Array);
        const bad = got.findIndex((v, i) => !same(v, want[i]!));
        if (bad >= 0) throw new Error(`${kernelSource(prog)} on ${dtype} (${layout}) at ${bad}: got ${got[bad]}, want ${want[bad]} (inputs ${vals.map((v) => v[bad])})`);
        expect(got.length).toBe(n);
      },
    ), { numRuns: 300 });
  });

  it('min/max: NaN and -0 as Math.min/max, f32 constants exactly, on the SIMD and scalar loops', () => {
    const specials = [NaN, -0, 0, -Infinity, Infinity, 1, -1, 5e-324, Math.fround(0.1)];
    for (const t of ['f4', 'f8'] as const) {
      const f = vectorize(`${t}(${t},${t})`, '(x, y) => Math.min(Math.max(x, y), 0.1) + Math.max(Math.min(x, -0), y * 0)');
      const r = t === 'f4' ? Math.fround : (v: number) => v;
      const xs = specials.flatMap((a) => specials.map(() => a));
      const ys = specials.flatMap(() => specials);
      const want = xs.map((x, i) => r(r(Math.min(Math.max(x, ys[i]!), r(0.1))) + r(Math.max(Math.min(x, -0), r(ys[i]! * 0)))));
      const dtype = t === 'f4' ? 'float32' : 'float64';
      const got = Array.from(f(nb.array(xs, { dtype }), nb.array(ys, { dtype })).data as Float64Array);
      got.forEach((v, i) => expect(same(v, want[i]!), `${xs[i]}, ${ys[i]}: ${v} vs ${want[i]}`).toBe(true));
    }
  });

  it('comparisons, truthiness, isNaN, isFinite, && || ! on NaN, ±0, ±Infinity and subnormals as JavaScript, on the SIMD and scalar loops', () => {
    const specials = [NaN, -0, 0, -Infinity, Infinity, 1, -1, 5e-324, 1e-40];
    const ops: CmpOp[] = ['<', '<=', '>', '>=', '===', '!=='];
    const kernels: [string, (x: number, y: number) => boolean][] = [
      ...ops.map((op): [string, (x: number, y: number) => boolean] => [`x ${op} y`, (x, y) => compareJs(op, x, y)]),
      ['x', (x) => Boolean(x)],
      ['!y', (_, y) => !y],
      ['x && !(y < 1)', (x, y) => Boolean(x) && !(y < 1)],
      ['x > y || y', (x, y) => x > y || Boolean(y)],
      ['Number.isNaN(x)', (x) => Number.isNaN(x)],
      ['!Number.isFinite(y) || x < 0', (x, y) => !Number.isFinite(y) || x < 0],
    ];
    for (const t of ['f4', 'f8'] as const) {
      const dtype = t === 'f4' ? 'float32' : 'float64';
      const r = t === 'f4' ? Math.fround : (v: number) => v;
      const xs = specials.flatMap((a) => specials.map(() => r(a)));
      const ys = specials.flatMap(() => specials.map(r));
      for (const [cond, js] of kernels) {
        // (`? 1 : 0`: weak ints, an int64 select cast to the result, made a select of two floats)
        const f = vectorize(`${t}(${t},${t})`, `(x, y) => (${cond}) ? 1 : 0`);
        expect(f.tier).toBe('wasm');
        const want = xs.map((x, i) => (js(x, ys[i]!) ? 1 : 0));
        const contiguous = Array.from(f(nb.array(xs, { dtype }), nb.array(ys, { dtype })).data as Float64Array);
        // Every other element: the scalar loop.
        const wide = (v: number[]) => nb.array(v.flatMap((a) => [a, 7]), { dtype }).slice('::2');
        const strided = Array.from(f(wide(xs), wide(ys)).copy().data as Float64Array);
        for (const got of [contiguous, strided]) got.forEach((v, i) => expect(v, `${t} ${cond} on ${xs[i]}, ${ys[i]}`).toBe(want[i]));
      }
    }
  });
});

describe('random integer kernels (the general scalar path) give the values of a NumPy/JavaScript reference', () => {
  it('int8 ... uint64 mixes, + - * & | ^ % floor/trunc division ** << >> (any count), ~ -, ?:, if/else, a loop, casts to the output', () => {
    const INT_LAYOUTS = ['contiguous', 'strided', 'reversed', 'broadcast', '0-d', 'empty'] as const;
    const caseArb = intProgramArb.chain((prog) => fc.tuple(
      fc.constant(prog), fc.constantFrom(...INT_LAYOUTS), fc.integer({ min: 1, max: 23 }),
      fc.tuple(...prog.params.map((t) => fc.array(intValueArb(t), { minLength: 23, maxLength: 23 }))), fc.nat(),
    ));
    fc.assert(fc.property(caseArb, ([prog, chosen, len, pool, which]) => {
      const layout = chosen === 'broadcast' && prog.params.length === 1 ? 'contiguous' : chosen;
      const f = nb.vectorize(intSignature(prog))(new Function(`return ${intSource(prog)}`)() as (...a: number[]) => number) as unknown as Kernel;
      expect(directEligible(f.kernels[0]!.ir)).toBe(true);
      expect(f.tier).toBe('wasm');
      const n = layout === 'empty' ? 0 : layout === '0-d' ? 1 : len;
      const k0 = which % prog.params.length;
      const vals = pool.map((v, k) => (layout === 'broadcast' && k === k0 ? v.slice(0, n).map(() => v[0]!) : v.slice(0, n)));
      const want = Array.from({ length: n }, (_, i) => intEvaluate(prog, vals.map((v) => v[i]!)));
      const arr = (v: bigint[], k: number) => {
        const t = prog.params[k]!;
        return nb.array((t === 'int64' || t === 'uint64' ? v : v.map(Number)) as never, { dtype: t });
      };
      let inputs: nb.NDArray[];
      switch (layout) {
        case 'strided': inputs = vals.map((v, k) => arr(v.flatMap((x) => [x, 7n]), k).slice('::2')); break;
        case 'reversed': inputs = vals.map((v, k) => arr([...v].reverse(), k).slice('::-1')); break;
        case 'broadcast': inputs = vals.map((v, k) => (k === k0 ? arr([v[0]!], k) : arr(v, k))); break;
        case '0-d': inputs = vals.map((v, k) => arr([v[0]!], k).reshape([])); break;
        default: inputs = vals.map(arr);
      }
      const r = f(...inputs);
      expect(r.shape).toEqual(layout === '0-d' ? [] : [n]);
      const got = Array.from(r.copy().data as ArrayLike<number | bigint>, (v) => (prog.out === 'bool' ? v !== 0 : v));
      const bad = got.findIndex((v, i) => !Object.is(v, want[i]));
      if (bad >= 0) throw new Error(`${intSource(prog)} ${intSignature(prog)} (${layout}) at ${bad}: got ${got[bad]}, want ${want[bad]} (inputs ${vals.map((v) => v[bad])})`);
      expect(got.length).toBe(n);
    }), { numRuns: 300 });
  });
});

describe('which kernels take the direct path', () => {
  it('eligible kernels are on the Wasm tier at once, with tier auto and wasm; the internal switch sends them to asc', async () => {
    const c = Math.random();
    expect(vectorize('f8(f8,f8)', `(x, y) => x * y + ${c}`).tier).toBe('wasm');
    expect(vectorize('f8(f8,f8)', `(x, y) => x * y + ${c}`, { tier: 'wasm' }).tier).toBe('wasm');
    expect(vectorize('f4(f4)', `(x) => Math.sqrt(x) * ${c}`, { fastmath: true }).tier).toBe('wasm');
    expect(vectorize('f8(f8)', `(x) => x > ${c} ? x : 0.01 * x`).tier).toBe('wasm');
    const lazy = nb.vectorize()((x: number) => x * 2 + 1) as unknown as Kernel;
    expect(lazy(nb.array([1.5, 2])).toArray()).toEqual([4, 5]);
    expect(lazy.tier).toBe('wasm');
    setDirectWasm(false);
    const viaAsc = vectorize('f8(f8,f8)', `(x, y) => x * y + ${c} + 1`);
    expect(viaAsc.tier).toBe('js');
    await viaAsc.ready;
    expect(viaAsc.tier).toBe('wasm');
    expect(viaAsc(nb.array([2]), 3).toArray()).toEqual([2 * 3 + c + 1]);
  });

  it('integer, bool, loop and early-return kernels are direct too, against plain JS', () => {
    const c = Math.floor(Math.random() * 100);
    const collatz = vectorize('i4(i4)', `(x) => { let n = ${c} - ${c}; while (x > 1) { x = x % 2 ? 3 * x + 1 : x / 2 | 0; n++; } return n; }`);
    const steps = (x: number) => { let n = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : (x / 2) | 0; n++; } return n; };
    const early = vectorize(['i2(i2)', 'f8(f8)'], `(x) => { if (x < 0) return -x; if (x > ${c}) { return ${c}; } return x * 2; }`);
    const isOdd = vectorize('b1(u1, i8)', '(a, b) => ((a + b) & 1n) === 1n');
    for (const f of [collatz, early, isOdd]) expect(f.tier).toBe('wasm');
    const xs = [1, 2, 3, 6, 7, 27, 97, 871, -5, 0];
    expect(collatz(nb.array(xs, { dtype: 'int32' })).toArray()).toEqual(xs.map(steps));
    const e = (x: number) => (x < 0 ? -x : x > c ? c : x * 2);
    expect(early(nb.array([-3.5, 0.25, c + 1, -0], { dtype: 'float64' })).toArray()).toEqual([-3.5, 0.25, c + 1, -0].map(e));
    // int16: x * 2 wraps; -(-32768) wraps to -32768.
    const wrap16 = (v: number) => (v << 16) >> 16;
    expect(early(nb.array([-32768, 20000, 40, -1], { dtype: 'int16' })).toArray()).toEqual([-32768, 20000, 40, -1].map((x) => wrap16(e(x))));
    const as = [255, 0, 7, 128];
    const bs = [1n, -1n, 2n ** 62n, -(2n ** 63n)];
    expect(isOdd(nb.array(as, { dtype: 'uint8' }), nb.array(bs, { dtype: 'int64' })).toArray()).toEqual(as.map((a, i) => ((BigInt(a) + bs[i]!) & 1n) === 1n));
  });

  it('helpers (inlined) and constant tables (at an address the runtime wrote them to): Wasm at once', () => {
    const c = Math.random();
    const h = nb.vectorize('f8(f8)', { helpers: { h: new Function('v', `return v * ${c};`) as (v: number) => number } })(new Function('return (x) => h(x) + 1')() as (x: number) => number) as unknown as Kernel;
    const t = nb.vectorize('f8(i4)', { constants: { w: new Float64Array([c, 2]) } })(new Function('return (i) => w[i & 1]')() as (x: number) => number) as unknown as Kernel;
    expect([h.tier, t.tier]).toEqual(['wasm', 'wasm']);
    expect(h(nb.array([2])).toArray()).toEqual([2 * c + 1]);
    expect(t(nb.array([0, 1, -1], { dtype: 'int32' })).toArray()).toEqual([c, 2, 2]);
  });

  it('a scratch array in a vectorize kernel: asc as before; an identity and Math.exp: direct at once, asc\'s module later', async () => {
    const c = Math.random();
    const scratch = vectorize('f8(f8)', `(x) => { const t = new Float64Array(1); t[0] = x; return t[0] + ${c}; }`);
    expect(scratch.tier).toBe('js');
    // (the identity's reduce tile and the inlined library functions: asc's module replaces these, tier.ts Tiers.optimize)
    const sum = vectorize('f8(f8,f8)', `(x, y) => x + y + ${c}`, { identity: 0 });
    const exp = vectorize('f8(f8)', `(x) => Math.exp(x) + ${c}`);
    expect([sum.tier, exp.tier]).toEqual(['wasm', 'wasm']);
    await Promise.all([scratch, sum, exp].map((f) => f.ready));
    for (const f of [scratch, sum, exp]) expect(f.tier).toBe('wasm');
    expect(scratch(nb.array([2])).toArray()).toEqual([2 + c]);
    expect(sum(nb.array([1, 2]), 3).toArray()).toEqual([1 + 3 + c, 2 + 3 + c]);
    expect(exp(nb.array([1])).toArray()).toEqual([Math.exp(1) + c]);
  });

  it("cache: true keeps the direct module by the kernel's inputs: the next factory runs no front end", () => {
    const c = Math.random();
    const before = kernelCacheStats();
    const f = vectorize('f8(f8,f8)', `(x, y) => x * y - ${c}`, { cache: true });
    const g = vectorize('f8(f8,f8)', `(x, y) => x * y - ${c}`, { cache: true });
    const after = kernelCacheStats();
    expect([after.frontEnd - before.frontEnd, after.hits - before.hits]).toEqual([1, 1]);
    expect([f.tier, g.tier]).toEqual(['wasm', 'wasm']);
    expect(g(nb.array([2.5]), 4).toArray()).toEqual([10 - c]);
  });

  it('a fresh process: .ready settles and the calls run without the compiler worker starting', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', [
      "import * as nb from './src/index.ts';",
      "import { compilerWorkersSpawned } from './src/vectorize/compile-sync.ts';",
      "const f = nb.vectorize('f8(f8, f8)')((x, y) => x * y + 1);",
      "const g = nb.vectorize(['f4(f4)', 'f8(f8)'], { tier: 'wasm' })((x) => Math.min(Math.max(x, 0), 1));",
      // (the general scalar path: a loop over int32, an early return, a bool result)
      "const h = nb.vectorize('i4(i4)')((x) => { let n = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : x / 2 | 0; n++; } return n; });",
      "const b = nb.vectorize('b1(i2)')((x) => { if (x < 0) return false; return (x & 1) === 1; });",
      'const tiers = [f.tier, g.tier, h.tier, b.tier];',
      'await f.ready; await g.ready; await h.ready; await b.ready;',
      'await new Promise((r) => setTimeout(r, 100));',
      "console.log(JSON.stringify([tiers, f(nb.array([1, 2]), 3).toArray(), g(nb.array([-1, 0.5, 2])).toArray(), h(nb.array([6, 27], { dtype: 'int32' })).toArray(), b(nb.array([-3, 3, 4], { dtype: 'int16' })).toArray(), compilerWorkersSpawned()]));",
    ].join('\n')], { cwd: process.cwd(), encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([['wasm', 'wasm', 'wasm', 'wasm'], [4, 7], [0, 0.5, 1], [8, 111], [false, true, false], 0]);
  });
});

describe('ufunc methods and targets on a direct kernel', () => {
  const f = vectorize('f8(f8,f8)', '(x, y) => x * y - y / 2');
  const ref = (x: number, y: number) => x * y - y / 2;
  const xs = [1.5, -2, 0.25, 3, -0, 7, 1e-310, 2.5, -4];
  const f8 = (v: number[]) => nb.array(v, { dtype: 'float64' });

  it('reduce, accumulate, outer, at against plain JS', () => {
    expect(f.tier).toBe('wasm');
    const a = f8(xs);
    expect((f.reduce(a) as nb.NDArray).item()).toBe(xs.reduce(ref));
    const acc: number[] = [];
    xs.forEach((v, i) => acc.push(i === 0 ? v : ref(acc[i - 1]!, v)));
    expect(f.accumulate(a).toArray()).toEqual(acc);
    const m = f8(xs.slice(0, 8)).reshape([4, 2]);
    const cols = [0, 1].map((j) => [0, 1, 2, 3].map((i) => xs[2 * i + j]!).reduce(ref));
    expect(f.reduce(m, { axis: 0 }).toArray()).toEqual(cols);
    expect(f.outer(f8(xs.slice(0, 3)), f8(xs.slice(3, 6))).toArray()).toEqual(xs.slice(0, 3).map((x) => xs.slice(3, 6).map((y) => ref(x, y))));
    const b = f8(xs.slice());
    f.at(b, nb.array([0, 2, 2], { dtype: 'int32' }), 3);
    const want = xs.slice();
    for (const i of [0, 2, 2]) want[i] = ref(want[i]!, 3);
    expect(b.toArray()).toEqual(want);
  });

  describe('parallel target', () => {
    const defaults = nb.config().parallel;
    afterAll(async () => {
      nb.config({ parallel: { ...defaults } });
      await nb.shutdown();
    });

    it('the workers run the direct module on the shared memory', async () => {
      nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
      const g = vectorize('f8(f8,f8)', '(x, y) => Math.sqrt(x * x + y * y)', { target: 'parallel' });
      expect(g.tier).toBe('wasm');
      const n = 100_003;
      const x = nb.linspace(-5, 5, n);
      const y = nb.linspace(3, -1, n).slice('::-1');
      const xv = x.toArray() as number[];
      const yv = y.toArray() as number[];
      const want = xv.map((v, i) => Math.sqrt(v * v + yv[i]! * yv[i]!));
      expect(g(x, y).toArray()).toEqual(want);
      expect(poolStarted()).toBe(true);
      expect(((await g.callAsync(x, y)) as nb.NDArray).toArray()).toEqual(want);
    });

    it('and a module of the general scalar path (a loop on int32, a bool result)', async () => {
      nb.config({ parallel: { threads: 2, minElements: 0, blockMs: 1e-6 } });
      const steps = vectorize('i4(i4)', '(x) => { let n = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : (x / 2) | 0; n++; } return n; }', { target: 'parallel' });
      const odd = vectorize('b1(i8)', '(x) => { if (x < 0n) return false; return (x & 1n) === 1n; }', { target: 'parallel' });
      expect([steps.tier, odd.tier]).toEqual(['wasm', 'wasm']);
      const n = 50_001;
      const xs = Array.from({ length: n }, (_, i) => (i * 7919) % 100_000 - 10);
      const collatz = (x: number) => { let c = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : (x / 2) | 0; c++; } return c; };
      expect(steps(nb.array(xs, 'int32')).toArray()).toEqual(xs.map(collatz));
      expect(((await odd.callAsync(nb.array(xs.map(BigInt), 'int64'))) as nb.NDArray).toArray()).toEqual(xs.map((x) => x >= 0 && x % 2 === 1));
    });
  });
});
