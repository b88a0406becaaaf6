/**
 * Same-libm references for the differential fuzzer: JavaScript evaluations of a kernel in
 * which every transcendental (exp, sin, cos, log, atan, `**` on floats) is computed by the
 * Wasm module's OWN libm instead of V8's, so that they must agree with the Wasm output
 * BIT FOR BIT, integer-typed intermediates included.
 *
 * Why: V8's and AssemblyScript's libm differ by an ULP now and then; a comparison with a
 * float tolerance would then also accept `(Math.exp(x) | 0) + y` off by one (the cast of a
 * value that rounded the other way at an integer boundary), or a `Math.floor`/`%`/branch
 * after it taking the other path. With the transcendental values themselves taken from the
 * Wasm (the same function the AS emitter calls: the probes below are compiled by
 * compileKernel and run through the `row` export of a linked module), every later step is
 * deterministic IEEE arithmetic, so each integer conversion in the reference is applied to
 * the Wasm's own float and the whole result is compared exactly. The libm itself is
 * compared with V8's separately (the V8-based comparisons keep their ULP tolerance and
 * report what exceeds it as divergences).
 *
 * Two entry points:
 * - {@link sameLibmJsKernel}: the JS emitter's source (`jsSource`) with each `Math.<f>(`
 *   call of a float transcendental replaced by the Wasm function of the IR call's type
 *   (float32 or float64: the AS emitter calls Mathf.exp for a float32 call, where the JS
 *   emitter prints `Math.fround(Math.exp(x))`), matched to the IR's calls in order;
 * - {@link samelibmPlain}: the kernel's ORIGINAL source run as plain JavaScript, with each
 *   `Math.<f>(...)` transcendental and `a ** b` rewritten to the Wasm's float64 libm (acorn
 *   node ranges; the rest of the text is unchanged), except those of compile-time
 *   constants (`Math.log(3)`: the compiler folds them with V8's Math, so the Wasm holds
 *   V8's value; found by the fuzzer). Only for kernels whose meaning is plain JS's
 *   (float64 throughout).
 */
import * as acorn from 'acorn';
import { compileKernel, linkKernels, type CompiledKernel } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { JS_RUNTIME } from '../../src/compiler/emit/js/runtime.js';

/** The transcendentals the generators use (`pow` is `**` on floats). */
export const LIBM_FUNCS = ['exp', 'sin', 'cos', 'log', 'atan', 'pow'] as const;
export type LibmFunc = (typeof LIBM_FUNCS)[number];
type Fn = (...a: number[]) => number;

/** The Wasm libm: `[f64, f32]` implementations of each function, as JS functions. */
export interface WasmLibm {
  readonly f64: Readonly<Record<LibmFunc, Fn>>;
  readonly f32: Readonly<Record<LibmFunc, Fn>>;
}

let libmPromise: Promise<WasmLibm> | null = null;

/** Compile (once) a module of probe kernels `(x) => Math.f(x)` / `(x, y) => x ** y` per float type. */
export function wasmLibm(): Promise<WasmLibm> {
  libmPromise ??= (async () => {
    const probes: { f: LibmFunc; t: 'float64' | 'float32'; k: CompiledKernel }[] = [];
    for (const t of ['float64', 'float32'] as const) {
      for (const f of LIBM_FUNCS) {
        const src = f === 'pow' ? '(x, y) => x ** y' : `(x) => Math.${f}(x)`;
        const sig = f === 'pow' ? `${t}(${t}, ${t})` : `${t}(${t})`;
        probes.push({ f, t, k: compileKernel(src, sig, { kind: 'scalar', prefix: `lm_${f}_${t}_` }) });
      }
    }
    const { module } = await compileAssemblyScript(linkKernels(probes.map((p) => p.k)));
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
    const inst = await WebAssembly.instantiate(module, { env: { memory } });
    const base = 1 << 20;
    const out: { f64: Record<string, Fn>; f32: Record<string, Fn> } = { f64: {}, f32: {} };
    for (const { f, t, k } of probes) {
      const row = inst.exports[k.entries.row] as (...a: number[]) => void;
      const size = t === 'float64' ? 8 : 4;
      const view = t === 'float64' ? new Float64Array(memory.buffer, base, 3) : new Float32Array(memory.buffer, base, 3);
      out[t === 'float64' ? 'f64' : 'f32'][f] = f === 'pow'
        ? (x, y) => { view[0] = x!; view[1] = y!; row(1, base, size, base + size, size, base + 2 * size, size); return view[2]!; }
        : (x) => { view[0] = x!; row(1, base, size, base + size, size); return view[1]!; };
    }
    return out as unknown as WasmLibm;
  })();
  return libmPromise;
}

