/**
 * The built-in ufuncs on the GPU: each is a kernel-language source with NumPy's meaning,
 * compiled through the same compiler as user kernels (typed IR → WGSL), for the loop the
 * cpu dispatcher picks (so resolution, weak scalars and casting are NumPy's), when that
 * loop's dtypes are all gpu dtypes (float32 int32 uint32 bool).
 *
 * Kinds select the source by the loop's input dtype: `f` float32, `i` int32/uint32, `b`
 * bool. A ufunc or loop missing here is a TargetError `E_GPU_NO_KERNEL` naming what to do.
 * Deviations from NumPy that a test pins: transcendental functions have WGSL's accuracy
 * (not correctly rounded; the GPU's own sin/exp), and NaN payload signs are not kept.
 */
import type { DType } from '../dtype/dtypes.js';

/** `u`: a uint32-only source (else uint32 uses `i`). */
type Kind = 'f' | 'i' | 'u' | 'b';
type Sources = Partial<Record<Kind, string>>;

const unaryF = (body: string): Sources => ({ f: `(a) => ${body}` });
const binF = (body: string): Sources => ({ f: `(a, b) => ${body}` });
const same2 = (body: string, b?: string): Sources => ({ f: `(a, b) => ${body}`, i: `(a, b) => ${body}`, ...(b ? { b: `(a, b) => ${b}` } : {}) });
const cmp = (op: string): Sources => ({ f: `(a, b) => a ${op} b`, i: `(a, b) => a ${op} b`, b: `(a, b) => a ${op} b` });
/** floor/ceil/trunc of an integer or bool: itself (NumPy's integer loops). */
const rounding = (body: string): Sources => ({ f: `(a) => ${body}`, i: '(a) => a', b: '(a) => a' });

