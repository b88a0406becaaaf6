"""Numba's side of bench/cache-hit.ts: the same three kernels with cache=True, a writer
process, then RUNS fresh processes timing, from the end of `import numba`, making each
kernel and its first result (and, for the cost of a miss, one process without the cache).
Run by bench/cache-hit.ts (same run), or: python3 bench/numpy/numba_cache.py [runs]."""
import json, os, subprocess, sys, tempfile, statistics

PROGRAM = r'''
import time, json
t0 = time.perf_counter()
import numpy as np
import numba as nb
t1 = time.perf_counter()
CACHE = __CACHE__
out = {"importMs": (t1 - t0) * 1e3, "kernels": []}
xs = np.array([0, 0.5, -1.25, 3]); m = np.array([[1.0, 2.0], [3.0, 4.0]])
t3 = time.perf_counter()
def timed(make, arg):
    a = time.perf_counter(); f = make(); b = time.perf_counter(); f(arg); c = time.perf_counter()
    out["kernels"].append([(b - a) * 1e3, (c - b) * 1e3, (c - t3) * 1e3])
def plain():
    @nb.vectorize(["f8(f8)"], cache=CACHE)
    def plain(x): return x * 2 + 1
    return plain
def tables():
    @nb.vectorize(["f8(f8)"], cache=CACHE)
    def tables(x): return np.exp(-x * x) * np.cos(x) + 2.0 ** x
    return tables
def rows():
    @nb.guvectorize(["void(f8[:], f8[:])"], "(n)->()", cache=CACHE)
    def rows(a, out):
        s = 0.0
        for i in range(a.shape[0]): s += np.log1p(a[i])
        out[0] = s
    return rows
timed(plain, xs); timed(tables, xs); timed(rows, m)
print(json.dumps(out))
'''

def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as d:
        # cache=True writes beside the source file: give each program a file in the temp dir.
        def run(cache):
            path = os.path.join(d, "prog_cache.py" if cache else "prog_nocache.py")
            with open(path, "w") as f: f.write(PROGRAM.replace("__CACHE__", "True" if cache else "False"))
            env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(d, "cache"))
            r = subprocess.run([sys.executable, path], capture_output=True, text=True, env=env, check=True)
            return json.loads(r.stdout)
        names = ["plain x*2+1", "exp*cos+pow", "guvectorize rowsum log1p"]
        nocache = run(False)
        print("[numba] no cache (one compile each): " + "; ".join(f"{n} {k[0]:.0f} ms" for n, k in zip(names, nocache["kernels"])))
        writer = run(True)
        print("[numba] writer (miss): " + "; ".join(f"{n} {k[0]:.0f} ms" for n, k in zip(names, writer["kernels"])))
        hits = [run(True) for _ in range(runs)]
        med = lambda xs: f"{statistics.median(xs):.2f} [{min(xs):.2f}]"
        print(f"[numba] hits, median [min] of {runs}: import numpy+numba {med([h['importMs'] for h in hits])} ms")
        for i, n in enumerate(names):
            print(f"  {n}: make {med([h['kernels'][i][0] for h in hits])} ms, first call {med([h['kernels'][i][1] for h in hits])} ms, total since import {med([h['kernels'][i][2] for h in hits])} ms")

main()
