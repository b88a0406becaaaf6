/**
 * compileStencil: a stencil kernel (`(a) => 0.25 * (a(-1, 0) + a(1, 0) + a(0, -1) + a(0, 1))`)
 * + a signature → typed IR and an AssemblyScript unit that runs it over whole N-d arrays,
 * on the same front end, IR, inference, passes and diagnostics as compileKernel.
 *
 * Steps:
 *   1. lower with `accessors` (frontend/lower-expr.ts): each parameter is a neighbour
 *      accessor, and a call `a(di, dj)` becomes a `load` of array parameter `a` whose
 *      indices are the relative offsets; any other use of `a` is NB2019;
 *   2. the stencil's dimensionality is the accessors' argument count (all calls agree,
 *      NB2019), or the declared neighborhood's length when the kernel reads nothing;
 *   3. infer as a scalar kernel whose parameters are arrays of that many dims, fold
 *      constants, validate; then every offset must be a constant integer (NB2017) — a
 *      literal, an expression of literals, or a `const` name of one — and inside the
 *      declared neighborhood when there is one (NB2018), and at most
 *      {@link MAX_STENCIL_OFFSET} from the centre (NB2020); otherwise the neighborhood is
 *      the offsets' range per axis;
 *   4. emit two versions of the kernel: `kernel` (interior: each accessor is a base pointer
 *      at the centre plus byte strides, and `a(di, dj)` is `load(a + di*s0 + dj*s1)`, no
 *      checks) and `kernel_bd` (boundary: the centre's indices and the array's shape, each
 *      offset index mapped by the boundary mode, or `cval` outside for 'constant'); and the
 *      entry `<prefix>stencil`, which walks the output (every `stride[d]`-th centre), calling
 *      `kernel` on the interior range of each row and `kernel_bd` on the rest;
 *   5. when ir/passes/stencil-lanes.ts finds a lane form of the kernel (straight-line float
 *      arithmetic, or integer arithmetic proven to fit int16/int32 lanes), a third version
 *      `vkernel` (emit/assemblyscript/stencil-simd.ts) computes N interior points per v128;
 *      the walk runs it on rows whose innermost axis is unit-stride on every operand (tested
 *      once per call), then finishes the interior with `kernel`.
 *
 * Entry ABI: `stencil(p0, s0_0..s0_{D-1}, ..., pK, sK_0.., n_0..n_{D-1}, m_0..m_{D-1})` with
 * inputs 0..K-1 and the output K: byte addresses of element (0, ..., 0) and byte strides
 * per axis; `n` the input shape (all inputs share it), `m` the output shape
 * (`ceil(n_d / stride_d)`). `stencil_plan(plan)` (the parallel target) reads the same
 * arguments as i32 words at `plan`, then `r0, r1`: it computes output indices [r0, r1) of
 * axis 0 only (every point is computed by the same code as in a whole call, so blocks
 * give results bit-identical to the calling thread's).
 *
 * Boundary modes (scipy.ndimage's names and meanings; n is the axis length):
 *   constant  reads outside give `cval`            (k k k | a b c d | k k k)
 *   nearest   the edge element repeats               (a a a | a b c d | d d d)
 *   reflect   reflected about the edge, edge repeated (c b a | a b c d | d c b)
 *   mirror    reflected about the edge's centre       (d c b | a b c d | c b a)
 *   wrap      periodic                                (b c d | a b c d | a b c)
 */
import { createHash } from '../platform/hash.node.js';
import type { DType } from '../dtype/dtypes.js';
import { linkAssemblyScript, type AsUnit } from './emit/assemblyscript/emit-module.js';
import { asConst, AsFunctionEmitter, strideName, tableData } from './emit/assemblyscript/emit-function.js';
import { kernelConstants, KernelTables, type KernelConstants } from './constants.js';
import { helperTable, lowerHelpers, type HelperMap } from './compile.js';
import { kernelError } from './frontend/diagnostics.js';
import { ValueError } from '../util/errors.js';
import { lowerFunction } from './frontend/lower.js';
import { parseKernel } from './frontend/parse.js';
import { inferProgram, type ParamSpec } from './ir/infer.js';
import { forEachExpr, paramIndex, type BoundsSite, type Expr, type IRFunction, type IRProgram, type LoadExpr } from './ir/nodes.js';
import { boundsChecks } from './ir/passes/bounds-check.js';
import { checkReturns } from './ir/passes/check-returns.js';
import { ascOptimizeLevel, checkOperands, kernelSize } from './ir/passes/limits.js';
import { foldConstants } from './ir/passes/fold-constants.js';
import { validateProgram } from './ir/passes/validate.js';
import { printProgram } from './ir/print.js';
import type { KernelTarget } from './ir/target-support.js';
import { asType, isBool } from './ir/types.js';
import { stencilLanes, type StencilLanes } from './ir/passes/stencil-lanes.js';
import { vectorKernel, vectorReach, vectorStore } from './emit/assemblyscript/stencil-simd.js';
import { DTYPES } from '../dtype/dtypes.js';
import { materialize, weakOf, type Weak } from './ir/weak.js';
import { parseKernelSignature, type KernelSignature } from './signature.js';
import { ASC_FLAGS } from './toolchain/asc.js';

