#!/usr/bin/env python3
"""Write test/fixtures/math-functions.json: high-precision references for nb.math (src/math/),
read by test/math/functions.test.ts (float64, the plain-JS and cpu-kernel functions) and
test/gpu/math-functions.test.ts (float32 inputs, the WGSL functions).

Run from the repository root:  python3 scripts/math-functions-fixtures.py
Needs mpmath (references at 256 bits) and NumPy (deg2rad/rad2deg as NumPy computes them, for
the bit-for-bit check against the built-in ufuncs). Deterministic (seeded).

`python3 scripts/math-functions-fixtures.py --coefficients` instead prints the polynomial
coefficients pasted into src/math/gamma.ts and the kernels' preludes: q(f) with
1/Gamma(1 + f) = 1 + f q(f) on [-1/2, 1/2], a Chebyshev fit (mpmath.chebyfit) of 16 terms
for float64 (relative error of 1/Gamma below 6e-19) and 9 for float32 (1e-9).

Encoding. Per function a list of rows [x, (y,) nearest, corr]: the inputs (float64 values;
JSON numbers, or the strings "nan", "inf", "-inf" for the non-finite ones), the reference
rounded to the nearest float64 (the same encoding) and corr = reference - nearest rounded to
4 significant digits (0 when the reference is exact or not finite), so that the error of a result g in
ulps is ((g - nearest) - corr) / ulp(nearest) to about 1e-4 ulp. ulp(v) is the spacing of
the float64s at |v| (2^(e - 52) for 2^e <= |v| < 2^(e+1), 2^-1074 below 2^-1022).
Exact functions (copysign, nextafter, ldexp, clamp) have corr 0 throughout.
"float32" holds the same kind of rows for float32 inputs (x exactly a float32), and
"numpyBits" rows [x, np.deg2rad(x), np.deg2rad(float32(x))] (and rad2deg) as NumPy computes them.

What the functions mean (the references follow these):
  erf, erfc, gamma      the real functions; gamma(-n) NaN, gamma(+-0) +-Infinity
  lgamma                log|Gamma(x)|; +Infinity at the poles
  sinc                  sin(pi x)/(pi x), 1 at 0 (NumPy's normalized sinc), NaN at +-Infinity
  deg2rad, rad2deg      x * (pi/180) and x * (180/pi): the reference is the exact product
                        with pi; "numpy" rows hold NumPy's float64 results (bit patterns)
  copysign, nextafter   C's (NumPy's) functions
  ldexp                 x * 2^n rounded once, n an integer (clamped to int32 as NumPy does)
  clamp                 min(max(x, lo), hi) with JavaScript's Math.min/Math.max (NaN
                        propagates, -0 < +0)
"""
import json
import math
import os
import random
import struct
import sys
import time
from fractions import Fraction

import mpmath as mp
import numpy as np

mp.mp.prec = 256
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'math-functions.json')
rng = random.Random(20240613)
MAXF = sys.float_info.max


def q_gamma(f):
    if f == 0:
        return +mp.euler
    return (mp.rgamma(1 + f) - 1) / f


def coefficients():
    for n, label in ((16, 'float64'), (9, 'float32')):
        c = mp.chebyfit(q_gamma, [-0.5, 0.5], n)[::-1]
        worst = mp.mpf(0)
        for i in range(4001):
            f = mp.mpf(-0.5) + mp.mpf(i) / 4000
            p = sum(c[k] * f ** k for k in range(n))
            worst = max(worst, abs(f * (p - q_gamma(f)) / (1 + f * q_gamma(f))))
        print(f'{label}: {n} terms, max relative error of 1/Gamma(1 + f) {mp.nstr(worst, 3)}')
        for k, v in enumerate(c):
            hi = float(v)
            lo = float(v - mp.mpf(hi))
            print(f'  c{k} = {hi!r}  (low part {lo!r})')


def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


def exact_float(v):
    """The float64 nearest the mpf v (correct rounding, subnormals and overflow included)."""
    if mp.isnan(v):
        return math.nan
    if mp.isinf(v):
        return math.inf if v > 0 else -math.inf
    if v == 0:
        return 0.0
    man, exp = v.man, v.exp
    sign = -1 if v < 0 else 1
    fr = Fraction(abs(int(man))) * (Fraction(2) ** exp)
    try:
        return sign * float(fr)
    except OverflowError:
        return sign * math.inf


