/**
 * `nb.prange` on the 'parallel' target of nb.jit: each outermost `for (const i of
 * nb.prange(start, stop))` of the function becomes its own exported Wasm function that runs
 * one block of iterations, and the loop itself becomes a call to the host, which runs the
 * blocks on the worker pool (src/parallel/jit.ts) and returns when all are done.
 *
 * Why this shape: the call stays synchronous (the Wasm at the loop calls an imported host
 * function that blocks until the pool is done, as parallel vectorize's calls do), the
 * function's code before and after the loop runs once on the calling thread, and workers
 * instantiate the same module over the shared memory (as parallel stencils do).
 *
 * At a prange loop the function (on the calling thread):
 *   1. evaluates `start` and `stop` once; n = stop - start; nothing happens when n <= 0;
 *   2. cuts [start, stop) into B = min(n, {@link PRANGE_BLOCKS}) contiguous blocks (block b
 *      is [start + n*b/B, start + n*(b+1)/B)): the blocks depend on n only, never on the pool
 *      size or timing, so results are the same for any thread count;
 *   3. writes one record per block into the call's prange area (an exported global the host
 *      sets per call): the block's lo and hi, every parameter (address and byte strides of
 *      arrays, scalars), every size, the locals declared before the loop that the body reads
 *      (their values now), and the scratch arrays declared before it (address, length);
 *   4. calls the import `<prefix>prange_run(site, B)`: the host runs `<prefix>prange<site>(record)`
 *      for every block, here and on the workers, and returns (or throws the call's error);
 *   5. combines the reductions: each block starts every reduction local at the operation's
 *      identity (-0.0 / 0 for `+=` and `-=`, 1 for `*=`, +Infinity or the type's largest
 *      value for Math.min, -Infinity or the smallest for Math.max) and stores its partial in
 *      its record; the function folds them into the local in block order (`s = s + p0`, then
 *      `+ p1`, ...), with the same operation as the body, so the result is deterministic.
 * Rules (KernelError NB3002 with the line and column otherwise): inside the loop (nested
 * loops included) a scalar declared outside it is only read, or is a reduction local: every
 * write is `s += e`, `s -= e`, `s *= e`, `s = s op e` (op `+`, `-`, `*`; `e op s` for `+`
 * and `*`), `s = Math.min(s, e)` or `s = Math.max(s, e)` (or `Math.min(e, s)`), one family
 * per local (`+`/`-`, `*`, min, max), and the body reads it nowhere else (the partial would
 * not be the local's value); scalar parameters are not written; no `return`, and no `break`
 * out of the prange loop itself. Arrays are written by index freely: two iterations that
 * write the same element race, as in Numba. A prange loop inside another prange loop, or in
 * a helper, is an ordinary loop. On the 'cpu' target `nb.prange` is an ordinary loop and
 * none of this applies ({@link stripPrange}).
 */
import { DTYPES, type DType } from '../dtype/dtypes.js';
import { AsFunctionEmitter, asCast, asConst, sizeName, strideName, scratchLength, type AsNames } from './emit/assemblyscript/emit-function.js';
import { kernelError } from './frontend/diagnostics.js';
import { forEachExpr, forEachStmt, mapStmt, type Expr, type ForStmt, type IRFunction, type IRProgram, type Local, type Stmt } from './ir/nodes.js';
import { asType, intRange, isBool, isFloatType, isIntType } from './ir/types.js';

/** Blocks a prange loop is cut into at most (fixed: results must not depend on the machine). */
export const PRANGE_BLOCKS = 64;

/** One prange loop of a compiled function, as the host runs it (src/parallel/jit.ts). */
export interface PrangeSite {
  /** The export that runs one block: `<prefix>prange<k>(record)`. */
  readonly entry: string;
  /** Bytes of one block's record (a multiple of 16). */
  readonly recordBytes: number;
}

