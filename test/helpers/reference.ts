/**
 * A small, plain-JS reference of NumPy's elementwise rules for the property tests in
 * test/property/: element access through explicit strides, broadcasting by nested index
 * loops, NumPy's casts and the semantics of a handful of ufuncs. Values are kept as
 * `boolean` (bool), `bigint` (every integer dtype) or `number` (floats).
 */
import fc from 'fast-check';
import * as nb from '../../src/index.js';

export type DT = nb.DType;
export type Val = boolean | bigint | number;

export const ALL_DTYPES: readonly DT[] = [
  'bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64',
];
export const kindOf = (d: DT): 'b' | 'i' | 'u' | 'f' => nb.DTYPES[d].kind;
const bits = (d: DT): number => nb.DTYPES[d].itemSize * 8;

// ---- element access --------------------------------------------------------------------

/** Read a raw storage element as a reference value. */
export function fromRaw(raw: number | bigint, d: DT): Val {
  const k = kindOf(d);
  if (k === 'b') return raw !== 0;
  if (k === 'f') return raw as number;
  return BigInt(raw);
}

/** A reference value as a raw element of dtype d (must already be a value of d). */
export function toRaw(v: Val, d: DT): number | bigint {
  const k = kindOf(d);
  if (k === 'b') return v ? 1 : 0;
  if (k === 'f') return v as number;
  return nb.DTYPES[d].isBigInt ? (v as bigint) : Number(v as bigint);
}

/** The element of `a` at multi-index `idx`, read through its strides and offset. */
export function readAt(a: nb.NDArray, idx: readonly number[]): Val {
  let k = a.offset;
  for (let i = 0; i < idx.length; i++) k += idx[i]! * a.strides[i]!;
  return fromRaw((a.data as unknown as ArrayLike<number | bigint>)[k]!, a.dtype);
}

/** All multi-indices of `shape` in C order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((n) => n === 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    yield [...idx];
    let d = shape.length - 1;
    while (d >= 0) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** NumPy's broadcast shape (null if the shapes do not broadcast). */
export function broadcastShape(...shapes: (readonly number[])[]): number[] | null {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    let n = 1;
    for (const s of shapes) {
      const d = s[s.length - nd + i] ?? 1;
      if (d === 1) continue;
      if (n !== 1 && n !== d) return null;
      n = d;
    }
    out.push(n);
  }
  return out;
}

/** Index into an operand of `opShape` from a broadcast index (size-1 dims read index 0). */
export function project(idx: readonly number[], opShape: readonly number[]): number[] {
  const off = idx.length - opShape.length;
  return opShape.map((n, i) => (n === 1 ? 0 : idx[off + i]!));
}

// ---- casts -----------------------------------------------------------------------------

/** Round a bigint to the nearest float32 (ties to even), in one rounding. */
function bigToF32(v: bigint): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  const a = neg ? -v : v;
  const bl = a.toString(2).length;
  if (bl <= 24) return neg ? -Number(a) : Number(a);
  const shift = BigInt(bl - 24);
  let q = a >> shift;
  const rem = a - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  const r = Math.fround(Number(q) * 2 ** Number(shift));
  return neg ? -r : r;
}

/** NumPy's (unsafe) cast of a value to dtype `to`: ints wrap, floats round, float->int truncates. */
export function castVal(v: Val, to: DT): Val {
  const k = kindOf(to);
  if (k === 'b') return typeof v === 'boolean' ? v : typeof v === 'bigint' ? v !== 0n : v !== 0;
  if (k === 'f') {
    const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (typeof x === 'bigint') return to === 'float32' ? bigToF32(x) : Number(x);
    return to === 'float32' ? Math.fround(x) : x;
  }
  let b: bigint;
  if (typeof v === 'boolean') b = v ? 1n : 0n;
  else if (typeof v === 'bigint') b = v;
  else {
    if (!Number.isFinite(v)) throw new Error('float->int cast of a non-finite value is undefined');
    b = BigInt(Math.trunc(v));
  }
  return wrap(b, to);
}

