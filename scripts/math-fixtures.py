#!/usr/bin/env python3
"""Write test/fixtures/math-reference.json: high-precision reference values for the SIMD
transcendental kernels in asm/math/ (sin cos exp log exp2 log2 tanh, float64 and float32),
read by test/math/simd-math.test.ts.

Run from the repository root:  python3 scripts/math-fixtures.py
Deterministic. Needs NumPy (any version where np.longdouble is the x87 80-bit format, as on
x86-64 Linux); if mpmath is importable, a sample of the references is cross-checked against it
at 200 bits and the script fails on any disagreement above 0.002 ulp.

`python3 scripts/math-fixtures.py --coefficients` instead prints the Remez minimax
coefficients pasted into asm/math/exp.ts and asm/math/tanh.ts (needs mpmath), and
`python3 scripts/math-fixtures.py --exp-table > asm/math/exp-table.ts` writes the 2^(j/256)
table of the float64 exp (needs mpmath).

Inputs: most are generated from a seeded splitmix64 generator with a few simple recipes that
test/math/simd-math.test.ts reproduces bit for bit (so the JSON stores only references for
them), plus explicit inputs (specials, the doubles closest to multiples of pi/2, powers of two,
integers) stored as raw bits. Recipes (u = next() >> 11 times 2^-53, all in float64 arithmetic,
float32 inputs rounded from it):
  uniform  {a, b}                   a + (b - a) u
  bits     {emin, emax, sign}       random sign (or +/-), biased exponent emin + (r >> 40) mod
                                    (emax - emin + 1), random mantissa (0 = subnormals)
  near     {v, k}                   the bit pattern of v plus d, d uniform in [-k, k]
  nearmul  {c, nmin, nmax, k}       n uniform in [nmin, nmax], v = n c, then `near` v with a
                                    random sign (multiples of pi/2 for sin/cos)
Each recipe's inputs are summarised by the XOR of their bit patterns so the test can check it
regenerated the same values.

References: computed in np.longdouble (64-bit significand; glibc's sinl, expl, ...), then
stored as the nearest value of the dtype plus a correction: corr = round(128 (ref - nearest) /
ulp(nearest)) as int8, ulp being the spacing above |nearest| (2^-1074 / 2^-149 at zero and for
subnormals). So ref = nearest + corr/128 ulp to about 0.004 ulp. Infinite and NaN references
are stored as such (corr 0); a finite reference beyond the largest finite value rounds to inf.
Base64 blobs: little-endian float64 / float32 / int8.
"""
import base64
import json
import math
import os
import sys
import warnings

import numpy as np

warnings.simplefilter('ignore')  # overflow / invalid warnings are expected for specials

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'math-reference.json')
FUNCS = ['sin', 'cos', 'exp', 'log', 'exp2', 'log2', 'tanh']
MASK64 = (1 << 64) - 1
PIO2 = 1.5707963267948966

# ---- the input generator (mirrored in test/math/simd-math.test.ts) -----------------------------


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & MASK64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)


def f64_from_bits(b):
    return np.array([b], dtype=np.uint64).view(np.float64)[0]


def f32_from_bits(b):
    return np.array([b], dtype=np.uint32).view(np.float32)[0]


def bits_of(v, dtype):
    if dtype == 'float64':
        return int(np.array([v], dtype=np.float64).view(np.uint64)[0])
    return int(np.array([v], dtype=np.float32).view(np.uint32)[0])


def from_bits(b, dtype):
    return f64_from_bits(b) if dtype == 'float64' else f32_from_bits(b)


def to_dtype(x, dtype):
    return np.float64(x) if dtype == 'float64' else np.float32(x)