/** What the host needs to run a function's prange loops. */
export interface PrangeInfo {
  readonly sites: readonly PrangeSite[];
  /** The import the function calls at a prange loop: `(site, blocks) => void`. */
  readonly runImport: string;
  /** The export that sets the call's prange area (`(address) => void`). */
  readonly areaSetter: string;
  /** Bytes of the area a call needs (PRANGE_BLOCKS records of the largest site). */
  readonly areaBytes: number;
}

type T = Expr<DType>;
type S = Stmt<DType>;

/** A reduction family: how partials start and combine. */
type Family = 'add' | 'mul' | 'min' | 'max';

interface Reduction {
  readonly id: number;
  readonly family: Family;
  /** The intrinsic the body calls (min/max): the combine calls the same one. */
  readonly fn?: string;
}

/** One record slot: its AS type, the name the block function declares, the value the caller stores. */
interface Slot {
  readonly type: string;
  readonly name: string;
  readonly value: string;
  /** The block function's value instead of the stored one (a constant inner stride). */
  readonly constant?: string;
}

interface Site {
  readonly k: number;
  readonly loop: ForStmt<DType>;
  readonly counter: number;
  readonly start: T;
  readonly stop: T;
  readonly slots: readonly Slot[];
  readonly reductions: readonly Reduction[];
  /** Byte offset of each reduction's partial in the record. */
  readonly partials: readonly number[];
  readonly recordBytes: number;
}

const HEAD = 16;

/** `fn` with its prange loops as ordinary loops (the 'cpu' target; fastmath may then reassociate them). */
export function stripPrange<F extends IRFunction<DType>>(fn: F): F {
  const block = (b: readonly S[]): S[] => b.map(stmt);
  const stmt = (s: S): S => {
    const m = mapStmt(s, (e) => e, block);
    if (m.kind !== 'for' || !m.prange) return m;
    const { prange: _, ...rest } = m;
    return rest;
  };
  return { ...fn, body: block(fn.body) };
}

/** The locals and scratch arrays a statement list declares (at any depth). */
function declaredIn(body: readonly S[]): { locals: Set<number>; scratch: Set<number> } {
  const locals = new Set<number>();
  const scratch = new Set<number>();
  forEachStmt(body, (s) => {
    if (s.kind === 'let') locals.add(s.local);
    if (s.kind === 'scratch') scratch.add(s.id);
  });
  return { locals, scratch };
}

/** The reduction family of `s = value` for local `id`, or null when it is not a reduction form. */
function reductionForm(value: T, id: number): { family: Family; fn?: string } | null {
  const isS = (e: T) => e.kind === 'local' && e.id === id;
  if (value.kind === 'binary') {
    if ((value.op === 'add' || value.op === 'sub') && (isS(value.left) || (value.op === 'add' && isS(value.right)))) return { family: 'add' };
    if (value.op === 'mul' && (isS(value.left) || isS(value.right))) return { family: 'mul' };
    return null;
  }
  if (value.kind === 'call' && (value.fn === 'min' || value.fn === 'max') && value.args.length === 2 && value.args.some(isS)) {
    return { family: value.fn, fn: value.fn };
  }
  return null;
}

/** The statements of a loop body that jump out of that loop (a break not inside a nested loop). */
function breaksOut(body: readonly S[], found: (s: S) => void): void {
  for (const s of body) {
    if (s.kind === 'break') found(s);
    if (s.kind === 'if') { breaksOut(s.then, found); breaksOut(s.else, found); }
  }
}

/** The identity of a reduction family in dtype t: where each block's partial starts. */
function identityValue(family: Family, t: DType): number | bigint {
  const float = isFloatType(t);
  switch (family) {
    case 'add': return float ? -0 : 0;
    case 'mul': return 1;
    case 'min': return float ? Infinity : intRange(t).max;
    case 'max': return float ? -Infinity : intRange(t).min;
  }
}

/** The identity of a reduction family in dtype t, as AS text. */
const identity = (family: Family, t: DType): string => asConst(identityValue(family, t), t);

/** `s op q`: a block's partial `q` folded into the local's value `s`, by the body's own operation. */
function folded(r: Reduction, s: T, q: T): T {
  const { type, at } = s;
  return r.family === 'min' || r.family === 'max'
    ? { kind: 'call', fn: r.fn!, args: [s, q], type, at }
    : { kind: 'binary', op: r.family, left: s, right: q, type, at };
}

