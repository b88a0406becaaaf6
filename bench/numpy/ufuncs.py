"""NumPy side of bench/ufuncs.bench.ts: prints {case: median ns per element} as JSON
(ns per call for the n=16 cases)."""
import json

import numpy as np
from timing import median_ns

N = 10**7

x = np.linspace(0, 1, N)
y = np.linspace(1, 2, N)
out = np.empty(N)
M = np.linspace(0, 1, 10**6).reshape(1000, 1000)
v = np.linspace(0, 1, 1000)
A = np.linspace(0, 1, 4 * 10**6).reshape(2000, 2000)
B = np.linspace(1, 2, 4 * 10**6).reshape(2000, 2000)
s = np.linspace(0, 1, 16)
so = np.empty(16)


res = {
    'add_out': median_ns(lambda: np.add(x, y, out=out), N),
    'add_new': median_ns(lambda: np.add(x, y), N),
    'add_broadcast': median_ns(lambda: M + v, 10**6),
    'add_strided': median_ns(lambda: x[::2] + y[::2], N // 2),
    'add_transposed': median_ns(lambda: A.T + B, 4 * 10**6),
    'sin': median_ns(lambda: np.sin(x, out=out), N),
    'exp': median_ns(lambda: np.exp(x, out=out), N),
    'add_small_out': median_ns(lambda: np.add(s, s, out=so)),
    'add_small_new': median_ns(lambda: np.add(s, s)),
    'sum': median_ns(lambda: np.add.reduce(x), N),
    'sum_axis0': median_ns(lambda: np.add.reduce(A, axis=0), 4 * 10**6),
}
print(json.dumps(res))