def enc(x):
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def ref_row(args, v):
    """[args..., nearest, corr] for an mpf (or float) reference v."""
    if isinstance(v, float):
        return [*map(enc, args), enc(v), 0]
    near = exact_float(v)
    if math.isinf(near) or math.isnan(near):
        return [*map(enc, args), enc(near), 0]
    corr = float('%.4g' % float(v - mp.mpf(near)))  # 4 digits: the error's error is below 1e-4 ulp
    return [*map(enc, args), enc(near), corr]


def loguniform(lo, hi, n, signs=(1, -1)):
    out = []
    for _ in range(n):
        e = rng.uniform(math.log(lo), math.log(hi))
        out.append(rng.choice(signs) * math.exp(e))
    return out


def uniform(a, b, n):
    return [rng.uniform(a, b) for _ in range(n)]


def around(v, k=3):
    """v and its k neighbours on each side."""
    out = [v]
    up = dn = v
    for _ in range(k):
        up = math.nextafter(up, math.inf)
        dn = math.nextafter(dn, -math.inf)
        out += [up, dn]
    return out


SPECIALS = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, MAXF, -MAXF]
SUBNORMALS = [rng.uniform(0, 2.2250738585072014e-308) * rng.choice((1, -1)) for _ in range(40)]


def inputs(name):
    if name == 'erf':
        xs = uniform(-6.5, 6.5, 2500) + loguniform(1e-300, 30, 1500) + SPECIALS + SUBNORMALS
        for b in (0.84375, 1.25, 1 / 0.35, 6.0, 2 ** -28):
            xs += around(b) + [-v for v in around(b)]
        return xs
    if name == 'erfc':
        xs = uniform(-6.5, 28, 3000) + uniform(0, 27.3, 1000) + loguniform(1e-300, 30, 1000) + SPECIALS + SUBNORMALS
        for b in (0.84375, 1.25, 1 / 0.35, 6.0, 0.25, 26.5, 27.2, 28.0, 2 ** -56):
            xs += around(b) + [-v for v in around(b)]
        return xs
    if name == 'gamma':
        xs = uniform(-185, 172, 2000) + uniform(-3, 10, 1000) + loguniform(1e-320, 1, 400) + SPECIALS + SUBNORMALS
        xs += [float(n) for n in range(1, 172)] + [n + 0.5 for n in range(-185, 171)]
        xs += [171.6, 171.62, 171.624, 171.7, 170.9, -170.5, -171.5, -183.5, -184.5, -190.5, -1e6 - 0.5]
        for k in range(0, 186, 3):  # near the poles: -k + d
            for d in (1e-3, 1e-8, 1e-13, 2 ** -40):
                xs += [-k + d, -k - d]
        return [x for x in xs if not (x <= 0 and float(x).is_integer() and x != 0)] + [-1.0, -2.0, -100.0, -1e300]
    if name == 'lgamma':
        xs = uniform(0, 10, 800) + uniform(0, 200, 600) + loguniform(1e-300, 1e306, 600, (1,)) + uniform(-200, 0, 800) + uniform(-3, 3, 400)
        xs += uniform(0.99, 1.01, 150) + uniform(1.99, 2.01, 150) + loguniform(1e-12, 1e-3, 100, (1,)) + SPECIALS + SUBNORMALS
        xs += [1 + d for d in (1e-8, -1e-8, 2 ** -30, -(2 ** -30), 1e-15)] + [2 + d for d in (1e-8, -1e-8, 2 ** -30, 1e-15)]
        xs += [1.0, 2.0, 3.0, 0.5, 1.5, 2.5, 1e306, 2.55e305, 2.6e305, -1.0, -2.0, -1e300, -(2 ** 53), -(2 ** 52) - 0.5]
        return xs
    if name == 'sinc':
        xs = uniform(-10, 10, 1500) + loguniform(1e-300, 1e17, 800) + SPECIALS + SUBNORMALS
        xs += [float(n) for n in range(-20, 21)] + [n + 0.5 for n in range(-20, 20)] + [0.25, -0.25, 0.75, 1e-8, 2 ** -27, 2 ** -30, 2 ** 52, 2 ** 52 + 1, 2 ** 51 + 0.5]
        return xs
    if name in ('deg2rad', 'rad2deg'):
        return loguniform(1e-300, 1e300, 800) + uniform(-720, 720, 400) + SPECIALS + SUBNORMALS + [180.0, 90.0, 45.0, math.pi, math.pi / 2]
    raise KeyError(name)