/**
 * The largest |offset| a stencil may read at, per axis (NB2020; a declared neighborhood is
 * held to it too). Offsets are added to a centre index in i32 arithmetic (`i + di`, in Wasm
 * and WGSL alike): with |di| <= 2^20, `i + di` cannot wrap for any axis shorter than
 * 2^31 - 2^20 elements. An offset of 2^31 used to wrap to -2^31 and read the wrong
 * neighbour (issue 19); no real neighbourhood comes near a million points per axis.
 */
export const MAX_STENCIL_OFFSET = 2 ** 20;

/** scipy.ndimage's boundary modes (see the file header). */
export type BoundaryMode = 'constant' | 'nearest' | 'reflect' | 'mirror' | 'wrap';
export const BOUNDARY_MODES: readonly BoundaryMode[] = ['constant', 'nearest', 'reflect', 'mirror', 'wrap'];

/** Per axis, the lowest and highest relative offset a stencil reads. */
export type Neighborhood = readonly (readonly [number, number])[];

export interface CompileStencilOptions {
  /** Boundary mode (default 'constant'). */
  readonly mode?: BoundaryMode;
  /** The value read outside the array in 'constant' mode (default 0), cast to the input dtype. */
  readonly cval?: number | bigint | boolean;
  /** Declared neighborhood: offsets outside it are NB2018. Default: inferred from the kernel. */
  readonly neighborhood?: Neighborhood;
  /** Output stride per axis (or one for all): the output holds every stride-th centre. Default 1. */
  readonly stride?: number | readonly number[];
  /** Prefix of the unit's top-level names (default ''). */
  readonly prefix?: string;
  /** Values the kernel reads by name, as compileKernel's `constants` (usable as offsets: `a(-R)`). */
  readonly constants?: KernelConstants;
  /** The kernel's name for messages. */
  readonly name?: string;
  readonly fastmath?: boolean;
  /**
   * 'gpu': literal-initialised locals are 32-bit, as compileKernel's gpu target (WGSL has
   * no 64-bit types); the WGSL is emitted from the same IR (emit/wgsl/stencil.ts).
   */
  readonly target?: KernelTarget;
  /**
   * Functions the kernel calls by name, as compileKernel's `helpers`: scalar functions
   * (plain JS in the kernel language, or compiled by nb.vectorize), typed per call. A
   * helper takes values, not accessors: `clamp01(a(0, 1))`, not `clamp01(a)`.
   */
  readonly helpers?: HelperMap;
  /** Check table reads whose index is not proven in range (default true; compileKernel's `boundscheck`). */
  readonly boundscheck?: boolean;
  /**
   * Let the interior rows run the kernel's v128 version when it has one
   * (ir/passes/stencil-lanes.ts; default true). False keeps the scalar interior loop: the
   * benchmark's "before" column, and tests that compare the two.
   */
  readonly simd?: boolean;
}