/** NumPy name → kernel sources by kind. */
const TABLE: Readonly<Record<string, Sources>> = {
  add: same2('a + b', 'a || b'),
  subtract: same2('a - b'),
  multiply: same2('a * b', 'a && b'),
  divide: binF('a / b'),
  negative: { f: '(a) => -a', i: '(a) => -a' },
  positive: { f: '(a) => a', i: '(a) => a' },
  absolute: { f: '(a) => Math.abs(a)', i: '(a) => Math.abs(a)', b: '(a) => a' },
  sign: { f: '(a) => Math.sign(a)', i: '(a) => Math.sign(a)' },
  square: { f: '(a) => a * a', i: '(a) => a * a' },
  reciprocal: unaryF('1 / a'),
  conjugate: { f: '(a) => a', i: '(a) => a' },
  sqrt: unaryF('Math.sqrt(a)'), cbrt: unaryF('Math.cbrt(a)'),
  exp: unaryF('Math.exp(a)'), exp2: unaryF('Math.pow(2, a)'), expm1: unaryF('Math.expm1(a)'),
  log: unaryF('Math.log(a)'), log2: unaryF('Math.log2(a)'), log10: unaryF('Math.log10(a)'), log1p: unaryF('Math.log1p(a)'),
  sin: unaryF('Math.sin(a)'), cos: unaryF('Math.cos(a)'), tan: unaryF('Math.tan(a)'),
  arcsin: unaryF('Math.asin(a)'), arccos: unaryF('Math.acos(a)'), arctan: unaryF('Math.atan(a)'),
  sinh: unaryF('Math.sinh(a)'), cosh: unaryF('Math.cosh(a)'), tanh: unaryF('Math.tanh(a)'),
  arcsinh: unaryF('Math.asinh(a)'), arccosh: unaryF('Math.acosh(a)'), arctanh: unaryF('Math.atanh(a)'),
  deg2rad: unaryF('a * (Math.PI / 180)'), rad2deg: unaryF('a * (180 / Math.PI)'),
  floor: rounding('Math.floor(a)'), ceil: rounding('Math.ceil(a)'), trunc: rounding('Math.trunc(a)'),
  // Round half to even (NumPy's rint), from JavaScript's halves-up Math.round.
  rint: unaryF('{ const r = Math.round(a); return (r - a === 0.5 && r % 2 !== 0) ? r - 1 : r; }'),
  arctan2: binF('Math.atan2(a, b)'), hypot: binF('Math.hypot(a, b)'),
  // C's pow (NumPy) differs from JavaScript's at pow(1, y) and pow(-1, ±inf): both are 1.
  power: binF('(a === 1 || b === 0 || (a === -1 && !Number.isFinite(b) && !Number.isNaN(b))) ? 1 : Math.pow(a, b)'),
  // Equal floats (0 and -0) give the second for maximum/minimum (NumPy 2) and the first for
  // fmax/fmin, as the cpu loops do (test/builtins/special-values/extrema.test.ts); JavaScript's
  // Math.max(0, -0) is 0 either way. NaN is tested first: a GPU may order NaN as it likes.
  maximum: { ...same2('Math.max(a, b)', 'a || b'), f: '(a, b) => Number.isNaN(a) ? a : Number.isNaN(b) ? b : a > b ? a : b' },
  minimum: { ...same2('Math.min(a, b)', 'a && b'), f: '(a, b) => Number.isNaN(a) ? a : Number.isNaN(b) ? b : a < b ? a : b' },
  fmax: { f: '(a, b) => Number.isNaN(a) ? b : Number.isNaN(b) ? a : a >= b ? a : b', i: '(a, b) => Math.max(a, b)', b: '(a, b) => a || b' },
  fmin: { f: '(a, b) => Number.isNaN(a) ? b : Number.isNaN(b) ? a : a <= b ? a : b', i: '(a, b) => Math.min(a, b)', b: '(a, b) => a && b' },
  equal: { ...cmp('==='), b: '(a, b) => a === b' },
  not_equal: { ...cmp('!=='), b: '(a, b) => a !== b' },
  less: cmp('<'), less_equal: cmp('<='), greater: cmp('>'), greater_equal: cmp('>='),
  logical_and: { f: '(a, b) => a != 0 && b != 0', i: '(a, b) => a != 0 && b != 0', b: '(a, b) => a && b' },
  logical_or: { f: '(a, b) => a != 0 || b != 0', i: '(a, b) => a != 0 || b != 0', b: '(a, b) => a || b' },
  logical_xor: { f: '(a, b) => (a != 0) !== (b != 0)', i: '(a, b) => (a != 0) !== (b != 0)', b: '(a, b) => a !== b' },
  logical_not: { f: '(a) => a == 0', i: '(a) => a == 0', b: '(a) => !a' },
  bitwise_and: { i: '(a, b) => a & b', b: '(a, b) => a && b' },
  bitwise_or: { i: '(a, b) => a | b', b: '(a, b) => a || b' },
  bitwise_xor: { i: '(a, b) => a ^ b', b: '(a, b) => a !== b' },
  invert: { i: '(a) => ~a', b: '(a) => !a' },
  // NumPy: a shift by the width or more gives 0 (left) or the sign (right), not a masked count.
  left_shift: { i: '(a, b) => (b >= 32 || b < 0) ? 0 : a << b' },
  // (a - a - 1 and a - a keep a's type: a literal-only ?: would be int64.)
  // uint32: >>> (the kernel language's >> is JavaScript's sign-propagating shift).
  right_shift: { i: '(a, b) => (b >= 32 || b < 0) ? (a < 0 ? a - a - 1 : a - a) : a >> b', u: '(a, b) => b >= 32 ? a - a : a >>> b' },
  isnan: { f: '(a) => Number.isNaN(a)', i: '(a) => a !== a', b: '(a) => a !== a' },
  isinf: { f: '(a) => !Number.isFinite(a) && !Number.isNaN(a)', i: '(a) => a !== a', b: '(a) => a !== a' },
  isfinite: { f: '(a) => Number.isFinite(a)', i: '(a) => a === a', b: '(a) => a === a' },
  // Through a float32 local: a literal-only ?: would compute in float64.
  heaviside: binF('{ let r = b; if (a < 0) r = 0; else if (a > 0) r = 1; else if (Number.isNaN(a)) r = a; return r; }'),
  copysign: binF('{ const m = Math.abs(a); return (b < 0 || (b === 0 && 1 / b < 0)) ? -m : m; }'),
  floor_divide: {
    i: '(a, b) => Math.floor(a / b)',
    // npy_floor_divide: through fmod so that the quotient is exact.
    f: `(a, b) => {
      if (b === 0) return a / b;
      const m = a % b;
      let d = (a - m) / b;
      if (m !== 0 && (b < 0) !== (m < 0)) d = d - 1;
      if (d !== 0) { let f = Math.floor(d); if (d - f > 0.5) f = f + 1; return f; }
      return (a / b) * 0;
    }`,
  },
  remainder: {
    i: '(a, b) => { if (b === 0) return 0; let r = a % b; if (r !== 0 && (r < 0) !== (b < 0)) r = r + b; return r; }',
    f: '(a, b) => { let m = a % b; if (m !== 0) { if ((b < 0) !== (m < 0)) m = m + b; return m; } m = 0; if (b < 0) m = -m; return m; }',
  },
  fmod: { i: '(a, b) => a % b', f: '(a, b) => a % b' },
  logaddexp: binF('{ if (a === b) return a + Math.LN2; const m = Math.max(a, b); return m + Math.log1p(Math.exp(-Math.abs(a - b))); }'),
  logaddexp2: binF('{ if (a === b) return a + 1; const m = Math.max(a, b); return m + Math.log1p(Math.pow(2, -Math.abs(a - b))) * Math.LOG2E; }'),
  // Math.abs at the end too: abs(INT32_MIN) wraps, and the loop may end on a negative value.
  gcd: { i: '(a, b) => { let x = Math.abs(a); let y = Math.abs(b); while (y !== 0) { const t = x % y; x = y; y = t; } return Math.abs(x); }' },
  lcm: { i: '(a, b) => { const x = Math.abs(a); const z = Math.abs(b); let p = x; let q = z; while (q !== 0) { const t = p % q; p = q; q = t; } return p === 0 ? 0 : Math.floor(x / p) * z; }' },
};

/** The NumPy names of the built-ins that run on the GPU. */
export const GPU_BUILTINS: readonly string[] = Object.keys(TABLE);

const kindOf = (t: DType): Kind => (t === 'float32' ? 'f' : t === 'bool' ? 'b' : 'i');

/**
 * The kernel source of built-in `name` for a loop whose first input has dtype `t`, or null.
 *
 * @example
 * ```ts
 * builtinGpuSource('add', 'float32'); // '(a, b) => a + b'
 * ```
 */
export function builtinGpuSource(name: string, t: DType): string | null {
  const k = TABLE[name];
  if (!k) return null;
  return (t === 'uint32' ? k.u : undefined) ?? k[kindOf(t)] ?? null;
}