/**
 * The JS emitter's kernel with the Wasm libm substituted, or null when the float
 * transcendental calls of the IR and the `Math.<f>(` calls of the JS text do not pair up
 * one to one (the caller counts that; none is expected).
 */
export function sameLibmJsKernel(k: CompiledKernel, libm: WasmLibm): ((...args: unknown[]) => unknown) | null {
  // The IR's transcendental calls in print order with their result types: `(call:float32 exp`, `(pow:float64`.
  const irCalls: { f: string; t: string }[] = [];
  for (const m of k.irText.matchAll(/\((?:call:(\w+) (\w+)|pow:(\w+))\b/g)) {
    const f = m[2] ?? 'pow';
    const t = m[1] ?? m[3]!;
    if ((LIBM_FUNCS as readonly string[]).includes(f) && (t === 'float32' || t === 'float64')) irCalls.push({ f, t });
  }
  const cut = k.jsSource.indexOf('\nfunction __walk');
  const head = cut < 0 ? k.jsSource : k.jsSource.slice(0, cut);
  const tail = cut < 0 ? '' : k.jsSource.slice(cut);
  const re = new RegExp(`\\bMath\\.(${LIBM_FUNCS.join('|')})\\(`, 'g');
  const jsCalls = [...head.matchAll(re)].map((m) => m[1]!);
  if (jsCalls.length !== irCalls.length || jsCalls.some((f, i) => f !== irCalls[i]!.f)) return null;
  let n = 0;
  const replaced = head.replace(re, (_m, f: string) => `__L.${irCalls[n++]!.t === 'float32' ? 'f32' : 'f64'}.${f}(`);
  const make = new Function('rt', '__L', replaced + tail) as (rt: unknown, l: WasmLibm) => { kernel: (...a: unknown[]) => unknown };
  // The runtime the JS emitter's source expects (ipow, helpers) is jsKernel's own: rebuild it as compile.ts does.
  // The runtime the JS emitter's source is instantiated with (emit/js/emit-module.ts instantiateJs).
  return make(JS_RUNTIME, libm).kernel;
}

type Node = acorn.Node & Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string' && typeof (v as Node).start === 'number';

/**
 * Is the subtree a compile-time constant (literals, Math constants, operators and Math
 * calls of constants, a ternary with a constant test whose taken branch is constant)? The
 * compiler folds those with V8's Math (emit/js/spell.ts), so the Wasm holds V8's value.
 */
function isConstant(node: Node, text: string): boolean {
  switch (node.type) {
    case 'Literal': return true;
    case 'ParenthesizedExpression': return isConstant(node['expression'] as Node, text);
    case 'MemberExpression': return (node['object'] as Node).type === 'Identifier' && (node['object'] as Node)['name'] === 'Math';
    case 'UnaryExpression': return isConstant(node['argument'] as Node, text);
    case 'BinaryExpression':
    case 'LogicalExpression': return isConstant(node['left'] as Node, text) && isConstant(node['right'] as Node, text);
    case 'CallExpression': {
      const callee = node['callee'] as Node;
      return callee.type === 'MemberExpression' && isConstant(callee, text) && (node['arguments'] as Node[]).every((a) => isConstant(a, text));
    }
    case 'ConditionalExpression': {
      const test = node['test'] as Node;
      if (!isConstant(test, text)) return false;
      const taken = (new Function(`return (${text.slice(test.start, test.end)});`)() as unknown) ? node['consequent'] : node['alternate'];
      return isConstant(taken as Node, text);
    }
    default: return false;
  }
}

/**
 * Rewrite a kernel's source for {@link samelibmPlain}: every `a ** b` becomes `__pow(a, b)`
 * and every `Math.<f>(...)` of a transcendental `__M.<f>(...)`, except where the operands
 * are compile-time constants (folded by the compiler with V8's Math: left as written); all
 * other text stays as written.
 */
export function rewritePow(source: string): string {
  const text = `(${source})`;
  const ast = acorn.parseExpressionAt(text, 0, { ecmaVersion: 2022 }) as Node;
  const rw = (node: Node): string => {
    const kids: Node[] = [];
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) for (const c of v) { if (isNode(c)) kids.push(c); }
      else if (isNode(v)) kids.push(v);
    }
    if (node.type === 'BinaryExpression' && node['operator'] === '**' && !isConstant(node, text)) {
      return `__pow(${rw(node['left'] as Node)}, ${rw(node['right'] as Node)})`;
    }
    kids.sort((a, b) => a.start - b.start);
    let out = '';
    let pos = node.start;
    for (const c of kids) { out += text.slice(pos, c.start) + rw(c); pos = c.end; }
    out += text.slice(pos, node.end);
    if (node.type === 'CallExpression' && !isConstant(node, text)) {
      const callee = node['callee'] as Node;
      const prop = callee.type === 'MemberExpression' ? (callee['property'] as Node)['name'] as string : '';
      if (isConstant(callee, text) && (LIBM_FUNCS as readonly string[]).includes(prop)) out = out.replace(/^Math\./, '__M.');
    }
    return out;
  };
  return rw(ast);
}