export function wrap(b: bigint, d: DT): bigint {
  return kindOf(d) === 'u' ? BigInt.asUintN(bits(d), b) : BigInt.asIntN(bits(d), b);
}

/** Equality of reference values: bit-exact for ints/bools, Object.is for floats except NaN == NaN. */
export function sameVal(x: Val, y: Val): boolean {
  if (typeof x === 'number' && typeof y === 'number') return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
  return x === y;
}

/** Floats equal within a relative tolerance (NaN == NaN, infinities exact); others exact. */
export function closeVal(x: Val, y: Val, rel: number): boolean {
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
    return Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y)) || x === y;
  }
  return x === y;
}

export const show = (v: Val): string => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v));

// ---- ufunc semantics -------------------------------------------------------------------

export type BinOp = 'add' | 'subtract' | 'multiply' | 'maximum' | 'minimum' | 'less' | 'floorDivide' | 'remainder' | 'bitwiseAnd' | 'logicalOr';
export type UnOp = 'negative' | 'absolute' | 'sqrt' | 'isnan';

/** How NumPy resolves the loop: 'uniform' (the common dtype must have a loop), 'linear' (first loop inputs cast to safely). */
export const RESOLVER: Record<BinOp | UnOp, 'uniform' | 'linear' | 'comparison' | 'logical'> = {
  add: 'uniform', subtract: 'uniform', multiply: 'uniform', maximum: 'uniform', minimum: 'uniform', bitwiseAnd: 'uniform',
  negative: 'uniform', absolute: 'uniform',
  less: 'comparison', logicalOr: 'logical',
  floorDivide: 'linear', remainder: 'linear', sqrt: 'linear', isnan: 'linear',
};

/** Loop input dtypes per ufunc (NumPy's, without float16). */
const INTS: DT[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const LOOPS: Record<BinOp | UnOp, DT[]> = {
  add: ['bool', ...INTS, 'float32', 'float64'],
  multiply: ['bool', ...INTS, 'float32', 'float64'],
  maximum: ['bool', ...INTS, 'float32', 'float64'],
  minimum: ['bool', ...INTS, 'float32', 'float64'],
  subtract: [...INTS, 'float32', 'float64'],
  floorDivide: [...INTS, 'float32', 'float64'],
  remainder: [...INTS, 'float32', 'float64'],
  bitwiseAnd: ['bool', ...INTS],
  less: ['bool', ...INTS, 'float32', 'float64'],
  logicalOr: ['bool'],
  negative: [...INTS, 'float32', 'float64'],
  absolute: ['bool', ...INTS, 'float32', 'float64'],
  sqrt: ['float32', 'float64'],
  isnan: ['bool', ...INTS, 'float32', 'float64'],
};

/** An operand as the reference sees it: an array dtype or a weak JS scalar. */
export type Operand = DT | number | bigint;

/**
 * The loop dtype NumPy uses for these operands, or null when there is no loop (a
 * DTypeError). For the int64/uint64 comparison, 'int64,uint64' (exact mixed loop).
 */
export function loopDtype(op: BinOp | UnOp, operands: readonly Operand[]): DT | 'mixed64' | null {
  const common = nb.resultType(...operands);
  const loops = LOOPS[op];
  switch (RESOLVER[op]) {
    case 'uniform':
      return loops.includes(common) ? common : null;
    case 'comparison': {
      const ds = operands.filter((o): o is DT => typeof o === 'string');
      if (ds.length === 2 && ds.includes('int64') && ds.includes('uint64')) return 'mixed64';
      return loops.includes(common) ? common : null;
    }
    case 'logical':
      return 'bool';
    case 'linear':
      return loops.find((d) => nb.canCast(common, d, 'safe')) ?? null;
  }
}

/** Result dtype of the loop. */
export function outDtype(op: BinOp | UnOp, loop: DT | 'mixed64'): DT {
  if (op === 'less' || op === 'isnan' || op === 'logicalOr') return 'bool';
  return loop as DT;
}

const f = (d: DT) => (x: number) => (d === 'float32' ? Math.fround(x) : x);

/** C's fmod (JS % on numbers is fmod). */
const fmod = (a: number, b: number) => a % b;

/** NumPy's npy_divmod for floats, computed in dtype d: [floordiv, mod]. */
function divmodFloat(a: number, b: number, d: DT): [number, number] {
  const r = f(d);
  let mod = fmod(a, b);
  if (b === 0) return [r(a / b), mod];
  let div = r(r(a - mod) / b);
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod = r(mod + b);
      div = r(div - 1);
    }
  } else mod = b < 0 || Object.is(b, -0) ? -0 : 0;
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (r(div - floordiv) > 0.5) floordiv = r(floordiv + 1);
  } else floordiv = r(a / b) < 0 || Object.is(r(a / b), -0) ? -0 : 0;
  return [floordiv, mod];
}

