"""NumPy and Numba side of bench/vectorize.bench.ts: prints {case: median ns per element}
as JSON, plus Numba's compile times in ms. Numba cases are left out when Numba is missing
(Debian: apt-get install python3-numba, for /usr/bin/python3)."""
import json
import time

import numpy as np
from timing import median_ns

N = 10**7
x = np.linspace(0, 1, N)
y = np.linspace(1, 2, N)
out = np.empty(N)
rows = np.linspace(0, 1, 10**5 * 32).reshape(10**5, 32)
rows2 = rows[::-1].copy()

res = {
    'xy1_numpy': median_ns(lambda: np.add(np.multiply(x, y, out=out), 1, out=out), N),
    'gauss_numpy': median_ns(lambda: np.multiply(np.exp(-x * x), np.cos(x), out=out), N),
    'rowdot_numpy': median_ns(lambda: np.einsum('ij,ij->i', rows, rows2), 10**5 * 32),
}
try:
    t0 = time.perf_counter()
    import numba
    res['numba_import_ms'] = (time.perf_counter() - t0) * 1e3

    t0 = time.perf_counter()

    @numba.vectorize(['float64(float64, float64)'])
    def xy1(a, b):
        return a * b + 1.0

    res['numba_compile_ms'] = (time.perf_counter() - t0) * 1e3

    @numba.vectorize(['float64(float64)'])
    def gauss(a):
        return np.exp(-a * a) * np.cos(a)

    @numba.guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()')
    def rowdot(a, b, o):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * b[i]
        o[0] = s

    @numba.guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()', fastmath=True)
    def rowdot_fm(a, b, o):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] * b[i]
        o[0] = s

    res['xy1_numba'] = median_ns(lambda: xy1(x, y, out=out), N)
    res['gauss_numba'] = median_ns(lambda: gauss(x, out=out), N)
    res['rowdot_numba'] = median_ns(lambda: rowdot(rows, rows2), 10**5 * 32)
    res['rowdot_fm_numba'] = median_ns(lambda: rowdot_fm(rows, rows2), 10**5 * 32)
    res['numba_version'] = numba.__version__
except ImportError:
    pass
print(json.dumps(res))
