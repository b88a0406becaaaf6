/**
 * AssemblyScript for nb.math in kernels (the cpu and parallel targets): src/math/'s float64
 * functions written once more, operation for operation, so that a kernel's Wasm tier gives
 * the bits plain JS and the JS tier give (test/vectorize/math-functions.test.ts compares
 * them on every input of test/fixtures/math-functions.json). Only IEEE-exact operations are
 * used (+ - * /, abs, floor, integer bit operations, musl's scalbn for ldexp), and no tables
 * (a module's data segments would land in the shared heap).
 *
 * The algorithms, constants and fdlibm's notice are in src/math/libm.ts, erf.ts, gamma.ts and
 * elementary.ts; a change there is a change here. Snippets follow emit/assemblyscript/
 * prelude.ts's format (named by the function they define, with dependencies); names start
 * with `__nb_`. Double-double results leave their low part in the global `__nb_ddlo`.
 */

interface Snippet {
  readonly deps: readonly string[];
  readonly code: string;
}

const CORE = `// nb.math core (src/math/bits.ts, libm.ts): float64 words, double-double steps.
// @ts-ignore: decorator
@inline function __nb_hi(x: f64): i32 { return <i32>(reinterpret<u64>(x) >> 32); }
// @ts-ignore: decorator
@inline function __nb_lo(x: f64): u32 { return <u32>reinterpret<u64>(x); }
// @ts-ignore: decorator
@inline function __nb_words(hi: i32, lo: u32): f64 { return reinterpret<f64>((<u64><u32>hi << 32) | <u64>lo); }
// @ts-ignore: decorator
@inline function __nb_pow2(k: i32): f64 { return reinterpret<f64>(<u64>(0x3ff + k) << 52); }
let __nb_ddlo: f64 = 0.0;
function __nb_twoProd(a: f64, b: f64): f64 {
  const p = a * b;
  let t = 134217729.0 * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = 134217729.0 * b;
  const bh = t - (t - b);
  const bl = b - bh;
  __nb_ddlo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}
function __nb_twoSum(a: f64, b: f64): f64 {
  const s = a + b;
  const bb = s - a;
  __nb_ddlo = (a - (s - bb)) + (b - bb);
  return s;
}
function __nb_mulDD(xh: f64, xl: f64, yh: f64, yl: f64): f64 {
  const p = __nb_twoProd(xh, yh);
  const e = __nb_ddlo + (xh * yl + xl * yh);
  const s = p + e;
  __nb_ddlo = e - (s - p);
  return s;
}
function __nb_divDD(xh: f64, xl: f64, yh: f64, yl: f64): f64 {
  const q1 = xh / yh;
  const ph = __nb_mulDD(q1, 0.0, yh, yl);
  const pl = __nb_ddlo;
  const q2 = ((xh - ph) - pl + xl) / yh;
  const s = q1 + q2;
  __nb_ddlo = q2 - (s - q1);
  return s;
}`;

const EXP = `function __nb_exp(x: f64): f64 {
  let hx = __nb_hi(x);
  const xsb = <i32>(<u32>hx >> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((<u32>(hx & 0xfffff)) | __nb_lo(x)) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > 7.09782712893383973096e+02) return Infinity;
    if (x < -7.45133219101941108420e+02) return 0.0;
  }
  let hi = 0.0;
  let lo = 0.0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = xsb == 0 ? x - 6.93147180369123816490e-01 : x + 6.93147180369123816490e-01;
      lo = xsb == 0 ? 1.90821492927058770002e-10 : -1.90821492927058770002e-10;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(1.44269504088896338700e+00 * x + (xsb == 0 ? 0.5 : -0.5));
      hi = x - <f64>k * 6.93147180369123816490e-01;
      lo = <f64>k * 1.90821492927058770002e-10;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  }
  const t = x * x;
  const c = x - t * (1.66666666666666019037e-01 + t * (-2.77777777770155933842e-03 + t * (6.61375632143793436117e-05 + t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) return k == 1024 ? y * 2.0 * __nb_pow2(1023) : y * __nb_pow2(k);
  return y * __nb_pow2(k + 1000) * 9.33263618503218878990e-302;
}`;

