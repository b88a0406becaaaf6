/**
 * The JS emitter's runtime (`rt` in emitted code): the operations that are not one JS
 * operator. Each follows the kernel language's rules (ir/infer.ts's header) on the JS
 * emitter's value representation (ir/types.ts): numbers for types up to 32 bits and floats,
 * bigints for int64/uint64, booleans for bool.
 *
 * Steps to add an operation: write it here, spell it in spell.ts, and emit the same
 * meaning in emit/assemblyscript/prelude.ts; the differential tests compare the two.
 */
import { convertScalar } from '../../../dtype/convert-scalar.js';
import { BoundsTrap, ScratchTrap } from '../../bounds.js';
import { DTYPES, type DType } from '../../../dtype/dtypes.js';
import { checkNewShape, sizeOf } from '../../../ndarray/layout.js';
import { copysign, erf, erfc, gamma, ldexp, lgamma, nextafter, sinc } from '../../../math/index.js';
import { nextafterFloat32 } from '../../../math/elementary.js';

type Num = number;

const wrapN: Readonly<Record<string, (x: Num) => Num>> = {
  int8: (x) => (x << 24) >> 24,
  uint8: (x) => x & 0xff,
  int16: (x) => (x << 16) >> 16,
  uint16: (x) => x & 0xffff,
  int32: (x) => x | 0,
  uint32: (x) => x >>> 0,
};

/** Integer power by squaring at `bits` (signed or not), JavaScript-exact when it fits. */
function ipowBig(a: bigint, b: bigint, bits: number, signed: boolean): bigint {
  const w = (x: bigint) => (signed ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x));
  if (b < 0n) return a === 1n ? 1n : a === -1n ? ((-b) % 2n === 1n ? w(-1n) : 1n) : 0n;
  let result = 1n;
  let base = w(a);
  let e = b;
  while (e > 0n) {
    if (e & 1n) result = w(result * base);
    base = w(base * base);
    e >>= 1n;
  }
  return result;
}

const SIGNED: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'int64']);
const BITS: Readonly<Record<string, number>> = { int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64 };

function makeRuntime() {
  const rt: Record<string, unknown> = {
    /** float → integer/bool: NumPy's unsafe cast (src/dtype/convert-scalar.ts). */
    f2i: (x: Num, t: DType) => convertScalar(x, t),
    /** int64/uint64 → float32, rounded once from the exact integer. */
    bigToF32: (x: bigint) => convertScalar(x, 'float32'),
    /** Integer % with JavaScript's sign; % 0 is 0. */
    imod: (a: Num, b: Num) => (b === 0 ? 0 : (a % b) + 0),
    bmod: (a: bigint, b: bigint) => (b === 0n ? 0n : a % b),
    absBig: (a: bigint) => (a < 0n ? -a : a),
    signBig: (a: bigint) => (a > 0n ? 1n : a < 0n ? -1n : 0n),
    minBig: (...xs: bigint[]) => xs.reduce((m, x) => (x < m ? x : m)),
    maxBig: (...xs: bigint[]) => xs.reduce((m, x) => (x > m ? x : m)),
    /** JavaScript truthiness of a float: 0, -0 and NaN are false. */
    truthy: (x: Num) => x !== 0 && x === x,
    // nb.math (src/math/): the plain-JS functions themselves (ir/intrinsics.ts spells rt.erf(x)).
    erf, erfc, gamma, lgamma, sinc, copysign, nextafter, ldexp, nextafter32: nextafterFloat32,
    /** A checked index (ir/passes/bounds-check.ts): i when 0 <= i < n, else the site's BoundsTrap. */
    bc: (i: Num, n: Num, site: Num) => {
      if (i >= 0 && i < n) return i;
      throw new BoundsTrap(site, BigInt(i), n);
    },
    /**
     * A scratch array (`new Float64Array(n)` in the kernel): JavaScript's own, zero-filled;
     * a negative length is the site's ScratchTrap (where JavaScript throws a RangeError).
     */
    scratch: (ctor: new (n: number) => unknown, n: Num | bigint, site: Num) => {
      if (n < 0) throw new ScratchTrap(site, BigInt(n), -1);
      return new ctor(Number(n));
    },
    /**
     * A jit allocation's elements when no allocator is set (emit-module.ts setAllocator): a
     * plain TypedArray, after nb.empty's checks of the sizes (the same errors).
     */
    jitAlloc: (_site: Num, dtype: DType, shape: readonly Num[], fill: 'empty' | 'zeros' | 'ones') => {
      const info = DTYPES[dtype];
      const a = new info.TypedArray(sizeOf(checkNewShape([...shape], info.itemSize)));
      if (fill === 'ones') (a as { fill(v: unknown): unknown }).fill(dtype === 'int64' || dtype === 'uint64' ? 1n : 1);
      return a;
    },
    /** A checked 64-bit index (a bigint): as a number. */
    bc64: (i: bigint, n: Num, site: Num) => {
      if (i >= 0n && i < BigInt(n)) return Number(i);
      throw new BoundsTrap(site, i, n);
    },
  };
  for (const t of Object.keys(BITS)) {
    const bits = BITS[t]!;
    const signed = SIGNED.has(t);
    if (bits === 64) {
      const w = signed ? (x: bigint) => BigInt.asIntN(64, x) : (x: bigint) => BigInt.asUintN(64, x);
      rt[`wrap_${t}`] = w;
      rt[`floordiv_${t}`] = (a: bigint, b: bigint) => {
        if (b === 0n) return 0n;
        let q = a / b;
        if (a % b !== 0n && (a < 0n) !== (b < 0n)) q -= 1n;
        return w(q);
      };
      rt[`truncdiv_${t}`] = (a: bigint, b: bigint) => (b === 0n ? 0n : w(a / b));
      rt[`ipow_${t}`] = (a: bigint, b: bigint) => ipowBig(a, b, 64, signed);
    } else {
      const w = wrapN[t]!;
      rt[`wrap_${t}`] = w;
      // |a|, |b| < 2^32: the double quotient is never rounded across an integer boundary.
      rt[`floordiv_${t}`] = (a: Num, b: Num) => (b === 0 ? 0 : w(Math.floor(a / b)));
      rt[`truncdiv_${t}`] = (a: Num, b: Num) => (b === 0 ? 0 : w(Math.trunc(a / b)));
      rt[`ipow_${t}`] = (a: Num, b: Num) => Number(ipowBig(BigInt(a), BigInt(b), bits, signed));
    }
  }
  return Object.freeze(rt);
}

/** The runtime object emitted code receives as `rt`. */
export const JS_RUNTIME: Readonly<Record<string, unknown>> = makeRuntime();
