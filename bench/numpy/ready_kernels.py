"""Numba's decorate-and-first-call of one kernel in a fresh process, then of a second kernel
in the same process (a warm compile), for bench/ready-kernels.ts.

Usage: python3 ready_kernels.py <first> <second>  (names of KERNELS below)
Prints JSON: first_ms, second_ms (decoration, which compiles the signature, plus one call on
1e3 elements), and the same in CPU time (time.process_time): first_cpu_ms, second_cpu_ms.
The imports (numpy, numba, math) are done before the clock starts.
"""
import json
import math
import sys
import time

import numpy as np
from numba import guvectorize, vectorize


def make(name):
    if name == 'xy1':
        @vectorize(['float64(float64, float64)'])
        def f(x, y):
            return x * y + 1
        return f, (np.linspace(0, 1, 1000), np.linspace(1, 2, 1000))
    if name == 'expcos':
        @vectorize(['float64(float64)'])
        def f(x):
            return math.exp(-x * x) * math.cos(x) + x ** 1.5
        return f, (np.linspace(0, 1, 1000),)
    if name == 'haversine':
        @vectorize(['float64(float64, float64, float64, float64)'])
        def f(lat1, lon1, lat2, lon2):
            p = math.pi / 180
            a = 0.5 - math.cos((lat2 - lat1) * p) / 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * (1 - math.cos((lon2 - lon1) * p)) / 2
            return 12742 * math.asin(math.sqrt(a))
        x = np.linspace(0, 80, 1000)
        return f, (x, x + 1, x + 2, x + 3)
    if name == 'collatz':
        @vectorize(['int32(int32)'])
        def f(n):
            steps = 0
            while n > 1:
                n = n // 2 if n % 2 == 0 else 3 * n + 1
                steps += 1
            return steps
        return f, (np.arange(1, 1001, dtype=np.int32),)
    if name == 'clip':
        @vectorize(['float64(float64, float64)'])
        def f(x, lim):
            if x > lim:
                return lim
            if x < -lim:
                return -lim
            return x
        return f, (np.linspace(-2, 2, 1000), np.linspace(1, 1, 1000))
    if name == 'wrap8':
        @vectorize(['int8(int8, int8)'])
        def f(a, b):
            return (a * b + 3) >> 1
        x = np.arange(1000).astype(np.int8)
        return f, (x, x)
    if name == 'helper':
        from numba import njit

        @njit
        def lin(a, b):
            return a * b + 1

        @vectorize(['float64(float64, float64)'])
        def f(x, y):
            return lin(x, y) * 2
        return f, (np.linspace(0, 1, 1000), np.linspace(1, 2, 1000))
    if name == 'table':
        coef = np.array([1.0, 2.0, 3.0])

        @vectorize(['float64(float64)'])
        def f(x):
            return coef[0] + x * (coef[1] + x * coef[2])
        return f, (np.linspace(0, 1, 1000),)
    if name == 'rowdot':
        @guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()')
        def f(a, b, out):
            s = 0.0
            for i in range(a.shape[0]):
                s += a[i] * b[i]
            out[0] = s
        x = np.ones((100, 10))
        return f, (x, x)
    raise ValueError(name)


def timed(name):
    t0 = time.perf_counter()
    c0 = time.process_time()
    f, args = make(name)
    f(*args)
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3


first, second = sys.argv[1], sys.argv[2]
a = timed(first)
b = timed(second)
print(json.dumps({'first_ms': a[0], 'first_cpu_ms': a[1], 'second_ms': b[0], 'second_cpu_ms': b[1]}))