/** The result of {@link compileStencil}. */
export interface CompiledStencil {
  readonly name: string;
  readonly signature: KernelSignature;
  readonly ir: IRProgram;
  readonly irText: string;
  readonly asUnit: AsUnit;
  readonly asSource: string;
  /** Operand dtypes: inputs, then the output. */
  readonly operands: readonly DType[];
  readonly nin: number;
  readonly ndim: number;
  /** The neighborhood in effect (declared, or inferred from the offsets). */
  readonly neighborhood: Neighborhood;
  readonly stride: readonly number[];
  readonly mode: BoundaryMode;
  /** The value read outside the array in 'constant' mode. */
  readonly cval: number | bigint | boolean;
  /** The exported entry (`<prefix>stencil`). */
  readonly entry: string;
  /**
   * The exported row-range entry `<prefix>stencil_plan(plan)` (the parallel target): `plan`
   * is the byte address of i32 words holding the entry's arguments then `r0, r1`, the range
   * of output indices along axis 0 to compute ({@link stencilPlanWords} words).
   */
  readonly planEntry: string;
  /** The bounds-check sites of its table reads (empty: none; see CompiledKernel.bounds). */
  readonly bounds: readonly BoundsSite[];
  /**
   * The SIMD plan of the interior rows (lane type and output points per vector,
   * ir/passes/stencil-lanes.ts), or null: the interior runs the scalar kernel only.
   */
  readonly simd: StencilLanes | null;
  /** SHA-256 of the AS source and the asc flags. */
  readonly key: string;
}

type T = Expr<DType>;

/** Offsets of a typed load (all constants after the check). */
export const offsetsOf = (e: LoadExpr<DType>): number[] => e.indices.map((i) => Number((i as { value: number | bigint }).value));

/**
 * Compile a stencil kernel for one signature (`'float64(float64)'`, one dtype per accessor).
 *
 * @throws KernelError (NBxxxx) as compileKernel, plus NB2017 (an offset that is not a
 *   constant integer), NB2018 (an offset outside the declared neighborhood), NB2020 (an
 *   offset beyond ±{@link MAX_STENCIL_OFFSET}) and NB2019 (an accessor used other than as
 *   `a(di, dj, ...)`, or with a varying number of offsets).
 * @example
 * ```ts
 * const s = compileStencil((a: any) => 0.5 * (a(-1) + a(1)), 'float64(float64)', { mode: 'wrap' });
 * s.ndim;          // 1
 * s.neighborhood;  // [[-1, 1]]
 * ```
 */