/** A reduction of a prange loop as the JS tier runs it (emit/js/emit-module.ts). */
export interface PrangeReduction {
  /** The local reduced into. */
  readonly id: number;
  /** Where each block's partial starts. */
  readonly identity: number | bigint;
  /** The local's value before the block (`s`) with the block's partial (`q`) folded in. */
  combine(s: Expr<DType>, q: Expr<DType>): Expr<DType>;
}

/**
 * The outermost prange loops of a 'parallel' jit program and their reductions, for the JS
 * tier: it runs the same blocks (B = min(n, {@link PRANGE_BLOCKS}), block b = [start +
 * n*b/B, start + n*(b+1)/B)) in order on the calling thread, each reduction starting at its
 * identity and folded in block order as here, so float reductions give the Wasm tier's bits.
 *
 * @example
 * ```ts
 * const js = emitJs(ir, prangeLoops(ir));
 * ```
 */
export function prangeLoops(p: IRProgram): ReadonlyMap<ForStmt<DType>, readonly PrangeReduction[]> {
  return new Map(analyze(p, () => false).map((site) => [site.loop, site.reductions.map((r) => ({
    id: r.id, identity: identityValue(r.family, p.main.locals[r.id]!.type), combine: (s: T, q: T) => folded(r, s, q),
  }))]));
}

/**
 * The outermost prange loops of `p.main`, checked and laid out (see the file header).
 *
 * @throws KernelError NB3002 (a write to a scalar declared outside the loop that is not a
 *   reduction, a reduction read elsewhere in the body, `return`, a `break` out of the loop).
 */
