"""Numba's decorate-and-first-call of x*y+1 (float64) in a fresh process (bench/first-call.ts).

Prints JSON: import_ms (numpy and numba), compile_ms (the @vectorize decoration, which
compiles the signature, plus the first call on 1e3 float64), total_ms (from before the imports).
"""
import json
import time

t0 = time.perf_counter()
import numpy as np  # noqa: E402
from numba import vectorize  # noqa: E402

t1 = time.perf_counter()


@vectorize(['float64(float64, float64)'])
def f(x, y):
    return x * y + 1


x = np.linspace(0, 1, 1000)
y = np.linspace(1, 2, 1000)
r = f(x, y)
t2 = time.perf_counter()
assert r[999] == 3.0 and r[0] == 1.0
print(json.dumps({'import_ms': (t1 - t0) * 1e3, 'compile_ms': (t2 - t1) * 1e3, 'total_ms': (t2 - t0) * 1e3}))