/** One binary ufunc element in loop dtype `d` (inputs already cast to d). */
export function binary(op: BinOp, x: Val, y: Val, d: DT | 'mixed64'): Val {
  if (d === 'mixed64') {
    if (op !== 'less') throw new Error('mixed loop only for comparisons');
    return (x as bigint) < (y as bigint);
  }
  const k = kindOf(d);
  if (op === 'less') {
    if (k === 'b') return !x && (y as boolean);
    return (x as number) < (y as number); // bigint < bigint or number < number; NaN: false
  }
  if (op === 'logicalOr') return Boolean(x) || Boolean(y);
  if (k === 'b') {
    const a = x as boolean;
    const b = y as boolean;
    if (op === 'add' || op === 'maximum') return a || b;
    if (op === 'multiply' || op === 'minimum' || op === 'bitwiseAnd') return a && b;
    throw new Error(`no bool loop for ${op}`);
  }
  if (k === 'f') {
    const a = x as number;
    const b = y as number;
    const r = f(d);
    switch (op) {
      case 'add': return r(a + b);
      case 'subtract': return r(a - b);
      case 'multiply': return r(a * b);
      case 'maximum': return Number.isNaN(a) || a > b ? a : b;
      case 'minimum': return Number.isNaN(a) || a < b ? a : b;
      case 'floorDivide': return divmodFloat(a, b, d)[0];
      case 'remainder': return b === 0 ? fmod(a, b) : divmodFloat(a, b, d)[1];
      default: throw new Error(`no float loop for ${op}`);
    }
  }
  const a = x as bigint;
  const b = y as bigint;
  switch (op) {
    case 'add': return wrap(a + b, d);
    case 'subtract': return wrap(a - b, d);
    case 'multiply': return wrap(a * b, d);
    case 'maximum': return a >= b ? a : b;
    case 'minimum': return a <= b ? a : b;
    case 'bitwiseAnd': return wrap(a & b, d);
    case 'floorDivide': {
      if (b === 0n) return 0n;
      const q = a / b; // truncates
      return wrap(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q, d);
    }
    case 'remainder': {
      if (b === 0n) return 0n;
      const m = a % b;
      return m !== 0n && m < 0n !== b < 0n ? m + b : m;
    }
    default: throw new Error(`no int loop for ${op}`);
  }
}

/** One unary ufunc element in loop dtype `d`. */
export function unary(op: UnOp, x: Val, d: DT): Val {
  const k = kindOf(d);
  if (op === 'isnan') return typeof x === 'number' && Number.isNaN(x);
  if (k === 'f') {
    const a = x as number;
    if (op === 'negative') return -a;
    if (op === 'absolute') return Math.abs(a);
    return f(d)(Math.sqrt(a));
  }
  if (k === 'b') {
    if (op === 'absolute') return x;
    throw new Error(`no bool loop for ${op}`);
  }
  const a = x as bigint;
  if (op === 'negative') return wrap(-a, d);
  if (op === 'absolute') return wrap(a < 0n ? -a : a, d);
  throw new Error(`no int loop for ${op}`);
}