export function compileStencil(
  fn: ((...args: never[]) => unknown) | string, signature: KernelSignature | string, options: CompileStencilOptions = {},
): CompiledStencil {
  const sig = typeof signature === 'string' ? parseKernelSignature(signature) : signature;
  const name = options.name ?? ((typeof fn === 'function' && fn.name) || 'stencil');
  const text = typeof fn === 'string' ? fn : Function.prototype.toString.call(fn);
  const mode = options.mode ?? 'constant';
  if (!BOUNDARY_MODES.includes(mode)) throw new TypeError(`stencil: unknown mode '${String(mode)}' (expected ${BOUNDARY_MODES.join(', ')})`);
  const table = helperTable(options.helpers ?? {});
  const constants = kernelConstants('compileStencil', options.constants, new Set(table.keys()));
  const tables = new KernelTables();
  const main = lowerFunction(parseKernel(text, name), { emitName: 'kernel', helpers: new Set(table.keys()), accessors: true, tables, ...(constants ? { constants } : {}) });
  const helpers = lowerHelpers(table, { tables, ...(constants ? { constants } : {}) }, main);
  // A stencil's entries give the kernel no scratch arena (its loops are its own).
  const sa = [main, ...helpers.values()].flatMap((f) => f.scratch ?? [])[0];
  if (sa) throw kernelError('NB2022', main.source, sa.at, [sa.name, 'cannot be allocated in a stencil kernel (use guvectorize for kernels with scratch arrays)']);
  const at0 = main.params[0]?.at ?? 0;
  if (main.params.length !== sig.args.length) throw kernelError('NB2012', main.source, at0, [main.params.length, sig.args.length]);
  if (sig.returns === 'void') throw kernelError('NB5003', main.source, at0, [`a stencil kernel returns the output value: its signature needs a result type ('${sig.text}')`]);
  sig.args.forEach((a, k) => {
    if (a.ndim > 0) throw kernelError('NB5002', main.source, main.params[k]!.at, [main.params[k]!.name, `${a.dtype}[...]`, 'a dtype (the accessor reads elements)']);
  });
  if (main.params.length === 0) throw kernelError('NB5003', main.source, at0, ['a stencil kernel takes at least one accessor parameter']);
  checkOperands(main, 1);
  kernelSize([main, ...helpers.values()]);
  checkReturns(main);

  // The dimensionality: every accessor call has the same number of offsets.
  let ndim = options.neighborhood?.length ?? -1;
  forEachExpr(main.body, (e) => {
    if (e.kind !== 'load' || e.array.kind !== 'param') return;
    if (ndim < 0) ndim = e.indices.length;
    else if (e.indices.length !== ndim) {
      const why = options.neighborhood ? `the neighborhood has ${ndim} axes` : `an earlier call has ${ndim}`;
      throw kernelError('NB2019', main.source, e.at, [main.params[paramIndex(e.array)]!.name, `called with ${e.indices.length} offset(s), but ${why}`]);
    }
  });
  if (ndim < 0) throw kernelError('NB2019', main.source, at0, [main.params[0]!.name, 'the kernel reads no neighbour: give options.neighborhood to say how many axes it has']);
  if (ndim === 0) throw kernelError('NB2019', main.source, at0, [main.params[0]!.name, 'needs one offset per axis (a(0) in 1-D, a(0, 0) in 2-D)']);
  const stride = strideList(options.stride, ndim);

  const params: ParamSpec[] = sig.args.map((a) => ({ array: { dtype: a.dtype, ndim, isOutput: false, coreDims: [] } }));
  const typed = inferProgram({ kind: 'scalar', main, params, returns: sig.returns, helpers, narrowLocals: options.target === 'gpu', tables: tables.list });
  // Bounds checks: of table reads only (the accessors' offsets are handled by the boundary mode).
  const ir: IRProgram = boundsChecks({
    kind: 'scalar', main: foldConstants(typed.main), helpers: typed.helpers.map(foldConstants), fastmath: options.fastmath ?? false,
    ...(tables.list.length > 0 ? { tables: tables.list } : {}),
  }, options.boundscheck ?? true);
  validateProgram(ir);
  const neighborhood = checkOffsets(ir.main, ndim, options.neighborhood);

  const prefix = options.prefix ?? '';
  const cval = options.cval ?? 0;
  // The unit holds the kernel twice: the interior version and the boundary one.
  const optimize = ascOptimizeLevel(kernelSize([ir.main, ...ir.helpers], [2]));
  const simd = options.simd === false || options.target === 'gpu' ? null : stencilLanes(ir.main, stride[ndim - 1]!);
  const asUnit: AsUnit = { prefix, code: emitStencil(ir, { prefix, ndim, stride, neighborhood, mode, cval, out: ir.main.returns as DType, simd }), optimize };
  const asSource = linkAssemblyScript([asUnit], `${name}: stencil ${sig.text}`);
  return {
    name, signature: sig, ir, irText: printProgram(ir), asUnit, asSource,
    operands: [...sig.args.map((a) => a.dtype), ir.main.returns as DType], nin: sig.args.length, ndim, neighborhood, stride, mode, cval,
    entry: `${prefix}stencil`, planEntry: `${prefix}stencil_plan`, bounds: ir.bounds ?? [], simd,
    key: createHash('sha256').update(asSource).update('\0').update(ASC_FLAGS.join(' ')).update(ir.fastmath ? '\0fastmath' : '').digest('hex'),
  };
}

/**
 * Words (i32) of a `stencil_plan` block for `nin` inputs of `ndim` axes: per operand
 * (inputs, then the output) its byte address and byte strides, the input shape, the output
 * shape, then `r0, r1`.
 *
 * @example
 * ```ts
 * stencilPlanWords(1, 2); // 2 * 3 + 4 + 2 = 12
 * ```
 */
export function stencilPlanWords(nin: number, ndim: number): number {
  return (nin + 1) * (1 + ndim) + 2 * ndim + 2;
}

/**
 * Normalise the stride option to one positive integer per axis.
 *
 * @example
 * ```ts
 * strideList(2, 3);       // [2, 2, 2]
 * strideList([1, 4], 2);  // [1, 4]
 * ```
 */
export function strideList(stride: number | readonly number[] | undefined, ndim: number): number[] {
  const list = stride === undefined ? Array(ndim).fill(1) : typeof stride === 'number' ? Array(ndim).fill(stride) : [...stride];
  if (list.length !== ndim || !list.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ValueError('E_VALUE_OPTION', `nb.stencil: option 'stride' is ${JSON.stringify(stride)}; it takes a positive integer or one per axis (${ndim} for this kernel)`);
  }
  return list;
}