def generate(recipe, dtype):
    """The inputs of one recipe, as a numpy array of `dtype`."""
    rng = SplitMix64(recipe['seed'])
    kind, count = recipe['kind'], recipe['count']
    mant_bits, exp_shift, sign_shift = (52, 52, 63) if dtype == 'float64' else (23, 23, 31)
    out = []
    for _ in range(count):
        r = rng.next()
        if kind == 'uniform':
            u = float(r >> 11) * 2.0 ** -53
            a, b = recipe['a'], recipe['b']
            out.append(to_dtype(a + (b - a) * u, dtype))
        elif kind == 'bits':
            span = recipe['emax'] - recipe['emin'] + 1
            e = recipe['emin'] + (r >> 40) % span
            sign = {'both': r >> 63, 'pos': 0, 'neg': 1}[recipe['sign']]
            m = r & ((1 << mant_bits) - 1)
            out.append(from_bits((sign << sign_shift) | (e << exp_shift) | m, dtype))
        elif kind == 'near':
            k = recipe['k']
            d = r % (2 * k + 1) - k
            out.append(from_bits(bits_of(recipe['v'], dtype) + d, dtype))
        elif kind == 'nearmul':
            n = recipe['nmin'] + (r >> 11) % (recipe['nmax'] - recipe['nmin'] + 1)
            v = to_dtype(float(n) * recipe['c'], dtype)
            r2 = rng.next()
            k = recipe['k']
            d = r2 % (2 * k + 1) - k
            x = from_bits(bits_of(v, dtype) + d, dtype)
            out.append(-x if r2 >> 63 else x)
        else:
            raise ValueError(kind)
    return np.array(out, dtype=dtype)


def xor_bits(a):
    u = a.view(np.uint64 if a.dtype == np.float64 else np.uint32)
    acc = 0
    for v in u.tolist():
        acc ^= v
    return '%x' % acc


# ---- what is tested ------------------------------------------------------------------------------


def hard_pio2(max_exp, mant):
    """The floating-point numbers in [1, 2^max_exp) closest to a multiple of pi/2 (absolute
    distance), found exhaustively over the multiples: 40 of them, closest first."""
    import heapq
    P = PIO2_BITS
    best = []
    for e in range(0, max_exp):
        sh = 300 - mant + e
        mask = (1 << sh) - 1
        half = 1 << (sh - 1)
        lo_n = (2 ** e << 300) // P + 1
        hi_n = (2 ** (e + 1) << 300) // P
        for n in range(lo_n, hi_n + 1):
            v = n * P
            f = v & mask
            d = f if f < half else (1 << sh) - f
            if len(best) < 40 or d < -best[0][0]:
                k = (v >> sh) + (1 if f >= half else 0)
                item = (-d, k, e)
                if len(best) < 40:
                    heapq.heappush(best, item)
                else:
                    heapq.heapreplace(best, item)
    return [k * 2.0 ** (e - mant) for _, k, e in sorted(best, key=lambda t: -t[0])]


def _pio2_bits():
    """floor(pi/2 * 2^300), exactly, from Machin's formula pi = 16 atan(1/5) - 4 atan(1/239) in
    integer arithmetic (scaled by 2^340; the truncation errors stay far below 2^40)."""
    one = 1 << 340

    def atan_inv(q):
        total, term, k, sign = 0, one // q, 1, 1
        while term:
            total += sign * (term // k)
            term //= q * q
            k += 2
            sign = -sign
        return total
    pi = 16 * atan_inv(5) - 4 * atan_inv(239)
    return (pi >> 1) >> 40


PIO2_BITS = _pio2_bits()

SPECIAL64 = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
             -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1.0, -1.0,
             0.5, 2.0, 1e-300, -1e-300, 1e300, -1e300, 1e-20, -1e-20, 1e22, 3.141592653589793,
             1.5707963267948966, 0.7853981633974483, 0.7853981633974484, 2.356194490192345,
             6381956970095103 * 2.0 ** 797, 2.0 ** 1023 * 1.9999999999999998]
SPECIAL32 = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.401298464324817e-45, -1.401298464324817e-45,
             1.1754943508222875e-38, -1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38,
             1.0, -1.0, 0.5, 2.0, 1e-30, -1e-30, 1e30, -1e30, 1e-10, 3.1415927410125732, 1.5707963705062866,
             0.7853981852531433]


HARD = {}


