"""Timing shared by the NumPy side of the benchmarks: the same batching rule as
bench/harness.ts (batches of >= ~20 ms, median of 11), so ratios compare like with like."""
import time


def median_batched_ns(call, reps=11):
    """Median ns per call; `call(n)` makes n calls in its own loop."""
    batch = 1
    while True:
        t0 = time.perf_counter_ns()
        call(batch)
        dt = time.perf_counter_ns() - t0
        if dt >= 20e6 or batch >= 1 << 22:
            break
        batch *= 10 if dt < 2e6 else 2
    t = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        call(batch)
        t.append((time.perf_counter_ns() - t0) / batch)
    t.sort()
    return t[len(t) // 2]


def median_ns(fn, elements=1, reps=11):
    """Median ns per element (per call when elements=1) of fn()."""
    def call(n):
        for _ in range(n):
            fn()
    return median_batched_ns(call, reps) / elements