/**
 * The kernel's source as plain JavaScript with the Wasm's float64 libm (`Math.exp` etc. and
 * `**`; constant operands excepted, see rewritePow). `source` is an arrow or function expression.
 */
export function samelibmPlain(source: string, libm: WasmLibm): (...args: never[]) => unknown {
  return new Function('__M', '__pow', `return ${rewritePow(source)};`)(libm.f64, libm.f64.pow) as (...args: never[]) => unknown;
}

/** The kernel's source as plain JavaScript (V8's Math): the independent reference. */
export function plainJs(source: string): (...args: never[]) => unknown {
  return new Function(`return (${source});`)() as (...args: never[]) => unknown;
}

/**
 * The JS emitter's kernel (V8's Math) with `Math.fround` watched (every float32 operation
 * of the JS emitter's output goes through it): `nonFinite()` says whether the last call
 * rounded an infinity or a NaN to float32 or had one as an input (WGSL lets an
 * implementation assume that none occurs), `maxAbs()` the largest magnitude among its
 * inputs and float32 results (the scale of a fused multiply-add's rounding difference).
 */
export function watchedJsKernel(k: CompiledKernel): { kernel: (...a: unknown[]) => unknown; nonFinite: () => boolean; maxAbs: () => number } {
  let seen = false;
  let max = 0;
  const m: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(Math)) m[key] = (Math as unknown as Record<string, unknown>)[key];
  m['fround'] = (x: number) => {
    const y = Math.fround(x);
    if (!Number.isFinite(y)) seen = true;
    else if (Math.abs(y) > max) max = Math.abs(y);
    return y;
  };
  const mod = new Function('Math', 'rt', k.jsSource)(m, JS_RUNTIME) as { kernel: (...a: unknown[]) => unknown };
  return {
    kernel: (...a: unknown[]) => {
      seen = a.some((v) => typeof v === 'number' && !Number.isFinite(v));
      max = Math.max(0, ...a.map((v) => (typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : 0)));
      return mod.kernel(...a);
    },
    nonFinite: () => seen,
    maxAbs: () => max,
  };
}