function analyze(p: IRProgram, isUnitInner: (param: number) => boolean): Site[] {
  const fn = p.main;
  const sites: Site[] = [];
  const fail = (at: number, why: string): never => { throw kernelError('NB3002', fn.source, at, [why]); };
  const visit = (body: readonly S[]): void => {
    for (const s of body) {
      if (s.kind === 'for' && s.prange) { sites.push(site(s, sites.length)); continue; }
      if (s.kind === 'if') { visit(s.then); visit(s.else); }
      if (s.kind === 'for') { visit(s.init); visit(s.body); }
      if (s.kind === 'while') visit(s.body);
    }
  };
  const site = (loop: ForStmt<DType>, k: number): Site => {
    const init = loop.init[0];
    const cond = loop.cond;
    if (loop.init.length !== 1 || init?.kind !== 'let' || cond?.kind !== 'compare' || cond.op !== 'lt') {
      throw new Error('internal: a prange loop is not a counting loop');
    }
    const counter = init.local;
    if (!isIntType(cond.operand)) fail(loop.at, `its bounds must be integers (they are ${cond.operand})`);
    const inner = declaredIn([...loop.init, ...loop.body, ...loop.update]);
    const reads = new Map<number, number>();
    const writes = new Map<number, { at: number; form: ReturnType<typeof reductionForm> }[]>();
    const scratch = new Set<number>();
    forEachExpr(loop.body, (e) => {
      if (e.kind === 'local' && !inner.locals.has(e.id)) reads.set(e.id, (reads.get(e.id) ?? 0) + 1);
      if ((e.kind === 'load' || e.kind === 'length') && e.array.kind === 'scratch' && !inner.scratch.has(e.array.id)) scratch.add(e.array.id);
    });
    forEachStmt(loop.body, (s) => {
      if (s.kind === 'return') fail(s.at, 'a prange loop cannot return (its iterations run on several threads)');
      if (s.kind === 'alloc') fail(s.at, 'it allocates an array (nb.empty, zeros, ones, full): its iterations run on worker threads, which cannot reach the allocator; allocate before the loop (one row per iteration: a 2-D array, row i for iteration i)');
      if (s.kind === 'store' && s.array.kind === 'scratch' && !inner.scratch.has(s.array.id)) scratch.add(s.array.id);
      if (s.kind !== 'assign') return;
      if (s.place.kind === 'param') {
        fail(s.at, `it writes the parameter '${fn.params[s.place.index]!.name}', declared outside the loop; only reductions (s += e, s *= e, s = Math.min(s, e), s = Math.max(s, e)) into locals declared before the loop may write outer scalars`);
      } else if (!inner.locals.has(s.place.id)) {
        const list = writes.get(s.place.id) ?? [];
        list.push({ at: s.at, form: reductionForm(s.value, s.place.id) });
        writes.set(s.place.id, list);
      }
    });
    breaksOut(loop.body, (b) => fail(b.at, 'a break cannot leave a prange loop (its iterations run on several threads); continue is allowed'));
    const reductions: Reduction[] = [];
    for (const [id, ws] of writes) {
      const name = fn.locals[id]!.name;
      const bad = ws.find((w) => w.form === null);
      if (bad) {
        fail(bad.at, `it writes '${name}', a scalar declared outside the loop, in a way that is not a reduction; ` +
          `reductions are ${name} += e, ${name} -= e, ${name} *= e, ${name} = Math.min(${name}, e) and ${name} = Math.max(${name}, e). ` +
          'Declare the variable inside the loop, or write the values into an array by index');
      }
      const families = new Set(ws.map((w) => w.form!.family));
      if (families.size > 1) fail(ws[1]!.at, `'${name}' is reduced with different operations (${[...families].join(', ')}); use one per variable`);
      if (isBool(fn.locals[id]!.type)) fail(ws[0]!.at, `'${name}' is a boolean: reductions are over numbers`);
      // Each reduction form reads the local once; any other read sees a partial value.
      if ((reads.get(id) ?? 0) > ws.length) {
        let at = ws[0]!.at;
        forEachExpr(loop.body, (e) => { if (e.kind === 'local' && e.id === id && at === ws[0]!.at) at = e.at; });
        fail(at, `it reads '${name}', a reduction variable, outside its reduction (each block holds a partial value); read it after the loop`);
      }
      reductions.push({ id, family: ws[0]!.form!.family, ...(ws[0]!.form!.fn ? { fn: ws[0]!.form!.fn } : {}) });
    }
    // The record: [lo, hi] then the slots, then the partials.
    const slots: Slot[] = [];
    fn.params.forEach((q, i) => {
      if (q.array) {
        slots.push({ type: 'usize', name: q.emitName, value: q.emitName });
        for (let d = 0; d < q.array.ndim; d++) {
          const s = strideName(q.emitName, d);
          const last = d === q.array.ndim - 1 && isUnitInner(i);
          slots.push({ type: 'usize', name: s, value: s, ...(last ? { constant: `<usize>${DTYPES[q.array.dtype].itemSize}` } : {}) });
        }
      } else slots.push({ type: asType(q.scalar!), name: q.emitName, value: q.emitName });
    });
    p.core?.dims.forEach((_, d) => slots.push({ type: 'i32', name: sizeName(d), value: sizeName(d) }));
    const reduced = new Set(reductions.map((r) => r.id));
    for (const id of [...reads.keys()].sort((a, b) => a - b)) {
      if (reduced.has(id)) continue;
      const l = fn.locals[id]!;
      slots.push({ type: asType(l.type), name: l.emitName, value: l.emitName });
    }
    for (const id of [...scratch].sort((a, b) => a - b)) {
      const a = fn.scratch![id]!;
      slots.push({ type: 'usize', name: a.emitName, value: a.emitName });
      slots.push({ type: 'i32', name: scratchLength(a.emitName), value: scratchLength(a.emitName) });
    }
    const first = HEAD + slots.length * 8;
    const partials = reductions.map((_, j) => first + 8 * j);
    const recordBytes = Math.ceil((first + 8 * reductions.length) / 16) * 16;
    return { k, loop, counter, start: init.init, stop: cond.right, slots, reductions, partials, recordBytes };
  };
  visit(fn.body);
  return sites;
}

