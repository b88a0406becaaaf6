"""Numba's decorate-and-first-call of x*y+1 (float64) in a fresh process (bench/first-call.ts).

Prints JSON: import_ms (numpy and numba), compile_ms (the @vectorize decoration, which
compiles the signature, plus the first call on 1e3 float64), total_ms (from before the imports),
and import_cpu_ms, compile_cpu_ms: the same in CPU time (time.process_time).
"""
import json
import time

t0 = time.perf_counter()
c0 = time.process_time()
import numpy as np  # noqa: E402
from numba import vectorize  # noqa: E402

t1 = time.perf_counter()
c1 = time.process_time()


@vectorize(['float64(float64, float64)'])
def f(x, y):
    return x * y + 1


x = np.linspace(0, 1, 1000)
y = np.linspace(1, 2, 1000)
r = f(x, y)
t2 = time.perf_counter()
c2 = time.process_time()
assert r[999] == 3.0 and r[0] == 1.0
print(json.dumps({'import_ms': (t1 - t0) * 1e3, 'compile_ms': (t2 - t1) * 1e3, 'total_ms': (t2 - t0) * 1e3,
                  'import_cpu_ms': (c1 - c0) * 1e3, 'compile_cpu_ms': (c2 - c1) * 1e3}))