def recipes(fn, dtype):
    """(recipes, explicit inputs) for one function and dtype."""
    f64 = dtype == 'float64'
    emax = 2046 if f64 else 254          # largest biased exponent of a finite number
    bias = 1023 if f64 else 127
    R = []

    def add(kind, count, **kw):
        R.append(dict(kind=kind, count=count, **kw))

    explicit = list(SPECIAL64 if f64 else SPECIAL32)
    s = 1 if f64 else 0.6  # float32 gets a bit fewer points
    c = lambda n: max(50, int(n * s))  # noqa: E731
    if fn in ('sin', 'cos'):
        fast = 1647099.0 if f64 else 421657440.0
        add('uniform', c(6000), a=-10.0, b=10.0)
        add('uniform', c(3000), a=-0.8, b=0.8)
        add('uniform', c(4000), a=-1e5, b=1e5)
        add('uniform', c(2000), a=-2 * fast, b=2 * fast)
        add('bits', c(6000), emin=1, emax=emax, sign='both')
        add('bits', c(500), emin=0, emax=0, sign='both')
        add('nearmul', c(3000), c=PIO2, nmin=1, nmax=1000, k=2)
        add('nearmul', c(4000), c=PIO2, nmin=1000, nmax=1048576, k=2)
        add('nearmul', c(1000), c=PIO2, nmin=1048576, nmax=1 << 30, k=1)
        if f64:
            add('near', 500, v=823549.0, k=1 << 20)
        add('near', c(500), v=fast, k=1 << 12)
        explicit += HARD[dtype]
        explicit += [-v for v in explicit[-40:]]
    elif fn in ('exp', 'exp2'):
        if fn == 'exp':
            top, zero, sub, fastb = ((709.782712893384, -745.1332191019412, -708.3964185322641, 708.0) if f64
                                     else (88.72283935546875, -103.97207641601562, -87.33654022216797, 86.0))
        else:
            top, zero, sub, fastb = ((1024.0, -1075.0, -1022.0, 1021.0) if f64 else (128.0, -150.0, -126.0, 125.0))
        add('uniform', c(8000), a=zero - 1, b=top + 1)
        add('uniform', c(4000), a=-1.0, b=1.0)
        add('uniform', c(3000), a=-20.0, b=20.0)
        add('bits', c(6000), emin=0, emax=bias + 10, sign='both')
        add('near', c(1000), v=top, k=1 << 12)
        add('uniform', c(3000), a=zero - 0.5, b=sub + 1)
        add('near', c(1000), v=zero, k=1 << 12)
        add('near', c(500), v=sub, k=1 << 12)
        add('uniform', c(500), a=fastb - 0.1, b=fastb + 0.1)
        add('uniform', c(500), a=-fastb - 0.1, b=-fastb + 0.1)
        explicit += [1e3, -1e3, 1e5, -1e5]
        if fn == 'exp2':
            explicit += [float(i) for i in range(-1080 if f64 else -155, 1030 if f64 else 133)]
    elif fn in ('log', 'log2'):
        add('bits', c(10000), emin=1, emax=emax, sign='pos')
        add('bits', c(1000), emin=0, emax=0, sign='pos')
        add('uniform', c(4000), a=0.0, b=10.0)
        add('uniform', c(4000), a=0.5, b=2.0)
        add('near', c(3000), v=1.0, k=1 << 20)
        add('uniform', c(2000), a=1 - 1e-6, b=1 + 1e-6)
        add('bits', c(2000), emin=bias - 60, emax=bias, sign='pos')
        add('bits', c(300), emin=0, emax=emax, sign='neg')
        explicit += [2.0 ** i for i in range(-1074 if f64 else -149, 1024 if f64 else 128)]
    elif fn == 'tanh':
        T = 0.7 if f64 else 0.9
        add('uniform', c(6000), a=-1.0, b=1.0)
        add('uniform', c(6000), a=-20.0, b=20.0)
        add('bits', c(8000), emin=0, emax=bias + 7, sign='both')
        add('uniform', c(3000), a=T - 0.1, b=T + 0.1)
        add('uniform', c(1000), a=-T - 0.1, b=-T + 0.1)
        add('near', c(500), v=T, k=1 << 12)
        add('uniform', c(1000), a=15.0, b=25.0)
        explicit += [19.0, 19.1, 20.0, 20.5, 9.0, 9.5, 10.0, 1e10, -1e10]
    for i, r in enumerate(R):
        r['seed'] = 1000003 * (FUNCS.index(fn) + 1) + 7919 * i + (0 if f64 else 500000)
    return R, explicit


# ---- references ----------------------------------------------------------------------------------


def reference(fn, x):
    """fn(x) in np.longdouble."""
    xl = x.astype(np.longdouble)
    return getattr(np, fn)(xl)


def encode_refs(ref, dtype):
    """(nearest values of dtype, int8 corrections in 1/128 ulp)."""
    near = ref.astype(dtype)
    corr = np.zeros(len(ref), dtype=np.int8)
    fin = np.isfinite(near)
    spacing = np.spacing(np.abs(near[fin])).astype(np.longdouble)
    c = (ref[fin] - near[fin].astype(np.longdouble)) / spacing * 128
    c = np.rint(c.astype(np.float64))
    if np.any(np.abs(c) > 127):
        raise SystemExit('correction out of range')
    corr[fin] = c.astype(np.int8)
    return near, corr


