"""Numba side of bench/jit-measure.ts and the `jit` suite of `npm run bench`: Numba's @njit of
the seed functions of issue 14 (sum2d, and the image-downsampling directAssign and localMean
with getDownSampleValue; localMean also with parallel=True and prange over the rows), the same
functions numbats compiles with nb.jit
(examples/jit-basics.ts, examples/downsample.ts). Each is called once first (compiling
excluded), then timed as bench/numpy/timing.py does (batches of >= ~20 ms, median of 11).
Prints {case: median ns per call} as JSON; {} with an 'error' key when Numba is missing."""
import json
import sys

import numpy as np
from timing import median_batched_ns

try:
    import numba
except ImportError:
    print(json.dumps({'error': 'numba not importable'}))
    sys.exit(0)

from seed_jit import direct_assign, get_down_sample_value, local_mean  # noqa: E402 (after the numba check)


@numba.njit(cache=False)
def sum2d(arr):
    M, N = arr.shape
    result = 0.0
    for i in range(M):
        for j in range(N):
            result += arr[i, j]
    return result


@numba.njit(cache=False, parallel=True)
def local_mean_parallel(img_new, new_height, new_width, down, img):
    for i in numba.prange(new_height):
        for j in range(new_width):
            img_new[i, j] = get_down_sample_value(img, i, j, down)


def median_call_ns(call, reps=11):
    """Median ns per call; `call(n)` makes n calls in its own loop (no lambda per call)."""
    call(3)
    return median_batched_ns(call, reps)


def loop1(f, a):
    def call(n):
        for _ in range(n):
            f(a)
    return call


def loop5(f, a, b, c, d, e):
    def call(n):
        for _ in range(n):
            f(a, b, c, d, e)
    return call


def empty_loop(n):
    for _ in range(n):
        pass


H, W, DOWN = 12000, 5000, 2
small = np.arange(9, dtype=np.float64).reshape(3, 3)
big = np.arange(10**6, dtype=np.float64).reshape(1000, 1000)
# The image of bench/downsample.bench.ts: pixel i is ((i * 2654435761) mod 2^32) >> 24.
img = (((np.arange(H * W, dtype=np.uint64) * 2654435761) & 0xFFFFFFFF) >> 24).astype(np.uint8).reshape(H, W)
nh, nw = H // DOWN, W // DOWN
out_d = np.zeros((nh, nw), np.uint8)
out_m = np.zeros((nh, nw), np.uint8)
out_p = np.zeros((nh, nw), np.uint8)

res = {}
res['sum2d_3x3'] = median_call_ns(loop1(sum2d, small))
res['sum2d_1000x1000'] = median_call_ns(loop1(sum2d, big))
res['direct_assign'] = median_call_ns(loop5(direct_assign, out_d, nh, nw, DOWN, img))
res['local_mean'] = median_call_ns(loop5(local_mean, out_m, nh, nw, DOWN, img))
res['local_mean_parallel'] = median_call_ns(loop5(local_mean_parallel, out_p, nh, nw, DOWN, img))
res['numba_threads'] = numba.get_num_threads()
# The Python loop's own cost per iteration (included in the numbers above).
res['python_loop'] = median_call_ns(empty_loop)
# Checks (printed by the TS side): the results match the numbats ones.
res['check_sum2d_3x3'] = sum2d(small)
res['check_sum2d_1000x1000'] = sum2d(big)
res['check_direct_sum'] = int(out_d.sum(dtype=np.int64))
res['check_mean_sum'] = int(out_m.sum(dtype=np.int64))
res['check_mean_parallel_sum'] = int(out_p.sum(dtype=np.int64))
res['numba_version'] = numba.__version__
res['numpy_version'] = np.__version__
print(json.dumps(res))