def ref(name, x):
    if math.isnan(x):
        return math.nan
    X = mp.mpf(x)
    if name == 'erf':
        return mp.erf(X)
    if name == 'erfc':
        if abs(x) > 1e3:  # below the smallest subnormal (or 2 to 2^-2000): mpmath's series check overflows
            return mp.mpf(0) if x > 0 else mp.mpf(2)
        return mp.erfc(X)
    if name == 'gamma':
        if math.isinf(x):
            return math.inf if x > 0 else math.nan
        if x == 0:
            return math.copysign(math.inf, x)
        if x < 0 and float(x).is_integer():
            return math.nan
        if x > 200:  # past the overflow at 171.62
            return math.inf
        if x < -200:  # below the smallest subnormal: a zero with Gamma's sign, (-1)^ceil(-x)
            return -0.0 if math.floor(x) % 2 else 0.0
        return mp.gamma(X)
    if name == 'lgamma':
        if math.isinf(x):
            return math.inf
        if x <= 0 and float(x).is_integer():
            return math.inf
        return mp.loggamma(X).real if x < 0 else mp.loggamma(X)
    if name == 'sinc':
        if math.isinf(x):
            return math.nan
        return mp.sincpi(X)
    if name == 'deg2rad':
        return X * mp.pi / 180 if math.isfinite(x) else x
    if name == 'rad2deg':
        return X * 180 / mp.pi if math.isfinite(x) else x
    raise KeyError(name)


def lgamma_ref(x):
    if math.isnan(x):
        return math.nan
    if math.isinf(x) or (x <= 0 and float(x).is_integer()):
        return math.inf
    return mp.log(abs(mp.gamma(mp.mpf(x)))) if abs(x) < 1e5 else mp.re(mp.loggamma(mp.mpf(x)))


# At +-0 the functions' values, signs included (mpmath's zero has no sign).
AT_ZERO = {
    'erf': lambda x: x, 'erfc': lambda x: 1.0, 'gamma': lambda x: math.copysign(math.inf, x), 'lgamma': lambda x: math.inf,
    'sinc': lambda x: 1.0, 'deg2rad': lambda x: x, 'rad2deg': lambda x: x,
}


def transcendental(name, xs):
    rows = []
    for x in xs:
        v = AT_ZERO[name](x) if x == 0 else lgamma_ref(x) if name == 'lgamma' else ref(name, x)
        rows.append(ref_row([x], v))
    return rows


def exact_rows():
    vals = [0.0, -0.0, 1.0, -1.0, 1.5, -2.75, 3e-310, -3e-310, 5e-324, -5e-324, MAXF, -MAXF, math.inf, -math.inf, math.nan, 1e300, -1e-300, 0.1, 2.0]
    vals += uniform(-1e3, 1e3, 20) + loguniform(1e-310, 1e308, 20)
    copysign = [[enc(x), enc(y), enc(math.copysign(x, y)), 0] for x in vals for y in vals if not math.isnan(y)]
    with np.errstate(all="ignore"):
        nextafter = [[enc(x), enc(y), enc(float(np.nextafter(x, y))), 0] for x in vals for y in vals]
    ns = [0, 1, -1, 2, -3, 10, -10, 52, 53, -52, -1022, -1023, -1074, -1075, -1100, 1023, 1024, 2000, -2000, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, -(2 ** 40)]
    ns += [rng.randint(-1200, 1200) for _ in range(20)]
    ldexp = []
    for x in vals + [1.5 * 2 ** -1022, 0.75 * 2 ** -1022, 1 + 2 ** -52, 3.0000000000000004]:
        for n in ns:
            k = max(-(2 ** 31), min(2 ** 31 - 1, n))
            try:
                r = math.ldexp(x, k)
            except OverflowError:
                r = math.copysign(math.inf, x)
            ldexp.append([enc(x), n, enc(r), 0])
    clamp = []
    tri = [0.0, -0.0, 1.0, -1.0, 2.5, -7.0, math.inf, -math.inf, math.nan, 5e-324]

    def jsmax(a, b):
        if math.isnan(a) or math.isnan(b):
            return math.nan
        if a == b == 0:
            return 0.0 if (math.copysign(1, a) > 0 or math.copysign(1, b) > 0) else -0.0
        return a if a > b else b

    def jsmin(a, b):
        if math.isnan(a) or math.isnan(b):
            return math.nan
        if a == b == 0:
            return -0.0 if (math.copysign(1, a) < 0 or math.copysign(1, b) < 0) else 0.0
        return a if a < b else b
    for x in tri + uniform(-10, 10, 10):
        for lo in tri:
            for hi in tri:
                clamp.append([enc(x), enc(lo), enc(hi), enc(jsmin(jsmax(x, lo), hi)), 0])
    return {'copysign': copysign, 'nextafter': nextafter, 'ldexp': ldexp, 'clamp': clamp}


