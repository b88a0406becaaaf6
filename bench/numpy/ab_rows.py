"""NumPy side of bench/ab-builds.ts: the same rows and STREAM-style kernels, round by round;
prints per row the min and the median over the rounds, ns per element, of wall time and of
CPU time (time.process_time_ns: these NumPy calls run on one thread). With Numba installed,
also Numba's rows for the compiled kernels (x*y+1, rowdot), and rowdot and the read-only sum
on arrays allocated without transparent huge pages: NumPy asks the kernel for huge pages
(madvise) for large arrays, and a Wasm memory cannot, so those rows show what that is worth."""
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
R = 10**5
ra = np.linspace(0, 1, R * 32).reshape(R, 32)
rb = ra[::-1].copy()
ro = np.empty(R)
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
    'stream dot': (lambda: np.einsum('i,i->', a, b), 1e7),
    'vectorize x*y+1 f64 1e7 out=': (lambda: np.add(np.multiply(x, y, out=out), 1, out=out), 1e7),
    'guvectorize rowdot (1e5,32) f64 out=': (lambda: np.einsum('ij,ij->i', ra, rb, out=ro), R * 32),
}
labels = {k: 'NumPy' for k in rows}
try:
    import numba
    from numpy._core.multiarray import _set_madvise_hugepage

    @numba.vectorize(['float64(float64, float64)'])
    def xy1(p, q):
        return p * q + 1.0

    @numba.guvectorize(['void(float64[:], float64[:], float64[:])'], '(n),(n)->()')
    def rowdot(p, q, o):
        s = 0.0
        for i in range(p.shape[0]):
            s += p[i] * q[i]
        o[0] = s

    _set_madvise_hugepage(False)
    ra4k, rb4k, a4k = ra.copy(), rb.copy(), a.copy()
    _set_madvise_hugepage(True)
    extra = {
        ('vectorize x*y+1 f64 1e7 out=', 'Numba'): (lambda: xy1(x, y, out=out), 1e7),
        ('guvectorize rowdot (1e5,32) f64 out=', 'Numba'): (lambda: rowdot(ra, rb, out=ro), R * 32),
        ('guvectorize rowdot (1e5,32) f64 out=', 'Numba, no huge pages'): (lambda: rowdot(ra4k, rb4k, out=ro), R * 32),
        ('stream sum', 'NumPy, no huge pages'): (lambda: np.add.reduce(a4k), 1e7),
    }
    for (k, label), row in extra.items():
        rows[f'{k} | {label}'] = row
        labels[f'{k} | {label}'] = None
except ImportError:
    pass
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
    name = k if labels[k] is None else f'{k} | {labels[k]}'
    print(f'{name} | min {v[0]:.3f} | median {v[len(v) // 2]:.3f} | cpu min {u[0]:.3f} | cpu median {u[len(u) // 2]:.3f}')