const LG = ['6.666666666666735130e-01', '3.999999999940941908e-01', '2.857142874366239149e-01', '2.222219843214978396e-01',
  '1.818357216161805012e-01', '1.531383769920937332e-01', '1.479819860511658591e-01'];

const LOG = `function __nb_log(x: f64): f64 {
  let hx = __nb_hi(x);
  const lx = __nb_lo(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((<u32>(hx & 0x7fffffff)) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= 1.80143985094819840000e+16;
    hx = __nb_hi(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = __nb_words(hx | (i ^ 0x3ff00000), __nb_lo(x));
  k += i >> 20;
  const f = x - 1.0;
  const dk = <f64>k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0.0) return k == 0 ? 0.0 : dk * 6.93147180369123816490e-01 + dk * 1.90821492927058770002e-10;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : dk * 6.93147180369123816490e-01 - ((r - dk * 1.90821492927058770002e-10) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (${LG[1]} + w * (${LG[3]} + w * ${LG[5]}));
  const t2 = z * (${LG[0]} + w * (${LG[2]} + w * (${LG[4]} + w * ${LG[6]})));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + dk * 1.90821492927058770002e-10)) - f);
  }
  return k == 0 ? f - s * (f - r) : dk * 6.93147180369123816490e-01 - ((s * (f - r) - dk * 1.90821492927058770002e-10) - f);
}`;

const LOG1P = `function __nb_log1p(x: f64): f64 {
  const hx = __nb_hi(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0.0;
  let hu = 0;
  let c = 0.0;
  if (hx < 0x3fda827a) {
    if (ax >= 0x3ff00000) return x == -1.0 ? -Infinity : NaN;
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5;
    if (hx > 0 || hx <= <i32>0xbfd2bec3) {
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k != 0) {
    let u: f64;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = __nb_hi(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = __nb_hi(u);
      k = (hu >> 20) - 1023;
      c = 0.0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = __nb_words(hu | 0x3ff00000, __nb_lo(u));
    } else {
      k += 1;
      u = __nb_words(hu | 0x3fe00000, __nb_lo(u));
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  const dk = <f64>k;
  if (hu == 0) {
    if (f == 0.0) {
      if (k == 0) return 0.0;
      c += dk * 1.90821492927058770002e-10;
      return dk * 6.93147180369123816490e-01 + c;
    }
    const r = hfsq * (1.0 - 0.66666666666666666 * f);
    return k == 0 ? f - r : dk * 6.93147180369123816490e-01 - ((r - (dk * 1.90821492927058770002e-10 + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const r = z * (${LG[0]} + z * (${LG[1]} + z * (${LG[2]} + z * (${LG[3]} + z * (${LG[4]} + z * (${LG[5]} + z * ${LG[6]}))))));
  return k == 0 ? f - (hfsq - s * (hfsq + r)) : dk * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + (dk * 1.90821492927058770002e-10 + c))) - f);
}`;

const S = ['-1.66666666666666324348e-01', '8.33333333332248946124e-03', '-1.98412698298579493134e-04', '2.75573137070700676789e-06',
  '-2.50507602534068634195e-08', '1.58969099521155010221e-10'];