/** The cast of an operand value to the loop dtype (mixed64 keeps exact bigints). */
export function toLoop(v: Val, d: DT | 'mixed64'): Val {
  return d === 'mixed64' ? v : castVal(v, d);
}

/** A weak JS scalar as a value of loop dtype d. */
export function weakToLoop(s: number | bigint, d: DT | 'mixed64'): Val {
  if (d === 'mixed64') return BigInt(s);
  const k = kindOf(d);
  if (k === 'b') return s !== 0 && s !== 0n;
  if (k === 'f') return d === 'float32' ? Math.fround(Number(s)) : Number(s);
  return BigInt(s);
}

// ---- generators ------------------------------------------------------------------------

export const dtypeArb = fc.constantFrom(...ALL_DTYPES);

/** A random element value of dtype d, biased to edge values. */
export function valueArb(d: DT): fc.Arbitrary<Val> {
  const k = kindOf(d);
  if (k === 'b') return fc.boolean();
  if (k === 'f') {
    const r = f(d);
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3, 7) },
      fc.integer({ min: -20, max: 20 }),
      fc.double({ noNaN: false }).map(r),
      fc.double({ min: -100, max: 100, noNaN: true }).map(r),
    );
  }
  const lo = BigInt(nb.DTYPES[d].min);
  const hi = BigInt(nb.DTYPES[d].max);
  return fc.oneof(
    fc.constantFrom(lo, hi, 0n, 1n, lo + 1n, hi - 1n, ...(k === 'i' ? [-1n, -2n] : [2n, 3n])),
    fc.bigInt({ min: lo > -20n ? lo : -20n, max: 20n }),
    fc.bigInt({ min: lo, max: hi }),
  );
}

/** A weak JS scalar that fits dtype d (an integer for integer dtypes; also floats for float dtypes). */
export function weakScalarArb(d: DT): fc.Arbitrary<number | bigint> {
  const k = kindOf(d);
  if (k === 'b') return fc.constantFrom(0, 1);
  if (k === 'f') {
    return fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constantFrom(0.5, -2.5, 1e-3, NaN, Infinity, -Infinity, -0, 1e10));
  }
  const lo = BigInt(nb.DTYPES[d].min);
  const hi = BigInt(nb.DTYPES[d].max);
  return fc.oneof(
    fc.integer({ min: -5, max: 5 }).filter((x) => BigInt(x) >= lo && BigInt(x) <= hi),
    fc.constantFrom(lo, hi, hi - 1n).map((b) => (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b)),
  );
}

/** A shape of 0..maxDims dims, sizes 0..5 (biased towards 1..3). */
export const shapeArb = (maxDims = 4) =>
  fc.array(fc.oneof({ weight: 1, arbitrary: fc.constantFrom(0, 1) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 5 }) }), {
    minLength: 0, maxLength: maxDims,
  });

/** An operand shape that broadcasts to `shape`: a suffix of it with some dims set to 1. */
export function subShapeArb(shape: readonly number[]): fc.Arbitrary<number[]> {
  return fc.record({
    drop: fc.integer({ min: 0, max: shape.length }),
    ones: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
  }).map(({ drop, ones }) => shape.slice(drop).map((n, i) => (ones[drop + i] ? 1 : n)));
}

/**
 * A recipe for a view of exactly `shape`: per dim either a real axis (sliced with a step
 * from a longer axis, at an offset) or a new axis (null) / a broadcast axis (stride 0);
 * real axes stored in a random permutation (transposed views).
 */
export interface ViewRecipe {
  shape: number[];
  kind: ('real' | 'newaxis' | 'bcast')[];
  step: number[];
  extra: number[];
  perm: number[];
  jsStorage: boolean;
}