/**
 * The AS emitter of a function with prange loops on the 'parallel' target: the function
 * prints each outermost prange loop as the host call (see the file header), and
 * {@link PrangeEmitter.blockFunctions} prints the loops' block functions.
 */
class PrangeEmitter extends AsFunctionEmitter {
  private readonly byAt: Map<number, Site>;
  constructor(
    private readonly p: IRProgram,
    private readonly pnames: AsNames,
    readonly sites: readonly Site[],
  ) {
    super(p, pnames);
    this.byAt = new Map(sites.map((s) => [s.loop.at, s]));
  }

  override stmts(fn: IRFunction<DType>, stmts: readonly S[], ind: string, out: string[]): void {
    if (fn !== this.p.main) { super.stmts(fn, stmts, ind, out); return; }
    for (const s of stmts) {
      const site = s.kind === 'for' && s.prange ? this.byAt.get(s.at) : undefined;
      if (site === undefined) super.stmts(fn, [s], ind, out);
      else this.callSite(fn, site, ind, out);
    }
  }

  private get prefix(): string {
    return this.pnames.prefix;
  }

  /** The loop as the host call, and the reductions combined in block order. */
  private callSite(fn: IRFunction<DType>, site: Site, ind: string, out: string[]): void {
    const i1 = `${ind}  `;
    const i2 = `${ind}    `;
    const i3 = `${ind}      `;
    const k = site.k;
    const i64 = (e: T) => asCast(e.type, 'int64', this.expr(fn, e));
    const record = `${i3}const __nb_r: usize = ${this.prefix}pr_area + <usize>__nb_j * ${site.recordBytes};`;
    out.push(`${ind}{ // prange loop ${k}: its blocks run on the worker pool`);
    out.push(`${i1}const __nb_s: i64 = ${i64(site.start)};`);
    out.push(`${i1}const __nb_c: i64 = ${i64(site.stop)} - __nb_s;`);
    out.push(`${i1}if (__nb_c > 0) {`);
    out.push(`${i2}const __nb_b: i32 = <i32>min<i64>(__nb_c, ${PRANGE_BLOCKS});`);
    out.push(`${i2}for (let __nb_j: i32 = 0; __nb_j < __nb_b; __nb_j++) {`);
    out.push(record);
    out.push(`${i3}store<i64>(__nb_r, __nb_s + __nb_c * <i64>__nb_j / <i64>__nb_b);`);
    out.push(`${i3}store<i64>(__nb_r + 8, __nb_s + __nb_c * <i64>(__nb_j + 1) / <i64>__nb_b);`);
    site.slots.forEach((s, j) => out.push(`${i3}store<${s.type}>(__nb_r + ${HEAD + 8 * j}, ${s.value});`));
    out.push(`${i2}}`);
    out.push(`${i2}${this.prefix}prange_run(${k}, __nb_b);`);
    if (site.reductions.length > 0) {
      // The partials folded into the locals in block order, by the body's own operation.
      const locals: Local<DType>[] = [...fn.locals];
      const combine = site.reductions.map((r) => {
        const l = fn.locals[r.id]!;
        const pid = locals.length;
        locals.push({ ...l, id: pid, name: `${l.name}'`, emitName: `__nb_p_${l.emitName}`, isConst: true });
        const at = l.at;
        const value = folded(r, { kind: 'local', id: r.id, type: l.type, at }, { kind: 'local', id: pid, type: l.type, at });
        return { l, pid, value };
      });
      const view: IRFunction<DType> = { ...fn, locals };
      out.push(`${i2}for (let __nb_j: i32 = 0; __nb_j < __nb_b; __nb_j++) {`);
      out.push(record);
      combine.forEach((c, j) => {
        const t = asType(c.l.type);
        out.push(`${i3}const __nb_p_${c.l.emitName}: ${t} = load<${t}>(__nb_r + ${site.partials[j]});`);
        out.push(`${i3}${c.l.emitName} = ${this.expr(view, c.value)};`);
      });
      out.push(`${i2}}`);
    }
    out.push(`${i1}}`);
    out.push(`${ind}}`);
  }