/** NB2017 / NB2018 checks; returns the neighborhood in effect. */
function checkOffsets(fn: IRFunction<DType>, ndim: number, declared: Neighborhood | undefined): Neighborhood {
  if (declared) {
    declared.forEach((r, d) => {
      if (!Array.isArray(r) || r.length !== 2 || !Number.isInteger(r[0]) || !Number.isInteger(r[1]) || r[0] > r[1]) {
        throw new TypeError(`stencil: neighborhood[${d}] must be [low, high] integers with low <= high, got ${JSON.stringify(r)}`);
      }
      if (Math.abs(r[0]) > MAX_STENCIL_OFFSET || Math.abs(r[1]) > MAX_STENCIL_OFFSET) {
        throw new TypeError(`stencil: neighborhood[${d}] = ${JSON.stringify(r)} reaches past the largest supported offset, ±${MAX_STENCIL_OFFSET}`);
      }
    });
  }
  const lo = Array<number>(ndim).fill(Infinity);
  const hi = Array<number>(ndim).fill(-Infinity);
  forEachExpr(fn.body, (e: T) => {
    if (e.kind !== 'load' || e.array.kind !== 'param') return;
    const pname = fn.params[e.array.index]!.name;
    e.indices.forEach((i, d) => {
      if (i.kind !== 'const') throw kernelError('NB2017', fn.source, i.at, [pname, `offset ${d + 1} of ${ndim} is computed at run time`]);
      const v = Number(i.value);
      if (!(Math.abs(v) <= MAX_STENCIL_OFFSET)) {
        throw kernelError('NB2020', fn.source, i.at, [`${pname}(${e.indices.map((x) => String((x as { value: unknown }).value)).join(', ')})`, String(i.value), d, MAX_STENCIL_OFFSET]);
      }
      if (declared && (v < declared[d]![0] || v > declared[d]![1])) {
        throw kernelError('NB2018', fn.source, e.at, [`${pname}(${offsetsOf(e).join(', ')})`, v, d, JSON.stringify(declared)]);
      }
      lo[d] = Math.min(lo[d]!, v);
      hi[d] = Math.max(hi[d]!, v);
    });
  });
  if (declared) return declared.map((r) => [r[0], r[1]] as const);
  return lo.map((l, d) => (l === Infinity ? [0, 0] as const : [l, hi[d]!] as const));
}

/** The index mapping of a boundary mode (not 'constant'), as an AS function. */
function mapFunction(mode: BoundaryMode, name: string): string {
  const body = {
    constant: 'return j;',
    nearest: 'return j < 0 ? 0 : j >= n ? n - 1 : j;',
    wrap: 'let r = j % n; return r < 0 ? r + n : r;',
    reflect: 'const p = n << 1; let r = j % p; if (r < 0) r += p; return r < n ? r : p - 1 - r;',
    mirror: 'if (n == 1) return 0; const p = (n << 1) - 2; let r = j % p; if (r < 0) r += p; return r < n ? r : p - r;',
  }[mode];
  return `// @ts-ignore: decorator\n@inline function ${name}(j: i32, n: i32): i32 { ${body} }`;
}

/** The boundary version of the kernel: loads at mapped absolute indices. */
class BoundaryEmitter extends AsFunctionEmitter {
  constructor(
    program: IRProgram,
    private readonly prefix: string,
    private readonly ndim: number,
    private readonly mode: BoundaryMode,
    private readonly cval: number | bigint | boolean,
  ) {
    super(program, { prefix });
  }

  override params(fn: IRFunction<DType>): string {
    const axes = [...Array(this.ndim).keys()];
    return [super.params(fn), ...axes.map((d) => `__i${d}: i32`), ...axes.map((d) => `__N${d}: i32`)].join(', ');
  }

  override expr(fn: IRFunction<DType>, e: T): string {
    if (e.kind !== 'load' || e.array.kind !== 'param') return super.expr(fn, e);
    const p = fn.params[e.array.index]!;
    const t = e.type;
    const offs = offsetsOf(e);
    const idx = offs.map((o, d) => (o === 0 ? `__i${d}` : `(__i${d} + ${o})`));
    const mapped = this.mode === 'constant' ? idx : idx.map((j, d) => (offs[d] === 0 ? j : `${this.prefix}__map(${j}, __N${d})`));
    const addr = [p.emitName, ...mapped.map((j, d) => `<usize>(${j}) * ${strideName(p.emitName, d)}`)].join(' + ');
    const load = isBool(t) ? `(load<u8>(${addr}) != 0)` : `load<${asType(t)}>(${addr})`;
    if (this.mode !== 'constant') return load;
    const inside = idx.flatMap((j, d) => (offs[d] === 0 ? [] : [`<u32>${j} < <u32>__N${d}`]));
    if (inside.length === 0) return load;
    const c = asConst(materialize(cvalWeak(this.cval), t), t);
    return `((${inside.join(' && ')}) ? ${load} : ${isBool(t) ? c : `<${asType(t)}>${c}`})`;
  }
}