def float32_rows():
    out = {}
    spec = [0.0, -0.0, math.inf, -math.inf, math.nan]
    def fl(xs):
        return [f32(x) for x in xs]
    plans = {
        'erf': fl(uniform(-4.5, 4.5, 1200) + loguniform(1e-30, 10, 300)) + spec,
        'erfc': fl(uniform(-4.5, 10.1, 1200) + uniform(0, 9, 300) + loguniform(1e-30, 10, 200)) + spec,
        'gamma': fl(uniform(-10, 35.5, 1000) + uniform(0, 5, 300) + loguniform(1e-20, 1, 200) + uniform(-40, -10, 300)) + spec + [f32(n + 0.5) for n in range(-30, 35)] + [float(n) for n in range(1, 35)],
        'lgamma': fl(uniform(0, 50, 800) + loguniform(1e-30, 1e36, 300, (1,)) + uniform(-40, 0, 400)) + spec + [1.0, 2.0, 3.0],
        'sinc': fl(uniform(-10, 10, 1000) + loguniform(1e-30, 1e8, 300)) + spec + [float(n) for n in range(-5, 6)] + [n + 0.5 for n in range(-5, 5)],
        'deg2rad': fl(loguniform(1e-30, 1e30, 400) + uniform(-720, 720, 300)) + spec,
        'rad2deg': fl(loguniform(1e-30, 1e30, 400) + uniform(-12, 12, 300)) + spec,
    }
    for name, xs in plans.items():
        xs = [x for x in xs if not (name in ('gamma', 'lgamma') and x <= 0 and float(x).is_integer() and x != 0)]
        out[name] = transcendental(name, xs)
    return out


def numpy_bits(name, xs):
    a = np.array(xs, dtype=np.float64)
    with np.errstate(all='ignore'):
        r = np.deg2rad(a) if name == 'deg2rad' else np.rad2deg(a)
        r32 = (np.deg2rad if name == 'deg2rad' else np.rad2deg)(a.astype(np.float32))
    return [[enc(float(x)), enc(float(y)), enc(float(z))] for x, y, z in zip(a, r, r32)]


def main():
    if '--coefficients' in sys.argv:
        coefficients()
        return
    data = {'generator': 'scripts/math-functions-fixtures.py', 'mpmath': mp.__version__, 'numpy': np.__version__, 'prec': mp.mp.prec}
    f64 = {}
    for name in ('erf', 'erfc', 'gamma', 'lgamma', 'sinc', 'deg2rad', 'rad2deg'):
        t0 = time.time()
        f64[name] = transcendental(name, inputs(name))
        print(f'{name}: {len(f64[name])} rows, {time.time() - t0:.1f} s', flush=True)
    f64.update(exact_rows())
    data['float64'] = f64
    data['float32'] = float32_rows()
    data['numpyBits'] = {n: numpy_bits(n, inputs(n)[:300]) for n in ('deg2rad', 'rad2deg')}
    with open(OUT, 'w') as fh:
        json.dump(data, fh, separators=(',', ':'), allow_nan=False)
        fh.write('\n')
    counts = {k: len(v) for k, v in f64.items()}
    print(f'wrote {OUT}: float64 {counts}, float32 {sum(len(v) for v in data["float32"].values())} rows')


if __name__ == '__main__':
    main()