def mp_check(fn, x, ref, dtype):
    """Largest |ref - mpmath| in ulps over a sample (None without mpmath)."""
    try:
        import mpmath as mp
    except ImportError:
        return None
    mp.mp.prec = 200
    f = {'sin': mp.sin, 'cos': mp.cos, 'exp': mp.exp, 'log': mp.log, 'exp2': lambda v: mp.power(2, v),
         'log2': lambda v: mp.log(v, 2), 'tanh': mp.tanh}[fn]
    worst = 0.0
    idx = np.random.default_rng(FUNCS.index(fn)).choice(len(x), size=min(len(x), 1500), replace=False)
    idx = np.concatenate([idx, np.arange(max(0, len(x) - 300), len(x))])  # the explicit inputs
    for i in idx:
        xi = float(x[i])
        if not math.isfinite(xi) or (fn.startswith('log') and xi <= 0) or not np.isfinite(ref[i]):
            continue
        exact = f(mp.mpf(xi))
        near = ref[i].astype(dtype)
        if not np.isfinite(near):
            continue
        ulp = float(np.spacing(np.abs(near)))
        err = abs(float((mp.mpf(float(ref[i])) + mp.mpf(float(ref[i] - np.longdouble(float(ref[i]))))) - exact)) / ulp
        worst = max(worst, err)
    return worst


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode('ascii')


def main():
    if '--exp-table' in sys.argv:
        exp_table()
        return
    if '--coefficients' in sys.argv:
        coefficients()
        return
    out = {
        'generator': 'scripts/math-fixtures.py',
        'numpy': np.__version__,
        'encoding': 'see the docstring of scripts/math-fixtures.py',
        'float64': {},
        'float32': {},
    }
    total = 0
    HARD['float64'] = hard_pio2(21, 52)
    HARD['float32'] = hard_pio2(20, 23)
    for dtype in ('float64', 'float32'):
        for fn in FUNCS:
            R, explicit = recipes(fn, dtype)
            parts = []
            for r in R:
                a = generate(r, dtype)
                r['xor'] = xor_bits(a)
                parts.append(a)
            ex = np.array(explicit, dtype=dtype)
            x = np.concatenate(parts + [ex])
            ref = reference(fn, x)
            near, corr = encode_refs(ref, dtype)
            worst = mp_check(fn, x, ref, dtype)
            if worst is not None and worst > 0.002:
                raise SystemExit(f'{fn} {dtype}: long double reference off by {worst} ulp from mpmath')
            out[dtype][fn] = {
                'recipes': R,
                'explicit': b64(ex),
                'ref': b64(near),
                'corr': b64(corr),
                'count': int(len(x)),
            }
            total += len(x)
            print(f'{dtype} {fn}: {len(x)} points' + ('' if worst is None else f', mpmath check {worst:.2e} ulp'))
    with open(OUT, 'w') as fh:
        json.dump(out, fh, separators=(',', ':'))
        fh.write('\n')
    print(f'wrote {os.path.relpath(OUT)}: {total} points, {os.path.getsize(OUT) / 1e6:.2f} MB')


# ---- --coefficients: the Remez fits quoted in asm/math/*.ts ---------------------------------------


