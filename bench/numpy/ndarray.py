"""NumPy side of bench/ndarray.bench.ts: prints {case: median ns per element} as JSON."""
import json
import time

import numpy as np

N = 10**7


def median_ns(fn, elements, reps=15, warmup=3):
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        fn()
        t.append(time.perf_counter_ns() - t0)
    t.sort()
    return t[len(t) // 2] / elements


a = np.arange(N, dtype=np.float64)
m = np.arange(2000 * 2000, dtype=np.float64).reshape(2000, 2000)
out = {
    'copy': median_ns(lambda: a.copy(), N),
    'astype_f32': median_ns(lambda: a.astype(np.float32), N),
    'strided_copy': median_ns(lambda: a[::2].copy(), N // 2),
    'transpose_copy': median_ns(lambda: m.T.copy(), 2000 * 2000),
}
print(json.dumps(out))