export function viewRecipeArb(shape: readonly number[]): fc.Arbitrary<ViewRecipe> {
  const n = shape.length;
  const plain = fc.constant<ViewRecipe>({
    shape: [...shape], kind: shape.map(() => 'real'), step: shape.map(() => 1), extra: shape.map(() => 0),
    perm: shape.map((_, i) => i), jsStorage: false,
  });
  const random = fc.record({
    kind: fc.tuple(...shape.map((d) => (d === 1 ? fc.constantFrom<'real' | 'newaxis' | 'bcast'>('real', 'newaxis', 'bcast') : fc.constantFrom<'real' | 'bcast'>('real', 'real', 'real', 'bcast')))),
    step: fc.array(fc.constantFrom(1, 1, -1, 2, -2, 3), { minLength: n, maxLength: n }),
    extra: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
    perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    jsStorage: fc.boolean(),
  }).map((r) => ({ shape: [...shape], ...r, kind: [...r.kind] }));
  return n === 0 ? plain : fc.oneof({ weight: 1, arbitrary: plain }, { weight: 3, arbitrary: random });
}

/** Build the view of a recipe, its base filled with `values` (cycled). */
export function buildView(r: ViewRecipe, d: DT, values: readonly Val[]): nb.NDArray {
  const realAxes = r.shape.map((_, i) => i).filter((i) => r.kind[i] === 'real');
  // base length of each real axis (logical order)
  const len = (i: number) => {
    const n = r.shape[i]!;
    if (n === 0) return r.extra[i]!;
    return (n - 1) * Math.abs(r.step[i]!) + 1 + r.extra[i]!;
  };
  // storage order: the real axes permuted
  const order = r.perm.filter((p) => r.kind[p] === 'real');
  const baseShape = order.map(len);
  const size = baseShape.reduce((p, x) => p * x, 1);
  let base: nb.NDArray;
  const Ctor = nb.DTYPES[d].TypedArray;
  const raw = new Ctor(size) as unknown as { [i: number]: number | bigint; length: number };
  for (let i = 0; i < size; i++) raw[i] = toRaw(values.length ? values[i % values.length]! : castVal(0n, d), d);
  if (r.jsStorage && d !== 'bool') base = nb.asarray(raw as unknown as nb.AnyTypedArray).reshape(baseShape);
  else {
    base = nb.empty(baseShape, d);
    const data = base.data as unknown as { [i: number]: number | bigint };
    for (let i = 0; i < size; i++) data[base.offset + i] = raw[i]!;
  }
  // transpose storage order back to logical order of the real axes
  const inv = realAxes.map((ax) => order.indexOf(ax));
  let v = base.transpose(inv);
  // slice: exactly n elements per real axis; null for new axes; bcast axes become size 1 first
  const specs: nb.SliceSpec[] = [];
  let needBcast = false;
  r.shape.forEach((n, i) => {
    if (r.kind[i] === 'newaxis') specs.push(null);
    else if (r.kind[i] === 'bcast') {
      specs.push(null);
      needBcast = true;
    } else {
      const s = r.step[i]!;
      const L = len(i);
      if (n === 0) specs.push(`${L}:${L}`);
      else if (s > 0) {
        const start = r.extra[i]!;
        specs.push(`${start}:${start + (n - 1) * s + 1}:${s}`);
      } else {
        const start = L - 1 - r.extra[i]!;
        const stop = start + (n - 1) * s - 1;
        specs.push(stop < 0 ? `${start}::${s}` : `${start}:${stop}:${s}`);
      }
    }
  });
  v = v.slice(...specs);
  if (v.shape.some((x, i) => x !== (r.kind[i] === 'bcast' ? 1 : r.shape[i]))) {
    throw new Error(`view recipe produced ${JSON.stringify(v.shape)} for ${JSON.stringify(r)}`);
  }
  if (needBcast) v = nb.broadcastTo(v, r.shape);
  return v;
}

/** Arbitrary: a view of `shape` and dtype d with random values. */
export function viewArb(shape: readonly number[], d: DT): fc.Arbitrary<{ recipe: ViewRecipe; values: Val[] }> {
  return fc.record({ recipe: viewRecipeArb(shape), values: fc.array(valueArb(d), { minLength: 1, maxLength: 40 }) });
}

/** The reference values of an array in C order of its shape. */
export function readAll(a: nb.NDArray): Val[] {
  return [...indices(a.shape)].map((i) => readAt(a, i));
}