def remez(f, w, a, b, n, iters=40, grid=3999):
    """Coefficients c0..cn minimising max |w(t) (f(t) - sum c_k t^k)| on [a, b], and that max."""
    import mpmath as mp
    a, b = mp.mpf(a), mp.mpf(b)
    m = n + 2
    # Chebyshev-like start, nudged so that no node lands on a zero of the weight.
    xs = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (m - 1 - i + mp.mpf('0.0123')) / (m - 1 + mp.mpf('0.0371')))
          for i in range(m)]
    mx = None
    for _ in range(iters):
        A = mp.matrix(m, m)
        rhs = mp.matrix(m, 1)
        for i, x in enumerate(xs):
            for k in range(n + 1):
                A[i, k] = x ** k
            A[i, n + 1] = (-1) ** i / w(x)
            rhs[i] = f(x)
        sol = mp.lu_solve(A, rhs)
        c = [sol[k] for k in range(n + 1)]
        E = sol[n + 1]

        def err(t):
            return w(t) * (f(t) - sum(c[k] * t ** k for k in range(n + 1)))
        ts = [a + (b - a) * i / grid for i in range(grid + 1)]
        es = [err(t) for t in ts]
        idx = [i for i in range(len(ts)) if es[i] != 0]
        ext, seg = [], [idx[0]]
        for i in idx[1:]:
            if mp.sign(es[i]) == mp.sign(es[seg[0]]):
                seg.append(i)
            else:
                ext.append(ts[max(seg, key=lambda q: abs(es[q]))])
                seg = [i]
        ext.append(ts[max(seg, key=lambda q: abs(es[q]))])
        while len(ext) > m:
            if abs(err(ext[0])) < abs(err(ext[-1])):
                ext.pop(0)
            else:
                ext.pop()
        h = (b - a) / grid
        xs = []
        for t in ext:
            try:
                tt = mp.findroot(lambda u: mp.diff(err, u), t)
                if not (max(a, t - h) <= tt <= min(b, t + h)) or abs(err(tt)) < abs(err(t)):
                    tt = t
            except Exception:  # noqa: BLE001 (no refinement: keep the grid point)
                tt = t
            xs.append(tt)
        mx = max(abs(err(t)) for t in xs)
        if abs(mx - abs(E)) < abs(E) * mp.mpf('1e-6'):
            break
    return c, mx


def coefficients():
    import mpmath as mp
    mp.mp.prec = 200

    def show(name, c, e, single=False):
        fmt = (lambda v: repr(float(np.float32(float(v))))) if single else (lambda v: repr(float(v)))
        print(f'{name}: relative error 2^{float(mp.log(e, 2)):.2f}')
        print('  ' + ', '.join(fmt(v) for v in c))

    L = mp.log(2) / 2
    # exp: e^r = 1 + r + r^2 q(r) on [-ln2/2, ln2/2], weighted for the relative error of e^r.
    g = lambda r: (mp.exp(r) - 1 - r) / r ** 2 if r != 0 else mp.mpf(1) / 2  # noqa: E731
    wq = lambda r: r ** 2 / mp.exp(r)  # noqa: E731
    show('exp float64 q (degree 9)', *remez(g, wq, -L, L, 9))
    show('exp float32 q (degree 4)', *remez(g, wq, -L, L, 4), single=True)
    # exp float64, table-driven (asm/math/exp.ts): |r| <= ln2/512 plus the rounding of k.
    Lt = mp.log(2) / 512 * (1 + mp.mpf(2) ** -10)
    show('exp float64 table q (degree 2, N = 256)', *remez(g, wq, -Lt, Lt, 2))

    # tanh: tanh x = x + x z P(z), z = x^2, weighted for the relative error of tanh.
    def gt(z):
        if z == 0:
            return mp.mpf(-1) / 3
        x = mp.sqrt(z)
        return (mp.tanh(x) / x - 1) / z

    def wt(z):
        if z == 0:
            return mp.mpf(1)
        x = mp.sqrt(z)
        return x * z / mp.tanh(x)
    show('tanh float64 P on |x| <= 0.7 (degree 12)', *remez(gt, wt, mp.mpf('1e-30'), mp.mpf('0.7') ** 2, 12))
    show('tanh float32 P on |x| <= 0.9 (degree 6)', *remez(gt, wt, mp.mpf('1e-30'), mp.mpf('0.9') ** 2, 6),
         single=True)


def exp_table(n=256):
    """asm/math/exp-table.ts: per j < n, 2^(j/n) = H (1 + tail) with H the nearest double; stored
    as [tail, bits(H) - (j << s)], s = 52 - log2(n), so that adding k << s (k = q n + j) gives the
    bits of 2^q H."""
    import mpmath as mp
    mp.mp.prec = 200
    sh = 52 - (n.bit_length() - 1)
    print('// Generated by `python3 scripts/math-fixtures.py --exp-table` — do not edit.')
    print(f'// 2^(j/{n}) = H_j (1 + tail_j), j < {n}: pairs [bits of tail_j, bits of H_j - (j << {sh})] (asm/math/exp.ts).')
    print('// prettier-ignore')
    print('export const EXP_TABLE: usize = memory.data<u64>([')
    for j in range(n):
        v = mp.mpf(2) ** (mp.mpf(j) / n)
        h = float(v)
        tail = float((v - h) / h)
        hb = int(np.float64(h).view(np.uint64)) - (j << sh)
        tb = int(np.float64(tail).view(np.uint64))
        print(f'  0x{tb:016x}, 0x{hb:016x},')
    print(']);')


if __name__ == '__main__':
    main()