const SINPI = `function __nb_ksin(x: f64, y: f64): f64 {
  const z = x * x;
  const v = z * x;
  const r = ${S[1]} + z * (${S[2]} + z * (${S[3]} + z * (${S[4]} + z * ${S[5]})));
  return x - ((z * (0.5 * y - v * r) - y) - v * ${S[0]});
}
function __nb_kcos(x: f64, y: f64): f64 {
  const ix = __nb_hi(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1.0;
  const z = x * x;
  const r = z * (4.16666666666666019037e-02 + z * (-1.38888888888741095749e-03 + z * (2.48015872894767294178e-05 + z * (-2.75573143513906633035e-07 + z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
  if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : __nb_words(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1.0 - qx;
  return a - (hz - (z * r - x * y));
}
function __nb_sinpi(x: f64): f64 {
  const a = Math.abs(x);
  if (!(a < 4503599627370496.0)) return a == Infinity || x != x ? NaN : x * 0.0;
  let r = a - 2.0 * Math.floor(a * 0.5);
  let s = x < 0.0 ? -1.0 : 1.0;
  if (r >= 1.0) {
    r -= 1.0;
    s = -s;
  }
  if (r == 0.0) return x * 0.0;
  let t = r;
  if (r > 0.25) t = r < 0.75 ? 0.5 - r : 1.0 - r;
  const y = __nb_twoProd(3.141592653589793, t);
  const yl = __nb_ddlo + 1.2246467991473532e-16 * t;
  if (r > 0.25 && r < 0.75) return s * __nb_kcos(y, yl);
  return s * __nb_ksin(y, yl);
}`;

const SINC = `function __nb_sinc(x: f64): f64 {
  const a = Math.abs(x);
  if (a < 0.25) {
    const y = 3.141592653589793 * a;
    const z = y * y;
    const r = ${S[1]} + z * (${S[2]} + z * (${S[3]} + z * (${S[4]} + z * ${S[5]})));
    return 1.0 + z * (${S[0]} + z * r);
  }
  if (!(a < 4503599627370496.0)) return a == Infinity || x != x ? NaN : 0.0;
  const s = __nb_sinpi(a);
  const ph = __nb_twoProd(3.141592653589793, a);
  const pl = __nb_ddlo + 1.2246467991473532e-16 * a;
  const q0 = s / ph;
  const p = __nb_twoProd(q0, ph);
  const rem = ((s - p) - __nb_ddlo) - q0 * pl;
  return q0 + rem / ph;
}`;

const ERF_PARTS = `function __nb_erf_small(x: f64): f64 {
  const z = x * x;
  const r = 1.28379167095512558561e-01 + z * (-3.25042107247001499370e-01 + z * (-2.84817495755985104766e-02 + z * (-5.77027029648944159157e-03 + z * -2.37630166566501626084e-05)));
  const s = 1.0 + z * (3.97917223959155352819e-01 + z * (6.50222499887672944485e-02 + z * (5.08130628187576562776e-03 + z * (1.32494738004321644526e-04 + z * -3.96022827877536812320e-06))));
  return r / s;
}
function __nb_erf_middle(ax: f64): f64 {
  const s = ax - 1.0;
  const p = -2.36211856075265944077e-03 + s * (4.14856118683748331666e-01 + s * (-3.72207876035701323847e-01 + s * (3.18346619901161753674e-01 + s * (-1.10894694282396677476e-01 + s * (3.54783043256182359371e-02 + s * -2.16637559486879084300e-03)))));
  const q = 1.0 + s * (1.06420880400844228286e-01 + s * (5.40397917702171048937e-01 + s * (7.18286544141962662868e-02 + s * (1.26171219808761642112e-01 + s * (1.36370839120290507362e-02 + s * 1.19844998467991074170e-02)))));
  return p / q;
}
function __nb_erf_tail(ax: f64, ix: i32): f64 {
  const w = 1.0 / (ax * ax);
  let r: f64;
  let q: f64;
  if (ix < 0x4006db6e) {
    r = -9.86494403484714822705e-03 + w * (-6.93858572707181764372e-01 + w * (-1.05586262253232909814e+01 + w * (-6.23753324503260060396e+01 + w * (-1.62396669462573470355e+02 + w * (-1.84605092906711035994e+02 + w * (-8.12874355063065934246e+01 + w * -9.81432934416914548592e+00))))));
    q = 1.0 + w * (1.96512716674392571292e+01 + w * (1.37657754143519042600e+02 + w * (4.34565877475229228821e+02 + w * (6.45387271733267880336e+02 + w * (4.29008140027567833386e+02 + w * (1.08635005541779435134e+02 + w * (6.57024977031928170135e+00 + w * -6.04244152148580987438e-02)))))));
  } else {
    r = -9.86494292470009928597e-03 + w * (-7.99283237680523006574e-01 + w * (-1.77579549177547519889e+01 + w * (-1.60636384855821916062e+02 + w * (-6.37566443368389627722e+02 + w * (-1.02509513161107724954e+03 + w * -4.83519191608651397019e+02)))));
    q = 1.0 + w * (3.03380607434824582924e+01 + w * (3.25792512996573918826e+02 + w * (1.53672958608443695994e+03 + w * (3.19985821950859553908e+03 + w * (2.55305040643316442583e+03 + w * (4.74528541206955367215e+02 + w * -2.24409524465858183362e+01))))));
  }
  const z = reinterpret<f64>(reinterpret<u64>(ax) & 0xffffffff00000000);
  const s = __nb_twoSum(-z * z - 0.5625, (z - ax) * (z + ax) + r / q);
  const e = __nb_ddlo;
  const t = __nb_exp(s);
  __nb_ddlo = t * e;
  return t;
}`;

