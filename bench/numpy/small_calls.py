"""NumPy side of bench/small-calls.ts: CPU ns per call (median of 5 batches of 30,000
calls after 10,000 warm-up calls), printed as {case: ns} JSON with the same case names."""
import json
import time

import numpy as np

s = np.linspace(0, 1, 16)
so = np.empty(16)
CASES = {
    'np.add(a, b), n=16, new output': lambda: np.add(s, s),
    'np.add(a, b, out=o), n=16': lambda: np.add(s, s, out=so),
    'np.array([1, 2, 3])': lambda: np.array([1, 2, 3]),
    'a[i] (a.get(i)), n=16': lambda: s[3],
    "a[1:5] (a.slice('1:5')), n=16": lambda: s[1:5],
}


def cpu_per_call(f):
    for _ in range(10000):
        f()
    t = []
    for _ in range(5):
        t0 = time.process_time_ns()
        for _ in range(30000):
            f()
        t.append((time.process_time_ns() - t0) / 30000)
    t.sort()
    return t[2]


print(json.dumps({name: cpu_per_call(f) for name, f in CASES.items()}))