/** The weak constant of a cval (materialize it to the input dtype). */
export function cvalWeak(v: number | bigint | boolean): Weak {
  if (typeof v === 'boolean') return { wk: 'int', value: v ? 1n : 0n };
  return weakOf(v) as Weak;
}

interface EmitStencilOptions {
  prefix: string; ndim: number; stride: readonly number[]; neighborhood: Neighborhood;
  mode: BoundaryMode; cval: number | bigint | boolean; out: DType;
  /** The interior's SIMD plan, or null (scalar interior). */
  simd: StencilLanes | null;
}

/**
 * The unit: helpers, the two kernel versions, the mapping and the entry walk. No pointer
 * walks (ir/passes/pointer-walk.ts): a stencil's offsets are constants (NB2017), so no
 * access is at `[counter]`; the entry walk below moves its own pointers.
 */
function emitStencil(p: IRProgram, o: EmitStencilOptions): string {
  const { prefix: P, ndim: D, stride: S, neighborhood: nb, out } = o;
  const em = new AsFunctionEmitter(p, { prefix: P });
  const bd = new BoundaryEmitter(p, P, D, o.mode, o.cval);
  const parts: string[] = [];
  if (p.tables?.length) parts.push(p.tables.map((t) => tableData(P, t)).join('\n'));
  for (const h of p.helpers) parts.push(em.function(h));
  parts.push(em.function(p.main, ['@inline']));
  parts.push(bd.function({ ...p.main, name: 'kernel_bd' }));
  if (o.mode !== 'constant') parts.push(mapFunction(o.mode, `${P}__map`));
  if (o.simd) parts.push(vectorKernel(p.main, o.simd, S[D - 1]!, P));

  const K = p.main.params.length;
  const ks = [...Array(K).keys()];
  const ds = [...Array(D).keys()];
  const ot = asType(out);
  const store = (addr: string, v: string) => (isBool(out) ? `store<u8>(${addr}, <u8>${v});` : `store<${ot}>(${addr}, ${v});`);
  const args = [
    ...ks.flatMap((k) => [`p${k}: usize`, ...ds.map((d) => `s${k}_${d}: usize`)]),
    `po: usize`, ...ds.map((d) => `so_${d}: usize`),
    ...ds.map((d) => `n${d}: i32`), ...ds.map((d) => `m${d}: i32`),
  ];
  // The walk over output indices [r0, r1) of axis 0; the entries call it with the whole
  // range (`stencil`) or a block's range read from a plan (`stencil_plan`, parallel target).
  const L: string[] = [`function ${P}stencil_rows(${args.join(', ')}, r0: i32, r1: i32): void {`];
  // Interior output range per axis: centres i = o * S with i + lo >= 0 and i + hi <= n - 1.
  for (const d of ds) {
    const [lo, hi] = nb[d]!;
    const A = lo >= 0 ? 0 : Math.ceil(-lo / S[d]!);
    L.push(`  const a${d} = min<i32>(m${d}, ${A});`);
    L.push(`  const b${d} = max<i32>(a${d}, n${d} - 1 - (${hi}) < 0 ? 0 : min<i32>(m${d}, (n${d} - 1 - (${hi})) / ${S[d]} + 1));`);
  }
  const bdCall = (centre: string[]) => `${P}kernel_bd(${[...ks.flatMap((k) => [`p${k}`, ...ds.map((d) => `s${k}_${d}`)]), ...centre, ...ds.map((d) => `n${d}`)].join(', ')})`;
  const outAddr = (os: string[]) => ['po', ...os.map((x, d) => `<usize>${x} * so_${d}`)].join(' + ');
  const inner = D - 1;
  // The v128 interior needs a unit-stride innermost axis on every operand (checked per call).
  if (o.simd) {
    const unit = [...ks.map((k) => `s${k}_${inner} == ${DTYPES[p.main.params[k]!.array!.dtype].itemSize}`), `so_${inner} == ${DTYPES[out].itemSize}`];
    L.push(`  const vec = ${unit.join(' && ')};`);
  }
  let ind = '  ';
  for (let d = 0; d < inner; d++) {
    L.push(`${ind}for (let o${d} = ${d === 0 ? 'r0' : '0'}; o${d} < ${d === 0 ? 'r1' : `m${d}`}; o${d}++) {`);
    ind += '  ';
    L.push(`${ind}const i${d} = o${d} * ${S[d]};`);
  }
  const outer = [...Array(inner).keys()];
  const isIn = outer.length ? outer.map((d) => `o${d} >= a${d} && o${d} < b${d}`).join(' && ') : 'true';
  const centre = [...outer.map((d) => `i${d}`), `o * ${S[inner]}`];
  const os = [...outer.map((d) => `o${d}`), 'o'];
  // Along the innermost axis: [start, lo) boundary, [lo, hi) interior, [hi, end) boundary.
  const start = inner === 0 ? 'r0' : '0';
  const end = inner === 0 ? 'r1' : `m${inner}`;
  L.push(`${ind}const inside = ${isIn};`);
  L.push(`${ind}const lo = inside ? min<i32>(${end}, max<i32>(${start}, a${inner})) : ${end};`);
  L.push(`${ind}const hi = inside ? min<i32>(${end}, max<i32>(lo, b${inner})) : ${end};`);
  L.push(`${ind}let o = ${start};`);
  L.push(`${ind}for (; o < lo; o++) ${store(outAddr(os), bdCall(centre))}`);
  L.push(`${ind}if (o < hi) {`);
  for (const k of ks) {
    L.push(`${ind}  let q${k} = p${k} + ${ds.map((d) => `<usize>(${centre[d]}) * s${k}_${d}`).join(' + ')};`);
    L.push(`${ind}  const dq${k} = <usize>${S[inner]} * s${k}_${inner};`);
  }
  L.push(`${ind}  let qo = ${outAddr(os)};`);
  const inArgs = ks.flatMap((k) => [`q${k}`, ...ds.map((d) => `s${k}_${d}`)]).join(', ');
  if (o.simd) {
    // N outputs a step while the block [o, o + N) is interior and its gathers stay in the row.
    const N = o.simd.count;
    const reach = vectorReach(p.main, o.simd, S[inner]!);
    L.push(`${ind}  if (vec) {`);
    L.push(`${ind}    const hv = min<i32>(hi - ${N - 1}, n${inner} < ${reach} ? 0 : (n${inner} - ${reach}) / ${S[inner]} + 1);`);
    L.push(`${ind}    for (; o < hv; o += ${N}) { ${vectorStore(o.simd, out, 'qo', `${P}vkernel(${inArgs})`)} ${ks.map((k) => `q${k} += ${N} * dq${k};`).join(' ')} qo += ${N * DTYPES[out].itemSize}; }`);
    L.push(`${ind}  }`);
  }
  L.push(`${ind}  for (; o < hi; o++) { ${store('qo', `${P}kernel(${inArgs})`)} ${ks.map((k) => `q${k} += dq${k};`).join(' ')} qo += so_${inner}; }`);
  L.push(`${ind}}`);
  L.push(`${ind}for (; o < ${end}; o++) ${store(outAddr(os), bdCall(centre))}`);
  for (let d = inner - 1; d >= 0; d--) {
    ind = ind.slice(2);
    L.push(`${ind}}`);
  }
  L.push('}');
  parts.push(L.join('\n'));
  const names = args.map((a) => a.slice(0, a.indexOf(':')));
  parts.push(`export function ${P}stencil(${args.join(', ')}): void {\n  ${P}stencil_rows(${names.join(', ')}, 0, m0);\n}`);
  const words = names.map((n, w) => (n.startsWith('n') || n.startsWith('m') ? `load<i32>(plan, ${4 * w})` : `<usize>load<i32>(plan, ${4 * w})`));
  words.push(`load<i32>(plan, ${4 * names.length})`, `load<i32>(plan, ${4 * names.length + 4})`);
  parts.push(`export function ${P}stencil_plan(plan: usize): void {\n  ${P}stencil_rows(${words.join(', ')});\n}`);
  return parts.join('\n\n');
}