const ERF = `function __nb_erf(x: f64): f64 {
  const hx = __nb_hi(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return (hx < 0 ? -1.0 : 1.0) + 1.0 / x;
  if (ix < 0x3feb0000) {
    if (ix < 0x3e300000) {
      if (ix < 0x00800000) return 0.125 * (8.0 * x + 1.02703333676410069053e+00 * x);
      return x + 1.28379167095512586316e-01 * x;
    }
    return x + x * __nb_erf_small(x);
  }
  if (ix < 0x3ff40000) return hx >= 0 ? 8.45062911510467529297e-01 + __nb_erf_middle(Math.abs(x)) : -8.45062911510467529297e-01 - __nb_erf_middle(Math.abs(x));
  if (ix >= 0x40180000) return hx >= 0 ? 1.0 : -1.0;
  const ax = Math.abs(x);
  const t = __nb_erf_tail(ax, ix);
  const r = t + __nb_ddlo;
  return hx >= 0 ? 1.0 - r / ax : r / ax - 1.0;
}`;

const ERFC = `function __nb_erfc(x: f64): f64 {
  const hx = __nb_hi(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return (hx < 0 ? 2.0 : 0.0) + 1.0 / x;
  if (ix < 0x3feb0000) {
    if (ix < 0x3c700000) return 1.0 - x;
    const y = __nb_erf_small(x);
    if (hx < 0x3fd00000) return 1.0 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ix < 0x3ff40000) {
    const pq = __nb_erf_middle(Math.abs(x));
    return hx >= 0 ? (1.0 - 8.45062911510467529297e-01) - pq : 1.0 + (8.45062911510467529297e-01 + pq);
  }
  if (ix < 0x403c0000) {
    if (hx < 0 && ix >= 0x40180000) return 2.0;
    const ax = Math.abs(x);
    const t = __nb_erf_tail(ax, ix);
    const te = __nb_ddlo;
    const q = t / ax;
    const p = __nb_twoProd(q, ax);
    const r = q + (((t - p) - __nb_ddlo) + te) / ax;
    return hx > 0 ? r : 2.0 - r;
  }
  return hx > 0 ? 0.0 : 2.0;
}`;