  /** The exported block function of each site: `<prefix>prange<k>(record)` runs iterations [lo, hi). */
  blockFunctions(): string[] {
    const fn = this.p.main;
    return this.sites.map((site) => {
      const lines: string[] = [`export function ${this.prefix}prange${site.k}(__nb_r: usize): void {`];
      site.slots.forEach((s, j) => lines.push(`  const ${s.name}: ${s.type} = ${s.constant ?? `load<${s.type}>(__nb_r + ${HEAD + 8 * j})`};`));
      for (const r of site.reductions) {
        const l = fn.locals[r.id]!;
        lines.push(`  let ${l.emitName}: ${asType(l.type)} = ${identity(r.family, l.type)};`);
      }
      // The loop from lo to hi: the same statements, its counter starting at lo and compared with hi.
      const c = fn.locals[site.counter]!;
      const at = site.loop.at;
      const lo = fn.locals.length;
      const hi = lo + 1;
      const locals: Local<DType>[] = [...fn.locals,
        { id: lo, name: 'lo', emitName: '__nb_lo', at, isConst: true, type: c.type },
        { id: hi, name: 'hi', emitName: '__nb_hi', at, isConst: true, type: c.type }];
      const ct = asType(c.type);
      lines.push(`  const __nb_lo: ${ct} = <${ct}>load<i64>(__nb_r);`);
      lines.push(`  const __nb_hi: ${ct} = <${ct}>load<i64>(__nb_r + 8);`);
      const local = (id: number): T => ({ kind: 'local', id, type: c.type, at });
      const loop: ForStmt<DType> = {
        ...site.loop,
        prange: false,
        init: [{ kind: 'let', local: site.counter, init: local(lo), at }],
        cond: { kind: 'compare', op: 'lt', left: local(site.counter), right: local(hi), operand: c.type, type: 'bool', at },
      };
      const block: IRFunction<DType> = { ...fn, name: `prange${site.k}`, locals, body: [loop] };
      this.stmts(block, [loop], '  ', lines);
      site.reductions.forEach((r, j) => {
        const l = fn.locals[r.id]!;
        lines.push(`  store<${asType(l.type)}>(__nb_r + ${site.partials[j]}, ${l.emitName});`);
      });
      lines.push('}');
      return lines.join('\n');
    });
  }
}

/**
 * The AS emitter and extra code of a jit function on the 'parallel' target, or null when
 * `p.main` has no prange loop (then it compiles as on 'cpu').
 *
 * @param isUnitInner - per parameter index: is its last axis's stride one element (a constant)?
 * @throws KernelError NB3002 (see {@link analyze}).
 * @example
 * ```ts
 * const pr = prangeEmitter(walked, { prefix: 'j_' }, (k) => unitInner(args[k]));
 * const em = pr?.emitter ?? new AsFunctionEmitter(walked, { prefix: 'j_' });
 * ```
 */
export function prangeEmitter(p: IRProgram, names: AsNames, isUnitInner: (param: number) => boolean): { emitter: AsFunctionEmitter; code: () => string; info: PrangeInfo } | null {
  const sites = analyze(p, isUnitInner);
  if (sites.length === 0) return null;
  const em = new PrangeEmitter(p, names, sites);
  const prefix = names.prefix;
  const info: PrangeInfo = {
    sites: sites.map((s) => ({ entry: `${prefix}prange${s.k}`, recordBytes: s.recordBytes })),
    runImport: `${prefix}prange_run`,
    areaSetter: `${prefix}prange_area`,
    areaBytes: PRANGE_BLOCKS * Math.max(...sites.map((s) => s.recordBytes)),
  };
  const code = () => [
    [
      '// @ts-ignore: decorator',
      `@external("env", "${info.runImport}")`,
      `declare function ${prefix}prange_run(site: i32, blocks: i32): void;`,
      `let ${prefix}pr_area: usize = 0;`,
      `export function ${info.areaSetter}(p: usize): void { ${prefix}pr_area = p; }`,
    ].join('\n'),
    ...em.blockFunctions(),
  ].join('\n\n');
  return { emitter: em, code, info };
}
