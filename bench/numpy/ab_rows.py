"""NumPy side of bench/ab-builds.ts: the same rows and STREAM-style kernels, round by round;
prints per row the min and the median over the rounds, ns per element, of wall time and of
CPU time (time.process_time_ns: these NumPy calls run on one thread)."""
import sys
import time

import numpy as np

N = 10**7
A = np.linspace(0, 1, 4 * 10**6).reshape(2000, 2000)
Af = A.astype(np.float32)
x = np.linspace(0, 1, N)
y = np.linspace(1, 2, N)
out = np.empty(N)
a = np.arange(N) / N
b = 1 + np.arange(N) / N
c = np.empty(N)
t = np.empty(N)
rows = {
    'add.reduce axis=0 f64 2000x2000': (lambda: np.add.reduce(A, axis=0), 4e6),
    'maximum.reduce axis=0 f64 2000x2000': (lambda: np.maximum.reduce(A, axis=0), 4e6),
    'add.reduce axis=0 f32 2000x2000': (lambda: np.add.reduce(Af, axis=0), 4e6),
    'exp f64 1e7 out=': (lambda: np.exp(x, out=out), 1e7),
    'sin f64 1e7 out=': (lambda: np.sin(x, out=out), 1e7),
    'a[::2]+b[::2] 5e6': (lambda: x[::2] + y[::2], 5e6),
    'add f64 1e7 out=': (lambda: np.add(x, y, out=out), 1e7),
    'stream copy': (lambda: np.copyto(c, a), 1e7),
    'stream triad': (lambda: np.add(a, np.multiply(b, 3.0, out=t), out=c), 1e7),
    'stream sum': (lambda: np.add.reduce(a), 1e7),
}
for f, _ in rows.values():
    for _ in range(3):
        f()
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 25
times = {}
cpu = {}
for _ in range(rounds):
    for k, (f, n) in rows.items():
        c0 = time.process_time_ns()
        t0 = time.perf_counter()
        f()
        times.setdefault(k, []).append((time.perf_counter() - t0) * 1e9 / n)
        cpu.setdefault(k, []).append((time.process_time_ns() - c0) / n)
for k, v in times.items():
    v.sort()
    u = sorted(cpu[k])
    print(f'{k} | NumPy | min {v[0]:.3f} | median {v[len(v) // 2]:.3f} | cpu min {u[0]:.3f} | cpu median {u[len(u) // 2]:.3f}')