const GAMMA_PARTS = `let __nb_gv_hi: f64 = 0.0;
let __nb_gv_lo: f64 = 0.0;
let __nb_gscale: i32 = 0;
function __nb_rgamma1p(f: f64): f64 {
  const t = -0.042002635034095515 + f * (0.1665386113822915 + f * (-0.04219773455552084 + f * (-0.00962197152787899 + f * (0.007218943245911072 + f * (-0.0011651675917944975 + f * (-0.00021524166229467653 + f * (0.0001280502813722699 + f * (-2.01349556850396e-05 + f * (-1.250484796492716e-06 + f * (1.1335045480626792e-06 + f * (-2.056750434568255e-07 + f * (4.939580133523849e-09 + f * 5.1041498417163275e-09))))))))))));
  let p = __nb_twoProd(f, t);
  let e = __nb_ddlo;
  let s = __nb_twoSum(-0.6558780715202539, p);
  e += __nb_ddlo + 2.13249906221019e-17;
  const uh = s + e;
  const ul = e - (uh - s);
  p = __nb_twoProd(f, uh);
  e = __nb_ddlo + f * ul;
  s = __nb_twoSum(0.5772156649015329, p);
  e += __nb_ddlo + -4.396605545489029e-18;
  const vh = s + e;
  const vl = e - (vh - s);
  __nb_gv_hi = vh;
  __nb_gv_lo = vl;
  p = __nb_twoProd(f, vh);
  e = __nb_ddlo + f * vl;
  s = __nb_twoSum(1.0, p);
  e += __nb_ddlo;
  const r = s + e;
  __nb_ddlo = e - (r - s);
  return r;
}
function __nb_gproduct(f: f64, lo: i32, hi: i32): f64 {
  let ph = 1.0;
  let pl = 0.0;
  __nb_gscale = 0;
  for (let j = lo; j <= hi; j++) {
    ph = __nb_mulDD(ph, pl, f + <f64>j, 0.0);
    pl = __nb_ddlo;
    if (Math.abs(ph) > 4.149515568880993e+180) {
      ph *= 2.409919865102884e-181;
      pl *= 2.409919865102884e-181;
      __nb_gscale += 600;
    }
  }
  __nb_ddlo = pl;
  return ph;
}
function __nb_grescale(x: f64, k: i32): f64 {
  for (; k > 0; k -= 600) x *= 4.149515568880993e+180;
  for (; k < 0; k += 600) x *= 2.409919865102884e-181;
  return x;
}
function __nb_stirling(x: f64): f64 {
  if (x >= 2.8823037615171174e17) return x * (__nb_log(x) - 1.0);
  const z = 1.0 / x;
  const z2 = z * z;
  const s = z * (0.08333333333333333 + z2 * (-0.002777777777777778 + z2 * (0.0007936507936507937 + z2 * (-0.0005952380952380953 + z2 * (0.0008417508417508417 + z2 * -0.0019175269175269176)))));
  const p = __nb_twoProd(x - 0.5, __nb_log(x) - 1.0);
  const pl = __nb_ddlo;
  const t = __nb_twoSum(p, 0.4189385332046727 + s);
  return t + (__nb_ddlo + pl);
}`;

const GAMMA = `function __nb_gamma(x: f64): f64 {
  if (x != x) return x + x;
  if (x == Infinity) return x;
  const a = Math.abs(x);
  if (a < 1.3877787807814457e-17) return 1.0 / x;
  if (x > 172.0) return Infinity;
  const n = Math.floor(x + 0.5);
  if (x < -190.0) {
    if (n == x || a == Infinity) return NaN;
    const m = Math.floor(x);
    return m - 2.0 * Math.floor(m * 0.5) != 0.0 ? -0.0 : 0.0;
  }
  const f = x - n;
  if (f == 0.0 && n <= 0.0) return NaN;
  const rh = __nb_rgamma1p(f);
  const rl = __nb_ddlo;
  if (n >= 1.0) {
    const ph = __nb_gproduct(f, 1, <i32>n - 1);
    const q = __nb_divDD(ph, __nb_ddlo, rh, rl);
    return __nb_grescale(q, __nb_gscale);
  }
  const ph = __nb_gproduct(f, <i32>n, 0);
  const dh = __nb_mulDD(rh, rl, ph, __nb_ddlo);
  const q = __nb_divDD(1.0, 0.0, dh, __nb_ddlo);
  return __nb_grescale(q, -__nb_gscale);
}`;

const LGAMMA = `function __nb_lgamma(x: f64): f64 {
  if (x != x) return x + x;
  const a = Math.abs(x);
  if (a == Infinity) return Infinity;
  if (a < 8.470329472543003e-22) return -__nb_log(a);
  if (x < 0.0) {
    const n = Math.floor(x + 0.5);
    const f = x - n;
    if (f == 0.0) return Infinity;
    if (x > -30.0) {
      const rh = __nb_rgamma1p(f);
      const rl = __nb_ddlo;
      const ph = __nb_gproduct(f, <i32>n, 0);
      const dh = __nb_mulDD(rh, rl, ph, __nb_ddlo);
      return -(__nb_log(Math.abs(dh)) + __nb_ddlo / dh);
    }
    return 1.1447298858494002 - __nb_log(Math.abs(__nb_sinpi(x) * x)) - __nb_stirling(-x);
  }
  if (x < 0.5) {
    __nb_rgamma1p(x);
    return -__nb_log(x) - __nb_log1p(x * __nb_gv_hi + x * __nb_gv_lo);
  }
  if (x <= 1.5) {
    const f = x - 1.0;
    __nb_rgamma1p(f);
    const wh = __nb_twoProd(f, __nb_gv_hi);
    const wl = __nb_ddlo + f * __nb_gv_lo;
    return 0.0 - (__nb_log1p(wh) + wl / (1.0 + wh));
  }
  if (x <= 2.5) {
    const f = x - 2.0;
    const rh = __nb_rgamma1p(f);
    const rl = __nb_ddlo;
    const dh = __nb_twoSum(1.0, -__nb_gv_hi);
    const dl = __nb_ddlo - __nb_gv_lo;
    const nh = __nb_twoProd(f, dh);
    const wh = __nb_divDD(nh, __nb_ddlo + f * dl, rh, rl);
    return __nb_log1p(wh) + __nb_ddlo / (1.0 + wh);
  }
  if (x < 30.0) {
    const n = Math.floor(x + 0.5);
    const f = x - n;
    const rh = __nb_rgamma1p(f);
    const rl = __nb_ddlo;
    const ph = __nb_gproduct(f, 1, <i32>n - 1);
    const q = __nb_divDD(ph, __nb_ddlo, rh, rl);
    return __nb_log(q) + __nb_ddlo / q;
  }
  return __nb_stirling(x);
}`;

const NEXTAFTER = `function __nb_nextafter64(x: f64, y: f64): f64 {
  if (x != x || y != y) return x + y;
  if (x == y) return y;
  if (x == 0.0) return y > 0.0 ? 5e-324 : -5e-324;
  const u = reinterpret<u64>(x);
  return reinterpret<f64>((x > 0.0) == (y > x) ? u + 1 : u - 1);
}
function __nb_nextafter32(x: f32, y: f32): f32 {
  if (x != x || y != y) return x + y;
  if (x == y) return y;
  if (x == <f32>0.0) return y > <f32>0.0 ? reinterpret<f32>(<u32>1) : reinterpret<f32>(<u32>0x80000001);
  const u = reinterpret<u32>(x);
  return reinterpret<f32>((x > <f32>0.0) == (y > x) ? u + 1 : u - 1);
}`;

/** The snippets by name, in the order they are emitted. */
export const MATH_PRELUDE: readonly (readonly [string, Snippet])[] = [
  ['__nb_core', { deps: [], code: CORE }],
  ['__nb_exp', { deps: ['__nb_core'], code: EXP }],
  ['__nb_log', { deps: ['__nb_core'], code: LOG }],
  ['__nb_log1p', { deps: ['__nb_core'], code: LOG1P }],
  ['__nb_sinpi', { deps: ['__nb_core'], code: SINPI }],
  ['__nb_erf_parts', { deps: ['__nb_exp'], code: ERF_PARTS }],
  ['__nb_erf', { deps: ['__nb_erf_parts'], code: ERF }],
  ['__nb_erfc', { deps: ['__nb_erf_parts'], code: ERFC }],
  ['__nb_gamma_parts', { deps: ['__nb_log'], code: GAMMA_PARTS }],
  ['__nb_gamma', { deps: ['__nb_gamma_parts'], code: GAMMA }],
  ['__nb_lgamma', { deps: ['__nb_gamma_parts', '__nb_log1p', '__nb_sinpi'], code: LGAMMA }],
  ['__nb_sinc', { deps: ['__nb_sinpi'], code: SINC }],
  ['__nb_nextafter64', { deps: [], code: NEXTAFTER }],
  ['__nb_nextafter32', { deps: ['__nb_nextafter64'], code: '' }],
];
